"""The engine shortcuts (generator/adapter/engine.py) change no byte of the site, and an untested engine turns them off."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from mkdocs.structure.pages import Page

from conftest import build_site
from generator.adapter import engine


def files_of(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


@pytest.fixture
def anchors(monkeypatch: pytest.MonkeyPatch) -> dict[str, set[str] | None]:
    """The anchors the engine checks links against, per page, as the build leaves them."""
    seen: dict[str, set[str] | None] = {}
    real = Page.validate_anchor_links

    def spy(page: Page, **kwargs: object) -> None:
        seen[page.file.src_uri] = page.present_anchor_ids
        real(page, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Page, "validate_anchor_links", spy)
    return seen


def test_the_public_path_builds_the_same_site_byte_for_byte(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                              anchors: dict[str, set[str] | None],
                                                              caplog: pytest.LogCaptureFixture) -> None:
    import shutil

    from conftest import REPO

    project = tmp_path / "project"
    project.mkdir()
    for name in ("mkdocs.yml", "docs", "patterns"):
        (shutil.copytree if (REPO / name).is_dir() else shutil.copy)(REPO / name, project / name)
    assert engine.engine() in engine.TESTED  # the suite runs on a tested engine, so the first build takes the shortcuts
    fast = build_site(project, tmp_path / "fast")
    fast_anchors = dict(anchors)
    anchors.clear()
    skipped: list[str] = []
    monkeypatch.setattr(engine, "_nothing_to_convert", lambda page, *a: skipped.append(page.url))
    monkeypatch.setattr(engine, "TESTED", frozenset())
    monkeypatch.setattr(engine, "_told", False)
    with caplog.at_level(logging.INFO):
        public = build_site(project, tmp_path / "public")
    assert skipped == []  # the public path converted every page
    told = [r.getMessage() for r in caplog.records if "not an engine version" in r.getMessage()]
    assert len(told) == 1 and "building through the public plugin API only" in told[0]

    fast_files, public_files = files_of(fast), files_of(public)
    assert len(fast_files) > 50
    assert fast_files.keys() == public_files.keys()
    for path, content in fast_files.items():
        assert public_files[path] == content, path
    # Links from hand-written pages are checked against the same anchors either way.
    assert fast_anchors == anchors
    assert {"problem", "solution", "known-uses"} <= anchors["patterns/be-responsive.md"]  # type: ignore[operator]


def test_another_plugin_turns_the_shortcuts_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A plugin listed beside ours sees every page's Markdown and context; the shortcuts could change
    # what it sees, so they are off (the fork test builds with such a plugin and compares the sites).
    from conftest import FIXTURES, copy_project

    project = copy_project(FIXTURES / "site", tmp_path / "project")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("  - patterns\n", "  - patterns\n  - search\n"),
                      encoding="utf-8")
    skipped: list[str] = []
    monkeypatch.setattr(engine, "_nothing_to_convert", lambda page, *a: skipped.append(page.url))
    build_site(project)
    assert skipped == []
