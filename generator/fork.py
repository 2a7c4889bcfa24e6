"""Do a list of independent jobs on two cores: the second half in a forked process.

A forked process inherits everything already in memory (the catalogue, compiled templates),
so only the results travel back, pickled into a file in memory that both processes share; the
parent reads it once the child has exited. Forking is safe only in a process that runs no other
threads: callers pass `parallel=True` only when that holds (a site build, the command line; not a
preview server, which serves pages while it rebuilds). Plain `os.fork` does all this module
needs; `multiprocessing` would add a fifth of `patterns validate`'s start-up.
"""

from __future__ import annotations

import os
import pickle
import signal
from collections.abc import Callable, Sequence
from typing import IO, NoReturn, TypeVar

T = TypeVar("T")
R = TypeVar("R")


def map_in_two(work: Callable[[Sequence[T]], list[R]], items: Sequence[T], parallel: bool) -> list[R]:
    """`work(items)`; with `parallel` (and two cores), the second half of the items in a forked process.

    An exception in the other process is raised here; if that process dies, its half is done here.
    """
    if not parallel or len(items) < 2 or (os.cpu_count() or 1) < 2 or not hasattr(os, "fork"):
        return work(items)
    middle = len(items) // 2
    with _shared_file() as shared:
        child = os.fork()
        if child == 0:
            _work_and_write(work, items[middle:], shared)
        try:
            first = work(items[:middle])
        except BaseException:
            os.kill(child, signal.SIGKILL)  # its half is of no use now
            raise
        finally:
            _, status = os.waitpid(child, 0)
        if os.waitstatus_to_exitcode(status) == 0:
            shared.seek(0)
            second = pickle.load(shared)
        else:  # the other process died before it had written everything
            second = work(items[middle:])
    if isinstance(second, BaseException):
        raise second
    return first + second


def _shared_file() -> IO[bytes]:
    """A file both processes see: in memory where Linux offers it, else a temporary file."""
    if hasattr(os, "memfd_create"):
        return open(os.memfd_create("patterns-fork"), "w+b")
    import tempfile  # only where Linux's memfd is missing; it is slow to import

    return tempfile.TemporaryFile()


def _work_and_write(work: Callable[[Sequence[T]], list[R]], items: Sequence[T], shared: IO[bytes]) -> NoReturn:
    """The forked process's whole life: work, write the result (or the exception), and leave at once.

    It leaves with `os._exit`, so nothing inherited from the parent (exit handlers, buffered output,
    pytest's fixtures) runs or is written twice; the exit status says whether the result is whole.
    """
    status = 1
    try:
        try:
            result: list[R] | BaseException = work(items)
        except Exception as e:  # raised again in the parent, as if it had done this half itself
            result = e
        pickle.dump(result, shared, protocol=pickle.HIGHEST_PROTOCOL)
        shared.flush()
        status = 0
    finally:
        os._exit(status)
