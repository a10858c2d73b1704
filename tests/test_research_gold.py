"""The research gold (``eval/research.jsonl``) is checked against the sample corpus as the assistant ingests it:
each region's expected point is in one of that region's documents, each expected excerpt's document exists."""

from __future__ import annotations

import json
from collections import Counter

from assistant.evaluation import contains_expected
from assistant.index.plan import corpus_files
from tests.test_gold import CORPUS, EVAL, ingested

RESEARCH = [json.loads(line) for line in (EVAL / "research.jsonl").read_text(encoding="utf-8").splitlines() if line]


def test_the_research_gold_has_twelve_comparisons_with_silent_regions_and_twelve_themes() -> None:
    kinds = Counter(question["kind"] for question in RESEARCH)
    assert kinds["comparaison"] >= 12 and kinds["extraits"] >= 12
    assert len({question["qid"] for question in RESEARCH}) == len(RESEARCH)
    silent = [region for q in RESEARCH if q["kind"] == "comparaison" for region, point in q["regions"].items()
              if not point]
    assert len(silent) >= 12


def test_every_expected_point_is_in_a_document_of_its_region() -> None:
    documents = [ingested(path.relative_to(CORPUS).as_posix()) for path in corpus_files(CORPUS)
                 if path.suffix != ".jsonl"]
    for question in (q for q in RESEARCH if q["kind"] == "comparaison"):
        for region, expected in question["regions"].items():
            if expected:
                texts = [page.text for document in documents if region in document.info.regions
                         for page in document.pages]
                assert any(contains_expected(text, expected) for text in texts), (question["qid"], region)


def test_every_expected_excerpt_is_an_interview_or_minutes_of_the_corpus() -> None:
    for question in (q for q in RESEARCH if q["kind"] == "extraits"):
        for place in question["gold"]:
            assert ingested(place["doc"]).info.doc_type in ("entretien", "proces-verbal"), place["doc"]
