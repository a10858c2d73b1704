"""Core data types shared by every stage: a document's metadata, its pages, a passage, a cited source, an answer."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from langchain_core.documents import Document

CITATION_MARKER = re.compile(r"\[(\d+(?:\s*,\s*\d+)*)\]")
# Shown on a source whose passage was read from a scanned page (``Passage.ocr``).
OCR_LABEL = "texte obtenu par OCR"


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

    def __post_init__(self) -> None:
        if not self.doc_id:
            object.__setattr__(self, "doc_id", self.path)

    @property
    def year(self) -> int | None:
        """The year of the document's date, if it has one."""
        return int(self.date[:4]) if self.date[:4].isdigit() else None


@dataclass(frozen=True)
class TableRow:
    """One row of a table read as a table: where it is in its page's text, and its cells under their headers."""

    start: int  # offsets of the row in the page text: text[start:end] holds every cell of the row
    end: int
    cells: tuple[tuple[str, str], ...]  # (column header, cell text), in column order; empty cells left out

    def fact(self) -> str:
        """The row as a self-contained statement: « Exercice financier : 2013-2014 — Contribution du FQIS :
        1 505 000 $ » (a cell whose header is empty or equal to it stands alone)."""
        return " — ".join(value if header in ("", value) else f"{header} : {value}" for header, value in self.cells)


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
    context: str = ""  # for a table row: the row with its column headers (what is searched, and what it means)
    section: str = ""  # the titles of the chapter and section the passage is in (« Chapitre 4 – Lanaudière — … »)
    parent: str = ""  # for a search unit smaller than a passage (a sentence window): the passage it is read in

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
        if self.context:
            metadata["context"] = self.context
        if self.section:
            metadata["section"] = self.section
        if self.parent:
            metadata["parent"] = self.parent
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
        )
        return cls(passage_id, text, info, metadata.get("page") or None, metadata.get("page_label", ""),
                   metadata.get("start", 0), metadata.get("end", 0), bool(metadata.get("ocr", False)),
                   metadata.get("context", ""), metadata.get("section", ""), metadata.get("parent", ""))

    def to_document(self, score: float) -> Document:
        """As a LangChain document, the score kept in the metadata."""
        return Document(page_content=self.text, id=self.id, metadata={**self.to_metadata(), "score": score})

    @classmethod
    def from_document(cls, document: Document) -> Passage:
        """Back from a LangChain document."""
        return cls.from_metadata(document.id or "", document.page_content, document.metadata)


@dataclass(frozen=True)
class Source:
    """A passage shown to the user under a number ``[n]``."""

    number: int
    passage: Passage
    score: float
    context_before: str = ""  # neighbouring text shown to the model, never cited
    context_after: str = ""
    dense_score: float = 0.0  # cosine similarity to the question (0 when only BM25 found the passage)
    lexical_score: float = 0.0  # BM25 score (0 when only the vectors found it)
    focus: tuple[int, int] | None = None  # page offsets of the sentence window that found the passage, if one did


# Verdicts on a sentence of an answer (stable values: the feedback store keeps them).
VERDICTS = ("supported", "recited", "unsupported")
# What the check established, in plain French, by basis: the source card shows it, so it says what was checked
# and no more (a figure is « tied to the year asked » only when the check tied it).
BASIS_LABELS = {
    "quoted": "citation exacte de la source",
    "bound": "chiffre trouvé dans la source sur la même ligne que l'année, la région et l'objet demandés",
    "words": "mots, chiffres et noms trouvés ensemble dans la source",
    "meaning": "reformulation : vérifiée sur le sens seulement (chiffres et noms trouvés dans la source)",
    "unbound": "retirée : la source donne ce chiffre pour une autre année, une autre région ou un autre objet",
    "unsupported": "retirée : aucune source ne l'appuie",
}
# A check without its basis (feedback recorded before it existed) says only its verdict.
_VERDICT_ONLY = {"supported": "phrase vérifiée dans la source", "recited": "citation corrigée par la vérification",
                 "unsupported": "retirée : aucune source ne l'appuie"}


@dataclass(frozen=True)
class SentenceCheck:
    """The support check of one sentence of an answer against the sources it cites."""

    text: str  # as shown, with its final markers; an unsupported sentence without its markers (it is not shown)
    cited: tuple[int, ...]  # source numbers the shown sentence cites; empty when unsupported
    written: tuple[int, ...]  # source numbers the model wrote
    verdict: str  # "supported", "recited" or "unsupported" (see VERDICTS)
    score: float  # support in [0, 1]: the better of shared content words and meaning; 0 if a figure or name lacks
    missing: tuple[str, ...] = ()  # figures and names of the sentence found in no cited source
    basis: str = ""  # what held it up (see BASIS_LABELS); "" for a check recorded without it

    @property
    def label(self) -> str:
        """What was checked, in French, for the reader: « citation exacte de la source », « reformulation : vérifiée
        sur le sens seulement »…; a sentence cited anew says so first."""
        if not self.basis:
            return _VERDICT_ONLY[self.verdict]
        label = BASIS_LABELS[self.basis]
        return f"citation corrigée par la vérification — {label}" if self.verdict == "recited" else label


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

    @property
    def cited_numbers(self) -> list[int]:
        """The source numbers the text actually cites, in order of first appearance."""
        return cited_numbers(self.text)


def search_text(title: str, text: str, context: str = "", section: str = "") -> str:
    """The document's title and the passage's section, then the passage: a passage rarely names what its document
    or chapter is about (« Chapitre 4 – Lanaudière »), their titles do. A table row is searched as its ``context``
    (its cells under their column headers) instead of its bare cells.

    Only the vectors and the BM25 index see this; the stored, shown and cited text stays the passage itself.
    """
    return "\n".join(part for part in (title, section, context or text) if part)


def cited_numbers(text: str) -> list[int]:
    """Numbers of the ``[n]`` (or ``[n, m]``) markers in a text, each once, in order of first appearance."""
    numbers: list[int] = []
    for group in CITATION_MARKER.findall(text):
        for number in (int(n) for n in group.replace(" ", "").split(",")):
            if number not in numbers:
                numbers.append(number)
    return numbers
