"""Readers: one function per file format, each turning a file into a ``SourceDocument`` with its pages."""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import logging
import re
import unicodedata
import zipfile
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from assistant.errors import UnreadableDocument
from assistant.ingest.metadata import (MetadataError, document_info, read_sidecar, sidecar_bytes, sidecar_path,
                                      split_front_matter)
from assistant.ingest.names import stored_name
from assistant.ingest.ocr import OcrFailed, PageOcr
from assistant.ingest.pdf_text import clean_extracted_text, outline_headings, page_text
from assistant.ingest.tables import (header_rows, markdown_table_rows, may_hold_table, pdf_table_rows, table_row,
                                    table_title)
from assistant.models import Heading, PageText, SourceDocument, TableRow

# The version of how documents are read into passages (text, tables, rows' facts): a change that gives an unchanged
# file other passages bumps it, and an index read the old way then asks for a rebuild (``check_compatible``).
# 2: tables' titles carried into their rows, two-level headers, Markdown tables read as tables.
# 3: the authors of the metadata (``auteurs``) kept with each passage (``DocumentInfo.authors``): an unchanged file
# would keep its passages without them.
READING_VERSION = 3
TEXT_ENCODINGS = ("utf-8", "cp1252")
BYTE_ORDER_MARKS = {b"\xff\xfe": "utf-16", b"\xfe\xff": "utf-16"}
JSONL_SUFFIX = ".jsonl"
# Signatures of what often hides behind a wrong extension, to say what the file really is.
_SIGNATURES = {b"PK\x03\x04": "une archive ZIP (document Office ou OpenDocument ?)",
               b"\xd0\xcf\x11\xe0": "un document Office ancien ou protégé par mot de passe",
               b"\xff\xd8\xff": "une image JPEG", b"\x89PNG": "une image PNG", b"<!DOC": "une page HTML",
               b"<html": "une page HTML", b"{\\rtf": "un document RTF"}
# Headings: Markdown « ## Titre » lines, Word's « Heading 2 » (« Titre 2 » in a French Word) paragraph styles.
MARKDOWN_HEADING = re.compile(r"^(#{1,6})[ \t]+(\S.*)$", re.MULTILINE)
_WORD_HEADING = re.compile(r"(?:Heading|Titre) ([1-9])$")
# pypdf warns about every defect it recovers from; a file we cannot read is reported once, by us.
logging.getLogger("pypdf").setLevel(logging.ERROR)


def read_document(path: Path, corpus_dir: Path, ocr: PageOcr | None = None) -> SourceDocument:
    """Read any supported single-document file of the corpus; ``ocr`` reads the scanned pages of PDF files."""
    reader = READERS.get(path.suffix.lower())
    if reader is read_pdf:
        reader = functools.partial(read_pdf, ocr=ocr)
    if reader is None:
        formats = ", ".join([*READERS, JSONL_SUFFIX])
        raise UnreadableDocument(f"format « {path.suffix} » non pris en charge; formats lus : {formats}")
    check_not_empty(path)
    try:
        return reader(path, stored_name(path.relative_to(corpus_dir)))
    except MetadataError as error:
        raise UnreadableDocument(f"{error}; corrigez l'en-tête (voir corpus/README.md)") from error
    except UnreadableDocument:
        raise
    except Exception as error:  # noqa: BLE001 - parsers raise anything on a malformed file: report it, never hide it
        raise UnreadableDocument(f"lecture impossible ({type(error).__name__} : {error}); ouvrez le fichier, "
                                 "réenregistrez-le, puis relancez l'indexation") from error


def check_not_empty(path: Path) -> None:
    """An empty file is a failed copy more often than a document."""
    if path.stat().st_size == 0:
        raise UnreadableDocument("fichier vide; remplacez-le par le bon fichier ou retirez-le du corpus")


def check_signature(path: Path, expected: bytes, format_name: str) -> None:
    """Refuse a file whose first bytes are not those of its format, and say what it seems to be."""
    with path.open("rb") as stream:
        head = stream.read(1024)
    if expected in head:
        return
    seems = next((what for signature, what in _SIGNATURES.items() if head.lstrip().startswith(signature)), None)
    raise UnreadableDocument(f"ce fichier porte l'extension {path.suffix} mais n'est pas un {format_name}"
                             f"{f' : cela ressemble à {seems}' if seems else ''}; vérifiez le fichier ou "
                             "renommez-le avec la bonne extension")


def content_hash(path: Path) -> str:
    """SHA-256 of the file and of its sidecar, so that editing either one counts as a change."""
    with path.open("rb") as stream:
        digest = hashlib.file_digest(stream, "sha256")
    digest.update(sidecar_bytes(path) or b"")
    return digest.hexdigest()


def read_pdf(path: Path, relative_path: str, ocr: PageOcr | None = None) -> SourceDocument:
    """A PDF, page by page, with the page labels the file declares; pages without text are read by ``ocr``."""
    # The format libraries are imported by their readers: planning a run (`assistant index` with nothing to do)
    # hashes files without loading them.
    import pypdf
    from pypdf.errors import DependencyError, PdfReadError

    check_signature(path, b"%PDF-", "PDF")
    with path.open("rb") as stream:
        stream.seek(max(0, path.stat().st_size - 1024))
        if b"%%EOF" not in stream.read():
            raise UnreadableDocument("PDF tronqué (la fin du fichier manque : copie ou téléchargement "
                                     "interrompu ?); déposez de nouveau le fichier complet")
    try:
        reader = pypdf.PdfReader(path)
        if reader.is_encrypted and not reader.decrypt(""):
            raise UnreadableDocument("PDF protégé par un mot de passe; déposez une version sans protection")
        labels = reader.page_labels
        texts, unreadable = [], {}
        for number, page in enumerate(reader.pages, start=1):
            try:
                texts.append(clean_extracted_text(page_text(page)))
            except Exception as error:  # noqa: BLE001 - one damaged page must not cost the others: it is reported
                texts.append("")
                unreadable[number] = (f"page {number} illisible ({type(error).__name__} : {error}); les autres pages "
                                      "sont indexées. Réenregistrez le PDF pour la récupérer")
        scanned = read_scanned_pages(path, texts, unreadable, ocr)
        texts = strip_running_lines(texts)
        ruled = {number: texts[number - 1] for number, page in enumerate(reader.pages, start=1)
                 if number not in unreadable and may_hold_table(page)}
        before = {number: texts[number - 2] for number in ruled if number > 1}  # a table's title may end a page
        rows = pdf_table_rows(path, ruled, before) if ruled else {}
        headings = outline_headings(reader, texts)
        pages = [PageText(number, labels[number - 1] if number <= len(labels) else str(number), text,
                          ocr=number in scanned, rows=rows.get(number, ()),
                          headings=headings.get(number, ()))
                 for number, text in enumerate(texts, start=1)]
        properties_title = (reader.metadata.title if reader.metadata else None) or ""
    except DependencyError as error:
        raise UnreadableDocument("PDF chiffré (protection contre la copie ou l'impression); enregistrez-en une copie "
                                 "sans protection, par exemple en l'imprimant en PDF") from error
    except (PdfReadError, ValueError, KeyError, OSError) as error:
        raise UnreadableDocument(f"PDF illisible ou endommagé ({error}); ouvrez-le et réenregistrez-le") from error
    if not any(page.text.strip() for page in pages):
        if unreadable:
            raise UnreadableDocument(f"aucune page lisible ({next(iter(unreadable.values())).split(';')[0]}); "
                                     "ouvrez le PDF et réenregistrez-le")
        raise without_text(scanned, ocr)
    info = document_info(relative_path, read_sidecar(path), properties_title or path.stem)
    return SourceDocument(info, pages, content_hash(path), unreadable)


def read_scanned_pages(path: Path, texts: list[str], unreadable: dict[int, str], ocr: PageOcr | None) -> set[int]:
    """Fill the pages that have no text (and could be parsed) by OCR, in place; the numbers of the pages read so."""
    if ocr is None or not ocr.engine:
        return set()
    empty = [number for number, text in enumerate(texts, start=1) if not text.strip() and number not in unreadable]
    if len(empty) > ocr.max_pages:
        raise UnreadableDocument(f"PDF de {len(empty)} pages numérisées à lire par OCR, au-delà de la limite de "
                                 f"{ocr.max_pages} pages par fichier (environ {ocr.seconds_per_page:.0f} s par page "
                                 "ici); découpez-le, ou relevez la limite (réglage "
                                 f"ASSISTANT_INDEXING__MAX_OCR_PAGES={len(empty)}) puis relancez l'indexation",
                                 retry_when={"max_ocr_pages": len(empty)})
    try:
        found = ocr.read_pages(path, empty)
    except OcrFailed as error:
        raise UnreadableDocument(f"PDF numérisé illisible par OCR ({error}); réessayez, ou passez-le à la "
                                 "reconnaissance de caractères avant de l'ajouter") from error
    for number, text in found.items():
        texts[number - 1] = clean_extracted_text(text)
    return set(found)


def without_text(scanned: set[int], ocr: PageOcr | None) -> UnreadableDocument:
    """Why a PDF none of whose pages has text is refused: OCR found nothing, it had nothing to read (blank pages),
    or OCR is off or missing."""
    if scanned:
        return UnreadableDocument("PDF numérisé où la reconnaissance de caractères (OCR) n'a trouvé aucun texte "
                                  "(image trop pâle, floue ou de trop basse résolution ?); numérisez-le de nouveau "
                                  "à 300 ppp")
    if ocr is not None and ocr.engine:
        return UnreadableDocument("PDF sans couche texte ni rien à lire par OCR (pages blanches ?); vérifiez le "
                                  "fichier")
    if ocr is None:
        return UnreadableDocument("PDF sans couche texte (document numérisé ?) et reconnaissance de caractères (OCR) "
                                  "désactivée; activez-la (réglage ASSISTANT_INDEXING__OCR), ou passez-le à l'OCR "
                                  "avant de l'ajouter", retry_when={"ocr": 1})
    return UnreadableDocument("PDF sans couche texte (document numérisé ?) et reconnaissance de caractères (OCR) "
                              "absente; installez Tesseract et ses données françaises (sudo apt-get install "
                              "tesseract-ocr tesseract-ocr-fra) puis relancez l'indexation, ou passez-le à l'OCR avant "
                              "de l'ajouter", retry_when={"ocr": 1})


def read_docx(path: Path, relative_path: str) -> SourceDocument:
    """A Word document as one unpaginated text: paragraphs and tables in reading order."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    check_signature(path, b"PK\x03\x04", "document Word (DOCX)")
    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, ValueError, KeyError, OSError) as error:
        raise UnreadableDocument(f"DOCX illisible ou endommagé ({error}); ouvrez-le et réenregistrez-le") from error
    blocks: list[str] = []
    rows: list[TableRow] = []
    headings: list[Heading] = []
    offset = 0  # where the next block starts in the text: blocks are joined by a blank line
    for block in document.iter_inner_content():
        if isinstance(block, docx.table.Table):
            grid = [[(cell._tc, unicodedata.normalize("NFC", cell.text.strip())) for cell in row.cells]
                    for row in block.rows]
            # A cell spanning several columns comes once per column: the header rows take it once (None after).
            headers, taken = header_rows([[None if j and tc is cells[j - 1][0] else text
                                           for j, (tc, text) in enumerate(cells)] for cells in grid])
            title = table_title("\n\n".join(blocks), headers)
            for number, cells in enumerate([text for _, text in cells] for cells in grid):
                blocks.append(" | ".join(cells))
                row = table_row(headers, cells, offset, offset + len(blocks[-1]), title) if number >= taken else None
                rows += [row] if row else []
                offset += len(blocks[-1]) + 2
        elif block.text.strip():
            blocks.append(unicodedata.normalize("NFC", block.text.strip()))
            level = _WORD_HEADING.match(block.style.name if block.style is not None else "")
            if level:
                headings.append(Heading(offset, int(level.group(1)) - 1, blocks[-1]))
            offset += len(blocks[-1]) + 2
    info = document_info(relative_path, read_sidecar(path), document.core_properties.title or path.stem)
    return SourceDocument(info, [PageText(None, "", "\n\n".join(blocks), rows=tuple(rows), headings=tuple(headings))],
                          content_hash(path))


def read_text(path: Path, relative_path: str) -> SourceDocument:
    """Markdown or plain text, with its YAML header (or a sidecar) for metadata."""
    text = decode_text(path.read_bytes())
    header, body, _ = split_front_matter(text)
    header = header or read_sidecar(path)
    info = document_info(relative_path, header, path.stem)
    if not body.strip():
        raise UnreadableDocument("aucun texte après l'en-tête; ajoutez le contenu du document")
    headings = tuple(Heading(match.start(), len(match.group(1)) - 1, " ".join(match.group(2).split()))
                     for match in MARKDOWN_HEADING.finditer(body))
    rows = markdown_table_rows(body) if path.suffix.lower() in (".md", ".markdown") else ()
    return SourceDocument(info, [PageText(None, "", body, rows=rows, headings=headings)], content_hash(path))


def decode_text(data: bytes) -> str:
    """Decode a text file: UTF-16 when it says so, UTF-8, then the Windows encoding common in older Québec files."""
    for mark, encoding in BYTE_ORDER_MARKS.items():
        if data.startswith(mark):
            try:
                return unicodedata.normalize("NFC", data.decode(encoding))
            except UnicodeDecodeError as error:
                raise UnreadableDocument("texte UTF-16 endommagé; enregistrez le fichier en UTF-8") from error
    if b"\x00" in data[:4096]:
        raise UnreadableDocument("fichier binaire portant une extension de texte (ou texte UTF-16 sans marque "
                                 "d'ordre des octets); vérifiez le fichier ou enregistrez-le en UTF-8")
    for encoding in TEXT_ENCODINGS:
        try:
            return unicodedata.normalize("NFC", data.decode(encoding).lstrip("\ufeff"))
        except UnicodeDecodeError:
            continue
    raise UnreadableDocument("encodage de texte inconnu; enregistrez le fichier en UTF-8")


def strip_running_lines(pages: list[str], edge_lines: int = 2, share: float = 0.5) -> list[str]:
    """Remove running headers and footers: edge lines that recur, digits aside, on at least half of the pages.

    A page whose every line would go (pages that all carry the same short text) keeps its text: the remover never
    empties a page that had text.
    """
    if len(pages) < 3:
        return pages

    def shape(line: str) -> str:
        return re.sub(r"\d+", "#", line.strip())

    counts: Counter[str] = Counter()
    for text in pages:
        lines = text.splitlines()
        counts.update({shape(line) for line in lines[:edge_lines] + lines[-edge_lines:] if line.strip()})
    running = {line for line, count in counts.items() if count >= share * len(pages)}
    cleaned = []
    for text in pages:
        lines = text.splitlines()
        head = [i for i in range(min(edge_lines, len(lines))) if shape(lines[i]) in running]
        tail = [i for i in range(max(0, len(lines) - edge_lines), len(lines)) if shape(lines[i]) in running]
        drop = set(head) | set(tail)
        kept = "\n".join(line for i, line in enumerate(lines) if i not in drop)
        cleaned.append(kept if kept.strip() else text)
    return cleaned


def read_odt(path: Path, relative_path: str) -> SourceDocument:
    """An OpenDocument text (LibreOffice) as one unpaginated text: headings, paragraphs, lists and tables."""
    import odfdo

    check_signature(path, b"PK\x03\x04", "document OpenDocument (ODT)")
    with zipfile.ZipFile(path) as archive:
        if b"encryption-data" in archive.read("META-INF/manifest.xml"):
            raise UnreadableDocument("ODT protégé par un mot de passe; enregistrez-en une copie sans mot de passe")
    document = odfdo.Document(str(path))
    text = unicodedata.normalize("NFC", "\n\n".join(_odt_blocks(document.body)))
    info = document_info(relative_path, read_sidecar(path), document.meta.title or path.stem)
    return SourceDocument(info, [PageText(None, "", text)], content_hash(path))


def _odt_blocks(element: object) -> list[str]:
    blocks: list[str] = []
    for child in element.children:  # type: ignore[attr-defined]
        if child.tag in ("text:h", "text:p") and child.text_recursive.strip():
            blocks.append(child.text_recursive.strip())
        elif child.tag == "table:table":
            blocks.extend(" | ".join(cell.text_recursive.strip() for cell in row.traverse())
                          for row in child.traverse())
        else:  # lists, sections and other containers
            blocks.extend(_odt_blocks(child))
    return blocks


def read_pptx(path: Path, relative_path: str) -> SourceDocument:
    """A PowerPoint presentation, one page per slide (its text, tables and speaker notes)."""
    import pptx
    from pptx.exc import PackageNotFoundError as PresentationNotFound

    check_signature(path, b"PK\x03\x04", "présentation PowerPoint (PPTX)")
    try:
        presentation = pptx.Presentation(str(path))
    except (PresentationNotFound, zipfile.BadZipFile, KeyError) as error:
        raise UnreadableDocument(f"PPTX illisible ou endommagé ({error}); ouvrez-le et réenregistrez-le") from error
    pages = []
    for number, slide in enumerate(presentation.slides, start=1):
        blocks = [_shape_text(shape) for shape in slide.shapes]
        if slide.has_notes_slide:
            blocks.append(slide.notes_slide.notes_text_frame.text)
        text = unicodedata.normalize("NFC", "\n\n".join(block.strip() for block in blocks if block.strip()))
        pages.append(PageText(number, str(number), text))
    if not any(page.text for page in pages):
        raise UnreadableDocument("présentation sans texte (diapositives en images ?); ajoutez le texte ou retirez-la")
    info = document_info(relative_path, read_sidecar(path), presentation.core_properties.title or path.stem)
    return SourceDocument(info, pages, content_hash(path))


def _shape_text(shape: object) -> str:
    if getattr(shape, "has_text_frame", False):
        return shape.text_frame.text  # type: ignore[attr-defined]
    if getattr(shape, "has_table", False):
        return "\n".join(" | ".join(cell.text.strip() for cell in row.cells)
                         for row in shape.table.rows)  # type: ignore[attr-defined]
    return "\n".join(_shape_text(child) for child in getattr(shape, "shapes", []))  # grouped shapes


def read_html(path: Path, relative_path: str) -> SourceDocument:
    """A saved web page: its visible text (scripts, styles and navigation dropped) and its <title>."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(path.read_bytes(), "lxml")
    for hidden in soup(["script", "style", "noscript", "template", "nav"]):
        hidden.decompose()
    title = soup.title.get_text(" ", strip=True) if soup.title else ""
    if soup.title:
        soup.title.decompose()
    lines = (" ".join(line.split()) for line in soup.get_text("\n").splitlines())
    text = unicodedata.normalize("NFC", re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip())
    if not text:
        raise UnreadableDocument("page HTML sans texte visible; vérifiez le fichier")
    info = document_info(relative_path, read_sidecar(path), title or path.stem)
    return SourceDocument(info, [PageText(None, "", text)], content_hash(path))


def read_jsonl(path: Path, corpus_dir: Path) -> tuple[list[SourceDocument], dict[int, str]]:
    """A JSONL corpus: one document a line (``doc_id``, ``title``, ``text``, optional metadata keys of the convention).

    Each document's hash covers its line and the file's sidecar (defaults for every line), so that editing one line
    changes one document. Returns the documents and, by line number, the lines that could not be read and why.
    """
    check_not_empty(path)
    relative_path = stored_name(path.relative_to(corpus_dir))
    try:
        defaults = read_sidecar(path)
    except MetadataError as error:
        raise UnreadableDocument(f"{error}; corrigez le fichier {sidecar_path(path).name}") from error
    sidecar = sidecar_bytes(path) or b""
    documents: dict[str, SourceDocument] = {}
    failures: dict[int, str] = {}
    for number, line in enumerate(decode_text(path.read_bytes()).splitlines(), start=1):
        if not line.strip():
            continue
        digest = hashlib.sha256(line.strip().encode("utf-8") + sidecar).hexdigest()
        try:
            document = _jsonl_document(line, relative_path, defaults, digest)
        except (UnreadableDocument, MetadataError) as error:
            failures[number] = str(error)
            continue
        if document.info.doc_id in documents:
            failures[number] = (f"doc_id « {document.info.doc_id} » déjà vu plus haut; chaque doc_id doit "
                                "être unique")
            continue
        documents[document.info.doc_id] = document
    return list(documents.values()), failures


def _jsonl_document(line: str, relative_path: str, defaults: dict[str, object], digest: str) -> SourceDocument:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as error:
        raise UnreadableDocument(f"ligne JSON invalide ({error.msg}, colonne {error.colno}); "
                                 "corrigez la ligne") from error
    if not isinstance(record, dict):
        raise UnreadableDocument("la ligne doit être un objet JSON {…}; corrigez la ligne")
    doc_id, text = str(record.get("doc_id") or "").strip(), record.get("text")
    if not doc_id or not isinstance(text, str) or not text.strip():
        raise UnreadableDocument("« doc_id » ou « text » manquant ou vide; chaque ligne a besoin des deux")
    info = document_info(relative_path, {**defaults, **record}, str(record.get("title") or doc_id))
    return SourceDocument(dataclasses.replace(info, doc_id=doc_id),
                          [PageText(None, "", unicodedata.normalize("NFC", text))], digest)


READERS: dict[str, Callable[[Path, str], SourceDocument]] = {
    ".pdf": read_pdf,
    ".docx": read_docx,
    ".odt": read_odt,
    ".pptx": read_pptx,
    ".md": read_text,
    ".txt": read_text,
    ".html": read_html,
    ".htm": read_html,
}
