"""MkDocs glue: read the catalogue before anything is written, then add its pages in memory."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import jinja2
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.toc import TableOfContents, get_toc

from generator.core.catalogue import FileCache, read_catalogue
from generator.adapter.config import PatternsConfig
from generator.core.drift import find_drift, stale_sections
from generator.core.history import last_changed
from generator.core.model import Catalogue
from generator.core.output import PARALLEL_FROM, render_site
from generator.core.render import TEMPLATES, GeneratedPage, Heading, PageMemo, Renderer, data_path
from generator.core.search import search_index_path
from generator.adapter.serve_cache import OutputCache, PageCache, TemplateCache

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.livereload import LiveReloadServer
    from mkdocs.structure.nav import Navigation
    from mkdocs.structure.pages import Page

log = get_plugin_logger(__name__)
THEME = Path(__file__).parent / "theme"
# MkDocs' build runs no other threads, so the generator may fork there; the preview server runs several.
FORK_SAFE_COMMANDS = ("build", "gh-deploy")


class PatternsPlugin(BasePlugin[PatternsConfig]):
    """Turns patterns/*.yaml into bilingual pattern pages, a catalogue, a map and search indexes."""

    def __init__(self) -> None:
        self.catalogue: Catalogue | None = None
        self.page_cache: PageCache | None = None
        self.template_cache: TemplateCache | None = None
        self.file_cache: FileCache | None = None
        self.page_memo: PageMemo | None = None
        self.output_cache: OutputCache | None = None
        self.nav: Navigation | None = None
        self.stale: dict[str, frozenset[tuple[str, str]]] = {}  # translations that may be behind, per pattern
        self.written: dict[str, GeneratedPage] = {}  # pages whose HTML the generator wrote, by src_uri
        self.command: str | None = None

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Defining on_startup makes MkDocs keep this plugin between the rebuilds of `serve`,
        # so the files read and the pages converted by one rebuild can be reused by the next.
        self.command = command
        serving = command == "serve"
        self.page_cache = PageCache() if serving else None
        self.template_cache = TemplateCache() if serving else None
        self.file_cache = FileCache() if serving else None
        self.page_memo = PageMemo() if serving else None
        self.output_cache = OutputCache() if serving else None

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        # Validation happens here, before MkDocs cleans site_dir, so a failed build leaves
        # the previous site untouched.
        root = _project_root(config)
        retros = Path(self.config.retros_dir)
        reading = read_catalogue(Path(self.config.patterns_dir), root, retros if retros.is_dir() else None,
                                 parallel=self.command in FORK_SAFE_COMMANDS, cache=self.file_cache)
        for finding in reading.findings:
            (log.error if finding.severity == "error" else log.warning)(str(finding))
        if reading.catalogue is None:
            errors = sum(f.severity == "error" for f in reading.findings)
            raise PluginError(f"{errors} problem(s) in pattern files; nothing was built. "
                              "Fix them, or run `patterns validate` to see them again.")
        self.catalogue = reading.catalogue
        # Shown as notes on the pages rather than logged: a strict build must not fail on it.
        self.stale = stale_sections(find_drift(reading.patterns, Path(self.config.patterns_dir)))
        # Our templates go after a project's custom_dir, before Material's own.
        config.theme.dirs.insert(1 if config.theme.custom_dir else 0, str(THEME))
        return config

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        assert self.catalogue is not None
        root = _project_root(config)
        toc = config.mdx_configs.get("toc", {})
        permalink = toc.get("permalink", False)
        renderer = Renderer(self.catalogue, [Path(self.config.templates_dir)] if self.config.templates_dir else [],
                            directory_urls=config.use_directory_urls,
                            changed=last_changed(Path(self.config.patterns_dir)),
                            template_cache=self.template_cache,
                            permalink="¶" if permalink is True else (permalink or None),
                            permalink_title=toc.get("permalink_title", "Permanent link"),
                            memo=self.page_memo, stale=self.stale)
        if self.page_memo:
            self.page_memo.next_rendering()
        site_dir = Path(config.site_dir).resolve()
        self.written = {}
        parallel = self.command in FORK_SAFE_COMMANDS and len(self.catalogue.patterns) >= PARALLEL_FROM
        for output in render_site(renderer, parallel):
            for page in output.pages:
                file = File.generated(config, page.path, content=page.content)
                # Ids are validated, so this cannot fire; it is the last line of defence for the site folder.
                if not Path(file.abs_dest_path).resolve().is_relative_to(site_dir):
                    raise PluginError(f"refusing to write {page.path} outside the site folder {site_dir}")
                if page.edit_path:
                    file.edit_uri = Path(os.path.relpath(root / page.edit_path, config.docs_dir)).as_posix()
                files.append(file)
                if page.html is not None:
                    self.written[file.src_uri] = page
            files.append(File.generated(config, search_index_path(output.lang), content=output.search_index))
            files.append(File.generated(config, data_path(output.lang), content=output.data))
        return files

    def on_pre_build(self, config: MkDocsConfig) -> None:
        if self.page_cache:
            self.page_cache.start_build()

    def on_nav(self, nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
        self.nav = nav
        return nav

    def on_env(self, env: jinja2.Environment, config: MkDocsConfig, files: Files) -> jinja2.Environment:
        if self.template_cache:
            env.bytecode_cache = self.template_cache
        env.globals["patterns_nav_cache"] = _FragmentCache()  # one per build; see theme/partials/nav.html
        pages = [file.page for file in files.documentation_pages() if file.page]
        if self.output_cache and self.nav:
            self.output_cache.plan(pages, self.nav, config)
        return env

    def on_page_markdown(self, markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        if page.file.src_uri in self.written:
            return ""  # the generator wrote this page's HTML; on_page_content hands it over
        if self.page_cache and self.page_cache.skip_conversion(markdown, page, config, files):
            return ""  # nothing to convert; on_page_content puts the known HTML back
        return markdown

    def on_page_content(self, html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        written = self.written.get(page.file.src_uri)
        if written is not None and written.html is not None:
            page.toc = _table_of_contents(written.headings)
            page.present_anchor_ids = {heading.id for heading in written.headings}
            return written.html
        return self.page_cache.content(html, page, files) if self.page_cache else html

    @event_priority(100)  # first, so the output kept is the template's own
    def on_post_page(self, output: str, page: Page, config: MkDocsConfig) -> str:
        if self.output_cache:
            self.output_cache.keep(output, page)
        return output

    def on_post_build(self, config: MkDocsConfig) -> None:
        if self.page_cache:
            self.page_cache.end_build()
        if self.output_cache:
            self.output_cache.end_build()
            log.debug(f"{self.output_cache.replayed} unchanged page(s) given again without rendering")

    def on_serve(self, server: LiveReloadServer, config: MkDocsConfig, builder: object) -> LiveReloadServer:
        server.watch(self.config.patterns_dir)
        if Path(self.config.retros_dir).is_dir():
            server.watch(self.config.retros_dir)
        server.watch(str(TEMPLATES))
        server.watch(str(THEME))
        if self.config.templates_dir:
            server.watch(self.config.templates_dir)
        return server


def _project_root(config: MkDocsConfig) -> Path:
    """The folder of the configuration file; `-f mkdocs.yml` gives ProperDocs a relative path."""
    return Path(config.config_file_path).resolve().parent


class _FragmentCache:
    """Template output rendered once per key, for parts of pages that many pages share."""

    def __init__(self) -> None:
        self._rendered: dict[object, str] = {}

    def __call__(self, key: object, render: Callable[[], str]) -> str:
        if key not in self._rendered:
            self._rendered[key] = render()
        return self._rendered[key]


def _table_of_contents(headings: tuple[Heading, ...]) -> TableOfContents:
    """MkDocs' table of contents from a flat list of headings, nested by level as Markdown's `toc` nests them."""
    tokens: list[dict] = []
    open_levels: list[tuple[int, list[dict]]] = [(0, tokens)]
    for heading in headings:
        token = {"level": heading.level, "id": heading.id, "name": heading.title, "children": []}
        while open_levels[-1][0] >= heading.level:
            open_levels.pop()
        open_levels[-1][1].append(token)
        open_levels.append((heading.level, token["children"]))
    return get_toc(tokens)  # type: ignore[arg-type]
