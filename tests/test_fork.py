"""`map_in_two` on its own: large results, failures on either side, hangs, logs, and when not to fork."""

from __future__ import annotations

import logging
import os
import signal
import threading
import time
import warnings
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from generator.core import fork
from generator.core.fork import map_in_two


@pytest.fixture(autouse=True)
def no_hang() -> Iterator[None]:
    """A deadlock between the two processes fails the test instead of stopping the suite."""
    def stop(*_: object) -> None:
        raise TimeoutError("map_in_two did not return within 20 s")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(20)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


def big(items: Sequence[int]) -> list[str]:
    return [f"{i}:" + "x" * 10_000 for i in items]  # megabytes


def test_both_halves_come_back_in_order(forking: None) -> None:
    items = list(range(301))
    assert map_in_two(big, items, parallel=True) == big(items)


def test_the_other_half_is_done_in_another_process(forking: None) -> None:
    pids = map_in_two(lambda chunk: [os.getpid() for _ in chunk], list(range(10)), parallel=True)
    assert pids[:5] == [os.getpid()] * 5
    assert len(set(pids[5:])) == 1 and pids[5] != os.getpid()


@pytest.mark.parametrize(("count", "share", "forked"), [(100, 0.47, 47), (100, 0.2, 20), (2, 0.1, 1), (2, 0.9, 1)])
def test_the_other_process_takes_its_share_and_each_takes_one_at_least(forking: None, count: int, share: float,
                                                                       forked: int) -> None:
    pids = map_in_two(lambda chunk: [os.getpid() for _ in chunk], list(range(count)), parallel=True,
                      other_share=share)
    assert pids.count(os.getpid()) == count - forked

def test_an_error_in_this_half_waits_for_no_one(forking: None) -> None:
    parent = os.getpid()

    def fails_here(chunk: Sequence[int]) -> list[str]:
        if os.getpid() == parent:
            raise ValueError("this half broke")
        time.sleep(60)  # the other half would take a minute; the fixture fails the test after 20 s
        return big(chunk)

    with pytest.raises(ValueError, match="this half broke"):
        map_in_two(fails_here, list(range(300)), parallel=True)


def test_an_unpicklable_result_is_redone_here(forking: None) -> None:
    parent = os.getpid()

    def odd(chunk: Sequence[int]) -> list[object]:
        return [i if os.getpid() == parent else (lambda: i) for i in chunk]  # lambdas cannot be pickled

    assert map_in_two(odd, [1, 2, 3, 4], parallel=True) == [1, 2, 3, 4]


def test_nothing_is_forked_while_another_thread_runs() -> None:
    # As under `mkdocs serve --clean`, which tells plugins it is a build while its server thread runs.
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        pids = map_in_two(lambda chunk: [os.getpid() for _ in chunk], list(range(10)), parallel=True)
    finally:
        stop.set()
        thread.join()
    assert set(pids) == {os.getpid()}


def test_a_hung_process_is_stopped_and_its_half_done_here(forking: None, monkeypatch: pytest.MonkeyPatch) -> None:
    parent = os.getpid()

    def hangs_there(chunk: Sequence[int]) -> list[int]:
        if os.getpid() != parent:
            time.sleep(3600)
        return [i * 2 for i in chunk]

    monkeypatch.setattr(fork, "GRACE", 0.5)
    started = time.monotonic()
    assert map_in_two(hangs_there, list(range(10)), parallel=True) == [i * 2 for i in range(10)]
    assert time.monotonic() - started < 5


def test_what_the_other_process_logs_and_warns_is_logged_and_warned_here_once(
        forking: None, caplog: pytest.LogCaptureFixture) -> None:
    parent = os.getpid()

    def talks(chunk: Sequence[int]) -> list[int]:
        where = "here" if os.getpid() == parent else "there"
        logging.getLogger("mkdocs.plugins.test").warning("half %s of %d items", where, len(chunk))
        warnings.warn(f"deprecated {where}", UserWarning, stacklevel=1)
        return list(chunk)

    with caplog.at_level(logging.INFO), pytest.warns(UserWarning) as warned:
        assert map_in_two(talks, list(range(10)), parallel=True) == list(range(10))
    messages = [r.getMessage() for r in caplog.records if r.name == "mkdocs.plugins.test"]
    assert messages == ["half here of 5 items", "half there of 5 items"]
    assert sorted(str(w.message) for w in warned) == ["deprecated here", "deprecated there"]


def test_nothing_is_forked_where_fewer_than_two_cpus_are_usable(forking: None, monkeypatch: pytest.MonkeyPatch,
                                                                 tmp_path: Path) -> None:
    def pids(parallel: bool = True) -> set[int]:
        return set(map_in_two(lambda chunk: [os.getpid() for _ in chunk], list(range(4)), parallel))

    monkeypatch.setattr(fork, "CGROUP", tmp_path)  # no cgroup files: no quota
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1})
    assert len(pids()) == 2
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {3})  # `taskset -c 3`
    assert pids() == {os.getpid()}
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1, 2, 3})
    (tmp_path / "cpu.max").write_text("150000 100000\n")  # a container allowed 1.5 CPUs (cgroup v2)
    assert fork.usable_cpus() == 1.5 and pids() == {os.getpid()}
    (tmp_path / "cpu.max").write_text("max 100000\n")
    assert fork.usable_cpus() == 4 and len(pids()) == 2
    (tmp_path / "cpu.max").unlink()
    (tmp_path / "cpu").mkdir()  # cgroup v1
    (tmp_path / "cpu" / "cpu.cfs_quota_us").write_text("50000\n")
    (tmp_path / "cpu" / "cpu.cfs_period_us").write_text("100000\n")
    assert fork.usable_cpus() == 0.5 and pids() == {os.getpid()}
    monkeypatch.setenv("PATTERNS_PARALLEL", "0")
    (tmp_path / "cpu" / "cpu.cfs_quota_us").write_text("-1\n")
    assert fork.usable_cpus() == 4 and pids() == {os.getpid()}  # the switch alone
