"""Helpers for the web tests: a scripted chat model that streams slowly, the app on a free port, a users file,
and headless Debian Chromium."""

from __future__ import annotations

import itertools
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import uvicorn
from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage
from langchain_core.outputs import ChatGenerationChunk

from assistant.access import hash_password
from assistant.service import Assistant
from assistant.web.app import create_server
from assistant.web.files import LinkSigner

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
ANSWER = "La ministre verse 1 505 000 $ à la CRÉ de la Mauricie pour 2013-2014 [1]."
PASSWORDS = {"marie": "equipe-2014!", "paul": "partenaire-2014!"}
USERS_FILE = """
[roles]
equipe = ["public", "interne", "confidentiel"]
partenaire = ["public", "interne"]

[utilisateurs.marie]
role = "equipe"
hachage = "{marie}"

[utilisateurs.paul]
role = "partenaire"
hachage = "{paul}"
"""


class ScriptedChatModel(GenericFakeChatModel):
    """Answers every question with the same text, streamed word by word, ``delay`` seconds apart."""

    delay: float = 0.0

    def _stream(self, *args: Any, **kwargs: Any) -> Iterator[ChatGenerationChunk]:
        for chunk in super()._stream(*args, **kwargs):
            time.sleep(self.delay)
            yield chunk


def scripted_model(answer: str = ANSWER, delay: float = 0.0) -> ScriptedChatModel:
    """A chat model that always gives this answer."""
    return ScriptedChatModel(messages=itertools.repeat(AIMessage(content=answer)), delay=delay)


def write_users_file(path: Path) -> Path:
    """Two accounts: marie (equipe, every level) and paul (partenaire, no confidential documents)."""
    hashes = {name: hash_password(password, rounds=4) for name, password in PASSWORDS.items()}
    path.write_text(USERS_FILE.format(**hashes), encoding="utf-8")
    return path


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def serve(assistant: Assistant, links: LinkSigner | None = None) -> Iterator[str]:
    """The real server (chat and file routes) on a free loopback port, in a thread; yields its address."""
    server = uvicorn.Server(uvicorn.Config(create_server(assistant, links), host="127.0.0.1", port=free_port(),
                                           log_level="warning", timeout_graceful_shutdown=1))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("le serveur de test n'a pas démarré")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{server.config.port}/"
    finally:
        server.should_exit = True
        thread.join(timeout=15)
