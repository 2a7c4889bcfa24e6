"""The benchmark's baseline: the same catalogue as plain Markdown pages, built by the engine and Material alone.

This is what a team would have without the generator: one Markdown page per pattern and
language (title, patlet, the sections with the same anchors, forces, known uses, situations,
questions, links to the related patterns, with every `[[id]]` mention turned into a Markdown
link), a catalogue page per language listing every pattern, and the hand-written pages; built by
the same engine with Material's own search plugin on and no plugin of ours, no theme overrides.
Navigation entries for pages only the generator makes (the map, cards, tags…) are left out.

The pages are written from the pattern files, walked generically: a `{ko, en}` text becomes a
section, a list of texts a list, a list of records with a title and a summary (known uses) a
subsection each, and other fields (ids, order, status, citations) are skipped. New fields of
the pattern format therefore show up here without a change.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import yaml

from generator.core.i18n import LABELS

Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
LANGS = ("ko", "en")
MENTION = re.compile(r"\[\[([^\[\]|#\n]+)(?:#([^\[\]|\n]+))?(?:\|([^\[\]\n]+))?\]\]")
SKIPPED = {"id", "order", "status", "origin", "former_ids", "translations_checked", "sources", "builds_on",
           "see_also", "tags", "aliases", "title", "summary"}
NAV_ENTRY = re.compile(r"^\s*- (?:[^:\n]+: )?(\S+\.md)\s*$")


def is_text(value: Any) -> bool:
    return isinstance(value, dict) and isinstance(value.get("ko"), str) and set(value) <= {"ko", "en"}


def write_plain_project(project: Path, directory: Path) -> Path:
    """Write the baseline of `project` (mkdocs.yml, docs/, patterns/) into `directory`; return it."""
    docs = directory / "docs"
    shutil.copytree(project / "docs", docs)
    patterns = []
    for path in sorted((project / "patterns").glob("*.yaml")):
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=Loader)
        if isinstance(data, dict) and data.get("id") == path.stem:
            patterns.append(data)
    titles = {p["id"]: p["title"] for p in patterns}
    for lang in LANGS:
        prefix = "" if lang == "ko" else "en/"
        folder = docs / prefix / "patterns"
        folder.mkdir(parents=True, exist_ok=True)
        for pattern in patterns:
            (folder / f"{pattern['id']}.md").write_text(pattern_page(pattern, titles, lang), encoding="utf-8")
        (folder / "index.md").write_text(catalogue_page(patterns, titles, lang), encoding="utf-8")
    (directory / "mkdocs.yml").write_text(plain_config((project / "mkdocs.yml").read_text(encoding="utf-8"), docs),
                                         encoding="utf-8")
    return directory


def plain_config(text: str, docs: Path) -> str:
    """The project's mkdocs.yml with Material's search plugin instead of ours, and no nav entry to a missing page."""
    text, replaced = re.subn(r"(?m)^plugins:\n(?:[ \t]+- .*\n|[ \t]+.*\n|[ \t]*#.*\n)+", "plugins:\n  - search\n", text)
    if replaced != 1:
        raise SystemExit("bench: cannot find the `plugins:` block of mkdocs.yml to write the baseline's config")
    lines = []
    for line in text.splitlines(keepends=True):
        entry = NAV_ENTRY.match(line)
        if entry and not (docs / entry.group(1)).exists():
            continue
        lines.append(line)
    return "".join(lines)


def _labels(lang: str) -> dict[str, str]:
    return LABELS[lang]  # type: ignore[index]


def _t(value: dict[str, str], lang: str) -> str:
    return value.get(lang) or value["ko"]


def _mentions(text: str, titles: dict[str, dict[str, str]], lang: str) -> str:
    def link(m: re.Match[str]) -> str:
        pid, section, words = m.group(1).strip(), m.group(2), m.group(3)
        label = words or (_t(titles[pid], lang) if pid in titles else pid)
        return f"[{label}]({pid}.md{'#' + section if section else ''})"
    return MENTION.sub(link, text)


def pattern_page(pattern: dict[str, Any], titles: dict[str, dict[str, str]], lang: str) -> str:
    """One pattern as a plain Markdown page."""
    labels = _labels(lang)

    def text(value: dict[str, str]) -> str:
        return _mentions(_t(value, lang), titles, lang)

    out = [f"# {_t(pattern['title'], lang)}", ""]
    if pattern.get("aliases"):
        out += [f"*{labels['aliases']}: {' · '.join(_t(a, lang) for a in pattern['aliases'])}*", ""]
    out += [f"!!! abstract \"{labels['patlet']}\"", "", "    " + text(pattern["summary"]).replace("\n", "\n    "), ""]
    for key, value in pattern.items():
        if key in SKIPPED:
            continue
        heading = f"## {labels.get(key, key.replace('_', ' ').capitalize())} {{#{key.replace('_', '-')}}}"
        if is_text(value):
            out += [heading, "", text(value), ""]
        elif isinstance(value, list) and value and all(is_text(v) for v in value):
            marker = "1." if key == "questions" else "-"
            out += [heading, ""] + [f"{marker} {text(v)}".replace("\n", "\n   ") for v in value] + [""]
        elif isinstance(value, list) and value and all(isinstance(v, dict) and is_text(v.get("title")) for v in value):
            out += [heading, ""]
            for number, record in enumerate(value, 1):
                out += [f"### {_t(record['title'], lang)} {{#{key.replace('_', '-')[:-1]}-{number}}}", ""]
                if is_text(record.get("summary")):
                    out += [text(record["summary"]), ""]
                cited = [str(record[k]) for k in ("source", "locator") if isinstance(record.get(k), str)]
                if cited:
                    out += [f"*{labels['source']}: {', '.join(cited)}*", ""]
    related = [(labels["builds_on"], pattern.get("builds_on") or []), (labels["see_also"], pattern.get("see_also") or [])]
    out += [f"## {labels['related']} {{#related}}", ""]
    for label, ids in related:
        links = ", ".join(f"[{_t(titles[i], lang)}]({i}.md)" for i in ids if i in titles) or labels["none"]
        out += [f"**{label}:** {links}", ""]
    if pattern.get("sources"):
        out += [f"## {labels['sources']} {{#sources}}", ""]
        out += [f"- {s.get('author', '')}, *{s.get('title', '')}*" for s in pattern["sources"] if isinstance(s, dict)]
        out += [""]
    if pattern.get("tags"):
        out += [f"{labels['tags']}: " + " ".join(f"#{_t(tag, lang)}" for tag in pattern["tags"]), ""]
    return "\n".join(out)


def catalogue_page(patterns: list[dict[str, Any]], titles: dict[str, dict[str, str]], lang: str) -> str:
    """Every pattern with its patlet, as a plain list."""
    labels = _labels(lang)
    out = [f"# {labels['catalogue_title']}", "", labels["catalogue_intro"], ""]
    for p in sorted(patterns, key=lambda p: (p.get("order") or 10**6, p["id"])):
        summary = _mentions(_t(p["summary"], lang), titles, lang).replace("\n", " ")
        out.append(f"- **[{_t(p['title'], lang)}]({p['id']}.md)** — {summary}")
    return "\n".join(out) + "\n"
