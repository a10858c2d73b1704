"""The index's disk fills up or turns read-only: a clear French error, the index as it was, and the next run finishes.

A real small filesystem (tmpfs) holds the index, so that the failures are the system's own (ENOSPC, EROFS) at
whatever write they hit: the ledger, a Chroma buffer, BM25, the manifest. Mounting needs root (CI runs as root);
without it the full-disk test is skipped and the read-only test falls back to removing write permission, which
stops a non-root user (never root, hence a read-only bind mount for root).
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from assistant.cli import EXIT_ERROR, EXIT_OK
from assistant.index.disk_errors import storage_failure
from assistant.index.embeddings import E5Embeddings
from assistant.index.manifest import RUN_MARKER, run_in_progress
from assistant.index.plan import plan_sync
from assistant.service import Assistant
from assistant.settings import Settings
from tests.conftest import write_note
from tests.test_reindex import assert_consistent, subprocess_env

PAYMENT_QUESTION = "Combien la ministre verse-t-elle à la CRÉ de la Mauricie en 2013-2014 ?"
# Free space left on the index's disk before each run: from nothing to enough for part of the run's writes.
FREE_SPACE_LEVELS = (0, 4_096, 16_384, 65_536, 131_072, 262_144, 524_288)


@contextmanager
def small_filesystem(mount_point: Path, size: str) -> Iterator[Path]:
    """A tmpfs of this size mounted here for the test; skip when mounting is not permitted."""
    mount_point.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0:
        pytest.skip("monter un petit système de fichiers demande root (CI tourne en root)")
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(mount_point)],
                             capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"montage refusé par le système : {mounted.stderr.strip()}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=True)


def fill(disk: Path, leave: int) -> Path:
    """Fill the disk with one file until only ``leave`` bytes are free."""
    filler = disk / "remplissage"
    with filler.open("wb") as stream:
        while (free := os.statvfs(disk).f_bavail * os.statvfs(disk).f_frsize) > leave:
            try:
                stream.write(b"\0" * min(65_536, free - leave))
                stream.flush()
            except OSError:
                break
    return filler


def cli(settings: Settings, *arguments: str) -> subprocess.CompletedProcess[str]:
    """``assistant …`` in its own process on these settings (extractive answers: no model to load)."""
    env = {**subprocess_env(settings.corpus_dir, settings.index_dir), "ASSISTANT_LLM__BACKEND": "extractive"}
    return subprocess.run([sys.executable, "-m", "assistant.cli", *arguments], env=env, capture_output=True,
                          text=True, timeout=300)


def add_notes(corpus: Path, first: int, count: int) -> None:
    for n in range(first, first + count):
        write_note(corpus / f"note-{n:02d}.md", f"titre: Note {n}\ntype: entretien",
                   f"Le comité numéro {n} a discuté du transport collectif et de l'épicerie solidaire. " * 8)


def fresh_reader(settings: Settings, e5: E5Embeddings) -> Assistant:
    """A reader in a new state, as a new process would open the index."""
    return Assistant(settings, embeddings=e5)


@pytest.mark.slow
def test_a_full_disk_stops_the_run_with_a_clear_message_and_the_index_stays_whole(
        settings: Settings, e5: E5Embeddings, tmp_path: Path) -> None:
    with small_filesystem(tmp_path / "disque", "16m") as disk:
        settings.index_dir = disk / "index"
        assert cli(settings, "index").returncode == EXIT_OK
        before = assert_consistent(fresh_reader(settings, e5)).documents
        failed = completed = 0
        for round_number, leave in enumerate(FREE_SPACE_LEVELS):
            add_notes(settings.corpus_dir, 3 * round_number, 3)
            filler = fill(disk, leave)
            run = cli(settings, "index")
            if run.returncode == EXIT_OK:
                completed += 1
            else:
                failed += 1
                assert run.returncode == EXIT_ERROR, run.stderr
                assert "Erreur : L'indexation n'a pas pu écrire dans l'index" in run.stderr
                assert "le disque est plein" in run.stderr and "Traceback" not in run.stderr
                asked = cli(settings, "ask", PAYMENT_QUESTION)
                assert asked.returncode in (EXIT_OK, EXIT_ERROR) and "Traceback" not in asked.stderr
                if asked.returncode == EXIT_ERROR:  # Chroma writes even to open an index
                    assert "La recherche n'a pas pu ouvrir l'index" in asked.stderr
                status = cli(settings, "status")
                assert status.returncode == EXIT_OK and "Traceback" not in status.stderr
            filler.unlink()
            reader = fresh_reader(settings, e5)
            manifest = assert_consistent(reader)
            assert manifest.documents == before or not plan_sync(settings, manifest).changes_index
            assert reader.search(PAYMENT_QUESTION)[0].passage.info.path == "ententes/entente-mauricie.pdf"
            before = manifest.documents
        print(f"{len(FREE_SPACE_LEVELS)} runs on a full disk: {failed} refused, {completed} fitted")
        assert failed >= 3

        final = cli(settings, "index")
        assert final.returncode == EXIT_OK, final.stderr
        reader = fresh_reader(settings, e5)
        manifest = assert_consistent(reader)
        assert not plan_sync(settings, manifest).changes_index
        assert len(manifest.documents) == 3 + 3 * len(FREE_SPACE_LEVELS)
        assert reader.lexical.built_generation() == manifest.generation


@contextmanager
def read_only(folder: Path) -> Iterator[Path]:
    """The index folder, unwritable: as root, a read-only bind mount of it (yielded); otherwise the folder itself
    with its write permissions removed. Readers that keep it open elsewhere are not disturbed."""
    if os.geteuid() == 0:
        view = folder.with_name(f"{folder.name}-lecture-seule")
        view.mkdir()
        mounted = subprocess.run(["mount", "--bind", str(folder), str(view)], capture_output=True, text=True)
        if mounted.returncode != 0:
            pytest.skip(f"montage refusé par le système : {mounted.stderr.strip()}")
        try:
            subprocess.run(["mount", "-o", "remount,ro,bind", str(view)], check=True)
            yield view
        finally:
            subprocess.run(["umount", "-l", str(view)], check=True)
        return
    modes = {path: path.stat().st_mode for path in [folder, *folder.rglob("*")] if not path.is_symlink()}
    for path, mode in modes.items():
        path.chmod(mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))
    try:
        yield folder
    finally:
        for path, mode in modes.items():
            path.chmod(mode)


@pytest.mark.slow
def test_a_read_only_index_folder_gives_a_clear_error_and_the_index_answers_once_writable(
        settings: Settings, e5: E5Embeddings) -> None:
    assert cli(settings, "index").returncode == EXIT_OK
    before = assert_consistent(fresh_reader(settings, e5)).documents
    add_notes(settings.corpus_dir, 0, 2)
    with read_only(settings.index_dir) as view:
        unwritable = settings.model_copy(update={"index_dir": view})
        run = cli(unwritable, "index")
        assert run.returncode == EXIT_ERROR
        assert "L'indexation n'a pas pu écrire dans l'index" in run.stderr
        assert "lecture seule ou interdit en écriture" in run.stderr and "Traceback" not in run.stderr
        status = cli(unwritable, "status")
        assert status.returncode == EXIT_OK and "Documents indexés : 3" in status.stdout
        asked = cli(unwritable, "ask", PAYMENT_QUESTION)
        assert "Traceback" not in asked.stderr
        assert asked.returncode == EXIT_OK or "La recherche n'a pas pu ouvrir l'index" in asked.stderr
    assert assert_consistent(fresh_reader(settings, e5)).documents == before
    assert cli(settings, "index").returncode == EXIT_OK
    assert len(assert_consistent(fresh_reader(settings, e5)).documents) == 5


def test_a_marker_left_half_written_reads_as_an_interrupted_run(tmp_path: Path) -> None:
    (tmp_path / RUN_MARKER).write_text("", encoding="utf-8")  # killed (or out of space) between open and write
    assert run_in_progress(tmp_path) == {}
    from assistant.cli import running_message

    assert "a été interrompue" in running_message({})


@pytest.mark.parametrize("error, cause", [
    (OSError(28, "No space left on device"), "le disque est plein"),
    (OSError(30, "Read-only file system"), "lecture seule"),
    (Exception("error returned from database: (code: 13) database or disk is full"), "le disque est plein"),
    (Exception("error returned from database: (code: 8) attempt to write a readonly database"), "lecture seule"),
])
def test_storage_failures_are_recognised_whatever_layer_reports_them(error: Exception, cause: str,
                                                                     tmp_path: Path) -> None:
    failure = storage_failure(error, tmp_path / "index", "L'indexation n'a pas pu écrire", "Rien n'a changé.")
    assert failure is not None and cause in str(failure) and f"({tmp_path / 'index'})" in str(failure)


def test_other_errors_on_a_writable_disk_with_room_are_not_mistaken_for_a_storage_failure(tmp_path: Path) -> None:
    assert storage_failure(OSError(2, "No such file or directory"), tmp_path / "index", "x", "y") is None
    assert storage_failure(ValueError("bad vector"), tmp_path / "index", "x", "y") is None
