"""Synthetic catalogues of any size, made from the real pattern files.

A catalogue of N patterns is the real `patterns/` folder copied over and over ("generations"),
each copy of a file with a fresh id, so every synthetic pattern has exactly the size, shape and
prose of a real one (YAML with block scalars, lists, `[[id]]` mentions, known uses, sources;
the bench reports the average size of both). Generation 0 keeps the real ids (so the hand-written pages' links still resolve);
generation k names its copies `<id>-<k>` and adds `k` to their titles.

Every reference to another pattern (`builds_on`, `see_also`, `[[id]]`, `[[id|words]]`,
`[[id#section]]`) is re-pointed by a text substitution of whole ids, so the generator needs to
know nothing about the format beyond three lines (`id:`, `order:`, `title:`). In generation
k ≥ 1 the last `builds_on` entry of a file with several points at generation k − 1 and the
others at the same generation, so the `builds_on` graph of the whole catalogue is connected, as the real one is;
`write_catalogue` checks that. Files in `patterns/` that are not patterns (a bibliography) are
copied once, unchanged.

When the pattern format changes, this keeps working as long as a pattern file starts a line
with `id: <id>`, `order: <n>` (optional) and `title:` followed by `ko:`/`en:` lines, and names
other patterns only by their ids.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

REAL_PATTERNS = Path(__file__).resolve().parents[2] / "patterns"
_ID_LINE = re.compile(r"(?m)^id:[ \t]*(\S+)[ \t]*$")
_ORDER_LINE = re.compile(r"(?m)^order:[ \t]*(\d+)[ \t]*$")
_TITLE_BLOCK = re.compile(r"(?m)^title:[ \t]*\n((?:[ \t]+(?:ko|en):.*\n)+)")
_TITLE_LINE = re.compile(r"(?m)^([ \t]+)(ko|en):.*$")
Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class RealPattern:
    """One real pattern file, as the template of its copies."""

    id: str
    text: str
    titles: dict[str, str]
    builds_on: tuple[str, ...]
    former_ids: tuple[str, ...]


def read_real(source: Path = REAL_PATTERNS) -> tuple[list[RealPattern], list[Path]]:
    """The real pattern files (in file-name order) and the other YAML files beside them."""
    patterns, others = [], []
    for path in sorted(source.glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        data = yaml.load(text, Loader=Loader)
        if not (isinstance(data, dict) and data.get("id") == path.stem):
            others.append(path)
            continue
        if not _ID_LINE.search(text) or not _TITLE_BLOCK.search(text):
            raise ValueError(f"{path}: expected `id:` and a block `title:` with ko/en lines")
        patterns.append(RealPattern(path.stem, text, dict(data["title"]), tuple(data.get("builds_on") or ()),
                                    tuple(data.get("former_ids") or ())))
    return patterns, others


def synthetic_id(real_id: str, generation: int) -> str:
    return real_id if generation == 0 else f"{real_id}-{generation}"


def write_catalogue(directory: Path, count: int, seed: int = 0, source: Path = REAL_PATTERNS) -> list[Path]:
    """Write `count` synthetic pattern files (and the non-pattern files) into `directory`; return the patterns.

    The result is deterministic; `seed` is kept for callers and rotates which real file starts
    each generation, so two seeds give two different catalogues of the same size.
    """
    real, others = read_real(source)
    if not real:
        raise ValueError(f"no pattern files in {source}")
    rotation = seed % len(real)
    real = real[rotation:] + real[:rotation]
    directory.mkdir(parents=True, exist_ok=True)
    for other in others:
        (directory / other.name).write_text(other.read_text(encoding="utf-8"), encoding="utf-8")
    existing = {synthetic_id(real[i % len(real)].id, i // len(real)) for i in range(count)}
    ids = re.compile(r"(?<![\w-])(" + "|".join(re.escape(p.id) for p in
                                               sorted(real, key=lambda p: -len(p.id))) + r")(?![\w-])")
    paths, edges = [], []
    for index in range(count):
        pattern, generation = real[index % len(real)], index // len(real)
        targets = _targets(pattern, generation, ids.findall(pattern.text), existing)
        # A known use is a copy's own: a reference re-pointed to a stand-in keeps the page, not the story.
        stand_ins = {ref for ref, target in targets.items() if synthetic_id(ref, generation) != target
                     and (not generation or synthetic_id(ref, generation - 1) != target)}
        text = re.sub(r"(?<![\w-])(" + "|".join(map(re.escape, stand_ins)) + r")#known-use-[\w-]+", r"\1",
                      pattern.text) if stand_ins else pattern.text
        text = ids.sub(lambda m: targets[m.group(1)], text)
        for old in pattern.former_ids:  # former ids must stay unique too
            text = re.sub(rf"(?<![\w-]){re.escape(old)}(?![\w-])", synthetic_id(old, generation), text)
        text = _ORDER_LINE.sub(lambda m: f"order: {generation * len(real) + int(m.group(1))}", text, count=1)
        text = _retitle(text, pattern.titles, generation)
        new_id = synthetic_id(pattern.id, generation)
        path = directory / f"{new_id}.yaml"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
        edges += [(new_id, targets[ref]) for ref in pattern.builds_on]
    _check_connected(sorted(existing), edges)
    return paths


def _targets(pattern: RealPattern, generation: int, refs: list[str], existing: set[str]) -> dict[str, str]:
    """Where each id named in a copy points: itself, the same generation, or (one link) the one before."""
    targets = {pattern.id: synthetic_id(pattern.id, generation)}
    # Each pattern keeps its first builds_on link in its own generation, so a generation is connected
    # through its roots as the real language is; a pattern with more than one sends its last one back.
    back = pattern.builds_on[-1] if generation and len(pattern.builds_on) > 1 else None
    for ref in dict.fromkeys(refs):
        if ref in targets:
            continue
        same = synthetic_id(ref, generation)
        if ref == back or same not in existing:
            targets[ref] = synthetic_id(ref, generation - 1) if generation else _stand_in(targets, existing)
        else:
            targets[ref] = same
    return targets


def _stand_in(targets: dict[str, str], existing: set[str]) -> str:
    """An unused pattern of a catalogue smaller than the real one, for a reference to a pattern left out."""
    free = sorted(existing - set(targets.values()))
    if not free:
        raise ValueError("too few patterns to re-point every reference; ask for more")
    return free[0]


def _retitle(text: str, titles: dict[str, str], generation: int) -> str:
    if generation == 0:
        return text

    def line(m: re.Match[str]) -> str:
        return f"{m.group(1)}{m.group(2)}: {json.dumps(f'{titles[m.group(2)]} {generation}', ensure_ascii=False)}"

    block = _TITLE_BLOCK.search(text)
    assert block is not None
    return text[: block.start(1)] + _TITLE_LINE.sub(line, block.group(1)) + text[block.end(1):]


def _check_connected(ids: list[str], edges: list[tuple[str, str]]) -> None:
    """The `builds_on` graph, taken as undirected, must be one piece, as the real language is."""
    parent = {pid: pid for pid in ids}

    def root(pid: str) -> str:
        while parent[pid] != pid:
            parent[pid] = parent[parent[pid]]
            pid = parent[pid]
        return pid

    for a, b in edges:
        parent[root(a)] = root(b)
    pieces = {root(pid) for pid in ids}
    if len(pieces) > 1:
        raise ValueError(f"the synthetic builds_on graph falls into {len(pieces)} pieces")
