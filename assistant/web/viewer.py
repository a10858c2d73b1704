"""The page a citation opens: the cited page (a PDF page image with the passage highlighted, and the original PDF
at ``#page=N``), or, for Markdown, text and Word documents, the passage in the document's text (its link ends with
``#passage``, so the browser scrolls to it: the page runs no script)."""

from __future__ import annotations

import html
import io
from functools import lru_cache
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image, ImageDraw

from assistant.errors import AccessDenied, OutsideCorpus, UnreadableDocument
from assistant.models import DocumentInfo, Passage, SourceDocument
from assistant.passage_layout import passage_blocks
from assistant.service import Assistant
from assistant.web.files import resolve_corpus_file
from assistant.web.marks import PASSAGE_STYLE, Span, marked_html
from assistant.web.sources import describe_document

PAGE_SCALE = 1.6  # 72 dpi points to pixels: a readable page about 950 pixels wide
HIGHLIGHT = (255, 214, 0, 90)
MIN_SEARCHED_LINE = 4  # shorter lines (page numbers, bullets) would highlight the wrong words

VIEWER_STYLE = """
body { font-family: system-ui, sans-serif; margin: 0; background: #f4f4f5; color: #18181b; }
header { background: #fff; border-bottom: 1px solid #d4d4d8; padding: 1rem 1.5rem; }
h1 { font-size: 1.25rem; margin: 0 0 .25rem; }
.meta { color: #52525b; margin: .2rem 0; }
.where { font-weight: 600; margin: .4rem 0; }
.notice { background: #fef3c7; border: 1px solid #f59e0b; padding: .5rem .75rem; border-radius: 6px; }
main { display: flex; gap: 1.5rem; padding: 1.5rem; align-items: flex-start; flex-wrap: wrap; }
figure { margin: 0; background: #fff; box-shadow: 0 1px 4px #0003; }
figure img { display: block; max-width: min(100%, 820px); }
section.text { flex: 1 1 28rem; background: #fff; padding: 1rem 1.25rem; border-radius: 6px;
               box-shadow: 0 1px 4px #0002; line-height: 1.5; }
a { color: #1d4ed8; }
""" + PASSAGE_STYLE.read_text(encoding="utf-8")


def viewer_html(passage: Passage, document: SourceDocument | None, document_link: str, image_link: str,
                marks: dict[str, list[Span]] | None = None) -> str:
    """The viewer page of a passage; ``document`` is None when the file can no longer be read, ``document_link`` ""
    when the original cannot be served (a line of a JSONL corpus); ``marks``: the supporting sentence and the
    answer's terms, as spans of the passage."""
    info = passage.info
    total = len(document.pages) if document else "?"
    where = (f"Page {html.escape(passage.page_label or str(passage.page))} ({passage.page} sur {total})"
             if passage.page else "Le passage cité dans le texte du document")
    links = f'<a href="{html.escape(document_link)}">Télécharger le document original</a>' if document_link else ""
    figure = ""
    if passage.page and info.path.lower().endswith(".pdf"):
        links = (f'<a href="{html.escape(document_link)}" target="_blank" rel="noopener">Ouvrir le PDF original à la '
                 f"page {passage.page}</a>")
        figure = (f'<figure><img src="{html.escape(image_link)}" alt="Page {passage.page} du document; le passage '
                  'cité est surligné"></figure>')
    text, notice = page_text_html(passage, document, marks or {})
    title = html.escape(info.title)
    return f"""<!doctype html>
<html lang="fr-CA"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} – {where}</title><style>{VIEWER_STYLE}</style></head>
<body><header><h1>{title}</h1><p class="meta">{html.escape(describe_document(info))} · {html.escape(info.path)}</p>
<p class="where">{where}</p><p>{links}</p>{notice}</header>
<main>{figure}<section class="text passage-text" aria-label="Texte du passage en contexte">{text}</section></main>
</body></html>"""


class CurrentDocuments:
    """Indexed documents as they read now (cached by file version), and who may read them now."""

    def __init__(self, assistant: Assistant) -> None:
        self.assistant = assistant
        self._read_version = lru_cache(maxsize=4)(self._read)

    def _read(self, info: DocumentInfo, _mtime_ns: int, _size: int) -> SourceDocument:
        return self.assistant.read_document(info)

    def read(self, info: DocumentInfo) -> SourceDocument | None:
        """The document as it reads now, or None if it can no longer be read."""
        settings = self.assistant.settings
        try:
            stat = resolve_corpus_file(settings.corpus_dir, info.path, self.assistant.corpus_path).stat()
            return self._read_version(info, stat.st_mtime_ns, stat.st_size)
        except (OutsideCorpus, UnreadableDocument, OSError):
            return None

    def may_read(self, user: str | None, info: DocumentInfo, current: SourceDocument | None) -> bool:
        """Whether the user's levels, now, cover the document as indexed and as it reads now."""
        try:
            levels = self.assistant.access.levels_for(user)
        except AccessDenied:
            return False
        return info.confidentiality in levels and (current is None or current.info.confidentiality in levels)


def error_page(heading: str, message: str) -> str:
    """A short French error page."""
    return (f'<!doctype html><html lang="fr-CA"><head><meta charset="utf-8"><title>{html.escape(heading)}</title>'
            f"<style>{VIEWER_STYLE}</style></head><body><header><h1>{html.escape(heading)}</h1>"
            f"<p>{html.escape(message)}</p></header></body></html>")


def page_text_html(passage: Passage, document: SourceDocument | None,
                   marks: dict[str, list[Span]]) -> tuple[str, str]:
    """The cited page's text laid out as in the document (headings, items, rows), the passage and its marks on it
    (the supporting sentence carries ``id="passage"``, else the passage does); and a notice, "" unless the
    document changed or can no longer be read, in which case the passage is shown as indexed."""
    page = next((page for page in (document.pages if document else []) if page.number == passage.page), None)
    if page is not None and page.text[passage.start:passage.end] == passage.text:
        text, offset, notice = page.text, passage.start, ""
        blocks = passage_blocks(page.text, heading_starts=[heading.offset for heading in page.headings])
    else:
        text, offset = passage.text, 0
        blocks = passage_blocks(passage.text, titles=passage.section.split(" — "))
        why = ("Le document a changé depuis son indexation" if document else
               "Le document n'a pas pu être relu (déplacé, retiré ou endommagé depuis son indexation)")
        notice = (f'<p class="notice">{why} : le passage cité est montré tel qu\'il a été indexé. Relancez '
                  "l'indexation pour des sources à jour.</p>")
    layers = {"support": marks.get("support", []), "passage": [(0, len(passage.text))], "term": marks.get("term", [])}
    layers = {kind: spans for kind, spans in layers.items() if spans}
    return marked_html(text, blocks, layers, -offset, anchor="passage"), notice


def highlighted_text(passage: Passage, marks: dict[str, list[Span]]) -> str:
    """What the page image highlights: the supporting sentences when the link names them, else the passage."""
    return "\n".join(passage.text[start:end] for start, end in marks.get("support", [])) or passage.text


def page_image(pdf_path: Path, page: int, passage_text: str) -> bytes:
    """PNG of a PDF page with the lines of the passage highlighted (cached by file version)."""
    stat = pdf_path.stat()
    return _render_page(pdf_path, stat.st_mtime_ns, stat.st_size, page, passage_text)


@lru_cache(maxsize=32)
def _render_page(pdf_path: Path, _mtime_ns: int, _size: int, page_number: int, passage_text: str) -> bytes:
    document = pdfium.PdfDocument(str(pdf_path))
    try:
        page = document[page_number - 1]
        image = page.render(scale=PAGE_SCALE).to_pil().convert("RGBA")
        overlay = Image.new("RGBA", image.size, (0, 0, 0, 0))
        draw = ImageDraw.Draw(overlay)
        height = page.get_height()
        for left, bottom, right, top in _passage_boxes(page.get_textpage(), passage_text):
            draw.rectangle([left * PAGE_SCALE, (height - top) * PAGE_SCALE - 2,
                            right * PAGE_SCALE, (height - bottom) * PAGE_SCALE + 2], fill=HIGHLIGHT)
        buffer = io.BytesIO()
        Image.alpha_composite(image, overlay).convert("RGB").save(buffer, format="PNG", optimize=True)
        return buffer.getvalue()
    finally:
        document.close()


def _passage_boxes(text_page: pdfium.PdfTextPage, passage_text: str) -> list[tuple[float, float, float, float]]:
    """Rectangles (PDF points) of the passage's lines, found in order on the page.

    The passage was extracted by pypdf and the page is searched with PDFium; they agree line by line, not always
    on spacing across lines, so each line is searched on its own, after the previous one.
    """
    boxes = []
    position = 0
    for line in (line.strip() for line in passage_text.splitlines()):
        if len(line) < MIN_SEARCHED_LINE:
            continue
        searcher = text_page.search(line, index=position, match_case=True)
        found = searcher.get_next()
        if found is None:
            continue
        start, count = found
        position = start + count
        boxes.extend(text_page.get_rect(i) for i in range(text_page.count_rects(start, count)))
    return boxes
