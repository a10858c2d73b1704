"""The Extraits tab: the passages of the corpus on a theme, grouped by region and actor type and counted in a
small chart, each with its relevant sentence marked and a link to its source; boxes to keep or drop an excerpt, and
exports of the kept ones (a coding sheet in CSV, and Markdown)."""

from __future__ import annotations

import datetime as dt
import html
from typing import Any

import gradio as gr

from assistant.errors import AssistantError, report_unexpected
from assistant.models import ExcerptResult
from assistant.passage_layout import passage_blocks
from assistant.research import excerpts_csv, excerpts_markdown, numbered_excerpts, page_of
from assistant.service import Assistant
from assistant.web.charts import stacked_bar_chart
from assistant.web.compare import download_link
from assistant.web.events import reader_of
from assistant.web.files import LinkSigner
from assistant.web.marks import marked_html
from assistant.web.sources import doc_type_label

INTRO = ("Donnez un thème ou une question : les passages du corpus qui en traitent s'affichent par région et par type "
         "d'acteur, la phrase pertinente surlignée (aucun modèle de langue n'écrit ici). Décochez les extraits à "
         "écarter, puis exportez ceux que vous gardez.")
EMPTY = '<p class="panel-hint">Les extraits s\'afficheront ici.</p>'
NOTHING = '<p class="panel-hint">Aucun passage du corpus ne traite de ce thème avec ces filtres.</p>'
NO_EXPORTS = '<span class="export-link" aria-disabled="true">Exporter les extraits retenus (CSV, Markdown)</span>'
DEFAULT_TYPES = ["entretien"]


def build_excerpts_tab(blocks: gr.Blocks, assistant: Assistant, links: LinkSigner) -> None:
    """The Extraits tab and its events, inside the page's ``gr.Tabs()``."""
    view = ExcerptsView(assistant, links)
    with gr.Tab("Extraits", id="excerpts"):
        gr.Markdown(INTRO)
        result = gr.State()
        with gr.Row():
            theme = gr.Textbox(label="Thème", placeholder="la reddition de comptes jugée trop lourde", scale=4,
                               elem_id="excerpts-theme")
            run = gr.Button("Rassembler les extraits", variant="primary", scale=1, elem_id="excerpts-run")
        with gr.Row():
            doc_types = gr.CheckboxGroup(label="Type de document", value=DEFAULT_TYPES, elem_id="excerpts-types")
            regions = gr.Dropdown(label="Régions", multiselect=True, elem_id="excerpts-regions")
            actors = gr.Dropdown(label="Types d'acteurs", multiselect=True, elem_id="excerpts-actors")
        chart = gr.HTML(elem_id="excerpts-chart", padding=False)
        with gr.Row(equal_height=False):
            with gr.Column(scale=3):
                listing = gr.HTML(EMPTY, elem_id="excerpts-list", padding=False)
            with gr.Column(scale=1):
                kept = gr.CheckboxGroup(label="Extraits retenus", elem_id="excerpts-kept")
                exports = gr.HTML(NO_EXPORTS, elem_id="excerpts-exports", padding=False)
    blocks.load(view.choices, None, [doc_types, regions, actors], api_visibility="private")
    gr.on([theme.submit, run.click], view.gather, [theme, doc_types, regions, actors],
          [result, chart, listing, kept, exports], api_visibility="private", show_progress="minimal")
    kept.change(view.exports, [result, kept], exports, api_visibility="private")


class ExcerptsView:
    """The tab's handlers; the confidentiality levels come from the logged-in user's role, read on the server."""

    def __init__(self, assistant: Assistant, links: LinkSigner) -> None:
        self.assistant = assistant
        self.links = links

    def choices(self, request: gr.Request) -> tuple[Any, ...]:
        """The filters' choices among the documents this user may read."""
        visible = self.assistant.indexed_documents(self.assistant.access.levels_for(request.username)).values()
        types = sorted({info.doc_type for info in visible})
        return (gr.update(choices=[(doc_type_label(t), t) for t in types],
                          value=[t for t in DEFAULT_TYPES if t in types]),
                gr.update(choices=sorted({region for info in visible for region in info.regions})),
                gr.update(choices=sorted({actor for info in visible for actor in info.actors})))

    def gather(self, theme: str, doc_types: list[str], regions: list[str], actors: list[str],
               request: gr.Request) -> tuple[Any, ...]:
        """The excerpts on the theme with this user's levels: chart, grouped listing, every box ticked, exports."""
        filters = self.assistant.filters_for(request.username, doc_types=tuple(doc_types or ()),
                                             regions=tuple(regions or ()), actors=tuple(actors or ()))
        try:
            result = self.assistant.excerpts(theme, filters)
        except AssistantError as error:
            raise gr.Error(str(error), title="Extraits") from error
        except Exception as error:  # a bug: its traceback goes to the log file, the reader is told where
            raise gr.Error(report_unexpected(error, self.assistant.settings.log_file), title="Extraits") from error
        if not result.excerpts:
            return result, "", NOTHING, gr.update(choices=[], value=[]), NO_EXPORTS
        links = self.links.for_reader(reader_of(request))
        labels = excerpt_labels(result)
        keys = [key for _, key in labels]
        return (result, excerpts_chart(result), excerpts_listing(result, links),
                gr.update(choices=labels, value=keys), export_links(result, set(keys)))

    def exports(self, result: ExcerptResult | None, kept: list[str]) -> str:
        """The export links for the excerpts still ticked."""
        if result is None or not kept:
            return NO_EXPORTS
        return export_links(result, set(kept))


def excerpt_labels(result: ExcerptResult) -> list[tuple[str, str]]:
    """The keep/drop boxes: « E001 · ENT-LAU-01 · Laurentides » and the excerpt's key."""
    return [(" · ".join(part for part in (number, excerpt.passage.info.code, excerpt.region) if part), excerpt.key)
            for number, excerpt in numbered_excerpts(result)]


def excerpts_chart(result: ExcerptResult) -> str:
    """Counts by region, each bar split by actor type."""
    by_region: dict[str, list[tuple[str, int]]] = {}
    for (region, actor), count in result.counts().items():
        by_region.setdefault(region, []).append((actor, count))
    return stacked_bar_chart("Extraits par région et type d'acteur", list(by_region.items()), "excerpts-counts")


def excerpts_listing(result: ExcerptResult, links: LinkSigner) -> str:
    """The excerpts under their group's heading, the relevant sentence marked, each with a link to its source."""
    by_key = dict((excerpt.key, number) for number, excerpt in numbered_excerpts(result))
    parts = []
    for (region, actor), excerpts in result.groups().items():
        items = []
        for excerpt in excerpts:
            passage = excerpt.passage
            # Laid out as in its document (headings and list items on their own lines), the sentence marked.
            text = marked_html(passage.text, passage_blocks(passage.text, titles=passage.section.split(" — ")),
                               {"support": [excerpt.sentence]})
            page = page_of(passage)
            where = ", ".join(part for part in (passage.info.code, passage.info.title,
                                                 f"page {page}" if page else "") if part)
            items.append(f'<blockquote class="excerpt" data-key="{html.escape(excerpt.key)}">'
                         f"<strong>{by_key[excerpt.key]}</strong> {text}"
                         f'<a class="excerpt-source" href="{html.escape(links.passage_link(passage))}" '
                         f'target="_blank">{html.escape(where)}</a></blockquote>')
        parts.append(f'<section class="excerpt-group"><h4>{html.escape(region)} — {html.escape(actor)} '
                     f"({len(excerpts)})</h4>{''.join(items)}</section>")
    return "".join(parts)


def export_links(result: ExcerptResult, kept: set[str]) -> str:
    """CSV (a coding sheet) and Markdown downloads of the kept excerpts."""
    day = dt.date.today().isoformat()
    return (download_link(excerpts_csv(result, kept), "text/csv", f"extraits-{day}.csv", "Exporter en CSV",
                          "excerpts-csv")
            + " " + download_link(excerpts_markdown(result, kept), "text/markdown", f"extraits-{day}.md",
                                  "Exporter en Markdown", "excerpts-md"))
