"""The documents tab: what the index holds for this user's confidentiality levels, failed files, last reindex."""

from __future__ import annotations

import html
from collections import Counter
from typing import TYPE_CHECKING

from assistant.models import DocumentInfo
from assistant.web.charts import bar_chart
from assistant.web.files import LinkSigner
from assistant.web.sources import doc_type_label, format_date

if TYPE_CHECKING:  # the type of ``Assistant.manifest()``, named in annotations only
    from assistant.index.manifest import Manifest

DOCUMENT_HEADERS = ["Titre", "Type", "Régions", "Date", "Pages", "Passages", "Indexé le", "État", "Fichier"]
FAILED_HEADERS = ["Fichier", "Raison"]
# A file that failed to be read has no known confidentiality level: like an unknown level, it counts as the highest.
FAILED_FILES_LEVEL = "confidentiel"


def document_rows(manifest: Manifest, visible: dict[str, DocumentInfo], links: LinkSigner) -> list[list[str | int]]:
    """One row per indexed document the user may see (``visible`` is by doc_id), by title; the title of a
    single-document file opens the original (a JSONL corpus file holds other documents, so it is never served).
    The title is the one HTML cell, escaped; every other cell is plain text."""
    shown = [(info, key, record) for key, record in manifest.documents.items()
             if (info := visible.get(record.doc_id or key)) is not None]
    rows: list[list[str | int]] = []
    for info, key, record in sorted(shown, key=lambda item: item[0].title.lower()):
        single_file = key == info.path
        title = html.escape(info.title)
        if single_file:
            title = f'<a href="{html.escape(links.document_link(info.path))}" target="_blank">{title}</a>'
        rows.append([title, doc_type_label(info.doc_type), ", ".join(info.regions), format_date(info.date),
                     record.pages, len(record.passage_ids), _format_timestamp(record.indexed_at), "indexé",
                     info.path if single_file else f"{info.path} ({info.doc_id})"])
    return rows


def failed_rows(manifest: Manifest, levels: tuple[str, ...]) -> list[list[str]]:
    """Failed files and why, for users who may see every level (a failed file's level is unknown)."""
    if FAILED_FILES_LEVEL not in levels:
        return []
    return [[path, reason] for path, reason in sorted(manifest.failed.items())]


def index_summary(manifest: Manifest, visible_count: int, levels: tuple[str, ...]) -> str:
    """Counts, last reindex and the failed files' count, as Markdown."""
    if not manifest.documents and not manifest.failed:
        return "L'index est vide : lancez `assistant index`."
    lines = [f"**{visible_count} documents** consultables avec vos niveaux ({', '.join(levels)}).",
             f"Dernière indexation : **{_format_timestamp(manifest.last_run)}** · modèle d'encodage : "
             f"{manifest.embedder or 'inconnu'}."]
    if manifest.failed and FAILED_FILES_LEVEL in levels:
        lines.append(f"**{len(manifest.failed)} fichier(s) en échec**, détaillés ci-dessous.")
    elif manifest.failed:
        lines.append(f"**{len(manifest.failed)} fichier(s) en échec.** Leur niveau de confidentialité est inconnu : "
                     "leurs noms ne sont montrés qu'aux rôles qui voient les documents confidentiels "
                     "(ou par `assistant status`).")
    else:
        lines.append("Aucun fichier en échec.")
    return "\n\n".join(lines)


def _format_timestamp(iso: str) -> str:
    return iso.replace("T", " ")[:16] if iso else "—"


def overview_charts(documents: list[DocumentInfo]) -> str:
    """Counts of the documents by type, by region and by year, as three small bar charts."""
    if not documents:
        return ""
    types = Counter(doc_type_label(info.doc_type) for info in documents)
    regions = Counter(region for info in documents for region in info.regions)
    years = Counter(str(info.year) for info in documents if info.year)
    charts = [bar_chart("Par type", types.most_common(), "overview-types"),
              bar_chart("Par région", sorted(regions.items()), "overview-regions"),
              bar_chart("Par année", sorted(years.items()), "overview-years")]
    return f'<div class="charts">{"".join(charts)}</div>'
