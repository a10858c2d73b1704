"""A user asks a follow-up: « Et celle des Laurentides ? » is searched as the previous question about the Laurentides,
« Il dessert quelles villes ? » asks a fact of its own, and the answer tells something the previous turn did not
say. Fast: no model, no index."""

from __future__ import annotations

from assistant.answer.constraints import conversation_constraints, is_elliptical
from assistant.answer.evidence import said_share
from assistant.answer.extractive import extractive_answer
from assistant.answer.rewrite import (answer_start, question_in_context, relevant_history, said_before,
                                      standalone_question, swapped_question)
from assistant.models import DocumentInfo, Exchange, Passage, Source
from assistant.service import Assistant
from assistant.settings import Settings

SIGNED = Exchange("Quand l'entente de la Mauricie a-t-elle été signée ?", "Le 17 avril 2012, à Trois-Rivières.")


def test_an_elliptical_follow_up_is_the_previous_question_with_its_region_swapped() -> None:
    assert swapped_question("Et celle des Laurentides ?", SIGNED.question) == (
        "Quand l'entente des Laurentides a-t-elle été signée ?")
    assert swapped_question("Et au Centre-du-Québec ?", "Combien la CRÉ de l'Estrie peut-elle consacrer à ses frais "
                            "d'administration en 2012-2013 ?") == (
        "Combien la CRÉ au Centre-du-Québec peut-elle consacrer à ses frais d'administration en 2012-2013 ?")


def test_an_elliptical_follow_up_moves_the_year_it_replaces() -> None:
    amount = "Quel montant l'entente de la Côte-Nord prévoit-elle pour 2012-2013 ?"
    assert swapped_question("Et l'année suivante ?", amount) == (
        "Quel montant l'entente de la Côte-Nord prévoit-elle pour 2013-2014 ?")
    assert swapped_question("Et pour 2014-15 ?", amount) == (
        "Quel montant l'entente de la Côte-Nord prévoit-elle pour 2014-2015 ?")
    assert swapped_question("Et en Mauricie ?", "Quel montant est prévu pour 2013-2014 ?") == ""  # no slot to swap


def test_an_elliptical_follow_up_is_searched_without_the_previous_answer(settings: Settings) -> None:
    assistant = Assistant(settings)
    searched = assistant.search_query("Et celle des Laurentides ?", [SIGNED])
    assert searched == "Quand l'entente des Laurentides a-t-elle été signée ?"  # not « 17 avril 2012 » again
    asked = conversation_constraints("Et celle des Laurentides ?", searched)
    assert asked.regions == ("Laurentides",) and asked.item is not None and asked.item.name == "date de signature"


def test_a_towns_gentile_is_searched_as_the_town(settings: Settings) -> None:
    assert Assistant(settings).search_query("Quand la mère shawiniganaise a-t-elle conclu une entente ?") \
        == "Quand la mère de Shawinigan a-t-elle conclu une entente ?"


def test_a_follow_up_that_asks_its_own_fact_is_joined_to_the_whole_previous_turn() -> None:
    paniers = Exchange("Combien le projet Paniers nordiques reçoit-il du FQIS ?", "174 000 $.")
    assert not is_elliptical("Il dessert quelles villes ?")
    assert standalone_question("Il dessert quelles villes ?", [paniers]) == (
        "Combien le projet Paniers nordiques reçoit-il du FQIS ? 174 000 $. Il dessert quelles villes ?")
    asked = conversation_constraints("Il dessert quelles villes ?", f"{paniers.question} Il dessert quelles villes ?")
    assert asked.answer_kind == "" and asked.item is None  # not the previous question's « montant en dollars »


def test_a_short_follow_up_that_names_the_year_it_replaces_is_elliptical_even_when_it_asks() -> None:
    assert is_elliptical("Et combien pour 2014-2015 ?") and is_elliptical("Et en Mauricie, combien ?")
    assert swapped_question("Et combien pour 2014-2015 ?", "Quel montant l'entente de la Côte-Nord prévoit-elle pour "
                            "2012-2013 ?") == "Quel montant l'entente de la Côte-Nord prévoit-elle pour 2014-2015 ?"
    assert not is_elliptical("Et combien en a-t-on retenu ?")


def test_the_previous_answer_is_joined_whole_when_it_is_short() -> None:
    assert answer_start(SIGNED) == "Le 17 avril 2012, à Trois-Rivières."
    assert said_before([SIGNED]) == (SIGNED.question, SIGNED.answer)
    assert said_before([]) == ("", "")


# An interview's paragraph: the project the previous turn described, then how its participants fared.
TREMPLIN = " ".join([
    "Le projet qu'elle suit de plus près est Tremplin Témiscouata, un parcours d'insertion pour jeunes adultes de 18 "
    "à 30 ans à Témiscouata-sur-le-Lac, financé à 138 000 $ par l'Alliance.",
    "Depuis octobre 2012, deux cohortes de 12 jeunes ont commencé le parcours : 15 l'ont terminé, 7 occupent un "
    "emploi et 3 sont retournés à la formation générale des adultes."])


def test_a_follow_up_is_answered_by_what_the_previous_turn_did_not_say() -> None:
    previous = Exchange("C'est quoi, Tremplin Témiscouata ?", "Un parcours d'insertion de 26 semaines pour les "
                        "18-30 ans à Témiscouata-sur-le-Lac, financé à 138 000 $ par l'Alliance.")
    follow_up = "Parmi les jeunes qui l'ont terminé, combien travaillent aujourd'hui ?"
    note = DocumentInfo("entretiens/ent-bsl-02.txt", "Notes d'entretien ENT-BSL-02", regions=("Bas-Saint-Laurent",))
    sources = [Source(1, Passage("t1", TREMPLIN, note, None, "", 0, len(TREMPLIN)))]
    asked = conversation_constraints(follow_up, f"{previous.question} {follow_up}")
    searched = standalone_question(follow_up, [previous])
    text = "".join(extractive_answer(searched, sources, 3, 0.3, constraints=asked, follow_up=follow_up,
                                     said=said_before([previous])))
    assert text.startswith("Depuis octobre 2012, deux cohortes de 12 jeunes ont commencé le parcours")
    assert "Tremplin Témiscouata, un parcours" not in text  # the previous answer, not said again


def test_a_unit_naming_only_the_subject_of_the_previous_question_is_no_repetition() -> None:
    forum = ("Quand s'est tenu le Forum citoyen de Shawinigan ?", "Le 25 mai 2013; il a réuni 85 personnes.")
    assert said_share("Au Forum citoyen de Shawinigan, elle a proposé une carte de transport à tarif réduit.",
                      *forum) is not None  # kept, only penalised: it names the subject, nothing the answer gave
    assert said_share("Le Forum citoyen de Shawinigan, le 25 mai 2013, a réuni 85 personnes.", *forum) is None
    assert said_share("Le 25 mai 2013, Marie Tremblay y a réuni 85 personnes et 12 organismes.", *forum) == 0.5


def _interview(path: str, region: str, text: str, number: int) -> Source:
    """One paragraph of an interview's notes, as the search returns it."""
    info = DocumentInfo(path, f"Notes d'entretien {path}", regions=(region,))
    return Source(number, Passage(f"p{number}", text, info, None, "", 0, len(text)))


def _follow_up_answer(previous: Exchange, follow_up: str, sources: list[Source]) -> str:
    """The answer made from the evidence to a follow-up read after ``previous``, as the chat makes it."""
    asked = conversation_constraints(follow_up, f"{previous.question} {follow_up}")
    return "".join(extractive_answer(standalone_question(follow_up, [previous]), sources, 3, 0.3, constraints=asked,
                                     follow_up=follow_up, said=said_before([previous])))


# The popote roulante of Rimouski-Neigette (Bas-Saint-Laurent), and another region's project that also serves villages.
POPOTE = ("Le seul projet retenu pour Rimouski-Neigette à cette étape, une popote roulante desservant trois villages "
          "du haut pays (54 000 $), était prêt depuis un an, faute de bailleur.")
MINIBUS = ("Le projet dont il parle avec le plus d'enthousiasme est le Transport solidaire des Hautes-Laurentides, un "
           "minibus qui relie six villages aux services de Mont-Laurier deux jours par semaine.")


def test_a_follow_up_about_the_previous_project_is_answered_about_that_project_not_another_regions() -> None:
    popote = Exchange("Quel montant la popote roulante du haut pays de Rimouski-Neigette a-t-elle obtenu ?",
                      "54 000 $, à l'appel de démarrage.")
    sources = [_interview("entretiens/ent-lau-02.docx", "Laurentides", MINIBUS, 1),
               _interview("entretiens/ent-bsl-01.md", "Bas-Saint-Laurent", POPOTE, 2)]
    text = _follow_up_answer(popote, "Elle dessert combien de villages ?", sources)
    # The sentence that gave the 54 000 $ also gives the three villages: it answers, it is not said again.
    assert text.startswith("Le seul projet retenu pour Rimouski-Neigette") and "trois villages" in text
    assert "six villages" not in text  # the Hautes-Laurentides' minibus is another region's project


def test_a_follow_up_among_those_just_counted_is_answered_by_the_sentence_that_counted_them() -> None:
    comptoir = Exchange("Combien de ménages le comptoir alimentaire de Plessisville a-t-il servis en 2012-2013 ?",
                        "412 ménages différents.")
    erable = ("En 2012-2013, le comptoir a servi 412 ménages différents, dont un peu plus du tiers venaient de "
              "l'extérieur de Plessisville.")
    sept_iles = "À Sept-Îles, 16,7 % des ménages consacrent plus de 30 % de leur revenu au logement."
    sources = [_interview("entretiens/ent-cno-01.md", "Côte-Nord", sept_iles, 1),
               _interview("entretiens/ent-cdq-02.docx", "Centre-du-Québec", erable, 2)]
    text = _follow_up_answer(comptoir, "Et parmi eux, quelle fraction habitait hors de la ville ?", sources)
    assert text.startswith("En 2012-2013, le comptoir a servi 412 ménages différents, dont un peu plus du tiers")
    assert "Sept-Îles" not in text


def test_a_unit_repeating_the_previous_answer_with_the_value_now_asked_is_no_repetition() -> None:
    comptoir = ("Combien de ménages le comptoir de Plessisville a-t-il servis ?", "412 ménages différents.")
    answer = "Le comptoir a servi 412 ménages différents, dont un peu plus du tiers venaient d'ailleurs."
    assert said_share(answer, *comptoir) is None  # nothing asked: the 412 ménages again
    assert said_share(answer, *comptoir, "part") == 1.0  # « quelle fraction ? »: kept, the share is new
    paniers = ("Depuis quand est-elle inscrite à Paniers nordiques ?", "Depuis avril 2013; elle paie son panier 12 $.")
    assert said_share("Depuis septembre 2013, elle fait aussi deux heures de bénévolat par semaine.", *paniers,
                      "chiffre") == 0.5  # « 2013 » said before, « deux heures » not: half repeated, not all
    jeunes = ("C'est quoi, Tremplin ?", "Un parcours pour les 18-30 ans, financé à 138 000 $.")
    assert said_share("Un parcours pour jeunes de 18 à 30 ans, financé à 138 000 $ par l'Alliance.", *jeunes,
                      "chiffre") is None  # « 18 à 30 » is the « 18-30 » already said, no new figure


def test_the_next_year_is_not_answered_by_a_figure_for_several_years() -> None:
    received = Exchange("Combien le Centre-du-Québec reçoit-il du FQIS pour 2011-2012 ?", "600 000 $.")
    asked = question_in_context("Et l'année suivante ?", [received])
    assert asked == "Combien le Centre-du-Québec reçoit-il du FQIS pour 2012-2013 ?"
    project = _interview("autres/fiche-projet.pdf", "Centre-du-Québec", "Élément : Contribution du FQIS — "
                         "Renseignement : 236 000 $ sur trois exercices (2012-2013 à 2014-2015)", 1)
    agreement = _interview("ententes/entente-centre-du-quebec.pdf", "Centre-du-Québec",
                           "Exercice financier : 2012-2013 — Contribution du FQIS : 900 000 $", 2)
    text = "".join(extractive_answer(asked, [project, agreement], 3, 0.3,
                                     constraints=conversation_constraints("Et l'année suivante ?", asked)))
    assert "900 000 $" in text and "236 000 $" not in text  # the project's three years are no one year's amount


def test_a_follow_up_pointing_to_the_same_year_keeps_it() -> None:
    cap = "Quel est le plafond des frais d'administration de la CRÉ de l'Estrie pour 2012-2013 ?"
    assert is_elliptical("Et au Saguenay–Lac-Saint-Jean, la même année ?")  # a region swapped, nothing asked
    assert swapped_question("Et au Saguenay–Lac-Saint-Jean, la même année ?", cap) == (
        "Quel est le plafond des frais d'administration de la CRÉ au Saguenay–Lac-Saint-Jean pour 2012-2013 ?")
    amount = "Quel montant l'entente de l'Estrie prévoit-elle pour 2013-2014 ?"
    own = "Et le plafond des frais de gestion de la CRÉ cette année-là ?"  # another item, the same year
    asked = conversation_constraints(own, f"{amount} {own}")
    assert asked.fiscal_years == ("2013-2014",) and asked.regions == ("Estrie",) and asked.item is None
    other = "Et qui a signé l'entente ?"  # no year pointed to: the previous year is the previous fact's
    assert conversation_constraints(other, f"{amount} {other}").fiscal_years == ()


def test_a_question_naming_its_own_subject_after_an_unrelated_turn_is_searched_alone() -> None:
    places = "Logis-Relais Laurentides, ça représente combien de places d'hébergement de transition à Saint-Jérôme ?"
    mauricie = Exchange("Quel montant l'entente de la Mauricie prévoit-elle pour 2013-2014 ?", "1 505 000 $ [1].")
    assert relevant_history(places, [mauricie]) == []  # « ça » is Logis-Relais itself, not the Mauricie's amount
    logis = Exchange("Qui a fondé Logis-Relais Laurentides ?", "Un groupe de la Table de Saint-Jérôme, en 2009.")
    assert relevant_history(places, [logis]) == [logis]  # the same subject: read with the turn it follows
    assert relevant_history("Et combien de places à Saint-Jérôme ?", [mauricie]) == [mauricie]  # « Et… » leans
    assert relevant_history("Combien a-t-il reçu ?", [mauricie]) == [mauricie]  # who « il » is, the turn says


def test_a_follow_up_of_a_follow_up_keeps_the_first_subject() -> None:
    amount = Exchange("Quel montant l'entente de la Mauricie prévoit-elle pour 2013-2014 ?", "1 505 000 $ [1].")
    estrie = Exchange("Et en Estrie ?", "1 400 000 $ [1].")
    assert question_in_context("Et l'année suivante ?", [amount, estrie]) == (
        "Quel montant l'entente en Estrie prévoit-elle pour 2014-2015 ?")  # Estrie and the next year kept
    paniers = Exchange("Combien le projet Paniers nordiques de Sept-Îles reçoit-il du FQIS ?", "174 000 $ [1].")
    villes = Exchange("Il dessert quelles villes ?", "Sept-Îles et Baie-Comeau.")
    follow_up = "Et combien de ménages y sont inscrits ?"
    searched = standalone_question(follow_up, [paniers, villes])
    assert searched.startswith(paniers.question) and searched.endswith(follow_up)
    asked = conversation_constraints(follow_up, question_in_context(follow_up, [paniers, villes]))
    assert asked.regions == ("Côte-Nord",)  # Sept-Îles, named two turns back
    assert said_before([paniers, villes]) == (f"{paniers.question} {villes.question}", "Sept-Îles et Baie-Comeau.")


def test_the_year_before_is_asked_like_the_year_after() -> None:
    asked = "Quel montant l'entente de la Mauricie prévoit-elle pour 2013-2014 ?"
    before = conversation_constraints("Et pour l'exercice d'avant ?", f"{asked} Et pour l'exercice d'avant ?")
    assert before.fiscal_years == ("2012-2013",)
    after = conversation_constraints("Et l'année suivante ?", f"{asked} Et l'année suivante ?")
    assert after.fiscal_years == ("2014-2015",)
    assert is_elliptical("Et l'année précédente ?")
    assert swapped_question("Et pour l'exercice d'avant ?", asked) == (
        "Quel montant l'entente de la Mauricie prévoit-elle pour 2012-2013 ?")
