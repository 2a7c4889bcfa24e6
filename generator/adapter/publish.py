"""Publish a build atomically: write into a fresh folder beside the site, then swap it in by rename.

Whatever stops a build (an error, Ctrl+C, SIGTERM, SIGKILL, a full disk), the site folder holds
either the whole previous site or the whole new one, byte for byte: the build never writes into
it, and the swap is one rename. On Linux, renameat2(RENAME_EXCHANGE) exchanges the two folders in
one step; elsewhere (or on a file system without it) two renames do, and the next build puts the
previous site back if it was stopped between them. One build at a time per site folder holds a
lock beside it, so the leftovers it finds there are always those of a build that is gone.

Nothing here imports the engine. The plugin begins a `Publishing` in `on_config` (checks, and the
fresh folder as the configuration's site_dir), starts it in `on_pre_build` (lock, tidying, the
folder) and finishes it in `on_post_build` (see plugin.py for the event order).
"""

from __future__ import annotations

import ctypes
import errno
import functools
import logging
import os
import shutil
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import filelock

BUILDING = "building"  # .<site>.building-<stamp>: a build's output until the swap
PREVIOUS = "previous"  # .<site>.previous-<stamp>: the old site between the two renames of the fallback
_AT_FDCWD = -100
_RENAME_EXCHANGE = 2  # linux/fs.h
_EXCHANGE_UNSUPPORTED = {errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP, errno.ENOTSUP}
_DISK_ERRORS = {
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.EROFS: "the file system is read-only",
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is used up",
}


class PublishError(Exception):
    """The site folder cannot take a new build; the message says which folder, why, and what to do."""


def lock_path(site: Path) -> Path:
    """The lock file a build of `site` holds, beside it (ignored by git)."""
    return site.with_name(f".{site.name}.lock")


def leftovers(site: Path, kind: str) -> list[Path]:
    """The folders of `kind` (BUILDING or PREVIOUS) beside `site`, oldest first."""
    prefix = f".{site.name}.{kind}-"
    return sorted(entry for entry in site.parent.iterdir() if entry.name.startswith(prefix))


class Publication:
    """One build of a site folder: the lock, the fresh folder it writes into, and the swap."""

    def __init__(self, site_dir: Path) -> None:
        """Check that `site_dir` can take a build, and name its fresh folder; nothing is changed yet.

        Raises PublishError when the folder cannot take a build.
        """
        self.site = Path(os.path.realpath(site_dir))  # a symlinked site folder stays a link to the new site
        check_writable(self.site)
        self.building = self.site.with_name(f".{self.site.name}.{BUILDING}-{_stamp()}")
        self._lock = filelock.FileLock(lock_path(self.site))

    def start(self, wait: float, say: Callable[[str], None]) -> None:
        """Take the lock (waiting up to `wait` seconds), tidy up after stopped builds, make the fresh folder.

        Raises PublishError, having changed nothing, when the lock or the folder cannot be had.
        """
        site, lock = self.site, self._lock
        try:
            try:
                lock.acquire(timeout=0)
            except filelock.Timeout:
                say(f"Another build of {site} is running; waiting up to {wait:g} s for it to finish "
                    f"(it holds {lock_path(site)}).")
                lock.acquire(timeout=wait)
        except filelock.Timeout:
            raise PublishError(f"another build of {site} is still running after {wait:g} s (it holds "
                               f"{lock_path(site)}); nothing was changed. Let it finish, or stop it, and build "
                               "again.") from None
        except OSError as e:
            raise PublishError(disk_problem(e, site) or f"cannot lock {lock_path(site)}: {e}") from None
        try:
            for note in recover(site):
                say(note)
            self.building.mkdir()
            say(f"Building into {self.building.name}, which replaces {site} once the whole build has succeeded.")
            _pause_for_tests("started", self.building)
        except OSError as e:
            lock.release()
            raise PublishError(disk_problem(e, site) or f"cannot prepare a build beside {site}: {e}") from None
        except BaseException:
            lock.release()
            raise

    def publish(self, warn: Callable[[str], None]) -> None:
        """Swap the finished build in for the site, remove the old one, release the lock."""
        try:
            carry_hidden(self.site, self.building)
            _pause_for_tests("before-swap", self.building)
            if not os.path.lexists(self.site):
                os.rename(self.building, self.site)
                return
            if exchange(self.building, self.site):
                old = self.building  # the exchange left the previous site here
                _pause_for_tests("swapped", old)
            else:
                old = self.site.with_name(f".{self.site.name}.{PREVIOUS}-{_stamp()}")
                os.rename(self.site, old)
                _pause_for_tests("between-renames", old)
                try:
                    os.rename(self.building, self.site)
                except OSError:
                    os.rename(old, self.site)
                    raise
            try:
                _remove(old)
            except OSError as e:
                warn(f"The new site is in place, but the previous one could not be removed from {old} ({e.strerror}); "
                     "the next build removes it, or delete it yourself.")
        except OSError as e:
            try:
                _remove(self.building)
            except OSError:
                pass  # the next build removes it
            raise PublishError(disk_problem(e, self.site) or f"cannot put the new site in place at {self.site}: {e}; "
                               "the previous site is unchanged") from None
        finally:
            self._lock.release()

    def abandon(self) -> None:
        """Remove what the failed build wrote and release the lock; the site folder was never touched."""
        if not self._lock.is_locked:
            return  # not started: nothing was written
        try:
            _remove(self.building)
        except OSError:
            pass  # the next build removes it
        finally:
            self._lock.release()


class Publishing:
    """One build's publication, seen from the engine's events: the configuration's own site_dir is given
    back whatever happens, and a strict build that logged a warning replaces nothing."""

    def __init__(self, publication: Publication, config: Any, site_dir: str, engine_logger: str) -> None:
        self.publication, self.config, self.site_dir = publication, config, site_dir
        self.warnings = _Count(logging.WARNING)  # what the engine's strict mode will count
        self._logger = logging.getLogger(engine_logger)
        self._logger.addHandler(self.warnings)

    @classmethod
    def begin(cls, config: Any) -> Publishing:
        """Check the site folder and point the build at a fresh one (the engine cleans and writes
        config.site_dir; the fresh folder is empty, so --dirty, too, builds every page)."""
        publication = Publication(Path(config.site_dir))
        publishing = cls(publication, config, config.site_dir, type(config).__module__.split(".")[0])
        config.site_dir = str(publication.building)
        return publishing

    def start(self, wait: float, say: Callable[[str], None]) -> None:
        self.publication.start(wait, say)

    def finish(self, config: Any, log: logging.Logger | logging.LoggerAdapter[Any]) -> None:
        """Swap the new site in, unless strict mode will abort this build for a warning."""
        if config.strict and self.warnings.count:
            log.info(f"Warnings in strict mode: {self.publication.site} was not replaced.")
            self.abandon()  # the engine aborts the build right after this event
            return
        self._release()
        self.publication.publish(log.warning)

    def abandon(self) -> None:
        """Remove the fresh folder of a build that will not be published, and release the site."""
        self._release()
        self.publication.abandon()

    def failed(self, error: Exception) -> str | None:
        """After the build failed: abandon it; the one-line message for a disk problem, if it was one."""
        self.abandon()
        return disk_problem(error, self.publication.site) if isinstance(error, OSError) else None

    def _release(self) -> None:
        """Give the configuration its own site_dir back (gh-deploy reads it after the build)."""
        self.config.site_dir = self.site_dir
        self._logger.removeHandler(self.warnings)


class _Count(logging.Handler):
    """Counts the records at or above its level, as the engine's strict mode does."""

    def __init__(self, level: int) -> None:
        super().__init__(level)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


def carry_hidden(site: Path, building: Path) -> None:
    """Give the new site the hidden entries of the previous one (.git, .nojekyll…) that it lacks.

    MkDocs' clean step leaves them in the site folder, and deployments rely on that. They are hard
    links, not copies, so nothing is copied and the previous site stays as it was.
    """
    if not site.is_dir():
        return
    for entry in os.scandir(site):
        target = building / entry.name
        if not entry.name.startswith(".") or os.path.lexists(target):
            continue
        if entry.is_symlink():
            os.symlink(os.readlink(entry.path), target)
        elif entry.is_dir():
            shutil.copytree(entry.path, target, symlinks=True, copy_function=_link)
        else:
            _link(entry.path, target)


def _link(source: str, target: str) -> None:
    try:
        os.link(source, target)
    except OSError:  # a file system without hard links, or one this user may not link
        shutil.copy2(source, target)


def check_writable(site: Path) -> None:
    """Raise PublishError unless a build can make a folder beside `site` and replace `site` with it."""
    parent = site.parent
    if not parent.is_dir():
        raise PublishError(f"cannot build the site into {site}: its parent folder {parent} does not exist; "
                           "create it, or set site_dir in mkdocs.yml to a folder whose parent exists")
    if os.path.lexists(site) and not site.is_dir():
        raise PublishError(f"cannot build the site into {site}: it is a file, not a folder; move it away, or set "
                           "site_dir in mkdocs.yml to another folder")
    if site.is_dir() and site.stat().st_dev != parent.stat().st_dev:
        raise PublishError(f"cannot replace {site} as a whole: it is a mount point (another file system); set "
                           f"site_dir in mkdocs.yml to a folder inside it, such as {site / 'site'}")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise PublishError(f"cannot write in {parent}, where the new site is built beside {site} (permission denied "
                           "or a read-only file system); nothing was changed. Make it writable, or set site_dir in "
                           "mkdocs.yml to a folder in a writable place")
    if site.is_dir() and not os.access(site, os.W_OK | os.X_OK):
        raise PublishError(f"the site folder {site} is read-only; nothing was changed. Make it writable "
                           f"(chmod -R u+w {site}), or set site_dir in mkdocs.yml to another folder")


def disk_problem(error: OSError, site: Path) -> str | None:
    """One line for a write beside `site` that failed for lack of space or permission, else None."""
    reason = _DISK_ERRORS.get(error.errno or 0)
    names = [name for name in (error.filename, error.filename2) if isinstance(name, str)]
    ours = [name for name in names if Path(name).is_relative_to(site.parent)]
    # A full or read-only disk only ever stops a write; a permission error may be about reading an input.
    if reason is None or not (ours or error.errno in (errno.ENOSPC, errno.EDQUOT, errno.EROFS)):
        return None
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        remedy = "Free some space (a build needs room for a second copy of the site beside it) and build again"
    else:
        remedy = "Make it writable, or set site_dir in mkdocs.yml to a folder in a writable place"
    where = f" ({(ours or names)[0]})" if names else ""
    return f"cannot write the site beside {site}: {reason}{where}; the site folder was not changed. {remedy}"


def recover(site: Path) -> list[str]:
    """Put back or remove what an interrupted build left beside `site`; return what was done, for the log.

    Call only with the lock held: then no other build is using these folders.
    """
    notes = []
    previous = leftovers(site, PREVIOUS)
    if previous and not os.path.lexists(site):
        # A build was stopped between the two renames of the fallback swap: the previous site is whole.
        os.rename(previous[-1], site)
        notes.append(f"Put the previous site back into {site}: a build was stopped while swapping it.")
        previous.pop()
    for path in [*leftovers(site, BUILDING), *previous]:
        try:
            _remove(path)
            notes.append(f"Removed {path.name}, left beside {site} by a build that was stopped.")
        except OSError as e:
            notes.append(f"Could not remove {path}, left by a build that was stopped ({e.strerror}); delete it.")
    return notes


@functools.cache
def _renameat2() -> Callable[..., int] | None:
    """libc's renameat2, where this system has one (Linux with glibc 2.28 or later)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        function = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    function.restype = ctypes.c_int
    return function


def exchange(first: Path, second: Path) -> bool:
    """Exchange two folders in one step; False (nothing done) where the system cannot."""
    # PATTERNS_TEST_NO_EXCHANGE (tests only) takes the fallback a system without renameat2 takes.
    function = None if os.environ.get("PATTERNS_TEST_NO_EXCHANGE") else _renameat2()
    if function is None:
        return False
    if function(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in _EXCHANGE_UNSUPPORTED:
        return False
    raise OSError(code, os.strerror(code), str(second))


def _remove(path: Path) -> None:
    shutil.rmtree(path) if path.is_dir() and not path.is_symlink() else path.unlink()


def _stamp() -> str:
    """A name part that sorts by time and differs between processes."""
    return f"{time.time_ns():020d}-{os.getpid()}"


def _pause_for_tests(point: str, folder: Path) -> None:
    """Test-only hook: stop at `point` so a test can interrupt a real build at that exact moment.

    With PATTERNS_TEST_PAUSE="<point>:<file>", the build writes `folder` into <file> when it reaches
    <point>, then waits (at most a minute) until the test deletes the file or kills the build.
    """
    wanted, _, marker = os.environ.get("PATTERNS_TEST_PAUSE", "").partition(":")
    if wanted != point or not marker:
        return
    Path(marker).write_text(str(folder), encoding="utf-8")
    deadline = time.monotonic() + 60
    while os.path.exists(marker) and time.monotonic() < deadline:
        time.sleep(0.01)
