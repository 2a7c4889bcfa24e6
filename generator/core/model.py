"""Typed, frozen objects for validated patterns, and the pattern language they form.

Built only from documents that passed validation, so constructors trust the shape.
The catalogue computes what several pages need once: back-links, levels of the
language (longest `builds_on` path from a root), and the reading order.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from typing import Any, Literal

from generator.core.loader import Document

Lang = Literal["ko", "en"]
LANGS: tuple[Lang, ...] = ("ko", "en")


@dataclass(frozen=True)
class Text:
    """The same words in Korean and (usually) English."""

    ko: str
    en: str | None = None

    def __call__(self, lang: Lang) -> str:
        """The text in `lang`, falling back to Korean while the English half is missing."""
        return self.en if lang == "en" and self.en else self.ko

    @classmethod
    def of(cls, data: dict[str, str] | None) -> Text | None:
        return cls(data["ko"], data.get("en")) if data else None


@dataclass(frozen=True)
class Source:
    """A bibliography entry that known uses cite."""

    key: str
    title: str
    author: str | None = None
    container: str | None = None
    publisher: str | None = None
    date: str | None = None
    pages: str | None = None
    url: str | None = None
    note: Text | None = None


@dataclass(frozen=True)
class KnownUse:
    """A story where the pattern, or its absence, was seen."""

    title: Text
    summary: Text
    source: Source
    kind: Literal["use", "counterexample"] = "use"
    locator: str | None = None


@dataclass(frozen=True)
class Origin:
    """Where a pattern was first published."""

    source: Source
    locator: str | None = None


@dataclass(frozen=True)
class Pattern:
    """One pattern of the language."""

    id: str
    path: str
    title: Text
    summary: Text
    problem: Text
    context: Text
    forces: tuple[Text, ...]
    solution: Text
    resulting_context: Text
    rationale: Text
    known_uses: tuple[KnownUse, ...]
    sources: tuple[Source, ...]
    situations: tuple[Text, ...]
    questions: tuple[Text, ...]
    order: int | None = None
    status: Literal["established", "candidate"] = "established"
    origin: Origin | None = None
    aliases: tuple[Text, ...] = ()
    note: Text | None = None
    builds_on: tuple[str, ...] = ()
    see_also: tuple[str, ...] = ()
    tags: tuple[Text, ...] = ()
    former_ids: tuple[str, ...] = ()


def pattern_from(doc: Document) -> Pattern:
    """Turn a validated document into a Pattern."""
    d: dict[str, Any] = doc.data
    texts = lambda key: tuple(Text(t["ko"], t.get("en")) for t in d.get(key, []))  # noqa: E731
    sources = tuple(
        Source(**{k: v for k, v in s.items() if k != "note"}, note=Text.of(s.get("note"))) for s in d["sources"]
    )
    by_key = {s.key: s for s in sources}
    uses = tuple(
        KnownUse(Text.of(u["title"]), Text.of(u["summary"]), by_key[u["source"]], u.get("kind", "use"),  # type: ignore[arg-type]
                 u.get("locator"))
        for u in d["known_uses"]
    )
    one = lambda key: Text.of(d[key])  # noqa: E731
    origin = Origin(by_key[d["origin"]["source"]], d["origin"].get("locator")) if "origin" in d else None
    return Pattern(
        id=d["id"], path=doc.display, title=one("title"), summary=one("summary"), problem=one("problem"),
        context=one("context"), forces=texts("forces"), solution=one("solution"),
        resulting_context=one("resulting_context"), rationale=one("rationale"), known_uses=uses,
        sources=sources, situations=texts("situations"), questions=texts("questions"), order=d.get("order"),
        status=d.get("status", "established"), origin=origin, aliases=texts("aliases"), note=Text.of(d.get("note")),
        builds_on=tuple(d.get("builds_on", [])), see_also=tuple(d.get("see_also", [])), tags=texts("tags"),
        former_ids=tuple(d.get("former_ids", [])),
    )


@dataclass(frozen=True)
class Retro:
    """One retrospective in which a team discussed some patterns."""

    date: str
    team: str
    patterns: tuple[str, ...]
    lesson: str | None = None


def retro_from(doc: Document) -> Retro:
    """Turn a validated retrospective record into a Retro."""
    d = doc.data
    return Retro(d["date"], d["team"], tuple(dict.fromkeys(d["patterns"])), d.get("lesson"))


@dataclass(frozen=True)
class Catalogue:
    """All patterns, in reading order, with the language's structure computed once."""

    patterns: tuple[Pattern, ...]
    by_id: dict[str, Pattern] = field(repr=False)
    levels: dict[str, int] = field(repr=False)
    used_by: dict[str, tuple[str, ...]] = field(repr=False)
    drawn_edges: tuple[tuple[str, str], ...] = field(repr=False)
    positions: dict[str, int] = field(repr=False)
    retros: dict[str, tuple[Retro, ...]] = field(repr=False, default_factory=dict)

    def __getitem__(self, pattern_id: str) -> Pattern:
        return self.by_id[pattern_id]

    def __contains__(self, pattern_id: object) -> bool:
        return pattern_id in self.by_id


def build_catalogue(patterns: list[Pattern], retros: list[Retro] = ()) -> Catalogue:  # type: ignore[assignment]
    """Order patterns by level, then original order, then id; compute back-links and the map's edges."""
    known = {p.id: p for p in patterns}
    parents = {p.id: [b for b in p.builds_on if b in known and b != p.id] for p in patterns}
    topo = _topological(known, parents)
    levels: dict[str, int] = {}
    for pid in topo:
        levels[pid] = 1 + max((levels[q] for q in parents[pid] if q in levels), default=0)
    ordered = sorted(patterns, key=lambda p: (levels[p.id], p.order or 10**6, p.id))
    users: dict[str, list[str]] = {p.id: [] for p in patterns}
    for q in ordered:
        for parent in dict.fromkeys(q.builds_on):
            if parent in users:
                users[parent].append(q.id)
    used_by = {pid: tuple(ids) for pid, ids in users.items()}
    positions = {p.id: i for i, p in enumerate(ordered, 1)}
    discussed: dict[str, list[Retro]] = {p.id: [] for p in patterns}
    for retro in sorted(retros, key=lambda r: (r.date, r.team), reverse=True):
        for pid in retro.patterns:
            discussed.setdefault(pid, []).append(retro)
    by_pattern = {pid: tuple(found) for pid, found in discussed.items()}
    return Catalogue(tuple(ordered), known, levels, used_by, _reduced_edges(topo, parents, levels), positions,
                     by_pattern)


def _topological(known: dict[str, Pattern], parents: dict[str, list[str]]) -> list[str]:
    """Kahn's order; a cycle is broken at its earliest pattern so cycles never stop a build."""
    children: dict[str, list[str]] = {pid: [] for pid in known}
    waiting = {pid: len(set(ps)) for pid, ps in parents.items()}
    for pid, ps in parents.items():
        for q in set(ps):
            children[q].append(pid)
    rank = lambda pid: (known[pid].order or 10**6, pid)  # noqa: E731
    ready = deque(sorted((pid for pid, n in waiting.items() if n == 0), key=rank))
    done: list[str] = []
    seen: set[str] = set()
    while len(done) < len(known):
        if not ready:
            ready.append(min((pid for pid in known if pid not in seen), key=rank))
        pid = ready.popleft()
        if pid in seen:
            continue
        seen.add(pid)
        done.append(pid)
        for child in children[pid]:
            waiting[child] -= 1
            if waiting[child] == 0 and child not in seen:
                ready.append(child)
    return done


def _reduced_edges(topo: list[str], parents: dict[str, list[str]],
                   levels: dict[str, int]) -> tuple[tuple[str, str], ...]:
    """Edges worth drawing: drop u→v when v already reaches u through another parent.

    A transitive reduction keeps the map legible at a hundred patterns; bitsets keep it
    linear enough for a thousand.
    """
    bit = {pid: 1 << i for i, pid in enumerate(topo)}
    ancestors: dict[str, int] = {}
    for pid in topo:
        acc = 0
        for q in parents[pid]:
            if levels[q] < levels[pid]:
                acc |= ancestors.get(q, 0) | bit[q]
        ancestors[pid] = acc
    edges = []
    for pid in topo:
        ups = [q for q in parents[pid] if levels[q] < levels[pid]]
        for q in ups:
            if not any(w != q and ancestors[w] & bit[q] for w in ups):
                edges.append((q, pid))
    return tuple(edges)
