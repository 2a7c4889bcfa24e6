"""While `mkdocs serve` runs, convert only the pages whose Markdown changed, compile templates once.

MkDocs rebuilds every page on every save. The generator writes its own pages' HTML (and converts
only prose it has not seen), but the hand-written pages go through Python-Markdown again on every
save although an edit to a pattern never changes them. A page's HTML depends only on its
Markdown, the Markdown configuration and the site's files (links are resolved against them), so
when all three are unchanged the HTML of the previous build is reused, along with what MkDocs
learned while converting it (the table of contents, the title and the anchors it checks links
against).

MkDocs also makes a new Jinja environment for every rebuild and compiles the theme's templates
again; their compiled code is kept too, checked against each template's source.

This is part of the MkDocs adapter: it relies on `Page.render` in MkDocs 1.6 and is used only by
`mkdocs serve`; `mkdocs build` always converts every page.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import jinja2

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page


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
