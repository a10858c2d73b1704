"""The indexer's own record of passages and vectors (SQLite), read and written only under the indexing lock.

The Chroma buffers are filled from it, so a run never reads the buffer that answers questions; vectors are kept by
embedder and text, so a renamed or copied file, an edited sidecar or an unchanged page is never embedded twice, and
the vectors a killed run had computed are there for the next one.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, NamedTuple

from assistant.models import Passage

LEDGER_NAME = "ledger.sqlite3"
_QUERY_BATCH = 500  # below SQLite's limit on bound parameters
_SCHEMA = """
CREATE TABLE IF NOT EXISTS passages (id TEXT PRIMARY KEY, text TEXT NOT NULL, metadata TEXT NOT NULL,
                                     text_hash TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS vectors (embedder TEXT NOT NULL, text_hash TEXT NOT NULL, vector BLOB NOT NULL,
                                    PRIMARY KEY (embedder, text_hash));
"""


class StoredPassage(NamedTuple):
    """A passage as the ledger keeps it: text, Chroma metadata, and the hash of the text its vector is made from."""

    id: str
    text: str
    metadata: dict[str, Any]
    text_hash: str


def text_hash(text: str) -> str:
    """The key of a passage's vector: the same text always gets the same vector from one embedder."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


class Ledger:
    """Passages (text and metadata) and vectors by (embedder, text)."""

    def __init__(self, index_dir: Path) -> None:
        index_dir.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(index_dir / LEDGER_NAME)
        self._db.executescript(_SCHEMA)

    def close(self) -> None:
        """Close the database."""
        self._db.close()

    def known_passages(self, ids: Iterable[str]) -> set[str]:
        """Which of these passages the ledger holds."""
        return {row[0] for row in self._select("SELECT id FROM passages WHERE id IN ({})", list(ids))}

    def put_passages(self, passages: list[Passage], indexed_texts: list[str]) -> None:
        """Record passages with the hash of the text their vector is made from (a new chunking replaces the rows)."""
        with self._db:
            self._db.executemany(
                "INSERT OR REPLACE INTO passages VALUES (?, ?, ?, ?)",
                [(p.id, p.text, json.dumps(p.to_metadata(), ensure_ascii=False), text_hash(indexed))
                 for p, indexed in zip(passages, indexed_texts)])

    def passages(self, ids: list[str]) -> Iterator[StoredPassage]:
        """Each of these passages the ledger holds."""
        for pid, text, metadata, digest in self._select(
                "SELECT id, text, metadata, text_hash FROM passages WHERE id IN ({})", ids):
            yield StoredPassage(pid, text, json.loads(metadata), digest)

    def vectors(self, embedder: str, hashes: list[str]) -> dict[str, list[float]]:
        """The vectors this embedder computed for these texts, by text hash."""
        import numpy as np  # here: a run with nothing to embed (the no-op `assistant index`) never loads it

        found = self._select("SELECT text_hash, vector FROM vectors WHERE embedder = ? AND text_hash IN ({})",
                             hashes, prefix=(embedder,))
        return {digest: np.frombuffer(blob, dtype=np.float32).tolist() for digest, blob in found}

    def put_vectors(self, embedder: str, vectors: dict[str, list[float]]) -> None:
        """Record vectors by text hash; committed at once, so that a killed run keeps what it computed."""
        import numpy as np

        with self._db:
            self._db.executemany(
                "INSERT OR REPLACE INTO vectors VALUES (?, ?, ?)",
                [(embedder, digest, np.asarray(vector, dtype=np.float32).tobytes())
                 for digest, vector in vectors.items()])

    def keep_only(self, passage_ids: set[str], embedder: str) -> None:
        """Forget passages outside this set, and vectors no kept passage uses or computed by another embedder."""
        with self._db:
            self._db.execute("CREATE TEMP TABLE IF NOT EXISTS kept (id TEXT PRIMARY KEY)")
            self._db.execute("DELETE FROM kept")
            self._db.executemany("INSERT INTO kept VALUES (?)", [(pid,) for pid in passage_ids])
            self._db.execute("DELETE FROM passages WHERE id NOT IN (SELECT id FROM kept)")
            self._db.execute("DELETE FROM vectors WHERE embedder != ? OR text_hash NOT IN "
                             "(SELECT text_hash FROM passages)", (embedder,))

    def _select(self, query: str, values: list[str], prefix: tuple[str, ...] = ()) -> Iterator[tuple[Any, ...]]:
        for start in range(0, len(values), _QUERY_BATCH):
            batch = values[start:start + _QUERY_BATCH]
            yield from self._db.execute(query.format(",".join("?" * len(batch))), (*prefix, *batch))
