"""The core's front door: a folder of pattern files in, a validated catalogue out."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from generator.findings import Finding, PatternError, errors_in
from generator.fork import map_in_two
from generator.loader import Document, load_directory, load_document, pattern_files
from generator.model import Catalogue, build_catalogue, pattern_from, retro_from
from generator.validate import check_across, check_document, validate_retros

# Below this many files a second process costs more than it saves.
PARALLEL_FROM = 200


@dataclass(frozen=True)
class Reading:
    """What reading a folder produced: every finding, and a catalogue when there were no errors."""

    findings: list[Finding]
    catalogue: Catalogue | None


def read_catalogue(directory: Path, root: Path, retros_dir: Path | None = None, parallel: bool = False) -> Reading:
    """Load, validate and model every pattern in `directory` (and retrospective records in `retros_dir`).

    Paths in findings are relative to `root`. With `parallel` (only where forking is safe, see
    `fork`), a large folder is read and checked on two cores, half the files each.
    """
    files, findings = pattern_files(directory, root)
    today = dt.date.today()

    def read(chunk: Sequence[tuple[Path, str]]) -> list[tuple[Document | None, list[Finding]]]:
        return [_read_and_check(path, display, today) for path, display in chunk]

    results = map_in_two(read, files, parallel and len(files) >= PARALLEL_FROM)
    docs = [doc for doc, _ in results if doc is not None]
    findings += [finding for _, file_findings in results for finding in file_findings] + check_across(docs)
    retro_docs, retro_findings = load_directory(retros_dir, root) if retros_dir else ([], [])
    ids = {d.data["id"] for d in docs if isinstance(d.data, dict) and isinstance(d.data.get("id"), str)}
    findings = sorted(set(findings + retro_findings + validate_retros(retro_docs, ids)))
    if errors_in(findings):
        return Reading(findings, None)
    retros = [retro_from(doc) for doc in retro_docs]
    return Reading(findings, build_catalogue([pattern_from(doc) for doc in docs], retros))


def _read_and_check(path: Path, display: str, today: dt.date) -> tuple[Document | None, list[Finding]]:
    """One file read and checked on its own: its document (if it could be read) and its findings."""
    try:
        doc = load_document(path, display)
    except PatternError as e:
        return None, e.findings
    return doc, check_document(doc, today)
