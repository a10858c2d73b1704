"""The corpus's metadata convention (see ``corpus/README.md``): YAML front matter or a ``.meta.yaml`` sidecar."""

from __future__ import annotations

import datetime as dt
import errno
from pathlib import Path
from typing import Any

import yaml

from assistant.errors import MetadataError
from assistant.ingest.names import readable
from assistant.models import CONFIDENTIALITY_LEVELS, DocumentInfo

SIDECAR_SUFFIX = ".meta.yaml"
DOCUMENT_TYPES = ("rapport", "entente", "entretien", "proces-verbal", "fiche-projet", "portrait-regional", "autre")
FRONT_MATTER_FENCE = "---"


def split_front_matter(text: str) -> tuple[dict[str, Any], str, int]:
    """Split a YAML header off a text; returns the header, the body and the body's offset in the text."""
    if not text.startswith(FRONT_MATTER_FENCE):
        return {}, text, 0
    end = text.find(f"\n{FRONT_MATTER_FENCE}", len(FRONT_MATTER_FENCE))
    if end == -1:
        raise MetadataError("l'en-tête YAML ouvert par « --- » n'est jamais fermé")
    header = _parse_yaml(text[len(FRONT_MATTER_FENCE):end])
    body_start = text.find("\n", end + 1)
    body_start = len(text) if body_start == -1 else body_start + 1
    return header, text[body_start:], body_start


def read_sidecar(path: Path) -> dict[str, Any]:
    """The metadata of ``report.pdf`` kept in ``report.pdf.meta.yaml``, or nothing."""
    data = sidecar_bytes(path)
    return {} if data is None else _parse_yaml(data.decode("utf-8"))


def sidecar_bytes(path: Path) -> bytes | None:
    """The sidecar's bytes, or None when there is none (a name too long to take the suffix has none)."""
    sidecar = sidecar_path(path)
    try:
        return sidecar.read_bytes() if sidecar.is_file() else None
    except OSError as error:
        if error.errno == errno.ENAMETOOLONG:
            return None
        raise


def sidecar_path(path: Path) -> Path:
    """Where the sidecar of a document lives."""
    return path.with_name(path.name + SIDECAR_SUFFIX)


def document_info(relative_path: str, header: dict[str, Any], fallback_title: str) -> DocumentInfo:
    """Normalise a header written with the French keys of the convention."""
    doc_type = str(header.get("type", "autre")).strip().lower()
    confidentiality = str(header.get("confidentialite", "interne")).strip().lower()
    return DocumentInfo(
        path=relative_path,
        title=str(header.get("titre") or readable(fallback_title)).strip(),
        doc_type=doc_type if doc_type in DOCUMENT_TYPES else "autre",
        regions=_as_tuple(header.get("regions")),
        date=_as_iso_date(header.get("date")),
        # An unknown level is treated as the strictest one rather than exposed.
        confidentiality=confidentiality if confidentiality in CONFIDENTIALITY_LEVELS else "confidentiel",
        code=str(header.get("code", "") or ""),
        actors=_as_tuple(header.get("acteurs")),
        authors=_as_tuple(header.get("auteurs")),
    )


def _parse_yaml(text: str) -> dict[str, Any]:
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as error:
        raise MetadataError(f"en-tête YAML illisible : {error}") from error
    if not isinstance(data, dict):
        raise MetadataError("l'en-tête YAML doit être une suite de clés et de valeurs")
    return data


def _as_tuple(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = value.split(",")
    return tuple(str(item).strip() for item in value if str(item).strip())


def _as_iso_date(value: Any) -> str:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()[:10]
    return str(value or "").strip()
