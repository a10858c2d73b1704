"""Screenshots of the web chat's main screens for ``docs/``, taken in headless Chromium against the real app.

Uses the settings' corpus, index and chat model (index first with ``assistant index``); adds a temporary users file
with one account, so that the login screen is shown too::

    .venv/bin/python -m scripts.web_screenshots --sortie docs
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from playwright.sync_api import Page, expect, sync_playwright

from assistant.access import hash_password
from assistant.service import Assistant
from assistant.web.app import serving

CHROMIUM = "/usr/bin/chromium"
QUESTION = "Quel montant l'entente de la Mauricie prévoit-elle pour 2013-2014 ?"
COMPARISON = "Quel montant l'entente prévoit-elle pour l'exercice 2013-2014 ?"
THEME = "la reddition de comptes jugée trop lourde"
USER, PASSWORD = "chercheuse", "capture-d-ecran"
ANSWER_TIMEOUT = 10 * 60 * 1000  # the local model on two cores


def main() -> None:
    """Log in, ask, open the cited sources, apply a filter, show the documents, Comparer and Extraits tabs; one PNG
    per screen."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sortie", type=Path, default=Path("docs"), help="dossier des captures")
    parser.add_argument("--question", default=QUESTION)
    arguments = parser.parse_args()
    assistant = Assistant()
    if not assistant.manifest().documents:
        raise SystemExit("L'index est vide : lancez d'abord `assistant index`.")
    with tempfile.TemporaryDirectory() as folder:
        users = Path(folder) / "utilisateurs.toml"
        users.write_text(f'[roles]\nequipe = ["public", "interne", "confidentiel"]\n\n[utilisateurs.{USER}]\n'
                         f'role = "equipe"\nhachage = "{hash_password(PASSWORD)}"\n', encoding="utf-8")
        assistant.settings.web.users_file = users
        assistant.load_models()
        with serving(assistant) as url, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
            context = browser.new_context(locale="fr-CA", viewport={"width": 1440, "height": 1000})
            page = context.new_page()
            capture_screens(page, url, arguments.question, arguments.sortie)
            browser.close()


def capture_screens(page: Page, url: str, question: str, folder: Path) -> None:
    """Login; a first answer and its first source; in a new conversation, the same question restricted to
    agreements (filters shown) and its first source, usually a PDF page; the documents tab with its overview
    charts; the Comparer and Extraits tabs (``capture_research_tabs``). The answers are the
    model's own: whatever it writes, cites or refuses is what the screens show."""
    page.goto(url)
    expect(page.get_by_label("nom d'utilisateur")).to_be_visible()
    page.screenshot(path=str(folder / "login.png"))
    page.get_by_label("nom d'utilisateur").fill(USER)
    page.get_by_label("mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    ask_and_wait(page, question)
    page.screenshot(path=str(folder / "chat.png"))
    open_beside(page, folder / "chat-side.png")
    open_first_source(page, folder / "source-first-answer.png")
    page.get_by_role("button", name="Nouvelle conversation").click()
    page.locator("#filter-types").get_by_label("Entente").check()
    ask_and_wait(page, question)
    page.screenshot(path=str(folder / "chat-filtered.png"))
    open_first_source(page, folder / "source.png")
    page.get_by_role("tab", name="Documents").click()
    expect(page.locator("#documents-table")).to_contain_text("Entente")
    expect(page.locator("#overview-types")).to_be_visible()
    page.screenshot(path=str(folder / "documents.png"), full_page=True)
    capture_research_tabs(page, folder)


def capture_research_tabs(page: Page, folder: Path) -> None:
    """The Comparer tab once every region's row is in, and the Extraits tab on a theme, with its chart."""
    page.get_by_role("tab", name="Comparer").click()
    page.locator("#compare-question textarea").fill(COMPARISON)
    page.locator("#compare-run").click()
    expect(page.locator("#compare-csv")).to_be_visible(timeout=ANSWER_TIMEOUT)
    page.screenshot(path=str(folder / "comparer.png"), full_page=True)
    page.get_by_role("tab", name="Extraits").click()
    page.locator("#excerpts-theme textarea").fill(THEME)
    page.locator("#excerpts-run").click()
    expect(page.locator("#excerpts-counts")).to_be_visible(timeout=ANSWER_TIMEOUT)
    page.screenshot(path=str(folder / "extraits.png"))  # the chart and the first excerpts; the list runs long


def ask_and_wait(page: Page, question: str) -> None:
    """Ask, then wait for the whole answer and its sources panel."""
    box = page.get_by_placeholder("Votre question…")
    box.fill(question)
    box.press("Enter")
    expect(page.get_by_role("button", name="Arrêter")).to_be_visible()
    expect(page.get_by_role("button", name="Envoyer")).to_be_visible(timeout=ANSWER_TIMEOUT)
    expect(page.locator("#sources-panel .source-card").first).to_be_visible()


def open_beside(page: Page, path: Path) -> None:
    """Click the answer's first citation and capture the source opened beside the chat."""
    page.locator("#chat [data-testid='bot'] a.cite").first.click()
    expect(page.locator("#side-viewer .side-viewer")).to_be_visible()
    page.wait_for_function("() => [...document.querySelectorAll('#side-viewer img')].every(i => i.naturalWidth > 0)")
    page.screenshot(path=str(path))


def open_first_source(page: Page, path: Path) -> None:
    """Open the panel's first source in its viewer and capture it."""
    with page.context.expect_page() as opened:
        page.locator("#sources-panel .source-card h4 a:not(.cite)").first.click()
    viewer = opened.value
    expect(viewer.locator("mark#passage")).to_be_visible()
    viewer.wait_for_load_state("networkidle")
    viewer.screenshot(path=str(path))
    viewer.close()


if __name__ == "__main__":
    main()
