"""A LangChain ``BaseRetriever`` over the index: vectors and BM25 fused, filters applied inside both searches."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from assistant.index.lexical import LexicalIndex
from assistant.index.chroma_buffers import PassageStore
from assistant.models import Passage
from assistant.settings import RetrievalSettings


UNFILTERED_FETCH = 2  # how many times the candidates the vector side fetches before filtering them itself


@dataclass(frozen=True)
class SearchFilters:
    """Restrictions applied inside the search; confidentiality levels are enforced here, not in the page.

    Empty tuples and ``None`` years mean "no restriction"; a document without regions or date is excluded as soon
    as a region or a year is asked for.
    """

    confidentiality: tuple[str, ...] = ("public", "interne")
    doc_types: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    year_from: int | None = None
    year_to: int | None = None

    def to_where(self) -> dict[str, Any]:
        """As a Chroma ``where`` clause."""
        clauses: list[dict[str, Any]] = [{"confidentiality": {"$in": list(self.confidentiality)}}]
        if self.doc_types:
            clauses.append({"doc_type": {"$in": list(self.doc_types)}})
        if self.regions:
            by_region = [{"regions": {"$contains": region}} for region in self.regions]
            clauses.append(by_region[0] if len(by_region) == 1 else {"$or": by_region})
        if self.year_from is not None:
            clauses.append({"year": {"$gte": self.year_from}})
        if self.year_to is not None:
            clauses.append({"year": {"$lte": self.year_to}})
        return clauses[0] if len(clauses) == 1 else {"$and": clauses}

    def matches(self, metadata: dict[str, Any]) -> bool:
        """The same rule as ``to_where``, for the lexical side."""
        year = metadata.get("year") or 0
        return (metadata.get("confidentiality") in self.confidentiality
                and (not self.doc_types or metadata.get("doc_type") in self.doc_types)
                and (not self.regions or bool(set(self.regions) & set(metadata.get("regions") or ())))
                and (self.year_from is None or year >= self.year_from)
                and (self.year_to is None or (0 < year <= self.year_to)))


class PassageRetriever(BaseRetriever):
    """Hybrid retrieval of passages; each document carries its fused score in ``metadata['score']``."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    store: PassageStore
    lexical: LexicalIndex
    embeddings: Embeddings
    settings: RetrievalSettings = RetrievalSettings()
    filters: SearchFilters = SearchFilters()
    reranker: Any = None  # a sentence_transformers.CrossEncoder, when the settings name one

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        rankings: list[tuple[float, list[str]]] = []
        found = {}
        side_scores: dict[str, dict[str, float]] = {"dense_score": {}, "lexical_score": {}}
        if self.settings.mode in ("hybrid", "dense"):
            dense = self._nearest_allowed(self.embeddings.embed_query(query))
            found.update({passage.id: passage for passage, _ in dense})
            side_scores["dense_score"] = {passage.id: score for passage, score in dense}
            rankings.append((self.settings.dense_weight, [passage.id for passage, _ in dense]))
        if self.settings.mode in ("hybrid", "lexical"):
            lexical = self.lexical.search(query, self.settings.candidates, self.filters.matches, self.filters)
            rankings.append((self.settings.lexical_weight, [pid for pid, _ in lexical]))
            side_scores["lexical_score"] = dict(lexical)
        fused = reciprocal_rank_fusion(rankings, self.settings.rrf_k)
        if self.reranker is not None:
            fused = fused[:self.settings.rerank_candidates]
        found.update(self.store.get([pid for pid, _ in fused if pid not in found]))
        ranked, focus = self._read_in_passages([(found[pid], score) for pid, score in fused if pid in found])
        if self.reranker is not None:
            scores = self.reranker.predict([(query, passage.text) for passage, _ in ranked])
            ranked = sorted(zip((p for p, _ in ranked), map(float, scores)), key=lambda pair: pair[1], reverse=True)
        selected = cap_per_document(ranked, self.settings.max_per_document)[:self.settings.top_k]
        documents = [passage.to_document(score) for passage, score in selected]
        # Each side's own score (cosine, BM25), uncalibrated by the fusion: the answer step's refusal reads them.
        for document in documents:
            document.metadata.update({name: scores.get(document.id or "", 0.0) for name, scores in side_scores.items()})
            if document.id in focus:
                document.metadata["focus_start"], document.metadata["focus_end"] = focus[document.id]
        if self.settings.neighbours:
            self._add_neighbouring_context(documents, [passage for passage, _ in selected])
        return documents

    def _read_in_passages(self, ranked: list[tuple[Passage, float]]
                          ) -> tuple[list[tuple[Passage, float]], dict[str, tuple[int, int]]]:
        """Each sentence window replaced by the passage it is read in, each passage once, at its best rank; and,
        by passage id, the page offsets of the window that brought it."""
        parents = self.store.get(sorted({unit.parent for unit, _ in ranked if unit.parent}))
        read: list[tuple[Passage, float]] = []
        focus: dict[str, tuple[int, int]] = {}
        seen: set[str] = set()
        for unit, score in ranked:
            passage = parents.get(unit.parent) if unit.parent else unit
            if passage is None or passage.id in seen:
                continue
            seen.add(passage.id)
            read.append((passage, score))
            if unit.parent:
                focus[passage.id] = (unit.start, unit.end)
        return read, focus

    def _nearest_allowed(self, vector: list[float]) -> list[tuple[Passage, float]]:
        """The passages nearest to the vector among those the filters allow.

        Chroma prepares a metadata filter by listing every passage it lets through: a filter that lets most of them
        through (the default confidentiality levels) costs about 4 ms per 1,000 passages (450 ms at 100,000).
        The nearest passages are fetched unfiltered first, twice as many as needed, and filtered here; only when
        too few of them pass is the filter given to Chroma.
        """
        wanted = self.settings.candidates
        nearest = self.store.search(vector, wanted * UNFILTERED_FETCH, None)
        allowed = [(passage, score) for passage, score in nearest if self.filters.matches(passage.to_metadata())]
        if len(allowed) >= wanted or len(nearest) < wanted * UNFILTERED_FETCH:  # enough, or every passage seen
            return allowed[:wanted]
        return self.store.search(vector, wanted, self.filters.to_where())

    def _add_neighbouring_context(self, documents: list[Document], passages: list[Passage]) -> None:
        """Put the text just before and after each passage (same page) in ``context_before``/``context_after``."""
        wanted = {p.id: neighbour_ids(p.id, self.settings.neighbours) for p in passages}
        found = self.store.get(sorted({i for ids in wanted.values() for i in ids}))
        for document, passage in zip(documents, passages):
            around = [found[i] for i in wanted[passage.id] if i in found and found[i].page == passage.page]
            before = [n for n in around if n.start < passage.start]
            after = [n for n in around if n.end > passage.end]
            document.metadata["context_before"] = merge_spans(before, until=passage.start)
            document.metadata["context_after"] = merge_spans(after, since=passage.end)


def neighbour_ids(passage_id: str, distance: int) -> list[str]:
    """Ids of the passages cut just before and after one (ids are ``<document hash>-<n>``)."""
    prefix, _, number = passage_id.rpartition("-")
    if not number.isdigit():
        return []
    n = int(number)
    return [f"{prefix}-{m:05d}" for m in range(n - distance, n + distance + 1) if m >= 0 and m != n]


def merge_spans(passages: list[Passage], until: int | None = None, since: int | None = None) -> str:
    """The page text that overlapping passages cover, clipped to end at offset ``until`` or start at ``since``."""
    if not passages:
        return ""
    ordered = sorted(passages, key=lambda p: p.start)
    first = end = ordered[0].start
    text = ""
    for passage in ordered:
        if passage.start > end:  # the splitter dropped the whitespace between two passages
            text += " " * (passage.start - end)
        text += passage.text[max(0, end - passage.start):]
        end = max(end, passage.end)
    if until is not None:  # up to the passage, whitespace gap included
        text = text[:max(0, until - first)].ljust(max(0, until - first))
    if since is not None:  # from the end of the passage, whitespace gap included
        text = " " * max(0, first - since) + text[max(0, since - first):]
    return text


def cap_per_document(ranked: list[tuple[Passage, float]], cap: int) -> list[tuple[Passage, float]]:
    """Keep at most ``cap`` passages of each document, so that one long document does not fill every slot."""
    kept: dict[str, int] = defaultdict(int)
    capped = []
    for passage, score in ranked:
        if kept[passage.info.doc_id] < cap:
            kept[passage.info.doc_id] += 1
            capped.append((passage, score))
    return capped


def reciprocal_rank_fusion(rankings: list[tuple[float, list[str]]], k: int) -> list[tuple[str, float]]:
    """Weighted reciprocal rank fusion: each list adds ``weight / (k + rank)`` to its items; best first."""
    scores: dict[str, float] = defaultdict(float)
    for weight, ranking in rankings:
        for rank, item in enumerate(ranking, start=1):
            scores[item] += weight / (k + rank)
    return sorted(scores.items(), key=lambda pair: pair[1], reverse=True)
