"""What search sees of each pattern, built from the model rather than from HTML.

Building from the model keeps the fields apart (title, aliases, patlet, situations, tags,
sections), so the browser can weigh a title match above a body match and open a result at the
section that matched. `search_index` turns these documents into the files the browser fetches.

Everything that does not depend on the query is done here, once per build:

- every text the browser matches against is normalised: NFC, lower case, punctuation
  turned into spaces, and each Latin word reduced to its stem by `stem` (the browser's
  `stem` in search.js is the same function, checked by tests/test_search_quality.py), so
  "listening", "listens" and "listened" are all stored as "listen";
- Korean is kept as written: the browser finds a Korean query inside longer words
  (고객 in 고객에게, 응대 in 고객응대) and strips particles and endings from the query;
- the synonym groups of `search_synonyms.yaml` are normalised the same way;
- the other language's title and aliases go in as a low-weight field, so a reader who
  types "Take Your Licks" on the Korean site, or 경청 on the English one, still finds it.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from generator.core.i18n import LABELS
from generator.core.loader import load_document
from generator.core.markup import plain_words
from generator.core.model import Catalogue, Lang, Pattern, Text, anchor
from generator.core.render import SECTIONS, lang_prefix

SYNONYMS = Path(__file__).parent / "search_synonyms.yaml"

# Runs of Latin letters and digits (a word to stem), of Hangul, and of anything else (a separator).
_WORD = re.compile(r"[a-z0-9]+|[\uac00-\ud7a3\u3131-\u318e]+")
_HANGUL = re.compile(r"[\uac00-\ud7a3]")
_VOWEL = re.compile(r"[aeiouy]")
_UNDOUBLE = re.compile(r"([bdgkmnprt])\1$")

# Suffixes `stem` removes, first match wins, if at least three letters stay (and, for -ing and
# -ed, a vowel): the same list, in the same order, as STEM_RULES in search.js.
STEM_RULES = (("ies", "y", False), ("ied", "y", False), ("sses", "ss", False), ("eed", "", False),
              ("ings", "", True), ("ing", "", True), ("edly", "", True), ("ed", "", True), ("s", "", False))


# English words that say nothing about a pattern: a query ignores them, and the index pairs the words
# around them ("keep what you promise" gives the pair keep+promise). The browser reads them from meta.json.
STOP_WORDS_EN = tuple("""
the a an of to and or is are was were be been being am in on for with we i it its my our they their them
at by about what how do does did doing this that these those me us you your he she his her him from into
than then there here so if not no don doesn didn isn aren wasn cannot t s ve re ll d m should would
could can will shall may might must have has had get got when why who whom where which as just really very
too some any all up out over again still also beyond during without within between through against
across around per via upon onto toward towards among mine yours ours theirs myself yourself yourselves
ourselves themselves himself herself itself one ones every each even
""".split())


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


@functools.lru_cache(maxsize=1)
def stop_words_en() -> frozenset[str]:
    """The English stop words as the index stores words: stemmed."""
    return frozenset(stem(word) for word in STOP_WORDS_EN)


def normalize(value: str) -> str:
    """Text as the browser matches it: ' word word ' with Latin words stemmed, Hangul as written."""
    value = unicodedata.normalize("NFC", value).lower()
    words = [stem(w) for w in _WORD.findall(value)]  # stem leaves Hangul (and all non-ASCII) alone
    return " " + " ".join(words) + " " if words else " "


# What a pattern is searched by, one normalised text per field, in this order. The first six are
# the head (they name the pattern); the rest are the sections of its page, where a result can open.
HEAD_FIELDS = ("title", "aliases", "summary", "situations", "tags", "other")
BODY_FIELDS = (*(anchor(name) for name in SECTIONS), "questions")
FIELDS = (*HEAD_FIELDS, *BODY_FIELDS)


@dataclass(frozen=True)
class SearchDoc:
    """One pattern as search sees it: what a result shows, and the normalised text of each field."""

    url: str
    title: str
    summary: str
    fields: tuple[str, ...]  # normalize()d text, one per FIELDS entry; entries of a list field one per line


def search_docs(catalogue: Catalogue, lang: Lang) -> list[SearchDoc]:
    """Every pattern of the catalogue as one language's search sees it, in catalogue order."""
    return [search_doc(pattern, catalogue, lang) for pattern in catalogue.patterns]


def search_doc(p: Pattern, catalogue: Catalogue, lang: Lang) -> SearchDoc:
    """One pattern as one language's search sees it; the catalogue gives the titles its mentions show."""
    def title(pattern_id: str, section: str) -> tuple[str, str] | None:
        return ("", catalogue[pattern_id].title(lang)) if pattern_id in catalogue else None

    def flat(value: Text) -> str:
        return plain_words(value(lang), title)  # read by the prose parser: mentions as titles, no syntax

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
        sections.append(normalize(body))
    sections.append(normalize(" ".join(flat(q) for q in p.questions)))

    other: Lang = "en" if lang == "ko" else "ko"
    names = [p.title, *p.aliases]
    others = [n.ko if other == "ko" else n.en for n in names]
    mine = {n(lang) for n in names}
    summary = flat(p.summary)
    head = (normalize(p.title(lang)), joined([a(lang) for a in p.aliases]), normalize(summary),
            joined([s(lang) for s in p.situations]), joined([t(lang) for t in p.tags]),
            joined([o for o in others if o and o not in mine]))
    return SearchDoc(f"{lang_prefix(lang)}patterns/{p.id}/", p.title(lang), summary, (*head, *sections))


def field_labels(lang: Lang) -> dict[str, str]:
    """Section names to show beside a result that opens at a section."""
    labels = LABELS[lang]
    names = [*SECTIONS, "situations", "questions"]
    return {anchor(name): labels[name] for name in names if name in labels}


@functools.lru_cache(maxsize=1)
def synonym_table() -> tuple[tuple[str, ...], ...]:
    """Every group of search_synonyms.yaml, its words normalised as the index is."""
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
