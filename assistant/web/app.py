"""The Gradio web chat: streamed answers with numbered citations, and the cited passages under each answer."""

from __future__ import annotations

import html
from collections.abc import Iterator

import gradio as gr

from assistant.answer.citations import cited_sources
from assistant.models import Answer, Source
from assistant.service import Assistant

TITLE = "Solidarité RAG"
DESCRIPTION = ("Posez une question sur les Alliances pour la solidarité (PAGSIS 2010-2015). Chaque réponse cite ses "
               "sources : document, page et passage exact.")
EXAMPLES = [
    "Quel est le rôle des CRÉ dans les Alliances pour la solidarité ?",
    "Quel montant l'entente de la Mauricie prévoit-elle pour 2013-2014 ?",
    "Quelles tensions entre acteurs le rapport relève-t-il ?",
]
SOURCES_TITLE = "Sources citées"


def build_app(assistant: Assistant) -> gr.Blocks:
    """The chat page; its ``/chat`` API is the same function the page calls."""

    def respond(message: str, history: list[dict]) -> Iterator[list[dict]]:
        question = message.strip()
        if not question:
            yield [{"role": "assistant", "content": "Écrivez une question pour commencer."}]
            return
        answer = Answer(question, "")
        for answer in assistant.stream(question):
            yield [{"role": "assistant", "content": answer.text}]
        yield answer_messages(answer)

    return gr.ChatInterface(
        respond,
        title=TITLE,
        description=DESCRIPTION,
        examples=EXAMPLES,
        examples_label="Exemples",
        chatbot=gr.Chatbot(label="Conversation", height=560, placeholder="Posez votre question sur le corpus."),
        textbox=gr.Textbox(placeholder="Votre question…", submit_btn="Envoyer", stop_btn="Arrêter"),
        api_name="chat",
        fill_height=True,
    )


def answer_messages(answer: Answer) -> list[dict]:
    """The answer, then a box with the sources it cites (or, for a refusal, the closest passages found)."""
    messages = [{"role": "assistant", "content": answer.text}]
    shown = cited_sources(answer.sources, answer.cited_numbers)
    if shown:
        messages.append({"role": "assistant", "content": sources_markdown(shown),
                         "metadata": {"title": SOURCES_TITLE, "status": "done"}})
    return messages


def sources_markdown(sources: list[Source]) -> str:
    """Each source: number, title, page, path, and the exact passage, escaped so that it is shown as data."""
    blocks = []
    for source in sources:
        passage = source.passage
        page = f", page {passage.page_label or passage.page}" if passage.page else ""
        excerpt = html.escape(" ".join(passage.text.split()))
        blocks.append(f"**[{source.number}] {html.escape(passage.info.title)}**{page}  \n"
                      f"<small>{html.escape(passage.info.path)}</small>\n\n> {excerpt}")
    return "\n\n".join(blocks)
