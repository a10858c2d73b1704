"""The index's two Chroma buffers and the ``PassageStore`` that reads the one the manifest names.

One buffer answers questions (the manifest names it); an indexing run brings the other one up to date, then the
manifest switches. Chroma's embedded client caches its vector index in each process, and a process whose cache no
longer matches the database fails on filtered queries, so a buffer is never written while a reader may use it:
readers reopen the buffer the manifest names each time the manifest changes. The buffers are two embedded databases
in the index folder, or two collections on a Chroma server (settings ``chroma``); only the client differs.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.errors import ChromaUnreachable, IndexMismatch
from assistant.index.manifest import MANIFEST_NAME, Manifest
from assistant.models import DocumentInfo, Passage
from assistant.passage_layout import repeated_runs
from assistant.settings import ChromaSettings

if TYPE_CHECKING:  # chromadb itself is imported when a client is made: `assistant status` never loads it
    from chromadb.api import ClientAPI
    from chromadb.api.models.Collection import Collection

BUFFERS = ("a", "b")
WRITE_BATCH = 1000
# The HNSW graph's search breadth (Chroma's default is 100). The embedded Chroma rebuilds in each process, from its
# log, the part of the graph it has not yet written (up to 1,000 passages), and builds it differently each time: with
# the default breadth, two processes found different nearest passages for the same vector (a rank-4 passage missing
# from one of them), so the same question got another answer after a restart. Searched this wide, the search reads
# every passage of a sample-sized index (exact, the same in every process) and misses far fewer in a large one.
SEARCH_EF = 1000
HNSW = {"hnsw:space": "cosine", "hnsw:search_ef": SEARCH_EF}


def _passages(result: dict[str, Any]) -> Iterator[Passage]:
    """The passages of a Chroma ``get`` that included their documents and metadatas."""
    return (Passage.from_metadata(pid, text, meta)
            for pid, text, meta in zip(result["ids"], result["documents"], result["metadatas"]))


class MixedEmbedders(RuntimeError):
    """An attempt to store vectors of one embedder in a buffer built by another."""


def chroma_client(chroma: ChromaSettings, directory: Path) -> ClientAPI:
    """The embedded database in this folder, or the Chroma server of the settings."""
    import chromadb

    # A fresh chromadb.Settings each time: the client constructors write their location into it.
    options = chromadb.Settings(anonymized_telemetry=False)
    if chroma.mode == "embedded":
        directory.mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(path=str(directory), settings=options)
    try:
        return chromadb.HttpClient(host=chroma.host, port=chroma.port, ssl=chroma.ssl, settings=options)
    except ValueError as error:  # chromadb's way of saying the server is not there
        raise ChromaUnreachable(
            f"Le serveur Chroma {chroma.url} ne répond pas. Démarrez-le (`chroma run --path <dossier> --port "
            f"{chroma.port}`) ou corrigez ASSISTANT_CHROMA__HOST et ASSISTANT_CHROMA__PORT.") from error


class VectorBuffer:
    """One collection of passages built by one embedder, in its own embedded database or on the Chroma server."""

    def __init__(self, client: ClientAPI, collection: str) -> None:
        self._client = client
        self._name = collection
        self.collection: Collection = self._client.get_or_create_collection(
            collection, embedding_function=None, metadata=HNSW)

    def close(self) -> None:
        """Release the client (the embedded Chroma drops its cache once the last client of the folder closes)."""
        self._client.close()

    @property
    def fingerprint(self) -> tuple[str, str]:
        """The embedder and the chunking this buffer was built with (empty for a new buffer)."""
        metadata = self.collection.metadata or {}
        return metadata.get("embedder", ""), metadata.get("chunking", "")

    def reset(self, embedder: str, chunking: dict[str, int]) -> None:
        """Drop every passage and mark the buffer as built by this embedder and chunking."""
        self._client.delete_collection(self._name)
        self.collection = self._client.create_collection(
            self._name, embedding_function=None,
            metadata={**HNSW, "embedder": embedder, "chunking": json.dumps(chunking, sort_keys=True)})

    def ids(self) -> set[str]:
        """Ids of every stored passage."""
        return set(self.collection.get(include=[])["ids"])

    def add(self, ids: list[str], texts: list[str], metadatas: list[dict[str, Any]], vectors: list[list[float]],
            embedder: str) -> None:
        """Store passages with their vectors; vectors of another embedder than the buffer's are refused."""
        if embedder != self.fingerprint[0]:
            raise MixedEmbedders(f"buffer built by {self.fingerprint[0]!r}, vectors from {embedder!r}")
        for start in range(0, len(ids), WRITE_BATCH):
            end = start + WRITE_BATCH
            self.collection.upsert(ids=ids[start:end], documents=texts[start:end], metadatas=metadatas[start:end],
                                   embeddings=vectors[start:end])

    def delete(self, ids: list[str]) -> None:
        """Remove passages by id."""
        for start in range(0, len(ids), WRITE_BATCH):
            self.collection.delete(ids=ids[start:start + WRITE_BATCH])


class PassageStore:
    """The passages that answer questions: those of the buffer the manifest names, followed as runs commit."""

    def __init__(self, index_dir: Path, chroma: ChromaSettings, chroma_dir: Path, collection: str,
                 embedder: str = "") -> None:
        self.index_dir = index_dir
        self.chroma = chroma
        self.chroma_dir = chroma_dir
        self.collection_name = collection
        self._embedder = embedder
        self._seen: tuple[int, int, int] | None = None
        self._manifest = Manifest()
        self._buffer: VectorBuffer | None = None
        self._opening = threading.Lock()
        self._furniture: tuple[tuple[str, int], frozenset[str]] | None = None  # (index state, its runs)

    @property
    def location(self) -> str:
        """Where the buffers are: embedded, or which server, and under which collection name."""
        return f"{self.chroma.url if self.chroma.mode == 'server' else 'embedded'}/{self.collection_name}"

    def buffer(self, name: str) -> VectorBuffer:
        """One of the two buffers, for the indexer (which writes only the one that does not answer): a database
        folder of its own when embedded, a collection of its own on a server."""
        if self.chroma.mode == "server":
            return VectorBuffer(chroma_client(self.chroma, self.chroma_dir), f"{self.collection_name}-{name}")
        return VectorBuffer(chroma_client(self.chroma, self.chroma_dir / name), self.collection_name)

    @property
    def collection(self) -> Collection:
        """The Chroma collection that answers questions (an empty one before the first run)."""
        active = self._active()
        if active is None:
            import chromadb

            empty = chromadb.EphemeralClient(settings=chromadb.Settings(anonymized_telemetry=False))
            return empty.get_or_create_collection(f"{self.collection_name}-vide", embedding_function=None)
        return active.collection

    def count(self) -> int:
        """Number of passages that answer questions."""
        active = self._active()
        return active.collection.count() if active else 0

    def get(self, passage_ids: list[str]) -> dict[str, Passage]:
        """Passages by id (those that exist)."""
        active = self._active()
        if not passage_ids or active is None:
            return {}
        return {passage.id: passage for passage in _passages(
            active.collection.get(ids=passage_ids, include=["documents", "metadatas"]))}

    def furniture_runs(self) -> frozenset[str]:
        """The runs of words most documents of the index repeat (``passage_layout.repeated_runs``: a disclaimer, a
        footer), read from every passage once per index state (the sample's 680 passages: 0.2 s)."""
        active = self._active()
        if active is None:
            return frozenset()
        state = (self._manifest.active, self._manifest.generation)
        if self._furniture is None or self._furniture[0] != state:
            self._furniture = (state, repeated_runs(
                _passages(active.collection.get(include=["documents", "metadatas"]))))
        return self._furniture[1]

    def documents(self, where: dict[str, Any]) -> dict[str, DocumentInfo]:
        """Metadata of the documents that have passages matching a Chroma ``where`` clause, by ``doc_id``."""
        result = self.collection.get(where=where, include=["metadatas"])
        documents: dict[str, DocumentInfo] = {}
        for passage_id, metadata in zip(result["ids"], result["metadatas"]):
            info = Passage.from_metadata(passage_id, "", metadata).info
            documents.setdefault(info.doc_id, info)
        return documents

    @property
    def generation(self) -> int | None:
        """The index state that answers questions (the manifest's generation), None before the first run."""
        return self._manifest.generation if self._active() else None

    def nearest(self, vector: list[float], k: int, among: list[str] | None = None,
                where: dict[str, Any] | None = None) -> list[tuple[str, float]]:
        """Ids of the k nearest passages to a vector, with their cosine similarity, optionally among these ids or
        those Chroma's metadata filter ``where`` lets through.

        Only ids and distances come back: reading each passage's metadata costs (131 ms for 1,000 neighbours at
        100,000 passages). A ``where`` costs in proportion to the passages it lets through (docs/performance.md).
        """
        active = self._active()
        if active is None:  # an empty collection answers with nothing: no need to count it (a round trip on a server)
            return []
        if self._embedder and self._manifest.embedder != self._embedder:
            raise IndexMismatch(
                f"L'index a été construit avec le modèle d'encodage « {self._manifest.embedder} », mais les "
                f"réglages demandent « {self._embedder} ». Lancez `assistant index --rebuild` pour le reconstruire, "
                "ou revenez au modèle de l'index.")
        k = min(k, self._manifest.passage_count, len(among) if among is not None else k)
        if k <= 0:
            return []
        result = active.collection.query(query_embeddings=[vector], n_results=k, ids=among, where=where,
                                         include=["distances"])
        return [(pid, 1.0 - distance) for pid, distance in zip(result["ids"][0], result["distances"][0])]

    def _active(self) -> VectorBuffer | None:
        # The page's handlers run in threads: two opening the embedded database at once break Chroma's client
        # (« Could not connect to tenant default_tenant »), and one could close the buffer another reads.
        with self._opening:
            return self._follow_manifest()

    def _follow_manifest(self) -> VectorBuffer | None:
        # One stat per call: the manifest is replaced (new inode) by every save, so a change is never missed.
        path = self.index_dir / MANIFEST_NAME
        try:
            stat = path.stat()
            seen = (stat.st_ino, stat.st_mtime_ns, stat.st_size)
        except FileNotFoundError:
            seen = None
        if seen != self._seen:
            previous = (self._manifest.active, self._manifest.generation)
            self._manifest = Manifest.load(self.index_dir)
            self._seen = seen
            # A new generation means a freshly written buffer: drop Chroma's cache of it by reopening.
            if self._buffer is not None and (self._manifest.active, self._manifest.generation) != previous:
                self._buffer.close()
                self._buffer = None
        if self._buffer is None and self._manifest.active:
            self._buffer = self.buffer(self._manifest.active)
        return self._buffer
