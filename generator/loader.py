"""The one module that reads YAML: safe, strict, and line-aware.

Pattern files come through pull requests from many hands, so reading refuses what
PyYAML would silently accept (duplicate keys, anchors and aliases, custom tags, a second
document) and guards size and nesting before the parser can be made to work hard. The
data is built from the parser's event stream, which is not recursive, so no depth of
nesting can overflow a C stack; line numbers are kept beside the data, never in it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import ScalarNode
from yaml.resolver import Resolver

from generator.findings import Finding, PatternError, format_field

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_BYTES = 1_000_000
MAX_LINE_CHARS = 10_000
MAX_DEPTH = 20

DataPath = tuple[str | int, ...]

_CORE = "tag:yaml.org,2002:"
_ALLOWED_TAGS = {_CORE + t for t in ("str", "int", "float", "bool", "null", "map", "seq")}
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]")
_RESOLVER = Resolver()
_CONSTRUCTOR = SafeConstructor()


@dataclass(frozen=True)
class Document:
    """A parsed YAML file: its data, and the line each value stood on."""

    path: Path
    display: str
    data: Any
    lines: dict[DataPath, int] = field(repr=False)
    raw_scalars: dict[DataPath, str] = field(repr=False)
    block_starts: dict[DataPath, int] = field(repr=False)
    source: str = field(repr=False)

    def source_line(self, number: int) -> str:
        """The text of a 1-based line of the file."""
        lines = self.source.split("\n")
        return lines[number - 1] if 0 < number <= len(lines) else ""

    def line_within(self, path: DataPath, snippet: str) -> int:
        """The line of `snippet` inside a literal block (`|`) value; else the value's own line."""
        start = self.block_starts.get(tuple(path))
        value: Any = self.data
        for part in path:
            value = value[part]
        at = value.find(snippet) if start and isinstance(value, str) else -1
        return start + value[:at].count("\n") if start and at >= 0 else self.line_of(path)

    def line_of(self, path: DataPath) -> int:
        """The line of `path`, or of its nearest ancestor that has one."""
        for end in range(len(path), -1, -1):
            line = self.lines.get(tuple(path[:end]))
            if line:
                return line
        return 1

    def raw(self, path: DataPath) -> str | None:
        """The text of a non-string scalar as written (e.g. `no` for False)."""
        return self.raw_scalars.get(tuple(path))


def load_directory(directory: Path, root: Path) -> tuple[list[Document], list[Finding]]:
    """Every pattern file in `directory`, and a finding for each one that cannot be read.

    Files that are almost pattern files (`.yml`, links) are reported rather than skipped,
    so an editor learns why their file did not show up.
    """
    docs: list[Document] = []
    findings: list[Finding] = []
    for path in sorted(directory.iterdir()) if directory.is_dir() else []:
        display = _display(path, root)
        if path.name.startswith(".") or path.suffix not in (".yaml", ".yml"):
            continue
        if path.is_symlink():
            findings.append(Finding(display, 0, "", "is a symbolic link; pattern files must be regular files "
                                    "inside the repository"))
            continue
        if not path.is_file():
            continue
        try:
            docs.append(load_document(path, display))
        except PatternError as e:
            findings += e.findings
    return docs, findings


def _display(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def load_document(path: Path, display: str) -> Document:
    """Read one YAML file strictly; raise PatternError with one finding if it cannot be used."""
    text = _read_text(path, display)
    return _compose(text, path, display)


def load_text(text: str, path: Path, display: str) -> Document:
    """Parse YAML text already in memory (used by tests and by `new`)."""
    _check_lines(text, display)
    return _compose(text, path, display)


def _fail(display: str, line: int, message: str, field: str = "") -> PatternError:
    return PatternError([Finding(display, line, field, message)])


def _read_text(path: Path, display: str) -> str:
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise _fail(display, 0, f"file is {size / 1_000_000:.1f} MB; a pattern file must stay under "
                        f"{MAX_BYTES // 1_000_000} MB: split or shorten the text")
        raw = path.read_bytes()
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


def _check_lines(text: str, display: str) -> None:
    for number, line in enumerate(text.split("\n"), 1):
        if len(line) > MAX_LINE_CHARS:
            raise _fail(display, number, f"line is {len(line):,} characters long; keep lines under "
                        f"{MAX_LINE_CHARS:,} (use a |- block for long text)")
        bad = _CONTROL.search(line.rstrip("\r"))
        if bad:
            raise _fail(display, number, f"control character U+{ord(bad.group()):04X} at column "
                        f"{bad.start() + 1}; delete it (it is invisible in most editors)")


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
    __slots__ = ("container", "path", "key", "key_line")

    def __init__(self, container: dict[str, Any] | list[Any], path: DataPath) -> None:
        self.container = container
        self.path = path
        self.key: str | None = None
        self.key_line = 0


def _compose(text: str, path: Path, display: str) -> Document:
    lines: dict[DataPath, int] = {}
    raw_scalars: dict[DataPath, str] = {}
    block_starts: dict[DataPath, int] = {}
    stack: list[_Frame] = []
    root: list[Any] = []
    documents = 0

    def slot(line: int) -> DataPath:
        """Where the next value goes; for a mapping with no pending key, None means 'a key'."""
        if not stack:
            return ()
        top = stack[-1]
        if isinstance(top.container, list):
            return (*top.path, len(top.container))
        return (*top.path, top.key) if top.key is not None else None  # type: ignore[return-value]

    def place(value: Any, line: int, raw: str = "") -> None:
        if not stack:
            root.append(value)
            lines[()] = line
            return
        top = stack[-1]
        if isinstance(top.container, list):
            lines[(*top.path, len(top.container))] = line
            top.container.append(value)
        elif top.key is None:
            if not isinstance(value, str):
                raise _fail(display, line, f"keys must be text, got {_key_words(value, raw)}; quote the key",
                            format_field(top.path))
            if value in top.container:
                first = lines[(*top.path, value)]
                raise _fail(display, line, f"duplicate key '{value}' (first at line {first}); "
                            "keep one", format_field((*top.path, value)))
            top.key, top.key_line = value, line
        else:
            lines[(*top.path, top.key)] = top.key_line
            top.container[top.key] = value
            top.key = None

    try:
        parser = _Loader(text)
        while (event := parser.get_event()) is not None:
            line = event.start_mark.line + 1 if event.start_mark else 1
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    raise _fail(display, line, "a second YAML document ('---') starts here; "
                                "a pattern file holds exactly one")
                continue
            if isinstance(event, yaml.AliasEvent):
                raise _fail(display, line, f"alias '*{event.anchor}' is not allowed; write the value out")
            if not isinstance(event, (yaml.ScalarEvent, yaml.CollectionStartEvent, yaml.CollectionEndEvent)):
                continue
            if isinstance(event, yaml.CollectionEndEvent):
                frame = stack.pop()
                lines.setdefault(frame.path, line)
                _attach_collection(stack, root, lines, frame, frame.container)
                continue
            where = slot(line)
            if event.anchor:
                raise _fail(display, line, f"anchor '&{event.anchor}' is not allowed; write the value out",
                            format_field(where or ()))
            tag = _check_tag(event, display, line, where)
            if isinstance(event, yaml.ScalarEvent):
                value = _scalar(event, tag)
                if where is not None and not isinstance(value, str) and value is not None:
                    raw_scalars[where] = event.value
                if where is not None and event.style == "|":
                    block_starts[where] = line + 1
                place(value, line, event.value)
                continue
            if where is None:
                raise _fail(display, line, "keys must be text, got a list or mapping; quote the key",
                            format_field(stack[-1].path))
            if len(stack) >= MAX_DEPTH:
                raise _fail(display, line, f"nesting is deeper than {MAX_DEPTH} levels; "
                            "pattern files are at most a few levels deep", format_field(where))
            container: dict[str, Any] | list[Any] = {} if isinstance(event, yaml.MappingStartEvent) else []
            lines[where] = line
            stack.append(_Frame(container, where))
    except yaml.MarkedYAMLError as e:
        raise _yaml_error(e, text, display) from None
    except yaml.YAMLError as e:
        raise _fail(display, 1, f"invalid YAML: {e}") from None
    if not root or root[0] is None:
        raise _fail(display, 1, "file is empty (or only comments); start from `patterns new <id>`")
    return Document(path, display, root[0], lines, raw_scalars, block_starts, text)


def _key_words(value: Any, raw: str) -> str:
    if value is None:
        return "an empty key"
    if isinstance(value, bool):
        return f"true/false (written {raw})"
    return f"the number {raw}"


def _attach_collection(stack: list[_Frame], root: list[Any], lines: dict[DataPath, int],
                       frame: _Frame, value: Any) -> None:
    """Put a finished mapping or sequence into its parent, which already knows its slot."""
    if not stack:
        root.append(value)
        return
    top = stack[-1]
    if isinstance(top.container, list):
        top.container.append(value)
    else:
        lines[(*top.path, top.key)] = top.key_line  # type: ignore[index]
        top.container[top.key] = value  # type: ignore[index]
        top.key = None


def _check_tag(event: Any, display: str, line: int, where: DataPath | None) -> str | None:
    tag = event.tag
    if tag in (None, "!"):
        return None
    if tag not in _ALLOWED_TAGS:
        raise _fail(display, line, f"tag '{tag.replace(_CORE, '!!')}' is not allowed; "
                    "remove it (pattern files hold plain text, lists and mappings)",
                    format_field(where or ()))
    return tag


def _scalar(event: yaml.ScalarEvent, tag: str | None) -> Any:
    if tag is None and event.style:  # quoted or block text is always a string
        return event.value
    if tag is None:
        tag = _RESOLVER.resolve(ScalarNode, event.value, event.implicit)
    node = ScalarNode(tag, event.value)
    if tag == _CORE + "int":
        return _CONSTRUCTOR.construct_yaml_int(node)
    if tag == _CORE + "float":
        return _CONSTRUCTOR.construct_yaml_float(node)
    if tag == _CORE + "bool":
        return _CONSTRUCTOR.construct_yaml_bool(node)
    if tag == _CORE + "null":
        return None
    return event.value  # str, and timestamps kept as written
