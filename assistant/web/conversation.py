"""One browser session's conversation: its turns (answer, filters, state), as chat messages and as Markdown."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field

from assistant.models import Answer, Exchange, SearchFilters
from assistant.web.files import LinkSigner, Reader
from assistant.web.sources import (code_span, describe_document, describe_filters, linked_markers, markdown_literal,
                                   markdown_text, page_text, removed_sentences, verdicts_of)

STOPPED_NOTE = "*Réponse interrompue.*"
WAITING = "Recherche dans le corpus…"


@dataclass
class Turn:
    """A question, its answer so far, and the filters it was asked with."""

    answer: Answer
    filters: SearchFilters
    done: bool = False
    stopped: bool = False
    feedback_id: int | None = None
    rating: str = ""  # the reader's thumbs: "positif", "negatif" or "" (kept with the conversation)


@dataclass
class Conversation:
    """Everything one browser session said and was told; never shared between sessions."""

    user: str | None = None
    session: str = ""  # the browser session it belongs to: its links and its export are that session's only
    id: str = field(default_factory=lambda: uuid.uuid4().hex)
    turns: list[Turn] = field(default_factory=list)
    rated_turn: int | None = None  # the answer a comment goes with

    @property
    def answering(self) -> bool:
        """Whether the last answer is still being written."""
        return bool(self.turns) and not self.turns[-1].done

    def history(self) -> list[Exchange]:
        """The finished exchanges before the last question, for the service to read a follow-up question."""
        return [Exchange(turn.answer.question, turn.answer.text) for turn in self.turns[:-1] if turn.done]

    def links(self, signer: LinkSigner) -> LinkSigner:
        """The signer of this conversation's links: valid only for its session and user."""
        return signer.for_reader(Reader(self.session, self.user))

    def messages(self, links: LinkSigner) -> list[dict[str, str]]:
        """The chat as Gradio messages: exactly one user and one assistant message per turn."""
        messages = []
        for turn in self.turns:
            messages.append({"role": "user", "content": markdown_text(turn.answer.question)})
            messages.append({"role": "assistant", "content": _answer_markdown(turn, links)})
        return messages

    def markdown(self, role: str) -> str:
        """The whole conversation with its sources, for the export; everything that comes from documents, questions
        or answers is escaped, so that a Markdown reader shows it as text."""
        now = dt.datetime.now().strftime("%Y-%m-%d %H:%M")
        who = f" par {self.user}" + (f" ({role})" if role else "") if self.user else ""
        lines = ["# Conversation avec l'assistant Solidarité RAG", "",
                 f"Exportée le {now}{markdown_literal(who)}.", ""]
        for number, turn in enumerate(self.turns, start=1):
            lines += [f"## Question {number}", "", markdown_literal(turn.answer.question), ""]
            if describe_filters(turn.filters):
                lines += [f"*{markdown_literal(describe_filters(turn.filters))}*", ""]
            lines += ["### Réponse", "", markdown_literal(turn.answer.text) or "(aucune réponse)", ""]
            if turn.answer.refused:
                lines += [f"*{markdown_literal(turn.answer.refusal_reason)}*", ""]
            if turn.stopped:
                lines += [STOPPED_NOTE, ""]
            sources = turn.answer.shown_sources if turn.done else []
            if sources:
                lines += ["### Sources" if turn.answer.cited_numbers else "### Passages consultés", ""]
            for source in sources:
                info = source.passage.info
                facts = ", ".join(p for p in (describe_document(info), page_text(source)) if p)
                lines += [f"{source.number}. **{markdown_literal(info.title)}** — {markdown_literal(facts)} — "
                          f"{code_span(info.path)}", ""]
                if verdicts_of(turn.answer, source.number):
                    lines += [f"   Vérification : {verdicts_of(turn.answer, source.number)}", ""]
                lines += ["   > " + markdown_literal(line) for line in source.passage.text.strip().splitlines()]
                lines += [""]
            removed = removed_sentences(turn.answer)
            if removed:
                lines += ["Phrases retirées par la vérification (aucune source ne les appuie) :", ""]
                lines += [f"- {markdown_literal(sentence)}" for sentence in removed] + [""]
        return "\n".join(lines)


def _answer_markdown(turn: Turn, links: LinkSigner) -> str:
    parts = [linked_markers(turn.answer.text, turn.answer.sources, links, turn.answer) or WAITING]
    if turn.stopped:
        parts.append(STOPPED_NOTE)
    if describe_filters(turn.filters):
        parts.append(f"<sub>{describe_filters(turn.filters)}</sub>")
    return "\n\n".join(parts)
