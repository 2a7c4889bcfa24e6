"""`patterns validate` in-process: exit codes, message shape, GitHub annotations."""

from __future__ import annotations

import re
import shutil
import unicodedata
from pathlib import Path

import pytest

from conftest import FIXTURES
from generator.cli import main


@pytest.fixture
def patterns_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    target = tmp_path / "patterns"
    shutil.copytree(FIXTURES / "site" / "patterns", target)
    monkeypatch.chdir(tmp_path)
    return target


def test_clean_folder_exits_zero(patterns_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate"]) == 0
    out, err = capsys.readouterr()
    assert out == "" and "0 error(s), 0 warning(s)" in err


def test_findings_print_one_line_each_and_exit_one(patterns_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = patterns_dir / "first-contact.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("  - {ko: 빨리 일을 시작하고 싶다., en: We want to get going.}",
                                                              "  - {ko: 빨리 일을 시작하고 싶다., en: ''}"), encoding="utf-8")
    assert main(["validate"]) == 1
    out, _ = capsys.readouterr()
    assert out.splitlines() == ["patterns/first-contact.yaml:14: forces[0].en: expected non-empty text, got ''"]


def test_github_format_annotates_the_line(patterns_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = patterns_dir / "keep-them-posted.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("see_also: [first-contact]", "see_also: [nobody]"),
                    encoding="utf-8")
    assert main(["validate", "--format", "github", "patterns/keep-them-posted.yaml"]) == 1
    out, _ = capsys.readouterr()
    assert out.splitlines() == [
        "::error file=patterns/keep-them-posted.yaml,line=26::see_also[0]: expected the id of a pattern in "
        "patterns/, got 'nobody'"
    ]


def test_usage_errors_exit_two(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["validate"]) == 2
    with pytest.raises(SystemExit) as exit_info:
        main(["frobnicate"])
    assert exit_info.value.code == 2


def test_new_writes_a_scaffold_once_and_never_overwrites(patterns_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["new", "clarify-service-levels", "--title-ko", "서비스 수준을 먼저 밝혀라",
            "--title-en", "Clarify Service Levels Up Front"]
    assert main(args) == 0
    created = patterns_dir / "clarify-service-levels.yaml"
    text = created.read_text(encoding="utf-8")
    assert text.splitlines()[0] == "# yaml-language-server: $schema=../generator/core/schema/pattern.schema.json"
    assert "id: clarify-service-levels\n" in text and 'ko: "서비스 수준을 먼저 밝혀라"' in text
    assert "created patterns/clarify-service-levels.yaml" in capsys.readouterr().out
    created.write_text(text + "# my edits\n", encoding="utf-8")
    assert main(args) == 1
    assert "already exists; nothing was written" in capsys.readouterr().err
    assert created.read_text(encoding="utf-8").endswith("# my edits\n")
    # The scaffold is a pattern file the validator reads: it only asks for the blanks to be filled.
    assert main(["validate"]) == 1
    out = capsys.readouterr().out
    summary_ko = text.splitlines().index("summary:") + 2  # the ko line right under `summary:`
    assert f"patterns/clarify-service-levels.yaml:{summary_ko}: summary.ko: expected non-empty text, got ''" in out
    assert "Traceback" not in out


def test_the_scaffold_validates_once_filled_in(patterns_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["new", "clarify-service-levels", "--title-ko", "서비스 수준을 먼저 밝혀라",
                 "--title-en", "Clarify Service Levels Up Front"]) == 0
    created = patterns_dir / "clarify-service-levels.yaml"
    text = created.read_text(encoding="utf-8")
    filled = text.replace('{source: ""}', "{source: test-book}").replace('""', '"채운 글 · filled in"')
    created.write_text(filled, encoding="utf-8")
    capsys.readouterr()
    assert main(["validate"]) == 0
    assert capsys.readouterr().out == ""  # no error and no warning


@pytest.mark.parametrize(("bad_id", "rule"), [("Bad_Id", "not a valid id"), ("index", "is reserved"),
                                               ("../escape", "not a valid id"), ("고객", "not a valid id"),
                                               ("bibliography", "is the bibliography, not a pattern"),
                                               ("sources", "is reserved")])
def test_new_refuses_an_invalid_id(patterns_dir: Path, capsys: pytest.CaptureFixture[str], bad_id: str,
                                   rule: str) -> None:
    assert main(["new", bad_id, "--title-ko", "가", "--title-en", "A"]) == 1
    assert rule in capsys.readouterr().err
    assert sorted(p.name for p in patterns_dir.iterdir()) == ["bibliography.yaml", "first-contact.yaml",
                                                              "keep-them-posted.yaml"]
    assert "bibliography:" not in (patterns_dir / "bibliography.yaml").read_text(encoding="utf-8")


def test_new_writes_both_titles_in_nfc(patterns_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    title_ko, title_en = unicodedata.normalize("NFD", "먼저 연락하라"), "Call the Cafe\u0301 First"  # as macOS may type
    assert main(["new", "call-first", "--title-ko", title_ko, "--title-en", title_en]) == 0
    text = (patterns_dir / "call-first.yaml").read_text(encoding="utf-8")
    assert 'ko: "먼저 연락하라"' in text and 'en: "Call the Café First"' in text
    assert unicodedata.is_normalized("NFC", text)
    capsys.readouterr()
    assert main(["validate", "patterns/call-first.yaml"]) == 1  # the scaffold's blanks, and nothing about the titles
    fields = [line.split(": ")[1] for line in capsys.readouterr().out.splitlines()]
    assert fields and not any(field.startswith("title") for field in fields)


BAD_TITLES = [  # (option, title, what validate says of it)
    ("--title-ko", "", "title.ko: expected non-empty text, got ''"),
    ("--title-ko", "   ", "title.ko: expected non-empty text, got only blanks ('   ')"),
    ("--title-en", "Line\u2028Break", "title.en: expected visible text, got the invisible character U+2028 "
                                      "(line separator); delete it"),
    ("--title-en", "Bell\x07", "title.en: expected visible text, got the control character U+0007 (bell); delete it "
                               "(it is invisible in most editors)"),
    ("--title-en", "x" * 201, "title.en: expected at most 200 characters, got 201"),
]


@pytest.mark.parametrize(("option", "title", "message"), BAD_TITLES, ids=["empty", "spaces", "u2028", "bell", "long"])
def test_new_refuses_a_title_validate_would_refuse_in_its_words(patterns_dir: Path,
                                                                capsys: pytest.CaptureFixture[str], option: str,
                                                                title: str, message: str) -> None:
    titles = {"--title-ko": "먼저 연락하라", "--title-en": "Call First", option: title}
    assert main(["new", "call-first", *(part for pair in titles.items() for part in pair)]) == 1
    assert f"patterns new: {message}" in capsys.readouterr().err.splitlines()
    assert not (patterns_dir / "call-first.yaml").exists()
    # The validator, given a file with that title, says the same (where a file has a column, its own).
    from generator.core.render import render_scaffold

    lang = option.removeprefix("--title-")
    (patterns_dir / "call-first.yaml").write_text(render_scaffold("call-first", titles["--title-ko"],
                                                                  titles["--title-en"]), encoding="utf-8")
    main(["validate", "patterns/call-first.yaml"])
    said = capsys.readouterr().out
    field, _, words = message.partition(": ")
    assert re.search(f"^patterns/call-first\\.yaml:\\d+: {re.escape(f'{field}: {words}')}$", said, re.M), said
    assert field == f"title.{lang}"
