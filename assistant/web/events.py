"""What the chat page does on each event: start a session, ask, stream, stop, rate, comment, restart, export.

Each browser session has its own ``Conversation`` (Gradio session state); the confidentiality levels of every search
come from the logged-in user's role, read from the request on the server, never from the page.
"""

from __future__ import annotations

import html
import threading
from collections.abc import Iterator
from typing import Any

import gradio as gr

from assistant.errors import AssistantError, ChromaUnreachable, InvalidQuestion, ModelUnavailable, report_unexpected
from assistant.models import Answer
from assistant.service import Assistant
from assistant.web.conversation import Conversation, Turn
from assistant.web.documents import document_rows, failed_rows, index_summary, overview_charts
from assistant.web.files import LinkSigner, Reader
from assistant.web.sessions import BrowserSessions, session_cookie
from assistant.web.sources import EMPTY_PANEL, WRITING_PANEL, doc_type_label, sources_panel

RATINGS = {True: "positif", False: "negatif"}
EXPORT_LABEL = "Exporter la conversation (Markdown)"
NO_EXPORT = f'<span class="export-link" aria-disabled="true">{EXPORT_LABEL}</span>'


class ChatEvents:
    """The handlers the page's events call; one instance serves every session."""

    def __init__(self, assistant: Assistant, links: LinkSigner, sessions: BrowserSessions) -> None:
        self.assistant = assistant
        self.links = links
        self.sessions = sessions
        # As many answers at once as the queue lets through; also held while a stopped answer's generator closes.
        self._answer_slots = threading.BoundedSemaphore(assistant.settings.web.concurrent_answers)

    def start_session(self, request: gr.Request) -> tuple[Any, ...]:
        """Who is connected, the filter choices this user may use, the documents tab.

        The conversation itself starts with the first question: a question asked while the page still loads must
        not be overwritten by an empty conversation from here.
        """
        user = request.username
        visible = self.assistant.indexed_documents(self.assistant.access.levels_for(user)).values()
        types = sorted({info.doc_type for info in visible})
        regions = sorted({region for info in visible for region in info.regions})
        years = sorted({info.year for info in visible if info.year}, reverse=True)
        return (self.identity(user),
                gr.update(choices=[(doc_type_label(t), t) for t in types]), gr.update(choices=regions),
                gr.update(choices=years), gr.update(choices=years), *self.documents_view(request))

    def documents_view(self, request: gr.Request) -> tuple[Any, ...]:
        """The documents tab for this user's levels; the failed files' table only when it has rows."""
        levels = self.assistant.access.levels_for(request.username)
        manifest = self.assistant.manifest()
        visible = self.assistant.indexed_documents(levels)
        failed = failed_rows(manifest, levels)
        return (index_summary(manifest, len(visible), levels),
                document_rows(manifest, visible, self.links.for_reader(reader_of(request))),
                gr.update(value=failed, visible=bool(failed)))

    def documents_overview(self, request: gr.Request) -> str:
        """Counts of the documents this user may read, by type, region and year, as charts."""
        levels = self.assistant.access.levels_for(request.username)
        return overview_charts(list(self.assistant.indexed_documents(levels).values()))

    def identity(self, user: str | None) -> str:
        """Who is connected and which confidentiality levels they are served."""
        levels = ", ".join(self.assistant.access.levels_for(user))
        if user is None:
            return f"Accès sans connexion · niveaux servis : {levels}"
        return (f"Connecté : **{user}** · rôle *{self.assistant.access.role_of(user)}* · niveaux : {levels} · "
                "[Se déconnecter](logout)")

    def begin(self, question: str, conversation: Conversation | None, doc_types: list[str], regions: list[str],
              year_from: int | None, year_to: int | None, documents: list[str] | None,
              request: gr.Request) -> tuple[Any, ...]:
        """Check the question and the filters (and the documents the conversation is restricted to), then add the
        turn the answer will fill."""
        conversation = conversation or Conversation(user=request.username, session=reader_of(request).session)
        try:
            question = self.assistant.check_question(question)
        except InvalidQuestion as error:
            raise gr.Error(str(error), title="Question") from error
        if conversation.answering:
            raise gr.Error("Une réponse est en cours : attendez-la ou arrêtez-la.", title="Un instant")
        if year_from and year_to and year_from > year_to:
            raise gr.Error("L'année de début dépasse l'année de fin.", title="Filtres")
        filters = self.assistant.filters_for(request.username, doc_types=tuple(doc_types or ()),
                                             regions=tuple(regions or ()), year_from=year_from or None,
                                             year_to=year_to or None, documents=tuple(documents or ()))
        conversation.turns.append(Turn(Answer(question, ""), filters))
        self.sessions.keep_conversation(conversation.session, conversation)
        return (conversation, "", conversation.messages(conversation.links(self.links)), WRITING_PANEL,
                *answering_buttons(True))

    def stream_answer(self, conversation: Conversation) -> Iterator[tuple[Any, ...]]:
        """The answer as it is written, then its sources panel and the export link."""
        turn = conversation.turns[-1]  # added by ``begin``, which this event follows
        links = conversation.links(self.links)
        try:
            with self._answer_slots:
                for answer in self.assistant.stream(turn.answer.question, turn.filters, conversation.history()):
                    if turn.stopped:
                        break  # its last update below carries « Réponse interrompue. »
                    turn.answer = answer
                    yield conversation.messages(links), gr.skip(), gr.skip()
        except AssistantError as error:
            turn.answer = Answer(turn.answer.question, failure_message(error))
        except Exception as error:  # a bug: its traceback goes to the log file, the reader is told where
            turn.answer = Answer(turn.answer.question,
                                 report_unexpected(error, self.assistant.settings.log_file))
        finally:
            turn.done = True
        yield (conversation.messages(links), sources_panel(turn.answer, turn.filters, links),
               export_link(conversation))

    def stop_answer(self, conversation: Conversation | None) -> tuple[Any, ...]:
        """Keep what was written so far, marked as interrupted (the queue cancels the generator)."""
        conversation = conversation or Conversation()
        if conversation.answering:
            turn = conversation.turns[-1]
            turn.stopped = turn.done = True
        last = conversation.turns[-1] if conversation.turns else None
        links = conversation.links(self.links)
        panel = sources_panel(last.answer, last.filters, links) if last else EMPTY_PANEL
        return conversation.messages(links), panel, export_link(conversation), *answering_buttons(False)

    def shown_messages(self, conversation: Conversation | None) -> list[dict[str, str]]:
        """The conversation as the chat shows it, sent again after a stop: an update the cancelled answer had already
        sent may reach the page after the stop's own and would show the answer cut, without « Réponse
        interrompue. »."""
        conversation = conversation or Conversation()
        return conversation.messages(conversation.links(self.links))

    def rate(self, data: gr.LikeData, conversation: Conversation, request: gr.Request) -> tuple[Any, ...]:
        """Store a thumbs up or down with the answer, its sources and settings; offer a comment."""
        number = (data.index if isinstance(data.index, int) else data.index[0]) // 2
        if data.liked not in RATINGS or number >= len(conversation.turns):
            return gr.skip(), gr.skip()
        turn = conversation.turns[number]
        if not turn.done:
            raise gr.Error("Attendez la fin de la réponse pour l'évaluer.", title="Un instant")
        turn.feedback_id = self.assistant.record_feedback(
            turn.answer, RATINGS[data.liked], turn.filters, conversation_id=conversation.id, turn=number,
            user=request.username)
        turn.rating = RATINGS[data.liked]
        conversation.rated_turn = number
        return (gr.update(visible=True),
                f"Merci, votre appréciation de la réponse {number + 1} est enregistrée. Un commentaire ?")

    def send_comment(self, comment: str, conversation: Conversation | None) -> tuple[Any, ...]:
        """Attach the comment to the answer rated last."""
        if conversation is None or conversation.rated_turn is None:
            raise gr.Error("Évaluez d'abord une réponse (pouce levé ou baissé).", title="Commentaire")
        if not comment.strip():
            raise gr.Error("Le commentaire est vide.", title="Commentaire")
        turn = conversation.turns[conversation.rated_turn]
        if turn.feedback_id is not None:
            self.assistant.feedback.add_comment(turn.feedback_id, comment)
        return "", gr.update(visible=False), f"Commentaire enregistré pour la réponse {conversation.rated_turn + 1}."

    def new_conversation(self, conversation: Conversation | None, request: gr.Request) -> tuple[Any, ...]:
        """Start again: an answer being written is stopped; the old conversation can no longer be exported."""
        if conversation and conversation.answering:
            conversation.turns[-1].stopped = True
        if conversation:
            self.sessions.drop_conversation(conversation.session, conversation.id)
        fresh = Conversation(user=request.username, session=reader_of(request).session)
        return fresh, [], EMPTY_PANEL, NO_EXPORT, "", *answering_buttons(False)


def reader_of(request: gr.Request) -> Reader:
    """The browser session (its cookie, set by the server on the first request) and the user of a request."""
    return Reader(session_cookie(request.headers.get("cookie", "")) or "", request.username)


def export_link(conversation: Conversation) -> str:
    """The export link (served by ``/exports/<id>`` to this session only), or a disabled label while there is
    nothing to export."""
    if not conversation.turns:
        return NO_EXPORT
    return f'<a class="export-link" href="exports/{html.escape(conversation.id)}" download>{EXPORT_LABEL}</a>'


def failure_message(error: AssistantError) -> str:
    """What the chat shows in place of an answer that could not be written."""
    if isinstance(error, ModelUnavailable):
        return f"Le modèle de langue est indisponible : {error}"
    if isinstance(error, ChromaUnreachable):
        return f"La recherche est indisponible : {error}"
    return str(error)


def answering_buttons(answering: bool) -> tuple[dict[str, Any], dict[str, Any]]:
    """Send while idle, stop while an answer is written."""
    return gr.update(visible=not answering), gr.update(visible=answering)
