"""Questions asking two things: each part searched, ranked and answered on its own, one cited sentence per part.

« Combien de temps la première négociation du partage laurentien a-t-elle duré selon le rapport, et comment
l'organisatrice du CSSS de Saint-Jérôme juge-t-elle le compromis de juin 2013 ? » asks two facts of two documents.
Read as one, the question's words and constraints mix: the search finds the passages of one part, the ranking wants
a unit holding both parts' words, and the kind the first part asks (a duration) is required of the second's answer.
Each part (``constraints.asked_parts``: the first with the sentences that set the scene) is therefore:
- searched for itself, with the subject it shares with the first part (``part_searches``, ``Assistant.stream``),
  in the kind of document it names (« selon l'entente », ``premise.named_document``) when it names one;
- ranked on its own constraints (``constraints.parts_constraints``), half on its own words, the units of the
  document it names first and those repeating the premise's figures last (``part_rankings``, ``premise.reranked``);
- answered by its best unit (``extractive.choose_units``), in the parts' order, each cited.
A part nothing answers gets no sentence: the answer gives the parts that are found.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from langchain_core.embeddings import Embeddings

from assistant.answer.constraints import Constraints, EvidenceUnit, asked_parts, parts_constraints
from assistant.answer.evidence import RankedUnit, rank_units
from assistant.answer.premise import Premise, named_document, read_premise, reranked
from assistant.french import fold, words_of

# The passages a search for one part adds to those the whole question found (``Assistant.stream``): as many as one
# document gives to a search (``retrieval.max_per_document``), like the document a premise's ask names.
PART_PASSAGES = 2
# A part of fewer words than this that does not end the sentence (« Dans quelle ville et à quelle date… ? ») is
# only an interrogative phrase: it shares the next part's verb and subject.
SHARED_PART_WORDS = 4


@dataclass(frozen=True)
class AskedPart:
    """One thing a question asks: its words (the first part with the scene before it) and its constraints."""

    text: str
    constraints: Constraints


def question_parts(question: str) -> list[AskedPart]:
    """The parts of a question asking several things, each with its own constraints; empty for one asking one.
    A part of a few words before another (« Dans quelle ville », « Avec qui ») shares that part's verb and
    subject (« … et à quelle date l'équipe a-t-elle réalisé sa première entrevue ? »): the two are one part."""
    texts: list[str] = []
    pending = ""
    for text in asked_parts(question):
        if pending:
            text = f"{pending} et {text}"
        pending = text if len(words_of(text)) < SHARED_PART_WORDS and not text.rstrip().endswith("?") else ""
        if not pending:
            texts.append(text)
    texts += [pending] if pending else []
    return [AskedPart(text, constraints) for text, constraints in zip(texts, parts_constraints(texts), strict=False)]


def part_searches(question: str, doc_types: Iterable[str]) -> list[tuple[str, str]]:
    """For each part of a question asking several things: what to search (the part, with the names and regions
    of its subject it does not write: « Quel est son total ? » of the Estrie) and the kind of document it names
    (empty: any)."""
    kinds = set(doc_types)
    searches = []
    for part in question_parts(question):
        subject = [name for name in part.constraints.names + part.constraints.regions
                   if fold(name) not in fold(part.text)]
        searches.append((" ".join([part.text, *subject]), named_document(part.text, kinds)))
    return searches


def part_rankings(question: str, parts: list[AskedPart], units: list[EvidenceUnit],
                  embeddings: Embeddings | None, min_relevance: float) -> list[list[RankedUnit]]:
    """For each part, the units ranked for it, best first: those meeting its own constraints, scored half on its
    own words (as a follow-up of the whole question, ``evidence.rank_units``), those of the document it names
    first and those that only repeat the premise's figures last (``premise.reranked``)."""
    premise = read_premise(question)
    scene = premise.scene if premise else ""
    return [reranked(Premise(scene, part.text),
                     rank_units(question, part.constraints, units, embeddings, min_relevance, "fr", part.text))
            for part in parts]
