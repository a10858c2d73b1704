"""Lexical support between a sentence of an answer and a passage: shared content words and exact figures."""

from __future__ import annotations

import re
import unicodedata

# Words too common in French to show that a passage supports a sentence.
STOP_WORDS = frozenset("""
au aux avec ce ces cette dans de des du elle elles en est et etre ete il ils la le les leur leurs lui mais
meme ne ni nos notre nous on ont ou par pas plus pour qu que qui sa sans se ses son sont sur ta te tes ton
tu un une vos votre vous ete etait avait a y d l n s c j m qu cela comme entre fait faire aussi alors dont
tres tout tous toute toutes autre autres ainsi selon lors chaque peut
""".split())
_SENTENCE_END = re.compile(r"(?<=[.!?…])(?:\s*(?:\[\d+(?:\s*,\s*\d+)*\])+)?\s+(?=[A-ZÀ-ÖØ-Þ«\"(])")
_NUMBER = re.compile(r"\d(?:[\d\u00a0\u202f ,.]*\d)?")
_WORD = re.compile(r"[a-z0-9]+")


def split_sentences(text: str) -> list[str]:
    """Sentences of an answer, each keeping the ``[n]`` markers written right after its final period."""
    pieces, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        pieces.append(text[start:match.end()].strip())
        start = match.end()
    pieces.append(text[start:].strip())
    return [piece for piece in pieces if piece]


def fold(text: str) -> str:
    """Lower case without accents, so that « Québec » and « quebec » match."""
    decomposed = unicodedata.normalize("NFD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def content_words(text: str) -> set[str]:
    """Words that carry meaning (no stop words, no one- or two-letter words)."""
    return {w for w in _WORD.findall(fold(text)) if len(w) > 2 and w not in STOP_WORDS}


def figures(text: str) -> set[str]:
    """Numbers written in the text, spaces and separators removed (« 1 505 000 » → « 1505000 »)."""
    return {re.sub(r"[^\d]", "", n) for n in _NUMBER.findall(text)}


def support_score(sentence: str, passage: str) -> float:
    """Share of the sentence's content words found in the passage; 0 if a figure of the sentence is missing."""
    sentence = re.sub(r"\[\d+(?:\s*,\s*\d+)*\]", "", sentence)
    if not figures(sentence) <= figures(passage):
        return 0.0
    words = content_words(sentence)
    if not words:
        return 0.0
    return len(words & content_words(passage)) / len(words)
