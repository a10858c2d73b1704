"""A reader finds citations numbered [1]…[n] in the order the answer cites them, everywhere the answer goes; while
it streams, a number once shown never changes; the check says which sentence of the passage holds each claim."""

from __future__ import annotations

from pathlib import Path

from assistant.answer.citations import renumber_citations
from assistant.answer.verification import SupportChecker
from assistant.answer.writer import RecordedText, write_answer
from assistant.index.embeddings import E5Embeddings
from assistant.models import (Answer, DocumentInfo, Passage, PassageScores, SentenceCheck, Source, Verdict,
                              cited_numbers)
from assistant.settings import LLMSettings, Settings

QUESTION = "Que disent ces documents sur les sommes versées et la reddition de comptes ?"
INTERVIEW = Passage("p-camion", "Le camion des Marchés solidaires de Matawinie a fait sa première tournée le 15 "
                    "octobre 2012. Il s'arrête dans neuf villages où il n'y a plus d'épicerie.",
                    DocumentInfo("entretiens/lan.md", "Entretien Matawinie", regions=("Lanaudière",)), None, "", 0, 120)
AGREEMENT = Passage("p-entente", "Article 6 – Contribution financière. La ministre verse à la CRÉ de la Mauricie "
                    "1 505 000 $ pour l'exercice 2013-2014. Les sommes proviennent du Fonds québécois "
                    "d'initiatives sociales.",
                    DocumentInfo("ententes/mauricie.pdf", "Entente Mauricie", regions=("Mauricie",)), 2, "2", 0, 180)
REPORTING = Passage("p-gabarit", "La répondante juge la reddition de comptes trop lourde. Le gabarit imposé par la "
                    "CRÉ compte 14 pages.",
                    DocumentInfo("entretiens/lan-2.md", "Entretien reddition", regions=("Lanaudière",)), None, "", 0,
                    100)
# The search found the interview first; the model cites the agreement (2) and the template (3), then 2 again.
FOUND = [Source(1, INTERVIEW, PassageScores(0.05, 0.9)), Source(2, AGREEMENT, PassageScores(0.04, 0.9)),
         Source(3, REPORTING, PassageScores(0.03, 0.9))]
MODEL_TEXT = ("La ministre verse 1 505 000 $ à la CRÉ de la Mauricie pour l'exercice 2013-2014 [2]. "
              "Le gabarit imposé par la CRÉ compte 14 pages [3]. "
              "Les sommes proviennent du Fonds québécois d'initiatives sociales [2].")


def test_an_answer_citing_3_then_5_reads_1_then_2_and_its_sources_follow_in_that_order() -> None:
    sources = [Source(n, Passage(f"p{n}", f"passage {n}", DocumentInfo(f"d{n}.md", f"Document {n}"), None, "", 0, 9))
               for n in range(1, 6)]
    answer = Answer("q", "Première phrase [3]. Deuxième [5, 3]. Troisième [3].", sources,
                    checks=[SentenceCheck("Première phrase [3].", (3,), (1,), Verdict.RECITED, 0.9,
                                          evidence=((3, 0, 9),)),
                            SentenceCheck("Inventée.", (), (4,), Verdict.UNSUPPORTED, 0.1)],
                    model_text="Première phrase [1]. Inventée [4].")

    renumbered = renumber_citations(answer)

    assert renumbered.text == "Première phrase [1]. Deuxième [2, 1]. Troisième [1]."
    assert [(s.number, s.passage.id) for s in renumbered.sources] == [(1, "p3"), (2, "p5"), (3, "p1"), (4, "p2"),
                                                                     (5, "p4")]
    assert [s.passage.id for s in renumbered.cited_sources] == ["p3", "p5"]
    first, removed = renumbered.checks
    assert (first.text, first.cited, first.written, first.evidence) == ("Première phrase [1].", (1,), (3,),
                                                                        ((1, 0, 9),))
    assert removed.written == (5,)
    assert renumbered.model_text == "Première phrase [3]. Inventée [5]."


def test_an_answer_that_cites_nothing_keeps_the_search_order() -> None:
    answer = Answer("q", "Je ne trouve pas cette information dans le corpus.", list(FOUND), refused=True)

    assert renumber_citations(answer) is answer


def test_while_the_answer_streams_a_number_once_shown_never_changes_and_the_end_reads_1_2(
        settings: Settings, e5: E5Embeddings) -> None:
    draft = Answer(QUESTION, "", list(FOUND), search_query=QUESTION)
    steps = list(write_answer(draft, QUESTION, LLMSettings(answer_from="model"), settings.prompts_dir,
                              RecordedText(MODEL_TEXT), e5))

    final = steps[-1]
    assert final.complete and not final.refused
    assert cited_numbers(final.text) == [1, 2]
    assert [s.passage.id for s in final.sources] == ["p-entente", "p-gabarit", "p-camion"]
    assert [s.passage.id for s in final.cited_sources] == ["p-entente", "p-gabarit"]
    meaning = {s.number: s.passage.id for s in final.sources}
    for step in steps:
        shown = {s.number: s.passage.id for s in step.sources}
        assert all(shown[n] == meaning[n] for n in cited_numbers(step.text)), step.text
    # The sentence being written shows no marker until it has been checked.
    assert any(step.text.endswith("14 pages.") for step in steps)


def test_the_check_marks_the_sentence_of_the_passage_that_holds_each_claim(
        settings: Settings, e5: E5Embeddings) -> None:
    draft = Answer(QUESTION, "", list(FOUND), search_query=QUESTION)
    *_, final = write_answer(draft, QUESTION, LLMSettings(answer_from="model"), settings.prompts_dir,
                             RecordedText(MODEL_TEXT), e5)

    held = {check.text: check.evidence for check in final.checks}
    (number, start, end), = held["Le gabarit imposé par la CRÉ compte 14 pages [2]."]
    assert number == 2 and REPORTING.text[start:end] == "Le gabarit imposé par la CRÉ compte 14 pages"
    (number, start, end), = held["Les sommes proviennent du Fonds québécois d'initiatives sociales [1]."]
    assert AGREEMENT.text[start:end] == "Les sommes proviennent du Fonds québécois d'initiatives sociales"


def test_the_service_hands_every_shell_the_same_numbers(settings: Settings, e5: E5Embeddings,
                                                        tmp_path: Path) -> None:
    from assistant.service import Assistant

    answer = Assistant(settings, embeddings=e5).answer_from(QUESTION, list(FOUND), MODEL_TEXT,
                                                            answer_settings=LLMSettings(answer_from="model"))

    assert cited_numbers(answer.text) == [1, 2]
    assert [(s.number, s.passage.id) for s in answer.cited_sources] == [(1, "p-entente"), (2, "p-gabarit")]


def test_a_quoted_table_row_is_marked_where_it_stands_not_the_whole_table(e5: E5Embeddings) -> None:
    table = ("6.1 La ministre verse à la CRÉ une contribution maximale de 5 160 000 $, répartie comme suit :\n"
             "Exercice financier Contribution du FQIS\n2012-2013 1 290 000 $\n2013-2014 1 505 000 $\n"
             "Total 5 160 000 $")
    source = Source(1, Passage("p-table", table, DocumentInfo("e.pdf", "Entente Mauricie"), 4, "4", 0, len(table)),
                    PassageScores(0.05, 0.9))
    question = "Quel montant l'entente prévoit-elle pour 2013-2014 ?"

    check = SupportChecker([source], e5, question=question).check("Contribution du FQIS : « 2013-2014 1 505 000 $ » [1].")

    assert check.verdict == Verdict.SUPPORTED
    assert [table[start:end] for _, start, end in check.evidence] == ["2013-2014 1 505 000 $"]
