"""Build the PDF and DOCX files of the sample corpus from their Markdown sources.

Reads ``corpus_src/{rapport,ententes,entretiens,autres}/*.md`` (see ``corpus_src/README.md``) and writes
the built files under ``corpus/`` with a ``<file>.meta.yaml`` sidecar each. Output is deterministic:
rebuilding unchanged sources gives identical bytes.

Text conventions of the built files: apostrophes are straight (' rather than the typographic one), so that
extracted text matches what users type; amounts (« 1 212 000 $ ») and guillemets are joined with no-break
spaces so that they never wrap, which pypdf extracts as ordinary spaces (DOCX files keep ordinary spaces).

Usage (from the project root)::

    python scripts/build_corpus.py [--only rapport|ententes|entretiens|autres] [--src DIR] [--out DIR]
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import re
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import yaml
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor
from fpdf import FPDF, FPDFException
from fpdf.fonts import FontFace

ROOT = Path(__file__).resolve().parent.parent
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
KINDS = ("rapport", "ententes", "entretiens", "autres")
REPORT_NAME = "rapport-alliances-solidarite-2014.pdf"
SAMPLE_LABEL = "Document d'exemple fictif"
TYPE_LABELS = {
    "rapport": "Rapport de recherche",
    "entente": "Entente Alliance pour la solidarité",
    "entretien": "Notes d'entretien",
    "proces-verbal": "Procès-verbal",
    "fiche-projet": "Fiche de projet",
    "portrait-regional": "Portrait régional",
    "autre": "Document",
}
# Fixed timestamp of every member of a DOCX archive (zip dates cannot precede 1980).
ZIP_DATE = (1980, 1, 1, 0, 0, 0)

# ---------------------------------------------------------------------------
# Source parsing
# ---------------------------------------------------------------------------


@dataclass
class Block:
    """One block of the Markdown subset."""

    kind: str  # heading, para, ul, ol, table, quote, pagebreak, titlebreak
    text: str = ""
    level: int = 0
    items: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    align: list[str] = field(default_factory=list)
    levels: list[int] = field(default_factory=list)  # nesting level of each list item


def split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    """Return (front matter, body) of a source; the front matter is empty when absent."""
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.startswith("---"):
        return {}, text
    match = re.match(r"---[ \t]*\n(.*?)\n---[ \t]*\n?", text, re.S)
    if not match:
        raise ValueError("front matter not closed by a '---' line")
    meta = yaml.safe_load(match.group(1)) or {}
    if not isinstance(meta, dict):
        raise ValueError("front matter is not a mapping")
    return meta, text[match.end():]


def typography(text: str) -> str:
    """Normalise apostrophes and keep amounts and guillemets from breaking across lines."""
    text = text.replace("\u2019", "'").replace("\u02bc", "'")
    text = re.sub(r"«[ \u00a0\u202f]*", "«\u00a0", text)
    text = re.sub(r"[ \u00a0\u202f]*»", "\u00a0»", text)
    # 1 212 000 $ -> no break inside the number nor before the unit
    text = re.sub(r"(?<=\d)[ \u202f](?=\d{3}(?!\d))", "\u00a0", text)
    text = re.sub(r"(?<=\d)[ \u202f](?=(\$|%|M\$|G\$)(?![\w]))", "\u00a0", text)
    return text.replace("\u202f", "\u00a0")


def parse_table_row(line: str) -> list[str]:
    """Split a pipe-table line into stripped cells."""
    line = line.strip()
    if line.startswith("|"):
        line = line[1:]
    if line.endswith("|") and not line.endswith("\\|"):
        line = line[:-1]
    cells = re.split(r"(?<!\\)\|", line)
    return [c.strip().replace("\\|", "|") for c in cells]


def parse_markdown(body: str) -> list[Block]:
    """Parse the Markdown subset of corpus_src/README.md into blocks."""
    blocks: list[Block] = []
    lines = body.replace("\r\n", "\n").split("\n")
    i = 0
    para: list[str] = []

    def flush_para() -> None:
        if para:
            text = ""
            for j, ln in enumerate(para):
                hard = ln.endswith("  ") or ln.endswith("\\")
                ln = ln.rstrip().rstrip("\\").rstrip() if hard else ln.strip()
                text += ln.strip() + ("\n" if hard and j < len(para) - 1 else " ")
            blocks.append(Block("para", text=typography(text.strip())))
            para.clear()

    while i < len(lines):
        line = lines[i]
        stripped = line.strip()
        if not stripped:
            flush_para()
            i += 1
            continue
        if stripped.startswith("<!--"):
            flush_para()
            comment = stripped
            while "-->" not in comment and i + 1 < len(lines):
                i += 1
                comment += " " + lines[i].strip()
            inner = comment[4:comment.find("-->")].strip().lower()
            if inner == "saut de page":
                blocks.append(Block("pagebreak"))
            elif inner == "page de titre":
                blocks.append(Block("titlebreak"))
            i += 1
            continue
        heading = re.match(r"(#{1,4})\s+(.*?)\s*#*\s*$", stripped)
        if heading and not line.startswith((" ", "\t")):
            flush_para()
            blocks.append(Block("heading", text=typography(heading.group(2)), level=len(heading.group(1))))
            i += 1
            continue
        if stripped.startswith("|") and i + 1 < len(lines) and re.match(r"^\s*\|?\s*:?-{2,}", lines[i + 1]):
            flush_para()
            header = parse_table_row(stripped)
            seps = parse_table_row(lines[i + 1])
            align = []
            for sep in seps:
                sep = sep.strip()
                if sep.startswith(":") and sep.endswith(":"):
                    align.append("CENTER")
                elif sep.endswith(":"):
                    align.append("RIGHT")
                else:
                    align.append("LEFT")
            rows = [header]
            i += 2
            while i < len(lines) and lines[i].strip().startswith("|"):
                rows.append(parse_table_row(lines[i]))
                i += 1
            width = len(header)
            rows = [(r + [""] * width)[:width] for r in rows]
            rows = [[typography(c) for c in r] for r in rows]
            align = (align + ["LEFT"] * width)[:width]
            blocks.append(Block("table", rows=rows, align=align))
            continue
        if stripped.startswith(">"):
            flush_para()
            quote_paras: list[list[str]] = [[]]
            while i < len(lines) and lines[i].strip().startswith(">"):
                content = lines[i].strip()[1:].strip()
                if content:
                    quote_paras[-1].append(content)
                elif quote_paras[-1]:
                    quote_paras.append([])
                i += 1
            for qp in quote_paras:
                if qp:
                    blocks.append(Block("quote", text=typography(" ".join(qp))))
            continue
        bullet = re.match(r"^(\s*)([-*+]|\d+[.)])\s+(.*)$", line)
        if bullet and not (para and bullet.group(1)):
            flush_para()
            kind = "ol" if bullet.group(2)[0].isdigit() else "ul"
            items: list[str] = []
            levels: list[int] = []
            while i < len(lines):
                cur = lines[i]
                m = re.match(r"^(\s*)([-*+]|\d+[.)])\s+(.*)$", cur)
                if m:
                    items.append(m.group(3).strip())
                    levels.append(min(len(m.group(1).expandtabs(4)) // 2, 2))
                elif cur.strip() and cur.startswith((" ", "\t")) and items:
                    items[-1] += " " + cur.strip()
                else:
                    break
                i += 1
            blocks.append(Block(kind, items=[typography(t) for t in items], levels=levels))
            continue
        para.append(line)
        i += 1
    flush_para()
    return blocks


def inline_segments(text: str) -> list[tuple[str, str]]:
    """Split text with **bold** and *italic* markers into (style, text) segments; style is '', 'B', 'I' or 'BI'."""
    segments: list[tuple[str, str]] = []
    bold = italic = False
    buf = ""
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text) and text[i + 1] in "*\\_":
            buf += text[i + 1]
            i += 2
            continue
        if ch == "*":
            run = 1
            while i + run < len(text) and text[i + run] == "*" and run < 3:
                run += 1
            if buf:
                segments.append((("B" if bold else "") + ("I" if italic else ""), buf))
                buf = ""
            if run >= 2:
                bold = not bold
            if run in (1, 3):
                italic = not italic
            i += run
            continue
        buf += ch
        i += 1
    if buf:
        segments.append((("B" if bold else "") + ("I" if italic else ""), buf))
    return segments


def to_fpdf_markdown(text: str) -> str:
    """Rewrite our inline markers as fpdf2 markdown (**bold**, __italic__), escaping literal markers."""
    out = []
    for style, chunk in inline_segments(text):
        chunk = re.sub(r"(\*\*|__|--|~~)", r"\\\1", chunk)
        if "I" in style:
            chunk = f"__{chunk}__"
        if "B" in style:
            chunk = f"**{chunk}**"
        out.append(chunk)
    return "".join(out)


def plain(text: str) -> str:
    """Text without inline markers."""
    return "".join(t for _, t in inline_segments(text))


@dataclass
class Source:
    """A parsed source: its metadata, blocks and where it goes."""

    meta: dict[str, Any]
    blocks: list[Block]
    paths: list[Path]
    output: Path


def short_title(meta: dict[str, Any]) -> str:
    """Short title for page headers: the part of the title before ' : ', shortened if needed."""
    title = plain(typography(str(meta.get("titre", "")))).replace("\u00a0", " ")
    short = re.split(r"\s+:\s+", title, maxsplit=1)[0]
    if len(short) > 75:
        short = short[:72].rsplit(" ", 1)[0] + "…"
    return short


def creation_date(meta: dict[str, Any]) -> dt.datetime:
    """Fixed creation date (noon, Montréal standard time) from the front matter date."""
    value = meta.get("date")
    if isinstance(value, dt.datetime):
        day = value.date()
    elif isinstance(value, dt.date):
        day = value
    else:
        parts = [int(p) for p in str(value or "2014").split("-")[:3]]
        parts += [1] * (3 - len(parts))
        day = dt.date(*parts)
    return dt.datetime(day.year, day.month, day.day, 12, 0, 0, tzinfo=dt.timezone(dt.timedelta(hours=-5)))


def as_list(value: Any) -> list[str]:
    """A front matter value as a list of strings."""
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value]
    return [str(value)]


def author_of(meta: dict[str, Any]) -> str:
    """Author line: the front matter authors, else the interviewer, else the project."""
    return ", ".join(as_list(meta.get("auteurs"))) or str(meta.get("intervieweur") or "Solidarité RAG")


def subject_of(meta: dict[str, Any]) -> str:
    """Document subject line for the PDF/DOCX properties."""
    parts = [TYPE_LABELS.get(str(meta.get("type", "autre")), "Document")]
    regions = as_list(meta.get("regions"))
    if regions:
        parts.append(", ".join(regions))
    if meta.get("code"):
        parts.append(str(meta["code"]))
    parts.append("document d'exemple fictif (Solidarité RAG)")
    return " – ".join(parts)


# ---------------------------------------------------------------------------
# PDF
# ---------------------------------------------------------------------------


class CorpusPDF(FPDF):
    """FPDF with the corpus header and footer."""

    def __init__(self, header_title: str, body_family: str, base_size: float) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        for family, stem in (("sans", "DejaVuSans"), ("serif", "DejaVuSerif")):
            italic = "Oblique" if family == "sans" else "Italic"
            self.add_font(family, "", str(FONT_DIR / f"{stem}.ttf"))
            self.add_font(family, "B", str(FONT_DIR / f"{stem}-Bold.ttf"))
            self.add_font(family, "I", str(FONT_DIR / f"{stem}-{italic}.ttf"))
            self.add_font(family, "BI", str(FONT_DIR / f"{stem}-Bold{italic}.ttf"))
        self.header_title = header_title
        self.body_family = body_family
        self.base_size = base_size
        self.line_h = base_size * 0.53
        self.show_header = True
        self.set_margins(25, 24, 25)
        self.set_auto_page_break(True, margin=22)
        self.alias_nb_pages("{nb}")

    def header(self) -> None:
        """Short title on the left, sample notice on the right, thin rule below."""
        if not self.show_header:
            return
        self.set_font("sans", "", 8)
        self.set_text_color(90, 90, 90)
        self.set_xy(self.l_margin, 11)
        width = self.w - self.l_margin - self.r_margin
        self.cell(width * 0.70, 5, self.header_title, align="L")
        self.cell(width * 0.30, 5, SAMPLE_LABEL, align="R")
        self.set_draw_color(160, 160, 160)
        self.set_line_width(0.2)
        self.line(self.l_margin, 17, self.w - self.r_margin, 17)
        self.set_text_color(0, 0, 0)
        self.set_xy(self.l_margin, self.t_margin)

    def footer(self) -> None:
        """« Page N de M », N being the PDF page index."""
        self.set_y(-15)
        self.set_font("sans", "", 8)
        self.set_text_color(90, 90, 90)
        self.cell(0, 5, f"Page {self.page_no()} de {{nb}}", align="C")
        self.set_text_color(0, 0, 0)

    # -- blocks ---------------------------------------------------------------

    @property
    def text_width(self) -> float:
        """Usable width between the margins."""
        return self.w - self.l_margin - self.r_margin

    def rich_text(self, text: str, size: float | None = None, indent: float = 0.0, family: str | None = None,
                  base_style: str = "", line_h: float | None = None, align: str = "L") -> None:
        """Write a paragraph with inline bold/italic, wrapped between the margins (plus indent)."""
        size = size or self.base_size
        family = family or self.body_family
        line_h = line_h or self.line_h * size / self.base_size
        old_margin = self.l_margin
        self.set_left_margin(old_margin + indent)
        self.set_x(self.l_margin)
        if align == "C":
            for line in text.split("\n"):
                self.set_font(family, base_style, size)
                self.multi_cell(self.text_width, line_h, plain(line), align="C",
                                new_x="LMARGIN", new_y="NEXT")
        else:
            self.set_font(family, base_style, size)
            self.multi_cell(self.text_width, line_h, to_fpdf_markdown(text), align=align, markdown=True,
                            new_x="LMARGIN", new_y="NEXT")
        self.set_left_margin(old_margin)
        self.set_x(old_margin)

    HEADING_SIZES = {1: 17.0, 2: 13.5, 3: 11.5, 4: 10.5}

    def heading_height(self, text: str, level: int) -> float:
        """Height taken by a heading, spacing included."""
        size = self.HEADING_SIZES.get(level, 10.5)
        self.set_font("sans", "B", size)
        lines = len(self.multi_cell(self.text_width, size * 0.5, plain(text), dry_run=True, output="LINES"))
        return lines * size * 0.5 + {1: 5, 2: 6.5, 3: 4}.get(level, 3.5)

    def heading(self, text: str, level: int) -> None:
        """Section heading (the caller keeps it with what follows)."""
        size = self.HEADING_SIZES.get(level, 10.5)
        if level > 1 and self.y > self.t_margin + 1:
            self.ln({2: 4, 3: 2.5}.get(level, 2))
        self.set_font("sans", "B", size)
        self.multi_cell(self.text_width, size * 0.5, plain(text), align="L", new_x="LMARGIN", new_y="NEXT")
        self.ln({1: 5, 2: 2.5}.get(level, 1.5))

    def bullet_list(self, block: Block) -> None:
        """Bullet or numbered list, with up to three nesting levels."""
        counters = [0, 0, 0]
        for item, level in zip(block.items, block.levels):
            counters[level] += 1
            for deeper in range(level + 1, 3):
                counters[deeper] = 0
            mark = f"{counters[level]}." if block.kind == "ol" else ("•" if level == 0 else "–")
            indent = 4 + level * 6
            if self.y + self.line_h > self.page_break_trigger:
                self.add_page()
            self.set_font(self.body_family, "", self.base_size)
            self.set_x(self.l_margin + indent)
            self.cell(6, self.line_h, mark)
            self.rich_text(item, indent=indent + 6)
            self.ln(0.8)
        self.ln(1.5)

    def quote(self, text: str) -> None:
        """Indented italic quotation with a grey bar on its left."""
        top_page, top_y = self.page, self.y
        self.rich_text(text, size=self.base_size - 0.5, indent=9, base_style="I")
        if self.page == top_page:
            self.set_draw_color(170, 170, 170)
            self.set_line_width(0.8)
            self.line(self.l_margin + 4, top_y + 0.5, self.l_margin + 4, self.y - 0.5)
        self.ln(2.5)

    def _column_widths(self, rows: list[list[str]], size: float, padding: float, available: float,
                       force: bool = False) -> tuple[float, ...] | None:
        """Column widths: each at least its longest word, extra space shared in proportion to the text length.

        Returns None when the longest words do not fit at this font size (unless force is set).
        """
        extra = 2 * padding + 0.8
        minimum, maximum = [], []
        for c in range(len(rows[0])):
            longest = word = 0.0
            for r_index, row in enumerate(rows):
                self.set_font("sans", "B" if r_index == 0 or "**" in row[c] else "", size)
                text = plain(row[c])
                longest = max(longest, self.get_string_width(text))
                word = max([word] + [self.get_string_width(w) for w in text.split()])
            minimum.append(word + extra)
            maximum.append(max(min(longest, 80), word) + extra)
        if sum(maximum) <= available:
            return tuple(maximum)
        if sum(minimum) > available:
            if not force:
                return None
            return tuple(w / sum(minimum) * available for w in minimum)
        spare = available - sum(minimum)
        slack = [mx - mn for mx, mn in zip(maximum, minimum)]
        total_slack = sum(slack) or 1.0
        return tuple(mn + spare * sl / total_slack for mn, sl in zip(minimum, slack))

    def table_layout(self, block: Block) -> tuple[tuple[float, ...], float, float, float]:
        """Column widths, font size, line height and total height of a pipe table."""
        rows = block.rows
        padding = 1.2
        available = self.text_width - 0.01
        size = self.base_size - 2
        while True:  # shrink wide tables so that no word (amounts included) must be cut
            col_widths = self._column_widths(rows, size, padding, available)
            if col_widths is not None or size <= 6.5:
                break
            size -= 0.5
        if col_widths is None:
            col_widths = self._column_widths(rows, size, padding, available, force=True)
        assert col_widths is not None
        line_h = size * 0.5
        height = 0.0
        for r_index, row in enumerate(rows):
            lines = 1
            for c, text in enumerate(row):
                self.set_font("sans", "B" if r_index == 0 or "**" in text else "", size)
                n = len(self.multi_cell(col_widths[c] - 2 * padding, line_h, plain(text), dry_run=True,
                                        output="LINES"))
                lines = max(lines, n)
            height += lines * line_h + 2 * padding
        return col_widths, size, line_h, height

    def keep_space(self, blocks: list[Block], index: int) -> float:
        """Vertical space that must follow a heading or an introductory line on the same page."""
        if index >= len(blocks):
            return 0.0
        block = blocks[index]
        if block.kind == "table":
            height = self.table_layout(block)[3]
            usable = self.page_break_trigger - self.t_margin
            return height if height < usable * 0.6 else min(height, 30)
        if block.kind == "para" and index + 1 < len(blocks) and blocks[index + 1].kind in ("table", "ul", "ol"):
            intro = self.text_height(block.text, self.base_size, self.body_family, "", self.line_h)
            if intro < self.line_h * 3.5:
                return intro + self.keep_space(blocks, index + 1)
        return self.line_h * 3

    def text_height(self, text: str, size: float, family: str, style: str, line_h: float) -> float:
        """Height of a paragraph once wrapped."""
        self.set_font(family, style, size)
        lines = self.multi_cell(self.text_width, line_h, to_fpdf_markdown(text), markdown=True, dry_run=True,
                                output="LINES")
        return len(lines) * line_h

    def md_table(self, block: Block) -> None:
        """Pipe table rendered with pdf.table(); small tables are not split across pages."""
        rows = block.rows
        padding = 1.2
        col_widths, size, line_h, height = self.table_layout(block)
        # fpdf2 refuses a table wider than the effective page width; float rounding in the scaled
        # column widths can overshoot it by a hair, so clamp (the widths are proportions anyway).
        table_width = min(sum(col_widths), self.epw - 0.001)
        usable = self.page_break_trigger - self.t_margin
        if self.y + min(height, 30) > self.page_break_trigger or (
                height < usable * 0.6 and self.y + height > self.page_break_trigger):
            self.add_page()
        self.set_font("sans", "", size)
        head_style = FontFace(family="sans", emphasis="BOLD", fill_color=(225, 230, 238))
        with self.table(
            col_widths=col_widths,
            width=table_width,
            text_align=tuple(block.align),
            headings_style=head_style,
            line_height=line_h,
            padding=padding,
            align="LEFT",
        ) as table:
            for r_index, row in enumerate(rows):
                cells = table.row()
                for text in row:
                    segs = inline_segments(text)
                    styles = {st for st, t in segs if t.strip()}
                    style = None
                    if r_index > 0 and styles == {"B"}:
                        style = FontFace(emphasis="BOLD")
                    elif r_index > 0 and styles == {"I"}:
                        style = FontFace(emphasis="ITALICS")
                    cells.cell(plain(text), style=style)
        self.ln(3)


def render_toc(pdf: CorpusPDF, outline: list[Any]) -> None:
    """Table of contents: chapters (#) and sections (##) with their page numbers."""
    pdf.show_header = True
    pdf.set_xy(pdf.l_margin, pdf.t_margin)
    pdf.set_font("sans", "B", 17)
    pdf.cell(pdf.text_width, 9, "Table des matières", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(5)
    num_w = 12
    for entry in outline:
        if entry.level > 1:
            continue
        level = entry.level
        indent = 0 if level == 0 else 7
        size = 10.5 if level == 0 else 9.5
        style = "B" if level == 0 else ""
        line_h = 5.2 if level == 0 else 4.8
        if level == 0:
            pdf.ln(1.8)
        pdf.set_font("sans", style, size)
        avail = pdf.text_width - indent - num_w
        lines = pdf.multi_cell(avail, line_h, entry.name, dry_run=True, output="LINES")
        if pdf.y + line_h * len(lines) > pdf.page_break_trigger:
            pdf.add_page()
        link = pdf.add_link(page=entry.page_number)
        for k, text in enumerate(lines):
            pdf.set_x(pdf.l_margin + indent)
            pdf.cell(avail, line_h, text, link=link)
            if k == len(lines) - 1:
                pdf.cell(num_w, line_h, str(entry.page_number), align="R", link=link)
            pdf.ln(line_h)
    placeholder = pdf.toc_placeholder
    while placeholder is not None and pdf.page < placeholder.start_page + placeholder.pages - 1:
        pdf.add_page()  # fill the reserved pages exactly


def new_pdf(meta: dict[str, Any], body_family: str, base_size: float) -> CorpusPDF:
    """A CorpusPDF with document properties set from the front matter."""
    pdf = CorpusPDF(short_title(meta), body_family, base_size)
    title = plain(typography(str(meta.get("titre", "")))).replace("\u00a0", " ")
    pdf.set_title(title)
    pdf.set_author(author_of(meta))
    pdf.set_subject(subject_of(meta))
    keywords = as_list(meta.get("regions")) + [str(meta.get("type", ""))] + ["exemple fictif"]
    pdf.set_keywords(", ".join(k for k in keywords if k))
    pdf.set_creator("Solidarité RAG, scripts/build_corpus.py")
    pdf.set_lang("fr-CA")
    pdf.set_creation_date(creation_date(meta))
    return pdf


def render_blocks(pdf: CorpusPDF, blocks: list[Block], report: bool) -> None:
    """Render body blocks; in the report every # starts a new page and # / ## enter the TOC."""
    fresh = True  # nothing written yet on the current page
    for index, block in enumerate(blocks):
        following = blocks[index + 1] if index + 1 < len(blocks) else None
        if block.kind == "heading":
            if report and block.level == 1 and not fresh:
                pdf.add_page()
            elif not fresh:
                needed = pdf.heading_height(block.text, block.level) + pdf.keep_space(blocks, index + 1)
                if pdf.y + needed > pdf.page_break_trigger:
                    pdf.add_page()
            if report and block.level <= 2:
                # after any page break, so that the TOC shows the heading's real page
                pdf.start_section(plain(block.text).replace("\u00a0", " "), level=block.level - 1)
            pdf.heading(block.text, block.level)
        elif block.kind == "para":
            if following is not None and following.kind in ("table", "ul", "ol") and not fresh:
                intro = pdf.text_height(block.text, pdf.base_size, pdf.body_family, "", pdf.line_h)
                if intro < pdf.line_h * 3.5 and pdf.y + intro + pdf.keep_space(blocks, index + 1) > pdf.page_break_trigger:
                    pdf.add_page()
            pdf.rich_text(block.text)
            pdf.ln(pdf.line_h * 0.55)
        elif block.kind in ("ul", "ol"):
            pdf.bullet_list(block)
        elif block.kind == "quote":
            pdf.quote(block.text)
        elif block.kind == "table":
            pdf.md_table(block)
        elif block.kind == "pagebreak":
            if not fresh:
                pdf.add_page()
            fresh = True
            continue
        fresh = False


def render_title_page(pdf: CorpusPDF, blocks: list[Block]) -> None:
    """Centered title page: # title, ## subtitle, then paragraphs; the last paragraph sits at the bottom."""
    pdf.show_header = False
    pdf.add_page()
    pdf.set_y(52)
    for block in blocks:
        if block.kind == "heading" and block.level == 1:
            pdf.set_font("sans", "B", 19)
            pdf.multi_cell(pdf.text_width, 9, plain(block.text), align="C", new_x="LMARGIN", new_y="NEXT")
            pdf.ln(6)
        elif block.kind == "heading":
            pdf.set_font("sans", "", 13)
            pdf.multi_cell(pdf.text_width, 6.5, plain(block.text), align="C", new_x="LMARGIN", new_y="NEXT")
            pdf.ln(8)
        elif block.kind == "para":
            pdf.rich_text(block.text, size=pdf.base_size, align="C", family="sans")
            pdf.ln(5)
        elif block.kind == "quote":
            pdf.rich_text(block.text, size=pdf.base_size - 1.5, align="C", family="sans", base_style="I")
            pdf.ln(5)
        elif block.kind in ("ul", "ol"):
            for item in block.items:
                pdf.rich_text(item, align="C", family="sans")
            pdf.ln(4)
        elif block.kind == "pagebreak":
            pdf.set_y(max(pdf.y, 200))


def build_report_pdf(meta: dict[str, Any], blocks: list[Block], output: Path) -> int:
    """Title page, table of contents, chapters. Returns the page count."""
    cut = next((k for k, b in enumerate(blocks) if b.kind == "titlebreak"), None)
    title_blocks, body = (blocks[:cut], blocks[cut + 1:]) if cut is not None else ([], blocks)
    entries = sum(1 for b in body if b.kind == "heading" and b.level <= 2)
    toc_pages = max(1, -(-entries // 42))
    last_error: Exception | None = None
    for _ in range(6):
        pdf = new_pdf(meta, "serif", 11)
        if title_blocks:
            render_title_page(pdf, title_blocks)
        pdf.show_header = True
        pdf.add_page()
        pdf.insert_toc_placeholder(render_toc, pages=toc_pages)
        render_blocks(pdf, body, report=True)
        try:
            data = bytes(pdf.output())
        except FPDFException as exc:  # the TOC needs more pages than reserved
            if "too many page breaks" not in str(exc):
                raise
            last_error = exc
            toc_pages += 1
            continue
        write_if_changed(output, data)
        return pdf.pages_count
    raise RuntimeError(f"table of contents does not fit: {last_error}")


def build_simple_pdf(meta: dict[str, Any], blocks: list[Block], output: Path) -> int:
    """Short PDF (agreement, fact sheet, portrait): header and footer, no title page. Returns the page count."""
    pdf = new_pdf(meta, "sans", 10)
    pdf.add_page()
    render_blocks(pdf, [b for b in blocks if b.kind != "titlebreak"], report=False)
    data = bytes(pdf.output())
    write_if_changed(output, data)
    return pdf.pages_count


# ---------------------------------------------------------------------------
# DOCX
# ---------------------------------------------------------------------------


def add_field(run: Any, instruction: str) -> None:
    """Append a Word field (PAGE, NUMPAGES) to a run."""
    for kind, text in (("begin", None), ("instr", instruction), ("separate", None), ("end", None)):
        if kind == "instr":
            elem = OxmlElement("w:instrText")
            elem.set(qn("xml:space"), "preserve")
            elem.text = f" {text} "
        else:
            elem = OxmlElement("w:fldChar")
            elem.set(qn("w:fldCharType"), kind)
        run._r.append(elem)
        if kind == "separate":
            placeholder = OxmlElement("w:t")
            placeholder.text = "1"
            run._r.append(placeholder)


def add_rich_runs(paragraph: Any, text: str, base_bold: bool = False, base_italic: bool = False) -> None:
    """Add runs for text with **bold** / *italic* markers and hard line breaks."""
    for style, chunk in inline_segments(text.replace("\u00a0", " ")):
        parts = chunk.split("\n")
        for k, part in enumerate(parts):
            run = paragraph.add_run(part)
            run.bold = base_bold or ("B" in style) or None
            run.italic = base_italic or ("I" in style) or None
            if k < len(parts) - 1:
                run.add_break()


def build_docx(meta: dict[str, Any], blocks: list[Block], output: Path) -> int:
    """DOCX with Word headings, lists, tables, header and footer. Returns the number of blocks."""
    doc = Document()
    styles = doc.styles
    styles["Normal"].font.name = "DejaVu Sans"
    styles["Normal"].font.size = Pt(10.5)
    section = doc.sections[0]
    header_p = section.header.paragraphs[0]
    header_p.text = f"{short_title(meta)} – {SAMPLE_LABEL}"
    header_p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for run in header_p.runs:
        run.font.size = Pt(8)
        run.font.color.rgb = RGBColor(90, 90, 90)
    footer_p = section.footer.paragraphs[0]
    footer_p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for piece in ("Page ", "PAGE", " de ", "NUMPAGES"):
        run = footer_p.add_run()
        run.font.size = Pt(8)
        if piece in ("PAGE", "NUMPAGES"):
            add_field(run, piece)
        else:
            run.text = piece

    for block in blocks:
        if block.kind == "heading":
            doc.add_heading(plain(block.text).replace("\u00a0", " "), level=min(block.level, 4))
        elif block.kind == "para":
            add_rich_runs(doc.add_paragraph(), block.text)
        elif block.kind in ("ul", "ol"):
            base = "List Bullet" if block.kind == "ul" else "List Number"
            for item, level in zip(block.items, block.levels):
                name = base if level == 0 else f"{base} {level + 1}"
                add_rich_runs(doc.add_paragraph(style=name), item)
        elif block.kind == "quote":
            add_rich_runs(doc.add_paragraph(style="Quote"), block.text)
        elif block.kind == "table":
            table = doc.add_table(rows=0, cols=len(block.rows[0]))
            table.style = "Table Grid"
            for r_index, row in enumerate(block.rows):
                cells = table.add_row().cells
                for c_index, text in enumerate(row):
                    p = cells[c_index].paragraphs[0]
                    add_rich_runs(p, text, base_bold=(r_index == 0))
                    align = block.align[c_index]
                    if align == "RIGHT":
                        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
                    elif align == "CENTER":
                        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            doc.add_paragraph()
        elif block.kind in ("pagebreak", "titlebreak"):
            doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    stamp = creation_date(meta).astimezone(dt.timezone.utc).replace(tzinfo=None)
    props = doc.core_properties
    props.title = plain(typography(str(meta.get("titre", "")))).replace("\u00a0", " ")
    props.author = author_of(meta)
    props.subject = subject_of(meta)
    props.keywords = ", ".join(as_list(meta.get("regions")) + ["exemple fictif"])
    props.category = str(meta.get("type", ""))
    props.comments = "Document d'exemple fictif, produit pour démontrer l'assistant Solidarité RAG."
    props.last_modified_by = "scripts/build_corpus.py"
    props.language = "fr-CA"
    props.created = stamp
    props.modified = stamp
    props.last_printed = stamp
    props.revision = 1

    raw = io.BytesIO()
    doc.save(raw)
    write_if_changed(output, normalise_zip(raw.getvalue()))
    return len(blocks)


def normalise_zip(data: bytes) -> bytes:
    """Rewrite a zip archive with fixed member timestamps so that builds are byte-identical."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=ZIP_DATE)
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = 0o644 << 16
            dst.writestr(member, src.read(info.filename))
    return out.getvalue()


# ---------------------------------------------------------------------------
# Driver
# ---------------------------------------------------------------------------


def write_if_changed(path: Path, data: bytes) -> None:
    """Write bytes unless the file already holds exactly them."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists() and path.read_bytes() == data:
        return
    path.write_bytes(data)


def write_sidecar(output: Path, meta: dict[str, Any], sources: list[Path], root: Path) -> Path:
    """Write <file>.meta.yaml with the front matter minus 'sortie'."""
    keys = {k: v for k, v in meta.items() if k != "sortie"}
    try:
        names = ", ".join(str(p.relative_to(root)) for p in sources[:1])
    except ValueError:
        names = str(sources[0])
    text = (f"# Produit par scripts/build_corpus.py à partir de {names}{' (et suivants)' if len(sources) > 1 else ''};"
            " ne pas modifier à la main.\n")
    text += yaml.safe_dump(keys, allow_unicode=True, sort_keys=False, default_flow_style=None, width=1000)
    sidecar = output.with_name(output.name + ".meta.yaml")
    write_if_changed(sidecar, text.encode("utf-8"))
    return sidecar


def load_report(src_dir: Path, out_dir: Path) -> Source | None:
    """Concatenate rapport/*.md in name order; the first file carries the front matter."""
    files = sorted(p for p in (src_dir / "rapport").glob("*.md")
                   if not p.name.startswith((".", "_")) and p.name != "README.md")
    if not files:
        return None
    meta: dict[str, Any] = {}
    blocks: list[Block] = []
    for k, path in enumerate(files):
        file_meta, body = split_front_matter(path.read_text(encoding="utf-8"))
        if k == 0:
            meta = file_meta
        elif file_meta:
            print(f"warning: {path.name} has a front matter; only the first file's is used", file=sys.stderr)
        blocks.extend(parse_markdown(body))
    return Source(meta, blocks, files, out_dir / "rapports" / REPORT_NAME)


def load_sources(kind: str, src_dir: Path, out_dir: Path) -> list[Source]:
    """Sources of one folder (ententes, entretiens, autres), with their output paths."""
    default_ext = "docx" if kind == "entretiens" else "pdf"
    result = []
    for path in sorted((src_dir / kind).glob("*.md")):
        if path.name.startswith((".", "_")) or path.name == "README.md":
            continue
        meta, body = split_front_matter(path.read_text(encoding="utf-8"))
        ext = str(meta.get("sortie", default_ext)).lower().lstrip(".")
        if ext not in ("pdf", "docx"):
            raise ValueError(f"{path}: sortie must be pdf or docx, not {ext!r}")
        result.append(Source(meta, parse_markdown(body), [path], out_dir / kind / f"{path.stem}.{ext}"))
    return result


def build(kinds: list[str], src_dir: Path, out_dir: Path) -> int:
    """Build every source of the given kinds; returns the number of files built."""
    count = 0
    for kind in kinds:
        sources = []
        if kind == "rapport":
            report = load_report(src_dir, out_dir)
            sources = [report] if report else []
        else:
            sources = load_sources(kind, src_dir, out_dir)
        for source in sources:
            builder: Callable[[dict[str, Any], list[Block], Path], int]
            if source.output.suffix == ".docx":
                builder = build_docx
            elif kind == "rapport":
                builder = build_report_pdf
            else:
                builder = build_simple_pdf
            size = builder(source.meta, source.blocks, source.output)
            write_sidecar(source.output, source.meta, source.paths, src_dir.parent)
            try:
                shown = source.output.relative_to(out_dir.parent)
            except ValueError:
                shown = source.output
            unit = "pages" if source.output.suffix == ".pdf" else "blocks"
            print(f"built {shown} ({size} {unit}, from {len(source.paths)} source file(s))")
            count += 1
    return count


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description="Build the sample corpus PDF/DOCX files from corpus_src/.")
    parser.add_argument("--only", choices=KINDS, help="build only one source folder")
    parser.add_argument("--src", type=Path, default=ROOT / "corpus_src", help="sources folder (default corpus_src/)")
    parser.add_argument("--out", type=Path, default=ROOT / "corpus", help="output folder (default corpus/)")
    args = parser.parse_args(argv)
    kinds = [args.only] if args.only else list(KINDS)
    count = build(kinds, args.src.resolve(), args.out.resolve())
    if count == 0:
        print("nothing to build")
    return 0


if __name__ == "__main__":
    sys.exit(main())
