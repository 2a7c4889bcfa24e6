"""Render the catalogue as HTML pages in both languages, from Jinja templates.

The generator writes its pages' HTML itself, with headings, permalinks and admonitions marked
up as the site's Markdown would mark them up, and hands the site generator a table of contents
for each. Only the prose inside them is Markdown, converted once per distinct text by `markup`,
whose parser has no HTML and whose output passes an allowlist sanitiser. Templates escape
everything else they print (the environment autoescapes).
"""

from __future__ import annotations

import functools
import json
import posixpath
import re
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import jinja2
import markupsafe

from generator.core.citations import citation_place, format_pages
from generator.core.i18n import LABELS
from generator.core.markup import Resolve, plain_words, to_html, to_inline_html
from generator.core.model import Addition, Catalogue, CitedAt, Citation, Lang, Pattern, Source, Text
from generator.core.pattern_map import render_map_svg
from generator.core.scripts import mark_other_script
from generator.core.tracking import OutputMemo

R = TypeVar("R")

TEMPLATES = Path(__file__).parent / "templates"
SECTIONS = ("problem", "context", "forces", "solution", "resulting_context", "rationale", "known_uses")


@dataclass(frozen=True)
class Heading:
    """A heading of a generated page, for the page's table of contents."""

    level: int
    id: str
    title: str  # HTML


@dataclass(frozen=True)
class GeneratedPage:
    """One page of the site: where it lives in docs, what the site generator reads, the file to edit it in.

    For a page the generator has written (`html` is set), `meta` holds its plain-text title and
    description (the adapter hands them to the site generator escaped) and `headings` its table of
    contents; its `content` is empty. Redirect pages are complete HTML files in `content`.
    """

    path: str
    content: str
    edit_path: str | None = None
    html: str | None = None
    headings: tuple[Heading, ...] = ()
    meta: tuple[tuple[str, str], ...] = ()


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
SITE_PAGES = ("start", "overview", "situations", "cards", "tags", "retro", "sources")


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


def heading_slug(title: str) -> str:
    """A heading's id from its text, as the site's `toc` slugify makes it: lower case, spaces to '-'."""
    return re.sub(r"[^\w\- ]", "", title.lower()).strip().replace(" ", "-")


_ANCHOR = re.compile(r"[a-z0-9-]+")


class Renderer:
    """Renders every generated page of the site from a catalogue."""

    def __init__(self, catalogue: Catalogue, template_dirs: Sequence[Path] = (), directory_urls: bool = True,
                 changed: dict[str, str] | None = None, template_cache: jinja2.BytecodeCache | None = None,
                 permalink: str | None = "#", memo: OutputMemo | None = None,
                 stale: dict[str, frozenset[tuple[str, str]]] | None = None) -> None:
        self.catalogue = catalogue
        self.stale = stale or {}  # pattern id -> (language, section anchor) whose translation may be behind
        self.memo = memo
        if memo is not None:
            memo.next_rendering(catalogue)
        self.directory_urls = directory_urls
        self.changed = changed or {}
        self.permalink = permalink  # the symbol after each heading, as the site's Markdown `toc` puts it
        self._headings: list[Heading] = []  # of the page being rendered
        # What every page's HTML also depends on: URL style, permalinks, and the templates themselves.
        self._settings = (directory_urls, permalink, _stamp([*template_dirs, TEMPLATES])) \
            if memo is not None else ()
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader([*template_dirs, TEMPLATES]),
            undefined=jinja2.StrictUndefined,
            autoescape=True,  # everything printed is escaped unless it is already HTML (Markup)
            trim_blocks=True,
            lstrip_blocks=True,
            auto_reload=False,  # a Renderer lives for one build; serve makes a new one per rebuild
            bytecode_cache=template_cache,  # compiled templates shared between a preview's rebuilds
        )
        self.env.filters.update(md=self._md, md_inline=self._md_inline, link=self._link, t=self._t,
                                tag_slug=tag_slug, slug=heading_slug, pattern_url=self._pattern_url,
                                page_url=self._page_url, site_url=self._site_url, minutes=self._minutes,
                                short_solution=self._short_solution, citation=self._citation, pages=self._pages,
                                other_script=self._other_script, fill=_fill, addition_source=self._addition_source)
        self.env.globals.update(catalogue=catalogue, neighbours=self._neighbours, heading=self._heading,
                                tag_groups=self._tag_groups, cited_groups=self._cited_groups)

    def pages(self, lang: Lang) -> list[GeneratedPage]:
        """Every generated page of one language."""
        out = [self.pattern_page(pattern, lang) for pattern in self.catalogue.patterns]
        out.append(self.tracked(("catalogue", lang), lambda: self._page(
            "catalogue.html.j2", catalogue_page_path(lang), lang, {"title": LABELS[lang]["catalogue_title"]})))
        out.append(self.map_page(lang))
        for name in SITE_PAGES:
            out.append(self.tracked((name, lang), lambda name=name: self._page(  # type: ignore[misc]
                f"{name}.html.j2", page_path(name, lang), lang, {"title": LABELS[lang][f"{name}_title"]})))
        return out + self.redirect_pages(lang)

    def tracked(self, key: Hashable, make: Callable[[], R]) -> R:
        """`make()`, or with a memo its earlier result when nothing of the catalogue it read has changed.

        While `make` runs under a memo, `self.catalogue` (and the templates' `catalogue`) is the
        memo's view of it, which notes what is read (see `tracking`); `make` must read the
        catalogue only through them.
        """
        if self.memo is None:
            return make()

        def run(view: Any) -> R:
            saved = self.catalogue
            self.catalogue = self.env.globals["catalogue"] = view
            try:
                return make()
            finally:
                self.catalogue = self.env.globals["catalogue"] = saved
        return self.memo.get((key, self._settings), run)

    def pattern_data(self, lang: Lang) -> str:
        """What the retro sheet shows of each pattern, as JSON read in the browser (never parsed as HTML):
        its texts as the words a reader sees, without Markdown or mention syntax."""
        def plain(text: str) -> str:
            return self._plain(text, lang)
        return self.tracked(("data", lang), lambda: json.dumps({p.id: {
            "url": f"{lang_prefix(lang)}patterns/{p.id}/", "title": p.title(lang), "summary": plain(p.summary(lang)),
            "solution": plain(short_solution(p, lang)), "questions": [plain(q(lang)) for q in p.questions],
            "additions": [plain(a.text(lang).strip().split("\n\n")[0]) for a in p.additions_in("solution")],
            "candidate": p.status == "candidate",
        } for p in self.catalogue.patterns}, ensure_ascii=False, separators=(",", ":")))

    def redirect_pages(self, lang: Lang) -> list[GeneratedPage]:
        """A page at every former id's address that forwards to the pattern, keeping the #section."""
        def make() -> list[GeneratedPage]:
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
        return self.tracked(("redirects", lang), make)

    def pattern_page(self, pattern: Pattern, lang: Lang) -> GeneratedPage:
        changed = self.changed.get(pattern.path.rsplit("/", 1)[-1])
        stale = frozenset(at for language, at in self.stale.get(pattern.id, ()) if language == lang)

        def render() -> GeneratedPage:
            p = self.catalogue[pattern.id]  # under a memo, the view that notes what the page reads
            meta = {"title": p.title(lang), "description": self._plain(p.summary(lang), lang), "pattern": p.id}
            page = self._page("pattern.html.j2", pattern_page_path(p.id, lang), lang, meta, p=p, changed=changed,
                              stale=stale)
            return GeneratedPage(page.path, page.content, p.path, page.html, page.headings, page.meta)
        return self.tracked(("pattern", pattern.id, lang, changed, stale), render)

    def _plain(self, text: str, lang: Lang) -> str:
        """Prose as the words a reader sees (for a page's description): mentions as titles, no syntax."""
        catalogue = self.catalogue
        return plain_words(text, lambda pid, _: ("", catalogue[pid].title(lang)) if pid in catalogue else None)

    def map_page(self, lang: Lang) -> GeneratedPage:
        path = map_page_path(lang)

        def render() -> GeneratedPage:
            svg = render_map_svg(self.catalogue, lang,  # type: ignore[arg-type]
                                 lambda pid: self._html_href(path, pattern_page_path(pid, lang)),
                                 LABELS[lang]["map_label"], LABELS[lang]["candidate_badge"])
            return self._page("map.html.j2", path, lang, {"title": LABELS[lang]["map_title"]},
                              svg=markupsafe.Markup(svg))
        return self.tracked(("map", lang), render)

    def _page(self, template: str, path: str, lang: Lang, meta: dict[str, str], **values: Any) -> GeneratedPage:
        self._headings = []
        html = self.env.get_template(template).render(page_path=path, lang=lang, L=LABELS[lang], **values)
        return GeneratedPage(path, "", html=html, headings=tuple(self._headings), meta=tuple(meta.items()))

    @jinja2.pass_context
    def _heading(self, ctx: jinja2.runtime.Context, level: int, heading_id: str, content: str) -> markupsafe.Markup:
        """A heading with its permalink, as the site's Markdown writes one; noted for the table of contents."""
        inner, anchor_id = markupsafe.escape(content), markupsafe.escape(heading_id)
        self._headings.append(Heading(level, heading_id, str(markupsafe.escape(inner.striptags()))))
        title = markupsafe.escape(LABELS[ctx["lang"]]["permalink"])
        link = (f'<a class="headerlink" href="#{anchor_id}" title="{title}" aria-label="{title}">'
                f'{markupsafe.escape(self.permalink)}</a>' if self.permalink else "")
        return markupsafe.Markup(f'<h{level} id="{anchor_id}">{inner}{link}</h{level}>')

    def _html_href(self, from_path: str, to_path: str) -> str:
        """A link between two pages' final URLs (`patterns/a.md` -> `../b/`), relative, as MkDocs makes them."""
        source, target = self._url(from_path), self._url(to_path)
        source_dir = source.rstrip("/") if self.directory_urls else posixpath.dirname(source)
        target_dir, leaf = posixpath.split(target.rstrip("/"))
        prefix = _relative_dir(source_dir, target_dir)
        relative = prefix if not leaf else leaf if prefix == "." else f"{prefix}/{leaf}"
        return relative + "/" if target.endswith("/") and not relative.endswith("/") else relative

    def _url(self, path: str) -> str:
        """A page's URL below the site root, from its docs path."""
        stem = path[: -len(".md")]
        if stem == "index" or stem.endswith("/index"):
            return stem[: -len("index")]
        return stem + "/" if self.directory_urls else stem + ".html"

    @jinja2.pass_context
    def _pattern_url(self, ctx: jinja2.runtime.Context, pattern_id: str) -> str:
        return self._html_href(ctx["page_path"], pattern_page_path(pattern_id, ctx["lang"]))

    @jinja2.pass_context
    def _page_url(self, ctx: jinja2.runtime.Context, name: str) -> str:
        """A link from this page to a site page (`tags`, `retro`, `catalogue` …) in the same language."""
        target = catalogue_page_path(ctx["lang"]) if name == "catalogue" else page_path(name, ctx["lang"])
        return self._html_href(ctx["page_path"], target)

    @jinja2.pass_context
    def _site_url(self, ctx: jinja2.runtime.Context, site_path: str) -> str:
        """A link from this page to a file of the built site (e.g. data/ko.json)."""
        here = self._html_href(ctx["page_path"], "index.md")  # this page's way back to the site root
        return posixpath.normpath(posixpath.join(here, site_path)) if here not in ("", ".") else site_path

    @jinja2.pass_context
    def _minutes(self, ctx: jinja2.runtime.Context, pattern: Pattern) -> int:
        lang = ctx["lang"]
        return self.tracked(("minutes", pattern.id, lang), lambda: reading_minutes(self.catalogue[pattern.id], lang))

    @jinja2.pass_context
    def _short_solution(self, ctx: jinja2.runtime.Context, pattern: Pattern) -> markupsafe.Markup:
        return self._prose(ctx, short_solution(pattern, ctx["lang"]), to_inline_html)

    def _neighbours(self, pattern: Pattern) -> tuple[Pattern | None, Pattern | None]:
        """The patterns before and after this one in the reading path."""
        index = self.catalogue.positions[pattern.id] - 1
        patterns = self.catalogue.patterns
        return (patterns[index - 1] if index > 0 else None,
                patterns[index + 1] if index + 1 < len(patterns) else None)

    def _tag_groups(self) -> list[tuple[str, Text, list[Pattern]]]:
        """Each tag (by slug, in slug order) with the patterns that carry it, in reading order."""
        groups: dict[str, tuple[Text, list[Pattern]]] = {}
        for pattern in self.catalogue.patterns:
            for tag in pattern.tags:
                groups.setdefault(tag_slug(tag), (tag, []))[1].append(pattern)
        return [(slug, tag, patterns) for slug, (tag, patterns) in sorted(groups.items())]

    @jinja2.pass_context
    def _citation(self, ctx: jinja2.runtime.Context, citation: Citation) -> markupsafe.Markup:
        """A citation in a sentence: the source's short name, linked to its entry under Sources, then where in it."""
        source = citation.source
        link = markupsafe.Markup('<a href="#source-{}">{}</a>').format(source.key, self._short_name(ctx, source))
        place = citation_place(citation, ctx["lang"])
        return link + markupsafe.Markup(", ") + place if place else link

    def _short_name(self, ctx: jinja2.runtime.Context, source: Source) -> markupsafe.Markup:
        """How a citation names a source, never the same for two sources: its title (with where and when it
        appeared, if another source has that title), else its author or container with "title unknown"."""
        labels, mark = LABELS[ctx["lang"]], functools.partial(self._other_script, ctx)
        kind = labels[f"kind_{source.kind}"]
        if source.title:
            if sum(other.title == source.title for other in self.catalogue.sources) < 2:
                return mark(source.title)
            detail = [mark(source.container) if source.container else markupsafe.escape(kind)]
            detail += [markupsafe.escape(source.date[:4])] if source.date else []
            return mark(source.title) + markupsafe.Markup(" (") + markupsafe.Markup(", ").join(detail) + \
                markupsafe.Markup(")")
        unknown = markupsafe.escape(f"{kind}, {labels['title_unknown']}")
        who = source.author or source.container
        return mark(who) + markupsafe.Markup(" (") + unknown + markupsafe.Markup(")") if who else \
            markupsafe.Markup("(") + unknown + markupsafe.Markup(")")

    @jinja2.pass_context
    def _other_script(self, ctx: jinja2.runtime.Context, words: str) -> markupsafe.Markup:
        """A source's own words (a name, a title, an address), each run in the other language's script
        marked as such: Khori(高麗) on a Korean page, a Korean title on an English one."""
        return markupsafe.Markup(mark_other_script(words, ctx["lang"]))

    @jinja2.pass_context
    def _addition_source(self, ctx: jinja2.runtime.Context, addition: Addition) -> markupsafe.Markup:
        """"Source: …" under an addition, or our own experience when it cites nothing."""
        labels = LABELS[ctx["lang"]]
        if not addition.cite:
            return markupsafe.escape(f"{labels['source']}: {labels['our_experience']}")
        label = labels["source"] if len(addition.cite) == 1 else labels["sources_cited"]
        cites = markupsafe.Markup("; ").join(self._citation(ctx, c) for c in addition.cite)
        return markupsafe.escape(label) + markupsafe.Markup(": ") + cites

    def _cited_groups(self, key: str) -> list[tuple[Pattern, list[CitedAt]]]:
        """The places citing a source, grouped by pattern, in reading order."""
        groups: dict[str, list[CitedAt]] = {}
        for at in self.catalogue.cited_by.get(key, ()):
            groups.setdefault(at.pattern_id, []).append(at)
        return [(self.catalogue[pid], places) for pid, places in groups.items()]

    @jinja2.pass_context
    def _pages(self, ctx: jinja2.runtime.Context, pages: str) -> str:
        return format_pages(pages, ctx["lang"])

    @jinja2.pass_context
    def _t(self, ctx: jinja2.runtime.Context, value: Text) -> str:
        return value(ctx["lang"])

    @jinja2.pass_context
    def _md(self, ctx: jinja2.runtime.Context, value: Text) -> markupsafe.Markup:
        return self._prose(ctx, value(ctx["lang"]), to_html)

    @jinja2.pass_context
    def _md_inline(self, ctx: jinja2.runtime.Context, value: Text) -> markupsafe.Markup:
        return self._prose(ctx, value(ctx["lang"]), to_inline_html)

    def _prose(self, ctx: jinja2.runtime.Context, text: str,
               convert: Callable[[str, Resolve, str], str]) -> markupsafe.Markup:
        """Pattern prose as sanitised HTML, its mentions linked from this page in its language.

        Tracked on its own (its key: the text, and what the links depend on), so a preview that
        renders a page again converts only the prose that changed.
        """
        def resolve(pattern_id: str, section: str) -> tuple[str, str] | None:
            if pattern_id not in self.catalogue:
                return None
            fragment = f"#{section}" if section and _ANCHOR.fullmatch(section) else ""  # validated: an anchor only
            return self._pattern_url(ctx, pattern_id) + fragment, self.catalogue[pattern_id].title(ctx["lang"])
        return self.tracked(("prose", convert, ctx["lang"], ctx["page_path"], text),
                            lambda: markupsafe.Markup(convert(text, resolve, ctx["lang"])))

    @jinja2.pass_context
    def _link(self, ctx: jinja2.runtime.Context, pattern_id: str) -> markupsafe.Markup:
        """A link to a pattern, titled in the page's language."""
        if pattern_id not in self.catalogue:
            return markupsafe.escape(pattern_id)
        title = markupsafe.escape(self.catalogue[pattern_id].title(ctx["lang"]))
        return markupsafe.Markup(f'<a href="{markupsafe.escape(self._pattern_url(ctx, pattern_id))}">{title}</a>')


def _stamp(directories: Sequence[Path]) -> tuple[tuple[str, int, int], ...]:
    """Name, size and modification time of every template, to notice an edited template."""
    stamp = []
    for directory in directories:
        for path in sorted(Path(directory).rglob("*")):
            if path.is_file():
                stat = path.stat()
                stamp.append((str(path), stat.st_size, stat.st_mtime_ns))
    return tuple(stamp)


@functools.lru_cache(maxsize=65536)
def _relative_dir(source_dir: str, target_dir: str) -> str:
    """From one folder of the site to another (pages share a few folders; relpath is slow at scale)."""
    return posixpath.relpath(target_dir or ".", source_dir or ".")


def render_scaffold(pattern_id: str, title_ko: str, title_en: str) -> str:
    """The text of a new pattern file: every field present and commented in both languages."""
    # Autoescaping as everywhere: the file is YAML, so every value goes through yaml_str, whose
    # JSON string is valid YAML and is marked safe; anything printed without it would show escaped.
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), undefined=jinja2.StrictUndefined,
                             keep_trailing_newline=True, autoescape=True)
    env.filters["yaml_str"] = _yaml_str
    return env.get_template("new-pattern.yaml.j2").render(id=pattern_id, title_ko=title_ko, title_en=title_en)


def _fill(label: str, **values: str) -> markupsafe.Markup:
    """A label with {placeholders}, the label escaped and each value escaped unless it is already HTML."""
    return markupsafe.escape(label).format(**values)


def _yaml_str(value: str) -> markupsafe.Markup:
    """A YAML value: a JSON string is valid YAML and needs no further escaping.

    Line and paragraph separators are written as escapes, so the value (not the file's bytes) is
    what the validator judges, with its field named.
    """
    quoted = json.dumps(value, ensure_ascii=False).replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return markupsafe.Markup(quoted)
