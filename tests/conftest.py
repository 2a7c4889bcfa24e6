"""Shared fixtures: real sites built in temporary folders, served on localhost."""

from __future__ import annotations

import importlib
import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

# The engine every in-process build runs on: ProperDocs, the one we name; PATTERNS_ENGINE=mkdocs runs
# the suite on MkDocs 1.6.1 instead. ProperDocs' replacement module makes `mkdocs.*` imports its own,
# so it is imported before anything else imports them. tests/test_engines.py builds with both.
ENGINE = os.environ.get("PATTERNS_ENGINE", "properdocs")
if ENGINE == "properdocs":
    importlib.import_module("properdocs.replacement")

import pytest  # noqa: E402
from mkdocs.commands.build import build  # noqa: E402
from mkdocs.config import load_config  # noqa: E402
from playwright.sync_api import Browser, Page, sync_playwright  # noqa: E402

from bench.static_server import serve  # noqa: E402

TESTS = Path(__file__).parent
REPO = TESTS.parent
FIXTURES = TESTS / "fixtures"
SHARED = REPO.parent / "shared"
# Playwright cannot download browsers here: the tests drive Debian's chromium.
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


def engine_command(command: str, *args: str, engine: str = ENGINE) -> list[str]:
    """A command line of the engine installed beside this Python, reading the project's mkdocs.yml."""
    return [str(Path(sys.executable).parent / engine), command, "-f", "mkdocs.yml", *args]


def build_site(project: Path, site_dir: Path | None = None, strict: bool = True) -> Path:
    """Run a real build of the project at `project` (on ENGINE, in this process); return the site folder."""
    site_dir = site_dir or project / "site"
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(site_dir), strict=strict)
    build(config)
    return site_dir


def copy_project(source: Path, target: Path) -> Path:
    """Copy a project (mkdocs.yml, docs/, patterns/) without any built site."""
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("site", ".venv", ".git", "__pycache__"))
    return target


@pytest.fixture
def forking(monkeypatch: pytest.MonkeyPatch) -> None:
    """Let the generator fork although pytest runs helper threads (the session's web servers).

    `fork.can_fork` refuses to fork beside other threads, whose locks a child would inherit held.
    The threads here are idle servers the forked work never touches, so tests of forking set that
    check aside; tests/test_fork.py tests the check itself.
    """
    monkeypatch.setattr("generator.core.fork._other_threads_running", lambda: False)


@pytest.fixture
def mini_project(tmp_path: Path) -> Path:
    """A copy of tests/fixtures/site: two small patterns and a minimal mkdocs.yml."""
    return copy_project(FIXTURES / "site", tmp_path / "project")


# The real site is built and served as a GitHub Pages project site is published: below a path.
SITE_PATH = "/customer-patterns/"
SITE_URL = "https://patterns.example.org" + SITE_PATH


@pytest.fixture(scope="session")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's own site, built once per test session in a temporary folder, for SITE_URL."""
    project = tmp_path_factory.mktemp("repo")
    for name in ("mkdocs.yml", "docs", "patterns"):
        source = REPO / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, project / name)
    config = project / "mkdocs.yml"
    config.write_text(f"site_url: {SITE_URL}\n" + config.read_text(encoding="utf-8"), encoding="utf-8")
    return build_site(project)


@pytest.fixture(scope="session")
def served_site(real_site: Path) -> Iterator[str]:
    """The real site on a local HTTP server below SITE_PATH; yields its base URL (ending in SITE_PATH)."""
    with serve(real_site, SITE_PATH) as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One headless Chromium for the whole run; each test gets a fresh context from `page`."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A page in a fresh browser context: no cookies, storage or cache from other tests."""
    context = browser.new_context()
    yield context.new_page()
    context.close()
