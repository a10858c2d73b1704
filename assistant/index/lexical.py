"""The lexical (BM25) side of the index: French stemming, stop words and accent folding, kept beside Chroma."""

from __future__ import annotations

import functools
import json
import logging
import os
import shutil
import threading
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

from assistant.french import analyse

if TYPE_CHECKING:  # both are imported when BM25 is first built or read: `assistant status` needs neither
    import bm25s
    import numpy as np

PASSAGES_FILE = "passages.json"
GENERATION_FILE = "generation"
KEPT_MASKS = 32  # filters whose passage mask is kept (4 bytes a passage each)
# The metadata that search filters read: passages alike on these are allowed or refused together (every field
# ``SearchFilters.matches`` reads: without ``doc_id`` and ``actors``, a restriction to one document or actor found
# its twins of the same level, type, region and year, or nothing).
FILTERED_FIELDS = ("confidentiality", "doc_type", "regions", "year", "actors", "doc_id")


def _kind(passage: dict[str, Any]) -> tuple[Any, ...]:
    """What the search filters can tell apart in a passage's metadata."""
    values = (passage.get(name) for name in FILTERED_FIELDS)
    return tuple(tuple(value) if isinstance(value, list) else value for value in values)


@functools.cache
def _bm25s() -> ModuleType:
    """bm25s, imported at its first use (and its logger quietened once: setting a level clears every logger's cache,
    1.3 ms a question when it was done at each call)."""
    import bm25s

    # bm25s sets its own logger to DEBUG on import, which prints a line at each rebuild under the CLI's logging.
    logging.getLogger("bm25s").setLevel(logging.WARNING)
    return bm25s


def terms(text: str) -> list[str]:
    """The text's terms as the index sees them: stop words and elisions dropped, stemmed, accents folded."""
    return _bm25s().tokenize([text], stopwords="fr", stemmer=analyse, return_ids=False, show_progress=False)[0]


def tokenize(texts: list[str]) -> Any:
    """Lower case, French stop words and elisions (« l'entente » → « entente »), stems."""
    return _bm25s().tokenize(texts, stopwords="fr", stemmer=analyse, show_progress=False)


@dataclass(frozen=True)
class AllowedPassages:
    """The passages a filter lets through, among those the index holds; a passage it does not know is not allowed."""

    mask: np.ndarray  # over every passage of the index, 1.0 where allowed
    positions: dict[str, int]
    ids: list[str]
    generation: int | None  # the index state these passages are from (the manifest's generation)

    @property
    def count(self) -> int:
        """How many passages the filter lets through."""
        import numpy as np

        return int(np.count_nonzero(self.mask))

    @property
    def total(self) -> int:
        """How many passages the index holds."""
        return len(self.ids)

    def __contains__(self, passage_id: str) -> bool:
        position = self.positions.get(passage_id)
        return position is not None and bool(self.mask[position])

    def listed(self) -> list[str]:
        """Ids of the allowed passages."""
        import numpy as np

        return [self.ids[i] for i in np.flatnonzero(self.mask)]


class LexicalIndex:
    """BM25 over every passage of the store, rebuilt as a whole at the end of each indexing run."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._bm25: bm25s.BM25 | None = None
        self._passages: list[dict[str, Any]] = []
        self._ids: list[str] = []
        self._generation: int | None = None
        self._positions: dict[str, int] = {}  # passage id → its place in ``_passages``
        self._kinds: list[dict[str, Any]] = []  # one passage of each kind (the same filtered fields)
        self._kind_of: np.ndarray | None = None  # each passage's kind, once loaded
        self._masks: dict[Hashable, np.ndarray] = {}  # the filters' masks over the passages, least recently used first
        self._masks_lock = threading.Lock()
        self._loaded_mtime = 0.0

    def rebuild(self, ids: list[str], texts: list[str], metadatas: list[dict[str, Any]], generation: int) -> None:
        """Index these passages (the index's state ``generation``) in a new folder, then point the index at it.

        ``lexical`` is a symbolic link replaced in one rename, so a reader finds the old files or the new ones,
        never none; the previous folder is kept until the next rebuild for a reader still loading it.
        """
        bm25s = _bm25s()
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
        return built_generation(self.directory)

    def search(self, query: str, k: int, allowed: Callable[[dict[str, Any]], bool],
               filter_key: Hashable, added_terms: Sequence[str] = ()) -> list[tuple[str, float]]:
        """Ids and BM25 scores of the best passages among those the filter allows (applied inside the search);
        ``filter_key`` names the filter, whose mask over every passage is kept for the next questions;
        ``added_terms`` (index terms, stemmed) are searched with the question's."""
        self._load_if_changed()
        if self._bm25 is None or not self._passages:
            return []
        mask = self._mask(allowed, filter_key)
        query_tokens = tokenize([query])
        if not mask.any() or not query_tokens.vocab:
            return []
        if added_terms:  # the index's own terms, searched beside the question's (``feedback_terms``)
            known = self._bm25.vocab_dict
            query_tokens = [[term for term in [*terms(query), *added_terms] if term in known]]
        hits, scores = self._bm25.retrieve(query_tokens, k=min(k, len(self._passages)), weight_mask=mask,
                                           show_progress=False, n_threads=1)
        return [(self._passages[int(i)]["id"], float(s)) for i, s in zip(hits[0], scores[0]) if s > 0]

    def allowed(self, allowed: Callable[[dict[str, Any]], bool], filter_key: Hashable) -> AllowedPassages:
        """The passages of the index that the filter lets through, from the metadata kept here in memory, so that
        the vector side can filter Chroma's neighbours without asking Chroma to filter (docs/performance.md)."""
        import numpy as np

        self._load_if_changed()
        if not self._passages:
            return AllowedPassages(np.zeros(0, dtype=np.float32), {}, [], self._generation)
        return AllowedPassages(self._mask(allowed, filter_key), self._positions, self._ids, self._generation)

    def _mask(self, allowed: Callable[[dict[str, Any]], bool], filter_key: Hashable) -> np.ndarray:
        import numpy as np

        with self._masks_lock:  # the web chat searches from several threads
            mask = self._masks.pop(filter_key, None)
            if mask is None:  # one call per kind of passage (not per passage: 35 ms at 100,000 passages)
                mask = np.array([allowed(p) for p in self._kinds], dtype=np.float32)[self._kind_of]
            self._masks[filter_key] = mask  # most recently used last
            while len(self._masks) > KEPT_MASKS:
                self._masks.pop(next(iter(self._masks)))
        return mask

    def matched_share(self, query: str, passage_ids: list[str]) -> list[float]:
        """For each passage, the share of the question's term weight (IDF) that the passage holds.

        A question typed with the documents' own words has a best BM25 passage holding nearly all of it; a
        paraphrase matches only its common words there. Terms absent from the index count with the highest IDF.
        """
        import numpy as np

        self._load_if_changed()
        asked = set(terms(query))
        if self._bm25 is None or not asked:
            return [0.0 for _ in passage_ids]
        rows = np.array([self._positions.get(pid, -1) for pid in passage_ids], dtype=np.int64)
        weight, held = 0.0, np.zeros(len(passage_ids))
        for term in sorted(asked):  # in one order: the float sum is the same in every process
            holders = self._holders(term)
            idf = self._idf(len(holders))
            weight += idf
            held += idf * np.isin(rows, holders)
        return (held / weight).tolist()

    def feedback_terms(self, query: str, texts: list[str], count: int) -> list[str]:
        """The ``count`` index terms that best stand for these passages (the first ones found, best first) and that
        the question lacks: pseudo-relevance feedback (RM3-like). A term weighs its share of each passage's terms,
        divided by the passage's rank, times its IDF, so that the first passage's rare words lead."""
        from collections import Counter

        self._load_if_changed()
        if self._bm25 is None or count <= 0:
            return []
        asked = set(terms(query))
        weights: Counter[str] = Counter()
        for rank, text in enumerate(texts, start=1):
            found = [term for term in terms(text) if term not in asked and len(term) > 2]
            for term, times in Counter(found).items():
                weights[term] += times / len(found) / rank
        known = self._bm25.vocab_dict
        weighted = {term: weight * self._idf(len(self._holders(term))) for term, weight in weights.items()
                    if term in known}
        return sorted(weighted, key=lambda term: (-weighted[term], term))[:count]

    def _holders(self, term: str) -> Any:
        """The rows of the passages that hold a term (none for a term the index lacks)."""
        assert self._bm25 is not None
        scores, pointers = self._bm25.scores, self._bm25.scores["indptr"]
        column = self._bm25.vocab_dict.get(term, len(pointers))
        return scores["indices"][pointers[column]:pointers[column + 1]] if column + 1 < len(pointers) else []

    def _idf(self, holders: int) -> float:
        """BM25's IDF of a term that this many passages hold."""
        import math

        assert self._bm25 is not None
        total = int(self._bm25.scores["num_docs"])
        return math.log(1 + (total - holders + 0.5) / (holders + 0.5))

    def _load_if_changed(self) -> None:
        # The web chat keeps answering while `assistant index` rebuilds: reload when the files change.
        import numpy as np

        bm25s = _bm25s()
        marker = self.directory / PASSAGES_FILE
        if not marker.is_file() or marker.stat().st_mtime == self._loaded_mtime:
            return
        folder = self.directory.resolve()  # one build's files, even if a rebuild switches the link meanwhile
        self._passages = json.loads((folder / PASSAGES_FILE).read_text(encoding="utf-8"))
        self._generation = built_generation(folder)
        self._ids = [passage["id"] for passage in self._passages]
        self._positions = {pid: position for position, pid in enumerate(self._ids)}
        kinds: dict[tuple[Any, ...], int] = {}
        kind_of = np.array([kinds.setdefault(_kind(passage), len(kinds)) for passage in self._passages],
                           dtype=np.int32)
        with self._masks_lock:
            self._kinds = [self._passages[int(first)] for first in np.unique(kind_of, return_index=True)[1]]
            self._kind_of = kind_of
            self._masks.clear()
        self._bm25 = bm25s.BM25.load(str(folder), show_progress=False) if self._passages else None
        self._loaded_mtime = marker.stat().st_mtime


def built_generation(directory: Path) -> int | None:
    """The index state the BM25 files in this folder were built from (None before the first build)."""
    marker = directory / GENERATION_FILE
    return int(marker.read_text(encoding="utf-8")) if marker.is_file() else None
