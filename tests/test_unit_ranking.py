"""A researcher's question is answered by the sentence or cell that gives what it asks, ranked by the scorer
``scripts/fit_ranker.py`` fitted on the tuning sets: linear weights (``assistant/answer/unit_ranker.tsv``) and
gradient-boosted trees added to their logit (``unit_trees.json``). Uses the real e5 embedder where the cosine counts."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import numpy as np
import pytest

from assistant.answer.constraints import read_constraints
from assistant.answer.evidence import FEATURES, UNIT_TREES, UNIT_WEIGHTS, UnitTrees, evidence_units, rank_units
from assistant.index.embeddings import E5Embeddings
from assistant.models import DocumentInfo, Passage, PassageScores, Source

SCRIPTS = Path(__file__).resolve().parent.parent / "scripts"
PORTRAIT = DocumentInfo("autres/portrait-cote-nord-2012.pdf",
                        "Portrait régional de la pauvreté et de l'exclusion sociale – Côte-Nord 2012",
                        doc_type="portrait-regional", regions=("Côte-Nord",))
# Two rows of the portrait's tables as retrieval returned them for gold-3 d073, low income first, population second.
LOW_INCOME = Passage("p-t1", "Manicouagan 11,4 % 3 640 6,1 %", PORTRAIT, 2, "2", 0, 30,
                     context="Territoire de MRC : Manicouagan — Taux de faible revenu : 11,4 % — Personnes à faible "
                             "revenu : 3 640 — Ménages à l'aide de dernier recours : 6,1 %")
POPULATION = Passage("p-t2", "Manicouagan 31 900 33,4 % Baie-Comeau, Pessamit, Ragueneau", PORTRAIT, 1, "1", 0, 58,
                     context="Territoire de MRC : Manicouagan — Population estimée (2012) : 31 900 — Part de la "
                             "région : 33,4 % — Principales localités : Baie-Comeau, Pessamit, Ragueneau")


def test_how_many_people_live_in_an_mrc_is_its_population_cell_not_its_low_income_count(e5: E5Embeddings) -> None:
    question = "How many people live in the Manicouagan MRC according to the 2012 North Shore profile?"
    sources = [Source(1, LOW_INCOME, PassageScores(dense=0.868)), Source(2, POPULATION, PassageScores(dense=0.866))]
    ranked = rank_units(question, read_constraints(question), evidence_units(sources), e5, 0.3, language="en")
    assert ranked[0].unit.text == "Territoire de MRC : Manicouagan — Population estimée (2012) : 31 900"


def test_the_trees_fitted_beside_the_weights_load_and_add_to_each_units_logit() -> None:
    """The scorer's trees (``unit_trees.json``) read only features the ranking computes, and a unit's score is its
    features times the weights plus the trees' values: a unit the trees favour can pass one the weights prefer."""
    assert len(UNIT_TREES.feature) >= 50 and UNIT_TREES.depth >= 2
    text = ("Le comité régional se réunit au moins quatre fois par année, selon son règlement intérieur. Il compte "
            "douze membres nommés par la CRÉ pour un mandat de deux ans.")
    source = Source(1, Passage("p1", text, PORTRAIT, 1, "1", 0, len(text)), PassageScores(dense=0.85))
    question = "Comment les membres du comité régional sont-ils nommés ?"
    ranked = rank_units(question, read_constraints(question), evidence_units([source]))
    features = np.array([r.features for r in ranked])
    assert [r.score for r in ranked] == pytest.approx(list(features @ UNIT_WEIGHTS + UNIT_TREES.score(features)))
    assert ranked[0].unit.text.startswith("Il compte douze membres nommés par la CRÉ")
    # Each sentence holds half of the question, read as the other one's neighbour (before it, after it).
    assert features[0, FEATURES.index("prior")] == features[1, FEATURES.index("next")] == 0.5


def test_a_tree_sends_each_unit_to_the_leaf_its_features_reach() -> None:
    # One tree on « rare »: at most 0.5 goes left (−1), above goes right (+1), then on « cosine » below 0.8 (+0.5).
    trees = UnitTrees.of({"features": ["rare", "cosine"], "depth": 2, "trees": [
        {"feature": [0, -1, 1, -1, -1], "threshold": [0.5, 0, 0.8, 0, 0], "left": [1, 0, 3, 0, 0],
         "right": [2, 0, 4, 0, 0], "value": [0, -1.0, 0, 0.5, 1.0]}]})
    features = np.zeros((3, len(FEATURES)))
    features[:, FEATURES.index("rare")] = [0.2, 0.7, 0.9]
    features[:, FEATURES.index("cosine")] = [0.9, 0.7, 0.85]
    assert list(trees.score(features)) == [-1.0, 0.5, 1.0]


def test_trees_fitted_on_an_interaction_no_weight_can_read_put_the_right_unit_first() -> None:
    """``fit_ranker.py fit --trees`` (scikit-learn at fit time) writes trees that numpy alone evaluates at run time:
    a right unit middling on both its rare-word share and its cosine, beside units high on one and low on the other,
    which no weighed sum of the two puts first."""
    pytest.importorskip("sklearn")
    spec = importlib.util.spec_from_file_location("fit_ranker", SCRIPTS / "fit_ranker.py")
    fit_ranker = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(fit_ranker)
    rare, cosine = FEATURES.index("rare"), FEATURES.index("cosine")
    rng = np.random.default_rng(7)
    questions = []
    for i in range(80):  # the right unit is middling on both; each other unit is high on one, low on the other
        X = np.zeros((3, len(FEATURES)))
        X[:, [rare, cosine]] = rng.permutation([[0.5, 0.5], [0.9, 0.1], [0.1, 0.9]]) + rng.normal(0, 0.03, (3, 2))
        y = (np.abs(X[:, rare] - 0.5) < 0.2).astype(float)
        questions.append({"qid": f"q{i}", "set": "gold", "X": X, "y": y})
    linear = fit_ranker.fit_weights(questions, [rare, cosine], 0.1)
    trees = UnitTrees.of(fit_ranker.fit_trees(questions, np.zeros(len(FEATURES)), ["rare", "cosine"], rounds=20,
                                              depth=2, rate=0.3, leaf=5))
    assert fit_ranker.first_right(questions, np.zeros(len(FEATURES)), trees) == 80
    assert fit_ranker.first_right(questions, linear) < 80


def test_a_gate_is_not_chosen_when_it_answers_an_invented_fact_or_only_refuses_wrong_answers() -> None:
    """``fit_gate.py`` chooses a gate's threshold against the floor's verdicts: it answers no more out-of-corpus
    questions than the floor, and refusing a wrong answer gains nothing (a gate must not look safer by refusing
    answerable questions); turning refusals into right answers does."""
    sys.path.insert(0, str(SCRIPTS))
    try:
        spec = importlib.util.spec_from_file_location("fit_gate", SCRIPTS / "fit_gate.py")
        fit_gate = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(fit_gate)
    finally:
        sys.path.remove(str(SCRIPTS))

    def question(answerable: bool, right: bool, floor_answers: bool) -> dict:
        unit = {"x": np.zeros(len(fit_gate.GATE_FEATURES)), "right": right}
        return {"qid": "q", "set": "gold", "answerable": answerable, "floor": unit if floor_answers else None,
                "none": unit}

    # The floor refuses them all; the gate's probability ranks an out-of-corpus question above two right answers.
    refused = [question(True, True, False), question(False, False, False), question(True, True, False)]
    rescue = fit_gate.samples(refused, "rescue", [])
    assert fit_gate.choose_threshold(rescue, np.array([0.6, 0.9, 0.7]), 2.0, 0.0) is None  # every threshold that answers a right one lets the out-of-corpus one by: the floor
    assert fit_gate.choose_threshold(rescue, np.array([0.6, 0.2, 0.7]), 2.0, 0.0) == 0.6  # both right, it refused
    # The floor answers them: a gate that only stops wrong answers changes nothing, one stopping an invented fact does.
    answered = fit_gate.samples([question(True, False, True), question(True, True, True)], "refuse", [])
    assert fit_gate.choose_threshold(answered, np.array([0.1, 0.8]), 2.0, 0.0) is None
    invented = fit_gate.samples([question(False, False, True), question(True, True, True)], "refuse", [])
    assert fit_gate.choose_threshold(invented, np.array([0.1, 0.8]), 2.0, 0.0) == 0.8


LA_TUQUE = Path(__file__).resolve().parent.parent / "corpus" / "entretiens" / "ent-mau-03-officier-municipal-la-tuque.md"


def _la_tuque_sources() -> list[Source]:
    """Two paragraphs of the La Tuque interview: the speaker's career, and her plans ending on what she fears."""
    info = DocumentInfo("entretiens/ent-mau-03-officier-municipal-la-tuque.md",
                        "Entretien avec une conseillère en développement communautaire de la Ville de La Tuque",
                        doc_type="entretien", regions=("Mauricie",))
    paragraphs = [line for line in LA_TUQUE.read_text(encoding="utf-8").splitlines()
                  if line.startswith(("Répondante C est urbaniste", "La Ville révisera"))]
    return [Source(number, Passage(f"p{number}", text, info, None, "", 0, len(text)), PassageScores(dense=0.85))
            for number, text in enumerate(paragraphs, 1)]


def test_once_a_unit_clears_the_relevance_floor_a_paraphrased_answer_below_it_is_ranked_too() -> None:
    """The floor gates the question, not each unit: the quotation that answers « Que redoute-t-elle le plus ? »
    shares less of the question than the sentences naming the speaker, and is still ranked (gold-12 m042)."""
    question = "Que redoute le plus l'urbaniste de La Tuque pour l'après-entente ?"
    ranked = rank_units(question, read_constraints(question), evidence_units(_la_tuque_sources()), None, 0.3)
    feared = [r for r in ranked if r.unit.text.startswith("« Le pire scénario")]
    assert feared and feared[0].relevance < 0.3
    assert max(r.relevance for r in ranked) >= 0.3


def test_when_no_unit_clears_the_relevance_floor_none_is_ranked() -> None:
    question = "Que pense la conseillère du déneigement des rues l'hiver ?"
    units = evidence_units(_la_tuque_sources())
    assert rank_units(question, read_constraints(question), units, None, 0.1)  # some share a little of it…
    assert not rank_units(question, read_constraints(question), units, None, 0.3)  # … none enough
