"""Retrospective records in retros/: validated like patterns, shown on the patterns they discuss."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import build_site
from generator.cli import main


def test_pattern_pages_show_how_often_and_when_they_were_discussed(mini_project: Path) -> None:
    site = build_site(mini_project)
    ko = (site / "patterns/keep-them-posted/index.html").read_text(encoding="utf-8")
    en = (site / "en/patterns/keep-them-posted/index.html").read_text(encoding="utf-8")
    assert "회고 2번에서 다룸, 마지막은 2026-11-12" in ko
    assert "Discussed in 2 retrospective(s), last on 2026-11-12" in en
    assert "2026-10-02 · 고객지원팀: 지연을 안 날 바로 알렸어야 했다." in en
    catalogue = (site / "en/patterns/index.html").read_text(encoding="utf-8")
    assert 'data-count="2" data-position="2"' in catalogue and 'data-count="1" data-position="1"' in catalogue


def test_a_retro_naming_an_unknown_pattern_fails_with_the_usual_message(
        mini_project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    record = mini_project / "retros/2026-11-12-platform.yaml"
    record.write_text(record.read_text(encoding="utf-8").replace("[keep-them-posted]", "[keep-them-postd]"),
                      encoding="utf-8")
    monkeypatch.chdir(mini_project)
    assert main(["validate"]) == 1
    assert capsys.readouterr().out.splitlines() == [
        "retros/2026-11-12-platform.yaml:3: patterns[0]: expected the id of a pattern in patterns/, "
        "got 'keep-them-postd' (did you mean 'keep-them-posted'?)"
    ]


def test_a_retro_with_an_impossible_date_and_no_team_fails(
        mini_project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    (mini_project / "retros/bad.yaml").write_text('date: "2026-02-30"\npatterns: [first-contact]\n', encoding="utf-8")
    monkeypatch.chdir(mini_project)
    assert main(["validate"]) == 1
    assert capsys.readouterr().out.splitlines() == [
        "retros/bad.yaml:1: date: expected a real calendar date, got '2026-02-30'",
        "retros/bad.yaml:1: team: required field is missing; add `team:`",
    ]
