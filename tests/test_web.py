"""Staff and researchers use the web chat in a real browser (Debian's Chromium, headless, through Playwright)."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Frame, Page, expect, sync_playwright

from assistant.index.embeddings import E5Embeddings
from assistant.service import Assistant
from assistant.settings import Settings
from assistant.web.app import serving
from assistant.web.sources import markdown_literal
from tests.conftest import write_note, write_pdf
from tests.web_support import ANSWER, CHROMIUM, CHROMIUM_ARGS, PASSWORDS, scripted_model, write_users_file

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is installed by `make test`")]

PAYMENT_QUESTION = "Combien la ministre verse-t-elle à la CRÉ de la Mauricie en 2013-2014 ?"
RENT_QUESTION = "De combien le loyer de la citoyenne de Sept-Îles a-t-il augmenté en 2013 ?"
# Answers the tiny corpus supports, so that they stand whatever checks the answer step makes.
LONG_ANSWER = " ".join([
    "La ministre verse 1 505 000 $ à la CRÉ de la Mauricie pour l'exercice 2013-2014 [1].",
    "Elle verse encore 1 505 000 $ pour l'exercice 2014-2015 [1].",
    "Les sommes proviennent du Fonds québécois d'initiatives sociales [1].",
] * 2)
RENT_ANSWER = "Le loyer de la citoyenne est passé de 675 $ à 975 $ en juillet 2013 [1]."
REPORTING_ANSWER = "Le gabarit de reddition de comptes imposé par la CRÉ compte 14 pages [1]."
REPORT_ANSWER = "Le bilan 2013 de la Mauricie compte 42 projets soutenus [1]."
TIMEOUT = 30_000


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context(locale="fr-CA", viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    yield context
    context.close()


@pytest.fixture
def web_assistant(settings: Settings, e5: E5Embeddings, tmp_path: Path) -> Callable[..., Assistant]:
    """An indexed assistant on the tiny corpus whose chat model gives a scripted answer, streamed."""
    settings.web.feedback_db = tmp_path / "feedback.sqlite3"

    def make(answer: str = ANSWER, delay: float = 0.02, login: bool = False) -> Assistant:
        if login:
            settings.web.users_file = write_users_file(tmp_path / "utilisateurs.toml")
        assistant = Assistant(settings, embeddings=e5, chat_model=scripted_model(answer, delay))
        assistant.index()
        return assistant

    return make


def open_chat(page: Page, url: str) -> None:
    """Open the chat and wait until the session has started (filters and identity loaded)."""
    page.goto(url)
    expect(page.locator("#identity")).to_contain_text("Accès sans connexion", timeout=TIMEOUT)


def ask(page: Page, question: str) -> None:
    box = page.get_by_placeholder("Votre question…")
    box.fill(question)
    box.press("Enter")


def last_answer(page: Page):  # noqa: ANN201 - a Playwright locator
    return page.locator("#chat [data-testid='bot']").last


def pdf_viewer(page: Page) -> Frame:
    """The frame of Chromium's own PDF viewer in a page that shows a PDF."""
    for _ in range(100):
        for frame in page.frames:
            if frame.url.startswith("chrome-extension://"):
                return frame
        page.wait_for_timeout(100)
    raise AssertionError("Chromium n'a pas ouvert son lecteur de PDF")


def log_in(page: Page, url: str, user: str) -> None:
    page.goto(url)
    page.get_by_label("nom d'utilisateur").fill(user)
    page.get_by_label("mot de passe").fill(PASSWORDS[user])
    page.get_by_role("button", name="Connexion").click()
    expect(page.get_by_text(f"Connecté : {user}")).to_be_visible(timeout=TIMEOUT)


def test_a_researcher_sees_the_answer_stream_in_then_opens_citation_1_at_page_2(
        web_assistant: Callable[..., Assistant], context: BrowserContext, tmp_path: Path) -> None:
    assistant = web_assistant(delay=0.15)
    with serving(assistant) as url:
        page = context.new_page()
        open_chat(page, url)
        ask(page, PAYMENT_QUESTION)

        expect(last_answer(page)).to_contain_text("La ministre verse", timeout=TIMEOUT)
        expect(page.get_by_role("button", name="Arrêter")).to_be_visible()
        assert "2013-2014" not in last_answer(page).inner_text()  # still being written
        expect(last_answer(page)).to_contain_text("pour 2013-2014 [1].", timeout=TIMEOUT)
        panel = page.locator("#sources-panel")
        expect(panel).to_contain_text("Sources citées (1)")
        expect(panel).to_contain_text("Entente Alliance pour la solidarité – Mauricie")
        for fact in ("Entente", "Mauricie", "17 avril 2012", "Page2", "ententes/entente-mauricie.pdf"):
            expect(panel.locator(".source-facts")).to_contain_text(fact)
        expect(panel.locator("mark", has_text="1 505 000").first).to_be_visible()
        # The 2013-2014 question pins the year and the region: the card says the amount was tied to them.
        expect(panel.locator(".source-facts")).to_contain_text("Vérificationchiffre trouvé dans la source sur la "
                                                               "même ligne que l'année, la région et l'objet demandés")
        page.screenshot(path=str(tmp_path / "clavardage.png"))

        last_answer(page).get_by_role("link", name="[1]").click()  # opens beside the chat (test_web_citations.py)
        with context.expect_page() as opened:
            page.locator("#side-viewer").get_by_role("link", name="Ouvrir en pleine page").click()
        viewer = opened.value
        expect(viewer.get_by_text("Page 2 (2 sur 3)")).to_be_visible(timeout=TIMEOUT)
        expect(viewer.locator("mark#passage")).to_be_visible()
        assert "1 505 000 $ pour l'exercice 2013-2014" in "".join(viewer.locator("mark.support").all_inner_texts())
        viewer.wait_for_function("() => document.querySelector('figure img').naturalWidth > 0", timeout=TIMEOUT)
        viewer.screenshot(path=str(tmp_path / "source.png"))

        with context.expect_page() as opened:
            viewer.get_by_role("link", name="Ouvrir le PDF original à la page 2").click()
        pdf = opened.value
        assert pdf.url.endswith("#page=2")
        expect(pdf_viewer(pdf).locator("input#pageSelector")).to_have_value("2", timeout=TIMEOUT)


def test_a_filter_applies_to_the_next_question_and_is_shown_with_the_answer(
        web_assistant: Callable[..., Assistant], context: BrowserContext) -> None:
    assistant = web_assistant(answer=REPORTING_ANSWER)
    with serving(assistant) as url:
        page = context.new_page()
        open_chat(page, url)
        page.locator("#filter-types").get_by_label("Entretien").check()
        ask(page, "Que dit-on de la reddition de comptes exigée par la CRÉ ?")

        expect(last_answer(page)).to_contain_text("Filtres appliqués — types : Entretien", timeout=TIMEOUT)
        panel = page.locator("#sources-panel")
        expect(panel.locator(".source-card")).to_have_count(1)
        expect(panel).to_contain_text("Entretien avec une intervenante en sécurité alimentaire de Matawinie")
        expect(panel).not_to_contain_text("Entente Alliance")


def test_a_staff_member_rates_an_answer_with_a_comment_then_exports_the_conversation(
        web_assistant: Callable[..., Assistant], context: BrowserContext) -> None:
    assistant = web_assistant()
    with serving(assistant) as url:
        page = context.new_page()
        open_chat(page, url)
        ask(page, PAYMENT_QUESTION)
        expect(last_answer(page)).to_contain_text("2013-2014 [1].", timeout=TIMEOUT)
        # The answer is rateable once checked: the verdict on its source card says so (under load the streamed
        # text can be complete while the check is still running, and rating then is refused).
        expect(page.get_by_text("chiffre trouvé dans la source").first).to_be_visible(timeout=TIMEOUT)
        page.get_by_role("button", name="Je n'aime pas").last.click()
        expect(page.locator("#feedback-status")).to_contain_text("appréciation de la réponse 1 est enregistrée")
        page.locator("#comment textarea").fill("Il manque le montant de 2014-2015.")
        page.get_by_role("button", name="Envoyer le commentaire").click()
        expect(page.locator("#feedback-status")).to_contain_text("Commentaire enregistré pour la réponse 1")
        with page.expect_download() as download:
            page.get_by_role("link", name="Exporter la conversation (Markdown)").click()
        exported = Path(download.value.path()).read_text(encoding="utf-8")

    [row] = assistant.feedback.rows()
    assert (row["appreciation"], row["commentaire"]) == ("negatif", "Il manque le montant de 2014-2015.")
    assert row["question"] == PAYMENT_QUESTION and row["reponse"] == ANSWER
    assert [(s["number"], s["path"], s["page"]) for s in row["sources"]] == [(1, "ententes/entente-mauricie.pdf",
                                                                              "2")]
    assert row["reglages"]["filters"]["confidentiality"] == ["public", "interne"]
    assert [(c["verdict"], c["cited"]) for c in row["verifications"]] == [("supported", [1])]
    assert download.value.suggested_filename.endswith(".md")
    assert f"## Question 1\n\n{PAYMENT_QUESTION}" in exported and markdown_literal(ANSWER) in exported
    assert "1. **Entente Alliance pour la solidarité – Mauricie** — Entente · Mauricie · 17 avril 2012, page 2" \
        in exported


def test_a_partner_never_sees_the_confidential_note_a_team_member_does(
        web_assistant: Callable[..., Assistant], context: BrowserContext, browser: Browser) -> None:
    assistant = web_assistant(answer=RENT_ANSWER, login=True)
    with serving(assistant) as url:
        partner = context.new_page()
        log_in(partner, url, "paul")
        partner.get_by_role("combobox", name="Régions").click()
        expect(partner.get_by_role("option", name="Lanaudière")).to_be_visible()
        expect(partner.get_by_role("option", name="Côte-Nord")).to_have_count(0)
        partner.keyboard.press("Escape")
        ask(partner, RENT_QUESTION)
        panel = partner.locator("#sources-panel")
        expect(panel.locator(".panel-heading")).to_be_visible(timeout=TIMEOUT)  # the answer is finished
        partner.get_by_role("tab", name="Documents").click()
        documents = partner.locator("#documents-table")
        expect(documents).to_contain_text("Entente Alliance pour la solidarité")
        for shown in (panel.inner_text(), documents.inner_text(), partner.locator("#index-summary").inner_text()):
            # (« Sept-Îles » itself may appear: the refusal names the question's terms it did not find.)
            assert "citoyenne de Sept-Îles" not in shown and "ent-cno-03" not in shown and "975 $" not in shown
        assert partner.request.get(url + "documents/entretiens/ent-cno-03.md").status == 403

        team_context = browser.new_context(locale="fr-CA")
        try:
            team = team_context.new_page()
            log_in(team, url, "marie")
            ask(team, RENT_QUESTION)
            expect(team.locator("#sources-panel")).to_contain_text("Entretien avec une citoyenne de Sept-Îles",
                                                                   timeout=TIMEOUT)
        finally:
            team_context.close()


def test_a_long_answer_can_be_stopped_while_another_user_keeps_their_own_conversation(
        web_assistant: Callable[..., Assistant], context: BrowserContext, browser: Browser) -> None:
    assistant = web_assistant(answer=LONG_ANSWER, delay=0.02)
    with serving(assistant) as url:
        first = context.new_page()
        open_chat(first, url)
        other_context = browser.new_context(locale="fr-CA")
        try:
            second = other_context.new_page()
            second.goto(url)  # asks at once, maybe before the page has finished loading
            ask(first, PAYMENT_QUESTION)
            expect(last_answer(first)).to_contain_text("La ministre verse", timeout=TIMEOUT)
            ask(second, "Quel montant la ministre verse-t-elle pour 2014-2015 ?")
            first.get_by_role("button", name="Arrêter").click()
            expect(last_answer(first)).to_contain_text("Réponse interrompue.")
            expect(first.get_by_role("button", name="Envoyer")).to_be_visible()
            stopped = last_answer(first).inner_text()
            assert stopped.count("Fonds québécois") < 2

            expect(last_answer(second)).to_contain_text("initiatives sociales", timeout=TIMEOUT)
            expect(second.locator("#sources-panel .panel-heading")).to_be_visible(timeout=TIMEOUT)
            assert last_answer(second).inner_text().count("Fonds québécois") == 2
            assert PAYMENT_QUESTION not in second.locator("#chat").inner_text()
            assert "2014-2015 ?" not in first.locator("#chat").inner_text()
            assert last_answer(first).inner_text() == stopped

            ask(first, "Et pour l'exercice 2014-2015 ?")
            expect(first.locator("#chat [data-testid='user']")).to_have_count(2)
            expect(first.locator("#sources-panel .panel-heading")).to_be_visible(timeout=TIMEOUT)
            assert last_answer(first).inner_text().count("Fonds québécois") == 2
        finally:
            other_context.close()


def test_the_documents_tab_lists_what_is_indexed_when_and_what_failed(
        web_assistant: Callable[..., Assistant], context: BrowserContext, settings: Settings) -> None:
    (settings.corpus_dir / "entretiens" / "vide.md").write_bytes(b"")
    assistant = web_assistant()
    with serving(assistant) as url:
        page = context.new_page()
        open_chat(page, url)
        page.get_by_role("tab", name="Documents").click()
        table = page.locator("#documents-table")
        expect(table).to_contain_text("Entente Alliance pour la solidarité – Mauricie", timeout=TIMEOUT)
        for cell in ("Entente", "Mauricie", "17 avril 2012", "indexé", "ententes/entente-mauricie.pdf",
                     "Entretien avec une intervenante en sécurité alimentaire de Matawinie"):
            expect(table).to_contain_text(cell)
        expect(table).not_to_contain_text("Sept-Îles")
        summary = page.locator("#index-summary")
        expect(summary).to_contain_text(re.compile(r"Dernière indexation : \d{4}-\d\d-\d\d \d\d:\d\d"))
        expect(summary).to_contain_text("2 documents")
        # A file that could not be read has no known level: this visitor sees the count, not its name.
        expect(summary).to_contain_text("1 fichier(s) en échec")
        expect(page.locator("#failed-table")).to_be_hidden()


def watch_policy(page: Page, violations: list[str]) -> None:
    """Collect the page's Content-Security-Policy violations, as Chromium reports them in the console."""
    page.on("console", lambda message: violations.append(message.text)
            if "CSP" in message.text or "Content Security Policy" in message.text else None)


@contextmanager
def outside_host() -> Iterator[tuple[str, list[str]]]:
    """A server on a second loopback address, standing for the outside world: it records every request."""
    hits: list[str] = []

    class Recorder(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the standard library's name
            hits.append(self.path)
            self.send_response(204)
            self.end_headers()

        def log_message(self, *_: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.2", 0), Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"127.0.0.2:{server.server_address[1]}", hits
    finally:
        server.shutdown()
        server.server_close()


def test_hostile_titles_stay_text_and_the_page_asks_nothing_of_another_host_under_its_security_policy(
        web_assistant: Callable[..., Assistant], context: BrowserContext, settings: Settings) -> None:
    with outside_host() as (outside, hits):
        title = f"Bilan 2013 ![](http://{outside}/beacon.png) $$x^2$$"
        (settings.corpus_dir / "rapports").mkdir()
        write_note(settings.corpus_dir / "rapports" / "bilan-2013.md",
                   f"titre: '{title}'\ntype: rapport\nregions: [Mauricie]\ndate: 2014-03-01\nconfidentialite: public",
                   "Le bilan 2013 de la Mauricie compte 42 projets soutenus par l'Alliance.")
        write_pdf(settings.corpus_dir / "rapports" / "bilan-2013-annexe.pdf",
                  ["Annexe du bilan 2013 de la Mauricie : la liste des 42 projets soutenus."], title)
        assistant = web_assistant(answer=REPORT_ANSWER)
        elsewhere: list[str] = []
        violations: list[str] = []
        with serving(assistant) as url:
            own = urlsplit(url).netloc
            context.on("request", lambda request: elsewhere.append(request.url)
                       if urlsplit(request.url).scheme in ("http", "https", "ws", "wss")
                       and urlsplit(request.url).netloc != own else None)
            context.add_init_script("document.addEventListener('securitypolicyviolation', "
                                    "e => console.error('CSP ' + e.violatedDirective + ' ' + e.blockedURI))")
            page = context.new_page()
            watch_policy(page, violations)
            open_chat(page, url)
            ask(page, "Que dit le bilan 2013 de la Mauricie ?")
            expect(last_answer(page)).to_contain_text("42 projets", timeout=TIMEOUT)
            panel = page.locator("#sources-panel")
            expect(panel.locator(".source-card").first).to_contain_text(title, timeout=TIMEOUT)

            page.get_by_role("tab", name="Documents").click()
            table = page.locator("#documents-table")
            expect(table.get_by_text(title)).to_have_count(2, timeout=TIMEOUT)  # the note's YAML, the PDF's /Title
            assert table.locator("img").count() == 0 and page.locator(".katex, math").count() == 0

            page.get_by_role("tab", name="Clavardage").click()
            with context.expect_page() as opened:
                panel.get_by_role("link", name=title).first.click()
            viewer = opened.value
            watch_policy(viewer, violations)
            expect(viewer.locator("h1")).to_have_text(title, timeout=TIMEOUT)
            viewer.wait_for_load_state("networkidle")
            page.wait_for_timeout(500)
    assert hits == [] and elsewhere == [], (hits, elsewhere)
    assert violations == []
