"""The source beside the conversation: a click on a citation ``[n]`` (in the answer or on a source card) opens the
cited page next to the chat — the page image with the supporting sentence highlighted, the page's text below with
the sentence and the answer's figures marked — without leaving the chat. A click with a modifier key (or a middle
click) still opens the full-page viewer in a new tab, and the side viewer links to it and to the original."""

from __future__ import annotations

import html
import re
from urllib.parse import quote, unquote

import gradio as gr

from assistant.models import Answer, Source, SourceDocument
from assistant.service import Assistant
from assistant.web.conversation import Conversation
from assistant.web.files import LinkSigner, passage_subject
from assistant.web.marks import marks_query, source_marks
from assistant.web.sources import describe_document, page_text, source_link
from assistant.web.viewer import CurrentDocuments, highlighted_text, page_text_html

# Catches plain left clicks on citation links anywhere on the page and asks the server for that source; scrolls the
# side viewer's text to the marked sentence once it is shown.
OPEN_ON_CLICK = """
const root = element.getRootNode();
root.addEventListener('click', (event) => {
  const link = event.target.closest && event.target.closest('a.cite');
  if (!link || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
  event.preventDefault();
  event.stopPropagation();
  trigger('open_source', {link: link.getAttribute('href') || ''});
}, true);
element.addEventListener('click', (event) => {
  if (event.target.closest('.side-close')) { props.value = ''; }
});
watch('value', () => {
  const text = element.querySelector('.side-text');
  const mark = element.querySelector('#passage');
  if (text && mark) { text.scrollTop = mark.offsetTop - text.offsetTop - 60; }
});
"""
_PASSAGE_LINK = re.compile(r"sources/([^?#/]+)")
GONE = ("Cette source ne fait plus partie de la conversation (nouvelle conversation ou session expirée). Posez la "
        "question de nouveau.")
NOT_YOURS = "Ce document n'est pas consultable avec votre rôle (son niveau de confidentialité a pu changer)."


def side_viewer() -> gr.HTML:
    """The side viewer's component: empty until a citation is clicked."""
    return gr.HTML("", elem_id="side-viewer", padding=False, js_on_load=OPEN_ON_CLICK)


class SideViewer:
    """Renders the source a citation names, from the conversation that shows it."""

    def __init__(self, assistant: Assistant, links: LinkSigner, documents: CurrentDocuments | None = None) -> None:
        self.assistant = assistant
        self.links = links
        self.documents = documents or CurrentDocuments(assistant)

    def open(self, conversation: Conversation | None, request: gr.Request, event: gr.EventData) -> str:
        """The side viewer for the clicked citation (its link names the passage; the answer gives the marks)."""
        found = _PASSAGE_LINK.search(str((event._data or {}).get("link", "")))
        cited = cited_source(conversation, unquote(found.group(1))) if found and conversation else None
        if cited is None:
            return notice_html(GONE)
        answer, source = cited
        current = self.documents.read(source.passage.info)
        if not self.documents.may_read(request.username, source.passage.info, current):
            return notice_html(NOT_YOURS)
        return self.render(answer, source, conversation.links(self.links), current)

    def render(self, answer: Answer, source: Source, links: LinkSigner, document: SourceDocument | None) -> str:
        """Title, facts, links; the page image with the supporting sentence highlighted (PDF); the page's text with
        the passage, the sentence and the answer's terms marked."""
        passage = source.passage
        marks = source_marks(answer, source)
        full_page = html.escape(source_link(source, links, answer))
        opening = [f'<a href="{full_page}" target="_blank">Ouvrir en pleine page</a>']
        if passage.info.doc_id == passage.info.path:
            original = html.escape(links.document_link(passage.info.path, passage.page))
            opening.append(f'<a href="{original}" target="_blank">Document original</a>')
        figure = ""
        if passage.page and passage.info.path.lower().endswith(".pdf") and document is not None:
            image = (f"sources/{quote(passage.id)}/page.png?jeton={links.token(passage_subject(passage.id))}"
                     f"{marks_query({'support': marks['support']})}")
            described = "la phrase qui appuie la réponse" if marks["support"] else "le passage cité"
            figure = (f'<img class="side-page" src="{html.escape(image)}" alt="Page {passage.page} du document; '
                      f'{described} est surligné">')
        text, notice = page_text_html(passage, document, marks)
        where = page_text(source).capitalize() or "Le passage dans le texte du document"
        sentence = " ".join(highlighted_text(passage, marks).split()) if marks["support"] else ""
        quoted = f'<p class="side-sentence">« {html.escape(sentence)} »</p>' if sentence else ""
        return (f'<section class="side-viewer" aria-label="Source [{source.number}] à côté de la conversation">'
                f'<header><button class="side-close" type="button" aria-label="Fermer la source">×</button>'
                f'<h3>[{source.number}] {html.escape(passage.info.title)}</h3>'
                f'<p class="side-facts">{html.escape(describe_document(passage.info))} · {html.escape(where)}</p>'
                f'<p class="side-links">{" · ".join(opening)}</p></header>{quoted}{notice}{figure}'
                f'<div class="side-text passage-text">{text}</div></section>')


def cited_source(conversation: Conversation, passage_id: str) -> tuple[Answer, Source] | None:
    """The latest answer of the conversation that shows this passage, and its source."""
    for turn in reversed(conversation.turns):
        for source in turn.answer.shown_sources:
            if source.passage.id == passage_id:
                return turn.answer, source
    return None


def notice_html(message: str) -> str:
    """The side viewer with a message in place of a source."""
    return (f'<section class="side-viewer"><header><button class="side-close" type="button" '
            f'aria-label="Fermer">×</button></header><p class="panel-hint">{html.escape(message)}</p></section>')
