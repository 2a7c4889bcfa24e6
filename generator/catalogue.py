"""The core's front door: a folder of pattern files in, a validated catalogue out."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from generator.findings import Finding, errors_in
from generator.loader import load_directory
from generator.model import Catalogue, build_catalogue, pattern_from, retro_from
from generator.validate import validate_documents, validate_retros


@dataclass(frozen=True)
class Reading:
    """What reading a folder produced: every finding, and a catalogue when there were no errors."""

    findings: list[Finding]
    catalogue: Catalogue | None


def read_catalogue(directory: Path, root: Path, retros_dir: Path | None = None) -> Reading:
    """Load, validate and model every pattern in `directory` (and retrospective records in `retros_dir`).

    Paths in findings are relative to `root`.
    """
    docs, findings = load_directory(directory, root)
    findings += validate_documents(docs)
    retro_docs, retro_findings = load_directory(retros_dir, root) if retros_dir else ([], [])
    ids = {d.data["id"] for d in docs if isinstance(d.data, dict) and isinstance(d.data.get("id"), str)}
    findings = sorted(findings + retro_findings + validate_retros(retro_docs, ids))
    if errors_in(findings):
        return Reading(findings, None)
    retros = [retro_from(doc) for doc in retro_docs]
    return Reading(findings, build_catalogue([pattern_from(doc) for doc in docs], retros))
