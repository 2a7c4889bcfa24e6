"""The repository's own content is a test case: complete, clean, cited, in our own words."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

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
    assert p.known_uses and p.cited_sources and (p.forces or p.additions_in("forces"))
    assert 3 <= len(p.situations) <= 6 and 2 <= len(p.questions) <= 4


def test_each_field_story_is_cited(catalogue: Catalogue) -> None:
    cited = {c.source.key for p in catalogue.patterns for u in p.known_uses for c in u.cite}
    assert set(FIELD_STORIES.values()) <= cited


def test_relationship_not_a_sale_is_the_only_root(catalogue: Catalogue) -> None:
    roots = [p.id for p in catalogue.patterns if not p.builds_on]
    assert roots == ["its-a-relationship-not-a-sale"]
    assert catalogue.levels["its-a-relationship-not-a-sale"] == 1
    assert all(catalogue.levels[p.id] > 1 for p in catalogue.patterns if p.builds_on)


def test_no_sentence_is_copied_from_the_seeds() -> None:
    tool = SHARED / "tools" / "check_no_copy.py"
    assert tool.exists(), f"{tool} is missing: the shared folder must sit beside the repository"
    result = subprocess.run([sys.executable, str(tool), str(REPO), "--seeds", str(SHARED / "seeds")],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_repository_site_builds_strict(real_site: Path) -> None:
    for prefix in ("", "en/"):
        for pid in RISING_ORDER:
            assert (real_site / f"{prefix}patterns/{pid}/index.html").exists()
