"""The engine's plugin: read the catalogue before anything is written, add its pages in memory, publish whole.

Glue only: reading, rendering, checking and publishing live in their own modules; this class
calls them at the right engine events. Everything past the engine's documented plugin API goes
through `engine`.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import jinja2
import markupsafe
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files

from generator.adapter import engine
from generator.adapter.config import PatternsConfig
from generator.adapter.error_pages import write_error_pages
from generator.adapter.navigation import link_within_sections
from generator.adapter.permalinks import localize_permalinks, page_lang
from generator.adapter.preview import Outputs, Preview
from generator.adapter.publish import Publishing, PublishError
from generator.adapter.serve_cache import OutputCache, PageCache, TemplateCache
from generator.adapter.site_address import AddressError, site_address
from generator.core.catalogue import FileCache, Reading, read_catalogue
from generator.core.cycles import collector_paused
from generator.core.drift import find_drift, stale_sections
from generator.core.findings import Finding, errors_in
from generator.core.findings_page import render_findings_page
from generator.core.history import last_changed
from generator.core.model import Catalogue
from generator.core.output import PARALLEL_FROM, render_site
from generator.core.render import TEMPLATES, GeneratedPage, Renderer, data_path
from generator.core.site_scan import ScanMemo, scan_page, scan_site
from generator.core.tracking import OutputMemo

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
        self.output_memo: OutputMemo | None = None
        self.output_cache: OutputCache | None = None
        self.scan_memo: ScanMemo | None = None
        self.preview: Preview | None = None
        self.nav: Navigation | None = None
        self.env: jinja2.Environment | None = None
        self.files: Files | None = None
        self.stale: dict[str, frozenset[tuple[str, str]]] = {}  # translations that may be behind, per pattern
        self.outputs: Outputs = {}  # everything the generator made in this build, by path in docs
        self.written: dict[str, GeneratedPage] = {}  # pages whose HTML the generator wrote, by src_uri
        self.command: str | None = None
        self.publishing: Publishing | None = None  # this build's fresh folder, until it is swapped in
        self.shown_findings: list[Finding] | None = None  # preview only: the errors the preview shows instead

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Defining on_startup makes MkDocs keep this plugin between the rebuilds of `serve`,
        # so the files read and the pages converted by one rebuild can be reused by the next.
        self.command = command
        serving = command == "serve"
        self.page_cache = PageCache() if serving else None
        self.template_cache = TemplateCache() if serving else None
        self.file_cache = FileCache() if serving else None
        self.output_memo = OutputMemo() if serving else None
        self.output_cache = OutputCache() if serving else None
        self.scan_memo = ScanMemo() if serving else None
        self.preview = Preview(self) if serving else None

    # ------------------------------------------------------------------ configuration: read, check

    @event_priority(100)  # first, so every later on_config and the whole build write into the fresh folder
    def _on_config_publish(self, config: MkDocsConfig) -> MkDocsConfig:
        if self.publishing:  # an earlier build in this process was stopped without an error event
            self.publishing.abandon()
        self.publishing = None
        if self.command == "serve":
            return config  # the preview builds into its own temporary folder and serves it as it is
        try:
            self.publishing = Publishing.begin(config)
        except PublishError as e:
            raise PluginError(str(e)) from None
        return config

    def _on_config_read(self, config: MkDocsConfig) -> MkDocsConfig:
        # Validation happens before anything is written, so a failed build leaves the previous site untouched.
        if self.preview:
            self.preview.starting(config)
        self.outputs, self.written, self.shown_findings = {}, {}, None
        _apply_site_address(config, _project_root(config))
        reading = self._read(config)
        for finding in reading.findings:
            (log.error if finding.severity == "error" else log.warning)(str(finding))
        if reading.catalogue is None:
            errors = errors_in(reading.findings)
            if self.command == "serve":
                # The preview server makes every request wait for a build that succeeds; so this build
                # succeeds, with a site that shows the problems on every page (see _on_post_build_publish).
                log.error(f"{len(errors)} problem(s) in pattern files; the preview shows them on every page "
                          "until they are fixed.")
                self.shown_findings = errors
                config.nav = None  # the pages the navigation names are not built meanwhile
                return config
            raise PluginError(f"{len(errors)} problem(s) in pattern files; nothing was built. "
                              "Fix them, or run `patterns validate` to see them again.")
        self.catalogue = reading.catalogue
        # Our templates go after a project's custom_dir, before Material's own.
        config.theme.dirs.insert(1 if config.theme.custom_dir else 0, str(THEME))
        return config

    on_config = CombinedEvent(_on_config_publish, _on_config_read)

    def _read(self, config: MkDocsConfig) -> Reading:
        """The pattern files (and retrospectives) read and checked, and which translations may be behind."""
        retros = Path(self.config.retros_dir)
        with collector_paused():
            reading = read_catalogue(Path(self.config.patterns_dir), _project_root(config),
                                     retros if retros.is_dir() else None, parallel=self._may_fork(),
                                     cache=self.file_cache)
        if reading.catalogue is not None:
            # Shown as notes on the pages rather than logged: a strict build must not fail on it.
            self.stale = stale_sections(find_drift(reading.patterns, Path(self.config.patterns_dir)))
        return reading

    # ------------------------------------------------------------------ the generator's pages

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        if self.shown_findings is not None:
            return Files([])  # the preview shows the problems alone: see _on_config_read
        root = _project_root(config)
        site_dir = Path(config.site_dir).resolve()
        for path, output in self._generate(config).items():
            page = output if isinstance(output, GeneratedPage) else None
            file = File.generated(config, path, content=page.content if page else output)
            # Ids are validated, so this cannot fire; it is the last line of defence for the site folder.
            if not Path(file.abs_dest_path).resolve().is_relative_to(site_dir):
                raise PluginError(f"refusing to write {path} outside the site folder {site_dir}")
            if page and page.edit_path:
                file.edit_uri = Path(os.path.relpath(root / page.edit_path, config.docs_dir)).as_posix()
            files.append(file)
        return files

    def _generate(self, config: MkDocsConfig) -> Outputs:
        """Every page and file the generator makes of the catalogue, by path in docs."""
        assert self.catalogue is not None
        permalink = config.mdx_configs.get("toc", {}).get("permalink", False)
        renderer = Renderer(self.catalogue, [Path(self.config.templates_dir)] if self.config.templates_dir else [],
                            directory_urls=config.use_directory_urls,
                            changed=last_changed(Path(self.config.patterns_dir)),
                            template_cache=self.template_cache,
                            permalink="¶" if permalink is True else (permalink or None),
                            memo=self.output_memo, stale=self.stale)
        outputs: Outputs = {}
        with collector_paused():
            rendered = render_site(renderer, self._may_fork() and len(self.catalogue.patterns) >= PARALLEL_FROM)
        for output in rendered:
            outputs.update((page.path, page) for page in output.pages)
            outputs.update(output.search_files)
            outputs[data_path(output.lang)] = output.data
        self.outputs = outputs
        self.written = {path: page for path, page in outputs.items()
                        if isinstance(page, GeneratedPage) and page.html is not None}
        return outputs

    def _may_fork(self) -> bool:
        """A build (no server threads) where the `parallel` option is on; `fork` checks the rest."""
        return self.config.parallel and self.command in FORK_SAFE_COMMANDS

    # ------------------------------------------------------------------ the preview's partial rebuilds

    def generate_again(self, config: MkDocsConfig) -> Outputs | None:
        """For a partial rebuild of the preview: the catalogue read again and rendered; None if it has errors."""
        reading = self._read(config)
        if reading.catalogue is None:
            return None
        for finding in reading.findings:
            log.warning(str(finding))
        self.catalogue = reading.catalogue
        return self._generate(config)

    def before_partial_rebuild(self, pages: list[tuple[Page, GeneratedPage]], nav: Navigation,
                               config: MkDocsConfig) -> None:
        if self.output_cache:
            self.output_cache.update(pages, nav, config)

    def after_partial_rebuild(self, pages: list[Page], config: MkDocsConfig) -> bool:
        """The last gate for the pages a partial rebuild wrote, as `_on_post_build_scan` is for a build."""
        own_host = urlsplit(config.site_url or "").hostname or ""
        findings = [f for page in pages for f in scan_page(Path(page.file.abs_dest_path).read_bytes(),
                                                            page.file.dest_uri, own_host)]
        for finding in findings:
            log.error(str(finding))
        return not findings

    def template_dirs(self) -> list[Path]:
        """Folders of the generator's own templates, the project's overrides first."""
        return [*([Path(self.config.templates_dir)] if self.config.templates_dir else []), TEMPLATES, THEME]

    def shortcuts(self, config: MkDocsConfig) -> bool:
        """Whether this build may take the engine shortcuts (see `engine`): on a tested engine, and only
        when no other plugin could see a page (its Markdown, its context) differently because of them."""
        return list(config.plugins) == ["patterns"] and engine.fast_paths()

    # ------------------------------------------------------------------ the build

    # 100: first, before any other plugin writes into the fresh folder. The lock is taken here, not
    # in on_config: on_pre_build is the first event that only a real build fires (a tool may run
    # on_config and on_files alone, as the benchmark does, and would hold the lock for ever).
    @event_priority(100)
    def _on_pre_build_publish(self, config: MkDocsConfig) -> None:
        if self.publishing:
            try:
                self.publishing.start(self.config.publish_wait, log.info)
            except PublishError as e:
                raise PluginError(str(e)) from None

    def _on_pre_build_caches(self, config: MkDocsConfig) -> None:
        if self.page_cache:
            self.page_cache.start_build()

    on_pre_build = CombinedEvent(_on_pre_build_publish, _on_pre_build_caches)

    def on_nav(self, nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
        link_within_sections(nav.items)
        self.nav = nav
        return nav

    def on_env(self, env: jinja2.Environment, config: MkDocsConfig, files: Files) -> jinja2.Environment:
        if self.template_cache:
            env.bytecode_cache = self.template_cache
        env.globals["patterns_nav_cache"] = _FragmentCache()  # one per build; see theme/partials/nav.html
        self.env, self.files = env, files
        if self.output_cache and self.nav and self.shortcuts(config):
            generated = [(file.page, self.written[file.src_uri]) for file in files.documentation_pages()
                         if file.page and file.src_uri in self.written]
            self.output_cache.plan(generated, self.nav, config)
        if self.preview and self.nav and self.outputs:
            self.preview.built(config, files, self.nav, env, self.outputs)
        return env

    def on_page_markdown(self, markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        written = self.written.get(page.file.src_uri)
        if written is not None and written.html is not None:
            # Material prints page.meta and page.title unescaped (MkDocs' Jinja does not autoescape),
            # so they are handed over as escaped HTML, marked as such: printed raw they show the text,
            # and Material's own `| e` leaves them as they are instead of escaping them twice.
            page.meta = {key: markupsafe.escape(value) for key, value in written.meta}
            # The generator wrote this page's HTML; on_page_content hands it over.
            return engine.markdown_for_generated(page, written.html, self.shortcuts(config))
        if self.page_cache and self.shortcuts(config) and self.page_cache.skip_conversion(markdown, page, config,
                                                                                         files):
            return ""  # nothing to convert; on_page_content puts the known HTML back
        return markdown

    def on_page_content(self, html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        written = self.written.get(page.file.src_uri)
        if written is not None and written.html is not None:
            return engine.hand_over(page, written.html, written.headings, self.shortcuts(config))
        html = self.page_cache.content(html, page, files) if self.page_cache else html
        return localize_permalinks(html, page_lang(page.url))

    @event_priority(100)  # first, so the output kept is the template's own
    def on_post_page(self, output: str, page: Page, config: MkDocsConfig) -> str:
        if self.output_cache:
            self.output_cache.keep(output, page)
        return output

    def _on_post_build_pages(self, config: MkDocsConfig) -> None:
        if self.shown_findings is None:  # the preview's findings site has no pages to point at
            assert self.env is not None and self.files is not None and self.nav is not None
            write_error_pages(self.env, self.files, self.nav, config)
        if self.page_cache:
            self.page_cache.end_build()
        if self.output_cache:
            self.output_cache.end_build()
            log.debug(f"{self.output_cache.replayed} unchanged page(s) given again without rendering")

    @event_priority(-100)  # late: the scan reads the site as every other plugin has left it (before the swap)
    def _on_post_build_scan(self, config: MkDocsConfig) -> None:
        findings = scan_site(Path(config.site_dir), parallel=self._may_fork(),
                             own_host=urlsplit(config.site_url or "").hostname or "", memo=self.scan_memo)
        for finding in findings:
            log.error(str(finding))
        if findings:
            raise PluginError(f"{len(findings)} problem(s) in the built pages: something in them would run or load "
                              "from another host in a reader's browser")

    # -1000: below -100, the "last" of MkDocs' recommended range, where Material's offline plugin
    # runs. The swap is the build's point of no return: every other plugin's on_post_build (the
    # search index, the output scan) must have written and checked the fresh folder before it, and
    # nothing may write after it, into a folder that then holds the previous site being removed.
    @event_priority(-1000)
    def _on_post_build_publish(self, config: MkDocsConfig) -> None:
        if self.shown_findings is not None:
            page = render_findings_page(self.shown_findings).encode("utf-8")
            for name in ("index.html", "404.html"):  # the server answers every unknown address with 404.html
                (Path(config.site_dir) / name).write_bytes(page)
            return
        publishing, self.publishing = self.publishing, None
        if publishing is None:
            return
        try:
            publishing.finish(config, log)
        except PublishError as e:
            raise PluginError(str(e)) from None

    on_post_build = CombinedEvent(_on_post_build_pages, _on_post_build_scan, _on_post_build_publish)

    @event_priority(-1000)  # last: it may raise the one-line error that replaces the engine's traceback
    def on_build_error(self, *, error: Exception) -> None:
        publishing, self.publishing = self.publishing, None
        if publishing is None:
            return
        problem = publishing.failed(error)
        if problem:
            raise PluginError(problem) from error

    def on_serve(self, server: LiveReloadServer, config: MkDocsConfig, builder: object) -> LiveReloadServer:
        if self.preview and engine.fast_paths():
            self.preview.attach(server)
        server.watch(self.config.patterns_dir)
        if Path(self.config.retros_dir).is_dir():
            server.watch(self.config.retros_dir)
        server.watch(str(TEMPLATES))
        server.watch(str(THEME))
        if self.config.templates_dir:
            server.watch(self.config.templates_dir)
        return server


def _apply_site_address(config: MkDocsConfig, root: Path) -> None:
    """Fill in the site's and the repository's address that mkdocs.yml leaves out (see site_address)."""
    try:
        address = site_address(root, Path(config.docs_dir))
    except AddressError as e:
        raise PluginError(str(e)) from e
    if not config.site_url and address.site_url:
        config.site_url = address.site_url
    if not config.repo_url and address.repo_url:
        config.repo_url, config.edit_uri = address.repo_url, address.edit_uri
        config.repo_name = config.repo_name or address.repo_name


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
