"""Evaluation over a question set in JSONL (our gold format or PIAF's): retrieval recall@k and MRR@10, and the
answers themselves (correctness, refusals, citations, latency)."""

from __future__ import annotations

import json
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from assistant.french import figures, fold, split_sentences
from assistant.models import Answer, Exchange, cited_numbers
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


@dataclass
class AnswerScores:
    """How the full assistant (retrieval, refusal, model and support check) answered a question set."""

    answerable: int = 0
    correct: int = 0
    wrongly_refused: int = 0
    unanswerable: int = 0
    rightly_refused: int = 0
    refused_before_model: int = 0
    sentences: int = 0  # sentences the model wrote (outside refusals), each checked
    held_as_cited: int = 0  # their citation held as the model wrote it
    recited: int = 0  # cited anew by the check (missing or wrong marker, another source supports them)
    removed: int = 0  # no source supports them: removed from the text shown
    shown_cited: int = 0  # sentences shown to the reader that carry a checked [n]
    shown: int = 0
    by_kind: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))  # correct, asked
    first_token_seconds: list[float] = field(default_factory=list)  # answers written by the model
    total_seconds: list[float] = field(default_factory=list)

    def lines(self) -> list[str]:
        """The report, one figure a line."""
        def share(part: int, whole: int) -> str:
            return f"{part / whole:.3f} ({part}/{whole})" if whole else "n/a"

        def percentile(values: list[float], q: float) -> str:
            ordered = sorted(values)
            return f"{ordered[int(q * (len(ordered) - 1))]:.1f} s" if ordered else "n/a"

        kinds = ", ".join(f"{kind} {c}/{n}" for kind, (c, n) in sorted(self.by_kind.items()))
        rows = [
            ("réponses justes (réponse attendue présente)", share(self.correct, self.answerable)),
            ("  par type de question", kinds),
            ("refus à tort (question qui a une réponse)", share(self.wrongly_refused, self.answerable)),
            ("refus justes (question hors corpus)", share(self.rightly_refused, self.unanswerable)),
            ("refus sans appeler le modèle", str(self.refused_before_model)),
            ("citations tenues telles qu'écrites", share(self.held_as_cited, self.sentences)),
            ("phrases citées à nouveau par la vérification", share(self.recited, self.sentences)),
            ("phrases retirées (aucune source ne les appuie)", share(self.removed, self.sentences)),
            ("phrases affichées portant une citation [n]", share(self.shown_cited, self.shown)),
            ("premier mot p50 / p95 (réponses du modèle)",
             f"{percentile(self.first_token_seconds, 0.5)} / {percentile(self.first_token_seconds, 0.95)}"),
            ("réponse complète p50 / p95",
             f"{percentile(self.total_seconds, 0.5)} / {percentile(self.total_seconds, 0.95)}"),
        ]
        return [f"{label:<48}: {value}" for label, value in rows]

    def add(self, question: dict, answer: Answer) -> None:
        """Count one finished answer to a gold question."""
        if question.get("gold_doc_ids"):
            self.answerable += 1
            correct = contains_expected(answer.text, question.get("answers", [])) and not answer.refused
            self.correct += correct
            self.wrongly_refused += answer.refused
            self.by_kind[question.get("kind", "question")][0] += correct
            self.by_kind[question.get("kind", "question")][1] += 1
        else:
            self.unanswerable += 1
            self.rightly_refused += answer.refused
        self.refused_before_model += answer.refused and not answer.checks
        if answer.refused:
            return
        verdicts = [check.verdict for check in answer.checks]
        self.sentences += len(verdicts)
        self.held_as_cited += verdicts.count("supported")
        self.recited += verdicts.count("recited")
        self.removed += verdicts.count("unsupported")
        shown = split_sentences(answer.text)
        self.shown += len(shown)
        self.shown_cited += sum(bool(cited_numbers(sentence)) for sentence in shown)


def contains_expected(answer: str, expected: list[str]) -> bool:
    """True when one expected answer appears in the text, ignoring case, accents and spaces inside numbers."""
    def normal(text: str) -> str:
        return " ".join(fold(text).replace("\u00a0", " ").replace("\u202f", " ").split())

    text = normal(answer)
    digits = figures(answer)
    for candidate in expected:
        if normal(candidate) in text:
            return True
        wanted = figures(candidate)
        if wanted and wanted <= digits and not fold(candidate).strip("0123456789 ,.$%").strip():
            return True  # a bare figure written with other spacing: « 1505000 » for « 1 505 000 $ »
    return False


def history_of(question: dict) -> list[Exchange]:
    """The earlier turns of a follow-up question (gold key ``history``)."""
    return [Exchange(turn["question"], turn["answer"]) for turn in question.get("history") or []]


def evaluate_answers(assistant: Assistant, questions: list[dict]) -> AnswerScores:
    """Ask every question through the same ``Assistant.stream`` the chat uses, and score the final answers."""
    scores = AnswerScores()
    for question in questions:
        started = time.perf_counter()
        first_token = None
        answer = Answer(question["question"], "")
        for answer in assistant.stream(question["question"], filters_of(question), history_of(question)):
            if first_token is None and answer.text and not answer.complete:
                first_token = time.perf_counter() - started
        scores.total_seconds.append(time.perf_counter() - started)
        if first_token is not None:
            scores.first_token_seconds.append(first_token)
        scores.add(question, answer)
    return scores
