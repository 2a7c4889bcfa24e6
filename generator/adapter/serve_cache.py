"""While `mkdocs serve` runs, redo only the pages that changed, and compile templates once.

MkDocs rebuilds every page on every save. The generator writes its own pages' HTML (and converts
only prose it has not seen), but the hand-written pages go through Python-Markdown again on every
save although an edit to a pattern never changes them. A page's HTML depends only on its
Markdown, the Markdown configuration and the site's files (links are resolved against them), so
when all three are unchanged the HTML of the previous build is reused, along with what MkDocs
learned while converting it (the table of contents, the title and the anchors it checks links
against).

Then every page goes through Material's template, a few milliseconds each, though one save
changes a handful of pages out of hundreds. A finished page depends on the page itself (address,
title, HTML, table of contents, front matter, place in the navigation, neighbours), the
navigation, the configuration and the theme's own files; when all are as they were, the previous
build's output is given again through a template that only prints it.

MkDocs also makes a new Jinja environment for every rebuild and compiles the theme's templates
again; their compiled code is kept too, checked against each template's source.

This is part of the MkDocs adapter: it relies on `Page.render` and on `_build_page` choosing the
template from `page.meta` in MkDocs 1.6, and is used only by `mkdocs serve`; `mkdocs build`
always converts and renders every page.
"""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.nav import Navigation
    from mkdocs.structure.pages import Page
    from mkdocs.structure.toc import AnchorLink

REPLAY_TEMPLATE = "patterns-replay.html"  # in theme/: prints page.patterns_output and nothing else


@dataclass(frozen=True)
class _Converted:
    html: str
    toc: Any
    title: str | None
    anchors: set[str] | None
    links_to_anchors: dict[str, dict[str, str]] | None  # keyed by the linked file's src_uri


class PageCache:
    """Converted pages of the previous build, keyed by everything their HTML depends on."""

    def __init__(self) -> None:
        self._pages: dict[str, _Converted] = {}
        self._site_key: str | None = None
        self._pending: dict[str, tuple[str, bool]] = {}  # src_uri -> (key, taken from the cache?)
        self._used: set[str] = set()

    def start_build(self) -> None:
        """A new build may have other files or another Markdown configuration."""
        self._site_key = None
        self._pending.clear()
        self._used.clear()

    def skip_conversion(self, markdown: str, page: Page, config: MkDocsConfig, files: Files) -> bool:
        """Whether this page's HTML is already known; if so, its Markdown need not be converted."""
        if self._site_key is None:
            self._site_key = _site_digest(config, files)
        key = hashlib.sha256("\0".join([self._site_key, page.file.src_uri, markdown]).encode("utf-8")).hexdigest()
        self._used.add(key)
        self._pending[page.file.src_uri] = (key, key in self._pages)
        return key in self._pages

    def content(self, html: str, page: Page, files: Files) -> str:
        """The page's HTML: from the cache if conversion was skipped, else remembered for next time."""
        key, cached = self._pending.pop(page.file.src_uri, (None, False))
        if key is None:
            return html
        if cached:
            converted = self._pages[key]
            page.toc = converted.toc
            page._title_from_render = converted.title
            page.present_anchor_ids = converted.anchors
            if converted.links_to_anchors is not None:
                targets = {uri: files.get_file_from_path(uri) for uri in converted.links_to_anchors}
                page.links_to_anchors = {targets[uri]: links for uri, links in converted.links_to_anchors.items()
                                         if targets[uri] is not None}
            return converted.html
        links = page.links_to_anchors
        self._pages[key] = _Converted(
            html, page.toc, page._title_from_render, page.present_anchor_ids,
            None if links is None else {file.src_uri: dict(anchors) for file, anchors in links.items()})
        return html

    def end_build(self) -> None:
        """Keep only this build's pages, so a long serve session does not grow without end."""
        self._pages = {key: value for key, value in self._pages.items() if key in self._used}


def _site_digest(config: MkDocsConfig, files: Files) -> str:
    parts = [repr(config.markdown_extensions), repr(sorted(config.mdx_configs.items(), key=str)),
             str(config.use_directory_urls)]
    parts += sorted(f"{f.src_uri}\t{f.dest_uri}\t{f.url}" for f in files)
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()


class TemplateCache(jinja2.BytecodeCache):
    """Compiled templates kept in memory; Jinja recompiles any whose source has changed."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self._code:
            bucket.bytecode_from_string(self._code[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


class OutputCache:
    """Finished pages of the previous build, by URL, with the digest of everything they were made from."""

    def __init__(self) -> None:
        self._pages: dict[str, tuple[str, str]] = {}  # url -> (digest, output)
        self._digests: dict[str, str] = {}  # this build's pages
        self.replayed = 0  # pages given again in the last build

    def plan(self, pages: Iterable[Page], nav: Navigation, config: MkDocsConfig) -> None:
        """Before pages are rendered: point each unchanged page at the replay template."""
        site = _output_site_digest(nav, config)
        self._digests = {}
        self.replayed = 0
        for page in pages:
            digest = hashlib.sha256("\0".join([site, *_page_parts(page)]).encode("utf-8")).hexdigest()
            self._digests[page.url] = digest
            known = self._pages.get(page.url)
            if known is not None and known[0] == digest:
                page.meta["template"] = REPLAY_TEMPLATE
                page.patterns_output = known[1]  # type: ignore[attr-defined]
                self.replayed += 1

    def keep(self, output: str, page: Page) -> None:
        """The template's output for a page (taken before any other plugin changes it)."""
        digest = self._digests.get(page.url)
        if digest is not None:
            self._pages[page.url] = (digest, output)

    def end_build(self) -> None:
        """Forget pages that are gone."""
        self._pages = {url: entry for url, entry in self._pages.items() if url in self._digests}


def _output_site_digest(nav: Navigation, config: MkDocsConfig) -> str:
    """What every page's output depends on besides the page: configuration, navigation, theme files."""
    parts = [f"{key}={value!r}" for key, value in sorted(config.items())]
    parts.append(repr(_nav_parts(nav.items)))
    for directory in config.theme.dirs:  # installed packages do not change while serving; the rest may
        if not Path(directory).resolve().is_relative_to(Path(sys.prefix).resolve()):
            parts += sorted(f"{path}\t{path.stat().st_mtime_ns}\t{path.stat().st_size}"
                            for path in Path(directory).rglob("*") if path.is_file())
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()


def _nav_parts(items: Iterable[Any]) -> list[tuple[Any, ...]]:
    return [(type(item).__name__, item.title, getattr(item, "url", None), repr(getattr(item, "meta", None)),
             _nav_parts(item.children) if item.children else None) for item in items]


def _page_parts(page: Page) -> list[str]:
    neighbours = [(p.url, p.title) if p else None for p in (page.previous_page, page.next_page)]
    return [page.url, page.file.src_uri, repr(page.title), page.content or "", repr(_toc_parts(page.toc)),
            repr(page.meta), repr(page.edit_url), repr(page.canonical_url), repr(page.is_homepage),
            repr(neighbours), repr([(a.title, getattr(a, "url", None)) for a in page.ancestors])]


def _toc_parts(links: Iterable[AnchorLink]) -> list[tuple[Any, ...]]:
    return [(link.title, link.id, link.level, _toc_parts(link.children)) for link in links]
