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
from dataclasses import dataclass

import numpy as np
from langchain_core.embeddings import Embeddings

from assistant.french import content_stems, figures_and_number_words, fold, name_key, names
from assistant.models import Source

# Sentences shorter than this are glued to the next one (headings, « Article 6 – », list numbers).
_MIN_SENTENCE = 40
# A sentence ends at « . ! ? » (not after an initial such as « A. ») or before a list item.
_PASSAGE_SENTENCE = re.compile(r"(?<!\b[A-ZÀ-Þ]\.)(?<=[.!?])\s+|\n{2,}|\n(?=[-•*]|\d+[.)]\s)")
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
    """A passage cut into sentences (and list items); very short pieces stay with the next one."""
    pieces, pending = [], ""
    for piece in _PASSAGE_SENTENCE.split(text):
        piece = " ".join(piece.split())
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


def lexical_relevance(question: str, sentence: str) -> float:
    """Share of the question's stems in the sentence, names and figures counting double."""
    stems, keys = content_stems(question), set(names(question)) | figures_and_number_words(question)
    if not stems and not keys:
        return 0.0
    words, numbers = f" {name_key(sentence)} ", figures_and_number_words(sentence)
    found_keys = sum(key in numbers if key.isdigit() else f" {key} " in words for key in keys)
    return (len(stems & content_stems(sentence)) + 2 * found_keys) / (len(stems) + 2 * len(keys))


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
    own = [lexical_relevance(question, sentence) for _, _, sentence in candidates]
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
