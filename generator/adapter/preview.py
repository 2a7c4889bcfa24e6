"""While previewing, a save that changed only pattern files updates the pages it changed, not the whole site.

The preview server rebuilds the whole site after every save: at 1,000 patterns that is some ten
seconds of writing 2,000 unchanged pages. When nothing but the contents of pattern files changed
since the last full build (the configuration, the hand-written pages, the templates and the set
of pattern files are as they were, and it is the same day), the generator reads the catalogue,
renders what the edit changed (see `core.tracking`), and hands only the pages whose content
changed to the engine's own page pipeline, which converts, renders and writes them with every
plugin event, exactly as in a full build; search indexes and data files that changed are written
as they are. Everything else in the served folder is what the last full build wrote, and is what
a full build would write again. Anything else (an error in a pattern file, a page in the
navigation whose title changed, a file added or removed) makes a full build, as before.

This reaches into the engine (see `engine`), so it runs only on a tested engine version and only
when no other plugin is configured (one that sees every page, like a search plugin, would miss
the pages not rebuilt).
"""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from mkdocs.plugins import get_plugin_logger

from generator.adapter import engine
from generator.core.cycles import collector_paused
from generator.core.render import GeneratedPage

if TYPE_CHECKING:
    import jinja2
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.livereload import LiveReloadServer
    from mkdocs.structure.files import Files
    from mkdocs.structure.nav import Navigation

    from generator.adapter.plugin import PatternsPlugin

log = get_plugin_logger(__name__)
Stamps = dict[str, tuple[int, int]]  # path -> (modification time in ns, size)
Outputs = dict[str, "GeneratedPage | str"]  # docs path -> a page, or the text of another file


@dataclass
class Build:
    """What the last full build was made from and what it made, for the partial rebuilds after it."""

    config: MkDocsConfig
    files: Files
    nav: Navigation
    env: jinja2.Environment
    outputs: Outputs
    inputs: Stamps = field(default_factory=dict)  # every watched file except the pattern files
    patterns: Stamps = field(default_factory=dict)  # the pattern folder's entries
    day: str = ""


class Preview:
    """Decides, on each save, between a partial rebuild and the engine's full one."""

    def __init__(self, plugin: PatternsPlugin) -> None:
        self.plugin = plugin
        self.server: LiveReloadServer | None = None
        self.last: Build | None = None  # the last full build that succeeded
        self._building: Build | None = None  # the full build under way
        self._stamps: tuple[Stamps, Stamps, str] | None = None  # inputs as the build under way started

    def starting(self, config: MkDocsConfig) -> None:
        """A full build starts (called before it reads anything): note what its inputs look like."""
        self._stamps = (*self.stamp(config), dt.date.today().isoformat())
        self._building = None

    def built(self, config: MkDocsConfig, files: Files, nav: Navigation, env: jinja2.Environment,
              outputs: Outputs) -> None:
        """The full build under way has made its pages (called from on_env)."""
        if self._stamps is None:
            return
        inputs, patterns, day = self._stamps
        self._building = Build(config, files, nav, env, outputs, inputs, patterns, day)

    def attach(self, server: LiveReloadServer) -> None:
        """The server starts after the first build: from now on, every save comes through `rebuild`."""
        self.server = server
        self.last = self._building
        engine.take_over_rebuilds(server, self.rebuild)

    def rebuild(self, full_build: Callable[[], None]) -> None:
        """After a save: update the changed pages if that gives the same site, else build it all."""
        try:
            with collector_paused():  # at 1,000 patterns, one edit: 2.6 s with the collector running, 2.1 s paused
                if self._update():
                    return
        except Exception as e:  # noqa: BLE001 - a full build either repairs the site or reports the error itself
            log.info(f"updating the changed pages failed ({e}); building the whole site")
        self.last = None
        full_build()
        self.last = self._building

    def stamp(self, config: MkDocsConfig) -> tuple[Stamps, Stamps]:
        """The watched files other than the pattern files, and the pattern folder's entries."""
        options = self.plugin.config
        patterns = Path(options.patterns_dir)
        watched = [Path(config.config_file_path), Path(config.docs_dir), Path(options.retros_dir),
                   *(Path(d) for d in self.plugin.template_dirs()), *(Path(p) for p in config.watch),
                   *(Path(d) for d in config.theme.dirs if not _installed(Path(d)))]
        return _stamps(p for p in watched if p.resolve() != patterns.resolve()), _stamps([patterns])

    def _update(self) -> bool:
        """Rebuild only what pattern edits changed; False when that cannot be sure to give the whole site."""
        last, server = self.last, self.server
        if last is None or server is None or not self.plugin.shortcuts(last.config):
            return False
        if os.path.realpath(engine.served_folder(server)) != os.path.realpath(last.config.site_dir):
            return False
        inputs, patterns = self.stamp(last.config)
        if inputs != last.inputs or patterns.keys() != last.patterns.keys() \
                or dt.date.today().isoformat() != last.day:
            return False
        if patterns == last.patterns:
            return True  # nothing this site is made from changed (a file was saved unchanged)
        started = time.perf_counter()
        outputs = self.plugin.generate_again(last.config)
        if outputs is None or _pages(outputs) != _pages(last.outputs):
            return False
        changed = [path for path, output in outputs.items() if output != last.outputs.get(path)]
        gone = [path for path in last.outputs if path not in outputs]  # search chunks are named by content
        files = {path: last.files.get_file_from_path(path) for path in changed}
        in_nav = {page.file.src_uri for page in last.nav.pages}
        pages = [path for path in changed if isinstance(outputs[path], GeneratedPage)]
        for path in pages:
            before, after = last.outputs[path], outputs[path]
            assert isinstance(before, GeneratedPage) and isinstance(after, GeneratedPage)
            if files[path] is None or files[path].page is None:  # type: ignore[union-attr]
                return False
            if path in in_nav and before.content != after.content:
                return False  # its title may show in the navigation of every page
            files[path].content_string = after.content  # type: ignore[union-attr]
        self.plugin.before_partial_rebuild([(files[p].page, outputs[p]) for p in pages],  # type: ignore[misc]
                                           last.nav, last.config)
        engine.rebuild_pages([files[p].page for p in pages], last.config, last.files, last.nav, last.env)  # type: ignore[misc]
        if not self.plugin.after_partial_rebuild([files[p].page for p in pages], last.config):  # type: ignore[misc]
            return False  # the full build reports what the scan found
        site = Path(last.config.site_dir)
        for path in changed:
            if path not in pages:  # a search index file or a data file, written as the engine writes it
                output = outputs[path]
                assert isinstance(output, str)
                (site / path).parent.mkdir(parents=True, exist_ok=True)
                (site / path).write_text(output, encoding="utf-8")
        for path in gone:
            (site / path).unlink(missing_ok=True)
        last.patterns, last.outputs = patterns, outputs
        log.info(f"{len(pages)} page(s) and {len(changed) - len(pages)} other file(s) updated, {len(gone)} removed, "
                 f"in {time.perf_counter() - started:.2f} s; the rest of the site is unchanged")
        return True


def _pages(outputs: Outputs) -> set[str]:
    """The paths of the generated pages among a build's outputs."""
    return {path for path, output in outputs.items() if isinstance(output, GeneratedPage)}


def _installed(directory: Path) -> bool:
    """A theme folder inside an installed package, which does not change while previewing."""
    import sys

    return directory.resolve().is_relative_to(Path(sys.prefix).resolve())


def _stamps(paths: Iterable[Path]) -> Stamps:
    stamps: Stamps = {}
    for path in paths:
        if path.is_dir():
            for folder, _, names in os.walk(path):
                for name in names:
                    _stamp(os.path.join(folder, name), stamps)
        elif path.exists():
            _stamp(str(path), stamps)
    return stamps


def _stamp(path: str, stamps: Stamps) -> None:
    try:
        stat = os.stat(path)
    except OSError:
        stamps[path] = (-1, -1)
    else:
        stamps[path] = (stat.st_mtime_ns, stat.st_size)
