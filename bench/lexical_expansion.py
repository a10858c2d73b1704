"""BM25 alone with and without query expansion from its own first passages (RM3-style pseudo-relevance feedback).

Usage: .venv/bin/python bench/lexical_expansion.py ../shared/eval/piaf-dev/corpus.jsonl \\
           ../shared/eval/piaf-dev/queries.jsonl eval/piaf-paraphrase.jsonl
Builds the product's BM25 index (title, then text, as `assistant index` makes it) over a JSONL corpus in a temporary
folder, then, for each feedback setting, adds to each question the terms that weigh most in its first BM25
passages (term frequency in the passage × IDF × the passage's BM25 score relative to the first one), and prints
document recall@5. Measured for issue 16; not used by the product (docs/retrieval.md, section 7).
"""

from __future__ import annotations

import argparse
import json
import math
import tempfile
from collections import Counter
from pathlib import Path

from assistant.index.lexical import LexicalIndex, terms
from assistant.models import search_text

SETTINGS = [(0, 0), (3, 5), (3, 10), (5, 10)]  # (feedback passages, added terms); (0, 0) is BM25 as it is


def expanded(question: str, index: LexicalIndex, texts: dict[str, str], df: Counter, passages: int,
             added: int) -> str:
    """The question followed by the ``added`` heaviest new terms of its ``passages`` first BM25 passages."""
    found = index.search(question, passages, lambda _: True, "tout")
    if not found:
        return question
    best = found[0][1]
    weights: Counter = Counter()
    for passage_id, score in found:
        counts = Counter(terms(texts[passage_id]))
        length = sum(counts.values())
        for term, count in counts.items():
            weights[term] += score / best * count / length * math.log(len(texts) / df[term])
    asked = set(terms(question))
    return " ".join([question] + [term for term, _ in weights.most_common() if term not in asked][:added])


def main() -> None:
    """Print BM25 recall@5 per question file and feedback setting."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", type=Path)
    parser.add_argument("questions", type=Path, nargs="+")
    arguments = parser.parse_args()
    rows = [json.loads(line) for line in arguments.corpus.read_text(encoding="utf-8").splitlines() if line.strip()]
    texts = {row["doc_id"]: search_text(row["title"], row["text"]) for row in rows}
    df = Counter(term for text in texts.values() for term in set(terms(text)))
    with tempfile.TemporaryDirectory() as folder:
        index = LexicalIndex(Path(folder) / "lexical")
        index.rebuild(list(texts), list(texts.values()), [{} for _ in texts], generation=1)
        print("| questions | feedback passages | added terms | BM25 R@5 |\n|---|---|---|---|")
        for path in arguments.questions:
            questions = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
            for passages, added in SETTINGS:
                hits = 0
                for question in questions:
                    asked = (expanded(question["question"], index, texts, df, passages, added) if passages
                             else question["question"])
                    found = [pid for pid, _ in index.search(asked, 5, lambda _: True, "tout")]
                    hits += bool(set(found) & set(question["gold_doc_ids"]))
                print(f"| {path.name} | {passages} | {added} | {hits / len(questions):.3f} |")


if __name__ == "__main__":
    main()
