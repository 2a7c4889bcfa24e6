"""The last gate before a site is published: read every built page back as a browser would.

Each HTML file is parsed with lexbor (through selectolax), a real HTML5 parser, so what is checked
is the document a browser builds, not the text the generator meant to write. Two rules:

- in content areas (every `<article>`), only the elements and attributes that the generator's
  templates, sanitised prose and the hand-written pages use, and links only to http, https,
  mailto or this site;
- anywhere on the page, nothing that loads from outside this site: `src`, `srcset`, `poster`, `data`,
  `action`, `formaction`, `background`, `ping`, `href` on anything but a link, CSS `url()`,
  `image-set()` and `@import` in `style` attributes and elements; no `srcdoc`; data: URLs only
  where they cannot run (images, media, CSS); and no link or refresh to a scheme other than
  http, https or mailto.

A finding names the page. The site generator's adapter runs this after every build and fails
the build on any finding.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from urllib.parse import urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from generator.core.findings import Finding
from generator.core.fork import map_in_two

_HEADINGS = {f"h{n}": {"id"} for n in range(1, 7)}
# Elements allowed in content areas, each with the attributes it may carry beyond the global ones.
CONTENT_ELEMENTS: dict[str, set[str]] = {
    # prose (generator/core/sanitize.py), the pages' own markup and the hand-written pages
    "p": set(), "br": set(), "em": set(), "strong": set(), "code": set(), "pre": set(), "hr": set(),
    "ul": set(), "ol": {"start"}, "blockquote": set(), "a": {"href", "rel", "hreflang"},
    # the bibliography: titles of works, and entries that citations link to (#source-<key>); prose
    # never carries an id (the sanitiser drops them), so the ids here are the generator's own
    "cite": set(), "li": {"id"},
    # a quiet note where a translation may be behind (drift)
    "small": set(),
    "div": set(), "span": set(), "section": set(), "article": set(), "sup": set(), "sub": set(),
    "table": set(), "thead": set(), "tbody": set(), "tr": set(), "th": {"style"}, "td": {"style"},
    **_HEADINGS,
    # the reader's tools: self-check, finder, catalogue sorting, retro sheet
    "input": {"type", "id", "name", "value", "placeholder", "autocomplete", "spellcheck", "checked"},
    # the 404 pages' search: a form sent to the situation finder on this site (actions are checked below)
    "form": {"action", "method"},
    "label": {"for"}, "button": {"type"}, "select": {"id"}, "option": {"value", "selected"},
    # the pattern map and Material's icons
    "svg": {"xmlns", "viewBox", "width", "height"}, "defs": set(), "g": set(), "title": set(),
    "marker": {"id", "viewBox", "refX", "refY", "markerWidth", "markerHeight", "orient"},
    "path": {"d", "marker-end"}, "rect": {"x", "y", "width", "height", "rx"},
    "text": {"x", "y", "text-anchor"}, "tspan": {"x", "y"},
}
GLOBAL_ATTRIBUTES = frozenset({"class", "title", "role", "lang"})
GLOBAL_PREFIXES = ("aria-", "data-")  # but not data-md-*, which steers Material's own scripts
LINK_SCHEMES = frozenset({"http", "https", "mailto"})
# The one inline style the hand-written pages' tables carry (Markdown's column alignment).
_TABLE_STYLE = re.compile(r"text-align:\s*(left|right|center);?")

# Everything a page is checked on, found in one pass of lexbor's selector engine: content areas; links
# with a colon (a link without one cannot name a scheme); whatever can load something (attributes,
# <style>, refreshes, and SVG elements whose xlink:href CSS cannot select by name).
_CHECKED = ('article,a[href*=":"],area[href*=":"],[src],[srcset],[srcdoc],[poster],[data],[action],'
            "[formaction],[background],[ping],[style],[href]:not(a):not(area),style,meta[http-equiv],use,image,"
            "feimage")
_CSS_URL = re.compile(r"url\(\s*(['\"]?)(.*?)\1\s*\)|@import\s+(['\"])(.*?)\3|image-set\(\s*(['\"])(.*?)\5",
                      re.I | re.S)
_CSS_ESCAPE = re.compile(r"\\([0-9a-fA-F]{1,6})\s?|\\(.)", re.S)
_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.S)
_MEDIA = frozenset({"img", "source", "video", "audio", "track", "input", "picture"})  # data: cannot run there
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):")


class ScanMemo:
    """Findings of pages already scanned, by their bytes (a preview rebuild rewrites every page, but
    changes few)."""

    def __init__(self) -> None:
        self.pages: dict[str, tuple[bytes, list[Finding]]] = {}


def scan_site(site_dir: Path, parallel: bool = False, own_host: str = "", memo: ScanMemo | None = None
              ) -> list[Finding]:
    """Every finding in every HTML file of a built site; with `parallel`, on two cores.

    `own_host` is the site's host name (from its configured URL), so absolute links to it count
    as this site's own. With `memo`, a page whose bytes are those of an earlier scan is not parsed again.
    """
    pages = [(path, path.relative_to(site_dir).as_posix()) for path in sorted(site_dir.rglob("*.html"))]
    known = memo.pages if memo is not None else {}
    digests: dict[str, bytes] = {}
    todo = []
    for path, name in pages:
        data = path.read_bytes()
        if memo is not None:
            digests[name] = hashlib.blake2b(data, digest_size=16).digest()
            if known.get(name, (b"", []))[0] == digests[name]:
                continue
        todo.append((name, data))

    def scan(chunk: Sequence[tuple[str, bytes]]) -> list[list[Finding]]:
        return [scan_page(data, name, own_host) for name, data in chunk]

    fresh = dict(zip((name for name, _ in todo), map_in_two(scan, todo, parallel)))
    if memo is not None:
        memo.pages = {name: (digests[name], fresh[name] if name in fresh else known[name][1]) for _, name in pages}
    return [finding for _, name in pages for finding in (fresh[name] if name in fresh else known[name][1])]


def scan_page(html: bytes | str, name: str, own_host: str = "") -> list[Finding]:
    """The findings of one page, each naming it."""
    problems: list[str] = []
    for node in LexborHTMLParser(html).css(_CHECKED):
        if node.tag == "article":
            problems += _content(node)
        else:
            problems += _loads(node, own_host)
    return [Finding(name, 0, "", problem) for problem in dict.fromkeys(problems)]


def _content(article: LexborNode) -> Iterator[str]:
    """Elements, attributes and link schemes outside the content allowlist."""
    for node in article.traverse(include_text=False):
        tag = node.tag
        allowed = CONTENT_ELEMENTS.get(tag)
        if allowed is None:
            if tag != "_comment" and tag != "-comment":
                yield f"content holds a <{tag}> element, which pages never contain"
            continue
        for name, value in node.attributes.items():
            if name in allowed or name in GLOBAL_ATTRIBUTES or (name.startswith(GLOBAL_PREFIXES)
                                                                and not name.startswith("data-md-")):
                if name == "style" and not _TABLE_STYLE.fullmatch((value or "").strip()):
                    yield f"content holds <{tag} style=\"{value}\">, which pages never contain"
                continue  # a link's scheme is checked with every other link on the page
            yield f"content holds <{tag} {name}>, an attribute pages never contain"


def _loads(node: LexborNode, own_host: str) -> Iterator[str]:
    """What an element would load from outside this site, or the unsafe scheme it links to."""
    tag, attributes = node.tag, node.attributes
    for name, value in attributes.items():
        value = value or ""
        if name in ("href", "xlink:href") and tag in ("a", "area"):
            if not _link_allowed(value):
                yield f"<{tag}> links to '{value}'; only http, https, mailto and this site are allowed"
        elif name == "srcset":
            for candidate in value.split(","):
                url = candidate.strip().split(" ")[0]
                if url and not _same_site(url, own_host, tag in _MEDIA):
                    yield f"<{tag} srcset> loads '{url}' from outside this site"
        elif name in ("src", "poster", "data", "action", "formaction", "background", "ping", "href",
                      "xlink:href"):
            if not _same_site(value, own_host, tag in _MEDIA):
                yield f"<{tag} {name}> loads '{value}' from outside this site"
        elif name == "srcdoc":
            yield f"<{tag} srcdoc> embeds a document of its own, which pages never contain"
        elif name == "style":
            yield from _css(value, f"<{tag} style>", own_host)
    if tag == "style":
        yield from _css(node.text(deep=True), "<style>", own_host)
    elif tag == "meta" and (attributes.get("http-equiv") or "").lower() == "refresh":
        target = (attributes.get("content") or "").partition(";")[2].strip()
        target = target.split("=", 1)[1] if target.lower().startswith("url") and "=" in target else target
        if target and not _link_allowed(target.strip("'\" ")):
            yield f"<meta http-equiv=refresh> goes to '{target}'; only http, https and this site are allowed"


def _css(css: str, where: str, own_host: str) -> Iterator[str]:
    """CSS that loads from outside this site: url(), image-set() and @import, read after CSS escapes."""
    if "\\" in css:
        css = _CSS_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)) if m.group(1) else m.group(2), css)
    for m in _CSS_URL.finditer(_CSS_COMMENT.sub("", css)):
        url = m.group(2) or m.group(4) or m.group(6) or ""
        if not _same_site(url, own_host, True):
            yield f"{where} loads '{url}' from outside this site"


def _normalised(url: str) -> str:
    """A URL as a browser reads it: outer blanks and controls gone, tabs and newlines removed, \\ as /."""
    url = url.strip("\x00\x01\x02\x03\x04\x05\x06\x07\x08\t\n\x0b\x0c\r\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17"
                    "\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f ")
    return url.replace("\t", "").replace("\n", "").replace("\r", "").replace("\\", "/")


@functools.lru_cache(maxsize=4096)
def _same_site(url: str, own_host: str, data_allowed: bool) -> bool:
    """Whether loading `url` stays on this site: a relative address, this site's own host, or (for
    images, media and CSS, which cannot run it) a data: URL."""
    url = _normalised(url)
    if url.startswith("//"):
        return bool(own_host) and urlsplit("http:" + url).hostname == own_host
    scheme = _scheme(url)
    if not scheme:
        return True
    if scheme == "data":
        return data_allowed
    return scheme in ("http", "https") and bool(own_host) and urlsplit(url).hostname == own_host


@functools.lru_cache(maxsize=4096)
def _link_allowed(url: str) -> bool:
    """Whether following `url` is safe: http, https, mailto, or a relative address."""
    url = _normalised(url)
    scheme = _scheme(url)
    return scheme in LINK_SCHEMES if scheme else True


def _scheme(url: str) -> str:
    m = _SCHEME.match(url)
    return m.group(1).lower() if m else ""
