"""Search at scale as a reader meets it: bytes fetched and time to the first result, then later keystrokes.

    python -m tests.bench.search_bench [--size 1000] [--workdir DIR] [--site DIR]

`search_figures(site)` measures a built site and returns the figures; the benchmark calls it on the
site it has built at each N. Run on its own, this module builds a site of --size patterns first
(tests/bench/synthetic.py: the real patterns copied with fresh ids, real-sized text and real
vocabulary, which is what a catalogue of that size would look like to search); --site measures an
existing build instead.

For each language and query, in a fresh Chromium context (an empty cache, as on a first visit)
served from a local server: the page is opened, the search box focused and the query typed one
character at a time. Measured in the page (Resource Timing and a MutationObserver):

- first result: from the first key to the first results being drawn (the box is focused just
  before, which is when the index's meta.json is first asked for; the time from focusing is kept
  too), and the bytes of search files fetched by then;
- the whole query: bytes and files fetched while typing it;
- later keystrokes: from each key to its results being drawn.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from generator.core.model import LANGS
from .static_server import serve

if TYPE_CHECKING:
    from playwright.sync_api import Browser

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
# Typed one character at a time: a word, words with particles and endings, a compound, synonyms, a sentence.
QUERIES = {"ko": ["고객", "신뢰 약속", "일정이 늦어지면", "회의 요청", "화난 고객", "고객응대"],
           "en": ["customer", "trust promise", "late reply", "meeting request", "angry customer", "apologizing"]}

SETUP_JS = """() => {
  const list = document.getElementById('patterns-search-results');
  const input = document.getElementById('patterns-search-input');
  const b = window.__bench = {t0: null, focus: null, samples: []};
  const mark = e => { if (b.t0 === null) b.t0 = e.timeStamp; };
  for (const type of ['keydown', 'beforeinput', 'input']) document.addEventListener(type, mark, true);
  input.addEventListener('focus', e => { b.focus = e.timeStamp; }, true);
  const searchBytes = until => performance.getEntriesByType('resource')
    .filter(e => e.name.includes('/search/') && e.responseEnd <= until)
    .reduce((n, e) => n + e.encodedBodySize, 0);
  new MutationObserver(() => {
    if (b.t0 === null || list.hidden) return;
    const t0 = b.t0; b.t0 = null;
    // The next frame: the results are laid out and painted.
    requestAnimationFrame(() => setTimeout(() => {
      const now = performance.now();
      b.samples.push({ms: now - t0, sinceFocus: now - b.focus, bytes: searchBytes(now),
                      shown: list.querySelectorAll('li a').length});
    }, 0));
  }).observe(list, {childList: true, attributes: true, attributeFilter: ['hidden']});
}"""


def search_figures(site: Path, log: Callable[[str], None] = print, queries: dict[str, list[str]] | None = None,
                   browser: Browser | None = None) -> dict:
    """Search latency and bytes on a built site, per language; see the module's docstring.

    Launches Chromium unless given a `browser` (Playwright's sync API runs once per thread).
    """
    if browser is None:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                return search_figures(site, log, queries, launched)
            finally:
                launched.close()
    queries = queries or QUERIES
    out: dict = {"load_before": os.getloadavg(), "chromium": browser.version}
    with serve(site) as base:
        for lang in LANGS:
            runs = []
            for query in queries[lang]:
                context = browser.new_context()
                page = context.new_page()
                page.goto(base + ("en/" if lang == "en" else ""), wait_until="networkidle")
                page.evaluate(SETUP_JS)
                page.focus("#patterns-search-input")
                for count, char in enumerate(query, 1):
                    page.keyboard.type(char)
                    page.wait_for_function(f"window.__bench.samples.length >= {count}", timeout=60_000)
                samples = page.evaluate("window.__bench.samples")
                files = page.evaluate("performance.getEntriesByType('resource')"
                                      ".filter(e => e.name.includes('/search/')).length")
                context.close()
                runs.append({"query": query, "first_ms": samples[0]["ms"],
                             "first_since_focus_ms": samples[0]["sinceFocus"], "first_bytes": samples[0]["bytes"],
                             "first_shown": samples[0]["shown"], "query_bytes": samples[-1]["bytes"],
                             "query_files": files, "later_ms": [s["ms"] for s in samples[1:]]})
            later = [ms for run in runs for ms in run["later_ms"]]
            figures = {
                "first_ms": statistics.median(r["first_ms"] for r in runs),
                "first_ms_max": max(r["first_ms"] for r in runs),
                "first_since_focus_ms": statistics.median(r["first_since_focus_ms"] for r in runs),
                "first_kb": statistics.median(r["first_bytes"] for r in runs) / 1000,
                "first_kb_max": max(r["first_bytes"] for r in runs) / 1000,
                "query_kb_max": max(r["query_bytes"] for r in runs) / 1000,
                "query_files_max": max(r["query_files"] for r in runs),
                "later_ms": statistics.median(later) if later else 0.0,
                "later_ms_max": max(later, default=0.0),
                "index_kb": index_size(site, lang) / 1000,
                "runs": runs,
            }
            out[lang] = figures
            log(f"  {lang}: first result {figures['first_ms']:.0f} ms after the first key (max "
                f"{figures['first_ms_max']:.0f}; {figures['first_since_focus_ms']:.0f} after focusing), "
                f"{figures['first_kb']:.0f} KB (max {figures['first_kb_max']:.0f}); a whole query at most "
                f"{figures['query_kb_max']:.0f} KB in {figures['query_files_max']} files; later keystrokes "
                f"{figures['later_ms']:.1f} ms (max {figures['later_ms_max']:.1f}); index {figures['index_kb']:.0f} KB")
    out["load_after"] = os.getloadavg()
    return out


def index_size(site: Path, lang: str) -> int:
    """Bytes of one language's whole index: search/<lang>/ (or, before it was cut, search/<lang>.json)."""
    index = site / "search"
    return sum(p.stat().st_size for p in index.rglob("*.json") if p.relative_to(index).parts[0] in (lang, f"{lang}.json"))


def build(directory: Path, count: int) -> Path:
    """The repository's site with a catalogue of `count` real-sized patterns (see `synthetic`), built."""
    from .synthetic import write_catalogue

    directory.mkdir(parents=True)
    shutil.copy(REPO / "mkdocs.yml", directory / "mkdocs.yml")
    shutil.copytree(REPO / "docs", directory / "docs")
    write_catalogue(directory / "patterns", count)
    # Not --strict: the hand-written pages link to the real patterns, which a synthetic catalogue lacks.
    subprocess.run([str(Path(sys.executable).parent / "properdocs"), "build", "-f", "mkdocs.yml", "--quiet"],
                   cwd=directory, check=True,
                   env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    return directory / "site"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=1000)
    parser.add_argument("--workdir", type=Path)
    parser.add_argument("--site", type=Path, help="measure this built site instead of building one")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as scratch:
        site = args.site or build((args.workdir or Path(scratch)) / f"n{args.size}", args.size)
        what = f"N = {args.size}" if not args.site else str(args.site)
        print(f"search at {what}; load average {os.getloadavg()}")
        figures = search_figures(site)
    print(f"load average after: {figures['load_after']}")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
