"""Rendering the second language in a forked process gives exactly what rendering here gives."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

import pytest

from generator.core import output
from generator.core.catalogue import read_catalogue
from generator.core.model import LANGS, Retro, build_catalogue
from generator.core.render import PageMemo, Renderer

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


def test_a_page_memo_renders_what_a_fresh_renderer_renders_after_every_kind_of_edit(renderer: Renderer) -> None:
    # A preview keeps pattern pages between rebuilds; after each edit, every page must be what a
    # fresh rendering gives, including pages that only show the edited pattern's title or place.
    patterns = list(renderer.catalogue.patterns)
    retros = [r for rs in renderer.catalogue.retros.values() for r in rs]
    trust = next(i for i, p in enumerate(patterns) if p.id == "build-trust")
    renamed = replace(patterns[trust], title=replace(patterns[trust].title, en="Earn Trust", ko="신뢰를 얻어라"))
    last = patterns[-1].id
    steps = [  # (patterns, retros, how many of the pattern pages must be rendered again)
        (patterns, retros, "all"),
        ([*patterns[:trust], renamed, *patterns[trust + 1:]], retros, "some"),  # a title others show
        ([*patterns[:trust], renamed, *patterns[trust + 1:]],
         [*retros, Retro("2026-11-20", "team", (last,), "new")], "two"),        # one page's retros
        ([p for p in patterns if p.id != "know-the-customer"], retros, "all"),  # every place and count
    ]
    memo = PageMemo()
    for step, (listed, retro_list, expected) in enumerate(steps):
        catalogue = build_catalogue(list(listed), list(retro_list))
        fresh = Renderer(catalogue)
        remembered = Renderer(catalogue, memo=memo)
        rendered: list[str] = []
        real_page = remembered._page
        remembered._page = lambda *a, **k: rendered.append(a[1]) or real_page(*a, **k)  # type: ignore[method-assign]
        memo.next_rendering()
        for pattern in catalogue.patterns:
            for lang in LANGS:
                assert remembered.pattern_page(pattern, lang) == fresh.pattern_page(pattern, lang), \
                    (step, pattern.id, lang)
        pages = 2 * len(catalogue.patterns)
        assert {"all": len(rendered) == pages, "some": 2 < len(rendered) < pages,
                "two": sorted(rendered) == sorted(f"{p}patterns/{last}.md" for p in ("", "en/"))}[expected], \
            (step, rendered)
