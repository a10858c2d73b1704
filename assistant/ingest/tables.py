"""Tables read as tables: each row becomes a ``TableRow`` (its cells under their column headers, its table's title,
and its span in the page text), which chunking turns into a fact passage. PDF tables come from pdfplumber (ruled
tables: the lines the producer drew), located in the page text that pypdf extracted; DOCX tables from python-docx, by
their reader; Markdown tables (« | a | b | » lines under a « |---| » line) from the text itself.

A cell says what it counts only with its table's title (« Nombre de projets concertés soutenus au 31 mars 2014 »):
the title is read in the text just above the table (``table_title``). Headers of two levels (a cell spanning several
columns above a row of sub-headers) are joined per column, and a row label spanning several rows is repeated in each.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.french import STOP_WORDS, content_stems, split_sentences, words_of
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
# A table's title is one line or one sentence; a longer one is prose that happens to precede the table.
TITLE_MAX_CHARS = 300
# A paragraph under a heading describes the table below it (« Nombre de projets concertés soutenus au 31 mars 2014,
# classés selon… ») when it is this short; a longer one is the section's prose.
CAPTION_BLOCK_CHARS = 600
# A line that is a heading or a caption: short, no sentence end, no amount (« Budget par exercice financier »,
# « Tableau 3 – Répartition de l'enveloppe 2011-2015 », « 4. Emploi : une économie à deux vitesses »).
_HEADING_MAX_CHARS = 90
_AMOUNT = re.compile(r"\d\s*[$%]")
# A sentence that announces the table after it: it ends with a colon or names it.
_ANNOUNCES = re.compile(r":\s*$|\b(?:le|les|ce|ces)\s+tableaux?\s+(?:suivants?|ci-dessous|ci-après)\b"
                        r"|\bci-dessous\b|\bci-après\b|\bcomme suit\b", re.IGNORECASE)
MARKDOWN_RULE = re.compile(r"^\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$")
MARKDOWN_EMPHASIS = re.compile(r"(\*\*|__|\*|_)(.+?)\1")


def table_row(headers: list[str], cells: list[str], start: int, end: int, title: str = "") -> TableRow | None:
    """A row under its headers, or None when it has fewer than two filled cells (a title or a spacer line)."""
    pairs = tuple((" ".join(header.split()), " ".join(cell.split())) for header, cell in zip(headers, cells))
    filled = tuple((header, cell) for header, cell in pairs if cell)
    return TableRow(start, end, filled, title) if len(filled) >= 2 else None


def _heading_like(line: str) -> bool:
    return (0 < len(line) <= _HEADING_MAX_CHARS and not line.endswith((".", ";", ",", ":"))
            and not _AMOUNT.search(line))


def _lines(text: str) -> list[str]:
    """The text's lines, a heading wrapped over two lines joined (« Annexe A – Montants des ententes des six
    régions » then « étudiées »)."""
    lines: list[str] = []
    for line in (line.strip() for line in text.split("\n")):
        if lines and line[:1].islower() and _heading_like(line) and _heading_like(lines[-1]) and len(line) <= 40:
            lines[-1] = f"{lines[-1]} {line}"
        else:
            lines.append(line)
    return lines


def _is_heading(lines: list[str], i: int) -> bool:
    """Whether a line is a heading: short, no sentence end and no amount, not ending on an article or a preposition,
    after the end of a sentence (or another heading, or a table's row), and before a line that starts a sentence; a
    line of prose wrapped by the layout is seldom all of these."""
    before = lines[i - 1] if i else ""
    after = lines[i + 1] if i + 1 < len(lines) else ""
    words = words_of(lines[i])
    cut_short = bool(words) and words[-1] in STOP_WORDS  # « … une contribution maximale de » goes on below
    return (_heading_like(lines[i]) and not cut_short and not after[:1].islower()
            and (not before or before.endswith((".", ":", ";", "!", "?", "»")) or _heading_like(before)
                 or bool(_AMOUNT.search(before))))  # after a heading, an end of sentence or a table's last row


def table_title(above: str, headers: Sequence[str] = ()) -> str:
    """The title of the table that follows ``above`` (the text before its header row), or "" when none is told:

    - a heading or caption line right above it (« Budget par exercice financier »);
    - else the last sentence, when it announces the table (« Le tableau suivant donne le nombre de projets soutenus
      au 31 mars 2014 par MRC… », « … répartie comme suit : »);
    - else the first sentence of a short paragraph without amounts right under a heading, when it speaks of what
      that heading or the table's headers name (an annex's « Nombre de projets concertés soutenus au 31 mars 2014,
      classés… »).
    A line of figures (the last row of a table above) is no heading."""
    lines = _lines(above.rstrip())
    while lines and not lines[-1]:
        lines.pop()
    if not lines:
        return ""
    if _is_heading(lines, len(lines) - 1):
        return _short(lines[-1])
    cut = max((i for i in range(len(lines)) if not lines[i] or _is_heading(lines, i)), default=-1)
    block = " ".join(" ".join(lines[cut + 1:]).split())
    sentences = split_sentences(block)
    if not sentences:
        return ""
    if _ANNOUNCES.search(sentences[-1]):
        return _short(sentences[-1])
    above_block = next((i for i in range(cut, -1, -1) if lines[i]), -1)  # over the blank lines between paragraphs
    heading = lines[above_block] if above_block >= 0 and _is_heading(lines, above_block) else ""
    if heading and len(block) <= CAPTION_BLOCK_CHARS and not _AMOUNT.search(block) and content_stems(
            sentences[0]) & content_stems(" ".join([heading, *headers])):
        return _short(sentences[0])
    return ""


def _short(title: str) -> str:
    return title if len(title) <= TITLE_MAX_CHARS else ""


def header_rows(table: list[list[str | None]]) -> tuple[list[str], int]:
    """The column headers of a table as extraction gives it, and how many of its rows they take: the first row, or
    the first two when the first has cells spanning several columns (``None`` where a span covers a column); a
    spanning header is joined to each sub-header under it (« Plafond 2013-2014 »)."""
    top = _spread(table[0])
    if len(table) > 2 and None in table[0][1:]:
        return [" ".join(part for part in (upper, lower or "") if part) for upper, lower in zip(top, table[1])], 2
    return top, 1


def _spread(cells: list[str | None]) -> list[str]:
    """Cells with each span's text repeated over the columns it covers (``None`` after it)."""
    spread: list[str] = []
    for cell in cells:
        spread.append(spread[-1] if cell is None and spread else cell or "")
    return spread


def with_row_label(cells: list[str | None], label: str) -> list[str]:
    """A data row with the label of the row above in its first column when that label spans it (``None`` there)."""
    return [label if cells and cells[0] is None else cells[0] or "", *(cell or "" for cell in cells[1:])]


def may_hold_table(page: PageObject) -> bool:
    """Whether the page draws enough lines to hold a ruled table (read from its content stream, cheaply)."""
    contents = page.get_contents()
    return contents is not None and len(_DRAWN_PATH.findall(contents.get_data())) >= MIN_DRAWN_PATHS


def pdf_table_rows(path: Path, texts: dict[int, str], previous: dict[int, str] | None = None,
                   ) -> dict[int, tuple[TableRow, ...]]:
    """The rows of the ruled tables on the given pages (page number → its final text), located in that text;
    ``previous`` holds the text of the page before each (a table at the top of a page has its title there).

    A page whose tables cannot be read keeps its text and gets no rows: tables add facts, they never cost a page.
    """
    import pdfplumber

    rows: dict[int, tuple[TableRow, ...]] = {}
    with pdfplumber.open(path) as pdf:
        for number, text in texts.items():
            try:
                tables = [[[None if cell is None else clean_extracted_text(cell) for cell in row]
                           for row in table.extract()] for table in pdf.pages[number - 1].find_tables()]
            except Exception as error:  # noqa: BLE001 - pdfminer raises anything on odd content; the text stays
                log.warning("%s, page %d : tableaux non lus (%s : %s); le texte de la page est indexé",
                            path.name, number, type(error).__name__, error)
                continue
            found: list[TableRow] = []
            for table in tables:  # top to bottom: each table is looked for after the rows of the one above
                found += located_rows(table, text, (previous or {}).get(number, ""), found[-1].end if found else 0)
            if found:
                rows[number] = tuple(found)
    return rows


def located_rows(table: list[list[str | None]], text: str, previous_page: str = "", start: int = 0,
                 ) -> list[TableRow]:
    """The data rows of an extracted table (under its one or two header rows), each located in the page text after
    ``start`` and the previous one, with the table's title (read above the header; on the previous page when the
    table starts its page); a row that cannot be located is left out."""
    if len(table) < 2:
        return []
    headers, taken = header_rows(table)
    cursor = start
    header_span = locate([cell for row in table[:taken] for cell in row if cell], text, cursor)
    if header_span:
        cursor = header_span[1]
    above = text[start:header_span[0]] if header_span else ""
    title = table_title(above if above.strip() or start else previous_page, headers)
    rows = []
    label = ""
    for cells in table[taken:]:
        filled = with_row_label(cells, label)
        label = filled[0]
        # A label spanning this row is printed once, on the rows above: the row is located by its own cells.
        span = locate([cell for cell in cells if cell and cell.strip()], text, cursor)
        if span is None:
            continue
        cursor = span[1]
        row = table_row(headers, filled, *span, title=title)
        if row is not None:
            rows.append(row)
    return rows


def markdown_table_rows(text: str) -> tuple[TableRow, ...]:
    """The rows of the Markdown tables of a text (a « | a | b | » header line, a « |---|---| » rule, then rows),
    each spanning its line, under the header's cells and with the table's title (read above it); emphasis marks are
    left out of the cells (« **Total** » is « Total »)."""
    lines = text.split("\n")
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)
    rows: list[TableRow] = []
    number = 1
    while number < len(lines):
        if not (MARKDOWN_RULE.match(lines[number]) and lines[number - 1].lstrip().startswith("|")):
            number += 1
            continue
        headers = markdown_cells(lines[number - 1])
        title = table_title(text[:starts[number - 1]], headers)
        number += 1
        while number < len(lines) and lines[number].lstrip().startswith("|"):
            line = lines[number]
            row = table_row(headers, markdown_cells(line), starts[number], starts[number] + len(line.rstrip()),
                            title)
            rows += [row] if row else []
            number += 1
    return tuple(rows)


def markdown_cells(line: str) -> list[str]:
    """The cells of a Markdown table's line, without their emphasis marks."""
    cells = line.strip().removeprefix("|").removesuffix("|").split("|")
    return [MARKDOWN_EMPHASIS.sub(r"\2", cell.strip()) for cell in cells]


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
