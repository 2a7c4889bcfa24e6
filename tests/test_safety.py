"""The cases of issue 13: text that once ran script or loaded from another host, now shown as text.

Each test here failed on the code before the fix (checked once against main at de916ac).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from conftest import build_site, serve
from generator.cli import main
from generator.core import validate
from generator.core.markup import plain_words
from hostile import Guard, replace_field

# The issue's own values: they passed `patterns validate`, and the header printed them unescaped.
TITLE = ("Build Trust <x_y autofocus tabindex=1 onfocus=alert(1)> "
         "<x_y style=\"display:block;height:9px;background:url(https://evil.example/t.png)\">")
TITLE_KO = "첫 연락 <x_y onmouseover=alert(3)>"
SUMMARY = 'Trust `"><img src=x onerror=alert(2)>` grows.'
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}

# Markdown that the old regular expressions read as code while Python-Markdown made HTML of it.
CODE_TRICKS = {
    "problem": "~~~\nfence\n~~~\n\n<img src=x onerror=alert(31)>",
    "context": "```\nfirst\n\nsecond\n```\n<img src=x onerror=alert(32)>",
    "solution": "Half a `code span\n\n<img src=x onerror=alert(33)> and the other half`.",
    "rationale": "An escaped \\`<img src=x onerror=alert(34)>` backtick.",
}
LINK_TRICKS = {
    "problem": "[click](javascript:alert((5)))",
    "context": "> [r]: javascript:alert(6)\n>\n> [click][r]",
    "solution": "1.  item\n\n    [r]: javascript:alert(7)\n\n    [click][r]",
}


def _yaml(value: str) -> str:
    """A value both languages share, as YAML (JSON is YAML)."""
    return json.dumps({"ko": value, "en": value}, ensure_ascii=False)


def _visit_everything(browser: Browser, site: Path, pages: list[str]) -> Guard:
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    with serve(site) as base:
        guard = Guard(page, base)
        for path in pages:
            guard.visit(base + path)
            if "patterns/" in path:
                page.fill("#patterns-search-input", "trust")  # results are built from the same texts
                page.wait_for_timeout(150)
    context.close()
    return guard


LIST_PAGES = ["", "patterns/", "start/", "overview/", "cards/", "tags/", "situations/", "map/",
              "retro/?p=first-contact,keep-them-posted"]


def test_a_hostile_title_and_summary_are_shown_as_written_and_never_run(mini_project: Path,
                                                                       browser: Browser) -> None:
    path = mini_project / "patterns/first-contact.yaml"
    replace_field(path, "title", json.dumps({"ko": TITLE_KO, "en": TITLE}, ensure_ascii=False))
    replace_field(path, "summary", _yaml(SUMMARY))
    site = build_site(mini_project)  # the scan of the built site runs in the build, and passes
    pages = [f"{lang}{p}" for lang in ("", "en/") for p in ["patterns/first-contact/", *LIST_PAGES]]
    guard = _visit_everything(browser, site, pages)
    assert guard.problems() == {"dialogs": [], "requests to other hosts": [], "script errors": []}
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    with serve(site) as base:
        page.goto(base + "en/patterns/first-contact/")
        # Shown exactly as written, escaped once: nowhere "&lt;" on screen, nowhere a real element.
        assert page.title().startswith(TITLE + " - ")
        assert page.inner_text(".md-header__topic[data-md-component=header-topic]").strip() == TITLE
        assert page.eval_on_selector("h1", "h => h.firstChild.textContent") == TITLE
        # the description is the summary as a reader sees it (no Markdown), hostile text and all
        assert page.get_attribute("meta[name=description]", "content") == plain_words(SUMMARY)
        assert page.locator("x_y, img").count() == 0
        page.goto(base + "patterns/first-contact/")
        assert page.title().startswith(TITLE_KO + " - ")
        assert page.locator("x_y").count() == 0
        page.goto(base + "en/patterns/")
        assert TITLE in page.inner_text("article")
    context.close()
    phone = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = phone.new_page()
    with serve(site) as base:
        guard = Guard(page, base)
        for path in ("en/patterns/first-contact/", "patterns/first-contact/", "en/cards/"):
            guard.visit(base + path)
        page.goto(base + "en/patterns/first-contact/")
        assert page.eval_on_selector("h1", "h => h.firstChild.textContent") == TITLE
    assert guard.problems() == {"dialogs": [], "requests to other hosts": [], "script errors": []}
    phone.close()


@pytest.mark.parametrize("tricks", [CODE_TRICKS, LINK_TRICKS], ids=["code", "links"])
def test_markdown_the_regexes_misread_is_reported_to_the_editor(tricks: dict[str, str], mini_project: Path,
                                                                monkeypatch: pytest.MonkeyPatch,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    path = mini_project / "patterns/first-contact.yaml"
    for field, value in tricks.items():
        replace_field(path, field, _yaml(value))
    monkeypatch.chdir(mini_project)
    assert main(["validate"]) == 1
    fields = {line.split(": ")[1] for line in capsys.readouterr().out.splitlines()}
    assert fields == {f"{field}.{lang}" for field in tricks for lang in ("ko", "en")}


def test_markdown_the_regexes_misread_is_shown_as_text_even_unvalidated(mini_project: Path, browser: Browser,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    # The site's safety must not depend on the validator: switch its prose check off and build.
    monkeypatch.setattr(validate, "_check_prose", lambda doc, path, value: iter(()))
    path = mini_project / "patterns/first-contact.yaml"
    for field, value in {**CODE_TRICKS, "forces": "", "summary": LINK_TRICKS["problem"],
                         "resulting_context": LINK_TRICKS["context"]}.items():
        if field == "forces":
            replace_field(path, field, f"[{_yaml(LINK_TRICKS['solution'])}]")
        else:
            replace_field(path, field, _yaml(value))
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("questions:\n", f"questions:\n  - {_yaml(CODE_TRICKS['rationale'])}\n"),
                    encoding="utf-8")
    site = build_site(mini_project)
    built = (site / "en/patterns/first-contact/index.html").read_text(encoding="utf-8")
    assert "javascript:" not in built.replace("[click](javascript:", "").replace("[r]: javascript:", "")
    pages = [f"{lang}{p}" for lang in ("", "en/") for p in ["patterns/first-contact/", *LIST_PAGES]]
    guard = _visit_everything(browser, site, pages)
    assert guard.problems() == {"dialogs": [], "requests to other hosts": [], "script errors": []}


def test_control_characters_from_yaml_escapes_are_reported_with_their_field_and_never_printed_raw(
        mini_project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    path = mini_project / "patterns/first-contact.yaml"
    replace_field(path, "status", '"\\e]0;TITLE\\a\\e[2J"')
    replace_field(path, "title", '{ko: "첫 연락\\0", en: "Mind the \\e First Contact"}')
    monkeypatch.chdir(mini_project)
    for style in ("text", "github"):
        assert main(["validate", "--format", style]) == 1
        out, err = capsys.readouterr()
        assert not any(c in out + err for c in "\x1b\x07\x00")
        assert "\\x1b]0;TITLE\\x07\\x1b[2J" in out
    assert main(["validate"]) == 1
    assert capsys.readouterr().out.splitlines() == [
        "patterns/first-contact.yaml:4: status: expected one of established, candidate, "
        "got '\\x1b]0;TITLE\\x07\\x1b[2J'",
        "patterns/first-contact.yaml:4: status: expected visible text, got the control character U+001B "
        "(escape); delete it (it is invisible in most editors)",
        "patterns/first-contact.yaml:5: title.en: expected visible text, got the control character U+001B "
        "(escape); delete it (it is invisible in most editors)",
        "patterns/first-contact.yaml:5: title.ko: expected visible text, got the control character U+0000 "
        "(null); delete it (it is invisible in most editors)",
    ]


def test_github_annotations_escape_their_properties_and_data() -> None:
    from generator.cli import _github
    from generator.core.findings import Finding

    line = _github(Finding("patterns/a,b:c.yaml", 3, "title.en", "100% \x1b[2J\nnext"))
    assert line == "::error file=patterns/a%2Cb%3Ac.yaml,line=3::title.en: 100%25 \\x1b[2J\\x0anext"


def test_values_with_a_trailing_newline_do_not_pass_a_pattern(mini_project: Path, monkeypatch: pytest.MonkeyPatch,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    path = mini_project / "patterns/first-contact.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("builds_on: []", 'builds_on: []\nformer_ids: ["old-trust\\n", "index"]'), encoding="utf-8")
    bibliography = mini_project / "patterns/bibliography.yaml"
    text = bibliography.read_text(encoding="utf-8")
    bibliography.write_text(text.replace('date: "2020-05"', 'date: "2999-13-45\\n"'), encoding="utf-8")
    (mini_project / "retros/2026-10-02-support.yaml").write_text(
        'date: "9999-99-99\\n"\nteam: support\npatterns: [first-contact]\n', encoding="utf-8")
    monkeypatch.chdir(mini_project)
    assert main(["validate"]) == 1
    assert capsys.readouterr().out.splitlines() == [
        "patterns/bibliography.yaml:11: sources[0].date: expected an ISO 8601 date (YYYY, YYYY-MM or YYYY-MM-DD), "
        "got '2999-13-45\\x0a'",
        "patterns/first-contact.yaml:25: former_ids[0]: expected an id of lowercase ASCII letters and digits joined "
        "by single hyphens (like build-trust), got 'old-trust\\x0a'",
        "patterns/first-contact.yaml:25: former_ids[1]: 'index' is reserved (it names a page of the site or a "
        "device on Windows); its address cannot redirect here, remove it",
        "retros/2026-10-02-support.yaml:1: date: expected an ISO 8601 date (YYYY-MM-DD), got '9999-99-99\\x0a'",
    ]


@pytest.mark.parametrize("odd", ["__proto__", "constructor", "toString"])
def test_the_retro_sheet_ignores_unknown_ids_and_keeps_the_rest(odd: str, browser: Browser, served_site: str) -> None:
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    guard = Guard(page, served_site)
    guard.visit(f"{served_site}en/retro/?p=build-trust,{odd},be-responsive")
    page.wait_for_selector(".retro-sheet__pattern[data-pattern=be-responsive]")
    shown = page.eval_on_selector_all(".retro-sheet__pattern", "els => els.map(e => e.getAttribute('data-pattern'))")
    assert shown == ["build-trust", odd, "be-responsive"]
    assert page.inner_text(f".retro-sheet__pattern[data-pattern='{odd}'] h2").endswith(f": {odd}")
    assert page.locator(".retro-sheet__pattern a").count() == 2
    assert guard.problems() == {"dialogs": [], "requests to other hosts": [], "script errors": []}
    context.close()


def _schema_patterns() -> list[str]:
    found: list[str] = []

    def visit(node: object) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("pattern"), str):
                found.append(node["pattern"])
            for value in node.values():
                visit(value)
        elif isinstance(node, list):
            for value in node:
                visit(value)

    for path in (validate.SCHEMA_PATH, validate.RETRO_SCHEMA_PATH):
        visit(json.loads(path.read_text(encoding="utf-8")))
    return sorted(set(found))


def test_every_schema_pattern_is_an_ecma_regex_that_ends_at_the_end_of_the_value() -> None:
    import shutil
    import subprocess

    patterns = _schema_patterns()
    assert len(patterns) >= 3
    # Editors (yaml-language-server) compile the patterns as JavaScript regexes, with the u flag.
    script = "for (const p of JSON.parse(process.argv[1])) new RegExp(p, 'u'); console.log('ok')"
    node = shutil.which("node")
    assert node, "node is installed with the accessibility tests' axe-core"
    assert subprocess.run([node, "-e", script, json.dumps(patterns)], capture_output=True, text=True,
                          check=True).stdout.strip() == "ok"
    for pattern in patterns:
        assert validate.python_pattern(pattern).endswith("\\Z"), pattern
