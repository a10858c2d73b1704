"""The gold questions are themselves checked against the sample corpus as the assistant ingests it.

Sixteen sets: ``gold.jsonl`` to ``gold-15.jsonl`` (tuning) and ``gold-16.jsonl`` (report-only set, written before any
tuning of session 18).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from functools import cache
from pathlib import Path

import pytest

from assistant.ingest.readers import read_document
from assistant.models import SourceDocument
from assistant.settings import PROJECT_ROOT

EVAL = PROJECT_ROOT / "eval"
GOLD_FILE = EVAL / "gold.jsonl"
GOLD_2_FILE = EVAL / "gold-2.jsonl"
GOLD_3_FILE = EVAL / "gold-3.jsonl"
GOLD_4_FILE = EVAL / "gold-4.jsonl"
GOLD_5_FILE = EVAL / "gold-5.jsonl"
GOLD_6_FILE = EVAL / "gold-6.jsonl"
GOLD_7_FILE = EVAL / "gold-7.jsonl"
GOLD_8_FILE = EVAL / "gold-8.jsonl"
GOLD_9_FILE = EVAL / "gold-9.jsonl"
GOLD_10_FILE = EVAL / "gold-10.jsonl"
GOLD_11_FILE = EVAL / "gold-11.jsonl"
GOLD_12_FILE = EVAL / "gold-12.jsonl"
GOLD_13_FILE = EVAL / "gold-13.jsonl"
GOLD_14_FILE = EVAL / "gold-14.jsonl"
GOLD_15_FILE = EVAL / "gold-15.jsonl"
GOLD_16_FILE = EVAL / "gold-16.jsonl"
CORPUS = PROJECT_ROOT / "corpus"
KINDS = {"factuel", "tableau", "multi-documents", "filtre", "suivi", "anglais", "synthese", "hors-corpus"}
# Kinds whose expected answer may be spread over several passages or written in another language than the question.
SPREAD_KINDS = {"multi-documents", "anglais"}
# What each later set must hold: its size, its questions by kind and its paraphrases (issue 12).
LATER_SETS = {
    GOLD_2_FILE: {"size": 80, "paraphrase": 20,
                  "kinds": {"factuel": 14, "tableau": 10, "multi-documents": 6, "filtre": 6, "suivi": 8, "anglais": 6,
                            "synthese": 6, "hors-corpus": 20}},
    GOLD_3_FILE: {"size": 90, "paraphrase": 25,
                  "kinds": {"factuel": 20, "tableau": 14, "multi-documents": 8, "filtre": 8, "suivi": 10, "anglais": 8,
                            "synthese": 6, "hors-corpus": 22}},
}
LATER_SETS[GOLD_4_FILE] = LATER_SETS[GOLD_3_FILE]  # the session-6 report set keeps gold-3's minimums
LATER_SETS[GOLD_5_FILE] = LATER_SETS[GOLD_3_FILE]  # and so does the session-7 report set
LATER_SETS[GOLD_6_FILE] = LATER_SETS[GOLD_3_FILE]  # and the session-8 report set
LATER_SETS[GOLD_7_FILE] = LATER_SETS[GOLD_3_FILE]  # and the session-9 report set
LATER_SETS[GOLD_8_FILE] = LATER_SETS[GOLD_3_FILE]  # and the session-10 report set
LATER_SETS[GOLD_9_FILE] = LATER_SETS[GOLD_3_FILE]  # and the session-11 report set
LATER_SETS[GOLD_10_FILE] = LATER_SETS[GOLD_3_FILE]  # and the session-12 report set
LATER_SETS[GOLD_11_FILE] = LATER_SETS[GOLD_3_FILE]  # and the session-13 report set
LATER_SETS[GOLD_12_FILE] = LATER_SETS[GOLD_3_FILE]  # and the session-14 report set
LATER_SETS[GOLD_13_FILE] = LATER_SETS[GOLD_3_FILE]  # and the session-15 report set
LATER_SETS[GOLD_14_FILE] = LATER_SETS[GOLD_3_FILE]  # and the session-16 report set
LATER_SETS[GOLD_15_FILE] = LATER_SETS[GOLD_3_FILE]  # and the session-17 report set
LATER_SETS[GOLD_16_FILE] = LATER_SETS[GOLD_3_FILE]  # and the session-18 report set


def squash(text: str) -> str:
    return " ".join(text.replace("\u2019", "'").split())


@cache
def ingested(path: str) -> SourceDocument:
    return read_document(CORPUS / path, CORPUS)


def load(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


ALL_FILES = (GOLD_FILE, GOLD_2_FILE, GOLD_3_FILE, GOLD_4_FILE, GOLD_5_FILE, GOLD_6_FILE, GOLD_7_FILE, GOLD_8_FILE,
             GOLD_9_FILE, GOLD_10_FILE, GOLD_11_FILE, GOLD_12_FILE, GOLD_13_FILE, GOLD_14_FILE,
             GOLD_15_FILE, GOLD_16_FILE)
SETS = {path.name: load(path) if path.exists() else [] for path in ALL_FILES}
QUESTIONS = [(name, question) for name, questions in SETS.items() for question in questions]


def assert_on_its_page(gold: dict) -> None:
    document = ingested(gold["doc"])
    pages = {page.number: page.text for page in document.pages}
    assert gold["page"] in pages, f"{gold['doc']} has no page {gold['page']}"
    assert squash(gold["passage"]) in squash(pages[gold["page"]]), f"passage not on {gold['doc']} p.{gold['page']}"


def test_the_gold_set_is_large_and_varied_enough() -> None:
    gold = SETS[GOLD_FILE.name]
    assert gold, f"{GOLD_FILE} is missing"
    kinds = Counter(q["kind"] for q in gold)
    assert set(kinds) <= KINDS
    assert sum(q["answerable"] for q in gold) >= 120
    assert sum(not q["answerable"] for q in gold) >= 30
    assert all(kinds[kind] >= 5 for kind in KINDS), kinds


@pytest.mark.parametrize("path", list(LATER_SETS), ids=lambda path: path.name)
def test_a_later_set_covers_every_kind_with_traps_paraphrases_and_follow_ups(path: Path) -> None:
    wanted = LATER_SETS[path]
    questions = SETS[path.name]
    assert len(questions) >= wanted["size"], f"{path} holds {len(questions)} questions"
    kinds = Counter(q["kind"] for q in questions)
    assert set(kinds) <= KINDS
    assert all(kinds[kind] >= minimum for kind, minimum in wanted["kinds"].items()), kinds
    assert all(q["filters"] for q in questions if q["kind"] == "filtre")
    follow_ups = [q for q in questions if q["kind"] == "suivi"]
    assert all(q["history"] for q in follow_ups)
    standalone = [q for q in follow_ups if q["note"].startswith("autonome")]
    assert standalone and len(standalone) < len(follow_ups), "follow-ups must mix both: needing the turn and not"
    assert all(q["note"] for q in questions if not q["answerable"]), "each out-of-corpus question says why it tempts"
    paraphrases = [q for q in questions if q.get("paraphrase")]
    assert len(paraphrases) >= wanted["paraphrase"] and all(q["answerable"] for q in paraphrases)


def test_question_ids_are_unique_across_all_sets() -> None:
    ids = [question["qid"] for _, question in QUESTIONS]
    assert len(set(ids)) == len(ids), [qid for qid, n in Counter(ids).items() if n > 1]


@pytest.mark.parametrize(("name", "question"), QUESTIONS, ids=[f"{name}:{q['qid']}" for name, q in QUESTIONS])
def test_every_gold_passage_is_on_its_page(name: str, question: dict) -> None:
    if not question["answerable"]:
        assert question["gold"] == [] and question["gold_doc_ids"] == [] and question["answers"] == []
        return
    assert question["gold"]
    assert {g["doc"] for g in question["gold"]} == set(question["gold_doc_ids"])
    for gold in question["gold"]:
        assert_on_its_page(gold)
    if question["kind"] == "synthese":
        return
    assert question["answers"] and "points" not in question
    if question["kind"] not in SPREAD_KINDS:
        passages = " ".join(squash(g["passage"]) for g in question["gold"]).lower()
        assert any(squash(answer).lower() in passages for answer in question["answers"]), question["answers"]


SYNTHESES = [(name, q) for name, q in QUESTIONS if q["kind"] == "synthese"]


@pytest.mark.parametrize(("name", "question"), SYNTHESES, ids=[f"{name}:{q['qid']}" for name, q in SYNTHESES])
def test_a_synthesis_question_expects_key_points_each_found_in_its_passage(name: str, question: dict) -> None:
    assert question["answerable"] and question["answers"] == []
    points = question["points"]
    assert 2 <= len(points) <= 4
    for point in points:
        assert point["answers"] and point["gold"]
        for gold in point["gold"]:
            assert_on_its_page(gold)
            assert gold in question["gold"], "the question's gold lists every point's passage"
        passages = " ".join(squash(g["passage"]) for g in point["gold"]).lower()
        for variant in point["answers"]:
            assert squash(variant).lower() in passages, variant


@pytest.mark.parametrize("path", list(LATER_SETS), ids=lambda path: path.name)
def test_paraphrase_questions_share_clearly_fewer_words_with_their_passage(path: Path) -> None:
    result = subprocess.run([sys.executable, str(EVAL / "overlap.py"), str(path)], capture_output=True,
                            text=True, check=True, env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT)})
    means = {line[:16].strip(): float(line[16:].split()[0]) for line in result.stdout.splitlines()}
    assert means["paraphrase"] <= means["autres (FR)"] - 0.15, means
