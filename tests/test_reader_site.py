"""The reader's site in Chromium, one language at a time, at a desk (1280×800) and on a phone (390×844):
where a new hire starts, what a team lead preparing a retrospective meets, what prints."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page
from pypdf import PdfReader

VIEWPORTS = {
    "desktop": {"viewport": {"width": 1280, "height": 800}},
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
}
PREFIX = {"ko": "", "en": "en/"}
CANDIDATE = "clarify-service-levels"


@pytest.fixture(params=list(VIEWPORTS))
def screen(request: pytest.FixtureRequest, browser: Browser) -> Iterator[Page]:
    """A fresh page at each viewport in turn."""
    context = browser.new_context(**VIEWPORTS[request.param])
    yield context.new_page()
    context.close()


def mark_read(page: Page, *pattern_ids: str) -> None:
    """What the self-check on a pattern page keeps in the browser, for every page opened afterwards."""
    page.context.add_init_script("".join(f"localStorage.setItem('patterns.check.read.{pid}', '1');"
                                         for pid in pattern_ids))


def pdf_page_texts(page: Page) -> list[str]:
    """The text of each printed A4 page, without white space (the PDF's own spacing varies)."""
    page.emulate_media(media="print")
    reader = PdfReader(io.BytesIO(page.pdf(format="A4")))
    return [re.sub(r"\s+", "", sheet.extract_text()) for sheet in reader.pages]


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


# 1. Search on a phone --------------------------------------------------------------------------

@pytest.mark.parametrize(("lang", "query"), [("ko", "답장이 늦어요"), ("en", "customer meetings")])
def test_search_results_start_inside_the_screen_and_show_whole_titles(screen: Page, served_site: str, lang: str,
                                                                      query: str) -> None:
    screen.goto(served_site + PREFIX[lang])
    screen.fill("#patterns-search-input", query)
    screen.wait_for_selector("#patterns-search-results:not([hidden])")
    width = screen.viewport_size["width"]  # type: ignore[index]
    panel = screen.eval_on_selector("#patterns-search-results", "e => e.getBoundingClientRect().toJSON()")
    assert panel["left"] >= 0 and panel["right"] <= width, panel
    titles = screen.eval_on_selector_all("#patterns-search-results strong", """els => els.map(e => {
        const box = e.getBoundingClientRect();
        return {text: e.textContent, left: box.left, right: box.right, whole: e.scrollWidth <= e.clientWidth}; })""")
    assert titles and all(t["left"] >= 0 and t["right"] <= width and t["whole"] for t in titles), titles


# 2. The language switch keeps what you were doing ----------------------------------------------

@pytest.mark.parametrize(("start", "lands"), [
    ("retro/?p=be-responsive,take-your-licks", "en/retro/?p=be-responsive,take-your-licks"),
    ("patterns/build-trust/#solution", "en/patterns/build-trust/#solution"),
    ("tags/#trust", "en/tags/#trust"),
    ("en/patterns/take-your-licks/#questions", "patterns/take-your-licks/#questions"),
])
def test_language_switch_keeps_the_query_and_the_fragment(screen: Page, served_site: str, start: str,
                                                          lands: str) -> None:
    screen.goto(served_site + start)
    screen.click("a.patterns-lang")
    screen.wait_for_url(served_site + lands)
    assert screen.get_attribute("html", "lang") == ("en" if lands.startswith("en/") else "ko")
    if "retro" in lands:
        screen.wait_for_selector(".retro-sheet__pattern")
        assert screen.eval_on_selector_all(".retro-sheet__pattern", "els => els.map(e => e.dataset.pattern)") == \
            ["be-responsive", "take-your-licks"]
    else:
        target = lands.split("#")[1]
        screen.wait_for_function("id => Math.abs(document.getElementById(id).getBoundingClientRect().top) < 150",
                                 arg=target)


def test_language_switch_follows_a_fragment_chosen_on_the_page(page: Page, served_site: str) -> None:
    page.goto(served_site + "patterns/build-trust/")
    page.click(".md-sidebar--secondary a[href='#forces']")
    page.click("a.patterns-lang")
    page.wait_for_url(served_site + "en/patterns/build-trust/#forces")


# 4. Each language's own 404 ---------------------------------------------------------------------

@pytest.mark.parametrize(("lang", "heading", "query"), [("ko", "페이지를 찾을 수 없습니다", "화난 고객"),
                                                        ("en", "Page not found", "angry customer")])
def test_each_language_has_its_own_404_with_ways_on(page: Page, served_site: str, lang: str, heading: str,
                                                    query: str) -> None:
    response = page.goto(served_site + PREFIX[lang] + "patterns/no-such-pattern/")
    assert response is not None and response.status == 404
    if lang == "en":  # the host answers with the root 404.html, which hands English addresses on
        page.wait_for_url(served_site + "en/404.html")
    home = served_site + PREFIX[lang]
    other = served_site + PREFIX["en" if lang == "ko" else "ko"]
    assert page.get_attribute("html", "lang") == lang
    assert squeeze(page.inner_text("h1")) == squeeze(heading)
    assert len(page.inner_text(".md-content p")) > 40  # says what happened and what to do
    links = page.eval_on_selector_all(".md-content a[href]", "els => els.map(a => a.href)")
    assert home in links
    assert page.get_attribute("a.patterns-lang", "href") and \
        page.eval_on_selector("a.patterns-lang", "a => a.href") == other
    page.fill(".md-content input[type=search]", query)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{home}situations/?q=*")
    page.wait_for_selector(".situation-group[hidden]", state="attached")
    assert page.locator(".situation-group:not([hidden])").count() >= 1


def test_the_404_page_leads_home(page: Page, served_site: str) -> None:
    page.goto(served_site + "en/no/such/page.html")
    page.get_by_role("link", name="Go to the home page").click()
    page.wait_for_url(served_site + "en/")
    assert page.get_attribute("html", "lang") == "en"


# 5. The first screen of the home page -----------------------------------------------------------

@pytest.mark.parametrize("lang", ["ko", "en"])
def test_home_first_screen_offers_the_three_ways_in(screen: Page, served_site: str, lang: str) -> None:
    home = served_site + PREFIX[lang]
    screen.goto(home)
    height = screen.viewport_size["height"]  # type: ignore[index]
    links = screen.eval_on_selector_all(".md-content a[href]", """els => els.map(a => {
        const box = a.getBoundingClientRect();
        return [a.href, box.bottom, box.width > 0]; })""")
    for way in ("start/", "situations/", "retro/"):
        assert any(href == home + way and bottom <= height and shown for href, bottom, shown in links), (way, links)


@pytest.mark.parametrize(("lang", "words"), [("ko", ("PLoP '98", "후보", "우리")), ("en", ("PLoP '98", "candidate", "ours"))])
def test_home_says_what_is_rising_and_what_is_ours(page: Page, served_site: str, lang: str,
                                                   words: tuple[str, ...]) -> None:
    page.goto(served_site + PREFIX[lang])
    statement = page.inner_text(".md-content .pattern-provenance").lower()
    assert all(word.lower() in statement for word in words), statement


# 6. Editors' pages leave the reader's menu ------------------------------------------------------

@pytest.mark.parametrize(("lang", "section"), [("ko", "편집자를 위한 안내"), ("en", "For editors")])
def test_editors_pages_have_their_own_section(page: Page, served_site: str, lang: str, section: str) -> None:
    page.goto(served_site + PREFIX[lang])
    top = page.eval_on_selector_all(".md-nav--primary > .md-nav__list > li > a.md-nav__link",
                                    "els => els.map(a => a.href)")
    editors = ("format/", "performance/", "contributing/")
    assert len(top) >= 9 and not [href for href in top if href.endswith(editors)]
    group = page.locator(".md-nav--primary > .md-nav__list > li.md-nav__item--nested", has_text=section)
    assert group.count() == 1
    inside = group.locator("a.md-nav__link[href]").evaluate_all("els => els.map(a => a.href)")
    assert sorted(served_site + PREFIX[lang] + e for e in editors) == sorted(h for h in inside if h.endswith(editors))
    commands = page.eval_on_selector_all(".md-content code", "els => els.map(e => e.textContent)")
    assert commands == []  # no Markdown paths or shell commands for readers


# 8. Korean typography ---------------------------------------------------------------------------

BREAKS_INSIDE_WORDS = """() => {
  const hangul = /[\\uac00-\\ud7a3]/, range = document.createRange(), found = [];
  const walk = document.createTreeWalker(document.querySelector('.md-content'), NodeFilter.SHOW_TEXT);
  for (let node = walk.nextNode(); node; node = walk.nextNode()) {
    const text = node.textContent;
    let top = null;
    for (let i = 0; i < text.length; i++) {
      range.setStart(node, i); range.setEnd(node, i + 1);
      const box = range.getClientRects()[0];
      if (!box) continue;
      if (top !== null && box.top > top + 2 && hangul.test(text[i]) && hangul.test(text[i - 1]))
        found.push(text.slice(Math.max(0, i - 6), i) + '/' + text.slice(i, i + 6));
      top = box.top;
    }
  }
  return found;
}"""


@pytest.mark.parametrize("path", ["", "how-to-read/", "start/", "patterns/build-trust/"])
def test_korean_lines_break_between_words_and_nothing_overflows_a_phone(browser: Browser, served_site: str,
                                                                        path: str) -> None:
    context = browser.new_context(**VIEWPORTS["phone"])
    page = context.new_page()
    page.goto(served_site + path)
    assert page.evaluate(BREAKS_INSIDE_WORDS) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    context.close()


@pytest.mark.parametrize("width", [390, 360])
@pytest.mark.parametrize("lang", ["ko", "en"])
def test_search_placeholder_fits_a_phone(browser: Browser, served_site: str, lang: str, width: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": 800}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(served_site + PREFIX[lang])
    room, needed = page.eval_on_selector("#patterns-search-input", """input => {
        const style = getComputedStyle(input), context = document.createElement('canvas').getContext('2d');
        context.font = `${style.fontStyle} ${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
        return [input.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight),
                context.measureText(input.placeholder).width]; }""")
    assert needed <= room
    context.close()


# 10. Small frictions ----------------------------------------------------------------------------

@pytest.mark.parametrize(("lang", "resume", "title"), [("ko", "이어 읽기", "신뢰를 쌓아라"),
                                                      ("en", "Continue reading", "Build Trust")])
def test_start_resumes_at_the_first_unread_pattern(page: Page, served_site: str, lang: str, resume: str,
                                                   title: str) -> None:
    mark_read(page, "its-a-relationship-not-a-sale", "know-the-customer", "listen-listen-listen")
    page.goto(served_site + PREFIX[lang] + "start/")
    button = page.locator(".pattern-start")
    assert button.inner_text().startswith(resume) and title in button.inner_text()
    assert button.evaluate("a => a.href") == served_site + PREFIX[lang] + "patterns/build-trust/"


@pytest.mark.parametrize(("lang", "badge"), [("ko", "후보"), ("en", "candidate")])
def test_the_candidate_pattern_is_labelled_wherever_it_appears(page: Page, served_site: str, lang: str,
                                                               badge: str) -> None:
    base = served_site + PREFIX[lang]

    def badges(selector: str) -> list[str]:
        return page.eval_on_selector_all(selector, "els => els.map(e => e.innerText)")

    page.goto(base + "situations/")
    assert any(badge in text for text in badges(f".situation-group[data-pattern={CANDIDATE}] .pattern-badge"))
    assert badges(".situation-group:not([data-pattern=clarify-service-levels]) .pattern-badge") == []
    page.goto(f"{base}retro/?p=be-responsive,{CANDIDATE}")
    page.wait_for_selector(f".retro-sheet__pattern[data-pattern={CANDIDATE}]")
    assert any(badge in text for text in badges(f".retro-sheet__pattern[data-pattern={CANDIDATE}] .pattern-badge"))
    assert badges(".retro-sheet__pattern[data-pattern=be-responsive] .pattern-badge") == []
    page.goto(base + "map/")
    assert badge in page.inner_text(".pattern-map__legend")
    assert page.get_by_role("link", name=re.compile(badge)).evaluate_all(
        "els => els.map(e => e.dataset.pattern)") == [CANDIDATE]
    page.goto(base + "cards/")
    for media in ("screen", "print"):
        page.emulate_media(media=media)
        card = page.locator(f".pattern-card[data-pattern={CANDIDATE}] .pattern-badge")
        assert card.is_visible() and badge in card.inner_text()


def test_a_filtered_finder_lists_only_what_it_shows_in_the_contents(page: Page, served_site: str) -> None:
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(served_site + "en/situations/")
    page.type("#situation-filter", "what should I wear")
    page.wait_for_function("q => document.querySelector('.situation-finder').dataset.shownFor === q",
                           arg="what should I wear")
    shown = page.eval_on_selector_all(".situation-group:not([hidden]) h2", "els => els.map(h => '#' + h.id)")
    listed = page.eval_on_selector_all(".md-sidebar--secondary a.md-nav__link",
                                       "els => els.filter(a => a.offsetParent).map(a => a.hash)")
    assert 0 < len(shown) < 11 and sorted(listed) == sorted(shown)
    page.fill("#situation-filter", "")
    page.wait_for_function("document.querySelector('.situation-finder').dataset.shownFor === ''")
    assert page.eval_on_selector_all(".md-sidebar--secondary a.md-nav__link",
                                     "els => els.filter(a => a.offsetParent).length") == 11


@pytest.mark.parametrize(("lang", "path_words", "progress_words", "finder_words"), [
    ("ko", "11개 중 3번째", "읽었어요: 11개 중 2개", "11개 중 {n}개"),
    ("en", "3 of 11", "I have read this: 2 of 11", "{n} of 11"),
])
def test_counts_read_as_words(page: Page, served_site: str, lang: str, path_words: str, progress_words: str,
                              finder_words: str) -> None:
    base = served_site + PREFIX[lang]
    mark_read(page, "build-trust", "know-the-customer")
    page.goto(base + "patterns/build-trust/")
    assert path_words in page.inner_text(".pattern-path >> nth=0")
    page.goto(base + "start/")
    assert page.inner_text(".pattern-progress__read") == progress_words
    page.goto(base + "situations/")
    query = "고객이 일정 지연에 화를 냈다" if lang == "ko" else "the customer was angry about the delay"
    page.fill("#situation-filter", query)
    page.wait_for_function("q => document.querySelector('.situation-finder').dataset.shownFor === q", arg=query)
    shown = page.locator(".situation-group:not([hidden])").count()
    assert page.inner_text(".situation-finder__status").startswith(finder_words.format(n=shown))
    page.fill("#patterns-search-input", query)
    page.wait_for_selector("#patterns-search-results:not([hidden])")
    assert not re.search(r"\d\s*/\s*\d", page.text_content(".patterns-search__status") or "")


@pytest.mark.parametrize(("lang", "levels", "first_level"), [("ko", "단계별 목록", "단계 1"),
                                                            ("en", "Patterns by level", "Level 1")])
def test_a_printed_map_keeps_the_level_list_with_its_heading(page: Page, served_site: str, lang: str, levels: str,
                                                             first_level: str) -> None:
    page.goto(served_site + PREFIX[lang] + "map/")
    titles = page.eval_on_selector_all("#levels ~ ul li", "els => els.map(e => e.innerText)")
    sheets = [text for text in pdf_page_texts(page) if squeeze(levels) in text]
    assert len(sheets) == 1
    below = sheets[0].split(squeeze(levels), 1)[1]  # the map above names every pattern too
    assert below.startswith(squeeze(first_level)) and all(squeeze(t) in below for t in titles), below


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_a_printed_pattern_keeps_its_questions_box_on_one_sheet(page: Page, served_site: str, lang: str) -> None:
    for pid in ("know-the-customer", "be-responsive", "take-your-licks", "mind-your-manners", CANDIDATE):
        page.emulate_media(media="screen")
        page.goto(f"{served_site}{PREFIX[lang]}patterns/{pid}/")
        questions = [squeeze(q) for q in page.locator(".pattern-questions li").all_inner_texts()]
        title = squeeze(page.locator("#questions").evaluate("h => h.firstChild.textContent"))
        sheets = [text for text in pdf_page_texts(page) if questions[0][:12] in text]
        assert len(sheets) == 1, (pid, "the first question is printed on more than one sheet?")
        assert title in sheets[0] and all(q in sheets[0] for q in questions), pid
