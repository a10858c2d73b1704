"""Helpers for the web tests: a scripted chat model that streams slowly, a users file, headless Debian Chromium."""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage
from langchain_core.outputs import ChatGenerationChunk

from assistant.access import hash_password

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
