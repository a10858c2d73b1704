"""Two-step and computed multi-document answers: a researcher asking by which resolution « ce même président » was
authorised gets the interview's sentence that names him, then the agreement's that gives his resolution; one asking
how much a rent rose, or what is left of a reserve, gets the cited amounts and the figure computed from them,
checked again by the citation check."""

from __future__ import annotations

from assistant.answer.arithmetic import calculation_sentence
from assistant.answer.bridge import bridged_ask, described
from assistant.answer.constraints import conversation_constraints, unmet, with_sources
from assistant.answer.evidence import evidence_units
from assistant.answer.verification import SupportChecker
from assistant.models import DocumentInfo, Passage, Source

from tests.answer_support import evidence_answer

INTERVIEW = DocumentInfo("entretiens/ent-cdq-03.md", "Entretien avec la directrice d'un organisme d'employabilité, "
                         "Drummond", doc_type="entretien", regions=("Centre-du-Québec",), date="2014")
AGREEMENT = DocumentInfo("ententes/entente-centre-du-quebec.pdf", "Entente relative à l'Alliance pour la solidarité – "
                         "Centre-du-Québec", doc_type="entente", regions=("Centre-du-Québec",), date="2012")
PORTRAIT = DocumentInfo("autres/portrait-cote-nord-2012.pdf", "Portrait régional de la pauvreté : Côte-Nord, 2012",
                        doc_type="portrait-regional", regions=("Côte-Nord",), date="2012")
REPORT = DocumentInfo("rapports/rapport.pdf", "Les Alliances pour la solidarité à l'épreuve du terrain",
                      doc_type="rapport", regions=("Côte-Nord",), date="2014")
COMPLAINT = Passage("i-1", "Elle a adressé une plainte écrite au président de la CRÉ, André Houle, le 2 août 2013. "
                    "La réponse a été signée par la direction générale.", INTERVIEW, None, "", 0, 140)
PARTIES = Passage("e-1", "LA CONFÉRENCE RÉGIONALE DES ÉLUS DU CENTRE-DU-QUÉBEC, représentée par M. André Houle, "
                  "président, dûment autorisé par la résolution CA-2012-04-072 de son conseil d'administration.",
                  AGREEMENT, 1, "1", 0, 180)
OTHER = Passage("e-2", "La CRÉ lance un premier appel de projets au plus tard le 31 janvier 2013, puis au moins un appel "
                "par exercice.", AGREEMENT, 3, "3", 0, 120)
ASKED = ("La directrice de Drummond a porté plainte auprès du président de la CRÉ : par quelle résolution ce même "
         "président avait-il été autorisé à signer l'entente régionale ?")


def answer(question: str, passages: list[Passage]) -> str:
    return evidence_answer(question, passages, 0.2)


def test_a_person_described_by_a_role_is_named_by_one_document_and_asked_of_another() -> None:
    text = answer(ASKED, [COMPLAINT, OTHER, PARTIES])
    named, resolution = text.split(" [1]. ")
    assert "André Houle" in named  # the step that names him, cited
    assert "CA-2012-04-072" in resolution and resolution.endswith("[3].")


def test_the_ask_with_the_bridge_name_is_what_is_searched() -> None:
    sources = [Source(1, COMPLAINT), Source(2, OTHER)]
    ask, named_by = bridged_ask(ASKED, sources, None, 0.2)
    assert ask == "par quelle résolution André Houle avait-il été autorisé à signer l'entente régionale ?"
    assert named_by.unit.source.number == 1
    # A place described by what sets it apart is named in the clause that holds the question's figure.
    distances = Passage("p-1", "Il faut compter environ 230 km entre Baie-Comeau et Sept-Îles, 220 km entre Sept-Îles "
                        "et Havre-Saint-Pierre et près de 570 km entre Baie-Comeau et Fermont.", PORTRAIT, 1, "1", 0, 160)
    place = bridged_ask("Quel montant reçoit la navette qui conduit aux services de la ville située à 220 km de "
                        "Sept-Îles ?", [Source(1, distances)], None, 0.2)
    assert place is not None and place[0] == ("Quel montant reçoit la navette qui conduit aux services de "
                                              "Havre-Saint-Pierre ?")
    # Nothing described (a person named), or no unit naming the one described: no bridge.
    assert described("Par quelle résolution André Houle a-t-il été autorisé à signer l'entente ?") is None
    assert bridged_ask(ASKED, [Source(1, OTHER)], None, 0.2) is None


def test_two_subjects_compared_are_each_met_by_their_own_document() -> None:
    fiche = Passage("f-1", "Le passage coûte 3 $ par trajet; les trajets pour raison de santé sont payés par le CSSS.",
                    DocumentInfo("autres/fiche-projet-solidarite-transport.pdf", "Fiche de projet – Solidarité "
                                 "Transport Centre-du-Québec", doc_type="fiche-projet",
                                 regions=("Centre-du-Québec",), date="2013"), 1, "1", 0, 100)
    joliette = Passage("j-1", "Un minibus relie cinq municipalités rurales au centre-ville de Joliette trois jours par "
                       "semaine, au tarif de 3 $ le trajet.", DocumentInfo(
                           "entretiens/ent-lan-01.md", "Entretien avec un élu, Joliette", doc_type="entretien",
                           regions=("Lanaudière",), date="2014"), None, "", 0, 110)
    question = ("La navette de la MRC de Joliette et Solidarité Transport au Centre-du-Québec demandent-elles le même "
                "prix par trajet ?")
    sources = [Source(1, joliette), Source(2, fiche)]
    assert not unmet(with_sources(conversation_constraints(question, question), sources), evidence_units(sources))
    text = answer(question, [joliette, fiche])
    assert "[1]" in text and "[2]" in text
    assert text.endswith("Comparaison des valeurs citées : 3 $ [1] et 3 $ [2], la même valeur : oui.")


def test_a_difference_asked_is_computed_from_the_cited_values_and_checked_again() -> None:
    question = "De combien le loyer de la mère seule a-t-il augmenté entre 2011 et juillet 2013 ?"
    rent = Passage("c-1", "Le loyer est passé de 675 $ en 2011 à 975 $ en juillet 2013.", INTERVIEW, None, "", 0, 60)
    text = answer(question, [rent])
    assert text.endswith("Calcul à partir des montants cités : 975 $ [1] − 675 $ [1] = 300 $.")
    checker = SupportChecker([Source(1, rent)], None, question=question)
    assert checker.check("Calcul à partir des montants cités : 975 $ [1] − 675 $ [1] = 300 $.").basis == "computed"
    assert checker.check("Calcul à partir des montants cités : 975 $ [1] − 675 $ [1] = 400 $.").basis != "computed"
    other = SupportChecker([Source(1, rent)], None, question="Quel est le loyer en juillet 2013 ?")
    assert other.check("Calcul à partir des montants cités : 975 $ [1] − 675 $ [1] = 300 $.").basis != "computed"


def test_nothing_is_computed_unless_the_values_are_exactly_those_the_operation_needs() -> None:
    asked = "De combien le loyer a-t-il augmenté ?"
    assert calculation_sentence(asked, "", [(1, "Le loyer est de 975 $.")], "fr") == ""  # one value
    assert calculation_sentence(asked, "", [(1, "De 600 $ à 675 $ puis 975 $.")], "fr") == ""  # three
    assert calculation_sentence("Quel est le loyer ?", "", [(1, "Passé de 675 $ à 975 $.")], "fr") == ""
    # Two places' values, each already a difference: no change of one thing to compute.
    assert calculation_sentence("De combien le panier dépasse-t-il le prix de Québec en Basse-Côte-Nord ?", "", [
        (1, "Le panier est estimé à 18 % de plus qu'à Québec à Sept-Îles et à plus de 35 % de plus en Basse-Côte-Nord.")
    ], "fr") == ""
    # « de combien de personnes se compose l'équipe » counts; it asks no difference.
    assert calculation_sentence("De combien de personnes se compose l'équipe ?", "nombre",
                                [(1, "L'équipe compte neuf personnes, contre 10 l'an dernier.")], "fr") == ""
    left = ("Une fois financés le Sentier de mieux-être et le Logement accompagné, que reste-t-il de la réserve "
            "pour les projets conjoints ?")
    shown = [(1, "Une réserve de 200 000 $ pour des projets menés avec les communautés innues."),
             (2, "Le Sentier de mieux-être Pessamit–Baie-Comeau, financé à 86 000 $."),
             (3, "Le projet Logement accompagné Uashat mak Mani-utenam (98 000 $).")]
    assert calculation_sentence(left, "", shown, "fr") == (
        "Calcul à partir des montants cités : 200 000 $ [1] − 86 000 $ [2] − 98 000 $ [3] = 16 000 $.")
    assert calculation_sentence(left, "", shown[:2] + [(3, "Halte-répit de Forestville : 62 000 $.")], "fr") == ""
