"""Format v2 on the page: citations per language, the sources page, additions, known-use anchors, mentions.

One small project is built once for the module: the two fixture patterns, with a Korean source,
a known use citing two sources (one with pages, one with a section), additions to a section and
to the forces, and mentions that carry their own words and anchors.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from conftest import FIXTURES, REPO, build_site, copy_project, serve
from generator.core.catalogue import read_catalogue
from generator.core.citations import format_pages
from generator.core.search import FIELDS, search_docs

AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
HANGUL = re.compile("[\uac00-\ud7a3]")

KOREAN_SOURCE = '''  - key: test-ko-blog
    kind: blog-post
    lang: ko
    title: 고객에게 먼저 알리기
    title_en: Telling the customer first
    author: 시험 저자
    container: 시험 블로그
    date: "2021-03"
'''
CITATIONS_AND_ADDITIONS = '''    cite:
      - {source: test-book, pages: "12-13"}
      - {source: test-ko-blog, section: {ko: 둘째 문단, en: the second paragraph}}
additions:
  - section: solution
    ko: 연락처 한 장을 계약서에도 붙인다.
    en: Attach the contact sheet to the contract too.
    cite: [{source: test-book, pages: "40"}]
  - section: solution
    ko: 바뀐 연락처는 그날 다시 보낸다.
    en: Send the sheet again on the day it changes.
  - section: forces
    ko: 담당자가 자주 바뀐다.
    en: The contact person changes often.
'''


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_project(FIXTURES / "site", tmp_path_factory.mktemp("v2") / "project")
    patterns = project / "patterns"
    bibliography = patterns / "bibliography.yaml"
    bibliography.write_text(bibliography.read_text(encoding="utf-8") + KOREAN_SOURCE, encoding="utf-8")
    first = patterns / "first-contact.yaml"
    text = first.read_text(encoding="utf-8")
    text = text.replace("known_uses:\n  - title:", "known_uses:\n  - id: one-page\n    title:")
    text = text.replace("    cite:\n      - {source: test-book}\n", CITATIONS_AND_ADDITIONS)
    first.write_text(text, encoding="utf-8")
    second = patterns / "keep-them-posted.yaml"
    text = second.read_text(encoding="utf-8")
    text = text.replace("[[first-contact]] 패턴에서 정한 길로", "[[first-contact#solution|첫 연락에서 정한]] 길로")
    text = text.replace("the path set in [[first-contact]] until",
                        "the path set in [[first-contact#known-use-one-page|the first contact]] until")
    second.write_text(text, encoding="utf-8")
    return build_site(project)  # strict: the added source is cited, nothing warns


def html(site: Path, path: str) -> str:
    return (site / path / "index.html").read_text(encoding="utf-8")


def article(page: str) -> str:
    """The generated content of a page, without the theme's navigation around it."""
    return page[page.index('<h1 id='): page.index('<div class="pattern-check"') if "pattern-check" in page
                else page.index("</article>")]


@pytest.mark.parametrize(("pages", "ko", "en"), [("604", "604쪽", "p. 604"), ("597–599", "597–599쪽", "pp. 597–599"),
                                                 ("597-599", "597–599쪽", "pp. 597–599")])
def test_pages_are_written_the_way_each_language_writes_them(pages: str, ko: str, en: str) -> None:
    assert (format_pages(pages, "ko"), format_pages(pages, "en")) == (ko, en)


def test_a_known_use_cites_each_source_with_its_place_in_the_page_language(site: Path) -> None:
    ko, en = article(html(site, "patterns/first-contact")), article(html(site, "en/patterns/first-contact"))
    assert ('<p class="pattern-cite">출처: <a href="#source-test-book"><span lang="en">A Book for Tests</span></a>, '
            '12–13쪽; <a href="#source-test-ko-blog">고객에게 먼저 알리기</a>, 둘째 문단</p>') in ko
    assert ('<p class="pattern-cite">Sources: <a href="#source-test-book">A Book for Tests</a>, pp. 12–13; '
            '<a href="#source-test-ko-blog"><span lang="ko">고객에게 먼저 알리기</span></a>, the second paragraph</p>') in en


def test_sources_section_lists_what_the_page_cites_and_links_to_the_sources_page(site: Path) -> None:
    en = article(html(site, "en/patterns/first-contact"))
    section = en[en.index('<h2 id="sources"'):]
    assert re.findall(r'<li id="source-([a-z-]+)">', section) == ["test-book", "test-ko-blog"]
    assert ('<li id="source-test-ko-blog"><span lang="ko">시험 저자</span>, <cite><span lang="ko">고객에게 먼저 알리기</span></cite> '
            '[Telling the customer first] (blog post), in <span lang="ko">시험 블로그</span>, 2021-03. '
            '<a href="../../sources/#source-test-ko-blog">on the sources page</a></li>') in section
    ko = article(html(site, "patterns/first-contact"))
    assert ('<cite><span lang="en">A Book for Tests</span></cite> (책), <span lang="en">Test Series</span> 수록, '
            '<span lang="en">Test Editor</span> 엮음, <span lang="en">Test Press</span>, 2020-05, 1–300쪽.') in ko
    assert "[Telling the customer first]" not in ko  # the English gloss is for English pages


def test_no_korean_word_outside_korean_names_in_english_reference_lists(site: Path) -> None:
    for path in ("en/patterns/first-contact", "en/patterns/keep-them-posted", "en/sources"):
        page = article(html(site, path))
        lists = page[page.index('<h2 id="sources"'):] if "patterns/" in path else page
        assert not HANGUL.search(_text_outside(lists, "ko")), path


def test_no_page_writes_the_page_word_before_the_number(real_site: Path) -> None:
    for page in real_site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert not re.search(r"쪽\s*\d", text), page


def test_sources_page_lists_every_source_once_with_what_cites_it(site: Path) -> None:
    for prefix in ("", "en/"):
        page = article(html(site, f"{prefix}sources"))
        assert re.findall(r'<li id="source-([a-z-]+)">', page) == ["test-book", "test-blog", "test-ko-blog"]
    page = article(html(site, "en/sources"))
    book = page[page.index('id="source-test-book"'):page.index('id="source-test-blog"')]
    assert ('<li><a href="../patterns/first-contact/">Mind the First Contact</a>: '
            '<a href="../patterns/first-contact/#solution">Our addition (Solution)</a>, '
            '<a href="../patterns/first-contact/#known-use-one-page">A test case</a></li>') in book
    blog = page[page.index('id="source-test-blog"'):page.index('id="source-test-ko-blog"')]
    assert '<a href="../patterns/keep-them-posted/#known-use-1">A test case</a>' in blog


def test_additions_close_their_section_in_a_box_of_their_own(site: Path) -> None:
    ko = article(html(site, "patterns/first-contact"))
    solution = ko[ko.index('<h2 id="solution"'):ko.index('<h2 id="resulting-context"')]
    assert solution.index("<p>담당자와 연락 방법을") < solution.index("pattern-addition")  # Rising's text first
    boxes = re.findall(r'<div class="admonition note pattern-addition">\s*<p class="admonition-title">(.*?)</p>\s*'
                       r'<p>(.*?)</p>\s*<p class="pattern-addition__source">(.*?)</p>', solution)
    assert boxes == [("우리가 덧붙인 것", "연락처 한 장을 계약서에도 붙인다.",
                      '출처: <a href="#source-test-book"><span lang="en">A Book for Tests</span></a>, 40쪽'),
                     ("우리가 덧붙인 것", "바뀐 연락처는 그날 다시 보낸다.", "출처: 우리 경험")]
    en = article(html(site, "en/patterns/first-contact"))
    forces = en[en.index('<h2 id="forces"'):en.index('<h2 id="solution"')]
    assert re.findall(r"<li[^>]*>(.*?)</li>", forces) == [
        "We want to get going.", "The customer does not know us yet.",
        '<strong>Our addition:</strong> The contact person changes often. '
        '<span class="pattern-addition__source">(Source: our own experience)</span>']
    assert "Source: our own experience" in en[en.index('<h2 id="solution"'):]


def test_a_known_use_with_an_id_has_a_stable_anchor_and_mentions_reach_it(site: Path) -> None:
    assert '<h3 id="known-use-one-page">A test case</h3>' in html(site, "en/patterns/first-contact")
    assert ('report progress along the path set in <a href="../first-contact/#known-use-one-page">the first '
            'contact</a> until') in html(site, "en/patterns/keep-them-posted")
    assert '<a href="../first-contact/#solution">첫 연락에서 정한</a> 길로' in html(site, "patterns/keep-them-posted")


def test_retro_sheet_data_carries_the_additions_to_the_solution(site: Path) -> None:
    data = json.loads((site / "data/en.json").read_text(encoding="utf-8"))
    assert data["first-contact"]["additions"] == ["Attach the contact sheet to the contract too.",
                                                  "Send the sheet again on the day it changes."]
    assert data["keep-them-posted"]["additions"] == []


def test_search_finds_words_of_an_addition_in_its_section(site: Path) -> None:
    catalogue = read_catalogue(site.parent / "patterns", site.parent).catalogue
    assert catalogue is not None
    doc = next(d for d in search_docs(catalogue, "en") if d.url.endswith("/first-contact/"))
    fields = dict(zip(FIELDS, doc.fields))
    assert " contract " in fields["solution"] and " contract " not in fields["problem"]


@pytest.fixture(scope="module")
def served(site: Path) -> Iterator[str]:
    with serve(site) as url:
        yield url


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 900}, {"width": 390, "height": 844}],
                         ids=["desktop", "phone"])
def test_the_addition_box_stands_apart_and_the_pages_pass_axe(browser: Browser, served: str,
                                                               viewport: dict[str, int]) -> None:
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    try:
        page.goto(served + "en/patterns/first-contact/")
        box = page.locator(".pattern-addition").first
        assert box.is_visible() and box.bounding_box()["width"] <= viewport["width"]  # type: ignore[index]
        style = box.evaluate("""b => { const s = getComputedStyle(b), p = getComputedStyle(b.closest('article'));
            return [s.borderLeftWidth, s.borderLeftColor, s.backgroundColor, p.backgroundColor]; }""")
        assert style[0] != "0px" and (style[1] != style[3] or style[2] != style[3])  # a border or a background
        for path in ("en/patterns/first-contact/", "patterns/first-contact/", "sources/", "en/sources/"):
            page.goto(served + path)
            page.add_script_tag(path=str(AXE))
            violations = page.evaluate("""async () => (await axe.run(document, {resultTypes: ['violations']}))
                .violations.filter(v => ['serious', 'critical'].includes(v.impact)).map(v => v.id)""")
            assert violations == [], path
    finally:
        context.close()


def test_retro_sheet_marks_the_additions_as_ours(page: Page, served: str) -> None:
    page.goto(served + "en/retro/?p=first-contact")
    page.wait_for_selector(".retro-sheet__addition")
    assert page.locator(".retro-sheet__addition").all_inner_texts() == [
        "Our addition. Attach the contact sheet to the contract too.",
        "Our addition. Send the sheet again on the day it changes."]


class _OutsideLang(HTMLParser):
    """The text of a fragment that is not inside an element marked with one language."""

    def __init__(self, lang: str) -> None:
        super().__init__()
        self.lang, self.stack, self.text = lang, [], []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack.append(dict(attrs).get("lang") == self.lang or bool(self.stack and self.stack[-1]))

    def handle_endtag(self, tag: str) -> None:
        if self.stack:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if not (self.stack and self.stack[-1]):
            self.text.append(data)


def _text_outside(fragment: str, lang: str) -> str:
    parser = _OutsideLang(lang)
    parser.feed(re.sub(r"<(br|img|input|hr)\b[^>]*>", "", fragment))
    return "".join(parser.text)
