"""Superlative questions over a table (« Quel territoire de la Côte-Nord a le taux de faible revenu le plus élevé ? »):
the row whose cell, in the column the question asks, is the highest or the lowest, shown as it stands (its row's
label and its value copied, nothing computed but the comparison)."""

from __future__ import annotations

import re
from dataclasses import replace

from assistant.answer.constraints import EvidenceUnit, labelled_total, superlative_asked, table_total
from assistant.answer.evidence import RankedUnit, cell_column, fact_cells
from assistant.models import Passage

# A table's rows are read up to this many row passages away from one the search found, to find the others.
TABLE_REACH = 40
# A superlative is read in a table when one of its cells scores within this much (a logit) of the best unit.
TABLE_MARGIN = 1.0


def table_of(passage: Passage) -> tuple[str, str]:
    """The table a row's passage belongs to: its document and the label of its rows' first column (« Région »,
    « Territoire de MRC » of « Territoire de MRC : Caniapiscau — Taux de faible revenu : 8,1 % — … »); a row with
    an empty cell has fewer labels than the others, never another first one."""
    labels = fact_cells(passage.context)
    return passage.info.doc_id, labels[0][0] if labels else ""


def cell_value(unit: EvidenceUnit) -> float | None:
    """A table cell's value as a number (« 19,7 % » 19.7, « 2 880 000 $ » 2880000); None when it is none."""
    value = unit.text.rsplit(" : ", 1)[-1]
    digits = re.sub(r"[\s\u00a0\u202f]", "", re.sub(r"[^\d,.\s\u00a0\u202f]", "", value)).replace(",", ".")
    try:
        return float(digits) if digits else None
    except ValueError:
        return None


def extreme_cell(units: list[EvidenceUnit], direction: int) -> EvidenceUnit | None:
    """Among table cells, the one of the best-ranked cell's column and table (the first in the order given) whose
    value is the highest (``direction`` 1) or the lowest (-1), its total left out (a row labelled « Total », or
    the whole region's row in a table of its territories); None with fewer than two such cells."""
    first = next((unit for unit in units if unit.kind == "cell" and cell_value(unit) is not None), None)
    if first is None:
        return None
    table = table_of(first.source.passage)
    same = [unit for unit in units if unit.kind == "cell" and cell_column(unit) == cell_column(first)
            and table_of(unit.source.passage) == table and cell_value(unit) is not None and not labelled_total(unit)]
    # In a table of regions every row is a region's; in a table of territories the region's row is their whole.
    pool = [unit for unit in same if not table_total(unit)] or same
    # One row alone is no extreme of anything.
    return max(pool, key=lambda unit: direction * (cell_value(unit) or 0.0)) if len(pool) > 1 else None


def extreme_first(question: str, ranked: list[RankedUnit]) -> list[RankedUnit]:
    """The ranking with, for a superlative question whose table cells rank near the top, the extreme cell of the
    best-ranked cell's column first (at the first unit's score, so that what follows it is chosen as after any
    first unit), or no cell when their table gives no other row to compare with; unchanged otherwise."""
    direction = superlative_asked(question)
    # A table answers when one of its cells ranks near the top; a sentence may answer by itself (« le projet le
    # plus cité est… »).
    tabled = [r.unit for r in ranked if r.score >= ranked[0].score - TABLE_MARGIN] if direction and ranked else []
    extreme = extreme_cell([r.unit for r in ranked], direction) if any(u.kind == "cell" for u in tabled) else None
    if extreme is None:
        # A cell that no other row of its table is compared with is no extreme: not shown as one.
        return [r for r in ranked if r.unit.kind != "cell"] if any(u.kind == "cell" for u in tabled) else ranked
    chosen = next(r for r in ranked if r.unit is extreme)
    return [replace(chosen, score=ranked[0].score)] + [r for r in ranked if r is not chosen]
