"""The one bibliography (`patterns/bibliography.yaml`): every source the patterns cite, each once.

Sources used to be copied into each pattern file that cited them, and the copies drifted. Now
each lives once, here, and patterns cite it by key (`citations`). This file is read and checked
beside the patterns but is never a pattern: its name is reserved as a pattern id.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

from generator.core.findings import Finding
from generator.core.loader import Document
from generator.core.validate import BIBLIOGRAPHY_ID, _check_schema, _check_strings, _date_problem, _describe, _finding

BIBLIOGRAPHY_FILE = f"{BIBLIOGRAPHY_ID}.yaml"
BIBLIOGRAPHY_SCHEMA_PATH = Path(__file__).parent / "schema" / "bibliography.schema.json"
_PAGES = re.compile(r"([0-9]+)(?:[–-]([0-9]+))?")


def page_span(pages: str) -> tuple[int, int] | None:
    """A page or range ("604", "597–599", "597-599") as (first, last); None if it is not one."""
    m = _PAGES.fullmatch(pages.strip())
    if not m:
        return None
    first = int(m.group(1))
    return first, int(m.group(2) or first)


def check_bibliography(doc: Document, today: dt.date) -> list[Finding]:
    """The bibliography's own findings: its format, its text, and the rules of each entry."""
    if not isinstance(doc.data, dict):
        return [_finding(doc, (), f"expected a mapping with a list of sources (sources: [- key: …]), "
                                  f"got {_describe(doc, ())}")]
    return [*_check_schema(doc, BIBLIOGRAPHY_SCHEMA_PATH), *_check_strings(doc, BIBLIOGRAPHY_SCHEMA_PATH),
            *_check_entries(doc, today)]


def _check_entries(doc: Document, today: dt.date) -> Iterator[Finding]:
    sources = doc.data.get("sources")
    keys: dict[str, int] = {}
    for index, source in enumerate(sources if isinstance(sources, list) else []):
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
        pages = source.get("pages")
        span = page_span(pages) if isinstance(pages, str) else None
        if span and span[0] > span[1]:
            yield _finding(doc, ("sources", index, "pages"), f"expected the first page before the last, got '{pages}'")
        unknown = [name for name in ("title", "author", "date") if name not in source]
        if unknown and "note" not in source:
            yield _finding(doc, ("sources", index), f"expected a note: the {' and '.join(unknown)} of this source "
                           f"{'is' if len(unknown) == 1 else 'are'} not given; add `note: {{ko: …, en: …}}` "
                           "saying what is not known")
