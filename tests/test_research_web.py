"""Researchers use the Comparer and Extraits tabs in a real browser (Debian's Chromium, headless, through
Playwright): rows stream in, a citation opens its page, exports download as well-formed files, and a partner's
excerpts and counts never include a confidential interview."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from assistant.index.embeddings import E5Embeddings
from assistant.models import NOTHING_FOR_REGION
from assistant.service import Assistant
from assistant.settings import Settings
from assistant.web.app import serving
from tests.test_research import AMOUNT, add_research_notes
from tests.test_web import browser, context, log_in  # noqa: F401 - the browser fixtures, shared
from tests.web_support import CHROMIUM, scripted_model, write_users_file

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is installed by `make test`")]

ANSWER = "La ministre verse 1 505 000 $ à la CRÉ de la Mauricie pour l'exercice 2013-2014 [1]."
TIMEOUT = 60_000


@pytest.fixture
def research_assistant(settings: Settings, e5: E5Embeddings, tmp_path: Path) -> Callable[..., Assistant]:
    """The tiny corpus with the research notes, indexed; the model writes slowly, so that rows come one by one."""
    add_research_notes(settings.corpus_dir)
    settings.web.feedback_db = tmp_path / "feedback.sqlite3"

    def make(login: bool = False) -> Assistant:
        if login:
            settings.web.users_file = write_users_file(tmp_path / "utilisateurs.toml")
        assistant = Assistant(settings, embeddings=e5, chat_model=scripted_model(ANSWER, delay=0.1))
        assistant.index()
        return assistant

    return make


def open_tab(page: Page, url: str, tab: str) -> None:
    page.goto(url)
    expect(page.locator("#identity")).to_contain_text("niveaux", timeout=TIMEOUT)
    page.get_by_role("tab", name=tab).click()


def compare(page: Page, url: str) -> None:
    """Open the Comparer tab and compare the amount question over every region."""
    open_tab(page, url, "Comparer")
    page.locator("#compare-question textarea").fill(AMOUNT)
    page.locator("#compare-run").click()


def test_a_comparison_streams_its_rows_and_a_cited_row_opens_its_page(
        research_assistant: Callable[..., Assistant], context: BrowserContext, tmp_path: Path) -> None:
    with serving(research_assistant()) as url:
        page = context.new_page()
        compare(page, url)
        table = page.locator("#compare-table")
        # The first row is written while the other regions are still « en cours ».
        expect(table.locator("tr[data-region='Lanaudière'] td")).not_to_contain_text("en cours", timeout=TIMEOUT)
        expect(table.locator("tr.pending[data-region='Mauricie']")).to_have_count(1)
        mauricie = table.locator("tr[data-region='Mauricie']:not(.pending) td")
        expect(mauricie).to_contain_text("1 505 000 $", timeout=TIMEOUT)
        expect(table.locator("tr.pending")).to_have_count(0)
        expect(table.locator("tr[data-region='Lanaudière'] td")).to_have_text(NOTHING_FOR_REGION)
        page.screenshot(path=str(tmp_path / "comparer.png"))

        with context.expect_page() as opened:
            mauricie.locator("a.row-cite").first.click()
        viewer = opened.value
        expect(viewer.get_by_text("Page 2 (2 sur 3)")).to_be_visible(timeout=TIMEOUT)
        expect(viewer.locator("mark#passage")).to_contain_text("1 505 000 $ pour l'exercice 2013-2014")


def test_a_finished_comparison_downloads_as_a_well_formed_csv(
        research_assistant: Callable[..., Assistant], context: BrowserContext) -> None:
    with serving(research_assistant()) as url:
        page = context.new_page()
        compare(page, url)
        link = page.locator("#compare-csv")
        expect(link).to_be_visible(timeout=TIMEOUT)
        with page.expect_download() as download:
            link.click()
        assert download.value.suggested_filename.startswith("comparaison-")
        rows = list(csv.reader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8"))))
        assert rows[0] == ["région", "réponse", "document", "page", "passage"]
        by_region = {row[0]: row for row in rows[1:]}
        assert set(by_region) == {"Lanaudière", "Mauricie"} and all(len(row) == 5 for row in rows)
        assert by_region["Mauricie"][2:4] == ["ententes/entente-mauricie.pdf", "2"]
        assert by_region["Lanaudière"][1] == NOTHING_FOR_REGION


def test_a_partners_excerpts_and_counts_leave_out_the_confidential_interview_a_team_member_sees(
        research_assistant: Callable[..., Assistant], context: BrowserContext, browser: Browser,
        tmp_path: Path) -> None:
    with serving(research_assistant(login=True)) as url:
        team_context = browser.new_context(locale="fr-CA")
        for user, sees_confidential in (("paul", False), ("marie", True)):
            page = (context if user == "paul" else team_context).new_page()
            log_in(page, url, user)
            page.get_by_role("tab", name="Extraits").click()
            page.locator("#excerpts-theme textarea").fill("la reddition de comptes")
            page.locator("#excerpts-run").click()
            listing = page.locator("#excerpts-list")
            expect(listing).to_contain_text("ENT-MAU-01", timeout=TIMEOUT)
            chart = page.locator("#excerpts-counts svg")
            segments = chart.locator("rect").evaluate_all("rects => rects.map(r => r.dataset.segment)")
            assert ("citoyen" in segments) is sees_confidential
            assert ("ENT-MAU-02" in listing.inner_text()) is sees_confidential
            assert ("citoyen" in (chart.get_attribute("aria-label") or "")) is sees_confidential
            if not sees_confidential:
                page.screenshot(path=str(tmp_path / "extraits.png"))
                page.get_by_role("tab", name="Documents").click()
                overview = page.locator("#overview-regions")
                expect(overview).to_contain_text("Mauricie", timeout=TIMEOUT)
                assert "Côte-Nord" not in overview.inner_text()  # its one document is confidential
        team_context.close()


def test_dropped_excerpts_are_left_out_of_the_coding_sheet(
        research_assistant: Callable[..., Assistant], context: BrowserContext) -> None:
    with serving(research_assistant()) as url:
        page = context.new_page()
        open_tab(page, url, "Extraits")
        page.locator("#excerpts-theme textarea").fill("la reddition de comptes")
        page.locator("#excerpts-run").click()
        kept = page.locator("#excerpts-kept")
        expect(kept.get_by_label("E001", exact=False)).to_be_checked(timeout=TIMEOUT)
        boxes = kept.locator("input[type=checkbox]")
        total = boxes.count()
        boxes.first.uncheck()
        page.wait_for_timeout(500)
        with page.expect_download() as download:
            page.locator("#excerpts-csv").click()
        rows = list(csv.reader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8"))))
        assert rows[0][:3] == ["id", "région", "type d'acteur"] and len(rows) == total
        assert "E001" not in [row[0] for row in rows[1:]]
