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


PAYMENT = "Combien la ministre verse-t-elle à la CRÉ de la Mauricie en 2013-2014 ?"


class StreamedWrites:
    """Standard output that keeps each write, and what the answer's check had passed when it came."""

    def __init__(self) -> None:
        self.writes: list[tuple[str, list[str]]] = []
        self.passed: list[str] = []

    def write(self, text: str) -> int:
        self.writes.append((text, list(self.passed)))
        return len(text)

    def flush(self) -> None:
        return None

    @property
    def text(self) -> str:
        return "".join(text for text, _ in self.writes)


def test_ask_writes_a_sentence_only_once_it_has_passed_the_check_then_its_sources_from_1(
        cli_env: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    from assistant.models import Verdict
    from assistant.service import Assistant

    main(["index"])
    capsys.readouterr()
    out = StreamedWrites()
    streamed = Assistant.stream

    def stream(self, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202 - records what the check passed
        for answer in streamed(self, *args, **kwargs):
            out.passed = [c.text for c in answer.checks if c.verdict != Verdict.UNSUPPORTED]
            yield answer

    monkeypatch.setattr(Assistant, "stream", stream)
    monkeypatch.setattr("sys.stdout", out)
    assert main(["ask", PAYMENT]) == EXIT_OK

    answer_text, sources = out.text.split("\nSources :\n")
    assert "Après vérification" not in out.text and "Passages" not in out.text
    first_line = answer_text.strip().splitlines()[0]
    assert "1 505 000 $" in first_line and first_line.count("1 505 000 $ pour") <= 2
    for text, passed in out.writes:
        if text.strip() and text is not out.writes[-1][0] and "[" in text and "Sources" not in text:
            assert all(sentence in passed for sentence in re.findall(r"[^.]+\[\d+\]\.", text)), (text, passed)
    numbers = [int(n) for n in re.findall(r"\[(\d+)\]", first_line)]
    assert numbers and numbers[0] == 1 and sorted(set(numbers)) == list(range(1, max(numbers) + 1))
    assert re.findall(r"^\[(\d+)\] ", sources, flags=re.MULTILINE) == [str(n) for n in sorted(set(numbers))]


def test_ask_about_an_absent_region_lists_the_passages_consulted_never_under_sources(cli_env: Path,
                                                                                   capsys) -> None:
    main(["index"])
    capsys.readouterr()
    assert main(["ask", "Combien la ministre verse-t-elle à la CRÉ de la Gaspésie en 2013-2014 ?"]) == EXIT_OK
    out = capsys.readouterr().out
    assert out.startswith("Je ne trouve pas cette information dans le corpus.")
    assert "Sources :" not in out
    heading, listed = out.split("\nPassages consultés :\n")
    assert "Gaspésie" in heading  # the reason names what is missing
    assert re.match(r"\[1\] ", listed)


def test_ask_json_gives_a_script_the_whole_answer(cli_env: Path, capsys) -> None:
    import json

    main(["index"])
    capsys.readouterr()
    assert main(["ask", PAYMENT, "--json"]) == EXIT_OK
    answer = json.loads(capsys.readouterr().out)
    assert answer["question"] == PAYMENT and answer["search_query"] == PAYMENT
    assert "1 505 000 $" in answer["text"] and answer["refused"] is False and answer["refusal_reason"] == ""
    cited = [s for s in answer["sources"] if f"[{s['number']}]" in answer["text"]]
    assert cited[0]["number"] == 1
    assert cited[0]["passage"]["info"]["path"] == "ententes/entente-mauricie.pdf"
    assert cited[0]["passage"]["page"] == 2 and "1 505 000 $" in cited[0]["passage"]["text"]
    assert {check["verdict"] for check in answer["checks"]} <= {"supported", "recited", "unsupported"}
    assert all(check["cited"] == [1] for check in answer["checks"] if check["verdict"] != "unsupported")


@pytest.mark.parametrize("arguments", [["--help"], ["ask", "--help"], ["ask"], ["frob"],
                                       ["ask", "--annee-min", "x", "q"]])
def test_the_command_line_s_own_help_and_errors_are_in_french(arguments: list[str], capsys) -> None:
    with pytest.raises(SystemExit):
        main(arguments)
    printed = "".join(capsys.readouterr())
    assert printed.startswith(("utilisation : ", "assistant")), printed
    for english in ("usage:", "positional arguments", "options:\n  -h, --help  show", "show this help", "error:",
                    "the following arguments", "invalid choice", "choose from", "invalid int value"):
        assert english not in printed, printed
