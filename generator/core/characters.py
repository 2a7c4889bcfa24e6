"""Characters a reader cannot see: finding and naming them in values, and showing them safely in messages.

Checks run on parsed values (after YAML's escapes such as "\\e" or "\\0" have made characters), and
every message that quotes a value shows such characters as escapes, so a finding can never write
a raw ESC or BEL to a terminal or a CI log.
"""

from __future__ import annotations

import re

# C0 controls (tab, line feed and carriage return are allowed in prose), DEL and C1 controls.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_ONE_LINE_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\u2028\u2029\u00ad]")
# What a message must never print as it is: every control and invisible character above, and tabs
# and line breaks, which would split a finding over several lines.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff"
                          "\u2028\u2029\u00ad]")

_NAMES = {
    "\x00": "null", "\x07": "bell", "\x08": "backspace", "\t": "tab", "\n": "line feed", "\x0b": "vertical tab",
    "\x0c": "form feed", "\r": "carriage return",
    "\x1b": "escape", "\x7f": "delete", "\x85": "next line",
    "\u200b": "zero width space", "\u200c": "zero width non-joiner", "\u200d": "zero width joiner",
    "\u200e": "left-to-right mark", "\u200f": "right-to-left mark", "\u202a": "left-to-right embedding",
    "\u202b": "right-to-left embedding", "\u202c": "pop directional formatting",
    "\u202d": "left-to-right override", "\u202e": "right-to-left override", "\u2066": "left-to-right isolate",
    "\u2067": "right-to-left isolate", "\u2068": "first strong isolate", "\u2069": "pop directional isolate",
    "\ufeff": "byte order mark", "\u2028": "line separator", "\u2029": "paragraph separator",
    "\u00ad": "soft hyphen",
}


def describe(char: str) -> str:
    """`the control character U+001B (escape)`: a character as a message names it."""
    kind = "control" if _ONE_LINE_CONTROL.match(char) else "invisible"
    return f"the {kind} character U+{ord(char):04X} ({_NAMES.get(char, kind + ' character')})"


def control_characters(text: str, one_line: bool = False) -> list[str]:
    """Control characters in a value, in order; in a `one_line` value, tabs and line breaks too."""
    return (_ONE_LINE_CONTROL if one_line else _CONTROL).findall(text)


def invisible_characters(text: str) -> list[str]:
    """Zero-width, bidirectional and line/paragraph separator characters in a value.

    A zero-width joiner between two pictographs is part of an emoji (👩‍💼) and is allowed.
    """
    found = []
    for m in _INVISIBLE.finditer(text):
        c, i = m.group(), m.start()
        if c == "\u200d" and 0 < i < len(text) - 1 and _pictograph(text[i - 1]) and _pictograph(text[i + 1]):
            continue
        found.append(c)
    return found


def _pictograph(char: str) -> bool:
    return ord(char) >= 0x1F000 or char == "\ufe0f" or 0x2600 <= ord(char) <= 0x27BF


def printable(text: str) -> str:
    """The text with every control, invisible and line-breaking character written as an escape (`\\x1b`)."""
    return _UNPRINTABLE.sub(_escape, text) if _UNPRINTABLE.search(text) else text


def _escape(m: re.Match[str]) -> str:
    code = ord(m.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
