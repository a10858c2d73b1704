"""Answer latency with the chat model of the settings (the local GGUF model by default): time to the first word,
generation speed in tokens a second, the complete answer, and the serving process's memory.

Usage: ASSISTANT_INDEX_DIR=/tmp/idx-answers .venv/bin/python bench/answer_latency.py eval/gold.jsonl [--limit N]
           [--first-word-only]
The index must exist (`assistant index`). Models are loaded (and the local model reads its system prompt) before
timing starts. Each question goes through `Assistant.stream` exactly as in the chat (follow-ups with their history,
the gold filters). Tokens a second come from llama.cpp's own counters (local backend): prompt reading and generation,
each over its own time, so the sentence checks that run between streamed sentences do not count.
``--first-word-only`` closes each stream at the first word, as the earlier runs did. Questions refused before the model (nothing close enough found)
are timed apart. The peak memory is this process's, which holds what the web chat's process holds (embedder, chat
model with its prompt cache, BM25, Chroma) after answering.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import time
from pathlib import Path
from typing import Any

import llama_cpp

from assistant.evaluation import filters_of, history_of, load_questions
from assistant.service import Assistant
from retrieval_latency import percentile


class LlamaCounters:
    """llama.cpp's own counters for one answer: prompt tokens read and tokens generated, and the time of each."""

    def __init__(self, chat_model: Any) -> None:
        client = getattr(chat_model, "client", None)
        self._context = client.ctx if isinstance(client, llama_cpp.Llama) else None

    def reset(self) -> None:
        if self._context is not None:
            llama_cpp.llama_perf_context_reset(self._context)

    def speeds(self) -> tuple[float, float] | None:
        """Prompt reading and generation, in tokens a second, since the last reset; None for another backend."""
        if self._context is None:
            return None
        perf = llama_cpp.llama_perf_context(self._context)
        if perf.n_eval < 2 or perf.t_eval_ms <= 0:
            return None
        reading = perf.n_p_eval / perf.t_p_eval_ms * 1000 if perf.t_p_eval_ms > 0 else 0.0
        return reading, perf.n_eval / perf.t_eval_ms * 1000


def main() -> None:
    """Answer every question, then print first word, tokens a second and complete answer p50/p95, and memory."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("questions", type=Path)
    parser.add_argument("--limit", type=int, default=None, help="only the first N questions")
    parser.add_argument("--first-word-only", action="store_true", help="close each stream at the first word")
    arguments = parser.parse_args()
    questions = load_questions(arguments.questions)[:arguments.limit]
    assistant = Assistant()
    started = time.perf_counter()
    assistant.load_models()
    assistant.search(questions[0]["question"])  # loads the BM25 index
    llm = assistant.settings.llm
    made_by = llm.answer_from if assistant.answer_chain else "evidence"
    print(f"# {platform.node()}: {os.cpu_count()} CPU, load average {os.getloadavg()[0]:.1f}, Python "
          f"{platform.python_version()}; backend {llm.backend}, answers from {made_by}, {llm.threads} threads, context "
          f"{llm.context_chars} characters; models loaded in {time.perf_counter() - started:.1f} s")
    first_words, completes, reading, generation, refusals = [], [], [], [], []
    counters = LlamaCounters(assistant.chat_model if assistant.answer_chain else None)
    for question in questions:
        counters.reset()
        started = time.perf_counter()
        stream = assistant.stream(question["question"], filters_of(question), history_of(question))
        first_word = None
        for answer in stream:
            if answer.complete and first_word is None:  # refused before the model: the whole answer at once
                refusals.append(time.perf_counter() - started)
                break
            if answer.text and first_word is None:
                first_word = time.perf_counter() - started
                first_words.append(first_word)
                if arguments.first_word_only:
                    break
            if answer.complete:
                completes.append(time.perf_counter() - started)
        stream.close()
        speeds = counters.speeds()
        if speeds and not arguments.first_word_only:
            reading.append(speeds[0])
            generation.append(speeds[1])
    print(f"{len(questions)} questions: {len(first_words)} answered (streamed), {len(refusals)} refused before "
          f"answering; load average now {os.getloadavg()[0]:.1f}")
    for label, values, unit in (("first word", first_words, "s"), ("complete answer", completes, "s"),
                                ("prompt reading, tokens a second", reading, ""),
                                ("generation, tokens a second", generation, "")):
        if values:
            print(f"{label}: p50 {statistics.median(values):.2f}{unit}, p95 {percentile(values, 0.95):.2f}{unit}, "
                  f"min {min(values):.2f}{unit}, max {max(values):.2f}{unit}")
    if refusals:
        print(f"refusal without the model: p50 {statistics.median(refusals):.2f} s, max {max(refusals):.2f} s")
    print(f"peak memory of this process (embedder, chat model, BM25, Chroma): "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    print(f"reproduce: ASSISTANT_INDEX_DIR={assistant.settings.index_dir} .venv/bin/python bench/answer_latency.py "
          f"{arguments.questions}" + (f" --limit {arguments.limit}" if arguments.limit else "")
          + (" --first-word-only" if arguments.first_word_only else ""))


if __name__ == "__main__":
    main()
