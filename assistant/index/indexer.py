"""Bring the index in step with the corpus folder: embed new and changed documents, drop removed ones."""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from langchain_core.embeddings import Embeddings

from assistant.ingest.chunking import make_splitter, split_document
from assistant.ingest.metadata import SIDECAR_SUFFIX
from assistant.ingest.readers import READERS, UnreadableDocument, content_hash, read_document
from assistant.index.lexical import LexicalIndex
from assistant.index.store import IndexedDocument, Manifest, PassageStore
from assistant.settings import Settings

log = logging.getLogger(__name__)
IGNORED_NAMES = {"README.md", "LISEZMOI.md"}


@dataclass
class IndexReport:
    """What one indexing run did."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    passages_embedded: int = 0
    seconds: float = 0.0
    rebuilt: bool = False


def corpus_files(corpus_dir: Path) -> Iterator[Path]:
    """Documents of the corpus folder, skipping hidden files, `_drafts`, READMEs and metadata sidecars."""
    for path in sorted(corpus_dir.rglob("*")):
        relative = path.relative_to(corpus_dir)
        if any(part.startswith((".", "_")) for part in relative.parts):
            continue
        if path.is_file() and path.name not in IGNORED_NAMES and not path.name.endswith(SIDECAR_SUFFIX):
            yield path


def index_corpus(settings: Settings, store: PassageStore, lexical: LexicalIndex, embeddings: Embeddings,
                 embedder: str, on_progress: Callable[[str], None] = lambda _: None) -> IndexReport:
    """Index what changed in the corpus since the last run; a bad file is recorded as failed, never fatal."""
    started = time.perf_counter()
    report = IndexReport()
    manifest = Manifest.load(settings.index_dir)
    chunking = settings.chunking.model_dump()
    if manifest.documents and (manifest.embedder != embedder or manifest.chunking != chunking):
        log.warning("Le modèle d'encodage ou le découpage a changé : l'index est reconstruit.")
        store.clear()
        manifest = Manifest()
        report.rebuilt = True
    manifest.embedder, manifest.chunking = embedder, chunking
    splitter = make_splitter(settings.chunking)
    seen: set[str] = set()
    failed: dict[str, str] = {}
    for path in corpus_files(settings.corpus_dir):
        relative = path.relative_to(settings.corpus_dir).as_posix()
        seen.add(relative)
        on_progress(relative)
        previous = manifest.documents.get(relative)
        if path.suffix.lower() in READERS and previous and previous.content_hash == content_hash(path):
            report.unchanged.append(relative)
            continue
        try:
            document = read_document(path, settings.corpus_dir)
        except (UnreadableDocument, OSError) as error:
            failed[relative] = str(error)
            continue
        passages = split_document(document, splitter)
        store.add(passages, embed_in_batches(embeddings, [p.text for p in passages], settings.embedding.batch_size))
        report.passages_embedded += len(passages)
        if previous:
            store.delete([pid for pid in previous.passage_ids if pid not in {p.id for p in passages}])
        (report.updated if previous else report.added).append(relative)
        manifest.documents[relative] = IndexedDocument(
            document.content_hash, document.info.title, document.info.doc_type, [p.id for p in passages],
            len(document.pages))
    for relative in sorted(set(manifest.documents) - seen):
        store.delete(manifest.documents.pop(relative).passage_ids)
        report.removed.append(relative)
    if report.added or report.updated or report.removed or report.rebuilt or not lexical.directory.exists():
        lexical.rebuild(*store.everything())
    report.failed = failed
    manifest.failed = failed
    manifest.last_run = dt.datetime.now().isoformat(timespec="seconds")
    manifest.save(settings.index_dir)
    report.seconds = time.perf_counter() - started
    return report


def embed_in_batches(embeddings: Embeddings, texts: list[str], batch_size: int) -> list[list[float]]:
    """Embed texts a batch at a time, so that memory stays flat on long documents."""
    vectors: list[list[float]] = []
    for start in range(0, len(texts), batch_size):
        vectors.extend(embeddings.embed_documents(texts[start:start + batch_size]))
    return vectors
