"""The Comparer tab: one question, one row per region as each is answered, citations that open their source, and
CSV and Markdown exports of the table."""

from __future__ import annotations

import base64
import datetime as dt
import html
from collections.abc import Iterator
from typing import Any

import gradio as gr

from assistant.errors import AssistantError, report_unexpected
from assistant.models import ComparisonRow
from assistant.research import comparison_csv, comparison_markdown, numbered_comparison
from assistant.service import Assistant
from assistant.web.events import reader_of
from assistant.web.files import LinkSigner
from assistant.web.sources import linked_markers, page_text

INTRO = ("Posez une question une fois pour chaque région : chaque ligne est répondue par le même moteur que le "
         "clavardage, avec la région pour filtre, et ne cite que des documents de cette région. Une région dont les "
         "documents ne disent rien reçoit « Rien dans le corpus pour cette région. ».")
EMPTY_TABLE = '<p class="panel-hint">Le tableau s\'affichera ici, une ligne par région, dès qu\'elle est prête.</p>'
NO_EXPORTS = '<span class="export-link" aria-disabled="true">Exporter (CSV, Markdown)</span>'
# Not « cite »: the chat's side viewer takes those clicks; a row's citation opens the passage's page in a new tab.
ROW_CITATION = "row-cite"
EXAMPLE = "Quel montant l'entente prévoit-elle pour l'exercice 2013-2014 ?"


def build_compare_tab(blocks: gr.Blocks, assistant: Assistant, links: LinkSigner) -> None:
    """The Comparer tab and its events, inside the page's ``gr.Tabs()``."""
    view = CompareView(assistant, links)
    with gr.Tab("Comparer", id="compare"):
        gr.Markdown(INTRO)
        with gr.Row():
            question = gr.Textbox(label="Question", placeholder=EXAMPLE, scale=5, elem_id="compare-question")
            regions = gr.Dropdown(label="Régions (par défaut : toutes celles qui ont des documents)",
                                  multiselect=True, scale=3, elem_id="compare-regions")
            run = gr.Button("Comparer", variant="primary", scale=1, min_width=110, elem_id="compare-run")
        table = gr.HTML(EMPTY_TABLE, elem_id="compare-table", padding=False)
        exports = gr.HTML(NO_EXPORTS, elem_id="compare-exports", padding=False)
    blocks.load(view.region_choices, None, regions, api_visibility="private")
    gr.on([question.submit, run.click], view.compare, [question, regions], [table, exports],
          concurrency_id="answer", concurrency_limit=assistant.settings.web.concurrent_answers,
          api_visibility="private", show_progress="minimal")


class CompareView:
    """The tab's handlers; the confidentiality levels come from the logged-in user's role, read on the server."""

    def __init__(self, assistant: Assistant, links: LinkSigner) -> None:
        self.assistant = assistant
        self.links = links

    def regions(self, user: str | None) -> list[str]:
        """The regions of the documents this user may read."""
        visible = self.assistant.indexed_documents(self.assistant.access.levels_for(user)).values()
        return sorted({region for info in visible for region in info.regions})

    def region_choices(self, request: gr.Request) -> dict[str, Any]:
        """The region selector's choices for this user."""
        return gr.update(choices=self.regions(request.username))

    def compare(self, question: str, regions: list[str] | None, request: gr.Request) -> Iterator[tuple[str, str]]:
        """The table, re-drawn as each region's row arrives, then the export links."""
        user = request.username
        chosen = tuple(regions or ()) or tuple(self.regions(user))
        links = self.links.for_reader(reader_of(request))
        rows: list[ComparisonRow] = []
        try:
            yield comparison_table(rows, chosen, links), NO_EXPORTS
            for row in self.assistant.compare(question, chosen, self.assistant.filters_for(user)):
                rows.append(row)
                yield comparison_table(rows, chosen, links), NO_EXPORTS
        except AssistantError as error:
            raise gr.Error(str(error), title="Comparaison") from error
        except Exception as error:  # a bug: its traceback goes to the log file, the reader is told where
            raise gr.Error(report_unexpected(error, self.assistant.settings.log_file), title="Comparaison") from error
        yield comparison_table(rows, chosen, links), export_links(question, rows)


def comparison_table(rows: list[ComparisonRow], regions: tuple[str, ...], links: LinkSigner) -> str:
    """The table: a row per region answered (its citations link to their source), the regions still to come
    marked « en cours », then the sources numbered across the table."""
    cells, sources = numbered_comparison(rows)
    lines = []
    for row, cell in zip(rows, cells):
        shown = html.escape(cell) if row.nothing else linked_markers(cell, sources, links, css_class=ROW_CITATION)
        css = ' class="nothing"' if row.nothing else ""
        lines.append(f'<tr data-region="{html.escape(row.region)}"><th scope="row">{html.escape(row.region)}</th>'
                     f"<td{css}>{shown}</td></tr>")
    for region in regions[len(rows):]:
        lines.append(f'<tr class="pending" data-region="{html.escape(region)}"><th scope="row">'
                     f"{html.escape(region)}</th><td>en cours…</td></tr>")
    listed = "".join(
        f'<li id="compare-source-{source.number}">[{source.number}] <a href="'
        f'{html.escape(links.passage_link(source.passage))}" target="_blank">{html.escape(source.passage.info.title)}'
        f"</a>{', ' + page_text(source) if source.passage.page else ''}</li>" for source in sources)
    return ('<table class="comparison"><thead><tr><th>Région</th><th>Réponse</th></tr></thead>'
            f'<tbody>{"".join(lines)}</tbody></table>'
            + (f'<ol class="research-sources" start="1">{listed}</ol>' if listed else ""))


def export_links(question: str, rows: list[ComparisonRow]) -> str:
    """Download links for the table as CSV and as Markdown, carried in the page itself (nothing kept on the
    server)."""
    day = dt.date.today().isoformat()
    return (download_link(comparison_csv(rows), "text/csv", f"comparaison-{day}.csv", "Exporter en CSV",
                          "compare-csv")
            + " " + download_link(comparison_markdown(question, rows), "text/markdown", f"comparaison-{day}.md",
                                  "Exporter en Markdown", "compare-md"))


def download_link(text: str, media_type: str, name: str, label: str, element_id: str) -> str:
    """A link that downloads ``text`` as a UTF-8 file (a data: URL, so the server keeps no copy)."""
    data = base64.b64encode(text.encode("utf-8")).decode("ascii")
    return (f'<a class="export-link" id="{element_id}" download="{html.escape(name)}" '
            f'href="data:{media_type};charset=utf-8;base64,{data}">{html.escape(label)}</a>')
