"""Keep ``[n]`` markers honest: a marker that points to no shown source never reaches the reader, and the numbers
a reader sees run [1]…[n] in the order the answer cites them."""

from __future__ import annotations

import re
from dataclasses import replace

from assistant.models import CITATION_MARKER, Answer, Passage, PassageScores, Source, cited_numbers

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


def renumber_citations(answer: Answer) -> Answer:
    """The answer with its sources numbered [1]…[n] in the order the text first cites them, the other passages
    found after them in their search order; every number (text, model text, checks, sources) follows, and the
    sources are listed in that order. Numbers already shown keep theirs as sentences are added, since first
    appearances only grow at the end of the text."""
    known = [source.number for source in answer.sources]
    order = [n for n in cited_numbers(answer.text) if n in known]
    order += [n for n in known if n not in order]
    new = {old: position for position, old in enumerate(order, start=1)}
    if all(old == number for old, number in new.items()):
        return answer

    def markers(text: str) -> str:
        return CITATION_MARKER.sub(lambda m: "[" + ", ".join(str(new.get(int(n), int(n)))
                                                              for n in m.group(1).replace(" ", "").split(",")) + "]",
                                   text)

    def numbers(found: tuple[int, ...]) -> tuple[int, ...]:
        return tuple(new.get(n, n) for n in found)

    checks = [replace(check, text=markers(check.text), cited=numbers(check.cited), written=numbers(check.written),
                      evidence=tuple((new.get(n, n), start, end) for n, start, end in check.evidence))
              for check in answer.checks]
    sources = sorted((replace(source, number=new[source.number]) for source in answer.sources),
                     key=lambda source: source.number)
    return replace(answer, text=markers(answer.text), model_text=markers(answer.model_text), checks=checks,
                   sources=sources)
