"""From retrieved sources to a checked answer: refuse early, compact the context, write, check every sentence."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Protocol

from langchain_core.embeddings import Embeddings

from assistant.answer.bridge import bridged_constraints
from assistant.answer.chain import chain_inputs
from assistant.answer.citations import renumber_citations
from assistant.answer.constraints import Constraints, conversation_constraints, with_sources
from assistant.answer.context import compact_context
from assistant.answer.extractive import extractive_answer
from assistant.answer.refusal import Moment, refusal_reason, refuse
from assistant.answer.verification import SupportChecker, SupportThresholds, checked_stream
from assistant.models import Answer
from assistant.settings import LLMSettings


class AnswerChain(Protocol):
    """What writes the answer's text: the LCEL answer chain, or a recorded answer."""

    def stream(self, inputs: dict[str, str]) -> Iterator[str]:
        """The answer's text, piece by piece, for the chain's inputs (context, question, language)."""
        ...


class RecordedText:
    """An answer a model wrote earlier, streamed word by word in place of the answer chain (calibration)."""

    def __init__(self, text: str) -> None:
        self.text = text

    def stream(self, _: dict[str, str]) -> Iterator[str]:
        """The recorded text, a word at a time."""
        words = self.text.split(" ")
        yield from (word if i == 0 else f" {word}" for i, word in enumerate(words))


def write_answer(draft: Answer, model_question: str, settings: LLMSettings, prompts_dir: Path,
                 chain: AnswerChain | None, embeddings: Embeddings,
                 said: tuple[str, str] = ("", "")) -> Iterator[Answer]:
    """Stream the answer to ``draft`` (question, language, search query and sources set; no text yet).

    ``model_question`` is the question as the model reads it (a follow-up with the question it follows); ``chain``
    writes the text (the LCEL answer chain, or a recorded answer), or None to answer from the evidence itself
    (``answer_from`` or the extractive backend); ``said`` is the previous turn a follow-up leans on (its question
    and answer), whose figures and names the answer does not repeat. Each item is the whole answer so far; the last
    one is ``complete``, with every sentence checked; its sources are numbered in the order the text cites them
    (``renumber_citations``). The refusal rules (``refusal.RULES``) run before and after the model; the question's
    constraints (``constraints.py``) are one of them, and tie the figures of every sentence to what the question
    asks.
    """
    reason = refusal_reason(Moment.BEFORE_MODEL, draft, model_question, settings)
    if reason:
        yield refuse(draft, reason)
        return
    constraints = (bridged_constraints(draft.question, with_sources(conversation_constraints(
        draft.question, model_question), draft.sources), draft.sources, settings.extractive_min_relevance)
        if settings.check_constraints else Constraints())
    if chain is None:
        # A follow-up read after the question it follows has its units ranked against what found its passages
        # (the previous turn and the follow-up) and against its own words; one made standalone (an elliptical
        # follow-up with its slot swapped, a model's rewriting) is ranked as any question.
        leans = model_question != draft.question and model_question.endswith(draft.question)
        follow_up = draft.question if leans else ""
        tokens = extractive_answer(draft.search_query if follow_up else model_question, draft.sources,
                                   settings.extractive_sentences,
                                   settings.extractive_min_relevance, embeddings, constraints, draft.language,
                                   follow_up, said)
    else:
        excerpts = compact_context(model_question, draft.sources, settings.context_chars)
        tokens = chain.stream(chain_inputs(model_question, excerpts, draft.language, prompts_dir))
    thresholds = SupportThresholds(settings.min_lexical_support, settings.min_semantic_support,
                                   settings.min_translated_support)
    checker = SupportChecker(draft.sources, embeddings, thresholds, draft.language, model_question, constraints)
    written: list[str] = []
    answer = draft
    for step in checked_stream(_kept(tokens, written), checker):
        answer = replace(draft, text=step.text, checks=step.checks, model_text="".join(written))
        yield renumber_citations(answer)
    reason = refusal_reason(Moment.AFTER_MODEL, answer, model_question, settings)
    yield renumber_citations(refuse(answer, reason) if reason else replace(answer, complete=True))


def _kept(tokens: Iterator[str], written: list[str]) -> Iterator[str]:
    """The tokens, each also kept in ``written`` (the model's text as written, before the checks)."""
    for token in tokens:
        written.append(token)
        yield token
