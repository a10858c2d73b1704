"""Core data types shared by every stage and by the shells: a document's metadata, its pages, a passage, search
filters, a cited source, an answer, an indexing run's progress and report. No stage module is imported here."""

from __future__ import annotations

import enum
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

CITATION_MARKER = re.compile(r"\[(\d+(?:\s*,\s*\d+)*)\]")
# Shown on a source whose passage was read from a scanned page (``Passage.ocr``).
OCR_LABEL = "texte obtenu par OCR"
# Every confidentiality level, least restricted first, and those searched when nothing else is said.
CONFIDENTIALITY_LEVELS = ("public", "interne", "confidentiel")
DEFAULT_LEVELS = ("public", "interne")


@dataclass(frozen=True)
class DocumentInfo:
    """What the corpus says about one document (from its header, its sidecar or its own properties)."""

    path: str  # relative POSIX path inside the corpus folder
    title: str
    doc_id: str = ""  # stable identifier; the path, except for documents of a JSONL corpus (their own doc_id)
    doc_type: str = "autre"
    regions: tuple[str, ...] = ()
    date: str = ""  # ISO: YYYY, YYYY-MM or YYYY-MM-DD
    confidentiality: str = "interne"
    code: str = ""
    actors: tuple[str, ...] = ()  # the types of actors interviewed (« élu municipal », « citoyen »…)
    authors: tuple[str, ...] = ()  # who wrote it (« Laboratoire d'études sur la solidarité régionale (LESR) »)

    def __post_init__(self) -> None:
        if not self.doc_id:
            object.__setattr__(self, "doc_id", self.path)

    @property
    def year(self) -> int | None:
        """The year of the document's date, if it has one."""
        return int(self.date[:4]) if self.date[:4].isdigit() else None

    @property
    def designation(self) -> str:
        """What names the document itself, not any of its sentences: its title, code and authors (« le rapport du
        LESR », « l'entretien ENT-LAN-03 »)."""
        return " ".join((self.title, self.code, *self.authors))


@dataclass(frozen=True)
class TableRow:
    """One row of a table read as a table: where it is in its page's text, its cells under their headers, and its
    table's title."""

    start: int  # offsets of the row in the page text: text[start:end] holds every cell of the row
    end: int
    cells: tuple[tuple[str, str], ...]  # (column header, cell text), in column order; empty cells left out
    title: str = ""  # the table's title or caption, read above it (« Budget par exercice financier »); "" if none

    def fact(self) -> str:
        """The row as a self-contained statement: « Exercice financier : 2013-2014 — Contribution du FQIS :
        1 505 000 $ » (a cell whose header is empty or equal to it stands alone)."""
        return " — ".join(value if header in ("", value) else f"{header} : {value}" for header, value in self.cells)

    def context(self) -> str:
        """What the row's passage means (``Passage.context``): its table's title on a line of its own, then its
        fact (``row_context`` splits them again)."""
        return f"{self.title}\n{self.fact()}" if self.title else self.fact()


def row_context(context: str) -> tuple[str, str]:
    """(the table's title, the row's fact) of a row passage's ``context`` as ``TableRow.context`` writes it; the
    title is "" for a table without one (and for rows indexed before titles were read)."""
    title, _, fact = context.rpartition("\n")
    return title, fact


@dataclass(frozen=True)
class Heading:
    """A section title that starts on a page (from a PDF's bookmarks or a text's headings)."""

    offset: int  # where the section starts in the page text
    level: int  # 0 for a chapter, 1 for its sections…
    title: str


@dataclass(frozen=True)
class PageText:
    """The text of one page (PDF) or of a whole unpaginated document (page ``None``)."""

    number: int | None  # 1-based index of the page in the file
    label: str  # the page label a reader sees, e.g. "iv" or "12"
    text: str
    ocr: bool = False  # the text was read from the page's image by OCR (a scanned page)
    rows: tuple[TableRow, ...] = ()  # the rows of the page's tables, when its reader can tell them
    headings: tuple[Heading, ...] = ()  # the sections that start on the page, in order


@dataclass(frozen=True)
class SourceDocument:
    """A document read from disk: its metadata, its pages and the hash of its bytes."""

    info: DocumentInfo
    pages: list[PageText]
    content_hash: str
    unreadable_pages: dict[int, str] = field(default_factory=dict)  # page number → why its text could not be read


@dataclass(frozen=True)
class Passage:
    """A chunk of a document, with everything needed to cite it: page and character offsets in the page text."""

    id: str
    text: str
    info: DocumentInfo
    page: int | None
    page_label: str
    start: int
    end: int
    ocr: bool = False  # the page's text came from OCR: offsets are into that text (see OCR_LABEL)
    context: str = ""  # for a table row: its table's title line, then the row under its headers (TableRow.context)
    section: str = ""  # the titles of the chapter and section the passage is in (« Chapitre 4 – Lanaudière — … »)
    parent: str = ""  # for a search unit smaller than a passage (a sentence window): the passage it is read in
    lead: str = ""  # found passages only: the last paragraph of the passage before it, when under the same titles
    card: str = ""  # found interview passages only: the values of its document's record card (place, participant…)
    # Found passages only: the runs of words it shares with most documents of the index (a disclaimer, a footer:
    # ``passage_layout.repeated_runs``); a unit made of them is no evidence.
    furniture: tuple[str, ...] = ()

    @property
    def cited_text(self) -> str:
        """What a citation of the passage stands for, as the checks read it: a table row's cells under their
        column headers (headers printed above it on the same page), then the row as the page prints it; a
        passage's own text otherwise."""
        return f"{self.context}\n{self.text}" if self.context else self.text

    def to_metadata(self) -> dict[str, Any]:
        """Metadata as Chroma stores it: no None; regions as a list, left out when there are none."""
        metadata: dict[str, Any] = {
            "path": self.info.path,
            "doc_id": self.info.doc_id,
            "title": self.info.title,
            "doc_type": self.info.doc_type,
            "date": self.info.date,
            "year": self.info.year or 0,
            "confidentiality": self.info.confidentiality,
            "code": self.info.code,
            "page": self.page or 0,
            "page_label": self.page_label,
            "start": self.start,
            "end": self.end,
            "ocr": self.ocr,
        }
        if self.info.regions:
            metadata["regions"] = list(self.info.regions)
        if self.info.actors:
            metadata["actors"] = list(self.info.actors)
        if self.info.authors:
            metadata["authors"] = list(self.info.authors)
        if self.context:
            metadata["context"] = self.context
        if self.section:
            metadata["section"] = self.section
        if self.parent:
            metadata["parent"] = self.parent
        if self.lead:
            metadata["lead"] = self.lead
        if self.card:
            metadata["card"] = self.card
        if self.furniture:
            metadata["furniture"] = list(self.furniture)
        return metadata

    @classmethod
    def from_metadata(cls, passage_id: str, text: str, metadata: dict[str, Any]) -> Passage:
        """Rebuild a passage from what Chroma returns."""
        info = DocumentInfo(
            path=metadata["path"],
            title=metadata["title"],
            doc_id=metadata.get("doc_id", ""),
            doc_type=metadata.get("doc_type", "autre"),
            regions=tuple(metadata.get("regions") or ()),
            date=metadata.get("date", ""),
            confidentiality=metadata.get("confidentiality", "interne"),
            code=metadata.get("code", ""),
            actors=tuple(metadata.get("actors") or ()),
            authors=tuple(metadata.get("authors") or ()),  # none in an index built before 8 December 2026
        )
        return cls(passage_id, text, info, metadata.get("page") or None, metadata.get("page_label", ""),
                   metadata.get("start", 0), metadata.get("end", 0), bool(metadata.get("ocr", False)),
                   metadata.get("context", ""), metadata.get("section", ""), metadata.get("parent", ""),
                   metadata.get("lead", ""), metadata.get("card", ""), tuple(metadata.get("furniture") or ()))


@dataclass(frozen=True)
class SearchFilters:
    """Restrictions applied inside the search; confidentiality levels are enforced there, not in the page.

    Empty tuples and ``None`` years mean "no restriction"; a document without regions or date is excluded as soon
    as a region or a year is asked for.
    """

    confidentiality: tuple[str, ...] = DEFAULT_LEVELS
    doc_types: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    year_from: int | None = None
    year_to: int | None = None
    documents: tuple[str, ...] = ()  # ``doc_id``s a conversation is restricted to; the levels still apply
    actors: tuple[str, ...] = ()  # interviews of these actor types only

    def to_where(self) -> dict[str, Any]:
        """As a Chroma ``where`` clause."""
        clauses: list[dict[str, Any]] = [{"confidentiality": {"$in": list(self.confidentiality)}}]
        if self.doc_types:
            clauses.append({"doc_type": {"$in": list(self.doc_types)}})
        if self.regions:
            by_region = [{"regions": {"$contains": region}} for region in self.regions]
            clauses.append(by_region[0] if len(by_region) == 1 else {"$or": by_region})
        if self.actors:
            by_actor = [{"actors": {"$contains": actor}} for actor in self.actors]
            clauses.append(by_actor[0] if len(by_actor) == 1 else {"$or": by_actor})
        if self.year_from is not None:
            clauses.append({"year": {"$gte": self.year_from}})
        if self.year_to is not None:
            clauses.append({"year": {"$lte": self.year_to}})
        if self.documents:
            clauses.append({"doc_id": {"$in": list(self.documents)}})
        return clauses[0] if len(clauses) == 1 else {"$and": clauses}

    def matches(self, metadata: dict[str, Any]) -> bool:
        """The same rule as ``to_where``, for the lexical side."""
        year = metadata.get("year") or 0
        return (metadata.get("confidentiality") in self.confidentiality
                and (not self.doc_types or metadata.get("doc_type") in self.doc_types)
                and (not self.regions or bool(set(self.regions) & set(metadata.get("regions") or ())))
                and (not self.actors or bool(set(self.actors) & set(metadata.get("actors") or ())))
                and (self.year_from is None or year >= self.year_from)
                and (self.year_to is None or (0 < year <= self.year_to))
                and (not self.documents or metadata.get("doc_id") in self.documents))


@dataclass(frozen=True)
class PassageScores:
    """How a passage was found: its fused rank score, and each side's own score (0 when that side missed it)."""

    fused: float = 0.0  # weighted reciprocal rank fusion, or the cross-encoder's score when one reranks
    dense: float = 0.0  # cosine similarity to the question
    lexical: float = 0.0  # BM25 score


@dataclass(frozen=True)
class Source:
    """A passage shown to the user under a number ``[n]``."""

    number: int
    passage: Passage
    scores: PassageScores = PassageScores()
    focus: tuple[int, int] | None = None  # page offsets of the sentence window that found the passage, if one did


class Verdict(enum.StrEnum):
    """The support check's verdict on one sentence of an answer (a string, so JSON and feedback keep the word)."""

    SUPPORTED = "supported"  # its own markers support it
    RECITED = "recited"  # another retrieved source supports it: cited anew
    UNSUPPORTED = "unsupported"  # no source supports it: removed from the text shown


# What the check established, in plain French, by basis: the source card shows it, so it says what was checked
# and no more (a figure is « tied to the year asked » only when the check tied it).
BASIS_LABELS = {
    "quoted": "citation exacte de la source",
    "bound": "chiffre trouvé dans la source sur la même ligne que l'année, la région et l'objet demandés",
    "words": "mots, chiffres et noms trouvés ensemble dans la source",
    "meaning": "reformulation : vérifiée sur le sens seulement (chiffres et noms trouvés dans la source)",
    "computed": "comparaison ou calcul refait à partir des valeurs citées, chacune trouvée dans sa source",
    "unbound": "retirée : la source donne ce chiffre pour une autre année, une autre région ou un autre objet",
    "unsupported": "retirée : aucune source ne l'appuie",
}
# A check without its basis (feedback recorded before it existed) says only its verdict.
_VERDICT_ONLY = {Verdict.SUPPORTED: "phrase vérifiée dans la source",
                 Verdict.RECITED: "citation corrigée par la vérification",
                 Verdict.UNSUPPORTED: "retirée : aucune source ne l'appuie"}


@dataclass(frozen=True)
class SentenceCheck:
    """The support check of one sentence of an answer against the sources it cites."""

    text: str  # as shown, with its final markers; an unsupported sentence without its markers (it is not shown)
    cited: tuple[int, ...]  # source numbers the shown sentence cites; empty when unsupported
    written: tuple[int, ...]  # source numbers the model wrote
    verdict: Verdict
    score: float  # support in [0, 1]: the better of shared content words and meaning; 0 if a figure or name lacks
    missing: tuple[str, ...] = ()  # figures and names of the sentence found in no cited source
    basis: str = ""  # what held it up (see BASIS_LABELS); "" for a check recorded without it
    # Where it is held up: (source number, start, end) offsets into that source's passage text of the sentence(s)
    # that support it; empty when unsupported, or held up only by several passages read together.
    evidence: tuple[tuple[int, int, int], ...] = ()

    @property
    def label(self) -> str:
        """What was checked, in French, for the reader: « citation exacte de la source », « reformulation : vérifiée
        sur le sens seulement »…; a sentence cited anew says so first."""
        if not self.basis:
            return _VERDICT_ONLY[self.verdict]
        label = BASIS_LABELS[self.basis]
        return f"citation corrigée par la vérification — {label}" if self.verdict == Verdict.RECITED else label


@dataclass(frozen=True)
class Exchange:
    """One earlier question and answer of a conversation, for follow-up questions."""

    question: str
    answer: str


@dataclass
class Answer:
    """The assistant's reply: its text with ``[n]`` markers and the sources they point to."""

    question: str
    text: str
    sources: list[Source] = field(default_factory=list)
    checks: list[SentenceCheck] = field(default_factory=list)  # one per finished sentence, in order
    search_query: str = ""  # the question as searched: rewritten with the history for a follow-up
    language: str = "fr"  # the language of the question, and of the answer
    refused: bool = False  # the answer says the corpus does not hold the information
    refusal_reason: str = ""  # why, in French, for the sources panel and the logs
    complete: bool = False  # the last item of a stream: every sentence has been checked
    model_text: str = ""  # what the model (or the extractive backend) wrote, before the checks; "" if not asked

    @property
    def cited_numbers(self) -> list[int]:
        """The source numbers the text actually cites, in order of first appearance."""
        return cited_numbers(self.text)

    @property
    def cited_sources(self) -> list[Source]:
        """The sources the text cites, in the order of their numbers."""
        by_number = {source.number: source for source in self.sources}
        return [by_number[n] for n in sorted(self.cited_numbers) if n in by_number]

    @property
    def shown_sources(self) -> list[Source]:
        """The sources shown with the answer: those it cites, or, when it cites none, every passage found."""
        return self.cited_sources or self.sources


def _ignore(_: object) -> None:
    return None


@dataclass(frozen=True)
class EmbeddingCost:
    """What a run is about to embed, and how long it should take at the speed measured here."""

    passages: int
    per_second: float
    measured: bool  # the speed comes from an earlier run of this embedder, not from the cautious default

    @property
    def seconds(self) -> float:
        """The estimated embedding time."""
        return self.passages / self.per_second

    def announcement(self) -> str:
        """The line printed before embedding starts."""
        speed = f"{self.per_second:.1f}".replace(".", ",")
        basis = "mesuré lors des indexations précédentes" if self.measured else "prudent, pas encore mesuré ici"
        return (f"À encoder : {count_text(self.passages)} passages, environ {duration_text(self.seconds)} "
                f"(rythme de {speed} passages par seconde, {basis}).")


def count_text(value: object) -> str:
    """A count as a French reader writes it: « 12 345 »."""
    return f"{int(str(value)):,}".replace(",", " ")


def duration_text(seconds: float) -> str:
    """A duration as a reader says it: « 40 s », « 12 min », « 2 h 15 »."""
    if seconds < 60:
        return f"{max(1, round(seconds))} s"
    if seconds < 3600:
        return f"{round(seconds / 60)} min"
    hours, minutes = divmod(round(seconds / 60), 60)
    return f"{hours} h {minutes:02d}"


def describe_run(running: dict[str, object]) -> str:
    """Where a run stands, from its marker: what it reads or embeds, how far, when it should end."""
    phase = running.get("phase")
    done, total = running.get("done", 0), running.get("total", 0)
    if phase == "lecture":
        where = f"lecture du fichier {int(str(done)) + 1} sur {total} ({running.get('document', '')})"
    elif phase == "encodage":
        where = f"encodage, {count_text(done)} passages sur {count_text(total)}"
        if running.get("ends"):
            where += f", fin estimée vers {str(running['ends'])[11:16].replace(':', ' h ')}"
    elif phase == "écriture":
        where = "écriture de l'index"
    else:
        return "démarrage"
    return where


@dataclass
class IndexProgress:
    """What an indexing run reports as it goes: how many documents it will read, each one it reads, the cost of
    embedding before it starts (passages to embed, passages a second measured by earlier runs), each batch of
    passages it embeds."""

    planned: Callable[[int], None] = _ignore
    document: Callable[[str], None] = _ignore
    cost: Callable[[EmbeddingCost], None] = _ignore
    embedded: Callable[[int], None] = _ignore


@dataclass
class IndexReport:
    """What one indexing run did (or, for a dry run, would do)."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    renamed: dict[str, str] = field(default_factory=dict)  # new → old
    removed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    passages_embedded: int = 0
    passages_reused: int = 0
    seconds: float = 0.0
    rebuilt: bool = False
    dry_run: bool = False

    def summary(self) -> dict[str, float]:
        """The counts kept in the manifest for ``assistant status``."""
        return {"added": len(self.added), "updated": len(self.updated), "renamed": len(self.renamed),
                "removed": len(self.removed), "unchanged": len(self.unchanged), "failed": len(self.failed),
                "passages_embedded": self.passages_embedded, "seconds": round(self.seconds, 2)}


def search_text(title: str, text: str, context: str = "", section: str = "") -> str:
    """The document's title and the passage's section, then the passage: a passage rarely names what its document
    or chapter is about (« Chapitre 4 – Lanaudière »), their titles do. A table row is searched as its fact (its
    cells under their column headers) instead of its bare cells; its table's title, often a sentence that the
    page's own passage holds (« 6.1 La ministre verse … répartie comme suit : »), is left to the answer step: in
    the search it made every row of the table alike (docs/indexing.md).

    Only the vectors and the BM25 index see this; the stored, shown and cited text stays the passage itself.
    """
    return "\n".join(part for part in (title, section, row_context(context)[1] or text) if part)


def cited_numbers(text: str) -> list[int]:
    """Numbers of the ``[n]`` (or ``[n, m]``) markers in a text, each once, in order of first appearance."""
    numbers: list[int] = []
    for group in CITATION_MARKER.findall(text):
        for number in (int(n) for n in group.replace(" ", "").split(",")):
            if number not in numbers:
                numbers.append(number)
    return numbers


# A comparison row whose region's documents say nothing on the question (the row is refused, never filled from
# another region's documents).
NOTHING_FOR_REGION = "Rien dans le corpus pour cette région."
UNKNOWN_ACTOR = "type d'acteur non précisé"


@dataclass(frozen=True)
class ComparisonRow:
    """One region's answer to a comparison question, written by the chat's pipeline with that region as a filter
    and citing only passages about that region."""

    region: str
    answer: Answer

    @property
    def nothing(self) -> bool:
        """The region's documents say nothing on the question."""
        return self.answer.refused

    @property
    def text(self) -> str:
        """The cell as shown: the answer with its ``[n]`` markers, or « Rien dans le corpus pour cette région. »"""
        return NOTHING_FOR_REGION if self.nothing else self.answer.text


@dataclass(frozen=True)
class Excerpt:
    """A passage that addresses a theme, with the sentence that addresses it best (offsets into the passage text)."""

    source: Source
    sentence: tuple[int, int]
    region: str  # its document's region; for a document that covers several, the one the passage speaks of

    @property
    def passage(self) -> Passage:
        """The passage quoted."""
        return self.source.passage

    @property
    def actor(self) -> str:
        """The actor type of its interview (the first one), or « type d'acteur non précisé »."""
        return self.passage.info.actors[0] if self.passage.info.actors else UNKNOWN_ACTOR

    @property
    def key(self) -> str:
        """A stable identifier: the passage id (a kept/dropped box and an export row refer to it)."""
        return self.passage.id


@dataclass(frozen=True)
class ExcerptResult:
    """The excerpts gathered on a theme, best first, and what they were gathered with."""

    theme: str
    filters: SearchFilters
    excerpts: list[Excerpt] = field(default_factory=list)

    def groups(self) -> dict[tuple[str, str], list[Excerpt]]:
        """The excerpts by (region, actor type), groups in order of region then actor type, best first within."""
        grouped: dict[tuple[str, str], list[Excerpt]] = {}
        for excerpt in self.excerpts:
            grouped.setdefault((excerpt.region, excerpt.actor), []).append(excerpt)
        return dict(sorted(grouped.items()))

    def counts(self) -> dict[tuple[str, str], int]:
        """How many excerpts each (region, actor type) group holds."""
        return {group: len(excerpts) for group, excerpts in self.groups().items()}
