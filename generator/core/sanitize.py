"""The allowlist every HTML fragment made from pattern prose passes through, whatever made it.

nh3 (the Python binding of ammonia, the Rust sanitiser built on html5ever) parses a fragment as a
browser would and keeps only what is listed here: the elements prose needs, a few attributes, and
links to http, https and mailto addresses or relative ones the generator made (links to other sites
keep rel="noopener noreferrer"). No `style`, no event handler, no `id` (an id could take over one of
the page's anchors), no `class`. It holds even if the Markdown parser in front of it were configured
to pass HTML through (tests/test_markup.py checks that); a sanitiser written by hand could not be
trusted the same way.
"""

from __future__ import annotations

import nh3

EXTERNAL_REL = "noopener noreferrer"

TAGS = frozenset({"p", "br", "em", "strong", "code", "pre", "a", "ul", "ol", "li", "blockquote", "hr", "span"})
ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
# span lang="ko"/"en": words in the other language's script (generator/core/scripts.py), and nothing else.
VALUES = {"a": {"rel": {EXTERNAL_REL}}, "span": {"lang": {"ko", "en"}}}
URL_SCHEMES = frozenset({"http", "https", "mailto"})


_BROWSER_DROPS = {ord(c): None for c in "\t\n\r"}  # a browser removes these from anywhere in a URL


def _relative_url(url: str) -> str | None:
    """Relative addresses stay on this site: `//host/…` (and `\\\\host`, `/\t/host`, which browsers read
    alike) do not."""
    cleaned = url.translate(_BROWSER_DROPS).replace("\\", "/").lstrip("".join(map(chr, range(0x21))))
    return None if cleaned.startswith("//") else url


# rel="noopener noreferrer" is what the parser puts on links to other sites, and the only rel kept.
# "*": no attribute on every element (ammonia would otherwise allow lang and title anywhere).
_CLEANER = nh3.Cleaner(tags=set(TAGS),
                       attributes={"*": set(), **{tag: set(names) for tag, names in ATTRIBUTES.items()}},
                       tag_attribute_values=VALUES, url_schemes=set(URL_SCHEMES),
                       url_relative=_relative_url, strip_comments=True, link_rel=None)


def sanitize(fragment: str) -> str:
    """The fragment with everything outside the allowlist removed (disallowed tags keep their text)."""
    return _CLEANER.clean(fragment)
