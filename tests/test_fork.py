"""`map_in_two` on its own: large results, and failures on either side."""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Iterator, Sequence

import pytest

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
