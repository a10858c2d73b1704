"""Keep ``[n]`` markers honest: a marker that points to no shown source never reaches the reader."""

from __future__ import annotations

import re

from assistant.answer.support import split_sentences, support_score
from assistant.models import CITATION_MARKER, Source, cited_numbers

# A sentence the model left uncited gets the passage that supports at least this share of its content words.
MIN_SUPPORT_TO_ATTRIBUTE = 0.6

# An opening bracket at the end of a streamed text may still become a marker: hold it back until it closes.
_PENDING_MARKER = re.compile(r"\[[\d,\s]*$")


def remove_unknown_markers(text: str, source_count: int, *, streaming: bool = False) -> str:
    """Drop markers whose numbers are not between 1 and ``source_count``; keep the valid numbers of a group."""

    def keep_known(match: re.Match[str]) -> str:
        numbers = [n for n in (int(x) for x in match.group(1).replace(" ", "").split(",")) if 1 <= n <= source_count]
        return "".join(f"[{n}]" for n in numbers)

    cleaned = CITATION_MARKER.sub(keep_known, text)
    if streaming:
        return _PENDING_MARKER.sub("", cleaned)
    # A dropped marker leaves a double space or a space before punctuation behind it.
    # French keeps its space before « : » and « ; », so only a space before « . » or « , » is removed.
    return re.sub(r"[ \t]+([.,])", r"\1", re.sub(r"[ \t]{2,}", " ", cleaned))


def cited_sources(sources: list[Source], numbers: list[int]) -> list[Source]:
    """The sources a text cites, in the order of their numbers."""
    by_number = {source.number: source for source in sources}
    return [by_number[n] for n in sorted(numbers) if n in by_number]


def attach_missing_citations(text: str, sources: list[Source]) -> str:
    """Give each uncited sentence the marker of the passage that best supports it, if one supports it enough.

    Small local models often answer from the passages but forget the markers; the sentence is then cited by
    measured support, never by guess.
    """
    sentences = []
    for sentence in split_sentences(text):
        if not cited_numbers(sentence) and sources:
            score, number = max((support_score(sentence, s.passage.text), s.number) for s in sources)
            if score >= MIN_SUPPORT_TO_ATTRIBUTE:
                sentence = _append_marker(sentence, number)
        sentences.append(sentence)
    return " ".join(sentences)


def _append_marker(sentence: str, number: int) -> str:
    match = re.search(r"[.!?…]+$", sentence)
    if match is None:
        return f"{sentence} [{number}]"
    return f"{sentence[:match.start()]} [{number}]{match.group()}"
