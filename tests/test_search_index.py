"""The search index in chunks: what the build writes, and that the browser fetches only what a query needs.

Ranking is measured in test_search_quality.py; here, that cutting the index into chunks changes no
result, and that a reader's query reads a few chunks rather than the whole index.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from generator.core import search_index
from generator.core.catalogue import read_catalogue
from generator.core.model import Catalogue
from generator.core.search import search_docs
from generator.core.search_index import build_search_files, search_meta_path
from test_search_quality import doc, results

REPO = Path(__file__).resolve().parents[1]
# Korean inside words and at their start, a one-syllable stem, compounds, synonyms and their
# phrases, English stems, prefixes and word pairs: every kind of key a query reads.
QUERIES = {"ko": ["고객", "고", "응대", "고객응대", "늦어요", "화를 내요", "짜증 내는 고객", "일정지연을 숨기고 싶어요",
                  "SLA", "Take Your Licks", "서비스 수준", "회의 중 할인 요구"],
           "en": ["customer", "cust", "listening", "late reply", "dress code", "customer as a person", "apology",
                  "경청", "out of office auto reply", "SLA", "licks", "who fixes what when it breaks"]}


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    reading = read_catalogue(REPO / "patterns", REPO)
    assert reading.catalogue is not None
    return reading.catalogue


def chunks_of(files: dict[str, str], lang: str) -> tuple[dict, list[list]]:
    meta = json.loads(files[search_meta_path(lang)])
    return meta, [json.loads(files[f"search/{lang}/t/{name}.json"]) for _, name in meta["chunks"]]


def test_meta_lists_every_chunk_by_its_first_key_and_content(catalogue: Catalogue,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search_index, "CHUNK_BYTES", 2_000)
    files = build_search_files(search_docs(catalogue, "ko"), "ko")
    meta, chunks = chunks_of(files, "ko")
    assert len(chunks) > 20
    keys = [key for chunk in chunks for key in chunk[::2]]
    assert keys == sorted(keys) and len(set(keys)) == len(keys)
    assert [first for first, _ in meta["chunks"]] == [chunk[0] for chunk in chunks]
    for path, text in files.items():  # a file's name is its content's hash: a stale cache cannot mix builds
        if path != search_meta_path("ko"):
            assert Path(path).stem == hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]
    rows = [row for name in meta["display"]["files"] for row in json.loads(files[f"search/ko/d/{name}.json"])]
    assert [url for url, _, _ in rows] == [f"patterns/{p.id}/" for p in catalogue.patterns]
    assert len(files) == 1 + len(chunks) + len(meta["display"]["files"])


def test_hangul_words_are_keys_from_each_syllable_and_by_their_first() -> None:
    files = build_search_files([doc("a", "불만고객에게 답하라", body="Keep what you promise."),
                                doc("b", "회의", body="고객")], "en")
    _, chunks = chunks_of(files, "en")
    keys = {key: postings for chunk in chunks for key, postings in zip(chunk[::2], chunk[1::2])}
    assert {"~불만고객에게", "~만고객에게", "~고객에게", "~객에게", "~에게", "~답하라", "~하라"} <= set(keys)
    assert "~게" not in keys and "~라" not in keys      # a query word inside another has two syllables or more
    assert {"^불", "^답", "^회", "^고"} <= set(keys)
    assert "+keep promis" in keys                       # what and you are stop words


def test_a_word_counts_more_in_a_short_field_than_in_a_long_one() -> None:
    long_solution = "agenda " + "filler words here " * 60
    files = build_search_files([doc("short", "Plan", body="agenda", section="problem"),
                                doc("long", "Plan", body=long_solution, section="problem"),
                                doc("other", "Other", body="other words " * 30, section="problem")], "en")
    _, chunks = chunks_of(files, "en")
    postings = next(chunk[i + 1] for chunk in chunks for i in range(0, len(chunk), 2) if chunk[i] == "agenda")
    (short_level, long_level) = [value & 7 for value in postings]
    assert short_level > long_level



@pytest.mark.parametrize("lang", ["ko", "en"])
def test_a_preview_reusing_its_last_encoding_writes_what_a_build_from_nothing_writes(
        catalogue: Catalogue, monkeypatch: pytest.MonkeyPatch, lang: str) -> None:
    monkeypatch.setattr(search_index, "CHUNK_BYTES", 300)  # small chunks: a changed key spoils few of them
    encodings: list[int] = []
    real_encode = search_index._encode
    monkeypatch.setattr(search_index, "_encode", lambda *args: encodings.append(1) or real_encode(*args))
    original = search_docs(catalogue, lang)
    absent = next(phrase for group in search_index.synonym_table() for phrase in group  # a group no page has yet
                  if " " in phrase and phrase.isascii() == (lang == "en")
                  and not any(phrase in text for d in original for text in d.fields))

    def edited(docs: list, index: int, field: int, change) -> list:  # noqa: ANN001
        fields = list(docs[index].fields)
        fields[field] = change(fields[field])
        return [*docs[:index], dataclasses.replace(docs[index], fields=tuple(fields)), *docs[index + 1:]]

    first = edited(original, 3, 5, lambda text: "낱말새로 " + text)  # a new word
    second = edited(first, 5, 6, lambda text: text + " " + text.split()[0])  # a word once more
    # One word said forty times more: few keys change, but the field's length moves its column's levels.
    longer = edited(original, 2, 5, lambda text: text + f" {text.split()[-1]}" * 40)
    found = edited(longer, 7, 6, lambda text: text + " " + absent)  # a synonym group found: groups renumbered
    cut = edited(original, 2, 5, lambda text: " ".join(text.split()[:3]))  # a field cut short
    earlier = search_index.EncodedIndex()
    build_search_files(original, lang, earlier)
    for docs in (first, second, original, longer, found, original, cut, original[:-1], original):
        encodings.clear()
        reused = build_search_files(docs, lang, earlier)
        encoded_again = len(encodings)
        encodings.clear()
        assert reused == build_search_files(docs, lang)
        if docs is first:  # one new word: a few keys, not the index, encoded again
            assert 0 < encoded_again < len(encodings) / 2
    # Blind to the levels `longer` moves, the index would come out different: the loop above saw to them.
    blind = search_index.EncodedIndex()
    build_search_files(original, lang, blind)
    monkeypatch.setattr(search_index.EncodedIndex, "moved_fields", lambda self, levels, width: set())
    assert build_search_files(longer, lang, blind) != build_search_files(longer, lang)

def test_results_do_not_depend_on_how_the_index_is_cut(page: Page, served_site: str, catalogue: Catalogue,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    for lang in ("ko", "en"):
        page.goto(served_site + ("en/" if lang == "en" else ""))
        docs = search_docs(catalogue, lang)  # type: ignore[arg-type]
        monkeypatch.setattr(search_index, "CHUNK_BYTES", 10**9)
        whole = build_search_files(docs, lang)  # type: ignore[arg-type]
        monkeypatch.setattr(search_index, "CHUNK_BYTES", 300)
        cut = build_search_files(docs, lang)  # type: ignore[arg-type]
        assert len(chunks_of(whole, lang)[1]) == 1 and len(chunks_of(cut, lang)[1]) > 100
        expected = results(page, whole, lang, QUERIES[lang])
        assert all(expected), [q for q, r in zip(QUERIES[lang], expected) if not r]
        assert results(page, cut, lang, QUERIES[lang]) == expected


def test_a_query_fetches_a_few_chunks_not_the_index(page: Page, served_site: str, real_site: Path) -> None:
    fetched: list[str] = []
    page.on("request", lambda request: fetched.append(request.url) if "/search/" in request.url else None)
    for lang, query in (("ko", "고객응대"), ("en", "late reply")):
        fetched.clear()
        page.goto(served_site + ("en/" if lang == "en" else ""))
        assert fetched == []                                        # nothing before the reader asks
        page.fill("#patterns-search-input", query)
        page.wait_for_selector("#patterns-search-results:not([hidden]) li a")
        index = real_site / "search" / lang
        read = [url for url in fetched if "/t/" in url]
        assert fetched[0].endswith(search_meta_path(lang))
        assert len(set(fetched)) == len(fetched)                    # each file once
        assert 0 < len(read) < len(list((index / "t").glob("*.json"))) / 2
        size = sum((real_site / url.removeprefix(served_site)).stat().st_size for url in fetched)
        assert size < sum(p.stat().st_size for p in index.rglob("*.json")) / 2


def test_a_chunk_that_cannot_be_fetched_is_said_and_tried_again(page: Page, served_site: str) -> None:
    page.route("**/search/en/t/*.json", lambda route: route.abort())
    page.goto(served_site + "en/")
    page.fill("#patterns-search-input", "trust")
    status = page.locator(".patterns-search__status")
    status.filter(has_text="could not load").wait_for()
    assert page.locator("#patterns-search-results").is_hidden()
    page.unroute("**/search/en/t/*.json")
    page.fill("#patterns-search-input", "trust ")                # the next keystroke asks again
    page.wait_for_selector("#patterns-search-results:not([hidden]) li a")
    assert "could not load" not in status.inner_text()


def test_the_search_benchmark_measures_a_built_site(real_site: Path, browser: Browser) -> None:
    from bench.search_bench import search_figures

    figures = search_figures(real_site, log=lambda line: None, queries={"ko": ["고객"], "en": ["trust me"]},
                             browser=browser)
    for lang in ("ko", "en"):
        f = figures[lang]
        assert 0 < f["first_kb"] <= f["query_kb_max"] < f["index_kb"]
        assert f["first_ms"] > 0 and f["later_ms"] > 0 and f["query_files_max"] >= 3  # meta, a chunk, a title chunk
        assert f["runs"][0]["first_shown"] > 0
