"""Whether the answer step answers or refuses, measured leave one set out over the collected calls
(``fit_ranker.py collect``): the lexical floor (``llm.extractive_min_relevance``) against gates that read the
ranking's score and features.

    rank   makes every collected call again with the current ``choose_units``, at its own floor (what main shows)
           and at none (what a gate could let through); keeps, for the first unit each would show, what a gate reads
           (``GATE_FEATURES``) and whether an expected answer is shown. Embeds every unit: minutes.
    loso   how well each feature of the first unit tells (AUC), then per question set held out, a gate fitted and
           thresholded on the other sets (``SIDES``: ``rescue`` answers a question the floor refuses, ``refuse``
           refuses one it answers, ``replace`` decides on the unit with no floor), reported as the verdicts it
           changes against the floor's.
    apply  the gates fitted on every set of the fit, replayed on other calls (PIAF).
``--answers`` (main's recorded answers) keeps the replay to the questions whose answered/refused it reproduces.

Usage:
    ASSISTANT_INDEX_DIR=… python scripts/fit_gate.py rank calls.pkl [calls2.pkl…] --out decisions.pkl
    python scripts/fit_gate.py loso decisions.pkl --sets gold,gold-2,… --answers eval/recorded/gold-answers.jsonl …
    python scripts/fit_gate.py apply decisions.pkl piaf-decisions.pkl --sets gold,… --tests queries,piaf-paraphrase
"""

from __future__ import annotations

import argparse
import json
import pickle
from pathlib import Path

import numpy as np

from assistant.answer import extractive
from assistant.answer.bilingual import french_terms
from assistant.answer.context import QuestionTerms
from assistant.answer.evidence import FEATURES, RankedUnit
from assistant.answer.extractive import unit_sentence
from assistant.answer.refusal import RULES
from assistant.evaluation import contains_expected
from assistant.service import Assistant
from fit_ranker import CachedEmbeddings, auc, recorded_ranking  # this script's neighbour in scripts/

MAX_LEAD = 5.0
# The floor's refusal (``too_little_in_common``), by the end of its reason: the part that names no term.
FLOOR_REFUSAL = next(rule.reason for rule in RULES if rule.name == "too_little_in_common").rsplit(" : ", 1)[-1]
# What a gate reads of the first unit a question's answer would show: the ranking's features and
# score      the ranking's logit
# lead       its lead over the best other unit ranked (MAX_LEAD when alone)
# ranked     log(1 + the number of units ranked: those that meet the question's constraints)
# anywhere   the share of the question's terms found in some ranked unit (with its subject)
# missing    ``anywhere`` less the unit's own share
# kind       1 when the question asks a kind of value (a figure, a date, a person): the constraints check it
# names      the names the question pins (the constraints check them)
GATE_FEATURES = FEATURES + ("score", "lead", "ranked", "anywhere", "missing", "kind", "names")


def _decision(question: str, constraints, language: str, chosen: list[RankedUnit], ranking: list[RankedUnit],
              expected: list[str]) -> dict | None:
    """The first unit shown, as a gate reads it, and whether the answer shown would be right."""
    if not chosen:
        return None
    first = chosen[0]
    others = [r.score for r in ranking if r.unit.text != first.unit.text]
    lead = min(MAX_LEAD, max(-MAX_LEAD, first.score - max(others))) if others else MAX_LEAD
    asked = QuestionTerms.of(question if language == "fr" else french_terms(question))
    anywhere = asked.share(" ".join(r.unit.text for r in ranking),
                           " ".join(f"{r.unit.source.passage.info.title} {r.unit.before} {r.unit.context}"
                                    for r in ranking)) if ranking else 0.0
    row = [*first.features, first.score, lead, np.log1p(len(ranking)), anywhere, anywhere - first.relevance,
           float(bool(constraints and constraints.answer_kind)), float(len(constraints.names) if constraints else 0)]
    return {"x": np.array(row, dtype=float),
            "right": any(contains_expected(unit_sentence(r.unit), expected) for r in chosen)}


def rank(call_paths: list[Path], out: Path) -> None:
    """Every call made again, at its floor and at none."""
    embeddings = CachedEmbeddings(Assistant().embeddings)
    decisions = []
    with recorded_ranking() as ranking:
        for path in call_paths:
            for call in pickle.loads(path.read_bytes()):
                question, constraints, sources, max_units, floor, *rest = call["args"]
                language = rest[0] if rest else "fr"
                found = {}
                for name, at in (("floor", floor), ("none", 0.0)):
                    ranking.clear()
                    chosen = extractive.choose_units(question, constraints, sources, max_units, at, embeddings,
                                                     *rest, **call["kwargs"])
                    found[name] = _decision(question, constraints, language, chosen, list(ranking),
                                            call["expected"])
                decisions.append({key: call[key] for key in ("qid", "set", "kind", "answerable")}
                                 | {"floor": found["floor"], "none": found["none"]})
                print(call["set"], call["qid"], "floor" if found["floor"] else
                      "rescuable" if found["none"] else "nothing", flush=True)
    out.write_bytes(pickle.dumps(decisions))


def outcome(d: dict, first: dict | None) -> str:
    """A question's verdict when ``first`` (a decision, or None: refused) answers it."""
    if first is None:
        return "refused" if d["answerable"] else "out refused"
    if not d["answerable"]:
        return "out answered"
    return "right" if first["right"] else "wrong"


# A verdict's worth: an out-of-corpus question answered is an invented fact shown to a user, worse than a refusal.
WORTH = {"right": 1.0, "wrong": -1.0, "refused": 0.0, "out refused": 0.0}


def worth(verdict: str, ooc_cost: float) -> float:
    """A verdict's worth, an out-of-corpus question answered costing ``ooc_cost``."""
    return -ooc_cost if verdict == "out answered" else WORTH[verdict]


def gain(before: str, after: str, ooc_cost: float, wrong_refused: float) -> float:
    """What a verdict changed from ``before`` (the floor's) to ``after`` is worth; refusing a wrong answer gains
    ``wrong_refused`` (0 by default: a gate must not win by raising answerable refusals)."""
    if before == "wrong" and after == "refused":
        return wrong_refused
    return worth(after, ooc_cost) - worth(before, ooc_cost)


def fit_logistic(X: np.ndarray, y: np.ndarray, w: np.ndarray, l2: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Weighted logistic regression on standardised features: (mean, scale, weights with the intercept last)."""
    mean, scale = X.mean(axis=0), X.std(axis=0) + 1e-9
    Z = np.hstack([(X - mean) / scale, np.ones((len(X), 1))])
    beta = np.zeros(Z.shape[1])
    for _ in range(3000):
        p = 1 / (1 + np.exp(-Z @ beta))
        grad = Z.T @ (w * (p - y)) / w.sum() + l2 * np.append(beta[:-1], 0) / len(y)
        beta -= 0.5 * grad
    return mean, scale, beta


def probability(model, X: np.ndarray) -> np.ndarray:
    """The logistic's probability that a unit answers right."""
    mean, scale, beta = model
    return 1 / (1 + np.exp(-(np.hstack([(X - mean) / scale, np.ones((len(X), 1))]) @ beta)))


SIDES = {
    # the floor refuses, no floor shows a unit: answer it when the gate lets it through
    "rescue": lambda d: d["none"] if d["floor"] is None else None,
    # the floor answers: refuse when the gate stops its first unit
    "refuse": lambda d: d["floor"],
    # in place of the floor: the first unit with no floor answers when the gate lets it through
    "replace": lambda d: d["none"],
}


def samples(decisions: list[dict], side: str, columns: list[int]) -> list[dict]:
    """The questions a gate decides on one side (``SIDES``), each with the unit it would let through, its
    features and the floor's verdict (``main``)."""
    chosen = []
    for d in decisions:
        first = SIDES[side](d)
        if first is not None:
            chosen.append(d | {"first": first, "xs": first["x"][columns], "main": outcome(d, d["floor"])})
    return chosen


def choose_threshold(train: list[dict], p: np.ndarray, ooc_cost: float, wrong_refused: float) -> float | None:
    """The threshold (answer when p ≥ it) of most worth on the training questions against the floor's verdicts,
    with no more out-of-corpus questions answered than under the floor; the floor's own verdicts when none gains."""
    answered = [outcome(d, d["first"]) for d in train]
    refused = [outcome(d, None) for d in train]
    out_floor = sum(d["main"] == "out answered" for d in train)
    best, best_gain = None, 0.0
    for t in np.append(np.unique(np.round(p, 3)), 1.01):
        verdicts = [a if through else r for a, r, through in zip(answered, refused, p >= t)]
        if sum(v == "out answered" for v in verdicts) > out_floor:
            continue
        total = sum(gain(d["main"], v, ooc_cost, wrong_refused) for v, d in zip(verdicts, train))
        if total > best_gain:
            best, best_gain = float(t), total
    return best


def changes(tested: list[dict], through: np.ndarray) -> dict[str, int]:
    """The verdicts changed against the floor's, by kind (« refused → right »…)."""
    counted: dict[str, int] = {}
    for d, passes in zip(tested, through):
        verdict = outcome(d, d["first"] if passes else None)
        if verdict != d["main"]:
            key = f"{d['main']} → {verdict}"
            counted[key] = counted.get(key, 0) + 1
    return counted


def aligned(decisions: list[dict], answer_paths: list[Path]) -> list[dict]:
    """The decisions as main's recorded answers (``assistant eval --answers``) had them: a question main refused by
    another rule than the floor (``too_little_in_common``), or answered where the replay finds nothing, or refused by
    the floor where the replay shows a unit (calls collected on older code), decides nothing."""
    recorded = {r["qid"]: r for path in answer_paths for r in map(json.loads, path.open(encoding="utf-8"))}
    kept = []
    for d in decisions:
        answer = recorded.get(d["qid"])
        if answer is None:
            continue
        by_floor = answer["refused"] and FLOOR_REFUSAL in answer["refusal_reason"]
        if (answer["refused"] and not by_floor) or by_floor == (d["floor"] is not None):
            d = d | {"floor": None, "none": None}
        kept.append(d)
    return kept


def separations(decisions: list[dict], sets: list[str], fit_sets: list[str], names: list[str]) -> None:
    """How well each feature of the first unit tells (AUC), per set and over the sets of the fit (``all``): on the
    refuse side an answerable question answered right from an out-of-corpus one; on the rescue side a right unit
    from a wrong or out-of-corpus one."""
    for side in ("refuse", "rescue"):
        print(f"AUC, {side} side:")
        for name in sets + ["all"]:
            pool = [d for d in samples(decisions, side, [])
                    if d["set"] == name or name == "all" and d["set"] in fit_sets]
            if side == "refuse":
                pool = [d for d in pool if not d["answerable"] or d["first"]["right"]]
            if not pool:
                continue
            X = np.array([d["first"]["x"] for d in pool])
            positive = np.array([d["answerable"] and d["first"]["right"] for d in pool])
            print(f"  {name} ({positive.sum()} / {(~positive).sum()}): " + ", ".join(
                f"{feature} {auc(X[:, GATE_FEATURES.index(feature)], positive):.2f}" for feature in names))


def loso(decisions: list[dict], sets: list[str], names: list[str], l2: float, ooc_cost: float,
         wrong_refused: float, rule: str, sides: list[str]) -> None:
    """Each side's gate fitted and thresholded on all sets but one, its changed verdicts on that one."""
    columns = [GATE_FEATURES.index(name) for name in names]
    fit_on = [d for d in decisions if d["set"] in sets]
    for side in sides:
        pool = samples(fit_on, side, columns)
        kinds = {v: sum(outcome(d, d["first"]) == v for d in pool) for v in ("right", "wrong", "out answered")}
        print(f"{side}: {len(pool)} questions decide; let through, {kinds}")
        total: dict[str, int] = {}
        for held in sets:
            train = [d for d in pool if d["set"] != held]
            tested = [d for d in pool if d["set"] == held]
            if not train or not tested:
                continue
            model = gate_model(train, rule, l2, ooc_cost)
            t = choose_threshold(train, score(model, train), ooc_cost, wrong_refused)
            result = changes(tested, score(model, tested) >= t) if t is not None else {}
            for key, count in result.items():
                total[key] = total.get(key, 0) + count
            print(f"  held out {held}: threshold {'floor' if t is None else f'{t:.3f}'}, {len(tested)} deciding → "
                  f"{result or 'no change'}")
        print(f"  all held out: {total}")


def gate_model(train: list[dict], rule: str, l2: float, ooc_cost: float):
    """``logistic``: a weighted logistic regression (right 1; wrong and out of corpus 0, the latter weighing
    ``ooc_cost``); or one feature read as it is (its name)."""
    if rule != "logistic" or not train:
        return rule
    X = np.array([d["xs"] for d in train])
    y = np.array([float(d["answerable"] and d["first"]["right"]) for d in train])
    w = np.array([1.0 if d["answerable"] else ooc_cost for d in train])
    return fit_logistic(X, y, w, l2)


def score(model, questions: list[dict]) -> np.ndarray:
    """The gate's value for each question's unit: the logistic's probability, or the one feature read."""
    if not questions:
        return np.array([])
    if isinstance(model, str):
        return np.array([d["first"]["x"][GATE_FEATURES.index(model)] for d in questions])
    return probability(model, np.array([d["xs"] for d in questions]))


def apply(decisions: list[dict], fit_sets: list[str], tests: list[str], names: list[str], l2: float,
          ooc_cost: float, wrong_refused: float, rule: str, sides: list[str]) -> None:
    """Each side's gate fitted and thresholded on the ``fit_sets``, its changed verdicts on each of the ``tests``."""
    columns = [GATE_FEATURES.index(name) for name in names]
    for side in sides:
        pool = samples(decisions, side, columns)
        train = [d for d in pool if d["set"] in fit_sets]
        model = gate_model(train, rule, l2, ooc_cost)
        t = choose_threshold(train, score(model, train), ooc_cost, wrong_refused)
        for name in tests:
            tested = [d for d in pool if d["set"] == name]
            result = changes(tested, score(model, tested) >= t) if t is not None else {}
            print(f"{side} fitted on {len(fit_sets)} sets, threshold {'floor' if t is None else f'{t:.3f}'}, on "
                  f"{name} ({len(tested)} deciding): {result or 'no change'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    ranking = commands.add_parser("rank")
    ranking.add_argument("calls", type=Path, nargs="+")
    ranking.add_argument("--out", type=Path, required=True)
    for name in ("loso", "apply"):
        sub = commands.add_parser(name)
        sub.add_argument("decisions", type=Path, nargs="+")
        sub.add_argument("--sets", required=True, help="the question sets fitted on, comma-separated")
        sub.add_argument("--tests", default="queries,piaf-paraphrase")
        sub.add_argument("--features", default=",".join(GATE_FEATURES))
        sub.add_argument("--rule", default="logistic", help="logistic, or one gate feature read as it is")
        sub.add_argument("--l2", type=float, default=1.0)
        sub.add_argument("--ooc-cost", type=float, default=2.0)
        sub.add_argument("--wrong-refused", type=float, default=0.0,
                         help="what refusing a wrong answer gains (0: nothing, no more answerable refusals)")
        sub.add_argument("--sides", default="rescue,refuse", help=f"of {', '.join(SIDES)}, comma-separated")
        sub.add_argument("--answers", type=Path, nargs="*", default=[],
                         help="main's recorded answers of the sets (assistant eval --answers), to align with")
    arguments = parser.parse_args()
    if arguments.command == "rank":
        rank(arguments.calls, arguments.out)
        return
    decisions = [d for path in arguments.decisions for d in pickle.loads(path.read_bytes())]
    if arguments.answers:
        decisions = aligned(decisions, arguments.answers)
    sets, names = arguments.sets.split(","), arguments.features.split(",")
    if arguments.command == "loso":
        separations(decisions, sets + [name for name in arguments.tests.split(",")
                                       if any(d["set"] == name for d in decisions)], sets,
                    ["score", "cosine", "relevance", "rare", "lead", "cosine_gap", "anywhere"])
        loso(decisions, sets, names, arguments.l2, arguments.ooc_cost, arguments.wrong_refused, arguments.rule,
             arguments.sides.split(","))
    else:
        apply(decisions, sets, arguments.tests.split(","), names, arguments.l2, arguments.ooc_cost,
              arguments.wrong_refused, arguments.rule, arguments.sides.split(","))


if __name__ == "__main__":
    main()
