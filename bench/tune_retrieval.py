"""Sweep the fusion settings over an existing index and print one row per setting and question set (no re-indexing).

Usage: ASSISTANT_INDEX_DIR=/tmp/idx-eval .venv/bin/python bench/tune_retrieval.py eval/gold.jsonl
       ASSISTANT_CORPUS_DIR=/tmp/piaf ASSISTANT_INDEX_DIR=/tmp/idx-piaf .venv/bin/python bench/tune_retrieval.py \\
           ../shared/eval/piaf-dev/queries.jsonl eval/piaf-paraphrase.jsonl --halves --match-powers 0 1 2
Several question files over the same index are scored side by side; ``--halves`` also scores the odd-numbered
questions (1st, 3rd…, to tune on) and the even-numbered ones (held out) of each file apart. Each question is
encoded once (the vectors are kept between settings), so a row costs the two searches and the fusion.
Chunk size and overlap change the index itself: build one index per chunking (ASSISTANT_CHUNKING__CHUNK_SIZE=…)
and run this script on each.
"""

from __future__ import annotations

import argparse
import itertools
import os
import platform
from pathlib import Path

from langchain_core.embeddings import Embeddings

from assistant.evaluation import evaluate_retrieval, load_questions
from assistant.service import Assistant


class RememberedQueries(Embeddings):
    """The index's embedder, with each question's vector computed once for the whole sweep."""

    def __init__(self, embeddings: Embeddings) -> None:
        self._embeddings = embeddings
        self._vectors: dict[str, list[float]] = {}

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self._embeddings.embed_documents(texts)

    def embed_query(self, text: str) -> list[float]:
        if text not in self._vectors:
            self._vectors[text] = self._embeddings.embed_query(text)
        return self._vectors[text]


def question_sets(paths: list[Path], halves: bool) -> list[tuple[str, list[dict]]]:
    """Each file's questions, its paraphrase questions apart when it mixes both sorts (gold-2), and with ``halves``
    its odd-numbered (tuning) and even-numbered (held-out) halves."""
    sets = []
    for path in paths:
        questions = load_questions(path)
        sets.append((path.stem, questions))
        paraphrases = [question for question in questions if question.get("paraphrase")]
        if paraphrases and len(paraphrases) < len(questions):
            sets.append((f"{path.stem} (paraphrase)", paraphrases))
        if halves:
            sets += [(f"{path.stem} (odd: tuning)", questions[0::2]), (f"{path.stem} (even: held out)", questions[1::2])]
    return sets


def main() -> None:
    """Print recall@1/5/10 and MRR@10 for each set and each combination of mode, weights, RRF constant,
    candidates and BM25 weight adaptation."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("questions", type=Path, nargs="+")
    parser.add_argument("--lexical-weights", type=float, nargs="+", default=[0.5, 1.0, 1.5, 2.0, 3.0])
    parser.add_argument("--rrf-k", type=int, nargs="+", default=[10, 60])
    parser.add_argument("--candidates", type=int, nargs="+", default=[30])
    parser.add_argument("--match-powers", type=float, nargs="+", default=[0.0],
                        help="lexical_match_power values (0: the same BM25 weight for every question)")
    parser.add_argument("--halves", action="store_true", help="also score odd- and even-numbered questions apart")
    arguments = parser.parse_args()
    base = Assistant()
    embeddings = RememberedQueries(base.embeddings)
    sets = question_sets(arguments.questions, arguments.halves)
    print(f"# {', '.join(map(str, arguments.questions))} on {platform.node()} "
          f"({platform.processor() or platform.machine()}), chunks {base.settings.chunking.chunk_size}/"
          f"{base.settings.chunking.chunk_overlap}, load average {os.getloadavg()[0]:.1f}")
    print("(*: question vectors computed once per question and kept: the column is BM25, Chroma and the fusion)\n")
    print("| set | mode | lexical weight | match power | rrf k | candidates | R@1 | R@5 | R@10 | MRR@10 | ms/search* |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    rows = [("dense", 1.0, 0.0, 60, arguments.candidates[0]), ("lexical", 1.0, 0.0, 60, arguments.candidates[0])]
    rows += [("hybrid", w, p, k, c) for w, p, k, c in itertools.product(
        arguments.lexical_weights, arguments.match_powers, arguments.rrf_k, arguments.candidates)]
    for mode, weight, power, rrf_k, candidates in rows:
        retrieval = base.settings.retrieval.model_copy(update={
            "mode": mode, "lexical_weight": weight, "lexical_match_power": power, "rrf_k": rrf_k,
            "candidates": candidates})
        variant = Assistant(base.settings.model_copy(update={"retrieval": retrieval}), embeddings=embeddings)
        for name, questions in sets:
            scores, seconds = evaluate_retrieval(variant, questions)
            overall = scores["tout"]
            recalls = " | ".join(f"{overall.hits[k] / overall.questions:.3f}" for k in (1, 5, 10))
            print(f"| {name} | {mode} | {weight:g} | {power:g} | {rrf_k} | {candidates} | {recalls} | "
                  f"{overall.reciprocal_ranks / overall.questions:.3f} | {seconds * 1000:.0f} |", flush=True)


if __name__ == "__main__":
    main()
