"""While `mkdocs serve` runs, redo only the pages that changed, and compile templates once.

MkDocs rebuilds every page on every save. The generator writes its own pages' HTML (and renders
only the pages an edit changed, see `core.tracking`), but the hand-written pages go through
Python-Markdown again on every save although an edit to a pattern never changes them. A page's
HTML depends only on its Markdown, the Markdown configuration and the site's files (links are
resolved against them), so when all three are unchanged the HTML of the previous build is
reused, along with what the engine learned while converting it (`PageCache`).

Then every page goes through Material's template, a few milliseconds each, though one save
changes a handful of pages out of hundreds. A generated page's finished output depends on what
the generator made of it (front matter, HTML, headings, the file to edit), the site's
configuration file, the navigation (titles and addresses) and the theme's own files; when all
are as they were, the previous build's output is given again through a template that only prints
it (`OutputCache`).

MkDocs also makes a new Jinja environment for every rebuild and compiles the theme's templates
again; their compiled code is kept too, checked against each template's source (`TemplateCache`).

Both caches reach into the engine (see `engine`) and are used only while previewing, only on an
engine version they were tested on, and only when no other plugin could see a page differently
(`PatternsPlugin` decides); `mkdocs build` always converts and renders every page.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2

from generator.adapter.engine import RenderState, engine, render_state, replay, restore_render_state

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.nav import Navigation
    from mkdocs.structure.pages import Page

    from generator.core.render import GeneratedPage


class PageCache:
    """Converted pages of the previous build, keyed by everything their HTML depends on."""

    def __init__(self) -> None:
        self._pages: dict[str, tuple[str, RenderState]] = {}  # key -> (HTML, what converting it left)
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
            known, state = self._pages[key]
            restore_render_state(page, state, files)
            return known
        self._pages[key] = (html, render_state(page))
        return html

    def end_build(self) -> None:
        """Keep only this build's pages, so a long serve session does not grow without end."""
        self._pages = {key: value for key, value in self._pages.items() if key in self._used}


def _site_digest(config: MkDocsConfig, files: Files) -> str:
    """What every page's HTML depends on besides its Markdown: the configuration (its Markdown
    extensions among it, read from the file, as no other plugin may change them) and the site's files."""
    parts = ["\t".join(engine()), Path(config.config_file_path).read_text(encoding="utf-8")]
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
    """Finished generated pages of the previous build, by URL, with the digest of everything they were made from."""

    def __init__(self) -> None:
        self._pages: dict[str, tuple[str, str]] = {}  # url -> (digest, output)
        self._digests: dict[str, str] = {}  # this build's pages
        self.replayed = 0  # pages given again in the last build

    def plan(self, pages: Iterable[tuple[Page, GeneratedPage]], nav: Navigation, config: MkDocsConfig) -> None:
        """Before pages are rendered: point each unchanged generated page at the replay template."""
        site = _output_site_digest(nav, config)
        self._digests = {}
        self.replayed = 0
        for page, generated in pages:
            digest = page_digest(site, page.url, generated)
            self._digests[page.url] = digest
            known = self._pages.get(page.url)
            if known is not None and known[0] == digest:
                replay(page, known[1])
                self.replayed += 1

    def update(self, pages: Iterable[tuple[Page, GeneratedPage]], nav: Navigation, config: MkDocsConfig) -> None:
        """Pages about to be rendered again on their own (a partial rebuild): keep their output under new digests."""
        site = _output_site_digest(nav, config)
        for page, generated in pages:
            self._digests[page.url] = page_digest(site, page.url, generated)

    def keep(self, output: str, page: Page) -> None:
        """The template's output for a page (taken before any other plugin changes it)."""
        digest = self._digests.get(page.url)
        if digest is not None:
            self._pages[page.url] = (digest, output)

    def end_build(self) -> None:
        """Forget pages that are gone."""
        self._pages = {url: entry for url, entry in self._pages.items() if url in self._digests}


def page_digest(site: str, url: str, generated: GeneratedPage) -> str:
    parts = [site, url, generated.path, generated.content, generated.html or "", generated.edit_path or "",
             "\n".join(f"{h.level}\t{h.id}\t{h.title}" for h in generated.headings), repr(generated.meta)]
    return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()


def _output_site_digest(nav: Navigation, config: MkDocsConfig) -> str:
    """What every generated page's output depends on besides the page: engine, configuration, navigation, theme."""
    parts = ["\t".join(engine()), Path(config.config_file_path).read_text(encoding="utf-8"), str(config.site_url),
             str(config.repo_url), str(config.edit_uri), str(config.site_dir), repr(_nav_parts(nav.items)),
             dt.date.today().isoformat()]  # the addresses may come from the environment (site_address)
    for directory in config.theme.dirs:  # installed packages do not change while serving; the rest may
        if not Path(directory).resolve().is_relative_to(Path(sys.prefix).resolve()):
            parts += sorted(f"{path}\t{path.stat().st_mtime_ns}\t{path.stat().st_size}"
                            for path in Path(directory).rglob("*") if path.is_file())
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()


def _nav_parts(items: Iterable[Any]) -> list[tuple[Any, ...]]:
    """The navigation as plain data: kind, title and address of every item, nested."""
    return [(type(item).__name__, str(item.title), getattr(item, "url", None),
             _nav_parts(item.children) if item.children else None) for item in items]
