"""The evaluation scores what the assistant really does, with the same service the chat uses."""

from __future__ import annotations

from assistant.evaluation import RetrievalScores, contains_expected, evaluate_answers
from assistant.index.embeddings import E5Embeddings
from assistant.service import Assistant
from assistant.settings import Settings
from tests.conftest import fake_chat_model


def test_recall_and_mrr_count_the_first_gold_document() -> None:
    scores = RetrievalScores()
    scores.add(["b", "a", "c"], {"a"})
    scores.add(["x", "y"], {"a"})
    assert scores.hits == {1: 0, 5: 1, 10: 1}
    assert scores.reciprocal_ranks == 0.5


def test_expected_answers_match_despite_accents_case_and_number_spacing() -> None:
    assert contains_expected("La CRÉ reçoit 1 505 000 $ [1].", ["1 505 000 $"])
    assert contains_expected("Le montant est de 1505000 dollars.", ["1 505 000 $"])
    assert contains_expected("C'était à BAIE-COMEAU.", ["Baie-Comeau"])
    assert not contains_expected("Le montant est de 1 500 000 $.", ["1 505 000 $"])
    assert not contains_expected("En 2013, à Trois-Rivières.", ["2013 à Shawinigan"])


def test_answers_are_scored_for_correctness_refusals_and_citations(settings: Settings, e5: E5Embeddings) -> None:
    model = fake_chat_model("La ministre verse 1 505 000 $ pour 2013-2014 [2]. Elle le fait depuis 1987 [1].")
    assistant = Assistant(settings, embeddings=e5, chat_model=model)
    assistant.index()
    questions = [{"question": "Combien la ministre verse-t-elle à la Mauricie en 2013-2014 ?",
                  "answers": ["1 505 000 $"], "gold_doc_ids": ["ententes/entente-mauricie.pdf"], "kind": "factuel"},
                 {"question": "Combien l'Alliance de l'Outaouais a-t-elle reçu ?", "answers": [], "gold_doc_ids": [],
                  "kind": "hors-corpus"}]
    scores = evaluate_answers(assistant, questions)
    assert (scores.answerable, scores.correct, scores.wrongly_refused) == (1, 1, 0)
    assert (scores.unanswerable, scores.rightly_refused, scores.refused_before_model) == (1, 1, 1)
    # The first sentence cites the wrong page and is cited anew; the second holds nowhere and is removed.
    assert (scores.sentences, scores.held_as_cited, scores.recited, scores.removed) == (2, 0, 1, 1)
    assert (scores.shown, scores.shown_cited) == (1, 1)
    assert len(scores.first_token_seconds) == 1 and scores.first_token_seconds[0] <= scores.total_seconds[0]
    assert any("refus justes" in line and "1/1" in line for line in scores.lines())
