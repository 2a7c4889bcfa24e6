"""When each pattern file last changed, from git, in one `git log` pass over the folder."""

from __future__ import annotations

import subprocess
from pathlib import Path


def last_changed(directory: Path) -> dict[str, str]:
    """File name -> ISO date (YYYY-MM-DD) of the last commit touching it; empty outside git."""
    try:
        out = subprocess.run(
            ["git", "log", "--format=%x00%cs", "--name-only", "--relative", "--", "."],
            cwd=directory, capture_output=True, text=True, check=True, timeout=60,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return {}
    dates: dict[str, str] = {}
    current = ""
    for line in out.splitlines():
        if line.startswith("\x00"):
            current = line[1:]
        elif line and current:
            dates.setdefault(Path(line).name, current)
    return dates
