"""The persistent Chroma collection of passages and the manifest that says what it holds."""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import chromadb
from chromadb.api.models.Collection import Collection

from assistant.models import Passage

MANIFEST_NAME = "manifest.json"


@dataclass
class IndexedDocument:
    """What the manifest keeps about one indexed document."""

    content_hash: str
    title: str
    doc_type: str
    passage_ids: list[str]
    pages: int


@dataclass
class Manifest:
    """The index's bookkeeping: which model and chunking built it, which documents it holds, which failed."""

    embedder: str = ""
    chunking: dict[str, int] = field(default_factory=dict)
    documents: dict[str, IndexedDocument] = field(default_factory=dict)
    failed: dict[str, str] = field(default_factory=dict)
    last_run: str = ""

    @classmethod
    def load(cls, index_dir: Path) -> Manifest:
        """The manifest on disk, or an empty one for a new index."""
        path = index_dir / MANIFEST_NAME
        if not path.is_file():
            return cls()
        data = json.loads(path.read_text(encoding="utf-8"))
        documents = {p: IndexedDocument(**d) for p, d in data.pop("documents", {}).items()}
        return cls(documents=documents, **data)

    def save(self, index_dir: Path) -> None:
        """Write atomically: a crash leaves the old manifest or the new one, never half of one."""
        index_dir.mkdir(parents=True, exist_ok=True)
        path = index_dir / MANIFEST_NAME
        temporary = path.with_suffix(".tmp")
        temporary.write_text(json.dumps(asdict(self), ensure_ascii=False, indent=1), encoding="utf-8")
        os.replace(temporary, path)


class PassageStore:
    """Passages and their vectors in one Chroma collection (cosine distance)."""

    def __init__(self, chroma_dir: Path, collection_name: str) -> None:
        chroma_dir.mkdir(parents=True, exist_ok=True)
        self._client = chromadb.PersistentClient(
            path=str(chroma_dir), settings=chromadb.Settings(anonymized_telemetry=False))
        self._collection_name = collection_name
        self.collection: Collection = self._open()

    def _open(self) -> Collection:
        # No embedding function: vectors always come from our own embedder, never from Chroma's default model.
        return self._client.get_or_create_collection(
            self._collection_name, embedding_function=None, metadata={"hnsw:space": "cosine"})

    def add(self, passages: list[Passage], vectors: list[list[float]]) -> None:
        """Store passages with their vectors."""
        if passages:
            self.collection.upsert(
                ids=[p.id for p in passages],
                documents=[p.text for p in passages],
                metadatas=[p.to_metadata() for p in passages],
                embeddings=vectors,
            )

    def delete(self, passage_ids: list[str]) -> None:
        """Remove passages by id."""
        if passage_ids:
            self.collection.delete(ids=passage_ids)

    def clear(self) -> None:
        """Drop every passage (used when the embedder or the chunking changes)."""
        self._client.delete_collection(self._collection_name)
        self.collection = self._open()

    def count(self) -> int:
        """Number of passages stored."""
        return self.collection.count()

    def get(self, passage_ids: list[str]) -> dict[str, Passage]:
        """Passages by id (those that exist)."""
        if not passage_ids:
            return {}
        result = self.collection.get(ids=passage_ids, include=["documents", "metadatas"])
        return {pid: Passage.from_metadata(pid, text, meta)
                for pid, text, meta in zip(result["ids"], result["documents"], result["metadatas"])}

    def everything(self) -> tuple[list[str], list[str], list[dict[str, Any]]]:
        """Ids, texts and metadata of every stored passage, for the lexical index."""
        result = self.collection.get(include=["documents", "metadatas"])
        return result["ids"], result["documents"], result["metadatas"]

    def search(self, vector: list[float], k: int, where: dict[str, Any] | None) -> list[tuple[Passage, float]]:
        """The k nearest passages to a vector with their cosine similarity, optionally filtered on metadata."""
        if self.count() == 0:
            return []
        result = self.collection.query(query_embeddings=[vector], n_results=k, where=where or None,
                                       include=["documents", "metadatas", "distances"])
        return [
            (Passage.from_metadata(pid, text, meta), 1.0 - distance)
            for pid, text, meta, distance in zip(result["ids"][0], result["documents"][0],
                                                 result["metadatas"][0], result["distances"][0])
        ]
