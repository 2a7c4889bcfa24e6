"""A thousand hostile values in every text field of patterns and retros: the built site stays inert.

The validator's text checks are switched off here, since the site's safety must not depend on them:
only the format (schema) still holds, as it must for the model to be built. Two builds: the second
puts every value into a different kind of field than the first (plain text there, prose here).
Each built site is scanned (it also is in the build) and read in Chromium at a desktop viewport:
no dialog, no marker set by a script, no script error, no request to another host.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from conftest import FIXTURES, build_site, copy_project, serve
from generator.core import bibliography, catalogue, validate
from generator.core.site_scan import scan_site
from hostile import Guard, payloads

PATTERNS = 13
DESKTOP = {"width": 1280, "height": 800}


def _filler(values: list[str]) -> Iterator[str]:
    """The values in turn, then harmless words once they run out."""
    yield from values
    while True:
        yield "plain words"


def _sources(index: int, take: Iterator[str]) -> list[dict[str, object]]:
    """Two bibliography entries of one pattern, every text of them hostile."""
    def text() -> dict[str, str]:
        return {"ko": next(take), "en": next(take)}

    return [{"key": f"src-{index}-{n}", "kind": "book" if n else "blog-post", "lang": "en" if n else "ko",
             "title": next(take)[:300], "title_en": next(take)[:300], "author": next(take)[:300],
             "container": next(take)[:300], "editors": next(take)[:300], "publisher": next(take)[:200],
             "date": "2020-05", "pages": "1–300", "note": text(),
             "url": "https://example.com/\"><img/src=x/onerror=alert(9)>'"} for n in range(2)]


def _pattern(index: int, take: Iterator[str], ids: list[str]) -> dict[str, object]:
    def text() -> dict[str, str]:
        return {"ko": next(take), "en": next(take)}

    def cite(n: int) -> dict[str, object]:
        return {"source": f"src-{index}-{n}", "section": text(), **({"pages": "12–14"} if n else {})}

    pid = ids[index]
    return {
        "id": pid, "order": index + 1, "status": "candidate" if index % 2 else "established",
        "title": text(), "aliases": [text() for _ in range(3)], "summary": text(), "note": text(),
        "problem": text(), "context": text(), "forces": [text() for _ in range(4)], "solution": text(),
        "resulting_context": text(), "rationale": text(),
        "additions": [{"section": section, **text(), "cite": [cite(n)]}
                      for n, section in enumerate(("solution", "forces"))],
        "known_uses": [{"id": f"use-{n}", "title": text(), "summary": text(), "cite": [cite(n)],
                        "kind": "use" if n else "counterexample"} for n in range(2)],
        "origin": cite(1),
        "builds_on": ids[:index][-2:], "see_also": ids[index + 1 :][:1], "tags": [text() for _ in range(2)],
        "situations": [text() for _ in range(6)], "questions": [text() for _ in range(4)],
    }


def _project(root: Path, values: list[str]) -> tuple[Path, list[str]]:
    project = copy_project(FIXTURES / "site", root)
    for old in (project / "patterns").glob("*.yaml"):
        old.unlink()
    for old in (project / "retros").glob("*.yaml"):
        old.unlink()
    ids = ["first-contact", *(f"hostile-{n}" for n in range(1, PATTERNS))]
    take = _filler(values)
    sources = [source for index in range(len(ids)) for source in _sources(index, take)]
    (project / "patterns" / "bibliography.yaml").write_text(json.dumps({"sources": sources}, indent=1), encoding="utf-8")
    for index, pid in enumerate(ids):
        (project / "patterns" / f"{pid}.yaml").write_text(json.dumps(_pattern(index, take, ids)),
                                                          encoding="utf-8")
    for n in range(8):
        retro = {"date": f"2025-0{n + 1}-1{n}", "team": next(take)[:100], "patterns": ids[n % 3 :][:2],
                 "lesson": next(take)}
        (project / "retros" / f"2025-{n}.yaml").write_text(json.dumps(retro), encoding="utf-8")
    left = next(take)
    assert left == "plain words", "more values than fields: add patterns"
    return project, ids


@pytest.fixture
def unvalidated_text(monkeypatch: pytest.MonkeyPatch) -> None:
    """The validator with its text checks off: characters, HTML, links and mentions are not looked at."""
    unchecked = lambda doc, schema=validate.SCHEMA_PATH: iter(())  # noqa: E731
    monkeypatch.setattr(validate, "_check_strings", unchecked)
    monkeypatch.setattr(bibliography, "_check_strings", unchecked)
    monkeypatch.setattr(catalogue, "check_across", lambda docs, unreadable=None: [])
    monkeypatch.setattr(catalogue, "check_mentions", lambda *args: [])


def test_there_are_over_a_thousand_distinct_values() -> None:
    values = payloads()
    assert len(values) == len(set(values)) >= 1000


def test_hostile_values_in_every_field_never_run_load_or_break_a_page(tmp_path: Path, browser: Browser,
                                                                      unvalidated_text: None) -> None:
    values = payloads()
    batches = [values, values[1:] + values[:1]]  # the second build moves every value to the next field
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    for number, batch in enumerate(batches):
        project, ids = _project(tmp_path / f"batch-{number}", batch)
        site = build_site(project)  # raises if the build's own scan of the site finds anything
        assert scan_site(site, own_host="patterns.example.com") == []  # the fixture's site_url
        pages = [f"{lang}{path}" for lang in ("", "en/") for path in (
            *(f"patterns/{pid}/" for pid in ids), "", "patterns/", "start/", "overview/", "cards/", "tags/", "sources/",
            "situations/", "map/", f"retro/?p={','.join(ids)}")]
        with serve(site) as base:
            guard = Guard(page, base)
            for path in pages:
                guard.visit(base + path)
                if path.endswith("situations/"):
                    page.fill(".situation-finder input", "x")
                    page.wait_for_timeout(100)
            for query in ("img", "script", "javascript", "x"):
                page.fill("#patterns-search-input", query)
                page.wait_for_timeout(100)
            guard.visit(base + "en/")
            assert guard.problems() == {"dialogs": [], "requests to other hosts": [], "script errors": []}
            page.unroute("**/*")
    context.close()
