"""axe-core (from the npm registry) in Chromium on every page type, both languages; keyboard-only use."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from conftest import REPO
from test_browser import heading

AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
PAGE_TYPES = ["", "start/", "patterns/", "patterns/be-responsive/", "patterns/clarify-service-levels/", "map/",
              "situations/", "overview/", "cards/", "tags/", "retro/?p=be-responsive,build-trust", "sources/", "how-to-read/",
              "format/", "404.html"]


@pytest.mark.parametrize("path", PAGE_TYPES)
@pytest.mark.parametrize("prefix", ["", "en/"])
def test_no_serious_or_critical_violations(page: Page, served_site: str, prefix: str, path: str) -> None:
    assert AXE.exists(), "axe-core is missing: `make test` installs it with npm"
    page.goto(served_site + (path if path == "404.html" else prefix + path))
    page.wait_for_load_state("networkidle")
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate("""async () => {
        const result = await axe.run(document, {resultTypes: ['violations']});
        return result.violations.filter(v => ['serious', 'critical'].includes(v.impact))
            .map(v => v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '));
    }""")
    assert violations == []


@pytest.mark.parametrize(("prefix", "lang"), [("", "ko"), ("en/", "en")])
def test_lang_attribute_matches_the_page_language(page: Page, served_site: str, prefix: str, lang: str) -> None:
    for path in ("", "patterns/take-your-licks/", "map/", "situations/"):
        page.goto(served_site + prefix + path)
        assert page.get_attribute("html", "lang") == lang


def test_keyboard_only_search_and_language_switch(page: Page, served_site: str) -> None:
    page.goto(served_site + "en/")
    page.keyboard.press("/")
    page.keyboard.type("angry customer")
    page.wait_for_selector("#patterns-search-results:not([hidden])")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_url("**/en/patterns/**")
    focused = ""
    for _ in range(40):  # Tab through the header until the language switch has focus
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement.className")
        if "patterns-lang" in focused:
            break
    assert "patterns-lang" in focused
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/en/" not in url)
    assert page.get_attribute("html", "lang") == "ko"


def test_keyboard_only_situation_finder_and_map(page: Page, served_site: str) -> None:
    page.goto(served_site + "en/situations/")
    page.focus("#situation-filter")
    page.keyboard.type("what should I wear")
    page.wait_for_function("document.querySelectorAll('.situation-group[hidden]').length > 0")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")  # past the retro sheet link to the first visible pattern's checkbox
    assert "retro-pick" in page.evaluate("document.activeElement.className")
    page.goto(served_site + "en/map/")
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.closest('svg') !== null"):
            break
    assert page.evaluate("document.activeElement.closest('svg') !== null")
    page.keyboard.press("Enter")
    page.wait_for_url("**/en/patterns/**")
    assert heading(page)
