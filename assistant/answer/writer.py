"""From retrieved sources to a checked answer: refuse early, compact the context, write, check every sentence."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from langchain_core.embeddings import Embeddings
from langchain_core.runnables import Runnable

from assistant.answer.chain import chain_inputs
from assistant.answer.constraints import Constraints, conversation_constraints
from assistant.answer.context import compact_context
from assistant.answer.extractive import extractive_answer
from assistant.answer.refusal import Moment, refusal_reason, refuse
from assistant.answer.verification import SupportChecker, SupportThresholds, checked_stream
from assistant.models import Answer
from assistant.settings import LLMSettings


def write_answer(draft: Answer, asked: str, settings: LLMSettings, prompts_dir: Path,
                 chain: Runnable[dict[str, str], str] | None, embeddings: Embeddings) -> Iterator[Answer]:
    """Stream the answer to ``draft`` (question, language, search query and sources set; no text yet).

    ``asked`` is the question as the model reads it (a follow-up with the question it follows); ``chain`` is the
    LCEL answer chain, or None to answer from the evidence itself (``answer_from`` or the extractive backend).
    Each item is the whole answer so far; the last one is ``complete``, with every sentence checked. The refusal
    rules (``refusal.RULES``) run before and after the model; the question's constraints (``constraints.py``) are
    one of them, and tie the figures of every sentence to what the question asks.
    """
    reason = refusal_reason(Moment.BEFORE_MODEL, draft, asked, settings)
    if reason:
        yield refuse(draft, reason)
        return
    constraints = conversation_constraints(draft.question, asked) if settings.check_constraints else Constraints()
    if chain is None:
        tokens = extractive_answer(asked, draft.sources, settings.extractive_sentences, embeddings, constraints,
                                   draft.language)
    else:
        excerpts = compact_context(asked, draft.sources, settings.context_chars)
        tokens = chain.stream(chain_inputs(asked, excerpts, draft.language, prompts_dir))
    thresholds = SupportThresholds(settings.min_lexical_support, settings.min_semantic_support,
                                   settings.min_translated_support)
    checker = SupportChecker(draft.sources, embeddings, thresholds, draft.language, asked, constraints)
    answer = draft
    for step in checked_stream(tokens, checker):
        answer = replace(draft, text=step.text, checks=step.checks)
        yield answer
    reason = refusal_reason(Moment.AFTER_MODEL, answer, asked, settings)
    yield refuse(answer, reason) if reason else replace(answer, complete=True)
