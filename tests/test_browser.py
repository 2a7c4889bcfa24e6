"""What a reader does in a real headless Chromium: search, switch language, load pages offline."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page

from conftest import build_site, serve

SEARCHES = [  # (page language, query, pattern expected first)
    ("ko", "화난 고객", "take-your-licks"),
    ("ko", "답장이 늦어요", "be-responsive"),
    ("ko", "복장", "mind-your-manners"),
    ("ko", "경청", "listen-listen-listen"),
    ("ko", "신뢰", "build-trust"),
    ("en", "angry customer", "take-your-licks"),
    ("en", "dress code", "mind-your-manners"),
    ("en", "listening", "listen-listen-listen"),
    ("en", "meeting", "customer-meetings-go-early-stay-late"),
    ("en", "boundaries", "be-aware-of-boundaries"),
]



def heading(page: Page) -> str:
    """The page's h1 without its permalink sign."""
    return page.eval_on_selector("h1", "h => h.firstChild.textContent").strip()


def search(page: Page, query: str) -> list[str]:
    page.fill("#patterns-search-input", query)
    page.wait_for_selector("#patterns-search-results:not([hidden])")
    hrefs = page.eval_on_selector_all("#patterns-search-results li a", "els => els.map(e => e.href)")
    return [urlsplit(h).path.rstrip("/").split("/")[-1] for h in hrefs]


@pytest.mark.parametrize(("lang", "query", "expected"), SEARCHES)
def test_search_finds_the_pattern(page: Page, served_site: str, lang: str, query: str, expected: str) -> None:
    page.goto(served_site + ("en/" if lang == "en" else ""))
    assert search(page, query)[0] == expected


def test_korean_search_matches_inside_words_with_particles(page: Page, served_site: str) -> None:
    # '고객' appears in the text mostly as 고객에게, 고객의, 고객이 … never checked word by word.
    page.goto(served_site)
    results = search(page, "고객")
    assert len(results) == 10
    assert search(page, "파악")[0] == "know-the-customer"  # the text says 파악하라 / 파악해 …


def test_search_result_opens_the_pattern(page: Page, served_site: str) -> None:
    page.goto(served_site + "en/")
    search(page, "angry customer")
    page.keyboard.press("Enter")
    page.wait_for_url("**/en/patterns/take-your-licks/**")
    assert heading(page) == "Take Your Licks"


def test_language_switch_keeps_the_pattern(page: Page, served_site: str) -> None:
    page.goto(served_site + "patterns/be-responsive/")
    assert page.get_attribute("html", "lang") == "ko"
    page.click("a.patterns-lang")
    page.wait_for_url("**/en/patterns/be-responsive/")
    assert page.get_attribute("html", "lang") == "en"
    assert heading(page) == "Be Responsive"
    page.click("a.patterns-lang")
    page.wait_for_url(served_site + "patterns/be-responsive/")
    assert heading(page) == "신속하게 응답하라"


def test_pages_load_nothing_from_other_hosts(page: Page, served_site: str) -> None:
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    for prefix in ("", "en/"):
        for path in ("", "start/", "patterns/", "patterns/be-responsive/", "map/", "situations/", "overview/",
                     "cards/", "tags/", "retro/?p=build-trust", "how-to-read/", "format/"):
            page.goto(served_site + prefix + path)
            page.wait_for_load_state("networkidle")
        search(page, "trust")
        page.click("a.patterns-lang")  # the language switch
        page.wait_for_load_state("networkidle")
        page.goto(served_site + prefix + "map/")
        page.click(".pattern-map__node >> nth=0")  # the map
        page.wait_for_load_state("networkidle")
        page.emulate_media(media="print")  # print
        page.goto(served_site + prefix + "cards/")
        page.pdf(format="A4")
        page.emulate_media(media="screen")
    local = urlsplit(served_site).netloc
    assert requested and all(urlsplit(u).netloc == local or u.startswith("data:") for u in requested), \
        [u for u in requested if urlsplit(u).netloc != local]


def test_a_renamed_pattern_keeps_its_old_links_working(page: Page, mini_project) -> None:  # type: ignore[no-untyped-def]
    # Rename first-contact to first-touch, keeping the old id; links pasted into notes must still land.
    old = mini_project / "patterns/first-contact.yaml"
    text = old.read_text(encoding="utf-8").replace("id: first-contact", "id: first-touch\nformer_ids: [first-contact]")
    (mini_project / "patterns/first-touch.yaml").write_text(text, encoding="utf-8")
    old.unlink()
    for other in (mini_project / "patterns/keep-them-posted.yaml", *(mini_project / "retros").glob("*.yaml")):
        other.write_text(other.read_text(encoding="utf-8").replace("first-contact", "first-touch"), encoding="utf-8")
    site = build_site(mini_project)
    with serve(site) as base:
        for prefix, title in (("", "첫 연락을 챙겨라"), ("en/", "Mind the First Contact")):
            page.goto(f"{base}{prefix}patterns/first-contact/#solution")
            page.wait_for_url(f"{base}{prefix}patterns/first-touch/#solution")
            assert heading(page) == title
