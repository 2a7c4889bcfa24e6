"""Pattern prose from Markdown to HTML, once per distinct text.

The generator writes its pages as HTML; only the prose inside them (a problem, a force, a
summary) is Markdown. It is converted with Python-Markdown, the converter MkDocs uses for the
hand-written pages, with no extensions: pattern text may hold paragraphs, lists, emphasis,
code and links, and nothing that an extension would add. Most prose is plain sentences, which
Markdown turns into paragraphs and nothing else; those skip the converter (`tests/test_markup.py`
checks that both give the same HTML). A summary appears on its pattern's page and on five list
pages, so each distinct text is converted once per process, and a preview converts only what an
edit changed.
"""

from __future__ import annotations

import functools
import html
import re

import markdown

_CONVERTER = markdown.Markdown()
# Characters with a meaning inside a Markdown paragraph (emphasis, code, links, HTML, entities, tabs,
# escapes), and lines that open a block (lists, quotes, headings, rules, code) or end in a break.
_INLINE_SYNTAX = re.compile(r"[\\`*_\[\]<&\t\r]")
_BLOCK_LINE = re.compile(r"^(?:[ \t]|[-+*>#=]|\d+[.)])|[ \t]$", re.M)
_BLANK_LINES = re.compile(r"\n[ \t]*\n\s*")


@functools.lru_cache(maxsize=65536)
def to_html(text: str) -> str:
    """Block HTML: one or more paragraphs, lists, quotes."""
    text = text.strip("\n")
    if is_plain_prose(text):
        return "\n".join(f"<p>{html.escape(p, quote=False)}</p>" for p in _BLANK_LINES.split(text))
    _CONVERTER.reset()
    return _CONVERTER.convert(text)


def is_plain_prose(text: str) -> bool:
    """Whether Markdown would make only paragraphs of this text, with nothing marked up inside."""
    return bool(text) and not _INLINE_SYNTAX.search(text) and not _BLOCK_LINE.search(text)


def to_inline_html(text: str) -> str:
    """HTML to sit inside a sentence or a list item: a lone paragraph loses its <p>."""
    html_text = to_html(text)
    if html_text.startswith("<p>") and html_text.endswith("</p>") and html_text.count("<p>") == 1:
        return html_text[3:-4]
    return html_text
