"""Two-step questions read by a second hop: a researcher asking for « la CRÉ qui a répondu à la plainte de la
directrice de Drummond », « l'agente dont la coordonnatrice de Matawinie dit… » or « la MRC où se trouve le point de
service du CSSS visité pour ENT-LAN-03 » gets the passage that names the CRÉ, the agent or the town, then the fact
asked of it, searched again with that name."""

from __future__ import annotations

from assistant.answer.bridge import answering_first, bridged_ask, described
from assistant.answer.comparison import Compared, compared_sides, render, said_score, side_kind
from assistant.answer.parts import named_pair
from assistant.models import DocumentInfo, Passage, Source

from tests.answer_support import evidence_answer, interview



DRUMMOND = interview("entretiens/ent-cdq-03-emploi-drummondville.md", "Notes d'entretien ENT-CDQ-03 – Organisme "
                     "d'employabilité, MRC de Drummond", "Centre-du-Québec")
MATAWINIE = interview("entretiens/ent-lan-02-organisme-matawinie.md", "Notes d'entretien ENT-LAN-02 – Organisme "
                      "communautaire, Matawinie", "Lanaudière")
DAUTRAY = interview("entretiens/ent-lan-03-reseau-sante-dautray.docx", "Entretien avec un organisateur communautaire du "
                    "CSSS", "Lanaudière")
COMPLAINT = Passage("d-1", "Elle a adressé une plainte écrite au président de la CRÉ, André Houle, le 2 août 2013.",
                    DRUMMOND, None, "", 0, 90)
EVENINGS = Passage("m-1", "Sa critique vise la direction de la CRÉ de Lanaudière, et non l'agente de coordination : "
                   "« Nathalie [Gervais], elle répond à ses courriels le soir. »", MATAWINIE, None, "", 0, 140)
PLACE = Passage("a-1", "- **Code :** ENT-LAN-03\n- **Date :** le 2 octobre 2013\n- **Lieu :** point de service du CSSS "
                "à Berthierville", DAUTRAY, None, "", 0, 100,
                card="ENT-LAN-03\nle 2 octobre 2013\npoint de service du CSSS à Berthierville")


def test_a_body_described_by_what_it_did_is_named_by_its_document_region() -> None:
    question = ("Dans quelle ville se trouve le siège de la CRÉ qui a répondu à la plainte de la directrice de "
                "l'organisme d'employabilité de Drummond ?")
    # The ask is searched, not shown: the region as its canonical name (« de Centre-du-Québec »).
    bridged = bridged_ask(question, [Source(1, COMPLAINT)], None, 0.2)
    assert bridged is not None and bridged[0] == "Dans quelle ville se trouve le siège de la CRÉ de Centre-du-Québec ?"
    # « le territoire du CLE où travaille… »: the CLE named by its town.
    what = described("Quels projets sont situés dans le territoire du CLE où travaille le participant de ENT-MAU-01 ?")
    assert what is not None and what.asked("Trois-Rivières") == (
        "Quels projets sont situés dans le territoire du CLE de Trois-Rivières ?")


def test_a_person_described_by_dont_or_by_a_phrase_between_commas_is_bridged() -> None:
    question = ("À quelle adresse la CRÉ de Lanaudière reçoit-elle les avis adressés à l'agente dont la coordonnatrice "
                "de Matawinie dit qu'elle « répond à ses courriels le soir » ?")
    bridged = bridged_ask(question, [Source(1, EVENINGS)], None, 0.2)
    assert bridged is not None and bridged[0] == ("À quelle adresse la CRÉ de Lanaudière reçoit-elle les avis adressés "
                                                  "à Nathalie Gervais ?")
    what = described("Quel document a rédigé l'agente nord-côtière qui, selon l'organisatrice communautaire de "
                     "Sept-Îles, « connaît le numéro de cellulaire de tous les directeurs d'organisme » ?")
    assert what is not None and what.role == "agente" and what.ask == "Quel document a rédigé {} ?"
    what = described("Dans quel territoire de MRC se trouve la communauté innue qui codirige le Sentier de mieux-être ?")
    assert what is not None and what.ask == "Dans quel territoire de MRC se trouve {} ?"


def test_a_description_naming_an_interview_code_is_met_by_that_interview_record_card() -> None:
    question = ("Quelle part de l'enveloppe territoriale revient à la MRC où se trouve le point de service du CSSS "
                "visité pour ENT-LAN-03 ?")
    bridged = bridged_ask(question, [Source(1, PLACE)], None, 0.2)
    assert bridged is not None and bridged[0] == "Quelle part de l'enveloppe territoriale revient à la MRC de D'Autray ?"


def test_the_second_search_passages_that_answer_the_bridged_ask_come_first() -> None:
    report = DocumentInfo("rapports/rapport.pdf", "Rapport", doc_type="rapport", regions=("Centre-du-Québec",),
                          date="2014")
    fiche = Passage("f-1", "Territoire desservi : MRC de L'Érable et d'Arthabaska depuis octobre 2012.", report, 3, "3",
                    0, 70)
    counted = Passage("r-1", "Au 31 mars 2014, les 29 projets se répartissaient ainsi : 9 dans Drummond, puis 4 dans "
                      "chacune des MRC de Bécancour et de L'Érable.", report, 36, "36", 0, 120)
    ordered = answering_first("Combien de projets comptait, au 31 mars 2014, la MRC de L'Érable ?",
                              [Source(1, fiche), Source(2, counted)])
    assert [source.passage.id for source in ordered] == ["r-1", "f-1"]


# Comparisons: each side its own question.

RIVIERE_DU_LOUP = interview("entretiens/ent-bsl-02-emploi-riviere-du-loup.txt", "Notes d'entretien ENT-BSL-02 – "
                            "Services d'emploi, Rivière-du-Loup", "Bas-Saint-Laurent")
AGREEMENT = DocumentInfo("ententes/entente-bas-saint-laurent.pdf", "Entente relative à l'Alliance pour la solidarité – "
                         "Bas-Saint-Laurent", doc_type="entente", regions=("Bas-Saint-Laurent",), date="2011")
DESIGNATED = Passage("b-2", "En mars 2012, la direction régionale d'Emploi-Québec l'a désignée pour occuper le siège des "
                     "services d'emploi au Comité régional de l'Alliance bas-laurentienne.", RIVIERE_DU_LOUP, None, "",
                     0, 160)
SIGNED = Passage("e-1", "La présente entente entre en vigueur à la date de sa signature, soit le 15 décembre 2011.",
                 AGREEMENT, 5, "5", 0, 90)


def test_a_named_subject_ends_with_its_name_and_an_event_is_asked_its_date() -> None:
    assert compared_sides("Le Saguenay–Lac-Saint-Jean a-t-il obtenu plus ou moins que la Mauricie pour l'ensemble de "
                          "son entente ?") == (
        "Le Saguenay–Lac-Saint-Jean a-t-il obtenu plus ou moins pour l'ensemble de son entente ?",
        "La Mauricie a-t-il obtenu plus ou moins pour l'ensemble de son entente ?")
    question = ("Le maire d'Antoine-Labelle siège à la Table depuis sa première réunion : cette réunion a-t-elle eu "
                "lieu avant ou après la signature de l'entente des Laurentides ?")
    sides = compared_sides(question)
    assert sides is not None and sides[1] == "Quelle est la date de la signature de l'entente des Laurentides ?"
    assert side_kind(question) == "date"  # « avant ou après » asks dates; « depuis » sets the scene


def test_a_month_without_its_day_is_compared_with_another_date_when_their_months_differ() -> None:
    assert render("order", Compared("mars 2012", "date", 1), Compared("28 février 2012", "date", 2), "fr") == (
        "Comparaison des dates citées : en mars 2012 [1] est après le 28 février 2012 [2].")
    assert render("order", Compared("14 mai 2013", "date", 1), Compared("avril 2013", "date", 2), "fr") == (
        "Comparaison des dates citées : le 14 mai 2013 [1] est après avril 2013 [2].")
    assert render("order", Compared("mars 2012", "date", 1), Compared("22 mars 2012", "date", 2), "fr") == ""
    # A date opening its sentence is said of the clause after it.
    assert said_score("date", DESIGNATED.text, "L'agente d'Emploi-Québec de Rivière-du-Loup a-t-elle été désignée au "
                      "Comité régional ?") > 0


def test_an_agent_designated_in_a_month_is_placed_after_the_agreement_signed_before_it() -> None:
    question = ("L'agente d'Emploi-Québec de Rivière-du-Loup a-t-elle été désignée au Comité régional avant ou après la "
                "signature de l'entente bas-laurentienne ?")
    text = evidence_answer(question, [DESIGNATED, SIGNED], 0.2)
    assert text.endswith("Comparaison des dates citées : en mars 2012 [1] est après le 15 décembre 2011 [2].")


def test_two_regions_named_together_are_each_asked_the_question() -> None:
    assert named_pair("Combien de représentants d'organismes communautaires régionaux siègent au comité de l'Alliance "
                      "en Estrie et au Saguenay–Lac-Saint-Jean ?") == (
        "Combien de représentants d'organismes communautaires régionaux siègent au comité de l'Alliance en Estrie ?",
        "Combien de représentants d'organismes communautaires régionaux siègent au comité de l'Alliance au "
        "Saguenay–Lac-Saint-Jean ?")
    assert named_pair("Quel montant l'entente de l'Estrie prévoit-elle ?") is None
    assert named_pair("Quelles régions, de l'Estrie et de la Mauricie ou du Centre-du-Québec, ont signé ?") is None
