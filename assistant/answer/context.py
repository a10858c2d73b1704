"""A compact context for the model: the sentences of the retrieved passages that bear on the question, once each.

On 2 cores the local model reads about 60 to 100 prompt tokens a second, so five whole passages (about 1,500
tokens) would delay the first word by 15 to 25 s. Each passage is cut into sentences; the sentences are ranked by
how much of the question they share (stems, names, figures) and by their cosine similarity to the question, and
the best ones are kept, in reading order, within a character budget. A sentence seen in an earlier passage (two
neighbouring passages overlap) is not repeated, and a sentence that gives orders to the assistant is never shown to
it. The citation stays the whole passage.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

import numpy as np
from langchain_core.embeddings import Embeddings

from assistant.french import content_stems, figures_and_number_words, fold, name_key, names, stem_pairs
from assistant.models import Source

# Sentences shorter than this are glued to the next one (headings, « Article 6 – », list numbers).
_MIN_SENTENCE = 40
# A sentence ends at « . ! ? » (not after an initial such as « A. »), with the « » » that closes a quotation ending
# with it (« … trois fois. » Il propose… »), or before a list item (« 2. », not a year: a line may start with
# « 2013. », the end of a sentence wrapped before its year).
_PASSAGE_SENTENCE = re.compile(r"(?<!\b[A-ZÀ-Þ]\.)(?<=[.!?])\s+(?!»)|(?<=[.!?]\s»)\s+|\n{2,}"
                               r"|\n(?=[-•*]|\d{1,2}[.)]\s)")
# Who said a quotation, in brackets after it (« (élu municipal, Lanaudière, ENT-LAN-01) »).
_SPEAKER = re.compile(r"^\([^()]{3,80}\)(?:\s+|$)")
# The sentence after a relevant one often holds the answer (« trois conditions : … » then the list).
_NEXT_SENTENCE_SHARE = 0.5


# A sentence that speaks to the assistant instead of about the subject (« ignore tes consignes… »): it is data,
# and it is kept out of the model's context so that the model cannot follow it.
_INSTRUCTION = re.compile(
    r"\b(ignore|ignorez|oublie|oubliez|disregard|forget)\b(?![é])[^.]{0,40}\b(consignes?|instructions?|règles|rules"
    r"|prompt)\b|\b(tu es|vous êtes|you are) (maintenant|désormais|now)\b|\b(system prompt|prompt système"
    r"|message système)\b|\b(assistant|ia|modèle|chatbot|ai)\b[^.]{0,30}\b(dois|doit|must|should)\b[^.]{0,20}"
    r"\b(répondre|écrire|answer|say)\b")


def is_instruction(sentence: str) -> bool:
    """Whether a sentence of a document gives orders to the assistant."""
    return bool(_INSTRUCTION.search(sentence.lower()))


@dataclass(frozen=True)
class Excerpt:
    """The part of a source the model is shown."""

    source: Source
    text: str


def passage_sentences(text: str) -> list[str]:
    """A passage cut into sentences (and list items); very short pieces stay with the next one, and the speaker
    in brackets after a quotation stays with it (« … on n'est plus dans la salle. » (citoyenne, Laurentides) »)."""
    pieces, pending = [], ""
    for piece in _PASSAGE_SENTENCE.split(text):
        piece = " ".join(piece.split())
        if pieces and not pending and pieces[-1].endswith("»") and (speaker := _SPEAKER.match(piece)):
            pieces[-1] = f"{pieces[-1]} {speaker.group().strip()}"
            piece = piece[speaker.end():]
        if not piece:
            continue
        pending = f"{pending} {piece}".strip()
        if len(pending) >= _MIN_SENTENCE:
            pieces.append(pending)
            pending = ""
    if pending:
        if pieces:
            pieces[-1] = f"{pieces[-1]} {pending}"
        else:
            pieces.append(pending)
    return pieces


# The sentences before a unit name its subject (« Le Transport solidaire des Hautes-Laurentides… » then « … a
# effectué 340 déplacements »): a question's term found only there counts this much.
BEFORE_SHARE = 0.5


def _found(term: str, stems: set[str]) -> bool:
    """A stem among these, or one letter off at its end (Snowball gives « dur » for « duraient », « dure » for
    « durée »)."""
    return term in stems or any(len(term) >= 3 and abs(len(term) - len(other)) == 1
                                and (other.startswith(term) or term.startswith(other)) for other in stems)


@dataclass(frozen=True)
class QuestionTerms:
    """What a sentence should share with a question: its content stems, its names and figures (counting double),
    and its pairs of consecutive stems (« comité de suivi » is not « point de service » because both have
    « membres »; « conseil d'administration » is not « frais d'administration »)."""

    stems: frozenset[str]
    keys: frozenset[str]
    pairs: frozenset[tuple[str, str]]
    # A count question's noun and the words counted alike (``constraints.counted_noun``): « cinq réunions » shares
    # « rencontres » with « À combien de rencontres… ? ».
    counted: frozenset[str] = frozenset()
    # Stems that count as one term, found when one of them is (an English term's French words: « year » is « année
    # exercice », « community » « communautaire communauté »; a unit gives one of them, not all).
    alike: tuple[frozenset[str], ...] = ()

    @classmethod
    def of(cls, question: str) -> QuestionTerms:
        return cls(frozenset(content_stems(question)),
                   frozenset(set(names(question)) | figures_and_number_words(question)),
                   frozenset(stem_pairs(question)))

    def without(self, words: str) -> QuestionTerms:
        """These terms less the stems and names of ``words``."""
        stems, keys = content_stems(words), {name_key(word) for word in words.split()}
        return QuestionTerms(self.stems - stems, self.keys - keys,
                             frozenset(pair for pair in self.pairs if not set(pair) & stems), self.counted,
                             tuple(kept for group in self.alike if (kept := group - stems)))

    def grouped(self, groups: list[str]) -> QuestionTerms:
        """These terms with the content stems of each of ``groups`` counting as one term (``alike``)."""
        alike = [frozenset(content_stems(group)) & self.stems for group in groups]
        return replace(self, alike=tuple(group for group in dict.fromkeys(alike) if len(group) > 1))

    def counting(self, nouns: frozenset[str]) -> QuestionTerms:
        """These terms, the question's counted noun met by any of ``nouns`` (the words counted alike)."""
        return replace(self, counted=nouns)

    def _found(self, stem: str, stems: set[str]) -> bool:
        return _found(stem, stems) or (stem in self.counted and bool(self.counted & stems))

    def share(self, text: str, before: str = "") -> float:
        """The share of the question's stems, names and figures in ``text`` (names and figures counting double);
        a term found only in ``before`` (the sentences that name the unit's subject) counts ``BEFORE_SHARE``."""
        grouped = set().union(*self.alike)
        single = [frozenset([stem]) for stem in self.stems - grouped]
        terms = single + [group for group in self.alike if group <= self.stems]
        weight = len(terms) + 2 * len(self.keys)
        if not weight:
            return 0.0
        own, earlier = content_stems(text), content_stems(before) if before else set()
        found = sum(max(1.0 if self._found(stem, own) else BEFORE_SHARE if self._found(stem, earlier) else 0.0
                        for stem in term) for term in terms)
        words, numbers = f" {name_key(text)} ", figures_and_number_words(text)
        before_words, before_numbers = f" {name_key(before)} ", figures_and_number_words(before)
        for key in self.keys:
            if (key in numbers) if key.isdigit() else (f" {key} " in words):
                found += 2
            elif (key in before_numbers) if key.isdigit() else (f" {key} " in before_words):
                found += 2 * BEFORE_SHARE
        return found / weight

    def phrase_share(self, text: str, before: str = "") -> float:
        """The share of the question's pairs of consecutive stems that ``text`` (or, at ``BEFORE_SHARE``,
        ``before``) holds as pairs too."""
        if not self.pairs:
            return 0.0
        own, earlier = stem_pairs(text), stem_pairs(before) if before else set()
        return sum(1.0 if pair in own else BEFORE_SHARE if pair in earlier else 0.0
                   for pair in self.pairs) / len(self.pairs)


def compact_context(question: str, sources: list[Source], budget: int,
                    embeddings: Embeddings | None = None) -> list[Excerpt]:
    """The sentences to show the model, grouped by source in the sources' order, at most ``budget`` characters.

    The first source keeps at least its best sentence, so that the model always sees the top passage.
    """
    candidates: list[tuple[int, int, str]] = []  # (source index, position, sentence)
    seen: set[str] = set()
    for index, source in enumerate(sources):
        for position, sentence in enumerate(passage_sentences(source.passage.text)):
            key = " ".join(fold(sentence).split())
            if key not in seen and not is_instruction(sentence):
                seen.add(key)
                candidates.append((index, position, sentence))
    if not candidates:
        return []
    asked = QuestionTerms.of(question)
    own = [asked.share(sentence) for _, _, sentence in candidates]
    scores = np.array([score + (_NEXT_SENTENCE_SHARE * own[i - 1] if i and candidates[i - 1][0] == candidates[i][0]
                                else 0.0) for i, score in enumerate(own)])
    if embeddings is not None:
        vectors = np.array(embeddings.embed_documents([sentence for _, _, sentence in candidates]))
        similarity = vectors @ np.array(embeddings.embed_query(question))
        scores = scores + similarity
    # Earlier sources were ranked higher by retrieval: a small prior breaks ties in their favour.
    scores = scores - 0.02 * np.array([index for index, _, _ in candidates])
    chosen: set[int] = set()
    used = 0
    for best in np.argsort(-scores, kind="stable"):
        length = len(candidates[best][2]) + 1
        if used + length > budget and chosen:
            continue
        chosen.add(int(best))
        used += length
    excerpts = []
    for index, source in enumerate(sources):
        text, previous = "", None
        for i, (owner, position, sentence) in enumerate(candidates):
            if owner == index and i in chosen:
                gap = "" if previous is None else " " if position == previous + 1 else " … "
                text, previous = f"{text}{gap}{sentence}", position
        if text:
            excerpts.append(Excerpt(source, text))
    return excerpts
