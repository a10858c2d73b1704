"""A researcher reads an answer made from the evidence: a figure comes from the one row and the one column asked,
with the row's label and the column's header; a synthesis gives several cited points; an English question gets
French units chosen by what it asks. Fast: no model, no index."""

from __future__ import annotations

from dataclasses import replace

from assistant.answer.constraints import conversation_constraints, missing_in, read_constraints
from assistant.answer.evidence import evidence_units, names_or_addresses_only
from assistant.answer.extractive import extractive_answer
from assistant.answer.language import question_language
from assistant.answer.refusal import missing_terms
from assistant.french import split_sentences
from assistant.models import DocumentInfo, Passage, Source
from assistant.passage_layout import repeated_runs, runs_in

REPORT = DocumentInfo("rapports/rapport.pdf", "Les Alliances pour la solidarité à l'épreuve du terrain",
                      doc_type="rapport", regions=("Lanaudière", "Mauricie", "Laurentides"), date="2014")
LAURENTIDES = DocumentInfo("rapports/rapport.pdf", "Rapport", doc_type="rapport", regions=("Laurentides",))
ANNEX = "Annexes — Annexe A – Montants des ententes des six régions étudiées"
# The annex's table as the page's text gives it, under a line of prose that ends its paragraph.
ANNEX_TEXT = ("Sommes prévues au FQIS pour chaque exercice financier, selon les ententes. Toutes les ententes du "
              "tableau prennent fin le 31\nmars 2015.\nRégion 2011-2012 2012-2013 2013-2014 2014-2015 Total\n"
              "Lanaudière 1 212 000 $ 1 812 000 $ 2 112 000 $ 2 112 000 $ 7 248 000 $\n"
              "Mauricie 860 000 $ 1 290 000 $ 1 505 000 $ 1 505 000 $ 5 160 000 $\n"
              "Total 4 952 000 $ 7 422 000 $ 8 657 000 $ 8 657 000 $ 29 688 000 $")
# The same table's Total row read as a table at ingestion: its text in the page, its cells under their headers.
TOTAL_ROW = Passage("r-t0061", "Total 4 952 000 $ 7 422 000 $ 8 657 000 $ 8 657 000 $ 29 688 000 $", REPORT, 53, "53",
                    0, 66, context="Région : Total — 2011-2012 : 4 952 000 $ — 2012-2013 : 7 422 000 $ — 2013-2014 : "
                                   "8 657 000 $ — 2014-2015 : 8 657 000 $ — Total : 29 688 000 $", section=ANNEX)
PAYMENTS_ROW = Passage("r-t0020", "2013-2014 1 890 000 $ 1 323 000 $ 567 000 $", LAURENTIDES, 27, "27", 0, 40,
                       context="Exercice : 2013-2014 — Montant FQIS : 1 890 000 $ — Versement initial (70 %) : "
                               "1 323 000 $ — Versement sur rapport annuel (30 %) : 567 000 $")


def answer(question: str, passages: list[Passage]) -> str:
    sources = [Source(number, passage) for number, passage in enumerate(passages, start=1)]
    return "".join(extractive_answer(question, sources, 3, 0.3, constraints=conversation_constraints(question, question),
                                     language=question_language(question)))


def test_the_total_for_one_year_is_the_cell_of_that_year_in_the_total_row() -> None:
    text = answer("Donne-moi le total des sommes prévues pour 2013-2014 dans les six régions de l'étude.",
                  [TOTAL_ROW])
    assert text == "Région : Total — 2013-2014 : 8 657 000 $ [1]."


def test_the_initial_payment_is_read_in_its_own_column_not_the_amount_of_the_year() -> None:
    text = answer("Dans les Laurentides, à combien s'élève le versement initial de 70 % pour 2013-2014 ?",
                  [PAYMENTS_ROW])
    assert "1 323 000 $" in text and "1 890 000" not in text and "567 000" not in text


def test_a_table_in_the_page_text_is_read_under_its_header_of_years_not_under_a_line_of_prose() -> None:
    annex = Passage("r-00132", ANNEX_TEXT, REPORT, 53, "53", 0, len(ANNEX_TEXT), section=ANNEX)
    units = evidence_units([Source(1, annex)])
    assert not any(unit.context.startswith("mars 2015") for unit in units)
    assert not any("Région 2011-2012" in unit.text for unit in units)  # the header is no row
    text = answer("Quel montant l'entente de la Mauricie prévoit-elle pour 2013-2014 ?", [annex])
    assert text.startswith("Région : Mauricie — 2013-2014 : 1 505 000 $ [1]")
    assert "860 000" not in text and "5 160 000" not in text


AGREEMENT = DocumentInfo("ententes/entente-mauricie.pdf", "Entente relative à l'Alliance pour la solidarité – Mauricie",
                         doc_type="entente", regions=("Mauricie",))
REPORTING = ("ATTENDU QUE la CRÉ a adopté en avril 2012 un plan de travail pour la mise en œuvre de l'Alliance, avec "
             "ses partenaires régionaux du réseau de la santé et des services d'emploi. 9.1 La CRÉ transmet à la "
             "ministre, au plus tard le 30 juin suivant chaque exercice, un rapport annuel d'activités : projets "
             "soutenus, sommes engagées et versées.")


def test_an_english_question_chooses_its_units_by_what_it_asks_and_quotes_them_in_french() -> None:
    passage = Passage("m9", REPORTING, AGREEMENT, 5, "5", 0, len(REPORTING))
    text = answer("By what date must the Mauricie CRÉ send its annual activity report to the minister?", [passage])
    assert text.startswith("The source gives 30 juin") and "rapport annuel d'activités" in text
    assert "avril 2012" not in text


MARKETS = ("Le porteur des Marchés solidaires de Matawinie a reçu 192 000 $ de l'enveloppe de la MRC pour le projet. "
           "Pour l'accueil au point d'arrêt, l'organisme touche 9 000 $ par année.")


def test_a_follow_up_is_answered_by_its_own_words_not_by_the_subject_of_the_previous_turn() -> None:
    note = DocumentInfo("entretiens/ent-lan-02.md", "Notes d'entretien ENT-LAN-02 – Organisme, Matawinie",
                        doc_type="entretien", regions=("Lanaudière",))
    sources = [Source(1, Passage("n3", MARKETS, note, None, "", 0, len(MARKETS)))]
    follow_up = "Et l'organisme qui fait l'accueil aux points d'arrêt, il en touche combien ?"
    previous = "Combien le projet des Marchés solidaires de Matawinie a-t-il reçu ?"
    asked = conversation_constraints(follow_up, f"{previous} {follow_up}")
    searched = f"{previous} 312 000 $ sur trois ans. {follow_up}"
    text = "".join(extractive_answer(searched, sources, 3, 0.3, constraints=asked, follow_up=follow_up))
    assert text.startswith("Pour l'accueil au point d'arrêt, l'organisme touche 9 000 $ par année [1].")


def test_a_follow_up_asking_a_fact_of_its_own_keeps_the_region_not_the_year_nor_the_item() -> None:
    first = "Combien la CRÉ de la Mauricie peut-elle consacrer à ses frais d'administration en 2013-2014 ?"
    own = "Et le comité directeur a demandé qu'on le monte à combien ?"
    asked = conversation_constraints(own, f"{first} {own}")
    assert asked.regions == ("Mauricie",) and asked.fiscal_years == () and asked.item is None
    elliptical = conversation_constraints("Et en Lanaudière ?", f"{first} Et en Lanaudière ?")
    assert elliptical.regions == ("Lanaudière",) and elliptical.fiscal_years == ("2013-2014",)
    assert elliptical.item is not None and elliptical.item.name == "frais d'administration"


def test_a_passage_of_the_report_is_about_the_region_its_chapter_names() -> None:
    row = Passage("r-t0021", "2013-2014 1 890 000 $ 1 323 000 $ 567 000 $", REPORT, 27, "27", 0, 40,
                  context=PAYMENTS_ROW.context, section="Chapitre 6 – Laurentides : partager entre la couronne sud "
                                                        "et le nord rural — Genèse et signature de l'Alliance")
    text = answer("Dans les Laurentides, à combien s'élève le versement initial de 70 % pour 2013-2014 ?", [row])
    assert text == "Exercice : 2013-2014 — Versement initial (70 %) : 1 323 000 $ [1]."


def test_a_figure_question_gets_one_figure_of_the_table_not_the_same_column_of_other_rows() -> None:
    lanaudiere = Passage("r-t0055", "Lanaudière 1 212 000 $ 1 812 000 $ 2 112 000 $ 2 112 000 $ 7 248 000 $", REPORT, 53,
                         "53", 0, 70, context="Région : Lanaudière — 2011-2012 : 1 212 000 $ — 2012-2013 : 1 812 000 $ "
                                              "— 2013-2014 : 2 112 000 $ — 2014-2015 : 2 112 000 $ — Total : 7 248 000 $",
                         section=ANNEX)
    text = answer("Donne-moi le total des sommes prévues pour 2013-2014 dans les six régions de l'étude.",
                  [TOTAL_ROW, lanaudiere])
    assert text == "Région : Total — 2013-2014 : 8 657 000 $ [1]."


METHOD = ("Les entretiens, d'une durée moyenne de 74 minutes (de 41 à 128 minutes), ont été menés en personne. "
          "Le rapport compte douze chapitres.")
MARKETS_STORY = ("Le projet phare, les Marchés solidaires de Matawinie, exploite un camion réfrigéré qui s'arrête aux "
                 "deux semaines dans une douzaine de municipalités. Le premier passage a eu lieu le 15 octobre 2012. "
                 "Le comité a été formé en mars 2012.")


def test_a_question_s_words_are_met_in_their_other_forms_and_question_words_count_for_nothing() -> None:
    # « duraient » and « durée » are one word to the reader; « combien » is no word the answer must repeat.
    text = answer("Les entretiens semi-dirigés duraient combien de temps en moyenne ?",
                  [Passage("m1", METHOD, REPORT, 7, "7", 0, len(METHOD))])
    assert "74 minutes" in text


def test_the_sentence_before_a_unit_names_its_subject() -> None:
    text = answer("C'est quand, le tout premier arrêt du camion des Marchés solidaires de Matawinie ?",
                  [Passage("l1", MARKETS_STORY, LAURENTIDES, None, "", 0, len(MARKETS_STORY))])
    assert text.startswith("Le premier passage a eu lieu le 15 octobre 2012")


CITIZEN = DocumentInfo("entretiens/ent-mau-02-citoyenne-shawinigan.txt",
                       "Entretien ENT-MAU-02 – citoyenne, Shawinigan", doc_type="entretien", regions=("Mauricie",))
HOUSING = ("Elle vit seule avec ses deux enfants depuis 2009. Elle occupe un quatre et demie chauffé à l'électricité. "
           "Le loyer est de 640 $ par mois, sans l'électricité.")


def test_the_document_s_title_names_the_subject_and_which_documents_to_read_counts_for_nothing() -> None:
    text = answer("Dans les entretiens menés en Mauricie, combien la citoyenne de Shawinigan paie-t-elle de loyer ?",
                  [Passage("c1", HOUSING, CITIZEN, None, "", 0, len(HOUSING))])
    assert text.startswith("Le loyer est de 640 $ par mois")


PRIORITY = ("L'Alliance bas-laurentienne retient l'occupation dynamique du territoire parmi ses quatre priorités. "
            "La priorité a été adoptée par le comité régional en 2012. Selon les documents de la CRÉ, 41 "
            "municipalités de la région figuraient parmi les municipalités dévitalisées, ce qui explique la priorité "
            "accordée à l'occupation du territoire.")


def test_a_question_asking_why_is_answered_by_the_sentence_giving_a_reason() -> None:
    text = answer("Pourquoi l'occupation du territoire est-elle une priorité de l'Alliance au Bas-Saint-Laurent ?",
                  [Passage("b1", PRIORITY, LAURENTIDES, 30, "30", 0, len(PRIORITY))])
    assert text.startswith("Selon les documents de la CRÉ, 41 municipalités")


# A table of the report as the page's text gives it, under the sentence that says what it counts and when.
COUNTS_TEXT = ("Le tableau suivant donne le nombre de projets soutenus au 31 mars 2014 par MRC, dont ceux issus de "
               "l'appel de démarrage.\nMRC ou volet Projets soutenus Dont démarrage 2012 Thème dominant\n"
               "Rimouski-Neigette 6 1 Sécurité alimentaire\nLa Matapédia 5 1 Sécurité alimentaire\n"
               "La Matanie 4 1 Insertion socioprofessionnelle")
BSL = DocumentInfo("rapports/rapport.pdf", "Rapport", doc_type="rapport", regions=("Bas-Saint-Laurent",),
                   date="2014-09-30")


def test_a_row_read_from_the_page_text_says_what_it_counts_with_its_tables_title() -> None:
    counts = Passage("r-00090", COUNTS_TEXT, BSL, 31, "31", 0, len(COUNTS_TEXT), section="Projets soutenus")
    rows = [unit for unit in evidence_units([Source(1, counts)]) if unit.kind == "row"]
    assert rows and all("au 31 mars 2014" in unit.before for unit in rows)  # the sentence before the table
    text = answer("Combien de projets la MRC de La Témiscouata comptait-elle au 31 mars 2014 ?", [counts])
    assert "La Matapédia" not in text  # another MRC's row is no answer
    text = answer("Combien de projets la MRC de La Matanie comptait-elle au 31 mars 2014 ?", [counts])
    assert text == ("MRC ou volet Projets soutenus Dont démarrage 2012 Thème dominant : « La Matanie 4 1 Insertion "
                    "socioprofessionnelle » [1].")


def test_a_cell_of_a_row_read_as_a_table_is_dated_by_its_tables_title() -> None:
    mauricie = Passage("r-t0090", "Mauricie 10 0 5 2 9 6 1 33", REPORT, 55, "55", 0, 26, section="Annexes",
                       context="Nombre de projets concertés soutenus au 31 mars 2014, classés selon la thématique.\n"
                               "Région : Mauricie — Sécurité alimentaire : 10 — Logement et itinérance : 0 — "
                               "Emploi et insertion : 9 — Total : 33")
    units = evidence_units([Source(1, mauricie)])
    assert all(unit.kind == "cell" and "31 mars 2014" in unit.before for unit in units)
    text = answer("Combien de projets en emploi et insertion la Mauricie soutenait-elle au 31 mars 2014 ?", [mauricie])
    assert text == "Région : Mauricie — Emploi et insertion : 9 [1]."


MINUTES = DocumentInfo("autres/proces-verbal.md", "Procès-verbal du Comité directeur", doc_type="proces-verbal",
                       regions=("Mauricie",))
MINUTES_TEXT = ("Le comité recommande les projets suivants :\n\n| Projet | Territoire | Montant |\n|---|---|---|\n"
                "| Jardins partagés du Cap | Trois-Rivières | 46 200 $ |\n"
                "| Covoiturage des Chenaux | Les Chenaux | 38 900 $ |")


def test_a_markdown_table_in_a_passage_is_read_under_its_header_line_not_under_its_rule() -> None:
    minutes = Passage("pv-00003", MINUTES_TEXT, MINUTES, None, "", 0, len(MINUTES_TEXT))
    units = evidence_units([Source(1, minutes)])
    assert not any("---" in unit.context or "|" in unit.text for unit in units)
    text = answer("Quel montant est recommandé pour le Covoiturage des Chenaux ?", [minutes])
    assert text == "Projet : Covoiturage des Chenaux — Montant : 38 900 $ [1]."


def test_a_column_dated_by_its_own_header_is_not_dated_by_the_tables_title() -> None:
    matanie = Passage("r-t0044", "La Matanie 4 1 Insertion socioprofessionnelle", BSL, 31, "31", 0, 44,
                      section="Projets soutenus",
                      context="Le tableau suivant donne le nombre de projets soutenus au 31 mars 2014 par MRC.\n"
                              "MRC ou volet : La Matanie — Projets soutenus : 4 — Dont démarrage 2012 : 1 — "
                              "Thème dominant : Insertion socioprofessionnelle")
    question = "Combien de projets la MRC de La Matanie comptait-elle au 31 mars 2014 ?"
    missing = {unit.text.split(" — ")[1]: missing_in(read_constraints(question), unit)
               for unit in evidence_units([Source(1, matanie)])}
    assert missing["Projets soutenus : 4"] == [] and missing["Dont démarrage 2012 : 1"] == ["2014"]
    assert answer(question, [matanie]) == "MRC ou volet : La Matanie — Projets soutenus : 4 [1]."


def test_a_date_printed_in_a_rows_column_header_is_in_the_passages_found() -> None:
    sept_rivieres = Passage("r-t0070", "Sept-Rivières 7", REPORT, 39, "39", 0, 15,
                            context="Territoire : Sept-Rivières — Projets soutenus (31 mars 2014) : 7")
    assert missing_terms("Combien de projets étaient soutenus à Sept-Rivières au 31 mars 2014 ?",
                         [Source(1, sept_rivieres)], "fr") == []


def test_a_chapter_named_by_the_question_is_met_by_the_section_its_passage_sits_in() -> None:
    row = Passage("r-t0042", "Laurentides Formule hybride", REPORT, 42, "42", 0, 27,
                  context="Région : Laurentides — Mode de répartition : Formule hybride",
                  section="Chapitre 10 – Analyse transversale")
    assert missing_terms("Quel mode de répartition le tableau du chapitre 10 attribue-t-il aux Laurentides ?",
                         [Source(1, row)], "fr") == []
    assert missing_terms("Quel mode de répartition le tableau du chapitre 11 attribue-t-il aux Laurentides ?",
                         [Source(1, row)], "fr") == ["11"]


def test_a_question_asking_two_things_is_answered_by_a_unit_for_each() -> None:
    question = ("Combien d'habitants compte Le Golfe-du-Saint-Laurent selon le portrait de 2012, et combien de projets "
                "de l'Alliance y étaient soutenus au 31 mars 2014 ?")
    portrait = DocumentInfo("autres/portrait.pdf", "Portrait de la Côte-Nord", regions=("Côte-Nord",), date="2012")
    people = "En 2012, Le Golfe-du-Saint-Laurent comptait environ 5 300 habitants répartis dans neuf localités."
    projects = ("Au 31 mars 2014, l'Alliance soutenait 1 projet dans Le Golfe-du-Saint-Laurent et 9 projets dans "
                "Sept-Rivières.")
    asked = conversation_constraints(question, question)
    assert [part.answer_kind for part in asked.alternatives] == ["nombre", "nombre"]
    sources = [Source(1, Passage("p1", people, portrait, 4, "4", 0, len(people))),
               Source(2, Passage("p2", projects, REPORT, 30, "30", 0, len(projects)))]
    text = "".join(extractive_answer(question, sources, 3, 0.3, constraints=asked))
    assert "5 300 habitants" in text and "1 projet dans Le Golfe-du-Saint-Laurent" in text
    assert text.index("5 300") < text.index("1 projet")  # in the order asked


def test_a_less_likely_unit_giving_another_date_is_not_shown_after_the_answer_but_one_repeating_it_is() -> None:
    question = "Quand la Table régionale des Laurentides a-t-elle adopté sa formule de répartition ?"
    adopted = "La Table régionale des Laurentides a adopté sa formule de répartition le 19 juin 2012."
    revised = Passage("r-p0031", f"{adopted} Cette formule adoptée par la Table régionale a été revue le 19 juin 2013 "
                      "pour la répartition.", LAURENTIDES, 31, "31", 0, 180)
    assert answer(question, [revised]) == f"{adopted[:-1]} [1]."
    repeated = Passage("r-p0031", f"{adopted} Cette formule adoptée le 19 juin 2012 par la Table régionale a été "
                       "revue en 2013 pour la répartition.", LAURENTIDES, 31, "31", 0, 180)
    text = answer(question, [repeated])
    assert text.startswith(adopted[:-1]) and "a été revue en 2013 pour la répartition [1]." in text


def test_the_first_instalment_is_the_payment_named_first_not_the_year_s_amount_nor_the_next_heading() -> None:
    text = ("6.1 La ministre verse à la CRÉ, à même le FQIS, une contribution maximale de 7 248 000 $, répartie "
            "comme suit :\nExercice financier Contribution du FQIS\n2011-2012 1 212 000 $\n2012-2013 1 812 000 $\n"
            "7.2 À titre d'exemple, pour l'exercice 2012-2013, le premier versement s'élève à 1 268 400 $ et le "
            "second à 543 600 $. 8. Frais d'administration")
    lanaudiere = DocumentInfo("ententes/entente-lanaudiere.pdf", "Entente – Lanaudière", doc_type="entente",
                              regions=("Lanaudière",))
    shown = answer("Pour 2012-2013, à combien se monte la première tranche versée à la CRÉ de Lanaudière ?",
                   [Passage("l1", text, lanaudiere, 4, "4", 0, len(text))])
    assert shown.startswith("7.2 À titre d'exemple, pour l'exercice 2012-2013, le premier versement s'élève à "
                            "1 268 400 $ et le second à 543 600 $ [1].")
    assert "1 812 000" not in shown and "Frais d'administration" not in shown


def test_a_reason_given_by_a_participle_answers_why() -> None:
    text = ("L'entente de l'Alliance du Saguenay a été prolongée d'un an par l'avenant no 1, signé à Saguenay en "
            "mars 2014. Les premiers appels de projets n'ayant pu être lancés qu'en juin 2013, l'entente de l'Alliance "
            "du Saguenay a été prolongée d'un an.")
    shown = answer("Pourquoi l'entente de l'Alliance du Saguenay a-t-elle été prolongée ?",
                   [Passage("s1", text, LAURENTIDES, 3, "3", 0, len(text))])
    assert shown.startswith("Les premiers appels de projets n'ayant pu être lancés")


def test_why_is_answered_by_the_reason_not_by_the_fact_told_again() -> None:
    text = ("Logis-Relais Laurentides offre 16 places d'hébergement de transition à Saint-Jérôme. Les premiers "
            "résidents de Logis-Relais sont entrés le 1er juillet 2013. « On a ouvert le jour du déménagement, parce "
            "que c'est le jour où le monde se retrouve à la rue. »")
    shown = answer("Pourquoi Logis-Relais a-t-il accueilli ses premiers résidents le 1er juillet ?",
                   [Passage("l1", text, LAURENTIDES, None, "", 0, len(text))])
    assert "parce que c'est le jour où le monde se retrouve à la rue" in split_sentences(shown)[0]
    assert "sont entrés le 1er juillet 2013" not in shown


def test_a_cited_sentence_ends_at_its_marker_even_when_the_next_starts_with_an_article_number() -> None:
    shown = ("Exercice : 2012-2013 — Contribution du FQIS : 1 200 000 $ [1]. 7.2 À titre d'exemple, le premier "
             "versement s'élève à 840 000 $ [2]. 8.1 La CRÉ peut affecter au plus 24 000 $ [2].")
    assert split_sentences(shown) == ["Exercice : 2012-2013 — Contribution du FQIS : 1 200 000 $ [1].",
                                      "7.2 À titre d'exemple, le premier versement s'élève à 840 000 $ [2].",
                                      "8.1 La CRÉ peut affecter au plus 24 000 $ [2]."]
    assert split_sentences("Voir l'art. 7.2 de l'entente. Rien d'autre.") == ["Voir l'art. 7.2 de l'entente.",
                                                                               "Rien d'autre."]
    assert split_sentences("La CRÉ, représentée par M. Denis Ouellet, président [1].") == [
        "La CRÉ, représentée par M. Denis Ouellet, président [1]."]  # an initial ends no sentence


def test_a_question_asking_two_amounts_of_the_same_place_gets_two_units() -> None:
    text = ("La navette de Joliette a reçu 94 000 $ du FQIS pour deux ans (2013-2014 et 2014-2015). Le maire rappelle "
            "que l'enveloppe 2011-2015 de la MRC de Joliette est de 878 200 $.")
    shown = answer("Combien la navette de Joliette a-t-elle reçu du FQIS, et quelle est l'enveloppe 2011-2015 de la "
                   "MRC de Joliette ?", [Passage("j1", text, REPORT, 19, "19", 0, len(text))])
    assert "94 000 $" in shown and "878 200 $" in shown


def test_a_fear_is_a_reason() -> None:
    text = ("La citoyenne n'a pas voulu qu'on enregistre son entretien, comme trois autres participants. Elle a dit "
            "non par crainte que sa voix soit reconnue dans une petite ville.")
    shown = answer("Pourquoi la citoyenne n'a-t-elle pas voulu qu'on enregistre son entretien ?",
                   [Passage("c1", text, LAURENTIDES, None, "", 0, len(text))])
    assert split_sentences(shown)[0].startswith("Elle a dit non par crainte")


CARD_NOTE = ("Code : ENT-CNO-03\nDate : le 20 février 2014, de 18 h 45 à 19 h 40\nLieu : local d'un organisme de "
             "Sept-Îles\nDurée : 55 minutes\n\nElle travaille environ 25 heures par semaine comme caissière, au "
             "salaire minimum.")
TENANT = DocumentInfo("entretiens/ent-cno-03.md", "Entretien avec une citoyenne de Sept-Îles", doc_type="entretien",
                      regions=("Côte-Nord",), date="2014-02-20")


def test_an_interviews_record_card_answers_about_the_interview_not_about_what_was_said() -> None:
    card = [Passage("n1", CARD_NOTE, TENANT, None, "", 0, len(CARD_NOTE))]
    worked = answer("Combien de temps par semaine la locataire de Sept-Îles passe-t-elle derrière le tiroir-caisse ?",
                    card)
    assert worked.startswith("Elle travaille environ 25 heures par semaine")
    assert "Durée : 55 minutes" in answer("Combien de temps a duré l'entretien avec la citoyenne de Sept-Îles ?", card)


def test_a_quotation_closes_with_its_sentence_and_the_next_one_starts_clean() -> None:
    text = ("Il mentionne les Marchés solidaires : « Ça, c'est le genre de chose qu'une MRC seule n'aurait jamais pu "
            "porter. » Pour le deuxième appel, il a examiné quatre dossiers comportant un volet emploi.")
    shown = answer("Combien de dossiers a-t-il examinés pour le deuxième appel ?",
                   [Passage("q1", text, LAURENTIDES, None, "", 0, len(text))])
    assert shown.startswith("Pour le deuxième appel, il a examiné quatre dossiers")


def test_a_table_s_header_line_read_from_the_page_is_no_answer_beside_its_cells() -> None:
    page = ("À Sept-Îles, le taux d'inoccupation est tombé à 0,6 %.\n"
            "Ville Ménages > 30 % du revenu au logement Inoccupation (oct. 2012)\n\nFermont 9,4 % 0,0 % n.d. "
            "(logements d'entreprise) À Sept-Îles, les refuges débordent.")
    prose = Passage("p-p0009", page, REPORT, 9, "9", 0, len(page))
    row = Passage("p-t0003", "Fermont 9,4 % 0,0 %", REPORT, 9, "9", 0, 19,
                  context="Ville : Fermont — Ménages > 30 % du revenu au logement : 9,4 % — Inoccupation (oct. 2012) : "
                          "0,0 %")
    units = evidence_units([Source(1, prose), Source(2, row)])
    assert not any(unit.text.startswith("Ville Ménages") for unit in units)
    assert answer("À Fermont, quel était le taux d'inoccupation des logements en octobre 2012 ?", [prose, row]) \
        == "Ville : Fermont — Inoccupation (oct. 2012) : 0,0 % [2]."


def test_a_sentence_cut_by_its_passage_s_end_is_not_shown_without_its_figure() -> None:
    cut = "6.2 La CRÉ reçoit deux versements. 7.2 À titre d'exemple, pour l'exercice 2012-2013, le premier versement " \
          "s'élève à"
    whole = "l'article 9. 7.2 À titre d'exemple, pour l'exercice 2012-2013, le premier versement s'élève à 630 000 $ " \
            "et le second à 270 000 $."
    centre = DocumentInfo("ententes/entente-centre-du-quebec.pdf", "Entente – Centre-du-Québec", doc_type="entente",
                          regions=("Centre-du-Québec",))
    shown = answer("Quelle tranche la CRÉ du Centre-du-Québec touche-t-elle en début d'exercice pour 2012-2013 ?",
                   [Passage("c1", cut, centre, 4, "4", 0, len(cut)),
                    Passage("c2", whole, centre, 4, "4", 80, 80 + len(whole))])
    assert shown.startswith("7.2 À titre d'exemple, pour l'exercice 2012-2013, le premier versement s'élève à "
                            "630 000 $ et le second à 270 000 $ [2].")


def test_a_unit_the_layout_ran_into_two_sentences_is_cited_after_each() -> None:
    text = "Bibliographie\n\nISBN 978-2-550-58856-6. Ministère de l'Emploi et de la Solidarité sociale (2011)."
    shown = answer("Quel numéro ISBN la bibliographie donne-t-elle ?", [Passage("b1", text, REPORT, 58, "58", 0,
                                                                                len(text))])
    assert shown == "ISBN 978-2-550-58856-6 [1]. Ministère de l'Emploi et de la Solidarité sociale (2011) [1]."
    assert [sentence for sentence in split_sentences(shown)] == ["ISBN 978-2-550-58856-6 [1].",
                                                                 "Ministère de l'Emploi et de la Solidarité sociale "
                                                                 "(2011) [1]."]


def test_a_page_s_running_footer_is_no_sentence_of_an_answer() -> None:
    text = "Le service fonctionne sur réservation, au moins 24 heures à l'avance.\nPage 2 de 2"
    shown = answer("Combien de temps d'avance faut-il réserver le transport ?",
                   [Passage("f1", text, REPORT, 2, "2", 0, len(text))])
    assert shown == "Le service fonctionne sur réservation, au moins 24 heures à l'avance [1]."


def test_a_signature_line_ending_its_passage_is_a_whole_line_not_a_cut_sentence() -> None:
    text = ("Signé à Sherbrooke.\n\n(signé) Marie-Claude Lavoie, sous-ministre adjointe\n\n(signé) Bernard Fontaine, "
            "président")
    estrie = DocumentInfo("ententes/entente-estrie.docx", "Entente – Estrie", doc_type="entente", regions=("Estrie",))
    shown = answer("Qui a signé l'entente de l'Estrie pour la CRÉ, à titre de président ?",
                   [Passage("e1", text, estrie, 5, "5", 0, len(text))])
    assert "Bernard Fontaine, président [1]." in shown


def test_a_sentence_cut_after_its_figure_on_a_word_that_needs_more_is_not_shown_even_across_line_breaks() -> None:
    """The rest of the sentence is shown from the next passage, which starts mid-sentence."""
    cut = ("4.2 Un appel de démarrage, ouvert du 16 janvier au 24\nfévrier 2012, a permis de retenir six projets, pour "
           "un total de 318 000 $, dont")
    # The next passage starts mid-sentence: shown as it starts, its citation is checked on its own.
    whole = ("février 2012, a permis de retenir six projets, pour un total de 318 000 $, dont\nles conventions ont été "
             "signées avant le 31 mars 2012.")
    shown = answer("Quel montant total l'appel de démarrage a-t-il permis de retenir ?",
                   [Passage("r1", cut, REPORT, 21, "21", 0, len(cut)),
                    Passage("r2", whole, REPORT, 21, "21", 60, 60 + len(whole))])
    assert "dont [" not in shown and "318 000 $, dont les conventions ont été signées avant le 31 mars 2012 [2]" in shown


def test_a_title_line_in_capitals_is_no_sentence_of_an_answer() -> None:
    text = ("NOTES D'ENTRETIEN ENT-MAU-02 - CITOYENNE, SHAWINIGAN\n\nElle aimerait suivre une formation en "
            "secrétariat médical à Shawinigan.")
    shown = answer("Quelle formation la citoyenne de Shawinigan aimerait-elle suivre ?",
                   [Passage("m1", text, REPORT, None, "", 0, len(text))])
    assert shown == "Elle aimerait suivre une formation en secrétariat médical à Shawinigan [1]."


def test_an_interview_s_record_card_read_as_lines_apart_answers_only_questions_about_the_interview() -> None:
    erable = DocumentInfo("entretiens/ent-cdq-02.docx", "Entretien avec la coordonnatrice d'un comptoir alimentaire",
                          doc_type="entretien", regions=("Centre-du-Québec",))
    card = "ENT-CDQ-02\nle 15 janvier 2014\nRépondante E, coordonnatrice d'un comptoir alimentaire de la MRC de L'Érable"
    text = ("Élément | Détail\n\nCode | ENT-CDQ-02\n\nDate | le 15 janvier 2014\n\nParticipante | Répondante E, "
            "coordonnatrice d'un comptoir alimentaire de la MRC de L'Érable\n\nParcours\n\nLa coordonnatrice du "
            "comptoir demande un financement à la mission pour l'avenir du comptoir de L'Érable.")
    passage = Passage("e1", text, erable, None, "", 0, len(text), card=card)
    shown = answer("Que demande la coordonnatrice du comptoir de L'Érable pour l'avenir ?", [passage])
    assert "Répondante E" not in shown and "financement à la mission" in shown
    asked_date = answer("À quelle date l'entretien avec la coordonnatrice du comptoir a-t-il eu lieu ?", [passage])
    assert "15 janvier 2014" in asked_date


def test_a_sentence_cut_after_the_answer_is_shown_up_to_its_last_whole_clause() -> None:
    text = ("Les documents du Comité de pilotage régional indiquent qu'environ un ménage à faible revenu sur quatre ne\n"
            "possédait pas de voiture, une proportion qui a fait du transport la")
    centre = DocumentInfo("rapports/rapport.pdf", "Rapport", doc_type="rapport", regions=("Centre-du-Québec",))
    shown = answer("Au Centre-du-Québec, quelle part des ménages à faible revenu n'avait pas de voiture ?",
                   [Passage("c1", text, centre, 30, "30", 0, len(text))])
    assert shown == ("Les documents du Comité de pilotage régional indiquent qu'environ un ménage à faible revenu sur "
                     "quatre ne possédait pas de voiture … [1].")


def test_a_sentence_cut_on_comme_or_soit_is_shown_up_to_its_last_whole_clause_not_dangling() -> None:
    """« …, comme » and « …, soit » announce what the next passage holds: the sentence is cut there too (gold-12 m052)."""
    report = DocumentInfo("rapports/rapport.pdf", "Rapport", doc_type="rapport", regions=("Bas-Saint-Laurent",))
    for word in ("comme", "soit"):
        text = ("Les commissions scolaires se sont engagées dans les comités locaux du Bas-Saint-Laurent, surtout là où "
                f"la réussite éducative était une priorité explicite, {word}")
        shown = answer("Au Bas-Saint-Laurent, où les commissions scolaires se sont-elles engagées dans les comités locaux ?",
                       [Passage("b1", text, report, 12, "12", 0, len(text))])
        assert not shown.rstrip(" .[1]").endswith(word)
        assert shown.startswith("Les commissions scolaires se sont engagées") and "… [1]." in shown


def test_a_record_card_lends_a_unit_the_names_the_question_pins_not_its_date_nor_its_other_words() -> None:
    organiser = DocumentInfo("entretiens/ent-cno-01.md", "Entretien avec une organisatrice communautaire",
                             doc_type="entretien", regions=("Côte-Nord",), date="2014-02-18")
    card = "ENT-CNO-01\nle 18 février 2014\nsalle de réunion du CSSS de Sept-Îles\norganisatrice communautaire du CSSS"
    text = "## Engagement\n\nSon CSSS lui libère deux jours par semaine pour l'Alliance, sans compensation."
    passage = Passage("o1", text, organiser, None, "", 0, len(text), card=card)
    asked = "Combien de jours par semaine la caissière rencontrée en février 2014 travaille-t-elle ?"
    assert answer(asked, [passage]) == ""
    assert "deux jours par semaine" in answer("À Sept-Îles, combien de temps par semaine le CSSS libère-t-il pour "
                                              "l'Alliance ?", [passage])


# The report's table of the Mauricie's calls as the page's text gives it (rows under a header line).
CALLS_TEXT = ("Le tableau suivant donne, pour chaque volet, les engagements au 31 mars 2014.\n"
              "Appel de projets Adoption Projets retenus Montant engagé\n"
              "1er appel 11 décembre 2012 17 2 734 300 $\n2e appel 22 octobre 2013 9 612 400 $\n"
              "Petites initiatives citoyennes engagées à chaque réunion 7 84 600 $\nTotal 33 3 431 300 $")


def test_a_whole_asked_is_answered_by_the_table_s_total_not_by_one_of_its_rows() -> None:
    calls = Passage("r-00090", CALLS_TEXT, REPORT, 23, "23", 0, len(CALLS_TEXT), section="Chapitre 5 – Mauricie")
    text = answer("Au 31 mars 2014, combien la Mauricie avait-elle engagé en tout, tous volets confondus ?", [calls])
    assert "3 431 300 $" in text and "84 600" not in text
    # Without « en tout », a row that answers better comes first.
    assert "84 600 $" in answer("Combien la Mauricie a-t-elle engagé en petites initiatives citoyennes ?", [calls])


def test_over_all_the_years_the_total_row_s_total_column_answers_and_a_year_s_own_sentence_does_not() -> None:
    sheet = DocumentInfo("autres/fiche.pdf", "Fiche de projet – Solidarité Transport", doc_type="fiche",
                         regions=("Centre-du-Québec",))
    budget = Passage("f-t0003", "Total 89 800 $ 119 400 $ 120 200 $ 329 400 $", sheet, 2, "2", 0, 44,
                     context="Source : Total — 2012-2013 : 89 800 $ — 2013-2014 : 119 400 $ — 2014-2015 : "
                             "120 200 $ — Total : 329 400 $")
    sentence = Passage("f-00004", "Pour l'exercice 2013-2014, Solidarité Transport coûte en tout 119 400 $.", sheet, 2,
                       "2", 0, 71)
    text = answer("Combien coûte en tout Solidarité Transport sur ses trois exercices, toutes sources confondues ?",
                  [sentence, budget])
    assert text == "Source : Total — Total : 329 400 $ [2]."


def test_markdown_s_bold_marks_are_not_shown() -> None:
    minutes = DocumentInfo("autres/pv.md", "Procès-verbal du comité directeur", doc_type="proces-verbal",
                           regions=("Mauricie",))
    text = "**Résolution CD-2013-10-05** : sur proposition de Luc Trudel, le comité demande un avenant."
    shown = answer("Qui a proposé la résolution CD-2013-10-05 du comité directeur ?",
                   [Passage("p1", text, minutes, None, "", 0, len(text))])
    assert shown.startswith("Résolution CD-2013-10-05 : sur proposition de Luc Trudel") and "*" not in shown


def test_a_table_s_caption_is_no_answer() -> None:
    text = ("Le tableau suivant donne le nombre de projets soutenus au 31 mars 2014 par MRC, dont ceux issus de "
            "l'appel de démarrage. Les projets retenus à l'appel de démarrage ont commencé en septembre 2012.")
    shown = answer("Quand les projets de l'appel de démarrage ont-ils commencé ?",
                   [Passage("r1", text, REPORT, 31, "31", 0, len(text))])
    assert shown.startswith("Les projets retenus à l'appel de démarrage ont commencé en septembre 2012 [1]")
    assert "tableau" not in shown
    caption = text.split(". ")[0] + "."
    assert answer("Quand les projets de l'appel de démarrage ont-ils été soutenus ?",
                  [Passage("r1", caption, REPORT, 31, "31", 0, len(caption))]) == ""


def test_a_sentence_announcing_a_list_is_no_answer_but_one_giving_a_figure_before_it_is() -> None:
    agreement = DocumentInfo("ententes/entente-bsl.pdf", "Entente – Bas-Saint-Laurent", doc_type="entente",
                             regions=("Bas-Saint-Laurent",))
    text = "2. Définitions Dans la présente entente, on entend par :"
    assert answer("Avec qui les projets doivent-ils être conçus, selon l'entente du Bas-Saint-Laurent ?",
                  [Passage("e1", text, agreement, 2, "2", 0, len(text))]) == ""
    total = "6.1 La ministre verse à la CRÉ une contribution maximale de 4 320 000 $, répartie comme suit :"
    assert "4 320 000 $" in answer("Quelle est la contribution maximale de l'entente du Bas-Saint-Laurent ?",
                                   [Passage("e2", total, agreement, 4, "4", 0, len(total))])


def test_avec_qui_asks_for_a_body_or_a_person_by_name() -> None:
    assert read_constraints("Avec qui les projets doivent-ils être conçus, selon l'entente ?").answer_kind == "nom"


def test_what_forced_someone_asks_a_reason() -> None:
    interview = DocumentInfo("entretiens/ent-cno-03.md", "Entretien – citoyenne, Sept-Îles", doc_type="entretien",
                             regions=("Côte-Nord",))
    text = ("Elle a laissé tomber son cours de bureau en 2013 et travaille toujours comme caissière. "
            "Elle y a renoncé à l'automne, faute de gardienne.")
    shown = answer("Qu'est-ce qui a forcé la caissière à laisser tomber son cours de bureau en 2013 ?",
                   [Passage("c1", text, interview, None, "", 0, len(text))])
    assert shown.startswith("Elle y a renoncé à l'automne, faute de gardienne [1]")


def test_a_section_title_glued_before_a_sentence_is_not_shown() -> None:
    text = "Chapitre 3 – Méthodologie Nous avons retenu une stratégie d'étude de cas multiples, chaque région un cas."
    method = Passage("r-00030", text, REPORT, 15, "15", 0, len(text), section="Chapitre 3 – Méthodologie")
    shown = answer("Quelle stratégie de recherche l'équipe a-t-elle retenue pour son étude de cas ?", [method])
    assert shown.startswith("Nous avons retenu une stratégie d'étude de cas multiples")


def test_in_a_table_of_regions_a_whole_is_its_total_row_and_the_column_the_question_names() -> None:
    # The report's table of projects by region and theme, as its cells are indexed (one passage a row).
    header = "Région : {} — Emploi et insertion : {} — Transport et mobilité : {} — Total : {}"
    rows = [("Lanaudière", 8, 11, 41), ("Mauricie", 9, 6, 33), ("Total", 52, 36, 207)]
    passages = [Passage(f"r-t{i}", f"{name} {jobs} {moves} {total}", REPORT, 40, "40", 0, 20,
                        context="Nombre de projets soutenus par région et par thème\n"
                                + header.format(name, jobs, moves, total)) for i, (name, jobs, moves, total)
                in enumerate(rows)]
    text = answer("Tous territoires confondus, combien de projets de transport et mobilité les six Alliances "
                  "soutenaient-elles ?", passages)
    assert text.startswith("Région : Total — Transport et mobilité : 36")
    assert answer("Combien de projets les six Alliances soutenaient-elles en tout ?", passages).startswith(
        "Région : Total — Total : 207")


def test_a_heading_line_inside_a_passage_is_not_shown_with_the_sentence_after_it() -> None:
    text = ("la chercheuse principale.\nÉthique et protection des personnes\nLe projet a reçu l'approbation du "
            "comité d'éthique de la recherche\nle 28 août 2013. Toutes les personnes ont signé un formulaire.")
    method = Passage("r-00036", text, REPORT, 16, "16", 0, len(text), section="Chapitre 3 – Méthodologie")
    shown = answer("Quand le projet a-t-il reçu l'approbation du comité d'éthique de la recherche ?", [method])
    assert shown.startswith("Le projet a reçu l'approbation") and "28 août 2013" in shown


def _territory_rows(rows: list[tuple[str, str, str]]) -> list[Passage]:
    """A portrait's table of a region's territories, one passage a row as indexed (the region's row last)."""
    portrait = DocumentInfo("autres/portrait.pdf", "Portrait de la pauvreté – Côte-Nord", doc_type="portrait",
                            regions=("Côte-Nord",))
    return [Passage(f"p-t{i:04d}", f"{name} {rate} {people}", portrait, 2, "2", 0, 30,
                    context=f"Territoire de MRC : {name} — Taux de faible revenu : {rate} — Personnes à faible "
                            f"revenu : {people}")
            for i, (name, rate, people) in enumerate(rows, start=1)]


def test_a_superlative_is_the_extreme_row_of_the_column_asked_not_the_regions_whole() -> None:
    rows = _territory_rows([("La Haute-Côte-Nord", "15,8 %", "1 770"), ("Sept-Rivières", "11,3 %", "4 140"),
                            ("Le Golfe-du-Saint-Laurent", "19,7 %", "1 040"), ("Côte-Nord", "12,4 %", "11 870")])
    highest = answer("Quel territoire de la Côte-Nord a le taux de faible revenu le plus élevé ?", rows)
    assert highest.startswith("Territoire de MRC : Le Golfe-du-Saint-Laurent — Taux de faible revenu : 19,7 %")
    most = answer("Quel territoire de la Côte-Nord compte le plus de personnes à faible revenu ?", rows)
    assert most.startswith("Territoire de MRC : Sept-Rivières — Personnes à faible revenu : 4 140")
    lowest = answer("Quel territoire de la Côte-Nord a le taux de faible revenu le plus bas ?", rows)
    assert lowest.startswith("Territoire de MRC : Sept-Rivières — Taux de faible revenu : 11,3 %")
    # One row alone is compared with nothing: no extreme shown.
    assert "15,8 %" not in answer("Quel territoire de la Côte-Nord a le taux de faible revenu le plus élevé ?",
                                  rows[:1])


def test_a_page_heading_is_neither_glued_to_the_sentence_after_it_nor_lends_it_the_paragraph_before() -> None:
    text = ("Un troisième appel a été lancé le\n14 avril 2014 pour les sommes de 2014-2015, après la période "
            "d'observation.\nProjets soutenus\nLe projet le plus cité est celui des Cuisines collectives, à La "
            "Tuque, qui a reçu 148 500 $ lors du premier appel.")
    page = Passage("r-mau", text, REPORT, 23, "23", 0, len(text), section="Chapitre 5 – Mauricie")
    cited, = (unit for unit in evidence_units([Source(1, page)]) if "148 500 $" in unit.text and unit.kind == "sentence")
    assert cited.text.startswith("Le projet le plus cité") and cited.heading == "Projets soutenus"
    asked = read_constraints("Quel montant la Mauricie a-t-elle engagé pour les petites initiatives en 2014-2015 ?")
    assert "2014-2015" in missing_in(asked, cited)


def test_who_said_a_quotation_stays_with_it_and_is_never_a_unit_of_its_own() -> None:
    text = ("Ailleurs, les citoyens rencontrés décrivent une participation consultative, tardive ou intimidante.\n"
            "« On est invités pour témoigner, pas pour décider. Quand on parle, tout le\nmonde écoute, mais quand "
            "vient le temps de voter sur les projets, on n'est\nplus dans la salle. » (citoyenne, groupe de "
            "discussion, Laurentides)\nLes six cas se rattachent à trois modèles.")
    units = [unit.text for unit in evidence_units([Source(1, Passage("p", text, REPORT, 31, "31", 0, len(text)))])]
    assert ("Quand on parle, tout le monde écoute, mais quand vient le temps de voter sur les projets, on n'est plus "
            "dans la salle. » (citoyenne, groupe de discussion, Laurentides)") in units
    assert "Les six cas se rattachent à trois modèles." in units
    assert not any(unit.startswith("(") for unit in units)


INTERVIEWS_ANNEX_TEXT = (
    "Annexe C – Entretiens réalisés par région et par type\nd'acteur\nEntretiens semi-dirigés menés entre "
    "septembre 2013 et février 2014.\nRégion Élus municipaux Organismes communautaires Réseau de la santé "
    "Services d'emploi Officiers municipaux Citoyens CRÉ et coordination Total\n"
    "Lanaudière 3 5 2 2 2 1 2 17\nMauricie 2 4 2 2 2 2 2 16\nCôte-Nord 2 4 3 1 2 1 2 15\n"
    "Total 15 26 13 10 11 7 12 94\n")


def test_a_header_line_of_column_names_gives_each_figure_of_a_row_its_column() -> None:
    annex = Passage("r-00560", INTERVIEWS_ANNEX_TEXT, REPORT, 56, "56", 0, len(INTERVIEWS_ANNEX_TEXT),
                    section="Annexes")
    cells = {unit.text for unit in evidence_units([Source(1, annex)]) if unit.kind == "cell"}
    assert {"Région : Mauricie — Citoyens : 2", "Région : Côte-Nord — Réseau de la santé : 3",
            "Région : Total — CRÉ et coordination : 12"} <= cells
    assert answer("Combien d'entretiens avec des citoyens ont été menés en Mauricie ?", [annex]) == (
        "Région : Mauricie — Citoyens : 2 [1].")
    # A caption of capitalised words is no header of two columns.
    caption = "Formule entre six MRC\nvolet régional de 20 %\nvolet local de 80 %\n"
    formula = Passage("r-00570", caption, REPORT, 57, "57", 0, len(caption))
    assert not [unit for unit in evidence_units([Source(1, formula)]) if unit.kind == "cell"]
    # A long line whose names do not fall one to each figure of the first row is no header: « Territoire de MRC »
    # reads as two names, five for a row of three figures (the portrait's table, whose cells its index gives).
    portrait = ("Territoire de MRC Taux de faible revenu Personnes à faible revenu Ménages à l'aide de dernier recours\n"
                "La Haute-Côte-Nord 15,8 % 1 770 9,6 %\nManicouagan 11,9 % 3 790 7,2 %\n")
    rows = [unit for unit in evidence_units([Source(1, Passage("p-2", portrait, REPORT, 2, "2", 0, len(portrait)))])
            if unit.kind in ("row", "cell")]
    assert rows and not any("Taux de faible revenu" in unit.context or "Taux de faible revenu" in unit.text
                            for unit in rows)


DISCLAIMER = "Document d'exemple fictif, produit pour démontrer l'assistant Solidarité RAG."
TEMPLATE = "Exercice financier : la période du 1er avril au 31 mars suivant."


def furnished(passages: list[Passage]) -> list[Passage]:
    """The passages as the retriever gives them: each with the furniture runs of their index (these passages)."""
    repeated = repeated_runs(passages)
    return [replace(passage, furniture=runs_in(passage.text, repeated)) for passage in passages]


def test_a_disclaimer_most_documents_repeat_is_no_answer_but_a_template_s_clause_is() -> None:
    kinds = ("entretien", "entretien", "entente", "entente", "rapport")
    documents = [DocumentInfo(f"d{i}.md", f"Document {i}", doc_type=kind) for i, kind in enumerate(kinds)]
    texts = [f"{DISCLAIMER}\n\nLa locataire reproche au propriétaire le bruit des travaux de l'immeuble.",
             f"{DISCLAIMER}\n\nLe maire trouve que le transport rural reste le premier besoin.",
             f"{DISCLAIMER}\n\n{TEMPLATE}", f"{DISCLAIMER}\n\n{TEMPLATE}", f"{DISCLAIMER}\n\nLe rapport conclut."]
    passages = furnished([Passage(f"p{i}", text, info, None, "", 0, len(text))
                          for i, (text, info) in enumerate(zip(texts, documents))])
    units = [unit.text for unit in evidence_units([Source(1, passage) for passage in passages])]
    assert not any("exemple fictif" in unit for unit in units)
    assert units.count(TEMPLATE) == 2  # two agreements share it: a template's clause, no furniture
    said = answer("Qu'est-ce que la locataire reproche au propriétaire de l'immeuble ?", passages[:1])
    assert "fictif" not in said and "bruit des travaux" in said


def test_a_document_s_printed_title_line_is_its_heading_not_an_answer() -> None:
    text = ("Notes d'entretien ENT-CDQ-02 – Organisme communautaire, MRC de L'Érable\n\n"
            "La répondante appuie ses propos sur les bilans annuels de l'organisme.")
    info = DocumentInfo("entretiens/ent-cdq-02.docx", "Entretien avec la coordonnatrice", doc_type="entretien",
                        code="ENT-CDQ-02")
    units = evidence_units([Source(1, Passage("t0", text, info, None, "", 0, len(text)))])
    assert [unit.text for unit in units] == ["La répondante appuie ses propos sur les bilans annuels de l'organisme."]
    assert units[0].heading.startswith("Notes d'entretien ENT-CDQ-02")
    later = evidence_units([Source(1, Passage("t1", text, info, None, "", 120, 120 + len(text)))])
    assert len(later) == 2  # not at the document's start: a line like any other


def test_an_address_block_or_an_author_line_answers_only_a_question_asking_who_or_where() -> None:
    agreement = DocumentInfo("ententes/entente-centre-du-quebec.pdf", "Entente relative à l'Alliance – Centre-du-Québec",
                             doc_type="entente", regions=("Centre-du-Québec",))
    notices = ("pour la CRÉ : Karine Desrochers, agente de coordination de l'Alliance, CRÉ du Centre-du-Québec, "
               "2550, boulevard Mercure, bureau 105, Drummondville (Québec) J2B 3M6.")
    said = "L'agente de coordination de l'Alliance rencontre chaque organisme du Centre-du-Québec avant le dépôt de son projet."
    interview = DocumentInfo("entretiens/ent-cdq-03.md", "Entretien, services d'emploi, Drummondville",
                             doc_type="entretien", regions=("Centre-du-Québec",))
    passages = [Passage("a0", notices, agreement, 5, "5", 40, 40 + len(notices)),
                Passage("i0", said, interview, None, "", 300, 300 + len(said))]
    how = answer("Comment l'agente de coordination de la CRÉ du Centre-du-Québec accompagne-t-elle les organismes ?",
                 passages)
    assert how == f"{said[:-1]} [2]."
    assert "2550, boulevard Mercure" in answer("Où se trouve le bureau de l'agente de coordination de l'Alliance du "
                                                "Centre-du-Québec ?", passages)
    assert "Karine Desrochers" in answer("Qui coordonne l'Alliance du Centre-du-Québec ?", passages[:1])
    report = replace(REPORT, authors=("Laboratoire d'études sur la solidarité régionale (LESR)",))
    page = "Laboratoire d'études sur la solidarité régionale (LESR)\n\nLe rapport ne mesure pas les effets des Alliances."
    author, said = evidence_units([Source(1, Passage("r0", page, report, 2, "2", 400, 400 + len(page)))])
    assert names_or_addresses_only(author) and not names_or_addresses_only(said)
    report = replace(REPORT, authors=("Laboratoire d'études sur la solidarité régionale (LESR)",))
    page = ("Laboratoire d'études sur la solidarité régionale (LESR)\n\nLe rapport ne mesure pas les effets des "
            "Alliances sur la pauvreté.")
    title_page = [Passage("r0", page, report, 2, "2", 0, len(page))]
    assert "Laboratoire" not in answer("Le rapport du LESR mesure-t-il les effets des Alliances ?", title_page)
