"""A researcher's question is answered by the sentence or cell that gives what it asks, ranked by the scorer whose
weights ``scripts/fit_ranker.py`` fitted on the eight tuning sets (``assistant/answer/unit_ranker.tsv``). Uses the
real e5 embedder: the cosine is the scorer's main feature."""

from __future__ import annotations

from assistant.answer.constraints import read_constraints
from assistant.answer.evidence import evidence_units, rank_units
from assistant.index.embeddings import E5Embeddings
from assistant.models import DocumentInfo, Passage, PassageScores, Source

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
