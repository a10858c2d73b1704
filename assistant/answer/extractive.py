"""An answer made from the evidence itself: the units (sentences, table rows) that best answer the question, each
cited, the figures, dates and names copied, never regenerated.

Units that do not satisfy the question's constraints (year, region, item: ``constraints.py``) are never used. A
French question gets the units as the corpus writes them; an English one gets an English frame around each unit,
which it quotes in French (« The source gives 1 505 000 $: « 2013-2014 1 505 000 $ » [1]. »). A synthesis question
(« Quelles tensions… ? ») gets its points from different passages, each its own cited sentence.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace

from langchain_core.embeddings import Embeddings

from assistant.answer.arithmetic import calculation_sentence
from assistant.answer.bilingual import asking_phrase
from assistant.answer.bridge import bridged_ask
from assistant.answer.comparison import plays, relation_sentence
from assistant.answer.constraints import (CODE, Constraints, EvidenceUnit, amounts, asked_roles, counted_noun,
                                          lone_years, missing_in, names_in, persons, persons_written,
                                          read_constraints)
from assistant.answer.evidence import CLAUSE, MAX_UNIT_CHARS, RankedUnit, evidence_units, rank_units
from assistant.answer.parts import part_rankings, question_parts, said_first
from assistant.answer.premise import Premise, read_premise, reranked
from assistant.answer.superlative import extreme_first
from assistant.answer.synthesis import CUT, LAST_CLAUSE, SYNTHESIS_FLOOR_SHARE, choose_points, is_synthesis
from assistant.french import NUMBER_WORDS, analyse, figures, fold, split_sentences, words_of
from assistant.models import Passage, Source

# A unit after the first is shown only if it answers the question nearly as well: its score (the ranking's logit,
# ``evidence.rank_units``) within this of the first's, so its probability at least e^-3 (5 %) of the first's; one
# that gives another figure than the first (``asked_values``: a second figure a reader takes for the answer) within
# ``OTHER_FIGURE_MARGIN``, at least e^-1.5 (22 %). The ranking's trees spread the logits wider than the linear
# scorer alone did (2.0 then): at 3.0 answers show a right later unit a little more often and another figure less
# often than then (session 13, docs/answers.md).
EXTRA_UNIT_MARGIN = 3.0
OTHER_FIGURE_MARGIN = 1.5
# A unit longer than ``evidence.MAX_UNIT_CHARS`` is a block of layout (a table's lines run together into one
# « sentence »), not a sentence to quote; one of fewer words than this, with no figure, is a heading (« La
# coexistence »).
MIN_UNIT_WORDS = 4
_DATE = re.compile(r"\b\d{1,2}(?:er)? (?:janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre"
                   r"|novembre|décembre)(?: \d{4})?\b")
# A whole figure (« 1 505 000 », « 1180 », « 19,7 »), never a piece of one nor of a code; with its unit for an
# amount, a share, a distance or a duration.
_FIGURE = r"(?<![\w,.])(?:\d{1,3}(?:[\u00a0\u202f ]\d{3})+|\d+)(?:,\d+)?(?!\w|,\d)"  # not « 2e », « G7K 1A5 »
_NUMBER = re.compile(_FIGURE + r"(?:\s*(?:\$|%|km\b|kilomètres|minutes|heures|jours|semaines|mois|ans\b))?")
_AMOUNT = re.compile(_FIGURE + r"\s*\$")
_SHARE = re.compile(_FIGURE + r"\s*%")
_MEASURE = re.compile(r"\bhow (far|long)\b|\bcombien de (km|kilometres|minutes|heures|jours|mois|temps)\b|\bdistance"
                      r"|\bduree\b")
_STREET = re.compile(r"\b(?:rue|boulevard|boul\.|avenue|av\.|chemin|route|rang|place|montée)\s+"
                     r"([A-ZÀ-Þ][\w-]+ [A-ZÀ-Þ][\w-]+)")
# A figure of a table's row whose first group may be a cell of its own: the row's cells are joined by spaces
# (« 2e appel 22 octobre 2013 9 612 400 $ » is 9 projects and 612 400 $), so its value cannot be told apart.
_GLUED = re.compile(r"\d{1,3}[\u00a0\u202f ]\d{3}[\u00a0\u202f ]\d{3}")
_SECTION = re.compile(r"(?<![\d,])\d+(?:\.\d+)+(?![\d,])")
_YEARS = re.compile(r"(?<!\d)(?:19|20)\d\d(?:\s*[-–]\s*(?:19|20)?\d\d)?(?![\d])")


def unit_sentence(unit: EvidenceUnit) -> str:
    """A unit as the answer shows it, in French, word for word: a sentence as written (a heading glued to it left
    out); a clause after the start of its sentence (« La CRÉ peut affecter à ses frais d'administration au plus 2 %
    … 25 800 $ en 2012-2013 »); a row quoted after its table's header; a cell with its row's label and its
    column's header (« Région : Total — 2013-2014 : 8 657 000 $ »)."""
    if unit.kind == "cell":
        return unit.text
    if unit.kind == "row":
        return f"{unit.context} : « {unit.text} »" if unit.context else f"« {unit.text} »"
    titles = unit.source.passage.section.split(" — ") + line_headings(unit.source.passage.text)
    if unit.kind == "clause":
        head = _untitled(_body(CLAUSE.split(unit.context)[0]), titles)
        return _body(unit.text) if head in unit.text else f"{head} … {unit.text}"
    return _untitled(_body(unit.text), titles)


# A page's heading line inside a passage (« Éthique et protection des personnes » between two paragraphs): short, no
# end punctuation, a capital first, the next line starting with a capital too.
_HEADING_LINE = re.compile(r"[A-ZÀ-Þ][^.!?:;,»)]{2,60}")
_HEADING_WORDS = 8


def line_headings(text: str) -> list[str]:
    """The heading lines of a passage as the page's layout gives them (a sentence's own lines run on: the next one
    starts in lower case)."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return [line for line, after in zip(lines, lines[1:])
            if _HEADING_LINE.fullmatch(line) and len(line.split()) <= _HEADING_WORDS and after[:1].isupper()]


def _untitled(text: str, titles: list[str]) -> str:
    """A sentence without its section's titles glued before its first word by the page's layout (« Chapitre 3 –
    Méthodologie Une étude de cas multiples Nous avons retenu… »): a title of its passage's section, whole, then a
    capital."""
    for title in (title.strip() for title in titles):
        if title and text.startswith(f"{title} ") and text[len(title) + 1:][:1].isupper():
            text = text[len(title) + 1:]
    return text


# A page's running footer (« Page 2 de 2 ») at a sentence's start or end: no part of it.
_PAGE_MARK = re.compile(r"(?i)^\s*page\s+\d+\s+(?:de|sur|of)\s+\d+\b\s*|(?<=[.!?»])\s*page\s+\d+\s+(?:de|sur|of)"
                        r"\s+\d+\s*$")
# The next section's numbered heading glued after a sentence's end (« … le second à 543 600 $. 8. Frais
# d'administration »).
_NEXT_HEADING = re.compile(r"(?<=[.!?»])\s+\d+(?:\.\d+)*\.?\s+[A-ZÀ-Þ][^.!?]{0,60}$")


# Markdown's bold or italic marks around words (« **Résolution CD-2013-10-05** : … »): the words alone are shown.
_EMPHASIS = re.compile(r"(\*\*|__)(\S(?:.*?\S)?)\1")


def _body(text: str) -> str:
    """A unit without the headings glued before or after it by the PDF's layout (« 8. Frais d'administration 8.1 La
    CRÉ… »): the sentence starting after its last short piece, ending at its last full stop."""
    parts = split_sentences(text)
    while (len(parts) > 1 and len(parts[0]) < 40 and not amounts(parts[0]) - amounts(parts[1])
           and not CODE.search(parts[0])):  # « ISBN 978-2-550-58856-6. » is no heading
        parts = parts[1:]
    body = _PAGE_MARK.sub("", _NEXT_HEADING.sub("", _EMPHASIS.sub(r"\2", " ".join(parts)).lstrip("•-*– "))).strip()
    # The end of the sentence before a numbered article, glued by the PDF's lines (« l'article 9. 7.2 À titre… »).
    body = re.sub(r"^[a-zà-ÿ][^.!?]{0,60}?\.\s+(?=\d+\.\d+\s+[A-ZÀ-Þ])", "", body)
    return re.sub(r"^(?:\d+(?:\.\d+)*\.?\s+)?[A-ZÀ-Þ][^.]{0,40}?\s\d+\.\d+\s(?=[A-ZÀ-Þ])", "", body)


def english_sentence(question: str, unit: EvidenceUnit, constraints: Constraints = Constraints()) -> str:
    """An English frame around a unit quoted in French, leading with the figures, dates or people of the kind the
    question asks (``constraints.answer_kind``, read as for a French question) that the unit gives and the question
    does not: « The source gives 1 260 000 $ (original wording: « … ») »."""
    kind = constraints.answer_kind or _english_kind(question)
    values = [value for value in asked_values(kind, unit.text, question)
              if value and not (unit.kind == "row" and _GLUED.match(value))]
    if kind == "nombre":  # a count is no sum nor share (« trois jours par semaine, au tarif de 3 $ »)
        counts = _counts_of(unit.text, counted_noun(constraints.asked))
        values = counts + [value for value in values if not value.endswith(("$", "%"))
                           and not any(count.startswith(f"{value} ") for count in counts)]
    found = _after_names(values, unit.text, constraints.names)
    shown = 2 if kind in ("personne", "date") else 1  # two signatories, two dates; one figure: the one asked
    if shown == 1 and len(set(found)) > 1:
        # Several figures of the kind asked: the first when the name the question pins placed it first (its
        # figure follows it); else the one the question's year, region or rank stands next to (« de 198 000 $ au
        # Centre-du-Québec à 543 040 $ dans Lanaudière »); else the first when it counts the noun asked; else none,
        # and the quote answers alone.
        tied = _tied(list(dict.fromkeys(found)), unit.text, constraints) if unit.kind != "row" else []
        if not names_in(constraints.names, unit.text):
            found = tied if len(tied) == 1 else found if kind == "nombre" and counts else []
    if kind == "personne" and (in_role := _in_role(found, unit.text, constraints.asked)):
        found, shown = in_role, 1  # « Claude Grenier, président — Patrick Bellemare, secrétaire »: who chaired
    if kind == "date" and _SINCE.search(asking_phrase(question)) and (started := [
            value for value in found if re.search(rf"{_STARTED}{re.escape(value)}", unit.text)]):
        found, shown = started, 1  # « since what year »: « depuis 1997 », not « depuis la fusion de 2004 »
    quote = f"« {unit_sentence(unit)} »" if unit.kind != "row" else (
        f"« {unit.context} » « {unit.text} »" if unit.context else f"« {unit.text} »")
    if found:
        return f"The source gives {', '.join(list(dict.fromkeys(found))[:shown])} (original wording: {quote})"
    return f"The source says (original wording: {quote})"


# How far a figure may stand from the year, region or rank the question pins and still be the one given for it,
# and the words that tie them: a figure, then the year or place it is given for (« 18 400 $ en 2011-2012 », « 543 040
# $ dans Lanaudière »); or the rank or place, then its figure (« le second à 216 000 $ », « Lanaudière : 41 »).
TIE_CHARS = 40
_TIED_AFTER = re.compile(r"^\s+(?:en|dans|au|aux|a|pour|de|du|des|d'|pendant|durant|sur|chez|par)\b")
_TIED_BEFORE = re.compile(r"(?:\ba|\bde|\bd'|:|\bsoit|=)\s*$")


def _tied(values: list[str], text: str, constraints: Constraints) -> list[str]:
    """The values the question's fiscal year, year, region or rank is tied to in ``text``: within ``TIE_CHARS``
    characters, no other value nor comma between them, joined by a preposition (« 18 400 $ en 2011-2012, 27 600 $
    en 2012-2013 et 32 200 $ … »: 27 600 $ for 2012-2013)."""
    folded = fold(text)
    pinned = [fold(term) for term in (*constraints.fiscal_years, *constraints.years, *constraints.regions,
                                        *(year for _, year in constraints.ranked_years))]
    spots = [(m.start(), m.end()) for term in pinned if term  # « Côte-Nord », not inside « Basse-Côte-Nord »
             for m in re.finditer(rf"(?<![\w-]){re.escape(term)}(?![\w-])", folded)]
    if constraints.ordinal:  # « le premier versement s'élève à 504 000 $ et le second à 216 000 $ »
        spots += [(m.start(), m.end()) for m in re.finditer(r"[a-z0-9]+", folded)
                  if constraints.ordinal.named_in(m.group())]
    places = {value: [m.start() for m in re.finditer(re.escape(fold(value)), folded)] for value in values}
    every = sorted((start, start + len(value)) for value in values for start in places[value])

    def next_to(start: int, end: int, spot: tuple[int, int]) -> bool:
        after = end <= spot[0]
        left, right = (end, spot[0]) if after else (spot[1], start)
        gap = folded[left:right]
        return (0 <= right - left <= TIE_CHARS and not re.search(r"[,;()]", gap)
                and bool((_TIED_AFTER if after else _TIED_BEFORE).search(gap))
                and not any(left <= other < right or left < other_end <= right for other, other_end in every
                            if (other, other_end) != (start, end)))

    return [value for value in values
            if any(next_to(start, start + len(value), spot) for start in places[value] for spot in spots)]


# « Since when…? », « Since what year…? » ask when something started: the date a unit gives after « depuis ».
_SINCE = re.compile(r"\bsince (?:when|what|which)\b")
_STARTED = r"(?:depuis|dès|à partir de)\s+(?:le\s+|l['’])?"
_COUNT = re.compile(rf"({_FIGURE}|\b(?:{'|'.join(word for word in NUMBER_WORDS if word.isascii())})\b)\s+([\w'’-]+)")


def _counts_of(text: str, nouns: frozenset[str]) -> list[str]:
    """The counts a text gives of what a question counts (``constraints.counted_noun``), each with its noun as
    written: « trois jours » for « combien de jours », whether in figures or in words."""
    return [f"{match.group(1)} {match.group(2)}" for match in _COUNT.finditer(text)
            if analyse([fold(match.group(2))])[0] in nouns]


def _in_role(people: list[str], text: str, question: str) -> list[str]:
    """The people of a text named in the role the question asks (``constraints.asked_roles``: « président » after
    « Claude Grenier, »): a word of that role among the few words after the name."""
    roles = [stem for _, role in asked_roles(question) for stem in role]
    folded = fold(text)
    return [person for person in people if (at := folded.find(fold(person))) >= 0
            and any(word.startswith(stem) for word in words_of(folded[at + len(person):])[:_ROLE_REACH]
                    for stem in roles)]


_ROLE_REACH = 4  # « Claude Grenier, élu de la MRC, président »: the role a few words after the name


def english_units(question: str, constraints: Constraints, chosen: list[RankedUnit]) -> list[RankedUnit]:
    """The units an English answer shows: the first alone when it gives a value of the kind the question asks
    (``asked_values``: its frame leads with that value, so one sentence answers; another quote would only be weighed
    against it, in a language the reader may not read); all of them for a question asking several things or no
    value (« Why…? », « What does R9 ask…? »), or a synthesis question's points."""
    kind = constraints.answer_kind or _english_kind(question)
    if (len(chosen) > 1 and not constraints.alternatives and not is_synthesis(question)
            and asked_values(kind, chosen[0].unit.text, question)):
        return chosen[:1]
    return chosen


def _after_names(values: list[str], text: str, pinned: tuple[str, ...]) -> list[str]:
    """The values by where they stand from the first name the question pins: those that follow it first, in their
    order (« Paniers nordiques … 174 000 $ » in a row that gives another project's figure before it: a sentence
    names its subject, then gives its figure), then those before it, the nearest first (« 9 dans Drummond, … puis 4
    dans chacune des MRC de Bécancour, de Nicolet-Yamaska »: 4, not the 29 projects of the whole region)."""
    folded = fold(text)
    starts = [folded.find(fold(name)) for name in pinned if fold(name) in folded]
    if not starts:
        return values
    start = min(starts)

    def place(value: str) -> tuple[bool, int]:
        after = text.find(value, start)
        return (False, after - start) if after >= 0 else (True, start - text.rfind(value, 0, start))

    return sorted(values, key=place)


def asked_values(kind: str, text: str, question: str) -> list[str]:
    """The values of a kind of answer (``constraints.ANSWER_KINDS``) a text gives, as written, in their order, those
    the question gives left out: amounts for « montant », shares for « part », days for « date » (years when it
    names none), people for « personne », figures with their unit for a count or any figure."""
    own = figures(question)
    plain = _SECTION.sub(" ", text)  # « 7.2 », « 9.3 »: an article's number, no figure of the answer
    if kind == "date":
        return _DATE.findall(plain) or [year for year in lone_years(plain) if year not in own]
    if kind == "personne":
        streets = {fold(name) for name in _STREET.findall(text)}  # « rue King Ouest » is an address
        return [person for person in persons_written(text)
                if fold(person) not in persons(question) and fold(person) not in streets]
    if kind in ("montant", "part", "nombre", "chiffre", "duree"):
        wanted = {"montant": _AMOUNT, "part": _SHARE}.get(kind, _NUMBER)
        if kind in ("nombre", "chiffre", "duree"):
            plain = _DATE.sub(" ", _YEARS.sub(" ", plain))
        values = [m.strip() for m in wanted.findall(plain) if not figures(m) <= own]
        if _MEASURE.search(fold(question)):  # « how far », « how long »: a distance or a duration first
            values.sort(key=lambda value: not re.search(r"[a-z]", value))
        return values
    return []


def _english_kind(question: str) -> str:
    """The kind of answer an English question asks, for a unit chosen without constraints, read where it asks
    (``bilingual.asking_phrase``)."""
    asked = asking_phrase(question)
    if re.search(r"\bwhen\b|\bwhat date\b|\bby what date\b|\bsince when\b", asked):
        return "date"
    if re.search(r"\bwho\b", asked):
        return "personne"
    return "chiffre" if re.search(r"how (much|many|long|far)|what (amount|share|percentage|rate)", asked) else ""


def choose_units(question: str, constraints: Constraints, sources: list[Source], max_units: int,
                 min_relevance: float, embeddings: Embeddings | None = None, language: str = "fr",
                 follow_up: str = "", said: tuple[str, str] = ("", "")) -> list[RankedUnit]:
    """The best units that satisfy the constraints and share enough of the question (of an English question, of
    its terms in French), no two saying the same thing, none asking a question, one cell or row of a table; for a
    synthesis question, its points (``synthesis.py``)."""
    synthesis = is_synthesis(question)
    # A synthesis question is short and abstract (« Quelles tensions… ? »): its points seldom repeat its words; nor
    # does a follow-up's answer repeat its few own words (its subject is the previous turn's).
    floor = min_relevance * SYNTHESIS_FLOOR_SHARE if synthesis or follow_up else min_relevance
    # Its year and item set the scene (« déjà en 2014 », « le calendrier des versements »): a point need not
    # repeat them (« le solde de 30 % arrive à l'automne »), its passage does (``choose_points``).
    asked = constraints
    if synthesis:
        constraints = constraints.loosened(dated_sources=True, item=None, names=())
    # A question asking two things (« Combien…, et comment… ? ») has each part ranked and answered on its own.
    parts = [] if synthesis or follow_up or language != "fr" else question_parts(question)
    if parts:
        rankings = part_rankings(question, parts, evidence_units(sources), embeddings, floor)
        answering = [said_first(part, [whole for ranked, text in _quotable_sentences(ranking)
                                       if (whole := _up_to_cut(ranked, text, part.constraints))
                                       and (not part.role or plays(part.role, text))])
                     for part, ranking in zip(parts, rankings)]
        if any(part.compared for part in parts) and not all(answering):
            return []  # one side's value alone compares nothing: refused, naming that side (``unanswered_sides``)
        return _one_per_part(tuple(part.constraints for part in parts), answering)
    # A question describing a person or a place it does not name (« ce même président ») is answered in two steps:
    # the unit that names it, then the best unit for the ask with that name (``bridge.py``).
    bridged = None if synthesis or follow_up or language != "fr" else bridged_ask(question, sources, embeddings, floor)
    if bridged and (steps := _two_steps(*bridged, evidence_units(sources), embeddings, floor)):
        return steps
    # A question with a premise (« Le maire dit que… Combien… ? ») is ranked as a follow-up of it: half on its ask.
    premise = None if synthesis or follow_up or language != "fr" else read_premise(question)
    ranked_units = rank_units(question, constraints, evidence_units(sources), embeddings, floor, language,
                              premise.ask if premise else follow_up, said)
    if premise:
        ranked_units = reranked(premise, ranked_units)  # the premise's figures, the document its ask names
    ranked_units = extreme_first(question, ranked_units)  # « le taux le plus élevé »: that row's cell first
    candidates = _not_continued(_quotable_sentences(ranked_units), sources)
    if synthesis:  # a point the passage's edge cut is shown up to its last whole clause (``synthesis.point_text``)
        return choose_points(question, candidates, asked.item, asked.names)
    shown = [whole for ranked, text in candidates if (whole := _up_to_cut(ranked, text, constraints))]
    return shown_units(question, constraints, shown, max_units)


def _two_steps(ask: str, named_by: RankedUnit, units: list[EvidenceUnit], embeddings: Embeddings | None,
               floor: float) -> list[RankedUnit]:
    """The answer to a question in two steps: the unit that names what the question describes, then the best unit
    answering the ask with that name (meeting its constraints, the name among them; the document it names first);
    empty when no unit answers the ask, or only the one that gave the name."""
    constraints = read_constraints(ask)
    ranking = reranked(Premise("", ask), rank_units(ask, constraints, units, embeddings, floor))
    answering = [whole for ranked, text in _quotable_sentences(ranking)
                 if (whole := _up_to_cut(ranked, text, constraints)) and whole[0].unit != named_by.unit]
    return [named_by, answering[0][0]] if answering else []


def shown_units(question: str, constraints: Constraints, candidates: list[tuple[RankedUnit, str]],
                max_units: int) -> list[RankedUnit]:
    """Of the ranked units of a one-fact question (with their sentences, best first), those its answer shows: for
    a question asking several things, the best unit of each part; else the first and those nearly as good, no two
    saying the same thing, one cell or row of a table."""
    if constraints.alternatives:
        return _one_per_part(constraints.alternatives, [
            [(ranked, text) for ranked, text in candidates if not missing_in(part, ranked.unit)]
            for part in constraints.alternatives])
    chosen: list[RankedUnit] = []
    shown: list[str] = []
    kind = constraints.answer_kind or "chiffre"
    for ranked, text in candidates:
        if any(text in other or other in text for other in shown):
            continue
        if ranked.unit.text.rstrip().endswith(":") and not figures(text):
            continue  # it announces a list (« on entend par : »): its items answer (a synthesis takes them)
        if _tabular(ranked.unit) and any(_tabular(c.unit) for c in chosen):
            continue  # a figure question matches one row and one column: other cells are other figures
        if chosen and ranked.score < chosen[0].score - EXTRA_UNIT_MARGIN:
            break  # the rest answer the question much less well than the first: they would only add noise
        if chosen and ranked.score < chosen[0].score - OTHER_FIGURE_MARGIN and _other_figures(
                kind, text, shown[0], question):
            continue  # another figure than the first's, and a less likely answer: a reader would take it for one
        chosen.append(ranked)
        shown.append(text)
        if len(chosen) == max_units:
            break
    return chosen


def _quotable_sentences(ranked_units: list[RankedUnit]) -> list[tuple[RankedUnit, str]]:
    """The ranked units that can be shown, each with the sentence it shows, in their order."""
    candidates = [(ranked, unit_sentence(ranked.unit)) for ranked in ranked_units]
    return [(ranked, text) for ranked, text in candidates if _quotable(ranked.unit, text)]


def _one_per_part(parts: tuple[Constraints, ...],
                  candidates: list[list[tuple[RankedUnit, str]]]) -> list[RankedUnit]:
    """For a question asking several things, the best unit answering each part (``candidates``: for each part,
    the units answering it, ranked, with the sentence each shows), in the parts' order (one unit answering two
    parts is shown once)."""
    chosen: list[RankedUnit] = []
    shown: set[str] = set()
    for number, (part, answering) in enumerate(zip(parts, candidates, strict=True)):
        # A part that reads like an earlier one (« Combien a-t-elle reçu…, et quelle est l'enveloppe… ? »: two
        # amounts of Joliette) asks for another value than that part's unit.
        alike = any(earlier.described() == part.described() for earlier in parts[:number])
        best = next(((ranked, text) for ranked, text in answering if not (alike and text in shown)), None)
        if best is not None and best[1] not in shown:
            chosen.append(best[0])
            shown.add(best[1])
    return chosen


def _other_figures(kind: str, text: str, first: str, question: str) -> bool:
    """Whether a unit gives figures of the kind asked (``asked_values``) that the first unit shown does not."""
    def given(unit_text: str) -> set[str]:
        return {figure for value in asked_values(kind, unit_text, question) for figure in figures(value)}
    return bool(given(text) - given(first))


def _quotable(unit: EvidenceUnit, text: str) -> bool:
    """Whether a unit can be shown: no question, no block of layout, no heading (nor a title line in capitals:
    « NOTES D'ENTRETIEN ENT-MAU-02 - CITOYENNE, SHAWINIGAN »), no table's caption (« Le tableau suivant donne le
    nombre de projets soutenus au 31 mars 2014… » says what the table holds: its date is no answer)."""
    return not (unit.text.rstrip().endswith("?") or len(text) > MAX_UNIT_CHARS or not text or _in_capitals(text)
                or (len(text.split()) < MIN_UNIT_WORDS and not figures(text)) or bool(_CAPTION.match(fold(text))))


# A sentence announcing a table or a figure, on folded text.
_CAPTION = re.compile(r"(?:le|ce|les|ces) (?:tableaux?|graphiques?|figures?) (?:suivante?s?|ci-dessous|ci-apres)\b")


def _up_to_cut(ranked: RankedUnit, text: str, constraints: Constraints) -> tuple[RankedUnit, str] | None:
    """A unit of a one-fact answer as shown: whole; or, when its passage's end cuts it on a word that needs a next
    one, up to its last whole clause and « … », if that part still meets the question's constraints (« … un ménage
    à faible revenu sur quatre ne possédait pas de voiture … »); None when it does not (« … le premier versement
    s'élève à »: its figure is in the next passage)."""
    if not _cut(ranked.unit, text):
        return ranked, text
    kept = LAST_CLAUSE.sub("", text)
    if kept == text or len(kept.split()) < MIN_UNIT_WORDS:
        return None
    unit = replace(ranked.unit, text=LAST_CLAUSE.sub("", ranked.unit.text) + CUT)
    if constraints and missing_in(constraints, unit):
        return None
    return replace(ranked, unit=unit), kept + CUT


# A word that needs a next one (« s'élève à », « le montant de », « …, dont », « …, comme »): a sentence ending on it
# goes on elsewhere. A list item ending with « ; » is whole.
_ENDS_MID_WAY = re.compile(r"(?i)(?:\b(?:à|de|du|des|la|le|les|un|une|et|ou|mais|car|en|au|aux|par|pour|sur|dans|avec|sans"
                           r"|entre|vers|chez|sous|selon|que|qui|dont|son|sa|ses|leur|leurs|ce|cette|ces|notamment"
                           r"|comme|soit|ni|puis|lorsque|quand|si|contre|depuis|pendant|parmi|auprès|afin|tels?|telles?)"
                           r"|\b[dl]['’])$")


def _in_capitals(text: str) -> bool:
    """Whether a text of a few words has no lowercase letter: a title line, not a sentence."""
    return len(text.split()) > 2 and not any(char.islower() for char in text)


def _cut(unit: EvidenceUnit, text: str) -> bool:
    """Whether a sentence, as shown, ends mid-way where its passage ends (on a word that needs a next one)."""
    end = " ".join(text.split())  # a PDF's passage breaks its lines where the sentence shown has spaces
    return (unit.kind in ("sentence", "clause") and bool(_ENDS_MID_WAY.search(end))
            and " ".join(unit.source.passage.text.split()).endswith(end))


def _not_continued(candidates: list[tuple[RankedUnit, str]], sources: list[Source]) -> list[tuple[RankedUnit, str]]:
    """The candidates but a sentence its passage's end cuts (``_cut``) when another passage found of the same page
    goes on past that end: that passage holds the rest of the sentence, shown from there."""
    def continued(passage: Passage) -> bool:
        return any(other.passage.info.doc_id == passage.info.doc_id and other.passage.page == passage.page
                   and other.passage.start < passage.end < other.passage.end for other in sources)
    return [(ranked, text) for ranked, text in candidates
            if not (_cut(ranked.unit, text) and continued(ranked.unit.source.passage))]


def _tabular(unit: EvidenceUnit) -> bool:
    """Whether a unit is a table's row or one of its cells."""
    return unit.kind in ("row", "cell")


def extractive_answer(question: str, sources: list[Source], max_sentences: int, min_relevance: float,
                      embeddings: Embeddings | None = None, constraints: Constraints = Constraints(),
                      language: str = "fr", follow_up: str = "",
                      said: tuple[str, str] = ("", "")) -> Iterator[str]:
    """Stream the chosen units, each followed by its source's marker, best first; nothing when none answers.
    ``question`` is the question as the answer step reads it; for a follow-up, ``follow_up`` is the follow-up alone
    (``question`` then holds the question it follows too) and ``said`` the previous turn (``rank_units``)."""
    first = True
    chosen = choose_units(question, constraints, sources, max_sentences, min_relevance, embeddings, language,
                          follow_up, said)
    shown = chosen if language == "fr" else english_units(question, constraints, chosen)
    for ranked in shown:
        unit = ranked.unit
        # A unit the PDF's layout ran into two sentences (« ISBN 978-2-550-58856-6. Ministère… ») is cited after
        # each, as the citation check reads them one by one.
        pieces = split_sentences(unit_sentence(unit)) if language == "fr" else [
            english_sentence(question, unit, constraints)]
        yield ("" if first else " ") + " ".join(f"{piece.rstrip(' .,;:')} [{unit.source.number}]." for piece in pieces)
        first = False
    # A question comparing two values (« le même… ? », « dans le délai ? ») gets their relation, computed from the
    # values the sentences above cite (``comparison.py``).
    relation = relation_sentence(follow_up or question, constraints.answer_kind, [
        (r.unit.source.number, r.unit.source.passage.info.doc_id, unit_sentence(r.unit)) for r in shown], language)
    if relation:
        yield " " + relation
    # A question asking a difference or what is left (« de combien… a-t-il augmenté ? », « que reste-t-il… ? ») gets
    # it computed from the values the sentences above cite (``arithmetic.py``); not a follow-up, whose sentences
    # are the previous turn's subject.
    calculation = "" if follow_up else calculation_sentence(question, constraints.answer_kind, [
        (r.unit.source.number, unit_sentence(r.unit)) for r in shown], language)
    if calculation:
        yield " " + calculation
