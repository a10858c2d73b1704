"""Evidence units — sentences, table rows, clauses — cut from the retrieved passages, and ranked for a question.

A passage of 1,000 characters often gives four years' amounts, a payment and a cap side by side; a figure is only
evidence for the year or the item written *next to it*. So a table (lines holding figures under a line of column
headers) is cut into rows, each kept with its header, and a sentence naming several fiscal years into clauses,
each kept with its sentence (which says what the figures are: « frais d'administration »). A row of several
figures is cut into cells, each with its row's label and its column's header (« Région : Total — 2013-2014 :
8 657 000 $ »): a figure question matches one row and one column. Rows read as tables at ingestion
(``Passage.context``) give their cells directly; rows read from a page's text do when their header's columns are
fiscal years.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
from langchain_core.embeddings import Embeddings

from assistant.answer.bilingual import cognates, french_groups, french_terms
from assistant.answer.constraints import (CODE, COMMON_BODIES, Constraints, EvidenceUnit, counted_alike, fiscal_years,
                                          gives, labelled_total, missing_in, names_in, of_whole, source_words,
                                          table_total)
from assistant.answer.context import QuestionTerms, is_instruction, passage_sentences
from assistant.french import (analyse, content_stems, figures, figures_and_number_words, fold, name_key, names,
                               split_sentences, words_of)
from assistant.ingest.tables import MARKDOWN_RULE, markdown_cells, table_title
from assistant.models import Passage, Source, row_context
from assistant.passage_layout import CARD_LINES, FIELD_LINE, LINE_GOES_ON, is_furniture

# A table row as text extraction gives it: short (a wrapped line of prose is longer), with a figure, no sentence.
_ROW_MAX = 72
_FIGURE = re.compile(r"\d")
# Clause boundaries inside a sentence that lists amounts by year: « , » « ; » and « et » before an amount.
CLAUSE = re.compile(r"\s*[;,]\s+|\s+et\s+(?=\d{1,3}(?:[\u00a0\u202f ]\d{3})*(?:[,.]\d+)?\s*(?:\$|%))")
# The longest unit an answer quotes. A longer « sentence » is a run of clauses (« ATTENDU QUE …; ATTENDU QUE … »)
# or a form's fields that the layout glued together (« Personne-ressource … Problème visé Dans les municipalités
# … »): it is cut into pieces at its semicolons and at the lines where a new field starts, each piece a unit.
MAX_UNIT_CHARS = 450
_PIECE_MIN = 40  # a shorter piece (a field's label, « Problème visé ») stays with the next one


def _is_row(line: str) -> bool:
    line = line.strip()
    if line.count("|") >= 2:
        return bool(_FIGURE.search(line)) and not set(line) <= set("|-: ")
    return (6 <= len(line) <= _ROW_MAX and bool(re.search(r"[A-Za-zÀ-ÿ]{2}|\d{4}", line))
            and bool(_FIGURE.search(line)) and not re.search(r"[.;:!?]\s|,\s", line)
            and not line.endswith((".", ";", ":", ",")))


def _is_header(line: str) -> bool:
    """A line of column headers: words, and no figure but years (« Région 2011-2012 2012-2013 … Total »,
    « MRC ou volet Projets soutenus Dont démarrage 2012 »)."""
    return not re.search(r"\d", re.sub(r"(?:19|20)\d\d(?:[-–](?:19|20)?\d\d)?", "", line))


def _header_above(kept: list[str], first_row: str) -> str:
    """The line above a table when it can be its header: short, and no end of a sentence of prose (« mars 2015. »,
    « répartie comme suit : »), or longer when its column names give the table's first row its columns; a Markdown
    table's header line (above its « |---| » rule)."""
    if len(kept) >= 2 and MARKDOWN_RULE.match(kept[-1]) and kept[-2].count("|") >= 2:
        return kept[-2].strip()
    line = kept[-1].strip() if kept else ""
    # A longer line is a header when it is a row of column names, one to each figure of the first row (« Région Élus
    # municipaux Organismes communautaires … Total » over « Lanaudière 3 5 2 2 2 1 2 17 »).
    fits = len(line) <= _ROW_MAX or bool(_capitalised_names(line) and _text_row_cells(line, " ".join(first_row.split())))
    return line if fits and not line.endswith((".", ";", ":", ",")) else ""


@dataclass(frozen=True)
class TextRow:
    """A row of a table read from a page's text: the row, its header line and its table's title."""

    text: str
    header: str
    title: str


def _table_blocks(text: str) -> tuple[list[TextRow], str]:
    """(rows with their header and title, the text without them): two or more consecutive row-like lines make a
    table; its header is its first line when that line holds no figure but years, else the line above it (a
    Markdown table's header line); its title is read above the header (``tables.table_title``)."""
    lines = text.split("\n")
    rows: list[TextRow] = []
    kept: list[str] = []
    i = 0
    while i < len(lines):
        j = i
        while j < len(lines) and _is_row(lines[j]):
            j += 1
        if j - i >= 2:
            if j - i >= 3 and _is_header(lines[i]):
                header, above, i = " ".join(lines[i].split()), kept, i + 1
            else:
                header = _header_above(kept, lines[i])
                if header.count("|") >= 2:
                    del kept[-2:]  # a Markdown header line and its rule are the table's, not prose
                above = kept if header.count("|") >= 2 else kept[:-1] if header else kept
            title = table_title("\n".join(above), _header_cells(header))
            rows += [TextRow(" ".join(line.split()), header, title) for line in lines[i:j]]
            kept.append("")  # the table ends a paragraph
            i = j
        else:
            kept.append(lines[i])
            i += 1
    return rows, "\n".join(kept)


def _header_cells(header: str) -> list[str]:
    return markdown_cells(header) if header.count("|") >= 2 else header.split()


# A figure in a row of a table as the page's text gives it: an amount, a percentage or a count.
_CELL_VALUE = re.compile(r"(?<![\d,])\d{1,3}(?:[\u00a0\u202f ]\d{3})*(?:,\d+)?(?:\s*[$%])?(?![\d,])")
# A header whose columns can be told apart in the text: a label, then fiscal years, then perhaps « Total ».
_YEARS_HEADER = re.compile(r"^(?P<label>\D*?)\s*(?P<years>(?:(?:19|20)\d\d-(?:19|20)?\d\d\s*)+)(?P<total>Total)?$")


def _text_row_cells(header: str, row: str) -> list[tuple[str, str]]:
    """The cells of a row read from the page's text under a header of fiscal years (« Lanaudière 1 212 000 $
    1 812 000 $ … » under « Région 2011-2012 2012-2013 … Total »), or of a Markdown row under its table's header
    line: (header, value) pairs, the row's label first; none when its figures do not fall one to a column."""
    if row.count("|") >= 2 and header.count("|") >= 2:
        return [(name, value) for name, value in zip(markdown_cells(header), markdown_cells(row)) if value]
    first = _CELL_VALUE.search(row)
    if first is None:
        return []
    values = [value.strip() for value in _CELL_VALUE.findall(row[first.start():])]
    label = row[:first.start()].strip()
    match = _YEARS_HEADER.match(header)
    if match is not None:
        label_header, columns = match["label"].strip(), match["years"].split() + (["Total"] if match["total"] else [])
    else:
        label_header, *columns = _capitalised_names(header) or [""]
    if not label or not label_header or len(values) != len(columns):
        return []
    return [(label_header, label)] + list(zip(columns, values))


# A header of names has its rows' label column and two columns of values at least (« Formule entre six MRC » is a
# caption, not two columns).
_MIN_NAMED_COLUMNS = 3
# A column's name in a header line of names: a capitalised word and the lower-case words after it (« Réseau de la
# santé », « CRÉ et coordination », « Services d'emploi »).
_CAPITALISED_NAME = re.compile(r"[A-ZÀ-Þ][\w'’-]*(?:\s+(?![A-ZÀ-Þ])[\w'’-]+)*")


def _capitalised_names(header: str) -> list[str]:
    """A header line's column names when each starts with a capital letter and no other word does (« Région Élus
    municipaux Organismes communautaires … Total »); none when a name would start with a figure, or with fewer than
    ``_MIN_NAMED_COLUMNS`` names."""
    names = _CAPITALISED_NAME.findall(header)
    whole = "".join(names).replace(" ", "") == header.replace(" ", "")
    return names if whole and len(names) >= _MIN_NAMED_COLUMNS else []


def fact_cells(fact: str) -> list[tuple[str, str]]:
    """The (header, value) cells of a row's fact as ``TableRow.fact`` writes it (« Exercice financier :
    2013-2014 — Contribution du FQIS : 1 505 000 $ »)."""
    return [tuple(cell.split(" : ", 1)) if " : " in cell else ("", cell)  # type: ignore[misc]
            for cell in fact.split(" — ")]


def _cell_text(cell: tuple[str, str]) -> str:
    header, value = cell
    return f"{header} : {value}" if header else value


def cell_units(source: Source, cells: list[tuple[str, str]], caption: str, title: str = "") -> list[EvidenceUnit]:
    """A row as evidence: one unit per figure or fact of it, each with the row's label (its first cell) and its
    column's header; a row of two cells is one unit. ``caption`` (the table's section) says where the table is.
    The table's ``title`` stands before each unit like the sentence before a sentence: it says what the cells count
    and when (« Nombre de projets concertés soutenus au 31 mars 2014 »), for the constraints only
    (``constraints.missing_in``: its date dates only a cell without a date of its own, not « Dont démarrage
    2012 »); the ranking stays with the cell, its row's label and its column's header."""
    if len(cells) <= 2:
        return [EvidenceUnit(source, " — ".join(map(_cell_text, cells)), caption, "cell", title)]
    label = _cell_text(cells[0])
    return [EvidenceUnit(source, f"{label} — {_cell_text(cell)}", caption, "cell", title)
            for cell in cells[1:] if cell[1]]


def _pieces(sentence: str, paragraph: str) -> list[str]:
    """A sentence too long to quote cut into pieces (``MAX_UNIT_CHARS``) at its semicolons and at the lines, read in
    its ``paragraph`` where its line breaks still are, after which a new field starts (an uppercase start after a
    line that does not go on); a sentence short enough, alone."""
    if len(sentence) <= MAX_UNIT_CHARS:
        return [sentence]
    written = re.search(r"\s+".join(map(re.escape, sentence.split())), paragraph)
    text = written.group(0) if written else sentence
    # The boundaries: semicolons, and line breaks before an uppercase start after a line that does not go on; a
    # code (« résolution\nCA-2012-04-072 de son conseil ») goes on with its line.
    cuts = [match.end() for match in re.finditer(r";\s+", text)] + [
        match.end() for match in re.finditer(r"\n(?=[A-ZÀ-Þ«])(?![A-Z]{1,6}(?:-[A-Z0-9]+)*-\d)", text)
        if not LINE_GOES_ON.search(text[:match.start()])]
    pieces, pending, start = [], "", 0
    for end in sorted(cuts) + [len(text)]:
        pending = f"{pending} {' '.join(text[start:end].split())}".strip()
        start = end
        if len(pending) >= _PIECE_MIN:
            pieces.append(pending)
            pending = ""
    if pending:
        pieces.append(pending)
    return [short for piece in pieces for short in _clause_pieces(piece)]


# Where a sentence of running prose may be cut: after a comma or a colon, before a dash that opens an aside.
_CLAUSE_END = re.compile(r"(?<=[,:])\s+|\s+(?=[–—]\s)")


def _clause_pieces(piece: str) -> list[str]:
    """A piece still too long to quote (a sentence of running prose, no semicolon nor line to cut at: « Ces
    financements proviennent de l'association …, qui regroupe …, et de la Fondation … ») cut at its commas, colons
    and dashes, outside brackets and quotes, into as few pieces as fit ``MAX_UNIT_CHARS``, of like lengths: each
    clause stays with those around it; one too long alone stays whole."""
    if len(piece) <= MAX_UNIT_CHARS:
        return [piece]
    clauses, start = [], 0
    for match in _CLAUSE_END.finditer(piece):
        if _nesting(piece[:match.start()]) == 0:
            clauses.append(piece[start:match.start()])
            start = match.end()
    clauses.append(piece[start:])
    share = len(piece) / -(-len(piece) // MAX_UNIT_CHARS)  # the length of each of the fewest pieces that fit
    shorter: list[str] = []
    for clause in clauses:
        if shorter and len(shorter[-1]) < share and len(shorter[-1]) + 1 + len(clause) <= MAX_UNIT_CHARS:
            shorter[-1] = f"{shorter[-1]} {clause}"
        else:
            shorter.append(clause)
    return shorter


def _nesting(text: str) -> int:
    """How many brackets and French quotes a text leaves open."""
    return max(0, text.count("(") - text.count(")")) + max(0, text.count("«") - text.count("»"))


def _clauses(sentence: str) -> list[str]:
    """The clauses of a sentence that names several fiscal years; the sentence alone otherwise."""
    if len(fiscal_years(sentence)) < 2:
        return []
    return [clause for clause in CLAUSE.split(sentence) if figures(clause)]


# A Markdown heading line (« ## Participation à l'Alliance »): it names a section (``Passage.section``), it is no
# evidence, and glued to the next sentence it would be quoted with it.
_MARKDOWN_HEADING = re.compile(r"(?m)^#{1,6}[ \t]+(.*)$")
# A PDF page's heading is a line of its own (« Projets soutenus »): after a sentence's end, a few words that end
# none, before a line that opens one. Read as a Markdown heading, it is neither glued to the sentence after it nor
# lets that sentence take the paragraph before for its own (« …les sommes de 2014-2015. » does not date it).
_PAGE_HEADING = re.compile(r"(?<=[.!?:»)]\n)([A-ZÀ-ÖØ-Þ][^\d\n.,;:!?$%]{0,60}[^\d\s\n.,;:!?$%])\n(?=[A-ZÀ-ÖØ-Þ«])")
_HEADING_WORDS = 8
_PARAGRAPH = re.compile(r"\n[ \t]*\n")


def _record_card(paragraph: str) -> bool:
    """Whether a paragraph is an interview note's record card: at least ``CARD_LINES`` « Label : value » lines
    (« - **Date :** le 9 octobre 2013… », « Durée : 1 h 20 »), which describe the interview, not what was said."""
    lines = [line for line in paragraph.splitlines() if line.strip()]
    return len(lines) >= CARD_LINES and all(FIELD_LINE.match(line) for line in lines)


def _sections(passage: Passage, prose: str) -> list[tuple[str, str, str]]:
    """A passage's prose cut at its Markdown headings, each block with the titles it stands under and the paragraph
    before it: the passage's section and lead (``Passage.lead``) for the text before its first heading, that
    heading (under the passage's chapter) and nothing after it."""
    parts = _MARKDOWN_HEADING.split(prose)
    chapter = passage.section.split(" — ")[0]
    return [(passage.section, passage.lead, parts[0])] + [(f"{chapter} — {parts[i]}", "", parts[i + 1])
                                                          for i in range(1, len(parts) - 1, 2)]


def _headings_apart(text: str) -> str:
    """The text with each page heading (``_PAGE_HEADING``, at most ``_HEADING_WORDS`` words) written as a Markdown
    one, which ``_sections`` cuts the text at."""
    return _PAGE_HEADING.sub(lambda m: f"\n## {m.group(1)}\n\n" if len(m.group(1).split()) <= _HEADING_WORDS
                             else m.group(), text)


# A document's first line, alone in its paragraph and ending no sentence (« Notes d'entretien ENT-CDQ-02 – Organisme
# communautaire, MRC de L'Érable », a DOCX's or a text file's title): its printed title, read as a Markdown one.
_TITLE_LINE = re.compile(r"\A(?!#)([^\n]{1,120}[^\s.!?:;,])[ \t]*\n[ \t]*\n")


def _title_apart(passage: Passage, prose: str) -> str:
    """The prose of a passage that opens its document, its printed title (``_TITLE_LINE``) written as a Markdown
    heading, which ``_sections`` cuts the text at: a title names the document, it says nothing of it."""
    if passage.start or (passage.page or 1) != 1:
        return prose
    return _TITLE_LINE.sub(lambda m: f"# {m.group(1)}\n\n", prose)


def evidence_units(sources: list[Source]) -> list[EvidenceUnit]:
    """Every unit of the sources, in order: sentences, and the rows and clauses they hold; not a document's
    furniture (``passage_layout.is_furniture``: a disclaimer most documents repeat), nor its printed title."""
    units: list[EvidenceUnit] = []
    for source in sources:
        passage = source.passage
        caption = passage.section.split(" — ")[-1]
        if passage.context:  # a row read as a table: its cells under their headers say what its text means
            title, fact = row_context(passage.context)
            units += cell_units(source, fact_cells(fact), caption, title)
            continue
        rows, prose = _table_blocks(passage.text)
        prose = _headings_apart(_title_apart(passage, prose))
        for heading, previous, block in _sections(passage, prose):  # previous: the paragraph before, same section
            for paragraph in _PARAGRAPH.split(block):
                earlier: list[str] = []  # the paragraph's sentences so far: the two last name the unit's subject
                pieces = (piece for whole in passage_sentences(paragraph) for piece in _pieces(whole, paragraph))
                kind = "field" if passage.info.doc_type == "entretien" and _record_card(paragraph) else "sentence"
                for sentence in pieces:
                    if is_instruction(sentence) or is_furniture(sentence, passage):
                        continue
                    before = " ".join(earlier[-2:])
                    # The paragraph before names the subject of one that names none of its own (« Les premiers
                    # résidents sont entrés… »), not of one that speaks of another (« Il mentionne aussi les Marchés
                    # solidaires de Matawinie… »).
                    other = set(names(" ".join(earlier + [sentence]))) - _COMMON
                    scope = f"{heading} {'' if other else previous} {' '.join(earlier)}"
                    title = heading.split(" — ")[-1]
                    units.append(EvidenceUnit(source, sentence, kind=kind, before=before, scope=scope, heading=title))
                    units += [EvidenceUnit(source, clause, sentence, "clause", before, scope, title)
                              for clause in _clauses(sentence)]
                    earlier.append(sentence)
                previous = paragraph if paragraph.strip() else previous
        for row in rows:
            cells = _text_row_cells(row.header, row.text)
            units += (cell_units(source, cells, caption, row.title) if cells else
                      [EvidenceUnit(source, " ".join(row.text.replace("|", " ").split()), row.header, "row",
                                    row.title)])
    return _without_header_lines(_card_rows_as_fields(units))


def _card_rows_as_fields(units: list[EvidenceUnit]) -> list[EvidenceUnit]:
    """The units, an interview's record card read as a table or as lines apart (a DOCX card: « Lieu | cuisine de
    l'organisme… ») marked as its fields: a row, cell or line whose value is a line of its passage's ``card``."""
    def card_line(unit: EvidenceUnit) -> bool:
        if not unit.source.passage.card or unit.kind not in ("row", "cell", "sentence"):
            return False
        field = FIELD_LINE.match(unit.text.strip()) if unit.kind == "sentence" else None
        value = field.group(1) if field else unit.text.rsplit(" : ", 1)[-1]
        return value.strip() in unit.source.passage.card.splitlines()
    return [replace(unit, kind="field") if card_line(unit) else unit for unit in units]


def _without_header_lines(units: list[EvidenceUnit]) -> list[EvidenceUnit]:
    """The units but the sentences that are only a table's column headers, read from a page's text (« Ville
    Ménages > 30 % du revenu au logement Inoccupation (oct. 2012) »), when the table's cells are units too: a
    header line states no fact, and its figures (« 30 % ») are none of a cell's."""
    headers = sorted({fold(cell.split(" : ", 1)[0]) for unit in units if unit.kind == "cell"
                      for cell in unit.text.split(" — ") if " : " in cell}, key=len, reverse=True)

    def header_line(unit: EvidenceUnit) -> bool:
        rest = fold(unit.text)
        for header in headers:
            rest = rest.replace(header, " ")
        return len(rest.split()) <= 1

    return [unit for unit in units if unit.kind != "sentence" or not headers or not header_line(unit)]


@dataclass(frozen=True)
class RankedUnit:
    """A unit and how well it answers the question."""

    unit: EvidenceUnit
    relevance: float  # shared stems, names and figures with the question
    cosine: float  # e5 similarity to the question (0 without an embedder)
    score: float  # the learned scorer's value: its features times ``UNIT_WEIGHTS`` (a logit, see ``FEATURES``)
    features: tuple[float, ...] = ()  # the unit's ``FEATURES``, in order


# A question asking why (« Pourquoi… ? ») is answered by a unit that gives a reason (« au motif que l'entente
# prend fin », « ce qui explique la priorité »): a feature of the ranking (``FEATURES``); on folded text.
# « Pourquoi… ? », and what made someone do something (« Qu'est-ce qui a forcé la caissière à laisser tomber… ? »).
_WHY = re.compile(r"^(et |mais )?(pourquoi|pour quelle raison|why|qu'est-ce qui a (force|oblige|pousse|amene|empeche"
                  r"|conduit)|what (made|forced|led))\b")
_REASON = re.compile(r"\b(parce qu|car\b|puisqu|en raison d|a cause d|au motif qu|ce qui explique|c'est pourquoi"
                     r"|afin d|pour que\b|grace a|vu qu|etant donne|faute d|because|due to"
                     r"|n'ayant (pas |pu |ete )|n'etant pas"  # « Les appels n'ayant pu être lancés qu'en juin, … »
                     r"|\bmotifs?\b|\braisons?\b"  # « La lettre de refus invoque deux motifs : … »
                     r"|par (crainte|peur) (d|qu)|de peur (d|qu))")  # « par crainte que sa voix soit reconnue »
# A follow-up's own words say what it asks; the question it follows says what about: shares of the relevance.
FOLLOW_UP_SHARE = 0.5
# The relevance floor (``min_relevance``) is a gate on the question: some unit must share that much of it, or
# nothing found is about what it asks. Once one does, units sharing this share of the floor are ranked too: a
# paraphrase's answer (« Le pire scénario, c'est… » for « Que redoute-t-elle le plus ? ») shares less of the question
# than the sentence naming its speaker, and the scorer, not the floor, tells them apart (docs/answers.md, session 15).
RANK_FLOOR_SHARE = 0.5
# A follow-up asks what the previous turn did not say: a unit loses this much times the share of its names and
# figures that the previous turn already gave, and one that adds nothing to it but its subject is left out.
REPEAT_PENALTY = 0.5
_COMMON = {name_key(body) for body in COMMON_BODIES}


def _key_terms(text: str) -> set[str]:
    """A text's names (bodies named everywhere left out) and figures, small numbers written out too (marked « # »:
    « deux heures » gives what « 2 heures » would)."""
    return (set(names(text)) - _COMMON) | {f"#{figure}" for figure in figures_and_number_words(text)}


# The kinds of value a follow-up asking « combien » alone accepts: a count, an amount or a share, not the day or the
# year a previous answer dated.
_ANY_FIGURE = {"chiffre": ("nombre", "montant", "part")}


def said_share(text: str, question: str, answer: str, kind: str = "") -> float | None:
    """The share of a text's names and figures that the previous turn (``question`` and ``answer``) already gave;
    None when the text restates that answer: names and figures beyond the question's (its subject, which a
    follow-up's answer may well name again), all of them in the answer, and no value of the ``kind`` the follow-up
    asks (``constraints.ANSWER_KINDS``) that the turn did not give (« 412 ménages, dont un peu plus du tiers… »
    restates « 412 ménages » and answers « quelle fraction… ? »)."""
    terms, subject = _key_terms(text), _key_terms(question)
    said = _key_terms(f"{question} {answer}")  # read together: the answer's first word is a name too (« André Houle »)
    # A range the turn gave (« les 18-30 ans ») gave both its figures.
    turn = re.sub(r"(?<=\d)\s*[-–]\s*(?=\d)", " à ", f"{question} {answer}")
    answers = any(gives(asked, text, turn) for asked in _ANY_FIGURE.get(kind, (kind,)) if asked)
    if terms - subject and terms <= said and not answers:
        return None
    return len(terms & said) / len(terms) if terms else 0.0


# What the ranking reads of a unit and the question, in the order of ``UNIT_WEIGHTS``:
# relevance  the share of the question's terms in the unit (its subject and a row's headers at half weight: above)
# own        the same share in the unit's own words alone (no subject, no title, no header)
# phrase     the share of the question's pairs of consecutive stems held as pairs
# reason     1 when the question asks why and the unit gives a reason
# cosine     e5 similarity of the unit (with its header or sentence) to the question
# source     the rank its passage came at from retrieval (0 for the first)
# dense      its passage's own e5 similarity to the search (``PassageScores.dense``)
# clause, row, cell  1 for a unit of that kind (a sentence is none)
# figures    log(1 + the figures of the unit the question does not give)
# nearness   1 / (1 + the distance in words between such a figure and the nearest word of the question)
# length     the unit's length in hundreds of characters
# restates   the share of the unit's own content stems that the question holds (1: it only restates the question)
# opening    1 for a unit that opens its paragraph (nothing before it names its subject)
# rare       the share of the question's stems in the unit (its subject at half), each weighed by its rarity in the
#            passages found (inverse document frequency: the subject every passage names counts little)
# rare_own   the same in the unit's own words alone
# prior      the share of the question's terms in the sentence before the unit in its passage (0 for a table's cell)
# next       the same in the sentence after it
# relevance_gap, cosine_gap  the unit's relevance and cosine less the best of the question's units (0 for the best)
FEATURES = ("relevance", "own", "phrase", "reason", "cosine", "source", "dense", "clause", "row", "cell", "figures",
            "nearness", "length", "restates", "opening", "rare", "rare_own", "prior", "next", "relevance_gap",
            "cosine_gap")


def _unit_weights() -> np.ndarray:
    """The scorer's weights, one a feature, from ``unit_ranker.tsv`` (a feature, a tab, its weight; ``#`` starts a
    comment line), written by ``scripts/fit_ranker.py``; a feature it does not name weighs 0."""
    text = (Path(__file__).parent / "unit_ranker.tsv").read_text(encoding="utf-8")
    weights = dict(line.split("\t") for line in text.splitlines() if line.strip() and not line.startswith("#"))
    unknown = set(weights) - set(FEATURES)
    if unknown:
        raise ValueError(f"unit_ranker.tsv: unknown features {sorted(unknown)}")
    return np.array([float(weights.get(name, 0.0)) for name in FEATURES])


@dataclass(frozen=True)
class UnitTrees:
    """Regression trees whose values add to the linear scorer's logit (gradient boosting on the same softmax over a
    question's units, ``scripts/fit_ranker.py fit --trees``): what the features say together that no weight of one
    says (a high cosine with a low rare-word share…). Arrays of trees × nodes; a leaf's feature is -1; a unit goes
    left when its feature is at most the node's threshold (compared in float32, as the fit's trees did)."""

    feature: np.ndarray
    threshold: np.ndarray
    left: np.ndarray
    right: np.ndarray
    value: np.ndarray
    depth: int

    @classmethod
    def read(cls, path: Path) -> UnitTrees:
        """The trees of ``unit_trees.json``; none when the file is absent (the linear scorer alone)."""
        if not path.exists():
            return cls(*(np.zeros((0, 1), dtype=int),) * 4, np.zeros((0, 1)), 0)
        return cls.of(json.loads(path.read_text(encoding="utf-8")))

    @classmethod
    def of(cls, model: dict) -> UnitTrees:
        """Trees from their JSON form: ``features``, the names their columns stand for; ``depth``; ``trees``, each a
        ``feature`` (a column, -1 for a leaf), ``threshold``, ``left``, ``right`` and ``value`` list by node, values
        already times the learning rate."""
        unknown = set(model["features"]) - set(FEATURES)
        if unknown:
            raise ValueError(f"unit_trees.json: unknown features {sorted(unknown)}")
        columns = np.array([FEATURES.index(name) for name in model["features"]] + [-1])
        trees = model["trees"]
        width = max(len(tree["feature"]) for tree in trees)

        def table(key: str, fill: float, dtype: type) -> np.ndarray:
            return np.array([tree[key] + [fill] * (width - len(tree[key])) for tree in trees], dtype=dtype)

        return cls(columns[table("feature", -1, int)], table("threshold", 0.0, float), table("left", 0, int),
                   table("right", 0, int), table("value", 0.0, float), int(model["depth"]))

    def score(self, features: np.ndarray) -> np.ndarray:
        """The trees' sum for each row of ``features`` (units × ``FEATURES``)."""
        if not len(self.feature):
            return np.zeros(len(features))
        values = features.astype(np.float32)
        trees, rows = np.arange(len(self.feature))[:, None], np.arange(len(features))[None, :]
        node = np.zeros((len(self.feature), len(features)), dtype=int)
        for _ in range(self.depth):
            column = self.feature[trees, node]
            left = values[rows, np.maximum(column, 0)] <= self.threshold[trees, node]
            node = np.where(column < 0, node, np.where(left, self.left[trees, node], self.right[trees, node]))
        return self.value[trees, node].sum(axis=0)


UNIT_WEIGHTS = _unit_weights()
UNIT_TREES = UnitTrees.read(Path(__file__).parent / "unit_trees.json")
_COSINE = FEATURES.index("cosine")
_RELEVANCE_GAP, _COSINE_GAP = FEATURES.index("relevance_gap"), FEATURES.index("cosine_gap")
_GIVES_REASON = FEATURES.index("reason")
_ABOUT_INTERVIEW = re.compile(r"\b(entretiens?|entrevues?|interviews?)\b")
# A unit that only names its document (its author line: every word in ``DocumentInfo.designation``) or only
# addresses someone (a block ending with a postal code: « pour la CRÉ : Karine Desrochers, agente de coordination…,
# Drummondville (Québec) J2B 3M6 ») states nothing: it answers only a question asking who, where, which address, title
# or author (by its kind of answer, or its words, on the question in lower case: « où » is not « ou »).
_POSTAL_END = re.compile(r"\b[A-Z]\d[A-Z] ?\d[A-Z]\d[\s.;,]*$")
_WHO_WHERE_KINDS = frozenset({"personne", "nom", "lieu", "adresse", "courriel", "telephone"})
_ASKS_WHO_WHERE = re.compile(r"\b(?:où|d'où|adresses?|siège|villes?|titres?|fonctions?|avis|contacts?|coordonnées"
                             r"|joindre|écri\w*|signataires?|auteure?s?|rédig\w*|intitul\w*|where|address|title"
                             r"|notices?|contact|authors?|wrote|written)\b")


def names_or_addresses_only(unit: EvidenceUnit) -> bool:
    """Whether a sentence only names its document (its words all in its designation) or only gives an address
    (it ends with a postal code)."""
    if unit.kind not in ("sentence", "clause"):
        return False
    words = set(words_of(unit.text))
    return bool(_POSTAL_END.search(unit.text)) or bool(words) and words <= set(
        words_of(unit.source.passage.info.designation))


def asks_who_or_where(question: str, constraints: Constraints) -> bool:
    """Whether a question asks a person or a body, a place, an address, a title or an author."""
    return constraints.answer_kind in _WHO_WHERE_KINDS or bool(_ASKS_WHO_WHERE.search(question.lower()))


def _nearness(asked: QuestionTerms, text: str, question_figures: set[str]) -> tuple[int, float]:
    """How many figures a unit gives that the question does not, and how near the nearest of them stands to a
    word of the question (1 when next to it, 0 with none)."""
    words = words_of(text)
    values = [i for i, word in enumerate(words) if word.isdigit() and word not in question_figures]
    stems = analyse(words)
    matched = [i for i, stem in enumerate(stems) if stem in asked.stems]
    new = len(figures(text) - question_figures)
    if not values or not matched:
        return new, 0.0
    return new, 1.0 / (1.0 + min(abs(i - j) for i in values for j in matched))


def rarity(stems: frozenset[str], units: list[EvidenceUnit]) -> dict[str, float]:
    """Each of the question's stems weighed by how few of the units' passages hold it (log(1 + N / (1 + df)), its
    document's title counted with each passage): the subject all the passages found name weighs little, the word
    that tells the answer's sentence apart weighs much."""
    passages = {unit.source.passage.id: unit.source.passage for unit in units}
    held = [_passage_stems(f"{passage.info.title} {passage.text}") for passage in passages.values()]
    return {stem: float(np.log1p(len(held) / (1 + sum(stem in stems_of for stems_of in held)))) for stem in stems}


def _rare_shares(weights: dict[str, float], unit: EvidenceUnit) -> tuple[float, float]:
    """The rarity-weighed share of the question's stems in the unit (its subject, title and header at half), and in
    its own words alone."""
    total = sum(weights.values())
    if not total:
        return 0.0, 0.0
    own = content_stems(unit.text)
    around = content_stems(f"{unit.source.passage.info.title} {unit.before} {unit.context}")
    whole = sum(weight * (1.0 if stem in own else 0.5 if stem in around else 0.0) for stem, weight in weights.items())
    return whole / total, sum(weight for stem, weight in weights.items() if stem in own) / total


@functools.lru_cache(maxsize=256)
def _passage_stems(text: str) -> frozenset[str]:
    return frozenset(content_stems(text))


@functools.lru_cache(maxsize=256)
def _sentences(text: str) -> tuple[str, ...]:
    return tuple(passage_sentences(text))


def _neighbour_shares(asked: QuestionTerms, unit: EvidenceUnit) -> tuple[float, float]:
    """The share of the question's terms in the sentence before the unit in its passage and in the one after (0
    where there is none, or for a unit that is no sentence of the passage's text: a table's cell)."""
    sentences = _sentences(unit.source.passage.text)
    start = " ".join(unit.text.split())[:60]
    at = next((i for i, sentence in enumerate(sentences) if start in sentence), None)
    if at is None:
        return 0.0, 0.0
    return (asked.share(sentences[at - 1]) if at > 0 else 0.0,
            asked.share(sentences[at + 1]) if at + 1 < len(sentences) else 0.0)


def unit_features(asked: QuestionTerms, own_terms: QuestionTerms, unit: EvidenceUnit, read: tuple[str, str],
                  relevance: float, why: bool, question_figures: set[str], weights: dict[str, float]) -> list[float]:
    """A unit's ``FEATURES`` but its cosine and the gaps to the best unit (0 here: filled in once the kept units are
    embedded); ``read`` is the text its relevance was read in (a row's with its headers) and its subject;
    ``weights`` the question's stems' ``rarity``."""
    text, subject = read
    new, near = _nearness(asked, unit.text, question_figures)
    return [relevance, asked.share(unit.text), own_terms.phrase_share(text, subject),
            float(why and bool(_REASON.search(fold(unit.text)))), 0.0, float(unit.source.number - 1),
            unit.source.scores.dense, float(unit.kind == "clause"), float(unit.kind == "row"),
            float(unit.kind == "cell"), float(np.log1p(new)), near, len(unit.text) / 100,
            _restates(asked, unit.text), float(not unit.before), *_rare_shares(weights, unit),
            *_neighbour_shares(asked, unit), 0.0, 0.0]


# Three amounts in a row, nothing between them: a table's line in running text.
_TABLE_LINES = re.compile(r"(?:\d[\d\u00a0\u202f ]*\s*\$\s+){2}\d")


def cell_column(unit: EvidenceUnit) -> str:
    """A table cell's column header (« Total » of « Source : Total — Total : 329 400 $ »); "" for another unit."""
    return unit.text.split(" — ", 1)[-1].rsplit(" : ", 1)[0] if unit.kind == "cell" and " — " in unit.text else ""


def _restates(asked: QuestionTerms, text: str) -> float:
    """The share of a text's content stems that stand in the question."""
    stems = content_stems(text)
    return len(stems & asked.stems) / len(stems) if stems else 0.0


def rank_units(question: str, constraints: Constraints, units: list[EvidenceUnit],
               embeddings: Embeddings | None = None, min_relevance: float = 0.0,
               language: str = "fr", follow_up: str = "", said: tuple[str, str] = ("", "")) -> list[RankedUnit]:
    """Units that satisfy the constraints and share at least ``RANK_FLOOR_SHARE`` of ``min_relevance`` of the
    question (of an English question, of its terms in French: ``bilingual.py``), none unless one shares
    ``min_relevance`` at least, best first by a linear scorer over their ``FEATURES``
    (relevance, cosine with an embedder, kind of unit, figures near the question's words…; weights fitted by
    ``scripts/fit_ranker.py``). For a follow-up (``question`` then the previous question followed by it), half the
    relevance is the share of the follow-up's own words: it asks another fact about the same subject; and a unit
    that repeats the names and figures of the previous turn (``said``: its question and answer) loses
    ``REPEAT_PENALTY`` times their share, or is left out when it restates the previous answer (``said_share``).
    Only the kept units are embedded: a few dozen vectors, not the hundred units of 8 passages."""
    # An English question's words the lexicon lacks count when the units share them as cognates (« results »).
    present = set() if language == "fr" else content_stems(" ".join(f"{u.context} {u.text}" for u in units))

    def terms(text: str) -> str:
        return text if language == "fr" else f"{french_terms(text)} {cognates(text, present)}"

    # « dans les entretiens » says where to read, not what is asked; « la première année » is checked as a year.
    filtering = f"{source_words(question)} {constraints.settled()}"
    # A count's noun is shared by the words counted alike (« cinq réunions » for « combien de rencontres »).
    counted = counted_alike(follow_up or question)
    # An English term's French words count as one term (« year »: « année exercice »), as its French word would;
    # not those a unit found writes together, a phrase whose words all count (« faible revenu », « comité de suivi »).
    written = " ".join(fold(f"{unit.context} {unit.text}") for unit in units) if language != "fr" else ""

    def alternatives(text: str) -> list[str]:
        return [] if language == "fr" else [group for group in french_groups(text) if fold(group) not in written]

    groups = alternatives(question)
    asked = QuestionTerms.of(terms(question)).without(filtering).counting(counted).grouped(groups)
    why = bool(_WHY.search(fold(split_sentences(follow_up or question)[-1])))
    own_terms = (QuestionTerms.of(terms(follow_up)).without(filtering).counting(counted).grouped(
        alternatives(follow_up)) if follow_up else asked)
    question_figures = set(words for words in words_of(terms(follow_up or question)) if words.isdigit())
    # An interview's record card (its date, place, length, participant) answers questions about the interview only.
    about_interview = bool(_ABOUT_INTERVIEW.search(fold(follow_up or question)))
    # … and so does a question naming the interview by its code (« la cuisine visitée pour ENT-CDQ-02 »): the
    # record card of the interview of that code.
    coded = {name for name in constraints.names if CODE.fullmatch(name)} if constraints else set()
    # A title or author line, an address block: for a question asking who, where, which address, title or author.
    who_or_where = asks_who_or_where(follow_up or question, constraints)
    weights = rarity(asked.stems, units)
    kept: list[tuple[EvidenceUnit, list[float]]] = []
    cleared = False  # some unit shares ``min_relevance`` of the question: it passes the gate
    for unit in (unit for unit in units if (unit.kind != "field" or about_interview
                                            or names_in(tuple(coded), unit.source.passage.card))
                 and (who_or_where or not names_or_addresses_only(unit))):
        # A row says little by itself: its table's header and its document's title say what it is about.
        text = (f"{unit.source.passage.info.title} {unit.context} {unit.text}" if unit.kind in ("row", "cell")
                else unit.text)
        # The sentences before it and its document's title (« Entretien – citoyenne de Shawinigan ») name its
        # subject. So do an interview's record card (« Lieu : …, à Plessisville ») and the document's code and
        # authors (« le rapport du LESR ») for the names the question pins, but for every unit of the document
        # alike: they let a unit share enough with the question, they rank none above another (nor do the card's
        # other words: its date, « comité », the project's title).
        subject = f"{unit.source.passage.info.title} {unit.before}"
        relevance = shared = asked.share(text, subject)
        designated = f"{unit.source.passage.card} {unit.source.passage.info.designation}"
        if carded := names_in(constraints.names, designated):
            shared = max(shared, asked.share(text, f"{subject} {' '.join(carded)}"))
        if follow_up:
            own = own_terms.share(text, subject)
            relevance = FOLLOW_UP_SHARE * own + (1 - FOLLOW_UP_SHARE) * shared
            shared = max(own, shared)
            repeated = said_share(unit.text, *said, constraints.answer_kind)
            if repeated is None:
                continue  # the previous answer again: the follow-up asks something else
            relevance -= REPEAT_PENALTY * repeated
        if (not constraints or not missing_in(constraints, unit)) and shared >= min_relevance * RANK_FLOOR_SHARE:
            kept.append((unit, unit_features(asked, own_terms, unit, (text, subject), relevance, why,
                                             question_figures, weights)))
            cleared = cleared or shared >= min_relevance
    if not cleared:
        return []  # no unit shares enough of the question: nothing found is about what it asks
    if why and any(row[_GIVES_REASON] for _, row in kept):
        # « Pourquoi… ? »: the units that give a reason (« parce que », « faute de ») answer, not those that only
        # tell the fact again (« Les premiers résidents sont entrés le 1er juillet 2013 »).
        kept = [(unit, row) for unit, row in kept if row[_GIVES_REASON]]
    if constraints.ordinal and any(constraints.ordinal.named_in(unit.text) for unit, _ in kept):
        # « la première tranche »: the units that name that rank (« le premier versement ») before the others
        # (the year's whole amount).
        kept = [(unit, row) for unit, row in kept if constraints.ordinal.named_in(unit.text)]
    if of_whole(split_sentences(follow_up or question)[-1]) and any(table_total(unit) for unit, _ in kept):
        # « en tout », « sur les quatre exercices »: a table's total answers, or a sentence giving a whole (« au
        # total »), not one of its rows, nor a unit about one year when the question names none, nor a table's
        # lines run into one « sentence » by the page's layout; over the years, a total of one year is no answer
        # when its table has a total column.
        yearless = not (constraints.fiscal_years or constraints.years or constraints.year_rank)
        kept = [(unit, row) for unit, row in kept
                if table_total(unit) or unit.kind not in ("row", "cell") and of_whole(unit.text)
                and not _TABLE_LINES.search(unit.text) and not (yearless and fiscal_years(unit.text))]
        if any(labelled_total(unit) for unit, _ in kept):  # a table of regions: its « Total » row, not a region's
            kept = [(unit, row) for unit, row in kept if unit.kind not in ("row", "cell") or labelled_total(unit)]
        # Over the years, the total column; not when the question names another column (« projets de transport »).
        named = any(cell_column(unit) and not cell_column(unit).startswith("Total")
                    and content_stems(cell_column(unit)) <= asked.stems for unit, _ in kept)
        if yearless and not named and any(cell_column(unit).startswith("Total") for unit, _ in kept):
            kept = [(unit, row) for unit, row in kept if unit.kind != "cell" or cell_column(unit).startswith("Total")]
    if not kept:
        return []
    features = np.array([row for _, row in kept])
    if embeddings is not None:
        vectors = np.array(embeddings.embed_documents([f"{u.context} {u.text}".strip() for u, _ in kept]))
        features[:, _COSINE] = vectors @ np.array(embeddings.embed_query(question))
    features[:, _RELEVANCE_GAP] = features[:, 0] - features[:, 0].max()
    features[:, _COSINE_GAP] = features[:, _COSINE] - features[:, _COSINE].max()
    score = features @ UNIT_WEIGHTS + UNIT_TREES.score(features)
    order = np.argsort(-score, kind="stable")
    return [RankedUnit(kept[i][0], float(features[i, 0]), float(features[i, _COSINE]), float(score[i]),
                       tuple(map(float, features[i]))) for i in order]
