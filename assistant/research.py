"""For researchers: one question compared across regions, and the excerpts of the corpus on a theme.

``Assistant.compare`` and ``Assistant.excerpts`` delegate here. A comparison row is the chat's own answer with its
region as a filter, and cites only passages about that region: a passage of a document that covers several regions
(the research report) counts for a region only when its section names that region, or its text names it and no
other. Excerpts need no model: the search's passages, deduplicated, each with the sentence that meets the theme best.
The exports (CSV and Markdown) are plain functions of the results, shared by the CLI and the web page.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import TYPE_CHECKING

from assistant.errors import InvalidQuestion
from assistant.feedback import safe_cell
from assistant.french import content_stems, fold, words_of
from assistant.models import (CITATION_MARKER, ComparisonRow, Excerpt, ExcerptResult, Passage,
                              SearchFilters, Source)
from assistant.settings import LLMSettings

if TYPE_CHECKING:
    from assistant.service import Assistant

# Answers made from the evidence, in a comparison: the least share of the question's terms a sentence must hold.
COMPARISON_MIN_RELEVANCE = 0.5
# Excerpts: passages read from the search, and at most this many kept (the first ten are what recall@10 grades).
EXCERPT_SEARCH_DEPTH = 60
EXCERPT_LIMIT = 30
# Two passages sharing this share of their words are one excerpt (overlapping chunks, a sentence window).
NEAR_DUPLICATE = 0.8
NO_REGION, SEVERAL_REGIONS = "sans région", "plusieurs régions"
# Where a sentence ends inside a line: after . ! ? or a closing quote, before a capital or an opening quote.
_SENTENCE_BREAK = re.compile(r"(?<=[.!?»])\s+(?=[«A-ZÀ-ÖØ-Þ\-])")
_DASHES = re.compile(r"[\u2010-\u2015-]")
COMPARISON_CSV_HEADERS = ["région", "réponse", "document", "page", "passage"]
EXCERPT_CSV_HEADERS = ["id", "région", "type d'acteur", "code d'entretien", "document", "page", "extrait",
                       "phrase pertinente", "thème", "note"]


def regions_of(assistant: Assistant, levels: tuple[str, ...]) -> list[str]:
    """Every region named by a document of these confidentiality levels, sorted."""
    return sorted({region for info in assistant.indexed_documents(levels).values() for region in info.regions})


def compare_regions(assistant: Assistant, question: str, regions: tuple[str, ...], filters: SearchFilters,
                    answer_settings: LLMSettings | None) -> Iterator[ComparisonRow]:
    """The rows of ``Assistant.compare``, each as soon as it is answered."""
    question = assistant.check_question(question)
    known = regions_of(assistant, filters.confidentiality)
    unknown = [region for region in regions if region not in known]
    if unknown:
        raise InvalidQuestion(f"région inconnue : {', '.join(unknown)}.",
                              f"Régions qui ont des documents : {', '.join(known) or 'aucune'}.")
    # A comparison asks the same question of every region, and a region's documents always hold a sentence that
    # shares a few of its words: answers made from the evidence need a closer one (docs/research.md).
    answering = answer_settings or assistant.settings.llm
    answering = answering.model_copy(update={"extractive_min_relevance": max(answering.extractive_min_relevance,
                                                                             COMPARISON_MIN_RELEVANCE)})
    for region in regions or tuple(known):
        answer = None
        for answer in assistant.stream(question, replace(filters, regions=(region,)), answer_settings=answering,
                                       scope=about_region(region, known)):
            pass
        assert answer is not None  # a stream always ends with its complete answer
        yield ComparisonRow(region, answer)


def about_region(region: str, known: list[str]) -> Callable[[Passage], bool]:
    """Whether a passage speaks of this region: its document covers only this region, or (a document that covers
    several) its section names the region, or its text names it and no other region."""
    others = [other for other in known if other != region]

    def accepts(passage: Passage) -> bool:
        regions = passage.info.regions
        if region not in regions:
            return False
        if len(regions) == 1 or names_region(passage.section, region):
            return True
        return names_region(passage.text, region) and not any(names_region(passage.text, o) for o in others)

    return accepts


def names_region(text: str, region: str) -> bool:
    """Whether a text names a region, whatever its accents, case and dashes (« Saguenay–Lac-Saint-Jean »)."""
    return bool(text) and _DASHES.sub("-", fold(region)) in _DASHES.sub("-", fold(text))


def region_spoken_of(passage: Passage) -> str:
    """The region a passage speaks of: its document's only region; for a document that covers several, the one
    its section names, or the only one its text names; otherwise « plusieurs régions » (or « sans région »)."""
    regions = passage.info.regions
    if len(regions) <= 1:
        return regions[0] if regions else NO_REGION
    named = [region for region in regions if names_region(passage.section, region)] or \
            [region for region in regions if names_region(passage.text, region)]
    return named[0] if len(named) == 1 else SEVERAL_REGIONS


def numbered_comparison(rows: list[ComparisonRow]) -> tuple[list[str], list[Source]]:
    """Each row's cell with its ``[n]`` markers renumbered across the whole table, and the sources so numbered
    (a passage cited by two rows gets one number)."""
    numbers: dict[str, int] = {}
    sources: list[Source] = []
    cells = []
    for row in rows:
        if row.nothing:
            cells.append(row.text)
            continue
        by_number = {source.number: source for source in row.answer.sources}

        def renumber(match: re.Match[str], by_number: dict[int, Source] = by_number) -> str:
            shown = []
            for number in (int(n) for n in match.group(1).replace(" ", "").split(",")):
                source = by_number.get(number)
                if source is None:
                    continue
                if source.passage.id not in numbers:
                    numbers[source.passage.id] = len(sources) + 1
                    sources.append(replace(source, number=numbers[source.passage.id]))
                shown.append(str(numbers[source.passage.id]))
            return f"[{', '.join(shown)}]" if shown else ""

        cells.append(CITATION_MARKER.sub(renumber, row.text))
    return cells, sources


def comparison_csv(rows: list[ComparisonRow]) -> str:
    """One line per cited passage of each row (a row that cites nothing: one line without a document)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COMPARISON_CSV_HEADERS)
    for row in rows:
        cited = [] if row.nothing else row.answer.cited_sources
        for source in cited or [None]:
            passage = source.passage if source else None
            writer.writerow([safe_cell(value) for value in (
                row.region, row.text, passage.info.path if passage else "", page_of(passage) if passage else "",
                " ".join(passage.text.split()) if passage else "")])
    return out.getvalue()


def comparison_markdown(question: str, rows: list[ComparisonRow]) -> str:
    """A table (region, answer) with the sources numbered across it, then the numbered sources."""
    cells, sources = numbered_comparison(rows)
    lines = [f"# Comparaison : {_markdown_cell(question)}", "", "| Région | Réponse |", "|---|---|"]
    lines += [f"| {_markdown_cell(row.region)} | {_markdown_cell(cell)} |" for row, cell in zip(rows, cells)]
    if sources:
        lines += ["", "## Sources", ""]
        lines += [f"{source.number}. {source_line(source.passage)} : « {' '.join(source.passage.text.split())} »"
                  for source in sources]
    return "\n".join(lines) + "\n"


def gather_excerpts(assistant: Assistant, theme: str, filters: SearchFilters, actors: tuple[str, ...],
                    limit: int | None) -> ExcerptResult:
    """The result of ``Assistant.excerpts``: the search's passages on the theme, best first, near duplicates
    dropped, each with its best sentence."""
    theme = assistant.check_question(theme)
    filters = replace(filters, actors=tuple(actors) or filters.actors)
    found = assistant.search(theme, filters, top_k=EXCERPT_SEARCH_DEPTH, wide=True)
    stems = content_stems(theme)
    excerpts: list[Excerpt] = []
    for source in found:
        sentence = best_sentence(source, stems)
        # A passage addresses the theme in its own words: one found by its document's title or its section alone
        # (the header of an interview note) does not.
        if not content_stems(source.passage.text[sentence[0]:sentence[1]]) & stems:
            continue
        if any(near_duplicates(source.passage, kept.passage) for kept in excerpts):
            continue
        excerpts.append(Excerpt(source, sentence, region_spoken_of(source.passage)))
    return ExcerptResult(theme, filters, documents_first(excerpts)[:limit or EXCERPT_LIMIT])


def documents_first(excerpts: list[Excerpt]) -> list[Excerpt]:
    """The excerpts ranked so that each document's best one comes before any document's second: a theme is seen
    across as many interviews as possible before one interview fills the list."""
    seen: dict[str, int] = {}
    ranks = []
    for rank, excerpt in enumerate(excerpts):
        seen[excerpt.passage.info.doc_id] = seen.get(excerpt.passage.info.doc_id, 0) + 1
        ranks.append((seen[excerpt.passage.info.doc_id], rank))
    return [excerpts[rank] for _, rank in sorted(ranks)]


def near_duplicates(one: Passage, other: Passage) -> bool:
    """Two overlapping pieces of one page, or two passages that share most of their words."""
    if one.info.doc_id == other.info.doc_id and one.page == other.page and one.start < other.end \
            and other.start < one.end:
        return True
    words, others = set(words_of(one.text)), set(words_of(other.text))
    return bool(words and others) and len(words & others) / len(words | others) >= NEAR_DUPLICATE


def best_sentence(source: Source, stems: set[str]) -> tuple[int, int]:
    """Offsets in the passage text of the sentence that shares the most stems with the theme (inside the sentence
    window that found the passage, if one did, on a tie)."""
    passage = source.passage
    best, best_score = (0, 0), -1.0
    for start, end in sentence_spans(passage.text):
        score = float(len(content_stems(passage.text[start:end]) & stems))
        if source.focus and source.focus[0] <= passage.start + start < source.focus[1]:
            score += 0.5
        if score > best_score:
            best, best_score = (start, end), score
    return best


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """The offsets of each sentence of a text; a line (a heading, an item of a list) is never joined to the next."""
    spans = []
    for line in re.finditer(r"[^\n]+", text):
        start = line.start()
        for end in [match.start() + line.start() for match in _SENTENCE_BREAK.finditer(line.group())] + [line.end()]:
            if text[start:end].strip():
                spans.append((start + len(text[start:end]) - len(text[start:end].lstrip()), end))
            start = end
    return spans


def excerpts_csv(result: ExcerptResult, kept: set[str] | None = None, note: str = "") -> str:
    """A coding sheet: one line per kept excerpt (every excerpt when ``kept`` is None)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(EXCERPT_CSV_HEADERS)
    for number, excerpt in _kept(result, kept):
        passage = excerpt.passage
        start, end = excerpt.sentence
        writer.writerow([safe_cell(value) for value in (
            number, excerpt.region, excerpt.actor, passage.info.code, passage.info.path, page_of(passage),
            " ".join(passage.text.split()), " ".join(passage.text[start:end].split()), result.theme, note)])
    return out.getvalue()


def excerpts_markdown(result: ExcerptResult, kept: set[str] | None = None) -> str:
    """The kept excerpts grouped by region and actor type, the relevant sentence in bold, each with its source."""
    lines = [f"# Extraits : {_markdown_cell(result.theme)}", ""]
    chosen = {excerpt.key for _, excerpt in _kept(result, kept)}
    for (region, actor), excerpts in result.groups().items():
        shown = [excerpt for excerpt in excerpts if excerpt.key in chosen]
        if not shown:
            continue
        lines += [f"## {region} — {actor} ({len(shown)})", ""]
        for excerpt in shown:
            start, end = excerpt.sentence
            text = excerpt.passage.text
            quoted = (f"{_markdown_cell(text[:start])}**{_markdown_cell(text[start:end])}**"
                      f"{_markdown_cell(text[end:])}")
            lines += [f"> {quoted}", "", f"— {source_line(excerpt.passage)}", ""]
    return "\n".join(lines)


def numbered_excerpts(result: ExcerptResult) -> list[tuple[str, Excerpt]]:
    """Each excerpt with its number (« E001 »), in the order shown: by group, best first within each; the CLI,
    the page and the exports give an excerpt the same number."""
    ordered = [excerpt for group in result.groups().values() for excerpt in group]
    return [(f"E{number:03d}", excerpt) for number, excerpt in enumerate(ordered, start=1)]


def _kept(result: ExcerptResult, kept: set[str] | None) -> list[tuple[str, Excerpt]]:
    """The kept excerpts with their numbers, in the order shown."""
    return [(number, excerpt) for number, excerpt in numbered_excerpts(result) if kept is None or excerpt.key in kept]


def page_of(passage: Passage) -> str:
    """The page a reader sees (« 12 »), "" for an unpaginated document."""
    return (passage.page_label or str(passage.page)) if passage.page else ""


def source_line(passage: Passage) -> str:
    """Title, interview code, page and file of a passage, on one line."""
    page = page_of(passage)
    parts = [passage.info.title, passage.info.code, f"page {page}" if page else "", f"`{passage.info.path}`"]
    return ", ".join(part for part in parts if part)


def _markdown_cell(text: str) -> str:
    """Text on one line that Markdown shows as itself inside a table cell."""
    flat = " ".join(text.split())
    return re.sub(r"([\\`*_\[\]<>#|])", r"\\\1", flat)
