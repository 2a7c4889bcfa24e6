"""The one module that reads YAML: safe, strict, and line-aware.

Pattern files come through pull requests from many hands, so reading refuses what
PyYAML would silently accept (duplicate keys, anchors and aliases, custom tags, a second
document) and guards size and nesting before the parser can be made to work hard. The
data is built from the parser's event stream, which is not recursive, so no depth of
nesting can overflow a C stack. Line numbers are kept beside the data, never in it, and are
found by a second, careful reading only when a finding needs them.
"""

from __future__ import annotations

import functools
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from stat import S_ISREG
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import ScalarNode
from yaml.resolver import Resolver

from generator.core import characters
from generator.core.findings import Finding, PatternError, Severity, format_field

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_BYTES = 1_000_000
MAX_LINE_CHARS = 10_000
MAX_DEPTH = 20
_TOO_DEEP = f"nesting is deeper than {MAX_DEPTH} levels; pattern files are at most a few levels deep"

DataPath = tuple[str | int, ...]
TEXT_KEYS = frozenset({"ko", "en"})  # a mapping of only these keys is a text in both languages

_CORE = "tag:yaml.org,2002:"
_ALLOWED_TAGS = {_CORE + t for t in ("str", "int", "float", "bool", "null", "map", "seq")}
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]")
_LONE_CR = re.compile("\r(?!\n)")
_RESOLVER = Resolver()
_STR = _CORE + "str"
_SCALAR, _MAPPING_START, _SEQUENCE_START = yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent
_MAPPING_END, _SEQUENCE_END = yaml.MappingEndEvent, yaml.SequenceEndEvent
_CONSTRUCTOR = SafeConstructor()


@dataclass(frozen=True)
class Positions:
    """Where each value of a file stood: what findings need, and only they."""

    lines: dict[DataPath, int]  # the line of each value (a mapping value: its key's line)
    raw_scalars: dict[DataPath, str]  # non-string scalars as written (`no` for False)
    block_starts: dict[DataPath, int]  # the first line of each literal block (`|`)


@dataclass(frozen=True)
class Document:
    """A parsed YAML file: its data, and (found when first asked) the line each value stood on."""

    path: Path
    display: str
    data: Any
    source: str = field(repr=False)

    @functools.cached_property
    def contents(self) -> tuple[list[tuple[DataPath, str]], list[tuple[DataPath, dict[str, Any]]]]:
        """Every string and every {ko, en} text of the file, with paths (`strings_and_texts`), found once:
        several checks walk them."""
        return strings_and_texts(self.data)

    def __getstate__(self) -> dict[str, Any]:
        # Sent back from a forked reading without `contents`, which is quicker to find again than to send.
        return {name: value for name, value in self.__dict__.items() if name != "contents"}

    @functools.cached_property
    def positions(self) -> Positions:
        """The careful reading's positions; most files have no finding, so they never need this."""
        return _read_carefully(self.source, self.display)[1]

    def source_line(self, number: int) -> str:
        """The text of a 1-based line of the file."""
        lines = self.source.split("\n")
        return lines[number - 1] if 0 < number <= len(lines) else ""

    def line_within(self, path: DataPath, snippet: str) -> int:
        """The line of `snippet` inside a literal block (`|`) value; else the value's own line."""
        start = self.positions.block_starts.get(tuple(path))
        value: Any = self.data
        for part in path:
            value = value[part]
        at = value.find(snippet) if start and isinstance(value, str) else -1
        return start + value[:at].count("\n") if start and at >= 0 else self.line_of(path)

    def line_of(self, path: DataPath) -> int:
        """The line of `path`, or of its nearest ancestor that has one."""
        lines = self.positions.lines
        for end in range(len(path), -1, -1):
            line = lines.get(tuple(path[:end]))
            if line:
                return line
        return 1

    def raw(self, path: DataPath) -> str | None:
        """The text of a non-string scalar as written (e.g. `no` for False)."""
        return self.positions.raw_scalars.get(tuple(path))


# Files that belong in these folders without being records: read by people, or by their own code.
# Every other entry is read as a record or named in a finding, so nothing is ever skipped unseen.
NOT_PATTERNS = frozenset({"README.md"})
NOT_RETROS = frozenset({"README.md"})
_RECORD_SUFFIX = ".yaml"


def load_directory(directory: Path, root: Path,
                   known: frozenset[str] = NOT_RETROS) -> tuple[list[Document], list[Finding]]:
    """Every record file in `directory`, and a finding for each entry that cannot be read as one."""
    files, findings = pattern_files(directory, root, known)
    docs: list[Document] = []
    for path, display in files:
        try:
            docs.append(load_document(path, display))
        except PatternError as e:
            findings += e.findings
    return docs, findings


def pattern_files(directory: Path, root: Path, known: frozenset[str] = NOT_PATTERNS,
                  ) -> tuple[list[tuple[Path, str]], list[Finding]]:
    """The YAML files in `directory` (each with its path as shown in findings), in name order.

    Every other entry is named in a finding, never skipped: an error when its name says it is
    meant as a record (it ends in .yaml or .yml, in any case) but it cannot be read as one (a
    folder, a link, a FIFO), a warning for anything else. Only the names in `known` are passed over.
    """
    files: list[tuple[Path, str]] = []
    findings: list[Finding] = []
    if not directory.is_dir():
        return files, findings
    folder = _display(directory, root)
    if not directory.resolve().is_relative_to(root.resolve()):
        return files, [Finding(folder, 0, "", f"is a symbolic link to {directory.resolve()}, outside the repository; "
                               "nothing in it was read. Replace the link with the folder itself")]
    # scandir knows each entry's type without another system call per file.
    for entry in sorted(os.scandir(directory), key=lambda e: e.name):
        if entry.name in known:
            continue
        path = directory / entry.name
        display = _display(path, root)
        finding = _entry_problem(entry, folder)
        if finding is None or (finding[0] == "error" and entry.is_file(follow_symlinks=False)):
            files.append((path, display))  # a misnamed file is read too, so all its problems show at once
        if finding:
            severity, message = finding
            findings.append(Finding(display, 0, "", message, severity))
    return files, findings


def _entry_problem(entry: os.DirEntry[str], folder: str) -> tuple[Severity, str] | None:
    """Why an entry of a records folder is not a file to read as it is (severity, message), if it is not."""
    name = entry.name
    stem, dot, suffix = name.rpartition(".")
    meant = bool(not name.startswith(".") and dot and stem and suffix.lower() in ("yaml", "yml"))
    if entry.is_symlink():
        kind = "a symbolic link"
    elif entry.is_dir(follow_symlinks=False):
        kind = "a folder"
    elif not entry.is_file(follow_symlinks=False):
        kind = "a special file (such as a FIFO or a socket)"
    elif name.startswith("."):
        return "warning", f"is hidden and is not read; delete it, or move it out of {folder}/"
    elif not meant:
        return "warning", f"is not read (only files ending in {_RECORD_SUFFIX} are); rename it if it is meant to " \
                          f"be one, or move it out of {folder}/"
    elif name.endswith(_RECORD_SUFFIX):
        return None
    else:
        return "error", f"files in {folder}/ end in {_RECORD_SUFFIX}, in lower case; rename it to " \
                        f"{stem}{_RECORD_SUFFIX}"
    if meant:
        return "error", f"is {kind}, so it is not read; files in {folder}/ must be regular files ending in " \
                        f"{_RECORD_SUFFIX}"
    return "warning", f"is {kind} and is not read; only regular files ending in {_RECORD_SUFFIX} directly inside " \
                      f"{folder}/ are"


def possible_ids(path: Path) -> set[str]:
    """The ids a file that could not be read may hold: its name's, and what an `id:` line in it says."""
    ids = {path.name.rpartition(".")[0] or path.name}
    try:
        raw = _read_regular_file(path, "")
    except (OSError, PatternError):
        return ids
    return ids | {m.decode("ascii") for m in _ID_LINE.findall(raw.replace(b"\r", b"\n"))}


_ID_LINE = re.compile(rb"^id:[ \t]*[\"']?([a-z0-9]+(?:-[a-z0-9]+)*)[\"']?[ \t]*(?:#.*)?$", re.M)


def _display(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def load_document(path: Path, display: str) -> Document:
    """Read one YAML file strictly; raise PatternError with one finding if it cannot be used."""
    return _document(_read_text(path, display), path, display)


def load_text(text: str, path: Path, display: str) -> Document:
    """Parse YAML text already in memory (used by tests and by `new`)."""
    _check_lines(text, display)
    return _document(text, path, display)


def _document(text: str, path: Path, display: str) -> Document:
    data = _read_quickly(text)
    if data is _UNSURE:
        data = _read_carefully(text, display)[0]  # raises PatternError if the file cannot be used
    return Document(path, display, data, text)


def _fail(display: str, line: int, message: str, field: str = "") -> PatternError:
    return PatternError([Finding(display, line, field, message)])


def _read_text(path: Path, display: str) -> str:
    try:
        raw = _read_regular_file(path, display)
    except OSError as e:
        raise _fail(display, 0, f"cannot read the file: {e.strerror or e}") from e
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or (raw[:2].count(b"\x00") == 1 and b"\x00" in raw[:4]):
        raise _fail(display, 1, "file is UTF-16; save it as UTF-8")
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        hint = "save it as UTF-8"
        try:
            raw.decode("cp949")
            hint = "the file looks like CP949/EUC-KR (Korean Windows); save it as UTF-8"
        except UnicodeDecodeError:
            pass
        raise _fail(display, line, f"byte 0x{raw[e.start]:02x} is not valid UTF-8; {hint}") from None
    _check_lines(text, display)
    return text


def _read_regular_file(path: Path, display: str) -> bytes:
    """The bytes of a regular file; never waits on a FIFO or follows a link put there after the folder was read."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0))
    with os.fdopen(fd, "rb") as file:
        stat = os.fstat(fd)
        if not S_ISREG(stat.st_mode):
            raise _fail(display, 0, "is not a regular file, so it is not read; records must be regular files")
        if stat.st_size > MAX_BYTES:
            raise _fail(display, 0, f"file is {stat.st_size / 1_000_000:.1f} MB; a pattern file must stay under "
                        f"{MAX_BYTES // 1_000_000} MB: split or shorten the text")
        return file.read(MAX_BYTES + 1)


def _check_lines(text: str, display: str) -> None:
    """Refuse lone CR line endings, raw control characters (YAML cannot read most) and very long lines,
    naming the field."""
    if "\r" in text:
        _check_line_endings(text, display)
    if not _CONTROL.search(text) and max(map(len, text.split("\n"))) <= MAX_LINE_CHARS:
        return  # the usual case, seen without going line by line
    offset = 0
    for number, line in enumerate(text.split("\n"), 1):
        if len(line) > MAX_LINE_CHARS:
            raise _fail(display, number, f"line is {len(line):,} characters long; keep lines under "
                        f"{MAX_LINE_CHARS:,} (use a |- block for long text)", _field_on_line(text, number))
        bad = _CONTROL.search(line.rstrip("\r"))
        if bad:
            marked = _field_of_character(text, offset + bad.start())
            raise _fail(display, number, f"expected visible text, got {characters.describe(bad.group())} at "
                        f"column {bad.start() + 1}; delete it (it is invisible in most editors)", marked)
        offset += len(line) + 1


_MARK = "\ue000"  # a private-use character: put where a bad character was, to find which value held it


def _field_of_character(text: str, index: int) -> str:
    """The field whose value holds the character at `index`, read with every control character made plain."""
    readable = _CONTROL.sub(" ", text[:index]) + _MARK + _CONTROL.sub(" ", text[index + 1 :])
    try:
        data = _read_carefully(readable, "")[0]
    except PatternError:
        return ""
    return next((format_field(path) for path, value in strings_and_texts(data)[0] if _MARK in value), "")


def _field_on_line(text: str, number: int) -> str:
    """The field of the longest text value that starts on, or runs over, line `number`."""
    try:
        data, positions = _read_carefully(_CONTROL.sub(" ", text), "")
    except PatternError:
        return ""
    best: tuple[int, int, DataPath] | None = None
    for path, value in strings_and_texts(data)[0]:
        start = positions.block_starts.get(path) or positions.lines.get(path, 0)
        if start <= number <= start + value.count("\n") or positions.lines.get(path) == number:
            if best is None or len(value) > best[1]:
                best = (start, len(value), path)
    return format_field(best[2]) if best else ""


def strings_and_texts(data: Any) -> tuple[list[tuple[DataPath, str]], list[tuple[DataPath, dict[str, Any]]]]:
    """Every string and every {ko, en} text object in a document, with paths, in document order.

    One loop for both, not a recursion: it runs over every value of thousands of files.
    """
    strings: list[tuple[DataPath, str]] = []
    texts: list[tuple[DataPath, dict[str, Any]]] = []
    stack: list[tuple[DataPath, Any]] = [((), data)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, str):
            strings.append((path, value))
        elif isinstance(value, dict):
            if value and value.keys() <= TEXT_KEYS:
                texts.append((path, value))
            stack += reversed([((*path, key), item) for key, item in value.items()])
        elif isinstance(value, list):
            stack += reversed([((*path, index), item) for index, item in enumerate(value)])
    return strings, texts


def _check_line_endings(text: str, display: str) -> None:
    """Refuse carriage returns that end lines on their own (classic Mac OS), which YAML and editors read differently."""
    lone = _LONE_CR.search(text)
    if lone is None:
        return
    if "\n" not in text:
        raise _fail(display, 1, "the file's lines end in CR only (classic Mac OS line endings); save it with LF "
                    "line endings (Unix) or CRLF (Windows)")
    line = text.count("\n", 0, lone.start()) + 1
    raise _fail(display, line, "this line ends in a lone CR (a classic Mac OS line ending) while others end in LF; "
                "save the file with LF line endings")


_YAML_HINTS = (
    ("found unexpected end of stream", "a quote opened here is never closed"),
    ("mapping values are not allowed", "a value contains ': ' — put the whole value in quotes"),
    ("expected <block end>", "indentation is inconsistent around here; line fields up with spaces"),
    ("did not find expected key", "indentation is inconsistent around here; line fields up with spaces"),
)
_FLOW_START = re.compile(r"^\s*(?:-\s+)?(?:[^\s:#'\"][^:#]*:\s+)?[\[{]")
_OPEN_QUOTE = re.compile(r"(?:^|:\s|-\s|[\[{,]\s*)\"(?:[^\"\\]|\\.)*$")


def _yaml_error(e: yaml.MarkedYAMLError, text: str, display: str) -> PatternError:
    problem = " ".join(str(p) for p in (e.context, e.problem) if p)
    if "maximum nesting depth" in problem:  # libyaml's own limit, met before ours when it reads ahead
        return _fail(display, e.problem_mark.line + 1 if e.problem_mark else 1, _TOO_DEEP)
    quoted = "quoted scalar" in problem and e.context_mark
    mark = e.context_mark if quoted else (e.problem_mark or e.context_mark)
    line = mark.line + 1 if mark else 1
    lines = text.split("\n")
    source_line = lines[line - 1] if 0 < line <= len(lines) else ""
    if "\t" in source_line[: len(source_line) - len(source_line.lstrip())]:
        return _fail(display, line, "invalid YAML: a tab character; indent with spaces, not tabs")
    for number in range(1, min(line, len(lines)) + 1):
        if _OPEN_QUOTE.search(lines[number - 1].split(" #")[0]):
            return _fail(display, number, "invalid YAML: a quote opened here is never closed")
    flow = _FLOW_START.match(source_line)
    if flow and ("[[" in source_line or not source_line.rstrip().endswith(("]", "}"))):
        return _fail(display, line, "invalid YAML: a value that starts with [ or { is read as a list or mapping; "
                     "put the whole value in quotes")
    for needle, hint in _YAML_HINTS:
        if needle in problem:
            return _fail(display, line, f"invalid YAML: {hint}")
    return _fail(display, line, f"invalid YAML: {problem}")


class _Frame:
    __slots__ = ("container", "path", "is_list", "key", "key_line")

    def __init__(self, container: dict[str, Any] | list[Any], path: DataPath) -> None:
        self.container = container
        self.path = path
        self.is_list = isinstance(container, list)
        self.key: str | None = None
        self.key_line = 0


_UNSURE = object()  # what the quick reading returns when a file needs the careful one
_NO_KEY = object()  # a mapping waiting for its next key


def _read_quickly(text: str) -> Any:
    """The file's data if it is plainly fine, else _UNSURE; no positions, no explanations.

    Reading is most of what `patterns validate` costs, and almost every file is plain: no anchor,
    alias, tag, duplicate or non-text key, second document, deep nesting or syntax error. This
    loop builds the data alone and gives up at the first sight of anything else, leaving it to
    `_read_carefully`, which says what is wrong and on which line; positions are found (by the
    careful reading) only when a finding needs one. It dispatches on the event's exact type, in
    order of frequency, and keeps names local.
    """
    stack: list[tuple[Any, bool, Any]] = []  # the containers around the open one, as below
    container: Any = None  # the open mapping or list; None at the top level
    is_list = False
    key: Any = _NO_KEY
    result: Any = _UNSURE
    documents = 0
    try:
        get_event = _Loader(text).get_event
        while (event := get_event()) is not None:
            kind = type(event)
            if kind is _SCALAR:
                if event.anchor is not None or event.tag is not None:
                    return _UNSURE
                value = event.value
                if not event.style and _implicit_tag(value, event.implicit) != _STR:
                    value = _scalar(event, None)
            elif kind is _MAPPING_END or kind is _SEQUENCE_END:
                value = container
                container, is_list, key = stack.pop()
            elif kind is _MAPPING_START or kind is _SEQUENCE_START:
                if event.anchor is not None or event.tag is not None or len(stack) >= MAX_DEPTH or \
                        (container is not None and not is_list and key is _NO_KEY):
                    return _UNSURE
                stack.append((container, is_list, key))
                container, is_list, key = ({} if kind is _MAPPING_START else []), kind is _SEQUENCE_START, _NO_KEY
                continue
            else:
                if kind is yaml.AliasEvent or (kind is yaml.DocumentStartEvent and (documents := documents + 1) > 1):
                    return _UNSURE
                continue
            if container is None:
                result = value
            elif is_list:
                container.append(value)
            elif key is _NO_KEY:
                if value.__class__ is not str or value in container:
                    return _UNSURE
                key = value
            else:
                container[key] = value
                key = _NO_KEY
    except yaml.YAMLError:
        return _UNSURE
    return _UNSURE if result is None else result


def _read_carefully(text: str, display: str) -> tuple[Any, Positions]:
    """The file's data and positions; a PatternError naming the line if the file cannot be used."""
    # One pass over the parser's events, keeping the line of every value.
    lines: dict[DataPath, int] = {}
    raw_scalars: dict[DataPath, str] = {}
    block_starts: dict[DataPath, int] = {}
    stack: list[_Frame] = []
    root: list[Any] = []
    top: _Frame | None = None  # stack[-1], or None at the top level
    documents = 0
    try:
        get_event = _Loader(text).get_event
        while (event := get_event()) is not None:
            kind = type(event)
            if kind is _MAPPING_END or kind is _SEQUENCE_END:
                frame = stack.pop()
                top = stack[-1] if stack else None
                lines.setdefault(frame.path, event.start_mark.line + 1)
                _attach(top, root, lines, frame.container)
                continue
            if kind is not _SCALAR and kind is not _MAPPING_START and kind is not _SEQUENCE_START:
                line = event.start_mark.line + 1
                if kind is yaml.DocumentStartEvent:
                    documents += 1
                    if documents > 1:
                        raise _fail(display, line, "a second YAML document ('---') starts here; "
                                    "a pattern file holds exactly one")
                elif kind is yaml.AliasEvent:
                    raise _fail(display, line, f"alias '*{event.anchor}' is not allowed; write the value out")
                continue
            line = event.start_mark.line + 1
            # Where the value goes; None means "a key of the mapping on top".
            if top is None:
                where: DataPath | None = ()
            elif top.is_list:
                where = (*top.path, len(top.container))
            else:
                where = (*top.path, top.key) if top.key is not None else None
            if event.anchor:
                raise _fail(display, line, f"anchor '&{event.anchor}' is not allowed; write the value out",
                            format_field(where or ()))
            tag = event.tag
            if tag is not None:
                tag = _check_tag(tag, display, line, where)
            if kind is _SCALAR:
                value = _scalar(event, tag)
                if where is not None:
                    if value is not None and value.__class__ is not str:
                        raw_scalars[where] = event.value
                    if event.style == "|":
                        block_starts[where] = line + 1
                _place(top, root, lines, value, line, event.value, display)
                continue
            if where is None:
                raise _fail(display, line, "keys must be text, got a list or mapping; quote the key",
                            format_field(top.path))  # type: ignore[union-attr]
            if len(stack) >= MAX_DEPTH:
                raise _fail(display, line, _TOO_DEEP, format_field(where))
            lines[where] = line
            top = _Frame({} if kind is _MAPPING_START else [], where)
            stack.append(top)
    except yaml.MarkedYAMLError as e:
        raise _yaml_error(e, text, display) from None
    except yaml.YAMLError as e:
        raise _fail(display, 1, f"invalid YAML: {e}") from None
    if not root or root[0] is None:
        raise _fail(display, 1, "file is empty (or only comments); start from `patterns new <id>`")
    return root[0], Positions(lines, raw_scalars, block_starts)


def _place(top: _Frame | None, root: list[Any], lines: dict[DataPath, int], value: Any, line: int, raw: str,
           display: str) -> None:
    """Put a scalar where it belongs: the document, a list, a mapping's next key, or that key's value."""
    if top is None:
        root.append(value)
        lines[()] = line
    elif top.is_list:
        container = top.container
        lines[(*top.path, len(container))] = line
        container.append(value)  # type: ignore[union-attr]
    elif top.key is None:
        if value.__class__ is not str:
            raise _fail(display, line, f"keys must be text, got {_key_words(value, raw)}; quote the key",
                        format_field(top.path))
        if value in top.container:
            first = lines[(*top.path, value)]
            raise _fail(display, line, f"duplicate key '{value}' (first at line {first}); "
                        "keep one", format_field((*top.path, value)))
        top.key, top.key_line = value, line
    else:
        lines[(*top.path, top.key)] = top.key_line
        top.container[top.key] = value  # type: ignore[call-overload]
        top.key = None


def _key_words(value: Any, raw: str) -> str:
    if value is None:
        return "an empty key"
    if isinstance(value, bool):
        return f"true/false (written {raw})"
    return f"the number {raw}"


def _attach(top: _Frame | None, root: list[Any], lines: dict[DataPath, int], value: Any) -> None:
    """Put a finished mapping or sequence into its parent, which already knows its slot."""
    if top is None:
        root.append(value)
    elif top.is_list:
        top.container.append(value)  # type: ignore[union-attr]
    else:
        lines[(*top.path, top.key)] = top.key_line  # type: ignore[index]
        top.container[top.key] = value  # type: ignore[index]
        top.key = None


def _check_tag(tag: str, display: str, line: int, where: DataPath | None) -> str | None:
    if tag == "!":
        return None
    if tag not in _ALLOWED_TAGS:
        raise _fail(display, line, f"tag '{tag.replace(_CORE, '!!')}' is not allowed; "
                    "remove it (pattern files hold plain text, lists and mappings)",
                    format_field(where or ()))
    return tag


def _scalar(event: yaml.ScalarEvent, tag: str | None) -> Any:
    if tag is None:
        if event.style:  # quoted or block text is always a string
            return event.value
        tag = _implicit_tag(event.value, event.implicit)
        if tag == _STR:
            return event.value
    if tag == _CORE + "null":
        return None
    node = ScalarNode(tag, event.value)
    if tag == _CORE + "int":
        return _CONSTRUCTOR.construct_yaml_int(node)
    if tag == _CORE + "float":
        return _CONSTRUCTOR.construct_yaml_float(node)
    if tag == _CORE + "bool":
        return _CONSTRUCTOR.construct_yaml_bool(node)
    return event.value  # str, and timestamps kept as written


def _implicit_tag(value: str, implicit: tuple[bool, bool]) -> str:
    """The tag YAML gives an untagged plain scalar.

    Only a few first characters can start a number, date, boolean or null; prose starts with others.
    """
    if value and value[0] not in _TYPED_STARTS and not _TYPED_FROM_ANY_START:
        return _STR
    return _resolve(value, implicit)


# PyYAML files its resolvers under the first characters they match (None: any character).
_TYPED_STARTS = frozenset(start for start in Resolver.yaml_implicit_resolvers if start)
_TYPED_FROM_ANY_START = None in Resolver.yaml_implicit_resolvers


@functools.lru_cache(maxsize=8192)
def _resolve(value: str, implicit: tuple[bool, bool]) -> str:
    """The resolver's answer, remembered: the same keys and words come back in every file."""
    return _RESOLVER.resolve(ScalarNode, value, implicit)
