"""`properdocs serve`: edits show up, and what it serves equals a fresh build.

While serving, a save that changed only pattern files updates the pages it changed
(generator/adapter/preview.py); full rebuilds reuse the HTML of pages whose Markdown did not change
and the output of generated pages whose inputs did not change (generator/adapter/serve_cache.py).
These tests edit a project under a running server (or rebuild it in preview mode here) and compare
every file with a clean build of the same files, so a stale page cannot go unnoticed.
"""

from __future__ import annotations

import contextlib
import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from collections.abc import Callable
from dataclasses import dataclass
from html import unescape
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from playwright.sync_api import Browser

from conftest import FIXTURES, copy_project, engine_command
from generator.core.catalogue import read_catalogue
from generator.core.findings import errors_in

ENGINE = [sys.executable, "-m", "properdocs"]
# `properdocs serve`, with the engine shortcuts (see generator/adapter/engine.py) on or, as on an engine
# version they were not tested on, off.
SERVE = [sys.executable, "-c", "import sys, properdocs.replacement, generator.adapter.engine as e; "
         "e.TESTED = e.TESTED if sys.argv.pop(1) == 'fast' else frozenset(); "
         "from properdocs.__main__ import cli; cli(prog_name='properdocs')"]
LIVERELOAD = re.compile(rb"<script>\s*var livereload = function\(epoch, requestId\).*?</script>(?=</body>|$)", re.S)


def fetch(url: str) -> str:
    """The page at `url`, also when it comes with an error status (a preview's findings page is a 404)."""
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
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


@dataclass
class Served:
    project: Path
    base: str
    log: list[str]
    folder: Path  # the folder the server answers from


@contextlib.contextmanager
def serving(tmp_path: Path, mode: str = "fast", ready: str = "첫 연락을 챙겨라",
            before: Callable[[Path], None] = lambda project: None) -> Iterator[Served]:
    """A copy of the small test project (changed by `before`) under a running `properdocs serve`,
    once its first pattern page holds `ready`."""
    project = copy_project(FIXTURES / "site", tmp_path / "project")
    before(project)
    temp = tmp_path / "tmp"  # where serve makes the folder it builds into and answers from
    temp.mkdir()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen([*SERVE, mode, "serve", "-f", "mkdocs.yml", "-a", f"127.0.0.1:{port}"], cwd=project,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                               env={**os.environ, "TMPDIR": str(temp)})
    log: list[str] = []
    threading.Thread(target=lambda: log.extend(process.stderr), daemon=True).start()  # type: ignore[arg-type]
    base = f"http://127.0.0.1:{port}/"
    try:
        wait_for(lambda: ready in fetch(base + "patterns/first-contact/"), "the site was not served", log)
        time.sleep(2)  # the file watcher starts after the server answers; an earlier edit would go unseen
        (folder,) = temp.glob("properdocs_*")
        yield Served(project, base, log, folder)
    finally:
        process.terminate()
        process.wait(30)


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under a folder, by relative path, without the script the preview adds to each page."""
    return {path.relative_to(folder).as_posix(): LIVERELOAD.sub(b"", path.read_bytes())
            for path in sorted(folder.rglob("*")) if path.is_file()}


def assert_serves_what_a_build_makes(served: Served, tmp_path: Path, name: str) -> None:
    """Every file the preview serves equals a fresh build's, byte for byte, and there are no others."""
    fetch(served.base)  # answered only once the rebuild under way, if any, has finished
    config = served.project / f"{name}.yml"  # the preview's address, as serve sets it, else the same config
    config.write_text(f"INHERIT: mkdocs.yml\nsite_url: {served.base}\n", encoding="utf-8")
    fresh = tmp_path / name
    subprocess.run([*ENGINE, "build", "-f", config.name, "--quiet", "--site-dir", str(fresh)], cwd=served.project,
                   check=True)
    config.unlink()
    expected, actual = tree(fresh), tree(served.folder)
    assert len(expected) > 20
    assert sorted(actual) == sorted(expected), name
    for path, content in expected.items():
        assert actual[path] == content, f"{name}: {path}"


def rebuilds(log: list[str]) -> tuple[int, int]:
    """How many saves the preview answered with a partial rebuild, and with a full one."""
    text = "".join(log)
    return text.count("the rest of the site is unchanged"), text.count("Building documentation...") - 1


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_after_every_kind_of_edit_the_preview_serves_what_a_fresh_build_makes(tmp_path: Path) -> None:
    # A save that changed only pattern files updates the pages it changed (generator/adapter/preview.py);
    # any other save rebuilds the whole site. Either way the served folder must equal a fresh build.
    with serving(tmp_path, "fast") as served:
        project, base, log = served.project, served.base, served.log
        patterns = project / "patterns"

        edit(patterns / "first-contact.yaml", "첫 연락이 흐지부지되면", "첫 연락이 오래 흐지부지되면")
        wait_for(lambda: "첫 연락이 오래" in fetch(base + "patterns/first-contact/"), "the edit was not served", log)
        assert rebuilds(log) == (1, 0)
        assert_serves_what_a_build_makes(served, tmp_path, "text-edit")

        # keep-them-posted mentions first-contact: its page must show the new title too.
        edit(patterns / "first-contact.yaml", "Mind the First Contact", "Mind the Very First Call")
        wait_for(lambda: "Mind the Very First Call" in fetch(base + "en/patterns/keep-them-posted/"),
                 "the edit did not reach the page that mentions the pattern", log)
        assert rebuilds(log) == (2, 0)
        assert_serves_what_a_build_makes(served, tmp_path, "title-edit")

        new = (patterns / "keep-them-posted.yaml").read_text(encoding="utf-8")
        new = new.replace("id: keep-them-posted", "id: close-the-loop").replace("Keep Them Posted", "Close the Loop")
        (patterns / "close-the-loop.yaml").write_text(new, encoding="utf-8")
        wait_for(lambda: "Close the Loop" in fetch(base + "en/patterns/close-the-loop/"), "the new pattern was not served",
                 log)
        assert rebuilds(log) == (2, 1)
        assert_serves_what_a_build_makes(served, tmp_path, "new-pattern")

        edit(project / "docs" / "en" / "index.md", "Reach the customer first.", "A sentence changed while serving.")
        wait_for(lambda: "A sentence changed while serving." in fetch(base + "en/"), "the docs edit was not served", log)
        assert rebuilds(log) == (2, 2)
        assert_serves_what_a_build_makes(served, tmp_path, "docs-edit")

        (patterns / "close-the-loop.yaml").unlink()
        wait_for(lambda: "Close the Loop" not in fetch(base + "en/patterns/"), "the removal was not served", log)
        assert_serves_what_a_build_makes(served, tmp_path, "removed-pattern")

        edit(patterns / "keep-them-posted.yaml", "Keep Them Posted", "Keep Them Well Posted")
        wait_for(lambda: "Keep Them Well Posted" in fetch(base + "en/patterns/keep-them-posted/"),
                 "the edit after full rebuilds was not served", log)
        assert rebuilds(log) == (3, 3)
        assert_serves_what_a_build_makes(served, tmp_path, "edit-after-full")


def test_on_an_untested_engine_the_preview_rebuilds_everything_and_serves_the_same(tmp_path: Path) -> None:
    with serving(tmp_path, "public") as served:
        edit(served.project / "patterns" / "first-contact.yaml", "Mind the First Contact", "Mind the Very First Call")
        wait_for(lambda: "Mind the Very First Call" in fetch(served.base + "en/patterns/keep-them-posted/"),
                 "the edit was not served", served.log)
        assert rebuilds(served.log) == (0, 1)
        assert "not an engine version the generator's shortcuts were tested on" in "".join(served.log)
        assert_serves_what_a_build_makes(served, tmp_path, "public-edit")


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

    steps = [  # (edit, how many generated pages the preview may give again: "all", "some" or "none")
        (lambda: None, "all"),
        (lambda: replace_in(project / "patterns" / "first-contact.yaml", "Mind the First Contact",
                            "Mind the Very First Call"), "some"),
        (lambda: replace_in(project / "docs" / "en" / "index.md", "Reach the customer first.",
                            "Reach the customer early."), "all"),  # a hand-written page's text shows on no other page
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
        # On the engine of the in-process builds above (PATTERNS_ENGINE), so only the preview differs.
        subprocess.run(engine_command("build", "--quiet", "--site-dir", str(fresh)), cwd=project, check=True)
        pages = sorted(path.relative_to(fresh) for path in fresh.rglob("*.html"))
        assert len(pages) > 10
        for page in pages:
            assert (preview_site / page).read_bytes() == (fresh / page).read_bytes(), f"step {number}: {page}"
        generated = len(config.plugins["patterns"].written)  # only the generator's own pages are given again
        assert generated > 10
        assert {"all": cache.replayed == generated,
                "some": 0 < cache.replayed < generated,
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


def break_pattern(project: Path) -> str:
    """Break keep-them-posted in two ways; return its good text."""
    pattern = project / "patterns" / "keep-them-posted.yaml"
    good = pattern.read_text(encoding="utf-8")
    pattern.write_text(good.replace(*BROKEN_TITLE), encoding="utf-8")
    return good


def test_a_preview_started_on_broken_files_shows_the_findings_everywhere_and_recovers(tmp_path: Path) -> None:
    with serving(tmp_path, ready="patterns-findings", before=break_pattern) as served:
        project, base, log = served.project, served.base, served.log
        pattern = project / "patterns" / "keep-them-posted.yaml"
        expected = expected_findings(project)
        good = pattern.read_text(encoding="utf-8").replace(*reversed(BROKEN_TITLE))
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
        tmp_path: Path, browser: Browser, viewport: dict[str, int]) -> None:
    with serving(tmp_path) as served:
        see_findings_then_the_page(served, browser, viewport)


def see_findings_then_the_page(served: Served, browser: Browser, viewport: dict[str, int]) -> None:
    project, base, log = served.project, served.base, served.log
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
