"""What pattern text may contain: Markdown, never raw HTML, script or tracking.

The validator uses these functions to report unsafe text where it was written; the
renderer uses them again to neutralise anything that got past, so pattern text can
never become markup in a reader's browser even if validation were skipped.
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

_FENCE = re.compile(r"^(?P<indent> {0,3})(?P<fence>`{3,}|~{3,}).*?$(?:.*?^(?P=indent)(?P=fence)[`~]*\s*$|.*\Z)",
                    re.M | re.S)
_CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`).+?(?<!`)\1(?!`)", re.S)

RAW_HTML = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?=[\s/>]|$)|<!--|<![A-Za-z\[]|<\?")
MENTION = re.compile(r"\[\[([^\[\]\n]*)\]\]")
_INLINE_LINK = re.compile(r"(!?)\[(?:[^\[\]]|\[[^\[\]]*\])*\]\(\s*<?((?:[^()\s>]|\([^()\s]*\))*)>?(?:\s+[^()]*)?\)")
_REF_DEF = re.compile(r"^ {0,3}\[[^\]\n]+\]:\s*<?(\S*?)>?(?:\s|$)", re.M)
_AUTOLINK = re.compile(r"<([A-Za-z][A-Za-z0-9+.\-]*:[^<>\s]*)>")
_ATTR_LIST = re.compile(r"\{\s*:[^{}\n]*\}|\{\s*[#.][A-Za-z][^{}\n]*\}|\{[^{}\n]*\b[A-Za-z-]+\s*=[^{}\n]*\}")
_MARKUP_START = re.compile(r"[<\[{(]")
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\u2028\u2029\u00ad]")
SAFE_SCHEMES = ("http", "https", "mailto")

_INVISIBLE_NAMES = {
    "\u200b": "zero width space", "\u200c": "zero width non-joiner", "\u200d": "zero width joiner",
    "\u200e": "left-to-right mark", "\u200f": "right-to-left mark", "\u202a": "left-to-right embedding",
    "\u202b": "right-to-left embedding", "\u202c": "pop directional formatting",
    "\u202d": "left-to-right override", "\u202e": "right-to-left override", "\u2066": "left-to-right isolate",
    "\u2067": "right-to-left isolate", "\u2068": "first strong isolate", "\u2069": "pop directional isolate",
    "\ufeff": "byte order mark", "\u2028": "line separator", "\u2029": "paragraph separator",
    "\u00ad": "soft hyphen",
}


@dataclass(frozen=True)
class Link:
    """A link or image target found in Markdown prose."""

    target: str
    is_image: bool


def prose_segments(text: str) -> Iterator[tuple[bool, str]]:
    """Split Markdown into (is_code, chunk) so code is never checked or escaped as prose."""
    for is_block, chunk in _split(text, _FENCE):
        if is_block:
            yield True, chunk
        else:
            yield from _split(chunk, _CODE_SPAN)


def _split(text: str, pattern: re.Pattern[str]) -> Iterator[tuple[bool, str]]:
    pos = 0
    for m in pattern.finditer(text):
        if m.start() > pos:
            yield False, text[pos : m.start()]
        yield True, m.group()
        pos = m.end()
    if pos < len(text):
        yield False, text[pos:]


def may_hold_markup(text: str) -> bool:
    """Cheap first look: only text with one of these characters can hold HTML, links or attributes."""
    return _MARKUP_START.search(text) is not None


@functools.lru_cache(maxsize=4096)
def prose(text: str) -> str:
    """The text outside code spans and fenced blocks."""
    return "\n".join(chunk for is_code, chunk in prose_segments(text) if not is_code)


def raw_html(text: str) -> list[str]:
    """Raw HTML tags written in prose (code spans may show HTML; prose may not)."""
    return [m.group().strip() for m in RAW_HTML.finditer(prose(text))]


def links(text: str) -> list[Link]:
    """Every link and image target in prose, including reference definitions and autolinks."""
    body = prose(text)
    found = [Link(m.group(2), m.group(1) == "!") for m in _INLINE_LINK.finditer(body)]
    found += [Link(m.group(1), False) for m in _REF_DEF.finditer(body)]
    found += [Link(m.group(1), False) for m in _AUTOLINK.finditer(body)]
    return found


def scheme(target: str) -> str:
    """The URL scheme as a browser would read it (entities decoded, blanks removed)."""
    cleaned = re.sub(r"[\x00-\x20\x7f]", "", html.unescape(target)).lower()
    m = re.match(r"([a-z][a-z0-9+.\-]*):", cleaned)
    return m.group(1) if m else ""


def attribute_lists(text: str) -> list[str]:
    """Markdown attribute lists (`{: onclick=…}`), which would set HTML attributes."""
    return [m.group() for m in _ATTR_LIST.finditer(prose(text))]


def invisible_characters(text: str) -> list[tuple[str, str]]:
    """Zero-width and bidirectional control characters, each with its name for the message.

    A zero-width joiner between two pictographs is part of an emoji (👩‍💼) and is allowed.
    """
    found = []
    for m in _INVISIBLE.finditer(text):
        c, i = m.group(), m.start()
        if c == "\u200d" and 0 < i < len(text) - 1 and _pictograph(text[i - 1]) and _pictograph(text[i + 1]):
            continue
        found.append((c, f"U+{ord(c):04X} ({_INVISIBLE_NAMES.get(c, 'invisible')})"))
    return found


def _pictograph(char: str) -> bool:
    return ord(char) >= 0x1F000 or char == "\ufe0f" or 0x2600 <= ord(char) <= 0x27BF


def mentions(text: str) -> list[str]:
    """Pattern ids mentioned as [[id]] in prose."""
    return [m.group(1).strip() for m in MENTION.finditer(prose(text))]


def to_safe_markdown(text: str, link_for: Callable[[str], str]) -> str:
    """Prose as Markdown that cannot carry markup: [[id]] becomes a link, `<` and `{` become entities.

    `link_for(id)` returns the Markdown for a mentioned pattern (a link, or plain text).
    """
    if not may_hold_markup(text):
        return text
    out = []
    for is_code, chunk in prose_segments(text):
        if is_code:
            out.append(chunk)
            continue
        chunk = _INLINE_LINK.sub(_drop_unsafe_link, chunk)
        chunk = re.sub(r"<(?!(?:https?|mailto):[^<>\s]*>)", "&lt;", chunk).replace("{", "&#123;")
        out.append(MENTION.sub(lambda m: link_for(m.group(1).strip()), chunk))
    return "".join(out)


def _drop_unsafe_link(m: re.Match[str]) -> str:
    """Keep an image's or unsafe link's label as text; drop its target."""
    if m.group(1) or scheme(m.group(2)) not in SAFE_SCHEMES:
        return m.group().lstrip("!").split("](", 1)[0] + "]"
    return m.group()
