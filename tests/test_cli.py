"""The admin indexes from the command line; a researcher asks a question there and reads the cited sources."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from assistant.cli import EXIT_ERROR, EXIT_FAILED_FILES, EXIT_OK, main


@pytest.fixture
def cli_env(monkeypatch: pytest.MonkeyPatch, tiny_corpus: Path, tmp_path: Path, smollm2_path: Path) -> Path:
    monkeypatch.setenv("ASSISTANT_CORPUS_DIR", str(tiny_corpus))
    monkeypatch.setenv("ASSISTANT_INDEX_DIR", str(tmp_path / "index"))
    monkeypatch.setenv("ASSISTANT_LLM__GGUF_PATH", str(smollm2_path))
    monkeypatch.setenv("ASSISTANT_LLM__MAX_TOKENS", "24")
    return tiny_corpus


def test_index_then_status_then_a_broken_file_sets_the_exit_code(cli_env: Path, capsys) -> None:
    assert main(["index"]) == EXIT_OK
    assert "Ajoutés : 3" in capsys.readouterr().out
    assert main(["status"]) == EXIT_OK
    assert "Documents indexés : 3" in capsys.readouterr().out
    (cli_env / "vide.md").write_text("", encoding="utf-8")
    assert main(["index"]) == EXIT_FAILED_FILES
    captured = capsys.readouterr()
    assert "inchangés : 3, en échec : 1" in captured.out
    assert "ÉCHEC  vide.md : fichier vide" in captured.err


@pytest.mark.slow
def test_ask_prints_an_answer_and_the_sources_with_their_page(cli_env: Path, capsys) -> None:
    main(["index"])
    capsys.readouterr()
    assert main(["ask", "Combien la ministre verse-t-elle à la CRÉ de la Mauricie en 2013-2014 ?"]) == EXIT_OK
    out = capsys.readouterr().out
    source_lines = re.findall(r"^\[(\d)\] (.+) — (\S+)$", out.split("Sources :")[1], flags=re.MULTILINE)
    assert source_lines, out
    for _number, title, path in source_lines:
        # The tiny model cites what it likes; whatever it cites is shown with its page when it has one.
        if path.endswith(".pdf"):
            assert re.search(r", page \d$", title)


def test_eval_prints_recall_and_mrr_per_kind(cli_env: Path, tmp_path: Path, capsys) -> None:
    questions = tmp_path / "questions.jsonl"
    questions.write_text("\n".join([
        '{"question": "Combien la ministre verse-t-elle à la Mauricie en 2013-2014 ?", "kind": "tableau", '
        '"gold_doc_ids": ["ententes/entente-mauricie.pdf"]}',
        '{"question": "Quand le camion des Marchés solidaires a-t-il commencé sa tournée ?", "kind": "factuel", '
        '"gold_doc_ids": ["entretiens/ent-lan-02.md"]}',
        '{"question": "Quel est le budget de la Gaspésie ?", "kind": "hors-corpus", "gold_doc_ids": []}',
    ]), encoding="utf-8")
    main(["index"])
    capsys.readouterr()
    assert main(["eval", str(questions), "--mode", "hybrid", "--retrieval-only"]) == EXIT_OK
    out = capsys.readouterr().out
    assert re.search(r"tout +R@1 1\.000 +R@5 1\.000 +R@10 1\.000 +MRR@10 1\.000 +\(n=2\)", out), out
    assert "tableau" in out and "factuel" in out and "hors-corpus" not in out
    # No gold page nor expected answer in these questions: the passage-level figures say so instead of guessing.
    assert re.search(r"tout +page n/a +réponse n/a", out), out


def test_eval_refuses_an_answers_file_it_cannot_write_before_answering(cli_env: Path, tmp_path: Path,
                                                                        capsys) -> None:
    questions = tmp_path / "questions.jsonl"
    questions.write_text('{"question": "Quel est le budget de la Gaspésie ?", "gold_doc_ids": []}', encoding="utf-8")
    assert main(["eval", str(questions), "--answers", str(tmp_path / "absent" / "reponses.jsonl")]) == EXIT_ERROR
    err = capsys.readouterr().err
    assert "impossible d'écrire les réponses" in err and "dossier existant" in err
