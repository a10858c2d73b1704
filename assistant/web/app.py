"""The web chat: streamed answers with clickable citations, a sources panel, filters, feedback, export, a documents
tab and optional login; ``create_server`` mounts it with the corpus file routes on one FastAPI app."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import gradio as gr
import uvicorn
from fastapi import FastAPI, Request
from starlette.routing import Mount

from assistant.access import LoginLimits, LoginThrottle
from assistant.service import Assistant
from assistant.web.browsers import BrowserCookies
from assistant.web.compare import build_compare_tab
from assistant.web.documents import DOCUMENT_HEADERS, FAILED_HEADERS
from assistant.web.events import NO_EXPORT, ChatEvents, answering_buttons
from assistant.web.excerpts import build_excerpts_tab
from assistant.web.files import SECONDS_PER_HOUR, LinkSigner
from assistant.web.french_ui import FRENCH, FrenchPage
from assistant.web.routes import corpus_routes
from assistant.web.shell import Chips, Filters, ShellEvents, Suggestions
from assistant.web.security import LoginLimiter, SecurityHeaders, SessionCookies
from assistant.web.marks import PASSAGE_STYLE
from assistant.web.sessions import BrowserSessions
from assistant.web.side_viewer import SideViewer, side_viewer
from assistant.web.sources import EMPTY_PANEL

TITLE = "Solidarité RAG"
DESCRIPTION = ("Posez une question sur les Alliances pour la solidarité (PAGSIS 2010-2015). Chaque réponse cite ses "
               "sources : cliquez sur un numéro [1] pour ouvrir le document à la page citée.")
EXAMPLES = [
    "Quel est le rôle des CRÉ dans les Alliances pour la solidarité ?",
    "Quel montant l'entente de la Mauricie prévoit-elle pour 2013-2014 ?",
    "Quelles tensions entre acteurs le rapport relève-t-il ?",
]
LOGIN_MESSAGE = ("Connectez-vous avec le nom et le mot de passe que l'équipe vous a remis. Après {free} essais "
                 "manqués, chaque nouvel essai doit attendre un peu plus; après {lockout}, le nom et l'adresse sont "
                 "verrouillés {minutes} minutes (l'équipe peut les déverrouiller).")
STYLE = Path(__file__).with_name("style.css")
# System fonts: a theme's web fonts would be fetched from an outside host.
THEME = gr.themes.Soft(font=["system-ui", "sans-serif"], font_mono=["ui-monospace", "monospace"])
NO_LATEX: list[dict[str, str | bool]] = []  # documents' and answers' dollar signs are text, never formulas


def create_server(assistant: Assistant, links: LinkSigner | None = None) -> FastAPI:
    """One FastAPI app: the corpus file and export routes, then the chat at ``/`` (behind a login if the settings
    name users); around them, security headers, browser sessions and slowed logins."""
    web = assistant.settings.web
    links = links or LinkSigner(web.link_hours)
    sessions = BrowserSessions(idle_seconds=web.link_hours * SECONDS_PER_HOUR)
    server = FastAPI(title=TITLE, docs_url=None, redoc_url=None, openapi_url=None)
    login = GradioLogin()
    server.include_router(corpus_routes(assistant, links, sessions, login.user))
    blocks = build_blocks(assistant, links, sessions)
    blocks.queue(default_concurrency_limit=4)
    policy = assistant.access
    message = LOGIN_MESSAGE.format(free=web.login_free_failures, lockout=web.login_lockout_failures,
                                   minutes=web.login_lockout_minutes)
    gr.mount_gradio_app(server, blocks, path="/", footer_links=[], css_paths=[STYLE, PASSAGE_STYLE],
                        auth=policy.authenticate if policy.login_required else None, auth_message=message,
                        theme=THEME, i18n=FRENCH, app_kwargs={"openapi_url": None, "docs_url": None, "redoc_url": None})
    login.app = next(route.app for route in server.routes if isinstance(route, Mount))
    server.add_middleware(SessionCookies, sessions=sessions)
    server.add_middleware(FrenchPage)
    if not policy.login_required:  # with login, conversations are the user's; without, the browser's
        server.add_middleware(BrowserCookies, store=assistant.conversations)
    if policy.login_required:
        server.add_middleware(LoginLimiter, throttle=LoginThrottle(web.login_db, LoginLimits.from_settings(web)))
    server.add_middleware(SecurityHeaders, always_secure=web.secure_cookies)
    return server


class GradioLogin:
    """Who is logged in to the mounted Gradio app, as its own routes read it (its login cookie, its tokens), for
    the routes beside it."""

    app: Any = None

    def user(self, request: Request) -> str | None:
        """The user name of the request's Gradio login, or None (logged out, or login off)."""
        cookies = request.cookies
        token = (cookies.get(f"access-token-{self.app.cookie_id}")
                 or cookies.get(f"access-token-unsecure-{self.app.cookie_id}"))
        return self.app.tokens.get(token)


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


def build_blocks(assistant: Assistant, links: LinkSigner, sessions: BrowserSessions) -> gr.Blocks:
    """The page: kept conversations, chat with its filter chips and suggestions, sources panel with filters, the
    researchers' Comparer and Extraits tabs, and the documents tab."""
    events = ChatEvents(assistant, links, sessions)
    shell = ShellEvents(assistant, events)
    with gr.Blocks(title=TITLE, fill_height=True) as blocks:
        conversation = gr.State()
        documents = gr.State([])
        with gr.Row(elem_id="banner"):
            gr.Markdown(f"# {TITLE}\n{DESCRIPTION}", latex_delimiters=NO_LATEX)
            identity = gr.Markdown(elem_id="identity", latex_delimiters=NO_LATEX)
        with gr.Tabs() as tabs:
            with gr.Tab("Clavardage", id="chat"):
                with gr.Row(equal_height=False):
                    with gr.Column(scale=1, min_width=200, elem_id="conversations-panel"):
                        kept = gr.Radio(label="Vos conversations", elem_id="conversation-list", choices=[])
                        delete = gr.Button("Supprimer la conversation choisie", size="sm", variant="stop")
                    with gr.Column(scale=3):
                        chatbot = gr.Chatbot(label="Conversation", height=560, elem_id="chat",
                                             placeholder="Posez votre question sur le corpus.",
                                             feedback_options=("Like", "Dislike"), buttons=["copy"],
                                             latex_delimiters=NO_LATEX)
                        suggestions = Suggestions.build()
                        chips = Chips.build()
                        with gr.Row():
                            question = gr.Textbox(label="Votre question", placeholder="Votre question…",
                                                  show_label=False, scale=6, lines=1, max_lines=6, autofocus=True,
                                                  elem_id="question")
                            send = gr.Button("Envoyer", variant="primary", scale=1, min_width=100)
                            stop = gr.Button("Arrêter", variant="stop", scale=1, min_width=100, visible=False)
                        feedback_status = gr.Markdown(elem_id="feedback-status", latex_delimiters=NO_LATEX)
                        with gr.Row(visible=False) as comment_row:
                            comment = gr.Textbox(label="Votre commentaire (facultatif)", scale=6, elem_id="comment")
                            comment_send = gr.Button("Envoyer le commentaire", scale=1)
                        with gr.Row():
                            export = gr.HTML(NO_EXPORT, elem_id="export", padding=False)
                            restart = gr.Button("Nouvelle conversation", size="sm")
                        gr.Examples(EXAMPLES, inputs=question, label="Exemples")
                    with gr.Column(scale=2):
                        with gr.Accordion("Filtres (appliqués aux prochaines questions)", open=True):
                            doc_types = gr.CheckboxGroup(label="Type de document", elem_id="filter-types")
                            regions = gr.Dropdown(label="Régions", multiselect=True, elem_id="filter-regions")
                            with gr.Row():
                                year_from = gr.Dropdown(label="De l'année", elem_id="filter-from")
                                year_to = gr.Dropdown(label="À l'année", elem_id="filter-to")
                        side = side_viewer()
                        panel = gr.HTML(EMPTY_PANEL, elem_id="sources-panel", padding=False)
                        only_cited = gr.Button("Interroger seulement ces documents", size="sm", visible=False,
                                               elem_id="only-cited")
            build_compare_tab(blocks, assistant, links)
            build_excerpts_tab(blocks, assistant, links)
            with gr.Tab("Documents", id="documents"):
                overview = gr.HTML(elem_id="documents-overview", padding=False)
                summary = gr.Markdown(elem_id="index-summary", latex_delimiters=NO_LATEX)
                with gr.Row(equal_height=True):
                    chosen = gr.Dropdown(label="Documents à interroger (ou cliquez sur une ligne du tableau)",
                                         multiselect=True, elem_id="documents-choice", scale=4)
                    only_chosen = gr.Button("Interroger seulement ces documents", variant="primary", scale=1)
                table_search = gr.Textbox(label="Rechercher un document",
                                          placeholder="Rechercher un document (titre, type, région…)",
                                          show_label=False, elem_id="documents-search")
                table = gr.Dataframe(headers=DOCUMENT_HEADERS, datatype=["html"] + ["str"] * 8,
                                     latex_delimiters=NO_LATEX, buttons=[],
                                     interactive=False, label="Documents indexés",
                                     wrap=True, elem_id="documents-table", max_height=700,
                                     column_widths=["28%", "8%", "13%", "10%", "6%", "7%", "10%", "6%", "12%"])
                failed = gr.Dataframe(headers=FAILED_HEADERS, interactive=False, label="Fichiers en échec",
                                      latex_delimiters=NO_LATEX, buttons=[],
                                      wrap=True, elem_id="failed-table", visible=False,
                                      column_widths=["35%", "65%"])
                refresh = gr.Button("Actualiser", size="sm")

        filters = Filters(doc_types, regions, year_from, year_to, documents)
        blocks.load(events.start_session, None, [identity, doc_types, regions, year_from, year_to, summary, table,
                                                 failed], api_visibility="private").then(
            shell.start, None, [kept, chosen], api_visibility="private")
        buttons = [send, stop]
        chat_outputs = [conversation, question, chatbot, panel, *buttons]
        typed = gr.on([question.submit, send.click], events.begin,
                      [question, conversation, *filters.components()], chat_outputs, api_visibility="private")
        # A suggested question is asked as if typed: it fills the box, then takes the same way.
        picked = [button.click(lambda text: text, button, question, api_visibility="private", queue=False).then(
            events.begin, [question, conversation, *filters.components()], chat_outputs, api_visibility="private")
            for button in suggestions.buttons]
        answering = []
        for asked in (typed, *picked):
            answered = asked.success(events.stream_answer, conversation, [chatbot, panel, export],
                                     concurrency_id="answer",
                                     concurrency_limit=assistant.settings.web.concurrent_answers,
                                     api_visibility="private", show_progress="minimal")
            answered.then(lambda: answering_buttons(False), None, buttons, api_visibility="private")
            answered.then(shell.after_answer, conversation, [*suggestions.components(), only_cited, kept],
                          api_visibility="private")
            answering.append(answered)
        stop.click(events.stop_answer, conversation, [chatbot, panel, export, *buttons], cancels=answering,
                   api_visibility="private", queue=False).then(
            events.shown_messages, conversation, chatbot, api_visibility="private").then(
            shell.keep, conversation, None, api_visibility="private")
        chatbot.like(events.rate, conversation, [comment_row, feedback_status],
                     api_visibility="private").then(shell.keep, conversation, None, api_visibility="private")
        side.open_source(SideViewer(assistant, links).open, conversation, side, api_visibility="private")
        gr.on([comment.submit, comment_send.click], events.send_comment, [comment, conversation],
              [comment, comment_row, feedback_status], api_visibility="private")
        new_conversation_outputs = [conversation, chatbot, panel, export, feedback_status, *buttons]
        restarted = gr.on([restart.click, chatbot.clear], events.new_conversation, conversation,
                          new_conversation_outputs, cancels=answering, api_visibility="private")
        restarted.then(shell.cleared, None, [*filters.components(), *suggestions.components(), only_cited, kept],
                       api_visibility="private")
        restarted.then(lambda: "", None, side, api_visibility="private")  # the side viewer closes with it
        kept.input(shell.open, [kept, conversation],
                   [conversation, chatbot, panel, export, *filters.components(), *suggestions.components(),
                    only_cited], api_visibility="private")
        delete.click(shell.delete, [kept, conversation], [kept, *new_conversation_outputs], api_visibility="private")
        gr.on([component.change for component in filters.components()], shell.chips, filters.components(),
              chips.components(), api_visibility="private", show_progress="hidden")
        chips.doc_types.click(list, None, doc_types, api_visibility="private", queue=False)
        chips.regions.click(list, None, regions, api_visibility="private", queue=False)
        chips.years.click(lambda: (None, None), None, [year_from, year_to], api_visibility="private", queue=False)
        chips.documents.click(list, None, documents, api_visibility="private", queue=False)
        only_chosen.click(shell.restrict, chosen, [documents, tabs], api_visibility="private")
        only_cited.click(shell.restrict_to_cited, conversation, documents, api_visibility="private")
        table.select(shell.pick_row, chosen, chosen, api_visibility="private")
        table_search.change(shell.search_documents, table_search, table, api_visibility="private",
                            show_progress="hidden")
        refresh.click(events.documents_view, None, [summary, table, failed], api_visibility="private")
        gr.on([blocks.load, refresh.click], events.documents_overview, None, overview, api_visibility="private")
    return blocks
