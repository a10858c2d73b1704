"""Comparisons of two named subjects and two-step questions of other forms: a researcher asking « Qui est maire depuis
le plus longtemps : l'élu de Joliette ou celui d'Antoine-Labelle ? » gets each mayor's year from his own interview,
each cited, then the comparison computed from the two cited years; one asking the rate of « la MRC dont la salle du
conseil a accueilli l'entretien ENT-CNO-02 » gets the record card that names the MRC, then the portrait's row."""

from __future__ import annotations

from assistant.answer.bridge import bridged_ask, described
from assistant.answer.comparison import compared_sides, relation_sentence, side_kind
from assistant.answer.constraints import conversation_constraints, unmet, with_sources
from assistant.answer.evidence import evidence_units
from assistant.answer.verification import SupportChecker
from assistant.models import DocumentInfo, Passage, Source, Verdict

from tests.answer_support import evidence_answer, interview



JOLIETTE = interview("entretiens/ent-lan-01-elu-joliette.md", "Notes d'entretien ENT-LAN-01 – Élu municipal, MRC de "
                     "Joliette", "Lanaudière")
LABELLE = interview("entretiens/ent-lau-02-elu-antoine-labelle.docx", "Notes d'entretien ENT-LAU-02 – Élu municipal, "
                    "MRC d'Antoine-Labelle", "Laurentides")
SEPT_ILES = interview("entretiens/ent-cno-03-citoyenne-sept-iles.md", "Notes d'entretien ENT-CNO-03 – Citoyenne, "
                      "Sept-Îles", "Côte-Nord")
RIMOUSKI = interview("entretiens/ent-bsl-01-officier-rimouski.md", "Notes d'entretien ENT-BSL-01 – Officier "
                     "municipal, Rimouski-Neigette", "Bas-Saint-Laurent")
MAYOR_A = Passage("j-1", "Participant A est maire depuis 2005; il a vendu son entreprise de machinerie agricole en 2009 "
                  "pour se consacrer à la politique municipale. Il siège au conseil des maires de la MRC et, depuis "
                  "avril 2012, au conseil d'administration de la CRÉ de Lanaudière.", JOLIETTE, None, "", 0, 260)
MAYOR_B = Passage("l-1", "Participant B, ancien travailleur forestier, est maire depuis 2009. Il représente la MRC "
                  "d'Antoine-Labelle à la Table régionale depuis sa première réunion, en mars 2012.", LABELLE, None, "",
                  0, 190)
SHORT = Passage("s-1", "- **Code :** ENT-CNO-03\n- **Date :** le 20 février 2014, de 18 h 45 à 19 h 40\n- **Durée :** "
                "55 minutes (écourté à la demande de la participante)\n- **Participante :** citoyenne de Sept-Îles",
                SEPT_ILES, None, "", 0, 170)
LONG = Passage("r-1", "- **Code :** ENT-BSL-01\n- **Date :** le 28 novembre 2013, de 9 h à 10 h 35\n- **Durée :** "
               "1 h 35 (enregistrement de 1 h 22)\n- **Participant :** agent de développement, MRC de "
               "Rimouski-Neigette", RIMOUSKI, None, "", 0, 170)
WHO = "Qui est maire depuis le plus longtemps : l'élu de la MRC de Joliette ou celui d'Antoine-Labelle ?"
SHORTER = ("Lequel a été le plus court : l'entretien avec la citoyenne de Sept-Îles ou celui avec l'agent de "
           "Rimouski-Neigette ?")


def answer(question: str, passages: list[Passage]) -> str:
    return evidence_answer(question, passages, 0.2)


def test_two_subjects_offered_to_choose_from_are_each_asked_alone() -> None:
    assert compared_sides(WHO) == ("Qui est maire depuis le plus longtemps : l'élu de la MRC de Joliette ?",
                                   "Qui est maire depuis le plus longtemps : l'élu d'Antoine-Labelle ?")
    assert compared_sides("Laquelle des deux coordonnatrices, celle de la Matawinie ou celle de L'Érable, dirige son "
                          "organisme depuis le plus longtemps ?") == (
        "Laquelle des deux coordonnatrices, celle de la Matawinie, dirige son organisme depuis le plus longtemps ?",
        "Laquelle des deux coordonnatrices, celle de L'Érable, dirige son organisme depuis le plus longtemps ?")
    # The subject of the verb against the one after « plus … que » or « avant ou après », its pronoun read.
    assert compared_sides("L'entretien avec le maire d'Antoine-Labelle a-t-il duré plus longtemps que celui avec la "
                          "citoyenne de Shawinigan ?") == (
        "L'entretien avec le maire d'Antoine-Labelle a-t-il duré plus longtemps ?",
        "L'entretien avec la citoyenne de Shawinigan a-t-il duré plus longtemps ?")
    assert compared_sides("L'entretien avec la citoyenne de Sept-Îles a-t-il eu lieu avant ou après celui avec l'agent "
                          "de Baie-Comeau ?")[1] == "L'entretien avec l'agent de Baie-Comeau a-t-il eu lieu ?"
    # No two subjects: a superlative over a table, a choice with nothing compared, a minimum set by a document.
    assert compared_sides("Quelle MRC a le taux de faible revenu le plus élevé ?") is None
    assert compared_sides("Le projet est-il porté par la CRÉ ou par la Table ?") is None
    assert compared_sides("Le CRSA se réunit-il plus souvent que le minimum que fixe l'entente ?") is None


def test_the_kind_each_side_gives_is_read_from_what_is_compared() -> None:
    assert side_kind(WHO) == "annee"
    assert side_kind(SHORTER) == "duree"
    assert side_kind("Le Centre-du-Québec compte-t-il plus d'habitants que la Côte-Nord ?") == "chiffre"
    assert side_kind("L'entretien avec A a-t-il eu lieu avant ou après celui avec B ?") == "date"


def test_who_has_been_mayor_longest_gets_each_year_cited_then_their_comparison() -> None:
    sources = [Source(1, MAYOR_A), Source(2, MAYOR_B)]
    # Read as one, the question asked a person's name of a unit naming both places: refused before.
    assert not unmet(with_sources(conversation_constraints(WHO, WHO), sources), evidence_units(sources))
    text = answer(WHO, [MAYOR_A, MAYOR_B])
    assert "est maire depuis 2005" in text and "est maire depuis 2009" in text
    assert "depuis avril 2012" not in text  # the year said of being mayor, not of another seat
    assert text.endswith("Comparaison des années citées : 2005 [1] est avant 2009 [2].")


def test_the_shorter_interview_is_told_from_the_durations_of_the_two_record_cards() -> None:
    text = answer(SHORTER, [SHORT, LONG])
    assert "55 minutes" in text and "1 h 35" in text
    relation = "Comparaison des valeurs citées : 55 minutes [1], c'est moins que 1 h 35 [2]."
    assert text.endswith(relation)
    # The citation check computes it again: right as stated, refused when the relation or a value is wrong.
    sources = [Source(1, SHORT), Source(2, LONG)]
    checker = SupportChecker(sources, None, question=SHORTER)
    assert checker.check(relation).verdict is Verdict.SUPPORTED
    assert checker.check(relation.replace("moins", "plus")).verdict is not Verdict.SUPPORTED
    assert checker.check(relation.replace("[2]", "[1]")).verdict is not Verdict.SUPPORTED
    # One side's value only: nothing compared.
    assert relation_sentence(SHORTER, "", [(1, SEPT_ILES.doc_id, "Durée : 55 minutes")], "fr") == ""


PORTRAIT = DocumentInfo("autres/portrait-cote-nord-2012.pdf", "Portrait régional de la pauvreté : Côte-Nord, 2012",
                        doc_type="portrait-regional", regions=("Côte-Nord",), date="2012")
BAIE_COMEAU = interview("entretiens/ent-cno-02-officier-baie-comeau.md", "Notes d'entretien ENT-CNO-02 – Officier "
                        "municipal, Baie-Comeau", "Côte-Nord")
CARD = Passage("c-1", "- **Code :** ENT-CNO-02\n- **Lieu :** salle du conseil de la MRC de Manicouagan, Baie-Comeau",
               BAIE_COMEAU, None, "", 0, 90)
RATES = Passage("p-1", "Le taux de faible revenu est estimé à 11,4 % dans la MRC de Manicouagan et à 8,1 % dans celle de "
                "Caniapiscau.", PORTRAIT, 2, "2", 0, 110)


def test_an_mrc_described_by_what_happened_there_is_named_by_one_document_and_asked_of_another() -> None:
    question = ("Quel est le taux de faible revenu estimé dans la MRC dont la salle du conseil a accueilli l'entretien "
                "ENT-CNO-02 ?")
    bridged = bridged_ask(question, [Source(1, CARD)], None, 0.2)
    assert bridged is not None and bridged[0] == "Quel est le taux de faible revenu estimé dans la MRC de Manicouagan ?"
    # A town named where an MRC is described gives its MRC (``places.tsv``).
    accorderie = Passage("b-1", "- **Code :** ENT-BSL-03\n- **Lieu :** local du point de service de l'Accorderie à "
                         "Trois-Pistoles", interview("entretiens/ent-bsl-03.md", "Notes d'entretien ENT-BSL-03",
                                                     "Bas-Saint-Laurent"), None, "", 0, 90)
    asked = bridged_ask("Combien de projets étaient soutenus dans la MRC où se trouve le point de service de "
                        "l'Accorderie visité pour ENT-BSL-03 ?", [Source(1, accorderie)], None, 0.2)
    assert asked is not None and asked[0] == "Combien de projets étaient soutenus dans la MRC des Basques ?"
    # An MRC named by a town of it is no description: the question names its place (« la MRC où se trouve Fermont »).
    assert described("Quel est le taux de faible revenu dans la MRC où se trouve Fermont ?") is None


def test_a_person_described_by_a_role_and_what_a_document_says_of_her_is_bridged() -> None:
    what = described("Comment la directrice de Drummondville juge-t-elle l'agente que la fiche de Solidarité Transport "
                     "donne comme personne-ressource de l'Alliance ?")
    assert what is not None and what.role == "agente"
    assert what.ask == "Comment la directrice de Drummondville juge-t-elle {} ?"


def test_the_interview_a_side_names_gives_its_date_not_another_interview_of_the_same_town() -> None:
    health = Passage("h-1", "- **Code :** ENT-CNO-01\n- **Date :** le 4 février 2014, de 13 h à 14 h 40\n- **Lieu :** "
                     "CLSC de Sept-Îles", interview("entretiens/ent-cno-01-sante-sept-iles.md", "Notes d'entretien "
                                                    "ENT-CNO-01 – Réseau de la santé, Sept-Îles", "Côte-Nord"),
                     None, "", 0, 100)
    agent = Passage("b-1", "- **Code :** ENT-CNO-02\n- **Date :** le 5 février 2014, de 9 h à 10 h 25\n- **Lieu :** "
                    "salle du conseil de la MRC de Manicouagan, Baie-Comeau", BAIE_COMEAU, None, "", 0, 110)
    question = ("L'entretien avec la citoyenne de Sept-Îles a-t-il eu lieu avant ou après celui avec l'agent de "
                "Baie-Comeau ?")
    text = answer(question, [health, SHORT, agent])
    assert "le 4 février 2014" not in text
    assert text.endswith("Comparaison des dates citées : le 20 février 2014 [2] est après le 5 février 2014 [3].")


def test_more_inhabitants_is_computed_from_the_figure_before_the_noun_asked() -> None:
    question = "Le Centre-du-Québec compte-t-il plus d'habitants que la Côte-Nord, selon le rapport et le portrait ?"
    shown = [(1, "rapports/rapport.pdf", "Selon les estimations de notre échantillon, la région comptait environ "
              "236 000 habitants en 2012 et un taux de faible revenu voisin de 10 %."),
             (2, "autres/portrait-cote-nord-2012.pdf", "La Côte-Nord compte environ 95 600 habitants répartis le long "
              "d'un littoral de quelque 1 100 kilomètres.")]
    assert relation_sentence(question, "", shown, "fr") == (
        "Comparaison des valeurs citées : 236 000 [1], c'est plus que 95 600 [2].")


def test_an_amount_is_named_by_what_it_pays_for_not_by_a_cell_labelled_montant() -> None:
    from assistant.answer.comparison import said_score
    side = "Solidarité Transport au Centre-du-Québec demandent-elles le même prix par trajet ?"
    envelope = "Enveloppe thématique : Transport collectif abordable — Montant 2012-2015 : 1 332 000 $"
    assert said_score("montant", envelope, side) == 0
    # Nor is a day of the month a figure, nor the comparison's own words (« la première ») what a value is of.
    assert said_score("chiffre", "Il a été réélu le 4 octobre 2013.", "Qui fait le plus de route, avant avril 2013 ?") == 0
    assert said_score("date", "Le premier appel est lancé avant le 31 décembre 2012.",
                      "Quelle CRÉ devait remettre son plan la première : celle de la Mauricie ?") == 0
    assert said_score("duree", "Durée : 55 minutes", "Lequel a été le plus court : l'entretien avec A ?") >= 10


def test_a_side_is_answered_only_by_a_value_said_of_what_it_asks() -> None:
    def agreement(region: str) -> DocumentInfo:
        return DocumentInfo(f"ententes/entente-{region.lower()}.pdf", f"Entente – Alliance pour la solidarité, {region}",
                            doc_type="entente", regions=(region,), date="2012")
    minutes = Passage("m-1", "Le comité recommande les projets au conseil d'administration de la CRÉ de la Mauricie "
                      "pour sa séance du 30 octobre 2013.", DocumentInfo("proces-verbaux/pv-mauricie.md", "Procès-verbal "
                      "du comité directeur, Mauricie", doc_type="proces-verbal", regions=("Mauricie",), date="2013"),
                      None, "", 0, 120)
    laurentides = Passage("l-1", "La CRÉ transmet à la ministre, au plus tard le 30 juin 2012, un plan d'action régional.",
                          agreement("Laurentides"), 3, "3", 0, 90)
    question = ("Quelle CRÉ devait remettre son plan d'action régional la première : celle de la Mauricie ou celle des "
                "Laurentides ?")
    # The Mauricie's side has no sentence giving a date of its plan: no date compared by accident.
    text = answer(question, [minutes, laurentides])
    assert "30 octobre 2013" not in text and "Comparaison" not in text
    mauricie = Passage("a-1", "La CRÉ transmet à la ministre, au plus tard le 31 octobre 2012, un plan d'action régional.",
                       agreement("Mauricie"), 3, "3", 0, 90)
    text = answer(question, [minutes, laurentides, mauricie])
    assert text.endswith("Comparaison des dates citées : le 31 octobre 2012 [3] est après le 30 juin 2012 [2].")


def test_two_subjects_joined_by_et_before_lequel_are_each_asked_alone() -> None:
    # « A et celui de B : lequel… ? »: the pronoun is the first subject's noun up to its own « de ».
    assert compared_sides("Le deuxième appel de projets du Centre-du-Québec et celui de la Mauricie : lequel a fermé "
                          "le premier ?") == (
        "Le deuxième appel de projets du Centre-du-Québec : lequel a fermé le premier ?",
        "Le deuxième appel de la Mauricie : lequel a fermé le premier ?")
    # « Des N de A et de B, laquelle… ? », « Des N avec A et avec B, lequel… ? »: the first from its preposition.
    assert compared_sides("Des ententes du Saguenay–Lac-Saint-Jean et de la Côte-Nord, laquelle le conseil "
                          "d'administration de la CRÉ a-t-il autorisée en premier ?") == (
        "Des ententes du Saguenay–Lac-Saint-Jean, laquelle le conseil d'administration de la CRÉ a-t-il autorisée en "
        "premier ?",
        "Des ententes de la Côte-Nord, laquelle le conseil d'administration de la CRÉ a-t-il autorisée en premier ?")
    assert compared_sides("Des entretiens avec l'agente de Rivière-du-Loup et avec la citoyenne des Basques, lequel a "
                          "eu lieu en premier ?")[1] == ("Des entretiens avec la citoyenne des Basques, lequel a eu "
                                                         "lieu en premier ?")
    # « Entre A et B, laquelle… ? »
    assert compared_sides("Entre l'entente de l'Estrie et celle des Laurentides, laquelle permet le plus de frais "
                          "d'administration ?") == (
        "Entre l'entente de l'Estrie, laquelle permet le plus de frais d'administration ?",
        "Entre l'entente des Laurentides, laquelle permet le plus de frais d'administration ?")
    # A name goes on in lower case up to a preposition: « que Tremplin emploi jeunes adultes | au deuxième appel ».
    assert compared_sides("Premiers Pas vers l'emploi a-t-il reçu plus que Tremplin emploi jeunes adultes au deuxième "
                          "appel ?")[1] == "Tremplin emploi jeunes adultes a-t-il reçu plus au deuxième appel ?"
    # Two subjects joined by « et » with nothing to choose between them are no comparison.
    assert compared_sides("Quels sont les rôles de la CRÉ et du ministère, selon l'entente ?") is None


def test_what_ends_last_is_a_date_and_what_costs_or_was_received_an_amount() -> None:
    assert side_kind("Laquelle de ces deux ententes se termine le plus tard : celle de l'Estrie ou celle du "
                     "Saguenay–Lac-Saint-Jean ?") == "date"
    assert side_kind("Quel panier coûte le moins cher : le panier de base de Matawinie ou celui de Sept-Îles ?") == \
        "montant"
    assert side_kind("Des deux minibus, celui des Hautes-Laurentides et la navette de Joliette, lequel a reçu le "
                     "plus ?") == "montant"
    # « sur toute sa durée » says over what time the amount runs, not that a length of time is compared.
    assert side_kind("Entre l'entente de l'Estrie et celle des Laurentides, laquelle permet le plus de frais "
                     "d'administration sur toute sa durée ?") == "montant"


def test_a_value_is_said_of_what_the_question_asks_in_other_words_not_of_its_comparing_words() -> None:
    from assistant.answer.comparison import said_score
    side = "Laquelle de ces deux ententes se termine le plus tard : celle du Saguenay–Lac-Saint-Jean ?"
    moved = ("Version consolidée intégrant l'avenant no 1 du 3 mars 2014, qui reporte la fin de l'entente au 30 "
             "septembre 2015")
    signed = "Les parties ont signé la présente entente en deux exemplaires, à Saguenay, le 24 mai 2012"
    assert said_score("date", moved, side) > said_score("date", signed, side)
    # « le plus tard » asks the comparison: « au plus tard le 30 juin 2012 » is a deadline, not an end; asked when
    # something ended, a date said of another event (a signature, an adoption) is none of its values.
    assert said_score("date", "La CRÉ transmet son plan au plus tard le 30 juin 2012.", side) == 0
    assert said_score("date", signed, side) == 0
    closed = "Le deuxième appel de la Mauricie : lequel a fermé le premier ?"
    assert said_score("date", "Appel de projets — Adoption : « 2e appel 22 octobre 2013 »", closed) == 0
    assert said_score("date", "Le deuxième appel, ouvert le 6 mai 2013 et clos le 13 septembre 2013, a reçu 23 "
                              "projets.", closed) >= 1
    assert said_score("montant", "Le minibus est financé à 118 000 $ par le FQIS.",
                      "Des deux minibus, celui des Hautes-Laurentides, lequel a reçu le plus ?") == 1


CUISINE_QUESTION = ("Dans quelle cuisine collective la portion revient-elle le moins cher : celle de la citoyenne de "
                    "Shawinigan ou celles de L'Érable ?")
MEKINAC = Passage("m-1", "« Transport collectif solidaire Mékinac », places réservées aux personnes à faible revenu "
                  "dans le transport collectif rural : 94 800 $ (1er appel).", DocumentInfo(
                      "autres/proces-verbal-mauricie.md", "Procès-verbal du comité directeur, Mauricie",
                      doc_type="proces-verbal", regions=("Mauricie",), date="2013"), None, "", 0, 140)
SHAWINIGAN = Passage("s-1", "Elle participe à un groupe de cuisine collective de six femmes; chaque séance produit une "
                     "quarantaine de portions, pour un coût d'environ 1,60 $ la portion.", interview(
                         "entretiens/ent-mau-02-citoyenne-shawinigan.docx", "Notes d'entretien ENT-MAU-02 – Citoyenne, "
                         "Shawinigan", "Mauricie"), None, "", 0, 150)
ERABLE = Passage("e-1", "Les denrées sont payées par les participants, environ 1,50 $ la portion.", interview(
    "entretiens/ent-cdq-02-organisme-erable.docx", "Notes d'entretien ENT-CDQ-02 – Organisme, L'Érable",
    "Centre-du-Québec"), None, "", 0, 80)


def test_each_side_s_value_comes_from_a_unit_speaking_of_that_side_or_the_comparison_is_refused_naming_it() -> None:
    from assistant.answer.parts import unanswered_sides
    from assistant.answer.refusal import Moment, refusal_reason
    from assistant.models import Answer
    from assistant.settings import LLMSettings
    text = answer(CUISINE_QUESTION, [MEKINAC, SHAWINIGAN, ERABLE])
    assert "94 800 $" not in text
    assert text.endswith("Comparaison des valeurs citées : 1,60 $ [2], c'est plus que 1,50 $ [3].")
    # Without the Shawinigan interview, the Mékinac row (« collectif ») is no cuisine's price: nothing is shown, not
    # L'Érable's value alone, and the refusal names the side no sentence gives.
    assert answer(CUISINE_QUESTION, [MEKINAC, ERABLE]) == ""
    sources = [Source(1, MEKINAC), Source(2, ERABLE)]
    assert unanswered_sides(CUISINE_QUESTION, evidence_units(sources)) == ["celle de la citoyenne de Shawinigan"]
    reason = refusal_reason(Moment.AFTER_MODEL, Answer(CUISINE_QUESTION, "", sources), CUISINE_QUESTION,
                            LLMSettings())
    assert reason.startswith("« celle de la citoyenne de Shawinigan » : aucune phrase")
    # A side is named as the question writes it, from the colon or comma before it, not from where the sides differ.
    from assistant.answer.parts import side_subjects
    assert side_subjects(*compared_sides("Laquelle de ces deux ententes se termine le plus tard : celle de l'Estrie "
                                         "ou celle du Saguenay–Lac-Saint-Jean ?")) == (
        "celle de l'Estrie", "celle du Saguenay–Lac-Saint-Jean")
    assert side_subjects(*compared_sides("Entre l'entente de l'Estrie et celle du Saguenay–Lac-Saint-Jean, laquelle "
                                         "se termine le plus tard ?")) == (
        "l'entente de l'Estrie", "l'entente du Saguenay–Lac-Saint-Jean")


def test_two_subjects_whose_count_is_asked_of_each_are_each_asked_alone() -> None:
    question = ("La navette de la MRC de Joliette et le minibus des Hautes-Laurentides : combien de déplacements "
                "chacun a-t-il faits à ses débuts ?")
    assert compared_sides(question) == (
        "La navette de la MRC de Joliette : combien de déplacements chacun a-t-il faits à ses débuts ?",
        "Le minibus des Hautes-Laurentides : combien de déplacements chacun a-t-il faits à ses débuts ?")
    assert side_kind(question) == "chiffre"


def test_asked_which_call_closed_first_the_closing_dates_are_compared_not_the_openings() -> None:
    def minutes(region: str, text: str) -> Passage:
        return Passage(region[:2], text, DocumentInfo(f"autres/pv-{region.lower()}.md", f"Procès-verbal, {region}",
                                                      doc_type="proces-verbal", regions=(region,), date="2013"),
                       None, "", 0, len(text))
    question = "Le deuxième appel de projets du Centre-du-Québec et celui de la Mauricie : lequel a fermé le premier ?"
    text = answer(question, [
        minutes("Centre-du-Québec", "Au deuxième appel, fermé le 19 avril 2013, l'organisme a déposé un projet."),
        minutes("Mauricie", "Le deuxième appel, ouvert le 6 mai 2013 et clos le 13 septembre 2013, a reçu 23 projets.")])
    assert text.endswith("Comparaison des dates citées : le 19 avril 2013 [1] est avant le 13 septembre 2013 [2].")
