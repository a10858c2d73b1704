"""What is marked in a shown passage: the sentence(s) the support check found holding up the answer, and, as whole
tokens, the figures, dates and names the answer gives (« 2012-2013 » is one token: « 2013 » alone never lights up
inside it). Shared words (« CRÉ », « pauvreté ») are not marked: they are in every passage of the corpus."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from pathlib import Path

from assistant.french import name_key, names, split_sentences, strip_markers
from assistant.models import Answer, Source, cited_numbers
from assistant.passage_layout import Block

MONTHS = ("janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|novembre|décembre|"
          "decembre")
_FIGURE = r"\d{1,3}(?:[\u00a0\u202f ]\d{3})+(?:,\d+)?(?!\d)|\d+(?:[.,]\d+)*"
# A date (« 17 avril 2012 », « juillet 2013 »), or a figure or a range of two (« 2012-2013 », « 1 505 000 $ »),
# whole: never part of a longer word, number or range.
_TOKEN = re.compile(rf"(?<![\w.,\-–])(?:\d{{1,2}}(?:er)?\s+(?:{MONTHS})\s+\d{{4}}|(?:{MONTHS})\s+\d{{4}}|"
                    rf"(?:{_FIGURE})(?:\s*[-–]\s*(?:{_FIGURE}))?)(?:[\u00a0\u202f ]?[$%])?(?![\w\-–]|[.,]\d)",
                    re.IGNORECASE)
_SEPARATORS = re.compile(r"[\s\u00a0\u202f$%]+")
Span = tuple[int, int]
# How blocks and marks look, in the chat page and in the viewer.
PASSAGE_STYLE = Path(__file__).with_name("passage.css")
# The query parameters of a viewer link that carry the marks, by kind of mark; at most so many spans are read back.
MARK_PARAMETERS = {"support": "phrases", "term": "termes"}
MAX_LINK_SPANS = 50


def token_key(token: str) -> str:
    """How two writings of one figure or date compare: spaces and units dropped, dashes and decimal commas
    unified, case folded (« 1 505 000 $ » = « 1 505 000 », « 2012–2013 » = « 2012-2013 »)."""
    return _SEPARATORS.sub("", token).replace("–", "-").replace(",", ".").casefold()


def answer_terms(sentences: Iterable[str], question: str = "", title: str = "") -> tuple[set[str], list[str]]:
    """The figures and dates (by ``token_key``) and the names (as written) of the answer's sentences that are
    worth marking in a passage. A name is left out when it is an acronym (« CRÉ », « FQIS »: the corpus's
    institutions, in nearly every passage), or when the question or the document's title already has it."""
    text = strip_markers(" ".join(sentences))
    tokens = {token_key(match.group()) for match in _TOKEN.finditer(text)}
    common = f" {name_key(question)} {name_key(title)} "
    kept = [written for key, written in names(text).items()
            if not written.isupper() and f" {key} " not in common and not written[:1].isdigit()]
    return tokens, kept


def term_spans(passage: str, tokens: set[str], written_names: list[str]) -> list[Span]:
    """Where the answer's figures, dates and names stand in the passage, each as a whole token."""
    spans = [match.span() for match in _TOKEN.finditer(passage) if token_key(match.group()) in tokens]
    for name in written_names:
        words = [re.escape(word) for word in re.split(r"[\s'’\-–]+", name) if word]
        pattern = r"(?<![\w\-])" + r"[\s'’\-–]+".join(words) + r"(?![\w\-])"
        spans += [match.span() for match in re.finditer(pattern, passage, re.IGNORECASE)]
    return merged(spans, passage)


def merged(spans: list[Span], text: str) -> list[Span]:
    """Spans in order, those that overlap or are separated by spaces only joined."""
    result: list[Span] = []
    for start, end in sorted(spans):
        if result and (start <= result[-1][1] or not text[result[-1][1]:start].strip()):
            result[-1] = (result[-1][0], max(end, result[-1][1]))
        else:
            result.append((start, end))
    return result


def supporting_sentences(answer: Answer, source: Source) -> list[Span]:
    """The spans of the source's passage that the support check found holding up the sentences citing it."""
    spans = [(start, end) for check in answer.checks if source.number in check.cited
             for number, start, end in check.evidence if number == source.number]
    return merged(spans, source.passage.text)


def citing_sentences(answer: Answer, source: Source) -> list[str]:
    """The sentences of the answer, as shown, that cite this source."""
    return [sentence for sentence in split_sentences(answer.text) if source.number in cited_numbers(sentence)]


def source_marks(answer: Answer, source: Source) -> dict[str, list[Span]]:
    """The marks of one source's passage for this answer: supporting sentences, and the answer's terms (inside
    those sentences when the check found them: elsewhere the same name or figure is about something else)."""
    tokens, written = answer_terms(citing_sentences(answer, source), answer.question, source.passage.info.title)
    support = supporting_sentences(answer, source)
    terms = term_spans(source.passage.text, tokens, written)
    if support:
        terms = [(s, e) for s, e in terms if any(start <= s and e <= end for start, end in support)]
    return {"support": support, "term": terms}


def marks_query(marks: dict[str, list[Span]]) -> str:
    """The marks as query parameters of a viewer link (« &phrases=12-80&termes=20-29.40-49 »)."""
    return "".join(f"&{MARK_PARAMETERS[kind]}={'.'.join(f'{s}-{e}' for s, e in spans)}"
                   for kind, spans in marks.items() if spans and kind in MARK_PARAMETERS)


def parse_marks(value: str, length: int) -> list[Span]:
    """Spans read back from a link's parameter; anything malformed or outside the passage is dropped."""
    spans = []
    for pair in value.split("."):
        match = re.fullmatch(r"(\d{1,7})-(\d{1,7})", pair)
        if match and int(match.group(1)) < int(match.group(2)) <= length:
            spans.append((int(match.group(1)), int(match.group(2))))
    return spans[:MAX_LINK_SPANS]


def marked_html(text: str, blocks: list[Block], marks: dict[str, list[Span]], offset: int = 0,
                anchor: str = "") -> str:
    """The text, escaped, block by block (``<p class="kind">``), each piece inside marks wrapped in
    ``<mark class="…">`` with the names of the marks it is in. ``offset``: where ``text`` starts in the text the
    spans count in; ``anchor``: an id given to the first mark of the first kind in ``marks``."""
    cuts = sorted({0, len(text)} | {min(max(p - offset, 0), len(text)) for spans in marks.values()
                                    for span in spans for p in span})
    anchored = not anchor
    first_kind = next(iter(marks), "")
    paragraphs = []
    for block in blocks:
        points = [block.start] + [c for c in cuts if block.start < c < block.end] + [block.end]
        pieces = []
        for start, end in zip(points, points[1:], strict=False):
            piece = html.escape(" ".join(text[start:end].split("\n")))
            kinds = [kind for kind, spans in marks.items()
                     if any(s - offset <= start and end <= e - offset for s, e in spans)]
            if not kinds:
                pieces.append(piece)
                continue
            identity = ""
            if not anchored and first_kind in kinds:
                identity, anchored = f' id="{html.escape(anchor)}"', True
            pieces.append(f'<mark class="{" ".join(kinds)}"{identity}>{piece}</mark>')
        paragraphs.append(f'<p class="{block.kind}">{"".join(pieces)}</p>')
    return "".join(paragraphs)
