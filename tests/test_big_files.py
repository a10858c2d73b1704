"""The admin drops a huge text file into the corpus: the run says what embedding will cost before it starts,
refuses the one file that would hold the index for too long (saying how to raise the limit) and indexes the others,
and `assistant status` (or a second run) says what is being indexed and how far."""

from __future__ import annotations

import pytest

from assistant.cli import EXIT_FAILED_FILES, EXIT_OK, main, running_message
from assistant.errors import IndexBusy
from assistant.index.embeddings import E5Embeddings
from assistant.index.indexer import DEFAULT_PASSAGES_PER_SECOND, IndexProgress, run_in_progress
from assistant.service import Assistant
from assistant.settings import IndexingSettings, Settings
from tests.conftest import write_note

BIG = "archives/registre-complet.txt"
SENTENCE = "Le registre note la visite de l'organisme numéro {n} de la région de Lanaudière en 2013. "


def write_big_text(settings: Settings, passages: int) -> None:
    """A plain text long enough to be cut into at least this many passages."""
    (settings.corpus_dir / "archives").mkdir(exist_ok=True)
    words = settings.chunking.chunk_size - settings.chunking.chunk_overlap
    text = "".join(SENTENCE.format(n=n) for n in range(passages * words // len(SENTENCE) + 10))
    (settings.corpus_dir / BIG).write_text(text, encoding="utf-8")


def test_a_file_over_the_passage_limit_is_refused_with_how_to_raise_it_and_the_others_are_indexed(
        settings: Settings, e5: E5Embeddings, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    write_big_text(settings, 15)
    for name, value in (("CORPUS_DIR", settings.corpus_dir), ("INDEX_DIR", settings.index_dir),
                        ("CHUNKING__CHUNK_SIZE", 400), ("CHUNKING__CHUNK_OVERLAP", 50),
                        ("INDEXING__MAX_FILE_PASSAGES", 10)):
        monkeypatch.setenv(f"ASSISTANT_{name}", str(value))
    assert main(["index"]) == EXIT_FAILED_FILES
    captured = capsys.readouterr()
    assert "Ajoutés : 3," in captured.out and "en échec : 1" in captured.out
    failure, = [line for line in captured.err.splitlines() if line.startswith("ÉCHEC")]
    assert failure.startswith(f"ÉCHEC  {BIG} : fichier de ")
    assert "au-delà de la limite de 10 passages par fichier" in failure
    assert "relevez la limite (réglage ASSISTANT_INDEXING__MAX_FILE_PASSAGES=" in failure
    # Before embedding, the run said how much and how long, from the cautious default (nothing measured yet).
    speed = f"{DEFAULT_PASSAGES_PER_SECOND:.1f}".replace(".", ",")
    assert f"rythme de {speed} passages par seconde, prudent, pas encore mesuré ici" in captured.out
    assert captured.out.index("À encoder : ") < captured.out.index("Ajoutés : ")

    assert BIG not in Assistant(settings, embeddings=e5).manifest().documents

    assert main(["index"]) == EXIT_FAILED_FILES  # same bytes, same limit: not read again, still reported
    assert "Ajoutés : 0," in capsys.readouterr().out
    monkeypatch.setenv("ASSISTANT_INDEXING__MAX_FILE_PASSAGES", "500")  # the limit raised as the line says
    assert main(["index"]) == EXIT_OK
    assert "Ajoutés : 1," in capsys.readouterr().out
    manifest = Assistant(settings, embeddings=e5).manifest()
    assert BIG in manifest.documents and manifest.embedding_speeds[manifest.embedder] > 0  # measured, kept

    write_note(settings.corpus_dir / "nouveau.md", "titre: Nouveau", "La friperie de Joliette a ouvert en 2014.")
    assert main(["index"]) == EXIT_OK
    assert "mesuré lors des indexations précédentes" in capsys.readouterr().out


def test_status_and_a_second_run_say_what_a_long_run_is_doing_and_how_far_it_is(
        settings: Settings, e5: E5Embeddings) -> None:
    write_big_text(settings, 20)
    settings.indexing = IndexingSettings(max_file_passages=500)
    settings.embedding.batch_size = 8
    seen: dict[str, str] = {}

    def look(step: str) -> None:
        running = run_in_progress(settings.index_dir)
        assert running is not None
        seen.setdefault(step, running_message(running))
        if step == "encodage":
            with pytest.raises(IndexBusy) as busy:
                Assistant(settings, embeddings=e5).index()
            seen.setdefault("busy", str(busy.value))

    progress = IndexProgress(document=lambda key: look(f"lecture {key}"), embedded=lambda _: look("encodage"))
    Assistant(settings, embeddings=e5).index(progress)
    assert "Indexation en cours depuis le " in seen[f"lecture {BIG}"]
    assert f"lecture du fichier 1 sur 4 ({BIG})" in seen[f"lecture {BIG}"]
    assert "encodage, 8 passages sur " in seen["encodage"] and "fin estimée vers " in seen["encodage"]
    assert "Une autre indexation de cet index est déjà en cours (encodage, " in seen["busy"]
    assert run_in_progress(settings.index_dir) is None  # the marker goes with the run


def test_a_note_beside_the_big_file_is_searchable_once_the_run_ends(settings: Settings, e5: E5Embeddings) -> None:
    write_big_text(settings, 15)
    write_note(settings.corpus_dir / "nouveau.md", "titre: Nouveau\nconfidentialite: public",
               "La friperie de Joliette a ouvert un second local en 2014.")
    settings.indexing = IndexingSettings(max_file_passages=10)
    assistant = Assistant(settings, embeddings=e5)
    report = assistant.index()
    assert "nouveau.md" in report.added and BIG in report.failed
    assert assistant.search("Quand la friperie de Joliette a-t-elle ouvert un second local ?")[0].passage.info.path \
        == "nouveau.md"
