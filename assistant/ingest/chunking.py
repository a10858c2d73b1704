"""Cut documents into passages that keep their document, page and exact character offsets; add the smaller units
that are searched beside them: table rows (fact passages of their own) and sentence windows (read as their
passage)."""

from __future__ import annotations

from dataclasses import replace

from langchain_text_splitters import RecursiveCharacterTextSplitter

from assistant.models import Passage, SourceDocument
from assistant.settings import ChunkingSettings

# Paragraph, line, sentence, clause, word: the order in which French prose is best cut.
SEPARATORS = ["\n\n", "\n", ". ", "; ", ", ", " ", ""]


def make_splitter(settings: ChunkingSettings) -> RecursiveCharacterTextSplitter:
    """The splitter that every passage of the index was cut with."""
    return RecursiveCharacterTextSplitter(
        chunk_size=settings.chunk_size,
        chunk_overlap=settings.chunk_overlap,
        separators=SEPARATORS,
        keep_separator="end",
        add_start_index=True,
    )


def make_window_splitter(settings: ChunkingSettings) -> RecursiveCharacterTextSplitter | None:
    """The splitter that cuts each passage into sentence windows, or None when windows are off."""
    if not settings.window_size:
        return None
    return RecursiveCharacterTextSplitter(chunk_size=settings.window_size, chunk_overlap=0, separators=SEPARATORS,
                                          keep_separator="end", add_start_index=True)


def split_document(document: SourceDocument, splitter: RecursiveCharacterTextSplitter, id_prefix: str = "", *,
                   table_rows: bool = False, windows: RecursiveCharacterTextSplitter | None = None) -> list[Passage]:
    """Passages of a document; none crosses a page, so each cites exactly one page. With ``table_rows``, each row
    of the pages' tables is a passage too (its text the row's span, its ``context`` the row under its headers);
    with ``windows``, each passage's sentence windows follow (``parent``: the passage they are read in).

    Ids are ``<prefix>-<n>`` for passages, ``<prefix>-t<n>`` for table rows and ``<passage id>-w<n>`` for windows;
    the prefix defaults to the start of the content hash (the indexer passes one that also depends on the path and
    the chunking, so that each version of each document has its own ids).
    """
    prefix = id_prefix or document.content_hash[:16]
    passages = [replace(p, section=section_at(document, p.page, p.start))
                for p in cut_passages(document, splitter, prefix)]
    units = [window for passage in passages for window in sentence_windows(passage, windows)] if windows else []
    if table_rows:
        units += [Passage(f"{prefix}-t{number:04d}", page.text[row.start:row.end], document.info, page.number,
                          page.label, row.start, row.end, context=row.context(),
                          section=section_at(document, page.number, row.start))
                  for number, (page, row) in enumerate((page, row) for page in document.pages for row in page.rows)]
    return passages + units


def sentence_windows(passage: Passage, windows: RecursiveCharacterTextSplitter) -> list[Passage]:
    """The passage cut into windows of a few sentences, each searched on its own and read as the passage; none
    when the passage is a single window."""
    pieces = windows.create_documents([passage.text])
    if len(pieces) < 2:
        return []
    return [Passage(f"{passage.id}-w{number:02d}", piece.page_content, passage.info, passage.page, passage.page_label,
                    passage.start + piece.metadata["start_index"],
                    passage.start + piece.metadata["start_index"] + len(piece.page_content), section=passage.section,
                    parent=passage.id)
            for number, piece in enumerate(pieces)]


def cut_passages(document: SourceDocument, splitter: RecursiveCharacterTextSplitter, prefix: str) -> list[Passage]:
    """The passages of each page, in order."""
    passages: list[Passage] = []
    for page in document.pages:
        for piece in splitter.create_documents([page.text]):
            start = piece.metadata["start_index"]
            passages.append(Passage(
                id=f"{prefix}-{len(passages):05d}",
                text=piece.page_content,
                info=document.info,
                page=page.number,
                page_label=page.label,
                start=start,
                end=start + len(piece.page_content),
                ocr=page.ocr,
            ))
    return passages


def section_at(document: SourceDocument, page_number: int | None, offset: int) -> str:
    """The titles of the chapter and of the section (the first two heading levels) open at this place of the
    document, joined by « — »; empty when no heading precedes it."""
    open_titles: dict[int, str] = {}
    for page in document.pages:
        for heading in page.headings:
            if page.number == page_number and heading.offset > offset:
                break
            open_titles = {level: title for level, title in open_titles.items() if level < heading.level}
            open_titles[heading.level] = heading.title
        if page.number == page_number:
            break
    return " — ".join(title for level, title in sorted(open_titles.items()) if level <= 1)
