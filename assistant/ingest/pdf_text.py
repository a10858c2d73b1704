"""The text of one PDF page as a reader would read it: the page's own text with right-to-left lines put back in
reading order, then the values typed into its form fields; and the sections its bookmarks open on each page."""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING

from assistant.models import Heading

if TYPE_CHECKING:
    from pypdf import PageObject, PdfReader

# Hebrew and Arabic letters (the right-to-left scripts a Québec corpus may quote).
_RTL_LETTER = re.compile(r"[\u0590-\u05ff\u0600-\u06ff\u0750-\u077f\ufb1d-\ufdff\ufe70-\ufeff]")
_LTR_LETTER = re.compile(r"[A-Za-z\u00c0-\u024f]")
# Letters that only end a word in logical order (Hebrew final forms, Arabic tāʾ marbūṭa and alif maqṣūra): seen
# at the start of words, they show a line stored in visual order, right to left reversed.
_WORD_FINAL_ONLY = "ךםןףץةى"
# A run that reads left to right inside a right-to-left line: Latin words and figures, with what joins them.
_LTR_RUN = re.compile(r"[0-9A-Za-z\u00c0-\u024f](?:[0-9A-Za-z\u00c0-\u024f .,:/%$'’-]*[0-9A-Za-z\u00c0-\u024f%$])?")
_MIRRORED = str.maketrans("()[]{}<>«»", ")(][}{><»«")
_FORM_TEXT_TYPES = ("/Tx", "/Ch")
# Characters that PDF text extraction returns for ligatures and invisible marks.
_EXTRACTION_FIXES = str.maketrans({"\ufb01": "fi", "\ufb02": "fl", "\ufb00": "ff", "\u00ad": "", "\x00": ""})


def page_text(page: PageObject) -> str:
    """The page's text, right-to-left lines in reading order, then one line per filled form field."""
    lines = [logical_order(line) for line in (page.extract_text() or "").splitlines()]
    return "\n".join(lines + form_values(page))


def logical_order(line: str) -> str:
    """A right-to-left line extracted in visual order, put back in reading order; any other line unchanged.

    PDF producers draw Hebrew and Arabic glyphs left to right in display order, and text extraction returns them
    so: words come out reversed (« םולש » for « שלום »), which neither a reader nor the search recognises.
    """
    if len(_RTL_LETTER.findall(line)) <= len(_LTR_LETTER.findall(line)) or not _reads_reversed(line):
        return line
    reversed_line = line[::-1].translate(_MIRRORED)
    return _LTR_RUN.sub(lambda run: run.group()[::-1].translate(_MIRRORED), reversed_line)


def _reads_reversed(line: str) -> bool:
    words = [word for word in re.findall(r"\w+", line) if _RTL_LETTER.search(word) and len(word) > 1]
    starts = sum(word[0] in _WORD_FINAL_ONLY for word in words)
    ends = sum(word[-1] in _WORD_FINAL_ONLY for word in words)
    return starts > ends


def form_values(page: PageObject) -> list[str]:
    """« Field : value » for each filled text or choice field of the page (its widgets carry the value)."""
    from pypdf.generic import NameObject

    values = []
    for annotation in page.get(NameObject("/Annots"), None) or []:
        widget = annotation.get_object()
        if widget.get("/Subtype") != "/Widget":
            continue
        field = widget if "/T" in widget or "/Parent" not in widget else widget["/Parent"].get_object()
        value = field.get("/V", widget.get("/V"))
        if field.get("/FT", widget.get("/FT")) not in _FORM_TEXT_TYPES or not isinstance(value, str) \
                or not value.strip():
            continue
        label = str(field.get("/TU") or field.get("/T") or "Champ")
        values.append(f"{label} : {value.strip()}")
    return values


def clean_extracted_text(text: str) -> str:
    """Undo ligatures, soft hyphens and the doubled spaces of justified lines that PDF extraction leaves."""
    text = unicodedata.normalize("NFC", text.translate(_EXTRACTION_FIXES))
    return re.sub(r"[ \t]+\n", "\n", re.sub(r"[ \t]{2,}", " ", text))


def outline_headings(reader: PdfReader, texts: list[str]) -> dict[int, tuple[Heading, ...]]:
    """By page number, the sections the PDF's bookmarks open on that page, each placed where its title is found
    in the page text (at the top of the page when it is not); none when the PDF has no bookmarks or broken ones."""
    from pypdf.errors import PdfReadError
    from pypdf.generic import Destination

    entries: list[tuple[int, int, str]] = []

    def walk(items: list, level: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
            elif isinstance(item, Destination) and item.title:
                number = reader.get_destination_page_number(item)
                if number is not None and 0 <= number < len(texts):
                    entries.append((number + 1, level, " ".join(str(item.title).split())))

    try:
        walk(reader.outline, 0)
    except (PdfReadError, KeyError, ValueError, TypeError, AttributeError):
        return {}  # bookmarks only help the search: a document with broken ones is read without them
    headings: dict[int, list[Heading]] = {}
    for number, level, title in entries:
        placed = headings.setdefault(number, [])
        after = placed[-1].offset if placed else 0
        found = re.compile(r"\s+".join(map(re.escape, title.split()))).search(texts[number - 1], after)
        placed.append(Heading(found.start() if found else after, level, title))
    return {number: tuple(placed) for number, placed in headings.items()}
