"""Scoring of the researchers' tabs on a gold file (``eval/research.jsonl``): comparison rows right, refused right
or invented, and excerpt recall@10 per theme. Goes through ``Assistant`` like the chat's own evaluation."""

from __future__ import annotations

import json
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import TextIO

from assistant.evaluation import ALL_LEVELS, cited_right
from assistant.models import ComparisonRow, SearchFilters
from assistant.service import Assistant

RESEARCH_KINDS = ("comparaison", "extraits")
RECALL_DEPTH = 10
# What a row can score: the expected point cited right, a wrong or uncited point, a region with an expected point
# refused, a silent region rightly refused, or a silent region given an answer (an invented row).
RIGHT, WRONG, MISSED, REFUSED_RIGHT, INVENTED = "juste", "fausse", "refus à tort", "refus juste", "inventée"


def is_research_set(questions: list[dict]) -> bool:
    """Whether a gold file holds comparison questions or themes rather than chat questions."""
    return any(question.get("kind") in RESEARCH_KINDS for question in questions)


def row_verdict(expected: list[str], row: ComparisonRow) -> str:
    """How one row scores against the expected point of its region (empty: the corpus says nothing there)."""
    if not expected:
        return REFUSED_RIGHT if row.nothing else INVENTED
    if row.nothing:
        return MISSED
    passages = {source.number: source.passage.text for source in row.answer.sources}
    return RIGHT if cited_right(row.answer.text, passages, expected) else WRONG


@dataclass
class ResearchScores:
    """Rows by verdict, row latency, and recall@10 and latency per theme."""

    rows: Counter[str] = field(default_factory=Counter)
    comparison_seconds: list[float] = field(default_factory=list)
    recalls: dict[str, float] = field(default_factory=dict)
    excerpt_seconds: list[float] = field(default_factory=list)

    def lines(self) -> list[str]:
        """The report, one figure a line."""
        total = sum(self.rows.values())
        lines = []
        if total:
            right = self.rows[RIGHT] + self.rows[REFUSED_RIGHT]
            lines.append(f"lignes justes (point attendu cité, ou rien là où le corpus est muet) : "
                         f"{right / total:.3f} ({right}/{total})")
            lines += [f"  {verdict:<14}: {self.rows[verdict]}" for verdict in (RIGHT, REFUSED_RIGHT, WRONG, MISSED,
                                                                               INVENTED)]
            lines.append(f"comparaison complète p50 / p95 : {percentile(self.comparison_seconds, 0.5)} / "
                         f"{percentile(self.comparison_seconds, 0.95)} (n={len(self.comparison_seconds)})")
        if self.recalls:
            mean = sum(self.recalls.values()) / len(self.recalls)
            lines.append(f"extraits : rappel@{RECALL_DEPTH} moyen {mean:.3f} sur {len(self.recalls)} thèmes")
            lines += [f"  {qid:<6} {recall:.3f}" for qid, recall in self.recalls.items()]
            lines.append(f"extraits p50 / p95 : {percentile(self.excerpt_seconds, 0.5)} / "
                         f"{percentile(self.excerpt_seconds, 0.95)}")
        return lines


def percentile(values: list[float], q: float) -> str:
    """The q-quantile of the values (nearest rank), in seconds."""
    ordered = sorted(values)
    return f"{ordered[int(q * (len(ordered) - 1))]:.2f} s" if ordered else "n/a"


def evaluate_research(assistant: Assistant, questions: list[dict], record: TextIO | None = None) -> ResearchScores:
    """Compare every comparison question over its regions and gather every theme, every level allowed; with
    ``record``, write each scored row and theme as one JSON line."""
    scores = ResearchScores()
    for question in questions:
        if question.get("kind") == "comparaison":
            expected = question["regions"]
            started = time.perf_counter()
            for row in assistant.compare(question["question"], tuple(expected), ALL_LEVELS):
                outcome = row_verdict(expected[row.region], row)
                scores.rows[outcome] += 1
                write(record, {"qid": question["qid"], "region": row.region, "expected": expected[row.region],
                               "answer": row.text, "verdict": outcome,
                               "cited": [{"doc": s.passage.info.doc_id, "page": s.passage.page,
                                          "regions": list(s.passage.info.regions)}
                                         for s in ([] if row.nothing else row.answer.cited_sources)]})
            scores.comparison_seconds.append(time.perf_counter() - started)
        elif question.get("kind") == "extraits":
            wanted = (question.get("filters") or {}).get("doc_type")
            filters = SearchFilters(ALL_LEVELS.confidentiality, doc_types=(wanted,) if wanted else ())
            started = time.perf_counter()
            result = assistant.excerpts(question["theme"], filters)
            scores.excerpt_seconds.append(time.perf_counter() - started)
            found = {(e.passage.info.doc_id, e.passage.page) for e in result.excerpts[:RECALL_DEPTH]}
            gold = {(place["doc"], place.get("page")) for place in question["gold"]}
            scores.recalls[question["qid"]] = len(gold & found) / len(gold)
            write(record, {"qid": question["qid"], "theme": question["theme"],
                           "missed": sorted(doc for doc, _ in gold - found),
                           "first": [f"{e.passage.info.doc_id}:{e.passage.page}"
                                     for e in result.excerpts[:RECALL_DEPTH]]})
    return scores


def write(record: TextIO | None, line: dict) -> None:
    """One JSON line to the record file, if there is one."""
    if record is not None:
        record.write(json.dumps(line, ensure_ascii=False) + "\n")
        record.flush()
