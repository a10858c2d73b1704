"""Cut documents into passages that keep their document, page and exact character offsets."""

from __future__ import annotations

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


def split_document(document: SourceDocument, splitter: RecursiveCharacterTextSplitter,
                   id_prefix: str = "") -> list[Passage]:
    """Passages of a document; none crosses a page, so each cites exactly one page.

    Ids are ``<prefix>-<n>``; the prefix defaults to the start of the content hash (the indexer passes one that
    also depends on the path and the chunking, so that each version of each document has its own ids).
    """
    prefix = id_prefix or document.content_hash[:16]
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
