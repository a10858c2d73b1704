"""How many of a question's content words its gold passages share: the check that paraphrase questions are paraphrases.

Usage: PYTHONPATH=. .venv/bin/python eval/overlap.py eval/gold-2.jsonl [--each]
       PYTHONPATH=. .venv/bin/python eval/overlap.py eval/piaf-paraphrase.jsonl \
           --corpus ../shared/eval/piaf-dev/corpus.jsonl

For every answerable question, the overlap is the share of the question's content stems (French stemming of the
assistant's lexical check) found among the stems of its gold passages, synthèse points included. It prints the mean
per kind, then the mean of the questions marked ``"paraphrase": true`` against the other answerable questions
(English questions left out of that comparison: French stemming of English words says nothing); ``--each`` also
prints one line per question. Question sets in the PIAF format (no ``gold`` passages, no ``answerable`` or ``kind``)
take the text of their ``gold_doc_ids`` from the corpus JSONL given with ``--corpus``.
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from pathlib import Path
from statistics import mean

from assistant.french import content_stems


def passages_of(question: dict, corpus: dict[str, str] | None = None) -> list[str]:
    """Every gold passage of a question, those of its synthèse points included; for a PIAF-format question, the
    corpus text of its gold documents."""
    golds = list(question.get("gold", []))
    for point in question.get("points", []):
        golds.extend(point["gold"])
    if not golds and corpus:
        return [corpus[doc_id] for doc_id in question.get("gold_doc_ids", []) if doc_id in corpus]
    return [gold["passage"] for gold in golds]


def overlap(question: dict, corpus: dict[str, str] | None = None) -> float:
    """Share of the question's content stems that its gold passages contain (0 to 1)."""
    asked = content_stems(question["question"])
    if not asked:
        return 0.0
    found = set().union(*(content_stems(passage) for passage in passages_of(question, corpus)))
    return len(asked & found) / len(asked)


def report(questions: list[dict], each: bool = False, corpus: dict[str, str] | None = None) -> list[str]:
    """Lines to print: optionally one per question, then the means per kind and for paraphrases against the rest."""
    lines, by_kind = [], defaultdict(list)
    paraphrased, others = [], []
    for question in questions:
        if not question.get("answerable", bool(question.get("gold_doc_ids"))):
            continue
        share = overlap(question, corpus)
        kind = question.get("kind", "question")
        by_kind[kind].append(share)
        if question.get("paraphrase"):
            paraphrased.append(share)
        elif kind != "anglais":
            others.append(share)
        if each:
            flag = "paraphrase" if question.get("paraphrase") else ""
            lines.append(f"{question['qid']}\t{kind}\t{share:.2f}\t{flag}\t{question['question']}")
    for kind, shares in sorted(by_kind.items()):
        lines.append(f"{kind:<16} {mean(shares):.2f}  ({len(shares)} questions)")
    if paraphrased and others:
        lines.append(f"{'paraphrase':<16} {mean(paraphrased):.2f}  ({len(paraphrased)} questions)")
        lines.append(f"{'autres (FR)':<16} {mean(others):.2f}  ({len(others)} questions)")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("questions", type=Path, help="a JSONL question set (eval/gold.jsonl, eval/gold-2.jsonl)")
    parser.add_argument("--each", action="store_true", help="also print the overlap of every question")
    parser.add_argument("--corpus", type=Path, help="a JSONL corpus ({doc_id, text} a line) for PIAF-format sets")
    args = parser.parse_args()
    questions = [json.loads(line) for line in args.questions.read_text(encoding="utf-8").splitlines() if line.strip()]
    corpus = None
    if args.corpus:
        rows = [json.loads(line) for line in args.corpus.read_text(encoding="utf-8").splitlines() if line.strip()]
        corpus = {row["doc_id"]: row["text"] for row in rows}
    print("\n".join(report(questions, each=args.each, corpus=corpus)))


if __name__ == "__main__":
    main()
