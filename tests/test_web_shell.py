"""Around the chat, in a real browser (Debian's Chromium through Playwright, the real server): every screen in French
even in an English browser, the active filters as chips, a conversation restricted to chosen documents, a suggested
question asked by a click, conversations found again after a restart, and nobody else's."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import gradio
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from assistant.service import Assistant
from assistant.settings import Settings
from assistant.web.app import serving
from assistant.web.french_ui import GRADIO_FRENCH
from tests.conftest import write_note
from tests.test_web import (PAYMENT_QUESTION, REPORT_ANSWER, TIMEOUT, ask, browser, context,  # noqa: F401
                            last_answer, log_in, open_chat, web_assistant)
from tests.web_support import CHROMIUM

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is installed by `make test`")]

REPORT_TITLE = "Bilan 2013 de l'Alliance en Mauricie"
INTERVIEW_TITLE = "Entretien avec une intervenante en sécurité alimentaire de Matawinie"
AGREEMENT_TITLE = "Entente Alliance pour la solidarité – Mauricie"
# English that Gradio writes itself, outside its locale files (found in its frontend bundle), and the beginnings of
# its English labels.
GRADIO_HARD_CODED = {"Search...", "Filter...", "Copy table data", "Copied to clipboard", "Fullscreen",
                     "Exit fullscreen mode", "chatbot conversation", "File upload", "More tabs", "Open cell menu",
                     "Table actions", "Liked", "Disliked", "Close", "Error", "Warning", "Info", "Success", "Textbox",
                     "Loading...", "processing", "Copy", "Copied!", "Connection Lost", "Close popup",
                     "Click to upload or drop files"}
ENGLISH_STARTS = ("bot's message:", "user's message:", "Enter text to ", "In queue")
# Every text and label a user or a screen reader meets on the page.
SHOWN_STRINGS = """() => {
  const found = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (node.nodeType === 3) {
      const element = node.parentElement;
      if (node.data.trim() && element && element.checkVisibility()
          && !['SCRIPT', 'STYLE'].includes(element.tagName)) found.push(node.data.trim());
      continue;
    }
    for (const name of ['aria-label', 'title', 'placeholder', 'alt'])
      if (node.getAttribute(name)) found.push(node.getAttribute(name).trim());
  }
  return found;
}"""


def gradio_locale(page: Page, language: str) -> dict[str, str]:
    """Gradio's own locale file for a language, as its page loads it (flattened: ``chatbot.copy_message``)."""
    core = next((Path(gradio.__file__).parent / "templates" / "frontend" / "assets").glob("core-*.js")).read_text()
    module = re.search(rf'"\./lang/{language}\.json":\(\)=>\w+\(\(\)=>import\(`\./([^`]+)`\)', core)
    assert module, f"Gradio's {language} locale is no longer where this test looks for it"
    nested = page.evaluate("async (m) => JSON.parse(JSON.stringify((await import(new URL(m, document.baseURI)))"
                           ".default))", f"assets/{module.group(1)}")

    def flat(tree: dict, prefix: str = "") -> dict[str, str]:
        pairs: dict[str, str] = {}
        for key, value in tree.items():
            pairs.update(flat(value, f"{prefix}{key}.") if isinstance(value, dict) else {f"{prefix}{key}": value})
        return pairs

    return flat(nested)


def english_defaults(page: Page) -> set[str]:
    """Gradio's English strings a French page must not show: its English locale, less the words French shares
    (« Conversation », « Image »), plus the strings it hard-codes."""
    english, french = gradio_locale(page, "en"), {**gradio_locale(page, "fr"), **GRADIO_FRENCH}
    assert len(english) > 100
    return {text for key, text in english.items() if text != french.get(key)} - {"_name"} | GRADIO_HARD_CODED


def english_on(page: Page, defaults: set[str]) -> list[str]:
    """The strings on the page that are Gradio's English defaults (a chip's remove button named after the
    choice's index, « Supprimer 6 », counts too)."""
    return [text for text in page.evaluate(SHOWN_STRINGS)
            if text in defaults or text.startswith(ENGLISH_STARTS) or re.fullmatch(r"Supprimer \d+", text)]


def add_report(settings: Settings) -> None:
    """A third public document: the 2013 report of the Mauricie alliance."""
    (settings.corpus_dir / "rapports").mkdir(exist_ok=True)
    write_note(settings.corpus_dir / "rapports" / "bilan-2013.md",
               f"titre: {REPORT_TITLE}\ntype: rapport\nregions: [Mauricie, Lanaudière]\ndate: 2014-03-01\n"
               "confidentialite: public",
               "# Projets soutenus\n\nLe bilan 2013 de la Mauricie compte 42 projets soutenus par l'Alliance.")


def chip(page: Page, name: str):  # noqa: ANN201 - a Playwright locator
    return page.locator(f"#chip-{name}")


def test_every_screen_is_in_french_even_in_an_english_browser(
        web_assistant: Callable[..., Assistant], browser: Browser, settings: Settings) -> None:  # noqa: F811
    assistant = web_assistant()
    english_browser = browser.new_context(locale="en-US", viewport={"width": 1400, "height": 1000})
    try:
        with serving(assistant) as url:
            page = english_browser.new_page()
            page.goto(url)
            expect(page.locator("#identity")).to_contain_text("Accès sans connexion", timeout=TIMEOUT)
            defaults = english_defaults(page)
            assert {"Copy message", "Search...", "Clear", "Remove"} <= defaults
            assert page.evaluate("document.documentElement.lang").startswith("fr")
            seen = english_on(page, defaults)

            page.get_by_role("button", name="Envoyer", exact=True).click()  # an empty question: an error toast
            expect(page.get_by_text("Écrivez une question")).to_be_visible(timeout=TIMEOUT)
            expect(page.locator(".toast-title")).to_contain_text("Erreur")
            seen += english_on(page, defaults)

            page.locator("#filter-types").get_by_label("Entente").check()
            page.get_by_role("combobox", name="Régions").click()
            page.get_by_role("option", name="Mauricie").click()
            page.keyboard.press("Escape")
            expect(chip(page, "regions")).to_be_visible(timeout=TIMEOUT)
            expect(page.locator("#filter-regions [title='Retirer Mauricie']")).to_have_count(1)
            ask(page, PAYMENT_QUESTION)
            expect(page.locator("#sources-panel .panel-heading")).to_be_visible(timeout=TIMEOUT)
            expect(page.locator("#suggestions")).to_be_visible(timeout=TIMEOUT)
            page.get_by_role("button", name="Je n'aime pas").last.click()
            expect(page.get_by_role("button", name="Vous n'aimez pas cette réponse")).to_be_visible(timeout=TIMEOUT)
            last_answer(page).hover()
            seen += english_on(page, defaults)

            page.get_by_role("tab", name="Documents").click()
            expect(page.locator("#documents-table")).to_contain_text(AGREEMENT_TITLE, timeout=TIMEOUT)
            page.locator("#documents-table").get_by_text("ententes/entente-mauricie.pdf").last.click()  # its row
            expect(page.locator("#documents-choice .token")).to_contain_text(AGREEMENT_TITLE, timeout=TIMEOUT)
            page.get_by_role("combobox", name=re.compile("Documents à interroger")).click()
            seen += english_on(page, defaults)
            assert seen == []

        login_assistant = web_assistant(login=True)
        with serving(login_assistant) as url:
            page = english_browser.new_page()
            page.goto(url)
            expect(page.get_by_role("button", name="Connexion")).to_be_visible(timeout=TIMEOUT)
            seen = english_on(page, defaults)
            page.get_by_label("nom d'utilisateur").fill("marie")
            page.get_by_label("mot de passe").fill("pas le bon")
            page.get_by_role("button", name="Connexion").click()
            expect(page.get_by_text("Identifiants incorrects")).to_be_visible(timeout=TIMEOUT)
            seen += english_on(page, defaults)
            log_in(page, url, "marie")
            seen += english_on(page, defaults)
            assert seen == []
    finally:
        english_browser.close()


def test_active_filters_show_as_chips_that_clear_in_one_click_and_a_new_conversation_clears_them_all(
        web_assistant: Callable[..., Assistant], context: BrowserContext) -> None:  # noqa: F811
    assistant = web_assistant()
    with serving(assistant) as url:
        page = context.new_page()
        open_chat(page, url)
        expect(page.locator("#active-filters")).to_be_hidden()
        page.locator("#filter-types").get_by_label("Entente").check()
        page.get_by_role("combobox", name="Régions").click()
        page.get_by_role("option", name="Mauricie").click()
        page.keyboard.press("Escape")
        expect(chip(page, "types")).to_have_text("Types : Entente ✕", timeout=TIMEOUT)
        expect(chip(page, "regions")).to_have_text("Régions : Mauricie ✕")

        ask(page, PAYMENT_QUESTION)
        expect(last_answer(page)).to_contain_text("types : Entente; régions : Mauricie", timeout=TIMEOUT)
        expect(page.locator("#sources-panel .panel-heading")).to_be_visible(timeout=TIMEOUT)
        # The filters stay set for the next question, and say so beside the question box.
        expect(chip(page, "types")).to_be_visible()
        chip(page, "regions").click()
        expect(chip(page, "regions")).to_be_hidden(timeout=TIMEOUT)
        expect(page.locator("#filter-regions .token")).to_have_count(0)
        expect(chip(page, "types")).to_be_visible()

        page.get_by_role("button", name="Nouvelle conversation").click()
        expect(page.locator("#active-filters")).to_be_hidden(timeout=TIMEOUT)
        expect(page.locator("#filter-types").get_by_label("Entente")).not_to_be_checked()
        expect(page.locator("#chat [data-testid='bot']")).to_have_count(0)
        ask(page, "Et pour l'exercice 2014-2015 ?")
        expect(page.locator("#sources-panel .panel-heading")).to_be_visible(timeout=TIMEOUT)
        assert "Filtres appliqués" not in last_answer(page).inner_text()
        assert "Suite de la conversation" not in page.locator("#sources-panel").inner_text()


def test_a_conversation_restricted_to_two_documents_cites_only_them(
        web_assistant: Callable[..., Assistant], context: BrowserContext,  # noqa: F811
        settings: Settings) -> None:
    add_report(settings)
    assistant = web_assistant(answer=REPORT_ANSWER)
    with serving(assistant) as url:
        page = context.new_page()
        open_chat(page, url)
        page.get_by_role("tab", name="Documents").click()
        choice = page.get_by_role("combobox", name=re.compile("Documents à interroger"))
        for title in (REPORT_TITLE, INTERVIEW_TITLE):
            choice.click()
            page.get_by_role("option", name=title).click()
        page.keyboard.press("Escape")
        page.get_by_role("button", name="Interroger seulement ces documents").click()
        expect(page.get_by_role("tab", name="Clavardage")).to_have_attribute("aria-selected", "true",
                                                                             timeout=TIMEOUT)
        expect(chip(page, "documents")).to_contain_text(REPORT_TITLE[:30])
        expect(chip(page, "documents")).to_contain_text("Entretien avec une intervenante")

        for asked, question in enumerate(("Combien de projets le bilan 2013 de la Mauricie compte-t-il ?",
                                          PAYMENT_QUESTION), start=1):
            ask(page, question)
            # The answer is complete (its filters line closes it, the stop button is gone) before reading the panel.
            expect(page.locator("#chat [data-testid='bot']")).to_have_count(asked, timeout=TIMEOUT)
            expect(last_answer(page)).to_contain_text("documents choisis : 2", timeout=TIMEOUT)
            expect(page.get_by_role("button", name="Arrêter")).to_be_hidden(timeout=TIMEOUT)
            titles = page.locator("#sources-panel .source-card h4").all_inner_texts()
            assert titles and all(REPORT_TITLE in t or INTERVIEW_TITLE in t for t in titles), titles

        # From the sources panel: only the documents the answer cites.
        page.get_by_role("button", name="Nouvelle conversation").click()
        ask(page, "Combien de projets le bilan 2013 de la Mauricie compte-t-il ?")
        expect(page.locator("#sources-panel .panel-heading")).to_be_visible(timeout=TIMEOUT)
        page.locator("#only-cited").click()
        expect(chip(page, "documents")).to_have_text(f"Seulement : {REPORT_TITLE} ✕", timeout=TIMEOUT)


def test_a_suggested_follow_up_question_is_asked_with_one_click(
        web_assistant: Callable[..., Assistant], context: BrowserContext) -> None:  # noqa: F811
    assistant = web_assistant()
    with serving(assistant) as url:
        page = context.new_page()
        open_chat(page, url)
        ask(page, PAYMENT_QUESTION)
        suggestion = page.locator("#suggestions").get_by_role("button", name="Et pour l'exercice 2014-2015 ?")
        expect(suggestion).to_be_visible(timeout=TIMEOUT)
        assert 2 <= page.locator("#suggestions button:visible").count() <= 3
        suggestion.click()
        expect(page.locator("#chat [data-testid='user']")).to_have_count(2, timeout=TIMEOUT)
        expect(page.locator("#chat [data-testid='user']").last).to_have_text("Et pour l'exercice 2014-2015 ?")
        expect(page.locator("#chat [data-testid='bot']")).to_have_count(2)
        expect(page.locator("#sources-panel")).to_contain_text("Suite de la conversation", timeout=TIMEOUT)


def stored_conversations(settings: Settings) -> list[tuple[str, str]]:
    with closing(sqlite3.connect(settings.web.conversations_db)) as db:
        return db.execute("SELECT owner, title FROM conversations").fetchall()


def test_a_conversation_is_found_again_after_a_restart_then_deleted(
        web_assistant: Callable[..., Assistant], context: BrowserContext, browser: Browser,  # noqa: F811
        settings: Settings) -> None:
    assistant = web_assistant()
    with serving(assistant) as url:
        page = context.new_page()
        open_chat(page, url)
        ask(page, PAYMENT_QUESTION)
        expect(page.get_by_text("chiffre trouvé dans la source").first).to_be_visible(timeout=TIMEOUT)
        page.get_by_role("button", name="J'aime", exact=True).last.click()
        expect(page.locator("#feedback-status")).to_contain_text("est enregistrée", timeout=TIMEOUT)
        expect(page.locator("#conversation-list")).to_contain_text(PAYMENT_QUESTION[:40], timeout=TIMEOUT)

    restarted = Assistant(settings, embeddings=assistant.embeddings, chat_model=assistant.chat_model)
    with serving(restarted) as url:
        page.goto(url)  # the same browser, after the restart
        listed = page.locator("#conversation-list")
        expect(listed).to_contain_text(PAYMENT_QUESTION[:40], timeout=TIMEOUT)
        listed.get_by_text(PAYMENT_QUESTION[:40]).click()
        expect(page.locator("#chat [data-testid='user']")).to_have_text(PAYMENT_QUESTION, timeout=TIMEOUT)
        expect(last_answer(page)).to_contain_text("1 505 000 $")
        panel = page.locator("#sources-panel")
        expect(panel).to_contain_text(AGREEMENT_TITLE)
        expect(panel).to_contain_text("chiffre trouvé dans la source sur la même ligne")  # the check's verdict
        expect(page.get_by_role("button", name="Vous aimez cette réponse")).to_be_visible()  # the reader's rating

        other = browser.new_context(locale="fr-CA")  # another browser: none of these conversations
        try:
            stranger = other.new_page()
            open_chat(stranger, url)
            stranger.wait_for_timeout(1000)
            assert PAYMENT_QUESTION[:40] not in stranger.locator("#conversation-list").inner_text()
        finally:
            other.close()

        page.get_by_role("button", name="Supprimer la conversation choisie").click()
        expect(listed).not_to_contain_text(PAYMENT_QUESTION[:40], timeout=TIMEOUT)
        expect(page.locator("#chat [data-testid='user']")).to_have_count(0)
    assert stored_conversations(settings) == []


def test_a_user_never_lists_another_users_conversations(
        web_assistant: Callable[..., Assistant], context: BrowserContext, browser: Browser,  # noqa: F811
        settings: Settings) -> None:
    assistant = web_assistant(login=True)
    with serving(assistant) as url:
        team = context.new_page()
        log_in(team, url, "marie")
        ask(team, PAYMENT_QUESTION)
        expect(team.locator("#conversation-list")).to_contain_text(PAYMENT_QUESTION[:40], timeout=TIMEOUT)

        other = browser.new_context(locale="fr-CA")
        try:
            partner = other.new_page()
            log_in(partner, url, "paul")
            partner.wait_for_timeout(1000)
            assert PAYMENT_QUESTION[:40] not in partner.locator("#conversation-list").inner_text()
        finally:
            other.close()
    assert [owner for owner, _ in stored_conversations(settings)] == ["utilisateur:marie"]
