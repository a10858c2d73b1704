"""The gold questions are themselves checked against the sample corpus as the assistant ingests it."""

from __future__ import annotations

import json
from collections import Counter
from functools import cache
from pathlib import Path

import pytest

from assistant.ingest.readers import read_document
from assistant.models import SourceDocument
from assistant.settings import PROJECT_ROOT

GOLD_FILE = PROJECT_ROOT / "eval" / "gold.jsonl"
CORPUS = PROJECT_ROOT / "corpus"
KINDS = {"factuel", "tableau", "multi-documents", "filtre", "suivi", "anglais", "hors-corpus"}


def squash(text: str) -> str:
    return " ".join(text.replace("\u2019", "'").split())


@cache
def ingested(path: str) -> SourceDocument:
    return read_document(CORPUS / path, CORPUS)


def load_gold() -> list[dict]:
    return [json.loads(line) for line in GOLD_FILE.read_text(encoding="utf-8").splitlines() if line.strip()]


GOLD = load_gold() if GOLD_FILE.exists() else []


def test_the_gold_set_is_large_and_varied_enough() -> None:
    assert GOLD, f"{GOLD_FILE} is missing"
    assert len({q["qid"] for q in GOLD}) == len(GOLD)
    kinds = Counter(q["kind"] for q in GOLD)
    assert set(kinds) <= KINDS
    assert sum(q["answerable"] for q in GOLD) >= 120
    assert sum(not q["answerable"] for q in GOLD) >= 30
    assert all(kinds[kind] >= 5 for kind in KINDS), kinds


@pytest.mark.parametrize("question", GOLD, ids=[q["qid"] for q in GOLD])
def test_every_gold_passage_is_on_its_page(question: dict) -> None:
    if not question["answerable"]:
        assert question["gold"] == [] and question["gold_doc_ids"] == [] and question["answers"] == []
        return
    assert question["answers"] and question["gold"]
    assert {g["doc"] for g in question["gold"]} == set(question["gold_doc_ids"])
    for gold in question["gold"]:
        document = ingested(gold["doc"])
        pages = {page.number: page.text for page in document.pages}
        assert gold["page"] in pages, f"{gold['doc']} has no page {gold['page']}"
        assert squash(gold["passage"]) in squash(pages[gold["page"]]), f"passage not on {gold['doc']} p.{gold['page']}"
    if question["kind"] not in {"multi-documents", "anglais"}:
        passages = " ".join(squash(g["passage"]) for g in question["gold"]).lower()
        assert any(squash(answer).lower() in passages for answer in question["answers"]), question["answers"]
