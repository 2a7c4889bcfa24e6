"""Every use of the site engine beyond its documented plugin API, in one place, behind a version check.

The plugin goes past MkDocs' plugin API in a few places, each to save time, none to change a page:

- a page whose HTML the generator wrote skips the engine's Markdown conversion (`Page.render`,
  0.5 ms a page for an empty text) and is given the anchors the engine checks links against
  (`Page.present_anchor_ids`);
- while previewing, a hand-written page whose Markdown did not change gets the previous build's
  HTML back with what converting it taught the engine (`_title_from_render`, `present_anchor_ids`,
  `links_to_anchors`), and a generated page whose output cannot have changed is given its previous
  output through a template that only prints it (the engine picks a page's template from
  `page.meta["template"]`);
- while previewing, a save that touched only pattern files updates the pages it changed instead
  of rebuilding the site: the server's `builder` is wrapped, and those pages go through the
  engine's own page pipeline (`_populate_page`, `_build_page`, which call every plugin event).

One more reaches past it for correctness, not speed, on every version: the English 404 page is
rendered with the context the engine gives its own templates (`template_context`), since no
plugin event renders a second error page.

The shortcuts are tested on the engine versions in TESTED. On any other version `fast_paths()` is False,
so the plugin takes the public path (convert every page, render every page, rebuild the whole
site on every save) and says so once; tests build both ways and compare every file.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import markupsafe
import mkdocs
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.toc import AnchorLink, TableOfContents

if TYPE_CHECKING:
    import jinja2
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.livereload import LiveReloadServer
    from mkdocs.structure.files import Files
    from mkdocs.structure.nav import Navigation
    from mkdocs.structure.pages import Page

    from generator.core.render import Heading

log = get_plugin_logger(__name__)

# (engine, version) pairs the fast paths were tested on. Under ProperDocs, `import mkdocs` is ProperDocs.
TESTED = frozenset({("mkdocs", "1.6.1"), ("properdocs", "1.6.7")})
REPLAY_TEMPLATE = "patterns-replay.html"  # in theme/: prints page.patterns_output and nothing else
_ID = re.compile(r"""\sid=["']([^"']+)["']""")
_told = False


def engine() -> tuple[str, str]:
    """The engine running this build, and its version."""
    return mkdocs.__name__, mkdocs.__version__


def fast_paths() -> bool:
    """Whether the engine is one the fast paths were tested on; if not, say so once."""
    global _told
    name, version = engine()
    if (name, version) in TESTED:
        return True
    if not _told:
        _told = True
        tested = ", ".join(f"{n} {v}" for n, v in sorted(TESTED))
        log.info(f"{name} {version} is not an engine version the generator's shortcuts were tested on "
                 f"({tested}); building through the public plugin API only, which is slower")
    return False


# --------------------------------------------------------------------------- generated pages


def markdown_for_generated(page: Page, html: str, fast: bool) -> str:
    """What the engine converts for a page whose HTML the generator wrote (`on_page_markdown`).

    Fast: nothing; the conversion is skipped. Public: tags that carry the page's ids, so the
    engine's own conversion finds the anchors that links from other pages may point at; the
    HTML it makes of them is replaced in `on_page_content`.
    """
    if fast:
        page.render = _nothing_to_convert.__get__(page)  # type: ignore[method-assign]
        return ""
    return "".join(f'<a id="{markupsafe.escape(anchor)}"></a>' for anchor in sorted(anchor_ids(html)))


def _nothing_to_convert(page: Page, config: MkDocsConfig, files: Files) -> None:
    """`Page.render` for a page whose HTML the generator wrote: what converting its empty text gives."""
    page.content = ""


def hand_over(page: Page, html: str, headings: Iterable[Heading], fast: bool) -> str:
    """The generator's HTML for a page, with its table of contents (`on_page_content`)."""
    page.toc = table_of_contents(headings)
    if fast:
        page.present_anchor_ids = anchor_ids(html)
    return html


def anchor_ids(html: str) -> set[str]:
    """Every id in a page's HTML: the places a link may point at."""
    return set(_ID.findall(html))


def table_of_contents(headings: Iterable[Heading]) -> TableOfContents:
    """A table of contents from a flat list of headings, nested by level as Markdown's `toc` nests them."""
    top: list[AnchorLink] = []
    open_levels: list[tuple[int, list[AnchorLink]]] = [(0, top)]
    for heading in headings:
        link = AnchorLink(heading.title, heading.id, heading.level)
        while open_levels[-1][0] >= heading.level:
            open_levels.pop()
        open_levels[-1][1].append(link)
        open_levels.append((heading.level, link.children))
    return TableOfContents(top)


# --------------------------------------------------------------------------- preview: converted pages


@dataclass(frozen=True)
class RenderState:
    """What converting a page's Markdown left on the page besides its HTML."""

    toc: Any
    title: str | None
    anchors: set[str] | None
    links_to_anchors: dict[str, dict[str, str]] | None  # keyed by the linked file's src_uri


def render_state(page: Page) -> RenderState:
    """Taken after a page was converted, to give it back to the same page in a later build."""
    links = page.links_to_anchors
    return RenderState(page.toc, page._title_from_render, page.present_anchor_ids,
                       None if links is None else {file.src_uri: dict(a) for file, a in links.items()})


def restore_render_state(page: Page, state: RenderState, files: Files) -> None:
    page.toc = state.toc
    page._title_from_render = state.title
    page.present_anchor_ids = state.anchors
    if state.links_to_anchors is not None:
        targets = {uri: files.get_file_from_path(uri) for uri in state.links_to_anchors}
        page.links_to_anchors = {targets[uri]: links for uri, links in state.links_to_anchors.items()
                                 if targets[uri] is not None}


def replay(page: Page, output: str) -> None:
    """Have the engine write `output` as this page's finished HTML, through a template that only prints it."""
    page.meta["template"] = REPLAY_TEMPLATE
    page.patterns_output = output  # type: ignore[attr-defined]


# --------------------------------------------------------------------------- preview: partial rebuilds


def take_over_rebuilds(server: LiveReloadServer, rebuild: Callable[[Callable[[], None]], None]) -> None:
    """Make the preview server call `rebuild(full_build)` on every save instead of `full_build()`."""
    full_build = server.builder
    server.builder = lambda: rebuild(full_build)


def served_folder(server: LiveReloadServer) -> str:
    """The folder the preview server answers requests from."""
    return server.root


def template_context(nav: Navigation, files: Files, config: MkDocsConfig, base_url: str) -> dict[str, Any]:
    """The context the engine renders its own templates with (`get_context`, the same since MkDocs 1.0)."""
    from mkdocs.commands.build import get_context

    return dict(get_context(nav, files, config, base_url=base_url))


def rebuild_pages(pages: Iterable[Page], config: MkDocsConfig, files: Files, nav: Navigation,
                  env: jinja2.Environment) -> None:
    """Read, convert, render and write these pages again, as a build does, with every plugin event."""
    from mkdocs.commands.build import _build_page, _populate_page
    from mkdocs.structure.files import InclusionLevel

    doc_files = files.documentation_pages(inclusion=InclusionLevel.is_in_serve)
    for page in pages:
        _populate_page(page, config, files)
        _build_page(page, config, doc_files, nav, env, excluded=page.file.inclusion.is_excluded())
