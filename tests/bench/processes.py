"""One fresh process, timed: wall time, CPU time, and (when asked) the peak memory of it and every process it starts.

Memory is the proportional set size (PSS) of the whole process tree, summed, sampled every
50 ms from /proc (every 5 ms in the first 0.2 s): a forked child shares most of its pages with its parent until either writes
them, and PSS counts each shared page once across the processes sharing it, so the sum is what
the tree really holds. (wait4's ru_maxrss is no help here: it is the largest single process, and
Linux carries into it the resident set the starting process had before exec.)

Sampling is not free: reading /proc took the bench 0.10 s of CPU during a one-second `patterns
validate` at N = 1,000 (0.045 s during the parse floor's run, one small process), and on two
cores a command that keeps both busy has to share them with it. So a timed run is not sampled,
and memory comes from runs of its own.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

INTERVAL = 0.05  # seconds between two memory samples
FIRST = 0.005  # … and during the first 0.2 s, so that a short process is sampled at all


@dataclass(frozen=True)
class Run:
    """What one process took."""

    wall_s: float
    cpu_s: float  # user + system, its waited-for children included
    peak_mb: float | None  # the most the process tree held at once (sum of PSS), when sampled
    output: str  # its stdout and stderr


def run(command: list[str], cwd: Path, env: dict[str, str], sample_memory: bool = False) -> Run:
    """Run `command` to its end (sampling its memory, if asked); raise SystemExit with its output if it fails.

    The disk's pending writes are flushed first, so that no command pays for writing out the
    pages of the build timed before it (measured at N = 1,000: validate right after a baseline
    build took 1.37 times the parse floor without the flush, 1.23 times with it).
    """
    os.sync()
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
        sampler = _Sampler(process.pid) if sample_memory else None
        if sampler:
            sampler.start()
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        if sampler:
            sampler.stop()
        out.seek(0)
        text = out.read().decode("utf-8", "replace")
    if process.returncode != 0:
        raise SystemExit(f"bench: {' '.join(command)} failed in {cwd} (exit {process.returncode}):\n{text}")
    return Run(wall, usage.ru_utime + usage.ru_stime, sampler.peak_kb / 1024 if sampler else None, text)


class _Sampler(threading.Thread):
    """Samples the summed PSS of a process and its descendants until stopped."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak_kb = pid, 0
        self._done = threading.Event()

    def run(self) -> None:
        started = time.monotonic()
        while not self._done.is_set():
            self.peak_kb = max(self.peak_kb, sum(_pss_kb(pid) for pid in tree(self.pid)))
            self._done.wait(FIRST if time.monotonic() - started < 0.2 else INTERVAL)

    def stop(self) -> None:
        self._done.set()
        self.join()


def tree(pid: int) -> list[int]:
    """A process and all its descendants, from /proc."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        try:
            for task in os.listdir(f"/proc/{current}/task"):
                todo += [int(child) for child in Path(f"/proc/{current}/task/{task}/children").read_text().split()]
        except (OSError, ValueError):
            continue
    return found


def _pss_kb(pid: int) -> int:
    """A process's proportional set size in kB (its resident set where PSS is not reported)."""
    for path, field in ((f"/proc/{pid}/smaps_rollup", "Pss:"), (f"/proc/{pid}/status", "VmRSS:")):
        try:
            with open(path) as f:
                for line in f:
                    if line.startswith(field):
                        return int(line.split()[1])
        except (OSError, ValueError):
            continue
    return 0
