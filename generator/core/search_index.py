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


def build_search_files(docs: Sequence[SearchDoc], lang: Lang) -> dict[str, str]:
    """The index files of one language, by path from the site root, each as compact JSON."""
    words = _word_postings(docs)
    keys = _keys(words)
    keys.update(_pair_postings(docs))
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

    def add(kind: str, content: object) -> str:
        text = _json(content)
        name = hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]
        files[f"search/{lang}/{kind}/{name}.json"] = text
        return name

    chunks = [[first, add("t", chunk)] for first, chunk in _chunks(keys, _level_shifts(docs))]
    display = [add("d", [[d.url, d.title, d.summary] for d in docs[i : i + DOCS_PER_CHUNK]])
               for i in range(0, len(docs), DOCS_PER_CHUNK)]
    meta = {"version": INDEX_VERSION, "lang": lang, "docs": len(docs), "fields": list(FIELDS),
            "head": len(HEAD_FIELDS), "labels": field_labels(lang), "synonyms": synonyms,
            "stop": sorted(stop_words_en()),
            "chunks": chunks, "display": {"size": DOCS_PER_CHUNK, "files": display}}
    files[search_meta_path(lang)] = _json(meta)
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


def _encode(postings: Postings, shifts: list[float], log2: list[float]) -> list[int]:
    """Fields in order, each as (gap from the previous field) * 8 + its level.

    The level is log2(occurrences / the field's length norm) + 4, rounded and kept within 1..7:
    1/8 of an occurrence in a field of average length is 1, one is 4, eight or more are 7. (Written
    out inline: this runs for every posting.)
    """
    fields = sorted(postings)
    strengths = [log2[postings[field]] + shifts[field] for field in fields]
    return [(field - previous) * 8 + (1 if x < 1.5 else LEVELS if x >= LEVELS - 0.5 else int(x + 0.5))
            for field, previous, x in zip(fields, [0, *fields], strengths)]


def _chunks(keys: dict[str, Postings], shifts: list[float]) -> list[tuple[str, list[object]]]:
    """Keys in order, as [key, postings, key, postings, …] chunks of about CHUNK_BYTES each."""
    most = max(map(max, map(dict.values, keys.values())), default=1)  # the largest count of any posting
    log2 = [0.0, *(math.log2(count) for count in range(1, most + 1))]
    chunks: list[tuple[str, list[object]]] = []
    current: list[object] = []
    size = 0
    for key in sorted(keys):
        encoded = _encode(keys[key], shifts, log2)
        if current and size >= CHUNK_BYTES:
            chunks.append((str(current[0]), current))
            current, size = [], 0
        current += [key, encoded]
        size += 3 * len(key) + len(str(encoded))  # about its JSON: a Hangul syllable is 3 bytes
    if current:
        chunks.append((str(current[0]), current))
    return chunks
