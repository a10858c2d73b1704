"""The web chat starts, answers through its own API, and shows a cited answer in a real browser."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import gradio as gr
import pytest
from gradio_client import Client

from assistant.index.embeddings import E5Embeddings
from assistant.service import Assistant
from assistant.settings import Settings
from assistant.web.app import SOURCES_TITLE, build_app
from tests.conftest import fake_chat_model

CHROMIUM = Path("/usr/bin/chromium")
ANSWER = "La ministre verse 1 505 000 $ à la CRÉ de la Mauricie pour 2013-2014 [1]."


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def running_app(settings: Settings, e5: E5Embeddings) -> Iterator[str]:
    """The real Gradio app on a free loopback port, answering with a scripted chat model."""
    assistant = Assistant(settings, embeddings=e5, chat_model=fake_chat_model(ANSWER))
    assistant.index()
    app: gr.Blocks = build_app(assistant)
    port = free_port()
    app.queue().launch(server_name="127.0.0.1", server_port=port, prevent_thread_lock=True, quiet=True)
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        app.close()


def test_the_app_answers_through_its_own_api_with_sources(running_app: str) -> None:
    result = Client(running_app, verbose=False).predict(
        "Combien la ministre verse-t-elle à la Mauricie en 2013-2014 ?", api_name="/chat")
    messages = result if isinstance(result, list) else [result]
    texts = [m["content"] if isinstance(m, dict) else str(m) for m in messages]
    assert texts[0] == ANSWER
    assert "Entente Alliance pour la solidarité – Mauricie" in texts[1]
    assert "page 2" in texts[1] and "1 505 000 $" in texts[1]


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is installed by `make test`")
def test_a_staff_member_asks_in_the_browser_and_sees_the_cited_source(running_app: str, tmp_path: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run"])
        page = browser.new_page()
        page.goto(running_app)
        box = page.get_by_placeholder("Votre question…")
        box.fill("Combien la ministre verse-t-elle à la CRÉ de la Mauricie en 2013-2014 ?")
        box.press("Enter")
        expect(page.get_by_text("1 505 000 $ à la CRÉ de la Mauricie")).to_be_visible(timeout=30_000)
        expect(page.get_by_text(SOURCES_TITLE)).to_be_visible()
        page.get_by_text(SOURCES_TITLE).click()
        expect(page.get_by_text("Entente Alliance pour la solidarité – Mauricie").first).to_be_visible()
        expect(page.get_by_text("page 2").first).to_be_visible()
        page.screenshot(path=str(tmp_path / "chat.png"), full_page=True)
        browser.close()
