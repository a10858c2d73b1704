"""Real-world PDFs that go wrong, generated here (fpdf2, pypdf): indexing them never stops the run, each file gets a
clear outcome (indexed, or failed with the reason and what to do), and whatever could be read is indexed."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pypdf
import pytest
from fpdf import FPDF
from PIL import Image, ImageDraw
from pypdf.generic import ArrayObject, DictionaryObject, FloatObject, NameObject, NumberObject, TextStringObject

from assistant.cli import main as cli_main
from assistant.index.embeddings import E5Embeddings
from assistant.ingest.pdf_text import logical_order
from assistant.ingest.readers import read_pdf
from assistant.retrieve.retriever import SearchFilters
from assistant.service import Assistant
from assistant.settings import ChunkingSettings, IndexingSettings, Settings
from tests.conftest import FONT_DIR
from tests.test_reindex import assert_consistent, subprocess_env

FONT = FONT_DIR / "DejaVuSans.ttf"
HEBREW = "שלום עולם, זהו מסמך בעברית."
ARABIC = "مرحبا بالعالم، هذه وثيقة باللغة العربية."


def pdf_document(pages: list[str]) -> FPDF:
    pdf = FPDF()
    pdf.add_font("DejaVu", "", str(FONT))
    pdf.set_font("DejaVu", size=11)
    for text in pages:
        pdf.add_page()
        pdf.multi_cell(0, 6, text)
    return pdf


def report(path: Path, subject: str) -> Path:
    """A two-page report whose first page names its own subject, so that a search can find this file alone."""
    pdf_document([f"Le comité {subject} a tenu sa première rencontre le 3 mars 2012 à la salle municipale.",
                  f"Deuxième page du rapport du comité {subject} : suivi des engagements."]).output(str(path))
    return path


def rewritten(source: Path, path: Path, change: Callable[[pypdf.PdfWriter], None]) -> Path:
    writer = pypdf.PdfWriter(clone_from=str(source))
    change(writer)
    writer.write(str(path))
    return path


def with_broken_xref(source: Path, path: Path) -> Path:
    """Every offset of the cross-reference table wrong (a file edited by hand or cut and mended)."""
    data = source.read_bytes()
    start = data.rindex(b"\nxref") + 1
    end = data.index(b"trailer", start)
    path.write_bytes(data[:start] + re.sub(rb"\d{10} 00000 n", b"0000000001 00000 n", data[start:end]) + data[end:])
    return path


def without_xref(source: Path, path: Path) -> Path:
    """No cross-reference table, no trailer: only the objects remain."""
    data = source.read_bytes()
    path.write_bytes(data[:data.rindex(b"\nxref") + 1] + b"%%EOF\n")
    return path


def scanned(path: Path, work: Path) -> Path:
    """A page that is only a picture of text (no OCR was run)."""
    image = Image.new("RGB", (800, 200), "white")
    ImageDraw.Draw(image).text((20, 80), "Rapport numerise sans couche texte", fill="black")
    image.save(work / "scan.png")
    pdf = FPDF()
    pdf.add_page()
    pdf.image(str(work / "scan.png"), x=10, y=10, w=180)
    pdf.output(str(path))
    return path


def filled_form(source: Path, path: Path) -> Path:
    """A form with a filled text field (its value lives in the field, not in the page's text)."""
    def add_field(writer: pypdf.PdfWriter) -> None:
        page = writer.pages[0]
        field = DictionaryObject({
            NameObject("/Type"): NameObject("/Annot"), NameObject("/Subtype"): NameObject("/Widget"),
            NameObject("/FT"): NameObject("/Tx"), NameObject("/T"): TextStringObject("Organisme porteur"),
            NameObject("/V"): TextStringObject("Corporation de développement communautaire de Kamouraska"),
            NameObject("/Rect"): ArrayObject([FloatObject(x) for x in (50, 600, 400, 620)]),
            NameObject("/F"): NumberObject(4)})
        reference = writer._add_object(field)
        page[NameObject("/Annots")] = ArrayObject([reference])
        writer._root_object[NameObject("/AcroForm")] = DictionaryObject(
            {NameObject("/Fields"): ArrayObject([reference])})
    return rewritten(source, path, add_field)


def two_columns(path: Path) -> Path:
    pdf = pdf_document([])
    pdf.add_page()
    with pdf.text_columns(ncols=2, gutter=8) as columns:
        columns.write(" ".join(f"À gauche, le point {n} porte sur le transport collectif en Mauricie."
                               for n in range(10)))
        columns.new_column()
        columns.write(" ".join(f"À droite, le point {n} porte sur l'épicerie solidaire de Lanaudière."
                               for n in range(10)))
    pdf.output(str(path))
    return path


def right_to_left(path: Path) -> Path:
    """Hebrew and Arabic drawn in display order, as most producers store them."""
    pdf_document([f"Citation d'un partenaire international :\n{HEBREW}\n{ARABIC}"]).output(str(path))
    return path


def damaged_page(source: Path, path: Path) -> Path:
    """Page 2's content stream is garbage; page 1 is fine."""
    def damage(writer: pypdf.PdfWriter) -> None:
        writer.pages[1][NameObject("/Contents")].get_object().set_data(b"\x00garbage(((BT /F1 12 Tf (texte) Tj")
    return rewritten(source, path, damage)


@pytest.fixture
def hard_corpus(tmp_path: Path) -> Path:
    """One corpus of difficult PDFs, each named after what is wrong with it."""
    corpus, work = tmp_path / "corpus", tmp_path / "travail"
    corpus.mkdir()
    work.mkdir()
    base = report(work / "base.pdf", "de référence")
    rewritten(report(work / "a.pdf", "du mot de passe"), corpus / "chiffre-avec-mot-de-passe.pdf",
              lambda w: w.encrypt(user_password="secret", owner_password="proprio", algorithm="AES-256"))
    rewritten(report(work / "b.pdf", "de Charlevoix"), corpus / "chiffre-sans-mot-de-passe-aes.pdf",
              lambda w: w.encrypt(user_password="", owner_password="proprio", algorithm="AES-256"))
    rewritten(report(work / "c.pdf", "de la Gaspésie"), corpus / "chiffre-sans-mot-de-passe-rc4.pdf",
              lambda w: w.encrypt(user_password="", owner_password="proprio", algorithm="RC4-128"))
    with_broken_xref(report(work / "d.pdf", "de l'Abitibi"), corpus / "xref-casse.pdf")
    without_xref(base, corpus / "sans-xref.pdf")
    (corpus / "tronque.pdf").write_bytes(base.read_bytes()[:-300])
    scanned(corpus / "numerise.pdf", work)
    filled_form(report(work / "e.pdf", "du Bas-Saint-Laurent"), corpus / "formulaire.pdf")
    two_columns(corpus / "deux-colonnes.pdf")
    right_to_left(corpus / "hebreu-arabe.pdf")
    rewritten(report(work / "f.pdf", "de l'Outaouais"), corpus / "piece-jointe.pdf",
              lambda w: w.add_attachment("annexe.txt", "Pièce jointe : budget caché de 999 999 $.".encode()))
    damaged_page(report(work / "g.pdf", "de la Côte-Nord"), corpus / "page-abimee.pdf")
    return corpus


READABLE = {  # file → a question only it answers
    "chiffre-sans-mot-de-passe-aes.pdf": "Quand le comité de Charlevoix a-t-il tenu sa première rencontre ?",
    "chiffre-sans-mot-de-passe-rc4.pdf": "Quand le comité de la Gaspésie a-t-il tenu sa première rencontre ?",
    "xref-casse.pdf": "Quand le comité de l'Abitibi a-t-il tenu sa première rencontre ?",
    "formulaire.pdf": "Quel est l'organisme porteur de Kamouraska ?",
    "deux-colonnes.pdf": "Que dit le point 7 sur l'épicerie solidaire de Lanaudière ?",
    "hebreu-arabe.pdf": "שלום עולם",
    "piece-jointe.pdf": "Quand le comité de l'Outaouais a-t-il tenu sa première rencontre ?",
    "page-abimee.pdf": "Quand le comité de la Côte-Nord a-t-il tenu sa première rencontre ?",
}
FAILED = {  # file → what its failure says
    "chiffre-avec-mot-de-passe.pdf": "PDF protégé par un mot de passe",
    "sans-xref.pdf": "PDF illisible ou endommagé",
    "tronque.pdf": "PDF tronqué",
    "numerise.pdf": "PDF sans couche texte",
    "page-abimee.pdf:page 2": "page 2 illisible",
}


def test_every_hard_pdf_gets_a_clear_outcome_and_what_could_be_read_is_indexed(
        hard_corpus: Path, tmp_path: Path, e5: E5Embeddings, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    # OCR off: the scan gets the refusal a machine without Tesseract gives (tests/test_ocr.py reads it by OCR).
    settings = Settings(corpus_dir=hard_corpus, index_dir=tmp_path / "index", indexing=IndexingSettings(ocr=False),
                        chunking=ChunkingSettings(chunk_size=400, chunk_overlap=50))
    assistant = Assistant(settings, embeddings=e5)
    report_of_run = assistant.index()

    files = {path.name for path in hard_corpus.iterdir()}
    assert set(report_of_run.added) | {key for key in report_of_run.failed if ":" not in key} == files
    assert set(report_of_run.added) == set(READABLE)
    for key, reason in FAILED.items():
        assert reason in report_of_run.failed[key], key
    assert all("; " in reason for reason in report_of_run.failed.values())  # each says what to do
    for name, question in READABLE.items():
        found = assistant.search(question, SearchFilters(("public", "interne", "confidentiel")))
        assert found and found[0].passage.info.path == name, (name, [s.passage.info.path for s in found])
    passages = " ".join(source.passage.text for name in READABLE
                        for source in assistant.search(READABLE[name]))
    assert "Corporation de développement communautaire de Kamouraska" in passages
    assert "999 999" not in passages  # attachments are not read (see docs/reliability.md)
    assert_consistent(assistant)

    monkeypatch.setenv("ASSISTANT_CORPUS_DIR", str(hard_corpus))
    monkeypatch.setenv("ASSISTANT_INDEX_DIR", str(settings.index_dir))
    assert cli_main(["status"]) == 0
    status = capsys.readouterr().out
    assert f"Fichiers en échec : {len(FAILED)}" in status
    assert all(name in status for name in FAILED)


def test_the_text_of_each_hard_pdf_reads_as_written(hard_corpus: Path) -> None:
    def text(name: str) -> str:
        return "\n".join(page.text for page in read_pdf(hard_corpus / name, name).pages)

    assert HEBREW in text("hebreu-arabe.pdf") and ARABIC in text("hebreu-arabe.pdf")
    columns = " ".join(text("deux-colonnes.pdf").split())
    assert "À droite, le point 7 porte sur l'épicerie solidaire de Lanaudière." in columns
    assert columns.index("À gauche, le point 9") < columns.index("À droite, le point 0")
    assert "Organisme porteur : Corporation de développement communautaire de Kamouraska" in text("formulaire.pdf")
    damaged = read_pdf(hard_corpus / "page-abimee.pdf", "page-abimee.pdf")
    assert "Côte-Nord a tenu sa première rencontre" in damaged.pages[0].text and damaged.pages[1].text == ""
    assert list(damaged.unreadable_pages) == [2]


def test_a_pdf_whose_pages_all_carry_the_same_short_text_is_indexed_not_refused_as_a_scan(
        tmp_path: Path, e5: E5Embeddings) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    pdf_document(["Annexe C : formulaire réservé au comité de Charlevoix."] * 4).output(str(corpus / "annexe.pdf"))
    assert all("formulaire réservé au comité de Charlevoix" in page.text
               for page in read_pdf(corpus / "annexe.pdf", "annexe.pdf").pages)
    assistant = Assistant(Settings(corpus_dir=corpus, index_dir=tmp_path / "index"), embeddings=e5)
    report_of_run = assistant.index()
    assert report_of_run.added == ["annexe.pdf"] and report_of_run.failed == {}
    assert assistant.search("formulaire du comité de Charlevoix")[0].passage.info.path == "annexe.pdf"


@pytest.mark.parametrize("extracted, reading", [
    (".תירבעב ךמסמ והז ,םלוע םולש", "שלום עולם, זהו מסמך בעברית."),
    ("2012 תנשמ ךמסמ", "מסמך משנת 2012"),
    ("(CRÉ) ךמסמ", "מסמך (CRÉ)"),
    ("שלום עולם", "שלום עולם"),  # already in reading order: left alone
    ("Le comité de la Mauricie.", "Le comité de la Mauricie."),
])
def test_right_to_left_lines_are_put_back_in_reading_order(extracted: str, reading: str) -> None:
    assert logical_order(extracted) == reading


def huge_report(path: Path, pages: int) -> Path:
    """A long annex: a running header and footer, the same two lines of body on every page (one passage each, one
    vector for all), and one page that says something of its own."""
    pdf = FPDF()
    pdf.add_font("DejaVu", "", str(FONT))
    pdf.set_font("DejaVu", size=11)
    for number in range(1, pages + 1):
        pdf.add_page()
        remark = ("Le comité de Portneuf a adopté son plan d'action le 12 mai 2013." if number == pages // 2
                  else "Aucune remarque particulière pour cette page.")
        pdf.multi_cell(0, 6, "Annexe statistique\nTableau des indicateurs de la région, mis à jour chaque année.\n"
                             "Les indicateurs suivent la même méthode d'une page à l'autre.\nChaque ligne du tableau "
                             f"donne la valeur de l'année et celle de l'année précédente.\n{remark}\nPage {number}")
    pdf.output(str(path))
    return path


# `assistant index`, then the peak resident memory of that process (kB on Linux).
INDEX_AND_REPORT_PEAK = ("import resource, sys\nfrom assistant.cli import main\ncode = main(['index'])\n"
                         "print('PEAK_KIB', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\n"
                         "sys.exit(code)")


@pytest.mark.slow
def test_a_pdf_of_3000_pages_is_indexed_with_bounded_memory(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    huge_report(corpus / "annexe-3000-pages.pdf", 3000)
    started = time.perf_counter()
    run = subprocess.run([sys.executable, "-c", INDEX_AND_REPORT_PEAK], capture_output=True, text=True,
                         env={**subprocess_env(corpus, tmp_path / "i"),
                              "ASSISTANT_INDEXING__MAX_FILE_PASSAGES": "5000"}, timeout=1800)
    seconds = time.perf_counter() - started
    assert run.returncode == 0, run.stderr
    peak_mib = int(run.stderr.rsplit("PEAK_KIB ", 1)[1]) / 1024
    print(f"3000 pages ({(corpus / 'annexe-3000-pages.pdf').stat().st_size / 1e6:.1f} Mo) indexed in {seconds:.0f} s, "
          f"peak memory {peak_mib:.0f} MiB: {run.stdout.strip()}")
    assert peak_mib < 2048
    settings = Settings(corpus_dir=corpus, index_dir=tmp_path / "i",
                        chunking=ChunkingSettings(chunk_size=400, chunk_overlap=50))
    assistant = Assistant(settings)
    manifest = assistant.manifest()
    assert manifest.documents["annexe-3000-pages.pdf"].pages == 3000
    assert len(manifest.documents["annexe-3000-pages.pdf"].passage_ids) >= 3000
    found = assistant.search("Quand le comité de Portneuf a-t-il adopté son plan d'action ?")
    assert found[0].passage.page == 1500
