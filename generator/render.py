"""Render the catalogue as Markdown pages in both languages, from Jinja templates.

Pages are Markdown, not HTML, so the site generator's table of contents, search and
permalinks treat them like hand-written pages. Pattern text goes through
`text.to_safe_markdown` on its way in, so it can never carry markup.
"""

from __future__ import annotations

import json
import posixpath
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from generator import text as markdown
from generator.i18n import LABELS
from generator.model import LANGS, Catalogue, Lang, Pattern, Text
from generator.pattern_map import render_map_svg

TEMPLATES = Path(__file__).parent / "templates"
SECTIONS = ("problem", "context", "forces", "solution", "resulting_context", "rationale", "known_uses")


@dataclass(frozen=True)
class GeneratedPage:
    """One page of the site: where it lives in docs, its Markdown, and the file to edit it in."""

    path: str
    content: str
    edit_path: str | None = None


def lang_prefix(lang: Lang) -> str:
    """Korean lives at the site root, English under en/, with the same paths below."""
    return "" if lang == "ko" else "en/"


def pattern_page_path(pattern_id: str, lang: Lang) -> str:
    return f"{lang_prefix(lang)}patterns/{pattern_id}.md"


def catalogue_page_path(lang: Lang) -> str:
    return f"{lang_prefix(lang)}patterns/index.md"


def map_page_path(lang: Lang) -> str:
    return page_path("map", lang)


def page_path(name: str, lang: Lang) -> str:
    """A site page of its own (start, overview, cards …) in one language."""
    return f"{lang_prefix(lang)}{name}.md"


def data_path(lang: Lang) -> str:
    """Per-language pattern data that the retro sheet reads in the browser."""
    return f"data/{lang}.json"


# Pages rendered once per language from a template of the same name, with no per-page values.
SITE_PAGES = ("start", "overview", "situations", "cards", "tags", "retro")


def tag_slug(tag: Text) -> str:
    """A tag's anchor on the tags page, from its English name."""
    return re.sub(r"[^a-z0-9]+", "-", (tag.en or tag.ko).lower()).strip("-") or "tag"


def reading_minutes(pattern: Pattern, lang: Lang) -> int:
    """Rough reading time: 500 Hangul characters or 200 English words a minute."""
    texts = [pattern.summary, pattern.problem, pattern.context, *pattern.forces, pattern.solution,
             pattern.resulting_context, pattern.rationale, *(u.summary for u in pattern.known_uses)]
    body = " ".join(t(lang) for t in texts)
    amount = len(body.split()) / 200 if lang == "en" else len(body) / 500
    return max(1, round(amount + 0.4))


def short_solution(pattern: Pattern, lang: Lang) -> str:
    """The solution's first paragraph, for cards and retro sheets."""
    return pattern.solution(lang).strip().split("\n\n")[0]


def anchor(section: str) -> str:
    """Stable section anchors, the same in both languages: resulting_context -> resulting-context."""
    return section.replace("_", "-")


_MD_SPECIAL = re.compile(r"([\\`*_\[\]#|!])")


def plain(value: str) -> str:
    """A plain string (a title, an author) made inert in Markdown."""
    return _MD_SPECIAL.sub(r"\\\1", value).replace("<", "&lt;").replace("{", "&#123;")


class Renderer:
    """Renders every generated page of the site from a catalogue."""

    def __init__(self, catalogue: Catalogue, template_dirs: Sequence[Path] = (), directory_urls: bool = True,
                 changed: dict[str, str] | None = None, template_cache: jinja2.BytecodeCache | None = None) -> None:
        self.catalogue = catalogue
        self.directory_urls = directory_urls
        self.changed = changed or {}
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader([*template_dirs, TEMPLATES]),
            undefined=jinja2.StrictUndefined,
            keep_trailing_newline=True,
            trim_blocks=True,
            lstrip_blocks=True,
            autoescape=False,  # the output is Markdown; text is made safe by the filters below
            comment_start_string="{##",  # Markdown's heading ids ({#problem}) are not comments
            comment_end_string="##}",
            auto_reload=False,  # a Renderer lives for one build; serve makes a new one per rebuild
            bytecode_cache=template_cache,  # compiled templates shared between a preview's rebuilds
        )
        self.env.filters.update(md=self._md, plain=plain, link=self._link, yaml_str=_yaml_str, t=self._t,
                                tag_slug=tag_slug, href=self._page_href, minutes=self._minutes,
                                short_solution=self._short_solution, page_url=self._page_url, site_url=self._site_url)
        self.env.globals.update(anchor=anchor, catalogue=catalogue, neighbours=self._neighbours)

    def pages(self) -> list[GeneratedPage]:
        """Every generated page, Korean and English."""
        out = []
        for lang in LANGS:
            for pattern in self.catalogue.patterns:
                out.append(GeneratedPage(pattern_page_path(pattern.id, lang), self.pattern_page(pattern, lang),
                                         pattern.path))
            out.append(GeneratedPage(catalogue_page_path(lang), self._render("catalogue.md.j2",
                                                                             catalogue_page_path(lang), lang)))
            out.append(GeneratedPage(map_page_path(lang), self.map_page(lang)))
            for name in SITE_PAGES:
                out.append(GeneratedPage(page_path(name, lang), self._render(f"{name}.md.j2", page_path(name, lang),
                                                                              lang)))
            out += self.redirect_pages(lang)
        return out

    def pattern_data(self, lang: Lang) -> str:
        """What the retro sheet shows of each pattern, as JSON read in the browser (never parsed as HTML)."""
        return json.dumps({p.id: {
            "url": f"{lang_prefix(lang)}patterns/{p.id}/", "title": p.title(lang), "summary": p.summary(lang),
            "solution": short_solution(p, lang), "questions": [q(lang) for q in p.questions],
        } for p in self.catalogue.patterns}, ensure_ascii=False, separators=(",", ":"))

    def redirect_pages(self, lang: Lang) -> list[GeneratedPage]:
        """A page at every former id's address that forwards to the pattern, keeping the #section."""
        pages = []
        for pattern in self.catalogue.patterns:
            for old in pattern.former_ids:
                old_path = pattern_page_path(old, lang)
                href = self._html_href(old_path, pattern_page_path(pattern.id, lang))
                html = self.env.get_template("redirect.html.j2").render(
                    lang=lang, href=href, title=pattern.title(lang), moved=LABELS[lang]["moved"])
                target = old_path[: -len(".md")] + ("/index.html" if self.directory_urls else ".html")
                pages.append(GeneratedPage(target, html))
        return pages

    def pattern_page(self, pattern: Pattern, lang: Lang) -> str:
        changed = self.changed.get(pattern.path.rsplit("/", 1)[-1])
        return self._render("pattern.md.j2", pattern_page_path(pattern.id, lang), lang, p=pattern, changed=changed)

    def map_page(self, lang: Lang) -> str:
        path = map_page_path(lang)
        svg = render_map_svg(self.catalogue, lang, lambda pid: self._html_href(path, pattern_page_path(pid, lang)),
                             LABELS[lang]["map_label"])
        return self._render("map.md.j2", path, lang, svg=svg)

    def _render(self, template: str, page_path: str, lang: Lang, **values: Any) -> str:
        return self.env.get_template(template).render(page_path=page_path, lang=lang, L=LABELS[lang], **values)

    @staticmethod
    def _href(from_path: str, to_path: str) -> str:
        """A Markdown link between two docs files; MkDocs turns it into the page URL."""
        source_dir, target_dir = posixpath.dirname(from_path), posixpath.dirname(to_path)
        if source_dir == target_dir:  # most links; relpath is slow enough to show at 1,000 pages
            return posixpath.basename(to_path)
        return posixpath.relpath(to_path, source_dir or ".")

    def _html_href(self, from_path: str, to_path: str) -> str:
        """A link for raw HTML, which MkDocs leaves alone: relative between the pages' final URLs."""
        def url(path: str) -> str:
            stem = path[: -len(".md")]
            if stem == "index" or stem.endswith("/index"):
                return stem[: -len("index")]
            return stem + "/" if self.directory_urls else stem + ".html"
        source_dir = posixpath.dirname(url(from_path)) if not self.directory_urls else url(from_path)
        target = url(to_path)
        relative = posixpath.relpath(target or ".", source_dir.rstrip("/") or ".")
        return relative + "/" if target.endswith("/") and not relative.endswith("/") else relative

    @jinja2.pass_context
    def _page_href(self, ctx: jinja2.runtime.Context, name: str) -> str:
        """A Markdown link target from this page to a site page (`tags`, `retro` …) in the same language."""
        target = catalogue_page_path(ctx["lang"]) if name == "catalogue" else page_path(name, ctx["lang"])
        return self._href(ctx["page_path"], target)

    @jinja2.pass_context
    def _page_url(self, ctx: jinja2.runtime.Context, name: str) -> str:
        """A raw-HTML link from this page to a site page in the same language."""
        return self._html_href(ctx["page_path"], page_path(name, ctx["lang"]))

    @jinja2.pass_context
    def _site_url(self, ctx: jinja2.runtime.Context, site_path: str) -> str:
        """A raw-HTML link from this page to a file of the built site (e.g. data/ko.json)."""
        here = self._html_href(ctx["page_path"], "index.md")  # this page's way back to the site root
        return posixpath.normpath(posixpath.join(here, site_path)) if here not in ("", ".") else site_path

    @jinja2.pass_context
    def _minutes(self, ctx: jinja2.runtime.Context, pattern: Pattern) -> int:
        return reading_minutes(pattern, ctx["lang"])

    @jinja2.pass_context
    def _short_solution(self, ctx: jinja2.runtime.Context, pattern: Pattern) -> str:
        return markdown.to_safe_markdown(short_solution(pattern, ctx["lang"]), lambda pid: self._link(ctx, pid))

    def _neighbours(self, pattern: Pattern) -> tuple[Pattern | None, Pattern | None]:
        """The patterns before and after this one in the reading path."""
        index = self.catalogue.positions[pattern.id] - 1
        patterns = self.catalogue.patterns
        return (patterns[index - 1] if index > 0 else None,
                patterns[index + 1] if index + 1 < len(patterns) else None)

    @jinja2.pass_context
    def _t(self, ctx: jinja2.runtime.Context, value: Text) -> str:
        return value(ctx["lang"])

    @jinja2.pass_context
    def _md(self, ctx: jinja2.runtime.Context, value: Text) -> str:
        return markdown.to_safe_markdown(value(ctx["lang"]), lambda pid: self._link(ctx, pid))

    @jinja2.pass_context
    def _link(self, ctx: jinja2.runtime.Context, pattern_id: str) -> str:
        """A Markdown link to a pattern, titled in the page's language."""
        if pattern_id not in self.catalogue:
            return plain(pattern_id)
        lang: Lang = ctx["lang"]
        target = pattern_page_path(pattern_id, lang)
        return f"[{plain(self.catalogue[pattern_id].title(lang))}]({self._href(ctx['page_path'], target)})"


def render_scaffold(pattern_id: str, title_ko: str, title_en: str) -> str:
    """The text of a new pattern file: every field present and commented in both languages."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), undefined=jinja2.StrictUndefined,
                             keep_trailing_newline=True, autoescape=False)
    env.filters["yaml_str"] = _yaml_str
    return env.get_template("new-pattern.yaml.j2").render(id=pattern_id, title_ko=title_ko, title_en=title_en)


def _yaml_str(value: str) -> str:
    """A front-matter value: JSON strings are valid YAML and need no further escaping."""
    return json.dumps(value, ensure_ascii=False)
