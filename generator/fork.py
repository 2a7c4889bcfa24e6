"""Do a list of independent jobs on two cores: the second half in a forked process.

A forked process inherits everything already in memory (the catalogue, compiled templates),
so only the results travel back, pickled through a pipe. Forking is safe only in a process
that runs no other threads: callers pass `parallel=True` only when that holds (a site build, the
command line; not a preview server, which serves pages while it rebuilds).
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from multiprocessing.connection import Connection
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


def map_in_two(work: Callable[[Sequence[T]], list[R]], items: Sequence[T], parallel: bool) -> list[R]:
    """`work(items)`; with `parallel` (and two cores), the second half of the items in a forked process.

    An exception in the other process is raised here; if that process dies, its half is done here.
    """
    if not parallel or len(items) < 2 or (os.cpu_count() or 1) < 2 or \
            "fork" not in multiprocessing.get_all_start_methods():
        return work(items)
    middle = len(items) // 2
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_work_and_send, args=(work, items[middle:], sender), daemon=True)
    child.start()
    sender.close()
    try:
        first = work(items[:middle])
        try:
            second = receiver.recv()
        except EOFError:  # the other process died without a word
            second = work(items[middle:])
        if isinstance(second, BaseException):
            raise second
        return first + second
    finally:
        receiver.close()
        child.join()


def _work_and_send(work: Callable[[Sequence[T]], list[R]], items: Sequence[T], sender: Connection) -> None:
    try:
        result: list[R] | BaseException = work(items)
    except Exception as e:  # raised again in the parent, as if it had done this half itself
        result = e
    sender.send(result)
    sender.close()
