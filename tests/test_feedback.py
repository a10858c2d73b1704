"""Feedback is kept with what the user saw, and exported for review as CSV or JSONL."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from contextlib import closing
from dataclasses import replace
from pathlib import Path

import pytest

from assistant.cli import main as cli_main
from assistant.feedback import Feedback, FeedbackStore
from assistant.index.embeddings import E5Embeddings
from assistant.service import Assistant
from assistant.settings import Settings
from tests.web_support import ANSWER, scripted_model

QUESTION = "Combien la ministre verse-t-elle à la CRÉ de la Mauricie en 2013-2014 ?"
# The table as the first release created it, before the support check's column.
FIRST_SCHEMA = """CREATE TABLE feedback (id INTEGER PRIMARY KEY, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
    conversation_id TEXT NOT NULL, turn INTEGER NOT NULL, user TEXT NOT NULL, role TEXT NOT NULL,
    rating TEXT NOT NULL CHECK (rating IN ('positif', 'negatif')), comment TEXT NOT NULL, question TEXT NOT NULL,
    answer TEXT NOT NULL, sources TEXT NOT NULL, settings TEXT NOT NULL, UNIQUE (conversation_id, turn))"""


def feedback(turn: int = 0, rating: str = "positif", comment: str = "") -> Feedback:
    return Feedback("conv-1", turn, rating, "Une question ?", "=1+1 [1]",  # type: ignore[arg-type]
                    [{"number": 1, "title": "Entente", "path": "ententes/a.pdf", "page": "2", "text": "…"}],
                    {"filters": {"regions": ["Mauricie"]}}, user="marie", role="equipe", comment=comment)


def test_rating_the_same_answer_again_updates_it_and_keeps_the_comment(tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path / "feedback.sqlite3")
    first = store.record(feedback(comment="Il manque l'année 2014-2015."))
    again = store.record(feedback(rating="negatif"))
    other = store.record(feedback(turn=1))

    assert first == again != other
    rows = store.rows()
    assert [(r["tour"], r["appreciation"], r["commentaire"]) for r in rows] == [
        (0, "negatif", "Il manque l'année 2014-2015."), (1, "positif", "")]
    assert store.add_comment(other, "  Parfait.  ") and store.rows()[1]["commentaire"] == "Parfait."
    assert not store.add_comment(999, "perdu")


def test_a_feedback_file_from_before_the_support_check_gets_its_column(tmp_path: Path) -> None:
    path = tmp_path / "feedback.sqlite3"
    with closing(sqlite3.connect(path)) as db, db:
        db.execute(FIRST_SCHEMA)
        db.execute("INSERT INTO feedback VALUES (1, 'd', 'd', 'c', 0, 'u', 'r', 'positif', '', 'q', 'a', '[]', '{}')")
    store = FeedbackStore(path)
    store.record(replace(feedback(turn=1), checks=[{"text": "Une phrase [1].", "cited": [1], "verdict": "supported"}]))
    assert [row["verifications"] for row in store.rows()] == [[], [
        {"text": "Une phrase [1].", "cited": [1], "verdict": "supported"}]]


def test_the_csv_export_is_safe_to_open_in_a_spreadsheet(tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path / "feedback.sqlite3")
    store.record(feedback(comment="@SOMME(A1)"))
    out = io.StringIO()
    assert store.export(out, "csv") == 1
    row = next(csv.DictReader(io.StringIO(out.getvalue())))
    assert row["reponse"] == "'=1+1 [1]" and row["commentaire"] == "'@SOMME(A1)"
    assert row["sources"] == "[1] Entente, page 2 (ententes/a.pdf)"
    assert json.loads(row["reglages"]) == {"filters": {"regions": ["Mauricie"]}}


def test_an_answer_is_rated_with_its_sources_and_settings_then_exported_by_the_cli(
        settings: Settings, e5: E5Embeddings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    settings.web.feedback_db = tmp_path / "feedback.sqlite3"
    assistant = Assistant(settings, embeddings=e5, chat_model=scripted_model())
    assistant.index()
    filters = assistant.filters_for(None, regions=("Mauricie",))
    answer = assistant.ask(QUESTION, filters)
    assert answer.text == ANSWER

    assistant.record_feedback(answer, "negatif", filters, conversation_id="abc", turn=0, comment="Trop court.")

    monkeypatch.setenv("ASSISTANT_WEB__FEEDBACK_DB", str(settings.web.feedback_db))
    assert cli_main(["feedback", "export"]) == 0
    record = json.loads(capsys.readouterr().out)
    assert record["question"] == QUESTION and record["reponse"] == ANSWER
    assert record["appreciation"] == "negatif" and record["commentaire"] == "Trop court."
    assert [(s["number"], s["path"], s["page"]) for s in record["sources"]] == [(1, "ententes/entente-mauricie.pdf",
                                                                                 "2")]
    assert "1 505 000 $" in record["sources"][0]["text"]
    assert record["reglages"]["filters"]["regions"] == ["Mauricie"]
    assert record["reglages"]["filters"]["confidentiality"] == ["public", "interne"]
    assert record["reglages"]["retrieval"]["mode"] == "hybrid"
    assert [(c["verdict"], c["cited"]) for c in record["verifications"]] == [("supported", [1])]
    assert "api_key" not in json.dumps(record["reglages"])

    output = tmp_path / "retours.csv"
    assert cli_main(["feedback", "export", "--sortie", str(output)]) == 0
    rows = list(csv.DictReader(output.open(encoding="utf-8")))
    assert len(rows) == 1 and rows[0]["question"] == QUESTION
    assert "1 appréciation(s) écrite(s)" in capsys.readouterr().err
