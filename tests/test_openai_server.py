"""Answers written by a real OpenAI-compatible server (llama-cpp-python's own, serving SmolLM2 on a loopback port)
stream, cite their sources and refuse as with the local model; a server that stops answering gives a French message."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.answer.llm import make_chat_model
from assistant.answer.refusal import NOT_FOUND
from assistant.cli import main
from assistant.errors import EXIT_ERROR, ModelUnavailable
from assistant.index.embeddings import E5Embeddings
from assistant.service import Assistant
from assistant.settings import LLMSettings, Settings
from bench.chroma_server import free_port
from bench.web_load import stop_process

QUESTION = "Combien la ministre verse-t-elle à la CRÉ de la Mauricie en 2013-2014 ?"
MODEL_NAME = "smollm2"
SERVER_START_SECONDS = 60


@pytest.fixture(scope="module")
def model_server(smollm2_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[subprocess.Popen]:
    """``python -m llama_cpp.server`` serving SmolLM2-135M on a free loopback port, stopped after the tests."""
    port = free_port()
    log = tmp_path_factory.mktemp("server") / "llama_cpp_server.log"
    with log.open("wb") as output:
        server = subprocess.Popen(
            [sys.executable, "-m", "llama_cpp.server", "--model", str(smollm2_path), "--model_alias", MODEL_NAME,
             "--host", "127.0.0.1", "--port", str(port), "--n_ctx", "2048",
             # One thread: on a loaded shared machine two threads of llama.cpp wait on each other (2 s a token,
             # measured at load 15, against 50 ms with one).
             "--n_threads", "1", "--n_threads_batch", "1",
             # Prompt states kept in memory: the answer prompt's long system part is read once for all the tests.
             "--cache", "true"],
            stdout=output, stderr=subprocess.STDOUT)
    server.base_url = f"http://127.0.0.1:{port}/v1"  # type: ignore[attr-defined]
    try:
        deadline = time.monotonic() + SERVER_START_SECONDS
        while True:
            assert server.poll() is None, log.read_text(errors="replace")
            try:
                with urllib.request.urlopen(f"{server.base_url}/models", timeout=2):  # type: ignore[attr-defined]
                    break
            except OSError:
                assert time.monotonic() < deadline, "the model server did not start:\n" + log.read_text()
                time.sleep(0.3)
        yield server
    finally:
        server.send_signal(signal.SIGCONT)  # in case a test left it frozen
        stop_process(server, timeout=10)


def on_server(settings: Settings, base_url: str, timeout: float = 60) -> Settings:
    """The settings with the ``openai`` backend pointed at the server, writing the answers (greedy decoding, short
    prompt and answer); the 135M model's words need not hold: these tests are about the backend, not about what the
    model writes."""
    settings.llm = LLMSettings(backend="openai", answer_from="model", base_url=base_url, model=MODEL_NAME,
                               temperature=0.0, max_tokens=32, context_chars=400, request_timeout=timeout,
                               min_lexical_support=0.0, check_question_regions=False)
    return settings


def cli_on_server(monkeypatch: pytest.MonkeyPatch, settings: Settings, base_url: str, timeout: float = 60) -> None:
    """The environment that points ``assistant ask`` at the same corpus, index and server as ``settings``."""
    for name, value in {"CORPUS_DIR": settings.corpus_dir, "INDEX_DIR": settings.index_dir, "LLM__BACKEND": "openai",
                        "LLM__ANSWER_FROM": "model", "LLM__BASE_URL": base_url, "LLM__MODEL": MODEL_NAME,
                        "LLM__REQUEST_TIMEOUT": timeout}.items():
        monkeypatch.setenv(f"ASSISTANT_{name}", str(value))


@pytest.mark.slow
def test_an_answer_from_the_server_streams_and_its_markers_point_to_sources(
        model_server: subprocess.Popen, settings: Settings, e5: E5Embeddings) -> None:
    assistant = Assistant(on_server(settings, model_server.base_url), embeddings=e5)  # type: ignore[attr-defined]
    assistant.index()
    steps = list(assistant.stream(QUESTION))
    assert len([step for step in steps if not step.complete]) >= 2, [step.text for step in steps]
    answer = steps[-1]
    assert answer.complete and not answer.refused, answer.text
    assert answer.cited_numbers, answer.text
    assert set(answer.cited_numbers) <= {source.number for source in answer.sources}


@pytest.mark.slow
def test_the_server_stops_at_the_answer_length_of_the_settings(model_server: subprocess.Popen) -> None:
    model = make_chat_model(LLMSettings(backend="openai", base_url=model_server.base_url,  # type: ignore[attr-defined]
                                        model=MODEL_NAME, temperature=0.0, max_tokens=6))
    reply = model.invoke("Raconte-moi en détail l'histoire des Alliances pour la solidarité au Québec.")
    assert reply.response_metadata["finish_reason"] == "length", reply


@pytest.mark.slow
def test_a_question_with_nothing_in_the_corpus_is_refused(model_server: subprocess.Popen, settings: Settings,
                                                         e5: E5Embeddings) -> None:
    assistant = Assistant(on_server(settings, model_server.base_url), embeddings=e5)  # type: ignore[attr-defined]
    assistant.index()
    answer = assistant.ask("Quel montant l'Alliance de la Gaspésie a-t-elle reçu pour 2013-2014 ?")
    assert answer.refused and answer.text == NOT_FOUND["fr"]


@pytest.mark.slow
def test_a_server_that_stops_answering_mid_session_gives_a_french_message(
        model_server: subprocess.Popen, settings: Settings, e5: E5Embeddings, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    base_url = model_server.base_url  # type: ignore[attr-defined]
    assistant = Assistant(on_server(settings, base_url), embeddings=e5)
    assistant.index()
    assert assistant.ask(QUESTION).complete
    model_server.send_signal(signal.SIGSTOP)  # the process is there, its port accepts, nothing answers
    try:
        # The same corpus, index and server, with a client that waits 2 s rather than 60 (the same error path).
        impatient = Assistant(on_server(settings.model_copy(), base_url, timeout=2), embeddings=e5)
        with pytest.raises(ModelUnavailable, match=r"Le serveur de modèle .* n'a pas répondu en 2 secondes"):
            impatient.ask(QUESTION)
        cli_on_server(monkeypatch, settings, base_url, timeout=2)
        capsys.readouterr()
        assert main(["ask", QUESTION]) == EXIT_ERROR
        error = capsys.readouterr().err
        assert "Erreur : Le serveur de modèle" in error and "reposez la question" in error
        assert "Traceback" not in error
    finally:
        model_server.send_signal(signal.SIGCONT)


def test_a_model_server_that_is_down_gives_a_french_message(settings: Settings, e5: E5Embeddings,
                                                           monkeypatch: pytest.MonkeyPatch,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    base_url = f"http://127.0.0.1:{free_port()}/v1"  # nothing listens there
    assistant = Assistant(on_server(settings, base_url), embeddings=e5)
    assistant.index()
    with pytest.raises(ModelUnavailable, match=r"ne répond pas ou a coupé la connexion.*ASSISTANT_LLM__BASE_URL"):
        assistant.ask(QUESTION)
    cli_on_server(monkeypatch, settings, base_url)
    capsys.readouterr()
    assert main(["ask", QUESTION]) == EXIT_ERROR
    assert "Erreur : Le serveur de modèle" in capsys.readouterr().err
