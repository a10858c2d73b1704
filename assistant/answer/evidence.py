"""Evidence units — sentences, table rows, clauses — cut from the retrieved passages, and ranked for a question.

A passage of 1,000 characters often gives four years' amounts, a payment and a cap side by side; a figure is only
evidence for the year or the item written *next to it*. So a table (lines holding figures under a line of column
headers) is cut into rows, each kept with its header, and a sentence naming several fiscal years into clauses,
each kept with its sentence (which says what the figures are: « frais d'administration »).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
from langchain_core.embeddings import Embeddings

from assistant.answer.constraints import Constraints, EvidenceUnit, fiscal_years, missing_in
from assistant.answer.context import is_instruction, lexical_relevance, passage_sentences
from assistant.french import figures
from assistant.models import Source

# A table row as text extraction gives it: short (a wrapped line of prose is longer), with a figure, no sentence.
_ROW_MAX = 72
_FIGURE = re.compile(r"\d")
# Clause boundaries inside a sentence that lists amounts by year: « , » « ; » and « et » before an amount.
CLAUSE = re.compile(r"\s*[;,]\s+|\s+et\s+(?=\d{1,3}(?:[\u00a0\u202f ]\d{3})*(?:[,.]\d+)?\s*(?:\$|%))")


def _is_row(line: str) -> bool:
    line = line.strip()
    if line.count("|") >= 2:
        return bool(_FIGURE.search(line)) and not set(line) <= set("|-: ")
    return (6 <= len(line) <= _ROW_MAX and bool(re.search(r"[A-Za-zÀ-ÿ]{2}|\d{4}", line))
            and bool(_FIGURE.search(line)) and not re.search(r"[.;:!?]\s|,\s", line)
            and not line.endswith((".", ";", ":", ",")))


def _table_blocks(text: str) -> tuple[list[tuple[str, str]], str]:
    """(rows with their header, the text without them): two or more consecutive row-like lines make a table."""
    lines = text.split("\n")
    rows: list[tuple[str, str]] = []
    kept: list[str] = []
    i = 0
    while i < len(lines):
        j = i
        while j < len(lines) and _is_row(lines[j]):
            j += 1
        if j - i >= 2:
            header = kept[-1].strip() if kept and len(kept[-1].strip()) <= _ROW_MAX else ""
            rows += [(header, " ".join(line.replace("|", " ").split())) for line in lines[i:j]]
            kept.append("")  # the table ends a paragraph
            i = j
        else:
            kept.append(lines[i])
            i += 1
    return rows, "\n".join(kept)


def _clauses(sentence: str) -> list[str]:
    """The clauses of a sentence that names several fiscal years; the sentence alone otherwise."""
    if len(fiscal_years(sentence)) < 2:
        return []
    return [clause for clause in CLAUSE.split(sentence) if figures(clause)]


# A Markdown heading line (« ## Participation à l'Alliance »): it names a section (``Passage.section``), it is no
# evidence, and glued to the next sentence it would be quoted with it.
_MARKDOWN_HEADING = re.compile(r"(?m)^#{1,6}[ \t].*$")
_PARAGRAPH = re.compile(r"\n[ \t]*\n")


def evidence_units(sources: list[Source]) -> list[EvidenceUnit]:
    """Every unit of the sources, in order: sentences, and the rows and clauses they hold."""
    units: list[EvidenceUnit] = []
    for source in sources:
        rows, prose = _table_blocks(source.passage.text)
        for paragraph in _PARAGRAPH.split(_MARKDOWN_HEADING.sub("", prose)):
            earlier: list[str] = []  # the paragraph's sentences so far: the two last name the unit's subject
            for sentence in passage_sentences(paragraph):
                if is_instruction(sentence):
                    continue
                before = " ".join(earlier[-2:])
                units.append(EvidenceUnit(source, sentence, before=before))
                units += [EvidenceUnit(source, clause, sentence, "clause", before) for clause in _clauses(sentence)]
                earlier.append(sentence)
        units += [EvidenceUnit(source, row, header, "row") for header, row in rows]
    return units


@dataclass(frozen=True)
class RankedUnit:
    """A unit and how well it answers the question."""

    unit: EvidenceUnit
    relevance: float  # shared stems, names and figures with the question
    cosine: float  # e5 similarity to the question (0 without an embedder)
    score: float  # relevance plus cosine


def rank_units(question: str, constraints: Constraints, units: list[EvidenceUnit],
               embeddings: Embeddings | None = None, min_relevance: float = 0.0,
               language: str = "fr") -> list[RankedUnit]:
    """Units that satisfy the constraints and share at least ``min_relevance`` of the question (an English
    question's units are kept whatever they share: they are judged by meaning), best first by relevance plus
    cosine (with an embedder). Only these are embedded: a few dozen vectors, not the hundred units of 8 passages."""
    kept = []
    for unit in units:
        # A row says little by itself: its table's header and its document's title say what it is about.
        text = f"{unit.source.passage.info.title} {unit.context} {unit.text}" if unit.kind == "row" else unit.text
        relevance = lexical_relevance(question, text)
        if (not constraints or not missing_in(constraints, unit)) and (language != "fr"
                                                                        or relevance >= min_relevance):
            kept.append((unit, relevance))
    if not kept:
        return []
    relevance = np.array([r for _, r in kept])
    cosine = np.zeros(len(kept))
    if embeddings is not None:
        vectors = np.array(embeddings.embed_documents([f"{u.context} {u.text}".strip() for u, _ in kept]))
        cosine = vectors @ np.array(embeddings.embed_query(question))
    # Retrieval ranked the sources: a small prior breaks ties in favour of the first ones.
    score = relevance + cosine - 0.02 * np.array([unit.source.number for unit, _ in kept])
    order = np.argsort(-score, kind="stable")
    return [RankedUnit(kept[i][0], float(relevance[i]), float(cosine[i]), float(score[i])) for i in order]
