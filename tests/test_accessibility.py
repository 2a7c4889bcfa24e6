"""Every page of the real site in Chromium, at a desk and on a phone, in both languages, as it is
published below a path: axe-core (from the npm registry) on each, what a screen reader and a
keyboard-only visitor meet, and every request each page makes.

One pass (`visits`) loads every built page once per viewport, in one browser, and records what the
tests below assert on; axe-core is injected into each page as it starts.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from conftest import REPO
from test_browser import heading

AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
VIEWPORTS = {
    "desktop": {"viewport": {"width": 1280, "height": 800}},
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
}
# The reader has read three patterns (one of them out of order): the start page shows its marks.
READ = ("its-a-relationship-not-a-sale", "know-the-customer", "listen-listen-listen")
MISSING = ("no-such-page/", "en/patterns/no-such-pattern/")  # answered with the 404 pages
EXTRA = ("retro/?p=be-responsive,clarify-service-levels", "en/retro/?p=be-responsive,clarify-service-levels")

# What each page shows a screen reader, gathered in the page after its scripts ran.
FACTS = """() => {
  const hangul = /[\\uac00-\\ud7a3]/, latin = /[A-Za-z]/;
  const name = a => (a.getAttribute('aria-label') || a.textContent || '').trim();
  const shown = e => !!(e.offsetWidth || e.offsetHeight || e.getClientRects().length);
  const wrong = [];  // text in the other language that does not say so
  const places = 'header, nav, footer, h1, h2, h3, h4, h5, h6, .pattern-cite, #sources + ol > li';
  document.querySelectorAll(places).forEach(root => {
    if (root.closest('.md-source')) return;  // the repository's name is an identifier
    const walk = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walk.nextNode(); node; node = walk.nextNode()) {
      const text = node.textContent.trim(), lang = node.parentElement.closest('[lang]').lang;
      if ((lang === 'en' && hangul.test(text)) || (lang === 'ko' && latin.test(text) && !hangul.test(text)
          && !/^[A-Za-z]{1,3}$/.test(text)))
        wrong.push(lang + ': ' + text.slice(0, 60));
    }
  });
  if (document.documentElement.lang === 'en' && hangul.test(document.title)) wrong.push('title: ' + document.title);
  return {
    lang: document.documentElement.lang,
    nav: [...document.querySelectorAll('.md-nav--primary a[href]')].map(a => a.href),
    footer: [...document.querySelectorAll('a.md-footer__link')].map(a => a.href),
    unnamed: [...document.querySelectorAll('a[href], button')].filter(a => shown(a) &&
        !/[\\p{L}\\p{N}]/u.test(name(a)) && !a.closest('[aria-hidden=true]')).map(a => a.outerHTML.slice(0, 120)),
    permalinks: [...new Set([...document.querySelectorAll('a.headerlink')].map(a => a.title))],
    wrong: wrong,
    styled: getComputedStyle(document.querySelector('.md-header')).position === 'sticky',
    scripted: !!window.patternsSearch,
  };
}"""
# axe runs in the desktop page and the phone page at once (two renderer processes), so it is started
# in each page and its promise kept there; AXE_RESULT waits for it.
AXE_START = """() => { window.patternsAxe = axe.run(document, {resultTypes: ['violations']}).then(r => r.violations
    .map(v => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | ')}`)); }"""
AXE_RESULT = "() => window.patternsAxe"


@dataclass
class Visit:
    """One page as one viewport met it."""

    viewport: str
    path: str  # below the site's base URL
    violations: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)  # requests that failed or were answered with an error
    facts: dict = field(default_factory=dict)

    @property
    def lang(self) -> str:
        return "en" if self.path.startswith("en/") else "ko"

    def __str__(self) -> str:
        return f"{self.viewport} /{self.path}"


def site_paths(site: Path) -> list[str]:
    """The address, below the site, of every page built (the 404 pages are met at missing addresses)."""
    paths = []
    for file in sorted(site.rglob("*.html")):
        relative = file.relative_to(site).as_posix()
        if relative.endswith("404.html"):
            continue
        paths.append(relative[: -len("index.html")] if relative.endswith("index.html") else relative)
    return [*paths, *EXTRA, *MISSING]


class Visitor:
    """One page at one viewport that records every request that fails or is answered with an error."""

    def __init__(self, page: Page, viewport: str) -> None:
        self.page, self.viewport = page, viewport
        self.seen: Visit | None = None
        page.on("requestfailed", self._failed)
        page.on("response", self._answered)

    def _note(self, what: str) -> None:
        if self.seen is not None:
            self.seen.failed.append(what)

    def _failed(self, request) -> None:  # type: ignore[no-untyped-def]
        # A request the browser itself cancelled (the root 404 page handing an English address on, a
        # busy machine's late request) is not a load that failed: whether the page got its styles and
        # scripts is asked of the page itself (`styled`, `scripted`).
        if request.failure != "net::ERR_ABORTED":
            self._note(f"failed {request.url} ({request.failure})")

    def _answered(self, response) -> None:  # type: ignore[no-untyped-def]
        assert self.seen is not None
        expected = self.seen.path in MISSING and response.request.resource_type == "document"
        if response.status >= 400 and not expected:
            self._note(f"{response.status} {response.url}")

    def open(self, base: str, path: str) -> None:
        self.seen = Visit(self.viewport, path)
        self.page.goto(base + path, wait_until="commit")

    def settle(self) -> None:
        assert self.seen is not None
        self.page.wait_for_load_state("load")  # for an English missing address, the English 404 page's
        self.seen.facts = self.page.evaluate(FACTS)
        self.page.evaluate(AXE_START)

    def finish(self) -> Visit:
        assert self.seen is not None
        self.seen.violations = self.page.evaluate(AXE_RESULT)
        if self.seen.path in ("", "en/"):  # again with the search results open
            self.page.fill("#patterns-search-input", "customer" if self.seen.path else "고객")
            self.page.wait_for_selector("#patterns-search-results:not([hidden])")
            self.page.evaluate(AXE_START)
            self.seen.violations += [f"with search results open: {v}" for v in self.page.evaluate(AXE_RESULT)]
        seen, self.seen = self.seen, None
        return seen


@pytest.fixture(scope="module")
def visits(browser: Browser, served_site: str, real_site: Path) -> Iterator[list[Visit]]:
    """Every page at both viewports, once, with axe injected as each page starts."""
    assert AXE.exists(), "axe-core is missing: `make test` installs it with npm"
    started = time.monotonic()
    contexts, visitors = [], []
    for viewport, options in VIEWPORTS.items():
        context = browser.new_context(**options)
        context.add_init_script(path=str(AXE))
        context.add_init_script("".join(f"localStorage.setItem('patterns.check.read.{pid}', '1');" for pid in READ))
        contexts.append(context)
        visitors.append(Visitor(context.new_page(), viewport))
    found: list[Visit] = []
    for path in site_paths(real_site):
        for visitor in visitors:
            visitor.open(served_site, path)
        for visitor in visitors:
            visitor.settle()
        found += [visitor.finish() for visitor in visitors]
    for context in contexts:
        context.close()
    print(f"\naxe and checks on {len(found)} page views in {time.monotonic() - started:.1f} s")
    yield found


def test_axe_reports_no_violation_of_any_impact_on_any_page(visits: list[Visit]) -> None:
    assert len({v.path for v in visits}) > 45
    assert {f"{v}: {violation}" for v in visits for violation in v.violations} == set()


def test_every_page_loads_its_styles_and_scripts_below_a_sub_path(visits: list[Visit]) -> None:
    # The site is served at /customer-patterns/, as a GitHub Pages project site is; the 404 pages
    # are met at addresses deeper than any page, so a relative asset URL would miss there.
    assert {f"{v}: {request}" for v in visits for request in v.failed} == set()
    assert [str(v) for v in visits if not (v.facts["styled"] and v.facts["scripted"])] == []


def test_every_page_is_in_its_language(visits: list[Visit]) -> None:
    assert [str(v) for v in visits if v.facts["lang"] != v.lang] == []


def test_menu_and_footer_never_cross_to_the_other_language(visits: list[Visit], served_site: str) -> None:
    def lang_of(url: str) -> str:
        return "en" if url.startswith(served_site + "en/") else "ko"

    crossing = {f"{v}: {url}" for v in visits for url in v.facts["nav"] + v.facts["footer"]
                if url.startswith(served_site) and lang_of(url) != v.lang}
    assert sorted(crossing) == []


def test_text_in_the_other_language_is_marked_as_such(visits: list[Visit]) -> None:
    # Korean titles on English pages (sources, the site's name) carry lang="ko", and English ones on
    # Korean pages lang="en", so a screen reader reads each with the right voice.
    assert sorted({f"/{v.path}: {text}" for v in visits for text in v.facts["wrong"]}) == []


def test_links_and_buttons_are_named_in_words(visits: list[Visit]) -> None:
    # A bare "↓" or "#" is read out as a symbol; each link says where it goes.
    assert sorted({f"/{v.path}: {html}" for v in visits for html in v.facts["unnamed"]}) == []


def test_permalinks_are_titled_in_the_page_language(visits: list[Visit]) -> None:
    titles = {v.lang: set() for v in visits}
    for v in visits:
        titles[v.lang] |= set(v.facts["permalinks"])
    assert titles == {"ko": {"이 절의 고정 링크"}, "en": {"Permanent link to this section"}}


@pytest.mark.parametrize(("prefix", "lang"), [("", "ko"), ("en/", "en")])
def test_copying_a_link_is_announced(browser: Browser, served_site: str, prefix: str, lang: str) -> None:
    context = browser.new_context()
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(f"{served_site}{prefix}patterns/be-responsive/")
    page.click("#solution .pattern-copy-link")
    assert page.locator("[role=status].pattern-announce").count() == 1  # a live region, there before it speaks
    page.wait_for_function("t => document.querySelector('.pattern-announce').textContent === t",
                           arg={"ko": "링크를 복사했습니다", "en": "Link copied"}[lang])
    page.click(".pattern-questions__copy")
    page.wait_for_function("t => document.querySelector('.pattern-announce').textContent === t",
                           arg={"ko": "질문을 복사했습니다", "en": "Questions copied"}[lang])
    context.close()


@pytest.mark.parametrize("prefix", ["", "en/"])
def test_retro_checkboxes_have_visible_labels_big_enough_to_hit(page: Page, served_site: str, prefix: str) -> None:
    for path in ("patterns/", "situations/"):
        page.goto(served_site + prefix + path)
        boxes = page.eval_on_selector_all(".retro-pick", """els => els.map(e => {
            const label = e.closest('label'), box = label && label.getBoundingClientRect();
            return label ? [label.innerText.trim(), box.width, box.height] : null; })""")
        assert len(boxes) == 11
        expected = "Add to the retro sheet" if prefix else "회고 시트에 넣기"
        assert all(b and b[0] == expected and b[1] >= 24 and b[2] >= 24 for b in boxes), boxes


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
    for _ in range(5):  # past the retro sheet link and the first visible pattern's heading to its checkbox
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('retro-pick')"):
            break
    assert page.evaluate("document.activeElement.closest('.situation-group:not([hidden])') !== null")
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
