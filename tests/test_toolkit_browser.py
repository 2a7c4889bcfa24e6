"""The onboarding path and the retrospective toolkit, used the way a reader uses them, in Chromium."""

from __future__ import annotations

import math
import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page

from test_browser import heading

READING_PATH_EN = [
    "It's a Relationship, Not a Sale", "Know the Customer", "Build Trust", "Listen, Listen, Listen",
    "Customer Meetings: Go Early, Stay Late", "Be Responsive", "Take Your Licks", "Show Personal Integrity",
    "Mind Your Manners", "Be Aware of Boundaries", "Clarify Service Levels Up Front",
]


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context()
    yield context
    context.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()


def pdf_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?!s)", pdf))


def test_reading_path_visits_every_pattern_in_order_and_back(page: Page, served_site: str) -> None:
    page.goto(served_site + "en/start/")
    page.click("text=Begin reading")
    seen = [heading(page)]
    for position in range(2, len(READING_PATH_EN) + 1):
        page.click(".pattern-path >> nth=0 >> a[title='Next']")
        page.wait_for_load_state()
        seen.append(heading(page))
        assert f"{position} of {len(READING_PATH_EN)}" in page.inner_text(".pattern-path >> nth=0")
    assert seen == READING_PATH_EN
    assert page.locator(".pattern-path >> nth=0 >> a[title='Next']").count() == 0
    back = [heading(page)]
    for _ in range(len(READING_PATH_EN) - 1):
        page.click(".pattern-path >> nth=0 >> a[title='Previous']")
        page.wait_for_load_state()
        back.append(heading(page))
    assert back == list(reversed(READING_PATH_EN))


def test_self_check_survives_a_reload_and_shows_on_the_start_page(page: Page, served_site: str) -> None:
    page.goto(served_site + "patterns/build-trust/")
    page.check(".pattern-check input[data-check='read']")
    page.check(".pattern-check input[data-check='tried']")
    page.reload()
    assert page.is_checked(".pattern-check input[data-check='read']")
    assert page.is_checked(".pattern-check input[data-check='tried']")
    page.goto(served_site + "en/patterns/know-the-customer/")  # the same browser store serves both languages
    page.check(".pattern-check input[data-check='read']")
    page.goto(served_site + "en/start/")
    assert page.inner_text(".pattern-progress__read") == "I have read this: 2 of 11"
    assert page.inner_text(".pattern-progress__tried") == "I have tried this: 1 of 11"


def test_retro_sheet_shows_exactly_the_chosen_patterns_and_prints(page: Page, served_site: str) -> None:
    page.goto(served_site + "en/retro/?p=be-responsive,take-your-licks,listen-listen-listen")
    page.wait_for_selector(".retro-sheet__pattern")
    assert page.eval_on_selector_all(".retro-sheet__pattern", "els => els.map(e => e.dataset.pattern)") == \
        ["be-responsive", "take-your-licks", "listen-listen-listen"]
    assert page.locator(".retro-sheet__pattern h2").all_inner_texts() == \
        ["Be Responsive", "Take Your Licks", "Listen, Listen, Listen"]
    assert page.locator(".retro-sheet__pattern li").count() >= 6  # their retrospective questions
    page.emulate_media(media="print")
    assert not page.is_visible(".md-header") and not page.is_visible(".md-sidebar--primary")
    assert pdf_pages(page.pdf(format="A4")) >= 1


@pytest.mark.parametrize(("lang", "message"), [("", "패턴 내용을 불러오지 못했습니다"),
                                                ("en/", "The patterns could not be loaded")])
def test_retro_sheet_says_so_when_its_data_cannot_be_loaded(lang: str, message: str, page: Page,
                                                             served_site: str) -> None:
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.route("**/data/*.json", lambda route: route.abort())  # offline, or the file is gone
    page.goto(f"{served_site}{lang}retro/?p=be-responsive,take-your-licks")
    page.wait_for_selector(".retro-sheet__failed")
    assert page.get_attribute(".retro-sheet__failed", "role") == "alert"
    assert page.inner_text(".retro-sheet__failed").startswith(message)
    assert page.locator(".retro-sheet__pattern").count() == 0
    assert not page.is_visible(".retro-sheet__print")  # an empty sheet is not worth printing
    assert errors == []


def test_picking_patterns_builds_the_retro_sheet_link(page: Page, served_site: str) -> None:
    page.goto(served_site + "patterns/")
    page.check(".retro-pick[value='take-your-licks']")
    page.check(".retro-pick[value='be-responsive']")
    page.click(".retro-picker__link")
    page.wait_for_selector(".retro-sheet__pattern")
    assert page.url.endswith("/retro/?p=be-responsive,take-your-licks")
    assert page.locator(".retro-sheet__pattern h2").all_inner_texts() == ["신속하게 응답하라", "쓴소리를 달게 받아라"]


@pytest.mark.parametrize(("lang", "query", "expected"), [
    ("en", "the customer was angry about the delay", {"take-your-licks", "be-responsive"}),
    ("ko", "고객이 일정 지연에 화를 냈다", {"take-your-licks", "be-responsive"}),
    ("en", "what should I wear", {"mind-your-manners"}),
])
def test_situation_finder_narrows_as_you_type(page: Page, served_site: str, lang: str, query: str,
                                              expected: set[str]) -> None:
    page.goto(served_site + ("en/" if lang == "en" else "") + "situations/")
    total = page.locator(".situation-group").count()
    page.type("#situation-filter", query)
    # The index arrives asynchronously; wait until the list shows the whole query, not a prefix.
    page.wait_for_function("q => document.querySelector('.situation-finder').dataset.shownFor === q", arg=query)
    shown = page.eval_on_selector_all(".situation-group:not([hidden])", "els => els.map(e => e.dataset.pattern)")
    assert expected <= set(shown[:3]) or expected <= set(shown), shown
    assert len(shown) < total


def test_situation_finder_says_so_when_the_index_cannot_be_loaded(page: Page, served_site: str) -> None:
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.route("**/search/**", lambda route: route.abort())
    page.goto(served_site + "en/situations/")
    page.type("#situation-filter", "angry")
    page.wait_for_function("document.querySelector('.situation-finder__status').textContent !== ''")
    assert page.inner_text(".situation-finder__status") == "Search could not load its index; try again"
    assert errors == []
    page.unroute("**/search/**")  # and the next keystroke tries again
    page.type("#situation-filter", " customer")
    page.wait_for_function("document.querySelector('.situation-finder').dataset.shownFor === 'angry customer'")


def test_copy_link_puts_the_section_url_on_the_clipboard(context: BrowserContext, served_site: str) -> None:
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = context.new_page()
    for prefix in ("", "en/"):
        page.goto(f"{served_site}{prefix}patterns/be-responsive/")
        page.click("#solution .pattern-copy-link")
        url = page.evaluate("navigator.clipboard.readText()")
        assert url == f"{served_site}{prefix}patterns/be-responsive/#solution"
        page.goto(url)
        assert page.evaluate("document.getElementById('solution').getBoundingClientRect().top") < 200


def test_cards_print_one_card_per_pattern_without_navigation(page: Page, served_site: str) -> None:
    for prefix in ("", "en/"):
        page.goto(served_site + prefix + "cards/")
        page.emulate_media(media="print")
        cards = page.locator(".pattern-card")
        assert cards.count() == 11
        assert all(cards.nth(i).is_visible() for i in range(11))
        for chrome in (".md-header", ".md-sidebar--primary", ".md-sidebar--secondary", ".md-footer"):
            assert not page.is_visible(chrome), chrome
        assert pdf_pages(page.pdf(format="A4")) == math.ceil(11 / 2)


def test_overview_prints_on_two_a4_pages(page: Page, served_site: str) -> None:
    for prefix in ("", "en/"):
        page.goto(served_site + prefix + "overview/")
        page.emulate_media(media="print")
        assert pdf_pages(page.pdf(format="A4")) <= 2


def test_questions_box_copies_its_questions(context: BrowserContext, served_site: str) -> None:
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(served_site + "en/patterns/take-your-licks/")
    page.click(".pattern-questions__copy")
    copied = page.evaluate("navigator.clipboard.readText()").splitlines()
    assert copied == [f"{i}. {q}" for i, q in enumerate(page.locator(".pattern-questions li").all_inner_texts(), 1)]


def test_tags_page_lists_patterns_by_tag_linked_from_each_pattern(page: Page, served_site: str) -> None:
    page.goto(served_site + "en/patterns/build-trust/")
    page.click("#related + p ~ p a[href*='tags/#trust'], a[href*='tags/#trust'] >> nth=0")
    page.wait_for_url("**/en/tags/#trust")
    listed = page.eval_on_selector_all("#trust + ul a", "els => els.map(e => e.textContent)")
    assert "Build Trust" in listed


def test_screenshots_of_the_toolkit_pages(page: Page, served_site: str, tmp_path_factory: pytest.TempPathFactory,
                                          request: pytest.FixtureRequest) -> None:
    folder = Path(os.environ.get("PATTERNS_SCREENSHOTS") or tmp_path_factory.mktemp("screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    for prefix, lang in (("", "ko"), ("en/", "en")):
        for name, path in (("start", "start/"), ("pattern", "patterns/be-responsive/"),
                           ("situations", "situations/"), ("cards", "cards/")):
            page.goto(served_site + prefix + path)
            target = folder / f"{name}-{lang}.png"
            page.screenshot(path=str(target), full_page=True)
            assert target.stat().st_size > 10_000
    print(f"\nscreenshots in {folder}")
