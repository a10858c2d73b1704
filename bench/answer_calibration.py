"""Calibrate and measure the refusals and the citation check on the gold questions, without re-running the model.

    record  asks every gold question through `Assistant.stream` with the refusals before the model off (so that
            the model answers every one) and appends the model's raw answer (`Answer.model_text`), the sources and
            the timings to a JSONL file; it resumes where it stopped. About 20 s a question with the local model on
            2 cores.
    search  the same without the model: only the searches (a second a question), for the answers made from the
            evidence.
    replay  passes the recorded answers through the same code the chat uses (`Assistant.answer_from`: refusal
            before the model, sentence checks, refusal after it) under each setting of a grid, on two halves of the questions
            (split by a hash of the id): thresholds are chosen on `tune` and reported on `held-out` too. It also
            measures the check itself: how many recorded sentences that give the expected answer it keeps
            (sensitivity), and how many of the same sentences with the figure or the name changed it removes
            (specificity).
    breakdown  at the defaults, where every recorded question ends (answered right or wrong, refused before or
            after the model); the extractive backend alone on the same sources; and the extractive answer as a
            fallback for the answers refused after the model, at several relevance floors.
    compare per kind, each way of answering (the model with or without the constraints, the evidence with or
            without them) on the same recorded searches, scored with the eval's own verdict; `--dump` writes every
            answer for reading by hand; `tally` adds up the dumps of several shards.
    rescore scores dumped answer records (`assistant eval --answers`, `compare --dump`, `eval/recorded/`) again
            under the current scoring rules, prints each verdict that changes, and writes the new verdicts back.

Usage:
    ASSISTANT_INDEX_DIR=/tmp/idx-answers .venv/bin/python bench/answer_calibration.py record eval/gold.jsonl runs.jsonl
    .venv/bin/python bench/answer_calibration.py replay eval/gold.jsonl runs.jsonl
    .venv/bin/python bench/answer_calibration.py breakdown eval/gold.jsonl runs.jsonl
"""

from __future__ import annotations

import argparse
import json
import random
import re
import time
import zlib
from pathlib import Path
from typing import Any

from langchain_core.embeddings import Embeddings

from assistant.evaluation import (AnswerScores, answer_record, contains_expected, filters_of, history_of,
                                  load_questions, record_verdict, verdict)
from assistant.french import split_sentences
from assistant.models import Answer, DocumentInfo, Passage, PassageScores, Source, Verdict
from assistant.service import Assistant
from assistant.settings import LLMSettings

# The model answers every question it is given passages for: no refusal before it (a cosine is never below -1).
NO_REFUSAL_BEFORE = {"check_names": False, "min_dense_score": -1.0}


def record(questions_file: Path, output: Path, with_model: bool = True) -> None:
    """Append the model's raw answer to every gold question not yet in ``output`` (without the model: only the
    search, for replaying the answers made from the evidence)."""
    assistant = Assistant()
    # The model's own answer is what is recorded, whatever the default way of answering.
    answering = assistant.settings.llm.model_copy(
        update=NO_REFUSAL_BEFORE | ({"answer_from": "model"} if with_model else {"backend": "extractive"}))
    questions = load_questions(questions_file)
    random.Random(7).shuffle(questions)  # a partial run is a fair sample
    done = {json.loads(line)["qid"] for line in output.read_text().splitlines()} if output.exists() else set()
    for question in (q for q in questions if q["qid"] not in done):
        started = time.perf_counter()
        first = None
        answer = Answer(question["question"], "")
        for answer in assistant.stream(question["question"], filters_of(question), history_of(question),
                                       answer_settings=answering):
            first = first or (time.perf_counter() - started if answer.model_text else None)
        text = answer.model_text if with_model else None
        row = {"qid": question["qid"], "query": answer.search_query, "language": answer.language, "raw": text,
               "first_s": first, "total_s": time.perf_counter() - started,
               "sources": [source_row(s) for s in answer.sources]}
        with output.open("a", encoding="utf-8") as out:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
        print(question["qid"], f"{first or 0:.1f} s", (text or "")[:80].replace("\n", " "), flush=True)


def source_row(source: Source) -> dict[str, Any]:
    """A source as the record keeps it."""
    info = source.passage.info
    return {"number": source.number, "id": source.passage.id, "text": source.passage.text, "path": info.path,
            "doc_id": info.doc_id, "title": info.title, "doc_type": info.doc_type, "regions": list(info.regions),
            "date": info.date, "code": info.code, "dense": source.scores.dense, "lexical": source.scores.lexical,
            "context": source.passage.context, "section": source.passage.section}


def source_of(row: dict[str, Any]) -> Source:
    """A recorded source back as a ``Source``."""
    info = DocumentInfo(row["path"], row["title"], row["doc_id"], row["doc_type"], tuple(row["regions"]),
                        row["date"], "interne", row["code"])
    passage = Passage(row["id"], row["text"], info, None, "", 0, 0, context=row.get("context", ""),
                      section=row.get("section", ""))
    return Source(row["number"], passage, PassageScores(0.0, row["dense"], row["lexical"]))


class CachedEmbeddings(Embeddings):
    """The settings' embedder, remembering vectors across the grid's runs."""

    def __init__(self, embedder: Embeddings) -> None:
        self._embedder = embedder
        self._seen: dict[tuple[str, str], list[float]] = {}

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        missing = [t for t in dict.fromkeys(texts) if ("p", t) not in self._seen]
        self._seen.update(zip((("p", t) for t in missing), self._embedder.embed_documents(missing)))
        return [self._seen[("p", t)] for t in texts]

    def embed_query(self, text: str) -> list[float]:
        if ("q", text) not in self._seen:
            self._seen[("q", text)] = self._embedder.embed_query(text)
        return self._seen[("q", text)]


def replaying_assistant() -> Assistant:
    """The assistant that replays recorded answers, its embedder remembering vectors across the grid's runs."""
    return Assistant(embeddings=CachedEmbeddings(Assistant().embeddings))


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


def replay_scores(rows: list[dict], gold: dict[str, dict], settings: LLMSettings, assistant: Assistant,
                  part: str) -> AnswerScores:
    """Scores of the recorded answers of one half, checked and refused as the chat would under ``settings``."""
    scores = AnswerScores()
    for row in (r for r in rows if half(r["qid"]) == part):
        question = gold[row["qid"]]
        scores.add(question, replayed(row, question, settings, assistant, row["raw"]))
    return scores


def replayed(row: dict, question: dict, settings: LLMSettings, assistant: Assistant, text: str | None) -> Answer:
    """The final answer the chat would show for a recorded row: the recorded text (or, with None, the extractive
    backend's answer on the recorded sources), refused and checked under ``settings``."""
    return assistant.answer_from(question["question"], [source_of(s) for s in row["sources"]], text,
                                 history=history_of(question), answer_settings=settings)


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


def rescore(questions_file: Path, records: Path) -> None:
    """Score the dumped answer records of ``records`` again with the eval's current ``verdict``, print each change
    and the counts before and after, and write the file back with the new verdicts."""
    gold = {q["qid"]: q for q in load_questions(questions_file)}
    rows = [json.loads(line) for line in records.read_text(encoding="utf-8").splitlines() if line.strip()]
    before: dict[str, int] = {}
    after: dict[str, int] = {}
    for row in rows:
        new = record_verdict(gold[row["qid"]], row)
        before[row["verdict"]] = before.get(row["verdict"], 0) + 1
        after[new] = after.get(new, 0) + 1
        if new != row["verdict"]:
            print(f"{row['qid']}: {row['verdict']} → {new}  {row['question'][:60]} | {row['answer'][:100]}")
        row["verdict"] = new
    records.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8")
    print(f"{records}: before {dict(sorted(before.items()))}, after {dict(sorted(after.items()))}")


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
    assistant = replaying_assistant()
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
            answer = replayed(row, question, settings, assistant, row["raw"] if uses_model else None)
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
    assistant, defaults = replaying_assistant(), LLMSettings(answer_from="model")
    outcomes: dict[str, int] = {}
    refused_after: list[tuple[dict, dict]] = []
    alone: dict[str, int] = {}
    for row in rows:
        question = gold[row["qid"]]
        answer = replayed(row, question, defaults, assistant, row["raw"])
        quoted = replayed(row, question, defaults, assistant, None)
        if answer.refused and answer.checks:
            refused_after.append((row, question))
        for name, count in ((outcome(question, answer, row["raw"]), outcomes), (outcome(question, quoted), alone)):
            count[name] = count.get(name, 0) + 1
    print(f"{len(rows)} recorded answers, defaults:", json.dumps(dict(sorted(outcomes.items())), ensure_ascii=False))
    print("extractive backend alone:", json.dumps(dict(sorted(alone.items())), ensure_ascii=False))
    for floor in (0.3, 0.5, 0.6, 0.7, 0.8):
        two_sentences = LLMSettings(extractive_sentences=2, extractive_min_relevance=floor)
        fallback: dict[str, int] = {}
        for row, question in refused_after:
            name = outcome(question, replayed(row, question, two_sentences, assistant, None))
            fallback[name] = fallback.get(name, 0) + 1
        print(f"fallback for the {len(refused_after)} answers refused after the model, floor {floor}:",
              json.dumps(dict(sorted(fallback.items())), ensure_ascii=False), flush=True)


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
                   assistant: Assistant) -> tuple[int, int, int, int]:
    """(kept, correct sentences, removed, perturbed sentences): recorded sentences giving the expected answer of an
    answerable question, and the same with a figure changed."""
    rng = random.Random(3)
    kept = correct = removed = changed = 0
    checking = settings.model_copy(update=NO_REFUSAL_BEFORE)

    def removed_by_check(row: dict, sentence: str) -> bool:
        answer = replayed(row, gold[row["qid"]], checking, assistant, sentence)
        return answer.checks[0].verdict == Verdict.UNSUPPORTED

    for row in rows:
        answers = gold[row["qid"]].get("answers") or []
        for sentence in split_sentences(row["raw"]):
            if not answers or not contains_expected(sentence, answers):
                continue
            correct += 1
            kept += not removed_by_check(row, sentence)
            wrong = perturbed(sentence, rng)
            if wrong is not None:
                changed += 1
                removed += removed_by_check(row, wrong)
    return kept, correct, removed, changed


def replay(questions_file: Path, runs: Path) -> None:
    """Print the grid's scores on both halves, then the check's sensitivity and specificity at the defaults."""
    gold = {q["qid"]: q for q in load_questions(questions_file)}
    rows = [json.loads(line) for line in runs.read_text(encoding="utf-8").splitlines() if line.strip()]
    assistant = replaying_assistant()
    print(f"{len(rows)} recorded answers: {sum(half(r['qid']) == 'tune' for r in rows)} tune, "
          f"{sum(half(r['qid']) == 'held-out' for r in rows)} held-out")
    print("| setting changed from the defaults | half | correct | wrongly refused | out-of-corpus refused | "
          "sentences held as cited | removed |")
    print("|---|---|---|---|---|---|---|")
    for name, value in VARIANTS:
        settings = LLMSettings(answer_from="model", **({name: value} if name else {}))
        for part in ("tune", "held-out"):
            s = replay_scores(rows, gold, settings, assistant, part)
            print(f"| {name or 'defaults'}{'' if value is None else f' = {value}'} | {part} | "
                  f"{s.correct}/{s.answerable} | {s.wrongly_refused}/{s.answerable} | "
                  f"{s.rightly_refused}/{s.unanswerable} | {s.held_as_cited}/{s.sentences} | "
                  f"{s.removed}/{s.sentences} |", flush=True)
    kept, correct, removed, changed = check_accuracy(rows, gold, LLMSettings(answer_from="model"), assistant)
    print(f"check at the defaults: keeps {kept}/{correct} recorded sentences that give the expected answer; "
          f"removes {removed}/{changed} of them with one digit of a figure changed")


def main() -> None:
    """Record or replay."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("action", choices=["record", "search", "replay", "breakdown", "compare", "tally", "rescore"])
    parser.add_argument("questions", type=Path)
    parser.add_argument("runs", type=Path, help="JSONL file of recorded answers")
    parser.add_argument("--dump", type=Path, default=None, help="compare: write every answer there, one file a way")
    parser.add_argument("--ways", type=int, nargs="*", default=None, help="compare: only these ways (1, 2…)")
    parser.add_argument("--shard", default="0/1", help="compare: this process's share of the rows, i/n")
    arguments = parser.parse_args()
    if arguments.action == "tally":  # runs: a folder of dumps (one per shard) of one way
        tally(sorted(arguments.runs.glob("**/way-*.jsonl")))
    elif arguments.action == "rescore":  # runs: a file of answer records
        rescore(arguments.questions, arguments.runs)
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
