"""The core's front door: a folder of pattern files in, a validated catalogue out."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from generator.core.bibliography import BIBLIOGRAPHY_FILE, check_bibliography
from generator.core.citations import check_citations
from generator.core.drift import check_confirmations
from generator.core.findings import Finding, PatternError, errors_in
from generator.core.fork import map_in_two
from generator.core.loader import Document, load_directory, load_document, pattern_files, possible_ids
from generator.core.mentions import TextMentions, check_mentions, mentions_in
from generator.core.validate import check_across, check_document, validate_retros

if TYPE_CHECKING:
    from generator.core.model import Catalogue

# Below this many files a second process costs more than it saves.
PARALLEL_FROM = 200
# The forked process's share of the files. It also pickles its readings to send them back (0.14 ms a
# file, against 1.1 ms to read and check one, measured on real-sized files): with this share, its
# reading and sending end when this process's reading does, w / (2w + d) = 1.1 / 2.34.
FORKED_SHARE = 0.47

# A file's document (if it could be read), its findings, and its texts that mention patterns.
FileReading = tuple[Document | None, list[Finding], TextMentions]
Check = Callable[[Document, dt.date], list[Finding]]


@dataclass(frozen=True)
class Reading:
    """What reading a folder produced: every finding, and a catalogue when there were no errors."""

    findings: list[Finding]
    patterns: list[Document] = field(repr=False)
    retros: list[Document] = field(repr=False)
    bibliography: Document | None = field(repr=False, default=None)

    @functools.cached_property
    def catalogue(self) -> Catalogue | None:
        """The model, made when first asked for (`patterns validate` only reports findings)."""
        if errors_in(self.findings):
            return None
        from generator.core.model import build_catalogue, pattern_from, retro_from, source_from  # not imported by `patterns validate`

        sources = [source_from(s) for s in self.bibliography.data["sources"]] if self.bibliography else []
        by_key = {s.key: s for s in sources}
        return build_catalogue([pattern_from(doc, by_key) for doc in self.patterns],
                               [retro_from(doc) for doc in self.retros], sources)


class FileCache:
    """Files already read and checked, by path, size and modification time.

    A preview reads the whole folder again after every save, though one file changed. A file
    whose size and modification time (to the nanosecond) are those of an earlier reading, on the
    same day (dates are checked against today), gives that reading's document and findings.
    """

    def __init__(self) -> None:
        self._files: dict[Path, tuple[tuple[int, int, dt.date, str], FileReading]] = {}

    def read(self, path: Path, display: str, today: dt.date, check: Check | None = None) -> FileReading:
        try:
            stat = path.stat()
        except OSError:
            return _read_and_check(path, display, today, check)  # reports why it cannot be read
        key = (stat.st_mtime_ns, stat.st_size, today, display)
        known = self._files.get(path)
        if known is None or known[0] != key:
            known = self._files[path] = (key, _read_and_check(path, display, today, check))
        return known[1]

    def keep_only(self, paths: set[Path]) -> None:
        """Forget files that are gone."""
        self._files = {path: entry for path, entry in self._files.items() if path in paths}


def read_catalogue(directory: Path, root: Path, retros_dir: Path | None = None, parallel: bool = False,
                   cache: FileCache | None = None) -> Reading:
    """Load, validate and model every pattern in `directory` (and retrospective records in `retros_dir`).

    Paths in findings are relative to `root`. With `parallel` (only where forking is safe, see
    `fork`), a large folder is read and checked on two cores, half the files each; with `cache`,
    files unchanged since an earlier reading with that cache are not read again.
    """
    files, findings = pattern_files(directory, root)
    bibliography_path = directory / BIBLIOGRAPHY_FILE
    listed = [path for path, _ in files]  # nothing when the folder itself was refused
    files = [(path, display) for path, display in files if path != bibliography_path]
    today = dt.date.today()

    def read(chunk: Sequence[tuple[Path, str]]) -> list[FileReading]:
        if cache:
            return [cache.read(path, display, today) for path, display in chunk]
        return [_read_and_check(path, display, today) for path, display in chunk]

    results = map_in_two(read, files, parallel and len(files) >= PARALLEL_FROM, FORKED_SHARE)
    bibliography, bibliography_findings, bibliography_mentions = \
        _read_bibliography(bibliography_path, root, today, bool(files), cache) if listed else (None, [], ())
    if cache:
        cache.keep_only({path for path, _ in files} | {bibliography_path})
    docs = [doc for doc, _, _ in results if doc is not None]
    # A file that cannot be read is reported once, by itself; references to the ids it may hold are not
    # reported as unknown in the files that make them.
    unreadable = {pid: display for (path, display), (doc, _, _) in zip(files, results) if doc is None
                  for pid in possible_ids(path)}
    findings += [finding for _, file_findings, _ in results for finding in file_findings]
    findings += check_across(docs, unreadable) + bibliography_findings
    findings += check_citations(docs, bibliography, complete=not any(doc is None for doc, _, _ in results))
    mentioned = [(doc, texts) for doc, _, texts in results if doc is not None]
    findings += check_mentions(mentioned + ([(bibliography, bibliography_mentions)] if bibliography else []),
                               unreadable)
    retro_docs, retro_findings = load_directory(retros_dir, root) if retros_dir else ([], [])
    ids = {d.data["id"] for d in docs if isinstance(d.data, dict) and isinstance(d.data.get("id"), str)}
    findings = sorted(set(findings + retro_findings + validate_retros(retro_docs, ids, unreadable=unreadable)))
    return Reading(findings, docs, retro_docs, bibliography)


def _read_bibliography(path: Path, root: Path, today: dt.date, needed: bool,
                       cache: FileCache | None) -> FileReading:
    """The bibliography and its findings; a missing one is a finding only when there are patterns to cite it."""
    display = path.relative_to(root).as_posix() if path.is_relative_to(root) else path.as_posix()
    if not path.exists():
        return None, [Finding(display, 0, "", "file is missing: every source the patterns cite is listed here, "
                              "once (see docs/format.md); create it")] if needed else [], ()
    if cache:
        return cache.read(path, display, today, check_bibliography)
    return _read_and_check(path, display, today, check_bibliography)


def _read_and_check(path: Path, display: str, today: dt.date, check: Check | None = None) -> FileReading:
    """One file read and checked on its own: its document (if it could be read), findings and mentions."""
    try:
        doc = load_document(path, display)
    except PatternError as e:
        return None, e.findings, ()
    return doc, (check or _check_pattern)(doc, today), mentions_in(doc)


def _check_pattern(doc: Document, today: dt.date) -> list[Finding]:
    """A pattern file's own findings, its translation confirmations included."""
    return check_document(doc, today) + check_confirmations(doc)
