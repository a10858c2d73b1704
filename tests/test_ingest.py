"""A researcher's document becomes passages that know their document, page and exact place in the page."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.ingest.chunking import make_splitter, split_document
from assistant.ingest.readers import UnreadableDocument, read_document
from assistant.settings import ChunkingSettings


def test_pdf_is_read_page_by_page_with_its_sidecar_metadata(tiny_corpus: Path) -> None:
    document = read_document(tiny_corpus / "ententes" / "entente-mauricie.pdf", tiny_corpus)
    assert [page.number for page in document.pages] == [1, 2, 3]
    assert "1 505 000 $" in document.pages[1].text
    assert document.info.title == "Entente Alliance pour la solidarité – Mauricie"
    assert (document.info.doc_type, document.info.regions, document.info.date) == ("entente", ("Mauricie",),
                                                                                 "2012-04-17")
    assert document.info.path == "ententes/entente-mauricie.pdf"


def test_running_header_and_page_numbers_are_stripped(tiny_corpus: Path) -> None:
    document = read_document(tiny_corpus / "ententes" / "entente-mauricie.pdf", tiny_corpus)
    for page in document.pages:
        assert "document d'exemple" not in page.text.splitlines()[0]
        assert "Page " not in page.text


def test_the_amount_lands_in_a_passage_of_page_two_with_exact_offsets(tiny_corpus: Path) -> None:
    document = read_document(tiny_corpus / "ententes" / "entente-mauricie.pdf", tiny_corpus)
    passages = split_document(document, make_splitter(ChunkingSettings(chunk_size=200, chunk_overlap=30)))
    holding = [p for p in passages if "1 505 000 $" in p.text]
    assert holding and all(p.page == 2 and p.page_label == "2" for p in holding)
    pages = {page.number: page.text for page in document.pages}
    for passage in passages:
        assert pages[passage.page][passage.start:passage.end] == passage.text


def test_markdown_header_is_read_and_offsets_point_into_the_body(tiny_corpus: Path) -> None:
    document = read_document(tiny_corpus / "entretiens" / "ent-lan-02.md", tiny_corpus)
    assert document.info.code == "ENT-LAN-02"
    assert document.info.confidentiality == "interne"
    assert document.pages[0].number is None
    assert not document.pages[0].text.startswith("---")
    passage = split_document(document, make_splitter(ChunkingSettings()))[0]
    assert document.pages[0].text[passage.start:passage.end] == passage.text


@pytest.mark.parametrize(("name", "content", "reason"), [
    ("vide.pdf", b"", "vide"),
    ("faux.pdf", b"ceci n'est pas un PDF" * 10, "n'est pas un PDF"),
    ("binaire.txt", b"\x00\x01\x02" * 100, "binaire"),
    ("tableur.xlsx", b"PK\x03\x04", "non pris en charge"),
])
def test_bad_files_get_a_clear_french_reason(tmp_path: Path, name: str, content: bytes, reason: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(UnreadableDocument, match=reason):
        read_document(path, tmp_path)


def test_windows_encoded_text_is_decoded(tmp_path: Path) -> None:
    path = tmp_path / "note.txt"
    path.write_bytes("---\ntitre: Note\ntype: entretien\n---\nLa sécurité alimentaire à Trois-Rivières.".encode("cp1252"))
    assert "sécurité" in read_document(path, tmp_path).pages[0].text


def test_an_opendocument_text_keeps_headings_paragraphs_and_table_rows(tmp_path: Path) -> None:
    import odfdo

    document = odfdo.Document("text")
    document.body.append(odfdo.Header(1, "Entente Estrie"))
    document.body.append(odfdo.Paragraph("La CRÉ de l'Estrie reçoit 1 200 000 $ pour 2013-2014."))
    table = odfdo.Table("Montants", width=2, height=2)
    for cell, value in {"A1": "Exercice", "B1": "Montant", "A2": "2014-2015", "B2": "900 000 $"}.items():
        table.set_value(cell, value)
    document.body.append(table)
    document.meta.title = "Entente Alliance – Estrie"
    document.save(str(tmp_path / "entente.odt"))
    read = read_document(tmp_path / "entente.odt", tmp_path)
    assert read.info.title == "Entente Alliance – Estrie"
    assert read.pages[0].text.split("\n\n") == [
        "Entente Estrie", "La CRÉ de l'Estrie reçoit 1 200 000 $ pour 2013-2014.", "Exercice | Montant",
        "2014-2015 | 900 000 $"]


def test_a_presentation_gives_one_page_per_slide_with_its_notes(tmp_path: Path) -> None:
    import pptx

    presentation = pptx.Presentation()
    for title, body, notes in [("Bilan 2013", "Neuf villages desservis", "Chiffres de la CRÉ"),
                               ("Suites", "Un deuxième camion en 2014", "")]:
        slide = presentation.slides.add_slide(presentation.slide_layouts[1])
        slide.shapes.title.text, slide.placeholders[1].text = title, body
        if notes:
            slide.notes_slide.notes_text_frame.text = notes
    presentation.save(str(tmp_path / "bilan.pptx"))
    read = read_document(tmp_path / "bilan.pptx", tmp_path)
    assert [(page.number, page.label) for page in read.pages] == [(1, "1"), (2, "2")]
    assert read.pages[0].text == "Bilan 2013\n\nNeuf villages desservis\n\nChiffres de la CRÉ"
    assert "deuxième camion" in read.pages[1].text


def test_a_saved_web_page_keeps_its_visible_text_and_title(tmp_path: Path) -> None:
    (tmp_path / "page.html").write_text(
        "<html><head><meta charset='utf-8'><title>Alliance – Mauricie</title><style>p{color:red}</style></head>"
        "<body><nav>Accueil | Contact</nav><h1>Bilan</h1><p>Le   comité   s'est réuni.</p>"
        "<script>var x = 1;</script></body></html>", encoding="utf-8")
    read = read_document(tmp_path / "page.html", tmp_path)
    assert read.info.title == "Alliance – Mauricie"
    assert read.pages[0].text == "Bilan\nLe comité s'est réuni."


def test_a_utf16_text_with_its_byte_order_mark_is_decoded(tmp_path: Path) -> None:
    path = tmp_path / "note.txt"
    path.write_bytes("---\ntitre: Note\n---\nLa sécurité alimentaire à Trois-Rivières.".encode("utf-16"))
    assert "sécurité" in read_document(path, tmp_path).pages[0].text


def test_a_jsonl_line_becomes_a_document_with_its_own_id_and_metadata(tmp_path: Path) -> None:
    from assistant.ingest.readers import read_jsonl

    path = tmp_path / "corpus.jsonl"
    path.write_text('{"doc_id": "piaf:1:0", "title": "Jakob Böhme", "text": "Né en 1575.", "type": "rapport"}\n'
                    '{"doc_id": "piaf:1:0", "title": "Doublon", "text": "Autre texte."}\n'
                    '{"title": "Sans identifiant", "text": "Texte."}\n', encoding="utf-8")
    documents, failures = read_jsonl(path, tmp_path)
    assert [(d.info.doc_id, d.info.path, d.info.title, d.info.doc_type) for d in documents] == [
        ("piaf:1:0", "corpus.jsonl", "Jakob Böhme", "rapport")]
    assert "déjà vu" in failures[2] and "doc_id" in failures[3]


def test_a_report_passage_knows_its_chapter_and_section_from_the_pdf_bookmarks(tmp_path: Path) -> None:
    from fpdf import FPDF

    from tests.conftest import FONT_DIR

    pdf = FPDF()
    pdf.add_font("DejaVu", "", str(FONT_DIR / "DejaVuSans.ttf"))
    pdf.set_font("DejaVu", size=11)
    for chapter, sections in [("Chapitre 4 – Lanaudière", ["Genèse", "Gouvernance et répartition"]),
                              ("Chapitre 5 – Mauricie", ["Genèse"])]:
        pdf.add_page()
        pdf.start_section(chapter, level=0)
        pdf.multi_cell(0, 6, chapter, new_x="LMARGIN", new_y="NEXT")
        for section in sections:
            pdf.start_section(section, level=1)
            pdf.multi_cell(0, 6, f"{section}\nLes sommes sont partagées selon la formule 50/30/20 entre les "
                                 "territoires, après de longues discussions.", new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(tmp_path / "rapport.pdf"))
    document = read_document(tmp_path / "rapport.pdf", tmp_path)
    passages = split_document(document, make_splitter(ChunkingSettings(chunk_size=80, chunk_overlap=0)))
    sections = [(p.page, p.section) for p in passages if "50/30/20" in p.text]
    assert sections == [(1, "Chapitre 4 – Lanaudière — Genèse"),
                        (1, "Chapitre 4 – Lanaudière — Gouvernance et répartition"),
                        (2, "Chapitre 5 – Mauricie — Genèse")]


def test_a_document_s_authors_are_read_from_its_sidecar_or_its_header(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "rapport.txt").write_text("Le rapport formule douze recommandations (R1 à R12).\n", encoding="utf-8")
    (corpus / "rapport.txt.meta.yaml").write_text(
        "titre: Rapport de recherche\ntype: rapport\ndate: 2014-06-20\nconfidentialite: public\n"
        "auteurs: [Hélène Marchand-Côté, Laboratoire d'études sur la solidarité régionale (LESR)]\n", encoding="utf-8")
    (corpus / "note.md").write_text("---\ntitre: Fiche\ntype: fiche-projet\nauteurs: Corporation de transport "
                                    "collectif de l'Érable\n---\nLe service a démarré en 2012.\n", encoding="utf-8")
    report = read_document(corpus / "rapport.txt", corpus)
    assert report.info.authors == ("Hélène Marchand-Côté", "Laboratoire d'études sur la solidarité régionale (LESR)")
    assert "LESR" in report.info.designation and "Rapport de recherche" in report.info.designation
    assert read_document(corpus / "note.md", corpus).info.authors == ("Corporation de transport collectif de l'Érable",)
