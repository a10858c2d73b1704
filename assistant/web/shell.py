"""Around the chat: the active filters as chips beside the question box, conversations restricted to chosen
documents, suggested follow-up questions, and the conversations kept per user (per browser when login is off),
listed in a side panel, reopened and deleted."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import gradio as gr

from assistant.conversations import StoredConversation, StoredTurn
from assistant.french import fold
from assistant.models import DocumentInfo
from assistant.service import Assistant
from assistant.web.browsers import owner_of
from assistant.web.conversation import Conversation, Turn
from assistant.web.events import ChatEvents, export_link, reader_of
from assistant.web.sources import doc_type_label, sources_panel
from assistant.web.suggestions import follow_up_questions

SUGGESTIONS = 3
CHIP_TITLES = 2  # document titles a chip names before « et N autres »
CHIP_TITLE_CHARS = 40
CLEAR = "✕"
NEW_CONVERSATION_OUTPUTS = 7  # what ``ChatEvents.new_conversation`` gives: conversation, chat, panel, export…
NOT_YOURS = "Cette conversation n'existe plus ou n'est pas la vôtre."
RATING_VALUES = {"positif": "Like", "negatif": "Dislike"}  # as the chatbot's ``feedback_options`` name them


@dataclass
class Filters:
    """The filter components of the page, and the documents a conversation is restricted to (``doc_id``s)."""

    doc_types: gr.CheckboxGroup
    regions: gr.Dropdown
    year_from: gr.Dropdown
    year_to: gr.Dropdown
    documents: gr.State

    def components(self) -> list[Any]:
        """In the order the handlers take and give them."""
        return [self.doc_types, self.regions, self.year_from, self.year_to, self.documents]


@dataclass
class Chips:
    """One chip per active filter, beside the question box; a click clears that filter."""

    row: gr.Row
    doc_types: gr.Button
    regions: gr.Button
    years: gr.Button
    documents: gr.Button

    @classmethod
    def build(cls) -> Chips:
        """The chips' row, hidden while no filter is set."""
        with gr.Row(visible=False, elem_id="active-filters", equal_height=True) as row:
            gr.HTML('<span class="chips-label">Filtres actifs :</span>', padding=False, elem_classes="chips-label")
            buttons = [gr.Button(visible=False, size="sm", elem_id=f"chip-{name}", elem_classes="filter-chip",
                                 scale=0, min_width=0) for name in ("types", "regions", "years", "documents")]
        return cls(row, *buttons)

    def components(self) -> list[Any]:
        return [self.row, self.doc_types, self.regions, self.years, self.documents]


@dataclass
class Suggestions:
    """The follow-up questions under an answer, one button each."""

    row: gr.Row
    buttons: list[gr.Button]

    @classmethod
    def build(cls) -> Suggestions:
        with gr.Row(visible=False, elem_id="suggestions") as row:
            gr.HTML('<span class="chips-label">Questions suggérées :</span>', padding=False)
            buttons = [gr.Button(visible=False, size="sm", elem_classes="suggestion", scale=0, min_width=0)
                       for _ in range(SUGGESTIONS)]
        return cls(row, buttons)

    def components(self) -> list[Any]:
        return [self.row, *self.buttons]


class ShellEvents:
    """The handlers of the chips, the restriction to documents, the suggestions and the kept conversations."""

    def __init__(self, assistant: Assistant, chat: ChatEvents) -> None:
        self.assistant = assistant
        self.chat = chat
        self.store = assistant.conversations

    def visible_documents(self, request: gr.Request) -> dict[str, DocumentInfo]:
        """The documents this user may search, by ``doc_id``."""
        return self.assistant.indexed_documents(self.assistant.access.levels_for(request.username))

    def chips(self, doc_types: list[str] | None, regions: list[str] | None, year_from: int | None,
              year_to: int | None, documents: list[str] | None, request: gr.Request) -> tuple[Any, ...]:
        """The chips of the filters set now: the next question is asked with exactly these."""
        labels = [
            "Types : " + ", ".join(doc_type_label(t) for t in doc_types) if doc_types else "",
            "Régions : " + ", ".join(regions) if regions else "",
            f"Années : {year_from or '…'} à {year_to or '…'}" if year_from or year_to else "",
            self.documents_label(documents or [], request) if documents else "",
        ]
        chips = [gr.update(value=f"{label} {CLEAR}", visible=True) if label else gr.update(visible=False)
                 for label in labels]
        return gr.update(visible=any(labels)), *chips

    def documents_label(self, documents: list[str], request: gr.Request) -> str:
        """« Documents : Entente – Mauricie, Entretien… » naming the first few chosen documents."""
        visible = self.visible_documents(request)
        titles = [_short(visible[doc_id].title) for doc_id in documents if doc_id in visible]
        more = f" et {len(titles) - CHIP_TITLES} autre(s)" if len(titles) > CHIP_TITLES else ""
        return "Seulement : " + ", ".join(titles[:CHIP_TITLES]) + more

    def restrict(self, chosen: list[str] | None, request: gr.Request) -> tuple[Any, ...]:
        """Restrict the conversation to the documents chosen in the documents tab, then go back to the chat."""
        documents = self.only_visible(chosen or [], request)
        if not documents:
            raise gr.Error("Choisissez d'abord un ou plusieurs documents dans la liste.", title="Documents")
        return documents, gr.Tabs(selected="chat")

    def restrict_to_cited(self, conversation: Conversation | None, request: gr.Request) -> list[str]:
        """Restrict the conversation to the documents the last answer cites."""
        if not conversation or not conversation.turns:
            raise gr.Error("Posez d'abord une question : ses sources citées deviendront la sélection.",
                           title="Documents")
        cited = [source.passage.info.doc_id for source in conversation.turns[-1].answer.shown_sources]
        return self.only_visible(list(dict.fromkeys(cited)), request)

    def only_visible(self, documents: list[str], request: gr.Request) -> list[str]:
        """The chosen documents this user may search (a name the page sent for another is dropped)."""
        visible = self.visible_documents(request)
        return [doc_id for doc_id in documents if doc_id in visible]

    def document_choices(self, request: gr.Request) -> dict[str, Any]:
        """The documents tab's list of documents a conversation can be restricted to."""
        visible = sorted(self.visible_documents(request).values(), key=lambda info: info.title.lower())
        return gr.update(choices=[(info.title, info.doc_id) for info in visible], value=[])

    def pick_row(self, chosen: list[str] | None, event: gr.SelectData, request: gr.Request) -> list[str]:
        """A click on a row of the documents table adds its document to the choice."""
        file_cell = str((event.row_value or [""])[-1])
        doc_id = file_cell[file_cell.rindex(" (") + 2:-1] if file_cell.endswith(")") and " (" in file_cell \
            else file_cell
        return self.only_visible(list(dict.fromkeys([*(chosen or []), doc_id])), request)

    def search_documents(self, query: str, request: gr.Request) -> list[list[Any]]:
        """The documents table's rows whose cells hold every word typed (accents and case ignored)."""
        rows = self.chat.documents_view(request)[1]
        words = fold(query).split()
        return [row for row in rows if all(word in fold(" ".join(map(str, row))) for word in words)]

    def after_answer(self, conversation: Conversation, request: gr.Request) -> tuple[Any, ...]:
        """Keep the conversation; suggest follow-up questions; list the conversations."""
        self.keep(conversation, request)
        turn = conversation.turns[-1]
        suggested = follow_up_questions(turn.answer) if turn.done and not turn.stopped else []
        return (*suggestion_updates(suggested), gr.update(visible=bool(turn.answer.shown_sources)),
                self.listing(request, conversation.id))

    def keep(self, conversation: Conversation | None, request: gr.Request) -> None:
        """Store the conversation's finished turns for its owner."""
        owner = owner_of(request.username, request.headers.get("cookie", ""))
        turns = [StoredTurn(t.answer, t.filters, t.stopped, t.rating) for t in (conversation.turns
                                                                                  if conversation else []) if t.done]
        if owner and turns:
            self.store.save(StoredConversation(conversation.id, owner, turns))  # type: ignore[union-attr]

    def listing(self, request: gr.Request, selected: str | None = None) -> dict[str, Any]:
        """The side panel: this owner's conversations, the most recent first."""
        owner = owner_of(request.username, request.headers.get("cookie", ""))
        summaries = self.store.summaries(owner) if owner else []
        choices = [(f"{s.title} · {s.updated_at[:16].replace('T', ' ')}", s.id) for s in summaries]
        return gr.update(choices=choices, value=selected if selected in {s.id for s in summaries} else None)

    def start(self, request: gr.Request) -> tuple[Any, ...]:
        """On page load: the kept conversations and the documents a conversation can be restricted to."""
        return self.listing(request), self.document_choices(request)

    def open(self, conversation_id: str | None, current: Conversation | None,
             request: gr.Request) -> tuple[Any, ...]:
        """Reopen a kept conversation of this owner: its answers, sources, verdicts and ratings, and the filters
        of its last question (shown as chips)."""
        owner = owner_of(request.username, request.headers.get("cookie", ""))
        stored = self.store.load(owner, conversation_id) if owner and conversation_id else None
        if stored is None:
            raise gr.Error(NOT_YOURS, title="Conversation")
        if current and current.answering:
            raise gr.Error("Une réponse est en cours : attendez-la ou arrêtez-la.", title="Un instant")
        if current:
            self.chat.sessions.drop_conversation(current.session, current.id)
        conversation = Conversation(user=request.username, session=reader_of(request).session, id=stored.id,
                                    turns=[Turn(t.answer, t.filters, done=True, stopped=t.stopped, rating=t.rating)
                                           for t in stored.turns])
        self.chat.sessions.keep_conversation(conversation.session, conversation)
        links = conversation.links(self.chat.links)
        last = conversation.turns[-1]
        chatbot = gr.update(value=conversation.messages(links),
                            feedback_value=[RATING_VALUES.get(t.rating) for t in conversation.turns])
        filters = last.filters
        return (conversation, chatbot, sources_panel(last.answer, filters, links), export_link(conversation),
                list(filters.doc_types), list(filters.regions), filters.year_from, filters.year_to,
                self.only_visible(list(filters.documents), request),
                *suggestion_updates(follow_up_questions(last.answer) if not last.stopped else []),
                gr.update(visible=bool(last.answer.shown_sources)))

    def delete(self, conversation_id: str | None, current: Conversation | None,
               request: gr.Request) -> tuple[Any, ...]:
        """Delete the chosen conversation (its row is gone from the file); if it is the one on screen, the chat
        starts afresh."""
        owner = owner_of(request.username, request.headers.get("cookie", ""))
        if not conversation_id:
            raise gr.Error("Choisissez d'abord une conversation dans la liste.", title="Conversation")
        if not owner or not self.store.delete(owner, conversation_id):
            raise gr.Error(NOT_YOURS, title="Conversation")
        gr.Info("Conversation supprimée.", title="Conversation")
        if current is not None and current.id == conversation_id:
            return self.listing(request), *self.chat.new_conversation(current, request)
        return self.listing(request), *[gr.skip()] * NEW_CONVERSATION_OUTPUTS

    def cleared(self, request: gr.Request) -> tuple[Any, ...]:
        """« Nouvelle conversation »: no filter, no restriction, no suggestion, nothing chosen in the list."""
        return ([], [], None, None, [], *suggestion_updates([]), gr.update(visible=False), self.listing(request))



def suggestion_updates(questions: list[str]) -> list[Any]:
    """The suggestions' row and buttons for these questions (hidden when there are none)."""
    buttons = [gr.update(value=questions[i], visible=True) if i < len(questions) else gr.update(visible=False)
               for i in range(SUGGESTIONS)]
    return [gr.update(visible=bool(questions)), *buttons]


def _short(text: str) -> str:
    return text if len(text) <= CHIP_TITLE_CHARS else text[:CHIP_TITLE_CHARS - 1].rstrip() + "…"
