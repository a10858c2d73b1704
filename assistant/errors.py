"""Every error a user can see: a French message that says the cause and what to do, and the command's exit code.

The CLI and the web chat catch ``AssistantError`` and nothing else; any other exception is a bug, logged with its
traceback. Each subclass keeps the built-in type callers caught before (``ValueError``, ``RuntimeError``…).
"""

from __future__ import annotations

EXIT_ERROR = 2
EXIT_BUSY = 3


class AssistantError(Exception):
    """An error told to the user: ``message`` (the cause, in French), ``hint`` (what to do) and an exit code."""

    exit_code = EXIT_ERROR

    def __init__(self, message: str, hint: str = "", exit_code: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        if exit_code is not None:
            self.exit_code = exit_code

    def __str__(self) -> str:
        return f"{self.message} {self.hint}" if self.hint else self.message


class InvalidQuestion(AssistantError, ValueError):
    """A question that cannot be answered as typed."""


class ModelUnavailable(AssistantError, RuntimeError):
    """The configured chat model cannot be loaded; the message says what to install or set."""


class MetadataError(AssistantError, ValueError):
    """A header or sidecar that cannot be read as the corpus convention says."""


class UnreadableDocument(AssistantError):
    """A file that cannot be indexed; the message says why and what to do.

    ``retry_when`` names what would let the same bytes be read: ``{"ocr": 1}`` (OCR installed and on), or an
    indexing limit and the value it needs (``{"max_ocr_pages": 120}``); empty: only new bytes will do.
    """

    def __init__(self, message: str, hint: str = "", retry_when: dict[str, int] | None = None) -> None:
        super().__init__(message, hint)
        self.retry_when = retry_when or {}


class IndexingError(AssistantError, RuntimeError):
    """An indexing run that cannot start."""


class IndexBusy(IndexingError):
    """Another run holds the index."""

    exit_code = EXIT_BUSY


class RebuildRequired(IndexingError):
    """The embedder or the chunking changed since the index was built."""


class IndexMismatch(AssistantError, RuntimeError):
    """The index was built by another embedder than the one the settings name."""


class IndexStorageError(AssistantError, RuntimeError):
    """The index folder cannot be written (full disk, read-only or forbidden folder)."""


class ChromaUnreachable(AssistantError, RuntimeError):
    """The Chroma server of the settings does not answer."""


class AccessFileError(AssistantError, ValueError):
    """The web's users file cannot be used."""


class AccessDenied(AssistantError, PermissionError):
    """A request from someone the users file does not know."""


class OutsideCorpus(AssistantError, ValueError):
    """A requested path that does not name a file inside the corpus folder."""
