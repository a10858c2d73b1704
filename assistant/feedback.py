"""Feedback on answers, kept with the evidence that was shown: rating, comment, question, answer, sources, settings.

One row per answer of a conversation (rating again replaces the rating); exported as CSV or JSONL for review.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, TextIO

Rating = Literal["positif", "negatif"]
ExportFormat = Literal["csv", "jsonl"]
EXPORT_FIELDS = ["id", "date", "modifie", "utilisateur", "role", "conversation", "tour", "appreciation",
                 "commentaire", "question", "reponse", "sources", "verifications", "reglages"]
# Characters that make a spreadsheet read a cell as a formula (CSV injection).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    conversation_id TEXT NOT NULL,
    turn INTEGER NOT NULL,
    user TEXT NOT NULL,
    role TEXT NOT NULL,
    rating TEXT NOT NULL CHECK (rating IN ('positif', 'negatif')),
    comment TEXT NOT NULL,
    question TEXT NOT NULL,
    answer TEXT NOT NULL,
    sources TEXT NOT NULL,
    settings TEXT NOT NULL,
    checks TEXT NOT NULL DEFAULT '[]',
    UNIQUE (conversation_id, turn)
)
"""
# Columns added after the first release of the table, with their definitions, for files created before them.
_ADDED_COLUMNS = {"checks": "TEXT NOT NULL DEFAULT '[]'"}


@dataclass(frozen=True)
class Feedback:
    """A user's rating of one answer, with what they were shown and the settings that produced it."""

    conversation_id: str
    turn: int
    rating: Rating
    question: str
    answer: str
    sources: list[dict[str, Any]]
    settings: dict[str, Any]
    checks: list[dict[str, Any]] = field(default_factory=list)  # the support check of each sentence
    user: str = ""
    role: str = ""
    comment: str = ""


class FeedbackStore:
    """Feedback rows in one SQLite file; each call opens its own connection, so threads never share one."""

    def __init__(self, path: Path) -> None:
        self.path = path

    @contextmanager
    def _connection(self) -> Iterator[sqlite3.Connection]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with closing(sqlite3.connect(self.path, timeout=10)) as connection, connection:
            connection.row_factory = sqlite3.Row
            connection.execute(_SCHEMA)
            present = {row["name"] for row in connection.execute("PRAGMA table_info(feedback)")}
            for column, definition in _ADDED_COLUMNS.items():
                if column not in present:
                    connection.execute(f"ALTER TABLE feedback ADD COLUMN {column} {definition}")
            yield connection

    def record(self, feedback: Feedback) -> int:
        """Store a rating; rating the same answer again updates it (an earlier comment is kept if none is given)."""
        now = _now()
        with self._connection() as db:
            row = db.execute(
                """INSERT INTO feedback (created_at, updated_at, conversation_id, turn, user, role, rating, comment,
                                         question, answer, sources, settings, checks)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                   ON CONFLICT (conversation_id, turn) DO UPDATE SET
                       updated_at = excluded.updated_at, rating = excluded.rating, answer = excluded.answer,
                       sources = excluded.sources, settings = excluded.settings, checks = excluded.checks,
                       comment = CASE WHEN excluded.comment != '' THEN excluded.comment ELSE comment END
                   RETURNING id""",
                (now, now, feedback.conversation_id, feedback.turn, feedback.user, feedback.role, feedback.rating,
                 feedback.comment, feedback.question, feedback.answer,
                 json.dumps(feedback.sources, ensure_ascii=False), json.dumps(feedback.settings, ensure_ascii=False),
                 json.dumps(feedback.checks, ensure_ascii=False)),
            ).fetchone()
        return int(row["id"])

    def add_comment(self, feedback_id: int, comment: str) -> bool:
        """Attach a comment to a stored rating; False if there is no such rating."""
        with self._connection() as db:
            cursor = db.execute("UPDATE feedback SET comment = ?, updated_at = ? WHERE id = ?",
                                (comment.strip(), _now(), feedback_id))
        return cursor.rowcount == 1

    def rows(self) -> list[dict[str, Any]]:
        """Every stored rating, oldest first, with the export's field names."""
        if not self.path.exists():
            return []
        with self._connection() as db:
            records = db.execute("SELECT * FROM feedback ORDER BY id").fetchall()
        return [{
            "id": r["id"], "date": r["created_at"], "modifie": r["updated_at"], "utilisateur": r["user"],
            "role": r["role"], "conversation": r["conversation_id"], "tour": r["turn"], "appreciation": r["rating"],
            "commentaire": r["comment"], "question": r["question"], "reponse": r["answer"],
            "sources": json.loads(r["sources"]), "verifications": json.loads(r["checks"]),
            "reglages": json.loads(r["settings"]),
        } for r in records]

    def export(self, out: TextIO, export_format: ExportFormat) -> int:
        """Write every rating as CSV (sources summarised, one line each) or JSONL (as stored); return the count."""
        rows = self.rows()
        if export_format == "jsonl":
            for row in rows:
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
            return len(rows)
        writer = csv.DictWriter(out, fieldnames=EXPORT_FIELDS)
        writer.writeheader()
        for row in rows:
            flat = {**row, "sources": "\n".join(_source_line(s) for s in row["sources"]),
                    "verifications": "\n".join(_check_line(c) for c in row["verifications"]),
                    "reglages": json.dumps(row["reglages"], ensure_ascii=False)}
            writer.writerow({key: safe_cell(value) for key, value in flat.items()})
        return len(rows)


def _source_line(source: dict[str, Any]) -> str:
    page = f", page {source['page']}" if source.get("page") else ""
    return f"[{source['number']}] {source['title']}{page} ({source['path']})"


def _check_line(check: dict[str, Any]) -> str:
    cited = "".join(f"[{n}]" for n in check.get("cited", ()))
    return f"{check['verdict']} {cited} : {check['text']}"


def safe_cell(value: Any) -> Any:
    """A text cell that a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def _now() -> str:
    return dt.datetime.now().isoformat(timespec="seconds")
