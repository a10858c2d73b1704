"""An answer without a language model: the passages' sentences that best answer the question, each cited.

For machines without the local model. The sentences are quoted as the corpus writes them (in French, whatever the
question's language), ranked like the compact context ranks them (shared stems, names and figures), plus their
cosine similarity to the question when an embedder is given.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
from langchain_core.embeddings import Embeddings

from assistant.answer.context import is_instruction, lexical_relevance, passage_sentences
from assistant.french import split_sentences
from assistant.models import Source


def extractive_answer(question: str, sources: list[Source], max_sentences: int, min_relevance: float,
                      embeddings: Embeddings | None = None) -> Iterator[str]:
    """Stream the best sentences, each followed by its source's marker, best first; nothing when none is relevant
    (a sentence sharing less than ``min_relevance`` of the question's terms does not answer it)."""
    candidates = [(source, sentence) for source in sources for sentence in passage_sentences(source.passage.text)
                  if not is_instruction(sentence)]
    if not candidates:
        return
    relevance = np.array([lexical_relevance(question, sentence) for _, sentence in candidates])
    ranking = relevance.copy()
    if embeddings is not None:
        vectors = np.array(embeddings.embed_documents([sentence for _, sentence in candidates]))
        ranking = ranking + vectors @ np.array(embeddings.embed_query(question))
    chosen = [i for i in np.argsort(-ranking, kind="stable") if relevance[i] >= min_relevance][:max_sentences]
    first = True
    for index in chosen:
        source, sentence = candidates[index]
        for part in split_sentences(sentence):  # a heading glued to its sentence is cited on its own
            yield f"{'' if first else ' '}{part.rstrip(' .;:')} [{source.number}]."
            first = False

