"""A researcher asks for one year's amount: the agreement's table row for that year is a fact of its own, found first
and cited to its page with its exact place in the page."""

from __future__ import annotations

import shutil
from pathlib import Path

import docx
import pytest
from fpdf import FPDF

from assistant.index.embeddings import E5Embeddings
from assistant.ingest.chunking import make_splitter, make_window_splitter, split_document
from assistant.ingest.readers import read_document
from assistant.models import SourceDocument
from assistant.service import Assistant
from assistant.settings import PROJECT_ROOT, ChunkingSettings, Settings
from tests.conftest import FONT_DIR

AMOUNTS = [("Exercice financier", "Contribution du FQIS"), ("2012-2013", "1 290 000 $"), ("2013-2014", "1 505 000 $")]
ROW_2013 = "Exercice financier : 2013-2014 — Contribution du FQIS : 1 505 000 $"
QUESTION = "Quel montant l'entente de la Mauricie prévoit-elle pour 2013-2014 ?"


def write_agreement_pdf(path: Path) -> Path:
    """Three pages: prose; the amounts as a ruled table between two articles; the same amounts aligned in columns
    without any rule (a layout that is no table to a machine)."""
    pdf = FPDF()
    pdf.add_font("DejaVu", "", str(FONT_DIR / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
    pdf.set_font("DejaVu", size=11)
    pdf.add_page()
    pdf.multi_cell(0, 6, "Entente Mauricie. Article 1. La présente entente institue l'Alliance.\n"
                         "Article 2. Elle couvre quatre exercices financiers.")
    pdf.add_page()
    pdf.multi_cell(0, 6, "6.1 La ministre verse à la CRÉ une contribution maximale de 5 160 000 $, répartie comme "
                         "suit :", new_x="LMARGIN", new_y="NEXT")
    with pdf.table(col_widths=(40, 50), width=90, align="LEFT") as table:
        for cells in AMOUNTS:
            row = table.row()
            for cell in cells:
                row.cell(cell)
    pdf.multi_cell(0, 6, "6.2 Une somme non engagée peut être reportée.\n"
                         "7.2 Le premier versement de 2012-2013 s'élève à 903 000 $.")
    pdf.add_page()
    pdf.multi_cell(0, 6, "Annexe : les montants, alignés sans filets.", new_x="LMARGIN", new_y="NEXT")
    for first, second in AMOUNTS:
        pdf.cell(50, 6, first)
        pdf.cell(50, 6, second, new_x="LMARGIN", new_y="NEXT")
    pdf.multi_cell(0, 6, "Fin de l'annexe. Les montants sont en dollars.")
    pdf.output(str(path))
    return path


def facts(document: SourceDocument) -> list:
    return [p for p in split_document(document, make_splitter(ChunkingSettings()), table_rows=True) if p.context]


def test_a_ruled_pdf_table_row_becomes_a_fact_cited_to_its_page_with_exact_offsets(tmp_path: Path) -> None:
    document = read_document(write_agreement_pdf(tmp_path / "entente.pdf"), tmp_path)
    rows = facts(document)
    assert [row.context for row in rows] == [
        "Exercice financier : 2012-2013 — Contribution du FQIS : 1 290 000 $", ROW_2013]
    pages = {page.number: page.text for page in document.pages}
    for row in rows:
        assert row.page == 2 and row.page_label == "2"
        assert pages[2][row.start:row.end] == row.text
    assert rows[1].text.split() == ["2013-2014", "1", "505", "000", "$"]
    # The same figures aligned without rules stay text: nothing is guessed, nothing is lost.
    assert "2013-2014 1 505 000 $" in pages[3] and not document.pages[2].rows


def test_a_docx_table_row_becomes_a_fact_with_exact_offsets(tmp_path: Path) -> None:
    word = docx.Document()
    word.add_paragraph("6.1 La ministre verse à la CRÉ de l'Estrie une contribution répartie comme suit :")
    table = word.add_table(rows=0, cols=2)
    for cells in AMOUNTS:
        for cell, text in zip(table.add_row().cells, cells):
            cell.text = text
    word.add_paragraph("7.1 La contribution est versée en deux tranches.")
    word.save(str(tmp_path / "entente-estrie.docx"))
    document = read_document(tmp_path / "entente-estrie.docx", tmp_path)
    rows = facts(document)
    assert [row.context for row in rows][1] == ROW_2013
    text = document.pages[0].text
    assert all(row.page is None and text[row.start:row.end] == row.text for row in rows)
    assert rows[1].text == "2013-2014 | 1 505 000 $"


def test_sentence_windows_are_read_as_their_passage(tmp_path: Path) -> None:
    document = read_document(write_agreement_pdf(tmp_path / "entente.pdf"), tmp_path)
    settings = ChunkingSettings(chunk_size=200, chunk_overlap=30, window_size=60)
    units = split_document(document, make_splitter(settings), windows=make_window_splitter(settings))
    passages = {unit.id: unit for unit in units if not unit.parent}
    windows = [unit for unit in units if unit.parent]
    assert windows
    for window in windows:
        passage = passages[window.parent]
        assert passage.page == window.page and passage.start <= window.start < window.end <= passage.end
        assert passage.text[window.start - passage.start:window.end - passage.start] == window.text


@pytest.fixture
def mauricie_agreement(tmp_path: Path) -> Path:
    """The sample corpus's Mauricie agreement and its sidecar, with another region's agreement beside them."""
    corpus = tmp_path / "corpus" / "ententes"
    corpus.mkdir(parents=True)
    for name in ("entente-mauricie.pdf", "entente-lanaudiere.pdf"):
        for suffix in ("", ".meta.yaml"):
            shutil.copy(PROJECT_ROOT / "corpus" / "ententes" / f"{name}{suffix}", corpus)
    return corpus.parent


def test_the_year_asked_finds_its_own_row_of_the_mauricie_agreement_first(mauricie_agreement: Path, tmp_path: Path,
                                                                        e5: E5Embeddings) -> None:
    assistant = Assistant(Settings(corpus_dir=mauricie_agreement, index_dir=tmp_path / "index"), embeddings=e5)
    assistant.index()
    sources = assistant.search(QUESTION)
    best = sources[0].passage
    assert (best.info.path, best.page, best.context) == ("ententes/entente-mauricie.pdf", 4, ROW_2013)
    assert best.text == "2013-2014 1 505 000 $"
    page = assistant.read_document(best.info).pages[3].text
    assert page[best.start:best.end] == best.text
    earlier_year = [s.number for s in sources if "2012-2013" in s.passage.context]
    assert not earlier_year or earlier_year[0] > 1
