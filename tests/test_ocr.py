"""The team's signed agreements are scanned paper: a page without a text layer is read by OCR (Tesseract, French),
cited by page and offsets like any PDF page, and marked « texte obtenu par OCR »; a PDF mixing text and scanned
pages gets OCR only where a page has no text; without Tesseract, the scan is refused with what to install, and read
as soon as it is installed."""

from __future__ import annotations

from pathlib import Path

import pytest
from fpdf import FPDF
from PIL import Image, ImageDraw, ImageFont

from assistant.index.embeddings import E5Embeddings
from assistant.ingest import ocr
from assistant.ingest.ocr import PageOcr, tesseract_version
from assistant.models import OCR_LABEL
from assistant.retrieve.retriever import SearchFilters
from assistant.service import Assistant
from assistant.settings import ChunkingSettings, IndexingSettings, LLMSettings, Settings
from tests.conftest import FONT_DIR

pytestmark = pytest.mark.skipif(not tesseract_version(), reason="Tesseract et ses données françaises absents "
                                "(sudo apt-get install tesseract-ocr tesseract-ocr-fra; `make test` les installe)")

SCANNED_LINES = [
    "Procès-verbal du comité régional de Rivière-du-Loup",
    "Séance du 14 février 2013",
    "Le comité a approuvé une aide de 48 500 $ à l'épicerie",
    "solidaire de Trois-Pistoles pour l'année 2013-2014.",
    "La prochaine réunion aura lieu à Cacouna.",
]
QUESTION = "Quelle aide le comité a-t-il approuvée pour l'épicerie solidaire de Trois-Pistoles ?"


def scan_image(path: Path, lines: list[str]) -> Path:
    """A page of printed French as a scanner gives it: an image at 200 dpi, no text anywhere but in the pixels."""
    image = Image.new("L", (1654, 2339), 255)  # A4 at 200 dpi
    font = ImageFont.truetype(str(FONT_DIR / "DejaVuSans.ttf"), 34)
    draw = ImageDraw.Draw(image)
    for number, line in enumerate(lines):
        draw.text((150, 200 + 60 * number), line, fill=0, font=font)
    image.save(path)
    return path


def scanned_pdf(path: Path, work: Path, text_pages: list[str] = ()) -> Path:
    """Text pages (a real text layer), then one scanned page (an image only)."""
    pdf = FPDF()
    pdf.add_font("DejaVu", "", str(FONT_DIR / "DejaVuSans.ttf"))
    pdf.set_font("DejaVu", size=11)
    for text in text_pages:
        pdf.add_page()
        pdf.multi_cell(0, 6, text)
    pdf.add_page()
    pdf.image(str(scan_image(work / f"{path.stem}.png", SCANNED_LINES)), x=0, y=0, w=210, h=297)
    pdf.output(str(path))
    return path


@pytest.fixture
def ocr_settings(tmp_path: Path) -> Settings:
    corpus, work = tmp_path / "corpus", tmp_path / "travail"
    corpus.mkdir()
    work.mkdir()
    scanned_pdf(corpus / "proces-verbal-numerise.pdf", work)
    scanned_pdf(corpus / "rapport-mixte.pdf", work, [
        "Rapport annuel de la table de concertation de Kamouraska. Le budget de fonctionnement est de 12 000 $."])
    return Settings(corpus_dir=corpus, index_dir=tmp_path / "index", llm=LLMSettings(backend="extractive"),
                    chunking=ChunkingSettings(chunk_size=400, chunk_overlap=50))


def test_a_scanned_page_is_read_by_ocr_in_french_and_answers_a_question_with_its_page_and_offsets(
        ocr_settings: Settings, e5: E5Embeddings, monkeypatch: pytest.MonkeyPatch) -> None:
    read: list[tuple[str, list[int]]] = []
    recognised: list[int] = []
    read_pages, recognise = PageOcr.read_pages, PageOcr._recognise
    monkeypatch.setattr(PageOcr, "read_pages", lambda self, pdf, pages: read.append((pdf.name, pages))
                        or read_pages(self, pdf, pages))
    monkeypatch.setattr(PageOcr, "_recognise", lambda self, page: recognised.append(1) or recognise(self, page))
    assistant = Assistant(ocr_settings, embeddings=e5)
    report = assistant.index()
    assert sorted(report.added) == ["proces-verbal-numerise.pdf", "rapport-mixte.pdf"] and report.failed == {}
    # OCR only where a page has no text: page 1 of the mixed report has its own text layer.
    assert sorted(read) == [("proces-verbal-numerise.pdf", [1]), ("rapport-mixte.pdf", [2])]
    assert len(recognised) == 2

    answer = assistant.ask(QUESTION, SearchFilters(("public", "interne", "confidentiel")))
    assert "48 500 $" in answer.text and not answer.refused
    cited = [source.passage for source in answer.sources if source.number in answer.cited_numbers]
    assert cited and all(passage.ocr for passage in cited)
    passage = cited[0]
    assert passage.page == (1 if passage.info.path == "proces-verbal-numerise.pdf" else 2)
    page_text = assistant.read_document(passage.info).pages[passage.page - 1].text  # the web viewer's reading
    assert page_text[passage.start:passage.end] == passage.text
    assert "Procès-verbal du comité régional de Rivière-du-Loup" in page_text  # accents read as printed
    assert len(recognised) == 2  # read again from the OCR cache: same text, no second OCR

    mixed = assistant.search("budget de fonctionnement de la table de concertation de Kamouraska")[0].passage
    assert (mixed.info.path, mixed.page, mixed.ocr) == ("rapport-mixte.pdf", 1, False)
    assert OCR_LABEL == "texte obtenu par OCR"


def test_without_tesseract_a_scan_is_refused_with_what_to_install_then_read_once_it_is_installed(
        ocr_settings: Settings, e5: E5Embeddings, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ocr, "tesseract_version", lambda language="fra": "")
    assistant = Assistant(ocr_settings, embeddings=e5)
    report = assistant.index()
    assert report.added == ["rapport-mixte.pdf"]  # its text page is indexed; its scanned page stays empty
    assert "installez Tesseract et ses données françaises (sudo apt-get install tesseract-ocr tesseract-ocr-fra)" \
        in report.failed["proces-verbal-numerise.pdf"]
    assert assistant.index().added == []  # same bytes, still no OCR: not read again, still reported
    monkeypatch.undo()
    report = assistant.index()  # Tesseract is there now: the same bytes are read again, by OCR
    assert report.added == ["proces-verbal-numerise.pdf"] and report.failed == {}


def test_a_scan_with_more_pages_to_read_than_the_limit_is_refused_with_how_to_raise_it(
        ocr_settings: Settings, e5: E5Embeddings) -> None:
    ocr_settings.indexing = IndexingSettings(max_ocr_pages=0)
    assistant = Assistant(ocr_settings, embeddings=e5)
    report = assistant.index()
    assert report.added == []
    for name in ("proces-verbal-numerise.pdf", "rapport-mixte.pdf"):
        assert "PDF de 1 pages numérisées à lire par OCR, au-delà de la limite de 0 pages par fichier" \
            in report.failed[name]
        assert "relevez la limite (réglage ASSISTANT_INDEXING__MAX_OCR_PAGES=1)" in report.failed[name]
    ocr_settings.indexing = IndexingSettings(max_ocr_pages=1)  # raised as the line says: the same bytes are read
    assert sorted(assistant.index().added) == ["proces-verbal-numerise.pdf", "rapport-mixte.pdf"]
