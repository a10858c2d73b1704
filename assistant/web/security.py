"""ASGI middleware around the whole app: security headers and cookie attributes on every response, the browser
session cookie (set on a browser's first request, ended by logout), and slowed logins."""

from __future__ import annotations

import asyncio
import logging
import math

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers, MutableHeaders
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from assistant.access import LoginThrottle
from assistant.web.sessions import SESSION_COOKIE, BrowserSessions, session_cookie

LOGIN_PATHS = ("/login", "/login/")
LOGOUT_PATH = "/logout"
# The routes that serve corpus files, passages and exports: no script at all, images from the app only.
OWN_ROUTES = ("/documents/", "/sources/", "/exports/")
# Gradio's page needs inline scripts (its config) and styles, data:/blob: images, its API on the same origin, and
# 'unsafe-eval': Gradio 6's HTML component (the sources panel) compiles its template with ``new Function``.
APP_POLICY = ("default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; "
              "img-src 'self' data: blob:; font-src 'self' data:; media-src 'self' data: blob:; "
              "connect-src 'self'; worker-src 'self' blob:; frame-src 'self'; object-src 'none'; "
              "base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
FILE_POLICY = ("default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; object-src 'self'; "
               "base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
HEADERS = {"X-Frame-Options": "DENY", "X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin"}
LOGIN_LOG = logging.getLogger("assistant.connexions")


class SecurityHeaders:
    """Every response gets a Content-Security-Policy (own origin only, never framed), X-Frame-Options,
    X-Content-Type-Options and Referrer-Policy; every cookie (the session's and Gradio's login) gets
    ``SameSite=Lax``, and ``Secure`` when the request came over HTTPS (or ``web.secure_cookies``)."""

    def __init__(self, app: ASGIApp, always_secure: bool = False) -> None:
        self.app = app
        self.always_secure = always_secure

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        secure = self.always_secure or scope.get("scheme") == "https"
        policy = FILE_POLICY if scope["path"].startswith(OWN_ROUTES) else APP_POLICY

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers["Content-Security-Policy"] = policy
                for name, value in HEADERS.items():
                    headers[name] = value
                cookies = headers.getlist("set-cookie")
                del headers["set-cookie"]
                for cookie in cookies:
                    headers.append("set-cookie", lax_cookie(cookie, secure))
            await send(message)

        await self.app(scope, receive, send_with_headers)


def lax_cookie(set_cookie: str, secure: bool) -> str:
    """A ``Set-Cookie`` value with ``SameSite=Lax``, and ``Secure`` only over HTTPS (whatever it said before:
    Gradio marks one login cookie ``SameSite=None; Secure`` and the other neither)."""
    kept = [part.strip() for part in set_cookie.split(";")
            if part.strip() and part.strip().split("=")[0].lower() not in ("samesite", "secure")]
    return "; ".join([*kept, "SameSite=Lax", *(["Secure"] if secure else [])])


class SessionCookies:
    """Gives each browser a session cookie on its first request (the request itself then carries it, so that
    the page's events see it at once); an unknown or ended session gets a new one; logout ends the session."""

    def __init__(self, app: ASGIApp, sessions: BrowserSessions) -> None:
        self.app = app
        self.sessions = sessions

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        current = session_cookie(Headers(scope=scope).get("cookie", ""))
        if scope["path"] == LOGOUT_PATH:
            self.sessions.end(current)
            set_cookie = f"{SESSION_COOKIE}=; Path=/; Max-Age=0; HttpOnly"
        elif self.sessions.touch(current):
            set_cookie = None
        else:
            current = self.sessions.open()
            scope = with_cookie(scope, SESSION_COOKIE, current)
            set_cookie = f"{SESSION_COOKIE}={current}; Path=/; HttpOnly"

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start" and set_cookie:
                MutableHeaders(scope=message).append("set-cookie", set_cookie)
            await send(message)

        await self.app(scope, receive, send_with_cookie)


def with_cookie(scope: Scope, name: str, value: str) -> Scope:
    """The request as if the browser had sent this new cookie (appended: the last one wins)."""
    headers = [(key, header) for key, header in scope["headers"] if key != b"cookie"]
    cookie = Headers(scope=scope).get("cookie", "")
    headers.append((b"cookie", f"{cookie}; {name}={value}".lstrip("; ").encode("latin-1")))
    return {**scope, "headers": headers}


class LoginLimiter:
    """Slows Gradio's login route: an attempt made before the user name and the address have waited long enough
    is refused without checking the password; every attempt is logged (name, address, outcome; never the
    password) and counted (``LoginThrottle``)."""

    def __init__(self, app: ASGIApp, throttle: LoginThrottle) -> None:
        self.app = app
        self.throttle = throttle
        self._one_at_a_time = asyncio.Lock()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST" or scope["path"] not in LOGIN_PATHS:
            await self.app(scope, receive, send)
            return
        request = Request(scope, receive)
        body = await request.body()
        async with request.form() as form:
            name = str(form.get("username") or "").strip()  # as Gradio reads it
        address = scope["client"][0] if scope.get("client") else "inconnue"
        # One attempt at a time, counted before its answer leaves: parallel attempts cannot slip past the count.
        async with self._one_at_a_time:
            wait = await run_in_threadpool(self.throttle.wait_before, name, address)
            if wait > 0:
                LOGIN_LOG.warning("Connexion refusée sans vérifier le mot de passe (attente de %d s imposée) : "
                                  "utilisateur %r, adresse %s", math.ceil(wait), name, address)
                response = JSONResponse({"detail": waiting_message(wait)}, status_code=400,
                                        headers={"Retry-After": str(math.ceil(wait))})
                await response(scope, receive, send)
                return
            replayed = False

            async def replay() -> Message:
                nonlocal replayed
                if not replayed:
                    replayed = True
                    return {"type": "http.request", "body": body, "more_body": False}
                return await receive()

            async def count_then_send(message: Message) -> None:
                if message["type"] == "http.response.start":
                    success = message["status"] == 200
                    await run_in_threadpool(self.throttle.record, name, address, success)
                    log = LOGIN_LOG.info if success else LOGIN_LOG.warning
                    log("Connexion %s : utilisateur %r, adresse %s",
                        "acceptée" if success else "refusée (mot de passe incorrect)", name, address)
                await send(message)

            await self.app(scope, replay, count_then_send)


def waiting_message(wait: float) -> str:
    """Why a login attempt was refused before its password was checked, in French."""
    if wait > 60:
        return (f"Trop d'essais manqués : ce nom ou cette adresse est verrouillé pendant encore "
                f"{math.ceil(wait / 60)} min. L'équipe peut le déverrouiller (`assistant deverrouiller NOM`).")
    return f"Trop d'essais manqués : attendez {math.ceil(wait)} s avant de réessayer."
