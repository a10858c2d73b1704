"""OCR cost per scanned page and embedding speed, as an indexing run meets them on this machine.

Usage: nice -n 10 .venv/bin/python bench/ocr.py [--pages 5] [--passages 256]
Builds a PDF of dense scanned French pages (an A4 image at 200 dpi, about 45 lines of DejaVu Sans each, no text
layer), reads each page by OCR without the cache (render at 300 dpi with pypdfium2, then Tesseract ``-l fra`` on one
thread), and reports the seconds per page (render and recognition apart) and how much of the printed text came back.
Then embeds passages of the sample corpus with the default embedder (e5) to measure passages a second, the figure
behind ``indexing.max_file_passages``. The load average is printed before and after: the machine is shared, so the
CPU seconds each step used are printed too (Tesseract's, from the child processes; e5's, over its 2 threads), a
figure that other runs on the machine change much less than the wall clock. ``--pages 0`` skips the OCR part.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pypdfium2
from fpdf import FPDF
from PIL import Image, ImageDraw, ImageFont

from assistant.ingest.chunking import make_splitter, split_document
from assistant.ingest.ocr import DPI, PageOcr, tesseract_version
from assistant.ingest.readers import read_document
from assistant.settings import PROJECT_ROOT, ChunkingSettings

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def page_lines(corpus: Path, count: int) -> list[str]:
    """Lines of real French prose from the sample corpus, about 70 characters each."""
    words = " ".join(path.read_text(encoding="utf-8").split("\n---\n", 1)[-1]
                     for path in sorted(corpus.rglob("*.md"))).split()
    lines, line = [], ""
    for word in words:
        if len(line) + len(word) > 70:
            lines.append(line.strip())
            line = ""
            if len(lines) == count:
                break
        line += word + " "
    return lines


def scanned_pdf(path: Path, pages: list[list[str]], work: Path) -> None:
    pdf = FPDF()
    font = ImageFont.truetype(str(FONT), 28)
    for number, lines in enumerate(pages):
        image = Image.new("L", (1654, 2339), 255)
        draw = ImageDraw.Draw(image)
        for row, line in enumerate(lines):
            draw.text((120, 150 + 45 * row), line, fill=0, font=font)
        image.save(work / f"page-{number}.png")
        pdf.add_page()
        pdf.image(str(work / f"page-{number}.png"), x=0, y=0, w=210, h=297)
    pdf.output(str(path))


def word_recall(expected: list[str], read: str) -> float:
    """Share of the printed words found, in order-free comparison (a rough accuracy figure)."""
    found = set(read.split())
    words = " ".join(expected).split()
    return sum(word in found for word in words) / len(words)


def measure_ocr(pages: int) -> None:
    lines = page_lines(PROJECT_ROOT / "corpus", 45 * pages)
    texts = [lines[45 * n:45 * (n + 1)] for n in range(pages)]
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        scanned_pdf(work / "scan.pdf", texts, work)
        reader = PageOcr(None)
        document = pypdfium2.PdfDocument(str(work / "scan.pdf"))
        renders, totals, recalls = [], [], []
        tesseract_cpu = resource.getrusage(resource.RUSAGE_CHILDREN).ru_utime
        for number in range(pages):
            started = time.perf_counter()
            document[number].render(scale=DPI / 72, grayscale=True).to_pil().tobytes()
            renders.append(time.perf_counter() - started)
            started = time.perf_counter()
            text = reader.read_pages(work / "scan.pdf", [number + 1])[number + 1]
            totals.append(time.perf_counter() - started)
            recalls.append(word_recall(texts[number], text))
        document.close()
        tesseract_cpu = resource.getrusage(resource.RUSAGE_CHILDREN).ru_utime - tesseract_cpu
    print(f"OCR ({tesseract_version()}, {DPI} dpi, 1 thread): {pages} dense pages of ~45 lines")
    print(f"  seconds per page (render + OCR): median {statistics.median(totals):.2f}, "
          f"min {min(totals):.2f}, max {max(totals):.2f}; render alone median {statistics.median(renders):.2f}")
    print(f"  Tesseract CPU time: {tesseract_cpu / pages:.2f} s per page")
    print(f"  printed words found: median {statistics.median(recalls):.1%}, min {min(recalls):.1%}")


def measure_embedding(passages: int) -> None:
    from assistant.index.embeddings import E5Embeddings

    splitter = make_splitter(ChunkingSettings())
    texts = [passage.text for path in sorted((PROJECT_ROOT / "corpus").rglob("*.md")) if path.name != "README.md"
             for passage in split_document(read_document(path, PROJECT_ROOT / "corpus"), splitter)]
    texts = (texts * (passages // len(texts) + 1))[:passages]
    model = E5Embeddings(threads=2)
    model.embed_documents(texts[:16])  # loaded and warm before the clock starts
    started, cpu = time.perf_counter(), time.process_time()
    for start in range(0, len(texts), 16):
        model.embed_documents(texts[start:start + 16])
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    print(f"Embedding (e5, 2 threads, batches of 16, default 1,000-character passages): {len(texts)} passages in "
          f"{seconds:.1f} s = {len(texts) / seconds:.2f} passages/s; 10 min = {600 * len(texts) / seconds:.0f} "
          f"passages; CPU time {cpu:.1f} s ({len(texts) / cpu:.2f} passages per CPU second)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=5)
    parser.add_argument("--passages", type=int, default=256)
    arguments = parser.parse_args()
    print(f"load average before: {' '.join(open('/proc/loadavg').read().split()[:3])}; {os.cpu_count()} cores")
    if not tesseract_version():
        print("Tesseract (fra) absent: sudo apt-get install tesseract-ocr tesseract-ocr-fra", file=sys.stderr)
        return 1
    if arguments.pages:
        measure_ocr(arguments.pages)
    measure_embedding(arguments.passages)
    print(f"load average after: {' '.join(open('/proc/loadavg').read().split()[:3])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
