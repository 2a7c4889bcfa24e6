"""`mkdocs build` on two cores: the theme renders the later half of the pages in a forked process.

MkDocs renders every page through the theme's template in one process, one page after another;
at 1,000 patterns that is two thousand pages and half the build. Pages do not depend on one
another's rendering, so once the environment is ready (`on_env`) a forked process renders the
later half exactly as MkDocs' `_build_page` would (the same context and `on_page_context` event),
while MkDocs renders the first half here. The later pages are pointed at the template that only
prints a page's finished output; when MkDocs reaches the first of them, the outputs are collected.
A page the other process could not render is rendered here with its own template, so an error is
reported against the right page.

Only for commands that run no other threads (see `fork`). This is part of the MkDocs adapter: it
relies on `get_context` and on `_build_page` choosing the template from `page.meta` in MkDocs 1.6.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import jinja2
from mkdocs.commands.build import get_context

from generator.fork import Forked
from generator.serve_cache import REPLAY_TEMPLATE

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import File, Files
    from mkdocs.structure.nav import Navigation
    from mkdocs.structure.pages import Page

# Below this many pages a second process costs more than it saves.
PARALLEL_FROM = 200


class LaterPages:
    """The later half of a build's pages, rendered in a forked process from the moment this is made."""

    def __init__(self, pages: Sequence[Page], env: jinja2.Environment, config: MkDocsConfig, nav: Navigation,
                 files: Files) -> None:
        doc_files = files.documentation_pages()

        def render(chunk: Sequence[Page]) -> list[str | None]:
            return [_render(page, env, config, nav, doc_files) for page in chunk]

        self._pages = list(pages)
        self._env = env
        self._templates = {id(page): page.meta.get("template", "main.html") for page in self._pages}
        self._forked = Forked(render, self._pages)  # the other process sees the pages as they are now
        self._collected = False
        for page in self._pages:
            page.meta["template"] = REPLAY_TEMPLATE

    def fill(self, page: Page, context: dict) -> None:
        """At a page's `on_page_context`: give it its finished output, if it is one of these pages."""
        if id(page) not in self._templates:
            return
        if not self._collected:
            for later, output in zip(self._pages, self._forked.result()):
                later.patterns_output = output  # type: ignore[attr-defined]
            self._collected = True
        if page.patterns_output is None:  # type: ignore[attr-defined]
            page.patterns_output = self._env.get_template(self._templates[id(page)]).render(context)  # type: ignore[attr-defined]

    def cancel(self) -> None:
        """The build failed before it needed these pages."""
        if not self._collected:
            self._forked.cancel()
            self._collected = True


def _render(page: Page, env: jinja2.Environment, config: MkDocsConfig, nav: Navigation,
            doc_files: Sequence[File]) -> str | None:
    """What MkDocs' `_build_page` renders for a page, before `on_post_page`; None if that fails.

    What it changes it puts back: if the other process died, this runs here, in the middle of
    MkDocs building another page.
    """
    current, active = config._current_page, page.active
    config._current_page = page
    page.active = True
    try:
        context = get_context(nav, doc_files, config, page)
        template = env.get_template(page.meta.get("template", "main.html"))
        context = config.plugins.on_page_context(context, page=page, config=config, nav=nav)
        return template.render(context)
    except Exception:
        return None  # rendered again in the main process, which reports the error against this page
    finally:
        page.active = active
        config._current_page = current
