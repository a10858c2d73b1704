"""A researcher checking a citation sees, in the passage, the sentence that holds the answer up and the answer's
figures, dates and names as whole tokens; the passage keeps its headings, items and rows when shown."""

from __future__ import annotations

from assistant.models import Answer, DocumentInfo, Passage, SentenceCheck, Source, Verdict
from assistant.passage_layout import block_text, passage_blocks
from assistant.web.marks import answer_terms, marked_html, source_marks, term_spans

AGREEMENT_PAGE = ("4.4 La ministre accepte que la contribution de l'exercice 2014-2015 soit engagée\n"
                  "jusqu'au 30 juin 2015 et utilisée jusqu'au 30 septembre 2015, conformément à l'avenant\n"
                  "no 1.\n"
                  "5. Engagements de la CRÉ\n"
                  "5.1 Mobilisation. La CRÉ réunit autour de l'Alliance les élus municipaux, les organismes\n"
                  "communautaires, le réseau de la santé et des personnes en situation de pauvreté.\n"
                  "Exercice financier Contribution du FQIS\n"
                  "2012-2013 1 290 000 $\n"
                  "2013-2014 1 505 000 $\n")


def marked(passage: str, *sentences: str, question: str = "", title: str = "") -> list[str]:
    tokens, written = answer_terms(sentences, question, title)
    return [passage[start:end] for start, end in term_spans(passage, tokens, written)]


def test_a_fiscal_year_is_one_token_and_a_year_inside_it_never_lights_up() -> None:
    passage = "Pour 2012-2013, la CRÉ reçoit 1 290 000 $; en 2013, elle signe l'avenant."

    assert marked(passage, "La CRÉ signe l'avenant en 2013 [1].") == ["2013"]
    assert marked(passage, "La CRÉ reçoit 1 290 000 $ pour 2012–2013 [1].") == ["2012-2013", "1 290 000 $"]


def test_common_words_and_acronyms_are_not_marked_but_people_and_dates_are() -> None:
    passage = ("La CRÉ réunit les personnes en situation de pauvreté. Sur proposition de Josée Pellerin, le comité "
               "adopte les résultats le 22 octobre 2013.")

    found = marked(passage, "Le comité adopte, sur proposition de Josée Pellerin, les résultats sur la pauvreté de la "
                            "CRÉ le 22 octobre 2013 [1].")

    assert found == ["Josée Pellerin", "22 octobre 2013"]


def test_a_name_the_question_or_the_title_already_has_is_not_marked() -> None:
    passage = "La ministre verse à la CRÉ de la Mauricie 1 505 000 $ pour l'exercice 2013-2014."

    assert marked(passage, "La Mauricie reçoit 1 505 000 $ [1].", question="Que reçoit la Mauricie ?") == [
        "1 505 000 $"]
    assert marked(passage, "La Mauricie reçoit 1 505 000 $ [1].", title="Entente – Mauricie") == ["1 505 000 $"]


def test_an_amount_matches_however_its_digits_are_grouped_but_never_inside_a_longer_one() -> None:
    passage = "Total : 11 505 000 $. Versé : 1\u202f505\u202f000 $, puis 1505000 $ et 1 505 000,50 $."

    assert marked(passage, "La ministre verse 1 505 000 $ [1].") == ["1\u202f505\u202f000 $", "1505000 $"]


def test_the_card_marks_the_sentence_the_check_found_and_the_figures_of_the_answer() -> None:
    text = ("Article 6 – Contribution financière. La ministre verse à la CRÉ 1 505 000 $ pour l'exercice 2013-2014. "
            "Les sommes proviennent du Fonds québécois d'initiatives sociales.")
    sentence_start = text.index("La ministre")
    sentence_end = text.index("2013-2014.") + len("2013-2014.")
    source = Source(1, Passage("p", text, DocumentInfo("e.pdf", "Entente Mauricie"), 2, "2", 0, len(text)))
    answer = Answer("Combien en 2013-2014 ?", "La ministre verse 1 505 000 $ pour 2013-2014 [1].", [source],
                    checks=[SentenceCheck("La ministre verse 1 505 000 $ pour 2013-2014 [1].", (1,), (1,),
                                          Verdict.SUPPORTED, 1.0, evidence=((1, sentence_start, sentence_end),))])

    marks = source_marks(answer, source)
    shown = marked_html(text, passage_blocks(text), marks)

    assert [text[s:e] for s, e in marks["support"]] == ["La ministre verse à la CRÉ 1 505 000 $ pour l'exercice "
                                                       "2013-2014."]
    assert [text[s:e] for s, e in marks["term"]] == ["1 505 000 $", "2013-2014"]
    assert '<mark class="support term">1 505 000 $</mark>' in shown
    assert '<mark class="support">La ministre verse à la CRÉ </mark>' in shown
    assert "Article 6 – Contribution financière. <mark" in shown  # the rest of the passage is not marked


def test_a_pdf_passage_keeps_its_heading_clauses_and_table_rows_on_their_own_lines() -> None:
    blocks = passage_blocks(AGREEMENT_PAGE)

    assert [(block.kind, block_text(AGREEMENT_PAGE, block)[:30]) for block in blocks] == [
        ("item", "4.4 La ministre accepte que la"),
        ("heading", "5. Engagements de la CRÉ"),
        ("item", "5.1 Mobilisation. La CRÉ réuni"),
        ("paragraph", "Exercice financier Contributio"),
        ("paragraph", "2012-2013 1 290 000 $"),
        ("paragraph", "2013-2014 1 505 000 $"),
    ]
    assert block_text(AGREEMENT_PAGE, blocks[0]).endswith("conformément à l'avenant no 1.")


def test_markdown_headings_lists_and_tables_are_shown_as_such_and_the_offsets_stay_the_text_s() -> None:
    text = ("## 5. Frais d'administration\n\nLe coordonnateur rappelle l'article 8.\n\n- premier point\n"
            "- second point\n\n| Exercice | Montant |\n|---|---|\n| 2013-2014 | 30 100 $ |\n")
    blocks = passage_blocks(text)

    assert [(block.kind, text[block.start:block.end]) for block in blocks] == [
        ("heading", "5. Frais d'administration"), ("paragraph", "Le coordonnateur rappelle l'article 8."),
        ("item", "- premier point"), ("item", "- second point"), ("row", "| Exercice | Montant |"),
        ("row", "| 2013-2014 | 30 100 $ |")]
    shown = marked_html(text, blocks, {"term": [(text.index("30 100 $"), text.index("30 100 $") + 8)]})
    assert shown.startswith('<p class="heading">5. Frais d&#x27;administration</p>')
    assert '<p class="row">| 2013-2014 | <mark class="term">30 100 $</mark> |</p>' in shown


def test_a_line_that_repeats_the_passage_s_section_title_is_a_heading() -> None:
    text = "Annexe A – Montants des ententes\nMauricie 860 000 $ 1 290 000 $"

    kinds = [block.kind for block in passage_blocks(text, titles=["Annexes", "Annexe A – Montants des ententes"])]

    assert kinds == ["heading", "paragraph"]
