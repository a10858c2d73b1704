"""Comparisons and yes/no questions: a researcher asking whether the Table adopted its formula within the deadline
gets each date cited to its document, then the relation computed from those two dates — never regenerated, checked
again by the citation check, and counted right by the scorer only when stated of the cited values."""

from __future__ import annotations

from assistant.answer.comparison import plays, relation_sentence
from assistant.answer.constraints import conversation_constraints, with_sources
from assistant.answer.extractive import extractive_answer
from assistant.answer.parts import question_parts
from assistant.answer.verification import SupportChecker
from assistant.evaluation import text_verdict
from assistant.models import DocumentInfo, Passage, Source, Verdict

AGREEMENT = DocumentInfo("ententes/entente-laurentides.pdf", "Entente – Alliance pour la solidarité des Laurentides",
                         doc_type="entente", regions=("Laurentides",), date="2012")
REPORT = DocumentInfo("rapports/rapport.pdf", "Les Alliances pour la solidarité à l'épreuve du terrain",
                      doc_type="rapport", regions=("Laurentides",), date="2014")
DEADLINE = Passage("e-1", "La Table régionale adopte, au plus tard le 30 juin 2012, une formule de répartition des "
                   "sommes destinées aux projets.", AGREEMENT, 3, "3", 0, 110)
ADOPTED = Passage("r-1", "La Table régionale a adopté sa formule de répartition le 19 juin 2012, après deux rencontres "
                  "de négociation.", REPORT, 27, "27", 0, 110)
ASKED = ("La Table régionale des Laurentides a-t-elle adopté sa formule de répartition dans le délai que fixait "
         "l'entente ?")
RELATION = ("Comparaison des dates citées : le 19 juin 2012 [2] est avant la date limite du 30 juin 2012 [1] : oui, "
            "dans le délai.")


def sources() -> list[Source]:
    return [Source(1, DEADLINE), Source(2, ADOPTED)]


def test_a_deadline_question_gets_both_cited_dates_then_the_relation_computed_from_them() -> None:
    constraints = with_sources(conversation_constraints(ASKED, ASKED), sources())
    text = "".join(extractive_answer(ASKED, sources(), 3, 0.3, constraints=constraints))
    assert "au plus tard le 30 juin 2012" in text and "le 19 juin 2012" in text
    assert text.endswith(RELATION)


def test_the_relation_is_said_only_of_two_values_of_one_kind_from_two_documents() -> None:
    shown = [(1, "ententes/a.pdf", "Le plafond est de 16 800 $ pour 2013-2014."),
             (2, "entretiens/b.md", "Il cite un plafond de 16 800 $ pour 2013-2014.")]
    question = "Le plafond que cite l'agent correspond-il à celui de l'entente ?"
    assert relation_sentence(question, "", shown, "fr") == (
        "Comparaison des valeurs citées : 16 800 $ [1] et 16 800 $ [2], la même valeur : oui.")
    assert relation_sentence("Is the cap he quotes the same as the agreement's?", "", shown, "en") == (
        "Comparison of the cited values: 16 800 $ [1] and 16 800 $ [2], the same: yes.")
    one_document = [(1, "ententes/a.pdf", shown[0][2]), (2, "ententes/a.pdf", "Le solde est de 387 000 $.")]
    assert relation_sentence(question, "", one_document, "fr") == ""
    several = [shown[0], (2, "entretiens/b.md", "Il cite 16 800 $, puis 24 240 $.")]
    assert relation_sentence(question, "", several, "fr") == ""  # which of its two amounts is compared?
    shares = [(1, "ententes/a.pdf", "Au plus 2 % du montant."), shown[1]]
    assert relation_sentence(question, "", shares, "fr") == ""  # a share and an amount: not comparable
    assert relation_sentence("Combien prévoit l'entente ?", "", shown, "fr") == ""  # compares nothing
    assert relation_sentence("De combien le prix dépasse-t-il celui de Québec ?", "", shown, "fr") == ""


def test_the_citation_check_computes_the_relation_again_and_refuses_a_wrong_one() -> None:
    checker = SupportChecker(sources(), None)
    check = checker.check(RELATION)
    assert check.verdict == Verdict.SUPPORTED and check.basis == "computed"
    assert "à partir des valeurs citées" in check.label
    assert {number for number, _, _ in check.evidence} == {1, 2}
    wrong = RELATION.replace("est avant", "est après").replace("oui, dans le délai", "non, hors délai")
    assert checker.check(wrong).basis != "computed"
    elsewhere = RELATION.replace("[2]", "[1]")  # the 19 June is not in the agreement's passage
    assert checker.check(elsewhere).basis != "computed"


GOLD = {"qid": "x1", "kind": "multi-documents", "gold_doc_ids": ["ententes/entente-laurentides.pdf"],
        "answers": ["oui, le 19 juin 2012, avant le 30 juin 2012", "oui"]}
PASSAGES = {1: DEADLINE.text, 2: ADOPTED.text}


def test_an_expected_yes_counts_only_when_stated_of_the_two_cited_values() -> None:
    units = "La Table régionale adopte, au plus tard le 30 juin 2012 [1]. Elle a adopté sa formule le 19 juin 2012 [2]."
    assert text_verdict(GOLD, units, False, PASSAGES) == "wrong"  # both dates, no relation stated
    assert text_verdict(GOLD, f"{units} {RELATION}", False, PASSAGES) == "right"
    assert text_verdict(GOLD, "Oui [1].", False, PASSAGES) == "wrong"  # a bare « oui » is checked by nothing
    uncited = RELATION.replace(" [2]", "")
    assert text_verdict(GOLD, uncited, False, PASSAGES) == "wrong"


def test_an_expected_answer_joining_two_documents_facts_counts_each_fact_cited_right() -> None:
    gold = GOLD | {"answers": ["30 juin 2012 et 19 juin 2012"]}
    both = "Au plus tard le 30 juin 2012 [1]. Adoptée le 19 juin 2012 [2]."
    assert text_verdict(gold, both, False, PASSAGES) == "right"
    assert text_verdict(gold, "Au plus tard le 30 juin 2012 [1].", False, PASSAGES) == "wrong"
    assert text_verdict(gold, "Au plus tard le 30 juin 2012 [1]. Adoptée le 19 juin 2012 [1].", False,
                        PASSAGES) == "wrong"  # the 19 June cited to a passage that does not hold it
    assert text_verdict(gold | {"kind": "factuel"}, both, False, PASSAGES) == "wrong"  # one passage holds a fact


def test_a_deadline_question_asks_the_event_alone_and_the_deadline_with_the_whole_question() -> None:
    event, deadline = question_parts(ASKED)
    assert event.text == "La Table régionale des Laurentides a-t-elle adopté sa formule de répartition ?"
    assert (event.role, deadline.role, deadline.text) == ("event", "deadline", ASKED)
    assert event.constraints.answer_kind == deadline.constraints.answer_kind == "date"
    assert plays("deadline", DEADLINE.text) and not plays("event", DEADLINE.text)  # « au plus tard le… »
    assert plays("event", ADOPTED.text) and not plays("deadline", ADOPTED.text)
    # « le délai de commentaire » is a length of time (45 days), not a date: no sides.
    assert question_parts("La ministre l'a-t-elle accepté dans le délai de commentaire que prévoit l'entente ?") == []


def test_of_a_sentence_giving_two_dates_the_one_said_of_the_question_s_verb_is_compared() -> None:
    interview = ("L'entretien porte sur la réunion du 19 juin 2013, où la Table a révisé la formule de répartition "
                 "adoptée le 19 juin 2012")
    shown = [(1, "entretiens/a.md", interview), (2, "ententes/b.pdf", DEADLINE.text)]
    assert relation_sentence(ASKED, "", shown, "fr") == RELATION.replace("[2]", "[x]").replace("[1]", "[2]").replace(
        "[x]", "[1]")
    launched = [(1, "rapports/r.pdf", "Le premier appel a été lancé du 17 septembre au 2 novembre 2012."),
                (2, "ententes/b.pdf", "La CRÉ lance un premier appel au plus tard le 31 janvier 2013.")]
    # « 17 septembre » has no year of its own: which day was it launched on, compared with what? Nothing said.
    assert relation_sentence("Le premier appel a-t-il été lancé avant la date limite prévue par l'entente ?", "",
                             launched, "fr") == ""
