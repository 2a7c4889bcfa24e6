"""Heading permalinks of hand-written pages, titled in the page's language.

Python-Markdown's `toc` gives every permalink one title, set once for the whole site; the
generated pages title theirs in their own language (core/render.py). This does the same for the
Markdown pages, and names the link for screen readers, which would otherwise read out "#".
"""

from __future__ import annotations

import re

from markupsafe import escape

from generator.core.i18n import LABELS
from generator.core.model import Lang

_PERMALINK = re.compile(r'<a class="headerlink" href="(#[^"]*)" title="[^"]*">')


def page_lang(url: str) -> Lang:
    """English pages live under en/; every other page is Korean."""
    return "en" if url.startswith("en/") else "ko"


def localize_permalinks(html: str, lang: Lang) -> str:
    """The page's HTML with each heading permalink titled and named in `lang`."""
    title = escape(LABELS[lang]["permalink"])
    return _PERMALINK.sub(lambda m: f'<a class="headerlink" href="{m[1]}" title="{title}" aria-label="{title}">', html)
