"""Do a list of independent jobs on two cores: the second half in a forked process.

A forked process inherits everything already in memory (the catalogue, compiled templates),
so only the results travel back, pickled through a pipe. Forking is safe only in a process
that runs no other threads: callers pass `parallel=True` only when that holds (a site build, the
command line; not a preview server, which serves pages while it rebuilds). Plain `os.fork` and
a pipe do all this module needs; `multiprocessing` would add a fifth of `patterns validate`'s
start-up.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


def map_in_two(work: Callable[[Sequence[T]], list[R]], items: Sequence[T], parallel: bool) -> list[R]:
    """`work(items)`; with `parallel` (and two cores), the second half of the items in a forked process.

    An exception in the other process is raised here; if that process dies, its half is done here.
    """
    if not parallel or len(items) < 2 or (os.cpu_count() or 1) < 2 or not hasattr(os, "fork"):
        return work(items)
    middle = len(items) // 2
    read_end, write_end = os.pipe()
    child = os.fork()
    if child == 0:
        os.close(read_end)
        _work_and_send(work, items[middle:], write_end)
    os.close(write_end)
    incoming = os.fdopen(read_end, "rb")
    try:
        first = work(items[:middle])
        try:
            second = pickle.load(incoming)
        except (EOFError, pickle.UnpicklingError):  # the other process died before it had said everything
            second = work(items[middle:])
        if isinstance(second, BaseException):
            raise second
        return first + second
    finally:
        incoming.close()  # a child still writing now fails to, and ends
        os.waitpid(child, 0)


def _work_and_send(work: Callable[[Sequence[T]], list[R]], items: Sequence[T], write_end: int) -> None:
    """The forked process's whole life: work, send the result (or the exception), and leave at once.

    It leaves with `os._exit`, so nothing inherited from the parent (exit handlers, buffered output,
    pytest's fixtures) runs or is written twice.
    """
    try:
        try:
            result: list[R] | BaseException = work(items)
        except Exception as e:  # raised again in the parent, as if it had done this half itself
            result = e
        with os.fdopen(write_end, "wb") as outgoing:
            pickle.dump(result, outgoing, protocol=pickle.HIGHEST_PROTOCOL)
    finally:
        os._exit(0)
