"""Readers: one function per file format, each turning a file into a ``SourceDocument`` with its pages."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import docx
import pypdf
from pypdf.errors import PdfReadError

from assistant.ingest.metadata import MetadataError, document_info, read_sidecar, sidecar_path, split_front_matter
from assistant.models import PageText, SourceDocument

TEXT_ENCODINGS = ("utf-8", "cp1252")
# Characters that PDF text extraction returns for ligatures and invisible marks.
_EXTRACTION_FIXES = str.maketrans({"\ufb01": "fi", "\ufb02": "fl", "\ufb00": "ff", "\u00ad": "", "\x00": ""})


class UnreadableDocument(Exception):
    """A file that cannot be indexed; the message says why and what to do, in French."""


def read_document(path: Path, corpus_dir: Path) -> SourceDocument:
    """Read any supported file of the corpus."""
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise UnreadableDocument(f"format « {path.suffix} » non pris en charge; formats lus : {', '.join(READERS)}")
    if path.stat().st_size == 0:
        raise UnreadableDocument("fichier vide; remplacez-le par le bon fichier ou retirez-le du corpus")
    try:
        return reader(path, path.relative_to(corpus_dir).as_posix())
    except MetadataError as error:
        raise UnreadableDocument(f"{error}; corrigez l'en-tête (voir corpus/README.md)") from error


def content_hash(path: Path) -> str:
    """SHA-256 of the file and of its sidecar, so that editing either one counts as a change."""
    digest = hashlib.sha256(path.read_bytes())
    sidecar = sidecar_path(path)
    if sidecar.is_file():
        digest.update(sidecar.read_bytes())
    return digest.hexdigest()


def read_pdf(path: Path, relative_path: str) -> SourceDocument:
    """A PDF, page by page, with the page labels the file declares."""
    try:
        reader = pypdf.PdfReader(path)
        if reader.is_encrypted and not reader.decrypt(""):
            raise UnreadableDocument("PDF protégé par un mot de passe; déposez une version sans protection")
        labels = reader.page_labels
        texts = strip_running_lines([clean_extracted_text(page.extract_text() or "") for page in reader.pages])
        pages = [PageText(number, labels[number - 1] if number <= len(labels) else str(number), text)
                 for number, text in enumerate(texts, start=1)]
        properties_title = (reader.metadata.title if reader.metadata else None) or ""
    except (PdfReadError, ValueError, KeyError, OSError) as error:
        raise UnreadableDocument(f"PDF illisible ou endommagé ({error}); ouvrez-le et réenregistrez-le") from error
    if not any(page.text.strip() for page in pages):
        raise UnreadableDocument("PDF sans couche texte (document numérisé ?); passez-le à la reconnaissance de "
                                 "caractères (OCR) avant de l'ajouter")
    info = document_info(relative_path, read_sidecar(path), properties_title or path.stem)
    return SourceDocument(info, pages, content_hash(path))


def read_docx(path: Path, relative_path: str) -> SourceDocument:
    """A Word document as one unpaginated text: paragraphs and tables in reading order."""
    try:
        document = docx.Document(str(path))
    except (ValueError, KeyError, OSError) as error:
        raise UnreadableDocument(f"DOCX illisible ou endommagé ({error}); ouvrez-le et réenregistrez-le") from error
    blocks: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, docx.table.Table):
            blocks.extend(" | ".join(cell.text.strip() for cell in row.cells) for row in block.rows)
        elif block.text.strip():
            blocks.append(block.text.strip())
    text = unicodedata.normalize("NFC", "\n\n".join(blocks))
    info = document_info(relative_path, read_sidecar(path), document.core_properties.title or path.stem)
    return SourceDocument(info, [PageText(None, "", text)], content_hash(path))


def read_text(path: Path, relative_path: str) -> SourceDocument:
    """Markdown or plain text, with its YAML header (or a sidecar) for metadata."""
    text = decode_text(path.read_bytes())
    header, body, _ = split_front_matter(text)
    header = header or read_sidecar(path)
    info = document_info(relative_path, header, path.stem)
    if not body.strip():
        raise UnreadableDocument("aucun texte après l'en-tête; ajoutez le contenu du document")
    return SourceDocument(info, [PageText(None, "", body)], content_hash(path))


def decode_text(data: bytes) -> str:
    """Decode a text file, UTF-8 first, then the Windows encoding common in older Québec files."""
    if b"\x00" in data[:4096]:
        raise UnreadableDocument("fichier binaire portant une extension de texte; vérifiez le fichier")
    for encoding in TEXT_ENCODINGS:
        try:
            return unicodedata.normalize("NFC", data.decode(encoding).lstrip("\ufeff"))
        except UnicodeDecodeError:
            continue
    raise UnreadableDocument("encodage de texte inconnu; enregistrez le fichier en UTF-8")


def clean_extracted_text(text: str) -> str:
    """Undo ligatures, soft hyphens and the doubled spaces of justified lines that PDF extraction leaves."""
    text = unicodedata.normalize("NFC", text.translate(_EXTRACTION_FIXES))
    return re.sub(r"[ \t]+\n", "\n", re.sub(r"[ \t]{2,}", " ", text))


def strip_running_lines(pages: list[str], edge_lines: int = 2, share: float = 0.5) -> list[str]:
    """Remove running headers and footers: edge lines that recur, digits aside, on at least half of the pages."""
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
        cleaned.append("\n".join(line for i, line in enumerate(lines) if i not in drop))
    return cleaned


READERS: dict[str, Callable[[Path, str], SourceDocument]] = {
    ".pdf": read_pdf,
    ".docx": read_docx,
    ".md": read_text,
    ".txt": read_text,
}
