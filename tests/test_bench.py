"""The benchmark still runs: every figure at N = 10, once. The real run is `make bench`."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bench.bench import FIGURES
from conftest import REPO

pytestmark = pytest.mark.skipif(not shutil.which("chromium") and not Path("/usr/bin/chromium").exists(),
                                reason="the benchmark measures search in Chromium")


def test_bench_measures_every_figure_at_n_10(tmp_path: Path) -> None:
    docs = [REPO / "docs" / "performance.md", REPO / "docs" / "en" / "performance.md"]
    before = [p.stat().st_mtime_ns if p.exists() else None for p in docs]
    result = subprocess.run([sys.executable, "-m", "tests.bench.bench", "--sizes", "10", "--runs", "1",
                             "--workdir", str(tmp_path)], cwd=REPO, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    rows = {line.split(" | ")[0].removeprefix("| "): line for line in lines[2:] if line.startswith("| ")}
    assert list(rows) == [f.en for f in FIGURES]
    assert any(line.startswith("- **Met**") for line in lines) and any(line.startswith("- **Missed**") for line in lines)
    measured = json.loads((tmp_path / "bench.json").read_text())["results"][0]
    for figure in FIGURES:
        if figure.key in ("growth", "plain_growth"):  # need the builds at N / 10
            assert figure.key not in measured
            continue
        assert measured[figure.key] > 0, figure.key
        assert f"| {measured[figure.key]:,.{figure.digits}f} |" in rows[figure.en]
    real = [p.stat().st_size / 1000 for p in (REPO / "patterns").glob("*.yaml") if p.stem != "bibliography"]
    assert abs(measured["pattern_kb"] / (sum(real) / len(real)) - 1) < 0.1  # the size of the real ones
    assert measured["failed"] == []  # a pattern page loads nothing it cannot find, and nothing from other hosts
    assert {r["type"] for r in measured["resources"]} >= {"document", "stylesheet", "script"}
    assert [p.stat().st_mtime_ns if p.exists() else None for p in docs] == before  # only --write-docs writes them
