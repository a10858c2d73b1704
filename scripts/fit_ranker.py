"""Fit the linear scorer that ranks evidence units (``evidence.FEATURES``, ``assistant/answer/unit_ranker.tsv``).

    collect  asks every answerable one-fact question (no synthèse) of the question files through the chat's own
             ``Assistant.stream`` and keeps the arguments of its answer step's ``choose_units`` (question,
             constraints, sources, floor, language, follow-up, previous turn) and the expected answers, in a pickle.
             As long as an ``assistant eval`` of the same files (retrieval included).
    fit      chooses the units again with the current code (so a new feature needs no new collection),
             labels a unit right when the sentence the answer would show gives an expected answer
             (``evaluation.contains_expected``), and fits the weights by a softmax over each question's quotable
             units (the loss: minus the log of the probability of its right units, plus an L2 penalty), features
             standardised. Reported by cross-validation with folds by question: how often the first quotable unit
             is right, for the weights in ``unit_ranker.tsv`` and for those fitted (and fitted on one set, tested
             on the other); ``--select`` adds
             features one at a time while the cross-validated figure rises; ``--write`` writes the weights fitted
             on every question to ``unit_ranker.tsv``.
    extras   for the weights in ``unit_ranker.tsv``, how ``choose_units``' rule for units after the first
             scores at several margins: answers with a right unit, first unit right, answers showing a unit that
             gives another figure than the first.

Usage:
    ASSISTANT_INDEX_DIR=… python scripts/fit_ranker.py collect eval/gold.jsonl eval/gold-2.jsonl --out calls.pkl
    python scripts/fit_ranker.py fit calls.pkl --select --write
    python scripts/fit_ranker.py extras calls.pkl
"""

from __future__ import annotations

import argparse
import pickle
import zlib
from pathlib import Path

import numpy as np

from assistant.answer import extractive
from assistant.answer.evidence import FEATURES, UNIT_WEIGHTS, RankedUnit
from assistant.answer.extractive import _quotable, asked_values, unit_sentence
from assistant.answer.synthesis import is_synthesis
from assistant.evaluation import contains_expected, filters_of, history_of, kind_of, load_questions
from assistant.french import figures
from assistant.service import Assistant

WEIGHTS_FILE = Path(__file__).resolve().parent.parent / "assistant" / "answer" / "unit_ranker.tsv"
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
                if not question.get("gold_doc_ids") or question.get("points") or is_synthesis(question["question"]):
                    continue
                seen.clear()
                for _ in assistant.stream(question["question"], filters_of(question), history_of(question)):
                    pass
                if seen:
                    args, kwargs = seen[-1]
                    args = args[:5] + args[6:]  # the embedder is the fit's own
                    calls.append({"qid": question["qid"], "set": path.stem, "kind": kind_of(question),
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


def ranked_questions(calls: list[dict], embeddings: CachedEmbeddings) -> list[dict]:
    """Each call made again by the current ``choose_units``: the features, labels, texts and kinds of the quotable
    units its ranking step returned, and which of them it chose."""
    ranked: list[RankedUnit] = []
    original = extractive.rank_units

    def recording(*args, **kwargs):
        ranked[:] = original(*args, **kwargs)
        return ranked

    extractive.rank_units = recording
    questions = []
    try:
        for call in calls:
            question, constraints, sources, max_units, floor, *rest = call["args"]
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
                "figures": [{figure for value in found for figure in figures(value)} for found in values]})
    finally:
        extractive.rank_units = original
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


def first_right(questions: list[dict], weights: np.ndarray) -> int:
    """How many questions have a right unit first under these weights."""
    return sum(bool(len(q["y"])) and q["y"][int(np.argmax(q["X"] @ weights))] == 1 for q in questions)


def cross_validated(questions: list[dict], columns: list[int], l2: float) -> int:
    """Right first units over the folds, each fold ranked by weights fitted on the others."""
    return sum(first_right([q for q in questions if fold_of(q["qid"]) == k],
                           fit_weights([q for q in questions if fold_of(q["qid"]) != k], columns, l2))
               for k in range(FOLDS))


def report(questions: list[dict], weights: np.ndarray, label: str) -> None:
    sets = sorted({q["set"] for q in questions})
    parts = [f"{name} {first_right([q for q in questions if q['set'] == name], weights)}"
             f"/{sum(q['set'] == name for q in questions)}" for name in sets]
    print(f"{label}: first unit right " + ", ".join(parts))


def fit(calls_path: Path, names: list[str], select: bool, write: bool, l2: float, dump: Path | None) -> None:
    questions = ranked_questions(pickle.loads(calls_path.read_bytes()), CachedEmbeddings(Assistant().embeddings))
    if dump is not None:  # the ranked questions, to study them without ranking them again
        dump.write_bytes(pickle.dumps(questions))
    reachable = sum(q["y"].any() for q in questions)
    print(f"{len(questions)} questions ranked, {reachable} with a right unit among their quotable units")
    report(questions, UNIT_WEIGHTS, "weights of unit_ranker.tsv")
    columns = [FEATURES.index(name) for name in names]
    print(f"weights of unit_ranker.tsv, nothing fitted: first unit right {first_right(questions, UNIT_WEIGHTS)}"
          f"/{len(questions)}")
    if select:
        columns, best = [], -1
        while True:
            trials = {c: cross_validated(questions, columns + [c], l2) for c in range(len(FEATURES))
                      if c not in columns}
            if not trials:
                break
            c, score = max(trials.items(), key=lambda item: item[1])
            if score <= best:
                break
            columns, best = columns + [c], score
            print(f"  + {FEATURES[c]}: cross-validated first unit right {score}/{len(questions)}")
    print(f"features {[FEATURES[c] for c in columns]}: cross-validated first unit right "
          f"{cross_validated(questions, columns, l2)}/{len(questions)} (l2 {l2}, {FOLDS} folds by question)")
    for train, test in (("gold", "gold-2"), ("gold-2", "gold")):
        trained = fit_weights([q for q in questions if q["set"] == train], columns, l2)
        tested = [q for q in questions if q["set"] == test]
        print(f"fitted on {train}, first unit right on {test}: {first_right(tested, trained)}/{len(tested)}")
    weights = fit_weights(questions, columns, l2)
    report(questions, weights, "fitted on every question")
    print("\n".join(f"{name}\t{weight:.4f}" for name, weight in zip(FEATURES, weights) if weight))
    if write:
        header = [line for line in WEIGHTS_FILE.read_text(encoding="utf-8").splitlines() if line.startswith("#")]
        lines = [f"{name}\t{weight:.4f}" for name, weight in zip(FEATURES, weights) if weight]
        WEIGHTS_FILE.write_text("\n".join(header + lines) + "\n", encoding="utf-8")


def extras(calls_path: Path, margins: list[tuple[float, float]]) -> None:
    """``choose_units`` at each pair of margins (``EXTRA_UNIT_MARGIN``, ``OTHER_FIGURE_MARGIN``, in the scorer's
    logits): answers with a right unit, answers whose first unit is right, answers that show a unit giving another
    figure of the kind asked than the first."""
    calls = pickle.loads(calls_path.read_bytes())
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
    fitting.add_argument("--dump", type=Path, help="write the ranked questions (features, labels) to this pickle")
    extra = commands.add_parser("extras")
    extra.add_argument("calls", type=Path)
    extra.add_argument("--margins", nargs="+", default=["0/0", "1/1", "1.5/1.5", "2/1", "2/1.5", "2/2", "3/3"],
                       help="pairs EXTRA_UNIT_MARGIN/OTHER_FIGURE_MARGIN")
    arguments = parser.parse_args()
    if arguments.command == "collect":
        collect(arguments.questions, arguments.out)
    elif arguments.command == "fit":
        fit(arguments.calls, arguments.features.split(","), arguments.select, arguments.write, arguments.l2,
            arguments.dump)
    else:
        extras(arguments.calls, [tuple(map(float, pair.split("/"))) for pair in arguments.margins])


if __name__ == "__main__":
    main()
