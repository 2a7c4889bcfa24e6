"""Mentions of other patterns in prose: `[[id]]`, `[[id|words]]`, `[[id#anchor]]`, `[[id#anchor|words]]`.

A bare `[[id]]` shows the pattern's title, an imperative ("쓴소리를 달게 받아라"), which breaks a
Korean sentence when a particle follows it ("…받아라를"); `words` let the sentence choose its own.
The rules here check every mention against the catalogue: the pattern, the anchor on its page,
and, in Korean text, a bare mention glued to a particle.

TEMPORARY: `find_mentions` reads mentions with a regular expression over the prose outside code.
The Markdown parser (markup.py, moving to markdown-it-py) will give mentions itself; at that
merge, `find_mentions` should return the parser's mentions and the regular expression go.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from generator.core import text as markdown
from generator.core.findings import Finding
from generator.core.loader import DataPath, Document
from generator.core.validate import _contents, _did_you_mean, _finding

# Anchors every pattern page has, the same in both languages (README, "The site").
SECTION_ANCHORS = ("problem", "context", "forces", "solution", "resulting-context", "rationale", "known-uses",
                   "situations", "questions", "related", "sources")
_INNER = re.compile(r"(?P<target>[^#|]*)(?:#(?P<anchor>[^|]*))?(?:\|(?P<words>.*))?", re.S)
_HANGUL_SYLLABLE = re.compile("[\uac00-\ud7a3]")


@dataclass(frozen=True)
class Mention:
    """One mention: the pattern id, an anchor on its page, the words to show, and where it ends in the text."""

    target: str
    anchor: str | None
    words: str | None
    raw: str  # between [[ and ]], as written
    end: int  # offset just after `]]` in the text


def parse_mention(inner: str) -> tuple[str, str | None, str | None]:
    """The parts of what stands between `[[` and `]]`: (id, anchor or None, words or None)."""
    m = _INNER.fullmatch(inner)
    assert m is not None  # the expression matches any string
    words = m.group("words")
    return m.group("target").strip(), (m.group("anchor") or "").strip() or None, words


def find_mentions(text: str) -> list[Mention]:
    """Every mention in prose (not in code), in order. TEMPORARY: see the module docstring."""
    found: list[Mention] = []
    offset = 0
    for is_code, chunk in markdown.prose_segments(text):
        if not is_code:
            for m in markdown.MENTION.finditer(chunk):
                target, anchor, words = parse_mention(m.group(1))
                found.append(Mention(target, anchor, words, m.group(1), offset + m.end()))
        offset += len(chunk)
    return found


def known_use_anchors(data: dict[str, Any]) -> list[str]:
    """A pattern file's known-use anchors, as its page writes them (`known-use-<id>` or `-<n>`)."""
    uses = data.get("known_uses")
    return [f"known-use-{u.get('id') if isinstance(u, dict) and isinstance(u.get('id'), str) else n}"
            for n, u in enumerate(uses if isinstance(uses, list) else [], 1)]


def check_mentions(docs: list[Document], bibliography: Document | None = None) -> list[Finding]:
    """Findings for every mention in the patterns (and the bibliography's notes)."""
    owners = {d.data["id"]: d for d in docs if isinstance(d.data, dict) and isinstance(d.data.get("id"), str)}
    ids = sorted(owners)
    findings: list[Finding] = []
    for doc in [*docs, *([bibliography] if bibliography else [])]:
        # Only text with "[[" can mention a pattern; a backslash escape could write one in quotes.
        if not isinstance(doc.data, dict) or ("[[" not in doc.source and "\\" not in doc.source):
            continue
        for path, value in _contents(doc.data)[0]:
            if "[[" in value:
                findings += _check_text(doc, path, value, owners, ids)
    return findings


def _check_text(doc: Document, path: DataPath, value: str, owners: dict[str, Document],
                ids: list[str]) -> Iterator[Finding]:
    korean = bool(path) and path[-1] == "ko"
    for m in find_mentions(value):
        snippet = f"[[{m.raw}]]"
        if m.target not in owners:
            yield _finding(doc, path, f"expected [[id]] of a pattern in patterns/, got '{snippet}'"
                           f"{_did_you_mean(m.target, ids)}", snippet=snippet)
            continue
        if m.anchor is not None:
            anchors = [*SECTION_ANCHORS, *known_use_anchors(owners[m.target].data)]
            if m.anchor not in anchors:
                yield _finding(doc, path, f"expected a section or known use of '{m.target}' after #, got "
                               f"'{m.anchor}' in '{snippet}'{_did_you_mean(m.anchor, anchors)}; anchors: "
                               f"{', '.join(anchors)}", snippet=snippet)
        if m.words is not None and not m.words.strip():
            yield _finding(doc, path, f"expected words after | in '{snippet}', got none; write "
                           f"[[{m.target}|words]] or drop the |", snippet=snippet)
        if korean and m.words is None and _HANGUL_SYLLABLE.match(value, m.end):
            glued = _HANGUL_SYLLABLE.match(value, m.end).group()  # type: ignore[union-attr]
            where = m.target + (f"#{m.anchor}" if m.anchor else "")
            yield _finding(doc, path, f"expected words for the sentence, got '{snippet}{glued}': a bare [[id]] "
                           f"shows the pattern's title, and '{glued}' would stick to it; write [[{where}|words that "
                           f"fit the sentence]], or put a space and 패턴 after it ('{snippet} 패턴…')", snippet=snippet)
