"""Tables read as tables: each row becomes a ``TableRow`` (its cells under their column headers, and its span in the
page text), which chunking turns into a fact passage. PDF tables come from pdfplumber (ruled tables: the lines the
producer drew), located in the page text that pypdf extracted; DOCX tables from python-docx, by their reader."""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.ingest.pdf_text import clean_extracted_text
from assistant.models import TableRow

if TYPE_CHECKING:  # pypdf is imported by the reader that hands the page over: a run with nothing to read needs none
    from pypdf import PageObject

log = logging.getLogger(__name__)

# A page whose content draws fewer rectangles and line segments than this holds no ruled table: pdfplumber (slower
# than pypdf by about 0.2 s a page) is not opened for it.
MIN_DRAWN_PATHS = 6
_DRAWN_PATH = re.compile(rb"\s(?:re|l)\s")
# How far a row's cells may spread in the page text, beyond their own length, when extraction did not keep them in
# reading order (cells of several lines): past it the row is not located and gives no fact.
_ROW_SLACK = 40


def table_row(headers: list[str], cells: list[str], start: int, end: int) -> TableRow | None:
    """A row under its headers, or None when it has fewer than two filled cells (a title or a spacer line)."""
    pairs = tuple((" ".join(header.split()), " ".join(cell.split())) for header, cell in zip(headers, cells))
    filled = tuple((header, cell) for header, cell in pairs if cell)
    return TableRow(start, end, filled) if len(filled) >= 2 else None


def may_hold_table(page: PageObject) -> bool:
    """Whether the page draws enough lines to hold a ruled table (read from its content stream, cheaply)."""
    contents = page.get_contents()
    return contents is not None and len(_DRAWN_PATH.findall(contents.get_data())) >= MIN_DRAWN_PATHS


def pdf_table_rows(path: Path, texts: dict[int, str]) -> dict[int, tuple[TableRow, ...]]:
    """The rows of the ruled tables on the given pages (page number → its final text), located in that text.

    A page whose tables cannot be read keeps its text and gets no rows: tables add facts, they never cost a page.
    """
    import pdfplumber

    rows: dict[int, tuple[TableRow, ...]] = {}
    with pdfplumber.open(path) as pdf:
        for number, text in texts.items():
            try:
                tables = [[[clean_extracted_text(cell or "") for cell in row] for row in table.extract()]
                          for table in pdf.pages[number - 1].find_tables()]
            except Exception as error:  # noqa: BLE001 - pdfminer raises anything on odd content; the text stays
                log.warning("%s, page %d : tableaux non lus (%s : %s); le texte de la page est indexé",
                            path.name, number, type(error).__name__, error)
                continue
            found = [row for table in tables for row in located_rows(table, text)]
            if found:
                rows[number] = tuple(found)
    return rows


def located_rows(table: list[list[str]], text: str) -> list[TableRow]:
    """The data rows of an extracted table (its first row is the headers), each located in the page text after the
    previous one; a row that cannot be located is left out."""
    if len(table) < 2:
        return []
    headers = table[0]
    cursor = 0
    header_span = locate([cell for cell in headers if cell], text, cursor)
    if header_span:
        cursor = header_span[1]
    rows = []
    for cells in table[1:]:
        span = locate([cell for cell in cells if cell.strip()], text, cursor)
        if span is None:
            continue
        cursor = span[1]
        row = table_row(headers, cells, *span)
        if row is not None:
            rows.append(row)
    return rows


def locate(cells: list[str], text: str, start: int) -> tuple[int, int] | None:
    """The span of ``text`` after ``start`` that holds these cells' words: in order, separated by spaces or line
    breaks only; else the shortest spread of their first occurrences, if it is not much longer than the cells."""
    words = [word for cell in cells for word in cell.split()]
    if not words:
        return None
    in_order = re.compile(r"\s+".join(re.escape(word) for word in words))
    match = in_order.search(text, start)
    if match:
        return match.start(), match.end()
    spans = []
    for word in dict.fromkeys(words):
        found = re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text[start:])
        if found is None:
            return None
        spans.append((start + found.start(), start + found.end()))
    first, last = min(s for s, _ in spans), max(e for _, e in spans)
    return (first, last) if last - first <= sum(len(word) + 1 for word in words) + _ROW_SLACK else None
