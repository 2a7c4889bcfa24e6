"""Every engine we claim builds the real site, and they build the same one.

ProperDocs is the engine we name; MkDocs 1.6.1 is still supported. Each builds the repository's
own site in a subprocess, strictly, exactly as an editor would; the two sites must be byte for byte
the same apart from the `<meta name="generator">` tag, which names the engine.
"""

from __future__ import annotations

import gzip
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import REPO, engine_command

ENGINES = ("properdocs", "mkdocs")
GENERATOR_TAG = re.compile(rb'<meta name="generator" content="[^"]*">')


@pytest.fixture(scope="session")
def engine_sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The repository's site built by each engine, from one copy of the project."""
    project = tmp_path_factory.mktemp("engines")
    for name in ("mkdocs.yml", "docs", "patterns", "retros"):
        source = REPO / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, project / name)
    sites = {}
    for engine in ENGINES:
        site = project.parent / f"{project.name}-{engine}"
        result = subprocess.run(engine_command("build", "--strict", "--site-dir", str(site), engine=engine),
                                cwd=project, capture_output=True, text=True)
        assert result.returncode == 0, f"{engine} build failed:\n{result.stderr}"
        assert "Traceback" not in result.stderr
        sites[engine] = site
    return sites


def contents(site: Path) -> dict[str, bytes]:
    """Every file of a site, gzip files by their contents (their header holds a time)."""
    files = {}
    for path in sorted(site.rglob("*")):
        if path.is_file():
            data = path.read_bytes()
            files[path.relative_to(site).as_posix()] = gzip.decompress(data) if path.suffix == ".gz" else data
    return files


@pytest.mark.parametrize("engine", ENGINES)
def test_engine_builds_every_pattern_page_in_both_languages(engine_sites: dict[str, Path], engine: str) -> None:
    site = engine_sites[engine]
    for path in (REPO / "patterns").glob("*.yaml"):
        for prefix in ("", "en/"):
            page = site / f"{prefix}patterns/{path.stem}/index.html"
            if path.stem != "bibliography":
                assert page.is_file(), page


def test_both_engines_build_the_same_site(engine_sites: dict[str, Path]) -> None:
    proper, mkdocs = (contents(engine_sites[engine]) for engine in ENGINES)
    assert sorted(proper) == sorted(mkdocs)
    differing = [name for name in proper
                 if GENERATOR_TAG.sub(b"", proper[name]) != GENERATOR_TAG.sub(b"", mkdocs[name])]
    assert differing == []
    tagged = [name for name in proper if GENERATOR_TAG.search(proper[name])]
    assert len(tagged) > 40  # the comparison really looked past the tag on every page
    assert b"ProperDocs" in GENERATOR_TAG.search(proper[tagged[0]]).group()  # type: ignore[union-attr]
