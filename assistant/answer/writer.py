"""From retrieved sources to a checked answer: refuse early, compact the context, write, check every sentence."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from langchain_core.embeddings import Embeddings
from langchain_core.runnables import Runnable

from assistant.answer.chain import chain_inputs, is_refusal
from assistant.answer.citations import cited_sources
from assistant.answer.context import compact_context
from assistant.answer.extractive import extractive_answer
from assistant.answer.language import NOT_FOUND
from assistant.answer.refusal import missing_terms, retrieval_refusal
from assistant.answer.verification import SupportChecker, SupportThresholds, checked_stream
from assistant.french import name_key
from assistant.models import Answer
from assistant.settings import LLMSettings

log = logging.getLogger(__name__)


def refusal(answer: Answer, reason: str) -> Answer:
    """The answer turned into a refusal in the question's language; the sources found stay, as the closest."""
    log.info("Refus pour « %s » (recherche : « %s ») : %s", answer.question, answer.search_query, reason)
    return replace(answer, text=NOT_FOUND[answer.language], refused=True, refusal_reason=reason, complete=True)


def write_answer(draft: Answer, asked: str, settings: LLMSettings, prompts_dir: Path,
                 chain: Runnable[dict[str, str], str] | None, embeddings: Embeddings) -> Iterator[Answer]:
    """Stream the answer to ``draft`` (question, language, search query and sources set; no text yet).

    ``asked`` is the question as the model reads it (a follow-up with the question it follows); ``chain`` is the
    LCEL answer chain, or None for the extractive backend. Each item is the whole answer so far; the last one is
    ``complete``, with every sentence checked.
    """
    reason = retrieval_refusal(asked, draft.sources, draft.language, settings)
    if reason:
        yield refusal(draft, reason)
        return
    if chain is None:
        tokens = extractive_answer(asked, draft.sources, settings.extractive_sentences, embeddings)
    else:
        excerpts = compact_context(asked, draft.sources, settings.context_chars)
        tokens = chain.stream(chain_inputs(asked, excerpts, draft.language, prompts_dir))
    thresholds = SupportThresholds(settings.min_lexical_support, settings.min_semantic_support,
                                   settings.min_translated_support)
    checker = SupportChecker(draft.sources, embeddings, thresholds, draft.language, asked)
    answer = draft
    for step in checked_stream(tokens, checker):
        answer = replace(draft, text=step.text, checks=step.checks)
        yield answer
    if any(is_refusal(check.text) for check in answer.checks):
        yield refusal(answer, "Le modèle n'a pas trouvé la réponse dans les passages.")
    elif not answer.text:
        yield refusal(answer, "Aucune phrase de la réponse n'est appuyée par les passages qu'elle cite.")
    elif regions := (settings.check_question_regions and off_question_regions(answer)):
        yield refusal(answer, f"{', '.join(f'« {region} »' for region in regions)} : aucune des sources que cite "
                              "la réponse ne porte sur cette région.")
    elif missing := (settings.check_question_terms and off_question_terms(answer)):
        yield refusal(answer, f"{', '.join(f'« {term} »' for term in missing)} : absent des sources que cite la "
                              "réponse, qui parle donc d'autre chose.")
    else:
        yield replace(answer, complete=True)


def off_question_terms(answer: Answer) -> list[str]:
    """Key terms of the question (as typed) that none of the sources cited by the answer contains: the answer is
    then about something else (« la CRÉ des Laurentides » for « la Table des Laurentides »)."""
    return missing_terms(answer.question, cited_sources(answer.sources, answer.cited_numbers), answer.language)


def off_question_regions(answer: Answer) -> list[str]:
    """Regions the question names (those of the retrieved documents' metadata) that no cited source is about.

    A cited source is about a region when its document has that one region, or when its passage or title names it
    (a document on several regions, such as the research report, counts only where the passage names the region).
    """
    question = f" {name_key(answer.question)} "
    named = sorted({region for source in answer.sources for region in source.passage.info.regions
                    if f" {name_key(region)} " in question})
    covered: set[str] = set()
    for source in cited_sources(answer.sources, answer.cited_numbers):
        info = source.passage.info
        text = f" {name_key(f'{info.title} {source.passage.text}')} "
        covered |= {region for region in named if f" {name_key(region)} " in text or info.regions == (region,)}
    return [] if not named or covered else named
