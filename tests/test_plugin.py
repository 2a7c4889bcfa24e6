"""A real `mkdocs build` with the real plugin, asserted on the HTML it writes."""

from __future__ import annotations

import os
import re
import subprocess
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest
from mkdocs.exceptions import Abort, PluginError

from conftest import build_site, engine_command
from generator.adapter.config import PatternsConfig
from generator.adapter import plugin as plugin_module
from generator.adapter.plugin import PatternsPlugin

SECTIONS = ("problem", "context", "forces", "solution", "resulting-context", "rationale", "known-uses")


class _Links(HTMLParser):
    """Collects ids, links and every URL-bearing attribute of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.hrefs: list[str] = []
        self.urls: list[str] = []
        self.html_lang = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "html":
            self.html_lang = values.get("lang") or ""
        if values.get("id"):
            self.ids.add(values["id"])
        if tag == "a" and values.get("href"):
            self.hrefs.append(values["href"])
        if tag == "link" and values.get("rel") == "canonical":
            return  # names the page's published address (site_url); a browser loads nothing from it
        for name in ("href", "src", "srcset", "action", "poster", "data"):
            if values.get(name):
                self.urls.append(values[name])


def parse(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def test_default_config_is_valid() -> None:
    plugin = PatternsPlugin()
    errors, warnings = plugin.load_config({"patterns_dir": str(Path(__file__).parent / "fixtures/site/patterns")})
    assert (errors, warnings) == ([], [])
    assert isinstance(plugin.config, PatternsConfig)


def test_both_languages_have_every_page_with_stable_anchors(mini_project: Path) -> None:
    site = build_site(mini_project)
    for prefix, lang in (("", "ko"), ("en/", "en")):
        for pid in ("first-contact", "keep-them-posted"):
            page = parse(site / f"{prefix}patterns/{pid}/index.html")
            assert page.html_lang == lang
            assert set(SECTIONS) <= page.ids
        assert (site / f"{prefix}patterns/index.html").exists()
        assert (site / f"{prefix}map/index.html").exists()


def test_links_go_both_ways_with_titles_in_the_page_language(mini_project: Path) -> None:
    site = build_site(mini_project)
    child = (site / "patterns/keep-them-posted/index.html").read_text(encoding="utf-8")
    parent = (site / "patterns/first-contact/index.html").read_text(encoding="utf-8")
    # builds_on on the child, used-by back-link on the parent, each titled in Korean.
    assert re.search(r'<strong>먼저 있어야 할 패턴:</strong> <a href="\.\./first-contact/">첫 연락을 챙겨라</a>', child)
    assert re.search(r'<strong>이 패턴 위에 세워진 패턴:</strong> <a href="\.\./keep-them-posted/">진행 상황을 알려라</a>',
                     parent)
    # A [[mention]] in text becomes a link with the title in the page's language.
    english = (site / "en/patterns/keep-them-posted/index.html").read_text(encoding="utf-8")
    assert '<a href="../first-contact/">Mind the First Contact</a>' in english


@pytest.mark.parametrize("directory_urls", [True, False])
def test_every_link_between_pages_arrives(mini_project: Path, directory_urls: bool) -> None:
    # The generator writes its pages' links itself, for both URL styles MkDocs offers.
    config = mini_project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + f"use_directory_urls: {str(directory_urls).lower()}\n",
                      encoding="utf-8")
    site = build_site(mini_project)
    checked = 0
    for page in site.rglob("*.html"):
        links = parse(page)
        for href in links.hrefs:
            path, _, fragment = href.partition("#")
            if not path or "://" in path or path.startswith(("mailto:", "/")):
                continue
            target = (page.parent / path).resolve()
            target = target / "index.html" if target.is_dir() else target
            assert target.is_file(), f"{page.relative_to(site)} links to {href}, which is not there"
            if fragment and target.suffix == ".html":
                assert fragment in parse(target).ids, f"{page.relative_to(site)} links to {href}: no such anchor"
            checked += 1
    assert checked > 100


def test_language_switch_points_at_the_same_page(mini_project: Path) -> None:
    site = build_site(mini_project)
    ko = parse(site / "patterns/keep-them-posted/index.html")
    en = parse(site / "en/patterns/keep-them-posted/index.html")
    assert "../../en/patterns/keep-them-posted/" in ko.hrefs
    assert "../../../patterns/keep-them-posted/" in en.hrefs


def test_map_links_every_pattern(mini_project: Path) -> None:
    site = build_site(mini_project)
    for prefix in ("", "en/"):
        html = (site / f"{prefix}map/index.html").read_text(encoding="utf-8")
        start = html.index('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ', html.index("pattern-map"))
        svg = html[start: html.index("</svg>", start)]
        assert sorted(re.findall(r'<a href="\.\./patterns/([a-z0-9-]+)/"', svg)) == ["first-contact", "keep-them-posted"]


def test_edit_link_opens_the_pattern_yaml(mini_project: Path) -> None:
    yml = mini_project / "mkdocs.yml"
    yml.write_text(yml.read_text() + "repo_url: https://git.example.com/team/patterns\nedit_uri: edit/main/docs/\n")
    site = build_site(mini_project)
    page = parse(site / "en/patterns/first-contact/index.html")
    assert "https://git.example.com/team/patterns/edit/main/patterns/first-contact.yaml" in page.hrefs


def test_nothing_generated_is_written_into_docs(mini_project: Path) -> None:
    before = sorted(p.relative_to(mini_project) for p in (mini_project / "docs").rglob("*"))
    build_site(mini_project)
    assert sorted(p.relative_to(mini_project) for p in (mini_project / "docs").rglob("*")) == before


def test_no_page_references_another_host(real_site: Path) -> None:
    offenders = []
    for page in real_site.rglob("*.html"):
        links = parse(page)
        # Only anchors may point elsewhere (plain links a reader chooses to follow); nothing loads from there.
        loaded = [u for u in links.urls if u not in links.hrefs or u.startswith("//")]
        offenders += [(page.name, u) for u in loaded if re.match(r"(https?:)?//", u)]
    css_js = [p for p in real_site.rglob("*") if p.suffix in (".css", ".js")]
    for asset in css_js:
        text = asset.read_text(encoding="utf-8", errors="replace")
        offenders += [(asset.name, u) for u in re.findall(r"url\(\s*['\"]?(https?://[^)'\"]+)", text)]
        offenders += [(asset.name, u) for u in re.findall(r"@import\s+['\"](https?://[^'\"]+)", text)]
    assert offenders == []


def test_failed_build_leaves_the_previous_site_untouched(mini_project: Path) -> None:
    site = build_site(mini_project)
    sentinel = site / "sentinel.txt"
    sentinel.write_text("previous build")
    before = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}
    broken = mini_project / "patterns/keep-them-posted.yaml"
    broken.write_text(broken.read_text(encoding="utf-8").replace("order: 2", "order: two"), encoding="utf-8")
    with pytest.raises((PluginError, Abort)):
        build_site(mini_project)
    assert {p: p.read_bytes() for p in site.rglob("*") if p.is_file()} == before


def test_mkdocs_build_reports_the_finding_without_a_traceback(mini_project: Path) -> None:
    broken = mini_project / "patterns/keep-them-posted.yaml"
    broken.write_text(broken.read_text(encoding="utf-8").replace("ko: 진행 상황을 알려라", "ko: ''"), encoding="utf-8")
    result = subprocess.run(engine_command("build"), cwd=mini_project, capture_output=True, text=True)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    assert "patterns/keep-them-posted.yaml:4: title.ko: expected non-empty text, got ''" in result.stderr


def test_pages_show_when_the_pattern_last_changed(mini_project: Path) -> None:
    env = {"GIT_AUTHOR_DATE": "2026-01-15T12:00:00", "GIT_COMMITTER_DATE": "2026-01-15T12:00:00"}
    git = ["git", "-c", "user.name=Editor", "-c", "user.email=editor@example.com"]
    subprocess.run(["git", "init", "-q"], cwd=mini_project, check=True)
    subprocess.run([*git, "add", "patterns"], cwd=mini_project, check=True)
    subprocess.run([*git, "commit", "-qm", "patterns"], cwd=mini_project, check=True,
                   env={**os.environ, **env})
    site = build_site(mini_project)
    assert "마지막 수정: 2026-01-15" in (site / "patterns/first-contact/index.html").read_text(encoding="utf-8")
    assert "Last changed: 2026-01-15" in (site / "en/patterns/first-contact/index.html").read_text(encoding="utf-8")


class _TableOfContents(HTMLParser):
    """The page's "on this page" links, each with how deeply it is nested."""

    def __init__(self) -> None:
        super().__init__()
        self.entries: list[tuple[int, str]] = []
        self._depth = 0
        self._navs = 0  # open <nav> elements inside the secondary one (nested entries have their own)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "nav" and (self._navs or "md-nav--secondary" in (values.get("class") or "")):
            self._navs += 1
        elif self._navs and tag == "ul":
            self._depth += 1
        elif self._navs and tag == "a" and (values.get("href") or "").startswith("#"):
            self.entries.append((self._depth, values["href"][1:]))  # type: ignore[index]

    def handle_endtag(self, tag: str) -> None:
        if self._navs and tag == "ul":
            self._depth -= 1
        elif self._navs and tag == "nav":
            self._navs -= 1


def test_pattern_pages_have_a_table_of_contents_of_their_sections(mini_project: Path) -> None:
    # The generator writes pattern pages as HTML, so it also hands MkDocs their table of contents.
    site = build_site(mini_project)
    for prefix in ("", "en/"):
        toc = _TableOfContents()
        toc.feed((site / f"{prefix}patterns/first-contact/index.html").read_text(encoding="utf-8"))
        ids = [anchor for _, anchor in toc.entries]
        assert [a for a in ids if a in SECTIONS] == list(SECTIONS)
        assert ids[-1] == "sources" and "questions" in ids and "related" in ids
        depth = dict((anchor, level) for level, anchor in toc.entries)
        assert depth["known-use-1"] == depth["known-uses"] + 1
        assert "top" not in ids  # Material leaves the page title out, as on hand-written pages


def test_a_shared_navigation_is_the_one_each_page_would_render(mini_project: Path, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    # Pattern pages share one rendered navigation per language and depth; it must be theirs.
    shared = build_site(mini_project, tmp_path / "shared")
    calls: list[object] = []
    monkeypatch.setattr(plugin_module._FragmentCache, "__call__",
                        lambda self, key, render: calls.append(key) or render())
    own = build_site(mini_project, tmp_path / "own")
    assert len(calls) > len(set(calls))  # the navigation is shared
    pages = sorted(p.relative_to(shared) for p in shared.rglob("*.html"))
    assert pages == sorted(p.relative_to(own) for p in own.rglob("*.html"))
    for page in pages:
        assert re.sub(r"\s+", "", (shared / page).read_text(encoding="utf-8")) == \
            re.sub(r"\s+", "", (own / page).read_text(encoding="utf-8")), page


def test_candidate_patterns_are_marked_on_the_page_and_in_the_catalogue(mini_project: Path) -> None:
    path = mini_project / "patterns/keep-them-posted.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("order: 2", "order: 2\nstatus: candidate"),
                    encoding="utf-8")
    site = build_site(mini_project)
    page = unescape((site / "en/patterns/keep-them-posted/index.html").read_text(encoding="utf-8"))
    assert "Candidate pattern: not part of Rising's original set" in page
    catalogue = (site / "en/patterns/index.html").read_text(encoding="utf-8")
    line = next(l for l in catalogue.splitlines() if "keep-them-posted/" in l)
    assert '<span class="pattern-badge">candidate</span>' in line
