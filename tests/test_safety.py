"""Nothing in pattern text becomes markup, script or a request in a reader's browser."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

from playwright.sync_api import Browser

from conftest import build_site, serve

HOSTILE = {
    # Valid text that looks like an attack: code spans, entities and braces are shown, never run.
    "problem": "Code such as `<img src=x onerror=alert(1)>` or `<script>alert(1)</script>` is shown as code.",
    "context": "Entities stay text: &lt;svg onload=alert(1)&gt; and &#60;script&#62;alert(1)&#60;/script&#62;.",
    "rationale": "Braces stay braces: {{ config }} {% raw %} and a plain https://example.com link.",
}


class _Article(HTMLParser):
    """Collects what the page's article holds that could run or load something."""

    DANGEROUS = {"script", "iframe", "object", "embed", "style", "frame", "frameset", "applet", "base", "meta", "link"}

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "article":
            self.depth += 1
        if not self.depth:
            return
        if tag in self.DANGEROUS:
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"{tag}[{name}]")
            cleaned = "".join((value or "").split()).lower()
            if name in ("href", "src", "action", "formaction", "xlink:href") and \
                    cleaned.startswith(("javascript:", "data:", "vbscript:")):
                self.found.append(f"{tag}[{name}={value}]")

    def handle_endtag(self, tag: str) -> None:
        if tag == "article":
            self.depth -= 1


def dangerous_markup(page: Path) -> list[str]:
    parser = _Article()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser.found


def test_no_page_of_the_real_site_carries_markup_from_pattern_text(real_site: Path) -> None:
    pages = sorted(real_site.rglob("*.html"))
    assert len(pages) > 40
    assert {str(p.relative_to(real_site)): dangerous_markup(p) for p in pages if dangerous_markup(p)} == {}


def test_hostile_looking_text_is_shown_not_run(mini_project: Path, browser: Browser) -> None:
    path = mini_project / "patterns/first-contact.yaml"
    text = path.read_text(encoding="utf-8")
    for field, value in HOSTILE.items():
        start = text.index(f"\n{field}:")
        end = text.index("\n", start + 1)
        text = text[:start] + f"\n{field}: {{ko: '{value}', en: '{value}'}}" + text[end:]
    path.write_text(text, encoding="utf-8")
    site = build_site(mini_project)
    for page_path in site.rglob("*.html"):
        assert dangerous_markup(page_path) == [], page_path
    dialogs: list[str] = []
    with serve(site) as base:
        page = browser.new_page()
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        for prefix in ("", "en/"):
            page.goto(f"{base}{prefix}patterns/first-contact/")
            assert "<img src=x onerror=alert(1)>" in page.inner_text("#problem + p")
            assert "<svg onload=alert(1)>" in page.inner_text("#context + p")
            assert "{{ config }}" in page.inner_text("#rationale + p")
            for query in ("onerror", "alert", "script", "svg onload", "config"):
                page.fill("#patterns-search-input", query)
                page.wait_for_timeout(150)
        page.close()
    assert dialogs == []
