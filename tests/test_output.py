"""Rendering the second language in a forked process gives exactly what rendering here gives; so does a memo."""

from __future__ import annotations

import os
import re
from dataclasses import replace
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.pages import Page

from generator.core import fork, output
from generator.core.catalogue import read_catalogue
from generator.core.model import LANGS, Pattern, Retro, Text, build_catalogue
from generator.core.render import Renderer
from generator.core.tracking import OutputMemo

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def renderer() -> Renderer:
    catalogue = read_catalogue(REPO / "patterns", REPO).catalogue
    assert catalogue is not None
    return Renderer(catalogue)


def test_two_processes_render_what_one_renders(renderer: Renderer, forking: None) -> None:
    alone = output.render_site(renderer, parallel=False)
    shared = output.render_site(renderer, parallel=True)
    assert [o.lang for o in shared] == list(LANGS)
    assert shared == alone
    assert all(o.pages and o.search_files and o.data for o in shared)


def test_an_error_in_the_second_process_is_raised_here(renderer: Renderer, monkeypatch: pytest.MonkeyPatch,
                                                       forking: None) -> None:
    original = output.render_language

    def failing(r: Renderer, lang: str) -> output.LanguageOutput:
        if lang == LANGS[1]:
            raise ValueError("template broke")
        return original(r, lang)  # type: ignore[arg-type]

    monkeypatch.setattr(output, "render_language", failing)
    with pytest.raises(ValueError, match="template broke"):
        output.render_site(renderer, parallel=True)


def test_if_the_second_process_dies_its_language_is_rendered_here(renderer: Renderer,
                                                                    monkeypatch: pytest.MonkeyPatch,
                                                                    forking: None) -> None:
    parent, original = os.getpid(), output.render_language

    def dying_in_child(r: Renderer, lang: str) -> output.LanguageOutput:
        if os.getpid() != parent:
            os._exit(3)
        return original(r, lang)  # type: ignore[arg-type]

    monkeypatch.setattr(output, "render_language", dying_in_child)
    assert output.render_site(renderer, parallel=True) == output.render_site(renderer, parallel=False)


def test_an_output_memo_renders_what_a_fresh_renderer_renders_after_every_kind_of_edit(renderer: Renderer) -> None:
    # A preview keeps every output between rebuilds and makes again only those that read a part of
    # the catalogue that changed. After each edit, every output must be what a fresh rendering gives.
    patterns = list(renderer.catalogue.patterns)
    retros = [r for rs in renderer.catalogue.retros.values() for r in rs]
    at = {p.id: i for i, p in enumerate(patterns)}

    def edited(base: list[Pattern], pid: str, **fields: object) -> list[Pattern]:
        changed = list(base)
        changed[at[pid]] = replace(base[at[pid]], **fields)
        return changed

    trust = patterns[at["build-trust"]]
    korean_problem = edited(patterns, "build-trust", problem=replace(trust.problem, ko=trust.problem.ko + " 덧붙임"))
    steps = [  # (patterns, retros, outputs that must be made again; None: more than a few), each after the last
        (patterns, retros, []),
        (korean_problem, retros, [("pattern", "build-trust", "ko"), ("cards", "ko"), ("start", "ko"),
                                  ("prose", "patterns/build-trust.md"), ("prose", "cards.md"),  # the problem
                                  ("minutes", "build-trust", "ko"), ("search doc", "build-trust", "ko"),
                                  ("search", "ko")]),
        (edited(korean_problem, "build-trust", note=Text("덧붙인 주", "An added note")), retros,
         [("pattern", "build-trust", "ko"), ("pattern", "build-trust", "en"),
          ("prose", "patterns/build-trust.md"), ("prose", "en/patterns/build-trust.md")]),  # the note
        (patterns, retros, [("pattern", "build-trust", "ko"), ("pattern", "build-trust", "en"), ("cards", "ko"),
                            ("start", "ko"), ("prose", "patterns/build-trust.md"), ("prose", "cards.md"),
                            ("minutes", "build-trust", "ko"), ("search doc", "build-trust", "ko"),
                            ("search", "ko")]),  # both edits undone
        (edited(patterns, "build-trust", title=replace(trust.title, en="Earn Trust")), retros, None),  # shown widely
        (patterns, [*retros, Retro("2026-11-20", "team", (patterns[-1].id,), "new")], None),
        ([p for p in patterns if p.id != "know-the-customer"], retros, None),  # every place and count
    ]
    memo = OutputMemo()
    made: list[tuple[object, ...]] = []
    real_get = memo.get

    def spy(key: tuple[tuple[object, ...], object], make):  # type: ignore[no-untyped-def]
        before = memo.made
        result = real_get(key, make)
        if memo.made > before:
            kind = key[0][0]  # not the documents of a search index's key, nor the text of a prose's
            made.append(key[0][:2] if kind == "search" else ("prose", key[0][3]) if kind == "prose" else key[0][:3])
        return result

    memo.get = spy  # type: ignore[method-assign]
    output.render_site(Renderer(build_catalogue(patterns, retros), memo=memo))  # the same order as below
    for step, (listed, retro_list, expected) in enumerate(steps):
        catalogue = build_catalogue(list(listed), list(retro_list))
        made.clear()
        assert output.render_site(Renderer(catalogue, memo=memo)) == output.render_site(Renderer(catalogue)), step
        if expected is None:
            assert len(made) > 6, (step, made)
        else:
            assert sorted(made, key=str) == sorted(expected, key=str), (step, sorted(made, key=str))


class Numbering(BasePlugin):
    """A third-party-style plugin that keeps state from page to page: it numbers pages as it sees them."""

    def __init__(self) -> None:
        super().__init__()
        self.seen = 0

    def on_page_content(self, html: str, page: Page, config: object, files: object) -> str:
        self.seen += 1
        return f"{html}\n<p>page {self.seen}: {page.file.src_uri}</p>"


@pytest.fixture
def forks(forking: None, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Builds of the two-pattern test site fork as a large catalogue's would; the list counts the forks."""
    monkeypatch.setattr("generator.adapter.plugin.PARALLEL_FROM", 1)
    started: list[int] = []

    class Counted(fork.Forked):  # type: ignore[type-arg]
        def __init__(self, *args: object) -> None:
            started.append(1)
            super().__init__(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(fork, "Forked", Counted)
    return started


def build_test_site(project: Path, site: Path, parallel: bool, plugin: BasePlugin | None = None,
                    strict: bool = True) -> dict[str, bytes]:
    config_file = project / "mkdocs.yml"
    text = re.sub(r"(?m)^  - patterns.*$", "  - patterns" if parallel else "  - patterns: {parallel: false}",
                  config_file.read_text(encoding="utf-8"))
    config_file.write_text(text, encoding="utf-8")
    config = load_config(str(config_file), site_dir=str(site), strict=strict)
    if plugin:
        config.plugins["numbering"] = plugin  # listed after ours, as a third-party plugin would be
    config.plugins.on_startup(command="build", dirty=False)  # as `properdocs build` starts it
    build(config)
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def test_forked_and_serial_builds_are_byte_identical_with_and_without_a_stateful_plugin(
        mini_project: Path, tmp_path: Path, forks: list[int]) -> None:
    for name, plugin in (("plain", lambda: None), ("numbered", Numbering)):
        forks.clear()
        forked = build_test_site(mini_project, tmp_path / f"{name}-forked", True, plugin())
        assert forks == [1, 1], name  # the English half rendered, and half the site scanned, in a second process
        serial = build_test_site(mini_project, tmp_path / f"{name}-serial", False, plugin())
        assert forks == [1, 1], name  # `parallel: false` kept the second build in one process
        assert len(forked) > 20 and forked.keys() == serial.keys()
        for path, content in forked.items():
            assert serial[path] == content, (name, path)
    assert b"<p>page " in forked["en/patterns/first-contact/index.html"]  # the plugin did number the pages


def test_a_warning_in_the_second_process_fails_a_strict_build(mini_project: Path, tmp_path: Path, forks: list[int],
                                                              monkeypatch: pytest.MonkeyPatch,
                                                              caplog: pytest.LogCaptureFixture) -> None:
    parent, original = os.getpid(), output.render_language

    def warns_there(r: Renderer, lang: str) -> output.LanguageOutput:
        if os.getpid() != parent:
            get_plugin_logger("generator.test").warning(f"a warning while rendering {lang}")
        return original(r, lang)  # type: ignore[arg-type]

    monkeypatch.setattr(output, "render_language", warns_there)
    with pytest.raises(Abort, match="1 warnings in strict mode"):
        build_test_site(mini_project, tmp_path / "strict", True)
    assert forks == [1, 1]  # the English half, then half of the scan of the built site
    assert [r.getMessage() for r in caplog.records if "a warning while" in r.getMessage()] == \
        ["generator: a warning while rendering en"]
