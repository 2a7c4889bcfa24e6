"""The validator against a corpus of broken and unusual files, one flaw per file.

Each file under fixtures/invalid/ starts with `# expect: <finding>` lines (or has a
`<name>.expect` sidecar when it cannot hold a UTF-8 header); it is validated in a folder beside the two
valid fixture patterns and must produce exactly those findings, through both
`patterns validate` and `mkdocs build`. The slow, hostile cases run in a subprocess so a
crash could not take pytest down with it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from conftest import FIXTURES, copy_project, engine_command
from generator.core.catalogue import read_catalogue

INVALID = sorted(p for p in (FIXTURES / "invalid").glob("*") if p.suffix != ".expect")
INVALID_BIBLIOGRAPHIES = sorted((FIXTURES / "invalid-bibliography").glob("*.yaml"))
VALID = sorted((FIXTURES / "valid").glob("*.yaml"))
BASE = sorted((FIXTURES / "site" / "patterns").glob("*.yaml"))  # two patterns and their bibliography


def expected_findings(fixture: Path) -> list[str]:
    sidecar = fixture.with_suffix(".expect")
    if sidecar.exists():
        return [line for line in sidecar.read_text(encoding="utf-8").splitlines() if line.strip()]
    text = fixture.read_bytes().decode("utf-8", errors="replace").lstrip("\ufeff")
    return [line[len("# expect: "):] for line in text.splitlines() if line.startswith("# expect: ")]


def base_patterns(tmp_path: Path) -> Path:
    """A patterns/ folder holding the two valid fixture patterns."""
    patterns = tmp_path / "patterns"
    patterns.mkdir()
    for base in BASE:
        shutil.copy(base, patterns / base.name)
    return patterns


def project_with(fixture: Path, tmp_path: Path) -> Path:
    shutil.copy(fixture, base_patterns(tmp_path) / fixture.name)
    return tmp_path


MKDOCS_YML = "site_name: corpus\ntheme: {name: material, font: false}\nplugins: [patterns]\n"


def run_measured(command: list[str], cwd: Path) -> tuple[int, str, str, float, int]:
    """Run a child process; return its exit code, output, error output, CPU seconds and peak memory (KiB).

    CPU time, not wall-clock time: what a hostile file can make the parser do is the question, and
    CPU time does not grow when other work shares the machine.
    """
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        child = subprocess.Popen(command, cwd=cwd, stdout=out, stderr=err, text=True)
        _, status, usage = os.wait4(child.pid, 0)  # this child's own resource use, not its siblings'
        out.seek(0)
        err.seek(0)
        cpu = usage.ru_utime + usage.ru_stime
        return os.waitstatus_to_exitcode(status), out.read(), err.read(), cpu, usage.ru_maxrss


def findings_for(fixture: Path, project: Path) -> list[str]:
    """Run `patterns validate` in a child process; return the lines about this fixture."""
    code, out, err, cpu_seconds, _ = run_measured([sys.executable, "-m", "generator", "validate"], project)
    assert code in (0, 1), err  # never a signal: a crash would show here as a negative code
    assert "Traceback" not in out + err
    assert cpu_seconds < 2.0  # under 1 s of work, plus the interpreter's start
    return [line for line in out.splitlines() if line.startswith(f"patterns/{fixture.name}")]


@pytest.mark.parametrize("fixture", INVALID, ids=lambda p: p.name)
def test_invalid_file_gets_its_exact_message(fixture: Path, tmp_path: Path) -> None:
    expected = expected_findings(fixture)
    assert expected, f"{fixture.name} has no '# expect:' header"
    project = project_with(fixture, tmp_path)
    assert findings_for(fixture, project) == expected
    # The same findings stop `mkdocs build`, before anything is written.
    (project / "mkdocs.yml").write_text(MKDOCS_YML, encoding="utf-8")
    (project / "docs").mkdir()
    code, out, err, _, _ = run_measured(engine_command("build"), project)
    assert code == 1 and "Traceback" not in out + err
    assert [line.split("generator: ", 1)[1] for line in err.splitlines()
            if f"generator: patterns/{fixture.name}" in line] == expected
    assert not (project / "site").exists()


@pytest.mark.parametrize("fixture", INVALID_BIBLIOGRAPHIES, ids=lambda p: p.name)
def test_invalid_bibliography_gets_its_exact_messages(fixture: Path, tmp_path: Path) -> None:
    # Each replaces the two fixture patterns' bibliography; every finding of the folder is expected.
    patterns = base_patterns(tmp_path)
    shutil.copy(fixture, patterns / "bibliography.yaml")
    expected = expected_findings(fixture)
    assert expected, f"{fixture.name} has no '# expect:' header"
    reading = read_catalogue(patterns, tmp_path)
    assert [str(f) for f in reading.findings] == expected
    assert (reading.catalogue is None) == any(": warning: " not in line for line in expected)


def test_a_broken_bibliography_stops_the_build(tmp_path: Path) -> None:
    project = tmp_path
    shutil.copy(FIXTURES / "invalid-bibliography" / "missing-source-key.yaml", base_patterns(project) / "bibliography.yaml")
    (project / "mkdocs.yml").write_text(MKDOCS_YML, encoding="utf-8")
    (project / "docs").mkdir()
    code, out, err, _, _ = run_measured(engine_command("build"), project)
    assert code == 1 and "Traceback" not in out + err
    assert "generator: patterns/bibliography.yaml:17: sources[1].key: required field is missing; add `key:`" in err
    assert not (project / "site").exists()


def test_a_missing_bibliography_is_one_finding(tmp_path: Path) -> None:
    patterns = base_patterns(tmp_path)
    (patterns / "bibliography.yaml").unlink()
    assert [str(f) for f in read_catalogue(patterns, tmp_path).findings] == [
        "patterns/bibliography.yaml: file is missing: every source the patterns cite is listed here, once "
        "(see docs/format.md); create it"]


@pytest.mark.parametrize("name", ["aux", "con", "nul", "com1", "lpt1"])
def test_windows_device_names_are_reserved(name: str, tmp_path: Path) -> None:
    # Made here rather than committed: Git for Windows cannot check such files out.
    patterns = base_patterns(tmp_path)
    text = (patterns / "first-contact.yaml").read_text(encoding="utf-8").replace("id: first-contact", f"id: {name}")
    (patterns / f"{name}.yaml").write_text(text, encoding="utf-8")
    messages = [str(f) for f in read_catalogue(patterns, tmp_path).findings if f.path == f"patterns/{name}.yaml"]
    assert f"patterns/{name}.yaml:2: id: '{name}' is reserved (it names a page of the site or a device on " \
           "Windows); choose another id" in messages


@pytest.mark.parametrize("fixture", [FIXTURES / "invalid" / "deep-nesting.yaml", FIXTURES / "invalid" / "alias-bomb.yaml",
                                     FIXTURES / "invalid" / "long-line.yaml"], ids=lambda p: p.name)
def test_hostile_files_stay_within_a_second_and_200_mb(fixture: Path, tmp_path: Path) -> None:
    project = project_with(fixture, tmp_path)
    code, _, _, cpu_seconds, peak_kib = run_measured([sys.executable, "-m", "generator", "validate"], project)
    assert code == 1
    assert cpu_seconds < 2.0 and peak_kib < 200 * 1024


@pytest.mark.parametrize("fixture", VALID, ids=lambda p: p.name)
def test_unusual_but_valid_file_is_accepted(fixture: Path, tmp_path: Path) -> None:
    project = project_with(fixture, tmp_path)
    reading = read_catalogue(project / "patterns", project)
    assert [str(f) for f in reading.findings] == expected_findings(fixture)
    assert reading.catalogue is not None


def test_all_findings_come_in_one_run_in_a_stable_order(tmp_path: Path) -> None:
    patterns = base_patterns(tmp_path)
    first = patterns / "first-contact.yaml"
    text = first.read_text(encoding="utf-8")
    first.write_text(text.replace("order: 1", "order: one").replace("status: established", "status: done"),
                     encoding="utf-8")
    (patterns / "keep-them-posted.yaml").write_text(
        (patterns / "keep-them-posted.yaml").read_text(encoding="utf-8").replace("builds_on: [first-contact]", "builds_on: [first-contct]"),
        encoding="utf-8")
    runs = [[str(f) for f in read_catalogue(patterns, tmp_path).findings] for _ in range(2)]
    assert runs[0] == runs[1] == [
        "patterns/first-contact.yaml:3: order: expected a whole number, got 'one'",
        "patterns/first-contact.yaml:4: status: expected one of established, candidate, got 'done'",
        "patterns/keep-them-posted.yaml:25: builds_on[0]: expected the id of a pattern in patterns/, "
        "got 'first-contct' (did you mean 'first-contact'?)",
    ]


def test_a_reference_cycle_is_accepted(tmp_path: Path) -> None:
    patterns = base_patterns(tmp_path)
    first = patterns / "first-contact.yaml"
    first.write_text(first.read_text(encoding="utf-8").replace("builds_on: []", "builds_on: [keep-them-posted]"),
                     encoding="utf-8")
    reading = read_catalogue(patterns, tmp_path)
    assert reading.findings == [] and reading.catalogue is not None
    assert {p.id for p in reading.catalogue.patterns} == {"first-contact", "keep-them-posted"}


def test_yml_extension_and_symlink_are_reported(tmp_path: Path) -> None:
    patterns = base_patterns(tmp_path)
    shutil.copy(BASE[0], patterns / "other.yml")
    (patterns / "linked.yaml").symlink_to(BASE[1])
    (patterns / "has space.yaml").write_text(BASE[0].read_text(encoding="utf-8"), encoding="utf-8")
    messages = [str(f) for f in read_catalogue(patterns, tmp_path).findings]
    assert ("patterns/linked.yaml: is a symbolic link, so it is not read; files in patterns/ must be regular files "
            "ending in .yaml") in messages
    assert "patterns/other.yml: files in patterns/ end in .yaml, in lower case; rename it to other.yaml" in messages
    assert ("patterns/has space.yaml: file name 'has space.yaml' is not a valid id: use lowercase ASCII letters "
            "and digits joined by hyphens, like build-trust.yaml") in messages


def test_a_large_folder_read_on_two_cores_gives_the_same_findings_and_catalogue(tmp_path: Path,
                                                                                 monkeypatch: pytest.MonkeyPatch,
                                                                                 forking: None) -> None:
    from bench.synthetic import write_catalogue
    from generator.core import catalogue as catalogue_module

    patterns = tmp_path / "patterns"
    write_catalogue(patterns, catalogue_module.PARALLEL_FROM)
    broken = INVALID[:10] + INVALID[-10:]  # names before and after the synthetic ones: both halves
    for path in broken:
        shutil.copy(path, patterns / path.name)
    forked: list[bool] = []
    real = catalogue_module.map_in_two
    monkeypatch.setattr(catalogue_module, "map_in_two",
                        lambda work, items, parallel, share: forked.append(parallel) or real(work, items, parallel, share))
    one = read_catalogue(patterns, tmp_path, parallel=False)
    two = read_catalogue(patterns, tmp_path, parallel=True)
    assert forked == [False, True]
    assert len(one.findings) >= 20 and two.findings == one.findings
    assert {f.path for f in one.findings} >= {f"patterns/{path.name}" for path in broken}
    for path in broken:
        (patterns / path.name).unlink()
    one, two = read_catalogue(patterns, tmp_path), read_catalogue(patterns, tmp_path, parallel=True)
    assert one.catalogue is not None and two.catalogue == one.catalogue


def test_a_file_cache_reads_only_what_changed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A preview reads the folder after every save; unchanged files come from the cache.
    from generator.core import catalogue as catalogue_module

    patterns = tmp_path / "patterns"
    patterns.mkdir()
    for path in BASE:
        shutil.copy(path, patterns / path.name)
    read: list[str] = []
    real = catalogue_module.load_document
    monkeypatch.setattr(catalogue_module, "load_document", lambda path, display: read.append(path.name) or
                        real(path, display))
    cache = catalogue_module.FileCache()
    first = read_catalogue(patterns, tmp_path, cache=cache)
    assert sorted(read) == sorted(p.name for p in BASE) and first.catalogue is not None
    read.clear()
    assert read_catalogue(patterns, tmp_path, cache=cache) == first
    assert read == []
    edited = patterns / "first-contact.yaml"
    edited.write_text(edited.read_text(encoding="utf-8").replace("order: 1", "order: one"), encoding="utf-8")
    after = read_catalogue(patterns, tmp_path, cache=cache)
    assert read == [edited.name]
    assert after.catalogue is None and any(f.field == "order" for f in after.findings)  # the edit is seen
    edited.unlink()
    read.clear()
    gone = read_catalogue(patterns, tmp_path, cache=cache)
    assert read == []  # nothing read again, and the deleted file is not reported
    assert gone == read_catalogue(patterns, tmp_path)


def test_an_unreadable_file_is_reported_once_and_the_ids_it_may_hold_are_not_unknown_elsewhere(tmp_path: Path) -> None:
    # A broken YAML file under another name; its `id:` line still says which id it would hold.
    project = copy_project(FIXTURES / "site", tmp_path / "project")
    patterns = project / "patterns"
    text = (patterns / "first-contact.yaml").read_text(encoding="utf-8")
    (patterns / "first-contact.yaml").unlink()
    (patterns / "first-contact-draft.yaml").write_text(text.replace("aliases:\n", "aliases:\n\t- x\n", 1),
                                                       encoding="utf-8")
    reading = read_catalogue(patterns, project, project / "retros")
    assert [str(f) for f in reading.findings] == [
        "patterns/first-contact-draft.yaml:7: invalid YAML: a tab character; indent with spaces, not tabs",
        # keep-them-posted mentions it on line 6 and in builds_on (line 25): one note, at the first
        "patterns/keep-them-posted.yaml:6: summary.ko: warning: refers to '[[first-contact]]', which may be the id "
        "of the unreadable file patterns/first-contact-draft.yaml; fix that file first",
        "retros/2026-10-02-support.yaml:4: patterns[1]: warning: refers to 'first-contact', which may be the id of "
        "the unreadable file patterns/first-contact-draft.yaml; fix that file first",
    ]
    # Without the unreadable file, the same references are unknown ids: errors, as before.
    (patterns / "first-contact-draft.yaml").unlink()
    errors = [str(f) for f in read_catalogue(patterns, project, project / "retros").findings]
    assert "patterns/keep-them-posted.yaml:25: builds_on[0]: expected the id of a pattern in patterns/, got " \
           "'first-contact'" in errors


def test_whitespace_only_text_is_reported_like_empty_text(tmp_path: Path) -> None:
    patterns = base_patterns(tmp_path)
    path = patterns / "keep-them-posted.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("en: Keep Them Posted}", "en: '  '}"), encoding="utf-8")
    assert [str(f) for f in read_catalogue(patterns, tmp_path).findings] == [
        "patterns/keep-them-posted.yaml:4: title.en: expected non-empty text, got only blanks ('  ')"]
