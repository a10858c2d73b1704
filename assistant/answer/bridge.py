"""Two-step questions: a person or a place the question describes without naming it, named by one document, and the
fact asked of it, given by another.

« La directrice de Drummond a porté plainte auprès du président de la CRÉ : par quelle résolution ce même président
avait-il été autorisé à signer l'entente régionale ? » The interview names the president (« au président de la CRÉ,
André Houle »); the agreement gives his resolution, and says nothing of the complaint. Read as one, the question
shares too little with either document's sentences. So the description (« La directrice de Drummond a porté plainte
auprès du président de la CRÉ ») is read first: the unit of the passages found that best answers it and names a
person near the role (or a place other than the question's) gives the **bridge** name; the ask is then asked with that
name in place of the description (« par quelle résolution André Houle avait-il été autorisé… ? »): searched
(``Assistant._asked_document_search``) and ranked as the second part of a two-part question (``parts.py``), after
the unit that named it, so that the answer shows the step (« …au président de la CRÉ, André Houle [1]. …représentée
par M. André Houle, président, dûment autorisé par la résolution CA-2012-04-072 [2]. »).

Three forms describe what is asked of (on the question as written):
- a role pointed back to (« …auprès du président de la CRÉ : … ce même président… ? », « L'agente de l'Alliance a
  fait vérifier… À quelle adresse… d'écrire à cette agente ? »): the description is what comes before the ask;
- a role with a relative clause (« le poste de l'agente qui a fait vérifier que… ? », « l'agente que la fiche de
  Solidarité Transport donne comme personne-ressource »);
- a place described by what sets it apart (« la ville située à 220 km de Sept-Îles », « la municipalité où… »), or an
  MRC by what happened there (« la MRC dont la salle du conseil a accueilli l'entretien ENT-CNO-02 »: the town a unit
  names gives its MRC, ``places.tsv``; « la MRC où se trouve Terrebonne » names its place, and is no description).
Nothing is bridged when no unit answering the description names one person near its role, or another place: the
question is then answered as before.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from langchain_core.embeddings import Embeddings

from assistant.answer.constraints import (CODE, Constraints, EvidenceUnit, mrc_names, persons, persons_written,
                                          places_named, places_written, read_constraints, regions_named,
                                          satisfying, territory_names)
from assistant.answer.evidence import RankedUnit, evidence_units, rank_units
from assistant.answer.premise import read_premise
from assistant.french import figures, fold, words_of
from assistant.models import Source

# The roles a question may describe a person by, as written (masculine and feminine).
_ROLES = (r"pr[ée]sidente?|directeur|directrice|agente?|coordonnat(?:eur|rice)|maire|mairesse|pr[ée]f[èe]te?"
          r"|organisat(?:eur|rice)|repr[ée]sentante?|conseill[èe]re?|responsable|intervenante?|secr[ée]taire"
          r"|chercheu(?:r|se)|porte-parole|[ée]lue?|officier|offici[èe]re")
# A role pointed back to in the ask (« ce même président », « cette agente »).
_POINTED = re.compile(rf"\b(?:ce|cet|cette)(?:\s+m[êe]me)?\s+({_ROLES})\b", re.IGNORECASE)
# One adjective between a described noun and its relative pronoun (« l'agente nord-côtière qui… », « la communauté
# innue qui… »): a lower-case word that is no pronoun.
_ADJECTIVE = r"(?:\s+(?!qui\b|que\b|qu['’]|dont\b|o[ùu]\b|situ[ée])(?-i:[a-zà-ÿ][a-zà-ÿ-]*))?"
# A relative pronoun and its clause up to the question's end or a comma, a phrase set between commas after the
# pronoun kept in it (« qui, selon l'organisatrice de Sept-Îles, « connaît le numéro… » »).
_CLAUSE = r",?\s*(?:qui|que|qu['’]|dont|o[ùu])\b(?:\s*,[^,?]*,)?[^,?]*[^,?\s]"
# A role with a relative clause that describes it (« l'agente qui a fait vérifier que l'allocation… ne réduirait pas
# la prestation de la citoyenne des Basques », « l'agente dont la coordonnatrice de Matawinie dit… »).
_RELATIVE = re.compile(rf"\b(?:le |la |l'|l’)({_ROLES}){_ADJECTIVE}{_CLAUSE}", re.IGNORECASE)
# A place, or a body named by its place (« la CRÉ du Centre-du-Québec », « le CLE de Trois-Rivières »), described by
# what sets it apart (« la ville située à 220 km de Sept-Îles », « la MRC dont la salle du conseil a accueilli
# l'entretien ENT-CNO-02 », « la CRÉ qui a répondu à la plainte de… », « le CLE où travaille le participant… »).
_PLACE = re.compile(rf"(?:\b(?:la |le |l'|l’)|(?<=\bdu ))"
                    rf"(ville|municipalit[ée]|localit[ée]|village|communaut[ée]|MRC|CRÉ|CLE)"
                    rf"{_ADJECTIVE}(?:\s+situ[ée]e?\s+[^,?]*[^,?\s]|{_CLAUSE})", re.IGNORECASE)
# The bodies named by their place, and whether by a region (a CRÉ) or a town (a CLE).
_BODIES = {"CRÉ": "region", "CLE": "town"}
_MRCS = mrc_names()
# How far from its role a person's name stands in the unit naming them (« au président de la CRÉ, André Houle »:
# two words after the role; « l'agente de l'Alliance, Martine Pelletier »: three).
ROLE_REACH = 5
# The passages a search for the ask with the bridge name adds to those the question found (``Assistant.stream``): as
# many as one document gives to a search (``retrieval.max_per_document``), like a part's.
BRIDGE_PASSAGES = 2


@dataclass(frozen=True)
class Described:
    """What a question describes without naming it: the words that describe it, the ask with a slot for its
    name (``{}``), and whether it is a person (by a role) or a place."""

    description: str
    ask: str
    role: str = ""  # a person's role, folded (« president »); empty for a place
    mrc: bool = False  # the place described is an MRC (« la MRC où se trouve le point de service… »)
    body: str = ""  # a body named by its place, as written (« la CRÉ », « le CLE »); empty for any other

    def asked(self, name: str) -> str:
        """The ask with the name in place of the description (an MRC's as « la MRC de Manicouagan », a body's as
        « la CRÉ de Centre-du-Québec »)."""
        if self.mrc or self.body:
            name = f"{self.body or 'la MRC'} de {name}"
            name = re.sub(r"\bde (?:les|Les) ", "des ", re.sub(r"\bde (?:le|Le) ", "du ", name))
        return self.ask.replace("{}", name)


def described(question: str) -> Described | None:
    """What a question describes without naming it (``Described``), or None: a role pointed back to by its ask, a
    role with a relative clause, a place described by what sets it apart; never when the question names a person."""
    if persons(question):
        return None
    premise = read_premise(question)
    scene, ask = (premise.scene, premise.ask) if premise else _before_colon(question)
    pointed = _POINTED.search(ask) if scene else None
    if pointed and re.search(rf"\b{re.escape(fold(pointed.group(1)))}\b", fold(scene)):
        return Described(scene, ask[:pointed.start()] + "{}" + ask[pointed.end():], fold(pointed.group(1)))
    if relative := _RELATIVE.search(question):
        return Described(relative.group(), question[:relative.start()] + "{}" + question[relative.end():],
                         fold(relative.group(1)))
    place = _PLACE.search(question)
    # « la MRC où se trouve Terrebonne » names its MRC by a town of it (``constraints.territory_names``): no step.
    if place and place.group(1).upper() == "MRC" and places_named(place.group()):
        place = None
    if place:
        body = question[place.start():place.end(1)] if place.group(1).upper() in _BODIES else ""  # « la CRÉ »
        return Described(place.group(), question[:place.start()] + "{}" + question[place.end():],
                         mrc=place.group(1).upper() == "MRC", body=body)
    return None


def _before_colon(question: str) -> tuple[str, str]:
    """A question's statement before a colon and its ask after it (« … auprès du président : par quelle… ? »);
    empty scene when it has no colon."""
    scene, colon, ask = question.rpartition(" : ") if " : " in question else question.rpartition(": ")
    return (scene, ask) if colon and ask.rstrip().endswith("?") else ("", question)


def bridge_name(what: Described, units: list[EvidenceUnit], embeddings: Embeddings | None,
                min_relevance: float) -> tuple[str, RankedUnit] | None:
    """The name the description points to, with the unit that gives it: of the units ranked for the description
    (on its words, meeting its places, years and names), the first that names one person within ``ROLE_REACH``
    words of the role, or a place the question does not name; None when none does."""
    constraints = read_constraints(what.description)
    ranked = rank_units(what.description, constraints.loosened(answer_kind=""), units, embeddings, min_relevance)
    known = places_named(what.description) | places_named(what.ask)
    for unit in ranked:
        clause = _clause_of(unit.unit.text, what.description)
        if what.role:
            name = _person_in_role(unit.unit.text, what.role)
        elif what.body and _BODIES.get(what.body.split()[-1].upper()) == "region":
            # A CRÉ is named by its region (« à la CRÉ du Centre-du-Québec »), one the question does not name.
            # A CRÉ the unit names without its region (« au président de la CRÉ ») is its document's region's.
            asked_regions = set(regions_named(f"{what.description} {what.ask}"))
            regions = regions_named(clause) or (tuple(unit.unit.source.passage.info.regions)
                                                if re.search(r"\bCRÉ\b", clause) else ())
            name = next((region for region in regions if region not in asked_regions), "") if len(regions) == 1 else ""
        else:
            name = next((_mrc_of(place) if what.mrc else place for place in places_written(clause)
                         if not places_named(place) & known and (not what.mrc or _mrc_of(place))), "")
        if name:
            return name, unit
    return None


# Where a sentence's clauses part (« 230 km entre Baie-Comeau et Sept-Îles, 220 km entre Sept-Îles et
# Havre-Saint-Pierre et… »): a comma, a semicolon, a colon, or « et » before a figure.
_CLAUSES = re.compile(r"\s*[,;:]\s+|\s+et\s+(?=(?:près de |environ )?\d)")


def _clause_of(text: str, description: str) -> str:
    """Of a text, the clause holding the description's figures (« 220 km entre Sept-Îles et Havre-Saint-Pierre »
    for « la ville située à 220 km de Sept-Îles »); the whole text when the description has none. A clause that
    holds none of them: nothing (the unit does not give what describes the place)."""
    wanted = set(figures(CODE.sub(" ", description)))  # « ENT-CNO-02 » is a name, not a figure
    if not wanted:
        return text
    return " ".join(clause for clause in _CLAUSES.split(text) if wanted <= set(figures(clause)))


def _mrc_of(place: str) -> str:
    """The MRC a place is or lies in (« Trois-Pistoles »: Les Basques, ``places.tsv``); "" for a place of
    neither (a region, a community)."""
    return next(iter(territory_names(place, "MRC")), "") or (place if place in _MRCS else "")


def _person_in_role(text: str, role: str) -> str:
    """The one person a text names within ``ROLE_REACH`` words of a role word (« président » or « présidente »)."""
    text = re.sub(r"\[([^\]]*)\]", r"\1", text)  # a name the notes complete in brackets (« Nathalie [Gervais] »)
    words = words_of(text)
    at = [i for i, word in enumerate(words) if word.rstrip("e") == role.rstrip("e")
          or fold(word).startswith(role[:-1]) and len(word) <= len(role) + 2]
    near = {person for person in persons_written(text)
            if (first := words_of(person)[0]) in words
            and any(abs(words.index(first) - i) <= ROLE_REACH for i in at)}
    return near.pop() if len(near) == 1 else ""


def bridged_ask(question: str, sources: list[Source], embeddings: Embeddings | None,
                min_relevance: float) -> tuple[str, RankedUnit] | None:
    """For a question describing a person or a place without naming it (``described``), the ask with the name the
    passages found give it (« par quelle résolution André Houle avait-il été autorisé… ? ») and the unit that
    names it; None for any other question, or when no unit names it."""
    what = described(question)
    found = bridge_name(what, evidence_units(sources), embeddings, min_relevance) if what else None
    return (what.asked(found[0]), found[1]) if what and found else None


def answering_first(ask: str, sources: list[Source]) -> list[Source]:
    """The passages a search for a bridged ask found, those with a unit meeting the ask's constraints first
    (otherwise in their order): « Combien de projets comptait, au 31 mars 2014, la MRC de L'Érable ? » is answered by
    the report's « 4 dans chacune des MRC de … L'Érable », eighth of its search, not by the project fiches above it."""
    constraints = read_constraints(ask)
    return sorted(sources, key=lambda source: not satisfying(constraints, evidence_units([source])))


def bridged_constraints(question: str, constraints: Constraints, sources: list[Source],
                        min_relevance: float) -> Constraints:
    """A two-step question's constraints (``bridged_ask``): those of its description and those of its ask with
    the bridge name, each met by its own unit (``Constraints.alternatives``), its regions kept; read as one, they
    would ask one unit to hold both steps (« Basques » and a share). Any other question's, or one whose ask no unit
    answers with the name: ``constraints``."""
    bridged = bridged_ask(question, sources, None, min_relevance)
    what = described(question) if bridged else None
    ask = read_constraints(bridged[0]) if bridged else constraints
    # An ask no unit answers with the name leaves the question as it was: its description's units answer nothing.
    if not bridged or not what or not satisfying(ask, evidence_units(sources)):
        return constraints
    return replace(constraints, alternatives=(read_constraints(what.description).loosened(answer_kind=""), ask))
