"""Bring the index in step with the corpus folder: one run at a time, only what changed, never a broken index.

A run plans (``plan.py``), reads and embeds what changed into the ledger, brings the buffer that does not answer
questions in step with the plan, rebuilds BM25 from the same passages, then saves the manifest: that atomic save is
the one moment the run takes effect. Killed before it, the index answers as before the run; after it, as after.
The next run finishes the work, reusing every vector the killed one had computed. See docs/indexing.md.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import time
from collections.abc import Callable
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from filelock import FileLock, Timeout

from assistant.errors import ChromaUnreachable, IndexBusy, IndexingError, RebuildRequired
from assistant.index.chroma_buffers import BUFFERS, WRITE_BATCH, PassageStore, VectorBuffer
from assistant.index.disk_errors import storage_errors_explained
from assistant.index.ledger import Ledger, text_hash
from assistant.index.lexical import LexicalIndex
from assistant.index.manifest import RUN_MARKER, IndexedDocument, Manifest, run_in_progress
from assistant.index.plan import PlannedDocument, SyncPlan, document_version, plan_sync
from assistant.ingest.names import corpus_file
from assistant.ingest.ocr import page_ocr
from assistant.ingest.readers import READING_VERSION, UnreadableDocument, read_document
from assistant.models import (EmbeddingCost, IndexProgress, IndexReport, Passage, count_text, describe_run,
                              duration_text, row_context, search_text)
from assistant.settings import Settings

if TYPE_CHECKING:
    from langchain_core.embeddings import Embeddings
    from langchain_text_splitters import TextSplitter

LOCK_NAME = ".indexation.lock"
# Passages a second assumed before a run of this embedder has been measured: below what e5 does on 2 loaded cores.
DEFAULT_PASSAGES_PER_SECOND = 2.0
MARKER_INTERVAL_SECONDS = 1.0  # how often a run rewrites its progress for `assistant status`


def report_of(plan: SyncPlan, **details: object) -> IndexReport:
    """The report of a plan, as carried out (or to be)."""
    return IndexReport(added=plan.added, updated=plan.updated, renamed=dict(plan.renamed), removed=plan.gone,
                       unchanged=sorted(plan.kept), failed=plan.failed, **details)  # type: ignore[arg-type]


def index_corpus(settings: Settings, store: PassageStore, lexical: LexicalIndex,
                 embeddings: Callable[[], Embeddings], embedder: str, progress: IndexProgress | None = None, *,
                 dry_run: bool = False, rebuild: bool = False) -> IndexReport:
    """Index what changed in the corpus folder; ``embeddings`` is called only if something must be embedded."""
    started = time.perf_counter()
    if not settings.corpus_dir.is_dir():
        raise IndexingError(f"Le dossier du corpus {settings.corpus_dir} n'existe pas; vérifiez ASSISTANT_CORPUS_DIR. "
                            "L'index n'a pas été modifié.")
    chunking = index_chunking(settings)
    if dry_run:
        manifest = Manifest.load(settings.index_dir)
        check_compatible(manifest, embedder, chunking, rebuild)
        plan = plan_sync(settings, Manifest() if rebuild else manifest)
        return report_of(plan, rebuilt=rebuild, dry_run=True, seconds=time.perf_counter() - started)
    if settings.chroma.mode == "server":
        try:  # before any work: a run that cannot write its buffer would read and embed for nothing
            store.buffer(BUFFERS[0]).close()
        except ChromaUnreachable as error:
            raise IndexingError(f"{error} L'index n'a pas été modifié.") from error
    # Every write before the manifest's atomic save leaves the answering index untouched; a failure after it
    # (pruning the ledger) leaves the new index, whose leftovers the next run prunes.
    with storage_errors_explained(settings.index_dir, "L'indexation n'a pas pu écrire",
                                  "L'index est resté cohérent : il répond comme avant cette indexation (ou comme "
                                  "après, si elle avait été enregistrée)."):
        settings.index_dir.mkdir(parents=True, exist_ok=True)
        lock = FileLock(settings.index_dir / LOCK_NAME)
        try:
            lock.acquire(timeout=0)
        except Timeout as error:
            running = run_in_progress(settings.index_dir)
            raise IndexBusy("Une autre indexation de cet index est déjà en cours"
                            f"{f' ({describe_run(running)})' if running else ''}; attendez qu'elle se termine "
                            "(`assistant status` la suit), puis relancez.") from error
        try:
            run = SyncRun(settings, store, lexical, embeddings, embedder, progress or IndexProgress(), started)
            return run.execute(rebuild)
        finally:
            lock.release()


def index_chunking(settings: Settings) -> dict[str, int]:
    """How passages are cut (the chunking settings) and how documents are read (``READING_VERSION``), as the
    manifest records them: a change to either asks for a rebuild."""
    return {**settings.chunking.model_dump(), "reading": READING_VERSION}


def check_compatible(manifest: Manifest, embedder: str, chunking: dict[str, int], rebuild: bool) -> None:
    """Refuse to add vectors of another model, or passages cut another way, to an index: ask for a rebuild."""
    if rebuild or not manifest.documents or (manifest.embedder, manifest.chunking) == (embedder, chunking):
        return
    indexed, redo = {key: value for key, value in manifest.chunking.items() if key != "reading"}, "réencoder"
    if manifest.embedder != embedder:
        what = f"le modèle d'encodage a changé (index : {manifest.embedder}, réglages : {embedder})"
    elif indexed != {key: value for key, value in chunking.items() if key != "reading"}:
        what = f"le découpage a changé (index : {manifest.chunking}, réglages : {chunking})"
    else:  # the ledger's vectors serve again: a rebuild reads the files anew and encodes only new text
        what = (f"la lecture des documents a changé (index lu en version {manifest.chunking.get('reading', 1)}, "
                f"lecture actuelle en version {chunking['reading']} : docs/indexing.md)")
        redo = "relire (sans réencoder ce qui l'est déjà)"
    raise RebuildRequired(f"Reconstruction nécessaire : {what}. Relancez avec `assistant index --rebuild` pour "
                          f"{redo} les {len(manifest.documents)} documents; d'ici là, l'index reste celui "
                          "d'avant et répond.")


class RunMarker:
    """The file that says a run is changing the index, and how far it is (``assistant status`` reads it).

    Rewritten by write and rename (a reader never sees half of it) when the run enters a new phase, otherwise at
    most once a second.
    """

    def __init__(self, index_dir: Path) -> None:
        self.path = index_dir / RUN_MARKER
        self.state: dict[str, object] = {"pid": os.getpid(), "started": _now()}
        self._written = 0.0

    def update(self, force: bool = False, **state: object) -> None:
        """Record where the run stands; written now if forced, in a new phase, or if the last write is a second old."""
        new_phase = state.get("phase", self.state.get("phase")) != self.state.get("phase")
        self.state.update(state)
        if not (force or new_phase) and time.monotonic() - self._written < MARKER_INTERVAL_SECONDS:
            return
        temporary = self.path.with_suffix(".tmp")
        temporary.write_text(json.dumps(self.state, ensure_ascii=False), encoding="utf-8")
        os.replace(temporary, self.path)
        self._written = time.monotonic()

    def remove(self) -> None:
        """The run is over."""
        self.path.unlink(missing_ok=True)


class SyncRun:
    """One indexing run, under the lock."""

    def __init__(self, settings: Settings, store: PassageStore, lexical: LexicalIndex,
                 embeddings: Callable[[], Embeddings], embedder: str, progress: IndexProgress, started: float) -> None:
        self.settings = settings
        self.started = started
        self.store = store
        self.lexical = lexical
        self.embeddings = embeddings
        self.embedder = embedder
        self.progress = progress
        self.chunking = index_chunking(settings)
        self.ocr = page_ocr(settings)
        self.embedded = 0
        self.reused = 0
        self.embedding_seconds = 0.0
        self.marker = RunMarker(settings.index_dir)
        self.speeds: dict[str, float] = {}

    @cached_property
    def splitter(self) -> TextSplitter:
        """The passage splitter, made at the first document read: a run with nothing to read never loads it."""
        from assistant.ingest.chunking import make_splitter

        return make_splitter(self.settings.chunking)

    @cached_property
    def windows(self) -> TextSplitter | None:
        """The splitter of sentence windows (``chunking.window_size``), None when windows are off; made lazily too."""
        from assistant.ingest.chunking import make_window_splitter

        return make_window_splitter(self.settings.chunking)

    def execute(self, rebuild: bool) -> IndexReport:
        """Plan, then either record the plan (nothing to index) or carry it out and commit."""
        index_dir = self.settings.index_dir
        manifest = Manifest.load(index_dir)
        self.speeds = manifest.embedding_speeds
        check_compatible(manifest, self.embedder, self.chunking, rebuild)
        plan = plan_sync(self.settings, Manifest() if rebuild else manifest)
        self.progress.planned(len(plan.to_index))
        in_step = manifest.active != "" and self.lexical.built_generation() == manifest.generation
        # The settings point at other buffers (another Chroma server, embedded instead of server, another collection
        # name): fill both from the ledger, without embedding anything again.
        moved = manifest.active != "" and manifest.vectors_at not in ("", self.store.location)
        if not rebuild and not moved and not plan.changes_index and (in_step or not plan.kept):
            report = report_of(plan)
            self._commit(manifest, plan, plan.kept, manifest.active, manifest.generation, report)
            return report
        self.marker.update(force=True)
        ledger = Ledger(index_dir)
        try:
            documents = self._read_and_embed(plan, ledger)
            self.marker.update(force=True, phase="écriture")
            target_name = next(name for name in BUFFERS if name != manifest.active)
            # The first run fills both buffers (nobody reads either yet), so the next run has only its change to copy.
            for name in BUFFERS if not manifest.active or moved else (target_name,):
                target = self.store.buffer(name)
                try:
                    self._fill(target, documents, ledger, rebuild)
                finally:
                    target.close()
            generation = manifest.generation + 1
            ids = [pid for document in documents.values() for pid in document.passage_ids]
            rows = {pid: (text, metadata) for pid, text, metadata, _ in ledger.passages(ids)}
            self.lexical.rebuild(ids, [self.indexed_text(Passage.from_metadata(pid, *rows[pid])) for pid in ids],
                                 [rows[pid][1] for pid in ids], generation)
            report = report_of(plan, passages_embedded=self.embedded, passages_reused=self.reused,
                                    rebuilt=rebuild)
            self._commit(manifest, plan, documents, target_name, generation, report)
            ledger.keep_only(set(ids), self.embedder)
        finally:
            ledger.close()
        self.marker.remove()
        return report

    def _read_and_embed(self, plan: SyncPlan, ledger: Ledger) -> dict[str, IndexedDocument]:
        """Read each planned document into the ledger with its vectors; the documents of the index after the run."""
        from assistant.ingest.chunking import split_document

        indexed: dict[str, IndexedDocument] = {}
        kept_ids = [pid for document in plan.kept.values() for pid in document.passage_ids]
        lost = set(kept_ids) - ledger.known_passages(kept_ids)
        for key, document in list(plan.kept.items()):  # a ledger lost or from an older layout: read those again
            if lost.intersection(document.passage_ids):
                plan.to_index.append(PlannedDocument(key, document.path or key, document.content_hash, document))
                plan.kept.pop(key)
        pending: dict[str, str] = {}
        to_read = list(plan.to_index)
        limit = self.settings.indexing.max_file_passages
        for done, planned in enumerate(to_read):
            self.marker.update(phase="lecture", document=planned.key, done=done, total=len(to_read))
            self.progress.document(planned.key)
            try:
                source = planned.source or read_document(corpus_file(self.settings.corpus_dir, planned.path),
                                                         self.settings.corpus_dir, self.ocr)
            except UnreadableDocument as error:
                plan.fail(planned, str(error), error.retry_when)
                continue
            version = document_version(planned.key, planned.content_hash, self.chunking)
            passages = split_document(source, self.splitter, version, table_rows=self.settings.chunking.table_rows,
                                      windows=self.windows)
            if len(passages) > limit:
                plan.fail(planned, self._too_long(len(passages)), {"max_file_passages": len(passages)})
                continue
            plan.files[planned.path].failures.update(
                {f"{planned.path}:page {number}": reason for number, reason in source.unreadable_pages.items()})
            ledger.put_passages(passages, [self.indexed_text(p) for p in passages])
            pending.update(self._missing_vectors(passages, ledger))
            indexed[planned.key] = IndexedDocument(
                planned.content_hash, source.info.title, source.info.doc_type, [p.id for p in passages],
                len(source.pages), planned.path, source.info.doc_id, _now())
        self._embed(pending, ledger)
        return {**plan.kept, **indexed}

    @property
    def speed(self) -> float:
        """Passages a second this embedder reached in the last run that measured it (or a cautious default)."""
        return self.speeds.get(self.embedder) or DEFAULT_PASSAGES_PER_SECOND

    def _too_long(self, passages: int) -> str:
        limit = self.settings.indexing.max_file_passages
        return (f"fichier de {count_text(passages)} passages, au-delà de la limite de {count_text(limit)} passages par "
                f"fichier (son encodage prendrait environ {duration_text(passages / self.speed)}); découpez-le, ou "
                f"relevez la limite (réglage ASSISTANT_INDEXING__MAX_FILE_PASSAGES={passages}) puis relancez "
                "l'indexation")

    def indexed_text(self, passage: Passage) -> str:
        """What the vectors and BM25 are made from: the passage (a table row: its ``context``), after its
        document's title and its section if the settings say so."""
        if not self.settings.chunking.title_in_search:
            return row_context(passage.context)[1] or passage.text
        section = passage.section if self.settings.chunking.section_in_search else ""
        return search_text(passage.info.title, passage.text, passage.context, section)

    def _missing_vectors(self, passages: list[Passage], ledger: Ledger) -> dict[str, str]:
        indexed = [self.indexed_text(p) for p in passages]
        texts = {text_hash(text): text for text in indexed}
        known = ledger.vectors(self.embedder, list(texts))
        self.reused += sum(1 for text in indexed if text_hash(text) in known)
        return {digest: text for digest, text in texts.items() if digest not in known}

    def _embed(self, pending: dict[str, str], ledger: Ledger) -> None:
        """Announce the cost, then embed the pending texts a batch at a time, each batch committed to the ledger at
        once; the speed reached is kept for the next run's estimate."""
        if not pending:
            return
        self.progress.cost(EmbeddingCost(len(pending), self.speed, self.embedder in self.speeds))
        model = self.embeddings()  # loaded before the clock starts: the speed is the embedder's, not its loading
        batch_size = self.settings.embedding.batch_size
        items = list(pending.items())
        for start in range(0, len(items), batch_size):
            batch = dict(items[start:start + batch_size])
            began = time.perf_counter()
            vectors = model.embed_documents(list(batch.values()))
            self.embedding_seconds += time.perf_counter() - began
            ledger.put_vectors(self.embedder, dict(zip(batch, vectors)))
            self.embedded += len(batch)
            left = (len(items) - start - len(batch)) * self.embedding_seconds / self.embedded
            self.marker.update(phase="encodage", done=self.embedded, total=len(items), document="",
                               ends=(dt.datetime.now() + dt.timedelta(seconds=left)).isoformat(timespec="seconds"))
            self.progress.embedded(len(batch))
        if self.embedded >= batch_size and self.embedding_seconds > 0:
            self.speeds = {**self.speeds, self.embedder: round(self.embedded / self.embedding_seconds, 2)}

    def _fill(self, target: VectorBuffer, documents: dict[str, IndexedDocument], ledger: Ledger,
              rebuild: bool) -> None:
        """Make the buffer hold exactly the passages of these documents, from the ledger."""
        if rebuild or target.fingerprint != (self.embedder, json.dumps(self.chunking, sort_keys=True)):
            target.reset(self.embedder, self.chunking)
        wanted = [pid for document in documents.values() for pid in document.passage_ids]
        present = target.ids()
        target.delete(sorted(present - set(wanted)))
        missing = [pid for pid in wanted if pid not in present]
        for start in range(0, len(missing), WRITE_BATCH):
            rows = list(ledger.passages(missing[start:start + WRITE_BATCH]))
            vectors = ledger.vectors(self.embedder, list({digest for *_, digest in rows}))
            target.add([pid for pid, *_ in rows], [text for _, text, _, _ in rows],
                       [metadata for _, _, metadata, _ in rows], [vectors[digest] for *_, digest in rows],
                       self.embedder)

    def _commit(self, manifest: Manifest, plan: SyncPlan, documents: dict[str, IndexedDocument], active: str,
                generation: int, report: IndexReport) -> None:
        """Save the manifest of the new state: the one atomic step that makes a run take effect."""
        manifest.active, manifest.generation, manifest.vectors_at = active, generation, self.store.location
        manifest.embedder, manifest.chunking = self.embedder, self.chunking
        manifest.embedding_speeds = self.speeds
        manifest.documents, manifest.files = documents, plan.files
        manifest.last_run = _now()
        report.seconds = time.perf_counter() - self.started
        manifest.last_summary = report.summary()
        manifest.save(self.settings.index_dir)


def _now() -> str:
    return dt.datetime.now().isoformat(timespec="seconds")
