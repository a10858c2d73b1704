"""Every reason to refuse, in one ordered list: before the model (nothing found, nothing close, a key term of the
question in no passage) and after it (the model said it does not know, no sentence held, an answer about another
region or subject). The first rule that holds refuses; ``writer.py`` only runs the list.

The cosine and BM25 scores of hard out-of-corpus questions (a region, a year or a person the corpus does not
have) overlap those of answerable ones, so the strongest cheap signal before the model is a key term of the question
(a name, a year, a figure) that appears in none of the passages found, nor in their documents' titles and regions.
Calibration on the gold questions: ``docs/answers.md``.
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from assistant.answer.bilingual import english_names
from assistant.answer.bridge import bridged_constraints
from assistant.answer.constraints import (conversation_constraints, names_in, territory_names, unmet, with_sources,
                                          without_item)
from assistant.answer.evidence import evidence_units
from assistant.answer.parts import unanswered_sides
from assistant.french import figures, figures_and_number_words, fold, name_key, names, split_sentences
from assistant.models import Answer, Source
from assistant.settings import LLMSettings

log = logging.getLogger(__name__)

# The refusal sentence, in each language the assistant answers in. The answer prompt receives the French one as
# ``{refusal}`` (prompts/answer_system.md), so the sentence the model is told to write is the one detected here.
NOT_FOUND = {
    "fr": "Je ne trouve pas cette information dans le corpus.",
    "en": "I cannot find this information in the corpus.",
}
_REFUSALS = [fold(text).rstrip(".") for text in NOT_FOUND.values()] + ["ne trouve pas cette information"]


class Moment(enum.Enum):
    """When a rule is checked: on the passages found, before the model; or on the checked answer, after it."""

    BEFORE_MODEL = "before"
    AFTER_MODEL = "after"


@dataclass(frozen=True)
class RefusalRule:
    """One reason to refuse: its name, when it is checked, the ``LLMSettings`` field that switches it (a boolean)
    or tunes it (any other; "" when none), its French reason (``{terms}``: the terms found), and its check."""

    name: str
    moment: Moment
    setting: str
    reason: str
    # (answer so far, the question as the model reads it, settings) → the terms at fault, or whether it holds.
    finds: Callable[[Answer, str, LLMSettings], Sequence[str] | bool]

    def reason_for(self, answer: Answer, asked: str, settings: LLMSettings) -> str:
        """The French reason to refuse this answer, or "" when the rule does not hold or is switched off."""
        if self.setting and getattr(settings, self.setting) is False:
            return ""
        found = self.finds(answer, asked, settings)
        if not found:
            return ""
        terms = "" if isinstance(found, bool) else ", ".join(f"« {term} »" for term in found)
        return self.reason.format(terms=terms)


def is_refusal(text: str) -> bool:
    """Whether the model said, in any of our languages, that the passages do not hold the answer."""
    folded = fold(text)
    return any(refusal in folded for refusal in _REFUSALS)


def key_terms(question: str, language: str) -> dict[str, str]:
    """Names, years and figures of a question, by their comparison key, as written in it.

    In an English question, a capitalised English word (« Indigenous ») is no name of the corpus
    (``bilingual.english_names``).
    """
    # Sentence by sentence: a follow-up read after the question it follows starts a sentence there too (« Cet
    # appel-là, il fermait quand ? » names no « Cet »).
    found = {key: written for sentence in split_sentences(question) or [question]
             for key, written in (names(sentence) if language == "fr" else english_names(sentence)).items()}
    return found | {figure: figure for figure in sorted(figures(question))}


def missing_terms(question: str, sources: list[Source], language: str) -> list[str]:
    """Key terms of the question (as written) found in none of the sources (passage — a table row with its headers
    and title —, the titles of the sections it sits in, document title, code, authors, regions): « le tableau du
    chapitre 10 » is met by a passage under « Chapitre 10 – Analyse transversale »."""
    haystack = " ".join(f"{s.passage.info.designation} {' '.join(s.passage.info.regions)} "
                        f"{s.passage.section} {s.passage.cited_text}" for s in sources)
    words, numbers = f" {name_key(haystack)} ", figures_and_number_words(haystack)
    return [written for key, written in key_terms(question, language).items()
            if (key not in numbers if key.isdigit() else f" {key} " not in words
                and not names_in(territory_names(written, question), haystack))]  # a town met by its MRC


def off_question_terms(answer: Answer) -> list[str]:
    """Key terms of the question (as typed) that none of the sources cited by the answer contains: the answer is
    then about something else (« la CRÉ des Laurentides » for « la Table des Laurentides »)."""
    return missing_terms(answer.question, answer.cited_sources, answer.language)


def off_question_regions(answer: Answer) -> list[str]:
    """Regions the question names (those of the retrieved documents' metadata) that no cited source is about.

    A cited source is about a region when its document has that one region, or when its passage, its section's
    titles or its document's title name it (a document on several regions, such as the research report, counts
    only where the passage or its chapter names the region).
    """
    question = f" {name_key(answer.question)} "
    named = sorted({region for source in answer.sources for region in source.passage.info.regions
                    if f" {name_key(region)} " in question})
    covered: set[str] = set()
    for source in answer.cited_sources:
        info = source.passage.info
        text = f" {name_key(f'{info.title} {source.passage.section} {source.passage.cited_text}')} "
        covered |= {region for region in named if f" {name_key(region)} " in text or info.regions == (region,)}
    return [] if not named or covered else named


def unmet_constraints(answer: Answer, asked: str, settings: LLMSettings) -> list[str]:
    """The fiscal years, years and regions of the question (and, for an answer made from the evidence, its item
    and kind of answer) that no evidence unit of the passages found satisfies (``constraints.unmet``)."""
    constraints = bridged_constraints(answer.question, with_sources(conversation_constraints(answer.question, asked),
                                                                    answer.sources),
                                      answer.sources, settings.extractive_min_relevance)
    if settings.answer_from != "evidence" and settings.backend != "extractive":
        constraints = without_item(constraints)  # the model's figures are tied to the item after it writes
    return unmet(constraints, evidence_units(answer.sources))


def asked_terms(answer: Answer, asked: str) -> list[str]:
    """What the question asks, as the refusal names it: its constraints (« montant en dollars », « Matawinie »), or
    « réponse » when it pins nothing."""
    return _pinned_terms(answer, asked) or ["réponse"]


def _pinned_terms(answer: Answer, asked: str) -> list[str]:
    """The question's constraints as the refusal names them; empty when it pins nothing."""
    return [written for written, _ in conversation_constraints(answer.question, asked).parts()]


def _too_far(answer: Answer, _: str, settings: LLMSettings) -> bool:
    return (max(s.scores.dense for s in answer.sources) < settings.min_dense_score
            and not any(s.scores.lexical for s in answer.sources))


RULES = (
    RefusalRule("nothing_found", Moment.BEFORE_MODEL, "",
                "Aucun passage du corpus ne correspond à la question (avec ces filtres).",
                lambda answer, _, __: not answer.sources),
    RefusalRule("passages_too_far", Moment.BEFORE_MODEL, "min_dense_score",
                "Les passages trouvés sont trop éloignés de la question.", _too_far),
    # Before the key terms: « 2016-2017 » is named whole, and a region or year is checked exactly.
    RefusalRule("constraints_not_met", Moment.BEFORE_MODEL, "check_constraints",
                "{terms} : aucun passage trouvé ne le donne (ou pas ensemble dans une même phrase ou ligne de "
                "tableau).", lambda answer, asked, settings: unmet_constraints(answer, asked, settings)),
    RefusalRule("question_terms_not_found", Moment.BEFORE_MODEL, "check_names",
                "{terms} : absent des passages trouvés.",
                lambda answer, asked, _: missing_terms(asked, answer.sources, answer.language)),
    RefusalRule("model_does_not_know", Moment.AFTER_MODEL, "",
                "Le modèle n'a pas trouvé la réponse dans les passages.",
                lambda answer, _, __: any(is_refusal(check.text) for check in answer.checks)),
    # A comparison whose one side no sentence gives: the side is named, not the question's constraints.
    RefusalRule("comparison_side_missing", Moment.AFTER_MODEL, "",
                "{terms} : aucune phrase des passages trouvés n'en donne la valeur comparée; sans les deux "
                "valeurs, pas de comparaison.",
                lambda answer, _, __: [] if answer.checks else unanswered_sides(answer.question,
                                                                               evidence_units(answer.sources))),
    # Answers made from the evidence: units meet the constraints (checked before), none shares enough of the
    # question's words (``llm.extractive_min_relevance``): say so, not that nothing gives such a value.
    RefusalRule("too_little_in_common", Moment.AFTER_MODEL, "",
                "Des passages trouvés donnent bien {terms}, mais aucune de leurs phrases ne parle assez de ce que "
                "la question demande : l'assistant s'abstient plutôt que de deviner.",
                lambda answer, asked, settings: _pinned_terms(answer, asked) if not answer.checks and (
                    settings.answer_from == "evidence" or settings.backend == "extractive")
                and not unmet_constraints(answer, asked, settings) else []),
    RefusalRule("nothing_answers", Moment.AFTER_MODEL, "",
                "Aucune phrase ni ligne de tableau des passages trouvés ne donne ce qui est demandé ({terms}).",
                lambda answer, asked, _: asked_terms(answer, asked) if not answer.checks else []),
    RefusalRule("no_sentence_supported", Moment.AFTER_MODEL, "",
                "Aucune phrase de la réponse n'est appuyée par les passages qu'elle cite.",
                lambda answer, _, __: not answer.text),
    RefusalRule("answer_about_another_region", Moment.AFTER_MODEL, "check_question_regions",
                "{terms} : aucune des sources que cite la réponse ne porte sur cette région.",
                lambda answer, _, __: off_question_regions(answer)),
    RefusalRule("answer_about_something_else", Moment.AFTER_MODEL, "check_question_terms",
                "{terms} : absent des sources que cite la réponse, qui parle donc d'autre chose.",
                lambda answer, _, __: off_question_terms(answer)),
)


def refusal_reason(moment: Moment, answer: Answer, asked: str, settings: LLMSettings) -> str:
    """The reason of the first rule of this moment that holds, in French; "" when none does."""
    for rule in RULES:
        if rule.moment is moment and (reason := rule.reason_for(answer, asked, settings)):
            return reason
    return ""


def refuse(answer: Answer, reason: str) -> Answer:
    """The answer turned into a refusal in the question's language; the sources found stay, as the closest."""
    log.info("Refus pour « %s » (recherche : « %s ») : %s", answer.question, answer.search_query, reason)
    return replace(answer, text=NOT_FOUND[answer.language], refused=True, refusal_reason=reason, complete=True)
