"""Questions asking two things: each part searched, ranked and answered on its own, one cited sentence per part.

« Combien de temps la première négociation du partage laurentien a-t-elle duré selon le rapport, et comment
l'organisatrice du CSSS de Saint-Jérôme juge-t-elle le compromis de juin 2013 ? » asks two facts of two documents.
Read as one, the question's words and constraints mix: the search finds the passages of one part, the ranking wants
a unit holding both parts' words, and the kind the first part asks (a duration) is required of the second's answer.
Each part (``constraints.asked_parts``: the first with the sentences that set the scene) is therefore:
- searched for itself, with the subject it shares with the first part (``part_searches``, ``Assistant.stream``),
  in the kind of document it names (« selon l'entente », ``premise.named_document``) when it names one;
- ranked on its own constraints (``constraints.parts_constraints``) and its own words (a part of a few words,
  « …, et à quelle date ? », half on them and half on the whole question), the units of the document it names
  first and those repeating the premise's figures last (``part_rankings``, ``premise.reranked``);
- answered by its best unit (``extractive.choose_units``), in the parts' order, each cited.
A part nothing answers gets no sentence: the answer gives the parts that are found. A yes/no question asking whether
an event came within a deadline (« …a-t-elle adopté sa formule dans le délai que lui fixait l'entente ? ») has two
sides asked as two parts, each a date (``comparison.deadline_sides``): the event's, by a sentence that does not give
it as a deadline, and the deadline's; their relation follows (``comparison.relation_sentence``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

from langchain_core.embeddings import Embeddings

from assistant.answer.comparison import compared_sides, deadline_sides, kind_word, said_score, side_kind
from assistant.answer.constraints import (Constraints, EvidenceUnit, asked_parts, missing_in, parts_constraints,
                                          regions_named, sides_constraints)
from assistant.answer.evidence import RankedUnit, rank_units
from assistant.answer.premise import Premise, named_document, read_premise, reranked
from assistant.french import content_stems, fold, words_of

# The passages a search for one part adds to those the whole question found (``Assistant.stream``): as many as one
# document gives to a search (``retrieval.max_per_document``), like the document a premise's ask names.
PART_PASSAGES = 2
# A part of fewer words than this leans on the rest of the question: before another (« Dans quelle ville et à quelle
# date l'équipe… ? ») it shares that part's verb and subject; last (« …, et à quelle date ? », « Quel est son
# total ? »), it is ranked as a follow-up of the whole question.
OWN_PART_WORDS = 6


# A second question after « , et » that shares no interrogative word with the first: its own inverted verb (« …
# au comité directeur, et ce représentant était-il à la réunion ? », « …, et le CRSA a-t-il adopté sa formule ? ») or
# « que » (« Cette règle vient-elle de l'entente, et que dit l'entente sur le partage ? »).
_SECOND_CLAUSE = re.compile(r",\s+et\s+(?=(?:que\b|qu'|[^,?]*?\b\w+-(?:t-)?(?:il|elle|ils|elles|on)\b)[^,]*\?)",
                            re.IGNORECASE)


# A question asking the most or the least (« la plus grosse enveloppe », « le taux le plus élevé »), on folded text:
# its answer is a comparison of a table's rows, often cut over two passages, that no unit's ranking makes; ranked
# alone, such a part is answered by its subject's own figure (« Centre-du-Québec — Financement FQIS : 236 000 $ »).
_EXTREME = re.compile(r"\b(?:le|la|les) (?:plus|moins) (?!de\b|que\b)\w")


@dataclass(frozen=True)
class AskedPart:
    """One thing a question asks: its words (the first part with the scene before it), its constraints, and for a
    side of a deadline question its role (``event`` or ``deadline``: ``comparison.plays``)."""

    text: str
    constraints: Constraints
    role: str = ""
    compared: str = ""  # for a side of a comparison of two subjects, the kind of value compared (``side_kind``)
    subject: str = ""  # and what tells it from the other side (``side_subjects``: « celle de la citoyenne… »)
    other: str = ""  # the other side's

    @property
    def asked(self) -> str:
        """The part as a question of its own: its words, then the names and regions of its subject it does not
        write (« Quel est son total ? Estrie »), and, for a side of a comparison, the name of the value compared
        (« Lequel a été le plus court : l'entretien avec la citoyenne de Sept-Îles ? durée »: a record card's
        « Durée : 55 minutes » shares no other word with it)."""
        subject = [name for name in self.constraints.names + self.constraints.regions
                   if fold(name) not in fold(self.text)]
        named = kind_word(self.compared)
        return " ".join([self.text, *subject, *([named] if named and fold(named) not in fold(self.text) else [])])


def question_parts(question: str) -> list[AskedPart]:
    """The parts of a question asking several things, each with its own constraints; empty for one asking one,
    or for one asking the most or the least of something (``_EXTREME``). A part of a few words before another
    (« Dans quelle ville », « Avec qui ») shares that part's verb and subject (« … et à quelle date l'équipe
    a-t-elle réalisé sa première entrevue ? »): the two are one part."""
    sides = compared_sides(question)
    if sides:  # « A et B demandent-elles le même prix ? », « Qui… le plus… : A ou B ? »: each subject's value
        subjects = side_subjects(*sides)
        return [AskedPart(text, constraints, compared=side_kind(question), subject=subject, other=other)
                for text, constraints, subject, other
                in zip(sides, sides_constraints(question), subjects, subjects[::-1], strict=True)]
    if _EXTREME.search(fold(question)):
        return []
    texts: list[str] = []
    pending = ""
    for text in (piece for part in asked_parts(question) for piece in _SECOND_CLAUSE.split(part)):
        if pending:
            text = f"{pending} et {text}"
        pending = text if len(words_of(text)) < OWN_PART_WORDS and not text.rstrip().endswith("?") else ""
        if not pending:
            texts.append(text)
    texts += [pending] if pending else []
    if len(texts) < 2 and (pair := named_pair(question)):  # « … en Estrie et au Saguenay–Lac-Saint-Jean ? »
        texts = list(pair)
    sides = deadline_sides(question) if len(texts) < 2 else None
    if sides:  # « … a-t-elle adopté sa formule dans le délai que fixait l'entente ? »: two dates, two documents
        return [AskedPart(text, replace(constraints, answer_kind="date"), role) for text, constraints, role
                in zip(sides, parts_constraints(list(sides)), ("event", "deadline"), strict=True)]
    return [AskedPart(text, constraints) for text, constraints in zip(texts, parts_constraints(texts), strict=False)]


# Two regions joined by « et » or « ou », each with its preposition or article (« en Estrie et au Saguenay–Lac-Saint-
# Jean », « de l'Estrie et du Centre-du-Québec »): a region's name is one word, hyphens and dashes included.
_ARTICLES = r"(?:(?:en|au|aux|à|dans|de|du|des|d'|d’|l'|l’|la|le|les|celle|celui)\s*)+"
_PAIR = re.compile(rf"(?P<a>{_ARTICLES}[^\s,?:;.]+)\s+(?:et|ou)\s+(?P<b>{_ARTICLES}[^\s,?:;.]+)")


def named_pair(question: str) -> tuple[str, str] | None:
    """A question asking one thing of two regions it names together (« Combien de représentants… siègent au
    comité de l'Alliance en Estrie et au Saguenay–Lac-Saint-Jean ? »), as that question asked of each (« … en
    Estrie ? », « … au Saguenay–Lac-Saint-Jean ? »), each answered by its own region's document; None when it
    names other regions, or no such pair."""
    pair = _PAIR.search(question)
    if not pair or len(regions_named(question)) != 2:
        return None
    first, second = regions_named(pair.group("a")), regions_named(pair.group("b"))
    if len(first) != 1 or len(second) != 1 or first == second:
        return None
    first_side, second_side = (question[:pair.start()] + pair.group(side) + question[pair.end():] for side in "ab")
    return first_side, second_side


def part_searches(question: str, doc_types: Iterable[str]) -> list[tuple[str, str]]:
    """For each part of a question asking several things: what to search (the part, with the names and regions
    of its subject it does not write: « Quel est son total ? » of the Estrie) and the kind of document it names
    (empty: any)."""
    kinds = set(doc_types)
    return [(part.asked, named_document(part.text, kinds)) for part in question_parts(question)]


def part_rankings(question: str, parts: list[AskedPart], units: list[EvidenceUnit],
                  embeddings: Embeddings | None, min_relevance: float) -> list[list[RankedUnit]]:
    """For each part, the units ranked for it, best first: those meeting its own constraints, scored on its own
    words with its subject (``AskedPart.asked``), or, for a part of a few words (« …, et à quelle date ? »), half
    on them as a follow-up of the whole question (``evidence.rank_units``); those of the document it names first
    and those that only repeat the premise's figures last (``premise.reranked``)."""
    premise = read_premise(question)
    scene = premise.scene if premise else ""
    return [reranked(Premise(scene, part.text), rank_units(question, part.constraints, units, embeddings,
                                                          min_relevance, "fr", part.text)
                     if len(words_of(part.text)) < OWN_PART_WORDS else
                     rank_units(part.asked, part.constraints, units, embeddings, min_relevance, "fr"))
            for part in parts]


def unanswered_sides(question: str, units: list[EvidenceUnit]) -> list[str]:
    """Of a question comparing the values of two subjects (``comparison.side_kind``), the subjects, as the question
    writes them, that no unit meeting the side's constraints gives a value of the kind compared next to what the
    side asks (``comparison.said_score``); empty for any other question."""
    parts = question_parts(question)
    if len(parts) != 2 or not all(part.compared for part in parts):
        return []
    return [part.subject for part in parts
            if not any(not missing_in(part.constraints, unit) and said_score(part.compared, unit.text, part.asked)
                       and speaks_of_side(part, unit) for unit in units)]


def speaks_of_side(part: AskedPart, unit: EvidenceUnit) -> bool:
    """Whether a unit speaks of its side's own subject, not only of what both sides share: a word of the subject
    that the other side's lacks, in the unit, the sentences before it, its section's or its document's title
    (« Citoyenne, Shawinigan »), or a region the subject names, its document's (« l'entente bas-laurentienne »).
    « Transport collectif solidaire Mékinac : 94 800 $ » shares « collectif » with « la cuisine collective… de la
    citoyenne de Shawinigan », not its subject."""
    own = content_stems(part.subject) - content_stems(part.other)
    info = unit.source.passage.info
    regions = set(regions_named(part.subject)) - set(regions_named(part.other))
    said = f"{unit.text} {unit.context} {unit.before} {unit.heading} {info.title}"
    return bool(own & content_stems(said)) or bool(regions & set(info.regions))


def side_subjects(first: str, second: str) -> tuple[str, str]:
    """What tells two sides of a comparison apart, as the question writes it: each side's text without the words
    both share at their end, nor those they share at their start up to a colon or a comma (« Quel panier coûte le
    moins cher : le panier de base… ? »: « le panier de base… »; « Le rapport final de l'entente de la Mauricie »)."""
    a, b = first.split(), second.split()
    shared = next((n for n, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
    start = max((n + 1 for n in range(shared) if a[n].endswith((":", ","))), default=0)
    end = next((n for n, (x, y) in enumerate(zip(reversed(a[shared:]), reversed(b[shared:]))) if x != y),
               min(len(a), len(b)) - shared)
    def named(words: list[str]) -> str:  # « Entre » opens the choice, it names no side
        return re.sub(r"^[Ee]ntre\s+", "", " ".join(words).strip(" ,:?"))

    return named(a[start:len(a) - end]), named(b[start:len(b) - end])


def said_first(part: AskedPart, shown: list[tuple[RankedUnit, str]]) -> list[tuple[RankedUnit, str]]:
    """A side of a comparison's units (ranked, with the sentence each shows), those whose sentence gives the compared
    value most closely as the side asks it first (``comparison.said_score``: « Participant A est maire depuis 2005 »
    before « Il siège… depuis avril 2012 »), then those whose document's title says more of the side (« Date : le 20
    février 2014 » of « Notes d'entretien ENT-CNO-03 – Citoyenne, Sept-Îles » before the same field of another
    Sept-Îles interview, for « l'entretien avec la citoyenne de Sept-Îles »), each group in its order, those giving
    none left out; any other part's as ranked."""
    if not part.compared:
        return shown
    own = content_stems(part.text)
    said = [(said_score(part.compared, text, part.asked), ranked, text) for ranked, text in shown
            if not part.subject or speaks_of_side(part, ranked.unit)]
    # A sentence giving no value next to what the side asks answers it by chance (« …pour sa séance du 30 octobre
    # 2013 » for « son plan d'action régional »): no side is better than a value compared by accident.
    return [(ranked, text) for score, ranked, text in sorted(
        said, key=lambda found: (-found[0], -len(own & content_stems(found[1].unit.source.passage.info.title))))
        if score]
