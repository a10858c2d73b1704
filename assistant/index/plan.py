"""What an indexing run has to do: scan the corpus folder and compare it with the manifest, writing nothing.

Files are compared by the hash of their bytes (and sidecar), never by name or date. A document is a file, or one
line of a JSONL corpus; a document that reappears under another path with the same content is a rename.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from assistant.index.manifest import FileRecord, IndexedDocument, Manifest
from assistant.ingest.metadata import SIDECAR_SUFFIX
from assistant.ingest.names import stored_name
from assistant.ingest.ocr import page_ocr
from assistant.ingest.readers import JSONL_SUFFIX, UnreadableDocument, content_hash, read_jsonl
from assistant.models import SourceDocument
from assistant.settings import Settings

IGNORED_NAMES = {"README.md", "LISEZMOI.md", "Thumbs.db", "desktop.ini"}
MEGABYTE = 1024 * 1024


@dataclass(frozen=True)
class PlannedDocument:
    """A document the run must (re)index."""

    key: str  # the file's path, or ``<path>#<doc_id>`` for a line of a JSONL corpus
    path: str
    content_hash: str
    previous: IndexedDocument | None  # the indexed version it replaces, if any
    source: SourceDocument | None = None  # already read (a JSONL line); a file is read when the run reaches it


@dataclass
class SyncPlan:
    """The documents to keep, to (re)index and to remove, and what each file will look like in the manifest."""

    kept: dict[str, IndexedDocument] = field(default_factory=dict)
    to_index: list[PlannedDocument] = field(default_factory=list)
    removed: dict[str, IndexedDocument] = field(default_factory=dict)
    renamed: dict[str, str] = field(default_factory=dict)  # new key → old key: same content, vectors reused
    files: dict[str, FileRecord] = field(default_factory=dict)

    @property
    def added(self) -> list[str]:
        """New documents (renamed ones aside)."""
        return [d.key for d in self.to_index if d.previous is None and d.key not in self.renamed]

    @property
    def updated(self) -> list[str]:
        """Documents whose content changed."""
        return [d.key for d in self.to_index if d.previous is not None]

    @property
    def gone(self) -> list[str]:
        """Documents that left the corpus (renamed ones aside)."""
        return sorted(set(self.removed) - set(self.renamed.values()))

    @property
    def failed(self) -> dict[str, str]:
        """Every failure of the corpus: file (or ``file:ligne N``) and the reason, with what to do."""
        return {key: reason for record in self.files.values() for key, reason in record.failures.items()}

    @property
    def changes_index(self) -> bool:
        """Whether the passages of the index change."""
        return bool(self.to_index or self.removed)

    def fail(self, planned: PlannedDocument, reason: str, retry_when: dict[str, int] | None = None) -> None:
        """A file the run could not read: its indexed version (if any) stays, and it is skipped until it changes
        (or until what it lacked is there: OCR installed, a passage limit raised to its size)."""
        self.to_index.remove(planned)
        self.renamed.pop(planned.key, None)
        indexed_hash = planned.previous.content_hash if planned.previous else ""
        self.files[planned.path] = FileRecord(indexed_hash, planned.content_hash, {planned.path: reason},
                                              retry_when or {})
        if planned.previous:
            self.kept[planned.key] = planned.previous


def corpus_files(corpus_dir: Path) -> Iterator[Path]:
    """Documents of the corpus folder, skipping hidden files, `_drafts`, Office lock files, READMEs and sidecars."""
    for path in sorted(corpus_dir.rglob("*")):
        relative = path.relative_to(corpus_dir)
        if any(part.startswith((".", "_", "~$")) for part in relative.parts):
            continue
        if path.is_file() and path.name not in IGNORED_NAMES and not path.name.endswith(SIDECAR_SUFFIX):
            yield path


def document_version(key: str, digest: str, chunking: dict[str, int]) -> str:
    """The id prefix of a document's passages: one per path, content and chunking, so versions never share ids."""
    identity = json.dumps([key, digest, chunking], sort_keys=True)
    return hashlib.sha256(identity.encode("utf-8")).hexdigest()[:16]


def plan_sync(settings: Settings, manifest: Manifest) -> SyncPlan:
    """Compare the corpus folder with what the manifest says is indexed."""
    plan = SyncPlan()
    limit = settings.indexing.max_file_mb
    keys_by_path: dict[str, list[str]] = defaultdict(list)
    for key, document in manifest.documents.items():
        keys_by_path[document.path or key].append(key)
    candidates: list[PlannedDocument] = []
    for path in corpus_files(settings.corpus_dir):
        relative = stored_name(path.relative_to(settings.corpus_dir))
        record = manifest.files.get(relative, FileRecord())
        indexed = {key: manifest.documents[key] for key in keys_by_path.get(relative, [])}
        try:
            digest = hash_within_limit(path, limit)
        except UnreadableDocument as error:
            plan.files[relative] = FileRecord(record.content_hash, "", {relative: str(error)})
            plan.kept.update(indexed)
            continue
        if digest == record.content_hash:
            plan.kept.update(indexed)
            plan.files[relative] = FileRecord(digest, failures={} if record.failed_hash else record.failures)
        elif digest == record.failed_hash and not retry_now(record, settings):
            plan.kept.update(indexed)
            plan.files[relative] = record
        elif path.suffix.lower() == JSONL_SUFFIX:
            try:
                documents, bad_lines = read_jsonl(path, settings.corpus_dir)
            except UnreadableDocument as error:
                plan.files[relative] = FileRecord(record.content_hash, digest, {relative: str(error)})
                plan.kept.update(indexed)
                continue
            plan.files[relative] = FileRecord(digest, failures={f"{relative}:ligne {n}": f"{reason}"
                                                                for n, reason in bad_lines.items()})
            for document in documents:
                key = f"{relative}#{document.info.doc_id}"
                candidates.append(PlannedDocument(key, relative, document.content_hash, manifest.documents.get(key),
                                                  document))
        else:
            plan.files[relative] = FileRecord(digest)
            candidates.append(PlannedDocument(relative, relative, digest, manifest.documents.get(relative)))
    for candidate in candidates:
        if candidate.previous and candidate.previous.content_hash == candidate.content_hash:
            plan.kept[candidate.key] = candidate.previous  # an untouched line of an edited JSONL file
        else:
            plan.to_index.append(candidate)
    wanted = set(plan.kept) | {d.key for d in plan.to_index}
    plan.removed = {key: document for key, document in manifest.documents.items() if key not in wanted}
    pair_renames(plan)
    return plan


def retry_now(record: FileRecord, settings: Settings) -> bool:
    """Whether a version refused for what it lacked can be read now: OCR is installed, or the limit raised."""
    needs = dict(record.retry_when)
    if not needs:
        return False
    if needs.pop("ocr", None) is not None:
        ocr = page_ocr(settings)
        if ocr is None or not ocr.engine:
            return False
    limits = settings.indexing.model_dump()
    return all(limits.get(name, 0) >= needed for name, needed in needs.items())


def pair_renames(plan: SyncPlan) -> None:
    """A new document with the content of a removed one is that document, renamed or moved."""
    removed_by_content: dict[str, list[str]] = defaultdict(list)
    for key, document in sorted(plan.removed.items()):
        removed_by_content[document.content_hash].append(key)
    for planned in plan.to_index:
        if planned.previous is None and removed_by_content.get(planned.content_hash):
            plan.renamed[planned.key] = removed_by_content[planned.content_hash].pop(0)


def hash_within_limit(path: Path, limit_mb: float) -> str:
    """The content hash of a file that the size limit allows; a larger one is refused without being read."""
    try:
        size = path.stat().st_size
        if size > limit_mb * MEGABYTE:
            raise UnreadableDocument(
                f"fichier de {_megabytes(size / MEGABYTE)} Mo, au-delà de la limite de {_megabytes(limit_mb)} Mo; "
                "découpez-le, ou "
                "relevez la limite (réglage ASSISTANT_INDEXING__MAX_FILE_MB)")
        return content_hash(path)
    except OSError as error:
        raise UnreadableDocument(f"fichier inaccessible ({error.strerror}); vérifiez qu'il existe et que "
                                 "l'assistant a le droit de le lire") from error


def _megabytes(value: float) -> str:
    return f"{value:.1f}".replace(".", ",").removesuffix(",0")
