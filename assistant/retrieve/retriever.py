"""A LangChain ``BaseRetriever`` over the passage store, with metadata filters applied inside the search."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from assistant.index.store import PassageStore


@dataclass(frozen=True)
class SearchFilters:
    """Restrictions on what may be retrieved; confidentiality levels are enforced here, not in the page."""

    confidentiality: tuple[str, ...] = ("public", "interne")
    doc_types: tuple[str, ...] = ()

    def to_where(self) -> dict[str, Any]:
        """As a Chroma ``where`` clause."""
        clauses: list[dict[str, Any]] = [{"confidentiality": {"$in": list(self.confidentiality)}}]
        if self.doc_types:
            clauses.append({"doc_type": {"$in": list(self.doc_types)}})
        return clauses[0] if len(clauses) == 1 else {"$and": clauses}


class PassageRetriever(BaseRetriever):
    """Dense retrieval of passages; each returned document carries its cosine score in ``metadata['score']``."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    store: PassageStore
    embeddings: Embeddings
    k: int = 5
    filters: SearchFilters = SearchFilters()

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        vector = self.embeddings.embed_query(query)
        return [passage.to_document(score)
                for passage, score in self.store.search(vector, self.k, self.filters.to_where())]
