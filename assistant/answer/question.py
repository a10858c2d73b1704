"""A question as typed, made safe to search and answer: invisible and broken characters dropped, and an empty or
overlong question refused with a French message (a pasted document is not a question, and would slow every step)."""

from __future__ import annotations

import unicodedata

from assistant.errors import InvalidQuestion

# Control characters (binary garbage, NUL), lone surrogates (a broken paste) and unassigned code points.
_DROPPED_CATEGORIES = {"Cc", "Cs", "Cn", "Co"}


def clean_question(text: str, max_chars: int) -> str:
    """The question on one line, without invisible characters; refuse it when empty or longer than ``max_chars``."""
    kept = "".join(" " if char.isspace() else char for char in text
                   if char.isspace() or unicodedata.category(char) not in _DROPPED_CATEGORIES)
    question = " ".join(unicodedata.normalize("NFC", kept).split())
    if not question:
        raise InvalidQuestion("Écrivez une question pour commencer.")
    if len(question) > max_chars:
        raise InvalidQuestion(f"Votre question compte {_french_number(len(question))} caractères; la limite est de "
                              f"{_french_number(max_chars)}. Raccourcissez-la : une question précise trouve de "
                              "meilleurs passages.")
    return question


def _french_number(number: int) -> str:
    return f"{number:,}".replace(",", "\u00a0")
