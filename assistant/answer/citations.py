"""Keep ``[n]`` markers honest: a marker that points to no shown source never reaches the reader."""

from __future__ import annotations

import re

from assistant.models import CITATION_MARKER, Passage, PassageScores, Source

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


def number_sources(found: list[tuple[Passage, PassageScores, tuple[int, int] | None]]) -> list[Source]:
    """Give retrieved passages (with their scores and window offsets) the numbers ``[1]``, ``[2]``… under which
    the answer may cite them."""
    return [Source(number, passage, scores, focus) for number, (passage, scores, focus) in enumerate(found, start=1)]
