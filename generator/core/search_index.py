"""One language's search index as small files the browser fetches when a query needs them.

A single index file grows with the catalogue (8 MB of Korean at 1,000 patterns) and a reader
downloaded all of it on the first keystroke. Here the index is cut, as Pagefind cuts its own,
into chunks of sorted keys; a small `meta.json` lists the first key of each chunk, so the
browser fetches only the chunks holding the keys a query looks up. What a result shows
(title, patlet, address) sits apart, in chunks of a few patterns fetched for the results shown.

A posting is a field of one pattern (`doc * len(FIELDS) + field`) with how strongly the key
stands out in it: its occurrences divided by the field's length relative to the same field in
other patterns, as BM25F does, so a word said once in a two-line problem counts for more than
once in a long known use; stored on a scale of powers of two (`_encode`). The keys:

- `word`: a Latin word, stemmed (`search.stem`), matched whole, or by its start;
- `~suffix`: every end of a Hangul word from its first to its second-to-last syllable
  (고객에게 gives ~고객에게, ~객에게, ~에게), with the postings of every word that ends so. A
  Korean query word of two or more syllables is found inside longer words by reading the keys
  that start with it: ~고객… holds 고객, 고객에게, and the 고객 of 불만고객에게;
- `^syllable`: the postings of all Hangul words starting with that syllable, for a one-syllable
  query or stem (늦 finds 늦어요, 늦게), which is only matched at the start of a word; one key
  instead of every word that starts with it, so the first keystroke of a Korean query reads
  one small key;
- `=phrase`: the occurrences of each phrase of the synonym groups (dress code, 화를 내), counted
  in the text, since the keys above do not say which words stand next to each other;
- `#n`: synonym group n of `meta.json`: its words as found in the pages (each the way a query
  word would find it), counted together, so a query word with many synonyms reads one key;
- `+word word`: two Latin words that follow each other once stop words are left out (keep what you
  promise gives +keep promis), in the fields that say what a pattern is about, so that a query
  whose words stand together in the text ("customer as a person") ranks that text higher.
"""

from __future__ import annotations

import bisect
import hashlib
import json
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from generator.core.model import Lang
from generator.core.search import FIELDS, HEAD_FIELDS, SearchDoc, field_labels, stop_words_en, synonym_table

INDEX_VERSION = 3
# A chunk is closed once it passes this many bytes. Smaller chunks mean less read beyond the keys
# a query needs and more requests; see docs/performance.md for the measurements behind 12 KB.
CHUNK_BYTES = 12_000
# Patterns per chunk of display data: a page of ten results reads at most ten of these.
DOCS_PER_CHUNK = 16
# How much a field's length discounts its occurrences (BM25F's b): the head fields are short and
# of much the same length everywhere, the sections are not.
LENGTH_WEIGHT = {"head": 0.3, "body": 0.75}
LEVELS = 7  # level l (1..7) stands for 2 ** (l - 4) occurrences in a field of average length
# Where word pairs are indexed: the head and the sections that say what a pattern is about.
PAIR_FIELDS = (*HEAD_FIELDS, "problem", "forces", "solution")

_HANGUL = re.compile(r"[\uac00-\ud7a3]")
Postings = dict[int, int]  # field (doc * len(FIELDS) + field index) -> occurrences


def search_meta_path(lang: Lang) -> str:
    """Where the browser starts: the index's `meta.json`, from the site root."""
    return f"search/{lang}/meta.json"


def build_search_files(docs: Sequence[SearchDoc], lang: Lang, earlier: EncodedIndex | None = None) -> dict[str, str]:
    """The index files of one language, by path from the site root, each as compact JSON.

    With `earlier` (a preview's, carried from one build of this language's index to the next), what
    the patterns an edit did not change gave the last build is taken from it, and it is updated.
    """
    earlier = earlier or EncodedIndex()
    words, word_keys, dirty = earlier.words_and_keys(docs)
    keys = dict(word_keys)
    ordered = sorted(keys)
    for phrase in {w for group in synonym_table() for w in group if " " in w}:
        found = _phrase_postings(phrase, words, docs)
        if found:
            keys["=" + phrase] = found
    synonyms = []
    for group in synonym_table():
        found = _group_postings(group, lang, keys, ordered, words)
        if found:
            keys[f"#{len(synonyms)}"] = found
            synonyms.append(list(group))

    files: dict[str, str] = {}

    def add(kind: str, text: str) -> str:
        name = hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]
        files[f"search/{lang}/{kind}/{name}.json"] = text
        return name

    if dirty is not None:  # phrase and group keys: compared whole (a group's number depends on which were found)
        dirty.update(key for key, postings in keys.items() if key[0] in "=#" and earlier.compared.get(key) != postings)
    encoded = _chunks(keys, _level_shifts(docs), earlier, dirty)
    chunks = [[first, add("t", text)] for first, _, text in encoded.chunks]
    display = [add("d", _json([[d.url, d.title, d.summary] for d in docs[i : i + DOCS_PER_CHUNK]]))
               for i in range(0, len(docs), DOCS_PER_CHUNK)]
    meta = {"version": INDEX_VERSION, "lang": lang, "docs": len(docs), "fields": list(FIELDS),
            "head": len(HEAD_FIELDS), "labels": field_labels(lang), "synonyms": synonyms,
            "stop": sorted(stop_words_en()),
            "chunks": chunks, "display": {"size": DOCS_PER_CHUNK, "files": display}}
    files[search_meta_path(lang)] = _json(meta)
    earlier.remember(docs, words, word_keys, keys, encoded)  # all at once, when nothing can fail any more
    return files


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _word_postings(docs: Sequence[SearchDoc]) -> dict[str, Postings]:
    words: dict[str, Postings] = {}
    width = len(FIELDS)
    for i, doc in enumerate(docs):
        for k, text in enumerate(doc.fields):
            for word, count in Counter(text.split()).items():
                words.setdefault(word, {})[i * width + k] = count
    return words


def _pair_postings(docs: Sequence[SearchDoc]) -> dict[str, Postings]:
    stop = stop_words_en()
    width = len(FIELDS)
    indexes = [FIELDS.index(name) for name in PAIR_FIELDS]
    pairs: dict[str, Postings] = {}
    for i, doc in enumerate(docs):
        for k in indexes:
            counts: Counter[str] = Counter()
            for line in doc.fields[k].split("\n"):
                kept = [word for word in line.split() if word not in stop]
                counts.update(f"+{a} {b}" for a, b in zip(kept, kept[1:]) if a.isascii() and b.isascii())
            for key, count in counts.items():
                pairs.setdefault(key, {})[i * width + k] = count
    return pairs


def _word_and_pair_keys(docs: Sequence[SearchDoc]) -> tuple[dict[str, Postings], dict[str, Postings]]:
    """Every word's postings, and the word and pair keys'."""
    words = _word_postings(docs)
    keys = _keys(words)
    keys.update(_pair_postings(docs))
    return words, keys


def _move_pattern(table: dict[str, Postings], first: int, old: dict[str, Postings],
                  new: dict[str, Postings]) -> list[str]:
    """In `table`, give one pattern (its fields from `first` on) its new postings; `old` and `new` are
    those of an index of that pattern alone, before and after. The keys that changed."""
    changed = [key for key in old.keys() | new.keys() if old.get(key) != new.get(key)]
    for key in changed:
        postings = dict(table.get(key, {}))  # a new dict: the old one may be the last build's
        for field in old.get(key, {}):
            del postings[first + field]
        postings.update((first + field, count) for field, count in new.get(key, {}).items())
        if postings:
            table[key] = postings
        else:
            table.pop(key, None)
    return changed


def _merge(into: Postings, postings: Postings) -> None:
    get = into.get
    for field, count in postings.items():
        into[field] = get(field, 0) + count


def _union(sources: list[Postings]) -> Postings:
    if len(sources) == 1:
        return sources[0]
    merged = dict(sources[0])
    for postings in sources[1:]:
        _merge(merged, postings)
    return merged


def _keys(words: dict[str, Postings]) -> dict[str, Postings]:
    sources: dict[str, list[Postings]] = {}
    for word, postings in words.items():
        if _HANGUL.search(word):
            sources.setdefault("^" + word[0], []).append(postings)
            for start in range(len(word) - 1):
                sources.setdefault("~" + word[start:], []).append(postings)
        else:
            sources[word] = [postings]
    return {key: _union(found) for key, found in sources.items()}


def _inside(part: str, keys: dict[str, Postings], ordered: list[str]) -> Postings:
    """Where a Hangul word is found as the browser finds it: inside words, or a syllable at their start."""
    if len(part) == 1:
        return dict(keys.get("^" + part, {}))
    found: Postings = {}
    prefix = "~" + part
    for key in ordered[bisect.bisect_left(ordered, prefix) : bisect.bisect_left(ordered, prefix + "\uffff")]:
        _merge(found, keys[key])
    return found


def _phrase_postings(phrase: str, words: dict[str, Postings], docs: Sequence[SearchDoc]) -> Postings:
    """Occurrences of a phrase: Korean as written, ending inside a word (화를 내요); Latin as whole words."""
    korean = bool(_HANGUL.search(phrase))
    longest = max(phrase.split(), key=len)
    candidates: set[int] = set()
    for word, postings in words.items():
        if (longest in word) if korean else word == longest:
            candidates.update(postings)
    probe = phrase if korean else f" {phrase} "
    width = len(FIELDS)
    found: Postings = {}
    for field in candidates:
        count = docs[field // width].fields[field % width].count(probe)
        if count:
            found[field] = count
    return found


def _group_postings(group: Sequence[str], lang: Lang, keys: dict[str, Postings], ordered: list[str],
                    words: dict[str, Postings]) -> Postings:
    """A synonym group's words of this language, each found the way a query word would find it.

    Only words of the page's language count: the other language appears in its pages as
    titles, not as prose.
    """
    found: Postings = {}
    for word in group:
        korean = bool(_HANGUL.search(word))
        if korean != (lang == "ko"):
            continue
        if " " in word:
            _merge(found, keys.get("=" + word, {}))
        elif korean:
            _merge(found, _inside(word, keys, ordered))
        else:
            _merge(found, words.get(word, {}))
    return found


def _level_shifts(docs: Sequence[SearchDoc]) -> list[float]:
    """Per field (doc * len(FIELDS) + field): 4 - log2 of its length norm, 1 - b + b * length / average."""
    lengths = [[len(text.split()) for text in doc.fields] for doc in docs]
    averages = [sum(column) / len(column) or 1 for column in zip(*lengths)]
    weights = [LENGTH_WEIGHT["head" if k < len(HEAD_FIELDS) else "body"] for k in range(len(FIELDS))]
    return [4 - math.log2(1 - b + b * length / average)
            for row in lengths for length, average, b in zip(row, averages, weights)]


def _level_table(shifts: list[float], most: int) -> list[int]:
    """The level of `count` occurrences in field f, at [count * len(shifts) + f], for counts up to `most`.

    The level is log2(occurrences / the field's length norm) + 4, rounded and kept within 1..7:
    1/8 of an occurrence in a field of average length is 1, one is 4, eight or more are 7.
    """
    table = [0] * len(shifts)  # no posting has a count of 0
    for count in range(1, most + 1):
        log2 = math.log2(count)
        table += [1 if x < 1.5 else LEVELS if x >= LEVELS - 0.5 else int(x + 0.5)
                  for x in [log2 + shift for shift in shifts]]
    return table


def _encode(postings: Postings, levels: list[int], width: int) -> list[int]:
    """Fields in order, each as (gap from the previous field) * 8 + its level (`_level_table`, `width`
    fields to a count). Written out inline: this runs for every posting."""
    fields = sorted(postings)
    return [(field - previous) * 8 + levels[postings[field] * width + field]
            for field, previous in zip(fields, [0, *fields])]


class EncodedIndex:
    """What the last build of one language's index made, for a preview's next build to reuse.

    A preview edit changes one pattern, yet the index is made of every pattern. A posting of a word
    key (a word, ^syllable, ~suffix or +pair) in a field depends on that field's text alone, so the
    word and pair keys are the last build's, changed only where the edited patterns' own keys
    (those of an index of that pattern alone, before and after) differ. Such an unchanged key
    encodes as before unless one of its fields changed level (a field's new length moves every
    level of its column a little, and now and then one crosses a rounding boundary), and a chunk of
    such keys only is the chunk the last build wrote. Phrase and synonym group keys are made again
    and compared whole. The result is the same as a build from nothing (tests/test_search_index.py
    compares the two after many kinds of edit). It costs memory: the last build's postings are kept.
    """

    def __init__(self) -> None:
        self.docs: list[SearchDoc] = []
        self.words: dict[str, Postings] = {}
        self.word_keys: dict[str, Postings] = {}  # the word and pair keys
        self.levels: list[int] = []
        self.sizes: dict[str, int] = {}  # key -> its size in a chunk
        self.chunks: dict[str, tuple[list[str], str]] = {}  # first key -> the chunk's keys, its JSON
        self.compared: dict[str, Postings] = {}  # the phrase and group keys' postings

    def remember(self, docs: Sequence[SearchDoc], words: dict[str, Postings], word_keys: dict[str, Postings],
                 keys: dict[str, Postings], encoded: _Encoded) -> None:
        """What a build made, for the next one."""
        self.docs, self.words, self.word_keys = list(docs), words, word_keys
        self.levels, self.sizes = encoded.levels, encoded.sizes
        self.chunks = {first: (chunk, text) for first, chunk, text in encoded.chunks}
        self.compared = {key: postings for key, postings in keys.items() if key[0] in "=#"}

    def words_and_keys(self, docs: Sequence[SearchDoc]) -> tuple[dict[str, Postings], dict[str, Postings],
                                                                   set[str] | None]:
        """Every word's postings, the word and pair keys, and which of those keys changed since the last
        build (None, and all made from nothing, when there is no last build of as many patterns)."""
        if len(docs) != len(self.docs) or not self.sizes:
            return (*_word_and_pair_keys(docs), None)
        words, keys = dict(self.words), dict(self.word_keys)  # new dicts: the last build's stay as they were
        dirty: set[str] = set()
        for i, (before, after) in enumerate(zip(self.docs, docs)):
            if before is not after and before.fields != after.fields:
                old_words, old_keys = _word_and_pair_keys([before])
                new_words, new_keys = _word_and_pair_keys([after])
                _move_pattern(words, i * len(FIELDS), old_words, new_words)
                dirty.update(_move_pattern(keys, i * len(FIELDS), old_keys, new_keys))
        return words, keys, dirty

    def moved_fields(self, levels: list[int], width: int) -> set[int]:
        """Fields whose level for some count (up to the smaller table's largest) is not the last build's,
        which had as many fields (`width`)."""
        moved: set[int] = set()
        for start in range(width, min(len(levels), len(self.levels)), width):
            before, after = self.levels[start: start + width], levels[start: start + width]
            if before != after:
                moved.update(f for f, (a, b) in enumerate(zip(before, after)) if a != b)
        return moved


@dataclass(frozen=True)
class _Encoded:
    """The keys cut into chunks: (first key, its keys, its JSON) each, with the level table and key sizes used."""

    chunks: list[tuple[str, list[str], str]]
    levels: list[int]
    sizes: dict[str, int]


def _chunks(keys: dict[str, Postings], shifts: list[float], earlier: EncodedIndex,
            dirty: set[str] | None) -> _Encoded:
    """Keys in order, as [key, postings, key, postings, …] chunks of about CHUNK_BYTES each; with `dirty`
    (the keys whose postings changed), a chunk of keys that encode as in `earlier` is taken from it."""
    most = max(map(max, map(dict.values, keys.values())), default=1)  # the largest count of any posting
    width = len(shifts)
    levels = _level_table(shifts, most)
    moved = earlier.moved_fields(levels, width) if dirty is not None else set()
    encoded: dict[str, list[int]] = {}
    sizes: dict[str, int] = {}

    def same(key: str) -> bool:  # encodes as in the last build
        return dirty is not None and key not in dirty and key in earlier.sizes \
            and not (moved and keys[key].keys() & moved)

    def text(chunk: list[str], clean: bool) -> str:
        known = earlier.chunks.get(chunk[0])
        if clean and known is not None and known[0] == chunk:
            return known[1]
        return _json([item for key in chunk
                      for item in (key, encoded.get(key) or _encode(keys[key], levels, width))])

    chunks: list[tuple[str, list[str], str]] = []
    current: list[str] = []
    clean = True  # every key of the current chunk encodes as in the last build
    size = 0
    for key in sorted(keys):
        if current and size >= CHUNK_BYTES:
            chunks.append((current[0], current, text(current, clean)))
            current, size, clean = [], 0, True
        if same(key):
            sizes[key] = earlier.sizes[key]
        else:
            encoded[key] = _encode(keys[key], levels, width)
            sizes[key] = 3 * len(key) + len(str(encoded[key]))  # about its JSON: a Hangul syllable is 3 bytes
            clean = False
        current.append(key)
        size += sizes[key]
    if current:
        chunks.append((current[0], current, text(current, clean)))
    return _Encoded(chunks, levels, sizes)
