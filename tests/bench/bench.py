"""The generator's benchmark: synthetic catalogues of N patterns, every figure the issue asks for.

    python -m tests.bench.bench [--sizes 10 100 1000] [--runs 3] [--write-docs] [--workdir DIR]

For each N it makes a throw-away project (the repository's mkdocs.yml and docs/, with patterns/
replaced by a synthetic catalogue, committed to a fresh git repository so the pages carry their
last-changed dates as they do in the real one) and measures, as medians of --runs fresh processes:

- `patterns validate`;
- `mkdocs build` with the plugin (not --strict: the hand-written pages link to the real patterns,
  which a synthetic catalogue does not have, and both builds log the same warnings about them);
- the baseline: the same site built from plain files with no plugin (see `plain_project`);
- `mkdocs serve`: time from writing one pattern file to the changed page being served;
- sizes: each language's search index, the largest pattern page, and what a first visit to
  one pattern page transfers in Chromium (HTML, CSS, JS, images, fonts);
- search in headless Chromium: keystroke to results on screen, and, apart, the first search,
  which also downloads and prepares the index.

It prints one Markdown table; with --write-docs it also writes it, with the machine and the
versions, into docs/performance.md (Korean) and docs/en/performance.md (English). Only the part
between the `bench:start` and `bench:end` markers is replaced, so notes written below it stay.
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
import resource
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
from dataclasses import dataclass
from pathlib import Path

import markupsafe
import yaml

from generator.core.model import LANGS
from generator.adapter.error_pages import OTHER_LANGUAGE_ERROR_PAGES
from generator.adapter.plugin import THEME
from generator.core.search_index import search_meta_path
from .static_server import serve
from .synthetic import write_catalogue

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
# Timed processes run as on an editor's machine, with Python's bytecode cache on (its default), even
# where the environment turns it off (PYTHONDONTWRITEBYTECODE, as on the machine these figures came from).
ENV = {**{key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"},
       "NO_MKDOCS_2_WARNING": "1"}
START, END = "<!-- bench:start -->", "<!-- bench:end -->"

# Typed one character at a time, so every prefix is a measured keystroke.
QUERIES = {"ko": ["고객", "신뢰 약속", "일정이 늦어지면", "회의 요청", "위험"],
           "en": ["customer", "trust promise", "late reply", "meeting request", "risk"]}


# --------------------------------------------------------------------------- the figures


@dataclass(frozen=True)
class Figure:
    key: str
    en: str
    ko: str
    digits: int = 2
    target: float | None = None  # the figure must stay at or below this …
    at: int | None = None  # … at this N (None: at every N measured)
    strict: bool = False  # "under" rather than "no more than"
    unit: str = ""

    def target_text(self, lang: str) -> str:
        if self.target is None:
            return "—"
        sign = "<" if self.strict else "≤"
        value = f"{self.target:.2f}" if self.target % 1 else f"{self.target:g}"
        where = (f" at N = {self.at:,}" if lang == "en" else f" (N = {self.at:,})") if self.at else ""
        return f"{sign} {value}{self.unit}{where}"


FIGURES = [
    Figure("validate_s", "`patterns validate` (s)", "`patterns validate` (초)", 2, 1, 1000, True, " s"),
    Figure("build_s", "`mkdocs build` with the plugin (s)", "플러그인으로 `mkdocs build` (초)", 2, 15, 1000, True, " s"),
    Figure("plain_s", "baseline: same pages as plain Markdown, no plugin (s)",
           "기준선: 같은 페이지를 평범한 Markdown으로, 플러그인 없이 (초)", 2),
    Figure("overhead", "generator overhead (plugin build ÷ baseline)", "생성기 부담 (플러그인 빌드 ÷ 기준선)", 2, 1.10, 1000),
    Figure("growth", "build growth (this build ÷ build at N/10)", "빌드 증가 (이 빌드 ÷ N/10의 빌드)", 1, 12, 1000),
    Figure("rebuild_s", "`mkdocs serve`: one pattern edited → page served (s)",
           "`mkdocs serve`: 패턴 하나 수정 → 새 페이지 제공 (초)", 2, 2, 100, True, " s"),
    Figure("index_ko_kb", "search index, Korean (KB)", "검색 색인, 한국어 (KB)", 0),
    Figure("index_en_kb", "search index, English (KB)", "검색 색인, 영어 (KB)", 0),
    Figure("page_html_kb", "largest pattern page, HTML (KB)", "가장 큰 패턴 페이지 HTML (KB)", 1, 60, 1000, True, " KB"),
    Figure("other_html_kb", "largest other page (catalogue, map, cards…), HTML (KB)",
           "패턴 페이지 밖에서 가장 큰 페이지 (목록, 지도, 카드…) HTML (KB)", 0),
    Figure("transfer_kb", "one pattern page, first load, transferred (KB)",
           "패턴 페이지 하나 첫 방문 전송량 (KB)", 0, 400, None, True, " KB"),
    Figure("transfer_gz_kb", "the same, if the host gzips (KB)", "같은 것, 호스트가 gzip으로 압축할 때 (KB)", 0),
    Figure("search_ms", "search: keystroke → results drawn, median (ms)", "검색: 키 입력 → 결과 표시, 중앙값 (ms)",
           1, 100, 1000, True, " ms"),
    Figure("search_max_ms", "search: slowest keystroke (ms)", "검색: 가장 느린 키 입력 (ms)", 1, 100, 1000, True, " ms"),
    Figure("search_first_ms", "first search, index download included (ms)", "첫 검색, 색인 내려받기 포함 (ms)", 0),
]


def median(values: list[float]) -> float:
    return statistics.median(values)


# --------------------------------------------------------------------------- projects


def make_project(directory: Path, count: int, seed: int = 1) -> Path:
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


def plain_project(project: Path, directory: Path) -> Path:
    """The baseline: the very site the plugin builds, but from files, with MkDocs and Material alone.

    What is fair to compare against? The plugin does three things: it reads, validates and
    models the YAML and renders pages, search indexes and data files from it (the generator's
    own work); it adds theme overrides (a header with the search box, a per-language nav, a
    stylesheet and scripts); and it hands those files to MkDocs. The overrides are templates
    MkDocs renders for every page, hand-written or generated, so they cost the same with or
    without the generator: the baseline keeps them (`theme.custom_dir`). The files the plugin
    generates (`Renderer.pages()`, the search indexes, the data files, with the same
    last-changed dates) are taken from the plugin's own `on_files` and written into docs/ as
    ordinary files; a page whose HTML the generator wrote becomes a Markdown file of its front
    matter (its escaped title and description) and that HTML (Markdown passes HTML through). Both builds therefore produce the same
    site (checked file by file), and the difference between them is what running the generator
    inside MkDocs costs.
    """
    from mkdocs.config import load_config
    from mkdocs.structure.files import get_files

    directory.mkdir(parents=True)
    shutil.copytree(project / "docs", directory / "docs")
    config = load_config(str(project / "mkdocs.yml"))
    config = config.plugins.on_config(config)
    files = config.plugins.on_files(get_files(config), config=config)
    generated = [f for f in files if f.generated_by]
    if not generated:
        raise SystemExit("bench: the plugin generated no files")
    written = config.plugins["patterns"].written  # type: ignore[attr-defined]
    for file in generated:
        target = directory / "docs" / file.src_uri
        target.parent.mkdir(parents=True, exist_ok=True)
        page = written.get(file.src_uri)
        if page is None:
            target.write_bytes(file.content_bytes)
        else:  # the front matter as the plugin hands it over: escaped, since Material prints it raw
            meta = "".join(f"{key}: {json.dumps(str(markupsafe.escape(value)), ensure_ascii=False)}\n"
                           for key, value in page.meta)
            target.write_text(f"---\n{meta}---\n{page.html}", encoding="utf-8")

    text = (project / "mkdocs.yml").read_text(encoding="utf-8")
    # No `plugins:` at all would mean MkDocs' default search plugin; an empty list means none.
    text, plugins = re.subn(r"(?m)^plugins:\n(?:[ \t]+- .*\n|[ \t]*#.*\n)+", "plugins: []\n", text)
    text, theme = re.subn(r"(?m)^theme:\n", f"theme:\n  custom_dir: {json.dumps(str(THEME))}\n", text)
    if plugins != 1 or theme != 1:
        raise SystemExit("bench: cannot find `plugins:` and `theme:` in mkdocs.yml to write the baseline's config")
    (directory / "mkdocs.yml").write_text(text, encoding="utf-8")

    baseline = load_config(str(directory / "mkdocs.yml"))
    if sorted(baseline.markdown_extensions) != sorted(config.markdown_extensions) or \
            list(baseline.theme.dirs) != list(config.theme.dirs):
        raise SystemExit("bench: the baseline's config differs from the plugin's beyond the plugin itself")
    return directory


def site_files(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}


# --------------------------------------------------------------------------- processes


CPU: dict[str, list[float]] = {}  # CPU seconds (user + system) of each timed process, by command


def timed(command: list[str], cwd: Path) -> float:
    """Wall time of one fresh process, in seconds; the command must succeed."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, env=ENV, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        raise SystemExit(f"bench: {' '.join(command)} failed in {cwd}:\n{result.stdout}\n{result.stderr}")
    CPU.setdefault(f"{cwd.name} {command[1]}", []).append(
        after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    return elapsed


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str, timeout: float = 120) -> str:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return response.read().decode("utf-8")


def serve_rebuilds(project: Path, edits: int, log: Callable[[str], None]) -> list[float]:
    """Seconds from writing one pattern file to `mkdocs serve` serving the changed page, per edit."""
    port = free_port()
    tmp = project / "tmp"
    tmp.mkdir(exist_ok=True)
    process = subprocess.Popen([str(BIN / "mkdocs"), "serve", "-a", f"127.0.0.1:{port}"], cwd=project,
                               env={**ENV, "TMPDIR": str(tmp)}, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               text=True)
    stderr: list[str] = []
    reader = threading.Thread(target=lambda: stderr.extend(process.stderr), daemon=True)  # type: ignore[arg-type]
    reader.start()
    base = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 600
        while True:
            if process.poll() is not None:
                reader.join(5)
                raise SystemExit("bench: mkdocs serve exited:\n" + "".join(stderr))
            with contextlib.suppress(OSError):
                fetch(base, timeout=5)
                break
            if time.monotonic() > deadline:
                raise SystemExit("bench: mkdocs serve did not start:\n" + "".join(stderr))
            time.sleep(0.1)
        files = sorted((project / "patterns").glob("*.yaml"))
        path = files[len(files) // 2]
        pid = path.stem
        url = f"{base}patterns/{pid}/"
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        original = data["problem"]["ko"]
        times = []
        for i in range(edits):
            time.sleep(1.0)  # let the watcher settle after the previous build
            marker = f"benchedit{i}x{int(time.time() * 1000)}"
            data["problem"]["ko"] = f"{original} {marker}"
            text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)
            start = time.perf_counter()
            path.write_text(text, encoding="utf-8")
            while marker not in fetch(url):
                if time.perf_counter() - start > 600:
                    raise SystemExit("bench: the edited page never appeared:\n" + "".join(stderr))
                time.sleep(0.02)
            times.append(time.perf_counter() - start)
            log(f"    serve edit {i + 1}: {times[-1]:.2f} s")
        return times
    finally:
        process.send_signal(signal.SIGINT)  # KeyboardInterrupt: mkdocs removes its temporary site
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# --------------------------------------------------------------------------- browser


SETUP_JS = """() => {
  const list = document.getElementById('patterns-search-results');
  const b = window.__bench = {t0: null, samples: []};
  const mark = e => { if (b.t0 === null) b.t0 = e.timeStamp; };
  for (const type of ['keydown', 'beforeinput', 'input']) document.addEventListener(type, mark, true);
  new MutationObserver(() => {
    if (b.t0 === null || list.hidden) return;
    const t0 = b.t0; b.t0 = null;
    const dom = performance.now() - t0;
    // The next frame: the results are laid out and painted.
    requestAnimationFrame(() => setTimeout(() => b.samples.push({dom, drawn: performance.now() - t0}), 0));
  }).observe(list, {childList: true, attributes: true, attributeFilter: ['hidden']});
}"""

FIRST_JS = """(q) => {
  const input = document.getElementById('patterns-search-input');
  window.__bench.t0 = performance.now();
  input.focus();
  input.value = q;
  input.dispatchEvent(new Event('input', {bubbles: true}));
}"""


def browser_figures(site: Path, page_path: str, log: Callable[[str], None]) -> dict:
    """First-load transfer of one pattern page, and search latency in both languages, in Chromium."""
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

            samples, firsts = [], []
            for lang in LANGS:
                context = browser.new_context()
                page = context.new_page()
                page.goto(base + ("en/" if lang == "en" else "") + page_path, wait_until="networkidle")
                page.evaluate(SETUP_JS)
                page.evaluate(FIRST_JS, QUERIES[lang][0])
                page.wait_for_function("window.__bench.samples.length >= 1", timeout=60_000)
                firsts.append(page.evaluate("window.__bench.samples[0].drawn"))
                count = 1
                for query in QUERIES[lang]:
                    page.fill("#patterns-search-input", "")
                    for char in query:
                        page.evaluate("window.__bench.t0 = null")
                        page.keyboard.type(char)
                        count += 1
                        page.wait_for_function(f"window.__bench.samples.length >= {count}", timeout=30_000)
                samples += page.evaluate("window.__bench.samples.slice(1)")
                context.close()
            out["search_samples"] = samples
            out["search_ms"] = median([s["drawn"] for s in samples])
            out["search_dom_ms"] = median([s["dom"] for s in samples])
            out["search_max_ms"] = max(s["drawn"] for s in samples)
            out["search_first_ms"] = max(firsts)
            log(f"    search: {len(samples)} keystrokes, median {out['search_ms']:.1f} ms "
                f"(DOM updated {out['search_dom_ms']:.1f} ms), slowest {out['search_max_ms']:.1f} ms, "
                f"first {out['search_first_ms']:.0f} ms")
        finally:
            browser.close()
    return out


# --------------------------------------------------------------------------- one size


def measure(count: int, runs: int, workdir: Path, log: Callable[[str], None]) -> dict:
    log(f"N = {count}")
    root = workdir / f"n{count}"
    project = make_project(root / "project", count)
    plain = plain_project(project, root / "plain")
    validate, build, baseline = [], [], []
    CPU.clear()
    for run in range(runs):  # interleaved, so drift in the machine's speed hits both builds alike
        validate.append(timed([str(BIN / "patterns"), "validate"], project))
        build.append(timed([str(BIN / "mkdocs"), "build", "--quiet"], project))
        baseline.append(timed([str(BIN / "mkdocs"), "build", "--quiet"], plain))
        log(f"  run {run + 1}: validate {validate[-1]:.2f} s, build {build[-1]:.2f} s, baseline {baseline[-1]:.2f} s")
    site, plain_site = project / "site", plain / "site"
    # The plugin also renders the theme's 404 page for English addresses, which MkDocs alone does not.
    differ = (site_files(site) - set(OTHER_LANGUAGE_ERROR_PAGES)) ^ site_files(plain_site)
    if differ:
        raise SystemExit(f"bench: the baseline is not the same site; files in one only: {sorted(differ)[:10]}")

    result: dict = {"n": count, "runs": {"validate": validate, "build": build, "baseline": baseline},
                    "cpu_s": {name: median(values) for name, values in CPU.items()}}
    result["validate_s"] = median(validate)
    result["build_s"] = median(build)
    result["plain_s"] = median(baseline)
    result["overhead"] = result["build_s"] / result["plain_s"]
    for lang in LANGS:
        index = (site / search_meta_path(lang)).parent  # every file of the index, though a query reads few
        result[f"index_{lang}_kb"] = sum(p.stat().st_size for p in index.rglob("*.json")) / 1000
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

    rebuilds = serve_rebuilds(project, runs, log)
    result["runs"]["rebuild"] = rebuilds
    result["rebuild_s"] = median(rebuilds)
    return result


# --------------------------------------------------------------------------- the table


def add_growth(results: list[dict]) -> None:
    by_n = {r["n"]: r for r in results}
    for r in results:
        if r["n"] % 10 == 0 and r["n"] // 10 in by_n:
            r["growth"] = r["build_s"] / by_n[r["n"] // 10]["build_s"]


def verdict(figure: Figure, results: list[dict], lang: str) -> str:
    if figure.target is None:
        return "—"
    checked = [r for r in results if figure.at is None or r["n"] == figure.at]
    checked = [r for r in checked if figure.key in r]
    if not checked:
        return f"not measured (N = {figure.at:,} not run)" if lang == "en" else f"측정 안 함 (N = {figure.at:,} 미실행)"
    worst = max(r[figure.key] for r in checked)
    met = worst < figure.target if figure.strict else worst <= figure.target
    if met:
        return "yes" if lang == "en" else "예"
    over = (worst / figure.target - 1) * 100
    return f"**no**: {over:+.0f} %" if lang == "en" else f"**아니오**: {over:+.0f} %"


def table(results: list[dict], lang: str = "en") -> str:
    sizes = [r["n"] for r in results]
    if lang == "en":
        head = ["figure", *(f"N = {n:,}" for n in sizes), "target", "met?"]
    else:
        head = ["항목", *(f"N = {n:,}" for n in sizes), "목표", "달성?"]
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join(["---", *("---:" for _ in sizes), "---", "---"]) + "|"]
    for figure in FIGURES:
        cells = [f"{r[figure.key]:,.{figure.digits}f}" if figure.key in r else "—" for r in results]
        label = figure.en if lang == "en" else figure.ko
        lines.append("| " + " | ".join([label, *cells, figure.target_text(lang), verdict(figure, results, lang)]) + " |")
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- the machine


def machine(chromium: str | None) -> dict[str, str]:
    def first(path: str, prefix: str) -> str:
        with contextlib.suppress(OSError):
            for line in Path(path).read_text().splitlines():
                if line.startswith(prefix):
                    return line.split(":", 1)[1].strip() if ":" in line else line.split("=", 1)[1].strip('"')
        return "?"

    ram = first("/proc/meminfo", "MemTotal")
    ram_gb = f"{int(ram.split()[0]) / 1024 / 1024:.1f} GiB" if ram != "?" else "?"
    return {
        "cpu": first("/proc/cpuinfo", "model name") if first("/proc/cpuinfo", "model name") != "?" else platform.processor(),
        "cores": str(os.cpu_count()),
        "ram": ram_gb,
        "os": f"{first('/etc/os-release', 'PRETTY_NAME=')}, Linux {platform.release()}",
        "python": platform.python_version(),
        "mkdocs": importlib.metadata.version("mkdocs"),
        "material": importlib.metadata.version("mkdocs-material"),
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


def load() -> float:
    """The one-minute load average: other work on the machine slows every figure."""
    return os.getloadavg()[0]


def report_block(results: list[dict], runs: int, info: dict[str, str], lang: str) -> str:
    sizes = " ".join(str(r["n"]) for r in results)
    command = f"`python -m tests.bench.bench --sizes {sizes} --runs {runs}`"
    if lang == "en":
        lines = [
            f"Measured {info['date']} by {command} (what `make bench` runs); each time is the "
            f"median of {runs} fresh processes, and the baseline was built in the same run.",
            "",
            f"- Machine: {info['cpu']}, {info['cores']} cores, {info['ram']} RAM; {info['os']}",
            f"- Python {info['python']} (bytecode cache on, Python's default), MkDocs {info['mkdocs']}, "
            f"Material for MkDocs {info['material']}, Chromium {info['chromium']}",
            f"- Generator at commit {info['git']}" + (" with uncommitted changes" if info["dirty"] else "") +
            f"; load average {info['load']} (start / end); the bench took "
            f"{info['duration']}",
            "",
        ]
    else:
        lines = [
            f"{info['date']}에 {command}(`make bench`가 실행하는 명령)로 측정했습니다. 시간은 모두 "
            f"새 프로세스 {runs}번의 중앙값이고, 기준선도 같은 실행에서 빌드했습니다.",
            "",
            f"- 컴퓨터: {info['cpu']}, 코어 {info['cores']}개, 메모리 {info['ram']}; {info['os']}",
            f"- Python {info['python']}(바이트코드 캐시 켬, Python 기본값), MkDocs {info['mkdocs']}, "
            f"Material for MkDocs {info['material']}, Chromium {info['chromium']}",
            f"- 생성기: 커밋 {info['git']}" + (" (커밋하지 않은 변경 포함)" if info["dirty"] else "") +
            f"; 부하 평균 {info['load']} (시작 / 끝); 벤치마크 소요 시간 {info['duration']}",
            "",
        ]
    return "\n".join(lines) + "\n" + table(results, lang)


INTRO = {
    "ko": """# 성능 {#performance}

패턴 수가 늘어도 사이트가 빠르게 빌드되고 가볍게 열리는지 확인하는 벤치마크 결과입니다. `make bench`는
무작위로 만든 패턴 10개, 100개, 1,000개짜리 목록(언어마다 패턴 하나에 약 3 KB의 글)을 두 언어로 만들고,
각각에 대해 검증·빌드·미리보기·크기·검색 속도를 잽니다. 아래 표는 그 출력을 그대로 옮긴 것입니다.

## 측정 결과 {#results}

""",
    "en": """# Performance {#performance}

How fast the site builds and how light it is to open as the catalogue grows. `make bench` writes
synthetic catalogues of 10, 100 and 1,000 patterns in both languages (about 3 KB of text per pattern
and language) and measures validation, builds, preview, sizes and search for each. The table below is
copied from its output.

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


def ensure_nav(config: Path) -> bool:
    """Add the two Performance pages at the end of each language's nav section, once."""
    text = config.read_text(encoding="utf-8")
    if "performance.md" in text:
        return False
    lines = text.splitlines(keepends=True)
    sections = {"한국어": "성능: performance.md", "English": "Performance: en/performance.md"}
    for name, entry in sections.items():
        start = next((i for i, line in enumerate(lines) if line.strip() == f"- {name}:"), None)
        if start is None:
            print(f"bench: no `- {name}:` section in {config}; add the Performance page to the nav yourself")
            return False
        last = start
        for i in range(start + 1, len(lines)):
            if lines[i].strip() and len(lines[i]) - len(lines[i].lstrip()) <= len(lines[start]) - len(lines[start].lstrip()):
                break
            if lines[i].strip():
                last = i
        indent = lines[last][: len(lines[last]) - len(lines[last].lstrip())]
        lines.insert(last + 1, f"{indent}- {entry}\n")
    config.write_text("".join(lines), encoding="utf-8")
    return True


# --------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> str:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.bench", description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 100, 1000], help="catalogue sizes")
    parser.add_argument("--runs", type=int, default=3, help="runs per figure; the median is reported")
    parser.add_argument("--write-docs", action="store_true", help="write docs/performance.md and docs/en/…")
    parser.add_argument("--workdir", type=Path, help="keep the projects, sites and bench.json here")
    parser.add_argument("--docs", type=Path, default=REPO / "docs", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    started, load_before = time.perf_counter(), load()
    if load_before > 1.0:
        log(f"bench: load average {load_before:.1f} before starting; other work will slow the figures down")
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
        info["load"] = f"{load_before:.1f} / {load():.1f}"
        info["duration"] = f"{time.perf_counter() - started:.0f} s"
        (workdir / "bench.json").write_text(json.dumps({"machine": info, "results": results}, indent=1))
        out = table(results)
        print(out)
        log(f"bench: {time.perf_counter() - started:.0f} s in all")
        if args.write_docs:
            for page in write_docs(results, args.runs, info, args.docs):
                log(f"bench: wrote {page}")
            if ensure_nav(args.docs.parent / "mkdocs.yml"):
                log("bench: added the Performance pages to the nav in mkdocs.yml")
    return out


if __name__ == "__main__":
    main()
