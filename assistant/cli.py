"""The ``assistant`` command: index the corpus, ask a question, show what is indexed."""

from __future__ import annotations

import argparse
import logging
import sys
import textwrap
from pathlib import Path

from assistant.answer.citations import cited_sources
from assistant.answer.llm import ModelUnavailable
from assistant.models import Answer, Source
from assistant.retrieve.retriever import SearchFilters
from assistant.service import Assistant

EXIT_OK, EXIT_FAILED_FILES, EXIT_ERROR = 0, 1, 2


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``assistant`` command."""
    parser = argparse.ArgumentParser(prog="assistant", description="Solidarité RAG : interroger le corpus des "
                                     "Alliances pour la solidarité.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="commande")
    commands.add_parser("index", help="indexer ce qui a changé dans le dossier du corpus")
    commands.add_parser("status", help="afficher ce que contient l'index")
    ask = commands.add_parser("ask", help="poser une question et afficher la réponse avec ses sources")
    ask.add_argument("question", help="la question, entre guillemets")
    add_filter_options(ask)
    evaluate = commands.add_parser("eval", help="mesurer la recherche sur un jeu de questions (JSONL)")
    evaluate.add_argument("questions", type=Path, help="fichier JSONL : question, gold_doc_ids, kind…")
    evaluate.add_argument("--mode", choices=["hybrid", "dense", "lexical"], default=None,
                          help="mode de recherche à mesurer (par défaut : celui des réglages)")
    arguments = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    assistant = Assistant()
    try:
        if arguments.command == "index":
            return run_index(assistant)
        if arguments.command == "status":
            return run_status(assistant)
        if arguments.command == "eval":
            return run_eval(assistant, arguments.questions, arguments.mode)
        return run_ask(assistant, arguments.question, filters_from(arguments))
    except ModelUnavailable as error:
        print(f"Erreur : {error}", file=sys.stderr)
        return EXIT_ERROR


def add_filter_options(parser: argparse.ArgumentParser) -> None:
    """Options that restrict the search, shared by the commands that search."""
    parser.add_argument("--region", nargs="+", default=(), metavar="RÉGION", help="une ou plusieurs régions")
    parser.add_argument("--type", nargs="+", default=(), metavar="TYPE", dest="doc_types",
                        help="types de documents : rapport, entente, entretien, proces-verbal…")
    parser.add_argument("--annee-min", type=int, default=None, metavar="AAAA", help="documents de cette année ou après")
    parser.add_argument("--annee-max", type=int, default=None, metavar="AAAA", help="documents de cette année ou avant")
    parser.add_argument("--confidentialite", nargs="+", default=("public", "interne"), metavar="NIVEAU",
                        help="niveaux de confidentialité consultés (par défaut : public interne)")


def filters_from(arguments: argparse.Namespace) -> SearchFilters:
    """The search filters the options describe."""
    return SearchFilters(confidentiality=tuple(arguments.confidentialite), doc_types=tuple(arguments.doc_types),
                         regions=tuple(arguments.region), year_from=arguments.annee_min,
                         year_to=arguments.annee_max)


def run_index(assistant: Assistant) -> int:
    """Index and print a summary; exit 1 when some files failed, so that scripts can tell."""
    from tqdm import tqdm

    with tqdm(desc="Indexation", unit=" fichier", file=sys.stderr, leave=False) as bar:
        report = assistant.index(on_progress=lambda path: (bar.update(1), bar.set_postfix_str(path[-40:])))
    if report.rebuilt:
        print("Le modèle d'encodage ou le découpage a changé : l'index a été reconstruit.")
    for path, reason in report.failed.items():
        print(f"ÉCHEC  {path} : {reason}", file=sys.stderr)
    print(f"Ajoutés : {len(report.added)}, mis à jour : {len(report.updated)}, retirés : {len(report.removed)}, "
          f"inchangés : {len(report.unchanged)}, en échec : {len(report.failed)}; "
          f"{report.passages_embedded} passages encodés en {report.seconds:.1f} s.")
    return EXIT_FAILED_FILES if report.failed else EXIT_OK


def run_status(assistant: Assistant) -> int:
    """Print the documents, passages, model and failures the index records."""
    manifest = assistant.manifest()
    if not manifest.documents:
        print("L'index est vide : lancez `assistant index`.")
        return EXIT_OK
    passages = sum(len(d.passage_ids) for d in manifest.documents.values())
    print(f"Documents indexés : {len(manifest.documents)} ({passages} passages)")
    print(f"Modèle d'encodage : {manifest.embedder}; découpage : {manifest.chunking}")
    print(f"Dernière indexation : {manifest.last_run}")
    for path, reason in manifest.failed.items():
        print(f"En échec : {path} : {reason}")
    return EXIT_OK


def run_ask(assistant: Assistant, question: str, filters: SearchFilters | None) -> int:
    """Stream the answer to the terminal, then list the sources it cites."""
    shown = ""
    answer = Answer(question, "")
    for answer in assistant.stream(question, filters):
        if answer.text.startswith(shown):
            sys.stdout.write(answer.text[len(shown):])
            sys.stdout.flush()
            shown = answer.text
    if answer.text != shown:
        # The last step checks the markers and cites uncited sentences: show the text as finally checked.
        print(f"\n\nAvec les citations vérifiées :\n{answer.text}", end="")
    print()
    print_sources(cited_sources(answer.sources, answer.cited_numbers) or answer.sources)
    return EXIT_OK


def run_eval(assistant: Assistant, questions_file: Path, mode: str | None) -> int:
    """Print document-level recall@1/5/10 and MRR@10, overall and per kind of question."""
    from assistant.evaluation import evaluate_retrieval, load_questions

    if mode:
        assistant.settings.retrieval.mode = mode
    scores, seconds = evaluate_retrieval(assistant, load_questions(questions_file))
    print(f"Recherche « {assistant.settings.retrieval.mode} » sur {questions_file} :")
    for group, group_scores in sorted(scores.items(), key=lambda item: item[0] != "tout"):
        print(f"  {group:<16} {group_scores.row()}")
    print(f"  {seconds * 1000:.0f} ms par recherche en moyenne")
    return EXIT_OK


def print_sources(sources: list[Source]) -> None:
    """One block per source: number, title, page, passage."""
    if sources:
        print("\nSources :")
    for source in sources:
        passage = source.passage
        page = f", page {passage.page_label or passage.page}" if passage.page else ""
        print(f"[{source.number}] {passage.info.title}{page} — {passage.info.path}")
        print(textwrap.indent(textwrap.fill(passage.text.strip(), width=100), "    "))


if __name__ == "__main__":
    sys.exit(main())
