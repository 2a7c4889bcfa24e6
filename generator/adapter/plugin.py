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

from generator.adapter import engine
from generator.adapter.config import PatternsConfig
from generator.adapter.preview import Outputs, Preview
from generator.adapter.serve_cache import OutputCache, PageCache, TemplateCache
from generator.core.catalogue import FileCache, Reading, read_catalogue
from generator.core.history import last_changed
from generator.core.model import Catalogue
from generator.core.output import PARALLEL_FROM, render_site
from generator.core.render import TEMPLATES, GeneratedPage, Renderer, data_path
from generator.core.search import search_index_path
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
        self.preview: Preview | None = None
        self.nav: Navigation | None = None
        self.outputs: Outputs = {}  # everything the generator made in this build, by path in docs
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
        self.output_memo = OutputMemo() if serving else None
        self.output_cache = OutputCache() if serving else None
        self.preview = Preview(self) if serving else None

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        # Validation happens here, before MkDocs cleans site_dir, so a failed build leaves
        # the previous site untouched.
        if self.preview:
            self.preview.starting(config)
        self.outputs, self.written = {}, {}
        reading = self._read(config)
        for finding in reading.findings:
            (log.error if finding.severity == "error" else log.warning)(str(finding))
        if reading.catalogue is None:
            errors = sum(f.severity == "error" for f in reading.findings)
            raise PluginError(f"{errors} problem(s) in pattern files; nothing was built. "
                              "Fix them, or run `patterns validate` to see them again.")
        self.catalogue = reading.catalogue
        # Our templates go after a project's custom_dir, before Material's own.
        config.theme.dirs.insert(1 if config.theme.custom_dir else 0, str(THEME))
        return config

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        assert self.catalogue is not None
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

    def _read(self, config: MkDocsConfig) -> Reading:
        """The pattern files (and retrospectives) read and checked."""
        retros = Path(self.config.retros_dir)
        return read_catalogue(Path(self.config.patterns_dir), _project_root(config),
                              retros if retros.is_dir() else None,
                              parallel=self._may_fork(), cache=self.file_cache)

    def _generate(self, config: MkDocsConfig) -> Outputs:
        """Every page and file the generator makes of the catalogue, by path in docs."""
        assert self.catalogue is not None
        toc = config.mdx_configs.get("toc", {})
        permalink = toc.get("permalink", False)
        renderer = Renderer(self.catalogue, [Path(self.config.templates_dir)] if self.config.templates_dir else [],
                            directory_urls=config.use_directory_urls,
                            changed=last_changed(Path(self.config.patterns_dir)),
                            template_cache=self.template_cache,
                            permalink="¶" if permalink is True else (permalink or None),
                            permalink_title=toc.get("permalink_title", "Permanent link"),
                            memo=self.output_memo)
        outputs: Outputs = {}
        for output in render_site(renderer, self._may_fork() and len(self.catalogue.patterns) >= PARALLEL_FROM):
            outputs.update((page.path, page) for page in output.pages)
            outputs[search_index_path(output.lang)] = output.search_index
            outputs[data_path(output.lang)] = output.data
        self.outputs = outputs
        self.written = {path: page for path, page in outputs.items()
                        if isinstance(page, GeneratedPage) and page.html is not None}
        return outputs

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

    def _may_fork(self) -> bool:
        """A build (no server threads) where the `parallel` option is on; `fork` checks the rest."""
        return self.config.parallel and self.command in FORK_SAFE_COMMANDS

    def template_dirs(self) -> list[Path]:
        """Folders of the generator's own templates, the project's overrides first."""
        return [*([Path(self.config.templates_dir)] if self.config.templates_dir else []), TEMPLATES, THEME]

    def shortcuts(self, config: MkDocsConfig) -> bool:
        """Whether this build may take the engine shortcuts (see `engine`): on a tested engine, and only
        when no other plugin could see a page (its Markdown, its context) differently because of them."""
        return list(config.plugins) == ["patterns"] and engine.fast_paths()

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
