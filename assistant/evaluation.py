"""Evaluation over a question set in JSONL (our gold format or PIAF's): retrieval at the document and at the passage
level, and the answers themselves (right, refused or wrong per kind of question, citations, latency)."""

from __future__ import annotations

import json
import re
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from assistant.french import NUMBER_WORDS, fold, split_sentences, strip_markers
from assistant.models import (CONFIDENTIALITY_LEVELS, Answer, Exchange, Passage, SearchFilters, Verdict,
                              cited_numbers)
from assistant.service import Assistant, SearchMode

CUTOFFS = (1, 5, 10)
ALL_LEVELS = SearchFilters(confidentiality=CONFIDENTIALITY_LEVELS)
# The kinds of the gold format, in the order the report lists them (other kinds follow, sorted).
KINDS = ("factuel", "tableau", "multi-documents", "filtre", "suivi", "anglais", "synthese", "hors-corpus")
MIN_POINTS = 2  # a synthèse answer is right when this many of its points (all, if it has fewer) are cited right
# Kinds whose expected answer joins facts of several documents (« 540 000 $ et 236 000 $ ») or states the relation
# between them (« oui, 16 800 $ », « après, le 31 janvier 2012 »): a string no one passage holds (``spread_right``).
SPREAD_KINDS = frozenset({"multi-documents"})


def hits_at_cutoffs() -> dict[int, int]:
    """A zero count for each cutoff."""
    return dict.fromkeys(CUTOFFS, 0)


@dataclass
class RetrievalScores:
    """Retrieval over the answerable questions of one group: the gold document among the first k distinct documents
    (recall@k, MRR@10), the gold page among the first k passages, and a passage holding an expected answer among
    the first k passages."""

    questions: int = 0
    hits: dict[int, int] = field(default_factory=hits_at_cutoffs)
    reciprocal_ranks: float = 0.0
    page_questions: int = 0  # questions whose gold names a page (PIAF's do not)
    page_hits: dict[int, int] = field(default_factory=hits_at_cutoffs)
    answer_questions: int = 0  # questions with expected answer strings
    answer_hits: dict[int, int] = field(default_factory=hits_at_cutoffs)

    def add(self, ranked_documents: list[str], gold: set[str]) -> None:
        """Count one question: a hit at k when any gold document is among the first k distinct documents."""
        self.questions += 1
        first = next((rank for rank, doc in enumerate(ranked_documents, start=1) if doc in gold), None)
        for cutoff in CUTOFFS:
            self.hits[cutoff] += first is not None and first <= cutoff
        self.reciprocal_ranks += 1 / first if first is not None and first <= 10 else 0.0

    def add_passages(self, ranked: list[Passage], pages: set[tuple[str, int | None]], answers: list[str]) -> None:
        """Count one question at the passage level: the rank of the first passage on a gold page (document and
        page; ``None`` for an unpaginated document) and of the first passage holding an expected answer."""
        if pages:
            self.page_questions += 1
            first_page = next((rank for rank, p in enumerate(ranked, 1) if (p.info.doc_id, p.page) in pages), None)
            for cutoff in CUTOFFS:
                self.page_hits[cutoff] += first_page is not None and first_page <= cutoff
        if answers:
            self.answer_questions += 1
            first_answer = next((rank for rank, p in enumerate(ranked, 1) if contains_expected(p.text, answers)), None)
            for cutoff in CUTOFFS:
                self.answer_hits[cutoff] += first_answer is not None and first_answer <= cutoff

    def row(self) -> str:
        """Document-level line of the report."""
        recalls = "  ".join(f"R@{k} {self.hits[k] / self.questions:.3f}" for k in CUTOFFS)
        return f"{recalls}  MRR@10 {self.reciprocal_ranks / self.questions:.3f}  (n={self.questions})"

    def passage_row(self) -> str:
        """Passage-level line of the report: gold page and answer-bearing passage at each cutoff, with counts."""
        def share(hits: dict[int, int], whole: int, name: str) -> str:
            if not whole:
                return f"{name} n/a"
            return "  ".join(f"{name}@{k} {hits[k] / whole:.3f} ({hits[k]})" for k in CUTOFFS) + f"  (n={whole})"

        return (f"{share(self.page_hits, self.page_questions, 'page')}   "
                f"{share(self.answer_hits, self.answer_questions, 'réponse')}")


def load_questions(path: Path) -> list[dict]:
    """Questions of a JSONL file; those with no gold document (out of corpus) are kept for later answer checks."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def filters_of(question: dict) -> SearchFilters:
    """The filters a user would have set for this question (gold key ``filters``), every level allowed."""
    wanted = question.get("filters") or {}
    year = wanted.get("year")
    return SearchFilters(
        confidentiality=ALL_LEVELS.confidentiality,
        doc_types=(wanted["doc_type"],) if wanted.get("doc_type") else (),
        regions=(wanted["region"],) if wanted.get("region") else (),
        year_from=wanted.get("year_from", year),
        year_to=wanted.get("year_to", year),
    )


def evaluate_retrieval(assistant: Assistant, questions: list[dict],
                       mode: SearchMode | None = None) -> tuple[dict[str, RetrievalScores], float]:
    """Scores overall and per question kind (search ``mode``: the settings' by default), and the mean seconds per
    search.

    Each question is searched once, as the chat searches it but for the first 30 passages (a per-call ``top_k``:
    the settings are left alone); the passage-level figures read its first 1, 5 and 10 passages (the chat's
    search is this one cut at its ``top_k``), the document-level ones its first distinct documents.
    """
    scores: dict[str, RetrievalScores] = defaultdict(RetrievalScores)
    depth = max(CUTOFFS)
    elapsed, searched = 0.0, 0
    for question in questions:
        gold = set(question.get("gold_doc_ids") or [])
        if not gold:
            continue
        started = time.perf_counter()  # a follow-up is searched as the chat searches it, with its history
        query = assistant.search_query(question["question"], history_of(question))
        sources = assistant.search(query, filters_of(question), top_k=3 * depth, mode=mode)
        elapsed += time.perf_counter() - started
        searched += 1
        ranked = list(dict.fromkeys(s.passage.info.doc_id for s in sources))[:depth]
        passages = [source.passage for source in sources[:depth]]
        for group in ("tout", kind_of(question)):
            scores[group].add(ranked, gold)
            scores[group].add_passages(passages, gold_pages(question), expected_answers(question))
    return dict(scores), elapsed / max(searched, 1)


def kind_of(question: dict) -> str:
    """The question's kind (gold key ``kind``; PIAF's questions have none)."""
    return question.get("kind", "question")


def report_order(kinds: list[str]) -> list[str]:
    """Kinds in the order of the gold format, unknown ones after, sorted; « tout » first."""
    return sorted(kinds, key=lambda kind: (kind != "tout", KINDS.index(kind) if kind in KINDS else len(KINDS), kind))


def gold_pages(question: dict) -> set[tuple[str, int | None]]:
    """The (document, page) pairs that hold the answer: the question's ``gold``, and its points' (synthèse)."""
    places = as_list(question.get("gold"))
    for point in question.get("points") or []:
        places += as_list(point.get("gold"))
    return {(place["doc"], place.get("page")) for place in places if isinstance(place, dict) and "doc" in place}


def as_list(value: Any) -> list:
    """A gold entry written as one object or as a list of them, as a new list."""
    return list(value) if isinstance(value, list) else [value] if value else []


def expected_answers(question: dict) -> list[str]:
    """Every acceptable answer string: the question's ``answers`` and those of its points (synthèse)."""
    answers = list(question.get("answers") or [])
    return answers + [answer for point in question.get("points") or [] for answer in point["answers"]]


# A figure as the scorer reads it in folded text: digits grouped by thousands (« 1 505 000 », « 19,7 ») or a small
# number written out; what follows or precedes it says what it is (an amount, a share, a day or year of a date).
_FIGURE_TOKEN = re.compile(r"(?<![\d.,])\d{1,3}(?: \d{3})+(?:,\d+)?(?![\d])|(?<![\d.,])\d+(?:[.,]\d+)?(?![\d])|"
                           r"\b(?:" + "|".join(NUMBER_WORDS) + r")\b(?!\.?\s*(?:19|20)\d\d)")  # not « sept. 2013 »
_MONTHS = "janvier|fevrier|mars|avril|mai|juin|juillet|aout|septembre|octobre|novembre|decembre"
_MONEY_AFTER = re.compile(r"\s*(?:\$|m\$|dollars|millions? de dollars)")
_SHARE_AFTER = re.compile(r"\s*(?:%|pour cent)")
_DAY_AFTER = re.compile(rf"\s*(?:er\s+)?(?:{_MONTHS})\b")
# Not right after the head of a number grouped by thousands (« 505 000 $ » is not in « 1 505 000 $ »).
_NOT_AFTER_GROUP = r"(?<![.,]\d)(?<!(?<!\d)\d )(?<!(?<!\d)\d\d )(?<!(?<!\d)\d\d\d )"
_UNIT_ONLY = re.compile(r"\s*(?:\$|m\$|dollars|%|pour cent)?\s*")


def _normal(value: str) -> str:
    """Folded, markers removed, apostrophes unified, spaces collapsed (non-breaking ones included)."""
    return " ".join(fold(strip_markers(value)).replace("\u2019", "'").split())


def figure_kinds(text: str) -> list[tuple[str, str]]:
    """Each figure of a (normalised) text with what it is: ``(value, kind)``, the value in digits (« 1505000 »,
    « 19,7 »), the kind ``amount`` ($), ``share`` (%), ``day`` (« 10 septembre »), ``year`` (« 2013 », alone or in
    a date), ``fiscal`` (inside « 2012-2013 ») or ``count`` (any other figure)."""
    found = []
    for match in _FIGURE_TOKEN.finditer(text):
        raw = match.group()
        value = NUMBER_WORDS.get(raw, raw.replace(" ", "").replace(".", ","))
        after, before = text[match.end():], text[:match.start()]
        if re.match(r"[-–/]\d", after) or re.search(r"\d[-–/]$", before):
            kind = "fiscal"
        elif _MONEY_AFTER.match(after):
            kind = "amount"
        elif _SHARE_AFTER.match(after):
            kind = "share"
        elif _DAY_AFTER.match(after) and raw.isdigit() and int(raw) <= 31:
            kind = "day"
        elif re.fullmatch(r"(19|20)\d\d", raw):
            kind = "year"
        else:
            kind = "count"
        found.append((value, kind))
        if kind == "count" and re.fullmatch(r"\d{1,3} \d{3}", raw):  # a table's two columns (« 150 212 »)?
            found += [(part, "count") for part in raw.split()]
    return found


def _bare_figure(candidate: str) -> tuple[str, str] | None:
    """An expected answer that is one figure and at most its unit (« 7 », « sept », « 1 505 000 $ », « 25 % »),
    as ``(value, kind)``; None for an answer with words."""
    if len(_FIGURE_TOKEN.findall(candidate)) != 1 or not _UNIT_ONLY.fullmatch(_FIGURE_TOKEN.sub("", candidate)):
        return None
    return figure_kinds(candidate)[0]


def _compatible(expected_kinds: set[str], found: str) -> bool:
    """Whether a figure of this kind in the answer can be the one expected: an amount or a share only where some
    variant of the expected answer is one (a count of pupils is no amount), a year where a year is expected, never
    a day of a date or a part of a fiscal year for anything else (« 10 » is not in « 10 septembre 2013 »)."""
    if found in ("amount", "share"):
        return found in expected_kinds
    if found == "count":
        return True
    return found == "year" and "year" in expected_kinds


def contains_expected(text: str, expected: list[str]) -> bool:
    """True when one expected answer appears in the text, ignoring case, accents, ``[n]`` markers and spaces.

    An answer with words counts as whole words, a figure at its edge not glued to a longer number; an answer that
    is one figure counts as a figure of the same value and kind (« 1505000 » for « 1 505 000 $ », but « 10 » not
    in « 10 septembre 2013 », « 146 » not in « 146 000 $ », a count not as an amount: the variants say which kinds
    are expected).
    """
    normalised = _normal(text)
    figures_found = figure_kinds(normalised)
    bare = {candidate: _bare_figure(_normal(candidate)) for candidate in expected}
    expected_kinds = {figure[1] for figure in bare.values() if figure}
    for candidate, figure in bare.items():
        if figure is not None:
            if any(value == figure[0] and _compatible(expected_kinds | {figure[1]}, kind)
                   for value, kind in figures_found):
                return True
            continue
        wanted = _normal(candidate)
        edges = rf"(?<![a-z0-9]){_NOT_AFTER_GROUP}{re.escape(wanted)}(?![a-z0-9])(?! \d{{3}}(?!\d))(?![.,]\d)"
        if wanted and re.search(edges, normalised):
            return True
    return False


def cited_by_sentence(text: str, passages: dict[int, str]) -> list[tuple[str, list[str]]]:
    """Each sentence of an answer as shown, with the texts of the passages its ``[n]`` markers point to."""
    return [(sentence, [passages[n] for n in cited_numbers(sentence) if n in passages])
            for sentence in split_sentences(text)]


def cited_right(text: str, passages: dict[int, str], expected: list[str]) -> bool:
    """True when a sentence of the answer gives an expected answer and cites a passage that gives one too."""
    return any(contains_expected(sentence, expected) and any(contains_expected(p, expected) for p in cited)
               for sentence, cited in cited_by_sentence(text, passages))


# How an expected answer of a spread kind joins its pieces (« ; », « , », « : », « et », « puis »), on normalised text;
# a comma between digits (« 0,6 ») joins nothing.
_JOINS = re.compile(r"\s*[;:]\s*|,\s+|\s+(?:et|puis)\s+")
# The words of a piece that state a relation (a yes or no, an order, a size, an equality) rather than a fact.
_RELATION = re.compile(r"^(?:oui|non|yes|no|avant|apres|before|after|plus|moins|more|less|(?:la|le) meme|the same)\b"
                       r"\s*")
# A leading article is a word of its own (« deux » keeps its « de », « Laurentides » its « la »).
_ARTICLE = re.compile(r"^(?:(?:le|la|les|du|de|des|au|aux|a)\s+|l'|d')(?=\w)")


def expected_pieces(candidate: str) -> tuple[list[str], list[str]]:
    """An expected answer of a spread kind as its facts and its relation words: « oui, le 19 juin 2012, avant le
    30 juin 2012 » → (« 19 juin 2012 », « 30 juin 2012 »), (« oui », « avant »); leading articles dropped."""
    facts, relations = [], []
    for piece in _JOINS.split(_normal(candidate)):
        while (word := _RELATION.match(piece)) and word.group().strip():
            relations.append(word.group().strip())
            piece = piece[word.end():]
        if fact := _ARTICLE.sub("", piece.strip(" ,.;:()")):
            facts.append(fact)
    return facts, relations


def spread_right(text: str, passages: dict[int, str], candidate: str) -> bool:
    """Whether an answer gives an expected answer of a spread kind, each of its facts cited right: each fact in a
    sentence and in a passage that sentence cites; when it states a relation (« oui », « après »), one sentence
    holds every relation word and every fact, each fact in a passage that sentence cites — the relation stated of
    the cited values themselves. An answer that is only a relation word (« oui ») never counts: nothing checks it."""
    facts, relations = expected_pieces(candidate)
    if not facts:
        return False
    if not relations:
        return all(cited_right(text, passages, [fact]) for fact in facts)
    return any(all(re.search(rf"(?<![a-z]){re.escape(word)}(?![a-z])", _normal(sentence)) for word in relations)
               and all(cited_right(sentence, passages, [fact]) for fact in facts)
               for sentence in split_sentences(text))


def verdict(question: dict, answer: Answer) -> str:
    """How one answer scores: ``right``, ``wrong`` or ``refused`` for an answerable question, ``refused`` or
    ``answered`` for an out-of-corpus one.

    Right is strict: an expected answer in a sentence **and** in a passage that sentence cites; for a synthèse,
    at least two of its points (all, if it has fewer) each so; for a spread kind, also each of its facts so
    (``spread_right``).
    """
    passages = {source.number: source.passage.cited_text for source in answer.sources}
    return text_verdict(question, answer.text, answer.refused, passages)


def record_verdict(question: dict, record: dict[str, Any]) -> str:
    """The verdict of an answer written by ``answer_record`` (``--answers``), scored again from its text and the
    passages it cites: recorded answers follow the scoring rules as they change."""
    passages = {source["number"]: source["text"] for source in record["cited"]}
    return text_verdict(question, record["answer"], record["refused"], passages)


def text_verdict(question: dict, text: str, refused: bool, passages: dict[int, str]) -> str:
    """``verdict`` on an answer's text, whether it was refused, and its sources' passages by number."""
    if not question.get("gold_doc_ids"):
        return "refused" if refused else "answered"
    if refused:
        return "refused"
    points = question.get("points") or []
    if points:
        right = sum(cited_right(text, passages, point["answers"]) for point in points)
        return "right" if right >= min(MIN_POINTS, len(points)) else "wrong"
    expected = question.get("answers") or []
    if kind_of(question) in SPREAD_KINDS:
        whole = [candidate for candidate in expected if expected_pieces(candidate)[0]]  # not a bare « oui »
        right = cited_right(text, passages, whole) or any(spread_right(text, passages, c) for c in expected)
        return "right" if right else "wrong"
    return "right" if cited_right(text, passages, expected) else "wrong"


def first_sentence_right(question: dict, answer: Answer) -> bool:
    """Whether the answer's first sentence alone would be scored right (``text_verdict``)."""
    passages = {source.number: source.passage.cited_text for source in answer.sources}
    sentences = split_sentences(answer.text)
    return bool(sentences) and text_verdict(question, sentences[0], False, passages) == "right"


@dataclass
class AnswerScores:
    """How the full assistant (retrieval, refusal, model and support check) answered a question set."""

    answerable: int = 0
    correct: int = 0
    # Answerable questions of one fact (no synthèse) and those whose first sentence alone is right: « right » counts
    # any sentence, and a wrong first figure may stand before the right one.
    single_fact: int = 0
    first_right: int = 0
    wrongly_refused: int = 0
    unanswerable: int = 0
    rightly_refused: int = 0
    refused_before_model: int = 0
    sentences: int = 0  # sentences the model wrote (outside refusals), each checked
    held_as_cited: int = 0  # their citation held as the model wrote it
    recited: int = 0  # cited anew by the check (missing or wrong marker, another source supports them)
    removed: int = 0  # no source supports them: removed from the text shown
    shown_cited: int = 0  # sentences shown to the reader that carry a checked [n]
    shown: int = 0
    by_kind: dict[str, dict[str, int]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(int)))
    first_token_seconds: list[float] = field(default_factory=list)  # answers written by the model
    total_seconds: list[float] = field(default_factory=list)

    def lines(self) -> list[str]:
        """The report, one figure a line, then one line per kind of question."""
        def share(part: int, whole: int) -> str:
            return f"{part / whole:.3f} ({part}/{whole})" if whole else "n/a"

        def percentile(values: list[float], q: float) -> str:
            ordered = sorted(values)
            return f"{ordered[int(q * (len(ordered) - 1))]:.1f} s" if ordered else "n/a"

        rows = [
            ("réponses justes (phrase et passage cité)", share(self.correct, self.answerable)),
            ("justes dès la 1re phrase (hors synthèse)", share(self.first_right, self.single_fact)),
            ("refus à tort (question qui a une réponse)", share(self.wrongly_refused, self.answerable)),
            ("refus justes (question hors corpus)", share(self.rightly_refused, self.unanswerable)),
            ("refus sans appeler le modèle", str(self.refused_before_model)),
            ("citations tenues telles qu'écrites", share(self.held_as_cited, self.sentences)),
            ("phrases citées à nouveau par la vérification", share(self.recited, self.sentences)),
            ("phrases retirées (aucune source ne les appuie)", share(self.removed, self.sentences)),
            ("phrases affichées portant une citation [n]", share(self.shown_cited, self.shown)),
            ("premier mot p50 / p95 (réponses du modèle)",
             f"{percentile(self.first_token_seconds, 0.5)} / {percentile(self.first_token_seconds, 0.95)}"),
            ("réponse complète p50 / p95",
             f"{percentile(self.total_seconds, 0.5)} / {percentile(self.total_seconds, 0.95)}"),
        ]
        lines = [f"{label:<48}: {value}" for label, value in rows]
        lines.append("par type de question :")
        for kind in report_order(list(self.by_kind)):
            counts = self.by_kind[kind]
            asked = sum(counts.values())
            if "answered" in counts or kind == "hors-corpus":
                lines.append(f"  {kind:<16} refusées {counts['refused']}, répondues {counts['answered']} "
                             f"(n={asked})")
            else:
                lines.append(f"  {kind:<16} justes {counts['right']}, refusées {counts['refused']}, "
                             f"fausses {counts['wrong']} (n={asked})")
        return lines

    def add(self, question: dict, answer: Answer) -> str:
        """Count one finished answer to a gold question; return its verdict (see ``verdict``)."""
        outcome = verdict(question, answer)
        self.by_kind[kind_of(question)][outcome] += 1
        if question.get("gold_doc_ids"):
            self.answerable += 1
            self.correct += outcome == "right"
            self.wrongly_refused += answer.refused
            if not question.get("points"):
                self.single_fact += 1
                self.first_right += outcome == "right" and first_sentence_right(question, answer)
        else:
            self.unanswerable += 1
            self.rightly_refused += answer.refused
        self.refused_before_model += answer.refused and not answer.checks
        if answer.refused:
            return outcome
        verdicts = [check.verdict for check in answer.checks]
        self.sentences += len(verdicts)
        self.held_as_cited += verdicts.count(Verdict.SUPPORTED)
        self.recited += verdicts.count(Verdict.RECITED)
        self.removed += verdicts.count(Verdict.UNSUPPORTED)
        shown = split_sentences(answer.text)
        self.shown += len(shown)
        self.shown_cited += sum(bool(cited_numbers(sentence)) for sentence in shown)
        return outcome


def answer_record(question: dict, answer: Answer, outcome: str, seconds: float) -> dict[str, Any]:
    """What was scored for one question, for a person to read: the answer, its checks, what it cites, the verdict."""
    return {
        "qid": question.get("qid", ""), "question": question["question"], "kind": kind_of(question),
        "expected": question.get("answers") or [],
        "points": [point["answers"] for point in question.get("points") or []],
        "answer": answer.text, "refused": answer.refused, "refusal_reason": answer.refusal_reason,
        "search_query": answer.search_query, "language": answer.language,
        "checks": [{"sentence": check.text, "verdict": check.verdict, "cited": list(check.cited),
                    "written": list(check.written), "missing": list(check.missing), "score": round(check.score, 3)}
                   for check in answer.checks],
        "cited": [{"number": source.number, "doc": source.passage.info.doc_id, "page": source.passage.page,
                   "text": source.passage.cited_text} for source in answer.sources
                  if source.number in answer.cited_numbers],
        "found": [{"number": source.number, "doc": source.passage.info.doc_id, "page": source.passage.page}
                  for source in answer.sources],
        "verdict": outcome, "seconds": round(seconds, 2),
    }


def history_of(question: dict) -> list[Exchange]:
    """The earlier turns of a follow-up question (gold key ``history``)."""
    return [Exchange(turn["question"], turn["answer"]) for turn in question.get("history") or []]


def evaluate_answers(assistant: Assistant, questions: list[dict], record: TextIO | None = None,
                     mode: SearchMode | None = None) -> AnswerScores:
    """Ask every question through the same ``Assistant.stream`` the chat uses (search ``mode``: the settings' by
    default), and score the final answers; with ``record``, write each scored answer there as one JSON line
    (``answer_record``)."""
    scores = AnswerScores()
    for question in questions:
        started = time.perf_counter()
        first_token = None
        answer = Answer(question["question"], "")
        for answer in assistant.stream(question["question"], filters_of(question), history_of(question), mode=mode):
            if first_token is None and answer.text and not answer.complete:
                first_token = time.perf_counter() - started
        seconds = time.perf_counter() - started
        scores.total_seconds.append(seconds)
        if first_token is not None:
            scores.first_token_seconds.append(first_token)
        outcome = scores.add(question, answer)
        if record is not None:
            record.write(json.dumps(answer_record(question, answer, outcome, seconds), ensure_ascii=False) + "\n")
            record.flush()
    return scores
