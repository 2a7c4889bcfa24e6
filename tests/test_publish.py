"""A build replaces the whole site or leaves it untouched: interrupted, run twice at once, or on a bad disk.

Real builds of the small fixture project (the engine's `build` in a child process: ProperDocs, or
the engine PATTERNS_ENGINE names) are stopped with SIGINT, SIGTERM and SIGKILL at exact moments:
the build waits at a named point (the test-only hook in generator/adapter/publish.py, or a MkDocs
hook between two pages) until the test has sent its signal. After each, site/ must be byte for
byte the whole old site or the whole new one, and the next build must put things right.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import filelock
import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort
from mkdocs.structure.files import get_files

from conftest import FIXTURES, build_site, copy_project, engine_command
from generator.adapter import publish

ENGINE = engine_command("build")  # the engine the in-process builds it is compared with run on
# A MkDocs hook that waits between two pages, once four have been written into the fresh folder.
PAGE_HOOK = '''
import os, time
from pathlib import Path

written = 0

def on_post_page(output, page, config):
    global written
    written += 1
    marker = os.environ.get("PAGE_PAUSE")
    if marker and written == 5:
        Path(marker).write_text(config.site_dir, encoding="utf-8")
        deadline = time.monotonic() + 60
        while os.path.exists(marker) and time.monotonic() < deadline:
            time.sleep(0.01)
    return output
'''
EDIT = ("Mind the First Contact", "Mind the Very First Call")


def snapshot(folder: Path) -> dict[str, bytes | None]:
    """Every file (its bytes) and folder (None) under `folder`, by relative path."""
    return {path.relative_to(folder).as_posix(): None if path.is_dir() else path.read_bytes()
            for path in sorted(folder.rglob("*"))}


def beside(site: Path) -> list[str]:
    """What builds leave next to the site folder besides the lock: must be nothing after a finished build."""
    return sorted(p.name for p in site.parent.iterdir() if p.name.startswith(f".{site.name}.") and
                  p.name != publish.lock_path(site).name)


def edit(project: Path) -> None:
    """The change the new site carries: a title shown on many pages."""
    pattern = project / "patterns" / "first-contact.yaml"
    pattern.write_text(pattern.read_text(encoding="utf-8").replace(*EDIT), encoding="utf-8")


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, bytes | None], dict[str, bytes | None]]:
    """The project with its old site built, the old site's snapshot, and the new site's (after `edit`)."""
    root = tmp_path_factory.mktemp("publish")
    project = copy_project(FIXTURES / "site", root / "project")
    (project / "page_hook.py").write_text(PAGE_HOOK, encoding="utf-8")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "hooks:\n  - page_hook.py\n", encoding="utf-8")
    old = snapshot(build_site(project))
    changed = copy_project(project, root / "changed")
    edit(changed)
    new = snapshot(build_site(changed))
    assert old != new and len(old) > 50
    return project, old, new


@pytest.fixture
def project(sites: tuple[Path, dict, dict], tmp_path: Path) -> Path:
    """A copy of the project with its old site in site/ and the edit made: the next build makes the new site."""
    source = sites[0]
    target = copy_project(source, tmp_path / "project")
    shutil.copytree(source / "site", target / "site")
    edit(target)
    return target


def start(project: Path, **env: str) -> subprocess.Popen[str]:
    return subprocess.Popen(ENGINE, cwd=project, env={**os.environ, **env}, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)


def wait_for(marker: Path, build: subprocess.Popen[str]) -> Path:
    """Wait until the build reaches its pause; return the folder it wrote into the marker."""
    deadline = time.monotonic() + 60
    while not marker.exists() or not marker.read_text(encoding="utf-8"):
        if build.poll() is not None:
            said = build.stderr.read() if build.stderr else ""
            pytest.fail(f"the build ended (code {build.returncode}) before its pause:\n{said}")
        assert time.monotonic() < deadline, "the build never reached its pause"
        time.sleep(0.01)
    return Path(marker.read_text(encoding="utf-8"))


KILLS = [  # (where the build is stopped, the signal, what site/ holds right after)
    ("started", signal.SIGINT, "old"),  # early: lock taken, fresh folder made, nothing written
    ("page", signal.SIGTERM, "old"),  # four pages written into the fresh folder
    ("page", signal.SIGKILL, "old"),
    ("before-swap", signal.SIGKILL, "old"),  # everything written and checked, the swap next
    ("swapped", signal.SIGINT, "new"),  # exchanged; the old site not yet removed
    ("swapped", signal.SIGKILL, "new"),
]


@pytest.mark.parametrize(("point", "sig", "expected"), KILLS, ids=[f"{p}-{s.name}" for p, s, _ in KILLS])
def test_a_build_killed_at_any_moment_leaves_the_whole_old_or_the_whole_new_site(
        sites: tuple[Path, dict, dict], project: Path, tmp_path: Path, point: str, sig: signal.Signals,
        expected: str) -> None:
    _, old, new = sites
    site = project / "site"
    marker = tmp_path / "paused"
    pause = {"PAGE_PAUSE": str(marker)} if point == "page" else {"PATTERNS_TEST_PAUSE": f"{point}:{marker}"}
    build = start(project, **pause)
    folder = wait_for(marker, build)
    if point == "page":
        assert 4 <= len(list(folder.rglob("index.html"))) < 20  # in the middle of writing pages
    build.send_signal(sig)
    _, err = build.communicate(timeout=60)
    assert build.returncode != 0
    assert "Traceback" not in err
    assert snapshot(site) == (old if expected == "old" else new)
    # The next build tidies up whatever was left and publishes the new site.
    build_site(project)
    assert snapshot(site) == new
    assert beside(site) == []


def test_stopped_between_the_two_renames_of_the_fallback_the_next_build_puts_the_old_site_back(
        sites: tuple[Path, dict, dict], project: Path, tmp_path: Path) -> None:
    # Where renameat2 cannot exchange two folders, two renames do: the one moment site/ is missing.
    _, old, new = sites
    site = project / "site"
    marker = tmp_path / "paused"
    build = start(project, PATTERNS_TEST_PAUSE=f"between-renames:{marker}", PATTERNS_TEST_NO_EXCHANGE="1")
    moved = wait_for(marker, build)
    build.send_signal(signal.SIGKILL)
    build.wait(60)
    assert not site.exists() and snapshot(moved) == old
    assert publish.recover(site)  # what the next build does first, with the lock held
    assert snapshot(site) == old and beside(site) == []
    build_site(project)
    assert snapshot(site) == new


def test_the_swap_renames_the_built_files_into_place_never_copies_them(
        sites: tuple[Path, dict, dict], project: Path, tmp_path: Path) -> None:
    _, _, new = sites
    site = project / "site"
    hidden = site / ".nojekyll"  # MkDocs' clean step keeps hidden files in the site folder; so does the swap
    hidden.write_text("kept\n", encoding="utf-8")
    marker = tmp_path / "paused"
    build = start(project, PATTERNS_TEST_PAUSE=f"before-swap:{marker}")
    folder = wait_for(marker, build)
    inodes = {path.relative_to(folder): path.stat().st_ino for path in folder.rglob("*")}
    assert len(inodes) > 50
    marker.unlink()
    _, err = build.communicate(timeout=60)
    assert build.returncode == 0, err
    assert {path: (site / path).stat().st_ino for path in inodes} == inodes
    assert snapshot(site) == {**new, ".nojekyll": b"kept\n"}
    assert beside(site) == []


def read_lines(build: subprocess.Popen[str], lines: list[str]) -> None:
    threading.Thread(target=lambda: lines.extend(build.stderr), daemon=True).start()  # type: ignore[arg-type]


def test_two_builds_started_together_both_finish_and_the_site_is_whole(sites: tuple[Path, dict, dict],
                                                                       project: Path) -> None:
    # Before the lock, one build's clean step often pulled files from under the other (FileNotFoundError).
    _, _, new = sites
    for _ in range(2):
        for child in [start(project), start(project)]:
            _, err = child.communicate(timeout=120)
            assert child.returncode == 0, err
            assert "Traceback" not in err
        assert snapshot(project / "site") == new
        assert beside(project / "site") == []


def test_a_second_build_waits_for_the_first_and_says_so(sites: tuple[Path, dict, dict], project: Path,
                                                        tmp_path: Path) -> None:
    _, old, new = sites
    marker = tmp_path / "paused"
    first = start(project, PATTERNS_TEST_PAUSE=f"started:{marker}")
    wait_for(marker, first)
    second, said = start(project), []
    read_lines(second, said)
    deadline = time.monotonic() + 60
    while not any("waiting up to 300 s" in line for line in said):
        assert second.poll() is None and time.monotonic() < deadline, "".join(said)
        time.sleep(0.05)
    assert f"Another build of {project / 'site'} is running" in "".join(said)
    assert snapshot(project / "site") == old
    marker.unlink()
    assert first.wait(60) == 0 and second.wait(60) == 0, "".join(said)
    assert "Traceback" not in "".join(said)
    assert snapshot(project / "site") == new


def test_a_build_that_waits_too_long_fails_with_one_line(sites: tuple[Path, dict, dict], project: Path,
                                                         tmp_path: Path) -> None:
    _, old, _ = sites
    impatient = project / "impatient.yml"
    impatient.write_text((project / "mkdocs.yml").read_text(encoding="utf-8").replace(
        "  - patterns\n", "  - patterns:\n      publish_wait: 0.5\n"), encoding="utf-8")
    marker = tmp_path / "paused"
    first = start(project, PATTERNS_TEST_PAUSE=f"started:{marker}")
    wait_for(marker, first)
    second = subprocess.run([*ENGINE[:-1], "impatient.yml"], cwd=project, capture_output=True, text=True, timeout=60)
    marker.unlink()
    first.wait(60)
    assert second.returncode == 1
    assert (f"another build of {project / 'site'} is still running after 0.5 s (it holds "
            f"{project / '.site.lock'}); nothing was changed. Let it finish, or stop it, and build again.") in second.stderr
    assert "Traceback" not in second.stderr


@pytest.fixture
def make_read_only() -> Iterator[Callable[[list[Path]], None]]:
    """Make folders read-only for real: mode 555 and, for root (whom modes do not stop), the immutable flag."""
    locked: list[Path] = []

    def lock(folders: list[Path]) -> None:
        for folder in folders:
            folder.chmod(0o555)
            locked.append(folder)
            if os.geteuid() == 0:
                flagged = subprocess.run(["chattr", "+i", str(folder)], capture_output=True, text=True)
                if flagged.returncode != 0:
                    pytest.skip(f"running as root, and chattr +i is refused here: {flagged.stderr.strip()}")
        assert not any(os.access(folder, os.W_OK) for folder in folders)

    yield lock
    for folder in locked:
        if os.geteuid() == 0:
            subprocess.run(["chattr", "-i", str(folder)], check=False)
        folder.chmod(0o755)


@pytest.mark.parametrize("locked", ["the site folder", "the whole site"])
def test_a_read_only_site_folder_loses_no_file(sites: tuple[Path, dict, dict], project: Path,
                                               make_read_only: Callable[[list[Path]], None], locked: str) -> None:
    # MkDocs' own clean step used to delete most files of a site whose top folder alone was read-only.
    _, old, _ = sites
    site = project / "site"
    make_read_only([site] if locked == "the site folder" else [site, *(p for p in site.rglob("*") if p.is_dir())])
    result = subprocess.run(ENGINE, cwd=project, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert (f"the site folder {site} is read-only; nothing was changed. Make it writable (chmod -R u+w {site}), "
            "or set site_dir in mkdocs.yml to another folder") in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(site) == old
    assert beside(site) == []


def test_a_read_only_parent_folder_is_named_and_nothing_changes(sites: tuple[Path, dict, dict], project: Path,
                                                                make_read_only: Callable[[list[Path]], None]) -> None:
    _, old, _ = sites
    site = project / "site"
    make_read_only([project])
    result = subprocess.run(ENGINE, cwd=project, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert f"cannot write in {project}, where the new site is built beside {site}" in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(site) == old


def test_a_missing_parent_folder_is_named(project: Path) -> None:
    result = subprocess.run([*ENGINE, "--site-dir", "gone/site"], cwd=project, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 1
    assert (f"cannot build the site into {project / 'gone' / 'site'}: its parent folder {project / 'gone'} does not "
            "exist; create it, or set site_dir in mkdocs.yml to a folder whose parent exists") in result.stderr
    assert "Traceback" not in result.stderr
    assert not (project / "gone").exists()


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A real 3 MB file system (tmpfs), where the system allows mounting one (root with CAP_SYS_ADMIN)."""
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(disk)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small file system here: {mounted.stderr.decode().strip()}")
    try:
        yield disk
    finally:
        subprocess.run(["umount", str(disk)], check=True)


def test_a_full_disk_fails_with_one_line_and_keeps_the_old_site(sites: tuple[Path, dict, dict], project: Path,
                                                                 small_disk: Path) -> None:
    _, old, _ = sites
    site = small_disk / "site"
    shutil.copytree(project / "site", site)  # about 2 MB of the 3: no room for a second copy beside it
    result = subprocess.run([*ENGINE, "--site-dir", str(site)], cwd=project, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 1
    assert (f"cannot write the site beside {site}: the disk is full") in result.stderr
    assert "Free some space (a build needs room for a second copy of the site beside it) and build again" \
        in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(site) == old
    assert beside(site) == []


def test_exchange_swaps_two_folders_in_one_step(tmp_path: Path) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    (first / "a").write_text("1", encoding="utf-8")
    (second / "b").write_text("2", encoding="utf-8")
    if not publish.exchange(first, second):
        pytest.skip("this system has no renameat2(RENAME_EXCHANGE); the fallback is tested above")
    assert [p.name for p in first.iterdir()] == ["b"] and [p.name for p in second.iterdir()] == ["a"]


def test_leftovers_beside_a_whole_site_are_removed_and_the_site_kept(tmp_path: Path) -> None:
    site = tmp_path / "site"
    for folder in (site, tmp_path / ".site.building-1-2", tmp_path / ".site.previous-1-3"):
        folder.mkdir()
        (folder / "index.html").write_text(folder.name, encoding="utf-8")
    (tmp_path / ".site2.building-1-4").mkdir()  # another site's: not ours to touch
    notes = publish.recover(site)
    assert len(notes) == 2 and all("left beside" in note for note in notes)
    assert (site / "index.html").read_text(encoding="utf-8") == "site"
    assert sorted(p.name for p in tmp_path.iterdir()) == [".site2.building-1-4", "site"]


def test_a_strict_build_that_warns_replaces_nothing(sites: tuple[Path, dict, dict], project: Path) -> None:
    # Strict mode aborts after on_post_build, when the swap would already have happened.
    _, old, new = sites
    page = project / "docs" / "index.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n[a link to nowhere](nowhere.md)\n", encoding="utf-8")
    with pytest.raises(Abort, match="in strict mode"):
        build_site(project, strict=True)
    assert snapshot(project / "site") == old
    assert beside(project / "site") == []
    build_site(project, strict=False)  # the lock was released: the next build publishes at once
    assert snapshot(project / "site")["en/patterns/first-contact/index.html"] == new["en/patterns/first-contact/index.html"]


def test_the_configuration_keeps_its_own_site_dir_after_a_build(project: Path) -> None:
    # gh-deploy pushes config.site_dir once the build is done: it must be the site, not the fresh folder.
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(project / "site"))
    build(config)
    assert config.site_dir == str(project / "site")


def test_configuration_events_alone_take_no_lock_and_write_nothing(project: Path) -> None:
    # Tools may run on_config and on_files without building (the benchmark does, to make its baseline);
    # the lock and the fresh folder belong to a build, from on_pre_build on.
    config = load_config(str(project / "mkdocs.yml"))
    config = config.plugins.on_config(config)
    config.plugins.on_files(get_files(config), config=config)
    assert Path(config.site_dir).name.startswith(".site.building-") and not Path(config.site_dir).exists()
    with filelock.FileLock(publish.lock_path(project / "site")).acquire(timeout=0):
        pass  # free: a build started now would not wait
    assert beside(project / "site") == []
