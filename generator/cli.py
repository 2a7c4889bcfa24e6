"""`patterns` command line: validate pattern files, start new ones, confirm translations."""

from __future__ import annotations

import argparse
import os
import re
import sys
import unicodedata
from collections.abc import Sequence
from pathlib import Path

from generator.core.catalogue import read_catalogue
from generator.core.characters import printable
from generator.core.cycles import collector_paused
from generator.core.findings import Finding, PatternError, errors_in
from generator.core.loader import load_document, load_text
from generator.core.validate import RESERVED_IDS, pattern_schema, reserved_reason


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; return its exit code (0 ok, 1 problems found, 2 usage)."""
    parser = argparse.ArgumentParser(prog="patterns", description="Work with the pattern catalogue.")
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("validate", help="check pattern files and report every problem")
    check.add_argument("paths", nargs="*", type=Path, help="files to report on (default: all of patterns/)")
    check.add_argument("--dir", type=Path, default=Path("patterns"), help="the patterns folder")
    check.add_argument("--retros", type=Path, default=Path("retros"),
                       help="the folder of retrospective records (checked when it exists)")
    check.add_argument("--format", choices=("text", "github"), default="text",
                       help="github prints GitHub Actions annotations")
    start = commands.add_parser("new", help="write a new pattern file from the template, never overwriting")
    start.add_argument("id", help="the new pattern's id: lowercase ASCII words joined by hyphens")
    start.add_argument("--title-ko", required=True, help="Korean title")
    start.add_argument("--title-en", required=True, help="English title")
    start.add_argument("--dir", type=Path, default=Path("patterns"), help="the patterns folder")
    agree = commands.add_parser("confirm", help="record that both languages of text fields say the same")
    agree.add_argument("file", type=Path, help="the pattern file, e.g. patterns/build-trust.yaml")
    agree.add_argument("fields", nargs="+", help="field paths as `patterns validate` names them, e.g. solution "
                                                 "forces[2] known_uses[1].summary")
    args = parser.parse_args(argv)
    if args.command == "new":
        return new(args.dir, args.id, args.title_ko, args.title_en)
    if args.command == "confirm":
        return confirm(args.file, args.fields)
    return validate(args.dir, args.paths, args.format, args.retros)


def confirm(path: Path, fields: Sequence[str]) -> int:
    """Write `translations_checked` entries for `fields` into the file, changing nothing else in it."""
    from generator.core.drift import confirmed_text  # only this command needs it

    try:
        doc = load_document(path, path.as_posix())
        raw = path.read_bytes()
    except (PatternError, OSError) as e:
        print(str(e) if isinstance(e, PatternError) else f"{path}: cannot read the file: {e}", file=sys.stderr)
        return 1
    if not isinstance(doc.data, dict):
        print(f"{path}: expected a pattern file", file=sys.stderr)
        return 1
    bom = b"\xef\xbb\xbf" if raw.startswith(b"\xef\xbb\xbf") else b""
    try:
        text = confirmed_text(raw[len(bom):].decode("utf-8"), doc, list(fields))
    except ValueError as e:
        print(f"patterns confirm: {path}: {e}", file=sys.stderr)
        return 1
    written = load_text(text, path, path.as_posix()).data
    entries = written.pop("translations_checked")
    if written != {k: v for k, v in doc.data.items() if k != "translations_checked"}:  # pragma: no cover - a guard
        print(f"patterns confirm: {path}: could not add the entries without changing something else; "
              "nothing was written", file=sys.stderr)
        return 1
    path.write_bytes(bom + text.encode("utf-8"))
    for name in fields:
        print(f"confirmed {name} in {path} ({entries[name]})")
    return 0


def new(directory: Path, pattern_id: str, title_ko: str, title_en: str) -> int:
    """Write patterns/<id>.yaml from the scaffold; refuse a bad id or title, or an existing file."""
    problem = scaffold_problem(pattern_id)
    if problem:
        print(f"patterns new: {problem}", file=sys.stderr)
        return 1
    if not directory.is_dir():
        print(f"patterns new: no folder {directory}; run from the repository root or pass --dir", file=sys.stderr)
        return 2
    target = directory / f"{pattern_id}.yaml"
    from generator.core.render import render_scaffold  # templates are needed only here; validate starts faster

    titles = {"ko": unicodedata.normalize("NFC", title_ko), "en": unicodedata.normalize("NFC", title_en)}
    content = render_scaffold(pattern_id, titles["ko"], titles["en"])
    problems = title_problems(titles, content, target)
    if problems:
        for line in problems:
            print(f"patterns new: {line}", file=sys.stderr)
        print("patterns new: nothing was written; give the title again (--title-ko, --title-en).", file=sys.stderr)
        return 1
    try:
        with target.open("x", encoding="utf-8") as out:  # "x": never overwrite, even in a race
            out.write(content)
    except FileExistsError:
        print(f"patterns new: {target} already exists; nothing was written. Edit it, or choose another id.",
              file=sys.stderr)
        return 1
    print(f"created {target}")
    print("next: fill in every \"\" (Korean and English), then run `patterns validate` until it prints no error,")
    print("      preview with `make serve`, and open a pull request (see CONTRIBUTING.md).")
    return 0


def title_problems(titles: dict[str, str], content: str, target: Path) -> list[str]:
    """What `patterns validate` would say about the titles of a new file, as `field: message` lines.

    The scaffold is read and checked as the validator reads and checks any file, so `new` refuses
    exactly what `validate` would, in its words; the scaffold's blank fields are left to the editor.
    """
    import datetime as dt

    from generator.core.loader import load_text
    from generator.core.validate import check_document

    problems = [f"title.{lang}: {_text_problem(title)}" for lang, title in titles.items() if _text_problem(title)]
    if problems:
        return problems
    try:
        doc = load_text(content, target, target.name)
    except PatternError as e:
        return [f"title: {finding.message}" for finding in e.findings]
    return [f"{finding.field}: {finding.message}" for finding in sorted(check_document(doc, dt.date.today()))
            if finding.severity == "error" and finding.field.split(".")[0] == "title"]


def _text_problem(title: str) -> str:
    """A title the scaffold cannot even write (its characters are checked with the file, as validate checks them)."""
    try:
        title.encode("utf-8")
    except UnicodeEncodeError:
        return "expected UTF-8 text, got bytes that are not; set your terminal to UTF-8 and type the title again"
    return ""


def scaffold_problem(pattern_id: str) -> str:
    """Why `pattern_id` cannot name a new pattern, or '' when it can."""
    if not re.fullmatch(pattern_schema()["$defs"]["id"]["pattern"], pattern_id):
        return (f"'{pattern_id}' is not a valid id: use lowercase ASCII letters and digits joined by single "
                "hyphens, like clarify-service-levels")
    if len(pattern_id) > pattern_schema()["$defs"]["id"]["maxLength"]:
        return f"'{pattern_id}' is longer than {pattern_schema()['$defs']['id']['maxLength']} characters"
    if pattern_id in RESERVED_IDS:
        return reserved_reason(pattern_id)
    return ""


def validate(directory: Path, paths: Sequence[Path], style: str, retros: Path | None = None) -> int:
    """Check every file in `directory` against the others; report findings for `paths` (or all)."""
    if not directory.is_dir():
        print(f"patterns: no folder {directory}; run from the repository root or pass --dir", file=sys.stderr)
        return 2
    # Not resolved: a patterns/ that is a link to somewhere else must be seen as one.
    directory = Path(os.path.abspath(directory))
    root = directory.parent
    wanted = {_display(p, root) for p in paths}
    missing = [p for p in paths if not p.exists()]
    for p in missing:
        print(f"{printable(str(p))}: no such file", file=sys.stderr)
    # Everything this command reads lives until it exits, so the cycle collector would only walk it:
    # paused to the end, it never runs (turned back on, it walked every object read, 0.06 s at 1,000 files).
    with collector_paused():
        return _report(directory, root, wanted, retros, style, bool(missing))


def _report(directory: Path, root: Path, wanted: set[str], retros: Path | None, style: str, missing: bool) -> int:
    """Read and check the folder, print the findings for `wanted` files (or all) and give the exit status."""
    reading = read_catalogue(directory, root, Path(os.path.abspath(retros)) if retros and retros.is_dir() else None,
                             parallel=True)  # this command runs no other threads, so it may fork
    from generator.core.drift import drift_findings, find_drift

    findings = sorted(reading.findings + drift_findings(find_drift(reading.patterns, directory.resolve())))
    shown = [f for f in findings if not wanted or f.path in wanted]
    for finding in shown:
        print(_github(finding) if style == "github" else str(finding))
    errors, warnings = len(errors_in(shown)), len(shown) - len(errors_in(shown))
    if style == "text":
        total = len({f.path for f in shown})
        print(f"{errors} error(s), {warnings} warning(s)" + (f" in {total} file(s)" if total else ""),
              file=sys.stderr)
    return 1 if errors or missing else 0


def _display(path: Path, root: Path) -> str:
    try:
        return Path(os.path.abspath(path)).relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def _github(finding: Finding) -> str:
    """A GitHub Actions annotation: control characters escaped as in text, then GitHub's own escaping."""
    level = "error" if finding.severity == "error" else "warning"
    line = f",line={finding.line}" if finding.line else ""
    message = f"{finding.field}: {finding.message}" if finding.field else finding.message
    return f"::{level} file={_github_property(finding.path)}{line}::{_github_data(message)}"


def _github_data(text: str) -> str:
    return printable(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _github_property(text: str) -> str:
    return _github_data(text).replace(":", "%3A").replace(",", "%2C")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
