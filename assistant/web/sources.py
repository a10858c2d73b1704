"""How sources are shown: clickable ``[n]`` markers, the panel of cited sources beside the chat (the supporting
sentence and the answer's figures marked: ``marks.py``), and the short descriptions of a document and of the filters
an answer was given with."""

from __future__ import annotations

import html
import re
from collections import Counter

from assistant.models import CITATION_MARKER, OCR_LABEL, Answer, DocumentInfo, SearchFilters, Source, Verdict
from assistant.passage_layout import passage_blocks
from assistant.web.files import LinkSigner
from assistant.web.marks import marked_html, marks_query, source_marks

DOC_TYPE_LABELS = {
    "rapport": "Rapport", "entente": "Entente", "entretien": "Entretien", "proces-verbal": "Procès-verbal",
    "fiche-projet": "Fiche de projet", "portrait-regional": "Portrait régional", "autre": "Autre",
}
MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
          "novembre", "décembre")
EMPTY_PANEL = ('<p class="panel-hint">Les sources citées par la réponse s\'afficheront ici : document, page et '
               "passage exact.</p>")
WRITING_PANEL = '<p class="panel-hint">La réponse s\'écrit; ses sources s\'afficheront ici dès qu\'elle sera finie.</p>'
_MARKER_OR_BRACKET = re.compile(rf"{CITATION_MARKER.pattern}|[\[\]]")
_MARKDOWN_SPECIAL = re.compile(r"[\\`*_\[\]<>#!|$&~]")


def doc_type_label(doc_type: str) -> str:
    """The French label of a document type."""
    return DOC_TYPE_LABELS.get(doc_type, doc_type)


def format_date(iso: str) -> str:
    """``2012-04-17`` as « 17 avril 2012 » (also ``2012-04`` and ``2012``)."""
    parts = iso.split("-")
    if len(parts) >= 2 and parts[1].isdigit() and 1 <= int(parts[1]) <= 12:
        month = f"{MONTHS[int(parts[1]) - 1]} {parts[0]}"
        return f"{int(parts[2])} {month}" if len(parts) == 3 and parts[2].isdigit() else month
    return iso


def describe_document(info: DocumentInfo) -> str:
    """Type, regions and date on one line."""
    return " · ".join(part for part in (doc_type_label(info.doc_type), ", ".join(info.regions),
                                        format_date(info.date)) if part)


def describe_filters(filters: SearchFilters) -> str:
    """The filters an answer was given with, or "" when there were none."""
    parts = []
    if filters.doc_types:
        parts.append("types : " + ", ".join(doc_type_label(t) for t in filters.doc_types))
    if filters.regions:
        parts.append("régions : " + ", ".join(filters.regions))
    if filters.year_from is not None or filters.year_to is not None:
        parts.append(f"années : {filters.year_from or '…'} à {filters.year_to or '…'}")
    if filters.documents:
        parts.append(f"documents choisis : {len(filters.documents)}")
    return "Filtres appliqués — " + "; ".join(parts) if parts else ""


def page_text(source: Source) -> str:
    """« page 2 » for a PDF passage, "" for an unpaginated document."""
    passage = source.passage
    return f"page {passage.page_label or passage.page}" if passage.page else ""


def markdown_text(text: str) -> str:
    """Text shown as itself in a Markdown message: no HTML, no Markdown link (documents and questions are data)."""
    return html.escape(text, quote=False).replace("[", "\\[").replace("]", "\\]")


def markdown_literal(text: str) -> str:
    """Text that a Markdown reader shows as itself (an exported conversation): every character that could start
    markup, a link, an image, HTML or LaTeX is backslash-escaped."""
    return _MARKDOWN_SPECIAL.sub(r"\\\g<0>", text)


def code_span(text: str) -> str:
    """A Markdown code span holding the text verbatim (a file name), whatever backticks it contains."""
    flat = " ".join(text.splitlines())
    fence = "`" * (max((len(run) for run in re.findall("`+", flat)), default=0) + 1)
    padding = " " if flat.startswith("`") or flat.endswith("`") else ""
    return f"{fence}{padding}{flat}{padding}{fence}"


def linked_markers(text: str, sources: list[Source], links: LinkSigner, answer: Answer | None = None,
                   css_class: str = "cite") -> str:
    """The answer, escaped, with each ``[n]`` marker a link that opens the passage at its page (the sentence that
    holds ``answer`` up marked, when given); hovering names the source. Any other bracket is escaped, so that a
    document's text never becomes a Markdown link. The side viewer opens links of class « cite » beside the chat;
    text shown elsewhere (a comparison table) takes another class, and its links open the viewer in a new tab."""
    by_number = {source.number: source for source in sources}

    def link(match: re.Match[str]) -> str:
        if match.group(1) is None:
            return "\\" + match.group()
        anchors = []
        for number in (int(n) for n in match.group(1).replace(" ", "").split(",")):
            source = by_number.get(number)
            if source is None:
                anchors.append(f"[{number}]")
                continue
            hint = html.escape(", ".join(p for p in (source.passage.info.title, page_text(source)) if p))
            anchors.append(f'<a class="{css_class}" href="{html.escape(source_link(source, links, answer))}" '
                           f'target="_blank" title="{hint}">[{number}]</a>')
        return "".join(anchors)

    return _MARKER_OR_BRACKET.sub(link, html.escape(text, quote=False))


def source_link(source: Source, links: LinkSigner, answer: Answer | None) -> str:
    """The viewer's link for a source, with the marks of the answer that cites it."""
    return links.passage_link(source.passage, marks_query(source_marks(answer, source)) if answer else "")


def verdicts_of(answer: Answer, number: int) -> str:
    """The support check's verdicts on the sentences that cite this source, in French ("" when none was checked)."""
    counts = Counter(check.label for check in answer.checks if number in check.cited)
    return ", ".join(label if count == 1 else f"{label} ({count} phrases)" for label, count in counts.items())


def removed_sentences(answer: Answer) -> list[str]:
    """The sentences the support check removed because no source supports them."""
    return [check.text for check in answer.checks if check.verdict == Verdict.UNSUPPORTED]


def card_fields(source: Source, verdicts: str) -> list[tuple[str, str]]:
    """The labelled facts of a source card, with the support check's verdicts on the sentences that cite it."""
    info = source.passage.info
    fields = [("Type", doc_type_label(info.doc_type)), ("Région", ", ".join(info.regions) or "—"),
              ("Date", format_date(info.date) or "—")]
    if source.passage.page:
        fields.append(("Page", source.passage.page_label or str(source.passage.page)))
    fields.append(("Fichier", info.path))
    if source.passage.ocr:
        fields.append(("Texte", OCR_LABEL))
    if verdicts:
        fields.append(("Vérification", verdicts))
    return fields


def source_card(source: Source, answer: Answer, links: LinkSigner) -> str:
    """One source: number, title, facts and the check's verdicts, the passage laid out as in its document with the
    sentence that holds the answer up and the answer's figures, dates and names marked; links."""
    passage = source.passage
    marks = source_marks(answer, source)
    viewer = html.escape(links.passage_link(passage, marks_query(marks)))
    facts = "".join(f"<div><dt>{html.escape(label)}</dt><dd>{html.escape(value)}</dd></div>"
                    for label, value in card_fields(source, verdicts_of(answer, source.number)))
    where = f"Ouvrir à la {page_text(source)}" if passage.page else "Voir le passage dans le document"
    excerpt = marked_html(passage.text, passage_blocks(passage.text, titles=passage.section.split(" — ")), marks)
    opening = [f'<a href="{viewer}" target="_blank">{where}</a>']
    if passage.info.doc_id == passage.info.path:  # a line of a JSONL corpus has no file of its own to open
        original = html.escape(links.document_link(passage.info.path, passage.page))
        opening.append(f'<a href="{original}" target="_blank">Document original</a>')
    return (f'<article class="source-card" id="source-{source.number}">'
            f'<h4><a class="cite source-number" href="{viewer}" target="_blank" title="Voir à côté">'
            f'[{source.number}]</a> <a href="{viewer}" target="_blank">{html.escape(passage.info.title)}</a></h4>'
            f'<dl class="source-facts">{facts}</dl><div class="source-passage">{excerpt}</div>'
            f'<p class="source-links">{" · ".join(opening)}</p></article>')


def sources_panel(answer: Answer | None, filters: SearchFilters | None, links: LinkSigner) -> str:
    """The panel beside the chat for the latest answer: its cited sources with the support check's verdicts, or
    the closest passages if it cites none (and why, for a refusal); the sentences the check removed; the filters
    and confidentiality levels it was searched with."""
    if answer is None or filters is None:
        return EMPTY_PANEL
    shown = answer.shown_sources
    why = f'<p class="panel-hint">{html.escape(answer.refusal_reason)}</p>' if answer.refused else ""
    if not shown:
        heading = "Aucun passage trouvé avec ces filtres."
    elif answer.cited_numbers:
        heading = f"Sources citées ({len(shown)})"
    elif answer.refused:
        heading = f"Pas de réponse dans le corpus. Passages consultés ({len(shown)})"
    else:
        heading = f"La réponse ne cite aucune source. Passages consultés ({len(shown)})"
    cards = why + "".join(source_card(source, answer, links) for source in shown)
    removed = "".join(f"<li>{html.escape(sentence)}</li>" for sentence in removed_sentences(answer))
    if removed:
        cards += ('<div class="removed"><p>Phrases retirées par la vérification (aucune source ne les appuie) :</p>'
                  f"<ul>{removed}</ul></div>")
    searched = answer.search_query if answer.search_query not in ("", answer.question) else ""
    scope = [describe_filters(filters), "Niveaux consultés : " + ", ".join(filters.confidentiality),
             f"Suite de la conversation; recherche faite avec : « {searched} »" if searched else ""]
    footer = "".join(f"<p class=\"panel-scope\">{html.escape(line)}</p>" for line in scope if line)
    return f'<h3 class="panel-heading">{html.escape(heading)}</h3>{cards}{footer}'
