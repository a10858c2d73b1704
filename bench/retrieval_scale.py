"""How retrieval and the index grow with the corpus: hybrid search latency (no LLM), build time, memory and disk at
several sizes of a synthetic corpus, with Chroma embedded in the process and with a Chroma server.

Usage: .venv/bin/python bench/retrieval_scale.py [--sizes 1000 10000 100000] [--modes embedded server]
           [--vectors reused|e5] [--work-dir /tmp/bench-scale] [--questions 100] [--repeat 2]
Corpora come from bench/synthetic_corpus.py (20 passages a document on average) and are kept in the work folder with
their indexes, so a second invocation only searches. Each build and each search series runs in a child process, so
each peak memory is its own; in server mode the parent runs `chroma run` for both and reports its memory apart.
``--vectors e5`` embeds every passage with the default embedder (about 3 passages a second on 2 shared cores: hours
at 100,000). ``--vectors reused`` (the default) embeds 512 sentences of the corpus's vocabulary with e5 once, then
gives each passage one of them, chosen by the passage's hash, plus deterministic noise (cosine about 0.9 to it): the
index, BM25 and every search are the real ones, only the passage vectors are cheap; questions are embedded by e5.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import random
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

import chromadb
import numpy as np
from langchain_core.embeddings import Embeddings

from assistant.models import SearchFilters
from assistant.service import Assistant
from assistant.settings import Settings
from chroma_server import running_chroma_server
from retrieval_latency import percentile
from serving_memory import memory_mb
from synthetic_corpus import REGIONS, questions, sentence, write_corpus

PASSAGES_PER_DOCUMENT = 20
POOL_SIZE = 512
NOISE = 0.5  # noise norm against a unit vector: cosine 1/sqrt(1 + 0.25), about 0.9


class ReusedVectors(Embeddings):
    """Real e5 vectors of a pool of sentences, handed out to passages by hash with deterministic noise."""

    def __init__(self, pool: np.ndarray) -> None:
        self._pool = pool

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        vectors = []
        for text in texts:
            seed = int.from_bytes(hashlib.sha1(text.encode("utf-8")).digest()[:8], "little")
            noise = np.random.default_rng(seed).standard_normal(self._pool.shape[1])
            vector = self._pool[seed % len(self._pool)] + NOISE * noise / np.linalg.norm(noise)
            vectors.append((vector / np.linalg.norm(vector)).tolist())
        return vectors

    def embed_query(self, text: str) -> list[float]:
        raise NotImplementedError("questions are embedded by the real model")


def sentence_pool(work_dir: Path, settings: Settings) -> np.ndarray:
    """e5 vectors of sentences of the synthetic vocabulary, computed once and kept in the work folder."""
    path = work_dir / f"pool-{POOL_SIZE}.npy"
    if not path.is_file():
        chooser = random.Random(7)
        regions = list(REGIONS)
        sentences = []
        for _ in range(POOL_SIZE):
            region = chooser.choice(regions)
            sentences.append(sentence(chooser, region, chooser.choice(REGIONS[region])))
        np.save(path, np.array(Assistant(settings).embeddings.embed_documents(sentences), dtype=np.float32))
    return np.load(path)


def peak_mb() -> float:
    """This process's peak resident memory, in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def build(settings: Settings, vectors: str, work_dir: Path) -> dict[str, float]:
    """Index the corpus (a no-op when the index is already built) and say what it cost."""
    embeddings = ReusedVectors(sentence_pool(work_dir, settings)) if vectors == "reused" else None
    assistant = Assistant(settings, embeddings=embeddings)
    started = time.perf_counter()
    report = assistant.index()
    manifest = assistant.manifest()
    return {"seconds": time.perf_counter() - started, "embedded": report.passages_embedded,
            "documents": len(manifest.documents), "passages": manifest.passage_count, "peak_mb": peak_mb()}


EVERY_LEVEL = ("public", "interne", "confidentiel")


def combined_filters(number: int) -> SearchFilters:
    """Filters on the type, the years, the levels and regions together, from broad to narrow (0.3 % of passages)."""
    region = list(REGIONS)[number % len(REGIONS)]
    return [SearchFilters(EVERY_LEVEL, doc_types=("entente",)),
            SearchFilters(("public",), year_from=2013, year_to=2014),
            SearchFilters(("public", "interne"), doc_types=("rapport", "fiche-projet"), regions=(region,)),
            SearchFilters(EVERY_LEVEL, doc_types=("entretien",), regions=(region,), year_from=2014)][number % 4]


def search(settings: Settings, count: int, repeat: int) -> dict[str, float]:
    """Time the hybrid search of generated questions after a warm-up: each question as generated (half of them
    filtered on a region, the others on the default levels only), then again with filters on several fields."""
    assistant = Assistant(settings)
    asked = questions(count, seed=11)
    started = time.perf_counter()
    for question, _ in asked[:3]:
        assistant.search(question)  # loads the embedder, the BM25 index and Chroma's vector index
    load_seconds = time.perf_counter() - started
    series = [(question, "region" if region else "unfiltered", SearchFilters(regions=(region,) if region else ()))
              for question, region in asked]
    series += [(question, "combined", combined_filters(number)) for number, (question, _) in enumerate(asked)]
    wall: dict[str, list[float]] = {"unfiltered": [], "region": [], "combined": []}
    cpu = []
    for _ in range(repeat):
        for question, kind, filters in series:
            started, started_cpu = time.perf_counter(), time.process_time()
            assistant.search(question, filters)
            wall[kind].append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
    every = [ms for times in wall.values() for ms in times]
    return {"p50": percentile(every, 0.5), "p95": percentile(every, 0.95), "max": max(every),
            **{f"p95_{kind}": percentile(times, 0.95) for kind, times in wall.items()},
            "cpu_p50": percentile(cpu, 0.5), "cpu_p95": percentile(cpu, 0.95), "load_seconds": load_seconds,
            "peak_mb": peak_mb(), "load": os.getloadavg()[0]}


def child(arguments: argparse.Namespace) -> None:
    """One build or one search series, in its own process; prints its figures as JSON on the last line."""
    settings = Settings(corpus_dir=Path(arguments.corpus), index_dir=Path(arguments.index))
    if arguments.child == "build" and arguments.dry_run:  # what the index holds, built elsewhere
        manifest = Assistant(settings).manifest()
        figures = {"documents": len(manifest.documents), "passages": manifest.passage_count}
    elif arguments.child == "build":
        figures = build(settings, arguments.vectors, arguments.work_dir)
    else:
        figures = search(settings, arguments.questions, arguments.repeat)
    print(json.dumps(figures))


def run_child(kind: str, corpus: Path, index: Path, arguments: argparse.Namespace, environment: dict[str, str],
              dry_run: bool = False) -> dict[str, float]:
    command = [sys.executable, __file__, "--child", kind, "--corpus", str(corpus), "--index", str(index),
               "--vectors", arguments.vectors, "--work-dir", str(arguments.work_dir), "--questions",
               str(arguments.questions), "--repeat", str(arguments.repeat)] + ["--dry-run"] * dry_run
    output = subprocess.run(command, env=environment, check=True, capture_output=True, text=True).stdout
    return json.loads(output.strip().splitlines()[-1])


def copy_for_server(embedded: Path, index: Path, data: Path) -> bool:
    """Serve the embedded index's vectors from a Chroma server without building again: its answering buffer's
    database becomes the server's data (the collection is renamed once the server runs), its manifest and BM25
    files are copied into the server-mode index folder."""
    active = json.loads((embedded / "manifest.json").read_text(encoding="utf-8"))["active"]
    shutil.copytree(embedded / "chroma" / active, data)
    index.mkdir(parents=True)
    shutil.copy2(embedded / "manifest.json", index / "manifest.json")
    lexical = (embedded / "lexical").resolve()
    shutil.copytree(lexical, index / lexical.name)
    (index / "lexical").symlink_to(lexical.name)
    return True


def megabytes_on_disk(*folders: Path) -> float:
    return sum(p.stat().st_size for folder in folders if folder.exists() for p in folder.rglob("*") if p.is_file()
               ) / 1e6


def main() -> None:
    """For each size and mode: build (or reuse) the index, time the searches, print one Markdown row."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000, 100_000])
    parser.add_argument("--modes", nargs="+", choices=["embedded", "server"], default=["embedded", "server"])
    parser.add_argument("--vectors", choices=["reused", "e5"], default="reused")
    parser.add_argument("--work-dir", type=Path, default=Path("/tmp/bench-scale"))
    parser.add_argument("--questions", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--server-copy", action="store_true",
                        help="server mode serves a copy of the embedded index's vectors instead of building again")
    parser.add_argument("--child", choices=["build", "search"], help=argparse.SUPPRESS)
    parser.add_argument("--dry-run", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--corpus", help=argparse.SUPPRESS)
    parser.add_argument("--index", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    arguments.work_dir.mkdir(parents=True, exist_ok=True)
    if arguments.child:
        child(arguments)
        return
    memory_gib = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    print(f"# {platform.node()}: {os.cpu_count()} CPU, {memory_gib:.0f} GiB, Python {platform.python_version()}; vectors: {arguments.vectors}; {arguments.questions} questions x "
          f"{arguments.repeat}, hybrid, half filtered on a region, then each again with combined filters; load average {os.getloadavg()[0]:.2f}")
    print("| passages | documents | Chroma | build s | build peak MB | search p50 ms | p95 ms | max ms | "
          "p95 unfiltered / region / combined ms | CPU p50 ms | CPU p95 ms | search process peak MB | server RSS MB | "
          "index on disk MB | load avg |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for size in arguments.sizes:
        corpus = arguments.work_dir / f"corpus-{size}"
        if not corpus.is_dir():
            write_corpus(corpus, max(10, size // PASSAGES_PER_DOCUMENT), size, seed=2012)
        for mode in arguments.modes:
            index = arguments.work_dir / f"index-{size}-{mode}-{arguments.vectors}"
            environment = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
            if mode == "embedded":
                built = run_child("build", corpus, index, arguments, environment)
                searched = run_child("search", corpus, index, arguments, environment)
                server, stored = "", [index]
            else:
                data = arguments.work_dir / f"server-{size}-{arguments.vectors}"
                embedded = arguments.work_dir / f"index-{size}-embedded-{arguments.vectors}"
                copied = arguments.server_copy and not index.exists() and copy_for_server(embedded, index, data)
                with running_chroma_server(data) as (chroma, pid):
                    environment.update({"ASSISTANT_CHROMA__MODE": "server", "ASSISTANT_CHROMA__PORT": str(chroma.port)})
                    if copied:
                        active = json.loads((index / "manifest.json").read_text(encoding="utf-8"))["active"]
                        server = chromadb.HttpClient(host=chroma.host, port=chroma.port)
                        server.get_collection(Settings().collection).modify(name=f"{Settings().collection}-{active}")
                    if arguments.server_copy:
                        built = {"seconds": 0.0, "embedded": 0, "peak_mb": 0.0,
                                 **run_child("build", corpus, index, arguments, environment, dry_run=True)}
                    else:
                        built = run_child("build", corpus, index, arguments, environment)
                    searched = run_child("search", corpus, index, arguments, environment)
                    rss, hwm = memory_mb(pid)
                    server, stored = f"{rss:.0f} (peak {hwm:.0f})", [index, data]
            build_cell = f"{built['seconds']:.1f}{'' if built['embedded'] else ' (no-op)'}"
            if arguments.server_copy and mode == "server":
                build_cell = "copied from embedded"
            print(f"| {built['passages']:,} | {built['documents']:,} | {mode} | {build_cell} | "
                  f"{built['peak_mb']:.0f} | "
                  f"{searched['p50']:.1f} | {searched['p95']:.1f} | {searched['max']:.1f} | "
                  f"{searched['p95_unfiltered']:.1f} / {searched['p95_region']:.1f} / {searched['p95_combined']:.1f} | "
                  f"{searched['cpu_p50']:.1f} | "
                  f"{searched['cpu_p95']:.1f} | {searched['peak_mb']:.0f} | {server} | "
                  f"{megabytes_on_disk(*stored):.0f} | "
                  f"{searched['load']:.2f} |", flush=True)
    print(f"# reproduce: .venv/bin/python bench/retrieval_scale.py --sizes {' '.join(map(str, arguments.sizes))} "
          f"--modes {' '.join(arguments.modes)} --vectors {arguments.vectors} --work-dir {arguments.work_dir} "
          f"--questions {arguments.questions} --repeat {arguments.repeat}{' --server-copy' * arguments.server_copy}")


if __name__ == "__main__":
    main()
