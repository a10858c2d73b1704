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
from assistant.models import SourceDocument, TableRow, search_text
from assistant.service import Assistant
from assistant.settings import PROJECT_ROOT, ChunkingSettings, Settings
from tests.conftest import FONT_DIR

AMOUNTS = [("Exercice financier", "Contribution du FQIS"), ("2012-2013", "1 290 000 $"), ("2013-2014", "1 505 000 $")]
ROW_2013 = "Exercice financier : 2013-2014 — Contribution du FQIS : 1 505 000 $"
ANNOUNCED = "6.1 La ministre verse à la CRÉ une contribution maximale de 5 160 000 $, répartie comme suit :"
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
    assert [row.context for row in rows] == [  # under the sentence that announces the table: its title
        f"{ANNOUNCED}\nExercice financier : 2012-2013 — Contribution du FQIS : 1 290 000 $",
        f"{ANNOUNCED}\n{ROW_2013}"]
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
    title = "6.1 La ministre verse à la CRÉ de l'Estrie une contribution répartie comme suit :"
    assert [row.context for row in rows][1] == f"{title}\n{ROW_2013}"
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
    assert (best.info.path, best.page, best.context.splitlines()[-1]) == ("ententes/entente-mauricie.pdf", 4, ROW_2013)
    assert best.context.splitlines()[0].endswith("5 160 000 $, répartie comme suit :")  # the table's title
    assert best.text == "2013-2014 1 505 000 $"
    page = assistant.read_document(best.info).pages[3].text
    assert page[best.start:best.end] == best.text
    earlier_year = [s.number for s in sources if "2012-2013" in s.passage.context]
    assert not earlier_year or earlier_year[0] > 1


def _pdf() -> FPDF:
    pdf = FPDF()
    pdf.add_font("DejaVu", "", str(FONT_DIR / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
    pdf.set_font("DejaVu", size=11)
    return pdf


def test_a_table_that_starts_its_page_takes_its_title_from_the_caption_under_the_heading_before_it(
        tmp_path: Path) -> None:
    pdf = _pdf()
    pdf.add_page()
    pdf.multi_cell(0, 6, "Les ententes prennent fin le 31 mars 2015.\nAnnexe B – Projets soutenus par région\n"
                         "Nombre de projets soutenus au 31 mars 2014, classés selon la thématique principale. Un "
                         "projet n'est compté qu'une fois.")
    pdf.add_page()
    with pdf.table(col_widths=(50, 40, 40), width=130, align="LEFT") as table:
        for cells in (("Région", "Logement", "Emploi"), ("Mauricie", "0", "9"), ("Laurentides", "14", "3")):
            row = table.row()
            for cell in cells:
                row.cell(cell)
    pdf.output(str(tmp_path / "annexe.pdf"))
    rows = facts(read_document(tmp_path / "annexe.pdf", tmp_path))
    assert [row.context for row in rows][1] == (
        "Nombre de projets soutenus au 31 mars 2014, classés selon la thématique principale.\n"
        "Région : Laurentides — Logement : 14 — Emploi : 3")
    assert all(row.page == 2 for row in rows)


def test_a_heading_right_above_a_table_is_its_title_and_prose_that_does_not_announce_it_is_not(
        tmp_path: Path) -> None:
    pdf = _pdf()
    pdf.add_page()
    for heading in ("Budget par exercice financier", "Le service a commencé en octobre 2012 à Plessisville."):
        pdf.multi_cell(0, 6, heading, new_x="LMARGIN", new_y="NEXT")
        with pdf.table(col_widths=(50, 40), width=90, align="LEFT") as table:
            for cells in (("Source", "2013-2014"), ("MRC de L'Érable", "10 000 $"), ("Usagers", "6 400 $")):
                row = table.row()
                for cell in cells:
                    row.cell(cell)
        pdf.ln(6)
    pdf.output(str(tmp_path / "fiche.pdf"))
    rows = facts(read_document(tmp_path / "fiche.pdf", tmp_path))
    assert [row.context.split("\n")[0] for row in rows] == [
        "Budget par exercice financier", "Budget par exercice financier",
        "Source : MRC de L'Érable — 2013-2014 : 10 000 $", "Source : Usagers — 2013-2014 : 6 400 $"]


def test_a_two_level_header_names_each_column_and_a_row_label_spanning_two_rows_stays_on_both(
        tmp_path: Path) -> None:
    pdf = _pdf()
    pdf.add_page()
    pdf.multi_cell(0, 6, "Le tableau suivant donne les montants prévus par région.", new_x="LMARGIN", new_y="NEXT")
    with pdf.table(col_widths=(40, 30, 40, 40), width=150, align="LEFT", first_row_as_headings=False) as table:
        top = table.row()
        top.cell("Région")
        top.cell("Volet")
        top.cell("Montant prévu", colspan=2)
        sub = table.row()
        for cell in ("", "", "2012-2013", "2013-2014"):
            sub.cell(cell)
        first = table.row()
        first.cell("Mauricie", rowspan=2)
        for cell in ("Régional", "1 290 000 $", "1 505 000 $"):
            first.cell(cell)
        second = table.row()
        for cell in ("Local", "300 000 $", "350 000 $"):
            second.cell(cell)
    pdf.output(str(tmp_path / "montants.pdf"))
    rows = facts(read_document(tmp_path / "montants.pdf", tmp_path))
    assert [row.context.split("\n")[1] for row in rows] == [
        "Région : Mauricie — Volet : Régional — Montant prévu 2012-2013 : 1 290 000 $ — "
        "Montant prévu 2013-2014 : 1 505 000 $",
        "Région : Mauricie — Volet : Local — Montant prévu 2012-2013 : 300 000 $ — "
        "Montant prévu 2013-2014 : 350 000 $"]


def test_a_markdown_table_row_becomes_a_fact_under_its_headers_and_title_with_exact_offsets(tmp_path: Path) -> None:
    note = tmp_path / "proces-verbal.md"
    note.write_text("---\ntitre: Procès-verbal\ntype: proces-verbal\nregions: [Mauricie]\n---\n\n"
                    "## 4. Résultats du deuxième appel\n\nLe comité recommande les projets suivants :\n\n"
                    "| Projet | Territoire | Montant |\n|---|---|---|\n"
                    "| Covoiturage des Chenaux | Les Chenaux | 38 900 $ |\n| **Total** | | 38 900 $ |\n\n"
                    "Le comité maintient le montant.\n", encoding="utf-8")
    document = read_document(note, tmp_path)
    rows = facts(document)
    assert [row.context for row in rows] == [
        "Le comité recommande les projets suivants :\n"
        "Projet : Covoiturage des Chenaux — Territoire : Les Chenaux — Montant : 38 900 $",
        "Le comité recommande les projets suivants :\nProjet : Total — Montant : 38 900 $"]
    text = document.pages[0].text
    assert text[rows[0].start:rows[0].end] == "| Covoiturage des Chenaux | Les Chenaux | 38 900 $ |"


def test_a_row_is_searched_as_its_cells_under_their_headers_its_tables_title_left_to_the_answer() -> None:
    row = TableRow(0, 21, (("Exercice financier", "2013-2014"), ("Contribution du FQIS", "1 505 000 $")), ANNOUNCED)
    assert row.context() == f"{ANNOUNCED}\n{ROW_2013}"
    searched = search_text("Entente – Mauricie", "2013-2014 1 505 000 $", row.context())
    assert searched == f"Entente – Mauricie\n{ROW_2013}"
