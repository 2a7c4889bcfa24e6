"""`mkdocs serve`: edits show up, and what it serves equals a fresh build.

While serving, the plugin reuses the HTML of pages whose Markdown did not change and the whole
output of pages whose inputs did not change (see generator/adapter/serve_cache.py). These tests edit a
project under a running server (or rebuild it in preview mode here) and compare every page with a
clean `mkdocs build` of the same files, so a stale page cannot go unnoticed.
"""

from __future__ import annotations

import contextlib
import re
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from html import unescape
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from playwright.sync_api import Browser

from conftest import FIXTURES, copy_project, engine_command
from generator.core.catalogue import read_catalogue
from generator.core.findings import errors_in

MAIN = re.compile(r"<main\b.*?</main>", re.S)


def fetch(url: str) -> str:
    """The page at `url`, also when it comes with an error status (a preview's findings page is a 404)."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.read().decode("utf-8")
    except urllib.error.HTTPError as e:
        return e.read().decode("utf-8")


def wait_for(condition, what: str, log: list[str], timeout: float = 60) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if condition():
                return
        except (OSError, urllib.error.URLError):
            pass
        time.sleep(0.1)
    pytest.fail(f"{what} within {timeout} s; mkdocs serve said:\n" + "".join(log))


@contextlib.contextmanager
def serving(project: Path, ready: str) -> Iterator[tuple[str, list[str]]]:
    """`properdocs serve` on `project`; yields (base URL, its log) once the first page holds `ready`."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(engine_command("serve", "-a", f"127.0.0.1:{port}"), cwd=project,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    log: list[str] = []
    threading.Thread(target=lambda: log.extend(process.stderr), daemon=True).start()  # type: ignore[arg-type]
    base = f"http://127.0.0.1:{port}/"
    try:
        wait_for(lambda: ready in fetch(base + "patterns/first-contact/"), "the site was not served", log)
        time.sleep(2)  # the file watcher starts after the server answers; an earlier edit would go unseen
        yield base, log
    finally:
        process.terminate()
        process.wait(30)


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Path, str, list[str]]]:
    """A copy of the small test project under a running `mkdocs serve`: (project, base URL, its log)."""
    project = copy_project(FIXTURES / "site", tmp_path / "project")
    with serving(project, "첫 연락을 챙겨라") as (base, log):
        yield project, base, log


def built_pages(project: Path, site: Path) -> dict[str, str]:
    """Every HTML page of a clean build of the project, by URL path."""
    subprocess.run(engine_command("build", "--quiet", "--site-dir", str(site)), cwd=project, check=True)
    pages = {}
    for path in site.rglob("index.html"):
        url = path.parent.relative_to(site).as_posix()
        pages["" if url == "." else url + "/"] = path.read_text(encoding="utf-8")
    return pages


def assert_serves_what_a_build_makes(project: Path, base: str, tmp_path: Path, name: str) -> None:
    expected = built_pages(project, tmp_path / name)
    assert len(expected) > 10
    for url, html in expected.items():
        served_html = fetch(base + url)
        # The part a reader sees: the page's content, its table of contents and the navigation.
        assert MAIN.search(served_html).group(0) == MAIN.search(html).group(0), url  # type: ignore[union-attr]


def test_an_edited_title_reaches_every_page_that_shows_it(served: tuple[Path, str, list[str]],
                                                          tmp_path: Path) -> None:
    project, base, log = served
    pattern = project / "patterns" / "first-contact.yaml"
    pattern.write_text(pattern.read_text(encoding="utf-8").replace("Mind the First Contact", "Mind the Very First Call"),
                       encoding="utf-8")
    # keep-them-posted mentions first-contact in its patlet: its page must change too, not come from the cache.
    wait_for(lambda: "Mind the Very First Call" in fetch(base + "en/patterns/keep-them-posted/"),
             "the edit did not reach the page that mentions the pattern", log)
    assert "Mind the Very First Call" in fetch(base + "en/patterns/")
    assert_serves_what_a_build_makes(project, base, tmp_path, "after-edit")


def test_a_new_pattern_file_and_an_edited_docs_page_are_served(served: tuple[Path, str, list[str]],
                                                               tmp_path: Path) -> None:
    project, base, log = served
    new = (project / "patterns" / "keep-them-posted.yaml").read_text(encoding="utf-8")
    new = new.replace("id: keep-them-posted", "id: close-the-loop").replace("Keep Them Posted", "Close the Loop")
    (project / "patterns" / "close-the-loop.yaml").write_text(new, encoding="utf-8")
    wait_for(lambda: "Close the Loop" in fetch(base + "en/patterns/close-the-loop/"), "the new pattern was not served", log)
    index = project / "docs" / "en" / "index.md"
    index.write_text(index.read_text(encoding="utf-8") + "\nA sentence added while serving.\n", encoding="utf-8")
    wait_for(lambda: "A sentence added while serving." in fetch(base + "en/"), "the docs edit was not served", log)
    assert_serves_what_a_build_makes(project, base, tmp_path, "after-new")


@pytest.fixture
def previewing() -> Iterator[None]:
    """This process's `patterns` plugin in preview mode, as `mkdocs serve` starts it.

    MkDocs keeps one instance of the plugin per process, so its state is put back afterwards.
    """
    plugin = load_config(str(FIXTURES / "site" / "mkdocs.yml")).plugins["patterns"]
    saved = dict(vars(plugin))
    plugin.on_startup(command="serve", dirty=False)
    yield
    vars(plugin).clear()
    vars(plugin).update(saved)


def test_pages_given_again_unrendered_equal_a_fresh_build_after_every_kind_of_edit(previewing: None,
                                                                                  tmp_path: Path) -> None:
    # The preview hands out a page's previous output when nothing it is made from changed. After
    # each kind of edit, every file of the preview's site must equal a fresh `mkdocs build`.
    project = copy_project(FIXTURES / "site", tmp_path / "project")
    config_file = project / "mkdocs.yml"
    config_file.write_text(config_file.read_text(encoding="utf-8").replace("  name: material\n",
                           "  name: material\n  custom_dir: overrides\n"), encoding="utf-8")
    partial = project / "overrides" / "partials" / "copyright.html"
    partial.parent.mkdir(parents=True)
    partial.write_text('<div class="md-copyright">first wording</div>\n', encoding="utf-8")

    def replace_in(path: Path, old: str, new: str) -> None:
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new), encoding="utf-8")

    steps = [  # (edit, how many pages the preview may give again: "all", "some" or "none")
        (lambda: None, "all"),
        (lambda: replace_in(project / "patterns" / "first-contact.yaml", "Mind the First Contact",
                            "Mind the Very First Call"), "some"),
        (lambda: replace_in(project / "docs" / "en" / "index.md", "Reach the customer first.",
                            "Reach the customer early."), "some"),
        (lambda: replace_in(project / "docs" / "en" / "index.md", "# Test site", "# The test site"), "none"),  # nav
        (lambda: replace_in(partial, "first wording", "second wording"), "none"),
        (lambda: replace_in(config_file, "site_name: Test catalogue", "site_name: Renamed catalogue"), "none"),
    ]
    preview_site = tmp_path / "preview"
    build(load_config(str(config_file), site_dir=str(preview_site)))  # the first build renders everything
    for number, (edit, expected) in enumerate(steps):
        edit()
        config = load_config(str(config_file), site_dir=str(preview_site))
        build(config)
        cache = config.plugins["patterns"].output_cache
        fresh = tmp_path / f"fresh-{number}"
        subprocess.run(engine_command("build", "--quiet", "--site-dir", str(fresh)), cwd=project, check=True)
        pages = sorted(path.relative_to(fresh) for path in fresh.rglob("*.html"))
        assert len(pages) > 10
        for page in pages:
            assert (preview_site / page).read_bytes() == (fresh / page).read_bytes(), f"step {number}: {page}"
        documentation_pages = len([page for page in pages if page.name == "index.html"])
        assert {"all": cache.replayed == documentation_pages,
                "some": 0 < cache.replayed < documentation_pages,
                "none": cache.replayed == 0}[expected], f"step {number}: {cache.replayed} page(s) given again"
        if expected == "none":  # the next step starts from pages this one rendered
            assert "wording" in (preview_site / "index.html").read_text(encoding="utf-8")


# While a pattern file is broken, the preview answers every address with the list of findings
# (MkDocs' server would make every request wait for a build that succeeds), and recovers on the fix.
BROKEN_TITLE = ("title: {ko: 진행 상황을 알려라, en: Keep Them Posted}\nsummary:\n  ko: 요청을",
                "title: {ko: '', en: Keep Them Posted}\nsummary:\n  ko: <b onclick=alert(1)>요청</b>을")


def expected_findings(project: Path) -> list[str]:
    """What `patterns validate` reports as errors for the project: what the findings page must list."""
    reading = read_catalogue(project / "patterns", project, project / "retros")
    errors = [str(finding) for finding in errors_in(reading.findings)]
    assert len(errors) == 2 and any("<b" in line for line in errors)  # one of them quotes markup
    return errors


def findings_shown(html: str) -> list[str]:
    """The findings a findings page lists, unescaped; [] for any other page."""
    listed = re.search(r'<ol id="patterns-findings">(.*?)</ol>', html, re.S)
    return [unescape(item) for item in re.findall(r"<li><code>(.*?)</code></li>", listed.group(1))] if listed else []


def test_a_preview_started_on_broken_files_shows_the_findings_everywhere_and_recovers(tmp_path: Path) -> None:
    project = copy_project(FIXTURES / "site", tmp_path / "project")
    pattern = project / "patterns" / "keep-them-posted.yaml"
    good = pattern.read_text(encoding="utf-8")
    pattern.write_text(good.replace(*BROKEN_TITLE), encoding="utf-8")
    expected = expected_findings(project)
    with serving(project, "patterns-findings") as (base, log):
        assert "<b" not in fetch(base).replace("<body", "")  # the quoted markup arrives as text
        for address in ("", "en/", "patterns/first-contact/", "en/patterns/keep-them-posted/", "no/such/page/",
                        "assets/stylesheets/main.css"):
            started = time.monotonic()
            assert findings_shown(fetch(base + address)) == expected, address
            assert time.monotonic() - started < 5, address  # answered, not left waiting
        pattern.write_text(good, encoding="utf-8")
        wait_for(lambda: "Keep Them Posted" in fetch(base + "en/patterns/keep-them-posted/"),
                 "the preview did not recover after the fix", log)
        assert findings_shown(fetch(base)) == []


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 800}, {"width": 390, "height": 844}],
                         ids=["desktop", "phone"])
def test_the_open_preview_shows_the_findings_when_a_pattern_breaks_and_the_page_when_fixed(
        served: tuple[Path, str, list[str]], browser: Browser, viewport: dict[str, int]) -> None:
    project, base, log = served
    context = browser.new_context(viewport=viewport)  # type: ignore[arg-type]
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    try:
        page.goto(base + "en/patterns/keep-them-posted/")
        assert page.inner_text("h1").startswith("Keep Them Posted")
        pattern = project / "patterns" / "keep-them-posted.yaml"
        good = pattern.read_text(encoding="utf-8")
        pattern.write_text(good.replace(*BROKEN_TITLE), encoding="utf-8")
        expected = expected_findings(project)
        # No navigation by the test: the open page reloads itself into the findings page.
        page.wait_for_selector("#patterns-findings li", timeout=30_000)
        assert page.eval_on_selector_all("#patterns-findings code", "codes => codes.map(c => c.textContent)") == expected
        assert page.query_selector("#patterns-findings b") is None and dialogs == []
        assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")  # no sideways scrolling
        pattern.write_text(good, encoding="utf-8")
        page.wait_for_selector("h1:has-text('Keep Them Posted')", timeout=30_000)
        assert page.query_selector("#patterns-findings") is None
        assert page.url == base + "en/patterns/keep-them-posted/"
    except Exception:
        print("".join(log))
        raise
    finally:
        context.close()
