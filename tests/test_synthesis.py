"""A researcher asks for the gist (« Quelles difficultés… ? », « Qu'est-ce que le rapport retient sur… ? »): the
answer is two to four points, each a sentence of the corpus copied word for word and cited — not a heading, not a
quotation from an interview, not a sentence of another document when the question names the report."""

from __future__ import annotations

from dataclasses import replace

import pytest

from assistant.answer.constraints import read_constraints
from assistant.answer.extractive import extractive_answer
from assistant.answer.evidence import evidence_units
from assistant.answer.synthesis import about_itself, asked_interview, chapter_region, is_synthesis, names_theme
from assistant.models import DocumentInfo, Passage, Source
from assistant.service import Assistant
from assistant.settings import LLMSettings, Settings
from tests.conftest import write_note

REPORT = DocumentInfo("rapports/rapport.pdf", "Les Alliances pour la solidarité à l'épreuve du terrain",
                      doc_type="rapport", regions=("Côte-Nord", "Mauricie"), date="2014")
INTERVIEW = DocumentInfo("entretiens/ent-cno-02.md", "Notes d'entretien ENT-CNO-02 – Officier municipal, Baie-Comeau",
                         doc_type="entretien", regions=("Côte-Nord",))
NORTH_SHORE = "Chapitre 9 – Côte-Nord : concerter sur 1 100 km avec des partenaires innus"
# The page as the PDF gives it: a quotation ends the section before, the next section's title stands on its own
# line, two findings follow, then another quotation.
DIFFICULTIES = (
    "« Le fonds de déplacement, c'est ce qui a rendu la concertation\npossible. » (réseau de la santé, Côte-Nord, "
    "ENT-CNO-01)\nDifficultés et tensions\nLa distance a d'abord pesé sur le calendrier : les MRC de l'est ont "
    "déposé\nmoins de demandes au premier appel, d'où la création du dépôt en continu. La coexistence\ndes "
    "financements a aussi semé la confusion : il a fallu plusieurs mois pour établir que les\nprojets conjoints "
    "devaient compléter, et non remplacer, cette voie.\n« Avec Pessamit, on a appris que le projet devait être le "
    "leur aussi. » (officier\nmunicipal, Côte-Nord, ENT-CNO-02)")


def answer(question: str, passages: list[Passage]) -> str:
    sources = [Source(number, passage) for number, passage in enumerate(passages, start=1)]
    return "".join(extractive_answer(question, sources, 3, 0.3, constraints=read_constraints(question)))


@pytest.mark.parametrize("question", [
    "Quelles tensions entre acteurs le rapport relève-t-il ?",
    "Quels sont les principaux constats du rapport ?",
    "Qu'est-ce que le rapport retient sur la participation des citoyens ?",
    "Qu’est-ce que l’étude conclut sur le rôle des municipalités ?",
    "Que retient le rapport du cas de la Mauricie ?",
    "Quels problèmes le calendrier des versements a-t-il causés ?",
    "Quels désaccords l'Alliance de Lanaudière a-t-elle connus ?",
    "What does the report conclude about the governance models?",
    "What are the main challenges of the North Shore Alliance?",
    "Qu'est-ce qui freine le travail des organismes de Sept-Îles ?",
    "De quoi les promoteurs de Lanaudière se plaignent-ils ?",
    "Que révèle le cas de la Mauricie, selon le rapport ?",
    "Quelles conceptions de la participation le rapport décrit-il ?",
    "Quelles précautions l'équipe de recherche a-t-elle prises pour protéger les personnes ?",
    "Quels gains l'organisme reconnaît-il dans ses relations avec les partenaires ?",
    "Selon l'agent, comment les rapports entre élus et organismes ont-ils évolué ?",
    "Comment le comité s'y est-il pris pour éviter les doublons ?",
])
def test_a_question_asking_for_the_gist_is_a_synthesis_however_it_is_worded(question: str) -> None:
    assert is_synthesis(question)


@pytest.mark.parametrize("question", [
    "Quel montant l'entente de la Mauricie prévoit-elle pour 2013-2014 ?",
    "Qui préside la CRÉ de la Côte-Nord ?",
    "Combien de projets l'Alliance de Lanaudière soutenait-elle en 2014 ?",
    "When was the Mauricie agreement signed?",
    "Dans l'entente nord-côtière, qu'est-ce qui compte comme frais d'éloignement ?",
    "Dans le rapport de 2014, dans quelles régions des organismes ont-ils dû emprunter sur une marge de crédit ?",
    "Comment s'appelle le projet de la Matawinie ?",
    "Comment le montant a-t-il été versé ?",
])
def test_a_question_asking_one_fact_is_no_synthesis(question: str) -> None:
    assert not is_synthesis(question)


def test_each_finding_of_a_difficulties_section_is_a_point_without_its_heading_or_the_quotations() -> None:
    passage = Passage("r-40", DIFFICULTIES, REPORT, 40, "40", 0, len(DIFFICULTIES),
                      section=f"{NORTH_SHORE} — Mobilisation des acteurs")
    text = answer("Quelles difficultés l'Alliance de la Côte-Nord a-t-elle rencontrées ?", [passage])
    assert text.startswith("La distance a d'abord pesé sur le calendrier")  # « Difficultés et tensions » left out
    assert "La coexistence des financements a aussi semé la confusion" in text
    assert text.count("[1]") == 2
    assert "«" not in text and "ENT-CNO" not in text  # the interviews' quotations are no points


def test_a_question_naming_the_report_takes_its_points_from_the_report() -> None:
    said = ("La principale difficulté qu'il a rencontrée en Côte-Nord est la reddition de comptes, trop lourde pour "
            "les petits organismes de Baie-Comeau.")
    interview = Passage("e-2", said, INTERVIEW, None, "", 0, len(said), section="Difficultés")
    passage = Passage("r-40", DIFFICULTIES, REPORT, 40, "40", 0, len(DIFFICULTIES),
                      section=f"{NORTH_SHORE} — Mobilisation des acteurs")
    text = answer("Quelles difficultés le rapport relève-t-il en Côte-Nord ?", [interview, passage])
    assert "[2]" in text and "[1]" not in text


@pytest.fixture
def narrow(settings: Settings, e5) -> Assistant:
    """The tiny corpus indexed, one passage shown for a question of one fact, four for a synthesis question."""
    retrieval = settings.retrieval.model_copy(update={"top_k": 1, "max_per_document": 1, "wide_top_k": 1,
                                                      "wide_per_document": 1, "synthesis_top_k": 4,
                                                      "synthesis_per_document": 4})
    assistant = Assistant(settings.model_copy(update={"retrieval": retrieval,
                                                      "llm": LLMSettings(answer_from="evidence")}), embeddings=e5)
    assistant.index()
    return assistant


def test_a_synthesis_question_is_searched_wider_than_a_question_of_one_fact(narrow: Assistant) -> None:
    gist = narrow.ask("Quelles difficultés la répondante de Matawinie relève-t-elle ?")
    fact = narrow.ask("Quand le camion des Marchés solidaires a-t-il fait sa première tournée ?")
    assert len(fact.sources) == 1
    assert len(gist.sources) > 1


def test_a_finding_wrapped_before_its_year_is_shown_whole() -> None:
    text = ("Difficultés et tensions\nDes personnes en situation de pauvreté ont par ailleurs déploré de ne pas avoir "
            "été invitées aux rencontres des comités locaux avant\n2013. La formule égalitaire a aussi suscité des "
            "réserves à Rimouski.")
    passage = Passage("r-32", text, REPORT, 32, "32", 0, len(text), section="Chapitre 7 – Bas-Saint-Laurent")
    shown = answer("Quelles difficultés le rapport relève-t-il au Bas-Saint-Laurent ?", [passage])
    assert "comités locaux avant 2013 [1]." in shown


def test_the_items_of_an_interviews_list_are_points_though_they_go_on_its_introduction() -> None:
    text = ("Difficultés\nIl relève trois difficultés :\n- le décalage des calendriers : les municipalités adoptent "
            "leur budget en décembre, alors que les appels de projets suivent l'année financière.\n- le mode de "
            "versement, qui oblige les petits organismes à avancer les salaires de l'été.")
    interview = DocumentInfo("entretiens/ent-lan-01.md", "Notes d'entretien ENT-LAN-01 – Élu municipal, MRC de Joliette",
                             doc_type="entretien", regions=("Lanaudière",))
    passage = Passage("e-1", text, interview, None, "", 0, len(text), section="Difficultés")
    shown = answer("Quelles difficultés le maire délégué de la MRC de Joliette relève-t-il ?", [passage])
    assert "le décalage des calendriers" in shown and "le mode de versement" in shown


def test_what_the_report_says_of_its_own_plan_is_no_point() -> None:
    plan = ("Elle s'intéresse plutôt à ce qui s'est passé entre la signature d'une entente et la réalisation des "
            "projets : qui s'est mobilisé, comment les sommes ont été réparties.")
    finding = ("La tension la plus fréquente oppose des organismes communautaires, qui réclament un financement "
               "stable, à des élus qui privilégient des projets nouveaux.")
    passages = [Passage("r-7", plan, REPORT, 7, "7", 0, len(plan),
                        section="Chapitre 1 – Introduction — L'objet de l'étude"),
                Passage("r-46", finding, REPORT, 46, "46", 0, len(finding),
                        section="Chapitre 10 – Analyse transversale — Les tensions entre acteurs")]
    shown = answer("Quelles tensions entre acteurs le rapport relève-t-il ?", passages)
    assert "La tension la plus fréquente" in shown and "[1]" not in shown


def test_the_sentence_that_opens_a_section_comes_before_its_elaborations() -> None:
    text = ("Le poids de la reddition de comptes\nEnfin, la reddition de comptes est la critique la plus unanime, "
            "partagée par les promoteurs et les coordonnateurs. Les critiques relevées portent sur la reddition de comptes "
            "en double, avec des formulaires différents.")
    passage = Passage("r-48", text, REPORT, 48, "48", 0, len(text),
                      section="Chapitre 10 – Analyse transversale — Les tensions entre acteurs")
    shown = answer("Quelles critiques de la reddition de comptes le rapport relève-t-il ?", [passage])
    assert shown.startswith("Enfin, la reddition de comptes est la critique la plus unanime")


def test_a_passage_may_give_a_second_point_after_the_other_passages_points() -> None:
    first = ("La participation des personnes en situation de pauvreté est restée le maillon faible. Ailleurs, les "
             "personnes en situation de pauvreté décrivent une participation consultative, tardive ou intimidante.")
    other = "Le transport des personnes a rendu la participation possible dans les MRC rurales."
    passages = [Passage("r-43", first, REPORT, 43, "43", 0, len(first),
                        section="Chapitre 10 – Analyse transversale — La mobilisation"),
                Passage("r-30", other, REPORT, 44, "44", 0, len(other),
                        section="Chapitre 10 – Analyse transversale — Le partage des ressources")]
    shown = answer("Qu'est-ce que le rapport retient sur la participation des personnes en situation de pauvreté ?",
                   passages)
    assert "maillon faible [1]" in shown and "intimidante [1]" in shown and "[2]" in shown


def test_a_point_need_not_repeat_the_item_the_question_asks_about() -> None:
    text = ("Difficultés et tensions\nPour un petit organisme, le solde de 30 % arrive souvent à l'automne, ce qui "
            "l'oblige à avancer les salaires de l'été. Deux organismes ont dû recourir à une marge de crédit.")
    passage = Passage("r-47", text, REPORT, 47, "47", 0, len(text),
                      section="Chapitre 10 – Analyse transversale — Le calendrier des versements")
    shown = answer("Quels problèmes le calendrier des versements a-t-il causés ?", [passage])
    assert "avancer les salaires de l'été [1]" in shown


def test_a_point_stands_in_a_passage_that_speaks_of_the_item_asked_about() -> None:
    elsewhere = ("Difficultés\nLa principale difficulté tient à la reddition de comptes en double, avec des "
                 "formulaires différents pour le même projet.")
    interview = Passage("e-3", elsewhere, INTERVIEW, None, "", 0, len(elsewhere), section="Difficultés")
    text = ("Difficultés et tensions\nPour un petit organisme, le solde de 30 % arrive souvent à l'automne, ce qui "
            "l'oblige à avancer les salaires de l'été.")
    passage = Passage("r-47", text, REPORT, 47, "47", 0, len(text),
                      section="Chapitre 10 – Analyse transversale — Le calendrier des versements")
    shown = answer("Quels problèmes le calendrier des versements a-t-il causés ?", [interview, passage])
    assert "avancer les salaires de l'été [2]" in shown and "[1]" not in shown


def test_the_items_of_a_list_whose_bullets_the_document_lost_are_points() -> None:
    # A DOCX interview as read: paragraphs apart, the list of difficulties in lower case with no bullet.
    text = ("Relations entre acteurs\n\nE. reconnaît des gains réels avec le CSSS et la MRC.\n\nDifficultés\n\n"
            "le roulement : deux animatrices en quatre mois, faute de pouvoir offrir un poste au-delà de mars 2015;"
            "\n\nl'hiver, qui fait annuler une séance sur cinq dans les rangs;\n\nla charge administrative, qui "
            "repose sur elle seule, le soir.")
    interview = DocumentInfo("entretiens/ent-cdq-02.docx", "Entretien avec la coordonnatrice d'un comptoir "
                             "alimentaire", doc_type="entretien", regions=("Centre-du-Québec",))
    passage = Passage("e-6", text, interview, None, "", 4970, 4970 + len(text),
                      section="Notes d'entretien ENT-CDQ-02 — Autonomie et reddition de comptes")
    shown = answer("Qu'est-ce qui complique le travail de la coordonnatrice du comptoir alimentaire ?", [passage])
    assert "deux animatrices en quatre mois" in shown and "une séance sur cinq" in shown
    assert "la charge administrative" in shown


def test_a_numbered_section_that_names_the_theme_gives_the_points() -> None:
    text = ("5. Alimentation et santé mentale\nLe coût d'un panier d'épicerie de base est estimé à 18 % de plus "
            "qu'à Québec à Sept-Îles.\nLes comptoirs alimentaires de Baie-Comeau et de Sept-Îles ont servi en "
            "moyenne 1 150 ménages par mois en 2012.\nLe portrait de la Côte-Nord a soumis ces chiffres au plan "
            "d'action régional pour le préparer.\n6. Constats pour le plan d'action régional\nLe groupe de travail "
            "soumet cinq constats au Comité :\n1. La pauvreté est plus concentrée dans les territoires éloignés.\n"
            "2. Le logement est l'enjeu le plus urgent à Sept-Îles et à Port-Cartier.")
    portrait = DocumentInfo("autres/portrait-cote-nord.pdf", "Portrait régional de la pauvreté – Côte-Nord 2012",
                            doc_type="portrait-regional", regions=("Côte-Nord",))
    passage = Passage("p-3", text, portrait, 3, "3", 0, len(text))
    shown = answer("Quels constats le portrait de la Côte-Nord soumet-il pour préparer le plan d'action ?", [passage])
    assert shown.startswith(("La pauvreté est plus concentrée", "Le logement est l'enjeu"))
    assert "La pauvreté est plus concentrée" in shown and "Le logement est l'enjeu" in shown


def test_a_synthesis_question_reads_the_sections_of_its_document_that_name_its_theme(narrow: Assistant) -> None:
    write_note(narrow.settings.corpus_dir / "entretiens" / "ent-lan-09.md", """
        titre: Entretien avec la coordonnatrice d'un comptoir alimentaire de Joliette
        type: entretien
        regions: [Lanaudière]
        date: 2013-10-01
        confidentialite: interne
        """, """
        # Notes d'entretien ENT-LAN-09

        ## Projets

        Le comptoir de Joliette sert 300 ménages par mois et anime deux cuisines collectives depuis 2012. Les
        cuisines se tiennent le mardi et le jeudi dans la salle paroissiale, que la fabrique prête gratuitement.
        Une troisième cuisine ouvrira à Saint-Charles-Borromée si la municipalité fournit un local équipé et un
        réfrigérateur commercial, ce qu'elle a promis pour le printemps.

        ## Difficultés

        Le roulement du personnel : trois animatrices en un an, faute de pouvoir offrir un poste permanent. Chaque
        départ oblige à former une nouvelle personne pendant un mois, et les participantes cessent de venir quand
        l'animatrice change. L'hiver annule aussi une séance sur quatre dans les rangs, faute de transport pour les
        participantes qui n'ont pas de voiture.

        ## Tensions

        La reddition de comptes exige un rapport de douze pages tous les six mois pour 20 000 $. La coordonnatrice
        le remplit seule, le soir, et juge que la CRÉ lui demande des indicateurs de résultats qu'aucun projet de
        six mois ne peut fournir. Elle n'a jamais reçu de réponse à ses deux demandes d'allègement, envoyées en
        mars et en septembre 2013.
        """)
    narrow.index()
    question = "Quelles difficultés la coordonnatrice du comptoir alimentaire de Joliette rencontre-t-elle ?"
    retrieval = narrow.settings.retrieval
    retrieval.synthesis_top_k = retrieval.synthesis_per_document = 1
    retrieval.synthesis_document_depth = 0
    shallow = narrow.ask(question)
    retrieval.synthesis_document_depth = 10
    deep = narrow.ask(question)
    assert [s.passage.info.path for s in shallow.sources] == ["entretiens/ent-lan-09.md"]
    sections = {s.passage.section.split(" — ")[-1] for s in deep.sources}
    assert sections == {"Difficultés", "Tensions"}  # « Projets » names no difficulty: not read


@pytest.mark.parametrize("question", [
    "Sur quels critères le comité a-t-il retenu les projets ?",
    "Quels objectifs le plan d'action fixe-t-il aux régions ?",
    "Qu'est-ce que l'entente exige des organismes promoteurs ?",
    "Qu'est-ce qui pèse sur les petits organismes de Sept-Îles ?",
    "Qu'est-ce qui rend la concertation si difficile en Minganie ?",
])
def test_a_question_asking_for_criteria_objectives_requirements_or_what_makes_things_hard_is_a_synthesis(
        question: str) -> None:
    assert is_synthesis(question)


METHOD = "Chapitre 3 – Méthodologie"


def test_the_points_are_the_items_under_their_announcement_in_their_order() -> None:
    text = ("Le choix des six régions\nLes six régions ont été choisies en 2013 selon trois critères de "
            "diversification :\n• la structure territoriale, de la couronne de Montréal aux régions ressources;\n"
            "• le moment de la signature de l'entente;\n• le dispositif de gouvernance des premiers documents "
            "régionaux.\nLes chercheurs ont fait valider les six régions étudiées par le comité de suivi.")
    passage = Passage("r-00027", text, REPORT, 13, "13", 0, len(text), section=f"{METHOD} — Le choix des six régions")
    shown = answer("Selon quels critères les chercheurs ont-ils choisi les six régions étudiées ?", [passage])
    assert shown.startswith("la structure territoriale")
    assert shown.index("la structure territoriale") < shown.index("le moment de la signature") < shown.index(
        "le dispositif de gouvernance") < shown.index("Les chercheurs ont fait valider")


def test_a_list_that_the_passage_s_edge_cuts_goes_on_in_the_next_passage() -> None:
    first = ("Une étude de cas multiples\nLes six régions ont été choisies en 2013 selon trois critères de "
             "diversification :\n• la structure territoriale, de la couronne de Montréal aux régions ressources;\n"
             "• le moment de la signature de l'entente;")
    second = ("• le dispositif de gouvernance des premiers documents régionaux.\nLa taille des enveloppes varie du "
              "simple au double.")
    other = "Les chercheurs ont fait valider les six régions étudiées par le comité de suivi."
    cases = "Chapitre 2 – Le terrain — Une étude de cas multiples"
    passages = [Passage("r-00027", first, REPORT, 13, "13", 0, len(first), section=cases),
                Passage("r-00028", second, REPORT, 13, "13", 900, 900 + len(second), section=cases),
                Passage("r-00031", other, REPORT, 14, "14", 0, len(other), section="Chapitre 2 – Le terrain — Le comité de suivi")]
    shown = answer("Selon quels critères les chercheurs ont-ils choisi les six régions étudiées ?", passages)
    assert shown.index("le moment de la signature") < shown.index("premiers documents régionaux [2]") < shown.index(
        "Les chercheurs ont fait valider")


def test_the_end_of_an_item_that_the_passage_s_edge_cut_is_no_point() -> None:
    text = ("coexistent banlieues en croissance et secteurs ruraux (Lanaudière, Laurentides);\n• le moment de la "
            "signature : de la plus précoce, en 2011, à la plus tardive, en 2012;\n• le dispositif de gouvernance "
            "des premiers documents régionaux.")
    passage = Passage("r-00028", text, REPORT, 13, "13", 813, 813 + len(text),
                      section="Chapitre 2 – Le terrain — Le choix des six régions")
    shown = answer("Selon quels critères les chercheurs ont-ils choisi les six régions étudiées ?", [passage])
    assert "le moment de la signature" in shown and "coexistent" not in shown


def test_the_items_under_a_short_heading_are_points_whatever_stands_above_it() -> None:
    text = ("Fiche de projet – Solidarité Transport Centre-du-Québec Document d'exemple fictif\nObjectifs\n"
            "1. Offrir au moins 3 000 déplacements par année à compter de la deuxième année de service.\n"
            "2. Consacrer au moins le tiers des déplacements à l'emploi ou à la formation.\n"
            "Partenaires\nLa MRC de L'Érable et le CSSS soutiennent le transport collectif de Solidarité Transport.")
    sheet = DocumentInfo("fiches/fiche-projet.pdf", "Fiche de projet – Solidarité Transport", doc_type="fiche-projet",
                         regions=("Centre-du-Québec",))
    passage = Passage("f-00001", text, sheet, 2, "2", 0, len(text))
    shown = answer("Quels objectifs la fiche de projet fixe-t-elle à Solidarité Transport ?", [passage])
    assert shown.startswith("Offrir au moins 3 000 déplacements") and "le tiers des déplacements" in shown


def test_a_point_is_shown_without_the_next_section_s_title_glued_after_it() -> None:
    text = ("Objectifs\n1. Offrir au moins 3 000 déplacements par année à compter de la deuxième année.\n2. Étendre "
            "le service aux MRC de Bécancour et de Nicolet-Yamaska en 2014-2015.\nBudget par exercice financier\n"
            "Source 2012-2013 2013-2014 Total\nFQIS 64 000 $ 86 000 $ 150 000 $\nMRC 10 000 $ 10 000 $ 20 000 $")
    sheet = DocumentInfo("fiches/fiche-projet.pdf", "Fiche de projet – Solidarité Transport", doc_type="fiche-projet",
                         regions=("Centre-du-Québec",))
    passage = Passage("f-00001", text, sheet, 2, "2", 0, len(text))
    shown = answer("Quels objectifs la fiche de projet fixe-t-elle à Solidarité Transport ?", [passage])
    assert "Nicolet-Yamaska en 2014-2015 [1]." in shown and "Budget par exercice" not in shown


def test_the_question_s_item_may_be_named_in_the_passage_before_the_point_s() -> None:
    before = ("Le Cadre des Alliances\nUne Alliance est une entente signée entre la ministre et une CRÉ. Le Cadre "
              "demande à chaque région :")
    items = ("• de réaliser ou de mettre à jour un portrait de la pauvreté sur son territoire;\n• d'élaborer un plan "
             "de travail régional qui tienne compte des plans locaux existants.")
    chapter = "Chapitre 2 – Le contexte — Le Cadre des Alliances"
    passages = [Passage("r-00020", before, REPORT, 10, "10", 0, len(before), section=chapter),
                Passage("r-00021", items, REPORT, 10, "10", 800, 800 + len(items), section=chapter)]
    shown = answer("Qu'est-ce que le Cadre exige de chaque région qui signe une Alliance ?", passages)
    assert "un portrait de la pauvreté sur son territoire [2]" in shown and "un plan de travail régional" in shown


def test_a_list_given_in_one_sentence_that_the_passage_cuts_is_shown_to_its_last_whole_item() -> None:
    text = ("L'approche territoriale intégrée, une approche contestée\nSes critiques lui reprochent trois choses : de "
            "désigner des quartiers comme « pauvres », avec un effet de stigmatisation; d'oublier les personnes "
            "pauvres qui vivent hors des secteurs ciblés, nombreuses dans les banlieues de")
    passage = Passage("r-00140", text, REPORT, 47, "47", 0, len(text),
                      section="Chapitre 10 – Analyse transversale — Les tensions entre acteurs")
    shown = answer("Que reprochent ses critiques à l'approche territoriale intégrée ?", [passage])
    assert "effet de stigmatisation; d'oublier les personnes pauvres qui vivent hors des secteurs ciblés … [1]" in shown
    assert "banlieues de" not in shown
    # The same with the PDF's line breaks inside the sentence.
    broken = Passage("r-00140", text.replace(" d'oublier les", "\nd'oublier les").replace(" secteurs", "\nsecteurs"),
                     REPORT, 47, "47", 0, len(text), section=passage.section)
    shown = answer("Que reprochent ses critiques à l'approche territoriale intégrée ?", [broken])
    assert "effet de stigmatisation; d'oublier les personnes pauvres qui vivent hors des secteurs ciblés … [1]" in shown


def test_a_synthesis_question_s_name_is_read_in_the_point_s_document_not_in_each_point() -> None:
    shelter = DocumentInfo("entretiens/ent-lau-01.md", "Notes d'entretien ENT-LAU-01 – Organisme en logement, "
                           "Saint-Jérôme", doc_type="entretien", regions=("Laurentides",))
    other = DocumentInfo("entretiens/ent-lau-03.md", "Notes d'entretien ENT-LAU-03 – Réseau de la santé",
                         doc_type="entretien", regions=("Laurentides",))
    role = "## Parcours et rôle\n\nA. dirige Logis-Relais Laurentides, une ressource d'hébergement de transition."
    hardships = ("## Difficultés\n\nLe directeur décrit trois difficultés : le financement des intervenants de nuit "
                 "reste précaire. Les délais de versement obligent à puiser dans la réserve. Les difficultés de "
                 "recrutement retardent l'ouverture des studios.")
    elsewhere = "## Difficultés\n\nLes difficultés de l'équipe de proximité tiennent surtout aux distances."
    shown = answer("Quelles difficultés le directeur de Logis-Relais décrit-il ?",
                   [Passage("l1", role, shelter, None, "", 0, len(role)),
                    Passage("l2", hardships, shelter, None, "", 300, 300 + len(hardships)),
                    Passage("s1", elsewhere, other, None, "", 0, len(elsewhere))])
    assert "financement des intervenants de nuit" in shown and "[2]" in shown
    assert "équipe de proximité" not in shown


@pytest.mark.parametrize("question", [
    "Comment la mobilisation a-t-elle varié d'un type d'acteur à l'autre ?",
    "Comment les différents acteurs se sont-ils engagés dans l'Alliance de Lanaudière ?",
    "Comment le rapport décrit-il les contrastes entre les territoires de la Mauricie ?",
    "Que souhaite le maire de Joliette pour la suite de l'Alliance ?",
    "Pour l'après-2015, que réclamaient les organismes rencontrés ?",
])
def test_an_open_question_over_several_members_or_about_what_comes_next_is_a_synthesis(question: str) -> None:
    assert is_synthesis(question)


@pytest.mark.parametrize("question", [
    "Quels montants les différentes MRC ont-elles reçus ?",
    "Combien les différents territoires de Lanaudière reçoivent-ils ?",
    "Comment s'appellent les différents comités de l'Alliance ?",
    "Que prévoit l'entente de la Mauricie pour la suite ?",
    "Que demandait la résolution adoptée par la MRC en octobre 2013 ?",
])
def test_a_figure_a_name_or_a_clause_asked_over_several_members_is_no_synthesis(question: str) -> None:
    assert not is_synthesis(question)


# An interview laid out in Markdown: its sections' titles stand inside one passage.
WISHES = ("## Difficultés\n\nLes distances restent l'obstacle principal pour les rencontres à Baie-Comeau.\n\n"
          "## Perspectives\n\nG. souhaite que les paniers soient intégrés à la programmation régionale de santé "
          "publique après mars 2015. Elle plaide pour que le fonds de déplacement devienne une règle.\n")


def test_what_a_person_wishes_for_what_comes_next_is_read_under_the_interview_s_perspectives() -> None:
    passage = Passage("e-8", WISHES, INTERVIEW, None, "", 0, len(WISHES),
                      section="Notes d'entretien ENT-CNO-02 — Difficultés")
    text = answer("Que souhaite l'officier municipal de Baie-Comeau pour la suite de l'Alliance ?", [passage])
    assert text.startswith("G. souhaite que les paniers")
    assert "fonds de déplacement devienne une règle [1]" in text
    assert "distances" not in text.split("[1].")[1]  # the difficulties come after the wishes, if at all


CITIZEN = DocumentInfo("entretiens/ent-cno-03.md", "Entretien avec une citoyenne de Sept-Îles, mère seule",
                       doc_type="entretien", regions=("Côte-Nord",))
ORGANISER = DocumentInfo("entretiens/ent-cno-01.md", "Entretien avec une organisatrice communautaire de Sept-Îles",
                         doc_type="entretien", regions=("Côte-Nord",))


def test_the_points_come_from_the_interview_the_question_names_not_another_one_of_the_same_town() -> None:
    hers = "Difficultés\nLe loyer représente près de la moitié de son revenu. Elle nomme la fatigue et l'isolement."
    others = ("Difficultés\nLes distances restent l'obstacle principal de l'Alliance à Sept-Îles. Le marché locatif "
              "dépasse les moyens de l'Alliance à Sept-Îles.")
    passages = [Passage("o-8", others, ORGANISER, None, "", 0, len(others), section="Difficultés"),
                Passage("c-6", hers, CITIZEN, None, "", 0, len(hers), section="Difficultés")]
    text = answer("Quelles difficultés la citoyenne de Sept-Îles, mère seule, relève-t-elle ?", passages)
    assert "moitié de son revenu [2]" in text and "fatigue et l'isolement [2]" in text
    assert "[1]" not in text


def test_a_question_naming_the_report_is_about_no_interview() -> None:
    passages = [Passage("c-6", "Difficultés\nLe loyer pèse.", CITIZEN, None, "", 0, 25, section="Difficultés")]
    assert asked_interview("Quelles difficultés de la citoyenne de Sept-Îles le rapport relève-t-il ?",
                           passages) == ""
    assert asked_interview("Quelles difficultés la citoyenne de Sept-Îles, mère seule, relève-t-elle ?",
                           passages) == CITIZEN.doc_id


def test_a_markdown_heading_inside_a_passage_names_its_section() -> None:
    text = "## Projets\n\nLe comptoir a servi 412 ménages.\n\n## Leçons\n\nLa concertation prend du temps.\n"
    passage = Passage("e-5", text, INTERVIEW, None, "", 0, len(text), section="Notes d'entretien — Projets")
    assert names_theme("Quelles leçons l'officier municipal tire-t-il de l'Alliance ?", passage)


def test_what_comes_next_is_read_under_a_perspectives_heading() -> None:
    passage = Passage("e-8", WISHES, INTERVIEW, None, "", 0, len(WISHES), section="Notes d'entretien — Perspectives")
    assert names_theme("Que souhaite l'officier municipal pour la suite de l'Alliance ?", passage)
    assert not names_theme("Que souhaite l'officier municipal pour la suite de l'Alliance ?",
                           replace(passage, text="Les distances pèsent.", section="Notes d'entretien — Projets"))


def test_a_question_about_the_research_team_is_answered_from_the_method_chapter() -> None:
    ethics = ("Éthique et protection des personnes\nLe projet du LESR a reçu l'approbation du comité d'éthique le 28 août 2013. "
              "Les personnes interrogées sont pseudonymisées. Les notes de synthèse sont classées selon trois niveaux "
              "de confidentialité : public, interne à l'équipe et confidentiel.")
    method = Passage("m1", ethics, REPORT, 16, "16", 0, len(ethics), section="Chapitre 3 – Méthodologie")
    text = answer("Quelles précautions l'équipe du LESR a-t-elle prises pour protéger les personnes interrogées ?",
                  [method])
    assert "pseudonymisées" in text and "trois niveaux de confidentialité" in text
    *_, levels = evidence_units([Source(1, method)])
    assert not about_itself("Quelles précautions l'équipe du LESR a-t-elle prises ?", levels)
    assert about_itself("Quelles tensions entre acteurs relève-t-on ?", levels)  # a finding is asked: not there


# One region's « Difficultés et tensions » and the cross-regional analysis of the same report.
ONE_REGION = ("Difficultés et tensions\nLa principale tension concerne le plafond de 2 % prévu à l'entente pour "
              "l'administration. La direction régionale a rappelé que le plafond ne pouvait être modifié.")
ACROSS = ("Les tensions entre acteurs\nLa tension la plus fréquente oppose des organismes communautaires, qui réclament "
          "un financement stable de leur mission, à des institutions qui privilégient des projets nouveaux. La "
          "deuxième ligne de tension sépare les pôles urbains des territoires ruraux.")
MAURICIE = "Chapitre 5 – Mauricie : une Alliance confiée au Consortium en développement social"
TRANSVERSAL = "Chapitre 10 – Analyse transversale"


def report_chapters() -> list[Passage]:
    return [Passage("r-58", ONE_REGION, REPORT, 24, "24", 0, len(ONE_REGION),
                    section=f"{MAURICIE} — Difficultés et tensions"),
            Passage("r-115", ACROSS, REPORT, 46, "46", 0, len(ACROSS),
                    section=f"{TRANSVERSAL} — Les tensions entre acteurs")]


def test_a_question_naming_no_region_is_answered_by_the_report_s_chapters_about_no_one_region() -> None:
    text = answer("Quelles tensions entre acteurs le rapport relève-t-il ?", report_chapters())
    assert "financement stable de leur mission" in text and "pôles urbains" in text
    assert "[1]" not in text


def test_a_question_naming_a_region_is_not_answered_by_another_region_s_chapter() -> None:
    region, _ = report_chapters()
    # The Laurentides' chapter names the Mauricie too: it meets the question's region, but speaks of its own.
    other = ("Difficultés et tensions\nComme en Mauricie, la tension entre le sud et le nord n'a pas disparu avec "
             "l'adoption de la formule de partage.")
    laurentides = Passage("r-67", other, REPORT, 28, "28", 0, len(other),
                          section="Chapitre 6 – Laurentides : partager entre la couronne sud et le nord rural"
                                  " — Difficultés et tensions")
    text = answer("Quelles tensions le rapport relève-t-il en Mauricie ?", [laurentides, region])
    assert "plafond de 2 %" in text and "[1]" not in text


def test_the_chapter_of_a_region_is_read_only_in_a_document_about_several_regions() -> None:
    region, across = report_chapters()
    assert chapter_region(region) == "Mauricie" and chapter_region(across) == ""
    assert chapter_region(replace(region, info=INTERVIEW)) == ""


def test_a_chapter_about_no_one_region_still_answers_a_question_naming_a_region() -> None:
    recommendation = ("Lorsque les sommes sont réparties par thème, une clause d'équilibre territorial devrait être "
                      "prévue, sur le modèle de celle du Centre-du-Québec.")
    region, _ = report_chapters()
    passages = [region, Passage("r-120", recommendation, REPORT, 51, "51", 0, len(recommendation),
                                section="Chapitre 11 – Recommandations")]
    text = answer("Quels effets le partage par thèmes a-t-il eus au Centre-du-Québec ?", passages)
    assert "clause d'équilibre territorial" in text and "[2]" in text


def test_a_sentence_under_a_sub_heading_keeps_the_theme_of_the_section_it_opens() -> None:
    # The layout glues the section's title and the sub-heading before the first sentence: « Les tensions entre
    # acteurs » then « Organismes communautaires et institutions » then the finding. Shown without them, it is scored
    # with them, as its section's other sentences are.
    opening = ("Les municipalités ont gagné en présence dans la concertation.\nLes tensions entre acteurs\nOrganismes "
               "communautaires et institutions\nLa tension la plus fréquente oppose des organismes communautaires, qui "
               "réclament un financement stable de leur mission, à des institutions qui privilégient des projets.\n")
    rest = ("Les organismes dénoncent aussi une asymétrie de pouvoir dans les instances de l'Alliance. Les deux sièges "
            "supplémentaires obtenus par le milieu communautaire ont été salués par les organismes. Les élus ont "
            "appris à siéger avec les organismes et les réseaux publics. Les réseaux publics y siègent dans le cadre "
            "de leur emploi, contrairement aux organismes.")
    passages = [Passage("r-114", opening, REPORT, 46, "46", 0, len(opening),
                        section=f"{TRANSVERSAL} — Le rôle des municipalités"),
                Passage("r-116", rest, REPORT, 47, "47", 0, len(rest),
                        section=f"{TRANSVERSAL} — Les tensions entre acteurs")]
    text = answer("Quelles tensions entre acteurs le rapport relève-t-il ?", passages)
    assert "La tension la plus fréquente oppose des organismes communautaires" in text
    assert "Organismes communautaires et institutions La tension" not in text
