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
from generator.core.search import SearchDoc, search_doc
from generator.core.search_index import EncodedIndex, build_search_files

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
    docs = tuple(_search_docs(renderer, lang))
    # The index depends on the catalogue only through the documents, so they are its key: a preview
    # edit that changes no searchable text reuses the files; one that does builds them again,
    # reusing the chunks it can (see EncodedIndex).
    earlier = renderer.memo.carried(("search index", lang), EncodedIndex) if renderer.memo else None
    search_files = renderer.tracked(("search", lang, docs), lambda: build_search_files(docs, lang, earlier))
    return LanguageOutput(lang, renderer.pages(lang), search_files, renderer.pattern_data(lang))


def _search_docs(renderer: Renderer, lang: Lang) -> list[SearchDoc]:
    """Each pattern's search document; under a preview's memo, made again only for the patterns an edit changed."""
    def doc(pattern_id: str) -> SearchDoc:
        def make() -> SearchDoc:
            catalogue = renderer.catalogue  # the memo's view while this runs: see Renderer.tracked
            return search_doc(catalogue[pattern_id], catalogue, lang)
        return renderer.tracked(("search doc", pattern_id, lang), make)
    return [doc(pattern.id) for pattern in renderer.catalogue.patterns]


def render_site(renderer: Renderer, parallel: bool = False) -> list[LanguageOutput]:
    """Both languages, in LANGS order; with `parallel`, the second one in a forked process."""
    def work(langs: Sequence[Lang]) -> list[LanguageOutput]:
        return [render_language(renderer, lang) for lang in langs]
    return map_in_two(work, LANGS, parallel)
