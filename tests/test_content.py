"""The repository's own content is a test case: complete, clean, cited, in our own words."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

import seed_fingerprints
from conftest import REPO, SHARED
from generator.core.catalogue import read_catalogue
from generator.core.model import LANGS, Catalogue

RISING_ORDER = [
    "its-a-relationship-not-a-sale", "know-the-customer", "build-trust", "listen-listen-listen", "be-responsive",
    "customer-meetings-go-early-stay-late", "show-personal-integrity", "take-your-licks", "be-aware-of-boundaries",
    "mind-your-manners",
]
FIELD_STORIES = {  # seed file -> source key that cites it
    "000": "jakmakle-2018", "002": "atozit-promises", "003": "khori-2016", "004": "erp-support-blog",
}


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    reading = read_catalogue(REPO / "patterns", REPO)
    assert [str(f) for f in reading.findings] == []  # no error and no warning
    assert reading.catalogue is not None
    return reading.catalogue


def test_the_ten_patterns_in_the_original_order(catalogue: Catalogue) -> None:
    established = sorted((p for p in catalogue.patterns if p.status == "established"), key=lambda p: p.order or 0)
    assert [p.id for p in established] == RISING_ORDER
    assert [p.order for p in established] == list(range(1, 11))


@pytest.mark.parametrize("pattern_id", RISING_ORDER)
def test_every_section_is_filled_in_both_languages(catalogue: Catalogue, pattern_id: str) -> None:
    p = catalogue[pattern_id]
    texts = [p.title, p.summary, p.problem, p.context, p.solution, p.resulting_context, p.rationale,
             *p.forces, *p.situations, *p.questions, *p.aliases,
             *(t for u in p.known_uses for t in (u.title, u.summary))]
    for text in texts:
        for lang in LANGS:
            value = text.ko if lang == "ko" else text.en
            assert value and value.strip(), f"{pattern_id}: empty {lang} text"
    assert p.known_uses and p.sources and p.forces
    assert 3 <= len(p.situations) <= 6 and 2 <= len(p.questions) <= 4


def test_each_field_story_is_cited(catalogue: Catalogue) -> None:
    cited = {u.source.key for p in catalogue.patterns for u in p.known_uses}
    assert set(FIELD_STORIES.values()) <= cited


def test_relationship_not_a_sale_is_the_only_root(catalogue: Catalogue) -> None:
    roots = [p.id for p in catalogue.patterns if not p.builds_on]
    assert roots == ["its-a-relationship-not-a-sale"]
    assert catalogue.levels["its-a-relationship-not-a-sale"] == 1
    assert all(catalogue.levels[p.id] > 1 for p in catalogue.patterns if p.builds_on)


def test_no_sentence_is_copied_from_the_seeds() -> None:
    # Works in any clone: the committed fingerprints stand in for the seed texts.
    assert seed_fingerprints.copied_lines(REPO, seed_fingerprints.committed_fingerprints()) == []


needs_seeds = pytest.mark.skipif(
    not (SHARED / "seeds").is_dir() or not (SHARED / "tools" / "check_no_copy.py").exists(),
    reason="../shared (the seeds and check_no_copy.py) is not beside this clone")


@needs_seeds
def test_the_shared_no_copy_tool_agrees() -> None:
    tool = SHARED / "tools" / "check_no_copy.py"
    result = subprocess.run([sys.executable, str(tool), str(REPO), "--seeds", str(SHARED / "seeds")],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


@needs_seeds
def test_the_fingerprints_are_those_of_the_seeds_and_of_the_tools_windows() -> None:
    spec = importlib.util.spec_from_file_location("check_no_copy", SHARED / "tools" / "check_no_copy.py")
    tool = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(tool)  # type: ignore[union-attr]
    assert (tool.WINDOW, tool.MIN_HANGUL, tool.TEXT_SUFFIXES) == \
        (seed_fingerprints.WINDOW, seed_fingerprints.MIN_HANGUL, seed_fingerprints.TEXT_SUFFIXES)
    tool_windows = tool.seed_windows(SHARED / "seeds")
    assert {seed_fingerprints.fingerprint(w) for w in tool_windows} == seed_fingerprints.committed_fingerprints()


@needs_seeds
def test_a_copied_seed_line_is_found_by_the_fingerprints(tmp_path: Path) -> None:
    seed = sorted((SHARED / "seeds").glob("*.txt"))[1].read_text(encoding="utf-8")
    copied = next(seed_fingerprints.windows(seed_fingerprints.fold(seed)))
    (tmp_path / "notes.md").write_text(f"Our own words, then {copied} and more.\n", encoding="utf-8")
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    assert seed_fingerprints.copied_lines(tmp_path, seed_fingerprints.committed_fingerprints()) == ["notes.md:1"]


def test_repository_site_builds_strict(real_site: Path) -> None:
    for prefix in ("", "en/"):
        for pid in RISING_ORDER:
            assert (real_site / f"{prefix}patterns/{pid}/index.html").exists()
