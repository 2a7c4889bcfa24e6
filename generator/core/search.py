"""The search index of each language, built from the model rather than from HTML.

Building from the model keeps the fields apart (title, aliases, patlet, situations,
tags, sections), so the browser can weigh a title match above a body match and open a
result at the section that matched.

Everything that does not depend on the query is done here, once per build, so the
browser's work per keystroke is one pass over prepared text:

- every text the browser matches against is normalised: NFC, lower case, punctuation
  turned into spaces, and each Latin word reduced to its stem by `stem` (the browser's
  `stem` in search.js is the same function, checked by tests/test_search_quality.py), so
  "listening", "listens" and "listened" are all stored as "listen";
- Korean is kept as written: the browser finds a Korean query inside longer words
  (고객 in 고객에게, 응대 in 고객응대) and strips particles and endings from the query;
- the synonym groups of `search_synonyms.yaml` are normalised the same way, and each
  group keeps only the words that occur in this language's pages (`targets`);
- the other language's title and aliases go in as a low-weight field, so a reader who
  types "Take Your Licks" on the Korean site, or 경청 on the English one, still finds it.
"""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from pathlib import Path
from typing import Any

from generator.core.i18n import LABELS
from generator.core.loader import load_document
from generator.core.markup import plain_words
from generator.core.model import Catalogue, Lang, Pattern, Text, anchor
from generator.core.render import SECTIONS, lang_prefix

SYNONYMS = Path(__file__).parent / "search_synonyms.yaml"
INDEX_VERSION = 2

# Runs of Latin letters and digits (a word to stem), of Hangul, and of anything else (a separator).
_WORD = re.compile(r"[a-z0-9]+|[\uac00-\ud7a3\u3131-\u318e]+")
_HANGUL = re.compile(r"[\uac00-\ud7a3]")
_VOWEL = re.compile(r"[aeiouy]")
_UNDOUBLE = re.compile(r"([bdgkmnprt])\1$")

# Suffixes `stem` removes, first match wins, if at least three letters stay (and, for -ing and
# -ed, a vowel): the same list, in the same order, as STEM_RULES in search.js.
STEM_RULES = (("ies", "y", False), ("ied", "y", False), ("sses", "ss", False), ("eed", "", False),
              ("ings", "", True), ("ing", "", True), ("edly", "", True), ("ed", "", True), ("s", "", False))


@functools.lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A light English stemmer: plural/singular, -ing and -ed forms, British/American -ise/-ize.

    Not Porter: it only has to map the forms readers type and the forms the text uses onto
    one key, the same way here and in the browser. Words of three letters or fewer, and
    anything that is not plain a–z, are left alone.
    """
    if len(word) <= 3 or not word.isascii() or not word.isalpha():
        return word
    for suffix, replacement, needs_vowel in STEM_RULES:
        if word.endswith(suffix):
            if suffix == "eed":                          # need, speed, agreed: left alone
                break
            base = word[: len(word) - len(suffix)]
            if len(base) < 3 or (needs_vowel and not _VOWEL.search(base)):
                continue
            if suffix == "s" and word.endswith(("ss", "us", "is")):
                break
            word = base + replacement
            break
    word = _UNDOUBLE.sub(r"\1", word) if len(word) >= 4 else word
    word = re.sub(r"iz(?=[eia]|$)", "is", word)         # organize/organise, apologizing/apologising
    word = re.sub(r"our$", "or", word) if len(word) > 5 else word   # behaviour/behavior
    if word.endswith("e") and len(word) >= 4:
        word = word[:-1]                                  # arrive/arriving/arrived -> arriv
    if word.endswith("y") and len(word) >= 4 and word[-2] not in "aeiou":
        word = word[:-1] + "i"                            # reply/replies/replied -> repli
    return word


def normalize(value: str) -> str:
    """Text as the browser matches it: ' word word ' with Latin words stemmed, Hangul as written."""
    value = unicodedata.normalize("NFC", value).lower()
    words = [stem(w) for w in _WORD.findall(value)]  # stem leaves Hangul (and all non-ASCII) alone
    return " " + " ".join(words) + " " if words else " "


def search_index_path(lang: Lang) -> str:
    return f"search/{lang}.json"


def build_search_index(catalogue: Catalogue, lang: Lang) -> str:
    """The index of one language as compact JSON."""
    docs = [_entry(pattern, catalogue, lang) for pattern in catalogue.patterns]
    corpus = "\n".join(" ".join([*d["keys"].values(), *(s[1] for s in d["sections"])]) for d in docs)
    index = {"lang": lang, "version": INDEX_VERSION, "labels": _labels(lang),
             "synonyms": synonym_groups(corpus, lang), "docs": docs}
    return json.dumps(index, ensure_ascii=False, separators=(",", ":"))


def _entry(p: Pattern, catalogue: Catalogue, lang: Lang) -> dict[str, Any]:
    def title(pattern_id: str, section: str) -> tuple[str, str] | None:
        return ("", catalogue[pattern_id].title(lang)) if pattern_id in catalogue else None

    def flat(value: Text) -> str:
        return plain_words(value(lang), title)

    def joined(values: list[str]) -> str:
        # One line per entry, so a phrase never runs from one situation into the next.
        return "\n".join(normalize(v) for v in values) if values else " "

    sections = []
    for name in SECTIONS:
        value = getattr(p, name)
        if name == "forces":
            body = " ".join(flat(f) for f in value)
        elif name == "known_uses":
            body = " ".join(f"{flat(u.title)} {flat(u.summary)}" for u in value)
        else:
            body = flat(value)
        body = " ".join([body, *(flat(a.text) for a in p.additions_in(name))])  # ours, shown in that section
        sections.append([anchor(name), normalize(body)])
    sections.append(["questions", normalize(" ".join(flat(q) for q in p.questions))])

    other: Lang = "en" if lang == "ko" else "ko"
    names = [p.title, *p.aliases]
    others = [n.ko if other == "ko" else n.en for n in names]
    mine = {n(lang) for n in names}
    summary = flat(p.summary)
    return {
        "url": f"{lang_prefix(lang)}patterns/{p.id}/",
        "title": p.title(lang),
        "summary": summary,
        "keys": {
            "title": normalize(p.title(lang)),
            "aliases": joined([a(lang) for a in p.aliases]),
            "summary": normalize(summary),
            "situations": joined([s(lang) for s in p.situations]),
            "tags": joined([t(lang) for t in p.tags]),
            "other": joined([o for o in others if o and o not in mine]),
        },
        "sections": sections,
    }


def _labels(lang: Lang) -> dict[str, str]:
    """Section names to show beside a result that opens at a section."""
    labels = LABELS[lang]
    names = [*SECTIONS, "situations", "questions"]
    return {anchor(name): labels[name] for name in names if name in labels}


@functools.lru_cache(maxsize=1)
def _synonym_table() -> tuple[tuple[str, ...], ...]:
    data = load_document(SYNONYMS, "generator/core/search_synonyms.yaml").data  # the one strict YAML reader
    groups = []
    for group in data.get("groups") or []:
        words = []
        for word in group:
            key = normalize(str(word)).strip()
            # Korean is written with and without spaces (화가 나요, 화가나요; 고객 응대, 고객응대).
            spellings = [key, key.replace(" ", "")] if _HANGUL.search(key) else [key]
            words += [w for w in spellings if w and w not in words]
        if len(words) > 1:
            groups.append(tuple(words))
    return tuple(groups)


def synonym_groups(corpus: str, lang: Lang | None = None) -> list[dict[str, list[str]]]:
    """The synonym groups for one language: every word as a key, and as targets the words its pages use.

    A Korean word is a target if it occurs anywhere in the text (it is matched inside longer
    words); a Latin word or phrase if it occurs as whole stemmed words. Targets are words of the
    page's language only: the other language appears in its pages as titles, not as prose. A
    group with no target could never find anything, so it is left out.
    """
    # Single words are looked up among the distinct words, which stay few however many pages
    # repeat them; only phrases need the whole text.
    distinct = f" {' '.join(set(corpus.split()))} "
    groups = []
    for words in _synonym_table():
        targets = [w for w in words if (lang is None or bool(_HANGUL.search(w)) == (lang == "ko"))
                   and _occurs(w, corpus if " " in w else distinct)]
        if targets:
            groups.append({"keys": list(words), "targets": targets})
    return groups


def _occurs(word: str, text: str) -> bool:
    """Korean words match inside longer words (particles attach to them); others only whole."""
    return word in text if _HANGUL.search(word) else f" {word} " in text
