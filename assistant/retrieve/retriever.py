"""A LangChain ``BaseRetriever`` over the index: vectors and BM25 fused, filters applied inside both searches."""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace
from typing import Protocol, runtime_checkable

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from assistant.french import split_sentences
from assistant.index.chroma_buffers import PassageStore
from assistant.index.lexical import LexicalIndex
from assistant.ingest.readers import MARKDOWN_HEADING
from assistant.models import Passage, PassageScores, SearchFilters
from assistant.passage_layout import record_card, runs_in, wrapped_lines
from assistant.settings import RetrievalSettings

UNFILTERED_FETCH = 2  # at least this many times the candidates, the vector side fetches before filtering them itself
FETCH_MARGIN = 1.5  # and this many times what the allowed share of the passages should give
MAX_UNFILTERED_FETCH = 2000  # beyond it, a search among the allowed ids is cheaper (docs/performance.md)
FETCH_STEP = 3  # fused passages read from the store at a time, in multiples of top_k (see _first_passages)
FEEDBACK_PASSAGES = 3  # the first fused passages whose words a paraphrase's BM25 search borrows (_fed_back)
CARD_PASSAGES = 4  # an interview's record card is read in its first passages (the first may hold only its title)
COMPLETION_CHARS = 400  # the longest part of a cut sentence read in the passage before or after (whole_sentences)
# The metadata keys of a returned document's scores: fused, cosine, BM25.
_SCORE_KEYS = ("score", "dense_score", "lexical_score")


@runtime_checkable
class Reranker(Protocol):
    """What reorders the fused passages: a sentence-transformers ``CrossEncoder`` or anything with its ``predict``."""

    def predict(self, pairs: list[tuple[str, str]]) -> Sequence[float]:
        """One relevance score per (question, passage text) pair, higher is better."""
        ...


class PassageRetriever(BaseRetriever):
    """Hybrid retrieval of passages; each document carries its fused score in ``metadata['score']``."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    store: PassageStore
    lexical: LexicalIndex
    embeddings: Embeddings
    settings: RetrievalSettings = RetrievalSettings()
    filters: SearchFilters = SearchFilters()
    reranker: Reranker | None = None  # a cross-encoder, when the settings name one

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        rankings: list[tuple[float, list[str]]] = []
        dense_scores: dict[str, float] = {}
        best_share = 1.0
        lexical_scores: dict[str, float] = {}
        if self.settings.mode in ("hybrid", "dense"):
            dense = self._nearest_allowed(self.embeddings.embed_query(query))
            dense_scores = dict(dense)
            rankings.append((self.settings.dense_weight, [pid for pid, _ in dense]))
        if self.settings.mode in ("hybrid", "lexical"):
            lexical = self.lexical.search(query, self.settings.candidates, self.filters.matches, self.filters)
            best_share = self.lexical.matched_share(query, [lexical[0][0]])[0] if lexical else 0.0
            rankings.append((lexical_weight(self.settings, best_share), [pid for pid, _ in lexical]))
            lexical_scores = dict(lexical)
        fused = reciprocal_rank_fusion(rankings, self.settings.rrf_k)
        if len(rankings) == 2 and best_share < self.settings.feedback_below_share:
            fused = self._fed_back(query, rankings, fused)
        if self.reranker is not None:
            ranked, focus = self._read_in_passages(self._fetch_allowed(fused[:self.settings.rerank_candidates]))
            scores = self.reranker.predict([(query, passage.text) for passage, _ in ranked])
            ranked = sorted(zip((p for p, _ in ranked), map(float, scores)), key=lambda pair: pair[1], reverse=True)
            selected = cap_per_document(ranked, self.settings.max_per_document)[:self.settings.top_k]
        else:
            selected, focus = self._first_passages(fused)
        around = self.store.get(neighbour_ids([passage for passage, _ in selected]))
        selected = [(whole_sentences(passage, around), score) for passage, score in selected]
        selected = self._with_furniture(self._with_cards(self._with_leads(selected, around)))
        # Each side's own score (cosine, BM25), uncalibrated by the fusion: the answer step's refusal reads them.
        return [passage_document(passage, PassageScores(score, dense_scores.get(passage.id, 0.0),
                                                        lexical_scores.get(passage.id, 0.0)), focus.get(passage.id))
                for passage, score in selected]

    def _fed_back(self, query: str, rankings: list[tuple[float, list[str]]],
                  fused: list[tuple[str, float]]) -> list[tuple[str, float]]:
        """The fusion again, BM25 searching the question with the rarest words of the first passages found
        (``LexicalIndex.feedback_terms``): a paraphrase shares few words with its passage, but the passages the
        vectors bring first often stand beside it and hold the document's own words for what the question
        describes (docs/answers.md, session 14). BM25's scores stay the question's own: the refusal reads them."""
        first = [pid for pid, _ in fused[:FEEDBACK_PASSAGES]]
        found = self.store.get(first)
        added = self.lexical.feedback_terms(query, [found[pid].text for pid in first if pid in found],
                                            self.settings.feedback_terms)
        if not added:
            return fused
        lexical = self.lexical.search(query, self.settings.candidates, self.filters.matches, self.filters, added)
        (dense_weight, dense), (weight, _) = rankings
        return reciprocal_rank_fusion([(dense_weight, dense), (weight, [pid for pid, _ in lexical])],
                                      self.settings.rrf_k)

    def _first_passages(self, fused: list[tuple[str, float]]
                        ) -> tuple[list[tuple[Passage, float]], dict[str, tuple[int, int]]]:
        """The first ``top_k`` passages of the fused ranking, at most ``max_per_document`` of a document, and their
        windows' offsets. The store is read a few passages at a time, in rank order, until they are found: reading
        every candidate (up to 100) cost about 11 ms of CPU a question, the first 15 about 2.5 ms."""
        wanted, step = self.settings.top_k, max(1, self.settings.top_k * FETCH_STEP)
        units: list[tuple[Passage, float]] = []
        selected: list[tuple[Passage, float]] = []
        focus: dict[str, tuple[int, int]] = {}
        for start in range(0, len(fused), step):
            units += self._fetch_allowed(fused[start:start + step])
            ranked, focus = self._read_in_passages(units)
            selected = cap_per_document(ranked, self.settings.max_per_document)[:wanted]
            if len(selected) == wanted:
                break
        return selected, focus

    def _with_leads(self, selected: list[tuple[Passage, float]],
                    around: dict[str, Passage]) -> list[tuple[Passage, float]]:
        """Each passage with the last paragraph of the passage before it in its document (``Passage.lead``, read
        in ``around``: ``neighbour_ids``), when both stand under the same titles: a chunk that starts a new
        paragraph often leaves the name of what it speaks of in the paragraph before (« Logis-Relais offre 16
        places… » then « Les premiers résidents… »)."""
        with_leads = []
        for passage, score in selected:
            before = around.get(_neighbour_id(passage.id, -1))
            if before is not None and _last_title(before) == passage.section.split(" — ")[-1]:
                passage = replace(passage, lead=_last_paragraph(before, passage))
            with_leads.append((passage, score))
        return with_leads

    def _with_cards(self, selected: list[tuple[Passage, float]]) -> list[tuple[Passage, float]]:
        """Each interview passage with its document's record card (``Passage.card``), read in the document's
        first passage: an interview names where and with whom it was held only there (« Lieu : …, à
        Plessisville »), and each of its answers is about that place and person."""
        # ids: ``<prefix>-<n>``, a table row's ``<prefix>-t<n>``; the card may open the second passage, when the
        # first holds only the title and a note, and run over the next ones.
        openings = {passage.id: [f"{passage.id.rsplit('-', 1)[0]}-{n:05d}" for n in range(CARD_PASSAGES)]
                    for passage, _ in selected if passage.info.doc_type == "entretien"}
        found = self.store.get(sorted({pid for ids in openings.values() for pid in ids})) if openings else {}
        cards = {pid: record_card("\n".join(found[opening].text for opening in ids if opening in found))
                 for pid, ids in openings.items()}
        return [(replace(passage, card=cards[passage.id]) if cards.get(passage.id) else passage, score)
                for passage, score in selected]

    def _with_furniture(self, selected: list[tuple[Passage, float]]) -> list[tuple[Passage, float]]:
        """Each passage with the runs of words it shares with most documents of the index (``Passage.furniture``:
        a disclaimer, a footer), which the answer step quotes as no evidence."""
        repeated = self.store.furniture_runs()
        return [(replace(passage, furniture=runs) if (runs := runs_in(passage.text, repeated)) else passage, score)
                for passage, score in selected]

    def _fetch_allowed(self, fused: list[tuple[str, float]]) -> list[tuple[Passage, float]]:
        """The stored passages of these ranked ids, in order, with their scores. Checked again on the metadata
        Chroma stores: a passage the filters refuse never leaves the search."""
        found = self.store.get([pid for pid, _ in fused])
        return [(found[pid], score) for pid, score in fused
                if pid in found and self.filters.matches(found[pid].to_metadata())]

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

    def _nearest_allowed(self, vector: list[float]) -> list[tuple[str, float]]:
        """Ids and cosine similarities of the passages nearest to the vector among those the filters allow.

        The filters are applied here, to Chroma's ids, with the passages' metadata that the index keeps in memory:
        Chroma's own metadata filter costs in proportion to the passages it lets through (160 ms at 100,000
        passages for a region). Chroma is asked for enough neighbours that the allowed share of them should
        fill the candidates; when it does not (or when so few passages are allowed that asking for so many would
        cost more), the search runs again among the allowed passages' ids alone. Either way no passage the filters
        refuse is ever a candidate (docs/performance.md). When the metadata in memory is not that of the buffer
        that answers (a run died after rebuilding BM25, before its commit), the filter goes to Chroma.
        """
        wanted = self.settings.candidates
        allowed = self.lexical.allowed(self.filters.matches, self.filters)
        if allowed.generation != self.store.generation:  # a run died between switching BM25 and its commit
            return self.store.nearest(vector, wanted, where=self.filters.to_where())
        if not allowed.count:
            return []
        fetch = max(wanted * UNFILTERED_FETCH, math.ceil(wanted * FETCH_MARGIN * allowed.total / allowed.count))
        if fetch <= MAX_UNFILTERED_FETCH or allowed.count == allowed.total:
            nearest = self.store.nearest(vector, fetch)
            kept = [(pid, score) for pid, score in nearest if pid in allowed]
            if len(kept) >= wanted or len(nearest) < fetch:  # enough, or every passage seen
                return kept[:wanted]
        return self.store.nearest(vector, wanted, among=allowed.listed())


def passage_document(passage: Passage, scores: PassageScores, focus: tuple[int, int] | None = None) -> Document:
    """A passage as the LangChain document the retriever returns: its metadata, its scores under ``_SCORE_KEYS``
    and the page offsets of the sentence window that found it, if one did (the only place they are written)."""
    metadata = {**passage.to_metadata(), **dict(zip(_SCORE_KEYS, (scores.fused, scores.dense, scores.lexical)))}
    if focus is not None:
        metadata["focus_start"], metadata["focus_end"] = focus
    return Document(page_content=passage.text, id=passage.id, metadata=metadata)


def scored_passage(document: Document) -> tuple[Passage, PassageScores, tuple[int, int] | None]:
    """Back from a document the retriever returned: the passage, its scores and its window's offsets (the only
    place they are read)."""
    scores = PassageScores(*(float(document.metadata.get(key, 0.0)) for key in _SCORE_KEYS))
    metadata = document.metadata
    focus = (metadata["focus_start"], metadata["focus_end"]) if "focus_start" in metadata else None
    return Passage.from_metadata(document.id or "", document.page_content, metadata), scores, focus


_PASSAGE_NUMBER = re.compile(r"(.+)-(\d{5})")
# A sentence ends at « . ! ? » (not after an initial: « A. »), with the « » » or « ) » that closes it; a list's item
# at the line where the next one starts (as ``answer.context.passage_sentences`` reads them).
_SENTENCE_END = re.compile(r"(?<!\b[A-ZÀ-Þ])[.!?…](?:\s*[»)])?(?=\s|$)|(?=\n(?:[-•*]|\d{1,2}[.)])\s)")
# A passage that ends so needs nothing after it (« : » and « ; » announce or end a list's item).
_ENDS_WHOLE = re.compile(r"(?<!\b[A-ZÀ-Þ])[.!?…:;](?:\s*[»)])?\s*$")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")


def _neighbour_id(passage_id: str, step: int) -> str:
    """The id of the passage ``step`` places after this one in its document (ids are ``<prefix>-<n>`` in reading
    order: ``chunking``); "" for the first passage's previous one, a table row or a window, which have none."""
    match = _PASSAGE_NUMBER.fullmatch(passage_id)
    return f"{match[1]}-{int(match[2]) + step:05d}" if match and int(match[2]) + step >= 0 else ""


def neighbour_ids(passages: list[Passage]) -> list[str]:
    """The ids of the passages just before and just after these in their documents."""
    return sorted({pid for passage in passages for step in (-1, 1) if (pid := _neighbour_id(passage.id, step))})


def whole_sentences(passage: Passage, around: dict[str, Passage]) -> Passage:
    """The passage with the sentence its end cuts completed from the passage after it on the same page, and the
    sentence its start cuts from the passage before (``around``: passages by id), its offsets widened to match:
    the chunker cuts at a line or a comma when a sentence does not fit, and the words after the cut are often the
    answer (« …selon le seul nombre de personnes à faible » / « revenu »). Still one stretch of one page, so a
    citation of it holds every word shown from it. A part longer than ``COMPLETION_CHARS``, or across a
    paragraph's end, is no sentence's (a table, a list): left out."""
    before, after = around.get(_neighbour_id(passage.id, -1)), around.get(_neighbour_id(passage.id, 1))
    head = _start_of_sentence(passage, before) if before is not None else ""
    tail = _rest_of_sentence(passage, after) if after is not None else ""
    if not head and not tail:
        return passage
    return replace(passage, text=f"{head}{passage.text}{tail}", start=passage.start - len(head),
                   end=passage.end + len(tail))


def _rest_of_sentence(passage: Passage, after: Passage) -> str:
    """The page's text from the passage's end to the end of the sentence it cuts, read in the passage after it;
    "" when it ends a sentence, or a title or a table's row (``wrapped_lines``), or no sentence end comes soon."""
    if after.page != passage.page or not after.start <= passage.end < after.end or _ENDS_WHOLE.search(passage.text):
        return ""
    rest = after.text[passage.end - after.start:][:COMPLETION_CHARS]
    end = _SENTENCE_END.search(rest)
    if end is None or _PARAGRAPH_BREAK.search(rest[:end.start()]):
        return ""
    last_line = passage.text[passage.text.rfind("\n") + 1:]
    return rest[:end.end()] if wrapped_lines(last_line + rest[:end.start()]) else ""


def _start_of_sentence(passage: Passage, before: Passage) -> str:
    """The page's text from the start of the sentence the passage's start cuts to the passage's start, read in the
    passage before it; "" when it starts a sentence, or a line after a title or a table's row, or no sentence end
    comes soon enough before it."""
    if before.page != passage.page or not before.start < passage.start <= before.end:
        return ""
    head = before.text[:passage.start - before.start]
    if (not head.strip() or _PARAGRAPH_BREAK.search(head[len(head.rstrip()):]) or _ENDS_WHOLE.search(head)
            or _SENTENCE_END.match(f"\n{passage.text}")):
        return ""
    near = head[-COMPLETION_CHARS:]
    starts = [match.end() for pattern in (_SENTENCE_END, _PARAGRAPH_BREAK) for match in pattern.finditer(near)]
    starts += [0] if before.start == 0 and near == head else []  # the page's first sentence
    if not starts:
        return ""
    start = max(starts) + len(near[max(starts):]) - len(near[max(starts):].lstrip())
    first_line = passage.text.split("\n", 1)[0]
    return near[start:] if wrapped_lines(near[start:] + first_line) else ""


def _last_title(passage: Passage) -> str:
    """The title the end of a passage stands under: its last Markdown heading (read as ingestion reads it into
    ``Passage.section``), or the section it starts in."""
    headings = [" ".join(match.group(2).split()) for match in MARKDOWN_HEADING.finditer(passage.text)]
    return headings[-1] if headings else passage.section.split(" — ")[-1]


def _last_paragraph(before: Passage, passage: Passage) -> str:
    """The last paragraph of ``before`` that ``passage`` does not repeat (neighbouring passages overlap); its last
    two sentences when its text marks no paragraphs (a PDF page's lines)."""
    text = before.text
    if before.page == passage.page and before.end > passage.start:
        text = text[:max(0, len(text) - (before.end - passage.start))]
    paragraphs = [part.strip() for part in re.split(r"\n[ \t]*\n", text) if part.strip()]
    if len(paragraphs) > 1:
        return paragraphs[-1]
    return " ".join(split_sentences(text)[-2:])


def cap_per_document(ranked: list[tuple[Passage, float]], cap: int) -> list[tuple[Passage, float]]:
    """Keep at most ``cap`` passages of each document, so that one long document does not fill every slot."""
    kept: dict[str, int] = defaultdict(int)
    capped = []
    for passage, score in ranked:
        if kept[passage.info.doc_id] < cap:
            kept[passage.info.doc_id] += 1
            capped.append((passage, score))
    return capped


def lexical_weight(settings: RetrievalSettings, best_share: float) -> float:
    """BM25's weight in the fusion for one question, from the share of the question's term weight (IDF) that
    BM25's best passage holds: the full weight when it holds all of it (the question uses the documents' words),
    less and less as it holds less (a paraphrase, where BM25's first passages match only common words).
    ``lexical_match_power`` 0 gives every question the same weight."""
    return settings.lexical_weight * best_share ** settings.lexical_match_power


def reciprocal_rank_fusion(rankings: list[tuple[float, list[str]]], k: int) -> list[tuple[str, float]]:
    """Weighted reciprocal rank fusion: each list adds ``weight / (k + rank)`` to its items; best first."""
    scores: dict[str, float] = defaultdict(float)
    for weight, ranking in rankings:
        for rank, item in enumerate(ranking, start=1):
            scores[item] += weight / (k + rank)
    return sorted(scores.items(), key=lambda pair: pair[1], reverse=True)
