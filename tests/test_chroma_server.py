"""A team outgrows one laptop: the same index kept on a Chroma server (`chroma run`), chosen by settings alone."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import chromadb
import pytest

from assistant.cli import EXIT_ERROR, main
from assistant.index.embeddings import E5Embeddings
from assistant.index.manifest import MANIFEST_NAME, Manifest
from assistant.models import Answer, SearchFilters
from assistant.service import Assistant
from assistant.settings import ChromaSettings, LLMSettings, Settings
from assistant.web.conversation import Conversation, Turn
from assistant.web.events import ChatEvents
from assistant.web.files import LinkSigner
from assistant.web.sessions import BrowserSessions
from bench.chroma_server import free_port, running_chroma_server

EVERY_LEVEL = SearchFilters(confidentiality=("public", "interne", "confidentiel"))
PAYMENT = "Combien la ministre verse-t-elle à la CRÉ de la Mauricie pour l'exercice 2013-2014 ?"
TRUCK = "Dans combien de villages s'arrête le camion des Marchés solidaires ?"
NOTE = "entretiens/ent-lan-02.md"


@pytest.fixture
def chroma_server(tmp_path: Path) -> Iterator[ChromaSettings]:
    """A real Chroma server on a free local port, stopped after the test."""
    with running_chroma_server(tmp_path / "serveur-chroma") as (chroma, _):
        yield chroma


def on_server(settings: Settings, chroma: ChromaSettings) -> Settings:
    """The same settings, with the vectors on the server and answers written without a language model."""
    return settings.model_copy(update={"chroma": chroma, "llm": LLMSettings(backend="extractive")})


def server_counts(chroma: ChromaSettings) -> dict[str, int]:
    """Passages in each collection of the server, seen by a client of its own."""
    client = chromadb.HttpClient(host=chroma.host, port=chroma.port)
    return {collection.name: collection.count() for collection in client.list_collections()}


def test_settings_choose_the_chroma_server_by_host_and_port(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("ASSISTANT_CHROMA__MODE", "server")
    monkeypatch.setenv("ASSISTANT_CHROMA__HOST", "chroma.interne")
    monkeypatch.setenv("ASSISTANT_CHROMA__PORT", "8123")
    chroma = Settings().chroma
    assert (chroma.mode, chroma.url) == ("server", "http://chroma.interne:8123")
    monkeypatch.delenv("ASSISTANT_CHROMA__MODE")
    assert Settings().chroma.mode == "embedded"


def test_a_server_that_does_not_answer_is_named_in_french_and_nothing_is_indexed(
        monkeypatch, tiny_corpus: Path, tmp_path: Path, capsys) -> None:
    port = free_port()
    monkeypatch.setenv("ASSISTANT_CORPUS_DIR", str(tiny_corpus))
    monkeypatch.setenv("ASSISTANT_INDEX_DIR", str(tmp_path / "index"))
    monkeypatch.setenv("ASSISTANT_CHROMA__MODE", "server")
    monkeypatch.setenv("ASSISTANT_CHROMA__PORT", str(port))
    assert main(["index"]) == EXIT_ERROR
    message = capsys.readouterr().err
    assert f"Le serveur Chroma http://127.0.0.1:{port} ne répond pas" in message
    assert "L'index n'a pas été modifié" in message
    assert not (tmp_path / "index" / MANIFEST_NAME).exists()


def test_the_web_chat_says_in_french_that_search_is_unavailable_when_the_server_is_gone(
        settings: Settings, e5: E5Embeddings) -> None:
    gone = ChromaSettings(mode="server", port=free_port())
    assistant = Assistant(on_server(settings, gone), embeddings=e5)
    Manifest(active="a", generation=1, vectors_at=assistant.store.location).save(settings.index_dir)
    conversation = Conversation(turns=[Turn(Answer(PAYMENT, ""), EVERY_LEVEL)])
    list(ChatEvents(assistant, LinkSigner(hours=1), BrowserSessions(3600)).stream_answer(conversation))
    assert conversation.turns[0].done
    assert conversation.turns[0].answer.text.startswith("La recherche est indisponible : Le serveur Chroma")


@pytest.mark.slow
def test_index_ask_and_reindex_against_a_real_chroma_server(
        settings: Settings, e5: E5Embeddings, chroma_server: ChromaSettings) -> None:
    embedded = Assistant(settings, embeddings=e5)
    assert len(embedded.index().added) == 3
    assistant = Assistant(on_server(settings, chroma_server), embeddings=e5)
    report = assistant.index()  # the settings moved the vectors to the server: both buffers filled from the ledger
    manifest = assistant.manifest()
    assert (report.added, len(report.unchanged), report.passages_embedded) == ([], 3, 0)
    assert manifest.passage_count > 3
    # The two buffers are collections on the server; the manifest, the ledger and BM25 stay in the index folder.
    assert server_counts(chroma_server) == {"passages-a": manifest.passage_count,
                                            "passages-b": manifest.passage_count}

    answer = assistant.ask(PAYMENT)
    assert "1 505 000 $" in answer.text and not answer.refused
    cited = [answer.sources[number - 1].passage for number in answer.cited_numbers]
    assert cited[0].page == 2 and "1 505 000 $" in cited[0].text
    assert {p.info.path for p in cited} == {"ententes/entente-mauricie.pdf"}

    note = settings.corpus_dir / NOTE
    note.write_text(note.read_text(encoding="utf-8").replace("neuf villages", "douze villages"), encoding="utf-8")
    reader = Assistant(on_server(settings, chroma_server), embeddings=e5)  # another process's view, e.g. the web app
    assert reader.search(TRUCK, EVERY_LEVEL)[0].passage.text.count("neuf villages") == 1
    report = assistant.index()
    assert report.updated == [NOTE] and report.passages_embedded >= 1
    assert "douze villages" in reader.search(TRUCK, EVERY_LEVEL)[0].passage.text
    assert not any("neuf villages" in s.passage.text for s in reader.search(TRUCK, EVERY_LEVEL))

    rebuilt = assistant.index(rebuild=True)  # deletes and recreates the buffer's collection on the server
    assert rebuilt.rebuilt and rebuilt.passages_embedded == 0
    counts = server_counts(chroma_server)
    assert counts[f"passages-{assistant.manifest().active}"] == assistant.manifest().passage_count
    assert "douze villages" in reader.search(TRUCK, EVERY_LEVEL)[0].passage.text

    assert embedded.index().passages_embedded == 0  # back to embedded Chroma: its buffers catch up, from the ledger
    assert "douze villages" in embedded.search(TRUCK, EVERY_LEVEL)[0].passage.text
