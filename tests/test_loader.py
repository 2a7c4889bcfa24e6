"""The loader's two readings: the quick one must never accept what the careful one refuses.

`patterns validate` reads almost every file with the quick reading, which keeps no line numbers
and explains nothing; anything unusual goes to the careful reading. If the two ever disagreed
on a file, that file would be judged by rules nobody reads, so every YAML file we have is read
both ways here: the committed patterns, every fixture (valid, broken and hostile) and a few
edge cases written below.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from conftest import FIXTURES, REPO, copy_project
from generator.cli import main
from generator.core import loader
from generator.core.catalogue import read_catalogue
from generator.core.findings import PatternError, errors_in

FILES = sorted([*(REPO / "patterns").glob("*.yaml"), *FIXTURES.rglob("*.yaml")])
EDGE_CASES = {
    "tagged-but-allowed": "id: !!str 12\ntitle: !!str x\n",
    "non-specific-tag": "id: ! 12\n",
    "null-root": "~\n",
    "scalar-root": "just text\n",
    "list-root": "- a\n- b\n",
    "key-is-a-list": "? [a, b]\n: c\n",
    "key-is-null": "~: x\n",
    "nested-duplicate": "a:\n  b: 1\n  b: 2\n",
    "same-key-in-two-mappings": "a: {b: 1}\nc: {b: 2}\n",
    "typed-scalars": "a: yes\nb: 0x1F\nc: 1.5e3\nd: 2024-01-02\ne: ~\nf: '1'\n",
    "two-documents": "a: 1\n---\nb: 2\n",
    "explicit-single-document": "---\na: 1\n...\n",
    "anchor-on-mapping": "a: &x {b: 1}\n",
    "alias": "a: &x 1\nb: *x\n",
    "unclosed-quote": "a: \"b\n",
}


class Refused(tuple):
    """The careful reading's findings for a file it refuses."""


def careful(text: str) -> object:
    """The careful reading's data, or what it says when it refuses the file."""
    try:
        return loader._read_carefully(text, "file.yaml")[0]
    except PatternError as e:
        return Refused(e.findings)


def read_both_ways(text: str) -> None:
    quick = loader._read_quickly(text)
    expected = careful(text)
    if quick is loader._UNSURE:
        return  # left to the careful reading, which is what is used then
    assert not isinstance(expected, Refused), f"the quick reading accepted a file the careful one refuses: {expected}"
    assert quick == expected and type(quick) is type(expected)


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(REPO)))
def test_quick_reading_agrees_with_the_careful_one_on_every_file(path: Path) -> None:
    read_both_ways(path.read_bytes().decode("utf-8", errors="replace").lstrip("\ufeff"))


@pytest.mark.parametrize("name", sorted(EDGE_CASES))
def test_quick_reading_agrees_on_edge_cases(name: str) -> None:
    read_both_ways(EDGE_CASES[name])


def test_quick_reading_takes_the_plain_files_and_leaves_the_rest() -> None:
    # The speed comes from the first half; the safety from the second.
    assert all(loader._read_quickly(p.read_text(encoding="utf-8")) is not loader._UNSURE
               for p in sorted((REPO / "patterns").glob("*.yaml")))
    for name in ("two-documents", "alias", "anchor-on-mapping", "nested-duplicate", "key-is-a-list",
                 "null-root", "tagged-but-allowed", "unclosed-quote"):
        assert loader._read_quickly(EDGE_CASES[name]) is loader._UNSURE, name


def test_positions_are_found_when_a_finding_asks_for_them() -> None:
    doc = loader.load_text("id: x\nforces:\n  - ko: |\n      a\n      b\n    en: c\nflag: no\n", Path("x.yaml"), "x.yaml")
    assert "positions" not in vars(doc)  # not read yet: a file without findings never pays for them
    assert doc.line_of(("forces", 0, "en")) == 6
    assert doc.line_within(("forces", 0, "ko"), "b") == 5
    assert doc.raw(("flag",)) == "no"
    assert doc.line_of(("nowhere", 3)) == 1


def test_every_entry_of_the_folders_is_read_or_named(tmp_path: Path) -> None:
    project = copy_project(FIXTURES / "site", tmp_path / "project")
    patterns, retros = project / "patterns", project / "retros"
    first = (patterns / "first-contact.yaml").read_text(encoding="utf-8")
    (patterns / "upper-case.YAML").write_text(first.replace("id: first-contact", "id: upper-case"), encoding="utf-8")
    (patterns / "notes.txt").write_text("ideas\n", encoding="utf-8")
    (patterns / ".hidden.yaml").write_text(first, encoding="utf-8")
    (patterns / "drafts").mkdir()
    (patterns / "folder.yaml").mkdir()
    os.mkfifo(patterns / "pipe.yaml")  # opening it would wait for a writer forever
    (tmp_path / "elsewhere").mkdir()
    (patterns / "more").symlink_to(tmp_path / "elsewhere")
    (patterns / "README.md").write_text("# About these files\n", encoding="utf-8")  # known: not a pattern
    shutil.copy(REPO / "retros" / "README.md", retros / "README.md")  # the repository's own retros/ has one
    shutil.copy(retros / "2026-10-02-support.yaml", retros / "2026-10-03-support.yml")
    reading = read_catalogue(patterns, project, retros)
    assert sorted(str(f) for f in reading.findings if not f.line) == [
        "patterns/.hidden.yaml: warning: is hidden and is not read; delete it, or move it out of patterns/",
        "patterns/drafts: warning: is a folder and is not read; only regular files ending in .yaml directly inside "
        "patterns/ are",
        "patterns/folder.yaml: is a folder, so it is not read; files in patterns/ must be regular files ending in .yaml",
        "patterns/more: warning: is a symbolic link and is not read; only regular files ending in .yaml directly "
        "inside patterns/ are",
        "patterns/notes.txt: warning: is not read (only files ending in .yaml are); rename it if it is meant to be "
        "one, or move it out of patterns/",
        "patterns/pipe.yaml: is a special file (such as a FIFO or a socket), so it is not read; files in patterns/ "
        "must be regular files ending in .yaml",
        "patterns/upper-case.YAML: files in patterns/ end in .yaml, in lower case; rename it to upper-case.yaml",
        "retros/2026-10-03-support.yml: files in retros/ end in .yaml, in lower case; rename it to "
        "2026-10-03-support.yaml",
    ]
    # A misnamed file is read all the same, so its other problems show in the same run.
    assert "patterns/upper-case.YAML" in {doc.display for doc in reading.patterns}
    assert "retros/2026-10-03-support.yml" in {doc.display for doc in reading.retros}


def test_a_patterns_folder_that_links_out_of_the_repository_is_refused(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch,
                                                                       capsys: pytest.CaptureFixture[str]) -> None:
    outside = copy_project(FIXTURES / "site" / "patterns", tmp_path / "outside")
    project = tmp_path / "project"
    project.mkdir()
    (project / "patterns").symlink_to(outside)
    monkeypatch.chdir(project)
    assert main(["validate"]) == 1
    assert capsys.readouterr().out.splitlines() == [
        f"patterns: is a symbolic link to {outside}, outside the repository; nothing in it was read. Replace the link "
        "with the folder itself"]
    inside = copy_project(FIXTURES / "site" / "patterns", project / "content")
    (project / "patterns").unlink()
    (project / "patterns").symlink_to(inside)  # a link within the repository is fine
    assert main(["validate"]) == 0


@pytest.mark.parametrize(("ending", "expected"), [
    ("\r", "patterns/first-contact.yaml:1: the file's lines end in CR only (classic Mac OS line endings); save it "
           "with LF line endings (Unix) or CRLF (Windows)"),
    ("one", "patterns/first-contact.yaml:6: this line ends in a lone CR (a classic Mac OS line ending) while others "
            "end in LF; save the file with LF line endings"),
])
def test_cr_line_endings_are_named_as_such(tmp_path: Path, ending: str, expected: str) -> None:
    project = copy_project(FIXTURES / "site", tmp_path / "project")
    path = project / "patterns" / "first-contact.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("\n", "\r") if ending == "\r" else text.replace("aliases:\n", "aliases:\r", 1)
    path.write_bytes(text.encode("utf-8"))
    reading = read_catalogue(project / "patterns", project, project / "retros")
    assert [str(f) for f in errors_in(reading.findings)] == [expected]  # once, and nothing elsewhere


def test_crlf_line_endings_are_fine() -> None:
    assert loader.load_document(FIXTURES / "valid" / "bom-crlf.yaml", "bom-crlf.yaml").data["id"] == "bom-crlf"
