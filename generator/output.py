"""Everything the generator writes for a site, one language at a time, on one core or two.

The two languages share nothing once the catalogue is read, so a build can render English in
a second process while Korean renders in this one. The second process is forked, which
inherits the catalogue and templates instead of pickling them, and is safe only in a process
that runs no other threads: the caller decides (a site build qualifies; a preview server,
which serves pages while it rebuilds, does not).
"""

from __future__ import annotations

import multiprocessing
import os
from dataclasses import dataclass
from multiprocessing.connection import Connection

from generator.model import LANGS, Lang
from generator.render import GeneratedPage, Renderer
from generator.search import build_search_index

# Below this many patterns a second process costs more than it saves.
PARALLEL_FROM = 100


@dataclass(frozen=True)
class LanguageOutput:
    """One language's pages, search index and retro-sheet data."""

    lang: Lang
    pages: list[GeneratedPage]
    search_index: str
    data: str


def render_language(renderer: Renderer, lang: Lang) -> LanguageOutput:
    return LanguageOutput(lang, renderer.pages(lang), build_search_index(renderer.catalogue, lang),
                          renderer.pattern_data(lang))


def render_site(renderer: Renderer, parallel: bool = False) -> list[LanguageOutput]:
    """Both languages, in LANGS order; with `parallel`, the second one in a forked process."""
    first, *others = LANGS
    if not parallel or not others or (os.cpu_count() or 1) < 2 or \
            "fork" not in multiprocessing.get_all_start_methods():
        return [render_language(renderer, lang) for lang in LANGS]
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_render_and_send, args=(renderer, others, sender), daemon=True)
    child.start()
    sender.close()
    try:
        outputs = [render_language(renderer, first)]
        try:
            received = receiver.recv()
        except EOFError:  # the child died without a word: do its share here
            received = [render_language(renderer, lang) for lang in others]
        if isinstance(received, BaseException):
            raise received
        return outputs + received
    finally:
        receiver.close()
        child.join()


def _render_and_send(renderer: Renderer, langs: list[Lang], sender: Connection) -> None:
    try:
        result: list[LanguageOutput] | BaseException = [render_language(renderer, lang) for lang in langs]
    except Exception as e:  # handed to the parent, which raises it as if it had rendered these itself
        result = e
    sender.send(result)
    sender.close()
