"""The lexical (BM25) side of the index: French stemming, stop words and accent folding, kept beside Chroma."""

from __future__ import annotations

import json
import logging
import os
import shutil
import threading
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Any

import bm25s
import numpy as np

from assistant.french import analyse

# bm25s sets its own logger to DEBUG, which prints a line at each rebuild under the CLI's logging setup.
logging.getLogger("bm25s").setLevel(logging.WARNING)
PASSAGES_FILE = "passages.json"
GENERATION_FILE = "generation"
KEPT_MASKS = 32  # filters whose passage mask is kept (4 bytes a passage each)


def terms(text: str) -> list[str]:
    """The text's terms as the index sees them: stop words and elisions dropped, stemmed, accents folded."""
    return bm25s.tokenize([text], stopwords="fr", stemmer=analyse, return_ids=False, show_progress=False)[0]


def tokenize(texts: list[str]) -> Any:
    """Lower case, French stop words and elisions (« l'entente » → « entente »), stems."""
    return bm25s.tokenize(texts, stopwords="fr", stemmer=analyse, show_progress=False)


class LexicalIndex:
    """BM25 over every passage of the store, rebuilt as a whole at the end of each indexing run."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._bm25: bm25s.BM25 | None = None
        self._passages: list[dict[str, Any]] = []
        self._rows: dict[str, int] = {}  # passage id → its row in the BM25 matrix
        self._masks: dict[Hashable, np.ndarray] = {}  # the filters' masks over the passages, least recently used first
        self._masks_lock = threading.Lock()
        self._loaded_mtime = 0.0

    def rebuild(self, ids: list[str], texts: list[str], metadatas: list[dict[str, Any]], generation: int) -> None:
        """Index these passages (the index's state ``generation``) in a new folder, then point the index at it.

        ``lexical`` is a symbolic link replaced in one rename, so a reader finds the old files or the new ones,
        never none; the previous folder is kept until the next rebuild for a reader still loading it.
        """
        built = self.directory.with_name(f"{self.directory.name}.{generation}")
        shutil.rmtree(built, ignore_errors=True)
        built.mkdir(parents=True)
        if ids:
            bm25 = bm25s.BM25()
            bm25.index(tokenize(texts), show_progress=False)
            bm25.save(str(built), show_progress=False)
        (built / PASSAGES_FILE).write_text(
            json.dumps([{"id": i, **m} for i, m in zip(ids, metadatas)], ensure_ascii=False), encoding="utf-8")
        (built / GENERATION_FILE).write_text(str(generation), encoding="utf-8")
        previous = self.directory.resolve() if self.directory.is_symlink() else None
        if self.directory.is_dir() and not self.directory.is_symlink():
            shutil.rmtree(self.directory)  # a folder left by an older layout
        link = self.directory.with_name(f"{self.directory.name}.link")
        link.unlink(missing_ok=True)
        link.symlink_to(built.name)
        os.replace(link, self.directory)
        for folder in self.directory.parent.glob(f"{self.directory.name}.*"):
            if folder.is_dir() and folder.resolve() not in (built.resolve(), previous):
                shutil.rmtree(folder)

    def built_generation(self) -> int | None:
        """The index state these files were built from, so that a run can tell whether they are in step."""
        marker = self.directory / GENERATION_FILE
        return int(marker.read_text(encoding="utf-8")) if marker.is_file() else None

    def search(self, query: str, k: int, allowed: Callable[[dict[str, Any]], bool],
               filter_key: Hashable) -> list[tuple[str, float]]:
        """Ids and BM25 scores of the best passages among those the filter allows (applied inside the search);
        ``filter_key`` names the filter, whose mask over every passage is kept for the next questions."""
        self._load_if_changed()
        if self._bm25 is None or not self._passages:
            return []
        with self._masks_lock:  # the web chat searches from several threads
            mask = self._masks.pop(filter_key, None)
            if mask is None:  # one Python call per passage: about 35 ms at 100,000 passages
                mask = np.array([allowed(p) for p in self._passages], dtype=np.float32)
            self._masks[filter_key] = mask  # most recently used last
            while len(self._masks) > KEPT_MASKS:
                self._masks.pop(next(iter(self._masks)))
        query_tokens = tokenize([query])
        if not mask.any() or not query_tokens.vocab:
            return []
        hits, scores = self._bm25.retrieve(query_tokens, k=min(k, len(self._passages)), weight_mask=mask,
                                           show_progress=False, n_threads=1)
        return [(self._passages[int(i)]["id"], float(s)) for i, s in zip(hits[0], scores[0]) if s > 0]

    def matched_share(self, query: str, passage_ids: list[str]) -> list[float]:
        """For each passage, the share of the question's term weight (IDF) that the passage holds.

        A question typed with the documents' own words has a best BM25 passage holding nearly all of it; a
        paraphrase matches only its common words there. Terms absent from the index count with the highest IDF.
        """
        self._load_if_changed()
        asked = set(terms(query))
        if self._bm25 is None or not asked:
            return [0.0 for _ in passage_ids]
        scores, vocabulary = self._bm25.scores, self._bm25.vocab_dict
        total, pointers = int(scores["num_docs"]), scores["indptr"]
        rows = np.array([self._rows.get(pid, -1) for pid in passage_ids], dtype=np.int64)
        weight, held = 0.0, np.zeros(len(passage_ids))
        for term in asked:
            column = vocabulary.get(term, len(pointers))
            holders = scores["indices"][pointers[column]:pointers[column + 1]] if column + 1 < len(pointers) else []
            idf = float(np.log(1 + (total - len(holders) + 0.5) / (len(holders) + 0.5)))
            weight += idf
            held += idf * np.isin(rows, holders)
        return (held / weight).tolist()

    def _load_if_changed(self) -> None:
        # The web chat keeps answering while `assistant index` rebuilds: reload when the files change.
        marker = self.directory / PASSAGES_FILE
        if not marker.is_file() or marker.stat().st_mtime == self._loaded_mtime:
            return
        self._passages = json.loads(marker.read_text(encoding="utf-8"))
        self._rows = {passage["id"]: row for row, passage in enumerate(self._passages)}
        with self._masks_lock:
            self._masks.clear()
        self._bm25 = bm25s.BM25.load(str(self.directory), show_progress=False) if self._passages else None
        self._loaded_mtime = marker.stat().st_mtime
