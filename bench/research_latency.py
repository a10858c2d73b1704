"""Latency of the researchers' tabs: a six-row comparison, complete (every row answered and checked), with answers
made from the evidence, by the extractive backend and by the local model; and the Extraits search of a theme.

One command (the index of the sample corpus must exist: `assistant index`):
    ASSISTANT_INDEX_DIR=index .venv/bin/python bench/research_latency.py
Options: --modes extractive evidence model (default: all three), --questions N (comparison questions of the gold
for the model mode, default 4; the other modes take all 12), --runs N (Extraits searches per theme, default 5).
Questions and themes come from eval/research.jsonl; the six regions are those the research report studied. Models
are loaded before timing (one untimed row per mode). Each figure is printed with the load average before and after
its run: on a shared machine the wall time is partly the scheduler's, so the CPU time of this process is printed
beside it.
"""

from __future__ import annotations

import argparse
import os
import platform
import time
from pathlib import Path

from assistant.evaluation import ALL_LEVELS, load_questions
from assistant.service import Assistant
from retrieval_latency import percentile

GOLD = Path(__file__).resolve().parent.parent / "eval" / "research.jsonl"
SIX_REGIONS = ("Bas-Saint-Laurent", "Centre-du-Québec", "Côte-Nord", "Lanaudière", "Laurentides", "Mauricie")
TARGETS = {"extractive": 5.0, "evidence": 5.0, "model": 45.0, "extraits": 2.0}


def load() -> str:
    """The 1-minute load average."""
    return f"{os.getloadavg()[0]:.1f}"


def timed(run) -> tuple[float, float]:  # noqa: ANN001 - any callable
    """Wall and CPU seconds of one call."""
    wall, cpu = time.perf_counter(), time.process_time()
    run()
    return time.perf_counter() - wall, time.process_time() - cpu


def report(label: str, walls: list[float], cpus: list[float], before: str, target: float) -> None:
    """One line: p50 / p95 wall and CPU, the target, the load average before and after."""
    p95 = percentile(walls, 0.95)
    print(f"{label:<34} wall p50 {percentile(walls, 0.5):6.2f} s  p95 {p95:6.2f} s   CPU p50 "
          f"{percentile(cpus, 0.5):6.2f} s  p95 {percentile(cpus, 0.95):6.2f} s   (n={len(walls)}; target p95 < "
          f"{target:g} s: {'reached' if p95 < target else 'not reached'}; load {before} → {load()})")


def main() -> None:
    """Time every mode asked for, then the Extraits searches."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--modes", nargs="+", choices=["extractive", "evidence", "model"],
                        default=["extractive", "evidence", "model"])
    parser.add_argument("--questions", type=int, default=4, help="comparison questions for the model mode")
    parser.add_argument("--runs", type=int, default=5, help="Extraits searches per theme")
    arguments = parser.parse_args()
    gold = load_questions(GOLD)
    questions = [q["question"] for q in gold if q["kind"] == "comparaison"]
    themes = [q["theme"] for q in gold if q["kind"] == "extraits"]
    assistant = Assistant()
    print(f"# {platform.node()}: {os.cpu_count()} CPU, Python {platform.python_version()}, index "
          f"{assistant.settings.index_dir}, load average {load()}")
    llm = assistant.settings.llm
    settings = {"extractive": llm.model_copy(update={"backend": "extractive"}),
                "evidence": llm.model_copy(update={"answer_from": "evidence"}),
                "model": llm.model_copy(update={"answer_from": "model"})}
    assistant.embeddings.embed_query("échauffement")
    for mode in arguments.modes:
        # One row, untimed, loads what the mode needs (the local model reads its system prompt once).
        list(assistant.compare(questions[0], SIX_REGIONS[:1], ALL_LEVELS, answer_settings=settings[mode]))
        asked = questions[:arguments.questions] if mode == "model" else questions
        before = load()
        walls, cpus = [], []
        for question in asked:
            wall, cpu = timed(lambda q=question: list(assistant.compare(q, SIX_REGIONS, ALL_LEVELS,
                                                                        answer_settings=settings[mode])))
            walls.append(wall)
            cpus.append(cpu)
        report(f"comparison, six rows, {mode}", walls, cpus, before, TARGETS[mode])
    before = load()
    walls, cpus = [], []
    for _ in range(arguments.runs):
        for theme in themes:
            wall, cpu = timed(lambda t=theme: assistant.excerpts(t, ALL_LEVELS))
            walls.append(wall)
            cpus.append(cpu)
    report("Extraits, one theme", walls, cpus, before, TARGETS["extraits"])


if __name__ == "__main__":
    main()
