"""Failures of the index folder itself (full disk, read-only or forbidden folder), told in French.

SQLite, Chroma and plain file writes each report these their own way (an ``OSError`` errno, a SQLite message, a
Chroma ``InternalError`` quoting SQLite); ``storage_failure`` recognises them all, and nothing else, so that any other
error still surfaces as itself.
"""

from __future__ import annotations

import errno
import os
import sqlite3
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from assistant.errors import IndexStorageError

_FULL_ERRNOS = {errno.ENOSPC, errno.EDQUOT}
_READ_ONLY_ERRNOS = {errno.EROFS, errno.EACCES, errno.EPERM}
_FULL_MESSAGES = ("disk is full", "no space left", "quota exceeded")
# Less free space than this when a write fails: the disk is the cause.
_NEARLY_FULL_BYTES = 4 * 1024 * 1024
_READ_ONLY_MESSAGES = ("readonly database", "read-only file system", "permission denied", "unable to open database")


def storage_failure(error: BaseException, index_dir: Path, action: str, consequence: str) -> IndexStorageError | None:
    """The French explanation of a full disk or an unwritable index folder, or None for any other error.

    ``action`` says what could not be done (« L'indexation n'a pas pu écrire »), ``consequence`` what state the
    index is left in. Chroma sometimes names only its own step (« Error in compaction »), so the folder's disk is
    looked at too.
    """
    code = getattr(error, "errno", None)
    text = str(error).lower()
    if code in _FULL_ERRNOS or any(message in text for message in _FULL_MESSAGES) or _disk_full(index_dir):
        cause, fix = "le disque est plein", "Libérez de l'espace sur ce disque"
    elif code in _READ_ONLY_ERRNOS or any(message in text for message in _READ_ONLY_MESSAGES) \
            or _read_only(index_dir):
        cause = "le dossier est en lecture seule ou interdit en écriture"
        fix = "Rendez-le accessible en écriture (droits du dossier, montage du disque)"
    else:
        return None
    return IndexStorageError(f"{action} dans l'index ({index_dir}) : {cause}. {consequence} {fix}, puis relancez. "
                             f"(Détail : {str(error).strip() or type(error).__name__})")


@contextmanager
def storage_errors_explained(index_dir: Path, action: str, consequence: str) -> Iterator[None]:
    """Raise a full disk or an unwritable index folder met inside the block as ``IndexStorageError`` (French);
    any other error passes through unchanged."""
    try:
        yield
    except storage_errors() as error:
        failure = storage_failure(error, index_dir, action, consequence)
        if failure is None:
            raise
        raise failure from error


def storage_errors() -> tuple[type[Exception], ...]:
    """What the index's writers raise when the disk or the folder refuses a write: Chroma's errors only once Chroma
    is loaded (no error can come from it before, and loading it costs seconds to commands that do not need it)."""
    chroma_errors = sys.modules.get("chromadb.errors")
    return (OSError, sqlite3.Error, *((chroma_errors.ChromaError,) if chroma_errors else ()))


def _existing_folder(index_dir: Path) -> Path:
    folder = index_dir
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    return folder


def _disk_full(index_dir: Path) -> bool:
    disk = os.statvfs(_existing_folder(index_dir))
    return disk.f_bavail * disk.f_frsize < _NEARLY_FULL_BYTES


def _read_only(index_dir: Path) -> bool:
    folder = _existing_folder(index_dir)
    return bool(os.statvfs(folder).f_flag & os.ST_RDONLY) or not os.access(folder, os.W_OK)
