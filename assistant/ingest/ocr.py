"""Text of scanned PDF pages: each page without a text layer is rendered (pypdfium2) and read by Tesseract in French.

Tesseract is a system program (Debian: ``tesseract-ocr`` and ``tesseract-ocr-fra``, installed by ``make run`` and
``make test`` where they can); it is called as a command, one page at a time, on one thread. Without it (or
without its French data) nothing is read by OCR and a scan is refused as before, with what to install.

The text of each page is kept in a cache under the index folder, keyed by the file's bytes, the page, the engine's
version and the rendering: reading the same scan again (a sidecar edit, a rebuild, the web viewer that shows the
page's text) gives exactly the same text, so passage offsets and vectors stay valid, and costs nothing.
"""

from __future__ import annotations

import functools
import hashlib
import io
import os
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pypdfium2
from PIL import Image

from assistant.settings import Settings

LANGUAGE = "fra"
DPI = 300  # Tesseract reads best at 300 dpi; lower loses accents on small print
BLANK_LEVEL = 250  # a rendered page whose darkest pixel is lighter than this has nothing to read
SECONDS_PER_PAGE = 10  # a page's OCR on this machine under load (bench/ocr.py; 3 s quiet), for the refusal's estimate
TIMEOUT_SECONDS = 300  # one page; a stuck engine must not hold the index forever


class OcrFailed(RuntimeError):
    """Tesseract could not read a page; the message says why."""


@functools.cache
def tesseract_version(language: str = LANGUAGE) -> str:
    """``tesseract 5.3.0 fra`` when Tesseract and its data for the language are installed, else ``""``."""
    program = shutil.which("tesseract")
    if program is None:
        return ""
    try:
        version = subprocess.run([program, "--version"], capture_output=True, text=True, timeout=30)
        languages = subprocess.run([program, "--list-langs"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return ""
    if language not in languages.stdout.split():
        return ""
    first_line = (version.stdout or version.stderr).splitlines()[:1]
    return f"{first_line[0].strip() if first_line else 'tesseract'} {language}"


def page_ocr(settings: Settings) -> PageOcr | None:
    """The OCR of the settings (None when they turn it off), with its cache in the index folder."""
    return PageOcr(settings.ocr_cache_dir, settings.indexing.max_ocr_pages) if settings.indexing.ocr else None


class PageOcr:
    """Reads scanned pages of PDF files, through a cache of page texts (``cache_dir``; none: no cache); a file with
    more than ``max_pages`` pages to read is refused by the PDF reader."""

    seconds_per_page = SECONDS_PER_PAGE

    def __init__(self, cache_dir: Path | None, max_pages: int = 60, language: str = LANGUAGE) -> None:
        self.cache_dir = cache_dir
        self.max_pages = max_pages
        self.language = language

    @property
    def engine(self) -> str:
        """The engine that reads the pages (``""`` when Tesseract or its language data is missing)."""
        return tesseract_version(self.language)

    def read_pages(self, pdf: Path, pages: list[int]) -> dict[int, str]:
        """The text of these pages (1-based numbers) of a PDF, from the cache or from Tesseract; blank pages (no ink
        at all once rendered) are left out."""
        if not pages:
            return {}
        with pdf.open("rb") as stream:
            file_digest = hashlib.file_digest(stream, "sha256").hexdigest()
        texts: dict[int, str] = {}
        document: pypdfium2.PdfDocument | None = None
        try:
            for number in pages:
                key = hashlib.sha256(f"{file_digest}|{number}|{self.engine}|{DPI}".encode()).hexdigest()
                cached = self._cached(key)
                if cached is None:
                    document = document or pypdfium2.PdfDocument(str(pdf))
                    image = document[number - 1].render(scale=DPI / 72, grayscale=True).to_pil()
                    if image.getextrema()[0] > BLANK_LEVEL:
                        continue
                    cached = self._recognise(image)
                    self._store(key, cached)
                texts[number] = cached
        finally:
            if document is not None:
                document.close()
        return texts

    def _recognise(self, image: Image.Image) -> str:
        png = io.BytesIO()
        image.save(png, format="PNG")
        try:
            result = subprocess.run(["tesseract", "stdin", "stdout", "-l", self.language], input=png.getvalue(),
                                    capture_output=True, timeout=TIMEOUT_SECONDS,
                                    env={**os.environ, "OMP_THREAD_LIMIT": "1"})
        except subprocess.TimeoutExpired as error:
            raise OcrFailed(f"la reconnaissance de caractères a dépassé {TIMEOUT_SECONDS} s") from error
        if result.returncode != 0:
            raise OcrFailed(f"Tesseract a échoué ({result.stderr.decode('utf-8', 'replace').strip()[-200:]})")
        text = result.stdout.decode("utf-8", "replace").replace("\x0c", "")
        return unicodedata.normalize("NFC", text).strip()

    def _cached(self, key: str) -> str | None:
        if self.cache_dir is None:
            return None
        try:
            return (self.cache_dir / f"{key}.txt").read_text(encoding="utf-8")
        except (FileNotFoundError, UnicodeDecodeError):
            return None

    def _store(self, key: str, text: str) -> None:
        """Write the page's text by write and rename, so that a reader never sees half of it."""
        if self.cache_dir is None:
            return
        try:
            self.cache_dir.mkdir(parents=True, exist_ok=True)
            temporary = self.cache_dir / f"{key}.{os.getpid()}.tmp"
            temporary.write_text(text, encoding="utf-8")
            os.replace(temporary, self.cache_dir / f"{key}.txt")
        except OSError:  # a read-only or full index folder: the text is still returned, only not kept for later
            return
