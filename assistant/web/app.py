"""The web chat: streamed answers with clickable citations, a sources panel, filters, feedback, export, a documents
tab and optional login; ``create_server`` mounts it with the corpus file routes on one FastAPI app."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import gradio as gr
import uvicorn
from fastapi import FastAPI

from assistant.service import Assistant
from assistant.web.documents import DOCUMENT_HEADERS, FAILED_HEADERS
from assistant.web.events import ChatEvents, answering_buttons
from assistant.web.files import LinkSigner
from assistant.web.routes import corpus_routes
from assistant.web.sources import EMPTY_PANEL

TITLE = "Solidarité RAG"
DESCRIPTION = ("Posez une question sur les Alliances pour la solidarité (PAGSIS 2010-2015). Chaque réponse cite ses "
               "sources : cliquez sur un numéro [1] pour ouvrir le document à la page citée.")
EXAMPLES = [
    "Quel est le rôle des CRÉ dans les Alliances pour la solidarité ?",
    "Quel montant l'entente de la Mauricie prévoit-elle pour 2013-2014 ?",
    "Quelles tensions entre acteurs le rapport relève-t-il ?",
]
LOGIN_MESSAGE = "Connectez-vous avec le nom et le mot de passe que l'équipe vous a remis."
STYLE = Path(__file__).with_name("style.css")


def create_server(assistant: Assistant, links: LinkSigner | None = None) -> FastAPI:
    """One FastAPI app: the corpus file routes, then the chat at ``/`` (behind a login if the settings name users)."""
    links = links or LinkSigner(assistant.settings.web.link_hours)
    server = FastAPI(title=TITLE, docs_url=None, redoc_url=None, openapi_url=None)
    server.include_router(corpus_routes(assistant, links))
    blocks = build_blocks(assistant, links)
    blocks.queue(default_concurrency_limit=4)
    policy = assistant.access
    return gr.mount_gradio_app(server, blocks, path="/", footer_links=[], css_paths=[STYLE],
                               auth=policy.authenticate if policy.login_required else None,
                               auth_message=LOGIN_MESSAGE, theme=gr.themes.Soft())


@contextmanager
def serving(assistant: Assistant, links: LinkSigner | None = None, host: str = "127.0.0.1",
            port: int = 0) -> Iterator[str]:
    """The server in a background thread (port 0: any free port), for tests and scripts; yields its address."""
    server = uvicorn.Server(uvicorn.Config(create_server(assistant, links), host=host, port=port,
                                           log_level="warning", timeout_graceful_shutdown=1))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("le serveur web n'a pas démarré")
        time.sleep(0.05)
    bound_port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://{host}:{bound_port}/"
    finally:
        server.should_exit = True
        thread.join(timeout=15)


def build_blocks(assistant: Assistant, links: LinkSigner) -> gr.Blocks:
    """The page: chat and sources panel with filters, and the documents tab."""
    events = ChatEvents(assistant, links)
    with gr.Blocks(title=TITLE, fill_height=True, delete_cache=(3600, 24 * 3600)) as blocks:
        conversation = gr.State()
        with gr.Row(elem_id="banner"):
            gr.Markdown(f"# {TITLE}\n{DESCRIPTION}")
            identity = gr.Markdown(elem_id="identity")
        with gr.Tabs():
            with gr.Tab("Clavardage", id="chat"):
                with gr.Row(equal_height=False):
                    with gr.Column(scale=3):
                        chatbot = gr.Chatbot(label="Conversation", height=560, elem_id="chat",
                                             placeholder="Posez votre question sur le corpus.",
                                             feedback_options=("Like", "Dislike"), buttons=["copy"])
                        with gr.Row():
                            question = gr.Textbox(placeholder="Votre question…", show_label=False, scale=6,
                                                  lines=1, max_lines=6, autofocus=True, elem_id="question")
                            send = gr.Button("Envoyer", variant="primary", scale=1, min_width=100)
                            stop = gr.Button("Arrêter", variant="stop", scale=1, min_width=100, visible=False)
                        feedback_status = gr.Markdown(elem_id="feedback-status")
                        with gr.Row(visible=False) as comment_row:
                            comment = gr.Textbox(label="Votre commentaire (facultatif)", scale=6, elem_id="comment")
                            comment_send = gr.Button("Envoyer le commentaire", scale=1)
                        with gr.Row():
                            export = gr.DownloadButton("Exporter la conversation (Markdown)", interactive=False,
                                                       size="sm")
                            restart = gr.Button("Nouvelle conversation", size="sm")
                        gr.Examples(EXAMPLES, inputs=question, label="Exemples")
                    with gr.Column(scale=2):
                        with gr.Accordion("Filtres (appliqués à la prochaine question)", open=True):
                            doc_types = gr.CheckboxGroup(label="Type de document", elem_id="filter-types")
                            regions = gr.Dropdown(label="Régions", multiselect=True, elem_id="filter-regions")
                            with gr.Row():
                                year_from = gr.Dropdown(label="De l'année", elem_id="filter-from")
                                year_to = gr.Dropdown(label="À l'année", elem_id="filter-to")
                        panel = gr.HTML(EMPTY_PANEL, elem_id="sources-panel", padding=False)
            with gr.Tab("Documents", id="documents"):
                summary = gr.Markdown(elem_id="index-summary")
                table = gr.Dataframe(headers=DOCUMENT_HEADERS, datatype=["markdown"] + ["str"] * 8,
                                     interactive=False, label="Documents indexés", show_search="search",
                                     wrap=True, elem_id="documents-table", max_height=700,
                                     column_widths=["28%", "8%", "13%", "10%", "6%", "7%", "10%", "6%", "12%"])
                failed = gr.Dataframe(headers=FAILED_HEADERS, interactive=False, label="Fichiers en échec",
                                      wrap=True, elem_id="failed-table", visible=False,
                                      column_widths=["35%", "65%"])
                refresh = gr.Button("Actualiser", size="sm")

        blocks.load(events.start_session, None, [identity, doc_types, regions, year_from, year_to, summary, table,
                                                 failed], api_visibility="private")
        buttons = [send, stop]
        asked = gr.on([question.submit, send.click], events.begin,
                      [question, conversation, doc_types, regions, year_from, year_to],
                      [conversation, question, chatbot, panel, *buttons], api_visibility="private")
        answered = asked.success(events.stream_answer, conversation, [chatbot, panel, export],
                                 concurrency_id="answer", concurrency_limit=assistant.settings.web.concurrent_answers,
                                 api_visibility="private", show_progress="minimal")
        answered.then(lambda: answering_buttons(False), None, buttons, api_visibility="private")
        stop.click(events.stop_answer, conversation, [chatbot, panel, export, *buttons], cancels=[answered],
                   api_visibility="private", queue=False)
        chatbot.like(events.rate, conversation, [comment_row, feedback_status], api_visibility="private")
        gr.on([comment.submit, comment_send.click], events.send_comment, [comment, conversation],
              [comment, comment_row, feedback_status], api_visibility="private")
        gr.on([restart.click, chatbot.clear], events.new_conversation, conversation,
              [conversation, chatbot, panel, export, feedback_status, *buttons], cancels=[answered],
              api_visibility="private")
        refresh.click(events.documents_view, None, [summary, table, failed], api_visibility="private")
    return blocks
