"""Corpus files for the browser: signed links, and a path check that nothing outside the corpus folder can pass.

A link to a document or a passage is signed by the server when it shows that source, for the browser session (and
the user, with login) it shows it to; the file routes then check, at each request, that the link comes back from
that same live session and that the user's levels still let them read the document as it is indexed now. The path
check then refuses anything that leads out of the corpus.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from urllib.parse import quote

from assistant.errors import OutsideCorpus
from assistant.models import Passage

SECONDS_PER_HOUR = 3600
# Expiries are rounded up to this step, so that the same source keeps the same link while an answer streams.
EXPIRY_STEP = 600


def resolve_corpus_file(corpus_dir: Path, relative: str, on_disk: Callable[[str], Path] | None = None) -> Path:
    """The file a relative POSIX path names inside the corpus folder; refuse anything that leads out of it.
    ``on_disk`` turns a stored path into the file's real name (``Assistant.corpus_path``: a name that is not UTF-8
    is stored with ``%XX`` escapes).

    Refused: empty paths, absolute paths, ``..`` parts and hidden names, backslashes and NUL bytes, and
    symbolic links whose target lies outside the folder (the path is resolved before it is compared).
    """
    if not relative or "\x00" in relative or "\\" in relative:
        raise OutsideCorpus(relative)
    candidate = PurePosixPath(relative)
    if candidate.is_absolute() or any(part.startswith(".") for part in candidate.parts):
        raise OutsideCorpus(relative)
    root = corpus_dir.resolve()
    path = (on_disk(relative) if on_disk else root / candidate).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        raise OutsideCorpus(relative)
    return path


@dataclass(frozen=True)
class Reader:
    """Whom a link is issued to: a browser session (its cookie) and, with login, its user."""

    session: str = ""
    user: str | None = None


@dataclass(frozen=True)
class LinkSigner:
    """Signs links for one reader with a secret that lives as long as the server, and checks them."""

    hours: int
    secret: bytes = field(default_factory=lambda: secrets.token_bytes(32), repr=False)
    reader: Reader = Reader()

    def for_reader(self, reader: Reader) -> LinkSigner:
        """The same signer, issuing links to this reader."""
        return replace(self, reader=reader)

    def token(self, subject: str) -> str:
        """A token that proves the server issued a link to this subject, for this reader."""
        expires = (int(time.time()) // EXPIRY_STEP + 1) * EXPIRY_STEP + self.hours * SECONDS_PER_HOUR
        return f"{expires}.{self._mac(subject, self.reader, expires)}"

    def verify(self, subject: str, token: str, reader: Reader) -> bool:
        """Whether the token was issued for this subject to this reader (a session is required) and is still
        valid."""
        expires, _, mac = token.partition(".")
        if not reader.session or not expires.isdigit() or int(expires) < time.time():
            return False
        return hmac.compare_digest(mac, self._mac(subject, reader, int(expires)))

    def _mac(self, subject: str, reader: Reader, expires: int) -> str:
        message = "\n".join((subject, reader.session, reader.user or "", str(expires)))
        return hmac.new(self.secret, message.encode(), hashlib.sha256).hexdigest()

    def document_link(self, path: str, page: int | None = None) -> str:
        """Relative link to a corpus file; a PDF opens at the page (``#page=N``, read by the browser's viewer)."""
        fragment = f"#page={page}" if page else ""
        return f"documents/{quote(path)}?jeton={self.token(document_subject(path))}{fragment}"

    def passage_link(self, passage: Passage, marks: str = "") -> str:
        """Relative link to the page that shows a passage in its document; a passage of a text document opens
        scrolled to itself, a PDF page at its top (the page image first). ``marks``: query parameters of what the
        page marks in the passage (display only, not signed)."""
        fragment = "" if passage.page and passage.info.path.lower().endswith(".pdf") else "#passage"
        return f"sources/{quote(passage.id)}?jeton={self.token(passage_subject(passage.id))}{marks}{fragment}"


def document_subject(path: str) -> str:
    """What a document link signs."""
    return f"document:{path}"


def passage_subject(passage_id: str) -> str:
    """What a passage link signs."""
    return f"passage:{passage_id}"
