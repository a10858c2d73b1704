"""Questions with a premise: a first sentence says what one document says, the last one asks of another."""

from __future__ import annotations

from assistant.answer.constraints import read_constraints
from assistant.answer.premise import named_document, read_premise
from assistant.index.embeddings import E5Embeddings
from assistant.models import DocumentInfo, Passage, Source
from assistant.service import Assistant
from assistant.settings import LLMSettings, Settings

from tests.answer_support import evidence_answer as answer

REPORT = DocumentInfo("rapports/rapport.pdf", "Les Alliances pour la solidarité à l'épreuve du terrain",
                      doc_type="rapport", regions=("Centre-du-Québec", "Lanaudière"), date="2014")
FICHE = DocumentInfo("autres/fiche.pdf", "Fiche de projet – Solidarité Transport Centre-du-Québec",
                     doc_type="fiche-projet", regions=("Centre-du-Québec",), date="2013")
AGREEMENT = DocumentInfo("ententes/entente-lanaudiere.pdf", "Entente – Alliance pour la solidarité de Lanaudière",
                         doc_type="entente", regions=("Lanaudière",), date="2012")
INTERVIEW = DocumentInfo("entretiens/ent-lan-01.md", "Entretien avec un maire de la MRC de Joliette",
                         doc_type="entretien", regions=("Lanaudière",), date="2013")
CONTRIBUTIONS = Passage("e-1", "6.1 La ministre verse à la CRÉ une contribution de 7 248 000 $ répartie ainsi :\n"
                        "Exercice financier Contribution du FQIS\n2011-2012 1 212 000 $\n2012-2013 1 812 000 $\n"
                        "2013-2014 2 112 000 $\n2014-2015 2 112 000 $", AGREEMENT, 4, "4", 0, 200)


def test_a_question_is_split_into_the_premise_that_sets_the_scene_and_the_sentence_that_asks() -> None:
    premise = read_premise("Le maire de Joliette dit que le comité se réunit cinq fois par année. "
                           "Est-ce plus que le minimum que fixe l'entente ?")
    assert premise is not None
    assert premise.scene == "Le maire de Joliette dit que le comité se réunit cinq fois par année."
    assert premise.ask == "Est-ce plus que le minimum que fixe l'entente ?"
    assert read_premise("Combien l'entente de Lanaudière prévoit-elle pour 2012-2013 ?") is None
    assert read_premise("Qui préside le comité ? Et qui le coordonne ?") is None  # two questions, no premise


def test_the_document_the_ask_names_is_read_by_its_kind() -> None:
    kinds = {"rapport", "fiche-projet", "entente", "entretien", "proces-verbal", "portrait-regional", "autre"}
    assert named_document("Quelle portion était prévue la première année, d'après la fiche du projet ?",
                          kinds) == "fiche-projet"
    assert named_document("Est-ce plus que le minimum que fixe l'entente lanaudoise ?", kinds) == "entente"
    assert named_document("Que dit le procès-verbal de la réunion ?", kinds) == "proces-verbal"
    # A report an agreement asks for is no kind of document; « autre » names no kind.
    assert named_document("Qu'annonce le rapport d'étape présenté au comité ?", kinds) == ""
    assert named_document("Quel autre projet a reçu la même somme ?", kinds) == ""


def test_the_day_a_premise_dates_its_own_event_with_pins_no_year_on_the_fact_asked() -> None:
    question = ("Le procès-verbal mentionne un solde de 258 000 $ reçu le 15 octobre 2013 pour l'exercice "
                "2011-2012. Quelle était la contribution totale de cet exercice selon l'entente ?")
    assert read_constraints(question).years == ()
    assert read_constraints(question).fiscal_years == ("2011-2012",)
    assert "1 212 000 $" in answer(question, [CONTRIBUTIONS])
    # A year the ask writes itself still pins the fact.
    assert read_constraints("Le maire en a parlé le 15 octobre 2013. Qu'a-t-on versé en 2013 ?").years == ("2013",)


def test_a_premise_s_date_does_not_open_the_door_to_another_year_s_figure() -> None:
    question = ("Le maire en a parlé au conseil le 15 octobre 2013. Combien l'entente de Lanaudière prévoit-elle "
                "pour 2016-2017 ?")
    assert answer(question, [CONTRIBUTIONS]) == ""


def test_the_figure_the_premise_gives_is_not_the_answer_a_new_figure_is() -> None:
    fiche = Passage("f-1", "Le FQIS chiffre à 236 000 $ son aide à Solidarité Transport pour 2012-2015. Pour la "
                    "première année, il en était prévu 64 000 $.", FICHE, 2, "2", 0, 150)
    text = answer("Le rapport chiffre à 236 000 $ l'aide du FQIS à Solidarité Transport pour 2012-2015. Qu'en était-il "
                  "prévu pour la première année ?", [fiche])
    assert text.startswith("Pour la première année, il en était prévu 64 000 $")


def test_the_document_the_ask_names_answers_before_the_one_the_premise_reports() -> None:
    interview = Passage("i-1", "Le maire de Joliette dit que le comité régional de suivi se réunit cinq fois par "
                        "année.", INTERVIEW, None, "", 0, 120)
    agreement = Passage("e-2", "5.3 Le comité régional de suivi se réunit au moins quatre fois par année.",
                        AGREEMENT, 3, "3", 0, 80)
    text = answer("Le maire de Joliette dit que le comité régional de suivi se réunit cinq fois par année. Que fixe "
                  "l'entente à ce sujet ?", [interview, agreement])
    assert text.startswith("5.3 Le comité régional de suivi se réunit au moins quatre fois par année")


def test_an_ask_pointing_back_to_the_premise_s_amount_asks_an_amount_of_the_year_it_ranks() -> None:
    question = ("Le rapport chiffre à 236 000 $ l'aide du FQIS à Solidarité Transport pour 2012-2015. Quelle portion "
                "de cette somme était prévue pour la première année, d'après la fiche du projet ?")
    assert read_constraints(question).answer_kind == "montant"
    assert read_constraints(question).year_rank == 1
    fiche = Passage("f-2", "FQIS (Alliance pour la solidarité) 64 000 $ 86 000 $ 86 000 $ 236 000 $", FICHE, 2, "2",
                    0, 70, context="Source : FQIS (Alliance pour la solidarité) — 2012-2013 : 64 000 $ — 2013-2014 : "
                                   "86 000 $ — 2014-2015 : 86 000 $ — Total : 236 000 $")
    assert answer(question, [fiche]).startswith("Source : FQIS (Alliance pour la solidarité) — 2012-2013 : 64 000 $")
    # An ask that reads its own kind keeps it; one that points back to no figure reads none.
    assert read_constraints("Le rapport chiffre cette aide à 236 000 $. Combien de projets ce fonds a-t-il "
                            "soutenus ?").answer_kind == "nombre"
    assert read_constraints("L'agente juge que ce siège est de la décoration. Est-ce l'entente qui prévoit ce "
                            "siège ?").answer_kind == ""


def test_the_years_of_a_premise_the_ask_does_not_point_back_to_set_the_scene_only() -> None:
    question = ("Le maire de Joliette cite de mémoire 1 212 000 $ pour 2011-2012 et 2 112 000 $ pour 2013-2014. "
                "Combien l'entente de Lanaudière prévoit-elle pour l'année entre les deux ?")
    assert read_constraints(question).fiscal_years == ()
    assert "1 812 000 $" in answer(question, [CONTRIBUTIONS]).split(" [")[0]
    # « cet exercice » points back to the premise's year: it stays pinned.
    assert read_constraints("Le procès-verbal mentionne un solde reçu pour 2011-2012. Quelle était la contribution "
                            "de cet exercice ?").fiscal_years == ("2011-2012",)


def test_regions_only_the_premise_names_set_the_scene_when_the_ask_names_its_own() -> None:
    question = ("Le rapport présente le Bas-Saint-Laurent comme la première Alliance signée. L'entente de l'Estrie "
                "a-t-elle été signée avant ou après ?")
    assert read_constraints(question).regions == ("Estrie",)
    # An ask naming no region keeps the premise's: it speaks of its subject.
    assert read_constraints("La citoyenne vit au Bas-Saint-Laurent. Combien son projet a-t-il reçu ?").regions == (
        "Bas-Saint-Laurent",)


def test_the_kind_of_document_the_ask_names_is_searched_for_the_ask(settings: Settings, e5: E5Embeddings) -> None:
    assistant = Assistant(settings, embeddings=e5)
    assistant.index()
    question = ("La répondante de Matawinie dit que le camion des Marchés solidaires de Matawinie s'arrête dans neuf "
                "villages où il n'y a plus d'épicerie. Combien la ministre verse-t-elle pour 2013-2014 selon l'entente ?")
    assert [source.passage.info.doc_type for source in assistant.search(question, top_k=1)] == ["entretien"]
    answer = assistant.ask(question, top_k=1, answer_settings=LLMSettings(backend="extractive"))
    assert "1 505 000 $" in answer.text and not answer.refused
