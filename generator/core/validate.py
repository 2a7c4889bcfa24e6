"""Check loaded pattern files against the declared format and against each other.

Every check runs on every file and returns findings; nothing stops at the first
problem, so an editor sees all of them in one run. The format itself lives in one
JSON Schema file, which editors' tools read too, so the two cannot drift.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import re
import unicodedata
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import fastjsonschema

from generator.core import text as markdown
from generator.core.findings import Finding, format_field
from generator.core.loader import DataPath, Document

if TYPE_CHECKING:
    import jsonschema

SCHEMA_PATH = Path(__file__).parent / "schema" / "pattern.schema.json"
RETRO_SCHEMA_PATH = Path(__file__).parent / "schema" / "retro.schema.json"
RESERVED_IDS = frozenset(
    "index search tags map en ko assets patterns catalogue start situations cards retro overview data "
    "sitemap 404 con prn aux nul com1 com2 com3 com4 com5 com6 com7 com8 com9 "
    "lpt1 lpt2 lpt3 lpt4 lpt5 lpt6 lpt7 lpt8 lpt9".split()
)
_TEXT_KEYS = frozenset({"ko", "en"})


@cache
def pattern_schema() -> dict[str, Any]:
    """The pattern format, as editors see it."""
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


@cache
def _schema_validator(path: Path = SCHEMA_PATH) -> jsonschema.protocols.Validator:
    """jsonschema's validator: slower, but it reports every error with its path."""
    import jsonschema  # imported only when a file fails the fast check: it is a tenth of start-up

    schema = _inlined_schema(path)
    return jsonschema.validators.validator_for(json.loads(path.read_text(encoding="utf-8")))(schema)


@cache
def _fast_check(path: Path = SCHEMA_PATH) -> Callable[[Any], Any]:
    """fastjsonschema's compiled check: twenty times faster, but it stops at the first error.

    Most files are valid, so they pass through this gate alone; only a failing file is
    validated again by jsonschema, which names every error.
    """
    schema = {**_inlined_schema(path), "$schema": "http://json-schema.org/draft-07/schema#"}
    # A gate only: its errors are never shown, so its code need not carry their details, which
    # makes compiling it (in every process) four times faster.
    return fastjsonschema.compile(schema, detailed_exceptions=False)


@cache
def _inlined_schema(path: Path) -> dict[str, Any]:
    schema = json.loads(path.read_text(encoding="utf-8"))
    return _inline_refs(schema, schema.get("$defs", {}))


def _inline_refs(node: Any, defs: dict[str, Any]) -> Any:
    """The schema with every local `#/$defs/x` reference replaced by its definition.

    Resolving references is most of jsonschema's time on a file; the format has no recursive
    definitions, so inlining them once makes validating a thousand files several times faster.
    """
    if isinstance(node, dict):
        ref = node.get("$ref", "")
        if ref.startswith("#/$defs/"):
            merged = {**_inline_refs(defs[ref.removeprefix("#/$defs/")], defs), **{k: v for k, v in node.items()
                                                                                  if k != "$ref"}}
            return merged
        return {k: _inline_refs(v, defs) for k, v in node.items() if k != "$defs"}
    if isinstance(node, list):
        return [_inline_refs(item, defs) for item in node]
    return node


def check_document(doc: Document, today: dt.date) -> list[Finding]:
    """The findings of one file on its own (format, text, sources, references to itself)."""
    return list(_check_document(doc, today))


def check_across(docs: list[Document], unreadable: dict[str, str] | None = None) -> list[Finding]:
    """The findings that need all files at once (ids, former ids, tags).

    `unreadable` maps the ids that files which could not be read may hold to those files: a
    reference to one of them is not reported as unknown, since the fault is in that file.
    """
    return list(_check_across([doc for doc in docs if isinstance(doc.data, dict)], unreadable or {}))


def _unreadable_reference(written: str, file: str) -> str:
    """What to say of a reference (as written) to an id that only a file that could not be read may hold."""
    return f"refers to '{written}', which may be the id of the unreadable file {file}; fix that file first"


def _finding(doc: Document, path: DataPath, message: str, severity: str = "error", snippet: str = "") -> Finding:
    line = doc.line_within(path, snippet) if snippet else doc.line_of(path)
    return Finding(doc.display, line, format_field(path), message, severity)  # type: ignore[arg-type]


def _check_document(doc: Document, today: dt.date) -> Iterator[Finding]:
    if not isinstance(doc.data, dict):
        yield _finding(doc, (), f"expected a mapping of pattern fields (id: …, title: …), got {_describe(doc, ())}")
        return
    yield from _check_schema(doc)
    yield from _check_file_name(doc)
    yield from _check_strings(doc)
    yield from _check_sources(doc, today)
    yield from _check_references(doc)


def _check_schema(doc: Document, schema: Path = SCHEMA_PATH) -> Iterator[Finding]:
    try:
        _fast_check(schema)(doc.data)
        return
    except fastjsonschema.JsonSchemaException:
        pass
    for error in _schema_validator(schema).iter_errors(doc.data):
        yield from _translate(doc, error)


def validate_retros(docs: list[Document], pattern_ids: set[str], today: dt.date | None = None,
                    unreadable: dict[str, str] | None = None) -> list[Finding]:
    """Findings for retrospective records: their own format, real past dates, known pattern ids."""
    today = today or dt.date.today()
    unreadable = unreadable or {}
    findings: list[Finding] = []
    known = sorted(pattern_ids)
    for doc in docs:
        if not isinstance(doc.data, dict):
            findings.append(_finding(doc, (), f"expected a mapping (date: …, team: …, patterns: […]), "
                                             f"got {_describe(doc, ())}"))
            continue
        findings += _check_schema(doc, RETRO_SCHEMA_PATH)
        findings += _check_strings(doc)
        date = doc.data.get("date")
        if isinstance(date, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", date):
            problem = _date_problem(date, today)
            if problem:
                findings.append(_finding(doc, ("date",), problem))
        items = doc.data.get("patterns")
        noted: set[str] = set()  # a reference to an id an unreadable file may hold is noted once per file
        for index, ref in enumerate(items if isinstance(items, list) else []):
            if isinstance(ref, str) and ref in unreadable and ref not in pattern_ids | noted:
                findings.append(_finding(doc, ("patterns", index), _unreadable_reference(ref, unreadable[ref]),
                                         "warning"))
                noted.add(ref)
            elif isinstance(ref, str) and ref not in pattern_ids and ref not in noted:
                findings.append(_finding(doc, ("patterns", index), f"expected the id of a pattern in patterns/, "
                                                                   f"got '{ref}'{_did_you_mean(ref, known)}"))
    return sorted(set(findings))


def _translate(doc: Document, error: jsonschema.ValidationError) -> Iterator[Finding]:
    path: DataPath = tuple(error.absolute_path)
    kind, schema, value = error.validator, error.schema, error.instance
    if kind == "required":
        for name in schema["required"]:
            if isinstance(value, dict) and name not in value:
                yield _finding(doc, (*path, name), f"required field is missing; add `{name}:`"
                               + (" with Korean text" if name == "ko" else ""))
    elif kind == "additionalProperties":
        known = sorted(schema.get("properties", {}))
        for name in value:
            if name not in known:
                source = doc.source_line(doc.line_of((*path, name)))
                in_braces = " " in str(name) and -1 < source.find("{") < source.find(str(name))
                hint = ("; a comma inside { } ends a value, so quote text that has one" if in_braces
                        else f"; allowed here: {', '.join(known)}")
                yield _finding(doc, (*path, name), f"unknown field '{name}'{_did_you_mean(str(name), known)}{hint}")
    elif kind == "type":
        expected = schema["type"]
        if set(schema.get("properties", {})) == _TEXT_KEYS:
            expected = "text"
        yield _finding(doc, path, f"expected {_TYPE_NAMES[expected]}, got {_describe(doc, path)}"
                       + _quote_hint(doc, path, expected))
    elif kind == "minLength":
        yield _finding(doc, path, f"expected non-empty text, got {_describe(doc, path)}")
    elif kind == "maxLength":
        yield _finding(doc, path, f"expected at most {schema['maxLength']:,} characters, got {len(value):,}")
    elif kind == "pattern":
        yield _finding(doc, path, f"expected {_PATTERN_NAMES.get(schema['pattern'], 'a value matching ' + schema['pattern'])}"
                       f", got {_describe(doc, path)}")
    elif kind == "enum":
        options = [str(o) for o in schema["enum"]]
        yield _finding(doc, path, f"expected one of {', '.join(options)}, got {_describe(doc, path)}"
                       f"{_did_you_mean(str(value), options)}")
    elif kind in ("minItems", "maxItems"):
        low, high = schema.get("minItems"), schema.get("maxItems")
        span = f"{low} to {high}" if low and high else f"at least {low}" if low else f"at most {high}"
        noun = "item" if (high or low) == 1 and not (low and high) else "items"
        yield _finding(doc, path, f"expected {span} {noun}, got {len(value)}")
    elif kind in ("minimum", "maximum"):
        yield _finding(doc, path, f"expected a number from {schema.get('minimum', '…')} to "
                       f"{schema.get('maximum', '…')}, got {_describe(doc, path)}")
    else:  # pragma: no cover - the schema uses only the keywords above
        yield _finding(doc, path, error.message)


_TYPE_NAMES = {"text": "text in both languages (ko: …, en: …)", "object": "a mapping of fields", "array": "a list", "string": "text", "integer": "a whole number"}


def _id_rule() -> str:
    return pattern_schema()["$defs"]["id"]["pattern"]


_PATTERN_NAMES = {
    r"^[a-z0-9]+(-[a-z0-9]+)*$": "an id of lowercase ASCII letters and digits joined by single hyphens "
                                 "(like build-trust)",
    "^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$": "an ISO 8601 date (YYYY, YYYY-MM or YYYY-MM-DD)",
    "^[0-9]{4}-[0-9]{2}-[0-9]{2}$": "an ISO 8601 date (YYYY-MM-DD)",
    r"^https?://[^\s]+$": "an http:// or https:// address",
}


def _describe(doc: Document, path: DataPath) -> str:
    """A found value in words, as the editor typed it (no Python reprs)."""
    value: Any = doc.data
    for part in path:
        value = value[part]
    raw = doc.raw(path)
    if value is None:
        return "nothing (an empty value)"
    if isinstance(value, bool):
        return f"true/false (written {raw or str(value).lower()})"
    if isinstance(value, (int, float)):
        return f"the number {raw or value}"
    if isinstance(value, list):
        return f"a list of {len(value)}"
    if isinstance(value, dict):
        return "a mapping"
    shown = value if len(value) <= 40 else value[:37] + "…"
    return f"'{shown}'"


def _quote_hint(doc: Document, path: DataPath, expected: str) -> str:
    raw = doc.raw(path)
    if expected == "string" and raw is not None:
        return f"; YAML reads an unquoted {raw} as a {'yes/no value' if raw.lower() in _BOOLS else 'number'}, " \
               f"so write \"{raw}\""
    return ""


_BOOLS = {"yes", "no", "on", "off", "true", "false", "y", "n"}


def _did_you_mean(word: str, options: list[str]) -> str:
    close = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _check_file_name(doc: Document) -> Iterator[Finding]:
    stem = doc.path.stem  # the loader names a wrong suffix (.yml, .YAML)
    if not re.fullmatch(_id_rule(), stem):
        yield Finding(doc.display, 0, "", f"file name '{doc.path.name}' is not a valid id: use lowercase ASCII "
                      "letters and digits joined by hyphens, like build-trust.yaml")
    pid = doc.data.get("id")
    if isinstance(pid, str):
        if pid != stem and re.fullmatch(_id_rule(), stem):
            yield _finding(doc, ("id",), f"expected '{stem}' (the file name), got '{pid}'; "
                           "the id and the file name must match")
        if pid in RESERVED_IDS:
            yield _finding(doc, ("id",), f"'{pid}' is reserved (it names a page of the site or a device on "
                           "Windows); choose another id")


def _contents(data: Any) -> tuple[list[tuple[DataPath, str]], list[tuple[DataPath, dict[str, Any]]]]:
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
            if value and value.keys() <= _TEXT_KEYS:
                texts.append((path, value))
            stack += reversed([((*path, key), item) for key, item in value.items()])
        elif isinstance(value, list):
            stack += reversed([((*path, index), item) for index, item in enumerate(value)])
    return strings, texts


def _check_strings(doc: Document) -> Iterator[Finding]:
    strings, texts = _contents(doc.data)
    # One look at all the file's text first, joined by U+0000 (which never composes with a
    # neighbour and is not invisible here): most files have nothing to report, and then each
    # string needs only the markup check.
    whole = "\0".join(value for _, value in strings)
    decomposed = not unicodedata.is_normalized("NFC", whole)
    invisible = bool(markdown.invisible_characters(whole))
    for path, value in strings:
        if decomposed and not unicodedata.is_normalized("NFC", value):
            yield _finding(doc, path, "expected NFC text, got decomposed (NFD) characters, as some macOS tools "
                           "write Hangul; re-type the text or normalise the file to NFC")
        for char, name in markdown.invisible_characters(value)[:1] if invisible else ():
            yield _finding(doc, path, f"expected visible text, got the invisible character {name}; delete it",
                           snippet=char)
        if not markdown.may_hold_markup(value):
            continue
        for tag in markdown.raw_html(value)[:1]:
            yield _finding(doc, path, f"expected Markdown, got raw HTML '{tag}'; remove it, or put it in "
                           "`backticks` to show it as code", snippet=tag)
        for attrs in markdown.attribute_lists(value)[:1]:
            yield _finding(doc, path, f"expected Markdown, got an attribute list '{attrs}', which would set "
                           "HTML attributes; remove it", snippet=attrs)
        for link in markdown.links(value):
            scheme = markdown.scheme(link.target)
            if link.is_image:
                yield _finding(doc, path, f"expected no images, got '{link.target}'; an image loads from another "
                               "host when the page opens (a privacy leak); link to it instead", snippet=link.target)
            elif scheme not in markdown.SAFE_SCHEMES:
                yield _finding(doc, path, f"expected an http(s) or mailto link, got '{link.target}'"
                               + ("; to link a pattern, write [[its-id]]" if not scheme else ""), snippet=link.target)
    for path, obj in texts:
        for lang in ("ko", "en"):
            if isinstance(obj.get(lang), str) and obj[lang].isspace():
                yield _finding(doc, (*path, lang), f"expected non-empty text, got {_describe(doc, (*path, lang))}")
        if "ko" in obj and "en" not in obj:
            yield _finding(doc, path, "English text is missing; add `en:` (the English page shows the "
                           "Korean text until then)", "warning")


def _check_sources(doc: Document, today: dt.date) -> Iterator[Finding]:
    sources = doc.data.get("sources")
    sources = sources if isinstance(sources, list) else []
    keys: dict[str, int] = {}
    for index, source in enumerate(sources):
        if not isinstance(source, dict):
            continue
        key = source.get("key")
        if isinstance(key, str):
            if key in keys:
                yield _finding(doc, ("sources", index, "key"), f"duplicate source key '{key}' "
                               f"(also sources[{keys[key]}]); keep one")
            keys.setdefault(key, index)
        date = source.get("date")
        if isinstance(date, str) and re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", date):
            problem = _date_problem(date, today)
            if problem:
                yield _finding(doc, ("sources", index, "date"), problem)
    cited: set[str] = set()
    uses = doc.data.get("known_uses")
    citations: list[tuple[DataPath, Any]] = [(("origin", "source"), (doc.data.get("origin") or {}).get("source")
                                              if isinstance(doc.data.get("origin"), dict) else None)]
    citations += [(("known_uses", i, "source"), u.get("source") if isinstance(u, dict) else None)
                  for i, u in enumerate(uses if isinstance(uses, list) else [])]
    for path, key in citations:
        if isinstance(key, str):
            cited.add(key)
            if key not in keys:
                yield _finding(doc, path, f"expected the key of an entry in sources, "
                               f"got '{key}'{_did_you_mean(key, sorted(keys))}; add the source or fix the key")
    for key, index in keys.items():
        if key not in cited:
            yield _finding(doc, ("sources", index, "key"), f"source '{key}' is cited neither by origin nor by a "
                           "known use; cite it or remove it", "warning")


def _date_problem(date: str, today: dt.date) -> str:
    parts = [int(p) for p in date.split("-")]
    year, month, day = (parts + [1, 1])[:3]
    try:
        when = dt.date(year, month, day)
    except ValueError:
        return f"expected a real calendar date, got '{date}'"
    if when > today:
        return f"expected a date in the past, got '{date}'"
    return ""


def _check_references(doc: Document) -> Iterator[Finding]:
    pid = doc.data.get("id")
    for field in ("builds_on", "see_also", "former_ids"):
        items = doc.data.get(field)
        seen: set[str] = set()
        for index, item in enumerate(items if isinstance(items, list) else []):
            if not isinstance(item, str):
                continue
            if item == pid:
                yield _finding(doc, (field, index), f"expected another pattern's id, got this pattern's own id "
                               f"'{item}'; remove it")
            elif item in seen:
                yield _finding(doc, (field, index), f"'{item}' is listed twice; keep one")
            seen.add(item)


def _check_across(docs: list[Document], unreadable: dict[str, str]) -> Iterator[Finding]:
    owners: dict[str, Document] = {}
    # The file named after an id owns it; any other file claiming it is the one to fix.
    for doc in sorted(docs, key=lambda d: d.data.get("id") != d.path.stem):
        pid = doc.data.get("id")
        if isinstance(pid, str):
            if pid in owners:
                yield _finding(doc, ("id",), f"id '{pid}' is already used by {owners[pid].display}; ids are unique")
            owners.setdefault(pid, doc)
    ids = sorted(owners)
    former: dict[str, Document] = {}
    for doc in docs:
        items = doc.data.get("former_ids")
        for index, old in enumerate(items if isinstance(items, list) else []):
            if not isinstance(old, str):
                continue
            if old in owners:
                yield _finding(doc, ("former_ids", index), f"'{old}' is the id of {owners[old].display}; a former "
                               "id must not be in use")
            elif old in former and former[old] is not doc:
                yield _finding(doc, ("former_ids", index), f"'{old}' is also a former id of {former[old].display}")
            former.setdefault(old, doc)
    for doc in docs:
        # A reference to an id an unreadable file may hold is noted once per file, at its first line.
        maybe: dict[str, list[tuple[DataPath, str]]] = {}
        for field in ("builds_on", "see_also"):
            items = doc.data.get(field)
            for index, ref in enumerate(items if isinstance(items, list) else []):
                if isinstance(ref, str) and ref not in owners and ref != doc.data.get("id"):
                    if ref in unreadable:
                        maybe.setdefault(ref, []).append(((field, index), ref))
                    else:
                        yield _finding(doc, (field, index), f"expected the id of a pattern in patterns/, got "
                                       f"'{ref}'{_did_you_mean(ref, ids)}")
        # Only text with "[[" can mention a pattern; a backslash escape could write one in quotes.
        for path, value in _contents(doc.data)[0] if "[[" in doc.source or "\\" in doc.source else ():
            for ref in markdown.mentions(value) if "[[" in value else ():
                if ref in unreadable and ref not in owners:
                    maybe.setdefault(ref, []).append((path, f"[[{ref}]]"))
                elif ref not in owners:
                    yield _finding(doc, path, f"expected [[id]] of a pattern in patterns/, got '[[{ref}]]'"
                                   f"{_did_you_mean(ref, ids)}")
        for ref, places in maybe.items():
            path, written = min(places, key=lambda place: doc.line_of(place[0]))
            yield _finding(doc, path, _unreadable_reference(written, unreadable[ref]), "warning")
    yield from _check_tags(docs)


def _check_tags(docs: list[Document]) -> Iterator[Finding]:
    """The same English tag must carry the same Korean name everywhere, or tag pages split.

    The name most files use is taken as right, so the finding lands on the odd one out.
    """
    uses: dict[str, list[tuple[str, Document, int]]] = {}
    for doc in docs:
        tags = doc.data.get("tags")
        for index, tag in enumerate(tags if isinstance(tags, list) else []):
            if isinstance(tag, dict) and isinstance(tag.get("en"), str) and isinstance(tag.get("ko"), str):
                uses.setdefault(tag["en"].strip().lower(), []).append((tag["ko"], doc, index))
    for en, found in uses.items():
        names = [name for name, _, _ in found]
        usual = max(dict.fromkeys(names), key=names.count)
        witness = next(doc for name, doc, _ in found if name == usual)
        for name, doc, index in found:
            if name != usual:
                yield _finding(doc, ("tags", index, "ko"), f"expected '{usual}' (the Korean name of tag "
                               f"'{en}' in {witness.display}), got '{name}'")
