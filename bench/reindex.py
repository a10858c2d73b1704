"""Reindexing cost on a corpus of 1,000 documents: a no-op run, one changed file (small, then large), a rename.

Usage: .venv/bin/python bench/reindex.py [--documents 1000] [--work-dir /tmp/bench-reindex] [--repeat 5]
The corpus is built once in the work folder (the sample corpus, plus Markdown notes made of its sentences, up to
the number of documents); its first indexing is timed too, then kept, so that a second invocation starts at once.
Targets: a no-op under 1 s; one changed file in time proportional to that file alone.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from assistant.models import IndexReport
from assistant.service import Assistant
from assistant.settings import PROJECT_ROOT, Settings


def build_corpus(corpus: Path, documents: int) -> None:
    """The sample corpus plus notes of 4 to 12 of its sentences each, until there are ``documents`` documents."""
    shutil.copytree(PROJECT_ROOT / "corpus", corpus)
    (corpus / "README.md").unlink()
    sentences = [s.strip() for path in sorted(corpus.rglob("*.md"))
                 for s in re.split(r"(?<=[.!?])\s+", path.read_text(encoding="utf-8").split("\n---\n", 1)[-1])
                 if 40 < len(s.strip()) < 400 and not s.lstrip().startswith(("#", "|", "-"))]
    existing = sum(1 for p in corpus.rglob("*") if p.is_file() and not p.name.endswith(".meta.yaml"))
    chooser = random.Random(2012)
    (corpus / "notes").mkdir()
    for n in range(documents - existing):
        body = " ".join(chooser.sample(sentences, chooser.randint(4, 12)))
        (corpus / "notes" / f"note-{n:04d}.md").write_text(
            f"---\ntitre: Note de terrain {n}\ntype: entretien\ndate: 2013\nconfidentialite: interne\n---\n{body}\n",
            encoding="utf-8")


def timed(assistant: Assistant) -> tuple[float, IndexReport]:
    started = time.perf_counter()
    report = assistant.index()
    return time.perf_counter() - started, report


def line(label: str, seconds: float, report: IndexReport) -> str:
    return (f"| {label} | {seconds:.2f} | {len(report.added)}/{len(report.updated)}/{len(report.renamed)}/"
            f"{len(report.removed)} | {report.passages_embedded} | {report.passages_reused} |")


def main() -> None:
    """Build (once), index (once), then time the runs an admin makes every day and print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument("--work-dir", type=Path, default=Path("/tmp/bench-reindex"))
    parser.add_argument("--repeat", type=int, default=5)
    arguments = parser.parse_args()
    corpus, index = arguments.work_dir / "corpus", arguments.work_dir / "index"
    if not corpus.is_dir():
        build_corpus(corpus, arguments.documents)
    settings = Settings(corpus_dir=corpus, index_dir=index)
    assistant = Assistant(settings)
    print(f"# {platform.node()}: {os.cpu_count()} CPU, Python {platform.python_version()}, "
          f"embedder {settings.embedding.backend}; corpus {corpus}")
    first_seconds, first = timed(assistant)
    manifest = assistant.manifest()
    print(f"# {len(manifest.documents)} documents, {manifest.passage_count} passages, "
          f"{len(manifest.failed)} failed; this invocation's first run: {first_seconds:.1f} s, "
          f"{first.passages_embedded} passages embedded")
    print("| run | seconds | added/updated/renamed/removed | embedded | reused |")
    print("|---|---|---|---|---|")
    no_ops = [timed(assistant) for _ in range(arguments.repeat)]
    print(line(f"no-op, in process (median of {arguments.repeat})", statistics.median(s for s, _ in no_ops),
               no_ops[0][1]))
    environment = {**os.environ, "ASSISTANT_CORPUS_DIR": str(corpus), "ASSISTANT_INDEX_DIR": str(index)}
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "assistant.cli", "index"], env=environment, check=True,
                   stdout=subprocess.DEVNULL)
    print(f"| no-op, `assistant index` command (Python start and imports included) | "
          f"{time.perf_counter() - started:.2f} | | | |")
    stamp = time.strftime("%H:%M:%S")
    small = corpus / "notes" / "note-0007.md"
    for attempt in (1, 2):  # the two buffers take turns: both runs should cost the same
        small.write_text(small.read_text(encoding="utf-8") + f"\nAjout {stamp}.{attempt} : le comité s'est réuni.\n",
                         encoding="utf-8")
        print(line(f"one small note edited (run {attempt})", *timed(assistant)))
    large = corpus / "notes" / "note-0008.md"
    large.write_text(large.read_text(encoding="utf-8") + "".join(
        f"\nParagraphe ajouté {stamp}.{n} : " + "la table de concertation a revu son plan d'action. " * 18
        for n in range(20)), encoding="utf-8")
    print(line("one note grown by 20 passages", *timed(assistant)))
    renamed = corpus / "notes" / f"renommee-{stamp.replace(':', '')}.md"
    next(p for p in sorted((corpus / "notes").glob("note-*.md")) if p not in (small, large)).rename(renamed)
    print(line("one note renamed", *timed(assistant)))
    print(f"# reproduce: .venv/bin/python bench/reindex.py --documents {arguments.documents} "
          f"--work-dir {arguments.work_dir}")


if __name__ == "__main__":
    main()
