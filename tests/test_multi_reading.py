"""Reading two-document questions and their expected answers: a researcher's expected « deux ; l'Agence » is counted
when each fact is cited, « autorisé à signer » asks no signature date, and a resolution's code at a line's start
stays in its sentence."""

from __future__ import annotations

from assistant.answer.constraints import read_constraints
from assistant.answer.evidence import evidence_units
from assistant.evaluation import expected_pieces, text_verdict
from assistant.models import DocumentInfo, Passage, Source

SEATS = ("La Table régionale réunit deux représentants du réseau de la santé. Les deux sièges du réseau de la santé à "
         "la Table sont occupés par l'Agence, dont sa Direction de santé publique.")


def test_a_spread_answer_s_fact_keeps_the_letters_of_a_word_that_starts_like_an_article() -> None:
    assert expected_pieces("deux ; l'Agence, dont sa Direction") == (["deux", "agence", "dont sa direction"], [])
    assert expected_pieces("Laurentides et au moins 80 %")[0] == ["laurentides", "moins 80 %"]
    gold = {"qid": "x", "kind": "multi-documents", "gold_doc_ids": ["a"],
            "answers": ["deux ; l'Agence, dont sa Direction de santé publique"]}
    answer = ("Les deux sièges du réseau de la santé à la Table sont occupés par l'Agence, dont sa Direction de santé "
              "publique [1].")
    assert text_verdict(gold, answer, False, {1: SEATS}) == "right"



def test_a_power_to_sign_or_a_rank_in_signing_is_no_signature_date_asked() -> None:
    assert read_constraints("Par quelle résolution André Houle a-t-il été autorisé à signer l'entente ?").item is None
    assert read_constraints("Qu'est-ce qui a permis au Bas-Saint-Laurent d'être la première région à signer ?"
                            ).item is None
    signed = read_constraints("À quelle date précise l'entente des Laurentides a-t-elle été signée, et qui l'a signée ?")
    assert signed.item is not None and signed.item.name == "date de signature"


PARTIES = ("ENTRE :\nLA MINISTRE DE L'EMPLOI ET DE LA SOLIDARITÉ SOCIALE, agissant au nom du\ngouvernement du Québec et à "
           "titre de responsable du Fonds québécois d'initiatives\nsociales, représentée par Mme Marie-Claude Lavoie, "
           "sous-ministre adjointe, dûment\nautorisée,\nci-après appelée « la ministre »;\nET :\nLA CONFÉRENCE RÉGIONALE "
           "DES ÉLUS DU CENTRE-DU-QUÉBEC, ayant son siège\nau 2550, boulevard Mercure, bureau 105, Drummondville (Québec) "
           "J2B 3M6,\nreprésentée par M. André Houle, président, dûment autorisé par la résolution\nCA-2012-04-072 de son "
           "conseil d'administration,\nci-après appelée « la CRÉ »;\n")


def test_a_resolution_s_code_at_the_start_of_a_line_stays_in_the_sentence_that_cites_it() -> None:
    agreement = DocumentInfo("ententes/entente-centre-du-quebec.pdf", "Entente – Centre-du-Québec", doc_type="entente",
                             regions=("Centre-du-Québec",), date="2012")
    units = evidence_units([Source(1, Passage("e-1", PARTIES, agreement, 1, "1", 0, len(PARTIES)))])
    cited = [unit.text for unit in units if "CA-2012-04-072" in unit.text]
    assert cited and all("autorisé par la résolution CA-2012-04-072" in text for text in cited)
