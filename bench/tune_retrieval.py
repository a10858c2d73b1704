"""Sweep the fusion settings over an existing index and print one row per setting (no re-indexing).

Usage: ASSISTANT_INDEX_DIR=/tmp/idx-eval .venv/bin/python bench/tune_retrieval.py eval/gold.jsonl
Chunk size and overlap change the index itself: build one index per chunking (ASSISTANT_CHUNKING__CHUNK_SIZE=…)
and run this script on each.
"""

from __future__ import annotations

import argparse
import itertools
import platform
from pathlib import Path

from assistant.evaluation import evaluate_retrieval, load_questions
from assistant.service import Assistant


def main() -> None:
    """Print recall@1/5/10 and MRR@10 for each combination of mode, weights, RRF constant and candidates."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("questions", type=Path)
    parser.add_argument("--lexical-weights", type=float, nargs="+", default=[0.5, 1.0, 1.5, 2.0, 3.0])
    parser.add_argument("--rrf-k", type=int, nargs="+", default=[10, 60])
    parser.add_argument("--candidates", type=int, nargs="+", default=[30])
    arguments = parser.parse_args()
    assistant = Assistant()
    questions = load_questions(arguments.questions)
    print(f"# {arguments.questions} on {platform.node()} ({platform.processor() or platform.machine()}), "
          f"chunks {assistant.settings.chunking.chunk_size}/{assistant.settings.chunking.chunk_overlap}")
    print("| mode | lexical weight | rrf k | candidates | R@1 | R@5 | R@10 | MRR@10 | ms/search |")
    print("|---|---|---|---|---|---|---|---|---|")
    settings = [("dense", 1.0, 60, arguments.candidates[0]), ("lexical", 1.0, 60, arguments.candidates[0])]
    settings += [("hybrid", w, k, c) for w, k, c in itertools.product(
        arguments.lexical_weights, arguments.rrf_k, arguments.candidates)]
    for mode, weight, rrf_k, candidates in settings:
        retrieval = assistant.settings.retrieval.model_copy(update={
            "mode": mode, "lexical_weight": weight, "rrf_k": rrf_k, "candidates": candidates})
        variant = Assistant(assistant.settings.model_copy(update={"retrieval": retrieval}),
                            embeddings=assistant.embeddings)
        scores, seconds = evaluate_retrieval(variant, questions)
        overall = scores["tout"]
        recalls = " | ".join(f"{overall.hits[k] / overall.questions:.3f}" for k in (1, 5, 10))
        print(f"| {mode} | {weight:g} | {rrf_k} | {candidates} | {recalls} | "
              f"{overall.reciprocal_ranks / overall.questions:.3f} | {seconds * 1000:.0f} |")


if __name__ == "__main__":
    main()
