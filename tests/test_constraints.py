"""A figure answers the year, region and item asked, or no figure: the question's constraints are read exactly and
checked against one sentence, table row or clause of the evidence. Fast: no model, no index."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from assistant.answer import constraints as constraints_module
from assistant.answer.constraints import (Constraints, EvidenceUnit, conversation_constraints, counted_noun, counts,
                                          fiscal_year_by_day, fiscal_years, gives, lone_years, missing_in,
                                          places_written, question_names, read_constraints, regions_named,
                                          towns_by_demonym, unmet)
from assistant.answer.evidence import evidence_units, rank_units
from assistant.answer.extractive import extractive_answer
from assistant.answer.rewrite import needs_previous_turn, relevant_history
from assistant.models import DocumentInfo, Exchange, Passage, Source
from tests.answer_support import interview

MAURICIE = DocumentInfo("ententes/entente-mauricie.pdf", "Entente relative à l'Alliance pour la solidarité – Mauricie",
                        doc_type="entente", regions=("Mauricie",), date="2012-04-17")
REPORT = DocumentInfo("rapports/rapport.pdf", "Rapport de recherche", doc_type="rapport",
                      regions=("Lanaudière", "Mauricie", "Laurentides"), date="2014")
# As the PDF's text reads: the contribution table, the payments clause and the 2 % cap.
AGREEMENT_TEXT = (
    "6.1 La ministre verse à la CRÉ, à même le FQIS, une contribution maximale de 5 160 000 $, répartie comme suit :\n"
    "Exercice financier Contribution du FQIS\n"
    "2011-2012 860 000 $\n2012-2013 1 290 000 $\n2013-2014 1 505 000 $\n2014-2015 1 505 000 $\nTotal 5 160 000 $\n"
    "7.2 À titre d'exemple, pour l'exercice 2012-2013, le premier versement s'élève à 903 000 $ et le second à "
    "387 000 $. 8.1 La CRÉ peut affecter à ses frais d'administration au plus 2 % du montant de chaque exercice, soit "
    "au plus 17 200 $ en 2011-2012, 25 800 $ en 2012-2013 et 30 100 $ pour chacun des exercices 2013-2014 et "
    "2014-2015, pour un maximum de 103 200 $ sur la durée de l'entente.")
JOLIETTE_INTERVIEW = DocumentInfo("entretiens/ent-lan-01-elu-joliette.md", "Entretien – élu, Joliette",
                                  doc_type="entretien", regions=("Lanaudière",))
AGREEMENT = Source(1, Passage("m1", AGREEMENT_TEXT, MAURICIE, 4, "4", 0, len(AGREEMENT_TEXT)), 0.03)


def units_with(figure: str) -> list[EvidenceUnit]:
    return [unit for unit in evidence_units([AGREEMENT]) if figure in unit.text]


def test_a_fiscal_year_is_one_token_and_a_year_never_matches_inside_one() -> None:
    assert fiscal_years("Quel montant est prévu pour 2013-2014 ?") == ("2013-2014",)
    assert fiscal_years("pour l'exercice 2013–14") == ("2013-2014",)
    assert fiscal_years("l'enveloppe 2011-2015") == ()  # a span of four years is no fiscal year
    assert lone_years("pour l'exercice 2012-2013") == ()
    assert lone_years("le taux de faible revenu en 2016") == ("2016",)


def test_regions_are_read_from_their_names_and_adjectives() -> None:
    assert regions_named("Dans l'entente nord-côtière, qu'est-ce qui compte ?") == ("Côte-Nord",)
    assert regions_named("Selon l'entente bas-laurentienne") == ("Bas-Saint-Laurent",)
    assert regions_named("la Table régionale des Laurentides") == ("Laurentides",)
    # Plural adjectives too (« les projets laurentiens »), and still not another region's (« bas-laurentiens »).
    assert regions_named("Combien de projets laurentiens l'annexe classe-t-elle ?") == ("Laurentides",)
    assert regions_named("les projets bas-laurentiens") == ("Bas-Saint-Laurent",)
    assert regions_named("les organismes montérégiens et gaspésiennes") == ("Gaspésie–Îles-de-la-Madeleine",
                                                                            "Montérégie")
    assert regions_named("l'Alliance du Saguenay–Lac-Saint-Jean") == ("Saguenay–Lac-Saint-Jean",)
    assert regions_named("Combien de projets le rapport compte-t-il ?") == ()


def test_the_amount_for_2013_2014_is_the_row_of_2013_2014_not_a_payment_nor_the_cap() -> None:
    asked = read_constraints("Quel montant l'entente de la Mauricie prévoit-elle pour 2013-2014 ?")
    assert asked.fiscal_years == ("2013-2014",) and asked.regions == ("Mauricie",)
    assert asked.item is not None and asked.item.name == "montant prévu"
    assert not any(missing_in(asked, unit) for unit in units_with("1 505 000 $") if "2013-2014" in unit.text)
    for wrong in ("903 000 $", "860 000 $", "30 100 $"):
        assert all(missing_in(asked, unit) for unit in units_with(wrong)), wrong


def test_the_cap_for_2013_2014_is_found_when_the_cap_is_asked() -> None:
    asked = read_constraints("Quel est le plafond des frais d'administration de la CRÉ de la Mauricie pour 2013-2014 ?")
    fitting = [unit for unit in evidence_units([AGREEMENT]) if not missing_in(asked, unit)]
    assert fitting and all("30 100 $" in unit.text for unit in fitting)


def test_a_year_the_evidence_lacks_is_named() -> None:
    asked = read_constraints("Quel montant le FQIS a-t-il accordé à l'Alliance de la Mauricie pour l'exercice "
                             "2016-2017 ?")
    assert unmet(asked, evidence_units([AGREEMENT])) == ["2016-2017"]


def test_a_region_is_met_by_its_own_document_or_by_a_passage_naming_it() -> None:
    asked = Constraints(regions=("Laurentides",))
    report_on_mauricie = Source(2, Passage("r1", "En Mauricie, le Consortium anime les démarches.", REPORT,
                                           20, "20", 0, 50), 0.02)
    assert missing_in(asked, evidence_units([report_on_mauricie])[0]) == ["Laurentides"]
    assert not missing_in(Constraints(regions=("Mauricie",)), evidence_units([AGREEMENT])[0])


def test_a_follow_up_keeps_the_earlier_year_or_moves_it_by_one() -> None:
    first = read_constraints("Quel montant l'entente de Lanaudière prévoit-elle pour 2013-2014 ?")
    assert read_constraints("Et en Mauricie ?", first).regions == ("Mauricie",)
    assert read_constraints("Et en Mauricie ?", first).fiscal_years == ("2013-2014",)
    assert read_constraints("Et l'année suivante ?", first).fiscal_years == ("2014-2015",)
    assert read_constraints("Et l'année suivante ?", first).regions == ("Lanaudière",)


@pytest.mark.parametrize("question", ["Et en Mauricie ?", "Et l'année suivante ?", "Il dessert quelles villes ?",
                                      "D'où vient cet argent exactement ?", "Ça représente combien de personnes ?",
                                      "Combien de ménages y sont inscrits ?", "Du coup, le rapport final est dû quand ?",
                                      "Parmi les jeunes qui l'ont terminé, combien travaillent aujourd'hui ?",
                                      "Combien a-t-il reçu ?", "Où a-t-elle ouvert ses autres points de service ?",
                                      "And in Mauricie?"])
def test_a_question_that_leans_on_the_previous_turn_is_a_follow_up(question: str) -> None:
    assert needs_previous_turn(question)


@pytest.mark.parametrize("question", ["Which regions were studied?", "Quelles régions ont été étudiées ?",
                                      "Le rapport conclut-il que le pari des Alliances a été gagné ?",
                                      "Quand l'entente de la Mauricie a-t-elle été signée ?",
                                      "Combien de projets y a-t-il en Estrie ?",
                                      "Combien la Navette a-t-elle reçu ?"])
def test_a_self_contained_question_is_searched_alone(question: str) -> None:
    assert not needs_previous_turn(question)


def test_a_refused_turn_is_never_glued_to_the_next_question() -> None:
    refused = Exchange("Quand l'Alliance de la Gaspésie a-t-elle été signée ?",
                       "Je ne trouve pas cette information dans le corpus.")
    assert relevant_history("Which regions were studied?", [refused]) == []
    assert relevant_history("Et en Mauricie ?", [refused]) == []
    answered = Exchange("Quel montant pour Lanaudière en 2013-2014 ?", "2 112 000 $ [1].")
    assert relevant_history("Et en Mauricie ?", [answered, refused]) == [answered]


def test_a_question_asking_who_or_when_needs_a_name_or_a_date_the_question_lacks() -> None:
    who = read_constraints("Qui présidait la Table régionale de solidarité des Laurentides ?")
    assert who.answer_kind == "personne"
    table = DocumentInfo("rapports/rapport.pdf", "Rapport", regions=("Laurentides",))
    nobody = Source(1, Passage("t1", "La Table régionale de solidarité des Laurentides tranche à la majorité des "
                                     "deux tiers.", table, 30, "30", 0, 80), 0.02)
    assert missing_in(who, evidence_units([nobody])[0]) == ["nom de personne"]
    when = read_constraints("Quand l'entente de la Mauricie a-t-elle été signée ?")
    assert when.answer_kind == "date"
    signed = [unit for unit in evidence_units([AGREEMENT]) if "903 000" in unit.text]
    assert "date" in missing_in(when, signed[0])
    assert unmet(who, evidence_units([nobody])) == ["nom de personne"]


def test_the_verb_trancher_asks_for_no_payment() -> None:
    assert read_constraints("Comment la Table tranche-t-elle quand il n'y a pas de consensus ?").item is None
    assert read_constraints("Pourquoi trouve-t-il normal que son ministère ne tranche pas sur les demandes ?").item is None
    assert read_constraints("Quelle tranche la CRÉ touche-t-elle en 2013-2014 ?").item.name == "versement"
    item = read_constraints("À combien s'élève la deuxième tranche de 2012-2013 ?").item
    assert item is not None and item.name == "versement"


def test_a_markdown_heading_is_no_evidence_and_is_never_quoted() -> None:
    text = "## Participation à l'Alliance\n\nL'organisme est point de service des Marchés solidaires de Matawinie."
    note = Source(1, Passage("n1", text, MAURICIE, None, "", 0, len(text)))
    assert [unit.text for unit in evidence_units([note])] == [
        "L'organisme est point de service des Marchés solidaires de Matawinie."]


# As the interview note reads: a paragraph on the neighbouring MRC, then its own section on the shuttle.
REPORT_PAGE = ("Il mentionne aussi les Marchés solidaires de Matawinie, dans la MRC voisine : 312 000 $ sur trois "
               "ans pour des épiceries mobiles.\n\n## Projets\n\nLe projet dont il est le plus fier est la Navette "
               "solidaire de la MRC de Joliette, en service depuis le 3 juin 2013. Le projet a reçu 94 000 $ du FQIS "
               "pour ses deux premières années.")
LANAUDIERE = DocumentInfo("entretiens/ent-lan-01.md", "Entretien ENT-LAN-01", doc_type="entretien",
                          regions=("Lanaudière",), date="2013")
INTERVIEW = Source(1, Passage("l1", REPORT_PAGE, LANAUDIERE, None, "", 0, len(REPORT_PAGE)), 0.02)


def test_a_project_the_corpus_does_not_have_is_refused_naming_what_is_missing() -> None:
    # Right region and subject, another MRC's shuttle: « Matawinie » and « Navette » are never in one unit.
    asked = read_constraints("Combien la Navette solidaire de la Matawinie a-t-elle reçu du FQIS ?")
    assert asked.answer_kind == "montant" and asked.names == ("Navette", "Matawinie")
    assert unmet(asked, evidence_units([INTERVIEW])) == ["Navette", "Matawinie", "montant en dollars"]
    # The shuttle the corpus has is found: its sentence names it, the next one gives the amount.
    joliette = read_constraints("Combien la Navette solidaire de la MRC de Joliette a-t-elle reçu du FQIS ?")
    fitting = [unit.text for unit in evidence_units([INTERVIEW]) if not missing_in(joliette, unit)]
    assert fitting == ["Le projet a reçu 94 000 $ du FQIS pour ses deux premières années."]


def test_a_count_of_pupils_is_not_an_amount() -> None:
    asked = read_constraints("Combien d'élèves le projet « Persévérer ensemble » accompagne-t-il ?")
    assert asked.answer_kind == "nombre" and asked.kind_name == "nombre d'élèves"
    text = ("« Persévérer ensemble », mentorat scolaire : 146 000 $. Persévérer ensemble accompagne 40 élèves "
            "du secondaire.")
    units = evidence_units([Source(1, Passage("p1", text, REPORT, 12, "12", 0, len(text)), 0.02)])
    assert [unit.text for unit in units if not missing_in(asked, unit)] == [
        "Persévérer ensemble accompagne 40 élèves du secondaire."]


def test_a_share_is_answered_by_a_percentage_of_the_year_asked_not_of_another_year() -> None:
    asked = read_constraints("Quel était le taux d'inoccupation des logements à Sept-Îles en 2014 ?")
    assert asked.answer_kind == "part" and asked.years == ("2014",)
    text = ("Le ralentissement de 2014 a libéré quelques logements. Le taux d'inoccupation des logements locatifs "
            "était inférieur à 1 % en 2012 à Sept-Îles. On y comptait 380 ménages inscrits en 2014.")
    units = evidence_units([Source(1, Passage("s1", text, REPORT, 40, "40", 0, len(text)), 0.02)])
    assert all(missing_in(asked, unit) for unit in units)  # the 2012 rate, and a count of 2014, answer nothing
    assert read_constraints("Quel est le taux d'inoccupation à Sept-Îles en 2012 ?").answer_kind == "part"


def test_who_asks_for_a_person_named_beside_the_question_s_names() -> None:
    asked = read_constraints("Qui a succédé à Nathalie Gervais comme agente de coordination de l'Alliance lanaudoise ?")
    assert asked.answer_kind == "personne"
    text = ("Pour la CRÉ : Nathalie Gervais, agente de coordination de l'Alliance, CRÉ de Lanaudière, 75, rue de la "
            "Concorde, Joliette.")
    units = evidence_units([Source(1, Passage("n1", text, LANAUDIERE, 9, "9", 0, len(text)), 0.02)])
    assert unmet(asked, units) == ["nom de personne"]  # the one person named is the one the question gives
    contact = read_constraints("Qui est la personne-ressource de la CRÉ de Lanaudière pour l'Alliance ?")
    assert not unmet(contact, units)
    # A minister after the 2014 elections is not the one who signed in 2012.
    minister = read_constraints("Qui est devenu ministre responsable après les élections du 7 avril 2014 ?")
    signed = ("ENTRE : LA MINISTRE DE L'EMPLOI ET DE LA SOLIDARITÉ SOCIALE, représentée par Mme Marie-Claude "
              "Lavoie, sous-ministre associée.")
    agreement = Source(1, Passage("a1", signed, MAURICIE, 1, "1", 0, len(signed)), 0.02)
    assert unmet(minister, evidence_units([agreement])) == ["2014", "7 avril"]


def test_a_meeting_day_the_question_names_must_be_the_unit_s() -> None:
    asked = read_constraints("Combien de membres étaient présents à la réunion du 10 décembre 2013 ?")
    text = ("Réunion ordinaire tenue le mardi 22 octobre 2013 aux bureaux de la CRÉ. Dix membres sur 13 étaient "
            "présents à cette réunion du comité.")
    units = evidence_units([Source(1, Passage("v1", text, MAURICIE, 1, "1", 0, len(text)), 0.02)])
    assert unmet(asked, units) == ["10 décembre"]
    same_day = read_constraints("Combien de membres étaient présents à la réunion du 22 octobre 2013 ?")
    assert not unmet(same_day, units)


def test_a_preamble_sets_the_scene_and_pins_nothing() -> None:
    asked = read_constraints("Le maire de Joliette trouve irréaliste le plafond de 2 % pour l'administration de la "
                             "CRÉ. À combien ce plafond s'élève-t-il sur toute la durée de l'entente de Lanaudière ?")
    assert asked.names == () and asked.regions == ("Lanaudière",) and asked.answer_kind == "montant"


def test_interviews_of_2014_date_the_sources_not_the_fact() -> None:
    text = ("Les intervenantes l'ont aidée à préparer l'audience du 21 novembre 2013 et à proposer une entente de "
            "paiement de 100 $ par mois en plus du loyer.")
    interview = DocumentInfo("entretiens/ent-cno-03.md", "Entretien ENT-CNO-03", doc_type="entretien",
                             regions=("Côte-Nord",), date="2014-02-20")
    units = evidence_units([Source(1, Passage("e1", text, interview, None, "", 0, len(text)), 0.02)])
    sources_dated = read_constraints("Côte-Nord, entretiens de 2014 : quelle entente de paiement la locataire a-t-elle "
                                     "fait accepter à son propriétaire ?")
    assert sources_dated.dated_sources and not unmet(sources_dated, units)
    fact_dated = read_constraints("Quelle entente de paiement la locataire a-t-elle fait accepter en 2014 ?")
    assert unmet(fact_dated, units) == ["2014"]  # the unit dates its own fact: 2013


def test_a_town_s_name_counts_nothing_and_a_year_alone_is_no_date_of_the_day() -> None:
    members = "Combien de membres compte le point de service principal de l'Accorderie à Rimouski ?"
    towns = "Le réseau a ouvert des points de service à Mont-Joli et à Trois-Pistoles, pour 14 400 $ par année."
    assert not gives("nombre", towns, members)  # « Trois-Pistoles » is no count of three, 14 400 $ no count
    assert gives("nombre", "Le point de service comptait 63 membres.", members)
    sanctioned = "À quelle date la loi qui a aboli les CRÉ a-t-elle été sanctionnée ?"
    assert not gives("date", "Les CRÉ, créées en 2003, sont les interlocutrices du gouvernement.", sanctioned)
    assert gives("date", "L'entente a été signée le 9 mai 2012.", "À quelle date l'entente a-t-elle été signée ?")
    assert gives("date", "L'entente a été signée en 2012.", "En quelle année l'entente a-t-elle été signée ?")
    assert read_constraints("Quel a été le taux de participation au scrutin à La Tuque ?").answer_kind == "part"


def test_a_comparison_of_two_regions_needs_a_unit_about_each() -> None:
    asked = read_constraints("Compare la ressource de coordination prévue dans les ententes de l'Estrie et du "
                             "Centre-du-Québec.")
    assert set(asked.regions) == {"Estrie", "Centre-du-Québec"}

    def agreement(region: str, share: str) -> Source:
        text = f"La CRÉ affecte à la coordination de l'Alliance une ressource représentant {share} équivalent temps complet."
        info = DocumentInfo(f"ententes/{region}.pdf", f"Entente – {region}", doc_type="entente", regions=(region,))
        return Source(1, Passage(region, text, info, 3, "3", 0, len(text)), 0.02)

    estrie, centre = agreement("Estrie", "0,5"), agreement("Centre-du-Québec", "0,6")
    assert not unmet(asked, evidence_units([estrie, centre]))
    assert unmet(asked, evidence_units([estrie])) == ["Centre-du-Québec"]


def test_the_first_interrogative_of_the_question_itself_says_what_is_asked() -> None:
    # « quand » inside the question, or in a sentence that sets the scene, asks for no date.
    assert read_constraints("Comment la Table tranche-t-elle quand il n'y a pas de consensus ?").answer_kind == ""
    assert read_constraints("L'agent dit que la représentante s'abstient quand un projet touche aux mesures du "
                            "ministère. Sur quel projet s'est-elle abstenue ?").answer_kind == "nom"
    assert read_constraints("C'est quand, le tout premier arrêt du camion ?").answer_kind == "date"
    assert read_constraints("Est-ce que la fiche donne le même nombre de déplacements ?").answer_kind == ""


def test_a_count_must_count_what_is_asked() -> None:
    asked = read_constraints("Combien de personnes ont participé au forum régional de l'Alliance estrienne ?")
    estrie = DocumentInfo("ententes/entente-estrie.docx", "Entente – Estrie", regions=("Estrie",))
    text = ("L'Alliance estrienne retient quatre priorités : la sécurité alimentaire, le logement abordable et la "
            "mobilité. Le forum a réuni 140 personnes à Sherbrooke.")
    units = evidence_units([Source(1, Passage("e1", text, estrie, None, "", 0, len(text)))])
    priorities, forum = units[0], units[1]
    assert missing_in(asked, priorities) == ["nombre de personnes"]  # four priorities are no count of people
    assert missing_in(asked, forum) == []
    # The corpus's word for the same people: « sept personnes » counts the members of a committee.
    members = read_constraints("Le comité de suivi comptait combien de membres ?")
    committee = EvidenceUnit(forum.source, "L'étude a été conçue avec un comité de suivi de sept personnes.")
    assert missing_in(members, committee) == []


def test_a_day_the_question_names_does_not_stop_another_day_from_answering() -> None:
    asked = read_constraints("Après sa séance du 22 octobre 2013, quand le Comité directeur devait-il se réunir ?")
    assert gives("date", "la prochaine réunion aura lieu le mardi 10 décembre 2013 à Shawinigan", asked.asked)
    assert not gives("date", "la séance du 22 octobre 2013 s'est tenue à Trois-Rivières", asked.asked)


def test_a_phone_number_is_asked_for_and_an_address_is_none() -> None:
    asked = read_constraints("Quel est le numéro de téléphone de Karine Desrochers à la CRÉ ?")
    assert asked.answer_kind == "telephone"
    assert not gives("telephone", "Karine Desrochers, 2550, boulevard Mercure, bureau 105, Drummondville J2B 3M6",
                     asked.asked)
    assert gives("telephone", "Karine Desrochers, tél. : 819 477-5995", asked.asked)


def test_a_person_named_with_a_particle_answers_who() -> None:
    asked = read_constraints("Comment s'appelait le gouverneur de la Louisiane ?")
    text = "En 1779, le gouverneur de la Louisiane, Bernardo de Gálvez, prend la ville aux Anglais."
    units = evidence_units([Source(1, Passage("g1", text, REPORT, 3, "3", 0, len(text)), 0.02)])
    assert not unmet(asked, units)  # « de Gálvez »: a family name with its particle
    # A body and its place are no person: « Emploi-Québec du Centre », « les Innus de Uashat ».
    bodies = "Le gouverneur de la Louisiane a reçu Emploi-Québec du Centre et les Innus de Uashat."
    units = evidence_units([Source(1, Passage("g2", bodies, REPORT, 3, "3", 0, len(bodies)), 0.02)])
    assert unmet(asked, units) == ["nom de personne"]


def test_a_person_asked_in_a_role_is_named_in_that_role() -> None:
    asked = read_constraints("Qui présidait la Table régionale de solidarité des Laurentides ?")
    laurentides = DocumentInfo("rapports/rapport.pdf", "Rapport", regions=("Laurentides",))
    text = ("Sébastien Lortie, agent de l'Alliance, coordonne les travaux de la Table. La Table est présidée par "
            "Marc Gauthier, préfet de la MRC des Laurentides.")
    agent, chair = evidence_units([Source(1, Passage("l1", text, laurentides, 30, "30", 0, len(text)))])[:2]
    assert missing_in(asked, agent) == ["nom de personne (présidence)"]
    assert missing_in(asked, chair) == []
    assert missing_in(read_constraints("Qui coordonne l'Alliance des Laurentides ?"), agent) == []


def test_members_present_out_of_all_members_is_a_count_of_members() -> None:
    asked = read_constraints("Combien de membres du Comité directeur étaient présents à la réunion ?")
    assert gives("nombre", "Le quorum est constaté (10 membres sur 13).", asked.asked)
    assert not gives("nombre", "Au moins 25 % de l'enveloppe annuelle.", asked.asked)


def test_what_was_done_is_not_answered_by_a_target() -> None:
    fiche = DocumentInfo("autres/fiche-projet.pdf", "Fiche de projet – Solidarité Transport", regions=("Centre-du-Québec",))
    row = Source(1, Passage("f1", "Usagers différents 150 212", fiche, 2, "2", 0, 26,
                            context="Indicateur : Usagers différents — Cible : 150 — Résultat (1er oct. 2012 – 30 "
                                    "sept. 2013) : 212"))
    target, result = evidence_units([row])
    done = read_constraints("Combien d'usagers différents Solidarité Transport a-t-il servis pendant sa première année ?")
    assert missing_in(done, target) == ["résultat obtenu (pas une cible)"]
    assert missing_in(done, result) == []
    aimed = read_constraints("Quelle était la cible d'usagers différents de Solidarité Transport ?")
    assert missing_in(aimed, target) == []


def test_the_board_of_directors_is_no_administration_cost() -> None:
    assert read_constraints("Quand le conseil d'administration de la CRÉ a-t-il autorisé l'entente ?").item is None
    asked = read_constraints("Quel montant l'entente de Lanaudière prévoit-elle pour 2013-2014 ?")
    lanaudiere = DocumentInfo("ententes/entente-lanaudiere.pdf", "Entente – Lanaudière", regions=("Lanaudière",))
    text = "Le conseil d'administration a autorisé une contribution de 2 112 000 $ pour l'exercice 2013-2014."
    unit = evidence_units([Source(1, Passage("l1", text, lanaudiere, 3, "3", 0, len(text)))])[0]
    assert missing_in(asked, unit) == []


def test_a_share_column_counts_nothing() -> None:
    asked = read_constraints("Combien de projets la MRC de Montcalm soutenait-elle au 31 mars 2014 ?")
    annex = DocumentInfo("rapports/rapport.pdf", "Rapport", regions=("Lanaudière",))
    row = Source(1, Passage("r1", "Montcalm 6 13,0", annex, 20, "20", 0, 15,
                            context="Projets soutenus au 31 mars 2014\nMRC : Montcalm — Projets : 6 — Part (%) : 13,0",
                            section="Annexe B — Projets soutenus au 31 mars 2014"))
    projects, share = evidence_units([row])
    assert "nombre de projets" not in missing_in(asked, projects)
    assert "nombre de projets" in missing_in(asked, share)


def units_of(text: str, info: DocumentInfo = REPORT) -> list[EvidenceUnit]:
    return evidence_units([Source(1, Passage("u1", text, info, 12, "12", 0, len(text)))])


def test_the_words_for_money_shares_and_days_say_what_kind_of_answer_is_asked() -> None:
    assert read_constraints("Pour la dernière année de l'entente, quelle est la contribution prévue ?").answer_kind \
        == "montant"
    assert read_constraints("À combien s'élève le loyer moyen à Sept-Îles ?").answer_kind == "montant"
    assert read_constraints("Quelle fraction de sa semaine donne-t-il à l'Alliance ?").answer_kind == "part"
    assert read_constraints("À combien s'élève la part du FQIS ?").answer_kind == "part"
    assert read_constraints("En quel mois le comité s'est-il réuni ?").answer_kind == "date"
    assert read_constraints("Quel jour le marché public ouvre-t-il ?").answer_kind == ""  # « samedi » will do
    assert read_constraints("Quel signataire représente la CRÉ ?").answer_kind == "personne"


def test_the_third_call_is_not_answered_by_the_first_call_nor_by_the_total_of_the_calls() -> None:
    asked = read_constraints("Combien d'argent le troisième appel de projets de la Mauricie a-t-il permis d'engager ?")
    assert asked.ordinal is not None and asked.ordinal.written == "troisième appel"
    first = units_of("Les Cuisines collectives du Haut-Saint-Maurice ont reçu 148 500 $ lors du premier appel en "
                     "Mauricie.")[0]
    assert "troisième appel" in missing_in(asked, first)
    table = Source(1, Passage("r2", "Total 33 3 431 300 $", REPORT, 30, "30", 0, 20, section="Chapitre 5 – Mauricie",
                              context="Appel de projets Adoption Projets retenus Montant engagé\nTotal 33 3 431 300 $"))
    assert all("troisième appel" in missing_in(asked, unit) for unit in evidence_units([table]))
    third = units_of("En Mauricie, le troisième appel de projets a permis d'engager 512 000 $.")[0]
    assert missing_in(asked, third) == []


def test_a_second_payment_is_not_the_first_and_a_follow_up_names_the_rank_alone() -> None:
    asked = read_constraints("Dans l'entente de la Mauricie, à combien s'élève le second versement de 2012-2013 ?")
    both = next(unit for unit in units_with("387 000 $"))  # « le premier versement … et le second à 387 000 $ »
    assert "second versement" not in missing_in(asked, both)
    first = units_of("Pour l'exercice 2012-2013, le premier versement de la Mauricie s'élève à 903 000 $.")[0]
    assert "second versement" in missing_in(asked, first)
    follow = read_constraints("Et le deuxième ?", read_constraints("Quand le premier appel de projets a-t-il eu lieu ?"))
    assert follow.ordinal is not None and follow.ordinal.rank == 2 and follow.ordinal.written == "deuxième appel"
    assert read_constraints("Pour la première année, combien ?").ordinal is None  # a year: written « 2011-2012 »


def test_a_name_in_quotation_marks_is_pinned_whole_and_a_quoted_remark_is_no_name() -> None:
    asked = read_constraints("Combien le projet « Voix citoyennes » a-t-il obtenu en Mauricie ?")
    assert asked.names == ("Voix citoyennes",)
    other = units_of("Projet : Porte-voix citoyen de Shawinigan — Montant : 54 300 $.")[0]
    assert "Voix citoyennes" in missing_in(asked, other)
    assert read_constraints("Un seul siège, « c'est de la décoration ». L'entente le prévoit-elle ?").names == ()


def test_a_unit_naming_only_another_region_s_town_is_not_about_the_region_asked() -> None:
    asked = read_constraints("Combien de personnes ont participé au forum régional de lancement en Mauricie ?")
    text = ("En Mauricie comme ailleurs, les forums ont attiré un public nombreux. Environ 180 personnes sont venues "
            "à Joliette le 7 juin 2012. À Trois-Rivières, 120 personnes ont assisté au forum régional.")
    joliette, trois_rivieres = units_of(text)[1:]
    assert "Mauricie" in missing_in(asked, joliette)
    assert "Mauricie" not in missing_in(asked, trois_rivieres)
    interview = DocumentInfo("entretiens/ent-mau.md", "Entretien", regions=("Mauricie",))
    assert "Mauricie" not in missing_in(asked, units_of("Environ 180 personnes, comme à Joliette.", interview)[0])


def test_what_was_really_spent_is_not_answered_by_a_cap_or_a_forecast() -> None:
    asked = read_constraints("Combien la CRÉ de la Mauricie a-t-elle réellement dépensé en frais d'administration "
                             "en 2012-2013 ?")
    cap = next(unit for unit in units_with("25 800 $") if unit.kind == "clause")
    assert "montant réel (pas un plafond ni une prévision)" in missing_in(asked, cap)
    allowed = read_constraints("Combien la CRÉ de la Mauricie peut-elle consacrer aux frais d'administration en "
                               "2012-2013 ?")
    assert missing_in(allowed, cap) == []


def test_a_count_of_people_with_low_income_is_not_a_count_of_all_people() -> None:
    asked = read_constraints("Combien de personnes à faible revenu la Mauricie comptait-elle en 2012 ?")
    everyone, poor = units_of("La Mauricie comptait 266 000 personnes en 2012. En 2012, 43 000 personnes à faible "
                              "revenu y vivaient.", MAURICIE)
    assert asked.kind_name == "nombre de personnes" and missing_in(asked, everyone) == [asked.kind_name]
    assert missing_in(asked, poor) == []
    simple = read_constraints("Combien de simples citoyens l'équipe a-t-elle interviewés ?")
    assert simple.kind_name == "nombre de simples citoyens"
    assert missing_in(simple, units_of("L'équipe a interviewé 7 citoyens.")[0]) == []


def test_the_first_or_last_year_of_the_agreement_is_read_in_the_passage_s_own_years() -> None:
    first = read_constraints("Combien la Mauricie touche-t-elle pour la toute première année de son entente ?")
    assert first.year_rank == 1 and first.item is not None and first.item.name == "montant prévu"
    answering = [unit.text for unit in evidence_units([AGREEMENT]) if not missing_in(first, unit)]
    assert answering == ["2011-2012 860 000 $"]
    last = read_constraints("Pour la dernière année de l'entente de la Mauricie, quelle est la contribution prévue ?")
    assert [unit.text for unit in evidence_units([AGREEMENT]) if not missing_in(last, unit)] == ["2014-2015 1 505 000 $"]
    assert read_constraints("Et l'année suivante ?", first).year_rank == 2
    lone = units_of("La Mauricie a reçu 860 000 $ en 2011-2012.", MAURICIE)[0]  # one year: no rank to read
    assert "première année" in " ".join(missing_in(first, lone))


def test_a_specific_measure_asked_must_be_the_one_the_evidence_gives() -> None:
    asked = read_constraints("Quel est le taux de faible revenu en Estrie ?")
    estrie = DocumentInfo("ententes/entente-estrie.docx", "Entente – Estrie", regions=("Estrie",))
    minimum, rate = units_of("Les sommes sont réparties au prorata de la population à faible revenu, sous réserve "
                             "d'un minimum de 7 % par MRC. Le taux de faible revenu y atteint 11,2 %.", estrie)
    assert missing_in(asked, minimum) == ["taux de faible revenu"]
    assert missing_in(asked, rate) == []
    assert missing_in(read_constraints("Quelle part des sommes chaque MRC reçoit-elle au minimum en Estrie ?"),
                      minimum) == []


def test_each_part_of_a_question_asking_two_things_has_its_own_kind_year_and_subject() -> None:
    from assistant.answer.constraints import asked_parts, conversation_constraints
    question = ("Selon l'entente nord-côtière, jusqu'à quelle part du coût d'un projet les frais d'éloignement sont-ils "
                "admissibles, et combien vaut le fonds de déplacement créé par le Comité nord-côtier ?")
    assert len(asked_parts(question)) == 2
    share, fund = conversation_constraints(question, question).alternatives
    assert share.answer_kind == "part" and fund.answer_kind == "montant" and share.regions == fund.regions
    assert asked_parts("Les Innus ont-ils un siège au comité ? Quelle communauté ?") == [
        "Les Innus ont-ils un siège au comité ?", "Quelle communauté ?"]
    assert asked_parts("Quel montant est prévu pour 2013-2014 et 2014-2015 ?") == [
        "Quel montant est prévu pour 2013-2014 et 2014-2015 ?"]
    open_part = "Quelle thématique a reçu le plus au Centre-du-Québec, et quelle part du coût le FQIS paie-t-il ?"
    assert conversation_constraints(open_part, open_part).alternatives == ()  # its first part asks for no value
    cap_or_share = conversation_constraints(question, question)
    unit = units_of("Sur la Côte-Nord, les frais d'éloignement sont admissibles jusqu'à concurrence de 15 % du coût "
                    "d'un projet.")[0]
    assert missing_in(cap_or_share, unit) == []  # it answers the first part


def test_the_last_year_is_read_in_the_document_s_passages_when_each_row_is_a_passage_of_its_own() -> None:
    from assistant.answer.constraints import with_sources
    last = read_constraints("Pour la dernière année de l'entente de la Mauricie, quelle est la contribution prévue ?")
    rows = [Source(n, Passage(f"r{n}", f"{year} {amount}", MAURICIE, 2, "2", 0, 20,
                              context=f"Exercice financier : {year} — Contribution du FQIS : {amount}"))
            for n, (year, amount) in enumerate([("2011-2012", "860 000 $"), ("2014-2015", "1 505 000 $")], start=1)]
    clause = "L'entente couvre les exercices 2011-2012 à 2014-2015."
    sources = [*rows, Source(3, Passage("c3", clause, MAURICIE, 1, "1", 0, len(clause)))]
    units = evidence_units(sources)
    assert [unit.text for unit in units if not missing_in(last, unit)] == []  # no row says it is the last
    read = with_sources(last, sources)
    answering = [unit.text for unit in units if not missing_in(read, unit)]
    assert len(answering) == 1 and "2014-2015" in answering[0] and "1 505 000 $" in answering[0]
    second = with_sources(read_constraints("Combien la Mauricie reçoit-elle pour la deuxième année de son entente ?"),
                          sources)
    assert not any(not missing_in(second, unit) for unit in units)  # 2012-2013 is not among the years found


def test_a_founding_or_an_extension_is_dated_by_a_unit_naming_it_not_by_another_date() -> None:
    founded = read_constraints("En quelle année le Consortium en développement social de la Mauricie a-t-il été fondé ?")
    assert founded.item is not None and founded.item.name == "date de fondation"
    other, own = units_of("Le Consortium en développement social de la Mauricie a reçu le mandat en 2012. Le "
                          "Consortium a été fondé en 1999 par huit organismes.", MAURICIE)
    assert "date de fondation" in missing_in(founded, other) and missing_in(founded, own) == []
    extended = read_constraints("À quelle date l'entente de l'Estrie a-t-elle été prolongée par avenant ?")
    estrie = DocumentInfo("ententes/entente-estrie.docx", "Entente – Estrie", regions=("Estrie",))
    signed = units_of("Les parties ont signé la présente entente à Sherbrooke, le 31 janvier 2012.", estrie)[0]
    assert "prolongation" in missing_in(extended, signed)


def test_a_meeting_only_announced_does_not_say_what_it_decided() -> None:
    minutes = DocumentInfo("autres/proces-verbal.md", "Procès-verbal du 22 octobre 2013", regions=("Mauricie",))
    announced = units_of("La prochaine réunion aura lieu le mardi 10 décembre 2013 à Shawinigan; elle portera sur le "
                         "bilan.", minutes)[0]
    decided = read_constraints("Qu'a décidé le Comité directeur à sa réunion du 10 décembre 2013 ?")
    assert any("seulement annoncée" in reason for reason in missing_in(decided, announced))
    when = read_constraints("Après la séance du 22 octobre 2013, quand et où le Comité se réunira-t-il ?")
    assert not any("seulement annoncée" in reason for reason in missing_in(when, announced))
    recommended = units_of("Le comité adopte les résultats du deuxième appel (9 projets, 612 400 $) et les recommande "
                           "au conseil d'administration de la CRÉ pour sa séance du 30 octobre 2013.", minutes)[0]
    approved = read_constraints("Quelle somme le conseil d'administration a-t-il approuvée à sa séance du 30 octobre "
                                "2013 ?")
    assert any("seulement annoncée" in reason for reason in missing_in(approved, recommended))


def test_a_count_of_one_group_of_people_is_not_a_count_of_another() -> None:
    volunteers = read_constraints("Combien de bénévoles participent au projet en Mauricie ?")
    residents, people, helpers = (units_of(text, MAURICIE)[0] for text in (
        "La ville compte 8 000 habitants.", "Le projet réunit 40 personnes.", "Le projet compte 25 bénévoles."))
    assert missing_in(volunteers, residents) == [volunteers.kind_name]
    assert missing_in(volunteers, people) == [] and missing_in(volunteers, helpers) == []
    everyone = read_constraints("Combien de personnes participent au projet en Mauricie ?")
    assert missing_in(everyone, helpers) == []
    drivers = read_constraints("Sur combien de conducteurs bénévoles le service de la Mauricie compte-t-il ?")
    fleet, = units_of("Le service combine deux minibus de 12 places et 19 chauffeurs bénévoles.", MAURICIE)
    assert missing_in(drivers, fleet) == []


def test_a_count_for_a_fiscal_year_asks_for_no_planned_amount() -> None:
    asked = read_constraints("Combien de réunions l'organisateur de D'Autray a-t-il comptées en 2013-2014 ?")
    assert asked.item is None and asked.answer_kind == "nombre" and asked.fiscal_years == ("2013-2014",)
    assert read_constraints("Combien la Mauricie reçoit-elle en 2013-2014 ?").item.name == "montant prévu"


def test_a_long_run_of_clauses_or_of_a_form_s_fields_is_cut_into_pieces_that_can_be_quoted() -> None:
    recitals = ("ATTENDU QUE le gouvernement du Québec a adopté un plan d'action gouvernemental pour la solidarité et "
                "l'inclusion sociale qui invite chaque région à susciter la concertation des acteurs de sa région;\nATTENDU QUE les préfets des six MRC de la région ont convenu, lors de la rencontre "
                "tenue à Joliette\nle 2 février 2012, de confier à la CRÉ la gestion de l'Alliance;\nATTENDU QUE le "
                "conseil d'administration de la CRÉ a autorisé la conclusion de la présente entente par sa "
                "résolution CA-2012-03-114, adoptée le 7 mars 2012;")
    form = ("Entente AS-2011-CDQ, signée le 9 mai 2012\nPersonne-ressource (promoteur) Mélanie Fortier, directrice "
            "générale, 819 555-0142, solidarite.transport@ctce.example\nPersonne-ressource (Alliance) Karine "
            "Desrochers, agente de coordination, CRÉ du Centre-du-Québec\nProblème visé\nDans les municipalités "
            "rurales de L'Érable et d'Arthabaska, on ne peut se rendre chez le médecin à Victoriaville ou à\n"
            "Plessisville : il n'y a pas d'autobus et le taxi coûte de 35 $ à 60 $ l'aller-retour.")
    founded = [unit.text for unit in units_of(recitals) if "2 février 2012" in unit.text]
    assert founded == ["ATTENDU QUE les préfets des six MRC de la région ont convenu, lors de la rencontre tenue à "
                       "Joliette le 2 février 2012, de confier à la CRÉ la gestion de l'Alliance;"]
    fare = [unit.text for unit in units_of(form) if "35 $" in unit.text]
    assert fare == ["Problème visé Dans les municipalités rurales de L'Érable et d'Arthabaska, on ne peut se rendre "
                    "chez le médecin à Victoriaville ou à Plessisville : il n'y a pas d'autobus et le taxi coûte de "
                    "35 $ à 60 $ l'aller-retour."]
    assert [unit.text for unit in units_of("Une phrase courte, qui reste entière; même avec un point-virgule.")] == [
        "Une phrase courte, qui reste entière; même avec un point-virgule."]


def test_more_question_forms_say_what_kind_of_answer_is_asked() -> None:
    assert read_constraints("Quelle est l'enveloppe territoriale de la MRC d'Antoine-Labelle ?").answer_kind \
        == "montant"
    # « transport à la demande » asks for no money; « combien de gens » counts people.
    assert read_constraints("Combien de gens ont gardé leur emploi grâce au transport à la demande ?").answer_kind \
        == "nombre"
    # A share of money may be given in dollars or in per cent.
    assert read_constraints("En Estrie, quelle part de l'argent de 2012-2013 arrive au début de l'exercice ?"
                            ).answer_kind == "chiffre"
    assert read_constraints("Quelle part des projets vise les jeunes ?").answer_kind == "part"
    assert read_constraints("Quel est le numéro de la résolution adoptée le 15 octobre 2013 ?").answer_kind \
        == "numero"
    assert read_constraints("Quel est le numéro de téléphone de la coordonnatrice ?").answer_kind == "telephone"
    asked = read_constraints("Quel est le numéro de la résolution du conseil ?")
    assert gives("numero", "par sa résolution CA-2012-03-114, adoptée le 7 mars 2012", asked.asked)
    assert not gives("numero", "une résolution adoptée le 7 mars 2012 à l'unanimité", asked.asked)


def test_a_thing_designated_by_its_number_is_not_another_one_of_its_kind() -> None:
    asked = read_constraints("Qui a signé l'avenant no 2 de l'entente de la Mauricie ?")
    first, = units_of("Avenant no 1 signé à Trois-Rivières le 3 mars 2014 par Marie-Claude Lavoie, sous-ministre.",
                      MAURICIE)
    second, = units_of("L'avenant n° 2 a été signé le 2 mars 2015 par Marie-Claude Lavoie, sous-ministre.", MAURICIE)
    assert "no 2" in missing_in(asked, first)
    assert "no 2" not in missing_in(asked, second)


def test_a_year_near_the_noun_counted_is_no_count_of_it() -> None:
    asked = read_constraints("Combien de lits compte le refuge de Sept-Îles ?")
    nights, = units_of("Le refuge de Sept-Îles a dû refuser des personnes 41 nuits entre avril et septembre 2012, "
                       "faute de lits.")
    beds, = units_of("Le refuge de Sept-Îles compte 12 lits pour toute la Côte-Nord.")
    assert missing_in(asked, nights) == ["nombre de lits"]
    assert missing_in(asked, beds) == []


def test_a_sentence_that_dates_nothing_goes_on_about_the_fiscal_year_of_the_sentence_before() -> None:
    asked = read_constraints("Combien la CRÉ de la Mauricie doit-elle absorber en 2013-2014 ?")
    text = ("Pour 2013-2014, la CRÉ ne peut retenir que 30 100 $ de frais d'administration. La gestion des "
            "conventions coûtera environ 41 600 $, un écart de 11 500 $ que la CRÉ absorbe à même son budget.")
    _, gap = units_of(text, MAURICIE)
    assert "2013-2014" not in missing_in(asked, gap)
    other_years = "Pour 2012-2013 et 2013-2014, la CRÉ retient 2 %. La gestion coûtera 41 600 $ de plus."
    vague = [unit for unit in units_of(other_years, MAURICIE) if unit.kind == "sentence"][-1]
    assert "2013-2014" in missing_in(asked, vague)  # two years before it: which one is not said


def test_a_cell_answers_by_its_value_not_by_its_labels() -> None:
    asked = read_constraints("Quel organisme porte le « Porte-voix citoyen de Shawinigan » ?")
    where = EvidenceUnit(AGREEMENT, "Projet : Porte-voix citoyen de Shawinigan — Territoire : Shawinigan", kind="cell")
    who = EvidenceUnit(AGREEMENT, "Projet : Porte-voix citoyen de Shawinigan — Promoteur : Centre d'éducation "
                                  "populaire du Rocher", kind="cell")
    assert missing_in(asked, where) == ["nom"]
    assert missing_in(asked, who) == []
    promoter = read_constraints("Quel organisme est le promoteur du projet Tremplin emploi jeunes adultes ?")
    town = EvidenceUnit(AGREEMENT, "Projet : Tremplin emploi jeunes adultes — Territoire : Trois-Rivières", kind="cell")
    body = EvidenceUnit(AGREEMENT, "Projet : Tremplin emploi jeunes adultes — Promoteur : Carrefour des jeunes "
                                   "travailleurs", kind="cell")
    assert missing_in(promoter, town) == ["nom"]  # a town is no organisation
    assert missing_in(promoter, body) == []


def test_a_cell_takes_the_unit_its_column_header_gives() -> None:
    share = read_constraints("Quelle part (en %) de l'enveloppe revient à la MRC de Montcalm ?")
    cell = EvidenceUnit(AGREEMENT, "MRC : Montcalm — Part (%) : 13,0", kind="cell")
    amount = EvidenceUnit(AGREEMENT, "MRC : Montcalm — Enveloppe 2011-2015 : 681 400 $", kind="cell")
    assert "pourcentage" not in missing_in(share, cell)
    assert "pourcentage" in missing_in(share, amount)
    asked = read_constraints("Quel montant reçoit la MRC de Montcalm ?")
    assert "montant en dollars" not in missing_in(asked, EvidenceUnit(AGREEMENT, "MRC : Montcalm — Montant ($) : 681 400",
                                                                      kind="cell"))
    assert "montant en dollars" in missing_in(asked, cell)


def test_a_question_about_a_whole_region_is_not_answered_by_one_of_its_territories() -> None:
    asked = read_constraints("Combien de projets l'Alliance de la Côte-Nord soutenait-elle au 31 mars 2014 ?")
    portrait = Source(1, Passage("p1", "", DocumentInfo("rapports/portrait.pdf", "Portrait de la Côte-Nord",
                                                          regions=("Côte-Nord",)), 3, "3", 0, 0))
    one = EvidenceUnit(portrait, "Territoire : La Haute-Côte-Nord — Projets soutenus (31 mars 2014) : 3", kind="cell")
    total = EvidenceUnit(portrait, "Territoire : Total — Projets soutenus (31 mars 2014) : 24", kind="cell")
    assert missing_in(asked, one) == ["Côte-Nord dans son ensemble (pas un de ses territoires)"]
    assert missing_in(asked, total) == []
    in_one = read_constraints("Combien de projets en Haute-Côte-Nord au 31 mars 2014 ?")
    assert missing_in(in_one, one) == []
    assert missing_in(in_one.loosened(names=()), one) == []  # as the check of a figure's ties reads it
    assert missing_in(asked.loosened(regions=()), one) == []  # as the refusal reads what is missing
    follow_up = conversation_constraints("Et son taux de chômage ?", "Quel est le taux de faible revenu de la "
                                         "Minganie selon le portrait de la Côte-Nord ? Et son taux de chômage ?")
    minganie = EvidenceUnit(portrait, "Territoire de MRC : Minganie — Taux de chômage : 11,2 %", kind="cell")
    assert missing_in(follow_up, minganie) == []  # « son » is the Minganie of the previous turn


def test_a_person_asked_in_a_role_the_lexicon_does_not_know_is_named_in_that_role() -> None:
    asked = read_constraints("Qui est la personne répondante d'Emploi-Québec pour l'Alliance de la Côte-Nord ?")
    agent, = units_of("Pour la CRÉ : Isabelle Boudreau, agente de coordination de l'Alliance, CRÉ de la Côte-Nord, "
                      "à Baie-Comeau; pour Emploi-Québec : voir l'annexe.", MAURICIE)
    contact, = units_of("La répondante d'Emploi-Québec pour l'Alliance est Sylvie Tremblay, à Baie-Comeau, depuis le "
                        "printemps 2012.", MAURICIE)
    assert missing_in(asked, agent) == ["nom de personne (repondante)"]
    assert "nom de personne (repondante)" not in missing_in(asked, contact)
    signed, = units_of("L'entente est signée par Marie-Claude Lavoie, sous-ministre adjointe, le 3 mars 2012.",
                       MAURICIE)
    assert missing_in(read_constraints("Qui sont les signataires de l'entente de la Mauricie ?"), signed) == []


def test_combien_alone_asks_no_planned_amount_a_word_for_receiving_it_does() -> None:
    assert read_constraints("Combien la CRÉ de la Mauricie doit-elle éponger elle-même pour 2013-2014 ?").item is None
    assert read_constraints("Combien l'entente accorde-t-elle à la Mauricie pour 2013-2014 ?").item.name \
        == "montant prévu"


def test_a_funder_asked_is_not_answered_by_another_funder_s_row() -> None:
    asked = read_constraints("Et le FQIS y met combien pour 2013-2014 ?")
    users, fund = (EvidenceUnit(AGREEMENT, text, kind="cell") for text in (
        "Source : Contribution des usagers (3 $ par trajet) — 2013-2014 : 6 400 $",
        "Source : FQIS (Alliance pour la solidarité) — 2013-2014 : 86 000 $"))
    assert "source du financement" in missing_in(asked, users)
    assert "source du financement" not in missing_in(asked, fund)
    whole = read_constraints("Combien coûte Solidarité Transport en 2013-2014 ?")  # no funder named
    assert "source du financement" not in missing_in(whole, users)


def test_the_first_nations_are_a_name_not_the_first_of_a_series() -> None:
    assert read_constraints("Quelles communautés des Premières Nations siègent au comité de la Côte-Nord ?"
                            ).ordinal is None
    assert read_constraints("Which Indigenous communities have reserved seats on the Côte-Nord committee?"
                            ).ordinal is None


# An interview's note: the project is named by its section's first paragraph, its figures follow in the next one.
SHELTER_NOTE = ("# Notes d'entretien ENT-LAU-01 – Organisme communautaire, Saint-Jérôme\n\n## Projets\n\n"
                "Logis-Relais Laurentides offre 16 places d'hébergement de transition à Saint-Jérôme.\n\n"
                "Les premiers résidents sont entrés le 1er juillet 2013. Depuis l'ouverture, 23 personnes ont été "
                "accueillies; 8 ont déjà emménagé dans un logement permanent.\n\n## Perspectives\n\n"
                "Le Transport solidaire dessert six villages. Il a accueilli 40 personnes en 2013.")
SHELTER = Source(1, Passage("s1", SHELTER_NOTE, DocumentInfo("entretiens/ent-lau-01.md", "Entretien ENT-LAU-01",
                                                             doc_type="entretien", regions=("Laurentides",)),
                            None, "", 0, len(SHELTER_NOTE), section="Notes d'entretien ENT-LAU-01"), 0.02)


def test_a_figure_in_the_paragraph_after_the_one_naming_its_project_answers_for_that_project() -> None:
    asked = read_constraints("Combien de personnes Logis-Relais a-t-il accueillies depuis son ouverture ?")
    fitting = [unit.text for unit in evidence_units([SHELTER]) if not missing_in(asked, unit)]
    assert fitting == ["Depuis l'ouverture, 23 personnes ont été accueillies; 8 ont déjà emménagé dans un "
                       "logement permanent."]
    # Under the next heading, another project's count is not Logis-Relais's.
    other = read_constraints("Combien de personnes Logis-Relais a-t-il accueillies en 2013 ?")
    assert all(missing_in(other, unit) for unit in evidence_units([SHELTER]) if "40 personnes" in unit.text)


def test_the_paragraph_before_names_no_subject_for_a_paragraph_about_another_project() -> None:
    note = ("Le projet dont il est le plus fier est la Navette solidaire de la MRC de Joliette. Sans l'avance de la "
            "municipalité, la navette arrêtait après un mois.\n\nIl mentionne aussi les Marchés solidaires de "
            "Matawinie, dans la MRC voisine : 312 000 $ sur trois ans pour des épiceries mobiles.")
    source = Source(1, Passage("j1", note, DocumentInfo("entretiens/ent-lan-01.md", "Entretien ENT-LAN-01",
                                                        regions=("Lanaudière",)), None, "", 0, len(note)), 0.02)
    asked = read_constraints("Combien la Navette solidaire de la Matawinie a-t-elle reçu du FQIS ?")
    assert all(missing_in(asked, unit) for unit in evidence_units([source]))


def test_how_long_is_answered_by_a_length_of_time_not_a_clock_time_nor_another_figure() -> None:
    asked = read_constraints("Combien de temps par semaine la locataire passe-t-elle derrière le tiroir-caisse ?")
    assert asked.kind_name == "durée"
    assert not gives("duree", "Date : le 20 février 2014, de 18 h 45 à 19 h 40", asked.asked)
    assert not gives("duree", "Son loyer coûte 435 $ pour un 3 ½.", asked.asked)
    assert gives("duree", "Elle travaille environ 25 heures par semaine comme caissière.", asked.asked)
    assert read_constraints("Le parcours de Tremplin s'étale sur combien de temps ?").answer_kind == "duree"
    assert read_constraints("Depuis combien de temps l'organisme existe-t-il ?").answer_kind != "duree"
    assert read_constraints("Sur toute la durée de l'entente, quel est le maximum des frais ?").answer_kind != "duree"
    assert not gives("duree", "Un parcours pour jeunes adultes de 18 à 30 ans, financé à 138 000 $.", asked.asked)
    assert gives("duree", "Élément : Durée — Détail : 1 h 05", asked.asked)
    assert not gives("duree", "Élément : Date — Détail : le 2 octobre 2013, de 10 h à 11 h 05", asked.asked)


def test_what_time_is_answered_by_a_clock_time_not_a_length_nor_the_record_card_s_other_lines() -> None:
    card = ("# Entretien ENT-CDQ-02\n\n- **Participante :** Répondante E, coordonnatrice d'un organisme de la MRC de "
            "L'Érable\n- **Date :** le 15 janvier 2014, de 13 h 15 à 14 h 45\n- **Lieu :** salle de l'organisme, "
            "Plessisville\n- **Durée :** 1 h 30\n")
    source = Source(1, Passage("c1", card, interview("entretiens/ent-cdq-02.md", "Entretien ENT-CDQ-02",
                                                     "Centre-du-Québec"), None, "", 0, len(card)))
    for question in ("À quelle heure a commencé l'entretien avec la coordonnatrice ?",
                     "De quelle heure à quelle heure s'est déroulé l'entretien avec la coordonnatrice ?",
                     "At what time did the interview with the coordinator end?"):
        asked = read_constraints(question)
        assert asked.kind_name == "heure", question
        kept = [unit.text for unit in evidence_units([source]) if not missing_in(asked, unit)]
        assert kept and all("13 h 15" in text for text in kept), (question, kept)
    assert read_constraints("Combien de temps a duré l'entretien ?").answer_kind == "duree"
    assert gives("heure", "Les barrières de la ville furent fermées vers 22 heures.", asked.asked)
    assert not gives("heure", "Elle travaille jusqu'à 40 heures par semaine.", asked.asked)


def test_what_population_asks_a_count_of_inhabitants_not_any_figure() -> None:
    asked = read_constraints("Quelle est la population de la ville de Fermont en 2012 ?")
    assert asked.answer_kind == "nombre"
    nouns = counted_noun(asked.asked)
    assert counts(nouns, "Territoire de MRC : Caniapiscau — Population estimée (2012) : 4 100")
    assert counts(nouns, "La région comptait environ 236 000 habitants en 2012.")
    assert not counts(nouns, "Fermont est à 570 km de Sept-Îles; le loyer moyen y atteignait 1 200 $ en 2012.")
    assert read_constraints("Quelle part de la population nord-côtière vit en Minganie ?").answer_kind == "part"


def test_interviews_are_counted_whichever_word_the_question_uses() -> None:
    asked = read_constraints("Combien d'entrevues ont été enregistrées et transcrites intégralement ?")
    said = "Après chaque entretien, une note était rédigée; 81 entretiens ont en outre été enregistrés et transcrits."
    assert not missing_in(asked, EvidenceUnit(AGREEMENT, said))
    assert missing_in(asked, EvidenceUnit(AGREEMENT, "Les 94 personnes rencontrées venaient de trois régions."))


def test_a_financial_effort_is_an_amount_and_billions_of_dollars_are_one() -> None:
    asked = read_constraints("Quel effort financier global le plan gouvernemental faisait-il miroiter ?")
    assert asked.answer_kind == "montant"
    assert gives("montant", "Il annonçait des investissements de plus de 7 milliards de dollars sur cinq ans.",
                 asked.asked)
    assert not gives("montant", "Le 6 juin 2010, le gouvernement rendait public son deuxième plan.", asked.asked)


def test_an_amount_asked_with_the_signature_as_a_landmark_is_no_signature_date() -> None:
    asked = read_constraints("Combien l'entente accorde-t-elle pour l'exercice 2011-2012, celui qui était déjà fini "
                             "à la signature ?")
    assert asked.answer_kind == "montant" and asked.item is None
    assert read_constraints("Qui a signé l'entente de la Côte-Nord au nom de la CRÉ ?").item.name == "date de signature"


def test_an_age_counts_no_one_and_what_a_pension_brings_in_is_money() -> None:
    asked = read_constraints("Combien de jeunes compte la troisième cohorte de Tremplin Témiscouata ?")
    ages = EvidenceUnit(AGREEMENT, "Tremplin Témiscouata est un parcours pour jeunes adultes de 18 à 30 ans.")
    assert "nombre de jeunes" in missing_in(asked, ages)
    far = EvidenceUnit(AGREEMENT, "Le FQIS paie le transport, indispensable où certains jeunes habitent à 60 km du local.")
    assert "nombre de jeunes" in missing_in(asked, far)
    rides = read_constraints("Combien de trajets le minibus rural de Joliette a-t-il faits durant son premier été ?")
    fare = EvidenceUnit(AGREEMENT, "Un minibus relie cinq municipalités rurales à Joliette, au tarif de 3 $ le trajet.")
    assert "nombre de trajets" in missing_in(rides, fare)
    months = read_constraints("Pendant combien de mois la navette a-t-elle roulé ?")
    assert not missing_in(months, EvidenceUnit(AGREEMENT, "La navette a roulé pendant 18 mois avant d'être financée."))
    assert read_constraints("Combien la pension alimentaire lui rapporte-t-elle par mois ?").answer_kind == "montant"


def test_a_payment_asked_by_its_moment_is_not_the_years_contribution_under_a_table_titled_verse() -> None:
    asked = read_constraints("En Mauricie, combien la CRÉ reçoit-elle en début d'exercice 2012-2013 ?")
    assert asked.item is not None and asked.item.name == "versement"
    assert read_constraints("Combien touche-t-elle après l'acceptation de son rapport annuel pour 2012-2013 ?"
                            ).item.name == "versement"
    fitting = [unit.text for unit in evidence_units([AGREEMENT]) if not missing_in(asked, unit)]
    assert fitting and all("903 000 $" in text for text in fitting)  # the table's 1 290 000 $ is the contribution


def test_a_clause_of_time_before_the_question_word_does_not_make_a_date_question() -> None:
    asked = read_constraints("Selon le maire, quand l'usine de son village a fermé, combien de postes ont disparu ?")
    assert asked.answer_kind == "nombre"
    closing = units_of("Il cite la fermeture, en 2008, d'une usine de meubles de sa municipalité, qui a fait perdre "
                       "140 emplois.", JOLIETTE_INTERVIEW)
    assert not missing_in(asked, closing[0])  # jobs are the posts counted
    assert read_constraints("Quand la Table s'est-elle réunie, et où ?").answer_kind == "date"


def test_a_possessive_before_the_counted_noun_is_skipped() -> None:
    asked = read_constraints("Premiers Pas : combien de ses inscrits venaient d'une référence du CLE ?")
    assert asked.kind_name == "nombre de ses inscrits"
    registered = units_of("Des 52 personnes inscrites, 14 inscrits avaient été dirigés par le CLE.")
    assert not missing_in(asked, registered[0])


def test_an_isbn_is_a_number_that_designates() -> None:
    question = "Quel numéro ISBN la bibliographie donne-t-elle pour le plan d'action ?"
    assert read_constraints(question).answer_kind == "numero"
    assert gives("numero", "ISBN 978-2-550-58856-6. Ministère de l'Emploi (2011).", question)
    assert not gives("numero", "Ministère de l'Emploi et de la Solidarité sociale (2011).", question)


def test_a_rate_asked_is_met_by_a_table_column_of_shares_that_names_its_measure_only() -> None:
    asked = read_constraints("À Fermont, quel était le taux d'inoccupation des logements en octobre 2012 ?")
    cell = EvidenceUnit(Source(1, Passage("p1", "Fermont 9,4 % 0,0 %", REPORT, 9, "9", 0, 19)),
                        "Ville : Fermont — Inoccupation (oct. 2012) : 0,0 %", kind="cell")
    assert not missing_in(asked, cell)
    other = EvidenceUnit(cell.source, "Ville : Fermont — Ménages > 30 % du revenu au logement (2012) : 9,4 %",
                         kind="cell")
    assert missing_in(asked, other) == ["taux d'inoccupation"]


def test_a_town_pinned_is_not_met_by_a_sentence_about_another_town_under_the_same_heading() -> None:
    asked = read_constraints("À Fermont, quel est le loyer moyen d'un deux-chambres ?")
    heading = "## Logement à Sept-Îles, à Port-Cartier et à Fermont"
    text = f"{heading}\n\nÀ Sept-Îles, le loyer moyen d'un deux-chambres atteint 720 $. À Fermont, le loyer moyen " \
           "d'un deux-chambres est de 950 $."
    sept_iles, fermont = (unit for unit in units_of(text) if "loyer moyen" in unit.text and unit.kind == "sentence")
    assert "Fermont" in missing_in(asked, sept_iles)
    assert not missing_in(asked, fermont)


def test_a_fiscal_year_named_by_its_first_or_last_day_is_that_fiscal_year() -> None:
    assert fiscal_year_by_day("Quelle tranche touche-t-elle pour l'année qui s'ouvre le 1er avril 2012 ?") \
        == "Quelle tranche touche-t-elle pour l'exercice 2012-2013 ?"
    assert fiscal_year_by_day("Combien a-t-elle reçu pour l'exercice terminé le 31 mars 2014 ?") \
        == "Combien a-t-elle reçu pour l'exercice 2013-2014 ?"
    assert read_constraints("Quelle tranche la CRÉ touche-t-elle en début d'exercice ?").answer_kind == "montant"


def test_a_towns_gentile_is_read_as_the_town_in_any_of_its_forms() -> None:
    assert towns_by_demonym("Depuis quand une employée de l'organisme jérômien est-elle absente ?") \
        == "Depuis quand une employée de l'organisme de Saint-Jérôme est-elle absente ?"
    assert towns_by_demonym("la mère shawiniganaise, les doléances rimouskoises, la locataire septilienne") \
        == "la mère de Shawinigan, les doléances de Rimouski, la locataire de Sept-Îles"
    assert towns_by_demonym("Combien de Trifluviens ? Et le maire nicoletain ?") \
        == "Combien de gens de Trois-Rivières ? Et le maire de Nicolet ?"
    # A region's adjective is left to the constraints (measured: read as the region, it answered more, wrongly).
    assert towns_by_demonym("l'Alliance mauricienne et le comité bas-laurentien") \
        == "l'Alliance mauricienne et le comité bas-laurentien"


def test_every_gentile_is_read_as_a_town_the_constraints_place() -> None:
    lines = (Path(constraints_module.__file__).parent / "demonyms.tsv").read_text(encoding="utf-8").splitlines()
    rows = [line.split("\t") for line in lines if line.strip() and not line.startswith("#")]
    assert len(rows) > 50
    for gentile, town in rows:
        assert towns_by_demonym(f"le maire {gentile}") == f"le maire de {town}"
        assert places_written(towns_by_demonym(f"le maire {gentile}")) == [town]


def test_a_budget_asked_is_not_met_by_another_amount_of_its_subject() -> None:
    asked = read_constraints("Quel est le budget annuel du point de service de l'Accorderie à Trois-Pistoles ?")
    room = units_of("La Ville fournit le local du point de service de l'Accorderie à Trois-Pistoles, une contribution "
                    "évaluée à 14 400 $ par année.")
    assert missing_in(asked, room[0]) == ["budget"]


def test_a_town_that_names_the_mrc_pinned_is_no_other_place() -> None:
    asked = read_constraints("Quelle valeur l'agent de Rimouski-Neigette donne-t-il au local que la Ville prête ?")
    rimouski = units_of("## Agent de développement, Rimouski-Neigette\n\nLa Ville de Rimouski fournit gratuitement le "
                        "local, une contribution évaluée à 14 400 $ par année.")
    assert not missing_in(asked, rimouski[-1])


def test_a_clock_time_after_avant_is_no_length_of_time() -> None:
    question = "Il faut réserver combien de temps d'avance ?"
    assert not gives("duree", "Difficulté : trouver des bénévoles avant 7 h.", question)
    assert gives("duree", "On réserve au moins 24 heures à l'avance.", question)


def test_about_so_many_is_a_count() -> None:
    asked = read_constraints("Combien de personnes l'agente a-t-elle orientées vers l'Accorderie ?")
    info = DocumentInfo("entretiens/ent-bsl-02.txt", "Entretien", doc_type="entretien", regions=("Bas-Saint-Laurent",))
    text = "Elle a dirigé une dizaine de personnes vers l'Accorderie depuis son ouverture."
    unit = evidence_units([Source(1, Passage("b1", text, info, None, "", 0, len(text)))])[0]
    assert missing_in(asked, unit) == []
    assert gives("nombre", "L'organisme compte une quarantaine de bénévoles.", "How many volunteers?")
    assert not gives("nombre", "L'organisme compte des bénévoles.", "How many volunteers?")


def test_a_number_counts_the_noun_after_it_and_only_a_number_followed_by_none_counts_the_one_before() -> None:
    housing = counted_noun("Combien de logements sociaux l'Alliance a-t-elle permis de construire ?")
    assert not counts(housing, "L'Alliance retient quatre priorités : le logement social, l'itinérance et le transport.")
    assert counts(housing, "L'Alliance a permis de construire 24 logements sociaux à Saint-Jérôme.")
    people = counted_noun("Combien de personnes le refuge a-t-il hébergées ?")
    assert not counts(people, "Le refuge a dû refuser des personnes 41 nuits entre avril et septembre 2012.")
    members = counted_noun("Combien de membres étaient présents ?")
    assert counts(members, "Le quorum est constaté (10 membres sur 13).")
    assert counts(counted_noun("Combien de participants ?"), "Participants inscrits : 47.")


def test_an_office_named_by_its_function_is_no_one_s_role() -> None:
    asked = read_constraints("Qui était le directeur régional d'Emploi-Québec en Mauricie ?")
    mauricie = DocumentInfo("autres/proces-verbal.md", "Procès-verbal", doc_type="proces-verbal", regions=("Mauricie",))
    text = ("Présents : Chantal Rivard, direction régionale d'Emploi-Québec de la Mauricie. Absent : Marc Hébert, "
            "directeur régional d'Emploi-Québec de la Mauricie.")
    present, absent = evidence_units([Source(1, Passage("m1", text, mauricie, None, "", 0, len(text)))])[:2]
    assert missing_in(asked, present) == ["nom de personne (direction)"]
    assert missing_in(asked, absent) == []


def test_a_meeting_asked_for_is_told_by_its_date() -> None:
    asked = read_constraints("À quelle séance a-t-on résolu d'indemniser les citoyens qui siègent aux comités ?")
    assert asked.answer_kind == "date"
    assert read_constraints("Lors de quelle réunion le comité a-t-il adopté la règle ?").answer_kind == "date"
    minutes = DocumentInfo("autres/proces-verbal.md", "Procès-verbal", doc_type="proces-verbal")
    text = ("Le comité régional a décidé, à sa réunion du 12 septembre 2013, de verser aux citoyens qui siègent dans "
            "les comités une allocation de présence. Les citoyens siègent aux comités depuis le début.")
    dated, undated = evidence_units([Source(1, Passage("p1", text, minutes, None, "", 0, len(text)))])[:2]
    assert missing_in(asked, dated) == [] and missing_in(asked, undated) == ["date"]


def test_who_carries_a_project_asks_for_a_body_and_towns_are_counted_as_municipalities() -> None:
    asked = read_constraints("Qui est le promoteur du chantier d'insertion de Mékinac ?")
    assert asked.answer_kind == "nom"
    assert read_constraints("Qui préside le comité ?").answer_kind == "personne"
    towns = counted_noun("Combien de villes et villages offrent gratuitement un local aux groupes de cuisine ?")
    assert counts(towns, "Cinq municipalités prêtent gratuitement leur salle communautaire.")


def test_a_role_held_in_another_body_than_the_one_asked_is_no_answer() -> None:
    asked = read_constraints("Qui préside le Consortium en développement social de la Mauricie ?")
    mauricie = DocumentInfo("ententes/entente-mauricie.pdf", "Entente – Mauricie", doc_type="entente",
                            regions=("Mauricie",))
    text = ("L'entente a été signée par Réjean Lafrenière, président de la CRÉ de la Mauricie. Le Consortium en "
            "développement social est présidé par Hélène Duval.")
    other, chair = evidence_units([Source(1, Passage("m1", text, mauricie, 2, "2", 0, len(text)))])[:2]
    assert "nom de personne (présidence)" in missing_in(asked, other)
    assert missing_in(asked, chair) == []
    assert missing_in(read_constraints("Qui préside la CRÉ de la Mauricie ?"), other) == []
    # A question that names no body for the role is answered by the role held in any body.
    minister = read_constraints("Qui était le ministre responsable quand le plan « Le Québec mobilisé contre la "
                                "pauvreté » a été lancé ?")
    text = ("Le plan « Le Québec mobilisé contre la pauvreté » a été lancé par le ministre de l'Emploi et de la "
            "Solidarité sociale de l'époque, Sam Hamad.")
    launched = evidence_units([Source(1, Passage("m2", text, mauricie, 2, "2", 0, len(text)))])[0]
    assert missing_in(minister, launched) == []


def test_a_unit_that_speaks_neither_of_the_series_nor_of_its_rank_is_about_something_else() -> None:
    asked = read_constraints("Quand le fonds régional de Lanaudière a-t-il tenu son deuxième appel de projets ?")
    lanaudiere = DocumentInfo("rapports/rapport.pdf", "Rapport", doc_type="rapport", regions=("Lanaudière",))
    text = ("Région : Lanaudière — Signature : 22 mars 2012. Le deuxième appel s'est tenu du 15 avril au 14 juin "
            "2013.")
    signature, second = evidence_units([Source(1, Passage("l1", text, lanaudiere, 9, "9", 0, len(text)))])[:2]
    assert missing_in(asked, signature) == ["deuxième appel"]
    assert missing_in(asked, second) == []


def test_a_fiscal_year_named_by_both_its_days_and_the_first_exercice_are_fiscal_years() -> None:
    assert fiscal_year_by_day("Quelle contribution pour la période allant du 1er avril 2012 au 31 mars 2013 ?") \
        == "Quelle contribution pour l'exercice 2012-2013 ?"
    assert fiscal_year_by_day("Du 1er avril 2012 au 31 mars 2014, combien ?") \
        == "Du 1er avril 2012 au 31 mars 2014, combien ?"  # two years: no one fiscal year
    assert read_constraints("Total des six régions étudiées pour le premier exercice, selon l'annexe A ?").year_rank == 1
    assert read_constraints("Et pour le dernier exercice de l'entente, quel montant ?").year_rank == -1


def test_in_a_question_about_an_mrc_a_town_is_met_by_its_mrc() -> None:
    asked = read_constraints("Combien de personnes à faible revenu vivent dans la MRC de Sept-Îles ?")
    cell = EvidenceUnit(AGREEMENT, "Territoire de MRC : Sept-Rivières — Personnes à faible revenu : 4 140", kind="cell")
    assert "Sept-Îles" not in missing_in(asked, cell)
    other = EvidenceUnit(AGREEMENT, "Territoire de MRC : Manicouagan — Personnes à faible revenu : 3 640", kind="cell")
    assert "Sept-Îles" in missing_in(asked, other)
    town = read_constraints("Quel est le taux de chômage de la ville de Sept-Îles ?")  # the town, not its MRC
    assert "Sept-Îles" in missing_in(town, EvidenceUnit(AGREEMENT, "Territoire de MRC : Sept-Rivières — Taux de "
                                                                   "chômage : 6,9 %", kind="cell"))


def test_the_words_after_which_name_what_is_asked_and_a_sentence_s_first_word_is_no_name() -> None:
    assert question_names("Quelle Première Nation a un siège à la table de développement social de La Tuque ?") \
        == ("Tuque",)
    assert question_names("Au-delà de quelle localité du littoral faut-il prendre le bateau ?") == ()
    assert question_names("Côte-Nord : qui préside le comité de Baie-Comeau ?") == ("Baie-Comeau",)


def test_who_is_answered_by_a_person_s_name_or_by_the_role_that_designates_one() -> None:
    question = "Qui a la garde de la table de correspondance entre codes et identités ?"
    assert gives("personne", "Elle est conservée séparément, sous clé, par la chercheuse principale.", question)
    assert gives("personne", "Le comité est présidé par Claude Grenier.", question)
    assert not gives("personne", "Elle est conservée séparément, sous clé.", question)
    assert not gives("personne", "Il prépare les ordres du jour avec la présidente.", "Qui prépare les ordres du jour ?")
    assert not gives("personne", "Le comité est présidé par la présidente de la CRÉ.", "Qui préside le comité local ?")
    assert not gives("personne", "La CRÉ transmet un plan d'action à la ministre.",
                     "Comment s'appelle le cadre de la CRÉ qui aurait dit cela ?")  # a name is asked


def test_an_item_is_met_by_the_title_of_the_sentence_s_section() -> None:
    asked = read_constraints("Qui a proposé la résolution qui demande de porter le plafond d'administration à 4 % ?")
    minutes = DocumentInfo("autres/pv.md", "Procès-verbal", doc_type="proces-verbal", regions=("Mauricie",))
    text = ("## 5. Frais d'administration : plafond de 2 %\n\nLe coordonnateur rappelle la règle.\n\n"
            "**Résolution CD-2013-10-05** : sur proposition de Luc Trudel, appuyée par Mario Lesage, le comité "
            "demande que le plafond soit porté à 4 % par avenant.\n\n## 6. Suivi des projets\n\n"
            "**Résolution CD-2013-10-06** : sur proposition de Josée Pellerin, le comité demande que le plafond du "
            "suivi soit porté à 4 %.")
    resolutions = [unit for unit in units_of(text, minutes) if unit.kind == "sentence" and "Résolution" in unit.text]
    assert not missing_in(asked, resolutions[0])
    assert "frais d'administration" in missing_in(asked, resolutions[1])


def test_a_follow_up_asking_a_year_by_its_rank_replaces_the_previous_year() -> None:
    previous, follow_up = "Quelle est la contribution du FQIS à l'Alliance de l'Estrie pour 2012-2013 ?", \
        "Et pour le premier exercice ?"
    asked = conversation_constraints(follow_up, f"{previous} {follow_up}")
    assert asked.fiscal_years == () and asked.year_rank == 1 and asked.regions == ("Estrie",)


def test_years_counted_are_met_by_ans() -> None:
    nouns = counted_noun("Depuis combien d'années est-elle organisatrice communautaire ?")
    assert counts(nouns, "Répondante C est organisatrice communautaire depuis neuf ans.")
    assert not counts(nouns, "Elle accompagne neuf familles.")


def test_a_terse_question_asks_the_kind_of_the_noun_it_opens_on() -> None:
    assert read_constraints("Numéro du projet Solidarité Transport ?").answer_kind == "numero"
    assert read_constraints("Montant prévu pour 2013-2014 en Mauricie ?").answer_kind == "montant"
    assert read_constraints("Date de signature de l'entente estrienne ?").answer_kind == "date"
    assert read_constraints("Le projet Solidarité Transport ?").answer_kind == ""


def test_le_fonds_is_the_fqis_not_a_name_to_find() -> None:
    assert question_names("Quelle somme les Laurentides touchent-elles du Fonds pour la première année ?") == ()


def test_a_question_naming_the_fonds_asks_the_fqis_share_not_another_funder_s() -> None:
    asked = read_constraints("Pour 2013-2014, combien le service touche-t-il du fonds ?")
    other = EvidenceUnit(AGREEMENT, "Source : MRC de L'Érable — 2013-2014 : 10 000 $", kind="cell")
    fqis = EvidenceUnit(AGREEMENT, "Source : FQIS (Alliance pour la solidarité) — 2013-2014 : 86 000 $", kind="cell")
    assert "source du financement" in missing_in(asked, other)
    assert "source du financement" not in missing_in(asked, fqis)


# Session 11: out-of-corpus near misses met through a passage's scope (a region's figure for a town or an MRC,
# another place's clause, every region at once, a count of people at something else).
CENTRE = DocumentInfo("rapports/rapport.pdf", "Rapport de recherche", doc_type="rapport",
                      regions=("Centre-du-Québec",), date="2014")


def test_a_figure_for_an_mrc_is_not_the_regions_named_after_it() -> None:
    asked = read_constraints("Combien d'habitants compte la MRC de Nicolet-Yamaska ?")
    *_, region = units_of("Bécancour, Nicolet-Yamaska et L'Érable sont rurales. Selon les estimations de notre "
                          "échantillon, la région comptait environ 236 000 habitants en 2012.", CENTRE)
    assert "Nicolet-Yamaska (le passage donne le chiffre de la région)" in missing_in(asked, region)
    own, = units_of("La MRC de Nicolet-Yamaska compte environ 48 000 habitants.", CENTRE)
    assert missing_in(asked, own) == []
    speaker = read_constraints("D'après l'agent de Nicolet-Yamaska, combien d'habitants le Centre-du-Québec "
                               "comptait-il ?")
    assert missing_in(speaker, region) == []  # the region asked, a place named for who says it
    rate = read_constraints("Quel est le taux de faible revenu de la MRC des Basques ?")
    regional, = units_of("Les estimations situent le taux de faible revenu autour de 11 % à l'échelle régionale, avec "
                         "des valeurs plus élevées dans La Matapédia et Les Basques.")
    assert "Basques (le passage donne le chiffre de la région)" in missing_in(rate, regional)
    town = read_constraints("Combien d'habitants compte la ville de Fermont ?")
    coast, = units_of("La Côte-Nord compte environ 95 600 habitants le long du littoral, et dans deux villes minières "
                      "de l'intérieur, Fermont et Schefferville.")
    assert "Fermont (le passage donne le chiffre de la région)" in missing_in(town, coast)


def test_a_figure_in_a_clause_about_another_town_is_not_the_town_asked() -> None:
    asked = read_constraints("Pendant combien de nuits le refuge de Baie-Comeau a-t-il dû refuser des personnes ?")
    unit, = units_of("À Sept-Îles et à Baie-Comeau, les organismes d'hébergement reçoivent plus de personnes; le "
                     "refuge de Sept-Îles a dû refuser des personnes 41 nuits entre avril et septembre, faute de lits.")
    assert "Baie-Comeau" in missing_in(asked, unit)
    same = read_constraints("Pendant combien de nuits le refuge de Sept-Îles a-t-il dû refuser des personnes ?")
    assert missing_in(same, unit) == []


def test_a_unit_about_every_region_dates_no_one_regions_meeting() -> None:
    asked = read_constraints("À quelle date a eu lieu la séance de restitution au Centre-du-Québec ?")
    every, = units_of("Les résultats ont été présentés dans chacune des six régions lors de séances tenues entre le "
                      "18 mars et le 29 avril 2014.", CENTRE)
    assert any("toutes les régions" in missing for missing in missing_in(asked, every))
    named, = units_of("Les séances ont permis de corriger le rôle des préfets au Centre-du-Québec, dans chacune "
                      "des six régions, le 2 avril 2014.", CENTRE)
    assert not any("toutes les régions" in missing for missing in missing_in(asked, named))


def test_people_counted_at_something_else_do_not_answer_who_attended_it() -> None:
    asked = read_constraints("Combien de personnes ont assisté au forum citoyen de Sept-Îles ?")
    workshop, = units_of("À Sept-Îles, elle a pris la parole à l'atelier devant une trentaine de personnes.")
    assert missing_in(asked, workshop) == ["nombre de personnes (à : forum)"]
    forum, = units_of("Le forum citoyen de Sept-Îles a réuni environ 70 personnes.")
    assert missing_in(asked, forum) == []


def test_a_deputy_holds_no_role_of_the_last_word_of_its_title() -> None:
    asked = read_constraints("Comment s'appelait la ministre de l'Emploi ?")
    assert asked.answer_kind == "personne"
    deputy, = units_of("Marie-Claude Lavoie, sous-ministre adjointe, a signé l'entente.")
    assert "nom de personne (ministre)" in missing_in(asked, deputy)
    minister, = units_of("Sam Hamad, ministre de l'Emploi, a présenté le plan.")
    assert missing_in(asked, minister) == []


def test_a_projects_nth_year_of_service_is_a_series_and_a_target_is_no_result() -> None:
    asked = read_constraints("Combien de déplacements le service a-t-il effectivement réalisés pendant sa deuxième "
                             "année de service ?")
    assert asked.ordinal is not None and asked.ordinal.rank == 2
    *_, first = units_of("Le service a démarré en octobre 2012. Au cours de sa première année d'activité, il a "
                         "effectué 1 840 déplacements.")
    assert "1 840" in first.text
    assert "deuxième année" in missing_in(asked, first)
    *_, target = units_of("Fiche de projet Objectifs 1. Offrir au moins 3 000 déplacements par année à compter de la "
                         "deuxième année de service.")
    assert "résultat obtenu (pas une cible)" in missing_in(asked, target)
    plan = read_constraints("Quand le troisième plan gouvernemental de lutte contre la pauvreté a-t-il été lancé ?")
    assert plan.ordinal is not None and plan.ordinal.rank == 3
    assert read_constraints("Qui était au premier plan des négociations ?").ordinal is None


def test_an_answer_asked_is_not_the_request_it_answers() -> None:
    asked = read_constraints("Qu'a répondu la direction régionale à la demande de porter le plafond à 4 % ?")
    request, = units_of("Le comité demande au président d'écrire à la direction régionale pour que le plafond soit "
                        "porté à 4 %.")
    assert "la réponse donnée (pas la demande)" in missing_in(asked, request)
    answer, = units_of("La direction régionale a refusé de porter le plafond à 4 %.")
    assert "la réponse donnée (pas la demande)" not in missing_in(asked, answer)


def test_an_address_asked_is_a_street_address_not_any_clause_about_notices() -> None:
    asked = read_constraints("À quelle adresse faut-il envoyer un avis destiné à la ministre ?")
    assert asked.answer_kind == "adresse"
    clause, = units_of("La résiliation prend effet 30 jours après un avis écrit resté sans correctif.")
    assert "adresse postale" in missing_in(asked, clause)
    street, = units_of("Pour la ministre : Direction régionale d'Emploi-Québec, 92, 2e Rue Ouest, bureau 210, Rimouski.")
    assert missing_in(asked, street) == []
    assert read_constraints("Quelle est l'adresse électronique de l'agente ?").answer_kind == "courriel"


def test_an_age_asked_is_given_in_years_not_by_any_figure() -> None:
    asked = read_constraints("Quel âge ont les enfants de la mère de famille de Sept-Îles ?")
    assert asked.answer_kind == "age"
    count, = units_of("À Sept-Îles, 380 ménages étaient inscrits, dont environ le quart venaient de Mani-utenam.")
    assert "âge" in missing_in(asked, count)
    ages, = units_of("À Sept-Îles, J. a deux enfants de 8 et 13 ans.")
    assert missing_in(asked, ages) == []


def test_an_amount_asked_for_is_not_the_amount_recommended() -> None:
    asked = read_constraints("Quel montant le Covoiturage des Chenaux avait-il demandé au départ ?")
    granted, = units_of("« Covoiturage des Chenaux », plateforme de covoiturage vers les centres d'emploi : 38 900 $.")
    assert "montant demandé" in missing_in(asked, granted)
    requested, = units_of("Le Covoiturage des Chenaux avait demandé 52 000 $ au départ.")
    assert missing_in(asked, requested) == []


def test_an_acronym_asked_is_answered_where_it_is_spelt_out() -> None:
    asked = read_constraints("Dans « CDC du Haut-Saint-Maurice », que veut dire CDC ?")
    assert asked.answer_kind == "sigle" and not any("Maurice" in name for name in asked.names)
    project, = units_of("Projet : Réseau d'entraide pour l'emploi — Promoteur : CDC du Haut-Saint-Maurice.")
    assert "sens du sigle" in missing_in(asked, project)
    spelt, = units_of("CDC Corporation de développement communautaire.")
    assert missing_in(asked, spelt) == []


def test_a_place_asked_is_a_place_named_not_an_amount() -> None:
    asked = read_constraints("Dans quelle municipalité se réunit le groupe d'aînés des cuisines collectives ?")
    assert asked.answer_kind == "lieu"
    amount, = units_of("Les cuisines collectives ont reçu 148 500 $ lors du premier appel.")
    assert "nom de lieu" in missing_in(asked, amount)
    place, = units_of("Onze groupes ont réuni 96 participants, dont un groupe d'aînés de La Bostonnais.")
    assert missing_in(asked, place) == []
# Session 11 (refusals helper): answerable questions refused for a word the corpus writes otherwise.
BASQUES_INTERVIEW = DocumentInfo("entretiens/ent-bsl-03-citoyenne-les-basques.md",
                                 "Notes d'entretien – citoyenne, MRC des Basques", doc_type="entretien",
                                 regions=("Bas-Saint-Laurent",))


def test_a_count_is_met_by_the_words_the_corpus_counts_the_same_things_with() -> None:
    firms = counted_noun("Combien d'entreprises soutenaient par écrit la demande de l'organisme de Drummond ?")
    assert counts(firms, "Six employeurs de l'agroalimentaire et de la fabrication avaient signé des lettres d'appui.")
    assert not counts(firms, "Six bénévoles avaient signé des lettres d'appui.")
    seats = counted_noun("Combien de places le communautaire a-t-il au Comité de pilotage ?")
    assert counts(seats, "La table régionale des organismes communautaires détient trois sièges au Comité.")
    # A compound is counted by its words, as a table's label splits it.
    minutes = counted_noun("Combien de procès-verbaux et comptes rendus l'équipe a-t-elle analysés ?")
    assert counts(minutes, "Nombre : 54", "Catégorie de documents : Procès-verbaux et comptes rendus des instances")


def test_a_count_s_noun_written_otherwise_is_shared_with_the_question() -> None:
    question = "Pendant combien d'années la femme rencontrée dans Les Basques a-t-elle gagné sa vie aux fourneaux ?"
    text = "C. a été cuisinière pendant 19 ans dans un restaurant de Trois-Pistoles, fermé en 2009."
    units = [unit for unit in units_of(text, BASQUES_INTERVIEW) if unit.kind == "sentence"]
    ranked = rank_units(question, read_constraints(question), units, min_relevance=0.3)
    assert [r.unit.text for r in ranked] == [text]


def test_who_does_something_is_answered_by_the_role_that_does_it() -> None:
    assert gives("personne", "La nutritionniste du CSSS anime chaque mois un atelier « Cuisiner le panier ».",
                 "Qui anime l'atelier mensuel « Cuisiner le panier » de Paniers nordiques ?")
    assert gives("personne", "Le comité directeur est présidé par un élu désigné par le conseil d'administration.",
                 "Qui préside le comité directeur ?")
    assert gives("personne", "Il ne siège pas au Comité régional, où c'est le préfet qui représente la MRC.",
                 "Qui siège pour la MRC de Rimouski-Neigette au Comité régional ?")
    # A role that does something else, or only restates the question's verb, names no one who does it.
    assert not gives("personne", "La nutritionniste du CSSS trouve que le comité anime bien ses ateliers.",
                     "Qui anime l'atelier ?")
    assert not gives("personne", "Le comité est présidé par la présidente de la CRÉ.", "Qui préside le comité local ?")
    assert not gives("personne", "La nutritionniste du CSSS anime chaque mois un atelier.",
                     "Comment s'appelle la personne qui anime l'atelier ?")  # a name is asked


def test_a_part_of_a_post_is_a_share_of_a_full_time_one() -> None:
    question = "Quelle fraction d'un poste la CRÉ bas-laurentienne affecte-t-elle à la coordination de son Alliance ?"
    assert gives("part", "La CRÉ affecte à la coordination une ressource représentant 0,8 équivalent temps complet.",
                 question)
    assert gives("part", "Martine Pelletier, agente de l'Alliance (0,8 ETP), y assure la coordination.", question)
    assert not gives("part", "La CRÉ affecte à la coordination une ressource à temps complet.", question)


def test_a_follow_up_naming_a_town_of_another_region_moves_to_that_region() -> None:
    previous = "Comment l'élu de Nicolet-Yamaska décrit-il l'agente de coordination de l'Alliance centricoise ?"
    follow_up = "Et dans la MRC de Joliette, comment l'élu décrit-il l'agente de coordination ?"
    assert conversation_constraints(follow_up, f"{previous} {follow_up}").regions == ("Lanaudière",)
    same = "Et dans la MRC de Drummond, qui coordonne ?"
    assert conversation_constraints(same, f"{previous} {same}").regions == ("Centre-du-Québec",)


def test_a_figure_at_the_interview_s_day_is_of_the_note_s_date() -> None:
    note = DocumentInfo("entretiens/ent-cno-02-officier-baie-comeau.md", "Entretien – agent de développement",
                        doc_type="entretien", regions=("Côte-Nord",), date="2014-02-05")
    asked = read_constraints("En février 2014, combien de gens bénéficiaient de l'accompagnement psychosocial ?")
    [then] = [unit for unit in units_of("Le projet a démarré en septembre 2013 et suivait 31 personnes au moment de "
                                        "l'entretien.", note) if unit.kind == "sentence"]
    assert not missing_in(asked, then)
    [start] = [unit for unit in units_of("Le projet a démarré en septembre 2013 avec 12 personnes.", note)
               if unit.kind == "sentence"]
    assert "2014" in missing_in(asked, start)


def test_people_in_general_share_nothing_with_a_count_of_people_in_ranking() -> None:
    question = "D'après le sondage, combien de gens ont décroché un emploi grâce au transport à la demande ?"
    assert counts(counted_noun(question), "Au total, 87 personnes y ont participé.")  # a count of people…
    units = [unit for unit in units_of("Au total, 87 personnes y ont participé.") if unit.kind == "sentence"]
    assert not rank_units(question, read_constraints(question), units, min_relevance=0.3)  # … of no one asked about


def test_what_a_measure_is_of_may_be_the_document_s_subject() -> None:
    sheet = DocumentInfo("autres/fiche-projet-solidarite-transport.pdf",
                         "Fiche de projet – Solidarité Transport Centre-du-Québec", doc_type="fiche",
                         regions=("Centre-du-Québec",))
    source = Source(1, Passage("f1", "Total 89 800 $", sheet, 2, "2", 0, 14))
    total = EvidenceUnit(source, "Source : Total — 2012-2013 : 89 800 $", kind="cell", before="Budget par exercice")
    assert not missing_in(read_constraints("Quel est le budget de Solidarité Transport pour 2012-2013 ?"), total)
    assert missing_in(read_constraints("Quel est le budget de la Navette solidaire pour 2012-2013 ?"), total)


def test_whom_someone_else_names_may_be_a_body() -> None:
    question = "Qui la ministre reconnaît-elle comme interlocuteur local pour Sherbrooke dans l'entente de l'Estrie ?"
    assert read_constraints(question).answer_kind == "nom"
    assert gives("nom", "La ministre reconnaît le groupe de travail PAGSIS-Sherbrooke comme interlocuteur local.",
                 question)
    assert read_constraints("Qui le comité de la MRC a-t-il désigné ?").answer_kind == "nom"
    assert read_constraints("Qui préside le comité directeur ?").answer_kind == "personne"


def test_a_count_of_inhabitants_is_not_a_column_counting_only_some_of_them() -> None:
    portrait = DocumentInfo("autres/portrait.pdf", "Portrait – Côte-Nord", doc_type="portrait", regions=("Côte-Nord",))
    row = ("Territoire de MRC : Minganie — Population estimée (2012) : 6 500 — Personnes à faible revenu : 950")
    cells = evidence_units([Source(1, Passage("p-t0009", "Minganie 6 500 950", portrait, 2, "2", 0, 18, context=row))])
    population = next(unit for unit in cells if unit.kind == "cell" and "6 500" in unit.text)
    poor = next(unit for unit in cells if unit.kind == "cell" and "950" in unit.text)
    asked = read_constraints("Combien d'habitants compte la MRC de Minganie ?")
    assert missing_in(asked, poor)
    assert missing_in(asked, population) == []
    low = read_constraints("Combien de personnes à faible revenu compte la MRC de Minganie ?")
    assert missing_in(low, poor) == []


def test_a_project_submitted_with_its_amount_gives_the_amount_asked_for() -> None:
    asked = read_constraints("Quel montant l'organisme de Drummondville demandait-il pour sa navette de nuit ?")
    submitted, = units_of("Au deuxième appel, l'organisme a déposé le projet Navette Emploi Drummond : 58 000 $ sur "
                          "deux ans pour une navette de nuit.")
    assert "montant demandé" not in missing_in(asked, submitted)
    registered = read_constraints("Combien de ménages étaient inscrits aux Marchés solidaires en septembre 2013 ?")
    households, = units_of("En septembre 2013, 186 ménages étaient inscrits dans son secteur.")
    assert "nombre de ménages (à : march)" not in missing_in(registered, households)


def test_how_often_is_answered_by_a_frequency_not_by_an_amount() -> None:
    asked = read_constraints("Combien de fois l'organisme de la Matawinie a-t-il dû reprendre sa demande de jardins ?")
    assert asked.answer_kind == "frequence"
    rewritten, = units_of("« On a réécrit notre demande trois fois pour qu'elle rentre dans la grille. »",
                          JOLIETTE_INTERVIEW)
    refused, = units_of("Le comité a refusé le projet de jardins (18 500 $ demandés).", JOLIETTE_INTERVIEW)
    assert "fréquence" not in missing_in(asked, rewritten)
    assert "fréquence" in missing_in(asked, refused)
    often = read_constraints("How often does the Joliette mayor report to the RCM's council of mayors?")
    reports, = units_of("Il fait rapport au conseil des maires à chaque séance qui suit une réunion du CRSA.",
                        JOLIETTE_INTERVIEW)
    assert often.answer_kind == "frequence" and "fréquence" not in missing_in(often, reports)
    assert read_constraints("How many times did the research follow-up committee meet?").answer_kind == "frequence"
    assert gives("frequence", "Le comité de suivi s'est réuni à quatre reprises.", "Combien de fois… ?")


def test_a_seat_asked_for_may_be_held_by_a_body() -> None:
    seat = "L'organisme n'a aucun siège au comité : le seul siège des services d'emploi est occupé par Emploi-Québec."
    assert gives("personne", seat, "Qui occupe l'unique siège réservé aux services d'emploi au comité ?")
    assert not gives("personne", seat, "Qui préside le comité ?")
    health = "Au comité régional, le réseau de la santé est représenté par la Direction de santé publique de l'Agence."
    sits = read_constraints("Who sits for the health network on Lanaudière's regional follow-up committee?")
    assert sits.answer_kind == "personne" and "nom de personne" not in missing_in(sits, units_of(health)[0])


def test_an_acronym_the_question_pins_is_met_by_the_words_it_stands_for() -> None:
    asked = read_constraints("Combien de kilomètres les habitants des MRC rurales parcourent-ils pour joindre un CLE ?")
    far, = units_of("Une part importante de leurs habitants doit parcourir de 20 à 40 km pour joindre un centre local "
                    "d'emploi ou une banque alimentaire.")
    near, = units_of("Une part importante de leurs habitants doit parcourir de 20 à 40 km pour joindre une épicerie.")
    assert "CLE" not in missing_in(asked, far)
    assert "CLE" in missing_in(asked, near)


def test_when_after_a_question_word_that_asks_no_kind_sets_the_scene() -> None:
    assert read_constraints("Où en était rendue la répondante sur la liste pour un HLM quand on l'a interviewée ?"
                            ).answer_kind == ""
    assert read_constraints("What did the Antoine-Labelle RCM lend the solidarity minibus when it started?"
                            ).answer_kind == ""
    assert read_constraints("Où et quand s'est tenu le seul groupe de discussion de la Côte-Nord ?").answer_kind == "date"
    assert read_constraints("Quand le comité a-t-il été créé ?").answer_kind == "date"
    # … and so does it after « quel » and a noun no kind names, or « dans quoi », « sur quoi »…
    assert read_constraints("Quelle crainte le maire avait-il quand le comité a opté pour des enveloppes "
                            "thématiques ?").answer_kind == ""
    assert read_constraints("Dans quoi transportait-elle ses factures quand elle allait seule au service ?"
                            ).answer_kind == ""
    assert read_constraints("Quel montant a-t-elle reçu quand le projet a démarré ?").answer_kind == "montant"
    assert read_constraints("À quel moment l'a-t-elle appris ?").answer_kind == "date"
    # A clause before an English question sets its scene too; « When…, and who… » asks a date.
    assert read_constraints("When an agreement is terminated, what does the minister take into account?"
                            ).answer_kind == ""
    assert read_constraints("When was the agreement signed, and who signed it?").answer_kind == "date"


def test_a_name_spoken_of_is_not_a_name_asked() -> None:
    kept = "La table de correspondance entre codes et identités est conservée, sous clé, par la chercheuse principale."
    assert gives("personne", kept, "Qui a la garde du document qui permet de retrouver le vrai nom derrière chaque code ?")
    assert not gives("personne", kept, "Quel est le nom de la personne qui garde la table de correspondance ?")


def test_transport_on_demand_asks_for_no_amount_requested() -> None:
    asked = read_constraints("Pour 2013-2014, combien le transport à la demande de L'Érable touche-t-il du fonds ?")
    assert "montant demandé" not in missing_in(asked, units_of("Le FQIS verse 86 000 $ au transport en 2013-2014.")[0])
    requested = read_constraints("Quel montant l'organisme avait-il demandé au départ ?")
    assert "montant demandé" in missing_in(requested, units_of("Le comité lui accorde 40 000 $.")[0])


def test_a_long_sentence_of_running_prose_answers_through_the_clauses_that_hold_the_answer() -> None:
    # Nothing to cut at but commas: the sentence, too long to quote whole, was never shown (PIAF: 12 questions).
    prose = ("Le comité régional, qui réunit depuis 2012 les élus des six MRC, les représentants des CSSS, des "
             "organismes communautaires et des citoyens en situation de pauvreté, a adopté en décembre une formule "
             "de répartition qui garantit à chaque territoire une part minimale, tient compte de la population et du "
             "nombre de ménages à faible revenu, et réserve une somme aux projets régionaux, comme le prévoit "
             "l'entente signée avec la ministre, dont l'article 8 fixe les conditions, à savoir que la CRÉ peut "
             "consacrer à ses frais d'administration au plus 25 800 $ par année.")
    pieces = [unit.text for unit in units_of(prose)]
    assert len(prose) > 450 and len(pieces) == 2 and all(len(piece) <= 450 for piece in pieces)
    assert " ".join(pieces) == prose and pieces[1].startswith("et réserve")
    answer = "".join(extractive_answer("Combien la CRÉ peut-elle consacrer à ses frais d'administration ?",
                                       [Source(1, Passage("u1", prose, REPORT, 12, "12", 0, len(prose)))], 3, 0.3))
    assert "25 800 $ par année [1]." in answer and "Le comité régional" not in answer
    # A short sentence, or one with a semicolon to cut at, is cut as before.
    assert [unit.text for unit in units_of("Une phrase courte, avec des virgules, reste entière.")] == [
        "Une phrase courte, avec des virgules, reste entière."]


# The report as its metadata describes it: its authors are in no sentence of its chapters.
LESR_REPORT = DocumentInfo("rapports/rapport.pdf", "Les Alliances pour la solidarité à l'épreuve du terrain",
                           doc_type="rapport", date="2014-06-20",
                           authors=("Hélène Marchand-Côté", "Laboratoire d'études sur la solidarité régionale (LESR)"))
RECOMMENDATIONS = ("Le rapport formule douze recommandations (R1 à R12).\n\nLe chapitre 3 présente la méthodologie "
                   "et les entretiens menés.")
REPORT_SUMMARY = Source(1, Passage("r2", RECOMMENDATIONS, LESR_REPORT, 3, "iii", 0, len(RECOMMENDATIONS)))


def test_the_report_of_its_author_is_every_unit_of_that_report() -> None:
    # « le rapport du LESR » says which document: its authors (metadata) meet the name, for each of its units.
    asked = read_constraints("Combien de recommandations le rapport du LESR formule-t-il en tout ?")
    assert asked.names == ("LESR",)
    counted = evidence_units([REPORT_SUMMARY])[0]
    assert missing_in(asked, counted) == []
    answer = "".join(extractive_answer("Combien de recommandations le rapport du LESR formule-t-il en tout ?",
                                       [REPORT_SUMMARY], 3, 0.3, constraints=asked))
    assert "douze recommandations" in answer
    # The same sentence in a document the LESR did not write lacks the name; the other constraints still hold
    # unit by unit: a year the sentence lacks is missing, and « nombre » on the sentence that counts nothing.
    elsewhere = Source(1, replace(REPORT_SUMMARY.passage, info=replace(LESR_REPORT, authors=("CRÉ de la Mauricie",))))
    assert missing_in(asked, evidence_units([elsewhere])[0]) == ["LESR"]
    assert "2013-2014" in missing_in(read_constraints("Combien de recommandations le rapport du LESR formule-t-il "
                                                      "pour 2013-2014 ?"), counted)
    assert missing_in(asked, evidence_units([REPORT_SUMMARY])[1]) == ["nombre de recommandations"]


def test_an_interview_s_code_is_met_by_each_of_its_sentences_without_its_record_card() -> None:
    text = "Participant C a une formation en travail social. Il est organisateur communautaire depuis 1997."
    coded = DocumentInfo("entretiens/ent-lan-03.docx", "Entretien – réseau de la santé, D'Autray",
                         doc_type="entretien", regions=("Lanaudière",), code="ENT-LAN-03")
    unit = evidence_units([Source(1, Passage("e3", text, coded, None, "", 0, len(text)))])[0]
    assert missing_in(read_constraints("Quelle formation a le participant de l'entretien ENT-LAN-03 ?"), unit) == []
    assert missing_in(read_constraints("Quelle formation a le participant de l'entretien ENT-LAN-02 ?"),
                      unit) == ["ENT-LAN-02"]


def test_a_part_of_a_sum_named_with_any_determiner_may_be_an_amount() -> None:
    # « part de la somme » asked any figure; so does « part de cette somme », « de son budget » (not a percentage).
    assert read_constraints("Quelle part de cette somme va au transport ?").answer_kind == "chiffre"
    assert read_constraints("Quelle proportion de son budget la Table consacre-t-elle aux repas ?").answer_kind == "chiffre"
    assert read_constraints("Quelle part des ménages vit sous le seuil ?").answer_kind == "part"


def test_a_money_noun_after_a_preposition_of_condition_or_place_asks_which_not_how_much() -> None:
    assert read_constraints("Sous quelle réserve la ministre verse-t-elle la contribution ?").answer_kind == ""
    assert read_constraints("Dans quelle enveloppe le projet a-t-il été financé ?").answer_kind == ""
    assert read_constraints("Quelle réserve la CRÉ garde-t-elle pour 2013-2014 ?").answer_kind == "montant"
    assert read_constraints("À combien s'élève la réserve du fonds ?").answer_kind == "montant"


def test_when_after_a_kindless_head_past_a_fronted_complement_sets_the_scene() -> None:
    assert read_constraints("Selon le coordonnateur, quel rôle joue la Table quand un projet est refusé ?"
                            ).answer_kind == ""
    assert read_constraints("Dans la Matawinie, quelle tâche revient à l'organisme quand passe le camion ?"
                            ).answer_kind == ""
    # The head itself may be « quand »: past the complement, it still asks a date.
    assert read_constraints("Selon le rapport, quand la Table a-t-elle été créée ?").answer_kind == "date"
    # « Avec qui, et quand ? » fronts no complement: « avec qui » is a head.
    assert read_constraints("Avec qui, et quand ?").answer_kind != "date"


def test_signing_is_an_item_read_from_signer_not_from_look_alike_words() -> None:
    assert read_constraints("Quelles limites les chercheurs signalent-ils ?").item is None
    assert read_constraints("Que signifie le sigle FQIS ?").item is None
    assert read_constraints("Quand l'entente a-t-elle été signée ?").item.name == "date de signature"
    assert read_constraints("Qui est le signataire de l'entente ?").item.name == "date de signature"
    assert read_constraints("Who signed the agreement?").item.name == "date de signature"


def test_a_body_asked_for_may_be_designated_by_its_kind_and_qualifier() -> None:
    asked = "Dans quelle instance la conseillère examine-t-elle les demandes avant la Table ?"
    assert gives("nom", "Elle siège au comité d'analyse des projets, qui examine les demandes.", asked)
    assert gives("nom", "Il a vendu son entreprise de déneigement en 2009.", "Quelle entreprise le maire a-t-il vendue ?")
    # The body the question already names is no answer.
    assert not gives("nom", "Elle en parle à la Table.", asked)
    assert not gives("nom", "Il a vendu son entreprise en 2009.", "Quelle entreprise le maire a-t-il vendue ?")


def test_a_part_of_a_sum_the_question_gives_in_dollars_is_an_amount() -> None:
    # The part of an amount the question gives (« 312 000 $ ») is told in dollars, not by any figure (the sum
    # itself or « trois ans » in its sentence).
    constraints = read_constraints("Le maire cite 90 000 $ pour le transport; quelle part de cette somme vient du fonds "
                                   "régional ?")
    assert constraints.answer_kind == "montant"
    assert not gives("montant", "« 90 000 $ sur trois ans pour le transport. »", constraints.asked)
    assert gives("montant", "dont 40 000 $ du fonds régional", constraints.asked)


def test_who_does_something_may_be_answered_by_the_body_that_does_it() -> None:
    asked = "Qui examine les demandes et les transmet au comité régional ?"
    assert read_constraints(asked).answer_kind == "personne"
    assert gives("personne", "Un comité local de chaque territoire examine les demandes et les transmet.", asked)
    # The body the question names is no answer, nor a body that does something else.
    assert not gives("personne", "Le comité régional examine les demandes.", asked)
    assert not gives("personne", "Un comité local reçoit les demandes.", asked)


def test_a_count_of_things_done_with_a_group_must_name_that_group() -> None:
    asked = read_constraints("Combien d'entretiens le LESR a-t-il menés avec des commissions scolaires ?")
    method = ("Après chaque entretien, une note de synthèse était rédigée; 81 entretiens ont en outre été enregistrés "
              "et transcrits.")
    assert missing_in(asked, EvidenceUnit(AGREEMENT, method))  # interviews, but not with school boards
    health = read_constraints("Combien d'entretiens l'équipe a-t-elle menés avec des personnes du réseau de la santé "
                              "en Côte-Nord ?")
    cell = EvidenceUnit(AGREEMENT, "Région : Côte-Nord — Réseau de la santé : 3", "", "cell",
                        "Entretiens réalisés par région et par type d'acteur")
    assert "nombre" not in " ".join(missing_in(health, cell))
    assert "nombre" in " ".join(missing_in(health, replace(cell, text="Région : Côte-Nord — Citoyens : 1")))
