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
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import fastjsonschema

from generator.core import characters, markup
from generator.core.findings import Finding, format_field
from generator.core.loader import TEXT_KEYS, DataPath, Document

if TYPE_CHECKING:
    import jsonschema

SCHEMA_PATH = Path(__file__).parent / "schema" / "pattern.schema.json"
RETRO_SCHEMA_PATH = Path(__file__).parent / "schema" / "retro.schema.json"
BIBLIOGRAPHY_ID = "bibliography"  # patterns/bibliography.yaml is the bibliography, never a pattern
RESERVED_IDS = frozenset(
    "index search tags map en ko assets patterns catalogue start situations cards retro overview data "
    "sitemap sources 404 con prn aux nul com1 com2 com3 com4 com5 com6 com7 com8 com9 "
    "lpt1 lpt2 lpt3 lpt4 lpt5 lpt6 lpt7 lpt8 lpt9".split() + [BIBLIOGRAPHY_ID]
)


@cache
def pattern_schema() -> dict[str, Any]:
    """The pattern format, as editors see it."""
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


@cache
def _schema_validator(path: Path = SCHEMA_PATH) -> jsonschema.protocols.Validator:
    """jsonschema's validator: slower, but it reports every error with its path."""
    import jsonschema  # imported only when a file fails the fast check: it is a tenth of start-up

    schema = _inlined_schema(path)
    base = jsonschema.validators.validator_for(json.loads(path.read_text(encoding="utf-8")))
    # Editors read the schema's patterns as ECMA regexes, where `$` ends the value; Python's `$` also
    # matches before a final newline, so "2020-01-01\n" would pass. fastjsonschema already reads `$`
    # as the end; jsonschema is given the same meaning here.
    return jsonschema.validators.extend(base, {"pattern": _whole_value_pattern})(schema)


def _whole_value_pattern(validator: Any, pattern: str, instance: Any, schema: dict[str, Any]) -> Iterator[Any]:
    import jsonschema

    if validator.is_type(instance, "string") and not re.search(python_pattern(pattern), instance):
        yield jsonschema.ValidationError(f"{instance!r} does not match {pattern!r}")


@cache
def python_pattern(ecma_pattern: str) -> str:
    """A schema pattern for Python's `re`, with `$` meaning the end of the value as it does in ECMA."""
    return re.sub(r"(?<!\\)\$", r"\\Z", ecma_pattern)


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
def _schema_file(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


@cache
def _inlined_schema(path: Path) -> dict[str, Any]:
    return _inline_refs(_schema_file(path), path)


def _inline_refs(node: Any, path: Path) -> Any:
    """The schema with every `#/$defs/x` reference (here or in a sibling file) replaced by its definition.

    Resolving references is most of jsonschema's time on a file; the format has no recursive
    definitions, so inlining them once makes validating a thousand files several times faster.
    The bibliography's schema borrows definitions from the pattern schema's file, so each is
    declared once.
    """
    if isinstance(node, dict):
        ref = node.get("$ref", "")
        if "#/$defs/" in ref:
            file, name = ref.split("#/$defs/")
            where = path.parent / file if file else path
            definition = _schema_file(where)["$defs"][name]
            return {**_inline_refs(definition, where), **{k: v for k, v in node.items() if k != "$ref"}}
        return {k: _inline_refs(v, path) for k, v in node.items() if k != "$defs"}
    if isinstance(node, list):
        return [_inline_refs(item, path) for item in node]
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


def unreadable_reference(written: str, file: str) -> str:
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
    yield from _check_references(doc)
    yield from _check_parts(doc)


def _check_schema(doc: Document, schema: Path = SCHEMA_PATH) -> Iterator[Finding]:
    try:
        _fast_check(schema)(doc.data)
        return
    except fastjsonschema.JsonSchemaException:
        pass
    errors = list(_schema_validator(schema).iter_errors(doc.data))
    for error in errors:
        yield from _translate(doc, error)
    if not errors:  # the two checks must agree; if they ever did not, the file still does not pass
        yield _finding(doc, (), "does not match the format, but no detail could be found; "
                       "run `patterns validate` and report this")


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
        findings += _check_strings(doc, RETRO_SCHEMA_PATH)
        date = doc.data.get("date")
        if isinstance(date, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", date):
            problem = _date_problem(date, today)
            if problem:
                findings.append(_finding(doc, ("date",), problem))
        items = doc.data.get("patterns")
        noted: set[str] = set()  # a reference to an id an unreadable file may hold is noted once per file
        for index, ref in enumerate(items if isinstance(items, list) else []):
            if isinstance(ref, str) and ref in unreadable and ref not in pattern_ids | noted:
                findings.append(_finding(doc, ("patterns", index), unreadable_reference(ref, unreadable[ref]),
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
                        else _MOVED_IN_V2.get(str(name)) or f"; allowed here: {', '.join(known)}")
                guess = "" if str(name) in _MOVED_IN_V2 else _did_you_mean(str(name), known)
                yield _finding(doc, (*path, name), f"unknown field '{name}'{guess}{hint}")
    elif kind == "type":
        expected = schema["type"]
        if set(schema.get("properties", {})) == TEXT_KEYS:
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


# Fields of the first format, and where their content goes now (docs/format.md).
_MOVED_IN_V2 = {
    "sources": "; sources now live once, in patterns/bibliography.yaml: move each entry there and cite it by key",
    "source": "; a known use cites its sources as `cite: [{source: key, pages: \"…\"}]`",
    "locator": "; say where in the source with `pages` (works with page numbers) or `section: {ko: …, en: …}`",
}
_TYPE_NAMES = {"text": "text in both languages (ko: …, en: …)", "object": "a mapping of fields", "array": "a list", "string": "text", "integer": "a whole number"}


def _id_rule() -> str:
    return pattern_schema()["$defs"]["id"]["pattern"]


_PATTERN_NAMES = {
    r"^[a-z0-9]+(-[a-z0-9]+)*$": "an id of lowercase ASCII letters and digits joined by single hyphens "
                                 "(like build-trust)",
    "^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$": "an ISO 8601 date (YYYY, YYYY-MM or YYYY-MM-DD)",
    "^[0-9]{4}-[0-9]{2}-[0-9]{2}$": "an ISO 8601 date (YYYY-MM-DD)",
    r"^https?://[^\s]+$": "an http:// or https:// address",
    "^[0-9]{1,5}([–-][0-9]{1,5})?$": "a page or a range of pages, like \"604\" or \"597–599\" (no \"p.\")",
    "^[0-9a-f]{8}$": "the 8 hex digits `patterns confirm` writes",
    r"^[a-z_]+(\[[0-9]+\])?(\.[a-z_]+(\[[0-9]+\])?)*$": "a field path like solution, forces[2] or known_uses[1].summary",
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


def reserved_reason(pattern_id: str) -> str:
    """Why a reserved id cannot name a pattern."""
    if pattern_id == BIBLIOGRAPHY_ID:
        return f"'{pattern_id}' is reserved (patterns/{BIBLIOGRAPHY_ID}.yaml is the bibliography, not a pattern)"
    return f"'{pattern_id}' is reserved (it names a page of the site or a device on Windows)"


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
            yield _finding(doc, ("id",), f"{reserved_reason(pid)}; choose another id")


def _check_strings(doc: Document, schema: Path = SCHEMA_PATH) -> Iterator[Finding]:
    """Every string value as parsed (after YAML's escapes): visible, NFC, not blank; prose as the site shows it."""
    strings, texts = doc.contents
    # One look at all the file's text first, joined by spaces (which never compose with a neighbour):
    # most files have nothing to report, and then each string needs only the cheaper checks.
    whole = " ".join(value for _, value in strings)
    decomposed = not unicodedata.is_normalized("NFC", whole)
    unusual = bool(characters.control_characters(whole) or characters.invisible_characters(whole))
    for path, value in strings:
        kind = _kind(schema, path)
        is_prose = kind == "prose"
        if decomposed and not unicodedata.is_normalized("NFC", value):
            yield _finding(doc, path, "expected NFC text, got decomposed (NFD) characters, as some macOS tools "
                           "write Hangul; re-type the text or normalise the file to NFC")
        if value and not value.strip():
            yield _finding(doc, path, f"expected non-empty text, got only blanks ('{value}')")
            continue
        if unusual or (kind == "line" and ("\n" in value or "\r" in value or "\t" in value)):
            yield from _check_characters(doc, path, value, one_line=kind == "line")
        if is_prose:
            yield from _check_prose(doc, path, value)
    for path, obj in texts:
        if "ko" in obj and "en" not in obj:
            if path == ("title",):
                yield _finding(doc, path, "English title is missing; add `en:` (the English site cannot show "
                               "the pattern without it)")
            else:
                yield _finding(doc, path, "English text is missing; add `en:` (the English page shows the "
                               "Korean text until then)", "warning")


def _check_characters(doc: Document, path: DataPath, value: str, one_line: bool) -> Iterator[Finding]:
    """The first control or invisible character of a value, named with its field."""
    for char in characters.control_characters(value, one_line)[:1]:
        if char in "\t\n\r":
            yield _finding(doc, path, f"expected one line of text, got {characters.describe(char)}; "
                           "write it on one line")
        else:
            yield _finding(doc, path, f"expected visible text, got {characters.describe(char)}; delete it "
                           "(it is invisible in most editors)")
    for char in characters.invisible_characters(value)[:1]:
        yield _finding(doc, path, f"expected visible text, got {characters.describe(char)}; delete it",
                       snippet=char)


def _check_prose(doc: Document, path: DataPath, value: str) -> Iterator[Finding]:
    """Markup the site will show as text (the parser has no HTML), and links it will not make."""
    reported: set[str] = set()
    for problem in markup.problems(value):
        if problem.kind in reported:
            continue
        reported.add(problem.kind)
        where = value.split("\n")[problem.line] if problem.found not in value else problem.found
        if problem.kind == "html":
            yield _finding(doc, path, f"expected Markdown, got raw HTML '{problem.found}', which the site shows "
                           "as text; remove it, or put it in `backticks` to show it as code", snippet=where)
        elif problem.kind == "image":
            yield _finding(doc, path, f"expected no images, got '{problem.found}'; an image loads from another "
                           "host when the page opens (a privacy leak); link to it instead", snippet=where)
        else:
            relative = ":" not in problem.found.split("/")[0]
            yield _finding(doc, path, f"expected an http(s) or mailto link, got '{problem.found}'"
                           + ("; to link a pattern, write [[its-id]]" if relative else ""), snippet=where)


@lru_cache(maxsize=4096)
def _kind(schema: Path, path: DataPath) -> str:
    """A string field's kind (see `_field_kinds`); cached, as every file repeats the same few hundred paths."""
    return _field_kinds(schema).get(_shape(path), "line")


def _shape(path: DataPath) -> tuple[str, ...]:
    """A value's path with list positions as '*': ('forces', 2, 'en') -> ('forces', '*', 'en')."""
    return tuple("*" if isinstance(part, int) else part for part in path)


@cache
def _field_kinds(schema_path: Path) -> dict[tuple[str, ...], str]:
    """Each string field of a schema by shape: "prose" (Markdown, `$defs/prose`), "checked" (a pattern or
    choices say what it may hold, and their findings say it better), else "line" (one line of plain text).

    References are followed into sibling files, as `_inline_refs` follows them.
    """
    found: dict[tuple[str, ...], str] = {}

    def visit(node: Any, at: tuple[str, ...], where: Path, seen: frozenset[str]) -> None:
        if not isinstance(node, dict):
            return
        ref = node.get("$ref", "")
        if "#/$defs/" in ref:
            file, name = ref.split("#/$defs/")
            target = where.parent / file if file else where
            if name == "prose":
                found[at] = "prose"
            elif f"{target}#{name}" not in seen:
                definition = _schema_file(target)["$defs"][name]
                visit({**definition, **{k: v for k, v in node.items() if k != "$ref"}}, at, target,
                      seen | {f"{target}#{name}"})
            return
        if "pattern" in node or "enum" in node:
            found[at] = "checked"
        for name, sub in node.get("properties", {}).items():
            visit(sub, (*at, name), where, seen)
        if isinstance(node.get("items"), dict):
            visit(node["items"], (*at, "*"), where, seen)

    visit(_schema_file(schema_path), (), schema_path, frozenset())
    return found


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
            elif field == "former_ids" and item in RESERVED_IDS:
                yield _finding(doc, (field, index), f"{reserved_reason(item)}; its address cannot redirect here, "
                               "remove it")
            seen.add(item)


def _check_parts(doc: Document) -> Iterator[Finding]:
    """Known-use ids (they become anchors) and the forces, which additions may hold."""
    uses = doc.data.get("known_uses")
    ids: dict[str, int] = {}
    for index, use in enumerate(uses if isinstance(uses, list) else []):
        use_id = use.get("id") if isinstance(use, dict) else None
        if not isinstance(use_id, str):
            continue
        if use_id in ids:
            yield _finding(doc, ("known_uses", index, "id"), f"known use id '{use_id}' is already used by known_uses"
                           f"[{ids[use_id]}]; ids are unique within a pattern")
        elif use_id.isdigit():
            yield _finding(doc, ("known_uses", index, "id"), f"expected an id with a letter, got '{use_id}', which "
                           "would clash with the numbered anchors (#known-use-1 …) of known uses without an id")
        ids.setdefault(use_id, index)
    forces, additions = doc.data.get("forces"), doc.data.get("additions")
    added = [a for a in additions if isinstance(a, dict) and a.get("section") == "forces"] \
        if isinstance(additions, list) else []
    if isinstance(forces, list) and not forces and not added:
        yield _finding(doc, ("forces",), "expected at least one force, in forces or in additions "
                       "(section: forces), got none")
    for index, addition in enumerate(additions if isinstance(additions, list) else []):
        if isinstance(addition, dict) and "ko" in addition and "en" not in addition:
            yield _finding(doc, ("additions", index), "English text is missing; add `en:` (the English page "
                           "shows the Korean text until then)", "warning")


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
        for field in ("builds_on", "see_also"):
            items = doc.data.get(field)
            for index, ref in enumerate(items if isinstance(items, list) else []):
                if isinstance(ref, str) and ref not in owners and ref != doc.data.get("id") and ref not in unreadable:
                    yield _finding(doc, (field, index), f"expected the id of a pattern in patterns/, got "
                                   f"'{ref}'{_did_you_mean(ref, ids)}")
        yield from _references_to_unreadable(doc, owners, unreadable)
    yield from _check_tags(docs)


def _references_to_unreadable(doc: Document, owners: dict[str, Document],
                               unreadable: dict[str, str]) -> Iterator[Finding]:
    """One warning per id that only an unreadable file may hold, at the first place this file names it
    (builds_on, see_also or a mention), instead of an "unknown id" error for each."""
    if not unreadable:
        return
    places: dict[str, list[tuple[DataPath, str]]] = {}
    for field in ("builds_on", "see_also"):
        items = doc.data.get(field)
        for index, ref in enumerate(items if isinstance(items, list) else []):
            if isinstance(ref, str) and ref in unreadable and ref not in owners:
                places.setdefault(ref, []).append(((field, index), ref))
    for path, value in doc.contents[0] if "[[" in doc.source else ():
        for mention in markup.mentions(value) if "[[" in value else ():
            if mention.id in unreadable and mention.id not in owners:
                places.setdefault(mention.id, []).append((path, f"[[{mention.raw}]]"))
    for ref, found in places.items():
        path, written = min(found, key=lambda place: doc.line_of(place[0]))
        yield _finding(doc, path, unreadable_reference(written, unreadable[ref]), "warning")


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
