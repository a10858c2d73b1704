"""Browser sessions: a cookie the server sets on the first request of a browser, so that links to sources and
conversation exports belong to that browser (and, with login, to its user). Logout or idleness ends a session."""

from __future__ import annotations

import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field

from assistant.web.conversation import Conversation

SESSION_COOKIE = "solidarite-session"
# Clients that never keep cookies open a session per request; beyond this many, the least recently seen goes.
MAX_SESSIONS = 10_000


@dataclass
class BrowserSession:
    """One browser's session: when it was last seen, and the conversations it may export."""

    last_seen: float
    conversations: dict[str, Conversation] = field(default_factory=dict)


class BrowserSessions:
    """The live sessions of this server; an unknown, ended or idle session id is never honoured again."""

    def __init__(self, idle_seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.idle_seconds = idle_seconds
        self.clock = clock
        self._sessions: OrderedDict[str, BrowserSession] = OrderedDict()  # least recently seen first
        self._lock = threading.Lock()

    def open(self) -> str:
        """A new session id (unguessable)."""
        session_id = secrets.token_urlsafe(24)
        with self._lock:
            self._forget_idle()
            if len(self._sessions) >= MAX_SESSIONS:
                self._sessions.popitem(last=False)
            self._sessions[session_id] = BrowserSession(self.clock())
        return session_id

    def touch(self, session_id: str | None) -> bool:
        """Whether the session is live; a live one is kept alive."""
        with self._lock:
            self._forget_idle()
            session = self._sessions.get(session_id or "")
            if session is not None:
                session.last_seen = self.clock()
                self._sessions.move_to_end(session_id or "")
            return session is not None

    def is_live(self, session_id: str | None) -> bool:
        """Whether the session is live (without keeping it alive)."""
        with self._lock:
            self._forget_idle()
            return (session_id or "") in self._sessions

    def end(self, session_id: str | None) -> None:
        """End a session (logout): its links stop working and its exports are gone."""
        with self._lock:
            self._sessions.pop(session_id or "", None)

    def keep_conversation(self, session_id: str, conversation: Conversation) -> None:
        """Let this session export this conversation (and only this session)."""
        with self._lock:
            session = self._sessions.get(session_id)
            if session is not None:
                session.conversations[conversation.id] = conversation

    def drop_conversation(self, session_id: str, conversation_id: str) -> None:
        """The session started a new conversation: the old one can no longer be exported."""
        with self._lock:
            session = self._sessions.get(session_id)
            if session is not None:
                session.conversations.pop(conversation_id, None)

    def conversation(self, session_id: str | None, conversation_id: str) -> Conversation | None:
        """The conversation if this live session owns it."""
        with self._lock:
            self._forget_idle()
            session = self._sessions.get(session_id or "")
            return session.conversations.get(conversation_id) if session else None

    def _forget_idle(self) -> None:
        cutoff = self.clock() - self.idle_seconds
        while self._sessions and next(iter(self._sessions.values())).last_seen < cutoff:
            self._sessions.popitem(last=False)


def session_cookie(cookie_header: str) -> str | None:
    """The session id a ``Cookie`` header carries."""
    return cookie_value(cookie_header, SESSION_COOKIE)


def cookie_value(cookie_header: str, name: str) -> str | None:
    """A cookie of a ``Cookie`` header (the last one wins, as the server appends its own on a first request)."""
    found = None
    for part in cookie_header.split(";"):
        key, _, value = part.strip().partition("=")
        if key == name:
            found = value
    return found
