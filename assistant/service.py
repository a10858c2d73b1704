"""The ``Assistant`` service: the whole product's API. The web chat, the CLI, the evaluation, the bench scripts and
the tests reach the product only through it and the types of ``models.py``; per-call options (``top_k``, ``mode``,
``filters``, ``history``, the answer step's settings) never change the shared settings.

The stages and their heavy libraries (Chroma, LangChain, llama.cpp, torch, bm25s, the document readers) are imported
where they are first needed, so that ``assistant --help`` and ``assistant status`` start in a fraction of a second.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import asdict, replace
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from assistant.access import AccessPolicy
from assistant.conversations import ConversationStore
from assistant.errors import UnreadableDocument
from assistant.feedback import Feedback, FeedbackStore, Rating
from assistant.models import (Answer, ComparisonRow, DocumentInfo, Exchange, ExcerptResult, IndexProgress, IndexReport,
                              Passage, SearchFilters, Source, SourceDocument)
from assistant.settings import LLMSettings, RetrievalSettings, Settings

if TYPE_CHECKING:
    from langchain_core.embeddings import Embeddings
    from langchain_core.language_models import BaseChatModel
    from langchain_core.runnables import Runnable

    from assistant.index.chroma_buffers import PassageStore
    from assistant.index.lexical import LexicalIndex
    from assistant.index.manifest import Manifest
    from assistant.ingest.ocr import PageOcr
    from assistant.retrieve.retriever import PassageRetriever, Reranker

SearchMode = Literal["hybrid", "dense", "lexical"]
# A scoped search (``stream``'s ``scope``) reads this many times the passages it keeps, so that enough remain.
SCOPE_DEPTH = 3


class Assistant:
    """Index the corpus, search it and answer questions with cited sources; models are loaded once, lazily."""

    def __init__(self, settings: Settings | None = None, *, embeddings: Embeddings | None = None,
                 chat_model: BaseChatModel | None = None) -> None:
        self.settings = settings or Settings()
        self._embeddings = embeddings
        self._chat_model = chat_model
        self._load_lock = threading.Lock()

    @cached_property
    def embeddings(self) -> Embeddings:
        """The embedder of the settings (or the one given)."""
        from assistant.index.embeddings import make_embeddings

        with self._load_lock:
            return self._embeddings or make_embeddings(self.settings.embedding)

    @cached_property
    def chat_model(self) -> BaseChatModel | None:
        """The chat model of the settings (or the one given); None for the extractive backend, which needs none."""
        from assistant.answer.llm import make_chat_model

        with self._load_lock:
            if self._chat_model is None and self.settings.llm.backend == "extractive":
                return None
            return self._chat_model or make_chat_model(self.settings.llm)

    @cached_property
    def store(self) -> PassageStore:
        """The passage store: the index folder, and Chroma embedded in it or on the server of the settings."""
        from assistant.index.chroma_buffers import PassageStore
        return PassageStore(self.settings.index_dir, self.settings.chroma, self.settings.chroma_dir,
                            self.settings.collection, self.settings.embedding.name)

    @cached_property
    def page_ocr(self) -> PageOcr | None:
        """Reads scanned PDF pages (from the cache the indexer filled)."""
        from assistant.ingest.ocr import page_ocr

        return page_ocr(self.settings)

    @cached_property
    def lexical(self) -> LexicalIndex:
        """The BM25 side of the index."""
        from assistant.index.lexical import LexicalIndex

        return LexicalIndex(self.settings.lexical_dir)

    @cached_property
    def reranker(self) -> Reranker | None:
        """The cross-encoder the settings name (a local folder), or None."""
        if not self.settings.retrieval.reranker_model:
            return None
        from sentence_transformers import CrossEncoder

        return CrossEncoder(self.settings.retrieval.reranker_model)

    @cached_property
    def answer_chain(self) -> Runnable[dict[str, str], str] | None:
        """Prompt, chat model and parser, as one LCEL chain; None without a chat model (extractive backend). Used
        only when the answer is written by the model (``llm.answer_from = "model"``)."""
        from assistant.answer.chain import build_answer_chain

        return build_answer_chain(self.settings.prompts_dir, self.chat_model) if self.chat_model else None

    @cached_property
    def rewrite_chain(self) -> Runnable[dict[str, str], str] | None:
        """The chain that makes a follow-up question standalone, when the settings ask the model to."""
        from assistant.answer.rewrite import rewrite_chain

        if not (self.settings.llm.rewrite_with_model and self.chat_model):
            return None
        return rewrite_chain(self.settings.prompts_dir, self.chat_model)

    def load_models(self) -> None:
        """Load the embedder and the chat model now rather than at the first question, and have a local model
        read its system prompt once."""
        from assistant.answer.chain import warm_up

        _ = self.embeddings
        if not self._answers_with_model() and not self.rewrite_chain:
            return  # answers are made from the evidence: no chat model to load
        if self._chat_model is None and self.settings.llm.backend == "local":
            warm_up(self.settings.prompts_dir, self.chat_model)

    def index(self, progress: IndexProgress | None = None, *, dry_run: bool = False,
              rebuild: bool = False) -> IndexReport:
        """Bring the index in step with the corpus folder; ``dry_run`` only says what would change."""
        from assistant.index.indexer import index_corpus

        return index_corpus(self.settings, self.store, self.lexical, lambda: self.embeddings,
                            self.settings.embedding.name, progress, dry_run=dry_run, rebuild=rebuild)

    def manifest(self) -> Manifest:
        """What the index holds (read without opening Chroma)."""
        from assistant.index.manifest import Manifest

        return Manifest.load(self.settings.index_dir)

    def run_in_progress(self) -> dict[str, object] | None:
        """The marker an indexing run leaves while it changes the index (pid, start), or None."""
        from assistant.index.manifest import run_in_progress

        return run_in_progress(self.settings.index_dir)

    def lexical_in_step(self) -> bool:
        """Whether the BM25 files were built from the index's current state."""
        from assistant.index.lexical import built_generation

        return built_generation(self.settings.lexical_dir) == self.manifest().generation

    def retriever(self, filters: SearchFilters | None = None, *, top_k: int | None = None,
                  mode: SearchMode | None = None, wide: bool = False, synthesis: bool = False,
                  per_document: int | None = None) -> PassageRetriever:
        """A LangChain retriever over the index, restricted by the filters; ``top_k``, ``mode`` and ``per_document``
        (most passages of one document) override the settings for this retriever only; ``wide``: more passages, and
        more of one document (``retrieval.wide_top_k``, ``wide_per_document``); ``synthesis``: more still
        (``synthesis_top_k``, ``synthesis_per_document``)."""
        from assistant.retrieve.retriever import PassageRetriever

        return PassageRetriever(store=self.store, lexical=self.lexical, embeddings=self.embeddings,
                                settings=self._retrieval_settings(top_k, mode, wide, synthesis, per_document),
                                filters=filters or SearchFilters(), reranker=self.reranker)

    def _retrieval_settings(self, top_k: int | None, mode: SearchMode | None, wide: bool,
                            synthesis: bool = False, per_document: int | None = None) -> RetrievalSettings:
        settings = self.settings.retrieval
        changes: dict[str, Any] = {}
        if wide or synthesis:
            top, per_document = ((settings.synthesis_top_k, settings.synthesis_per_document) if synthesis
                                 else (settings.wide_top_k, settings.wide_per_document))
            changes = {"top_k": max(settings.top_k, top),
                       "max_per_document": max(settings.max_per_document, per_document)}
        asked = (("top_k", top_k), ("mode", mode), ("max_per_document", per_document))
        changes |= {name: value for name, value in asked if value is not None}
        return settings.model_copy(update=changes) if changes else settings

    def search(self, question: str, filters: SearchFilters | None = None, *, top_k: int | None = None,
               mode: SearchMode | None = None, wide: bool = False, synthesis: bool = False,
               per_document: int | None = None) -> list[Source]:
        """The numbered passages that may answer a question (``top_k`` of them, by ``mode``: the settings' by
        default; ``wide``, ``synthesis``, ``per_document``: see ``retriever``)."""
        from assistant.answer.citations import number_sources
        from assistant.retrieve.retriever import scored_passage

        with self._reading_index():
            documents = self.retriever(filters, top_k=top_k, mode=mode, wide=wide, synthesis=synthesis,
                                       per_document=per_document).invoke(question)
        return number_sources([scored_passage(document) for document in documents])

    def _reading_index(self) -> AbstractContextManager[None]:
        """Tell a full disk or an unwritable index folder in French (Chroma writes even to open an index)."""
        from assistant.index.disk_errors import storage_errors_explained

        return storage_errors_explained(self.settings.index_dir, "La recherche n'a pas pu ouvrir l'index",
                                        "L'index lui-même n'a pas été modifié.")

    def stream(self, question: str, filters: SearchFilters | None = None, history: list[Exchange] | None = None,
               *, top_k: int | None = None, mode: SearchMode | None = None,
               answer_settings: LLMSettings | None = None,
               scope: Callable[[Passage], bool] | None = None) -> Iterator[Answer]:
        """The answer as it is written: each item is the whole answer so far, its finished sentences checked
        against their sources; the last item is ``complete``.

        ``history`` (earlier turns, oldest first) makes a follow-up question standalone before the search;
        ``Answer.search_query`` shows how it was rewritten. ``top_k`` and ``mode`` change the search of this call,
        ``answer_settings`` its answer step (checks, refusals; backend ``extractive`` answers without the model).
        ``scope`` keeps only the passages it accepts (a comparison row: those about its region), searched deeper so
        that as many remain.
        An empty or overlong question raises ``InvalidQuestion``; a model server that fails, ``ModelUnavailable``.
        """
        from assistant.answer.bilingual import searched
        from assistant.answer.language import question_language
        from assistant.answer.llm import model_errors_explained
        from assistant.answer.rewrite import said_before
        from assistant.answer.superlative import superlative_asked
        from assistant.answer.synthesis import is_synthesis
        from assistant.answer.writer import write_answer

        question = self.check_question(question)
        with model_errors_explained(self.settings.llm):
            search_query, model_question = self._questions(question, history or [])
        said = said_before(self._turns(question, history or []))
        # The answer needs the one row, clause or sentence that gives it, often the third or sixth passage of its
        # document: every question is searched wide (``retrieval.wide_top_k``); a synthesis question, whose points
        # lie in several passages of a section, wider still.
        synthesis = is_synthesis(question)
        written = self._as_written(question)  # what a question that is no follow-up searches
        sources = self._scoped_search(search_query, filters, top_k, mode, scope, synthesis)
        if synthesis and sources:
            sources = self._read_deeper(search_query, filters, mode, scope, sources)
        elif sources and search_query == written:
            sources = self._asked_document_search(written, filters, mode, scope, sources)
        elif sources and search_query == searched(written):
            sources = self._french_terms_search(written, filters, scope, sources)
        if sources and superlative_asked(question):
            sources = self._whole_tables(sources, filters, scope)
        draft = Answer(question, "", sources, search_query=search_query, language=question_language(question))
        # The service's chat model answers (a model given to it answers even under the extractive backend), unless
        # this call's settings ask for the extractive backend or for answers made from the evidence.
        answering = answer_settings or self.settings.llm
        extractive = answer_settings is not None and answer_settings.backend == "extractive"
        chain = None if extractive or answering.answer_from == "evidence" else self.answer_chain
        with model_errors_explained(self.settings.llm):
            yield from write_answer(draft, model_question, answering, self.settings.prompts_dir, chain,
                                    self.embeddings, said)

    def _scoped_search(self, query: str, filters: SearchFilters | None, top_k: int | None, mode: SearchMode | None,
                       scope: Callable[[Passage], bool] | None, synthesis: bool = False) -> list[Source]:
        """The answer step's ``search`` (wide), keeping only the passages ``scope`` accepts (renumbered), as many as
        an unscoped search."""
        if scope is None:
            return self.search(query, filters, top_k=top_k, mode=mode, wide=True, synthesis=synthesis)
        from assistant.answer.citations import number_sources

        wanted = top_k or self._retrieval_settings(None, None, True, synthesis).top_k
        found = self.search(query, filters, top_k=wanted * SCOPE_DEPTH, mode=mode, wide=True, synthesis=synthesis)
        return number_sources([(s.passage, s.scores, s.focus) for s in found if scope(s.passage)][:wanted])

    def _read_deeper(self, query: str, filters: SearchFilters | None, mode: SearchMode | None,
                     scope: Callable[[Passage], bool] | None, found: list[Source]) -> list[Source]:
        """A synthesis question's first document read deeper: the passages found, then those of the document of the
        first that stand under a section title naming what the question asks (``names_theme``: an interview's
        « Difficultés », a chapter's « Leçons »), among the ``retrieval.synthesis_document_depth`` of it the search
        ranks first (and that ``scope`` accepts), renumbered. The points lie in that section of the document the
        question names, which a search of every document seldom brings back whole."""
        from assistant.answer.citations import number_sources
        from assistant.answer.synthesis import asked_interview, names_theme

        depth = self.settings.retrieval.synthesis_document_depth
        if not depth:
            return found
        asked = asked_interview(query, [source.passage for source in found]) or found[0].passage.info.doc_id
        document = replace(filters or SearchFilters(), documents=(asked,))
        known = {source.passage.id for source in found}
        more = [source for source in self.search(query, document, top_k=depth, mode=mode, per_document=depth)
                if source.passage.id not in known and names_theme(query, source.passage)
                and (scope is None or scope(source.passage))]
        return number_sources([(s.passage, s.scores, s.focus) for s in found + more])

    def _asked_document_search(self, question: str, filters: SearchFilters | None, mode: SearchMode | None,
                               scope: Callable[[Passage], bool] | None, found: list[Source]) -> list[Source]:
        """The passages found, then those of searches for what the question asks apart, renumbered: for a question
        with a premise whose ask names a kind of document (« Le rapport présente… L'entente de l'Estrie a-t-elle
        été signée avant ou après ? »), the best ``ASKED_DOCUMENT_PASSAGES`` of that kind for the ask alone
        (``premise.asked_document``); for a question asking two things, the best ``PART_PASSAGES`` for each part,
        in the kind of document it names if it names one (``parts.part_searches``)."""
        from assistant.answer.bridge import BRIDGE_PASSAGES, answering_first, bridged_ask
        from assistant.answer.parts import PART_PASSAGES, part_searches
        from assistant.answer.premise import ASKED_DOCUMENT_PASSAGES, asked_document, named_document

        filters = filters or SearchFilters()
        kinds = {document.doc_type for document in self.manifest().documents.values()}
        kinds = kinds & set(filters.doc_types) if filters.doc_types else kinds
        searches = [(*asked_document(question, kinds), ASKED_DOCUMENT_PASSAGES, False)]
        searches += [(query, kind, PART_PASSAGES, False) for query, kind in part_searches(question, kinds)]
        # A person or place the question describes, named by a passage found: the ask with that name (``bridge.py``),
        # its passages that answer it first (the second hop answers from them).
        bridged = bridged_ask(question, found, self.embeddings, self.settings.llm.extractive_min_relevance)
        searches += [(bridged[0], named_document(bridged[0], kinds), BRIDGE_PASSAGES, True)] if bridged else []
        more: list[Source] = []
        for query, kind, wanted, answering in searches:
            if not query:
                continue
            known = {source.passage.id for source in found + more}
            searched = replace(filters, doc_types=(kind,)) if kind else filters
            new = [source for source in self._scoped_search(query, searched, None, mode, scope)
                   if source.passage.id not in known]
            more += (answering_first(query, new) if answering else new)[:wanted]
        return _then(found, more)

    def _whole_tables(self, found: list[Source], filters: SearchFilters | None,
                      scope: Callable[[Passage], bool] | None) -> list[Source]:
        """The passages found, then the other rows of the tables whose rows they hold (up to
        ``superlative.TABLE_REACH`` rows away, of the same table: ``superlative.table_of``), renumbered: « le taux le plus
        élevé » is read in every row of its table, which a search brings back only in part."""
        from assistant.answer.superlative import TABLE_REACH, table_of

        rows = {(match[1], int(match[2])): table_of(source.passage) for source in found
                if (match := _TABLE_ROW.fullmatch(source.passage.id)) and source.passage.context}
        wanted = {f"{prefix}-t{n:04d}" for prefix, number in rows
                  for n in range(max(0, number - TABLE_REACH), number + TABLE_REACH + 1)}
        known = {source.passage.id for source in found}
        stored = self.store.get(sorted(wanted - known)) if wanted - known else {}
        tables = set(rows.values())
        more = [Source(0, passage) for _, passage in sorted(stored.items())
                if table_of(passage) in tables and (scope is None or scope(passage))
                and (filters is None or filters.matches(passage.to_metadata()))]
        return _then(found, more)

    def _french_terms_search(self, question: str, filters: SearchFilters | None,
                             scope: Callable[[Passage], bool] | None, found: list[Source]) -> list[Source]:
        """The passages found for an English question, then the best ``FRENCH_TERMS_PASSAGES`` that BM25 finds for
        its French terms alone (``bilingual.french_terms``), renumbered: the search's fusion weighs BM25 by the
        share of the question's words its best passage holds, and an English question's own words are none of the
        documents', so a passage that holds its French terms may rank below the wide search's cut."""
        from assistant.answer.bilingual import FRENCH_TERMS_PASSAGES, french_terms

        known = {source.passage.id for source in found}
        more = [source for source in self._scoped_search(french_terms(question), filters, None, "lexical", scope)
                if source.passage.id not in known][:FRENCH_TERMS_PASSAGES]
        return _then(found, more)

    def compare(self, question: str, regions: tuple[str, ...], filters: SearchFilters | None = None, *,
                answer_settings: LLMSettings | None = None) -> Iterator[ComparisonRow]:
        """One row per region, as each is ready: the question answered as ``stream`` answers it with that region as
        a filter, citing only passages about that region; a region whose documents say nothing gets a refused row
        (« Rien dans le corpus pour cette région. »). Empty ``regions``: every region of the documents the filters'
        levels let through."""
        from assistant.research import compare_regions

        yield from compare_regions(self, question, regions, filters or SearchFilters(), answer_settings)

    def excerpts(self, theme: str, filters: SearchFilters | None = None, *, actors: tuple[str, ...] = (),
                 limit: int | None = None) -> ExcerptResult:
        """The passages that address a theme, deduplicated and ranked, each with its best sentence marked; no model
        writes anything. ``actors`` keeps the interviews of these actor types only."""
        from assistant.research import gather_excerpts

        return gather_excerpts(self, theme, filters or SearchFilters(), actors, limit)

    def _answers_with_model(self) -> bool:
        """Whether the settings' answers are written by a chat model (not made from the evidence itself)."""
        return self.settings.llm.answer_from == "model" and self.answer_chain is not None

    def _questions(self, question: str, history: list[Exchange]) -> tuple[str, str]:
        """What is searched (a follow-up made standalone) and what the model reads (a follow-up after the question
        it follows, unless the model rewrote it)."""
        from assistant.answer.bilingual import searched
        from assistant.answer.rewrite import question_in_context, rewrite_question

        question = self._as_written(question)
        turns = self._turns(question, history)
        search_query = rewrite_question(question, turns, self.rewrite_chain)
        model_question = search_query if self.rewrite_chain else question_in_context(question, turns)
        return searched(search_query), model_question

    @staticmethod
    def _as_written(question: str) -> str:
        """The question in the documents' words, as it is searched and read: a fiscal year named by its days as
        that fiscal year, a town's gentilé as the town (« l'organisme jérômien »: « l'organisme de Saint-Jérôme »)."""
        from assistant.answer.constraints import fiscal_year_by_day, towns_by_demonym

        return towns_by_demonym(fiscal_year_by_day(question))

    def _turns(self, question: str, history: list[Exchange]) -> list[Exchange]:
        """The earlier turns a question is read with (the settings' last few; none for a self-contained question)."""
        from assistant.answer.rewrite import relevant_history

        turns = history[-self.settings.llm.history_turns:] if self.settings.llm.history_turns else []
        return relevant_history(question, turns)

    def search_query(self, question: str, history: list[Exchange] | None = None) -> str:
        """What ``stream`` searches for a question: the question, or a follow-up made standalone with ``history``."""
        from assistant.answer.llm import model_errors_explained

        with model_errors_explained(self.settings.llm):
            return self._questions(question, history or [])[0]

    def check_question(self, question: str) -> str:
        """The question cleaned of invisible characters; ``InvalidQuestion`` (French message) when it is empty or
        too long."""
        from assistant.answer.question import clean_question

        return clean_question(question, self.settings.max_question_chars)

    def ask(self, question: str, filters: SearchFilters | None = None, history: list[Exchange] | None = None,
            *, top_k: int | None = None, mode: SearchMode | None = None,
            answer_settings: LLMSettings | None = None) -> Answer:
        """The finished answer (options as for ``stream``)."""
        answer = Answer(question, "")
        for answer in self.stream(question, filters, history, top_k=top_k, mode=mode,
                                  answer_settings=answer_settings):
            pass
        return answer

    def answer_from(self, question: str, sources: list[Source], model_text: str | None, *,
                    history: list[Exchange] | None = None, answer_settings: LLMSettings | None = None) -> Answer:
        """The answer the chat would show had the search found ``sources`` and the model written ``model_text``
        (None: the extractive backend's answer on them), refused and checked as ``stream`` does: to calibrate the
        checks on recorded answers without running the model again."""
        from assistant.answer.language import question_language
        from assistant.answer.rewrite import said_before
        from assistant.answer.writer import RecordedText, write_answer

        search_query, model_question = self._questions(question, history or [])
        draft = Answer(question, "", sources, search_query=search_query, language=question_language(question))
        answer = draft
        for answer in write_answer(draft, model_question, answer_settings or self.settings.llm,
                                   self.settings.prompts_dir, None if model_text is None else RecordedText(model_text),
                                   self.embeddings, said_before(self._turns(question, history or []))):
            pass
        return answer

    @cached_property
    def access(self) -> AccessPolicy:
        """Users, roles and the confidentiality levels each may search (the settings' users file)."""
        return AccessPolicy.from_settings(self.settings.web)

    @cached_property
    def feedback(self) -> FeedbackStore:
        """Ratings and comments on answers."""
        return FeedbackStore(self.settings.web.feedback_db)

    @cached_property
    def conversations(self) -> ConversationStore:
        """Conversations kept per user (per browser when login is off)."""
        return ConversationStore(self.settings.web.conversations_db)

    def filters_for(self, user: str | None, *, doc_types: tuple[str, ...] = (), regions: tuple[str, ...] = (),
                    year_from: int | None = None, year_to: int | None = None,
                    documents: tuple[str, ...] = (), actors: tuple[str, ...] = ()) -> SearchFilters:
        """Search filters for a user: the confidentiality levels come from their role (or the open levels when
        login is off), never from the request; a restriction to named documents narrows them, never widens them."""
        return SearchFilters(self.access.levels_for(user), tuple(doc_types), tuple(regions), year_from, year_to,
                             documents=tuple(documents), actors=tuple(actors))

    def indexed_documents(self, levels: tuple[str, ...]) -> dict[str, DocumentInfo]:
        """Metadata of the indexed documents of the given confidentiality levels, by ``doc_id``."""
        with self._reading_index():
            return self.store.documents(SearchFilters(confidentiality=levels).to_where())

    def passage(self, passage_id: str) -> Passage | None:
        """An indexed passage by id, as a search gives it (the sentences its edges cut completed: the citation
        stands for that text); None once its document has been reindexed or removed."""
        from assistant.retrieve.retriever import neighbour_ids, whole_sentences

        passage = self.store.get([passage_id]).get(passage_id)
        return whole_sentences(passage, self.store.get(neighbour_ids([passage]))) if passage else None

    def corpus_path(self, stored: str) -> Path:
        """The file in the corpus folder that a stored path names (a name that is not UTF-8 is stored escaped)."""
        from assistant.ingest.names import corpus_file

        return corpus_file(self.settings.corpus_dir, stored)

    def read_document(self, info: DocumentInfo) -> SourceDocument:
        """An indexed document read again from the corpus, page by page, exactly as the indexer reads it."""
        from assistant.ingest.readers import JSONL_SUFFIX, read_document, read_jsonl

        path = self.corpus_path(info.path)
        if path.suffix.lower() != JSONL_SUFFIX:
            return read_document(path, self.settings.corpus_dir, self.page_ocr)
        for document in read_jsonl(path, self.settings.corpus_dir)[0]:
            if document.info.doc_id == info.doc_id:
                return document
        raise UnreadableDocument(f"« {info.doc_id} » n'est plus dans {info.path}")

    def read_corpus(self) -> Iterator[SourceDocument]:
        """Every readable document of the corpus folder, read as the indexer reads it; unreadable files are skipped
        (``assistant index`` reports them)."""
        from assistant.index.plan import corpus_files
        from assistant.ingest.readers import JSONL_SUFFIX, read_document, read_jsonl

        corpus = self.settings.corpus_dir
        for path in corpus_files(corpus):
            try:
                yield from (read_jsonl(path, corpus)[0] if path.suffix.lower() == JSONL_SUFFIX
                            else [read_document(path, corpus)])
            except UnreadableDocument:
                continue

    def record_feedback(self, answer: Answer, rating: Rating, filters: SearchFilters, *, conversation_id: str,
                        turn: int, user: str | None = None, comment: str = "") -> int:
        """Store a rating of an answer with the sources shown, the support check of each sentence and the settings
        that produced it; return its id."""
        return self.feedback.record(Feedback(
            conversation_id, turn, rating, answer.question, answer.text,
            [source_record(source) for source in answer.shown_sources], self.settings_snapshot(filters),
            [asdict(check) for check in answer.checks], user or "", self.access.role_of(user), comment))

    def settings_snapshot(self, filters: SearchFilters) -> dict[str, Any]:
        """What produced an answer: filters, retrieval settings, models (never the API key)."""
        llm = self.settings.llm
        return {"filters": asdict(filters), "retrieval": self.settings.retrieval.model_dump(mode="json"),
                "embedder": self.settings.embedding.name,
                "llm": {"backend": llm.backend, "model": llm.model if llm.backend == "openai" else llm.gguf_path,
                        "class": type(self.chat_model).__name__ if self._answers_with_model() else "extractive",
                        "answer_from": "model" if self._answers_with_model() else "evidence",
                        "temperature": llm.temperature}}


# A table row's passage id: its document's prefix, « -t », its number (``chunking``).
_TABLE_ROW = re.compile(r"(.+)-t(\d{4})")


def _then(found: list[Source], more: list[Source]) -> list[Source]:
    """The passages found, then more of them, renumbered in that order (the found ones as they are when none)."""
    from assistant.answer.citations import number_sources

    return number_sources([(s.passage, s.scores, s.focus) for s in found + more]) if more else found


def source_record(source: Source) -> dict[str, Any]:
    """A source as feedback keeps it."""
    passage = source.passage
    return {"number": source.number, "title": passage.info.title, "path": passage.info.path,
            "page": passage.page_label or passage.page, "passage_id": passage.id, "text": passage.text,
            "score": source.scores.fused}
