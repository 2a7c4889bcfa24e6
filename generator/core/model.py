"""Typed, frozen objects for validated patterns, and the pattern language they form.

Built only from documents that passed validation, so constructors trust the shape.
The catalogue computes what several pages need once: back-links, levels of the
language (longest `builds_on` path from a root), and the reading order.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
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


SourceKind = Literal["book", "chapter", "paper", "article", "blog-post", "web-page", "interview", "podcast"]
SECTIONS_WITH_ADDITIONS = ("problem", "context", "forces", "solution", "resulting_context", "rationale")


@dataclass(frozen=True)
class Source:
    """An entry of the bibliography (patterns/bibliography.yaml), cited by key from the patterns."""

    key: str
    kind: SourceKind
    lang: Lang
    title: str | None = None
    title_en: str | None = None
    author: str | None = None
    container: str | None = None
    editors: str | None = None
    publisher: str | None = None
    date: str | None = None
    pages: str | None = None
    url: str | None = None
    note: Text | None = None

    @property
    def paged(self) -> bool:
        """Whether the work is printed with page numbers, so citations of it may give pages."""
        return self.pages is not None


@dataclass(frozen=True)
class Citation:
    """A source and where in it: pages (paged sources only) or a named section."""

    source: Source
    pages: str | None = None
    section: Text | None = None


@dataclass(frozen=True)
class KnownUse:
    """A story where the pattern, or its absence, was seen."""

    title: Text
    summary: Text
    cite: tuple[Citation, ...]
    kind: Literal["use", "counterexample"] = "use"
    id: str | None = None


@dataclass(frozen=True)
class Addition:
    """Text that goes beyond Rising, in one section; without a citation it is our own experience."""

    section: str
    text: Text
    cite: tuple[Citation, ...] = ()


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
    situations: tuple[Text, ...]
    questions: tuple[Text, ...]
    order: int | None = None
    status: Literal["established", "candidate"] = "established"
    origin: Citation | None = None
    aliases: tuple[Text, ...] = ()
    note: Text | None = None
    additions: tuple[Addition, ...] = ()
    builds_on: tuple[str, ...] = ()
    see_also: tuple[str, ...] = ()
    tags: tuple[Text, ...] = ()
    former_ids: tuple[str, ...] = ()
    translations_checked: tuple[tuple[str, str], ...] = ()  # field -> fingerprint of both texts when checked

    def additions_in(self, section: str) -> tuple[Addition, ...]:
        """The additions to one section (`solution`, `forces` …), in file order."""
        return tuple(a for a in self.additions if a.section == section)

    @property
    def known_use_anchors(self) -> tuple[str, ...]:
        """Each known use's anchor on the page: `known-use-<id>`, or `known-use-<n>` (from 1) without an id."""
        return tuple(f"known-use-{use.id or number}" for number, use in enumerate(self.known_uses, 1))

    @property
    def citations(self) -> tuple[Citation, ...]:
        """Every citation of the page, in page order: origin, additions, known uses."""
        return ((self.origin,) if self.origin else ()) + tuple(c for a in self.additions for c in a.cite) + \
            tuple(c for use in self.known_uses for c in use.cite)

    @property
    def cited_sources(self) -> tuple[Source, ...]:
        """The sources the page cites, each once, in the order first cited."""
        return tuple(dict.fromkeys(c.source for c in self.citations))


def pattern_from(doc: Document, sources: dict[str, Source]) -> Pattern:
    """Turn a validated document into a Pattern, its citations resolved against the bibliography."""
    d: dict[str, Any] = doc.data
    texts = lambda key: tuple(Text(t["ko"], t.get("en")) for t in d.get(key, []))  # noqa: E731
    uses = tuple(
        KnownUse(Text.of(u["title"]), Text.of(u["summary"]), _citations(u["cite"], sources),  # type: ignore[arg-type]
                 u.get("kind", "use"), u.get("id"))
        for u in d["known_uses"]
    )
    additions = tuple(Addition(a["section"], Text(a["ko"], a.get("en")), _citations(a.get("cite", []), sources))
                      for a in d.get("additions", []))
    one = lambda key: Text.of(d[key])  # noqa: E731
    origin = _citations([d["origin"]], sources)[0] if "origin" in d else None
    return Pattern(
        id=d["id"], path=doc.display, title=one("title"), summary=one("summary"), problem=one("problem"),
        context=one("context"), forces=texts("forces"), solution=one("solution"),
        resulting_context=one("resulting_context"), rationale=one("rationale"), known_uses=uses,
        situations=texts("situations"), questions=texts("questions"), order=d.get("order"),
        status=d.get("status", "established"), origin=origin, aliases=texts("aliases"), note=Text.of(d.get("note")),
        additions=additions, builds_on=tuple(d.get("builds_on", [])), see_also=tuple(d.get("see_also", [])),
        tags=texts("tags"), former_ids=tuple(d.get("former_ids", [])),
        translations_checked=tuple(sorted((d.get("translations_checked") or {}).items())),
    )


def _citations(items: list[dict[str, Any]], sources: dict[str, Source]) -> tuple[Citation, ...]:
    return tuple(Citation(sources[c["source"]], c.get("pages"), Text.of(c.get("section"))) for c in items)


def source_from(data: dict[str, Any]) -> Source:
    """Turn a validated bibliography entry into a Source."""
    return Source(**{k: v for k, v in data.items() if k != "note"}, note=Text.of(data.get("note")))


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
    sources: tuple[Source, ...] = ()  # the bibliography, in its file's order
    cited_by: dict[str, tuple[CitedAt, ...]] = field(repr=False, default_factory=dict)

    def __getitem__(self, pattern_id: str) -> Pattern:
        return self.by_id[pattern_id]

    def __contains__(self, pattern_id: object) -> bool:
        return pattern_id in self.by_id


@dataclass(frozen=True)
class CitedAt:
    """Where a pattern cites a source: its origin, one of its known uses, or an addition to a section."""

    pattern_id: str
    anchor: str | None = None  # on the pattern's page: a known use's or a section's anchor; None for the origin
    known_use: KnownUse | None = None
    section: str | None = None  # the section of an addition


def build_catalogue(patterns: list[Pattern], retros: list[Retro] = (),  # type: ignore[assignment]
                    sources: Sequence[Source] = ()) -> Catalogue:
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
                     by_pattern, tuple(sources), _cited_by(ordered))


def _cited_by(patterns: list[Pattern]) -> dict[str, tuple[CitedAt, ...]]:
    """Source key -> every place citing it, in reading order, each once."""
    places: dict[str, dict[CitedAt, None]] = {}
    for p in patterns:
        found: list[tuple[Citation, CitedAt]] = [(p.origin, CitedAt(p.id))] if p.origin else []
        found += [(c, CitedAt(p.id, anchor(a.section), section=a.section)) for a in p.additions for c in a.cite]
        found += [(c, CitedAt(p.id, at, known_use=use))
                  for use, at in zip(p.known_uses, p.known_use_anchors) for c in use.cite]
        for citation, at in found:
            places.setdefault(citation.source.key, {})[at] = None
    return {key: tuple(found) for key, found in places.items()}


def anchor(section: str) -> str:
    """Stable section anchors, the same in both languages: resulting_context -> resulting-context."""
    return section.replace("_", "-")


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
