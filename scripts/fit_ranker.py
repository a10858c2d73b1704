"""Fit the scorer that ranks evidence units (``evidence.FEATURES``): linear weights
(``assistant/answer/unit_ranker.tsv``) and gradient-boosted trees added to their logit (``unit_trees.json``).

    collect  asks every one-fact question (no synthèse; out-of-corpus ones too, marked ``answerable: false``) of
             the question files through the chat's own ``Assistant.stream`` and keeps the arguments of its answer
             step's ``choose_units`` (question, constraints, sources, floor, language, follow-up, previous turn) and
             the expected answers, in a pickle. As long as an ``assistant eval`` of the same files (retrieval
             included). ``fit`` and ``extras`` read the answerable calls only.
    fit      chooses the units again with the current code (so a new feature needs no new collection),
             labels a unit right when the sentence the answer would show gives an expected answer
             (``evaluation.contains_expected``), and fits the weights by a softmax over each question's quotable
             units (the loss: minus the log of the probability of its right units, plus an L2 penalty), features
             standardised. Reported by cross-validation with folds by question: how often the first quotable unit
             is right, for the weights in ``unit_ranker.tsv`` and for those fitted, and leave one set out (fitted
             on the other sets, tested on each set in turn); ``--select`` adds features one at a time while the
             leave-one-set-out figure rises; ``--trees`` boosts regression trees on the same loss from the linear
             logit (scikit-learn, at fit time only: the chat evaluates them with numpy) and reports them leave one
             set out too; ``--write`` writes the weights (and trees) fitted on every question (but the sets
             ``--leave-out`` names) to ``unit_ranker.tsv`` (and ``unit_trees.json``); ``--cache`` keeps the ranked
             questions (ranking them embeds every unit).
    screen   each candidate feature added alone to the fitted ones, leave one set out: first unit right per set,
             and on how many sets it wins or loses (a feature is kept when it wins on most sets).
    extras   for the weights in ``unit_ranker.tsv``, how ``choose_units``' rule for units after the first
             scores at several margins: answers with a right unit, first unit right, answers showing a unit that
             gives another figure than the first.
    gate     whether a question's units answer it at all, leave-one-set-out: how well each feature of the first
             unit separates answerable questions from out-of-corpus ones (AUC), then the lexical floor and a learned
             answerability gate (logistic regression), each chosen on the other sets and reported on each set.

Usage:
    ASSISTANT_INDEX_DIR=… python scripts/fit_ranker.py collect eval/gold.jsonl eval/gold-2.jsonl --out calls.pkl
    python scripts/fit_ranker.py fit calls.pkl --cache ranked.pkl --trees --write
    python scripts/fit_ranker.py screen calls.pkl --cache ranked.pkl
    python scripts/fit_ranker.py extras calls.pkl
    python scripts/fit_ranker.py gate calls.pkl eval/gold.jsonl eval/gold-2.jsonl eval/gold-3.jsonl --cache ranked.pkl
"""

from __future__ import annotations

import argparse
import json
import pickle
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from operator import gt, lt
from pathlib import Path

import numpy as np

from assistant.answer import extractive
from assistant.answer.bilingual import french_terms
from assistant.answer.context import QuestionTerms
from assistant.answer.evidence import FEATURES, UNIT_WEIGHTS, RankedUnit, UnitTrees
from assistant.answer.extractive import _quotable, asked_values, unit_sentence
from assistant.answer.synthesis import is_synthesis
from assistant.evaluation import contains_expected, filters_of, history_of, kind_of, load_questions
from assistant.french import figures
from assistant.service import Assistant

WEIGHTS_FILE = Path(__file__).resolve().parent.parent / "assistant" / "answer" / "unit_ranker.tsv"
TREES_FILE = WEIGHTS_FILE.with_name("unit_trees.json")
FOLDS = 5


def collect(paths: list[Path], out: Path) -> None:
    """Ask each question through the chat and keep the arguments of its choice of units."""
    assistant = Assistant()
    calls: list[dict] = []
    seen: list[tuple] = []
    original = extractive.choose_units

    def recording(*args, **kwargs):
        seen.append((args, kwargs))
        return original(*args, **kwargs)

    extractive.choose_units = recording
    try:
        for path in paths:
            for question in load_questions(path):
                if question.get("points") or is_synthesis(question["question"]):
                    continue
                seen.clear()
                for _ in assistant.stream(question["question"], filters_of(question), history_of(question)):
                    pass
                if seen:
                    args, kwargs = seen[-1]
                    args = args[:5] + args[6:]  # the embedder is the fit's own
                    calls.append({"qid": question["qid"], "set": path.stem, "kind": kind_of(question),
                                  "answerable": bool(question.get("gold_doc_ids")),
                                  "expected": question.get("answers") or [], "args": args, "kwargs": kwargs})
                print(f"{path.stem} {question['qid']}: {'ranked' if seen else 'refused before'}", flush=True)
    finally:
        extractive.choose_units = original
    out.write_bytes(pickle.dumps(calls))


class CachedEmbeddings:
    """The assistant's embedder, each text embedded once for the whole run."""

    def __init__(self, embeddings) -> None:
        self.embeddings, self.documents, self.queries = embeddings, {}, {}

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        missing = [text for text in dict.fromkeys(texts) if text not in self.documents]
        if missing:
            self.documents.update(zip(missing, self.embeddings.embed_documents(missing)))
        return [self.documents[text] for text in texts]

    def embed_query(self, text: str) -> list[float]:
        if text not in self.queries:
            self.queries[text] = self.embeddings.embed_query(text)
        return self.queries[text]


@contextmanager
def recorded_ranking() -> Iterator[list[RankedUnit]]:
    """A list that holds, while the block runs, the units of ``extractive.rank_units``'s last ranking."""
    ranked: list[RankedUnit] = []
    original = extractive.rank_units

    def recording(*args, **kwargs):
        ranked[:] = original(*args, **kwargs)
        return ranked

    extractive.rank_units = recording
    try:
        yield ranked
    finally:
        extractive.rank_units = original


def ranked_questions(calls: list[dict], embeddings: CachedEmbeddings, ungated: bool = False) -> list[dict]:
    """Each call made again by the current ``choose_units`` (``ungated``: with no relevance floor, whatever the call
    had): the features, labels, texts and kinds of the quotable units its ranking step returned, which of them it
    chose, and what ``gate`` needs to choose them again (the units with their sentences, the constraints…)."""
    questions = []
    with recorded_ranking() as ranked:
        for call in calls:
            question, constraints, sources, max_units, floor, *rest = call["args"]
            if ungated:
                floor = 0.0
            chosen = {id(r) for r in extractive.choose_units(question, constraints, sources, max_units, floor,
                                                              embeddings, *rest, **call["kwargs"])}
            rows = [(r, unit_sentence(r.unit)) for r in ranked]
            rows = [(r, text) for r, text in rows if _quotable(r.unit, text)]
            values = [asked_values(constraints.answer_kind or "chiffre", text, question) for _, text in rows]
            questions.append({
                **{key: call[key] for key in ("qid", "set", "kind")}, "question": question,
                "X": np.array([r.features for r, _ in rows]).reshape(len(rows), len(FEATURES)),
                "y": np.array([contains_expected(text, call["expected"]) for _, text in rows], dtype=float),
                "chosen": [i for i, (r, _) in enumerate(rows) if id(r) in chosen],
                "answerable": call.get("answerable", True), "expected": call["expected"], "units": rows,
                "constraints": constraints, "max_units": max_units, "language": rest[0] if rest else "fr",
                "follow_up": bool(rest[1:2] and rest[1]),
                "figures": [{figure for value in found for figure in figures(value)} for found in values]})
    return questions


def fold_of(qid: str) -> int:
    return zlib.crc32(qid.encode()) % FOLDS


def fit_weights(questions: list[dict], columns: list[int], l2: float) -> np.ndarray:
    """Softmax-per-question weights over these feature columns (the others weigh 0), by gradient descent on
    standardised features; returned on the features' own scale. Questions with one unit or no right one teach
    nothing and are left out."""
    usable = [q for q in questions if len(q["y"]) > 1 and q["y"].any()]
    X = np.vstack([q["X"][:, columns] for q in usable])
    y = np.concatenate([q["y"] for q in usable])
    starts = np.cumsum([0] + [len(q["y"]) for q in usable])[:-1]
    group = np.repeat(np.arange(len(usable)), [len(q["y"]) for q in usable])
    mean, scale = X.mean(axis=0), X.std(axis=0) + 1e-9
    X = (X - mean) / scale
    w = np.zeros(len(columns))
    for _ in range(1500):
        s = X @ w
        p = np.exp(s - np.maximum.reduceat(s, starts)[group])
        p /= np.add.reduceat(p, starts)[group]
        right = p * y
        right /= np.add.reduceat(right, starts)[group]
        w -= 0.5 * (l2 * w + X.T @ (p - right) / len(usable))
    weights = np.zeros(len(FEATURES))
    weights[columns] = w / scale
    return weights


def first_right(questions: list[dict], weights: np.ndarray, trees: UnitTrees | None = None) -> int:
    """How many questions have a right unit first under these weights (and trees, added to their logit)."""
    def scores(X: np.ndarray) -> np.ndarray:
        return X @ weights + (trees.score(X) if trees is not None else 0.0)
    return sum(bool(len(q["y"])) and q["y"][int(np.argmax(scores(q["X"])))] == 1 for q in questions)


def fit_trees(questions: list[dict], weights: np.ndarray, names: list[str], rounds: int, depth: int, rate: float,
              leaf: int) -> dict:
    """Gradient-boosted regression trees over the ``names`` features, added to the linear logit ``X @ weights``
    and fitted on the same softmax over each question's units: each round fits a tree (scikit-learn, at fit time
    only) to the loss's Newton step (the right units' share less the unit's probability, over p(1 − p), weighed by
    p(1 − p)). Returned in ``unit_trees.json``'s form (``evidence.UnitTrees.of``), leaf values times ``rate``."""
    from sklearn.tree import DecisionTreeRegressor

    usable = [q for q in questions if len(q["y"]) > 1 and q["y"].any()]
    columns = [FEATURES.index(name) for name in names]
    X = np.vstack([q["X"] for q in usable])
    y = np.concatenate([q["y"] for q in usable])
    starts = np.cumsum([0] + [len(q["y"]) for q in usable])[:-1]
    group = np.repeat(np.arange(len(usable)), [len(q["y"]) for q in usable])
    score = X @ weights
    trees = []
    for _ in range(rounds):
        p = np.exp(score - np.maximum.reduceat(score, starts)[group])
        p /= np.add.reduceat(p, starts)[group]
        right = p * y
        right /= np.add.reduceat(right, starts)[group]
        hessian = np.maximum(p * (1 - p), 1e-6)
        tree = DecisionTreeRegressor(max_depth=depth, min_samples_leaf=leaf)
        tree.fit(X[:, columns], (right - p) / hessian, sample_weight=hessian)
        score += rate * tree.predict(X[:, columns])
        nodes = tree.tree_
        trees.append({"feature": [int(f) if left >= 0 else -1 for f, left in zip(nodes.feature, nodes.children_left)],
                      "threshold": [float(t) for t in nodes.threshold],
                      "left": [max(int(n), 0) for n in nodes.children_left],
                      "right": [max(int(n), 0) for n in nodes.children_right],
                      "value": [round(rate * float(v), 6) for v in nodes.value[:, 0, 0]]})
    return {"features": names, "depth": depth, "trees": trees}


def cross_validated(questions: list[dict], columns: list[int], l2: float) -> int:
    """Right first units over the folds, each fold ranked by weights fitted on the others."""
    return sum(first_right([q for q in questions if fold_of(q["qid"]) == k],
                           fit_weights([q for q in questions if fold_of(q["qid"]) != k], columns, l2))
               for k in range(FOLDS))


def report(questions: list[dict], weights: np.ndarray, label: str, trees: UnitTrees | None = None) -> None:
    sets = sorted({q["set"] for q in questions})
    parts = [f"{name} {first_right([q for q in questions if q['set'] == name], weights, trees)}"
             f"/{sum(q['set'] == name for q in questions)}" for name in sets]
    print(f"{label}: first unit right " + ", ".join(parts))


def answerable_calls(calls_path: Path) -> list[dict]:
    """The collected calls of answerable questions (the ranking is fitted on those)."""
    return [call for call in pickle.loads(calls_path.read_bytes()) if call.get("answerable", True)]


def leave_one_set_out(questions: list[dict], columns: list[int], l2: float, boosting: dict | None = None,
                      left_out: list[str] = ()) -> dict[str, int]:
    """Per question set, its questions with a right unit first under weights (and, with ``boosting``, the
    ``fit_trees`` arguments, trees) fitted on the other sets only; the ``left_out`` sets are in no fit, each scored
    by the weights (and trees) fitted on all the others (PIAF: the check nobody tuned on)."""
    held_out = {}
    fitted = [q for q in questions if q["set"] not in left_out]
    for held in set_names(questions):
        others = [q for q in fitted if q["set"] != held]
        weights = fit_weights(others, columns, l2)
        trees = UnitTrees.of(fit_trees(others, weights, **boosting)) if boosting else None
        held_out[held] = first_right([q for q in questions if q["set"] == held], weights, trees)
    return held_out


def set_names(questions: list[dict]) -> list[str]:
    """The question sets in their files' order (gold, gold-2, …, gold-10)."""
    return sorted({q["set"] for q in questions}, key=lambda name: (len(name), name))


def ranked(calls_path: Path, cache: Path | None) -> list[dict]:
    """The answerable calls ranked again by the current code, or read from ``cache`` when it exists (written
    there otherwise): ranking them embeds every unit, a few minutes."""
    if cache is not None and cache.exists():
        return pickle.loads(cache.read_bytes())
    questions = ranked_questions(answerable_calls(calls_path), CachedEmbeddings(Assistant().embeddings))
    if cache is not None:
        cache.write_bytes(pickle.dumps(questions))
    return questions


def fit(calls_path: Path, names: list[str], select: bool, write: bool, l2: float, cache: Path | None,
        boosting: dict | None = None, left_out: list[str] = ()) -> None:
    questions = ranked(calls_path, cache)
    reachable = sum(q["y"].any() for q in questions)
    print(f"{len(questions)} questions ranked, {reachable} with a right unit among their quotable units")
    columns = [FEATURES.index(name) for name in names]
    print(f"weights of unit_ranker.tsv, nothing fitted: first unit right {first_right(questions, UNIT_WEIGHTS)}"
          f"/{len(questions)}")
    if select:
        columns, best = [], -1
        while True:
            trials = {c: sum(leave_one_set_out(questions, columns + [c], l2).values()) for c in range(len(FEATURES))
                      if c not in columns}
            if not trials:
                break
            c, score = max(trials.items(), key=lambda item: item[1])
            if score <= best:
                break
            columns, best = columns + [c], score
            print(f"  + {FEATURES[c]}: first unit right, leave one set out {score}/{len(questions)}", flush=True)
    print(f"features {[FEATURES[c] for c in columns]}: cross-validated first unit right "
          f"{cross_validated(questions, columns, l2)}/{len(questions)} (l2 {l2}, {FOLDS} folds by question)")
    held_out = leave_one_set_out(questions, columns, l2, left_out=left_out)
    print("leave one set out: set, questions, with a right unit, first unit right under unit_ranker.tsv's weights "
          "→ under weights fitted on the other sets")
    for name in set_names(questions):
        tested = [q for q in questions if q["set"] == name]
        print(f"  {name}\t{len(tested)}\t{sum(q['y'].any() for q in tested)}\t{first_right(tested, UNIT_WEIGHTS)}"
              f" → {held_out[name]}")
    print(f"  all\t{len(questions)}\t{reachable}\t{first_right(questions, UNIT_WEIGHTS)} → {sum(held_out.values())}")
    if boosting:
        boosted = leave_one_set_out(questions, columns, l2, boosting, left_out)
        print(f"with trees {boosting}, leave one set out: set, first unit right under the linear weights → with "
              "the trees (both fitted on the other sets)")
        for name in set_names(questions):
            print(f"  {name}\t{held_out[name]} → {boosted[name]}")
        won, lost = (sum(compare(boosted[name], held_out[name]) for name in held_out) for compare in (gt, lt))
        print(f"  all\t{sum(held_out.values())} → {sum(boosted.values())}; sets won {won}, lost {lost}")
    fitted_on = [q for q in questions if q["set"] not in left_out]
    weights = fit_weights(fitted_on, columns, l2)
    trees = fit_trees(fitted_on, weights, **boosting) if boosting else None
    label = f"fitted on every question but those of {', '.join(left_out)}" if left_out else "fitted on every question"
    report(questions, weights, label, UnitTrees.of(trees) if trees else None)
    print("\n".join(f"{name}\t{weight:.4f}" for name, weight in zip(FEATURES, weights) if weight))
    if write:
        header = [line for line in WEIGHTS_FILE.read_text(encoding="utf-8").splitlines() if line.startswith("#")]
        lines = [f"{name}\t{weight:.4f}" for name, weight in zip(FEATURES, weights) if round(weight, 4)]
        WEIGHTS_FILE.write_text("\n".join(header + lines) + "\n", encoding="utf-8")
        if trees:
            TREES_FILE.write_text(json.dumps(trees, separators=(",", ":")) + "\n", encoding="utf-8")


def screen(calls_path: Path, names: list[str], candidates: list[str], l2: float, cache: Path | None) -> None:
    """Each candidate feature added alone to ``names``, leave one set out: first unit right per set, and on how
    many sets it wins or loses against ``names`` alone (a feature is kept when it wins on most sets)."""
    questions = ranked(calls_path, cache)
    base = [FEATURES.index(name) for name in names]
    without = leave_one_set_out(questions, base, l2)
    sets = set_names(questions)
    print("features\t" + "\t".join(sets) + "\tall\twins\tlosses")
    print(f"{'+'.join(names)}\t" + "\t".join(str(without[name]) for name in sets) + f"\t{sum(without.values())}")
    for candidate in candidates or [name for name in FEATURES if name not in names]:
        scores = leave_one_set_out(questions, base + [FEATURES.index(candidate)], l2)
        wins = sum(scores[name] > without[name] for name in sets)
        losses = sum(scores[name] < without[name] for name in sets)
        print(f"+ {candidate}\t" + "\t".join(str(scores[name]) for name in sets)
              + f"\t{sum(scores.values())}\t{wins}\t{losses}", flush=True)


def extras(calls_path: Path, margins: list[tuple[float, float]]) -> None:
    """``choose_units`` at each pair of margins (``EXTRA_UNIT_MARGIN``, ``OTHER_FIGURE_MARGIN``, in the scorer's
    logits): answers with a right unit, answers whose first unit is right, answers that show a unit giving another
    figure of the kind asked than the first."""
    calls = answerable_calls(calls_path)
    embeddings = CachedEmbeddings(Assistant().embeddings)
    for margin, other in margins:
        extractive.EXTRA_UNIT_MARGIN, extractive.OTHER_FIGURE_MARGIN = margin, other
        right = first = noisy = several = 0
        for q in ranked_questions(calls, embeddings):
            chosen = q["chosen"]
            if not chosen:
                continue
            right += any(q["y"][i] for i in chosen)
            first += bool(q["y"][chosen[0]])
            noisy += any(q["figures"][i] - q["figures"][chosen[0]] for i in chosen[1:])
            several += len(chosen) > 1
        print(f"margins {margin}/{other}: a right unit {right}, the first right {first}, more than one unit "
              f"{several}, a unit with another figure than the first's {noisy} (of {len(calls)} questions)",
              flush=True)


# The gate: whether a question's units answer it at all (not only which answers best), measured leave-one-set-out.
GATE_TOP = 5  # an answerable question's right units count as positives among its first GATE_TOP units
FLOORS = (0.0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3)  # the lexical floor (``llm.extractive_min_relevance``) tried
# What the learned gate reads of a unit: the ranking's ``FEATURES`` and
# score       the ranking's logit (``evidence.rank_units``)
# lead        how far the unit's score stands above the best other unit's (below it: negative), at most MAX_LEAD
# candidates  log(1 + the number of quotable units that satisfy the constraints)
# anywhere    the share of the question's terms found in some unit (with its subject): what the passages say at all
# gap         ``anywhere`` less the unit's own share: what other units give that this one misses
GATE_FEATURES = FEATURES + ("score", "lead", "candidates", "anywhere", "gap")
MAX_LEAD = 5.0


def gate_features(q: dict) -> np.ndarray:
    """The ``GATE_FEATURES`` of a ranked question's quotable units, best first."""
    ranked = [r for r, _ in q["units"]]
    asked = QuestionTerms.of(q["question"] if q["language"] == "fr" else french_terms(q["question"]))
    anywhere = asked.share(" ".join(r.unit.text for r in ranked),
                           " ".join(f"{r.unit.source.passage.info.title} {r.unit.before} {r.unit.context}"
                                    for r in ranked))
    scores = np.array([r.score for r in ranked])
    rows = []
    for i, r in enumerate(ranked):
        others = np.delete(scores, i)
        lead = min(MAX_LEAD, max(-MAX_LEAD, r.score - others.max())) if len(others) else MAX_LEAD
        rows.append([*r.features, r.score, lead, np.log1p(len(ranked)), anywhere, anywhere - r.relevance])
    return np.array(rows, dtype=float).reshape(len(ranked), len(GATE_FEATURES))


def one_fact_counts(paths: list[Path]) -> dict[str, tuple[int, int]]:
    """Per question set, its answerable one-fact questions and its out-of-corpus ones (what ``collect`` asks)."""
    counts = {}
    for path in paths:
        asked = [q for q in load_questions(path) if not q.get("points") and not is_synthesis(q["question"])]
        counts[path.stem] = (sum(bool(q.get("gold_doc_ids")) for q in asked),
                             sum(not q.get("gold_doc_ids") for q in asked))
    return counts


def shown(q: dict, keep: np.ndarray) -> tuple[bool, bool]:
    """(something shown, a shown unit gives an expected answer) when only the kept units may answer."""
    candidates = [unit for unit, kept in zip(q["units"], keep) if kept]
    chosen = {id(r) for r in extractive.shown_units(q["question"], q["constraints"], candidates, q["max_units"])}
    return bool(chosen), any(q["y"][i] for i, (r, _) in enumerate(q["units"]) if id(r) in chosen)


def outcome(questions: list[dict], counts: dict[str, tuple[int, int]], keep) -> dict[str, int]:
    """Answerable right and refused, out-of-corpus refused, over the question sets of ``counts``, when only the
    units ``keep`` (a question → a mask of its units) accepts may answer; a question refused before its units
    were ranked (not collected) stays refused."""
    questions = [q for q in questions if q["set"] in counts]
    answerable, out = sum(a for a, _ in counts.values()), sum(o for _, o in counts.values())
    right = refused = out_refused = 0
    for q in questions:
        any_shown, is_right = shown(q, keep(q)) if len(q["units"]) else (False, False)
        right += q["answerable"] and is_right
        refused += q["answerable"] and not any_shown
        out_refused += not q["answerable"] and not any_shown
    collected = sum(q["answerable"] for q in questions)
    return {"answerable": answerable, "right": right, "refused": refused + answerable - collected,
            "out": out, "out_refused": out_refused + out - (len(questions) - collected)}


def line(label: str, result: dict[str, int]) -> str:
    return (f"{label}: right {result['right']}/{result['answerable']}, refused {result['refused']}, "
            f"out-of-corpus refused {result['out_refused']}/{result['out']}")


def floor_keep(floor: float):
    """The lexical floor: a unit sharing less of the question's terms is dropped (never for a follow-up)."""
    relevance = FEATURES.index("relevance")
    return lambda q: (np.ones(len(q["units"]), dtype=bool) if q["follow_up"]
                      else q["X"][:, relevance] >= floor)


def gate_keep(weights: np.ndarray, threshold: float):
    """The learned gate: a unit whose probability is below the threshold is dropped."""
    return lambda q: 1.0 / (1.0 + np.exp(-(q["gate"] @ weights[:-1] + weights[-1]))) >= threshold


def gate_rows(q: dict, labels: str) -> tuple[np.ndarray, np.ndarray]:
    """A question's training units for the gate and their labels. ``brief``: an answerable question's right units
    among its first ``GATE_TOP`` are positives, every unit an out-of-corpus question would show is a negative;
    ``shown`` adds the wrong units an answerable question would show as negatives."""
    chosen = {id(r) for r in extractive.shown_units(q["question"], q["constraints"], q["units"], q["max_units"])}
    would_show = np.array([id(r) in chosen for r, _ in q["units"]], dtype=bool)
    if not q["answerable"]:
        return q["gate"][would_show], np.zeros(int(would_show.sum()))
    picked = (np.arange(len(q["y"])) < GATE_TOP) & (q["y"] == 1)
    if labels == "shown":
        picked |= would_show
    return q["gate"][picked], q["y"][picked]


def fit_gate(questions: list[dict], l2: float, labels: str) -> np.ndarray:
    """Logistic regression weights over ``GATE_FEATURES`` (the intercept last, not penalised), by gradient descent
    on standardised features with an L2 penalty; returned on the features' own scale."""
    rows = [gate_rows(q, labels) for q in questions if len(q["units"])]
    X, y = np.vstack([x for x, _ in rows]), np.concatenate([labels for _, labels in rows])
    mean, scale = X.mean(axis=0), X.std(axis=0) + 1e-9
    X = (X - mean) / scale
    w, bias = np.zeros(X.shape[1]), 0.0
    for _ in range(3000):
        p = 1.0 / (1.0 + np.exp(-(X @ w + bias)))
        w -= 0.5 * (X.T @ (p - y) / len(y) + l2 * w / len(y))
        bias -= 0.5 * float(np.mean(p - y))
    return np.append(w / scale, bias - float(np.sum(w * mean / scale)))


def best_choice(questions: list[dict], counts: dict[str, tuple[int, int]], choices: dict, max_refused: float):
    """Of the choices (a label → a ``keep``), the one with the most right answers plus out-of-corpus refusals on
    these questions, answerable refusals at most ``max_refused`` of them or at most the 0.3 floor's; ties go to
    the fewest answerable refusals."""
    bound = max(max_refused * sum(a for a, _ in counts.values()),
                outcome(questions, counts, floor_keep(0.3))["refused"])
    results = {label: outcome(questions, counts, keep) for label, keep in choices.items()}
    allowed = [label for label, result in results.items() if result["refused"] <= bound] or list(results)
    return max(allowed, key=lambda label: (results[label]["right"] + results[label]["out_refused"],
                                           -results[label]["refused"]))


def auc(scores: np.ndarray, positive: np.ndarray) -> float:
    """The probability that a positive scores above a negative (ties count half)."""
    pos, neg = scores[positive], scores[~positive]
    return float(((pos[:, None] > neg[None, :]).sum() + 0.5 * (pos[:, None] == neg[None, :]).sum())
                 / max(len(pos) * len(neg), 1))


def gate(calls_path: Path, paths: list[Path], l2: float, labels: str, max_refused: float, cache: Path | None) -> None:
    """Whether the first unit answers, measured on every question set: how well each gate feature of the first
    unit separates answerable questions it answers from out-of-corpus ones (AUC), then the lexical floor and the
    learned gate, each chosen on the other sets and reported on each set in turn."""
    if cache is not None and cache.exists():
        questions = pickle.loads(cache.read_bytes())
    else:
        questions = ranked_questions(pickle.loads(calls_path.read_bytes()), CachedEmbeddings(Assistant().embeddings),
                                     ungated=True)
        if cache is not None:
            cache.write_bytes(pickle.dumps(questions))
    for q in questions:
        q["gate"] = gate_features(q)
    counts = one_fact_counts(paths)
    print("AUC of the first unit's feature, answerable questions it answers against out-of-corpus ones:")
    for name in counts:
        firsts = [q for q in questions if q["set"] == name and len(q["units"]) and (q["y"][0] or not q["answerable"])]
        X, positive = np.array([q["gate"][0] for q in firsts]), np.array([q["answerable"] for q in firsts])
        print(f"  {name} ({positive.sum()} / {(~positive).sum()}): " + ", ".join(
            f"{feature} {auc(X[:, i], positive):.2f}" for i, feature in enumerate(GATE_FEATURES)))
    for held in counts:
        others = {name: n for name, n in counts.items() if name != held}
        train = [q for q in questions if q["set"] != held]
        floor = best_choice(train, others, {floor: floor_keep(floor) for floor in FLOORS}, max_refused)
        weights = fit_gate(train, l2, labels)
        threshold = best_choice(train, others, {round(float(t), 2): gate_keep(weights, t)
                                                for t in np.arange(0.0, 0.96, 0.02)}, max_refused)
        print(f"held out {held}: floor {floor}, gate threshold {threshold} (chosen on the others)")
        print("  " + line("floor 0.3", outcome(questions, {held: counts[held]}, floor_keep(0.3))))
        print("  " + line(f"floor {floor}", outcome(questions, {held: counts[held]}, floor_keep(floor))))
        print("  " + line(f"gate {threshold}", outcome(questions, {held: counts[held]}, gate_keep(weights, threshold))))
    for floor in FLOORS:
        print(f"floor {floor}: " + "; ".join(line(name, outcome(questions, {name: n}, floor_keep(floor)))
                                         for name, n in counts.items()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    collecting = commands.add_parser("collect")
    collecting.add_argument("questions", type=Path, nargs="+")
    collecting.add_argument("--out", type=Path, required=True)
    fitting = commands.add_parser("fit")
    fitting.add_argument("calls", type=Path)
    fitting.add_argument("--select", action="store_true")
    fitting.add_argument("--write", action="store_true")
    fitting.add_argument("--features", default="relevance,phrase,reason,cosine,source",
                         help="the features to fit, by name (evidence.FEATURES), comma-separated")
    fitting.add_argument("--l2", type=float, default=0.1)
    fitting.add_argument("--cache", type=Path, help="the ranked questions (features, labels), read from this pickle "
                                                    "when it exists, written there otherwise")
    fitting.add_argument("--trees", action="store_true", help="add gradient-boosted trees to the linear scorer "
                                                              "(unit_trees.json)")
    fitting.add_argument("--tree-features", default=",".join(FEATURES), help="the features the trees read")
    fitting.add_argument("--rounds", type=int, default=200)
    fitting.add_argument("--depth", type=int, default=3)
    fitting.add_argument("--rate", type=float, default=0.05)
    fitting.add_argument("--leaf", type=int, default=50, help="the fewest units in a tree's leaf")
    fitting.add_argument("--leave-out", default="", help="question sets (file stems) the written scorer is not "
                                                         "fitted on, comma-separated: held out for a live check")
    screening = commands.add_parser("screen")
    screening.add_argument("calls", type=Path)
    screening.add_argument("--features", default="relevance,phrase,reason,cosine,source")
    screening.add_argument("--candidates", default="", help="the features to add one at a time (default: all others)")
    screening.add_argument("--l2", type=float, default=0.1)
    screening.add_argument("--cache", type=Path)
    extra = commands.add_parser("extras")
    extra.add_argument("calls", type=Path)
    extra.add_argument("--margins", nargs="+", default=["0/0", "1/1", "1.5/1.5", "2/1", "2/1.5", "2/2", "3/3"],
                       help="pairs EXTRA_UNIT_MARGIN/OTHER_FIGURE_MARGIN")
    gating = commands.add_parser("gate")
    gating.add_argument("calls", type=Path)
    gating.add_argument("questions", type=Path, nargs="+", help="the question files collected, for their counts")
    gating.add_argument("--l2", type=float, default=1.0)
    gating.add_argument("--labels", choices=("brief", "shown"), default="brief")
    gating.add_argument("--max-refused", type=float, default=0.05)
    gating.add_argument("--cache", type=Path, help="the ranked questions, kept here to measure again without ranking")
    arguments = parser.parse_args()
    if arguments.command == "collect":
        collect(arguments.questions, arguments.out)
    elif arguments.command == "fit":
        boosting = {"names": arguments.tree_features.split(","), "rounds": arguments.rounds, "depth": arguments.depth,
                    "rate": arguments.rate, "leaf": arguments.leaf} if arguments.trees else None
        fit(arguments.calls, arguments.features.split(","), arguments.select, arguments.write, arguments.l2,
            arguments.cache, boosting, [name for name in arguments.leave_out.split(",") if name])
    elif arguments.command == "screen":
        screen(arguments.calls, arguments.features.split(","), [c for c in arguments.candidates.split(",") if c],
               arguments.l2, arguments.cache)
    elif arguments.command == "gate":
        gate(arguments.calls, arguments.questions, arguments.l2, arguments.labels, arguments.max_refused,
             arguments.cache)
    else:
        extras(arguments.calls, [tuple(map(float, pair.split("/"))) for pair in arguments.margins])


if __name__ == "__main__":
    main()
