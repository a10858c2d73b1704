"""The manifest: the index's bookkeeping, whose atomic save is the moment an indexing run takes effect.

It names the Chroma buffer that answers, the embedder and chunking, and every indexed document and corpus file; it is
plain JSON, read without loading Chroma (``assistant status`` only reads this file).
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

MANIFEST_NAME = "manifest.json"
MANIFEST_FORMAT = 3  # 3: documents carry their actor types (« acteurs »)
# Left in the index folder by a run while it changes the index (pid, start); it outlives a killed run.
RUN_MARKER = "indexation-en-cours.json"


@dataclass
class IndexedDocument:
    """What the manifest keeps about one indexed document (a file, or one line of a JSONL corpus)."""

    content_hash: str
    title: str
    doc_type: str
    passage_ids: list[str]
    pages: int
    path: str = ""
    doc_id: str = ""
    indexed_at: str = ""


@dataclass
class FileRecord:
    """What the last run saw of one corpus file."""

    content_hash: str = ""  # the version whose documents are indexed ("" when none is)
    failed_hash: str = ""  # a version that could not be read: skipped, and still reported, until the file changes
    failures: dict[str, str] = field(default_factory=dict)  # the file, or lines of a JSONL file, and why
    # What would let the failed version be read (UnreadableDocument.retry_when): OCR installed, a limit raised.
    retry_when: dict[str, int] = field(default_factory=dict)


@dataclass
class Manifest:
    """The index's bookkeeping: model and chunking, active buffer, documents, files and what failed."""

    format: int = MANIFEST_FORMAT
    generation: int = 0
    active: str = ""  # the buffer that answers questions: "a", "b", or "" before the first run
    vectors_at: str = ""  # where the buffers are (PassageStore.location); "" in manifests written before it was kept
    embedder: str = ""
    chunking: dict[str, int] = field(default_factory=dict)
    documents: dict[str, IndexedDocument] = field(default_factory=dict)
    files: dict[str, FileRecord] = field(default_factory=dict)
    last_run: str = ""
    last_summary: dict[str, float] = field(default_factory=dict)
    embedding_speeds: dict[str, float] = field(default_factory=dict)  # passages a second, by embedder, last measured

    @property
    def failed(self) -> dict[str, str]:
        """Every failure the corpus has now: file (or ``file:ligne N``) and the reason, with what to do."""
        return {key: reason for record in self.files.values() for key, reason in record.failures.items()}

    @property
    def passage_count(self) -> int:
        """Passages of every indexed document."""
        return sum(len(document.passage_ids) for document in self.documents.values())

    @classmethod
    def load(cls, index_dir: Path) -> Manifest:
        """The manifest on disk; an empty one for a new index or one written by an older layout (rebuilt)."""
        path = index_dir / MANIFEST_NAME
        if not path.is_file():
            return cls()
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") != MANIFEST_FORMAT:
            return cls()
        documents = {key: IndexedDocument(**d) for key, d in data.pop("documents").items()}
        files = {path: FileRecord(**f) for path, f in data.pop("files").items()}
        return cls(documents=documents, files=files, **data)

    def save(self, index_dir: Path) -> None:
        """Write, flush to disk, then rename: a crash leaves the old manifest or the new one, never half of one."""
        index_dir.mkdir(parents=True, exist_ok=True)
        path = index_dir / MANIFEST_NAME
        temporary = path.with_suffix(".tmp")
        with temporary.open("w", encoding="utf-8") as stream:
            json.dump(asdict(self), stream, ensure_ascii=False)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
        directory = os.open(index_dir, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)


def run_in_progress(index_dir: Path) -> dict[str, object] | None:
    """The marker a run leaves while it changes the index (pid, start), or None; it outlives a killed run."""
    marker = index_dir / RUN_MARKER
    if not marker.is_file():
        return None
    try:
        return json.loads(marker.read_text(encoding="utf-8"))
    except (ValueError, OSError):
        return {}  # a run killed, or out of disk space, while it wrote its marker: it is not running
