"""Calibrate and measure the refusals and the citation check on the gold questions, without re-running the model.

    record  runs the chat model of the settings on every gold question (with the refusals off, so that the model
            answers every one) and appends its raw answer, the sources and the timings to a JSONL file; it resumes
            where it stopped. About 20 s a question with the local model on 2 cores.
    search  the same without the model: only the searches (a second a question), for the answers made from the
            evidence.
    replay  passes the recorded answers through the same code the chat uses (`write_answer`: refusal before the
            model, sentence checks, refusal after it) under each setting of a grid, on two halves of the questions
            (split by a hash of the id): thresholds are chosen on `tune` and reported on `held-out` too. It also
            measures the check itself: how many recorded sentences that give the expected answer it keeps
            (sensitivity), and how many of the same sentences with the figure or the name changed it removes
            (specificity).
    breakdown  at the defaults, where every recorded question ends (answered right or wrong, refused before or
            after the model); the extractive backend alone on the same sources; and the extractive answer as a
            fallback for the answers refused after the model, at several relevance floors.
    tally   the per-kind table of the answers ``compare --dump`` wrote (several shards of one way together).
    compare  per question kind, each way of answering (the model's recorded answer with the checks of main or
            with the question's constraints; the evidence units alone, with or without the constraints) on the same
            recorded searches, scored strictly: the expected answer in a sentence whose cited passage holds it.

Usage:
    ASSISTANT_INDEX_DIR=/tmp/idx-answers .venv/bin/python bench/answer_calibration.py record eval/gold.jsonl runs.jsonl
    .venv/bin/python bench/answer_calibration.py replay eval/gold.jsonl runs.jsonl
    .venv/bin/python bench/answer_calibration.py breakdown eval/gold.jsonl runs.jsonl
    ASSISTANT_INDEX_DIR=/tmp/idx-answers .venv/bin/python bench/answer_calibration.py search eval/gold.jsonl s.jsonl
    .venv/bin/python bench/answer_calibration.py compare eval/gold.jsonl s.jsonl [--dump answers/]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import time
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from assistant.answer import extractive
from assistant.answer.chain import chain_inputs
from assistant.answer.context import compact_context
from assistant.answer.constraints import conversation_constraints
from assistant.answer.language import question_language
from assistant.answer.rewrite import question_in_context, relevant_history, rewrite_question
from assistant.answer.verification import SupportChecker, SupportThresholds
from assistant.answer.writer import write_answer
from assistant.evaluation import (AnswerScores, answer_record, contains_expected, filters_of, history_of,
                                  load_questions, verdict)
from assistant.french import split_sentences
from assistant.index.embeddings import E5Embeddings
from assistant.models import Answer, DocumentInfo, Passage, Source
from assistant.service import Assistant
from assistant.settings import LLMSettings, Settings

DEFAULT_RELEVANCE = extractive.MIN_RELEVANCE


def record(questions_file: Path, output: Path, with_model: bool = True) -> None:
    """Append the model's raw answer to every gold question not yet in ``output`` (without the model: only the
    search, for replaying the answers made from the evidence)."""
    settings = Settings()
    # The model's own answer is what is recorded, whatever the default way of answering.
    assistant = Assistant(settings.model_copy(update={"llm": settings.llm.model_copy(update={"answer_from": "model"})}))
    if with_model:
        assistant.load_models()
    questions = load_questions(questions_file)
    random.Random(7).shuffle(questions)  # a partial run is a fair sample
    done = {json.loads(line)["qid"] for line in output.read_text().splitlines()} if output.exists() else set()
    for question in (q for q in questions if q["qid"] not in done):
        history = relevant_history(question["question"], history_of(question))
        started = time.perf_counter()
        query = rewrite_question(question["question"], history, None)
        asked = question_in_context(question["question"], history)
        sources = assistant.search(query, filters_of(question),
                                   wide=conversation_constraints(question["question"], asked).pins)
        language = question_language(question["question"])
        inputs = chain_inputs(asked, compact_context(asked, sources, assistant.settings.llm.context_chars),
                              language, assistant.settings.prompts_dir)
        text, first = ("", None) if with_model else (None, None)
        for token in (assistant.answer_chain.stream(inputs) if with_model else []):
            first = first or (time.perf_counter() - started if token else None)
            text += token
        row = {"qid": question["qid"], "query": query, "asked": asked, "language": language, "raw": text,
               "context": inputs["context"], "first_s": first, "total_s": time.perf_counter() - started,
               "sources": [source_row(s) for s in sources]}
        with output.open("a", encoding="utf-8") as out:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
        print(question["qid"], f"{first or 0:.1f} s", (text or "")[:80].replace("\n", " "), flush=True)


def source_row(source: Source) -> dict[str, Any]:
    """A source as the record keeps it."""
    info = source.passage.info
    return {"number": source.number, "id": source.passage.id, "text": source.passage.text, "path": info.path,
            "doc_id": info.doc_id, "title": info.title, "doc_type": info.doc_type, "regions": list(info.regions),
            "date": info.date, "code": info.code, "dense": source.dense_score, "lexical": source.lexical_score}


def source_of(row: dict[str, Any]) -> Source:
    """A recorded source back as a ``Source``."""
    info = DocumentInfo(row["path"], row["title"], row["doc_id"], row["doc_type"], tuple(row["regions"]),
                        row["date"], "interne", row["code"])
    return Source(row["number"], Passage(row["id"], row["text"], info, None, "", 0, 0), 0.0,
                  dense_score=row["dense"], lexical_score=row["lexical"])


class RecordedAnswer:
    """Streams a recorded answer word by word, in place of the answer chain."""

    def __init__(self, text: str) -> None:
        self.text = text

    def stream(self, _: dict[str, str]) -> Iterator[str]:
        words = self.text.split(" ")
        yield from (word if i == 0 else f" {word}" for i, word in enumerate(words))


class CachedEmbeddings(E5Embeddings):
    """The e5 embedder, remembering vectors across the grid's runs."""

    def __init__(self) -> None:
        super().__init__(threads=2)
        self._seen: dict[tuple[str, str], list[float]] = {}

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        missing = [t for t in dict.fromkeys(texts) if ("p", t) not in self._seen]
        self._seen.update(zip((("p", t) for t in missing), super().embed_documents(missing)))
        return [self._seen[("p", t)] for t in texts]

    def embed_query(self, text: str) -> list[float]:
        if ("q", text) not in self._seen:
            self._seen[("q", text)] = super().embed_query(text)
        return self._seen[("q", text)]


# One setting changed at a time from the defaults (None: the defaults themselves).
VARIANTS: list[tuple[str, Any]] = [("", None)] + [
    ("min_lexical_support", v) for v in (0.4, 0.6, 0.7)] + [
    ("min_semantic_support", v) for v in (0.86, 0.9, 0.92, 1.1)] + [
    ("min_translated_support", v) for v in (0.75, 0.85, 0.9)] + [
    ("check_names", False), ("check_question_terms", True), ("check_question_regions", False),
    ("min_dense_score", 0.85)]


def half(qid: str) -> str:
    """``tune`` or ``held-out``, fixed by the question's id."""
    return "tune" if zlib.crc32(qid.encode()) % 2 == 0 else "held-out"


def replay_scores(rows: list[dict], gold: dict[str, dict], settings: LLMSettings, embeddings: CachedEmbeddings,
                  part: str) -> AnswerScores:
    """Scores of the recorded answers of one half, checked and refused as the chat would under ``settings``."""
    scores = AnswerScores()
    for row in (r for r in rows if half(r["qid"]) == part):
        question = gold[row["qid"]]
        scores.add(question, replayed(row, question, settings, embeddings, RecordedAnswer(row["raw"])))
    return scores


def replayed(row: dict, question: dict, settings: LLMSettings, embeddings: CachedEmbeddings,
             chain: RecordedAnswer | None) -> Answer:
    """The final answer the chat would show for a recorded row: the recorded text (or, with no chain, the
    extractive backend's answer on the recorded sources), refused and checked under ``settings``."""
    draft = Answer(question["question"], "", [source_of(s) for s in row["sources"]], search_query=row["query"],
                   language=row["language"])
    answer = draft
    for answer in write_answer(draft, row["asked"], settings, Path("prompts"), chain, embeddings):
        pass
    return answer


def tally(dumps: list[Path]) -> None:
    """The per-kind table of answers dumped by ``compare`` (several shards of one way together)."""
    rows = [json.loads(line) for dump in dumps for line in dump.read_text(encoding="utf-8").splitlines() if line]
    kinds = sorted({row["kind"] for row in rows})
    cells, right, refused, answerable, ooc, ooc_refused = [], 0, 0, 0, 0, 0
    for kind in kinds:
        mine = [row for row in rows if row["kind"] == kind]
        if kind == "hors-corpus":
            good = sum(row["refused"] for row in mine)
            ooc, ooc_refused = ooc + len(mine), ooc_refused + good
        else:
            good = sum(row["verdict"] == "right" for row in mine)
            answerable, right = answerable + len(mine), right + good
            refused += sum(row["refused"] for row in mine)
        cells.append(f"{kind} {good}/{len(mine)}")
    print(f"{len(rows)} answers: " + ", ".join(cells))
    print(f"answerable right {right}/{answerable}, answerable refused {refused}/{answerable}, "
          f"out-of-corpus refused {ooc_refused}/{ooc}")


# The ways of answering compared by ``compare``: (name, settings, uses the recorded model answer).
STRATEGIES: list[tuple[str, dict[str, Any], bool]] = [
    ("model, checks of main (no constraints)", {"check_constraints": False, "answer_from": "model"}, True),
    ("model + constraints", {"answer_from": "model"}, True),
    ("evidence units, no constraints", {"check_constraints": False, "answer_from": "evidence"}, False),
    ("evidence + constraints", {"answer_from": "evidence"}, False),
]


def compare(questions_file: Path, runs: Path, dump: Path | None = None, ways: list[int] | None = None,
            shard: tuple[int, int] = (0, 1)) -> None:
    """Per kind, each way of answering on the same recorded searches: strictly right (expected answer in a
    sentence whose cited passage holds it), answerable refused, out-of-corpus refused. The model's ways only on
    the rows that recorded a model answer. With ``dump``, every answer of each way is written there as JSONL, to
    be read by hand against its cited passages."""
    gold = {q["qid"]: q for q in load_questions(questions_file)}
    rows = [json.loads(line) for line in runs.read_text(encoding="utf-8").splitlines() if line.strip()]
    rows = rows[shard[0]::shard[1]]  # one of several processes sharing the rows
    embeddings = CachedEmbeddings()
    kinds = sorted({gold[r["qid"]].get("kind", "question") for r in rows})
    print("| way | questions | " + " | ".join(kinds) + " | answerable right | answerable refused | "
          "out-of-corpus refused |")
    print("|---|---|" + "---|" * (len(kinds) + 3))
    for way, (name, overrides, uses_model) in enumerate(STRATEGIES, start=1):
        if ways and way not in ways:
            continue
        chosen = [r for r in rows if r.get("raw") is not None] if uses_model else rows
        if not chosen:
            continue
        settings = LLMSettings(**overrides)
        per_kind: dict[str, list[int]] = {kind: [0, 0] for kind in kinds}
        right = refused = answerable = ooc = ooc_refused = 0
        for row in chosen:
            question = gold[row["qid"]]
            answer = replayed(row, question, settings, embeddings, RecordedAnswer(row["raw"]) if uses_model else None)
            kind = question.get("kind", "question")
            if dump is not None:
                with (dump / f"way-{way}.jsonl").open("a", encoding="utf-8") as out:
                    out.write(json.dumps(answer_record(question, answer, verdict(question, answer), 0.0),
                                         ensure_ascii=False) + "\n")
            if question.get("gold_doc_ids"):
                ok = verdict(question, answer) == "right"
                answerable, right, refused = answerable + 1, right + ok, refused + answer.refused
                per_kind[kind][0] += ok
                per_kind[kind][1] += 1
            else:
                ooc, ooc_refused = ooc + 1, ooc_refused + answer.refused
                per_kind[kind][0] += answer.refused
                per_kind[kind][1] += 1
        cells = " | ".join(f"{c}/{n}" for c, n in per_kind.values())
        print(f"| {name} | {len(chosen)} | {cells} | {right}/{answerable} | {refused}/{answerable} | "
              f"{ooc_refused}/{ooc} |", flush=True)


def breakdown(questions_file: Path, runs: Path) -> None:
    """At the defaults, on every recorded answer: where each answerable and out-of-corpus question ends; then the
    extractive backend alone, and as a fallback for the answers refused after the model (at several relevance
    floors, two sentences)."""
    gold = {q["qid"]: q for q in load_questions(questions_file)}
    rows = [json.loads(line) for line in runs.read_text(encoding="utf-8").splitlines() if line.strip()]
    embeddings, defaults = CachedEmbeddings(), LLMSettings(answer_from="model")
    outcomes: dict[str, int] = {}
    refused_after: list[tuple[dict, dict]] = []
    alone: dict[str, int] = {}
    for row in rows:
        question = gold[row["qid"]]
        answer = replayed(row, question, defaults, embeddings, RecordedAnswer(row["raw"]))
        quoted = replayed(row, question, defaults, embeddings, None)
        if answer.refused and answer.checks:
            refused_after.append((row, question))
        for name, count in ((outcome(question, answer, row["raw"]), outcomes), (outcome(question, quoted), alone)):
            count[name] = count.get(name, 0) + 1
    print(f"{len(rows)} recorded answers, defaults:", json.dumps(dict(sorted(outcomes.items())), ensure_ascii=False))
    print("extractive backend alone:", json.dumps(dict(sorted(alone.items())), ensure_ascii=False))
    two_sentences = LLMSettings(extractive_sentences=2)
    for floor in (0.3, 0.5, 0.6, 0.7, 0.8):
        extractive.MIN_RELEVANCE = floor  # the backend's relevance floor, for this measurement only
        fallback: dict[str, int] = {}
        for row, question in refused_after:
            name = outcome(question, replayed(row, question, two_sentences, embeddings, None))
            fallback[name] = fallback.get(name, 0) + 1
        print(f"fallback for the {len(refused_after)} answers refused after the model, floor {floor}:",
              json.dumps(dict(sorted(fallback.items())), ensure_ascii=False), flush=True)
    extractive.MIN_RELEVANCE = DEFAULT_RELEVANCE


def outcome(question: dict, answer: Answer, raw: str | None = None) -> str:
    """Where a question ends: answered right or wrong, refused before or after the model (and whether the model's
    own answer had been right), for answerable and out-of-corpus questions."""
    if not question.get("gold_doc_ids"):
        return "out-of-corpus " + ("answered" if not answer.refused else
                                   "refused after the model" if answer.checks else "refused before the model")
    if not answer.refused:
        return "answerable, answered " + ("right" if contains_expected(answer.text, question["answers"]) else "wrong")
    if not answer.checks:
        return "answerable, refused before the model"
    if raw is None:
        return "answerable, refused after"
    return "answerable, refused after, model's answer " + ("right" if contains_expected(raw, question["answers"])
                                                          else "wrong")


def perturbed(sentence: str, rng: random.Random) -> str | None:
    """The sentence with its first figure changed (one digit), or None if it has no figure."""
    match = re.search(r"\d", sentence)
    if match is None:
        return None
    digit = str((int(match.group()) + rng.randint(1, 8)) % 10)
    return sentence[:match.start()] + digit + sentence[match.end():]


def check_accuracy(rows: list[dict], gold: dict[str, dict], settings: LLMSettings,
                   embeddings: CachedEmbeddings) -> tuple[int, int, int, int]:
    """(kept, correct sentences, removed, perturbed sentences): recorded sentences giving the expected answer of an
    answerable question, and the same with a figure changed."""
    rng = random.Random(3)
    kept = correct = removed = changed = 0
    thresholds = SupportThresholds(settings.min_lexical_support, settings.min_semantic_support,
                                   settings.min_translated_support)
    for row in rows:
        answers = gold[row["qid"]].get("answers") or []
        checker = SupportChecker([source_of(s) for s in row["sources"]], embeddings, thresholds, row["language"],
                                 row["asked"])
        for sentence in split_sentences(row["raw"]):
            if not answers or not contains_expected(sentence, answers):
                continue
            correct += 1
            kept += checker.check(sentence).verdict != "unsupported"
            wrong = perturbed(sentence, rng)
            if wrong is not None:
                changed += 1
                removed += checker.check(wrong).verdict == "unsupported"
    return kept, correct, removed, changed


def replay(questions_file: Path, runs: Path) -> None:
    """Print the grid's scores on both halves, then the check's sensitivity and specificity at the defaults."""
    gold = {q["qid"]: q for q in load_questions(questions_file)}
    rows = [json.loads(line) for line in runs.read_text(encoding="utf-8").splitlines() if line.strip()]
    embeddings = CachedEmbeddings()
    print(f"{len(rows)} recorded answers: {sum(half(r['qid']) == 'tune' for r in rows)} tune, "
          f"{sum(half(r['qid']) == 'held-out' for r in rows)} held-out")
    print("| setting changed from the defaults | half | correct | wrongly refused | out-of-corpus refused | "
          "sentences held as cited | removed |")
    print("|---|---|---|---|---|---|---|")
    for name, value in VARIANTS:
        settings = LLMSettings(answer_from="model", **({name: value} if name else {}))
        for part in ("tune", "held-out"):
            s = replay_scores(rows, gold, settings, embeddings, part)
            print(f"| {name or 'defaults'}{'' if value is None else f' = {value}'} | {part} | "
                  f"{s.correct}/{s.answerable} | {s.wrongly_refused}/{s.answerable} | "
                  f"{s.rightly_refused}/{s.unanswerable} | {s.held_as_cited}/{s.sentences} | "
                  f"{s.removed}/{s.sentences} |", flush=True)
    kept, correct, removed, changed = check_accuracy(rows, gold, LLMSettings(answer_from="model"), embeddings)
    print(f"check at the defaults: keeps {kept}/{correct} recorded sentences that give the expected answer; "
          f"removes {removed}/{changed} of them with one digit of a figure changed")


def main() -> None:
    """Record or replay."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("action", choices=["record", "search", "replay", "breakdown", "compare", "tally"])
    parser.add_argument("questions", type=Path)
    parser.add_argument("runs", type=Path, help="JSONL file of recorded answers")
    parser.add_argument("--dump", type=Path, default=None, help="compare: write every answer there, one file a way")
    parser.add_argument("--ways", type=int, nargs="*", default=None, help="compare: only these ways (1, 2…)")
    parser.add_argument("--shard", default="0/1", help="compare: this process's share of the rows, i/n")
    arguments = parser.parse_args()
    if arguments.action == "tally":  # runs: a folder of dumps (one per shard) of one way
        tally(sorted(arguments.runs.glob("**/way-*.jsonl")))
    elif arguments.action in ("record", "search"):
        record(arguments.questions, arguments.runs, with_model=arguments.action == "record")
    elif arguments.action == "compare":
        index, count = (int(part) for part in arguments.shard.split("/"))
        compare(arguments.questions, arguments.runs, arguments.dump, arguments.ways, (index, count))
    elif arguments.action == "replay":
        replay(arguments.questions, arguments.runs)
    else:
        breakdown(arguments.questions, arguments.runs)


if __name__ == "__main__":
    main()
