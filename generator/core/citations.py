"""Citations: pattern files citing the bibliography by key, checked against it and written per language.

A citation names a source and, optionally, where in it: `pages` for works printed with page
numbers, `section` (a heading, a part) for the rest. Blog posts have no pages, so a page
number on one, even in words inside `section`, is an error rather than a style choice.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from generator.core.bibliography import BIBLIOGRAPHY_FILE, page_span
from generator.core.findings import Finding
from generator.core.loader import DataPath, Document
from generator.core.validate import _did_you_mean, _finding

if TYPE_CHECKING:
    from generator.core.model import Citation, Lang

# Page references as editors write them: "p. 12", "pp. 1–2", "page 3", "12쪽", "쪽 12", "12페이지".
_PAGE_WORDS = re.compile(r"\bpp?\.\s*\d|\bpages?\s+\d|\d\s*(?:쪽|페이지)|(?:쪽|페이지)\s*\d", re.IGNORECASE)


def citations_of(data: dict[str, Any]) -> Iterator[tuple[DataPath, dict[str, Any]]]:
    """Every citation in a pattern file's data, with its path: origin, known uses' and additions' `cite`."""
    if isinstance(data.get("origin"), dict):
        yield ("origin",), data["origin"]
    for field in ("known_uses", "additions"):
        items = data.get(field)
        for i, item in enumerate(items if isinstance(items, list) else []):
            cites = item.get("cite") if isinstance(item, dict) else None
            for j, citation in enumerate(cites if isinstance(cites, list) else []):
                if isinstance(citation, dict):
                    yield (field, i, "cite", j), citation


def check_citations(docs: list[Document], bibliography: Document | None, complete: bool = True) -> list[Finding]:
    """Findings for every citation against the bibliography, and for sources nothing cites.

    Without a readable bibliography the only finding is the bibliography's own: a missing file,
    or the reason it cannot be read, not one more error per citation. When some pattern file
    could not be read (`complete` is false), a source may be cited there, so none is called uncited.
    """
    if bibliography is None or not isinstance(bibliography.data, dict):
        return []
    entries = bibliography.data.get("sources")
    sources = {s["key"]: (i, s) for i, s in enumerate(entries if isinstance(entries, list) else [])
               if isinstance(s, dict) and isinstance(s.get("key"), str)}
    findings: list[Finding] = []
    cited: set[str] = set()
    for doc in docs:
        if not isinstance(doc.data, dict):
            continue
        for path, citation in citations_of(doc.data):
            key = citation.get("source")
            if not isinstance(key, str) or not key:  # a blank key is the schema's finding
                continue
            cited.add(key)
            if key not in sources:
                findings.append(_finding(doc, (*path, "source"), f"expected the key of a source in "
                                         f"patterns/{BIBLIOGRAPHY_FILE}, got '{key}'"
                                         f"{_did_you_mean(key, sorted(sources))}; add the source there or fix the key"))
                continue
            findings += _check_location(doc, path, citation, key, sources[key][1])
    for key, (index, _) in sources.items() if complete else ():
        if key not in cited:
            findings.append(_finding(bibliography, ("sources", index, "key"), f"source '{key}' is cited by no "
                                     "pattern (origin, known use or addition); cite it or remove it", "warning"))
    return findings


def _check_location(doc: Document, path: DataPath, citation: dict[str, Any], key: str,
                    source: dict[str, Any]) -> Iterator[Finding]:
    pages, own = citation.get("pages"), source.get("pages")
    kind = source.get("kind", "source")
    if isinstance(pages, str) and (span := page_span(pages)):
        own_span = page_span(own) if isinstance(own, str) else None
        if own is None:
            yield _finding(doc, (*path, "pages"), f"expected no pages: '{key}' (a {kind}) has no page numbers; "
                           "remove pages, or name the part of it in `section: {ko: …, en: …}`")
        elif span[0] > span[1]:
            yield _finding(doc, (*path, "pages"), f"expected the first page before the last, got '{pages}'")
        elif own_span and not (own_span[0] <= span[0] and span[1] <= own_span[1]):
            yield _finding(doc, (*path, "pages"), f"expected pages within {own} (the pages of '{key}'), "
                           f"got '{pages}'")
    section = citation.get("section")
    if own is None and isinstance(section, dict):
        for lang, words in section.items():
            if isinstance(words, str) and _PAGE_WORDS.search(words):
                yield _finding(doc, (*path, "section", lang), f"expected the name of a part of the source, got a "
                               f"page reference in '{words}': '{key}' (a {kind}) has no page numbers; name its "
                               "heading or part instead")


def format_pages(pages: str, lang: Lang) -> str:
    """Pages as each language writes them: ko "597–599쪽", "604쪽"; en "pp. 597–599", "p. 604"."""
    span = page_span(pages)
    if span is None:
        return pages
    shown = str(span[0]) if span[0] == span[1] else f"{span[0]}–{span[1]}"  # an en dash, whatever was typed
    if lang == "ko":
        return f"{shown}쪽"
    return f"p. {shown}" if span[0] == span[1] else f"pp. {shown}"


def citation_place(citation: Citation, lang: Lang) -> str:
    """Where in the source, in one language: its pages, its section, or both; '' when neither is given."""
    parts = [format_pages(citation.pages, lang)] if citation.pages else []
    if citation.section:
        parts.append(citation.section(lang))
    return ", ".join(parts)
