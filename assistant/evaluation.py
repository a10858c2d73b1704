"""Retrieval evaluation over a question set in JSONL (our gold format or PIAF's): recall@k and MRR@10."""

from __future__ import annotations

import json
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from assistant.retrieve.retriever import SearchFilters
from assistant.service import Assistant

CUTOFFS = (1, 5, 10)
ALL_LEVELS = SearchFilters(confidentiality=("public", "interne", "confidentiel"))


@dataclass
class RetrievalScores:
    """Document-level recall at each cutoff and MRR@10, over the answerable questions of one group."""

    questions: int = 0
    hits: dict[int, int] = field(default_factory=lambda: dict.fromkeys(CUTOFFS, 0))
    reciprocal_ranks: float = 0.0

    def add(self, ranked_documents: list[str], gold: set[str]) -> None:
        """Count one question: a hit at k when any gold document is among the first k distinct documents."""
        self.questions += 1
        first = next((rank for rank, doc in enumerate(ranked_documents, start=1) if doc in gold), None)
        for cutoff in CUTOFFS:
            self.hits[cutoff] += first is not None and first <= cutoff
        self.reciprocal_ranks += 1 / first if first is not None and first <= 10 else 0.0

    def row(self) -> str:
        """One line of the report."""
        recalls = "  ".join(f"R@{k} {self.hits[k] / self.questions:.3f}" for k in CUTOFFS)
        return f"{recalls}  MRR@10 {self.reciprocal_ranks / self.questions:.3f}  (n={self.questions})"


def load_questions(path: Path) -> list[dict]:
    """Questions of a JSONL file; those with no gold document (out of corpus) are kept for later answer checks."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def filters_of(question: dict) -> SearchFilters:
    """The filters a user would have set for this question (gold key ``filters``), every level allowed."""
    wanted = question.get("filters") or {}
    year = wanted.get("year")
    return SearchFilters(
        confidentiality=ALL_LEVELS.confidentiality,
        doc_types=(wanted["doc_type"],) if wanted.get("doc_type") else (),
        regions=(wanted["region"],) if wanted.get("region") else (),
        year_from=wanted.get("year_from", year),
        year_to=wanted.get("year_to", year),
    )


def evaluate_retrieval(assistant: Assistant, questions: list[dict]) -> tuple[dict[str, RetrievalScores], float]:
    """Scores overall and per question kind, and the mean seconds per search."""
    scores: dict[str, RetrievalScores] = defaultdict(RetrievalScores)
    depth = max(CUTOFFS)
    assistant.settings.retrieval.top_k = max(assistant.settings.retrieval.top_k, 3 * depth)
    elapsed, searched = 0.0, 0
    for question in questions:
        gold = set(question.get("gold_doc_ids") or [])
        if not gold:
            continue
        # Follow-ups are searched as typed: the chat does not rewrite them with the history yet.
        started = time.perf_counter()
        sources = assistant.search(question["question"], filters_of(question))
        elapsed += time.perf_counter() - started
        searched += 1
        ranked = list(dict.fromkeys(s.passage.info.doc_id for s in sources))[:depth]
        for group in ("tout", question.get("kind", "question")):
            scores[group].add(ranked, gold)
    return dict(scores), elapsed / max(searched, 1)
