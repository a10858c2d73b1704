"""The researchers' commands: ``assistant comparer`` (one question, one row per region) and ``assistant extraits``
(the interview passages on a theme, by region and actor type), with their CSV and Markdown exports. The research
module loads only when one of them runs, so that ``assistant --help`` stays fast."""

from __future__ import annotations

import argparse
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.errors import EXIT_ERROR
from assistant.models import ComparisonRow, SearchFilters

if TYPE_CHECKING:
    from assistant.service import Assistant

EXIT_OK = 0


def add_research_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser],
                          add_filter_options: Callable[[argparse.ArgumentParser], None]) -> None:
    """The ``comparer`` and ``extraits`` sub-commands, with the search filters of ``add_filter_options``."""
    compare = commands.add_parser(
        "comparer", help="comparer les régions : une question, une ligne par région, chaque ligne citée",
        description="Pose la question une fois par région, avec cette région pour filtre : chaque ligne ne cite que "
        "des documents de sa région, et une région dont les documents ne disent rien reçoit « Rien dans le corpus "
        "pour cette région. ». Par défaut, toutes les régions qui ont des documents.")
    compare.add_argument("question", help="la question, entre guillemets")
    add_filter_options(compare)
    add_export_options(compare)
    excerpts = commands.add_parser(
        "extraits", help="rassembler les passages du corpus sur un thème, par région et type d'acteur",
        description="Cherche les passages qui traitent du thème (sans modèle de langue), sans doublons, classés, "
        "groupés par région et par type d'acteur, la phrase pertinente marquée; --csv écrit une grille de codage.")
    excerpts.add_argument("theme", metavar="THÈME", help="le thème ou la question, entre guillemets")
    add_filter_options(excerpts)
    excerpts.add_argument("--acteurs", nargs="+", default=(), metavar="TYPE",
                          help="types d'acteurs : « élu municipal », « organisme communautaire », « réseau de la "
                          "santé », « services d'emploi », « officier municipal », « citoyen »")
    excerpts.add_argument("--max", type=int, default=None, metavar="N", help="au plus N extraits (par défaut : 30)")
    add_export_options(excerpts)


def add_export_options(parser: argparse.ArgumentParser) -> None:
    """``--csv F`` and ``--md F``."""
    parser.add_argument("--csv", type=Path, default=None, metavar="FICHIER", help="écrire aussi le résultat en CSV")
    parser.add_argument("--md", type=Path, default=None, metavar="FICHIER",
                        help="écrire aussi le résultat en Markdown")


def run_compare(assistant: Assistant, question: str, filters: SearchFilters, csv_file: Path | None,
                md_file: Path | None) -> int:
    """Print each region's row as soon as it is answered, then write the exports."""
    from assistant.research import comparison_csv, comparison_markdown, page_of

    if not writable(csv_file) or not writable(md_file):
        return EXIT_ERROR
    rows: list[ComparisonRow] = []
    for row in assistant.compare(question, filters.regions, filters):
        rows.append(row)
        print(f"\n== {row.region} ==")
        print(textwrap.fill(row.text, width=100))
        for source in ([] if row.nothing else row.answer.cited_sources):
            page = page_of(source.passage)
            print(f"  [{source.number}] {source.passage.info.title}{', page ' + page if page else ''} — "
                  f"{source.passage.info.path}")
        sys.stdout.flush()
    answered = sum(not row.nothing for row in rows)
    print(f"\n{len(rows)} région(s) comparée(s), {answered} avec une réponse citée, {len(rows) - answered} sans rien "
          "dans le corpus.")
    write_export(csv_file, comparison_csv(rows))
    if md_file is not None:
        write_export(md_file, comparison_markdown(question, rows))
    return EXIT_OK


def run_excerpts(assistant: Assistant, theme: str, filters: SearchFilters, actors: tuple[str, ...],
                 limit: int | None, csv_file: Path | None, md_file: Path | None) -> int:
    """Print the excerpts by region and actor type with their counts, then write the exports."""
    from assistant.research import excerpts_csv, excerpts_markdown, numbered_excerpts, page_of

    if not writable(csv_file) or not writable(md_file):
        return EXIT_ERROR
    result = assistant.excerpts(theme, filters, actors=actors, limit=limit)
    if not result.excerpts:
        print("Aucun passage du corpus ne traite de ce thème avec ces filtres.")
        return EXIT_OK
    print(f"{len(result.excerpts)} extrait(s) sur « {result.theme} », par région et type d'acteur :")
    for (region, actor), count in result.counts().items():
        print(f"  {region:<26} {actor:<28} {'█' * count} {count}")
    group = None
    for number, excerpt in numbered_excerpts(result):
        if (excerpt.region, excerpt.actor) != group:
            group = (excerpt.region, excerpt.actor)
            print(f"\n== {excerpt.region} — {excerpt.actor} ==")
        passage = excerpt.passage
        start, end = excerpt.sentence
        page = page_of(passage)
        where = ", ".join(part for part in (passage.info.code, passage.info.title, f"page {page}" if page else "",
                                            passage.info.path) if part)
        print(f"[{number}] {where}")
        print(textwrap.indent(textwrap.fill(f"« {' '.join(passage.text[start:end].split())} »", width=96), "    "))
    write_export(csv_file, excerpts_csv(result))
    if md_file is not None:
        write_export(md_file, excerpts_markdown(result))
    return EXIT_OK


def writable(path: Path | None) -> bool:
    """Whether an export file can be written (checked before the work, not after); says why not."""
    if path is None or (path.parent.is_dir() and (not path.exists() or path.is_file())):
        return True
    print(f"Erreur : impossible d'écrire {path} : choisissez un fichier dans un dossier existant.", file=sys.stderr)
    return False


def write_export(path: Path | None, text: str) -> None:
    """Write an export and say where."""
    if path is None:
        return
    path.write_text(text, encoding="utf-8", newline="")
    print(f"Écrit : {path}", file=sys.stderr)
