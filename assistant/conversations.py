"""Conversations kept per owner (a logged-in user, or a browser when login is off) in SQLite, beside the feedback
store: each turn's answer with its sources and support checks, the filters it was asked with, and its rating.

An owner lists, opens and deletes only its own conversations: every query names the owner. A browser key (the
long-lived cookie that owns conversations when login is off) is signed with a secret kept in the same file, so that
it is honoured after a restart, and a key a client made up never is.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import secrets
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from assistant.models import Answer, Passage, PassageScores, SearchFilters, SentenceCheck, Source, Verdict

_SCHEMA = (
    """CREATE TABLE IF NOT EXISTS conversations (
        id TEXT PRIMARY KEY,
        owner TEXT NOT NULL,
        title TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        turns TEXT NOT NULL
    )""",
    "CREATE INDEX IF NOT EXISTS conversations_by_owner ON conversations (owner, updated_at)",
    "CREATE TABLE IF NOT EXISTS browser_secret (id INTEGER PRIMARY KEY CHECK (id = 1), secret TEXT NOT NULL)",
)
TITLE_CHARS = 80


@dataclass
class StoredTurn:
    """One question and its answer as kept: the answer with its sources and checks, the filters, the rating."""

    answer: Answer
    filters: SearchFilters
    stopped: bool = False
    rating: str = ""  # "positif", "negatif" or "" (not rated)


@dataclass
class StoredConversation:
    """A conversation as kept for its owner."""

    id: str
    owner: str
    turns: list[StoredTurn] = field(default_factory=list)
    created_at: str = ""
    updated_at: str = ""

    @property
    def title(self) -> str:
        """The first question, shortened: what the side panel lists."""
        first = self.turns[0].answer.question.strip() if self.turns else ""
        return first if len(first) <= TITLE_CHARS else first[:TITLE_CHARS - 1].rstrip() + "…"


@dataclass(frozen=True)
class ConversationSummary:
    """A line of the side panel: which conversation, its title, when it last changed, how many questions."""

    id: str
    title: str
    updated_at: str
    questions: int


def user_owner(user: str) -> str:
    """The owner key of a logged-in user's conversations."""
    return f"utilisateur:{user}"


def browser_owner(browser_key: str) -> str:
    """The owner key of a browser's conversations (login off): derived from its key, never the key itself."""
    return f"navigateur:{_hash(browser_key)}"


class ConversationStore:
    """Conversations in one SQLite file; each call opens its own connection, so the chat's threads never share one."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._secret: str | None = None  # read (or drawn) once, on the first browser key

    @contextmanager
    def _connection(self) -> Iterator[sqlite3.Connection]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with closing(sqlite3.connect(self.path, timeout=10)) as connection, connection:
            connection.row_factory = sqlite3.Row
            for statement in _SCHEMA:
                connection.execute(statement)
            yield connection

    def save(self, conversation: StoredConversation) -> bool:
        """Create or update a conversation of its owner; False (and nothing written) if the id belongs to another
        owner."""
        now = _now()
        turns = json.dumps([turn_record(turn) for turn in conversation.turns], ensure_ascii=False)
        with self._connection() as db:
            cursor = db.execute(
                """INSERT INTO conversations (id, owner, title, created_at, updated_at, turns)
                   VALUES (?, ?, ?, ?, ?, ?)
                   ON CONFLICT (id) DO UPDATE SET title = excluded.title, updated_at = excluded.updated_at,
                       turns = excluded.turns
                   WHERE conversations.owner = excluded.owner""",
                (conversation.id, conversation.owner, conversation.title, now, now, turns))
        return cursor.rowcount == 1

    def summaries(self, owner: str) -> list[ConversationSummary]:
        """The owner's conversations, the most recent first."""
        with self._connection() as db:
            rows = db.execute("SELECT id, title, updated_at, json_array_length(turns) AS questions "
                              "FROM conversations WHERE owner = ? ORDER BY updated_at DESC, rowid DESC",
                              (owner,)).fetchall()
        return [ConversationSummary(r["id"], r["title"], r["updated_at"], r["questions"]) for r in rows]

    def load(self, owner: str, conversation_id: str) -> StoredConversation | None:
        """The conversation if this owner has it (another owner's id gives None, like an unknown one)."""
        with self._connection() as db:
            row = db.execute("SELECT * FROM conversations WHERE id = ? AND owner = ?",
                             (conversation_id, owner)).fetchone()
        if row is None:
            return None
        return StoredConversation(row["id"], row["owner"], [turn_from_record(t) for t in json.loads(row["turns"])],
                                  row["created_at"], row["updated_at"])

    def delete(self, owner: str, conversation_id: str) -> bool:
        """Delete the owner's conversation (its row is gone); False if this owner has no such conversation."""
        with self._connection() as db:
            cursor = db.execute("DELETE FROM conversations WHERE id = ? AND owner = ?", (conversation_id, owner))
        return cursor.rowcount == 1

    def new_browser_key(self) -> str:
        """A new browser key: random, signed with this store's secret."""
        token = secrets.token_urlsafe(24)
        return f"{token}.{self._signature(token)}"

    def knows_browser(self, key: str) -> bool:
        """Whether this store issued the browser key (a key a client made up is never honoured)."""
        token, _, signature = key.partition(".")
        return bool(token) and hmac.compare_digest(signature, self._signature(token))

    def _signature(self, token: str) -> str:
        if self._secret is None:
            with self._connection() as db:
                db.execute("INSERT OR IGNORE INTO browser_secret (id, secret) VALUES (1, ?)",
                           (secrets.token_hex(32),))
                self._secret = db.execute("SELECT secret FROM browser_secret").fetchone()["secret"]
        return hmac.new(self._secret.encode("ascii"), token.encode("utf-8"), hashlib.sha256).hexdigest()


def turn_record(turn: StoredTurn) -> dict[str, Any]:
    """A turn as JSON-ready data."""
    answer = turn.answer
    return {"answer": {**asdict(answer), "sources": [source_record(s) for s in answer.sources]},
            "filters": asdict(turn.filters), "stopped": turn.stopped, "rating": turn.rating}


def source_record(source: Source) -> dict[str, Any]:
    """A source with its whole passage, so that a reopened conversation shows the same card."""
    passage = source.passage
    return {"number": source.number, "scores": asdict(source.scores), "focus": source.focus,
            "passage": {"id": passage.id, "text": passage.text, "metadata": passage.to_metadata()}}


def turn_from_record(record: dict[str, Any]) -> StoredTurn:
    """A turn rebuilt from ``turn_record``."""
    answer = dict(record["answer"])
    answer["sources"] = [Source(s["number"], Passage.from_metadata(s["passage"]["id"], s["passage"]["text"],
                                                                    s["passage"]["metadata"]),
                                PassageScores(**s["scores"]), tuple(s["focus"]) if s["focus"] else None)
                         for s in answer["sources"]]
    answer["checks"] = [SentenceCheck(**{**_tuples(c), "verdict": Verdict(c["verdict"])}) for c in answer["checks"]]
    return StoredTurn(Answer(**answer), SearchFilters(**_tuples(record["filters"])), record["stopped"],
                      record["rating"])


def _tuples(fields: dict[str, Any]) -> dict[str, Any]:
    """JSON's lists back into the tuples the frozen types hold (nested ones too)."""
    def tupled(value: Any) -> Any:
        return tuple(tupled(item) for item in value) if isinstance(value, list) else value

    return {key: tupled(value) for key, value in fields.items()}


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def _now() -> str:
    return dt.datetime.now().isoformat(timespec="microseconds")
