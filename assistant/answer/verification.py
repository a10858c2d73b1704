"""Check every sentence of an answer against the passages it cites, as the answer streams.

A sentence holds when two consecutive sentences of a cited passage (with the document's title and regions) contain
every figure and every name of the sentence, and either share enough of its content words (French stems) or say the
same thing by the embedder's measure (the best cosine between the sentence and one of theirs, which also serves
answers written in English from French passages). A sentence that its own markers do not support is cited instead
with the source that does, if one does; otherwise it is removed from the text and kept, flagged, in the answer's
checks. Thresholds and measurements: ``docs/answers.md``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace

import numpy as np
from langchain_core.embeddings import Embeddings

from assistant.answer.citations import remove_unknown_markers
from assistant.answer.arithmetic import checked_calculation
from assistant.answer.comparison import checked_relation
from assistant.answer.constraints import Constraints, amounts, satisfying
from assistant.answer.context import passage_sentences
from assistant.answer.evidence import evidence_units
from assistant.french import (content_stems, figures, lexical_support, missing_figures, missing_names,
                                      names, split_sentences, strip_markers)
from assistant.models import SentenceCheck, Source, Verdict, cited_numbers

# A quotation inside a sentence: « … ».
QUOTE = re.compile(r"«\s*(.+?)\s*»")
# Where one sentence of a passage ends and the next begins.
_SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+(?=[A-ZÀ-Þ«])")


def _verbatim_key(text: str) -> str:
    """Text compared word for word: table bars, quotes and spacing ignored, apostrophes unified."""
    text = text.replace("|", " ").replace("’", "'").replace("\u00a0", " ").replace("\u202f", " ")
    return " ".join(text.split())


@dataclass(frozen=True)
class SupportThresholds:
    """When a (sentence, passages) pair holds: figures and names always; then lexical or semantic support.

    A sentence in another language than the passages' French shares few words with them: it holds on meaning
    alone (``translated``), and only if it has a figure or a name to anchor it.
    """

    lexical: float = 0.5
    semantic: float = 0.88
    translated: float = 0.8


@dataclass(frozen=True)
class Support:
    """How well some passages support one sentence."""

    lexical: float
    semantic: float
    missing: tuple[str, ...]  # figures and names of the sentence absent from the passages
    anchored: bool = False  # the sentence has at least one figure or name (all found)
    quoted: bool = False  # copied word for word from the passages
    window: tuple[int, int] | None = None  # (source number, index of its first passage sentence) of the window

    def holds(self, thresholds: SupportThresholds, translated: bool = False) -> bool:
        """Every figure and name present, and enough shared words or meaning."""
        if self.missing:
            return False
        if self.quoted:
            return True
        if translated:
            return self.anchored and self.semantic >= thresholds.translated
        return self.lexical >= thresholds.lexical or self.semantic >= thresholds.semantic

    @property
    def score(self) -> float:
        """One number for display: the better of the two measures, 0 when a figure or a name is missing."""
        return 0.0 if self.missing else round(max(self.lexical, self.semantic), 3)


class SupportChecker:
    """Measures support of sentences by the sources of one answer, window by window.

    A window is two consecutive sentences of a passage: the figures of a sentence and most of its words must be
    found in one window (with the document's title and regions), since a figure from one paragraph does not
    support a claim made from another (« fondé en 2013 » is not held up by a 2013 budget line); its names may be
    anywhere in the passage, which often names its subject once. A sentence citing several sources may also be
    supported by their passages taken together. When the question pins down a year, a region or an item, each
    figure the sentence adds must also stand in one evidence unit (sentence, table row, clause) that satisfies
    them (``constraints.py``): « 903 000 $ » for 2013-2014 is refused when the passage gives it for 2012-2013.
    Sentence vectors are computed once per source.
    """

    def __init__(self, sources: list[Source], embeddings: Embeddings | None,
                 thresholds: SupportThresholds = SupportThresholds(), language: str = "fr", question: str = "",
                 constraints: Constraints = Constraints()) -> None:
        self.sources = {source.number: source for source in sources}
        self.question = question
        self.embeddings = embeddings
        self.thresholds = thresholds
        self.translated = language != "fr"
        self.constraints = constraints
        self._fitting: dict[int, list[set[str]]] = {}
        if constraints.pins:
            for unit in satisfying(constraints.loosened(answer_kind="", names=()), evidence_units(sources)):
                self._fitting.setdefault(unit.source.number, []).append(amounts(unit.text))
        self._sentences: dict[int, list[str]] = {}
        self._spans: dict[int, list[tuple[int, int]]] = {}
        self._vectors: dict[int, np.ndarray] = {}
        self._claims: dict[str, np.ndarray] = {}

    def support(self, sentence: str, numbers: list[int]) -> Support:
        """The best support of a sentence (markers ignored) by one window of the given sources, or by all of
        them together when there are several."""
        claim = strip_markers(sentence).strip()
        numbers = [n for n in numbers if n in self.sources]
        quoted = bool(numbers) and self._quoted(claim, numbers)
        vector = self._claim_vector(claim) if numbers and not quoted else None
        candidates = []
        for number in numbers:
            sentences, vectors = self._passage(number)
            label = self._label(number)
            named = f"{label} {self.sources[number].passage.cited_text}"
            for start in range(max(len(sentences) - 1, 1)):
                window = " ".join(sentences[start:start + 2])
                semantic = float((vectors[start:start + 2] @ vector).max()) if vector is not None else 0.0
                candidates.append(replace(self._measure(claim, named, f"{label} {window}", semantic),
                                          window=(number, start)))
        if quoted:  # held up as a quotation; the window that shares most of its words is where it stands
            where = max(candidates, key=lambda s: s.lexical).window if candidates else None
            return Support(1.0, 1.0, (), True, quoted=True, window=where)
        if len(numbers) > 1:
            text = " ".join(f"{self._label(n)} {self.sources[n].passage.cited_text}" for n in numbers)
            candidates.append(self._measure(claim, text, text, 0.0))
        return max(candidates, key=lambda s: (self._holds(s), s.score), default=Support(0.0, 0.0, ()))

    def check(self, sentence: str) -> SentenceCheck:
        """The verdict on one sentence: supported as cited, cited anew, or unsupported; and what held it up."""
        written = tuple(cited_numbers(sentence))
        claim = re.sub(r"\s+([.,;!?…])", r"\1", strip_markers(sentence)).strip()
        if claim.endswith("?") or self._restates_question(claim):  # it states nothing a source could hold up
            return SentenceCheck(claim, (), written, Verdict.UNSUPPORTED, 0.0, basis="unsupported")
        # A comparison of two cited values (``comparison.render``) holds when each value stands in the passage its
        # marker cites and the relation stated is the one they give: computed again here, not read in a passage.
        passages = {n: s.passage.text for n, s in self.sources.items()}
        compared = (checked_relation(sentence, passages)
                    or checked_calculation(sentence, passages, self.question))  # « 975 $ [1] − 675 $ [1] = 300 $ »
        if compared:
            return SentenceCheck(sentence, written, written, Verdict.SUPPORTED, 1.0, basis="computed",
                                 evidence=compared)
        unbound: tuple[str, ...] = ()
        if written:
            support = self.support(sentence, list(written))
            if self._holds(support):
                unbound = self._unbound(claim, written)
                if not unbound:
                    return SentenceCheck(sentence, written, written, Verdict.SUPPORTED, support.score,
                                         basis=self._basis(support, claim), evidence=self._evidence(claim, support))
        ranked = sorted(((n, self.support(sentence, [n])) for n in self.sources),
                        key=lambda pair: (self._holds(pair[1]), pair[1].score), reverse=True)
        for number, best in ranked:
            if not self._holds(best):
                break
            if not self._unbound(claim, (number,)):
                return SentenceCheck(with_marker(claim, number), (number,), written, Verdict.RECITED, best.score,
                                     basis=self._basis(best, claim), evidence=self._evidence(claim, best))
            unbound = unbound or self._unbound(claim, (number,))
        if unbound:
            return SentenceCheck(claim, (), written, Verdict.UNSUPPORTED, 0.0, unbound, basis="unbound")
        reference = self.support(sentence, list(written)) if written else (ranked[0][1] if ranked else
                                                                            Support(0.0, 0.0, ()))
        return SentenceCheck(claim, (), written, Verdict.UNSUPPORTED, reference.score, reference.missing,
                             basis="unsupported")

    def _evidence(self, claim: str, support: Support) -> tuple[tuple[int, int, int], ...]:
        """Where the sentence is held up: the sentence of the supporting window that holds it alone, else the
        whole window, as (source number, start, end) in the passage text; () when several passages together hold
        it up."""
        if support.window is None:
            return ()
        number, first = support.window
        if support.quoted:
            quoted = self._quotations(claim, number)
            if quoted:
                return quoted
        sentences, vectors = self._passage(number)
        spans = self._spans[number]
        last = min(first + 1, len(sentences) - 1)
        if last > first:
            label = self._label(number)
            named = f"{label} {self.sources[number].passage.cited_text}"
            vector = self._claim_vector(claim)
            for index in (first, last):
                semantic = float(vectors[index] @ vector) if vector is not None else 0.0
                if self._holds(self._measure(claim, named, f"{label} {sentences[index]}", semantic)):
                    return ((number, *self._narrowest(claim, number, *spans[index])),)
        return ((number, *self._narrowest(claim, number, spans[first][0], spans[last][1])),)

    def _quotations(self, claim: str, number: int) -> tuple[tuple[int, int, int], ...]:
        """Where the quotations of a quoted sentence (or the sentence itself) stand in a source's passage, word
        for word (spacing and table bars aside)."""
        text = self.sources[number].passage.text
        found = []
        for quote in QUOTE.findall(claim) or [claim.rstrip(" .")]:
            words = _verbatim_key(quote).split()
            match = re.search(r"[\s|]+".join(map(re.escape, words)), text.replace("’", "'")) if words else None
            if match:
                found.append((number, *match.span()))
        return tuple(found)

    def _narrowest(self, claim: str, number: int, start: int, end: int) -> tuple[int, int]:
        """The one sentence of a span that holds the claim up on its words alone (a title or a short sentence that
        ``passage_sentences`` joined to it left out), else the span."""
        text = self.sources[number].passage.text
        label = self._label(number)
        named = f"{label} {text}"
        cuts = [start] + [m.end() for m in _SENTENCE_BREAK.finditer(text, start, end)] + [end]
        if len(cuts) > 2:
            for piece_start, piece_end in zip(cuts, cuts[1:], strict=False):
                piece = text[piece_start:piece_end]
                if self._holds(self._measure(claim, named, f"{label} {piece}", 0.0)):
                    return piece_start, piece_start + len(piece.rstrip())
        return start, end

    def _unbound(self, claim: str, numbers: tuple[int, ...]) -> tuple[str, ...]:
        """The figures the sentence adds to the question that no unit satisfying the question's constraints, in
        the given sources, holds together; empty when the question constrains nothing."""
        if not self.constraints.pins:
            return ()
        added = amounts(claim) - amounts(self.question)
        if not added:
            return ()
        units = [unit for n in numbers for unit in self._fitting.get(n, [])]
        if any(added <= unit for unit in units):
            return ()
        return tuple(sorted(added))

    def _basis(self, support: Support, claim: str) -> str:
        """What held the sentence up: a figure tied to the question's constraints, a quotation, shared words, or
        meaning only."""
        if self.constraints.pins and amounts(claim) - amounts(self.question):
            return "bound"
        if support.quoted:
            return "quoted"
        if self.translated or support.lexical < self.thresholds.lexical:
            return "meaning"
        return "words"

    def _quoted(self, claim: str, numbers: list[int]) -> bool:
        """The sentence is copied from the passages: its quotes « … » (or the whole sentence, when it has none)
        appear word for word in them, and any figure or name outside the quotes is in them too."""
        passages = " ".join(self.sources[n].passage.cited_text for n in numbers)
        haystack = _verbatim_key(passages)
        quotes = QUOTE.findall(claim) or claim.rstrip(" .").split(" … ")
        # A word or two found in a passage is no quotation (« PIRATÉ », written by a model that obeyed a document).
        if not all(len(q.split()) >= 3 and len(q) >= 12 and _verbatim_key(q) in haystack for q in quotes):
            return False
        names_text = " ".join(f"{self._label(n)} {self.sources[n].passage.cited_text}" for n in numbers)
        return not missing_figures(claim, passages) and not missing_names(claim, names_text)

    def _restates_question(self, claim: str) -> bool:
        """The sentence only repeats the question (« Le préfet à la tête du comité est [1]. »): no word, figure or
        name that the question does not already have."""
        if not self.question:
            return False
        return (content_stems(claim) <= content_stems(self.question) and figures(claim) <= figures(self.question)
                and set(names(claim)) <= set(names(self.question)))

    def _holds(self, support: Support) -> bool:
        return support.holds(self.thresholds, self.translated)

    @staticmethod
    def _measure(claim: str, names_text: str, text: str, semantic: float) -> Support:
        missing = sorted(missing_figures(claim, text)) + sorted(missing_names(claim, names_text))
        anchored = bool(figures(claim) or names(claim))
        return Support(lexical_support(claim, text), semantic, tuple(missing), anchored)

    def _label(self, number: int) -> str:
        info = self.sources[number].passage.info
        return f"{info.title} {' '.join(info.regions)} {info.code}"

    def _passage(self, number: int) -> tuple[list[str], np.ndarray]:
        if number not in self._sentences:
            passage = self.sources[number].passage
            self._sentences[number] = passage_sentences(passage.cited_text) or [""]
            # A table row's sentence is its cells under their headers: it stands where the row's text does.
            self._spans[number] = (located(passage.text, self._sentences[number]) if not passage.context
                                   else [(0, len(passage.text))] * len(self._sentences[number]))
            self._vectors[number] = (np.array(self.embeddings.embed_documents(self._sentences[number]))
                                     if self.embeddings is not None else np.zeros((len(self._sentences[number]), 1)))
        return self._sentences[number], self._vectors[number]

    def _claim_vector(self, claim: str) -> np.ndarray | None:
        if self.embeddings is None:
            return None
        if claim not in self._claims:
            self._claims[claim] = np.array(self.embeddings.embed_query(claim))
        return self._claims[claim]


def located(text: str, pieces: list[str]) -> list[tuple[int, int]]:
    """Where each piece (a sentence of ``passage_sentences``, its spacing collapsed) stands in the text, in order;
    a piece that cannot be found gets the span after the previous one."""
    spans, position = [], 0
    for piece in pieces:
        found = re.compile(r"\s+".join(map(re.escape, piece.split()))).search(text, position) if piece else None
        spans.append(found.span() if found else (position, position))
        position = found.end() if found else position
    return spans


def with_marker(sentence: str, number: int) -> str:
    """The sentence with ``[number]`` before its final punctuation."""
    body = sentence.rstrip()
    end = len(body.rstrip(".!?…"))
    return f"{body[:end].rstrip()} [{number}]{body[end:]}"


@dataclass
class CheckedText:
    """The answer as the reader sees it so far, and the verdicts on its finished sentences."""

    text: str
    checks: list[SentenceCheck]


def checked_stream(tokens: Iterator[str], checker: SupportChecker) -> Iterator[CheckedText]:
    """Follow a streamed answer: each finished sentence is checked as soon as the next one starts; the reader sees
    the kept sentences and the sentence being written. The last item has every sentence checked."""
    raw, checks = "", []
    source_count = max(checker.sources, default=0)
    for token in tokens:
        raw += token
        sentences = split_sentences(remove_unknown_markers(raw, source_count, streaming=True))
        for sentence in sentences[len(checks):-1]:
            checks.append(checker.check(sentence))
        yield CheckedText(shown_text(checks, sentences[len(checks):]), list(checks))
    sentences = split_sentences(remove_unknown_markers(raw, source_count))
    for sentence in sentences[len(checks):]:
        checks.append(checker.check(sentence))
    yield CheckedText(shown_text(checks, []), checks)


def shown_text(checks: list[SentenceCheck], pending: list[str]) -> str:
    """Kept sentences, then the one still being written without its markers: a marker is shown once its sentence
    has been checked, under the number it keeps (``citations.renumber_citations``)."""
    return " ".join([c.text for c in checks if c.verdict != Verdict.UNSUPPORTED] + [_unmarked(p) for p in pending])


def _unmarked(sentence: str) -> str:
    """A sentence without its markers, and without the space they leave before a period or a comma."""
    return re.sub(r"\s+(?=[.,](?:\s|$))", "", strip_markers(sentence))
