"""Whose conversations a request may list and open: the logged-in user's, or, with login off, the browser's. A
browser is known by a long-lived cookie, signed by the conversation store (so that it outlives a restart, unlike
the session cookie that binds links), set on its first request."""

from __future__ import annotations

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from assistant.conversations import ConversationStore, browser_owner, user_owner
from assistant.web.security import with_cookie
from assistant.web.sessions import cookie_value

BROWSER_COOKIE = "solidarite-navigateur"
BROWSER_COOKIE_DAYS = 400  # the longest a browser keeps a cookie


def owner_of(user: str | None, cookie_header: str) -> str | None:
    """The owner key of a request's conversations: its user's, or its browser's (the cookie, checked by
    ``BrowserCookies`` on the way in); None when there is neither."""
    if user:
        return user_owner(user)
    key = cookie_value(cookie_header, BROWSER_COOKIE)
    return browser_owner(key) if key else None


class BrowserCookies:
    """With login off: gives each browser a signed, long-lived key on its first request (the request itself then
    carries it); a key this server did not sign is replaced, never honoured."""

    def __init__(self, app: ASGIApp, store: ConversationStore) -> None:
        self.app = app
        self.store = store

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        cookie = Headers(scope=scope).get("cookie", "")
        current = cookie_value(cookie, BROWSER_COOKIE)
        if current and self.store.knows_browser(current):
            await self.app(scope, receive, send)
            return
        key = self.store.new_browser_key()
        set_cookie = f"{BROWSER_COOKIE}={key}; Path=/; Max-Age={BROWSER_COOKIE_DAYS * 86400}; HttpOnly"

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message).append("set-cookie", set_cookie)
            await send(message)

        await self.app(with_cookie(scope, BROWSER_COOKIE, key), receive, send_with_cookie)
