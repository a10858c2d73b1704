"""Retrieval latency without the LLM: p50/p95/max milliseconds per question over a question set.

Usage: ASSISTANT_INDEX_DIR=/tmp/idx-eval .venv/bin/python bench/retrieval_latency.py eval/gold.jsonl [--repeat 3]
The index must exist (`assistant index`). Models are loaded and one search is made before timing starts.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time
from pathlib import Path

from assistant.evaluation import filters_of, load_questions
from assistant.service import Assistant


def main() -> None:
    """Time every question's search, several rounds, and print the distribution per mode."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("questions", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--modes", nargs="+", default=["hybrid", "dense", "lexical"])
    arguments = parser.parse_args()
    assistant = Assistant()
    questions = [q for q in load_questions(arguments.questions) if q.get("question")]
    passages = assistant.store.count()
    print(f"# {platform.node()}: {os.cpu_count()} CPU, Python {platform.python_version()}; "
          f"{passages} passages; {len(questions)} questions x {arguments.repeat}")
    assistant.search(questions[0]["question"])  # loads the embedder and the BM25 index
    print("| mode | p50 ms | p95 ms | max ms |")
    print("|---|---|---|---|")
    for mode in arguments.modes:
        assistant.settings.retrieval.mode = mode
        timings = []
        for _ in range(arguments.repeat):
            for question in questions:
                started = time.perf_counter()
                assistant.search(question["question"], filters_of(question))
                timings.append((time.perf_counter() - started) * 1000)
        timings.sort()
        p95 = timings[int(0.95 * (len(timings) - 1))]
        print(f"| {mode} | {statistics.median(timings):.1f} | {p95:.1f} | {timings[-1]:.1f} |")


if __name__ == "__main__":
    main()
