"""How a passage is laid out when it is shown (web card, viewers, CLI): headings on their own line, list items and
table rows as such, the lines a PDF wrapped joined again. The blocks are spans of the text as the index holds it, so
offsets into it (a supporting sentence, a highlighted figure) stay valid. Also the one layout the search and the
answer step read: an interview's record card (its « Label : value » lines), and a document's furniture (the runs of
words most documents repeat: a disclaimer, a footer)."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from assistant.french import words_of
from assistant.models import Passage

# A numbered title (« 5. Engagements de la CRÉ », « 5.1 Mobilisation ») or a Markdown heading.
_NUMBERED_TITLE = re.compile(r"\d{1,2}(?:\.\d{1,2})*\.?\s+[A-ZÀ-Þ]")
_MARKDOWN_HEADING = re.compile(r"#{1,6}\s+")
# A list item: a bullet, a number or letter followed by a period or a parenthesis, or a clause number (« 5.1 »).
_ITEM = re.compile(r"(?:[-•*▪◦–]|\d{1,2}[.)]|\d{1,2}(?:\.\d{1,2})+\.?|[a-z][.)])\s")
_TABLE_RULE = re.compile(r"\|?(?:\s*:?-{2,}:?\s*\|)+\s*:?-*:?\s*\|?")
_ENDS_SENTENCE = re.compile(r"[.!?:;,»)]$")
MAX_TITLE = 80  # a longer line starting with a number is a numbered clause, not a title
WRAPPED = 0.7  # a line at least this share of the passage's longest line was wrapped by the PDF: it goes on

# A line that goes on to the next: it ends with a comma or a word that needs a next one (« à », « de », « et »…).
LINE_GOES_ON = re.compile(r"(?:[,;:(]|\b(?:à|a|de|du|des|la|le|les|et|ou|en|au|aux|par|pour|sur|dans|d'|l'))\s*$",
                          re.IGNORECASE)
# A line that starts with a figure which is no clause's or item's number (« 2012, un plan… », not « 8.1 La CRÉ »).
_FIGURE_GOES_ON = re.compile(r"\d(?!\d?(?:\.\d{1,2})*[.)]?\s+[A-ZÀ-Þ])")

# A line of an interview's record card (« Lieu : bureau du CLE, Rivière-du-Loup », « Durée : 1 h 20 »; a DOCX card
# is a table read as « Lieu | cuisine communautaire… »): a short capitalised label, then its value.
FIELD_LINE = re.compile(r"^\W{0,4}[A-ZÀ-Þ][\w'’ -]{1,24}?\s*(?::\**|\|)\s+(\S.*)$")
CARD_LINES = 3  # fewer such lines in a row make no card


def record_card(text: str) -> str:
    """The values of a text's first record card (at least ``CARD_LINES`` field lines in a row, blank lines aside),
    one a line: where, when and with whom an interview was held; "" when the text has none."""
    values: list[str] = []
    for line in (line.strip() for line in text.splitlines()):
        field = FIELD_LINE.match(line) if line else None
        if field is not None:
            values.append(field.group(1).strip())
        elif line and len(values) >= CARD_LINES:
            break
        elif line:
            values = []
    return "\n".join(values) if len(values) >= CARD_LINES else ""


@dataclass(frozen=True)
class Block:
    """A span of the passage shown as one unit: a heading, a list item, a table row or a paragraph."""

    kind: str  # "heading", "item", "row" or "paragraph"
    start: int
    end: int


def passage_blocks(text: str, heading_starts: Iterable[int] = (), titles: Iterable[str] = ()) -> list[Block]:
    """The blocks of a text, in order. ``heading_starts``: offsets where the reader found a section (a PDF's
    bookmarks); ``titles``: section titles a line may repeat (the passage's section)."""
    starts, known = set(heading_starts), {" ".join(title.split()).casefold() for title in titles if title}
    lines = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text) if m.group().strip()]
    longest = max((len(text[s:e].strip()) for s, e in lines), default=0)
    blocks: list[Block] = []
    open_block = False  # the last block may take the next line
    previous_end = 0
    for start, end in lines:
        line = text[start:end].strip()
        start += len(text[start:end]) - len(text[start:end].lstrip())
        end = start + len(line)
        kind = _kind(line, start in starts or " ".join(line.split()).casefold() in known,
                     wrapped=len(line) >= WRAPPED * longest and longest >= 40)
        if kind == "rule":
            open_block, previous_end = False, end
            continue
        if kind == "heading" and line.startswith("#"):
            start += _MARKDOWN_HEADING.match(line).end() if _MARKDOWN_HEADING.match(line) else 0
        blank_line = "\n\n" in re.sub(r"[ \t]", "", text[previous_end:start])
        # A short line without final punctuation after a finished sentence is a title or a table row.
        stands_alone = (len(line) < WRAPPED * longest and not _ENDS_SENTENCE.search(line)
                        and _ENDS_SENTENCE.search(text[:start].rstrip()) is not None)
        if open_block and kind == "paragraph" and not blank_line and not stands_alone:
            blocks[-1] = Block(blocks[-1].kind, blocks[-1].start, end)
        else:
            blocks.append(Block(kind, start, end))
        open_block = kind in ("paragraph", "item") and len(line) >= WRAPPED * longest and longest >= 40
        previous_end = end
    return blocks


def wrapped_lines(text: str) -> bool:
    """Whether each line break of a text falls inside a sentence, the PDF having wrapped it, and not after a
    title, a table's row or a paragraph's end: the line after it starts with a lowercase word, or with a figure
    after a word (« décembre » / « 2012, un plan »), or the line before ends on a word that needs a next one
    (``LINE_GOES_ON``)."""
    lines = text.split("\n")
    return all(below.lstrip()[:1].islower() or LINE_GOES_ON.search(above)
               or (above.rstrip()[-1:].isalpha() and _FIGURE_GOES_ON.match(below.lstrip()) is not None)
               for above, below in zip(lines, lines[1:]))


def _kind(line: str, titled: bool, wrapped: bool) -> str:
    """What one line of a passage starts: a heading, a table row or rule, a list item, or plain text; a numbered
    line the PDF wrapped is a clause, not a title."""
    if titled or _MARKDOWN_HEADING.match(line):
        return "heading"
    if line.startswith("|"):
        return "rule" if _TABLE_RULE.fullmatch(line) else "row"
    if _NUMBERED_TITLE.match(line) and len(line) <= MAX_TITLE and not wrapped and not _ENDS_SENTENCE.search(line):
        return "heading"
    return "item" if _ITEM.match(line) else "paragraph"


def block_text(text: str, block: Block) -> str:
    """A block's text on one line (the PDF's line breaks inside it become spaces)."""
    return " ".join(text[block.start:block.end].split())


# A document's furniture: the runs of words that most documents of the index repeat word for word, whatever their
# kind (a disclaimer, a footer, a letterhead), as opposed to a template's clauses, which documents of one kind share
# (eight agreements), a quotation one document takes from another, or a study's name its interviews and its report
# share (two kinds of six). A run is ``FURNITURE_RUN`` words long; it is furniture when half of the index's documents
# at least hold it (``FURNITURE_DOCUMENTS`` at least), of half of its kinds at least (``FURNITURE_KINDS`` at least).
FURNITURE_RUN = 6
FURNITURE_DOCUMENTS = 3
FURNITURE_KINDS = 2
# A unit this share of whose words lie in such runs, or in its document's designation (the title it is glued to:
# « Entente relative à l'Alliance pour la solidarité – Mauricie Document d'exemple fictif… »), is furniture.
FURNITURE_SHARE = 0.8


def _runs(words: list[str]) -> Iterator[str]:
    return (" ".join(words[i:i + FURNITURE_RUN]) for i in range(len(words) - FURNITURE_RUN + 1))


def repeated_runs(passages: Iterable[Passage]) -> frozenset[str]:
    """The runs of words (folded, ``FURNITURE_RUN`` long) that are a document's furniture: held by at least half
    of the documents of ``passages`` (every passage of an index) and half of their kinds."""
    documents: dict[str, set[str]] = defaultdict(set)
    kinds: dict[str, set[str]] = defaultdict(set)
    every: dict[str, str] = {}  # each document's kind
    for passage in passages:
        every[passage.info.doc_id] = passage.info.doc_type
        for run in set(_runs(words_of(passage.text))):
            documents[run].add(passage.info.doc_id)
            kinds[run].add(passage.info.doc_type)
    least = max(FURNITURE_DOCUMENTS, len(every) / 2)
    least_kinds = max(FURNITURE_KINDS, len(set(every.values())) / 2)
    return frozenset(run for run, holders in documents.items()
                     if len(holders) >= least and len(kinds[run]) >= least_kinds)


def runs_in(text: str, repeated: frozenset[str]) -> tuple[str, ...]:
    """The furniture runs (``repeated_runs``) a passage's text holds."""
    return tuple(sorted(set(_runs(words_of(text))) & repeated))


def is_furniture(text: str, passage: Passage) -> bool:
    """Whether a unit of ``passage`` is its document's furniture: ``FURNITURE_SHARE`` of its words in the
    passage's furniture runs (``Passage.furniture``) or in its document's designation, some in the runs."""
    if not passage.furniture:
        return False
    words = words_of(text)
    held = [False] * len(words)
    runs = set(passage.furniture)
    for i, run in enumerate(_runs(words)):
        if run in runs:
            held[i:i + FURNITURE_RUN] = [True] * FURNITURE_RUN
    if not any(held):
        return False
    designation = set(words_of(passage.info.designation))
    return sum(h or word in designation for h, word in zip(held, words)) >= FURNITURE_SHARE * len(words)
