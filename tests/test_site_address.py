"""Where the site lives comes from one place: the environment CI sets, else the git remote, else nowhere."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from mkdocs.exceptions import Abort, PluginError

from conftest import build_site
from generator.adapter.site_address import AddressError, SiteAddress, repository_from_remote, site_address


def git_repo(path: Path, remote: str | None) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    subprocess.run(["git", "init", "-q"], cwd=path, check=True)
    if remote:
        subprocess.run(["git", "remote", "add", "origin", remote], cwd=path, check=True)
    return path


@pytest.mark.parametrize("remote", [
    "git@github.com:acme/customer-patterns.git",
    "https://github.com/acme/customer-patterns.git",
    "https://github.com/acme/customer-patterns",
    "ssh://git@github.com/acme/customer-patterns.git",
    "https://token@github.com/acme/customer-patterns/",
])
def test_the_repository_is_read_from_the_git_remote(tmp_path: Path, remote: str) -> None:
    assert repository_from_remote(git_repo(tmp_path, remote)) == "https://github.com/acme/customer-patterns"


@pytest.mark.parametrize("remote", [None, "/srv/git/patterns.git", "https://git.internal.example/acme/patterns"])
def test_no_repository_when_the_remote_is_unknown(tmp_path: Path, remote: str | None) -> None:
    project = git_repo(tmp_path, remote)
    assert site_address(project, project / "docs", {}) == SiteAddress(None, None, None, None)


def test_environment_wins_over_the_remote(tmp_path: Path) -> None:
    project = git_repo(tmp_path, "git@github.com:acme/customer-patterns.git")
    address = site_address(project, project / "docs", {
        "SITE_URL": "https://acme.github.io/customer-patterns", "REPO_URL": "https://github.com/fork/patterns",
        "REPO_BRANCH": "trunk"})
    assert address == SiteAddress("https://acme.github.io/customer-patterns/", "https://github.com/fork/patterns",
                                  "fork/patterns", "edit/trunk/docs/")


def test_docs_below_the_top_of_the_work_tree(tmp_path: Path) -> None:
    top = git_repo(tmp_path / "repo", "https://gitlab.com/acme/handbook")
    (top / "catalogue").mkdir()
    address = site_address(top / "catalogue", top / "catalogue" / "docs", {})
    assert address.edit_uri == "edit/main/catalogue/docs/"


@pytest.mark.parametrize("value", ["ftp://example.com/", "javascript:alert(1)", "example.com/site"])
def test_an_unusable_address_is_refused_with_its_name(tmp_path: Path, value: str) -> None:
    with pytest.raises(AddressError, match="^SITE_URL: expected an http:// or https:// address"):
        site_address(tmp_path, tmp_path / "docs", {"SITE_URL": value})


def test_no_edit_links_when_nothing_is_known(mini_project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("SITE_URL", "REPO_URL", "REPO_BRANCH"):
        monkeypatch.delenv(name, raising=False)
    site = build_site(mini_project)
    page = (site / "en/patterns/first-contact/index.html").read_text(encoding="utf-8")
    assert "/edit/" not in page and "md-source" not in page


def test_edit_links_and_site_url_from_the_environment(mini_project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REPO_URL", "https://github.com/acme/customer-patterns")
    monkeypatch.setenv("SITE_URL", "https://acme.github.io/customer-patterns/")
    config = mini_project / "mkdocs.yml"
    config.write_text(re.sub(r"(?m)^site_url:.*\n", "", config.read_text(encoding="utf-8")), encoding="utf-8")
    site = build_site(mini_project)
    page = (site / "en/patterns/first-contact/index.html").read_text(encoding="utf-8")
    assert 'href="https://github.com/acme/customer-patterns/edit/main/patterns/first-contact.yaml"' in page
    assert '<link rel="canonical" href="https://acme.github.io/customer-patterns/en/patterns/first-contact/">' in page
    assert 'href="/customer-patterns/assets/stylesheets/' in (site / "404.html").read_text(encoding="utf-8")


def test_a_bad_address_stops_the_build_with_one_line(mini_project: Path, monkeypatch: pytest.MonkeyPatch,
                                                     caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setenv("SITE_URL", "ftp://example.com/")
    with pytest.raises((PluginError, Abort)):
        build_site(mini_project)
    errors = [r.getMessage() for r in caplog.records if r.levelname == "ERROR"]
    assert errors == ["SITE_URL: expected an http:// or https:// address, got 'ftp://example.com/'; "
                      "set SITE_URL to the full address or unset it"]
    assert not (mini_project / "site").exists()
