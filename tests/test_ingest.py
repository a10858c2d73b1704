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
