"""Corpus files for the browser: signed links, and a path check that nothing outside the corpus folder can pass.

A link to a document or a passage is signed by the server when it shows that source to someone allowed to see it
(the search already applied their confidentiality levels), so the file routes need no session of their own: an
unsigned, altered or expired link is refused. The path check then refuses anything that leads out of the corpus.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from pathlib import Path, PurePosixPath
from urllib.parse import quote

from assistant.errors import OutsideCorpus

SECONDS_PER_HOUR = 3600


def resolve_corpus_file(corpus_dir: Path, relative: str) -> Path:
    """The file a relative POSIX path names inside the corpus folder; refuse anything that leads out of it.

    Refused: empty paths, absolute paths, ``..`` parts and hidden names, backslashes and NUL bytes, and
    symbolic links whose target lies outside the folder (the path is resolved before it is compared).
    """
    if not relative or "\x00" in relative or "\\" in relative:
        raise OutsideCorpus(relative)
    candidate = PurePosixPath(relative)
    if candidate.is_absolute() or any(part.startswith(".") for part in candidate.parts):
        raise OutsideCorpus(relative)
    root = corpus_dir.resolve()
    path = (root / candidate).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        raise OutsideCorpus(relative)
    return path


class LinkSigner:
    """Signs and checks links with a secret that lives as long as the server; expiries are rounded to the hour,
    so that the same source keeps the same link while an answer streams."""

    def __init__(self, hours: int, secret: bytes | None = None) -> None:
        self.hours = hours
        self._secret = secret or secrets.token_bytes(32)

    def token(self, subject: str) -> str:
        """A token that proves the server issued a link to this subject."""
        expires = (int(time.time()) // SECONDS_PER_HOUR + self.hours + 1) * SECONDS_PER_HOUR
        return f"{expires}.{self._mac(subject, expires)}"

    def verify(self, subject: str, token: str) -> bool:
        """Whether the token was issued for this subject and has not expired."""
        expires, _, mac = token.partition(".")
        if not expires.isdigit() or int(expires) < time.time():
            return False
        return hmac.compare_digest(mac, self._mac(subject, int(expires)))

    def _mac(self, subject: str, expires: int) -> str:
        return hmac.new(self._secret, f"{subject}\n{expires}".encode(), hashlib.sha256).hexdigest()

    def document_link(self, path: str, page: int | None = None) -> str:
        """Relative link to a corpus file; a PDF opens at the page (``#page=N``, read by the browser's viewer)."""
        fragment = f"#page={page}" if page else ""
        return f"documents/{quote(path)}?jeton={self.token(document_subject(path))}{fragment}"

    def passage_link(self, passage_id: str) -> str:
        """Relative link to the page that shows a passage in its document."""
        return f"sources/{quote(passage_id)}?jeton={self.token(passage_subject(passage_id))}"


def document_subject(path: str) -> str:
    """What a document link signs."""
    return f"document:{path}"


def passage_subject(passage_id: str) -> str:
    """What a passage link signs."""
    return f"passage:{passage_id}"
