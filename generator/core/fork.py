"""Do independent work on two cores: part of it in a forked process.

A forked process inherits everything already in memory (the catalogue, compiled templates),
so only the results travel back, pickled into a file in memory that both processes share; the
parent reads it once the child has exited. Forking is safe only in a process that runs no other
threads: callers pass `parallel=True` only when that holds (a site build, the command line; not a
preview server, which serves pages while it rebuilds). Plain `os.fork` does all this module
needs; `multiprocessing` would add a fifth of `patterns validate`'s start-up.

The forked process can change nothing the parent would not have done itself:

- what it logs (and any Python warning) is sent back with its result and logged again in the
  parent, so `--strict` counts a warning wherever it was raised, and nothing is printed twice;
- if it fails, dies or has not finished `GRACE` seconds (or twice as long as the parent's own
  half took, if longer) after the parent finished its half, it is killed and its half is done in
  the parent;
- `PATTERNS_PARALLEL=0` in the environment (or `parallel: false` for the plugin) turns it off,
  and it is off where fewer than two CPUs are usable (CPU affinity, a container's CPU quota).
"""

from __future__ import annotations

import logging
import os
import pickle
import select
import signal
import threading
import time
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Generic, NoReturn, TypeVar

T = TypeVar("T")
R = TypeVar("R")

SWITCH = "PATTERNS_PARALLEL"  # "0", "false", "no" or "off" in the environment: never fork
GRACE = 30.0  # seconds the parent waits for the other half beyond its own, at least
CGROUP = Path("/sys/fs/cgroup")  # where a container's CPU quota is found (cgroup v2, else v1)


def can_fork(parallel: bool) -> bool:
    """Whether to fork: asked for, allowed, useful (two CPUs or more usable) and safe.

    Safe is first the caller's word; it is also checked here, because a host may run threads the
    caller cannot see (`mkdocs serve --clean` tells plugins it is a build): a forked process has
    only the forking thread, and a lock another thread held would stay locked there.
    """
    return (parallel and switched_on() and hasattr(os, "fork") and usable_cpus() >= 2
            and not _other_threads_running())


def switched_on() -> bool:
    """The environment switch for CI and for anyone who wants one process: PATTERNS_PARALLEL=0."""
    return os.environ.get(SWITCH, "").strip().lower() not in ("0", "false", "no", "off")


def usable_cpus() -> float:
    """CPUs this process may run on: the affinity mask, capped by a container's CPU quota."""
    try:
        cpus: float = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cpus = os.cpu_count() or 1
    quota = _cpu_quota()
    return min(cpus, quota) if quota is not None else cpus


def _cpu_quota() -> float | None:
    """A cgroup's CPU limit in CPUs (quota / period), or None when there is none."""
    for path, parse in ((CGROUP / "cpu.max", lambda text: text.split()),
                        (CGROUP / "cpu" / "cpu.cfs_quota_us", None)):
        try:
            if parse is not None:
                quota, period = parse(path.read_text())
            else:
                quota, period = path.read_text().strip(), (CGROUP / "cpu" / "cpu.cfs_period_us").read_text().strip()
        except (OSError, ValueError):
            continue
        if quota in ("max", "-1"):
            return None
        try:
            return int(quota) / int(period)
        except (ValueError, ZeroDivisionError):
            return None
    return None


def _other_threads_running() -> bool:
    return threading.active_count() > 1


def map_in_two(work: Callable[[Sequence[T]], list[R]], items: Sequence[T], parallel: bool,
               other_share: float = 0.5) -> list[R]:
    """`work(items)`; with `parallel` (and two CPUs), the last `other_share` of the items in a forked process.

    Its results are pickled there and unpickled here after this process's own part: where that takes
    long, a share under half lets both processes finish together. An exception in the other process
    is raised here; if that process dies or hangs, its part is done here.
    """
    if len(items) < 2 or not can_fork(parallel):
        return work(items)
    middle = min(max(len(items) - round(len(items) * other_share), 1), len(items) - 1)
    other = Forked(work, items[middle:])
    started = time.monotonic()
    try:
        first = work(items[:middle])
    except BaseException:
        other.cancel()  # its half is of no use now
        raise
    return first + other.result(timeout=max(GRACE, 2 * (time.monotonic() - started)))


@dataclass(frozen=True)
class _Sent:
    """What the other process sends back: its result (or exception), and what it logged and warned."""

    result: object
    records: list[dict[str, object]]  # the plain attributes of each LogRecord
    warnings: list[tuple[str, type[Warning], str, int]]


class Forked(Generic[T, R]):
    """`work(items)`, started in a forked process when this is made; `result()` collects it."""

    def __init__(self, work: Callable[[Sequence[T]], list[R]], items: Sequence[T]) -> None:
        self._work, self._items = work, items
        self._shared = _shared_file()
        self._child = os.fork()
        if self._child == 0:
            _work_and_write(work, items, self._shared)

    def result(self, timeout: float | None = None) -> list[R]:
        """Wait for the other process; raise its exception here; if it died or hung, do its work here."""
        with self._shared as shared:
            status = self._wait(timeout)
            if status is None:
                os.kill(self._child, signal.SIGKILL)
                os.waitpid(self._child, 0)
                logging.getLogger(__name__).info(
                    f"the second process had not finished {timeout:.0f} s after the first; it was stopped "
                    "and its half was done in the first")
                return self._work(self._items)
            if status != 0:  # it died before it had written everything
                return self._work(self._items)
            shared.seek(0)
            sent: _Sent = pickle.load(shared)
        for attributes in sent.records:  # through this process's handlers: printed once, counted by --strict
            record = logging.makeLogRecord(attributes)
            logger = logging.getLogger(record.name)
            if logger.isEnabledFor(record.levelno):
                logger.handle(record)
        for message, category, filename, lineno in sent.warnings:
            warnings.warn_explicit(message, category, filename, lineno)
        if isinstance(sent.result, BaseException):
            raise sent.result
        return sent.result  # type: ignore[return-value]

    def _wait(self, timeout: float | None) -> int | None:
        """The other process's exit code once it has exited, or None if it is still running after `timeout`."""
        if timeout is not None:
            deadline = time.monotonic() + timeout
            try:
                pidfd = os.pidfd_open(self._child)
            except (AttributeError, OSError):  # not Linux 5.3+: look every 50 ms
                while time.monotonic() < deadline:
                    pid, status = os.waitpid(self._child, os.WNOHANG)
                    if pid:
                        return os.waitstatus_to_exitcode(status)
                    time.sleep(0.05)
                return None
            try:
                if not select.select([pidfd], [], [], timeout)[0]:
                    return None
            finally:
                os.close(pidfd)
        return os.waitstatus_to_exitcode(os.waitpid(self._child, 0)[1])

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


class _Keep(logging.Handler):
    """The forked process's only log handler: keeps every record, to be sent to the parent."""

    def __init__(self) -> None:
        super().__init__(logging.NOTSET)
        self.records: list[dict[str, object]] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        attributes = {key: value for key, value in vars(record).items()  # what pickles for sure
                      if isinstance(value, (str, int, float, bool, type(None)))}
        attributes.update(msg=record.getMessage(), args=None)
        self.records.append(attributes)


def _capture_logging() -> _Keep:
    """Route every log record of this (forked) process to one handler, and none to the inherited ones."""
    keep = _Keep()
    for logger in [logging.getLogger(), *(v for v in logging.root.manager.loggerDict.values()
                                          if isinstance(v, logging.Logger))]:
        for handler in list(logger.handlers):
            logger.removeHandler(handler)
    logging.getLogger().addHandler(keep)
    logging.lastResort = None
    return keep


def _work_and_write(work: Callable[[Sequence[T]], list[R]], items: Sequence[T], shared: IO[bytes]) -> NoReturn:
    """The forked process's whole life: work, write the result (or the exception), and leave at once.

    It leaves with `os._exit`, so nothing inherited from the parent (exit handlers, buffered output,
    pytest's fixtures) runs or is written twice; the exit status says whether the result is whole.
    """
    status = 1
    try:
        keep = _capture_logging()
        with warnings.catch_warnings(record=True) as caught:
            try:
                result: list[R] | BaseException = work(items)
            except Exception as e:  # raised again in the parent, as if it had done this work itself
                result = e
        sent = _Sent(result, keep.records, [(str(w.message), w.category, w.filename, w.lineno) for w in caught])
        pickle.dump(sent, shared, protocol=pickle.HIGHEST_PROTOCOL)
        shared.flush()
        status = 0
    finally:
        os._exit(status)
