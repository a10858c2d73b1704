"""HTTP routes beside the chat: an original corpus file, and the page that shows a cited passage in its document."""

from __future__ import annotations

import mimetypes
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote

from fastapi import APIRouter
from fastapi.responses import FileResponse, HTMLResponse, Response

from assistant.ingest.readers import UnreadableDocument
from assistant.models import DocumentInfo, Passage, SourceDocument
from assistant.service import Assistant
from assistant.web.files import LinkSigner, OutsideCorpus, document_subject, passage_subject, resolve_corpus_file
from assistant.web.viewer import error_page, page_image, viewer_html

BAD_LINK = "Ce lien est invalide ou a expiré. Rouvrez la source depuis le clavardage."
NOT_IN_CORPUS = "Aucun document de ce nom n'est indexé dans le corpus."
PASSAGE_GONE = ("Ce passage n'est plus dans l'index : son document a été modifié ou retiré depuis. Posez la question "
                "de nouveau pour obtenir des sources à jour.")
# Shown by the browser itself (PDF viewer, text); other formats are downloaded.
INLINE_TYPES = {".pdf": "application/pdf", ".md": "text/plain", ".txt": "text/plain"}


def corpus_routes(assistant: Assistant, links: LinkSigner) -> APIRouter:
    """The routes that serve corpus files; every request needs a link signed by this server."""
    router = APIRouter()

    @lru_cache(maxsize=4)
    def read_version(info: DocumentInfo, _mtime_ns: int, _size: int) -> SourceDocument:
        return assistant.read_document(info)

    def current_document(passage: Passage) -> SourceDocument | None:
        """The passage's document as it reads now, or None if it can no longer be read."""
        try:
            stat = resolve_corpus_file(assistant.settings.corpus_dir, passage.info.path).stat()
            return read_version(passage.info, stat.st_mtime_ns, stat.st_size)
        except (OutsideCorpus, UnreadableDocument, OSError):
            return None

    def signed_passage(passage_id: str, token: str) -> Passage | Response:
        if not links.verify(passage_subject(passage_id), token):
            return refusal(403, BAD_LINK)
        return assistant.passage(passage_id) or refusal(404, PASSAGE_GONE)

    @router.get("/documents/{path:path}")
    def original_document(path: str, jeton: str = "") -> Response:
        """The original file, inline for PDF and text, so that ``#page=N`` opens the PDF at its page."""
        if not links.verify(document_subject(path), jeton):
            return refusal(403, BAD_LINK)
        try:
            file = resolve_corpus_file(assistant.settings.corpus_dir, path)
        except OutsideCorpus:
            return refusal(404, NOT_IN_CORPUS)
        # Manifest keys are the paths of single-document files; a JSONL corpus file (keys ``<path>#<doc_id>``)
        # holds documents of any level, so it is never served whole.
        if path not in assistant.manifest().documents:
            return refusal(404, NOT_IN_CORPUS)
        return file_response(file)

    @router.get("/sources/{passage_id}", response_class=HTMLResponse)
    def passage_viewer(passage_id: str, jeton: str = "") -> Response:
        """The cited passage in its document: the page image and the page text with the passage highlighted."""
        passage = signed_passage(passage_id, jeton)
        if isinstance(passage, Response):
            return passage
        single_file = passage.info.doc_id == passage.info.path
        document_link = "../" + links.document_link(passage.info.path, passage.page) if single_file else ""
        image_link = f"{quote(passage_id)}/page.png?jeton={quote(jeton)}"
        return HTMLResponse(viewer_html(passage, current_document(passage), document_link, image_link))

    @router.get("/sources/{passage_id}/page.png")
    def passage_page_image(passage_id: str, jeton: str = "") -> Response:
        """The cited PDF page as an image, the passage's lines highlighted."""
        passage = signed_passage(passage_id, jeton)
        if isinstance(passage, Response):
            return passage
        try:
            file = resolve_corpus_file(assistant.settings.corpus_dir, passage.info.path)
        except OutsideCorpus:
            return refusal(404, NOT_IN_CORPUS)
        if not passage.page or file.suffix.lower() != ".pdf":
            return refusal(404, "Ce document n'a pas de pages à afficher.")
        return Response(page_image(file, passage.page, passage.text), media_type="image/png",
                        headers={"Cache-Control": "private, max-age=3600"})

    return router


def file_response(file: Path) -> FileResponse:
    """A corpus file with the right type: shown by the browser when it can, otherwise downloaded."""
    suffix = file.suffix.lower()
    if suffix in INLINE_TYPES:
        media_type = INLINE_TYPES[suffix]
        if media_type.startswith("text/"):
            media_type += f"; charset={text_charset(file)}"
        return FileResponse(file, media_type=media_type, filename=file.name, content_disposition_type="inline")
    return FileResponse(file, media_type=mimetypes.guess_type(file.name)[0] or "application/octet-stream",
                        filename=file.name)


def text_charset(file: Path) -> str:
    """UTF-8 if the file decodes as such, otherwise Windows-1252 (the two encodings the text reader accepts)."""
    try:
        file.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        return "windows-1252"
    return "utf-8"


def refusal(status: int, message: str) -> HTMLResponse:
    """A French error page with its status code."""
    heading = "Accès refusé" if status == 403 else "Source introuvable"
    return HTMLResponse(error_page(heading, message), status_code=status)
