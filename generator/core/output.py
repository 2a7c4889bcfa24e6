"""Everything the generator writes for a site, one language at a time.

The two languages share nothing once the catalogue is read, so a build renders the second in a
forked process while the first renders in this one (`fork.map_in_two`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from generator.core.fork import map_in_two
from generator.core.model import LANGS, Lang
from generator.core.render import GeneratedPage, Renderer
from generator.core.search import search_docs
from generator.core.search_index import build_search_files

# Below this many patterns a second process costs more than it saves.
PARALLEL_FROM = 100


@dataclass(frozen=True)
class LanguageOutput:
    """One language's pages, search index files (by path) and retro-sheet data."""

    lang: Lang
    pages: list[GeneratedPage]
    search_files: dict[str, str]
    data: str


def render_language(renderer: Renderer, lang: Lang) -> LanguageOutput:
    search_files = renderer.tracked(("search", lang),
                                    lambda: build_search_files(search_docs(renderer.catalogue, lang), lang))
    return LanguageOutput(lang, renderer.pages(lang), search_files, renderer.pattern_data(lang))


def render_site(renderer: Renderer, parallel: bool = False) -> list[LanguageOutput]:
    """Both languages, in LANGS order; with `parallel`, the second one in a forked process."""
    def work(langs: Sequence[Lang]) -> list[LanguageOutput]:
        return [render_language(renderer, lang) for lang in langs]
    return map_in_two(work, LANGS, parallel)
