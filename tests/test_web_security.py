"""Over HTTP, against the running server: a link serves a document only to the browser session that received it,
while its user may read the document as it is indexed now; an export only to its owner; every route sends the
security headers; logins are slowed, logged and unlocked by the admin."""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from gradio.utils import get_upload_folder

from assistant.cli import main as cli_main
from assistant.index.embeddings import E5Embeddings
from assistant.service import Assistant
from assistant.settings import Settings
from assistant.web.app import serving
from assistant.web.conversation import Conversation
from assistant.web.sessions import SESSION_COOKIE, BrowserSessions
from bench.web_load import ChatSession
from tests.conftest import write_note
from tests.web_support import PASSWORDS, write_users_file

NOTE = "entretiens/ent-lan-02.md"
CONFIDENTIAL_NOTE = "entretiens/ent-cno-03.md"
TRUCK_QUESTION = "Quand le camion des Marchés solidaires de Matawinie a-t-il fait sa première tournée ?"
RENT_QUESTION = "De combien le loyer de la citoyenne de Sept-Îles a-t-il augmenté en 2013 ?"
SECURITY_HEADERS = {"x-frame-options": "DENY", "x-content-type-options": "nosniff", "referrer-policy": "same-origin"}


@pytest.fixture
def web(settings: Settings, e5: E5Embeddings, tmp_path: Path) -> Iterator[tuple[Assistant, str]]:
    """The tiny corpus indexed, two accounts (marie: every level; paul: public and interne), extractive answers,
    the server running on the loopback."""
    settings.llm.backend = "extractive"
    settings.web.users_file = write_users_file(tmp_path / "utilisateurs.toml")
    settings.web.feedback_db = tmp_path / "retours.sqlite3"
    settings.web.login_db = tmp_path / "connexions.sqlite3"
    settings.web.login_free_failures, settings.web.login_lockout_failures = 2, 3
    assistant = Assistant(settings, embeddings=e5)
    assistant.index()
    with serving(assistant) as url:
        yield assistant, url


def logged_in(url: str, user: str) -> ChatSession:
    chat = ChatSession(url, timeout=120)
    chat.login(user, PASSWORDS[user])
    return chat


def link_to(html: str, path: str) -> str:
    """The signed link to a corpus file in what the page received."""
    return re.search(rf"documents/{re.escape(path)}\?jeton=[0-9a-f.]+", html).group()


def passage_link_from(chat: ChatSession, panel: str, path: str) -> str:
    """The link of the source card whose passage comes from this file (as the viewer it opens says)."""
    for link in re.findall(r"sources/[\w-]+\?jeton=[0-9a-f.]+", panel):
        if path in chat.http.get(link).text:
            return link
    raise AssertionError(f"aucune source de {path} dans le panneau")


def refused(response: httpx.Response, secret: str) -> bool:
    """A French error page (403 or 404) that shows nothing of the document."""
    return (response.status_code in (403, 404) and '<html lang="fr-CA">' in response.text
            and secret not in response.text)


def test_a_browser_session_ends_with_logout_or_idleness_and_is_never_honoured_again() -> None:
    now = [0.0]
    sessions = BrowserSessions(idle_seconds=60, clock=lambda: now[0])
    first, second = sessions.open(), sessions.open()
    conversation = Conversation(session=first)
    sessions.keep_conversation(first, conversation)
    assert sessions.conversation(first, conversation.id) is conversation
    assert sessions.conversation(second, conversation.id) is None
    now[0] = 50
    assert sessions.touch(first)
    now[0] = 100
    assert sessions.is_live(first) and not sessions.is_live(second)  # idle for 100 s
    sessions.end(first)
    assert not sessions.touch(first) and sessions.conversation(first, conversation.id) is None
    assert not sessions.touch("inventee") and not sessions.touch(None)


def test_a_partners_link_to_a_note_stops_working_once_the_note_is_replaced_by_a_confidential_version(
        web: tuple[Assistant, str], settings: Settings) -> None:
    assistant, url = web
    paul = logged_in(url, "paul")
    try:
        _, table, _ = paul.call("documents_view", [])
        document = link_to(str(table), NOTE)
        passage = passage_link_from(paul, paul.ask(TRUCK_QUESTION).panel, NOTE)
        assert paul.http.get(document).status_code == 200 and "Marchés solidaires" in paul.http.get(document).text
        assert paul.http.get(passage).status_code == 200

        write_note(settings.corpus_dir / NOTE, """
            titre: Entretien avec une intervenante en sécurité alimentaire de Matawinie
            type: entretien
            regions: [Lanaudière]
            date: 2013-09-19
            confidentialite: confidentiel
            """, """
            Version confidentielle : le camion des Marchés solidaires de Matawinie a perdu son financement.
            """)
        assistant.index()

        for link in (document, passage):
            assert refused(httpx.get(url + link), "Version confidentielle"), link  # no cookie at all
            assert refused(paul.http.get(link), "Version confidentielle"), link  # the partner's own session
        assert "pas consultable avec votre rôle" in paul.http.get(document).text
    finally:
        paul.close()


def test_a_team_members_links_end_with_her_logout_and_never_serve_another_session(
        web: tuple[Assistant, str]) -> None:
    _, url = web
    marie, paul, marie_elsewhere = (logged_in(url, user) for user in ("marie", "paul", "marie"))
    try:
        passage = passage_link_from(marie, marie.ask(RENT_QUESTION).panel, CONFIDENTIAL_NOTE)
        document = link_to(str(marie.call("documents_view", [])[1]), CONFIDENTIAL_NOTE)
        assert marie.http.get(document).status_code == 200
        for link in (passage, document):
            assert refused(httpx.get(url + link), "975 $"), link
            assert refused(paul.http.get(link), "975 $"), link
            assert refused(marie_elsewhere.http.get(link), "975 $"), link  # her own other session

        cookies = dict(marie.http.cookies)
        assert marie.http.get("logout").status_code == 302
        with httpx.Client(base_url=url, cookies=cookies) as replay:  # the cookies she had, replayed
            for link in (passage, document):
                assert refused(marie.http.get(link), "975 $"), link
                assert refused(replay.get(link), "975 $"), link
    finally:
        for chat in (marie, paul, marie_elsewhere):
            chat.close()


def test_an_export_is_served_to_its_owner_only_and_never_kept_as_a_file(web: tuple[Assistant, str]) -> None:
    _, url = web
    marie, paul = logged_in(url, "marie"), logged_in(url, "paul")
    try:
        marie.call("begin", [RENT_QUESTION, None, [], [], None, None, []])
        export = re.search(r'href="(exports/[0-9a-f]+)"', marie.call("stream_answer", [None])[2]).group(1)
        own = marie.http.get(export)
        assert own.status_code == 200 and own.headers["content-disposition"].startswith("attachment")
        assert "citoyenne de Sept-Îles" in own.text and own.headers["cache-control"] == "no-store"
        assert refused(paul.http.get(export), "Sept-Îles")
        assert refused(httpx.get(url + export), "Sept-Îles")
        assert not list(Path(get_upload_folder()).rglob("conversation-*.md"))

        cookies = dict(marie.http.cookies)
        marie.http.get("logout")
        with httpx.Client(base_url=url, cookies=cookies) as replay:
            assert refused(replay.get(export), "Sept-Îles")
    finally:
        marie.close()
        paul.close()


def test_every_kind_of_route_sends_the_security_headers_and_the_api_is_not_listed_without_login(
        web: tuple[Assistant, str]) -> None:
    _, url = web
    with httpx.Client(base_url=url) as visitor:
        responses = {"page": visitor.get(""), "login": visitor.post("login", data={"username": "x", "password": "y"}),
                     "viewer": visitor.get("sources/p-00001?jeton=1.a"),
                     "document": visitor.get("documents/ententes/entente-mauricie.pdf"),
                     "export": visitor.get("exports/0123"), "style": visitor.get("theme.css")}
        for path in ("openapi.json", "docs", "redoc", "config", "gradio_api/info", "gradio_api/openapi.json"):
            listing = visitor.get(path)
            assert listing.status_code in (401, 404), path
            assert "paths" not in listing.text and "dependencies" not in listing.text, path
    marie = logged_in(url, "marie")
    try:
        responses["chat"] = marie.http.get("")
        responses["events"] = marie.http.get("config")
        panel = marie.ask(TRUCK_QUESTION).panel
        responses["viewer, signed"] = marie.http.get(passage_link_from(marie, panel, NOTE))
        responses["note, signed"] = marie.http.get(link_to(panel, NOTE))
    finally:
        marie.close()
    for kind, response in responses.items():
        for name, value in SECURITY_HEADERS.items():
            assert response.headers.get(name) == value, (kind, name)
        policy = response.headers["content-security-policy"]
        assert "frame-ancestors 'none'" in policy and "default-src" in policy and "http" not in policy, kind
    assert responses["chat"].status_code == 200 and responses["viewer, signed"].status_code == 200
    assert "script-src" not in responses["viewer, signed"].headers["content-security-policy"]  # no script at all


def test_both_cookies_are_samesite_lax_and_secure_only_over_https(web: tuple[Assistant, str]) -> None:
    _, url = web
    for forwarded, secure in (({}, False), ({"X-Forwarded-Proto": "https"}, True)):
        with httpx.Client(base_url=url, headers=forwarded) as browser:
            response = browser.post("login", data={"username": "marie", "password": PASSWORDS["marie"]})
        cookies = response.headers.get_list("set-cookie")
        names = {cookie.split("=")[0] for cookie in cookies}
        assert SESSION_COOKIE in names and any(name.startswith("access-token") for name in names)
        for cookie in cookies:
            attributes = [part.strip().lower() for part in cookie.split(";")]
            assert "samesite=lax" in attributes and ("secure" in attributes) == secure, cookie


def test_wrong_passwords_lock_the_login_until_the_admin_unlocks_it_and_each_attempt_is_logged(
        web: tuple[Assistant, str], settings: Settings, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    _, url = web
    caplog.set_level(logging.INFO, logger="assistant.connexions")
    with httpx.Client(base_url=url) as browser:
        def attempt(password: str) -> httpx.Response:
            return browser.post("login", data={"username": "marie", "password": password})

        assert [attempt("mauvais-1").status_code for _ in range(2)] == [400, 400]
        early = attempt(PASSWORDS["marie"])  # the right password, too soon: not even checked
        assert early.status_code == 400 and "attendez" in early.json()["detail"] and early.headers["retry-after"]
        time.sleep(1.1)  # the wait after two failures
        assert attempt("mauvais-2").status_code == 400  # the third failure locks
        locked = attempt(PASSWORDS["marie"])
        assert locked.status_code == 400 and "verrouillé pendant encore 15 min" in locked.json()["detail"]

        monkeypatch.setenv("ASSISTANT_WEB__LOGIN_DB", str(settings.web.login_db))
        assert cli_main(["deverrouiller", "marie", "--adresse", "127.0.0.1"]) == 0
        assert attempt(PASSWORDS["marie"]).status_code == 200

    lines = [record.getMessage() for record in caplog.records if record.name == "assistant.connexions"]
    assert len(lines) == 6 and all("'marie'" in line and "127.0.0.1" in line for line in lines)
    assert sum("refusée (mot de passe incorrect)" in line for line in lines) == 3
    assert sum("sans vérifier le mot de passe" in line for line in lines) == 2
    assert "acceptée" in lines[-1]
    assert not any(secret in line for line in lines for secret in ("mauvais", PASSWORDS["marie"]))
