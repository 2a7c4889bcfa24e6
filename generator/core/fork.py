"""Do independent work on two cores: part of it in a forked process.

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
import threading
from collections.abc import Callable, Sequence
from typing import IO, Generic, NoReturn, TypeVar

T = TypeVar("T")
R = TypeVar("R")


def can_fork(parallel: bool) -> bool:
    """Whether to fork: asked for, useful (two cores or more) and safe.

    Safe is first the caller's word; it is also checked here, because a host may run threads the
    caller cannot see (`mkdocs serve --clean` tells plugins it is a build): a forked process has
    only the forking thread, and a lock another thread held would stay locked there.
    """
    return parallel and (os.cpu_count() or 1) >= 2 and hasattr(os, "fork") and not _other_threads_running()


def _other_threads_running() -> bool:
    return threading.active_count() > 1


def map_in_two(work: Callable[[Sequence[T]], list[R]], items: Sequence[T], parallel: bool) -> list[R]:
    """`work(items)`; with `parallel` (and two cores), the second half of the items in a forked process.

    An exception in the other process is raised here; if that process dies, its half is done here.
    """
    if len(items) < 2 or not can_fork(parallel):
        return work(items)
    middle = len(items) // 2
    other = Forked(work, items[middle:])
    try:
        first = work(items[:middle])
    except BaseException:
        other.cancel()  # its half is of no use now
        raise
    return first + other.result()


class Forked(Generic[T, R]):
    """`work(items)`, started in a forked process when this is made; `result()` collects it."""

    def __init__(self, work: Callable[[Sequence[T]], list[R]], items: Sequence[T]) -> None:
        self._work, self._items = work, items
        self._shared = _shared_file()
        self._child = os.fork()
        if self._child == 0:
            _work_and_write(work, items, self._shared)

    def result(self) -> list[R]:
        """Wait for the other process; raise its exception here; if it died, do its work here."""
        with self._shared as shared:
            _, status = os.waitpid(self._child, 0)
            if os.waitstatus_to_exitcode(status) != 0:  # it died before it had written everything
                return self._work(self._items)
            shared.seek(0)
            result = pickle.load(shared)
        if isinstance(result, BaseException):
            raise result
        return result  # type: ignore[no-any-return]

    def cancel(self) -> None:
        """Stop the other process and forget its work."""
        os.kill(self._child, signal.SIGKILL)
        os.waitpid(self._child, 0)
        self._shared.close()


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
        except Exception as e:  # raised again in the parent, as if it had done this work itself
            result = e
        pickle.dump(result, shared, protocol=pickle.HIGHEST_PROTOCOL)
        shared.flush()
        status = 0
    finally:
        os._exit(status)
