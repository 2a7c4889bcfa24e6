"""The loader's two readings: the quick one must never accept what the careful one refuses.

`patterns validate` reads almost every file with the quick reading, which keeps no line numbers
and explains nothing; anything unusual goes to the careful reading. If the two ever disagreed
on a file, that file would be judged by rules nobody reads, so every YAML file we have is read
both ways here: the committed patterns, every fixture (valid, broken and hostile) and a few
edge cases written below.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import FIXTURES, REPO
from generator.core import loader
from generator.core.findings import PatternError

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
