"""A user asks in their own words: the sentence that answers is shown even when it shares none of the question's
words. Fast: the real embedder, no model, no index."""

from __future__ import annotations

from assistant.answer.constraints import read_constraints
from assistant.answer.extractive import extractive_answer
from assistant.index.embeddings import E5Embeddings
from assistant.models import DocumentInfo, Passage, Source
from assistant.settings import LLMSettings

AGREEMENT = DocumentInfo("ententes/entente-test.pdf", "Entente spécifique — Alliance pour la solidarité",
                         doc_type="entente", regions=("Mauricie",), date="2012")
RULES = ("Chaque organisme soutenu remet un rapport d'activité à la fin de l'année. "
         "Les sommes non utilisées au 31 mars sont reportées à l'exercice suivant. "
         "Le comité de suivi se réunit quatre fois par an.")


def answer(question: str, e5: E5Embeddings) -> str:
    passage = Passage("e-00001", RULES, AGREEMENT, 3, "3", 0, len(RULES))
    return "".join(extractive_answer(question, [Source(1, passage)], 3, LLMSettings().extractive_min_relevance,
                                     e5, read_constraints(question)))


def test_a_paraphrased_question_gets_the_sentence_that_answers_it(e5: E5Embeddings) -> None:
    # The answer shares none of the question's words; the report's sentence shares three (organisme, fin, année).
    text = answer("Que devient l'argent qu'un organisme n'a pas dépensé à la fin de l'année ?", e5)
    assert "Les sommes non utilisées au 31 mars sont reportées à l'exercice suivant [1]." in text
