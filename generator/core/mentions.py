"""Rules for mentions of other patterns in prose: `[[id]]`, `[[id|words]]`, `[[id#anchor]]`, `[[id#anchor|words]]`.

A bare `[[id]]` shows the pattern's title, an imperative ("쓴소리를 달게 받아라"), which breaks a
Korean sentence when a particle follows it ("…받아라를"); `words` let the sentence choose its own.
The rules here check every mention, as the prose parser reads it (`markup.mentions`), against the
catalogue: the pattern, the anchor on its page, and, in Korean text, a bare mention glued to a
particle.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import Any

from generator.core.findings import Finding
from generator.core.loader import DataPath, Document
from generator.core.markup import Mention, mentions
from generator.core.validate import _did_you_mean, _finding

# Anchors every pattern page has, the same in both languages (README, "The site").
SECTION_ANCHORS = ("problem", "context", "forces", "solution", "resulting-context", "rationale", "known-uses",
                   "situations", "questions", "related", "sources")
_HANGUL_SYLLABLE = re.compile("[\uac00-\ud7a3]")


def known_use_anchors(data: dict[str, Any]) -> list[str]:
    """A pattern file's known-use anchors, as its page writes them (`known-use-<id>` or `-<n>`)."""
    uses = data.get("known_uses")
    return [f"known-use-{u.get('id') if isinstance(u, dict) and isinstance(u.get('id'), str) else n}"
            for n, u in enumerate(uses if isinstance(uses, list) else [], 1)]


TextMentions = tuple[tuple[DataPath, str, tuple[Mention, ...]], ...]  # each text with mentions, and them


def mentions_in(doc: Document) -> TextMentions:
    """Every text of a file that mentions a pattern, with its mentions as the parser reads them.

    Found with the file's own checks (on two cores for a large folder, and kept between a
    preview's rebuilds), so the check across files only compares them with the catalogue.
    """
    # Only text with "[[" can mention a pattern; a backslash escape could write one in quotes.
    if not isinstance(doc.data, dict) or ("[[" not in doc.source and "\\" not in doc.source):
        return ()
    return tuple((path, value, tuple(mentions(value))) for path, value in doc.contents[0]
                 if "[[" in value)


def check_mentions(found: Sequence[tuple[Document, TextMentions]],
                   unreadable: dict[str, str] | None = None) -> list[Finding]:
    """Findings for every mention in the patterns (and the bibliography's notes): `found` holds each file
    with its `mentions_in`, the patterns first.

    A mention of an id that only an unreadable file may hold is not an unknown id: `check_across`
    notes it once per file.
    """
    owners = {d.data["id"]: d for d, _ in found if isinstance(d.data, dict) and isinstance(d.data.get("id"), str)}
    ids = sorted(owners)
    findings: list[Finding] = []
    for doc, texts in found:
        for path, value, its_mentions in texts:
            findings += _check_text(doc, path, value, its_mentions, owners, ids, set(unreadable or ()))
    return findings


def _check_text(doc: Document, path: DataPath, value: str, its_mentions: tuple[Mention, ...],
                owners: dict[str, Document], ids: list[str], unreadable: set[str]) -> Iterator[Finding]:
    korean = bool(path) and path[-1] == "ko"
    for m in its_mentions:
        snippet = f"[[{m.raw}]]"
        has_words = "|" in m.raw
        if m.id not in owners:
            if m.id in unreadable:
                continue  # check_across notes it, once per file
            yield _finding(doc, path, f"expected [[id]] of a pattern in patterns/, got '{snippet}'"
                           f"{_did_you_mean(m.id, ids)}", snippet=snippet)
            continue
        if "#" in m.raw.partition("|")[0]:
            anchors = [*SECTION_ANCHORS, *known_use_anchors(owners[m.id].data)]
            if m.anchor not in anchors:
                yield _finding(doc, path, f"expected a section or known use of '{m.id}' after #, got "
                               f"'{m.anchor}' in '{snippet}'{_did_you_mean(m.anchor, anchors)}; anchors: "
                               f"{', '.join(anchors)}", snippet=snippet)
        if has_words and not m.words:
            yield _finding(doc, path, f"expected words after | in '{snippet}', got none; write "
                           f"[[{m.id}|words]] or drop the |", snippet=snippet)
        if korean and not has_words and _HANGUL_SYLLABLE.fullmatch(m.followed_by):
            glued = m.followed_by
            where = m.id + (f"#{m.anchor}" if m.anchor else "")
            yield _finding(doc, path, f"expected words for the sentence, got '{snippet}{glued}': a bare [[id]] "
                           f"shows the pattern's title, and '{glued}' would stick to it; write [[{where}|words that "
                           f"fit the sentence]], or put a space and 패턴 after it ('{snippet} 패턴…')", snippet=snippet)
