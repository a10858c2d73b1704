"""Two-step and computed multi-document answers: a researcher asking how many seats the agreement reserves, and who
holds them, gets each fact counted when cited; one asking how much is left of a reserve gets the cited amounts and
the remainder computed from them, checked again by the citation check."""

from __future__ import annotations

from assistant.evaluation import expected_pieces, text_verdict

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
