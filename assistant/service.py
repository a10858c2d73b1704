"""The ``Assistant`` service: the whole product's API, shared by the web chat, the CLI and the tests."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager
from dataclasses import asdict
from functools import cached_property
from typing import Any

from langchain_core.embeddings import Embeddings
from langchain_core.language_models import BaseChatModel
from langchain_core.runnables import Runnable

from assistant.access import AccessPolicy
from assistant.answer.chain import build_answer_chain, number_sources, warm_up
from assistant.answer.citations import cited_sources
from assistant.answer.constraints import conversation_constraints
from assistant.answer.language import question_language
from assistant.answer.llm import make_chat_model, model_errors_explained
from assistant.answer.question import clean_question
from assistant.answer.rewrite import question_in_context, relevant_history, rewrite_chain, rewrite_question
from assistant.answer.writer import write_answer
from assistant.feedback import Feedback, FeedbackStore, Rating
from assistant.index.embeddings import embedder_name, make_embeddings
from assistant.index.indexer import IndexProgress, IndexReport, index_corpus
from assistant.index.lexical import LexicalIndex
from assistant.index.manifest import Manifest
from assistant.index.chroma_buffers import PassageStore
from assistant.index.disk_errors import storage_errors_explained
from assistant.ingest.names import corpus_file
from assistant.ingest.ocr import PageOcr, page_ocr
from assistant.ingest.readers import JSONL_SUFFIX, UnreadableDocument, read_document, read_jsonl
from assistant.models import Answer, DocumentInfo, Exchange, Passage, Source, SourceDocument
from assistant.retrieve.retriever import PassageRetriever, SearchFilters
from assistant.settings import Settings


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
        with self._load_lock:
            return self._embeddings or make_embeddings(self.settings.embedding)

    @cached_property
    def chat_model(self) -> BaseChatModel | None:
        """The chat model of the settings (or the one given); None for the extractive backend, which needs none."""
        with self._load_lock:
            if self._chat_model is None and self.settings.llm.backend == "extractive":
                return None
            return self._chat_model or make_chat_model(self.settings.llm)

    @cached_property
    def store(self) -> PassageStore:
        """The passage store: the index folder, and Chroma embedded in it or on the server of the settings."""
        return PassageStore(self.settings.index_dir, self.settings.chroma, self.settings.chroma_dir,
                            self.settings.collection, embedder_name(self.settings.embedding))

    @cached_property
    def page_ocr(self) -> PageOcr | None:
        """Reads scanned PDF pages (from the cache the indexer filled)."""
        return page_ocr(self.settings)

    @cached_property
    def lexical(self) -> LexicalIndex:
        """The BM25 side of the index."""
        return LexicalIndex(self.settings.lexical_dir)

    @cached_property
    def reranker(self) -> Any:
        """The cross-encoder the settings name (a local folder), or None."""
        if not self.settings.retrieval.reranker_model:
            return None
        from sentence_transformers import CrossEncoder

        return CrossEncoder(self.settings.retrieval.reranker_model)

    @cached_property
    def answer_chain(self) -> Runnable[dict[str, str], str] | None:
        """Prompt, chat model and parser, as one LCEL chain; None when answers are made from the evidence itself
        (``llm.answer_from``) or there is no chat model (extractive backend)."""
        if self.settings.llm.answer_from == "evidence":
            return None
        return build_answer_chain(self.settings.prompts_dir, self.chat_model) if self.chat_model else None

    @cached_property
    def rewrite_chain(self) -> Runnable[dict[str, str], str] | None:
        """The chain that makes a follow-up question standalone, when the settings ask the model to."""
        if not (self.settings.llm.rewrite_with_model and self.chat_model):
            return None
        return rewrite_chain(self.settings.prompts_dir, self.chat_model)

    def load_models(self) -> None:
        """Load the embedder and the chat model now rather than at the first question, and have a local model
        read its system prompt once."""
        _ = self.embeddings
        if self.answer_chain is None and not self.rewrite_chain:
            return  # answers are made from the evidence: no chat model to load
        if self._chat_model is None and self.settings.llm.backend == "local":
            warm_up(self.settings.prompts_dir, self.chat_model)

    def index(self, progress: IndexProgress | None = None, *, dry_run: bool = False,
              rebuild: bool = False) -> IndexReport:
        """Bring the index in step with the corpus folder; ``dry_run`` only says what would change."""
        return index_corpus(self.settings, self.store, self.lexical, lambda: self.embeddings,
                            embedder_name(self.settings.embedding), progress, dry_run=dry_run, rebuild=rebuild)

    def manifest(self) -> Manifest:
        """What the index holds."""
        return Manifest.load(self.settings.index_dir)

    def retriever(self, filters: SearchFilters | None = None, *, top_k: int | None = None,
                  wide: bool = False) -> PassageRetriever:
        """A LangChain retriever over the index, restricted by the filters; ``top_k`` overrides the settings' for
        this retriever only; ``wide``: more passages, and more of one document (``retrieval.wide_top_k``,
        ``wide_per_document``)."""
        settings = self.settings.retrieval
        if wide:
            settings = settings.model_copy(update={"top_k": max(settings.top_k, settings.wide_top_k),
                                                   "max_per_document": max(settings.max_per_document,
                                                                           settings.wide_per_document)})
        if top_k is not None:
            settings = settings.model_copy(update={"top_k": top_k})
        return PassageRetriever(store=self.store, lexical=self.lexical, embeddings=self.embeddings,
                                settings=settings, filters=filters or SearchFilters(), reranker=self.reranker)

    def search(self, question: str, filters: SearchFilters | None = None, *, top_k: int | None = None,
               wide: bool = False) -> list[Source]:
        """The numbered passages that may answer a question: the settings' ``top_k`` of them, or ``top_k``
        (``wide``: see ``retriever``)."""
        with self._reading_index():
            return number_sources(self.retriever(filters, top_k=top_k, wide=wide).invoke(question))

    def _reading_index(self) -> AbstractContextManager[None]:
        """Tell a full disk or an unwritable index folder in French (Chroma writes even to open an index)."""
        return storage_errors_explained(self.settings.index_dir, "La recherche n'a pas pu ouvrir l'index",
                                        "L'index lui-même n'a pas été modifié.")

    def stream(self, question: str, filters: SearchFilters | None = None,
               history: list[Exchange] | None = None) -> Iterator[Answer]:
        """The answer as it is written: each item is the whole answer so far, its finished sentences checked
        against their sources; the last item is ``complete``. ``history`` (earlier turns, oldest first) makes a
        follow-up question standalone before the search; ``Answer.search_query`` shows how it was rewritten.
        An empty or overlong question raises ``InvalidQuestion``; a model server that fails, ``ModelUnavailable``."""
        question = self.check_question(question)
        turns = relevant_history(question, self.recent_turns(history))
        with model_errors_explained(self.settings.llm):
            query = rewrite_question(question, turns, self.rewrite_chain)
        asked = query if self.rewrite_chain else question_in_context(question, turns)
        # A question that pins a year or an item down needs the one row or clause that gives it: the table of an
        # agreement is often the third passage of its document, so such a question is searched wider.
        wide = conversation_constraints(question, asked).pins
        draft = Answer(question, "", self.search(query, filters, wide=wide), search_query=query,
                       language=question_language(question))
        with model_errors_explained(self.settings.llm):
            yield from write_answer(draft, asked, self.settings.llm, self.settings.prompts_dir, self.answer_chain,
                                    self.embeddings)

    def recent_turns(self, history: list[Exchange] | None) -> list[Exchange]:
        """The earlier turns a follow-up is read with (``llm.history_turns`` of them, the latest)."""
        return (history or [])[-self.settings.llm.history_turns:] if self.settings.llm.history_turns else []

    def search_query(self, question: str, history: list[Exchange] | None = None) -> str:
        """What ``stream`` searches for a question: the question, or a follow-up made standalone with ``history``."""
        with model_errors_explained(self.settings.llm):
            return rewrite_question(question, relevant_history(question, self.recent_turns(history)),
                                    self.rewrite_chain)

    def check_question(self, question: str) -> str:
        """The question cleaned of invisible characters; ``InvalidQuestion`` (French message) when it is empty or
        too long."""
        return clean_question(question, self.settings.max_question_chars)

    def ask(self, question: str, filters: SearchFilters | None = None,
            history: list[Exchange] | None = None) -> Answer:
        """The finished answer."""
        answer = Answer(question, "")
        for answer in self.stream(question, filters, history):
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

    def filters_for(self, user: str | None, *, doc_types: tuple[str, ...] = (), regions: tuple[str, ...] = (),
                    year_from: int | None = None, year_to: int | None = None) -> SearchFilters:
        """Search filters for a user: the confidentiality levels come from their role (or the open levels when
        login is off), never from the request."""
        return SearchFilters(self.access.levels_for(user), tuple(doc_types), tuple(regions), year_from, year_to)

    def indexed_documents(self, levels: tuple[str, ...]) -> dict[str, DocumentInfo]:
        """Metadata of the indexed documents of the given confidentiality levels, by ``doc_id``."""
        with self._reading_index():
            result = self.store.collection.get(where={"confidentiality": {"$in": list(levels)}},
                                               include=["metadatas"])
        documents: dict[str, DocumentInfo] = {}
        for passage_id, metadata in zip(result["ids"], result["metadatas"]):
            info = Passage.from_metadata(passage_id, "", metadata).info
            documents.setdefault(info.doc_id, info)
        return documents

    def passage(self, passage_id: str) -> Passage | None:
        """An indexed passage by id (None once its document has been reindexed or removed)."""
        return self.store.get([passage_id]).get(passage_id)

    def read_document(self, info: DocumentInfo) -> SourceDocument:
        """An indexed document read again from the corpus, page by page, exactly as the indexer reads it."""
        path = corpus_file(self.settings.corpus_dir, info.path)
        if path.suffix.lower() != JSONL_SUFFIX:
            return read_document(path, self.settings.corpus_dir, self.page_ocr)
        for document in read_jsonl(path, self.settings.corpus_dir)[0]:
            if document.info.doc_id == info.doc_id:
                return document
        raise UnreadableDocument(f"« {info.doc_id} » n'est plus dans {info.path}")

    def record_feedback(self, answer: Answer, rating: Rating, filters: SearchFilters, *, conversation_id: str,
                        turn: int, user: str | None = None, comment: str = "") -> int:
        """Store a rating of an answer with the sources shown, the support check of each sentence and the settings
        that produced it; return its id."""
        return self.feedback.record(Feedback(
            conversation_id, turn, rating, answer.question, answer.text,
            [source_record(source) for source in shown_sources(answer)], self.settings_snapshot(filters),
            [asdict(check) for check in answer.checks], user or "", self.access.role_of(user), comment))

    def settings_snapshot(self, filters: SearchFilters) -> dict[str, Any]:
        """What produced an answer: filters, retrieval settings, models (never the API key)."""
        llm = self.settings.llm
        return {"filters": asdict(filters), "retrieval": self.settings.retrieval.model_dump(mode="json"),
                "embedder": embedder_name(self.settings.embedding),
                "llm": {"backend": llm.backend, "model": llm.model if llm.backend == "openai" else llm.gguf_path,
                        "class": type(self.chat_model).__name__ if self.answer_chain else "extractive",
                        "answer_from": llm.answer_from if self.answer_chain else "evidence",
                        "temperature": llm.temperature}}


def shown_sources(answer: Answer) -> list[Source]:
    """The sources shown with an answer: those it cites, or, when it cites none, every passage found."""
    return cited_sources(answer.sources, answer.cited_numbers) or answer.sources


def source_record(source: Source) -> dict[str, Any]:
    """A source as feedback keeps it."""
    passage = source.passage
    return {"number": source.number, "title": passage.info.title, "path": passage.info.path,
            "page": passage.page_label or passage.page, "passage_id": passage.id, "text": passage.text,
            "score": source.score}
