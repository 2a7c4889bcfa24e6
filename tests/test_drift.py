"""Translations that drift apart, seen in a real git history in a temporary repository."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import FIXTURES, build_site
from generator.cli import main
from generator.core.drift import fingerprint

KO = "ko: 담당자와 연락 방법을 한 장에 정리해 보낸다."
EN = "en: Send one page with the people and the ways to reach them."


class Repo:
    """A git repository holding the fixture site, with commits on chosen dates."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.day = 0
        self.git("init", "-q")

    def git(self, *args: str) -> str:
        env = {**os.environ, "GIT_AUTHOR_DATE": f"2026-03-{10 + self.day:02d}T12:00:00",
               "GIT_COMMITTER_DATE": f"2026-03-{10 + self.day:02d}T12:00:00"}
        return subprocess.run(["git", "-c", "user.name=Editor", "-c", "user.email=editor@example.com",
                               "-c", "commit.gpgsign=false", *args], cwd=self.root, env=env, check=True,
                              capture_output=True, text=True).stdout.strip()

    def commit(self, message: str) -> str:
        """Commit everything, one day after the previous commit; return the short hash."""
        self.day += 1
        self.git("add", "-A")
        self.git("commit", "-qm", message)
        return self.git("rev-parse", "--short=7", "HEAD")

    def edit(self, old: str, new: str, name: str = "first-contact.yaml") -> None:
        path = self.root / "patterns" / name
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Repo:
    shutil.copytree(FIXTURES / "site", tmp_path, dirs_exist_ok=True)
    monkeypatch.chdir(tmp_path)
    return Repo(tmp_path)


def validate(capsys: pytest.CaptureFixture[str]) -> list[str]:
    assert main(["validate"]) == 0  # drift is a warning, never an error
    return capsys.readouterr().out.splitlines()


def warning(stale: str, newer: str, older: str, field: str = "solution") -> str:
    names = {"ko": "Korean", "en": "English"}
    other = "ko" if stale == "en" else "en"
    return (f"patterns/first-contact.yaml:16: {field}.{stale}: warning: the {names[other]} text changed in {newer} "
            f"after the {names[stale]} text last changed in {older}; check the {names[stale]} still says the same, "
            f"then run `patterns confirm patterns/first-contact.yaml {field}`")


def test_a_one_sided_edit_warns_until_confirmed_and_again_after_a_later_edit(
        repo: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    first = repo.commit("patterns")
    assert validate(capsys) == []  # both languages written together
    repo.edit(KO, "ko: 담당자와 연락 방법을 한 장에 정리해 바로 보낸다.")
    assert validate(capsys) == [warning("en", "your uncommitted edits", f"{first} (2026-03-11)")]
    korean = repo.commit("Korean only")
    assert validate(capsys) == [warning("en", f"{korean} (2026-03-12)", f"{first} (2026-03-11)")]

    assert main(["confirm", "patterns/first-contact.yaml", "solution"]) == 0
    capsys.readouterr()
    assert validate(capsys) == []
    repo.commit("Confirm the English of solution")
    assert validate(capsys) == []

    repo.edit(EN, "en: Send one page at once with the people and the ways to reach them.")
    english = repo.commit("English only")
    assert validate(capsys) == [warning("ko", f"{english} (2026-03-14)", f"{korean} (2026-03-12)")]


def test_an_edit_of_both_languages_in_one_commit_does_not_warn(repo: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    repo.commit("patterns")
    repo.edit(KO, "ko: 담당자와 연락 방법을 한 장에 정리해 바로 보낸다.")
    repo.edit(EN, "en: Send one page at once with the people and the ways to reach them.")
    repo.commit("Both languages")
    assert validate(capsys) == []


def test_the_stale_language_page_shows_a_quiet_note_at_that_section(repo: Repo) -> None:
    repo.commit("patterns")
    repo.edit(KO, "ko: 담당자와 연락 방법을 한 장에 정리해 바로 보낸다.")
    repo.edit("  - title: {ko: 시험용 사례, en: A test case}\n    summary: {ko: 시험을 위해 만든 사례다.",
              "  - title: {ko: 시험용 사례, en: A test case}\n    summary: {ko: 시험을 위해 지어낸 사례다.")
    repo.commit("Korean only")
    site = build_site(repo.root)
    english = (site / "en/patterns/first-contact/index.html").read_text(encoding="utf-8")
    note = '<p class="pattern-drift"><small>This translation may be behind the Korean text</small></p>'
    assert english.count(note) == 2
    assert english.index('<h2 id="solution"') < english.index(note) < english.index("<p>Send one page")
    assert english.index('<h3 id="known-use-1"') < english.rindex(note) < english.index("<p>A case made up")
    assert "pattern-drift" not in (site / "patterns/first-contact/index.html").read_text(encoding="utf-8")
    assert "pattern-drift" not in (site / "en/patterns/keep-them-posted/index.html").read_text(encoding="utf-8")


def test_outside_git_or_without_history_nothing_is_reported(repo: Repo, tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    repo.edit(KO, "ko: 담당자와 연락 방법을 한 장에 정리해 바로 보낸다.")  # a repository with no commit yet
    assert validate(capsys) == []
    shutil.rmtree(repo.root / ".git")
    assert validate(capsys) == []


@pytest.mark.parametrize("fixture", ["comments-everywhere.yaml", "bom-crlf.yaml", "no-final-newline.yaml"])
def test_confirm_adds_its_entries_and_changes_nothing_else(fixture: str, tmp_path: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "patterns" / fixture
    path.parent.mkdir()
    shutil.copy(FIXTURES / "valid" / fixture, path)
    before = path.read_bytes()
    newline = b"\r\n" if b"\r\n" in before else b"\n"
    assert main(["confirm", str(path), "solution", "forces[1]"]) == 0
    after = path.read_bytes()
    ended = before if before.endswith(newline) else before + newline
    assert after.startswith(ended)  # every byte before stays, comments and quoting included
    added = after[len(ended):].decode("utf-8").split(newline.decode())
    assert added[0] == "translations_checked:" and len(added) == 4 and added[3] == ""
    # A second confirmation rewrites the block alone.
    assert main(["confirm", str(path), "summary"]) == 0
    again = path.read_bytes()
    assert again.startswith(ended) and again.count(b"translations_checked:") == 1
    assert again.decode("utf-8").count('": "') == 3
    assert "confirmed summary in" in capsys.readouterr().out


def test_confirm_replaces_its_block_in_place_and_refuses_an_unknown_field(
        repo: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    path = repo.root / "patterns/first-contact.yaml"
    repo.edit("builds_on: []", 'translations_checked: {solution: "00000000"}  # stale\nbuilds_on: []')
    before = path.read_text(encoding="utf-8")
    assert main(["confirm", "patterns/first-contact.yaml", "solution"]) == 0
    after = path.read_text(encoding="utf-8")
    solution = fingerprint("담당자와 연락 방법을 한 장에 정리해 보낸다.", "Send one page with the people and the ways to "
                                                                 "reach them.")
    assert after == before.replace('translations_checked: {solution: "00000000"}  # stale\n',
                                   f'translations_checked:\n  "solution": "{solution}"\n')
    capsys.readouterr()
    assert main(["confirm", "patterns/first-contact.yaml", "solutoin"]) == 1
    assert "no text field with both languages named 'solutoin'" in capsys.readouterr().err
    assert path.read_text(encoding="utf-8") == after


def test_a_confirmation_of_a_field_that_is_gone_is_a_warning(repo: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    repo.edit("builds_on: []", 'builds_on: []\ntranslations_checked: {"forces[7]": "0a1b2c3d"}')
    assert validate(capsys) == [
        "patterns/first-contact.yaml:25: translations_checked: warning: 'forces[7]' is not a text field with both "
        "languages (it may have moved or gone); remove the entry"]
