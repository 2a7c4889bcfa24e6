"""The generator's benchmark: synthetic catalogues of N patterns the size of the real ones, and a baseline.

    python -m tests.bench.bench [--sizes 10 100 1000] [--runs 3] [--write-docs] [--workdir DIR]

For each N it makes a throw-away project (the repository's mkdocs.yml and docs/, with patterns/
replaced by N patterns made from the real ones, see `synthetic`, committed to a fresh git
repository so pages carry last-changed dates as in the real one) and its baseline (the same
patterns as plain Markdown pages built by the engine and Material alone, Material's search on,
see `plain`). Then, in turn, so that a busy moment slows all of them alike, --runs fresh
processes each of:

- `patterns validate`, and its parse floor: PyYAML's C loader alone, in one process, parsing
  the same files;
- `properdocs build` with the plugin, and the baseline's `properdocs build`;

each timed (wall and CPU); then one more run of each for the peak memory of its whole process
tree, sampled (see `processes`: sampling would slow the timed runs).
Then `properdocs serve`: the time from writing one pattern file to the changed page being
served, for --runs edits; sizes; and search in headless Chromium.

It prints one Markdown table (medians, with min–max over the runs) and which targets are met;
with --write-docs it also writes it, with the machine and the versions, into docs/performance.md
(Korean) and docs/en/performance.md (English), between the `bench:start` and `bench:end` markers.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import gzip
import importlib.metadata
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from generator.core.fork import usable_cpus
from generator.core.model import LANGS
from .plain import write_plain_project
from .processes import Run, run
from .search_bench import index_size, search_figures
from .static_server import serve
from .synthetic import read_real, write_catalogue

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
# Timed processes run as on an editor's machine, with Python's bytecode cache on (its default), even
# where the environment turns it off (PYTHONDONTWRITEBYTECODE, as on the machine these figures came from).
ENV = {**{key: value for key, value in os.environ.items() if key not in ("PYTHONDONTWRITEBYTECODE", "PATTERNS_PARALLEL")},
       "NO_MKDOCS_2_WARNING": "1"}
START, END = "<!-- bench:start -->", "<!-- bench:end -->"
# PyYAML's C loader alone, in one process: the least any validator built on PyYAML spends reading the files.
FLOOR = ("import sys, yaml\n"
         "for path in sys.argv[1:]:\n"
         "    with open(path, encoding='utf-8') as f:\n"
         "        yaml.load(f.read(), Loader=yaml.CSafeLoader)\n")

# --------------------------------------------------------------------------- the figures


@dataclass(frozen=True)
class Figure:
    """One row of the table; `targets` maps N (None: every N) to the most the figure may be."""

    key: str
    en: str
    ko: str
    digits: int = 2
    targets: dict[int | None, float] = field(default_factory=dict)
    strict: bool = False  # "under" rather than "no more than"
    unit: str = ""

    def target_text(self, lang: str) -> str:
        if not self.targets:
            return "—"
        sign = "<" if self.strict else "≤"
        parts = []
        for n, limit in self.targets.items():
            value = f"{limit:.2f}".rstrip("0").rstrip(".") if limit % 1 else f"{limit:g}"
            where = "" if n is None else (f" at N = {n:,}" if lang == "en" else f" (N = {n:,})")
            parts.append(f"{sign} {value}{self.unit}{where}")
        return "; ".join(parts)


FIGURES = [
    Figure("validate_s", "`patterns validate` (s)", "`patterns validate` (초)"),
    Figure("floor_s", "parse floor: PyYAML's C loader alone, one process (s)",
           "파싱 하한: PyYAML C 로더만, 프로세스 하나 (초)"),
    Figure("validate_floor", "validate ÷ parse floor", "validate ÷ 파싱 하한", 2, {1000: 1.2}),
    Figure("build_s", "`properdocs build` with the plugin (s)", "플러그인으로 `properdocs build` (초)", 2, {1000: 15}, True,
           " s"),
    Figure("plain_s", "baseline: plain Markdown, ProperDocs + Material, its search (s)",
           "기준선: 평범한 Markdown, ProperDocs + Material, 자체 검색 (초)"),
    Figure("ratio", "our build ÷ baseline", "우리 빌드 ÷ 기준선", 2, {1000: 1.10}),
    Figure("build_cpu_s", "our build, CPU time, all processes (s)", "우리 빌드 CPU 시간, 모든 프로세스 (초)"),
    Figure("plain_cpu_s", "baseline, CPU time (s)", "기준선 CPU 시간 (초)"),
    Figure("cpu_ratio", "our build ÷ baseline, by CPU time", "우리 빌드 ÷ 기준선, CPU 시간 기준", 2),
    Figure("growth", "build growth (this build ÷ build at N/10)", "빌드 증가 (이 빌드 ÷ N/10의 빌드)", 1, {1000: 12}),
    Figure("plain_growth", "baseline growth (÷ baseline at N/10)", "기준선 증가 (÷ N/10의 기준선)", 1),
    Figure("build_mb", "our build, peak memory, all processes (MB)", "우리 빌드 최대 메모리, 모든 프로세스 (MB)", 0),
    Figure("plain_mb", "baseline, peak memory (MB)", "기준선 최대 메모리 (MB)", 0),
    Figure("validate_mb", "`patterns validate`, peak memory (MB)", "`patterns validate` 최대 메모리 (MB)", 0),
    Figure("rebuild_s", "`properdocs serve`: one pattern edited → page served (s)",
           "`properdocs serve`: 패턴 하나 수정 → 새 페이지 제공 (초)", 2, {100: 1, 1000: 3}, True, " s"),
    Figure("rebuild_cpu_s", "the same, CPU time the server used (s)", "같은 것, 서버가 쓴 CPU 시간 (초)"),
    Figure("index_ko_kb", "search index, Korean (KB)", "검색 색인, 한국어 (KB)", 0),
    Figure("index_en_kb", "search index, English (KB)", "검색 색인, 영어 (KB)", 0),
    Figure("page_html_kb", "largest pattern page, HTML (KB)", "가장 큰 패턴 페이지 HTML (KB)", 1, {1000: 60}, True, " KB"),
    Figure("other_html_kb", "largest other page (catalogue, map, cards…), HTML (KB)",
           "패턴 페이지 밖에서 가장 큰 페이지 (목록, 지도, 카드…) HTML (KB)", 0),
    Figure("transfer_kb", "one pattern page, first load, transferred (KB)",
           "패턴 페이지 하나 첫 방문 전송량 (KB)", 0, {None: 400}, True, " KB"),
    Figure("transfer_gz_kb", "the same, if the host gzips (KB)", "같은 것, 호스트가 gzip으로 압축할 때 (KB)", 0),
    Figure("search_first_ko_ms", "search, Korean: first key → first result, cold cache (ms)",
           "검색, 한국어: 첫 키 → 첫 결과, 빈 캐시 (ms)", 0, {1000: 150}, True, " ms"),
    Figure("search_first_en_ms", "search, English: first key → first result, cold cache (ms)",
           "검색, 영어: 첫 키 → 첫 결과, 빈 캐시 (ms)", 0, {1000: 150}, True, " ms"),
    Figure("search_query_kb", "search: most fetched for one whole query (KB)",
           "검색: 질의 하나를 끝까지 칠 때 가장 많이 받은 양 (KB)", 0, {1000: 500}, True, " KB"),
    Figure("search_later_ms", "search: later keystrokes → results, median (ms)",
           "검색: 이어지는 키 입력 → 결과, 중앙값 (ms)", 1),
    Figure("search_later_max_ms", "search: slowest later keystroke (ms)", "검색: 가장 느린 이어지는 키 입력 (ms)", 0),
]
# Figures measured once per run: the table shows their median with the range of the runs.
TIMED = {"validate_s": "validate", "floor_s": "floor", "build_s": "build", "plain_s": "plain", "rebuild_s": "rebuild",
         "build_cpu_s": "build", "plain_cpu_s": "plain", "rebuild_cpu_s": "rebuild"}


def median(values: list[float]) -> float:
    return statistics.median(values)


# --------------------------------------------------------------------------- projects


def make_project(directory: Path, count: int, seed: int = 0) -> Path:
    """The repository's mkdocs.yml and docs/, with a synthetic catalogue of `count` patterns, in git."""
    directory.mkdir(parents=True)
    shutil.copy(REPO / "mkdocs.yml", directory / "mkdocs.yml")
    shutil.copytree(REPO / "docs", directory / "docs")
    for page in ("performance.md", "en/performance.md"):  # the nav names them before the first run writes them
        if not (directory / "docs" / page).exists():
            (directory / "docs" / page).write_text("# Performance\n", encoding="utf-8")
    write_catalogue(directory / "patterns", count, seed)
    if shutil.which("git"):
        git = ["git", "-c", "user.name=bench", "-c", "user.email=bench@localhost", "-c", "commit.gpgsign=false"]
        for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "--no-verify", "-m", "synthetic catalogue"]):
            subprocess.run([*git, *args], cwd=directory, check=True, capture_output=True)
    return directory


# --------------------------------------------------------------------------- processes


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str, timeout: float = 120) -> str:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return response.read().decode("utf-8")


MARKER_AT = re.compile(r"(?m)^problem:\n  ko: \|-?\n    ")


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) a running process has used so far, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def serve_rebuilds(project: Path, edits: int, log: Callable[[str], None]) -> tuple[list[float], list[float]]:
    """Per edit: seconds from writing one pattern file to `properdocs serve` serving the changed page,
    and the CPU time the server used meanwhile (which a busy machine does not stretch)."""
    port = free_port()
    tmp = project / "tmp"
    tmp.mkdir(exist_ok=True)
    process = subprocess.Popen([str(BIN / "properdocs"), "serve", "-f", "mkdocs.yml", "-a", f"127.0.0.1:{port}"],
                               cwd=project, env={**ENV, "TMPDIR": str(tmp)}, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True)
    stderr: list[str] = []
    reader = threading.Thread(target=lambda: stderr.extend(process.stderr), daemon=True)  # type: ignore[arg-type]
    reader.start()
    base = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 900
        while True:
            if process.poll() is not None:
                reader.join(5)
                raise SystemExit("bench: properdocs serve exited:\n" + "".join(stderr))
            with contextlib.suppress(OSError):
                fetch(base, timeout=5)
                break
            if time.monotonic() > deadline:
                raise SystemExit("bench: properdocs serve did not start:\n" + "".join(stderr))
            time.sleep(0.1)
        files = sorted((project / "patterns").glob("*.yaml"))
        path = files[len(files) // 2]
        url = f"{base}patterns/{path.stem}/"
        original = path.read_text(encoding="utf-8")
        if not MARKER_AT.search(original):
            raise SystemExit(f"bench: {path} has no `problem:` with a Korean block text to edit")
        times, cpu = [], []
        for i in range(edits):
            time.sleep(2.0)  # let the watcher settle after the previous build
            marker = f"benchedit{i}x{int(time.time() * 1000)}"
            text = MARKER_AT.sub(lambda m: m.group(0) + marker + " ", original, count=1)
            start, used = time.perf_counter(), cpu_seconds(process.pid)
            path.write_text(text, encoding="utf-8")
            while marker not in fetch(url):
                if time.perf_counter() - start > 600:
                    raise SystemExit("bench: the edited page never appeared:\n" + "".join(stderr))
                time.sleep(0.02)
            times.append(time.perf_counter() - start)
            cpu.append(cpu_seconds(process.pid) - used)
            log(f"    serve edit {i + 1}: {times[-1]:.2f} s ({cpu[-1]:.2f} s of CPU)")
        path.write_text(original, encoding="utf-8")
        return times, cpu
    finally:
        process.send_signal(signal.SIGINT)  # KeyboardInterrupt: the engine removes its temporary site
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# --------------------------------------------------------------------------- browser


def browser_figures(site: Path, page_path: str, log: Callable[[str], None]) -> dict:
    """First-load transfer of one pattern page, and search as a reader meets it (`search_bench`), in Chromium."""
    from playwright.sync_api import sync_playwright

    out: dict = {}
    with serve(site) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        out["chromium"] = browser.version
        try:
            # Transfer: a fresh context has an empty cache, like a first visit.
            context = browser.new_context()
            page = context.new_page()
            finished, failed = [], []
            page.on("requestfinished", lambda r: finished.append(r))
            page.on("requestfailed", lambda r: failed.append(r))
            page.goto(base + page_path, wait_until="networkidle")
            page.wait_for_timeout(500)
            resources = []
            for request in finished:
                response = request.response()
                body = response.body() if response else b""
                sizes = request.sizes()
                resources.append({"url": request.url.removeprefix(base), "type": request.resource_type,
                                  "bytes": sizes["responseBodySize"] + sizes["responseHeadersSize"],
                                  "gzip": min(len(gzip.compress(body, 6)), len(body)) + sizes["responseHeadersSize"]})
            context.close()
            out["resources"] = resources
            out["failed"] = [r.url for r in failed]
            out["transfer_kb"] = sum(r["bytes"] for r in resources) / 1000
            out["transfer_gz_kb"] = sum(r["gzip"] for r in resources) / 1000
            log(f"    first load of {page_path}: {len(resources)} responses, {out['transfer_kb']:.0f} KB")

            search = search_figures(site, log, browser=browser)
            out["search"] = search
            for lang in LANGS:
                out[f"search_first_{lang}_ms"] = search[lang]["first_ms_max"]
            out["search_query_kb"] = max(search[lang]["query_kb_max"] for lang in LANGS)
            later = [ms for lang in LANGS for run in search[lang]["runs"] for ms in run["later_ms"]]
            out["search_later_ms"] = median(later) if later else 0.0
            out["search_later_max_ms"] = max(later, default=0.0)
        finally:
            browser.close()
    return out


# --------------------------------------------------------------------------- one size


def measure(count: int, runs: int, workdir: Path, log: Callable[[str], None]) -> dict:
    log(f"N = {count}")
    root = workdir / f"n{count}"
    project = make_project(root / "project", count)
    plain = write_plain_project(project, root / "plain")
    pattern_files = sorted(str(p) for p in (project / "patterns").glob("*.yaml"))
    commands = {
        "validate": ([str(BIN / "patterns"), "validate"], project),
        "floor": ([sys.executable, "-c", FLOOR, *pattern_files], project),
        "build": ([str(BIN / "properdocs"), "build", "-f", "mkdocs.yml", "--quiet"], project),
        "plain": ([str(BIN / "properdocs"), "build", "-f", "mkdocs.yml", "--quiet"], plain),
    }
    measured: dict[str, list[Run]] = {name: [] for name in commands}
    for number in range(runs):  # in turn, so drift in the machine's speed hits every command alike
        for name, (command, cwd) in commands.items():
            measured[name].append(run(command, cwd, ENV))
        log(f"  run {number + 1}: " + ", ".join(f"{name} {m[-1].wall_s:.2f} s" for name, m in measured.items()))
    # Memory from one more run of each, sampled; the timed runs above are not (see `processes`).
    memory = {name: run(command, cwd, ENV, sample_memory=True) for name, (command, cwd) in commands.items()}
    log("  memory run: " + ", ".join(f"{name} {r.peak_mb:.0f} MB" for name, r in memory.items()))
    result: dict = {"n": count, "runs": {name: [asdict(r) | {"output": None} for r in m] for name, m in measured.items()},
                    "memory_runs": {name: asdict(r) | {"output": None} for name, r in memory.items()},
                    "pattern_kb": statistics.mean(Path(p).stat().st_size for p in pattern_files) / 1000,
                    "real_pattern_kb": statistics.mean(len(p.text.encode("utf-8")) for p in read_real()[0]) / 1000}
    for key, name in TIMED.items():
        if name in measured and not key.endswith("cpu_s"):  # CPU times: below
            values = [r.wall_s for r in measured[name]]
            result[key] = median(values)
            result[f"{key}_range"] = (min(values), max(values))
    for name, sampled in memory.items():
        result[f"{name}_mb"] = sampled.peak_mb
    result["validate_floor"] = result["validate_s"] / result["floor_s"]
    result["ratio"] = result["build_s"] / result["plain_s"]
    for key, name in (("build_cpu_s", "build"), ("plain_cpu_s", "plain")):
        values = [r.cpu_s for r in measured[name]]
        result[key], result[f"{key}_range"] = median(values), (min(values), max(values))
    result["cpu_ratio"] = result["build_cpu_s"] / result["plain_cpu_s"]
    result["cpu_s"] = {name: median([r.cpu_s for r in m]) for name, m in measured.items()}  # all, for bench.json

    site = project / "site"
    for lang in LANGS:
        result[f"index_{lang}_kb"] = index_size(site, lang) / 1000
    pages = [p for lang in LANGS for p in (site / ("en/" if lang == "en" else "") / "patterns").glob("*/index.html")]
    largest = max(pages, key=lambda p: p.stat().st_size)
    result["page_html_kb"] = largest.stat().st_size / 1000
    result["largest_page"] = largest.relative_to(site).as_posix()
    others = [p for p in site.rglob("*.html") if p not in set(pages)]
    other = max(others, key=lambda p: p.stat().st_size)
    result["other_html_kb"] = other.stat().st_size / 1000
    result["largest_other_page"] = other.relative_to(site).as_posix()
    log(f"    largest pattern page {result['largest_page']} {result['page_html_kb']:.1f} KB; "
        f"largest other page {result['largest_other_page']} {result['other_html_kb']:.0f} KB")

    korean = sorted(p for p in pages if not p.relative_to(site).as_posix().startswith("en/"))
    page_path = korean[len(korean) // 2].parent.relative_to(site).as_posix() + "/"
    result.update(browser_figures(site, page_path, log))

    rebuilds, cpu = serve_rebuilds(project, runs, log)
    result["runs"]["rebuild"] = rebuilds
    for key, values in (("rebuild_s", rebuilds), ("rebuild_cpu_s", cpu)):
        result[key], result[f"{key}_range"] = median(values), (min(values), max(values))
    return result


# --------------------------------------------------------------------------- the table


def add_growth(results: list[dict]) -> None:
    by_n = {r["n"]: r for r in results}
    for r in results:
        if r["n"] % 10 == 0 and r["n"] // 10 in by_n:
            r["growth"] = r["build_s"] / by_n[r["n"] // 10]["build_s"]
            r["plain_growth"] = r["plain_s"] / by_n[r["n"] // 10]["plain_s"]


def verdicts(figure: Figure, results: list[dict]) -> list[tuple[int | None, float, float | None, bool | None]]:
    """Per target: (N, limit, the figure there, met?); the figure is None (and met? None) where not measured."""
    out = []
    for n, limit in figure.targets.items():
        checked = [r[figure.key] for r in results if (n is None or r["n"] == n) and figure.key in r]
        if not checked:
            out.append((n, limit, None, None))
            continue
        worst = max(checked)
        out.append((n, limit, worst, worst < limit if figure.strict else worst <= limit))
    return out


def cell(figure: Figure, result: dict) -> str:
    if figure.key not in result:
        return "—"
    text = f"{result[figure.key]:,.{figure.digits}f}"
    low_high = result.get(f"{figure.key}_range")
    if low_high and len(result["runs"].get(TIMED.get(figure.key, ""), [])) > 1:
        text += f" ({low_high[0]:,.{figure.digits}f}–{low_high[1]:,.{figure.digits}f})"
    return text


def table(results: list[dict], lang: str = "en") -> str:
    sizes = [r["n"] for r in results]
    if lang == "en":
        head = ["figure", *(f"N = {n:,}" for n in sizes), "target", "met?"]
    else:
        head = ["항목", *(f"N = {n:,}" for n in sizes), "목표", "달성?"]
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join(["---", *("---:" for _ in sizes), "---", "---"]) + "|"]
    for figure in FIGURES:
        met = []
        for n, _, value, ok in verdicts(figure, results):
            where = "" if n is None or len(figure.targets) == 1 else f"N = {n:,}: "
            if ok is None:
                met.append(where + ("not measured" if lang == "en" else "측정 안 함"))
            else:
                met.append(where + (("yes" if lang == "en" else "예") if ok else ("**no**" if lang == "en" else "**아니오**")))
        label = figure.en if lang == "en" else figure.ko
        lines.append("| " + " | ".join([label, *(cell(figure, r) for r in results), figure.target_text(lang),
                                          "; ".join(met) or "—"]) + " |")
    return "\n".join(lines) + "\n"


def summary(results: list[dict], lang: str) -> str:
    """Which targets are met and which are missed, in words."""
    met, missed, unmeasured = [], [], []
    for figure in FIGURES:
        label = figure.en if lang == "en" else figure.ko
        for n, limit, value, ok in verdicts(figure, results):
            target = figure.target_text(lang) if len(figure.targets) == 1 else \
                Figure(figure.key, "", "", figure.digits, {n: limit}, figure.strict, figure.unit).target_text(lang)
            if ok is None:
                unmeasured.append(f"{label} {target}")
            else:
                shown = f"{value:,.{figure.digits}f}"
                (met if ok else missed).append(f"{label}: {shown} ({target})")
    if lang == "en":
        lines = [f"- **Met** ({len(met)}): " + ("; ".join(met) or "none") + ".",
                 f"- **Missed** ({len(missed)}): " + ("; ".join(missed) or "none") + "."]
        if unmeasured:
            lines.append(f"- **Not measured in this run**: {'; '.join(unmeasured)}.")
    else:
        lines = [f"- **달성** ({len(met)}개): " + ("; ".join(met) or "없음") + ".",
                 f"- **미달** ({len(missed)}개): " + ("; ".join(missed) or "없음") + "."]
        if unmeasured:
            lines.append(f"- **이번 실행에서 측정하지 않음**: {'; '.join(unmeasured)}.")
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- the machine


def machine(chromium: str | None) -> dict[str, str]:
    def first(path: str, prefix: str) -> str:
        with contextlib.suppress(OSError):
            for line in Path(path).read_text().splitlines():
                if line.startswith(prefix):
                    return line.split(":", 1)[1].strip() if ":" in line else line.split("=", 1)[1].strip('"')
        return "?"

    import yaml

    ram = first("/proc/meminfo", "MemTotal")
    ram_gb = f"{int(ram.split()[0]) / 1024 / 1024:.1f} GiB" if ram != "?" else "?"
    libyaml = yaml._yaml.get_version_string() if getattr(yaml, "__with_libyaml__", False) else "absent"  # type: ignore[attr-defined]
    return {
        "cpu": first("/proc/cpuinfo", "model name") if first("/proc/cpuinfo", "model name") != "?" else platform.processor(),
        "cores": str(os.cpu_count()),
        "usable": f"{usable_cpus():g}",
        "ram": ram_gb,
        "os": f"{first('/etc/os-release', 'PRETTY_NAME=')}, Linux {platform.release()}",
        "python": platform.python_version(),
        "properdocs": importlib.metadata.version("properdocs"),
        "mkdocs": importlib.metadata.version("mkdocs"),
        "material": importlib.metadata.version("mkdocs-material"),
        "pyyaml": f"{importlib.metadata.version('PyYAML')} (libyaml {libyaml})",
        "chromium": chromium or "?",
        "date": datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
        **git_state(),
    }


def git_state() -> dict[str, str]:
    """The commit measured, and whether the generator had uncommitted changes on top of it."""
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True,
                              check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "generator"], cwd=REPO,
                               capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return {"git": "?", "dirty": ""}
    return {"git": head, "dirty": "yes" if dirty else ""}


def load() -> str:
    """The load averages over 1, 5 and 15 minutes: other work on the machine slows every figure."""
    return " ".join(f"{value:.1f}" for value in os.getloadavg())


def busy(info: dict[str, str]) -> bool:
    """Whether other work kept the machine's cores full (a one-minute load average above their number)."""
    return max(float(info["load_start"].split()[0]), float(info["load_end"].split()[0])) > float(info["usable"])


def report_block(results: list[dict], runs: int, info: dict[str, str], lang: str) -> str:
    sizes = " ".join(str(r["n"]) for r in results)
    command = f"`python -m tests.bench.bench --sizes {sizes} --runs {runs}`"
    kb = " / ".join(f"{r['pattern_kb']:.1f}" for r in results)
    real_kb = f"{results[0]['real_pattern_kb']:.1f}"
    if lang == "en":
        lines = [
            f"Measured {info['date']} by {command} (what `make bench` runs). Each time is the median of "
            f"{runs} fresh processes, with the fastest and slowest in brackets; the preview row is {runs} "
            f"edits under one `properdocs serve`. The baseline was built in the same run. Synthetic "
            f"patterns average {kb} KB of YAML (the real ones: {real_kb} KB).",
            "",
            f"- Machine: {info['cpu']}, {info['cores']} cores ({info['usable']} usable), {info['ram']} RAM; {info['os']}",
            f"- Python {info['python']} (bytecode cache on, Python's default), ProperDocs {info['properdocs']}, "
            f"MkDocs {info['mkdocs']}, Material for MkDocs {info['material']}, PyYAML {info['pyyaml']}, "
            f"Chromium {info['chromium']}",
            f"- Generator at commit {info['git']}" + (" with uncommitted changes" if info["dirty"] else "") +
            f"; load average (1, 5, 15 min) {info['load_start']} at the start and {info['load_end']} at the end; "
            f"the bench took {info['duration']}",
            "",
        ]
        if busy(info):
            lines += ["**The machine was busy** (load average above its number of usable cores): other work "
                      "stretched every wall time, and the targets on times may be missed for that alone. The CPU "
                      "time rows, and the ratio by CPU time, are what this run can vouch for.", ""]
    else:
        lines = [
            f"{info['date']}에 {command}(`make bench`가 실행하는 명령)로 측정했습니다. 시간은 새 프로세스 "
            f"{runs}번의 중앙값이고, 괄호 안은 가장 빠른 값과 가장 느린 값입니다. 미리보기 행은 "
            f"`properdocs serve` 하나에서 {runs}번 수정한 값입니다. 기준선도 같은 실행에서 빌드했습니다. 합성 패턴은 "
            f"평균 {kb} KB의 YAML입니다(실제 패턴은 {real_kb} KB).",
            "",
            f"- 컴퓨터: {info['cpu']}, 코어 {info['cores']}개(사용 가능 {info['usable']}개), 메모리 {info['ram']}; {info['os']}",
            f"- Python {info['python']}(바이트코드 캐시 켬, Python 기본값), ProperDocs {info['properdocs']}, "
            f"MkDocs {info['mkdocs']}, Material for MkDocs {info['material']}, PyYAML {info['pyyaml']}, "
            f"Chromium {info['chromium']}",
            f"- 생성기: 커밋 {info['git']}" + (" (커밋하지 않은 변경 포함)" if info["dirty"] else "") +
            f"; 부하 평균(1, 5, 15분) 시작 {info['load_start']}, 끝 {info['load_end']}; 벤치마크 소요 시간 {info['duration']}",
            "",
        ]
        if busy(info):
            lines += ["**컴퓨터가 바빴습니다**(부하 평균이 쓸 수 있는 코어 수보다 높음). 다른 작업 때문에 모든 경과 "
                      "시간이 늘어났고, 시간 목표는 그 때문만으로도 미달일 수 있습니다. 이번 실행에서 믿을 만한 것은 "
                      "CPU 시간 행과 CPU 시간 기준 비율입니다.", ""]
    return "\n".join(lines) + "\n" + table(results, lang) + "\n" + summary(results, lang)


INTRO = {
    "ko": """# 성능 {#performance}

패턴 수가 늘어도 사이트가 빠르게 빌드되고 가볍게 열리는지 확인하는 벤치마크 결과입니다. `make bench`는
실제 패턴 파일을 여러 벌 복사해 새 id를 붙인 패턴 10개, 100개, 1,000개짜리 목록을 만들고, 같은 내용을 평범한
Markdown으로 옮긴 기준선과 함께 검증·빌드·미리보기·메모리·크기·검색 속도를 잽니다. 아래 표는 그 출력을 그대로
옮긴 것입니다.

## 측정 결과 {#results}

""",
    "en": """# Performance {#performance}

How fast the site builds and how light it is to open as the catalogue grows. `make bench` makes
catalogues of 10, 100 and 1,000 patterns from copies of the real pattern files with fresh ids, and
measures validation, builds, preview, memory, sizes and search for each, beside a baseline of the same
content as plain Markdown. The table below is copied from its output.

## Results {#results}

""",
}


def write_docs(results: list[dict], runs: int, info: dict[str, str], docs: Path) -> list[Path]:
    written = []
    for lang, page in (("ko", docs / "performance.md"), ("en", docs / "en" / "performance.md")):
        block = f"{START}\n{report_block(results, runs, info, lang)}{END}\n"
        text = page.read_text(encoding="utf-8") if page.exists() else ""
        if START in text and END in text:
            before, rest = text.split(START, 1)
            after = rest.split(END, 1)[1].lstrip("\n")
            text = before + block + ("\n" + after if after else "")
        else:
            text = INTRO[lang] + block
        page.write_text(text, encoding="utf-8")
        written.append(page)
    return written


# --------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> str:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.bench", description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 100, 1000], help="catalogue sizes")
    parser.add_argument("--runs", type=int, default=3, help="fresh processes per figure; the median is reported")
    parser.add_argument("--write-docs", action="store_true", help="write docs/performance.md and docs/en/…")
    parser.add_argument("--workdir", type=Path, help="keep the projects, sites and bench.json here")
    parser.add_argument("--docs", type=Path, default=REPO / "docs", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    started, load_start = time.perf_counter(), load()
    log(f"bench: load average {load_start} (1, 5, 15 min) at the start")
    with contextlib.ExitStack() as stack:
        if args.workdir:
            workdir = args.workdir.resolve()
            workdir.mkdir(parents=True, exist_ok=True)
            for old in workdir.glob("n*"):
                shutil.rmtree(old)
        else:
            workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="patterns-bench-")))
        results = [measure(n, args.runs, workdir, log) for n in sorted(set(args.sizes))]
        add_growth(results)
        info = machine(results[0].get("chromium"))
        info["load_start"], info["load_end"] = load_start, load()
        info["duration"] = f"{time.perf_counter() - started:.0f} s"
        (workdir / "bench.json").write_text(json.dumps({"machine": info, "results": results}, indent=1))
        out = table(results) + "\n" + summary(results, "en")
        print(out)
        log(f"bench: {time.perf_counter() - started:.0f} s in all; load average {info['load_end']} at the end")
        if args.write_docs:
            for page in write_docs(results, args.runs, info, args.docs):
                log(f"bench: wrote {page}")
    return out


if __name__ == "__main__":
    main()
