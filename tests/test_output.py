"""Rendering the second language in a forked process gives exactly what rendering here gives."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator import output
from generator.catalogue import read_catalogue
from generator.model import LANGS
from generator.render import Renderer

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def renderer() -> Renderer:
    catalogue = read_catalogue(REPO / "patterns", REPO).catalogue
    assert catalogue is not None
    return Renderer(catalogue)


def test_two_processes_render_what_one_renders(renderer: Renderer) -> None:
    alone = output.render_site(renderer, parallel=False)
    shared = output.render_site(renderer, parallel=True)
    assert [o.lang for o in shared] == list(LANGS)
    assert shared == alone
    assert all(o.pages and o.search_index and o.data for o in shared)


def test_an_error_in_the_second_process_is_raised_here(renderer: Renderer, monkeypatch: pytest.MonkeyPatch) -> None:
    original = output.render_language

    def failing(r: Renderer, lang: str) -> output.LanguageOutput:
        if lang == LANGS[1]:
            raise ValueError("template broke")
        return original(r, lang)  # type: ignore[arg-type]

    monkeypatch.setattr(output, "render_language", failing)
    with pytest.raises(ValueError, match="template broke"):
        output.render_site(renderer, parallel=True)


def test_if_the_second_process_dies_its_language_is_rendered_here(renderer: Renderer,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    parent, original = os.getpid(), output.render_language

    def dying_in_child(r: Renderer, lang: str) -> output.LanguageOutput:
        if os.getpid() != parent:
            os._exit(3)
        return original(r, lang)  # type: ignore[arg-type]

    monkeypatch.setattr(output, "render_language", dying_in_child)
    assert output.render_site(renderer, parallel=True) == output.render_site(renderer, parallel=False)
