"""Where the passage holding the answer stood, for the answers ``assistant eval`` scored wrong or refused.

For each answerable question of a question file whose recorded answer (``assistant eval FILE --answers ANSWERS``)
is wrong or refused, searches the question again as the chat does (``Assistant.search`` with its filters) and gives
the rank of the first passage holding an expected answer (``evaluation.contains_expected``) among the first ten, or
none: a wrong answer whose passage ranks first lost its answer in the choice of the unit, not in the search.

Usage:
    ASSISTANT_INDEX_DIR=… python scripts/answer_passage_rank.py eval/gold-15.jsonl ANSWERS.jsonl [--each]
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

from assistant.evaluation import contains_expected, filters_of, load_questions
from assistant.service import Assistant

DEPTH = 10  # passages read from each search
SHOWN_DEPTH = 5  # the report's « among the first five »


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("questions", type=Path)
    parser.add_argument("answers", type=Path, help="the JSONL that `assistant eval --answers` wrote")
    parser.add_argument("--each", action="store_true", help="one line per question")
    args = parser.parse_args()
    questions = {question["qid"]: question for question in load_questions(args.questions)}
    assistant = Assistant()
    ranks: dict[str, Counter[str]] = {"wrong": Counter(), "refused": Counter()}
    for line in args.answers.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        question = questions.get(record["qid"])
        if record["verdict"] not in ranks or not question or not question.get("answers"):
            continue
        found = assistant.search(question["question"], filters_of(question))[:DEPTH]
        rank = next((n for n, source in enumerate(found, 1)
                     if contains_expected(source.passage.text, question["answers"])), None)
        ranks[record["verdict"]]["first" if rank == 1 else f"2-{SHOWN_DEPTH}" if rank and rank <= SHOWN_DEPTH
                                 else f"{SHOWN_DEPTH + 1}-{DEPTH}" if rank else "none"] += 1
        if args.each:
            print(f"{record['qid']}\t{record['kind']}\t{record['verdict']}\t{rank or '-'}\t{question['question']}")
    for verdict, counts in ranks.items():
        print(f"{verdict}: {sum(counts.values())} — first {counts['first']}, 2-{SHOWN_DEPTH} {counts[f'2-{SHOWN_DEPTH}']}, "
              f"{SHOWN_DEPTH + 1}-{DEPTH} {counts[f'{SHOWN_DEPTH + 1}-{DEPTH}']}, none {counts['none']}")


if __name__ == "__main__":
    main()
