"""Translations that drift apart: a text edited in one language after the other's last edit.

Nothing else tells an editor that the English of a field was left behind when its Korean was
rewritten (or the other way round). The git history does: for every text field with both
languages, the last commit that changed each language. When one changed later, in another
commit, the other may be stale, until an editor checks both and records that they agree
(`patterns confirm`, which writes `translations_checked`: field -> fingerprint of both texts).

Reading the history costs one `git log` over the folder and one `git cat-file --batch` for every
file version it names, whatever the number of files. Outside a git work tree, or without git,
nothing is reported. Uncommitted edits in the working copy count as the latest change.
"""

from __future__ import annotations

import hashlib
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.core.findings import Finding, PatternError, format_field
from generator.core.loader import DataPath, Document, load_text, strings_and_texts

CONFIRMATIONS = "translations_checked"
_LANGUAGE_NAMES = {"ko": "Korean", "en": "English"}
_OTHER = {"ko": "en", "en": "ko"}


@dataclass(frozen=True)
class Change:
    """A version of a file: a commit (its full hash and date), or the uncommitted working copy."""

    commit: str | None
    date: str | None

    def __str__(self) -> str:
        return f"{self.commit[:7]} ({self.date})" if self.commit else "your uncommitted edits"


@dataclass(frozen=True)
class Drift:
    """One field whose `stale` language last changed before the other language did."""

    doc: Document
    path: DataPath  # the field, e.g. ("known_uses", 1, "summary")
    stale: str  # "ko" or "en"
    newer: Change  # the other language's last change
    older: Change  # the stale language's last change

    @property
    def field(self) -> str:
        return format_field(self.path)


def fingerprint(ko: str, en: str) -> str:
    """What `translations_checked` records for a field: the first 8 hex digits of SHA-256 of ko + NUL + en."""
    return hashlib.sha256(f"{ko}\0{en}".encode()).hexdigest()[:8]


def bilingual_fields(data: Any, texts: list[tuple[DataPath, dict[str, Any]]] | None = None
                     ) -> dict[DataPath, tuple[str, str]]:
    """Every text field with both languages, by path: {ko, en} texts, and additions (ko and en beside section).

    `texts`: the document's text objects (`Document.contents`), when they have been found already.
    """
    fields: dict[DataPath, tuple[str, str]] = {}
    if not isinstance(data, dict):
        return fields
    for path, text in strings_and_texts(data)[1] if texts is None else texts:
        if path[:1] != (CONFIRMATIONS,) and isinstance(text.get("ko"), str) and isinstance(text.get("en"), str):
            fields[path] = (text["ko"], text["en"])
    additions = data.get("additions")
    for index, addition in enumerate(additions if isinstance(additions, list) else []):
        if isinstance(addition, dict) and isinstance(addition.get("ko"), str) and isinstance(addition.get("en"), str):
            fields[("additions", index)] = (addition["ko"], addition["en"])
    return fields


def find_drift(docs: list[Document], directory: Path) -> list[Drift]:
    """Every unconfirmed field whose languages last changed in different versions, for files in `directory`."""
    drifts: list[Drift] = []
    for doc, versions in _history(directory, [doc for doc in docs if isinstance(doc.data, dict)]):
        drifts += _drift_in(doc, versions)
    return drifts


def _drift_in(doc: Document, versions: list[tuple[Change, Any]]) -> Iterator[Drift]:
    checked = doc.data.get(CONFIRMATIONS)
    checked = checked if isinstance(checked, dict) else {}
    current = bilingual_fields(doc.data, doc.contents[1])
    fields_by_version = [bilingual_fields(data) for _, data in versions]
    for path, (ko, en) in current.items():
        if checked.get(format_field(path)) == fingerprint(ko, en):
            continue
        last = {"ko": -1, "en": -1}
        previous: tuple[str | None, str | None] = (None, None)
        for index, fields in enumerate(fields_by_version):
            now = fields.get(path, (None, None))
            if now[0] is not None and now[1] is not None and (previous[0] is None or previous[1] is None):
                last = {"ko": index, "en": index}  # both languages present from here: written together
            else:
                for position, lang in enumerate(("ko", "en")):
                    if now[position] != previous[position]:
                        last[lang] = index
            previous = now
        if min(last.values()) < 0 or last["ko"] == last["en"]:
            continue
        stale = "ko" if last["ko"] < last["en"] else "en"
        yield Drift(doc, path, stale, versions[last[_OTHER[stale]]][0], versions[last[stale]][0])


def drift_findings(drifts: list[Drift]) -> list[Finding]:
    """A warning for each drift, on the stale language's line, saying how to confirm."""
    findings = []
    for drift in drifts:
        newer, older = _LANGUAGE_NAMES[_OTHER[drift.stale]], _LANGUAGE_NAMES[drift.stale]
        path = (*drift.path, drift.stale)
        findings.append(Finding(
            drift.doc.display, drift.doc.line_of(path), format_field(path),
            f"the {newer} text changed in {drift.newer} after the {older} text last changed in {drift.older}; "
            f"check the {older} still says the same, then run `patterns confirm {drift.doc.display} {drift.field}`",
            "warning"))
    return findings


def _git(args: list[str], cwd: Path, stdin: bytes | None = None) -> bytes | None:
    try:
        return subprocess.run(["git", *args], cwd=cwd, input=stdin, capture_output=True, check=True,
                              timeout=120).stdout
    except (OSError, subprocess.SubprocessError):
        return None


def _history(directory: Path, docs: list[Document]) -> Iterator[tuple[Document, list[tuple[Change, Any]]]]:
    """Each file's versions, oldest first, as (change, data), the working copy last if it differs; none outside git.

    A file with one committed version and no uncommitted edit cannot have drifted, so it is not
    read again; the newest committed version of a file without uncommitted edits is the document
    already read.
    """
    top = _git(["rev-parse", "--show-toplevel"], directory) if docs else None
    log = _git(["log", "--format=%x00%H %cs", "--name-only", "--no-renames", "--", "."], directory) if top else None
    status = _git(["status", "--porcelain", "-z", "--no-renames", "--untracked-files=all", "--", "."], directory) \
        if log is not None else None
    if status is None:
        return
    root = Path(top.decode().strip()).resolve()  # type: ignore[union-attr]
    folders: dict[Path, Path] = {}  # each folder resolved once: a thousand files share one or two
    by_name: dict[str, Document] = {}
    for doc in docs:
        folder = folders.get(doc.path.parent) or folders.setdefault(doc.path.parent, doc.path.parent.resolve())
        if (folder / doc.path.name).is_relative_to(root):
            by_name[(folder / doc.path.name).relative_to(root).as_posix()] = doc
    edited = {entry[3:] for entry in status.decode("utf-8", "replace").split("\0") if len(entry) > 3}
    commits: dict[str, list[Change]] = {}  # file -> its commits, newest first (git log's order)
    change = Change(None, None)
    for line in log.decode("utf-8", "replace").splitlines():  # type: ignore[union-attr]
        if line.startswith("\x00"):
            commit, date = line[1:].split(" ", 1)
            change = Change(commit, date)
        elif line in by_name and change.commit:
            commits.setdefault(line, []).append(change)
    wanted = [(name, change) for name, changes in commits.items() if len(changes) > 1 or name in edited
              for change in changes[1 if name not in edited else 0:]]  # the newest is the working copy when clean
    contents = _batch_contents(_git(["cat-file", "--batch"], root,
                                    "".join(f"{c.commit}:{name}\n" for name, c in wanted).encode()) or b"")
    older: dict[str, list[tuple[Change, Any]]] = {}
    for (name, change), text in zip(wanted, contents):
        try:
            data = load_text(text, Path(name), name).data if text is not None else None
        except PatternError:
            data = None  # a version that could not be read tells nothing about either language
        if data is not None:
            older.setdefault(name, []).insert(0, (change, data))
    for name, changes in commits.items():
        doc = by_name[name]
        if name in edited:
            yield doc, [*older.get(name, []), (Change(None, None), doc.data)]
        elif len(changes) > 1:
            yield doc, [*older.get(name, []), (changes[0], doc.data)]


def _batch_contents(output: bytes) -> Iterator[str | None]:
    """The objects of `git cat-file --batch` output, in order; None for a missing one."""
    at = 0
    while at < len(output):
        end = output.index(b"\n", at)
        header = output[at:end].split(b" ")
        if header[-1] == b"missing":
            at = end + 1
            yield None
            continue
        size = int(header[2])
        yield output[end + 1: end + 1 + size].decode("utf-8", "replace")
        at = end + 1 + size + 1


def check_confirmations(doc: Document) -> list[Finding]:
    """A warning for each `translations_checked` entry that names no text field with both languages."""
    checked = doc.data.get(CONFIRMATIONS) if isinstance(doc.data, dict) else None
    if not isinstance(checked, dict):
        return []
    fields = {format_field(path) for path in bilingual_fields(doc.data, doc.contents[1])}
    return [Finding(doc.display, doc.line_of((CONFIRMATIONS, name)), format_field((CONFIRMATIONS,)),
                    f"'{name}' is not a text field with both languages (it may have moved or gone); remove the entry",
                    "warning")
            for name in checked if name not in fields]


def confirmed_text(text: str, doc: Document, fields: list[str]) -> str:
    """The file's text with `translations_checked` entries for `fields`, every other line as it was.

    The entries live in one top-level block, rewritten whole (or added at the end of the file);
    nothing outside that block changes. Raises ValueError naming a field that has no two languages.
    """
    current = {format_field(path): texts for path, texts in bilingual_fields(doc.data).items()}
    unknown = [name for name in fields if name not in current]
    if unknown:
        raise ValueError(f"no text field with both languages named {', '.join(repr(n) for n in unknown)}; "
                         f"fields: {', '.join(current)}")
    entries = dict(doc.data.get(CONFIRMATIONS) or {})
    entries.update({name: fingerprint(*current[name]) for name in fields})
    newline = "\r\n" if "\r\n" in text else "\n"
    block = [f"{CONFIRMATIONS}:{newline}"] + [f'  "{name}": "{value}"{newline}' for name, value in sorted(entries.items())]
    lines = text.splitlines(keepends=True)
    if CONFIRMATIONS in doc.data:
        start = doc.line_of((CONFIRMATIONS,)) - 1
        end = next((i for i in range(start + 1, len(lines)) if lines[i].strip() and not lines[i][0].isspace()),
                   len(lines))
        if end == len(lines) and not lines[-1].endswith(("\n", "\r")):
            block[-1] = block[-1].rstrip("\r\n")  # the file had no final newline; keep it that way
        lines[start:end] = block
    else:
        if lines and not lines[-1].endswith(("\n", "\r")):
            lines[-1] += newline
        lines += block
    return "".join(lines)


def stale_sections(drifts: list[Drift]) -> dict[str, frozenset[tuple[str, str]]]:
    """Pattern id -> (stale language, anchor of the page section holding the field), for notes on the pages."""
    notes: dict[str, set[tuple[str, str]]] = {}
    for drift in drifts:
        data = drift.doc.data
        notes.setdefault(data["id"], set()).add((drift.stale, _section_anchor(drift.path, data)))
    return {pid: frozenset(found) for pid, found in notes.items()}


_TOP = {"title", "aliases", "note", "summary", "origin"}
_SECTION_OF = {"situations": "situations", "questions": "questions", "tags": "related"}


def _section_anchor(path: DataPath, data: dict[str, Any]) -> str:
    """Where on the page a field is shown: its section, its known use, or the top of the page."""
    head = str(path[0])
    if head == "known_uses" and len(path) > 1 and isinstance(path[1], int):
        use = data["known_uses"][path[1]]
        return f"known-use-{use.get('id') or path[1] + 1}"
    if head == "additions" and len(path) > 1 and isinstance(path[1], int):
        head = data["additions"][path[1]]["section"]
    if head in _TOP:
        return "top"
    return _SECTION_OF.get(head, head.replace("_", "-"))
