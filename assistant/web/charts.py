"""Small bar charts drawn as inline SVG (nothing fetched from elsewhere): counts of documents or excerpts by group."""

from __future__ import annotations

import html

# One colour per segment of a stacked bar (actor types), then again; readable on light and dark backgrounds.
PALETTE = ("#2563eb", "#16a34a", "#d97706", "#9333ea", "#dc2626", "#0891b2", "#65a30d", "#db2777")
BAR_HEIGHT, GAP, LABEL_WIDTH, BAR_WIDTH = 18, 6, 190, 260


def bar_chart(title: str, counts: list[tuple[str, int]], chart_id: str) -> str:
    """A horizontal bar chart, one bar a label, its count written after it."""
    return stacked_bar_chart(title, [(label, [(label, count)]) for label, count in counts], chart_id, legend=False)


def stacked_bar_chart(title: str, rows: list[tuple[str, list[tuple[str, int]]]], chart_id: str,
                      legend: bool = True) -> str:
    """A horizontal bar per row, made of coloured segments (one colour per segment name, named in a legend), its
    total written after it; the figure's text alternative lists every count."""
    if not rows:
        return ""
    segments = list(dict.fromkeys(name for _, parts in rows for name, _ in parts))
    colours = {name: PALETTE[i % len(PALETTE)] for i, name in enumerate(segments)}
    largest = max(sum(count for _, count in parts) for _, parts in rows) or 1
    height = len(rows) * (BAR_HEIGHT + GAP)
    shapes = []
    for index, (label, parts) in enumerate(rows):
        y = index * (BAR_HEIGHT + GAP)
        shapes.append(f'<text x="{LABEL_WIDTH - 6}" y="{y + BAR_HEIGHT - 5}" text-anchor="end">'
                      f"{html.escape(label)}</text>")
        x = float(LABEL_WIDTH)
        for name, count in parts:
            width = BAR_WIDTH * count / largest
            shapes.append(f'<rect x="{x:.1f}" y="{y}" width="{width:.1f}" height="{BAR_HEIGHT}" '
                          f'fill="{colours[name]}" data-group="{html.escape(label)}" '
                          f'data-segment="{html.escape(name)}" data-count="{count}">'
                          f"<title>{html.escape(label)} — {html.escape(name)} : {count}</title></rect>")
            x += width
        shapes.append(f'<text x="{x + 4:.1f}" y="{y + BAR_HEIGHT - 5}">{sum(c for _, c in parts)}</text>')
    described = "; ".join(f"{label} : " + ", ".join(f"{name} {count}" for name, count in parts)
                          for label, parts in rows)
    key = ""
    if legend:
        items = "".join(f'<li><span style="background:{colours[name]}"></span>{html.escape(name)}</li>'
                        for name in segments)
        key = f'<ul class="chart-legend">{items}</ul>'
    width = LABEL_WIDTH + BAR_WIDTH + 40
    return (f'<figure class="bar-chart" id="{chart_id}"><figcaption>{html.escape(title)}</figcaption>'
            f'<svg role="img" aria-label="{html.escape(described)}" viewBox="0 0 {width} {height}" '
            f'width="{width}" height="{height}" font-size="12" fill="currentColor">{"".join(shapes)}</svg>'
            f"{key}</figure>")
