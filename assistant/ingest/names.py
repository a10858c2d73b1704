"""Corpus file names as the index stores them: valid Unicode on one line, and reversible to the file on disk.

A file system allows names that are not valid UTF-8 (bytes from an old Windows or a ZIP archive: ``caf\\xe9.md``)
and names holding a line break or another control character. Python reads undecodable bytes as lone surrogates,
which JSON, SQLite and Chroma refuse, and a line break would split the one line a failure gets. So a plain name
(valid UTF-8, no control character, no backslash, no ``%`` followed by two hex digits: nearly every name) is stored
as it is, and any other name with each undecodable byte, control character, backslash and ``%`` written as ``%XX``
(``caf%E9.md``, ``ligne%0Adeux.md``). A stored name holding ``%XX`` is therefore always an escaped one, and
``corpus_file`` turns it back into the exact bytes of the file's name. See docs/indexing.md.
"""

from __future__ import annotations

import os
import re
from pathlib import Path, PurePath

# What a plain name never holds: undecodable bytes (as surrogates), control characters, backslashes, escapes.
_NOT_PLAIN = re.compile(r"[\udc80-\udcff\x00-\x1f\x7f-\x9f\\]|%[0-9A-Fa-f]{2}")
_TO_ESCAPE = re.compile(r"[\udc80-\udcff\x00-\x1f\x7f-\x9f\\%]")
_ESCAPE = re.compile(r"%[0-9A-Fa-f]{2}")
_ESCAPED_BYTE = re.compile(rb"%([0-9A-Fa-f]{2})")


def stored_name(relative: PurePath) -> str:
    """The name the index keeps for a file, from its path relative to the corpus folder."""
    name = relative.as_posix()
    if not _NOT_PLAIN.search(name):
        return name
    return _TO_ESCAPE.sub(lambda match: "".join(f"%{byte:02X}" for byte in os.fsencode(match.group())), name)


def corpus_file(corpus_dir: Path, name: str) -> Path:
    """The file on disk that a stored name stands for (the inverse of ``stored_name``)."""
    if not _ESCAPE.search(name):
        return corpus_dir / name
    data = _ESCAPED_BYTE.sub(lambda match: bytes.fromhex(match.group(1).decode("ascii")), name.encode("utf-8"))
    return corpus_dir / os.fsdecode(data)


def readable(title: str) -> str:
    """A title that may come from a file name, on one line: undecodable bytes written ``%XX``, control characters
    (a line break in the name) as spaces."""
    title = re.sub(r"[\udc80-\udcff]", lambda match: f"%{ord(match.group()) - 0xDC00:02X}", title)
    return re.sub(r"[\x00-\x1f\x7f-\x9f]", " ", title)
