"""A researcher checks the answer's citations in the browser (Debian's Chromium, headless, through Playwright): they
read [1], [2] in order, the panel lists exactly those, and a click opens the cited page beside the chat with the
sentence that holds the answer up marked."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, expect

from assistant.index.embeddings import E5Embeddings
from assistant.service import Assistant
from assistant.settings import Settings
from assistant.web.app import serving
from tests.test_web import (PAYMENT_QUESTION, TIMEOUT, ask, browser, context, last_answer,  # noqa: F401 - fixtures
                            open_chat, web_assistant)
from tests.web_support import CHROMIUM, scripted_model

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is installed by `make test`")]

TWO_QUESTION = "Combien la ministre verse-t-elle à la CRÉ et que dit-on du gabarit de reddition de comptes ?"
AGREEMENT_TITLE = "Entente Alliance pour la solidarité – Mauricie"
NOTE_TITLE = "Entretien avec une intervenante en sécurité alimentaire de Matawinie"


def test_citations_read_1_then_2_in_the_order_of_the_answer_and_the_panel_lists_exactly_those(
        web_assistant: Callable[..., Assistant], settings: Settings, e5: E5Embeddings,
        context: BrowserContext) -> None:
    found = [s.passage.info.title for s in web_assistant().search(TWO_QUESTION)]
    # The search ranks the agreement before the note; the answer cites the note first.
    agreement, note = found.index(AGREEMENT_TITLE) + 1, found.index(NOTE_TITLE) + 1
    assert agreement < note
    answer = (f"Le gabarit de reddition de comptes imposé par la CRÉ compte 14 pages [{note}]. La ministre verse "
              f"1 505 000 $ à la CRÉ de la Mauricie pour l'exercice 2013-2014 [{agreement}].")
    assistant = Assistant(settings, embeddings=e5, chat_model=scripted_model(answer))
    with serving(assistant) as url:
        page = context.new_page()
        open_chat(page, url)
        ask(page, TWO_QUESTION)

        expect(last_answer(page)).to_contain_text("compte 14 pages [1]. La ministre verse 1 505 000 $ à la CRÉ de la "
                                                  "Mauricie pour l'exercice 2013-2014 [2].", timeout=TIMEOUT)
        expect(last_answer(page).get_by_role("link", name="[1]")).to_have_attribute("title", NOTE_TITLE)
        panel = page.locator("#sources-panel")
        expect(panel.locator(".panel-heading")).to_have_text("Sources citées (2)", timeout=TIMEOUT)
        expect(panel.locator(".source-card h4")).to_have_text([f"[1] {NOTE_TITLE}", f"[2] {AGREEMENT_TITLE}"])


def test_clicking_a_citation_opens_its_page_beside_the_chat_with_the_supporting_sentence_marked(
        web_assistant: Callable[..., Assistant], context: BrowserContext) -> None:
    assistant = web_assistant()
    with serving(assistant) as url:
        page = context.new_page()
        open_chat(page, url)
        ask(page, PAYMENT_QUESTION)
        expect(page.locator("#sources-panel .source-card")).to_have_count(1, timeout=TIMEOUT)

        last_answer(page).get_by_role("link", name="[1]").click()

        side = page.locator("#side-viewer")
        expect(side).to_contain_text(f"[1] {AGREEMENT_TITLE}", timeout=TIMEOUT)
        expect(side.locator(".side-facts")).to_contain_text("Page 2")
        image = side.locator("img.side-page")
        expect(image).to_have_attribute("src", re.compile(r"page\.png\?jeton=[^&]+&phrases=\d+-\d+"))
        page.wait_for_function("() => document.querySelector('#side-viewer img.side-page').naturalWidth > 0",
                               timeout=TIMEOUT)
        supporting = "".join(side.locator(".side-text mark.support").all_inner_texts())
        assert "La ministre verse à la CRÉ de la Mauricie 1 505 000 $ pour l'exercice 2013-2014" in supporting
        assert "Article 6" not in supporting and "Fonds québécois" not in supporting
        expect(side.locator(".side-text mark.term", has_text="1 505 000 $").first).to_be_visible()
        expect(side.locator(".side-text")).not_to_contain_text("Reddition de comptes")  # page 3 is not shown
        expect(side.get_by_role("link", name="Ouvrir en pleine page")).to_have_attribute("target", "_blank")
        expect(side.get_by_role("link", name="Document original")).to_be_visible()
        # Still in the chat: the answer and the question box are there, no other tab opened.
        assert len(context.pages) == 1
        expect(last_answer(page)).to_contain_text("2013-2014 [1].")
        expect(page.get_by_placeholder("Votre question…")).to_be_visible()

        side.get_by_role("button", name="Fermer la source").click()
        expect(side.locator(".side-viewer")).to_have_count(0)

