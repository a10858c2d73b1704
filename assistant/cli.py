"""The ``assistant`` command: index the corpus, ask a question, show what is indexed.

A thin shell over ``Assistant``: it imports no stage module, and the heavy libraries load only in the commands that
need them (``assistant --help`` and ``assistant status`` stay fast; ``bench/cli_startup.py`` measures it).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import textwrap
from contextlib import ExitStack
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.cli_french import use_french_argparse
from assistant.cli_research import add_research_commands, run_compare, run_excerpts
from assistant.errors import DEFAULT_LOG_FILE, EXIT_ERROR, AssistantError, RebuildRequired, report_unexpected
from assistant.models import (DEFAULT_LEVELS, Answer, EmbeddingCost, IndexProgress, IndexReport, SearchFilters, Source,
                              Verdict, describe_run)
from assistant.passage_layout import block_text, passage_blocks

if TYPE_CHECKING:
    from assistant.service import Assistant, SearchMode

EXIT_OK, EXIT_FAILED_FILES, EXIT_INTERRUPTED = 0, 1, 130


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``assistant`` command."""
    use_french_argparse()
    parser = argparse.ArgumentParser(prog="assistant", description="Solidarité RAG : interroger le corpus des "
                                     "Alliances pour la solidarité.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="commande")
    index = commands.add_parser("index", help="indexer ce qui a changé dans le dossier du corpus")
    index.add_argument("--dry-run", action="store_true", help="afficher ce qui changerait, sans rien modifier")
    index.add_argument("--rebuild", action="store_true",
                       help="tout réindexer (demandé après un changement de modèle d'encodage ou de découpage)")
    commands.add_parser("status", help="afficher ce que contient l'index")
    ask = commands.add_parser("ask", help="poser une question et afficher la réponse avec ses sources")
    ask.add_argument("question", help="la question, entre guillemets")
    ask.add_argument("--json", action="store_true", help="écrire la réponse entière en JSON (texte, sources avec "
                     "document, page et passage, vérification de chaque phrase, motif d'un refus, question cherchée), "
                     "pour un script")
    add_filter_options(ask)
    evaluate = commands.add_parser("eval", help="mesurer la recherche et les réponses sur des questions (JSONL)")
    evaluate.add_argument("questions", type=Path, help="fichier JSONL : question, gold_doc_ids, kind…")
    evaluate.add_argument("--mode", choices=["hybrid", "dense", "lexical"], default=None,
                          help="mode de recherche à mesurer (par défaut : celui des réglages)")
    evaluate.add_argument("--retrieval-only", action="store_true",
                          help="mesurer la recherche seulement, sans faire écrire les réponses")
    evaluate.add_argument("--limit", type=int, default=None, metavar="N",
                          help="ne faire répondre qu'aux N premières questions (le modèle local prend ~20 s par "
                          "question)")
    evaluate.add_argument("--answers", type=Path, default=None, metavar="FICHIER",
                          help="écrire chaque réponse notée (question, réponse, vérifications, passages cités, "
                          "verdict) dans ce fichier JSONL, pour la relire")
    add_research_commands(commands, add_filter_options)
    feedback = commands.add_parser("feedback", help="les appréciations laissées dans le clavardage web")
    feedback_actions = feedback.add_subparsers(dest="feedback_action", required=True, metavar="action")
    export = feedback_actions.add_parser("export", help="écrire les appréciations en CSV ou en JSONL")
    export.add_argument("--format", choices=["csv", "jsonl"], default=None,
                        help="par défaut : csv si le fichier de sortie finit par .csv, sinon jsonl")
    export.add_argument("--sortie", type=Path, default=None, metavar="FICHIER",
                        help="fichier à écrire (par défaut : la sortie standard)")
    commands.add_parser("mot-de-passe", help="hacher un mot de passe pour le fichier des utilisateurs du web")
    unlock = commands.add_parser("deverrouiller", help="lever l'attente imposée à un nom d'utilisateur (ou à une "
                                 "adresse) après des mots de passe erronés dans le clavardage web")
    unlock.add_argument("nom", nargs="?", default=None, help="le nom d'utilisateur à déverrouiller")
    unlock.add_argument("--adresse", default=None, metavar="IP", help="l'adresse du poste à déverrouiller")
    arguments = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    from assistant.service import Assistant  # here, not above: `assistant --help` needs none of the product

    assistant: Assistant | None = None
    try:
        assistant = Assistant()
        return run_command(assistant, arguments)
    except AssistantError as error:
        print(f"Erreur : {error}", file=sys.stderr)
        return error.exit_code
    except Exception as error:  # a bug: its traceback goes to the log file, the user reads where
        print(report_unexpected(error, assistant.settings.log_file if assistant else DEFAULT_LOG_FILE),
              file=sys.stderr)
        return EXIT_ERROR


def run_command(assistant: Assistant, arguments: argparse.Namespace) -> int:
    """Carry out the command the arguments name."""
    if arguments.command == "index":
        return run_index(assistant, arguments.dry_run, arguments.rebuild)
    if arguments.command == "status":
        return run_status(assistant)
    if arguments.command == "eval":
        return run_eval(assistant, arguments.questions, arguments.mode, not arguments.retrieval_only, arguments.limit,
                        arguments.answers)
    if arguments.command == "feedback":
        return run_feedback_export(assistant, arguments.format, arguments.sortie)
    if arguments.command == "comparer":
        return run_compare(assistant, arguments.question, filters_from(arguments, assistant), arguments.csv,
                           arguments.md)
    if arguments.command == "extraits":
        return run_excerpts(assistant, arguments.theme, filters_from(arguments, assistant), tuple(arguments.acteurs),
                            arguments.max, arguments.csv, arguments.md)
    if arguments.command == "mot-de-passe":
        return run_hash_password()
    if arguments.command == "deverrouiller":
        return run_unlock(assistant, arguments.nom, arguments.adresse)
    return run_ask(assistant, arguments.question, filters_from(arguments, assistant), arguments.json)


def add_filter_options(parser: argparse.ArgumentParser) -> None:
    """Options that restrict the search, shared by the commands that search."""
    parser.add_argument("--region", "--regions", nargs="+", default=(), metavar="RÉGION",
                        help="une ou plusieurs régions")
    parser.add_argument("--type", nargs="+", default=(), metavar="TYPE", dest="doc_types",
                        help="types de documents : rapport, entente, entretien, proces-verbal…")
    parser.add_argument("--annee-min", type=int, default=None, metavar="AAAA", help="documents de cette année ou après")
    parser.add_argument("--annee-max", type=int, default=None, metavar="AAAA", help="documents de cette année ou avant")
    levels = parser.add_mutually_exclusive_group()
    levels.add_argument("--confidentialite", nargs="+", default=DEFAULT_LEVELS, metavar="NIVEAU",
                        help="niveaux de confidentialité consultés (par défaut : public interne)")
    levels.add_argument("--role", metavar="RÔLE", help="consulter les niveaux de ce rôle du fichier des utilisateurs "
                        "du web (pour voir ce qu'il verrait)")


def filters_from(arguments: argparse.Namespace, assistant: Assistant) -> SearchFilters:
    """The search filters the options describe; ``--role`` takes its levels from the users file."""
    levels = assistant.access.levels_of_role(arguments.role) if arguments.role else tuple(arguments.confidentialite)
    return SearchFilters(confidentiality=levels, doc_types=tuple(arguments.doc_types),
                         regions=tuple(arguments.region), year_from=arguments.annee_min,
                         year_to=arguments.annee_max)


def run_index(assistant: Assistant, dry_run: bool = False, rebuild: bool = False) -> int:
    """Index and print a summary, with exit codes scripts can rely on.

    0: everything is indexed; 1: some files failed (each is named); 2: the run could not start (missing corpus
    folder, a rebuild is required); 3: another run holds the index; 130: interrupted (the index is as before).
    """
    try:
        with IndexBars() as bars:
            report = assistant.index(bars.progress, dry_run=dry_run, rebuild=rebuild)
    except RebuildRequired as error:
        if not dry_run and sys.stdin.isatty() and input(f"{error}\nReconstruire maintenant ? [o/N] ").strip().lower() \
                in ("o", "oui"):
            return run_index(assistant, rebuild=True)
        print(f"Erreur : {error}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("\nIndexation interrompue : l'index répond comme avant cette indexation. Relancez `assistant index` "
              "pour la terminer; le travail déjà fait sera repris.", file=sys.stderr)
        return EXIT_INTERRUPTED
    print_index_report(report)
    return EXIT_FAILED_FILES if report.failed else EXIT_OK


class IndexBars:
    """Progress bars for long runs (files read, passages embedded); a short run shows none."""

    def __init__(self) -> None:
        from tqdm import tqdm

        # disable=None: bars only on a terminal, so that logs and scripts get the report alone.
        self._files = tqdm(desc="Fichiers", unit=" fichier", file=sys.stderr, leave=False, delay=1.0, position=0,
                           disable=None)
        self._passages = tqdm(desc="Passages encodés", unit=" passage", file=sys.stderr, leave=False, delay=1.0,
                              position=1, disable=None)
        self.progress = IndexProgress(planned=self._planned, document=self._document, cost=self._cost,
                                      embedded=self._passages.update)

    def __enter__(self) -> IndexBars:
        return self

    def __exit__(self, *_: object) -> None:
        self._passages.close()
        self._files.close()

    def _planned(self, documents: int) -> None:
        self._files.total = documents  # reset() would draw the bar before its delay

    def _cost(self, cost: EmbeddingCost) -> None:
        """Say what the embedding will cost before it starts, above the bars."""
        self._passages.total = cost.passages
        self._files.write(cost.announcement(), file=sys.stdout)

    def _document(self, key: str) -> None:
        self._files.update(1)
        self._files.set_postfix_str(key[-40:], refresh=False)


def print_index_report(report: IndexReport) -> None:
    """The lines of a run's report: what changed (listed for a dry run), each failure, then the counts."""
    if report.dry_run:
        print("Simulation : rien n'a été modifié. Une indexation ferait ceci :")
        for label, keys in (("+ ajouter", report.added), ("~ mettre à jour", report.updated),
                            ("- retirer", report.removed)):
            for key in keys:
                print(f"  {label:<16} {key}")
        for new, old in report.renamed.items():
            print(f"  {'→ renommer':<16} {old} → {new} (sans réencodage)")
    elif report.rebuilt:
        print("L'index a été reconstruit au complet.")
    for key, reason in report.failed.items():
        print(f"ÉCHEC  {key} : {reason}", file=sys.stderr)
    seconds = f"{report.seconds:.1f}".replace(".", ",")
    print(f"Ajoutés : {len(report.added)}, mis à jour : {len(report.updated)}, renommés : {len(report.renamed)}, "
          f"retirés : {len(report.removed)}, inchangés : {len(report.unchanged)}, en échec : {len(report.failed)}; "
          f"passages encodés : {report.passages_embedded}, réutilisés : {report.passages_reused}; {seconds} s.")


def run_status(assistant: Assistant) -> int:
    """Print what the index holds: documents, passages, model, last run, failures, a run in progress."""
    manifest = assistant.manifest()
    index_dir = assistant.settings.index_dir
    running = assistant.run_in_progress()
    if running:
        print(running_message(running))
    if not manifest.documents:
        print(f"L'index ({index_dir}) est vide : lancez `assistant index`.")
    else:
        chunking = manifest.chunking
        print(f"Index : {index_dir}")
        print(f"Documents indexés : {len(manifest.documents)} ({manifest.passage_count} passages) "
              f"venant de {len({d.path for d in manifest.documents.values()})} fichiers")
        print(f"Modèle d'encodage : {manifest.embedder}; découpage : passages de {chunking.get('chunk_size')} "
              f"caractères, chevauchement de {chunking.get('chunk_overlap')}")
        in_step = assistant.lexical_in_step()
        print(f"Index lexical (BM25) : {'à jour' if in_step else 'en retard; relancez `assistant index`'}")
    if manifest.last_run:
        last = manifest.last_summary
        seconds = f"{last.get('seconds', 0):.1f}".replace(".", ",")
        counts = ", ".join(f"{label} {last.get(key, 0):.0f}" for key, label in (
            ("added", "ajoutés"), ("updated", "mis à jour"), ("renamed", "renommés"), ("removed", "retirés"),
            ("failed", "en échec")))
        print(f"Dernière indexation : {manifest.last_run.replace('T', ' à ')} — {counts}, en {seconds} s")
    if manifest.failed:
        print(f"Fichiers en échec : {len(manifest.failed)} "
              "(réessayés à la prochaine indexation une fois corrigés)")
        for key, reason in manifest.failed.items():
            print(f"  {key} : {reason}")
    return EXIT_OK


def running_message(running: dict[str, object]) -> str:
    """Whether the run that left its marker is still going or was interrupted."""
    pid = int(str(running.get("pid", 0)))
    started = str(running.get("started", "?")).replace("T", " à ")
    interrupted = (f"La dernière indexation (commencée le {started}) a été interrompue : l'index répond comme "
                   "avant elle. Relancez `assistant index` pour la terminer.")
    if pid <= 0:  # a marker without its pid: the run died while writing it
        return interrupted
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return interrupted
    except PermissionError:
        pass  # the process exists, under another user
    return (f"Indexation en cours depuis le {started} (processus {pid}) : {describe_run(running)}; l'index répond "
            "comme avant elle d'ici là.")


def run_ask(assistant: Assistant, question: str, filters: SearchFilters | None, as_json: bool = False) -> int:
    """Print each sentence of the answer once it has passed the check, then the sources it cites (or, when it cites
    none, the passages consulted); ``as_json``: the whole ``Answer`` as JSON, for scripts."""
    if as_json:
        print(json.dumps(asdict(assistant.ask(question, filters)), ensure_ascii=False, indent=2))
        return EXIT_OK
    printed = 0
    answer = Answer(question, "")
    for answer in assistant.stream(question, filters):
        kept = [check.text for check in answer.checks if check.verdict != Verdict.UNSUPPORTED]
        if not answer.refused and len(kept) > printed:
            sys.stdout.write(("" if printed == 0 else " ") + " ".join(kept[printed:]))
            sys.stdout.flush()
            printed = len(kept)
    if answer.refused:
        if printed:  # the checked sentences were about something else than the question: they are withdrawn
            print("\n\nRéponse retirée après vérification.")
        sys.stdout.write(answer.text)
    print()
    for check in answer.checks:
        if check.verdict == Verdict.UNSUPPORTED:
            print(f"  (phrase retirée, aucune source ne l'appuie : « {check.text} »)")
    if answer.search_query != question:
        print(f"  (question cherchée : « {answer.search_query} »)")
    if answer.refused:
        print(f"  ({answer.refusal_reason})")
    print_sources(answer.shown_sources, "Sources" if answer.cited_numbers else "Passages consultés")
    return EXIT_OK


def run_eval(assistant: Assistant, questions_file: Path, mode: SearchMode | None, answers: bool = True,
             limit: int | None = None, answers_file: Path | None = None) -> int:
    """Print retrieval per kind of question (document-level recall@1/5/10 and MRR@10; the gold page and a passage
    holding the expected answer among the first 1/5/10 passages); then, unless told otherwise, the answers (right,
    refused or wrong per kind, citation support, latency) on the first ``limit`` questions, each scored answer
    written to ``answers_file`` if given."""
    from assistant.evaluation import evaluate_answers, evaluate_retrieval, load_questions, report_order
    from assistant.research_evaluation import evaluate_research, is_research_set

    if not questions_file.is_file():
        print(f"Erreur : fichier de questions introuvable : {questions_file}", file=sys.stderr)
        return EXIT_ERROR
    with ExitStack() as stack:
        record = None
        if answers and answers_file is not None:
            try:  # before the long run: a path that cannot be written fails now, not after an hour of answers
                record = stack.enter_context(answers_file.open("w", encoding="utf-8"))
            except OSError as error:
                print(f"Erreur : impossible d'écrire les réponses dans {answers_file} ({error.strerror}); "
                      "choisissez un fichier dans un dossier existant où vous pouvez écrire.", file=sys.stderr)
                return EXIT_ERROR
        questions = load_questions(questions_file)
        if is_research_set(questions):
            print(f"Comparaisons et extraits sur {questions_file} ({assistant.settings.llm.backend}, réponses "
                  f"{assistant.settings.llm.answer_from}) :")
            for line in evaluate_research(assistant, questions[:limit] if limit else questions, record).lines():
                print(f"  {line}")
            return EXIT_OK
        scores, seconds = evaluate_retrieval(assistant, questions, mode)
        print(f"Recherche « {mode or assistant.settings.retrieval.mode} » sur {questions_file} :")
        print("  document attendu parmi les k premiers documents distincts :")
        for group in report_order(list(scores)):
            print(f"  {group:<16} {scores[group].row()}")
        print("  page attendue / passage qui contient la réponse attendue, parmi les k premiers passages :")
        for group in report_order(list(scores)):
            print(f"  {group:<16} {scores[group].passage_row()}")
        print(f"  {seconds * 1000:.0f} ms par recherche en moyenne")
        if answers:
            answered = questions[:limit] if limit else questions
            print(f"\nRéponses ({assistant.settings.llm.backend}) sur {len(answered)} question(s) :")
            for line in evaluate_answers(assistant, answered, record, mode).lines():
                print(f"  {line}")
            if record is not None:
                print(f"  réponses notées écrites dans {answers_file}")
    return EXIT_OK


def run_feedback_export(assistant: Assistant, export_format: str | None, output: Path | None) -> int:
    """Write the web chat's ratings and comments, with the answers and sources they judge, for review."""
    chosen = export_format or ("csv" if output and output.suffix.lower() == ".csv" else "jsonl")
    if output is None:
        assistant.feedback.export(sys.stdout, chosen)
        return EXIT_OK
    with output.open("w", encoding="utf-8", newline="") as out:
        count = assistant.feedback.export(out, chosen)
    print(f"{count} appréciation(s) écrite(s) dans {output} ({chosen}).", file=sys.stderr)
    return EXIT_OK


def run_hash_password() -> int:
    """Ask for a password twice and print its bcrypt hash, to paste into the users file."""
    import getpass

    from assistant.access import hash_password

    password = getpass.getpass("Mot de passe : ")
    if password != getpass.getpass("Encore une fois : "):
        print("Erreur : les deux mots de passe diffèrent.", file=sys.stderr)
        return EXIT_ERROR
    try:
        print(hash_password(password))
    except ValueError as error:
        print(f"Erreur : {error}.", file=sys.stderr)
        return EXIT_ERROR
    return EXIT_OK


def run_unlock(assistant: Assistant, name: str | None, address: str | None) -> int:
    """Forget the failed logins of a user name and/or an address, so that they may log in at once."""
    from assistant.access import LoginLimits, LoginThrottle

    if name is None and address is None:
        print("Erreur : donnez le nom d'utilisateur à déverrouiller (ou --adresse IP).", file=sys.stderr)
        return EXIT_ERROR
    web = assistant.settings.web
    removed = LoginThrottle(web.login_db, LoginLimits.from_settings(web)).unlock(name, address)
    who = " et ".join(part for part in (name and f"« {name} »", address and f"l'adresse {address}") if part)
    print(f"{who} : déverrouillé." if removed else
          f"{who} : aucun essai manqué en mémoire, rien à déverrouiller.")
    return EXIT_OK


def print_sources(sources: list[Source], heading: str) -> None:
    """Under their heading (none when there is nothing to list), one block per source: number, title, page,
    passage."""
    if sources:
        print(f"\n{heading} :")
    for source in sources:
        passage = source.passage
        page = f", page {passage.page_label or passage.page}" if passage.page else ""
        print(f"[{source.number}] {passage.info.title}{page} — {passage.info.path}")
        for block in passage_blocks(passage.text, titles=passage.section.split(" — ")):
            hanging = "      " if block.kind == "item" else "    "
            print(textwrap.fill(block_text(passage.text, block), width=104, initial_indent="    ",
                                subsequent_indent=hanging))


if __name__ == "__main__":
    sys.exit(main())
