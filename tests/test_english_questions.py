"""A researcher asks in English: the question pins down its year, region, day, item and names as a French one
does, is searched with its terms in French, and gets an English sentence leading with the figure, date or person
asked, copied from the French unit it quotes — or a refusal when only another project's figure is found. Fast: no
chat model, no index (the search is a stand-in where the service is asked)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from assistant.answer.bilingual import cognates, english_names, french_terms, searched
from assistant.answer.constraints import (EvidenceUnit, asked_roles, conversation_constraints, missing_in,
                                          read_constraints)
from assistant.answer.extractive import asked_values, english_sentence, extractive_answer
from assistant.answer.refusal import missing_terms
from assistant.french import content_stems
from assistant.index.embeddings import E5Embeddings
from assistant.models import DocumentInfo, Passage, PassageScores, Source
from assistant.service import Assistant
from assistant.settings import LLMSettings, Settings

INTERVIEW = DocumentInfo("entretiens/ent-lan-03.docx", "Entretien avec un organisateur communautaire, MRC de D'Autray",
                         doc_type="entretien", regions=("Lanaudière",), date="2013-11-20")
BREAKFASTS = ("Le projet principal du territoire est Déjeuners pour apprendre D'Autray, qui offre déjeuners et "
              "collations dans sept écoles primaires en collaboration avec la commission scolaire. En 2012-2013, 640 "
              "enfants en ont bénéficié chaque jour de classe. Le projet a reçu 67 800 $ du FQIS pour deux ans.")
NORTH_SHORE = DocumentInfo("ententes/entente-cote-nord.pdf", "Entente relative à l'Alliance pour la solidarité – "
                           "Côte-Nord", doc_type="entente", regions=("Côte-Nord",), date="2012-06-13")
SIGNATURES = ("Pour la ministre de l'Emploi et de la Solidarité sociale : (signé) Marie-Claude Lavoie, sous-ministre "
              "adjointe. Pour la CRÉ de la Côte-Nord : (signé) Marcel Tremblay, président.")


def source(text: str, info: DocumentInfo = INTERVIEW, number: int = 1) -> Source:
    return Source(number, Passage(f"p{number}", text, info, None, "", 0, len(text)))


def answer(question: str, sources: list[Source]) -> str:
    return "".join(extractive_answer(question, sources, 3, 0.3, constraints=read_constraints(question),
                                     language="en"))


def test_an_english_question_pins_its_region_in_english_spelling_its_fiscal_year_and_the_amount_asked() -> None:
    asked = read_constraints("How much does the FQIS contribute to the Lower St. Lawrence Alliance for 2013-2014?")
    assert asked.regions == ("Bas-Saint-Laurent",) and asked.fiscal_years == ("2013-2014",)
    assert asked.answer_kind == "montant"
    assert read_constraints("Who signed the North Shore agreement on behalf of the CRÉ?").regions == ("Côte-Nord",)


def test_an_english_date_is_the_day_a_unit_must_give_and_the_first_question_word_says_what_is_asked() -> None:
    asked = read_constraints("Who chaired the Mauricie steering committee meeting held on October 22, 2013?")
    assert asked.answer_kind == "personne" and asked.years == ("2013",) and "22 octobre" in asked.names
    assert read_constraints("Who chaired the Outaouais CRÉ when its agreement was signed?").answer_kind == "personne"
    assert read_constraints("By what date must the CRÉ send its annual report?").answer_kind == "date"
    assert read_constraints("Under the North Shore agreement, how much is the first payment for 2012-2013?").item.name \
        == "versement"


def test_the_names_of_an_english_question_are_pinned_its_english_words_are_not() -> None:
    assert read_constraints("How much did the FQIS grant to the Accorderie in Matane?").names == ("Accorderie",
                                                                                                    "Matane")
    assert read_constraints("Which Indigenous communities have seats on the Côte-Nord committee?").names == ()
    assert set(english_names("What is the cap on the North Shore CRÉ's administration costs?").values()) == {"CRÉ"}


def test_another_project_s_amount_never_answers_an_english_question_about_a_project_it_does_not_name() -> None:
    other = source("Le projet des Marchés solidaires de Matawinie a reçu 312 000 $ du FQIS sur trois ans.")
    asked = "How much FQIS money did the Paniers nordiques project receive?"
    assert answer(asked, [other]) == ""
    own = source("G. suit de près Paniers nordiques, le projet phare de 174 000 $ du FQIS.", number=2)
    assert answer(asked, [other, own]).startswith(
        "The source gives 174 000 $ (original wording: « G. suit de près Paniers nordiques")


def test_an_english_question_finds_its_unit_when_each_of_its_terms_has_one_french_word_there() -> None:
    text = answer("How much FQIS funding did the school breakfast project in the MRC de D'Autray receive?",
                  [source(BREAKFASTS)])
    assert text == ("The source gives 67 800 $ (original wording: « Le projet a reçu 67 800 $ du FQIS pour deux ans. »)"
                    " [1].")


def test_the_english_frame_leads_with_the_person_asked_not_a_place_nor_a_street() -> None:
    unit = EvidenceUnit(source(SIGNATURES, NORTH_SHORE), "Pour la CRÉ de la Côte-Nord : (signé) Marcel Tremblay, "
                                                          "président.")
    question = "Who signed the North Shore agreement on behalf of the CRÉ?"
    assert english_sentence(question, unit, read_constraints(question)).startswith(
        "The source gives Marcel Tremblay (original wording:")
    contact = ("pour la CRÉ : Julie Provencher, agente de coordination de l'Alliance, CRÉ de l'Estrie, 1650, rue King "
               "Ouest, bureau 220, Sherbrooke (Québec) J1J 2C3.")
    assert asked_values("personne", contact, "Who is the Alliance contact at the Estrie CRÉ?") == ["Julie Provencher"]


def test_a_figure_of_the_english_frame_is_whole_never_a_piece_of_an_address_or_a_code() -> None:
    address = ("Direction régionale, 1180, rue Bersimis, 2e étage, Saguenay (Québec) G7K 1A5; le forum a réuni 250 "
               "participants")
    assert asked_values("nombre", address, "How many people attended?") == ["1180", "250"]
    assert asked_values("chiffre", "un littoral de quelque 1 100 km et 95 600 habitants", "How long is the coast?") \
        == ["1 100 km", "95 600"]


def test_an_english_question_is_searched_with_its_terms_in_french_a_french_one_as_it_is() -> None:
    query = searched("Who signed the North Shore agreement?")
    assert query.startswith("Who signed the North Shore agreement?") and "Côte-Nord" in query and "signature" in query
    assert searched("Qui a signé l'entente de la Côte-Nord ?") == "Qui a signé l'entente de la Côte-Nord ?"


def test_an_english_question_s_possessive_and_english_words_are_no_missing_name() -> None:
    table = source("8.1 La CRÉ peut affecter à ses frais d'administration au plus 2 % du montant de chaque exercice, "
                   "soit au plus 9 600 $ en 2011-2012, 14 400 $ en 2012-2013.", NORTH_SHORE)
    assert missing_terms("What is the cap on the North Shore CRÉ's administration costs for 2012-2013?", [table],
                         "en") == []


def test_an_english_follow_up_replaces_the_region_in_english_spelling_and_keeps_the_year() -> None:
    first = "How much does the Mauricie agreement provide for 2013-2014?"
    asked = conversation_constraints("And in the Laurentians?", f"{first} And in the Laurentians?")
    assert asked.regions == ("Laurentides",) and asked.fiscal_years == ("2013-2014",)
    following = conversation_constraints("And the next year?", f"{first} And the next year?")
    assert following.regions == ("Mauricie",) and following.fiscal_years == ("2014-2015",)


PAYMENTS = ("7.2 À titre d'exemple, pour l'exercice 2012-2013, le premier versement s'élève à 504 000 $ et le second "
            "à 216 000 $.")
COORDINATION = ("Les régions ont réservé à la coordination des montants très variables, de 198 000 $ au "
                "Centre-du-Québec à 543 040 $ dans Lanaudière (coordination et évaluation).")
CAP = ("La CRÉ peut affecter à ses frais d'administration au plus 2 % du montant de chaque exercice, soit au plus "
       "18 400 $ en 2011-2012, 27 600 $ en 2012-2013 et 32 200 $ pour chacun des exercices 2013-2014 et 2014-2015.")
DIPLOMAS = ("Près de 28 % des adultes de 25 à 64 ans de la région n'ont aucun diplôme, une proportion qui dépasse 40 % "
            "en Basse-Côte-Nord.")
FORMULA = ("Au moins 80 % du solde est réparti en six enveloppes territoriales : 50 % au prorata de la population à "
           "faible revenu, 30 % au prorata de la population totale et 20 % à parts égales.")


@pytest.mark.parametrize(("text", "question", "lead"), [
    (PAYMENTS, "Under the North Shore agreement, how much is the first payment for 2012-2013?", "504 000 $"),
    (PAYMENTS, "Under the North Shore agreement, how much is the second payment for 2012-2013?", "216 000 $"),
    (COORDINATION, "In Lanaudière, how much was set aside for regional coordination and evaluation?", "543 040 $"),
    (CAP, "What was the administration cap for 2012-2013?", "27 600 $"),
    # Nothing ties one of several figures to what is asked (the region asked is no part of another place's name):
    # no figure is put forward, the quote answers alone.
    (DIPLOMAS, "According to the 2012 North Shore profile, what share of adults aged 25 to 64 have no diploma?", ""),
    (FORMULA, "What share of the balance goes to the six territorial envelopes by population?", ""),
])
def test_the_english_frame_leads_with_the_figure_given_for_the_region_year_or_rank_asked_or_with_none(
        text: str, question: str, lead: str) -> None:
    framed = english_sentence(question, EvidenceUnit(source(text, NORTH_SHORE), text), read_constraints(question))
    assert framed.startswith(f"The source gives {lead} (original wording:" if lead else
                             f"The source says (original wording: « {text[:20]}")


def test_the_english_frame_leads_with_the_figure_of_the_project_named_not_of_the_one_before_it() -> None:
    row = ("Centre-du-Québec Solidarité Transport Centre-du-Québec (transport à la demande) MRC de L'Érable 236 000 $ "
           "Côte-Nord Paniers nordiques (achats groupés d'aliments) Sept-Îles et Baie-Comeau 174 000 $")
    question = "How much money does the Paniers nordiques project receive?"
    text = english_sentence(question, EvidenceUnit(source(row), row), read_constraints(question))
    assert text.startswith("The source gives 174 000 $ (original wording:")


SEPT_ILES = DocumentInfo("entretiens/ent-cno-03.md", "Entretien avec une citoyenne de Sept-Îles", doc_type="entretien",
                         regions=("Côte-Nord",), date="2014-02-20")
CASHIER = ("J. a deux enfants de 8 et 13 ans. Elle travaille environ 25 heures par semaine comme caissière dans un "
           "commerce de détail, au salaire minimum de 10,15 $ l'heure, surtout le soir et la fin de semaine.")
BASKETS = ("À Sept-Îles, la distribution a commencé en mars 2013 : un panier hebdomadaire de fruits et légumes frais, "
           "remis le jeudi, au prix de 12 $ pour une valeur en épicerie d'environ 25 $.")


def test_an_english_question_asking_what_wage_asks_an_amount_and_gets_the_cashier_s_wage_alone() -> None:
    question = "What hourly wage does the single mother from Sept-Îles earn as a cashier?"
    assert read_constraints(question).answer_kind == "montant"
    text = answer(question, [source(BASKETS, SEPT_ILES), source(CASHIER, SEPT_ILES, number=2)])
    assert text.startswith("The source gives 10,15 $ (original wording: « Elle travaille environ 25 heures")
    assert text.count("[") == 1  # one sentence answers: the basket's price is not shown beside it


def test_the_head_of_what_an_english_question_asks_says_the_kind_whatever_stands_before_it() -> None:
    assert read_constraints("What is the Côte-Nord agreement's FQIS contribution for 2011-2012?").answer_kind \
        == "montant"
    assert read_constraints("Which minister signed the agreement?").answer_kind == "personne"
    assert read_constraints("What are the four priorities of the Laurentides Alliance?").answer_kind == ""


def test_an_english_count_counts_the_last_noun_of_its_phrase_in_french() -> None:
    site = ("Elle mentionne aussi le Chantier-école du Kamouraska, à La Pocatière : à l'été 2013, huit stagiaires ont "
            "rénové les logements de 11 propriétaires âgés à faible revenu.")
    question = ("How many rural elderly homeowners had their homes fixed up by the Kamouraska work-training site in "
                "summer 2013?")
    assert answer(question, [source(site)]).startswith("The source gives 11 propriétaires (original wording:")
    assert "personnes" in read_constraints("How many people live in the Manicouagan MRC?").asked.split()[:3]
    # A noun the lexicon does not know is counted by no French word: the count is not checked against one.
    assert "combien de" not in read_constraints("How many gizmos were bought?").asked
    # Nor by the French terms read after it (« how many séance… » would count sessions).
    kitchen = ("Entretien dans la cuisine de l'organisme, pendant la préparation d'une séance de cuisine collective, ce "
               "qui a causé deux interruptions.")
    asked = read_constraints("How many interruptions did the collective-kitchen session cause?")
    assert not missing_in(asked, EvidenceUnit(source(kitchen), kitchen))


def test_an_english_ordinal_ranks_the_series_of_its_noun() -> None:
    question = "How much is the first instalment for 2012-2013 under the Laurentides agreement?"
    ordinal = read_constraints(question).ordinal
    assert ordinal is not None and ordinal.rank == 1 and ordinal.written == "premier versement"
    assert read_constraints("Which projects were funded in the second call for projects?").ordinal.rank == 2


def test_an_english_why_question_is_answered_by_the_sentence_that_gives_the_reasons() -> None:
    drummond = DocumentInfo("entretiens/ent-cdq-03.md", "Entretien – services d'emploi, Drummondville",
                            doc_type="entretien", regions=("Centre-du-Québec",))
    complaint = ("« On avait des offres d'emploi à Drummondville que nos clients refusaient : le quart de soir "
                 "finissait après le dernier autobus et ils n'avaient pas d'auto. »")
    letter = ("La lettre de refus, datée du 4 juillet 2013, invoque deux motifs : un risque de substitution et "
              "« l'atteinte de l'équilibre territorial ».")
    text = answer("Why was the Drummondville night-shift shuttle turned down?",
                  [source(complaint, drummond), source(letter, drummond, number=2)])
    assert text.startswith("The source says (original wording: « La lettre de refus")


def test_a_table_row_s_figures_run_together_are_quoted_not_led_with() -> None:
    row = EvidenceUnit(source("2e appel 22 octobre 2013 9 612 400 $"), "2e appel 22 octobre 2013 9 612 400 $",
                       "Appel de projets Adoption Projets retenus Montant engagé", "row")
    question = "What total amount was committed in the second call for projects?"
    assert english_sentence(question, row, read_constraints(question)).startswith("The source says (original wording:")


def test_who_chaired_the_steering_committee_is_the_person_named_chair_not_the_secretary_beside_him() -> None:
    question = "Who chaired the Mauricie steering committee meeting held on October 22, 2013?"
    assert [label for label, _ in asked_roles(read_constraints(question).asked)] == ["présidence"]
    signatures = "Claude Grenier, président — Patrick Bellemare, secrétaire"
    assert english_sentence(question, EvidenceUnit(source(signatures), signatures), read_constraints(question)) \
        .startswith("The source gives Claude Grenier (original wording:")


def test_the_english_frame_leads_with_the_count_given_for_the_mrc_named_not_the_region_s_total() -> None:
    split = ("Au 31 mars 2014, les 29 projets se répartissaient ainsi selon le territoire du promoteur : 9 dans "
             "Drummond, 8 dans Arthabaska, puis 4 dans chacune des MRC de Bécancour, de Nicolet-Yamaska et de "
             "L'Érable.")
    question = "How many supported projects did the MRC de Nicolet-Yamaska have when its mayor was interviewed?"
    assert english_sentence(question, EvidenceUnit(source(split), split), read_constraints(question)).startswith(
        "The source gives 4 (original wording:")


def test_an_english_acronym_in_english_word_order_is_the_french_body_not_a_name_the_passages_must_hold() -> None:
    question = "How many days a week does the Joliette RCM solidarity shuttle run?"
    assert read_constraints(question).names == ("Joliette",)
    assert "MRC" in searched(question)
    shuttle = source("La MRC de Joliette a lancé une navette solidaire qui relie cinq municipalités à Joliette.")
    assert missing_terms(question, [shuttle], "en") == []


def test_a_month_of_four_letters_is_read_as_a_month_not_as_the_year() -> None:
    terms = french_terms("Under the Laurentides formula adopted in June 2012, what equal share did each get?")
    assert "juin 2012" in terms and "June" not in terms


def test_the_kind_asked_is_read_from_the_question_s_structure() -> None:
    assert read_constraints("In Lanaudière, how much was set aside for coordination?").answer_kind == "montant"
    assert read_constraints("How much does the health network put into the shuttle?").answer_kind == "montant"
    assert read_constraints("How much time did the committee need?").answer_kind != "montant"
    assert read_constraints("In which month did the team do its fieldwork in Estrie?").answer_kind == "date"
    assert conversation_constraints("What population does the report estimate for Estrie?",
                                    "What population does the report estimate for Estrie?").described() \
        .startswith("nombre d'habitants")


def test_the_measure_an_english_question_names_must_be_the_one_the_evidence_gives() -> None:
    question = "What is the unemployment rate in the RCM that includes Baie-Comeau, according to the 2012 portrait?"
    assert "quel taux de chômage" in read_constraints(question).asked
    vacancy = source("Ville : Baie-Comeau — Inoccupation (oct. 2012) : 1,8 %")
    assert answer(question, [vacancy]) == ""


def test_words_the_lexicon_lacks_count_when_the_passages_share_them_as_cognates() -> None:
    resolution = ("Sur proposition de Josée Pellerin, appuyée par Annie Gauthier, le comité adopte les résultats du "
                  "deuxième appel de projets.")
    found = cognates("Who seconded the resolution adopting the results of the second call?",
                     content_stems(resolution)).split()
    assert {"adopt", "resultat"} <= set(found)
    assert cognates("Who seconded the resolution adopting the results of the second call?", set()) == ""


def test_an_english_count_leads_with_the_count_of_what_is_asked_never_a_price() -> None:
    shuttle = ("Un minibus relie cinq municipalités rurales au centre-ville de Joliette trois jours par semaine, au "
               "tarif de 3 $ le trajet.")
    question = "How many days a week does the Joliette RCM solidarity shuttle run?"
    assert english_sentence(question, EvidenceUnit(source(shuttle), shuttle), read_constraints(question)).startswith(
        "The source gives trois jours (original wording:")


def test_an_english_question_also_reads_the_passages_bm25_finds_for_its_french_terms(
        settings: Settings, e5: E5Embeddings, monkeypatch: pytest.MonkeyPatch) -> None:
    found = PassageScores(fused=0.5, dense=0.85, lexical=12.0)
    reserve = replace(source("Lanaudière a prévu une réserve de 543 040 $ pour la coordination régionale et "
                             "l'évaluation.", number=2), scores=found)
    envelope = replace(source("La taille des enveloppes varie de 2 880 000 $ en Côte-Nord à 7 248 000 $ dans "
                              "Lanaudière."), scores=found)
    searched_for: list[tuple[str, str | None]] = []

    def search(query: str, filters: object = None, *, mode: str | None = None, **_: object) -> list[Source]:
        searched_for.append((query, mode))
        return [reserve] if mode == "lexical" else [envelope]

    assistant = Assistant(settings.model_copy(update={"llm": LLMSettings(answer_from="evidence")}), embeddings=e5)
    monkeypatch.setattr(assistant, "search", search)
    question = "In Lanaudière, how much was set aside for regional coordination and evaluation?"
    *_, final = assistant.stream(question)
    assert (french_terms(question), "lexical") in searched_for
    assert final.text.startswith("The source gives 543 040 $")


def test_a_question_word_of_a_later_clause_does_not_say_what_is_asked() -> None:
    # « when it started » tells when the loan was made: the question asks a thing, as « Qu'est-ce que… à ses débuts ? »
    assert read_constraints("What did the Antoine-Labelle RCM lend the solidarity minibus when it started?") \
        .answer_kind == ""
    seat = ("Il représente la MRC d'Antoine-Labelle à la Table régionale de solidarité des Laurentides depuis sa "
            "première réunion, en mars 2012.")
    question = "What did the Antoine-Labelle RCM lend the solidarity minibus when it started?"
    assert english_sentence(question, EvidenceUnit(source(seat), seat), read_constraints(question)).startswith(
        "The source says (original wording:")  # no year led with as if a date were asked
    assert read_constraints("When did the Antoine-Labelle RCM lend a driver?").answer_kind == "date"
    assert read_constraints("According to the minutes of October 22, 2013, what total amount do the projects add up "
                            "to?").answer_kind == "montant"


def test_how_often_asks_a_frequency_and_is_answered_by_the_sentence_that_says_how_often() -> None:
    question = "How often does the Joliette mayor report to the RCM's council of mayors?"
    assert read_constraints(question).answer_kind == "frequence"  # not a figure: « à chaque séance » says it
    report = "Il fait rapport au conseil des maires à chaque séance qui suit une réunion du CRSA."
    joliette = DocumentInfo("entretiens/ent-lan-01.md", "Entretien – élu municipal, MRC de Joliette",
                            doc_type="entretien", regions=("Lanaudière",))
    assert "à chaque séance qui suit une réunion du CRSA" in answer(question, [source(report, joliette)])


def test_a_hyphenated_word_that_starts_a_term_is_read_with_the_term() -> None:
    assert "comité de suivi" in french_terms("How many times did the research follow-up committee meet?")


def test_an_inflected_word_is_read_as_its_term_a_longer_word_of_the_same_stem_is_not() -> None:
    assert "travail" in french_terms("Since what year has the Rimouski-Neigette officer worked for the RCM?").split()
    assert "organisme" not in french_terms("Who is the community organizer of D'Autray?").split()
    assert "année" not in french_terms("How much does a yearly membership in the Rimouski Accorderie cost?").split()


def test_an_english_term_with_several_french_words_counts_once_when_the_unit_gives_one_of_them() -> None:
    # « year » is « année exercice », « community » « communautaire communauté », « worked » « travail emploi »: a
    # sentence gives one word of each, and shares as much of the question as the French question's would.
    organizer = "Il est organisateur communautaire depuis 1997, d'abord au CLSC, puis au CSSS depuis la fusion de 2004."
    text = answer("Since what year has the D'Autray health-network interviewee worked as a community organizer?",
                  [source(organizer)])
    assert text.startswith("The source gives 1997") and "« Il est organisateur communautaire" in text


def test_since_what_year_leads_with_the_year_the_unit_gives_after_depuis_alone() -> None:
    organizer = "Il est organisateur communautaire depuis 1997, d'abord au CLSC, puis au CSSS depuis la fusion de 2004."
    question = "Since what year has the D'Autray interviewee been a community organizer?"
    assert english_sentence(question, EvidenceUnit(source(organizer), organizer), read_constraints(question)) \
        .startswith("The source gives 1997 (original wording:")
