"""The admin unpacks an old archive into the corpus: file names that are not UTF-8 (bytes from an old Windows or a
ZIP archive), a line break in a name, a name near the 255-byte limit. Each file is indexed (or refused with one
clear line) under a name JSON, SQLite and Chroma accept, is found again on disk, and never stops the other files,
`assistant status` or the web chat."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from assistant.cli import EXIT_FAILED_FILES, EXIT_OK, main
from assistant.index.embeddings import E5Embeddings
from assistant.ingest.names import corpus_file, stored_name
from assistant.retrieve.retriever import SearchFilters
from assistant.service import Assistant
from assistant.settings import ChunkingSettings, Settings
from bench.web_load import ChatSession, local_server
from tests.conftest import build_tiny_corpus
from tests.test_reindex import assert_consistent

EVERY_LEVEL = SearchFilters(confidentiality=("public", "interne", "confidentiel"))
LONG = b"compte-rendu-" + b"n" * 230 + b".md"  # 246 bytes: its sidecar's name (256 bytes) cannot exist
# Raw name on disk → (the name the index keeps, a fact only that file holds, a question on it).
ODD = {
    b"caf\xe9-latin1-nom.md": ("caf%E9-latin1-nom.md", "Le café solidaire de Saint-Zénon ouvre le 4 juin 2013.",
                               "Quand le café solidaire de Saint-Zénon ouvre-t-il ?"),
    b"r\xe9gions/Gasp\xe9sie.md": ("r%E9gions/Gasp%E9sie.md",
                                  "La coopérative de Gaspé compte 212 membres en 2014.",
                                  "Combien de membres compte la coopérative de Gaspé ?"),
    b"ligne\nsaut.md": ("ligne%0Asaut.md", "Le comptoir vestimentaire de Baie-Comeau a fermé en mars 2015.",
                        "Quand le comptoir vestimentaire de Baie-Comeau a-t-il fermé ?"),
    LONG: (LONG.decode(), "La halte-garderie de Nicolet accueille 18 enfants.",
           "Combien d'enfants la halte-garderie de Nicolet accueille-t-elle ?"),
}
EMPTY = b"vide-\xe9t\xe9.txt"  # an empty file with an undecodable name: refused, on one line


def odd_corpus(root: Path) -> Path:
    """The tiny corpus plus one note under each odd name, written with the raw bytes of the name."""
    corpus = build_tiny_corpus(root)
    base = os.fsencode(corpus)
    for raw, (_, fact, _) in ODD.items():
        if b"/" in raw:
            os.makedirs(base + b"/" + raw.rsplit(b"/", 1)[0], exist_ok=True)
        header = "" if raw.startswith(b"caf") else "---\nconfidentialite: public\n---\n"  # the café: a sidecar
        with open(base + b"/" + raw, "wb") as stream:
            stream.write(f"{header}{fact}\n".encode())
    with open(base + b"/caf\xe9-latin1-nom.md.meta.yaml", "wb") as stream:
        stream.write("titre: Le café de Saint-Zénon\nconfidentialite: public\n".encode())
    open(base + b"/" + EMPTY, "wb").close()
    return corpus


def env_for(settings: Settings) -> dict[str, str]:
    return {"ASSISTANT_CORPUS_DIR": str(settings.corpus_dir), "ASSISTANT_INDEX_DIR": str(settings.index_dir),
            "ASSISTANT_CHUNKING__CHUNK_SIZE": "400", "ASSISTANT_CHUNKING__CHUNK_OVERLAP": "50",
            "ASSISTANT_LLM__BACKEND": "extractive"}


@pytest.fixture
def odd_settings(tmp_path: Path) -> Settings:
    return Settings(corpus_dir=odd_corpus(tmp_path), index_dir=tmp_path / "index",
                    chunking=ChunkingSettings(chunk_size=400, chunk_overlap=50))


def test_every_name_the_file_system_allows_is_stored_as_valid_text_and_leads_back_to_its_file(tmp_path: Path) -> None:
    for raw in [*ODD, EMPTY, b"taux-50%.md", b"taux%20.md", b"a\\b.md", b"\xc3\xa9t\xc3\xa9.md", b"x\xc2\x85y.md"]:
        name = stored_name(Path(os.fsdecode(raw)))
        name.encode("utf-8")  # no lone surrogate: JSON, SQLite and Chroma take it
        assert "\n" not in name and "\\" not in name
        assert os.fsencode(corpus_file(tmp_path, name)) == os.fsencode(tmp_path) + b"/" + raw
    assert stored_name(Path("été/Entente Mauricie (2012).pdf")) == "été/Entente Mauricie (2012).pdf"  # plain: as is


def test_odd_file_names_are_indexed_refused_on_one_line_and_never_stop_the_run_or_status(
        odd_settings: Settings, e5: E5Embeddings, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    for name, value in env_for(odd_settings).items():
        monkeypatch.setenv(name, value)
    assert main(["index"]) == EXIT_FAILED_FILES
    captured = capsys.readouterr()
    assert "Ajoutés : 7," in captured.out and "en échec : 1" in captured.out
    failures = [line for line in captured.err.splitlines() if line.startswith("ÉCHEC")]
    assert failures == ["ÉCHEC  vide-%E9t%E9.txt : fichier vide; remplacez-le par le bon fichier ou retirez-le du "
                        "corpus"]
    assert main(["status"]) == EXIT_OK
    status = capsys.readouterr().out
    assert "Documents indexés : 7" in status and "vide-%E9t%E9.txt : fichier vide" in status
    assert main(["index"]) == EXIT_FAILED_FILES  # the next run has nothing to do and says the same
    assert "Ajoutés : 0, mis à jour : 0" in capsys.readouterr().out

    assistant = Assistant(odd_settings, embeddings=e5)
    manifest = assert_consistent(assistant)
    for stored, fact, question in ODD.values():
        assert stored in manifest.documents
        best = assistant.search(question, EVERY_LEVEL)[0]
        assert best.passage.info.path == stored and fact in best.passage.text
        again = assistant.read_document(best.passage.info)  # what the web viewer does to show the passage
        assert fact in again.pages[0].text
    cafe = manifest.documents["caf%E9-latin1-nom.md"]
    assert cafe.title == "Le café de Saint-Zénon"  # its sidecar, found under the raw name, was read
    assert manifest.documents["ligne%0Asaut.md"].title == "ligne saut"  # a title stays on one line

    base = os.fsencode(odd_settings.corpus_dir)
    for suffix in (b"", b".meta.yaml"):
        os.rename(base + b"/caf\xe9-latin1-nom.md" + suffix, base + b"/caf\xe9-renomm\xe9.md" + suffix)
    report = assistant.index()
    assert report.renamed == {"caf%E9-renomm%E9.md": "caf%E9-latin1-nom.md"} and report.passages_embedded == 0


@pytest.mark.slow
def test_the_web_chat_starts_on_an_empty_index_and_answers_from_a_file_with_an_undecodable_name(
        odd_settings: Settings) -> None:
    with local_server(env_for(odd_settings)) as (url, _):
        session = ChatSession(url, timeout=120)
        try:
            reply = session.ask("Quand le café solidaire de Saint-Zénon ouvre-t-il ?")
        finally:
            session.close()
    assert "4 juin 2013" in reply.answer
    assert "Le café de Saint-Zénon" in reply.panel
