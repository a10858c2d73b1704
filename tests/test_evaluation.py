"""The evaluation scores what the assistant really does, with the same service the chat uses."""

from __future__ import annotations

import io
import json

from assistant.evaluation import AnswerScores, RetrievalScores, contains_expected, evaluate_answers, verdict
from assistant.index.embeddings import E5Embeddings
from assistant.models import Answer, DocumentInfo, Passage, PassageScores, Source
from assistant.service import Assistant
from assistant.settings import Settings
from tests.conftest import fake_chat_model

AGREEMENT = DocumentInfo("ententes/entente-mauricie.pdf", "Entente Mauricie", regions=("Mauricie",))
TABLE_ROW = "2013-2014 | 1 505 000 $"
PAYMENT = "À titre d'exemple, pour l'exercice 2012-2013, le premier versement s'élève à 903 000 $."
ADMIN_CAP = "soit au plus 30 100 $ pour chacun des exercices 2013-2014 et 2014-2015."
MAURICIE_2013 = {"question": "Quel montant l'entente de la Mauricie prévoit-elle pour 2013-2014 ?", "kind": "tableau",
                 "answers": ["1 505 000 $"], "gold_doc_ids": [AGREEMENT.path]}


def source(number: int, text: str, page: int = 4) -> Source:
    return Source(number, Passage(f"p{number}", text, AGREEMENT, page, str(page), 0, len(text)), PassageScores(1.0))


SOURCES = [source(1, TABLE_ROW), source(2, PAYMENT, page=5), source(3, ADMIN_CAP, page=5)]


def answer(text: str, *, refused: bool = False) -> Answer:
    return Answer(MAURICIE_2013["question"], text, SOURCES, refused=refused)


def test_recall_and_mrr_count_the_first_gold_document() -> None:
    scores = RetrievalScores()
    scores.add(["b", "a", "c"], {"a"})
    scores.add(["x", "y"], {"a"})
    assert scores.hits == {1: 0, 5: 1, 10: 1}
    assert scores.reciprocal_ranks == 0.5


def test_passage_level_hits_count_the_gold_page_and_the_passage_that_holds_the_answer() -> None:
    scores = RetrievalScores()
    ranked = [s.passage for s in (SOURCES[1], SOURCES[2], SOURCES[0])]  # the 1 505 000 $ row third, on page 4
    scores.add_passages(ranked, {(AGREEMENT.path, 4)}, ["1 505 000 $"])
    scores.add_passages(ranked, {(AGREEMENT.path, 9)}, ["5 160 000 $"])
    assert (scores.page_questions, scores.page_hits) == (2, {1: 0, 5: 1, 10: 1})
    assert (scores.answer_questions, scores.answer_hits) == (2, {1: 0, 5: 1, 10: 1})
    assert "page@5 0.500 (1)" in scores.passage_row() and "réponse@1 0.000 (0)" in scores.passage_row()


def test_expected_answers_match_despite_accents_case_and_number_spacing() -> None:
    assert contains_expected("La CRÉ reçoit 1 505 000 $ [1].", ["1 505 000 $"])
    assert contains_expected("Le montant est de 1505000 dollars.", ["1 505 000 $"])
    assert contains_expected("C'était à BAIE-COMEAU.", ["Baie-Comeau"])
    assert not contains_expected("Le montant est de 1 500 000 $.", ["1 505 000 $"])
    assert not contains_expected("En 2013, à Trois-Rivières.", ["2013 à Shawinigan"])


def test_an_expected_answer_counts_only_as_whole_words_outside_citation_markers() -> None:
    assert not contains_expected("Le comité a été créé en 2017 [1].", ["7"])
    assert not contains_expected("Le comité a été créé l'an dernier [7].", ["7"])
    assert not contains_expected("Les septuagénaires y participent.", ["sept"])
    assert contains_expected("Le comité comptait sept membres [1].", ["sept", "7"])
    assert contains_expected("Il l’a signée à Trois-Rivières.", ["l'a signée"])


def test_an_expected_figure_counts_only_as_a_figure_of_the_same_kind() -> None:
    # « 10 » members present is not the day of « 10 septembre 2013 », nor a number of « sept. 2013 ».
    assert not contains_expected("Adoption du procès-verbal de la réunion du 10 septembre 2013 [3].", ["10"])
    assert not contains_expected("Résultat (1er oct. 2012 – 30 sept. 2013) [1].", ["sept", "7"])
    assert contains_expected("Dix membres sur 13 étaient présents [1].", ["10 sur 13", "10"])
    # A count of pupils is no amount, a share no count; an amount may be written without its « $ ».
    assert not contains_expected("« Persévérer ensemble », mentorat : 146 000 $ [1].", ["146"])
    assert not contains_expected("Les déplacements liés à l'emploi : 7 % [1].", ["sept", "7"])
    assert not contains_expected("Il a coûté 1 840 $ [1].", ["1 840", "1 840 déplacements"])
    assert contains_expected("Le FQIS verse 425 000 à ce projet [1].", ["425 000 $", "425 000"])
    # A part of a longer number, or a year inside a fiscal year, is not the figure.
    assert not contains_expected("L'entente prévoit 1 505 000 $ [1].", ["505 000 $"])
    assert not contains_expected("L'entente court sur l'exercice 2009-2010 [1].", ["2009", "depuis 2009"])
    assert contains_expected("Une entente soutient la concertation depuis 2009 [1].", ["2009", "depuis 2009"])
    # A table's row: the result column (« 1 840 ») after the target (« 1 500 »), a date before an amount.
    assert contains_expected("« Déplacements effectués 1 500 1 840 » [3].", ["1 840"])
    assert contains_expected("Laurentides AS-2011-LAU 28 février 2012 37 800 $ [6].", ["28 février 2012"])


def test_a_right_figure_counts_only_in_a_sentence_whose_cited_passage_holds_it() -> None:
    assert verdict(MAURICIE_2013, answer("L'entente prévoit 1 505 000 $ pour 2013-2014 [1].")) == "right"
    # The README's case: the right figure written, but cited to the payment of 2012-2013.
    assert verdict(MAURICIE_2013, answer("L'entente prévoit 1 505 000 $ pour 2013-2014 [2].")) == "wrong"
    # The figure in an uncited sentence, the cited one about something else.
    assert verdict(MAURICIE_2013, answer("Les versements suivent l'entente [1]. Le montant est de 1 505 000 $.")) \
        == "wrong"
    # A false sentence beside a right one: the right one, cited to the row, makes the answer right.
    assert verdict(MAURICIE_2013, answer("Le premier versement est de 903 000 $ [2]. Pour 2013-2014, l'entente "
                                         "prévoit 1 505 000 $ [1].")) == "right"
    # A wrong figure cited to its own passage is wrong, however well it is cited.
    assert verdict(MAURICIE_2013, answer("Le montant prévu pour 2013-2014 est de 30 100 $ [3].")) == "wrong"
    assert verdict(MAURICIE_2013, answer("Je ne trouve pas 1 505 000 $ [1].", refused=True)) == "refused"


def test_out_of_corpus_questions_are_scored_refused_or_answered() -> None:
    question = {"question": "Combien l'Outaouais a-t-il reçu ?", "kind": "hors-corpus", "gold_doc_ids": []}
    assert verdict(question, answer("Je ne trouve pas cette information.", refused=True)) == "refused"
    assert verdict(question, answer("L'Outaouais a reçu 1 505 000 $ [1].")) == "answered"


def test_a_synthesis_is_right_with_two_of_its_points_each_cited_to_a_passage_that_holds_it() -> None:
    points = [{"answers": ["1 505 000 $"], "gold": {"doc": AGREEMENT.path, "page": 4}},
              {"answers": ["903 000 $"], "gold": {"doc": AGREEMENT.path, "page": 5}},
              {"answers": ["30 100 $"], "gold": [{"doc": AGREEMENT.path, "page": 5}]}]
    question = {"question": "Quelles sommes l'entente fixe-t-elle ?", "kind": "synthese", "points": points,
                "gold_doc_ids": [AGREEMENT.path]}
    two = answer("Elle prévoit 1 505 000 $ par exercice [1]. Le premier versement de 2012-2013 est de 903 000 $ [2].")
    assert verdict(question, two) == "right"
    one_cited_wrongly = answer("Elle prévoit 1 505 000 $ [1]. Les frais sont plafonnés à 30 100 $ [2].")
    assert verdict(question, one_cited_wrongly) == "wrong"
    assert verdict({**question, "points": points[:1]}, answer("Elle prévoit 1 505 000 $ [1].")) == "right"


def test_the_report_gives_right_refused_and_wrong_for_each_kind() -> None:
    scores = AnswerScores()
    scores.add(MAURICIE_2013, answer("L'entente prévoit 1 505 000 $ pour 2013-2014 [1]."))
    scores.add(MAURICIE_2013, answer("L'entente prévoit 903 000 $ pour 2013-2014 [2]."))
    scores.add(MAURICIE_2013, answer("Je ne trouve pas cette information.", refused=True))
    scores.add({"question": "Et l'Outaouais ?", "kind": "hors-corpus", "gold_doc_ids": []}, answer("Rien.", refused=True))
    lines = scores.lines()
    assert "  tableau          justes 1, refusées 1, fausses 1 (n=3)" in lines
    assert "  hors-corpus      refusées 1, répondues 0 (n=1)" in lines
    assert any(line.startswith("réponses justes") and "(1/3)" in line for line in lines)


def test_the_report_says_how_many_answers_are_right_from_their_first_sentence() -> None:
    # A wrong figure first, the right one second: right for the scorer, not from the first sentence.
    scores = AnswerScores()
    scores.add(MAURICIE_2013, answer("Le premier versement est de 903 000 $ [2]. Pour 2013-2014, l'entente prévoit "
                                     "1 505 000 $ [1]."))
    scores.add(MAURICIE_2013, answer("L'entente prévoit 1 505 000 $ pour 2013-2014 [1]. Le premier versement est de "
                                     "903 000 $ [2]."))
    lines = scores.lines()
    assert any(line.startswith("réponses justes") and "(2/2)" in line for line in lines)
    assert any(line.startswith("justes dès la 1re phrase") and "(1/2)" in line for line in lines)


def test_answers_are_scored_for_correctness_refusals_and_citations(settings: Settings, e5: E5Embeddings) -> None:
    model = fake_chat_model("La ministre verse 1 505 000 $ pour 2013-2014 [2]. Elle le fait depuis 1987 [1].")
    assistant = Assistant(settings, embeddings=e5, chat_model=model)
    assistant.index()
    questions = [{"question": "Combien la ministre verse-t-elle à la Mauricie en 2013-2014 ?",
                  "answers": ["1 505 000 $"], "gold_doc_ids": ["ententes/entente-mauricie.pdf"], "kind": "factuel"},
                 {"question": "Combien l'Alliance de l'Outaouais a-t-elle reçu ?", "answers": [], "gold_doc_ids": [],
                  "kind": "hors-corpus"}]
    record = io.StringIO()
    scores = evaluate_answers(assistant, questions, record)
    assert (scores.answerable, scores.correct, scores.wrongly_refused) == (1, 1, 0)
    assert (scores.unanswerable, scores.rightly_refused, scores.refused_before_model) == (1, 1, 1)
    # The first sentence cites the wrong page and is cited anew; the second holds nowhere and is removed.
    assert (scores.sentences, scores.held_as_cited, scores.recited, scores.removed) == (2, 0, 1, 1)
    assert (scores.shown, scores.shown_cited) == (1, 1)
    assert len(scores.first_token_seconds) == 1 and scores.first_token_seconds[0] <= scores.total_seconds[0]
    assert any("refus justes" in line and "1/1" in line for line in scores.lines())
    written = [json.loads(line) for line in record.getvalue().splitlines()]
    assert [row["verdict"] for row in written] == ["right", "refused"]
    right = written[0]
    assert right["expected"] == ["1 505 000 $"] and "1 505 000 $" in right["answer"] and not right["refused"]
    assert [check["verdict"] for check in right["checks"]] == ["recited", "unsupported"]
    assert right["cited"] and all("1 505 000 $" in cited["text"] for cited in right["cited"])
    assert right["cited"][0]["doc"] == "ententes/entente-mauricie.pdf" and right["cited"][0]["page"] == 2
    assert written[1]["refusal_reason"] and written[1]["search_query"]
