"""Time to the first word of the answer, with the chat model of the settings (the local GGUF model by default).

Usage: ASSISTANT_INDEX_DIR=/tmp/idx-answers .venv/bin/python bench/answer_latency.py eval/gold.jsonl [--limit N]
The index must exist (`assistant index`). Models are loaded (and the local model reads its system prompt) before
timing starts. Each question goes through `Assistant.stream` exactly as in the chat (follow-ups with their history,
the gold filters), and the stream is closed at the first word: only the time to it is measured. Questions refused
before the model (nothing close enough found) are timed apart.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time
from pathlib import Path

from assistant.evaluation import filters_of, history_of, load_questions
from assistant.service import Assistant


def percentile(values: list[float], share: float) -> float:
    """The value below which ``share`` of the sorted values fall (nearest rank)."""
    ordered = sorted(values)
    return ordered[int(share * (len(ordered) - 1))]


def main() -> None:
    """Time every question's first word and print p50/p95/max."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("questions", type=Path)
    parser.add_argument("--limit", type=int, default=None, help="only the first N questions")
    arguments = parser.parse_args()
    questions = load_questions(arguments.questions)[:arguments.limit]
    assistant = Assistant()
    started = time.perf_counter()
    assistant.load_models()
    assistant.search(questions[0]["question"])  # loads the BM25 index
    llm = assistant.settings.llm
    print(f"# {platform.node()}: {os.cpu_count()} CPU, load average {os.getloadavg()[0]:.1f}, Python "
          f"{platform.python_version()}; backend {llm.backend}, {llm.threads} threads, context "
          f"{llm.context_chars} characters; models loaded in {time.perf_counter() - started:.1f} s")
    first_words, refusals = [], []
    for question in questions:
        started = time.perf_counter()
        stream = assistant.stream(question["question"], filters_of(question), history_of(question))
        for answer in stream:
            if answer.complete:  # refused before the model: the whole answer at once
                refusals.append(time.perf_counter() - started)
                break
            if answer.text:
                first_words.append(time.perf_counter() - started)
                break
        stream.close()
    print(f"{len(questions)} questions: {len(first_words)} answered by the model, {len(refusals)} refused before it")
    if first_words:
        print(f"first word: p50 {statistics.median(first_words):.2f} s, p95 {percentile(first_words, 0.95):.2f} s, "
              f"max {max(first_words):.2f} s")
    if refusals:
        print(f"refusal without the model: p50 {statistics.median(refusals):.2f} s, max {max(refusals):.2f} s")
    print(f"reproduce: ASSISTANT_INDEX_DIR={assistant.settings.index_dir} .venv/bin/python bench/answer_latency.py "
          f"{arguments.questions}" + (f" --limit {arguments.limit}" if arguments.limit else ""))


if __name__ == "__main__":
    main()
