"""The answer made from the evidence, for tests that give the passages themselves."""

from __future__ import annotations

from assistant.answer.constraints import conversation_constraints, with_sources
from assistant.answer.extractive import extractive_answer
from assistant.models import DocumentInfo, Passage, Source


def evidence_answer(question: str, passages: list[Passage], min_relevance: float = 0.3) -> str:
    """The answer to ``question`` made from these passages (numbered from 1, in order), its constraints read against
    them as the chat reads them, three units at most."""
    sources = [Source(number, passage) for number, passage in enumerate(passages, start=1)]
    constraints = with_sources(conversation_constraints(question, question), sources)
    return "".join(extractive_answer(question, sources, 3, min_relevance, constraints=constraints))


def interview(path: str, title: str, region: str) -> DocumentInfo:
    """An interview's notes of 2014, in one region."""
    return DocumentInfo(path, title, doc_type="entretien", regions=(region,), date="2014")
