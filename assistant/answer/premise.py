"""Questions with a premise: a first sentence that says what one document says, then the question asked of another.

« Le rapport chiffre à 236 000 $ l'aide du FQIS à Solidarité Transport pour 2012-2015. Quelle portion de cette somme
était prévue pour la première année, d'après la fiche du projet ? » The premise (the sentences before the last one,
which asks) sets the scene; the ask (the last sentence) says what is asked:
- the premise's figures are what the user already knows, not an answer (``reranked``); an ask that reads no kind of
  value but points back to the premise's amounts (« cette somme ») asks an amount (``referred_kind``);
- the premise's years and regions are context, not constraints every unit must hold: its years when the ask does
  not point back to it, and always the day or season that dates its own event (« reçu le 15 octobre 2013 »); its
  regions when the ask names its own (``scene_years``, ``scene_regions``, read by ``constraints.read_constraints``);
- the ask is ranked as a follow-up of the premise, half on its own words (``extractive.choose_units``);
- the kind of document the ask names (« d'après la fiche du projet », « selon l'entente ») is searched for the ask
  alone (``asked_document``, ``Assistant.stream``) and its units come first (``reranked``): the premise's words bring
  back the premise's own document.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from assistant.french import figures, figures_and_number_words, fold, split_sentences, words_of
from assistant.models import DocumentInfo

if TYPE_CHECKING:
    from assistant.answer.evidence import RankedUnit

# How far a unit moves in the ranking (in the scorer's logits, ``evidence.rank_units``): as far as the margin that
# keeps a second unit shown (``extractive.EXTRA_UNIT_MARGIN``), so that a unit of the document the ask names comes
# before one of another that answered about as well, and a unit that only repeats the premise's figures after one
# that gives a new figure.
NAMED_DOCUMENT_BONUS = 2.0
PREMISE_VALUE_PENALTY = 2.0
# The passages of the kind of document the ask names that a search for the ask adds to those the whole question
# found (``Assistant.stream``): as many as one document gives to a search (``retrieval.max_per_document``).
ASKED_DOCUMENT_PASSAGES = 2

# A year the premise writes after a day, a month or a season dates the premise's event (« le 15 octobre 2013 »,
# « à l'été 2013 », « en septembre 2013 »), on folded text.
_DATED_YEAR = re.compile(r"\b(?:janvier|fevrier|mars|avril|mai|juin|juillet|aout|septembre|octobre|novembre|decembre"
                         r"|ete|hiver|printemps|automne)\s+(?:de\s+)?((?:19|20)\d\d)\b")
# An ask that checks the premise's figure against a document (« Le montant qu'il cite est-il celui que fixe
# l'entente ? », « correspond-il », « le même nombre ») is answered by that figure again.
_CONFIRMS = re.compile(r"\bcorrespond|\bconcord|\bs'entendent\b|\b(?:le|la|les) memes?\b|\bcelui (?:que|de)\b"
                       r"|\bcelle (?:que|de)\b|-(?:il|elle|ils|elles) bien\b|\best-ce bien\b|\bconfirme")
# A year written alone, not inside « 2012-2013 » (its figures are no values of the premise either).
_YEAR = re.compile(r"(?<![\d-])(?:19|20)\d\d(?![\d-])|(?:19|20)\d\d\s*[-–]\s*(?:19|20)?\d\d")


@dataclass(frozen=True)
class Premise:
    """A question split into the sentences that set the scene and the last one, which asks."""

    scene: str
    ask: str


def read_premise(question: str) -> Premise | None:
    """The question's premise and ask, when sentences that ask nothing come before its last one; None otherwise."""
    sentences = split_sentences(question.strip())
    if len(sentences) < 2 or any(sentence.rstrip().endswith("?") for sentence in sentences[:-1]):
        return None
    return Premise(" ".join(sentences[:-1]), sentences[-1])


# The ask points back to something of the premise (« cette somme », « cet exercice », « le montant qu'il cite »), on
# folded text.
_POINTS_BACK = re.compile(r"\b(?:ce|cet|cette|ces)\s+(?!que\b|qui\b|dont\b)[a-z]|\bqu'(?:il|elle)s?\b")


def scene_years(question: str, found: Callable[[str], tuple[str, ...]]) -> set[str]:
    """Of the years ``found`` reads (fiscal years, years alone), those only the premise writes that set its scene and
    pin nothing on the fact asked: all of them when the ask does not point back to the premise (« Le maire cite
    1 212 000 $ pour 2011-2012 et 2 112 000 $ pour 2013-2014. Combien l'entente prévoit-elle pour l'année entre les
    deux ? »), else those dating the premise's own event, after a day, a month or a season (« Le procès-verbal
    mentionne un solde reçu le 15 octobre 2013 pour 2011-2012. Quelle était la contribution de cet exercice ? »
    keeps 2011-2012, not 2013)."""
    premise = read_premise(question)
    if premise is None:
        return set()
    scene = premise.scene if not _POINTS_BACK.search(fold(premise.ask)) else " ".join(
        match.group() for match in _DATED_YEAR.finditer(fold(premise.scene)))
    return set(found(scene)) - set(found(premise.ask))


# An amount, a share the premise gives.
_MONEY = re.compile(r"\d\s*\$")
_PERCENT = re.compile(r"\d\s*%")


def referred_kind(question: str) -> str:
    """The kind of value an ask that reads none asks for when it points back to the premise and the premise gives
    values of one kind: amounts (« Le rapport chiffre à 236 000 $ l'aide… Quelle portion de cette somme… ? »
    asks an amount) or shares; empty otherwise."""
    premise = read_premise(question)
    if premise is None or not _POINTS_BACK.search(fold(premise.ask)):
        return ""
    money, shares = bool(_MONEY.search(premise.scene)), bool(_PERCENT.search(premise.scene))
    return "montant" if money and not shares else "part" if shares and not money else ""


def scene_regions(question: str, found: Callable[[str], tuple[str, ...]]) -> set[str]:
    """Of the regions ``found`` reads, those only the premise names when the ask names its own: the premise's set
    the scene (« Le rapport présente le Bas-Saint-Laurent comme la première Alliance signée. L'entente de l'Estrie
    a-t-elle été signée avant ou après ? » asks about the Estrie)."""
    premise = read_premise(question)
    asked = set(found(premise.ask)) if premise else set()
    return set(found(premise.scene)) - asked if premise and asked else set()


# A document's kind named by its head word (« fiche » of « fiche-projet », « portrait » of « portrait-regional »);
# followed by these words, the noun names something the documents speak of (« le rapport d'étape », « le rapport
# annuel » that an agreement requires), not a kind of document; on folded text.
_NOT_THE_DOCUMENT = re.compile(r"^(?:d'|annuel)")
_UNKNOWN_KIND = DocumentInfo("", "").doc_type  # « autre »: a document of no known kind


def asked_document(question: str, doc_types: Iterable[str]) -> tuple[str, str]:
    """For a question with a premise whose ask names a kind of document (``named_document``): the ask and that
    kind, to search that kind of document for the ask alone (the premise's words bring back its own document);
    empty strings otherwise."""
    premise = read_premise(question)
    document = named_document(premise.ask, doc_types) if premise else ""
    return (premise.ask, document) if premise and document else ("", "")


def named_document(ask: str, doc_types: Iterable[str]) -> str:
    """The kind of document (``DocumentInfo.doc_type``) the ask names by its head word (« d'après la fiche du
    projet » → « fiche-projet », « selon l'entente » → « entente »); empty when it names none of ``doc_types``."""
    folded = fold(ask)
    for doc_type in sorted(set(doc_types) - {_UNKNOWN_KIND}):
        head = words_of(doc_type)[0] if words_of(doc_type) else ""
        if head and any(not _NOT_THE_DOCUMENT.match(folded[match.end():].lstrip())
                        for match in re.finditer(rf"\b{head}s?\b", folded)):
            return doc_type
    return ""


def _values(text: str) -> set[str]:
    """The figures of a text, years left out; with none, its small numbers written out (« cinq fois par année »)."""
    plain = _YEAR.sub(" ", text)
    return figures(plain) or figures_and_number_words(plain)


def reranked(premise: Premise, ranked: list[RankedUnit]) -> list[RankedUnit]:
    """The ranked units of a question with a premise, scored again, best first: those of the kind of document its
    ask names (« selon l'entente ») gain ``NAMED_DOCUMENT_BONUS`` (the premise's words bring back its own document
    first); those whose figures all stand in the premise (the figure the user gave, not the one asked) lose
    ``PREMISE_VALUE_PENALTY``, unless the ask checks that figure."""
    document = named_document(premise.ask, {unit.unit.source.passage.info.doc_type for unit in ranked})
    given = _values(premise.scene) - _values(premise.ask)
    confirms = bool(_CONFIRMS.search(fold(premise.ask)))

    def moved(unit: RankedUnit) -> float:
        values = _values(unit.unit.text)
        named = bool(document) and unit.unit.source.passage.info.doc_type == document
        repeats = bool(values) and values <= given and not confirms
        return NAMED_DOCUMENT_BONUS * named - PREMISE_VALUE_PENALTY * repeats

    return sorted((replace(unit, score=unit.score + moved(unit)) for unit in ranked), key=lambda unit: -unit.score)
