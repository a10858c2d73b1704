"""Where the unit holding a question's answer is lost before the ranking, per cause and per set.

Reads the answer step's calls that ``scripts/fit_ranker.py collect`` keeps (question, constraints, sources, floor…)
and, for each answerable question whose ranked quotable units hold no expected answer (``contains_expected`` on the
sentence shown), follows the answer down the answer step and names the first step that loses it:

    several      no passage holds an expected answer whole, and each is several facts or a relation (« oui, … »):
                 the scorer reads such answers across sentences (``evaluation.spread_right``), no unit can hold one
    passage      no passage the answer step reads holds it (retrieval depth, the document cap)
    split        a passage holds it, no unit does (the sentence split or the table's rows cut it)
    shown        a unit holds it, the sentence it shows does not (a heading, a page mark cut off)
    quotable     the unit is not quotable (a question, too long, a heading, capitals, a caption)
    follow-up    left out as the previous answer again, or a record card's line
    constraints  it lacks a constraint of the question (``constraints.missing_in``, first one named)
    floor        it shares less than ``min_relevance`` of the question
    filter       « pourquoi », an ordinal or « en tout » kept other units only
    path         ranked, but the question's two parts, premise or bridge ranked other units

Usage:
    python scripts/lost_units.py calls.pkl [--sets queries gold-9 …] [--show CAUSE] [--limit N]
"""

from __future__ import annotations

import argparse
import re
from collections import Counter, defaultdict
from pathlib import Path

from assistant.answer import bridge, extractive, parts
from assistant.answer.constraints import Constraints, missing_in
from assistant.answer.evidence import _REASON, _WHY, MAX_UNIT_CHARS, evidence_units, rank_units
from assistant.answer.extractive import MIN_UNIT_WORDS, _CAPTION, _in_capitals, _quotable, unit_sentence
from assistant.evaluation import contains_expected, expected_pieces
from assistant.french import figures, fold, split_sentences
from assistant.service import Assistant
from fit_ranker import answerable_calls  # this script's neighbour in scripts/

RANKING_MODULES = (extractive, parts, bridge)
CAUSES = ("several", "passage", "split", "shown", "quotable", "follow-up", "constraints", "floor", "filter", "path")


def recorded_rankings(call: dict) -> list:
    """Every unit the call's ``choose_units`` ranked (all its ``rank_units`` calls: parts, bridge, premise)."""
    seen: list = []

    def recording(*args, **kwargs):
        result = rank_units(*args, **kwargs)
        seen.extend(result)
        return result

    for module in RANKING_MODULES:
        module.rank_units = recording
    try:
        question, constraints, sources, max_units, floor, *rest = call["args"]
        extractive.choose_units(question, constraints, sources, max_units, floor, None, *rest, **call["kwargs"])
    finally:
        for module in RANKING_MODULES:
            module.rank_units = rank_units
    return seen


def _why_unquotable(unit, text: str) -> str:
    if unit.text.rstrip().endswith("?"):
        return "question"
    if len(text) > MAX_UNIT_CHARS:
        return "too long"
    if not text or _in_capitals(text):
        return "capitals"
    if len(text.split()) < MIN_UNIT_WORDS and not figures(text):
        return "short"
    if _CAPTION.match(fold(text)):
        return "caption"
    return "?"


def diagnose(call: dict) -> tuple[str, str, str]:
    """(cause, detail, an excerpt to read) for a question whose answer never reaches the ranking; ("", …) when it
    does."""
    question, constraints, sources, max_units, floor, *rest = call["args"]
    language = rest[0] if rest else "fr"
    follow_up = rest[1] if len(rest) > 1 else ""
    said = rest[2] if len(rest) > 2 else ("", "")
    expected = call["expected"]
    holds = lambda text: contains_expected(text, expected)  # noqa: E731
    ranked = recorded_rankings(call)
    if any(_quotable(r.unit, t) and holds(t) for r in ranked for t in [unit_sentence(r.unit)]):
        return "", "", ""
    bearing = [s for s in sources if holds(f"{s.passage.context} {s.passage.text}")]
    if not bearing and all(len(facts) > 1 or relations for facts, relations in map(expected_pieces, expected)):
        return "several", "", ""
    if not bearing:
        return "passage", f"{len(sources)} read", ""
    units = evidence_units(sources)
    holding = [u for u in units if holds(u.text) or (u.kind in ("row", "cell") and holds(f"{u.context} {u.text}"))]
    if not holding:
        passage = bearing[0].passage.text
        return "split", "", _around(passage, expected)
    shown = [u for u in holding if holds(unit_sentence(u))]
    if not shown:
        return "shown", holding[0].kind, f"{holding[0].text[:200]!r} → {unit_sentence(holding[0])[:200]!r}"
    quotable = [u for u in shown if _quotable(u, unit_sentence(u))]
    if not quotable:
        u = shown[0]
        return "quotable", _why_unquotable(u, unit_sentence(u)), unit_sentence(u)[:300]
    ids = lambda ranking: {_key(r.unit) for r in ranking}  # noqa: E731
    free = ids(rank_units(question, Constraints(), units, None, 0.0, language, follow_up, said))
    kept = [u for u in quotable if _key(u) in free]
    why = bool(_WHY.search(fold(split_sentences(follow_up or question)[-1])))
    if not kept and why and not any(_REASON.search(fold(u.text)) for u in quotable):
        return "filter", "pourquoi: no reason word", quotable[0].text[:300]
    if not kept:
        return "follow-up", quotable[0].kind, quotable[0].text[:300]
    constrained = ids(rank_units(question, constraints, units, None, 0.0, language, follow_up, said))
    meeting = [u for u in kept if _key(u) in constrained]
    if not meeting:
        lacks = missing_in(constraints, kept[0])
        return "constraints", lacks[0] if lacks else "?", f"{kept[0].text[:250]} | lacks {lacks}"
    # ``choose_units`` lowers the floor for a follow-up or a synthesis; the recorded ranking shows which was used.
    floored = ids(rank_units(question, constraints, units, None, floor, language, follow_up, said))
    above = [u for u in meeting if _key(u) in floored]
    if not above and floor > 0:
        return "floor", f"{floor}", meeting[0].text[:300]
    return ("filter" if not above else "path"), "", (above or meeting)[0].text[:300]


def _found_at(searcher, call: dict, depth: int) -> str:
    """Where a deeper search (no cap per document) brings the first passage holding the answer: « capped » when
    within the passages read but kept out by the cap per document, else the rank band, or « not found »."""
    found = searcher.search(call["args"][0], top_k=depth, wide=True, per_document=depth)
    at = next((i for i, s in enumerate(found) if contains_expected(f"{s.passage.context} {s.passage.text}",
                                                                    call["expected"])), None)
    read = len(call["args"][2])
    if at is None:
        return f"not in {depth}"
    return "capped" if at < read else f"at {read + 1}-{2 * read}" if at < 2 * read else f"at {2 * read + 1}-{depth}"


def _key(unit) -> tuple:
    return unit.source.number, unit.kind, unit.text


def _around(text: str, expected: list[str]) -> str:
    """The expected answer in its passage, with a little text around (line breaks shown)."""
    folded = fold(text)
    for answer in expected:
        at = folded.find(fold(answer))
        if at >= 0:
            return repr(text[max(0, at - 160):at + len(answer) + 100])
    return repr(text[:200])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("calls", type=Path)
    parser.add_argument("--sets", nargs="*", help="question sets to read (default: all)")
    parser.add_argument("--show", nargs="*", default=[], help="causes whose questions to print")
    parser.add_argument("--limit", type=int, default=1000)
    parser.add_argument("--depth", type=int, default=0, help="for « passage »: search this deep (this run's index) "
                        "and tell where the first passage holding the answer comes")
    args = parser.parse_args()
    calls = [c for c in answerable_calls(args.calls) if not args.sets or c["set"] in args.sets]
    table: dict[str, Counter] = defaultdict(Counter)
    details: dict[str, Counter] = defaultdict(Counter)
    shown = Counter()
    searcher = Assistant() if args.depth else None
    for call in calls:
        cause, detail, excerpt = diagnose(call)
        if cause == "passage" and searcher is not None:
            detail = _found_at(searcher, call, args.depth)
        table[call["set"]][cause or "reached"] += 1
        if cause:
            details[cause][detail] += 1
        if cause in args.show and shown[cause] < args.limit:
            shown[cause] += 1
            print(f"{call['set']} {call['qid']} [{cause}: {detail}] {call['args'][0]}\n   expected "
                  f"{call['expected']}\n   {excerpt}")
    columns = ("reached",) + CAUSES
    print("set\t" + "\t".join(columns) + "\tall")
    for name in sorted(table, key=lambda n: (len(n), n)):
        print(name + "\t" + "\t".join(str(table[name][c]) for c in columns) + f"\t{sum(table[name].values())}")
    total = sum(table.values(), Counter())
    print("all\t" + "\t".join(str(total[c]) for c in columns) + f"\t{sum(total.values())}")
    for cause in CAUSES:
        if details[cause]:
            print(f"{cause}: " + ", ".join(f"{d or '-'} {n}" for d, n in details[cause].most_common(12)))


if __name__ == "__main__":
    main()
