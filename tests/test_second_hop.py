"""Two-step questions read by a second hop: a researcher asking for « la CRÉ qui a répondu à la plainte de la
directrice de Drummond », « l'agente dont la coordonnatrice de Matawinie dit… » or « la MRC où se trouve le point de
service du CSSS visité pour ENT-LAN-03 » gets the passage that names the CRÉ, the agent or the town, then the fact
asked of it, searched again with that name."""

from __future__ import annotations

from assistant.answer.bridge import answering_first, bridged_ask, described
from assistant.models import DocumentInfo, Passage, Source


def interview(path: str, title: str, region: str) -> DocumentInfo:
    return DocumentInfo(path, title, doc_type="entretien", regions=(region,), date="2014")


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
PLACE = Passage("a-1", "Élément : Lieu — Détail : point de service du CSSS à Berthierville", DAUTRAY, None, "", 0, 70,
                card="ENT-LAN-03\npoint de service du CSSS à Berthierville")


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
