"""Suggested follow-up questions under an answer, built from what the cited documents say about themselves (their
section titles, type, regions, period) and from the question; no model is asked."""

from __future__ import annotations

import re

from assistant.french import content_words, fold
from assistant.models import Answer, DocumentInfo

FISCAL_YEAR = re.compile(r"\b(20\d\d)-(20\d\d)\b")
TITLE_CHARS = 60
# The plural a suggestion uses for « the other documents of this type ».
TYPE_PLURALS = {
    "rapport": "rapports", "entente": "ententes", "entretien": "entretiens", "proces-verbal": "procès-verbaux",
    "fiche-projet": "fiches de projet", "portrait-regional": "portraits régionaux",
}


def follow_up_questions(answer: Answer, limit: int = 3) -> list[str]:
    """Up to ``limit`` questions a reader may ask next, in French; none for a refusal or an answer without a
    cited source."""
    cited = answer.cited_sources
    if answer.refused or not cited:
        return []
    asked = fold(answer.question)
    candidates = [_section_question(source.passage.info, source.passage.section, asked) for source in cited]
    candidates.append(_next_fiscal_year(answer.question))
    infos = list({source.passage.info.doc_id: source.passage.info for source in cited}.values())
    candidates += [_region_question(info, asked) for info in infos]
    candidates += [_same_type_question(info, asked) for info in infos]
    chosen: list[str] = []
    for candidate in candidates:
        if candidate and fold(candidate) not in {fold(c) for c in chosen} and fold(candidate) != asked:
            chosen.append(candidate)
    return chosen[:limit]


def _section_question(info: DocumentInfo, section: str, asked: str) -> str:
    """« Que dit « Entente – Mauricie » dans la section « Article 9 – Reddition de comptes » ? », when the
    question did not already name that section."""
    title = section.split(" — ")[-1].strip()
    if not title or content_words(title) <= content_words(asked):
        return ""
    return f"Que dit « {_short(info.title)} » dans la section « {_short(title)} » ?"


def _next_fiscal_year(question: str) -> str:
    """« Et pour l'exercice 2014-2015 ? » after a question about 2013-2014."""
    found = FISCAL_YEAR.search(question)
    if not found or int(found.group(2)) != int(found.group(1)) + 1:
        return ""
    following = int(found.group(2))
    return f"Et pour l'exercice {following}-{following + 1} ?"


def _region_question(info: DocumentInfo, asked: str) -> str:
    """The same subject in a region of the cited document that the question did not name."""
    regions = [region for region in info.regions if fold(region) not in asked]
    return f"Qu'en est-il pour la région {regions[0]} ?" if regions and len(info.regions) > 1 else ""


def _same_type_question(info: DocumentInfo, asked: str) -> str:
    """What the other documents of the cited document's type say on the subject."""
    plural = TYPE_PLURALS.get(info.doc_type)
    if not plural or fold(plural) in asked:
        return ""
    return f"Que disent les autres {plural} sur ce sujet ?"


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= TITLE_CHARS else text[:TITLE_CHARS - 1].rstrip() + "…"
