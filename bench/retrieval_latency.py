"""Retrieval latency without the LLM: p50/p95/max milliseconds per question over a question set.

Usage: ASSISTANT_INDEX_DIR=/tmp/idx-eval .venv/bin/python bench/retrieval_latency.py eval/gold.jsonl [--repeat 3]
The index must exist (`assistant index`). Models are loaded and one search is made before timing starts.
"""

from __future__ import annotations

import argparse
import os
import platform
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
    print(f"# load average before: {os.getloadavg()[0]:.2f} (wall time suffers when other work shares the cores; "
          "CPU time, summed over the process's threads, much less)")
    print("| mode | p50 ms | p95 ms | max ms | CPU p50 ms | CPU p95 ms |")
    print("|---|---|---|---|---|---|")
    for mode in arguments.modes:
        wall, cpu = [], []
        for _ in range(arguments.repeat):
            for question in questions:
                started, started_cpu = time.perf_counter(), time.process_time()
                assistant.search(question["question"], filters_of(question), mode=mode)
                wall.append((time.perf_counter() - started) * 1000)
                cpu.append((time.process_time() - started_cpu) * 1000)
        print(f"| {mode} | {percentile(wall, 0.5):.1f} | {percentile(wall, 0.95):.1f} | {max(wall):.1f} | "
              f"{percentile(cpu, 0.5):.1f} | {percentile(cpu, 0.95):.1f} |")
    print(f"# load average after: {os.getloadavg()[0]:.2f}")


def percentile(values: list[float], share: float) -> float:
    """The value below which ``share`` of the values fall (nearest rank)."""
    ordered = sorted(values)
    return ordered[int(share * (len(ordered) - 1))]


if __name__ == "__main__":
    main()
