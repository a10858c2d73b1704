"""HTTP routes beside the chat: an original corpus file, the page that shows a cited passage in its document, and
the export of a conversation. Each checks, at request time, who asks: the link's browser session and user, and
whether their levels still let them read the document as it is indexed now."""

from __future__ import annotations

import datetime as dt
import mimetypes
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, Response

from assistant.errors import OutsideCorpus
from assistant.models import Passage
from assistant.service import Assistant
from assistant.web.files import LinkSigner, Reader, document_subject, passage_subject, resolve_corpus_file
from assistant.web.marks import marks_query, parse_marks
from assistant.web.sessions import BrowserSessions, session_cookie
from assistant.web.viewer import CurrentDocuments, error_page, highlighted_text, page_image, viewer_html

BAD_LINK = ("Ce lien est invalide ou a expiré, ou il a été ouvert hors de la session qui l'a reçu. Rouvrez la "
            "source depuis le clavardage.")
NOT_YOURS = ("Ce document n'est pas consultable avec votre rôle (son niveau de confidentialité a pu changer depuis "
             "l'envoi du lien).")
NOT_IN_CORPUS = "Aucun document de ce nom n'est indexé dans le corpus."
UNREADABLE = ("Ce document ne peut plus être lu : il a été déplacé, retiré ou endommagé depuis son indexation. "
              "Relancez l'indexation.")
PASSAGE_GONE = ("Ce passage n'est plus dans l'index : son document a été modifié ou retiré depuis. Posez la question "
                "de nouveau pour obtenir des sources à jour.")
NO_EXPORT = ("Cette conversation n'est pas exportable depuis cette session (déconnexion, nouvelle conversation ou "
             "session expirée). Exportez-la depuis le clavardage.")
# Shown by the browser itself (PDF viewer, text); other formats are downloaded.
INLINE_TYPES = {".pdf": "application/pdf", ".md": "text/plain", ".txt": "text/plain"}


def corpus_routes(assistant: Assistant, links: LinkSigner, sessions: BrowserSessions,
                  logged_in_user: Callable[[Request], str | None]) -> APIRouter:
    """The routes that serve corpus files and exports; every request comes from a live browser session, and a
    file or passage needs a link signed for that session."""
    router = APIRouter()

    documents = CurrentDocuments(assistant)
    current_document = documents.read

    def reader_of(request: Request) -> Reader | None:
        """Who asks: a live browser session and, with login, the user logged in now (None: nobody)."""
        session = session_cookie(request.headers.get("cookie", ""))
        user = logged_in_user(request)
        if not sessions.is_live(session) or (assistant.access.login_required and user is None):
            return None
        return Reader(session or "", user)

    def signed_passage(request: Request, passage_id: str, token: str) -> tuple[Passage, Reader] | Response:
        reader = reader_of(request)
        if reader is None or not links.verify(passage_subject(passage_id), token, reader):
            return refusal(403, BAD_LINK)
        passage = assistant.passage(passage_id)
        if passage is None:
            return refusal(404, PASSAGE_GONE)
        if not documents.may_read(reader.user, passage.info, current_document(passage.info)):
            return refusal(403, NOT_YOURS)
        return passage, reader

    @router.get("/documents/{path:path}")
    def original_document(request: Request, path: str, jeton: str = "") -> Response:
        """The original file, inline for PDF and text, so that ``#page=N`` opens the PDF at its page."""
        reader = reader_of(request)
        if reader is None or not links.verify(document_subject(path), jeton, reader):
            return refusal(403, BAD_LINK)
        try:
            file = resolve_corpus_file(assistant.settings.corpus_dir, path, assistant.corpus_path)
        except OutsideCorpus:
            return refusal(404, NOT_IN_CORPUS)
        # Manifest keys are the paths of single-document files; a JSONL corpus file (keys ``<path>#<doc_id>``)
        # holds documents of any level, so it is never served whole.
        record = assistant.manifest().documents.get(path)
        indexed = assistant.passage(record.passage_ids[0]) if record and record.passage_ids else None
        if indexed is None:
            return refusal(404, NOT_IN_CORPUS)
        current = current_document(indexed.info)
        if current is None:
            return refusal(404, UNREADABLE)
        if not documents.may_read(reader.user, indexed.info, current):
            return refusal(403, NOT_YOURS)
        return file_response(file)

    @router.get("/sources/{passage_id}", response_class=HTMLResponse)
    def passage_viewer(request: Request, passage_id: str, jeton: str = "", phrases: str = "",
                       termes: str = "") -> Response:
        """The cited passage in its document: the page image and the page text with the passage highlighted, and
        the sentence that holds the answer up and the answer's terms marked (``phrases``, ``termes``)."""
        checked = signed_passage(request, passage_id, jeton)
        if isinstance(checked, Response):
            return checked
        passage, reader = checked
        single_file = passage.info.doc_id == passage.info.path
        document_link = ("../" + links.for_reader(reader).document_link(passage.info.path, passage.page)
                         if single_file else "")
        marks = {"support": parse_marks(phrases, len(passage.text)), "term": parse_marks(termes, len(passage.text))}
        image_link = f"{quote(passage_id)}/page.png?jeton={quote(jeton)}{marks_query({'support': marks['support']})}"
        return HTMLResponse(viewer_html(passage, current_document(passage.info), document_link, image_link, marks))

    @router.get("/sources/{passage_id}/page.png")
    def passage_page_image(request: Request, passage_id: str, jeton: str = "", phrases: str = "") -> Response:
        """The cited PDF page as an image, the lines of the supporting sentences (``phrases``) or of the passage
        highlighted."""
        checked = signed_passage(request, passage_id, jeton)
        if isinstance(checked, Response):
            return checked
        passage, _ = checked
        try:
            file = resolve_corpus_file(assistant.settings.corpus_dir, passage.info.path, assistant.corpus_path)
        except OutsideCorpus:
            return refusal(404, NOT_IN_CORPUS)
        if not passage.page or file.suffix.lower() != ".pdf":
            return refusal(404, "Ce document n'a pas de pages à afficher.")
        shown = highlighted_text(passage, {"support": parse_marks(phrases, len(passage.text))})
        return Response(page_image(file, passage.page, shown), media_type="image/png",
                        headers={"Cache-Control": "private, max-age=3600"})

    @router.get("/exports/{conversation_id}")
    def conversation_export(request: Request, conversation_id: str) -> Response:
        """The session's conversation as Markdown, written at download time: no export file is kept anywhere."""
        reader = reader_of(request)
        conversation = sessions.conversation(reader.session, conversation_id) if reader else None
        if reader is None or conversation is None or conversation.user != reader.user:
            return refusal(404, NO_EXPORT)
        name = f"conversation-{dt.date.today().isoformat()}.md"
        return Response(conversation.markdown(assistant.access.role_of(reader.user)),
                        media_type="text/markdown; charset=utf-8",
                        headers={"Content-Disposition": f'attachment; filename="{name}"',
                                 "Cache-Control": "no-store"})

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
