"""What each generated output read of the catalogue, so that a preview renders again only what an edit changed.

An output (a pattern page, the cards page, a search index) is made by a function that reads the
catalogue. While it runs, it sees the catalogue through a view that notes every part it reads:
a pattern's field, in one language where the field is text (`p.problem | t` on a Korean page
reads the Korean problem only), a catalogue table entry (`catalogue.used_by[pid]`), the reading
order. After an edit, the catalogue is compared with the previous one part by part, and an output
is made again only when it read a part that changed; otherwise the previous result is used.

Nothing has to declare what a template shows, so a template that starts to show something new is
tracked as soon as it reads it. What an output reads other than the catalogue (its language, the
templates, a date from git) goes into its explicit key.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from typing import Any, TypeVar

from generator.core.model import Catalogue, Pattern, Text

R = TypeVar("R")
# ("field", pid, name, lang | None), ("shape", pid, name), ("pattern", pid), ("has", pid),
# ("table", name[, key]), ("order",), ("whole",)
Part = tuple[Hashable, ...]
_MISSING = object()


class OutputMemo:
    """Outputs of the previous rendering, each with the parts of the catalogue it read.

    An output may be made of others (a page of its prose): what they read counts as read by it,
    and when it is reused, they are kept for the next rendering too.
    """

    def __init__(self) -> None:
        self._previous: dict[Hashable, _Entry] = {}
        self._current: dict[Hashable, _Entry] = {}
        self._catalogue: Catalogue | None = None
        self._changed: set[Part] | None = None  # None: everything is new
        self._open: list[tuple[set[Part], list[Hashable]]] = []  # outputs being made: reads, inner outputs
        self._carried: dict[Hashable, Any] = {}
        self.made = 0  # outputs made (not reused) in the current rendering

    def next_rendering(self, catalogue: Catalogue) -> None:
        """Start a rendering of `catalogue`; keep only what the last rendering used."""
        self._changed = None if self._catalogue is None else changed_parts(self._catalogue, catalogue)
        self._previous, self._current = self._current, {}
        self._catalogue = catalogue
        self.made = 0

    def get(self, key: Hashable, make: Callable[[Catalogue], R]) -> R:
        """`make(view)`'s result, or the previous rendering's if nothing it read has changed."""
        assert self._catalogue is not None, "call next_rendering first"
        known = self._current.get(key) or self._previous.get(key)
        if known is None or self._changed is None or not self._changed.isdisjoint(known[1]):
            reads: set[Part] = set()
            inner: list[Hashable] = []
            self._open.append((reads, inner))
            try:
                result = make(CatalogueView(self._catalogue, reads))  # type: ignore[arg-type]
            finally:
                self._open.pop()
            known = (result, frozenset(reads), tuple(inner))
            self.made += 1
        else:
            self._keep(known)
        self._current[key] = known
        if self._open:
            self._open[-1][0].update(known[1])
            self._open[-1][1].append(key)
        return known[0]  # type: ignore[no-any-return]

    def carried(self, key: Hashable, make: Callable[[], R]) -> R:
        """An object kept from one rendering to the next, made on first use: for an output that reuses its
        own earlier work where that work says so itself (the search index's encoded chunks)."""
        if key not in self._carried:
            self._carried[key] = make()
        return self._carried[key]  # type: ignore[no-any-return]

    def _keep(self, entry: _Entry) -> None:
        """A reused output's inner outputs, kept for the next rendering."""
        for key in entry[2]:
            inner = self._current.get(key) or self._previous.get(key)
            if inner is not None and key not in self._current:
                self._current[key] = inner
                self._keep(inner)


# An output: its result, the parts of the catalogue it read, the keys of the outputs it was made of.
_Entry = tuple[Any, frozenset[Part], tuple[Hashable, ...]]


def changed_parts(old: Catalogue, new: Catalogue) -> set[Part]:
    """Every part of the catalogue that differs between two readings."""
    changed: set[Part] = set()
    if [p.id for p in old.patterns] != [p.id for p in new.patterns]:
        changed.add(("order",))
    for pid in old.by_id.keys() | new.by_id.keys():
        before, after = old.by_id.get(pid), new.by_id.get(pid)
        if before is after:
            continue
        changed.add(("pattern", pid))
        if before is None or after is None:
            changed.add(("has", pid))
            before = before or after
            after = None
        for name in Pattern.__dataclass_fields__:
            a, b = getattr(before, name), getattr(after, name, _MISSING)
            if a == b:
                continue
            if _shape(a) != _shape(b):
                changed.add(("shape", pid, name))
            for lang in ("ko", "en"):
                if _in_lang(a, lang) != _in_lang(b, lang):
                    changed.add(("field", pid, name, lang))
            changed.add(("field", pid, name, None))
    for name in Catalogue.__dataclass_fields__:
        if name in ("patterns", "by_id"):  # compared pattern by pattern above
            continue
        a, b = getattr(old, name), getattr(new, name)
        if a == b:
            continue
        changed.add(("table", name))
        if name in _TABLES:
            for key in a.keys() | b.keys():
                if a.get(key, _MISSING) != b.get(key, _MISSING):
                    changed.add(("table", name, key))
    if changed:
        changed.add(("whole",))
    return changed


_TABLES = ("levels", "used_by", "positions", "retros", "cited_by")  # the catalogue's dicts, read entry by entry
_WHOLE_FIELDS = ("sources",)  # read as one part: any change to it, and only to it, counts
_PATTERN_FIELDS = frozenset(Pattern.__dataclass_fields__)
# The pattern's methods and properties, by the fields they read (any other reads the whole pattern).
_DERIVED = {"additions_in": ("additions",), "known_use_anchors": ("known_uses",),
            "citations": ("origin", "known_uses", "additions"), "cited_sources": ("origin", "known_uses", "additions")}


def _shape(value: Any) -> Hashable:
    """What a template can test without reading the text: missing or present, and how many."""
    return (type(value).__name__, len(value)) if isinstance(value, tuple) else type(value).__name__


def _in_lang(value: Any, lang: str) -> Any:
    """A field as a page in `lang` would read it: text fields in that language, others whole."""
    if isinstance(value, Text):
        return value(lang)  # the English reading falls back to Korean, so it changes with it
    if isinstance(value, tuple) and value and isinstance(value[0], Text):
        return tuple(v(lang) for v in value)
    return value


class CatalogueView:
    """The catalogue as an output sees it: the same answers, with every part read noted in `reads`."""

    def __init__(self, catalogue: Catalogue, reads: set[Part]) -> None:
        self._catalogue, self._reads = catalogue, reads
        self._views: dict[str, PatternView] = {}
        self._patterns: tuple[PatternView, ...] | None = None

    @property
    def patterns(self) -> tuple[PatternView, ...]:
        self._reads.add(("order",))
        if self._patterns is None:
            self._patterns = tuple(self._view(p) for p in self._catalogue.patterns)
        return self._patterns

    def __getitem__(self, pattern_id: str) -> PatternView:
        self._reads.add(("has", pattern_id))
        return self._view(self._catalogue[pattern_id])

    def _view(self, pattern: Pattern) -> PatternView:
        view = self._views.get(pattern.id)
        if view is None:
            view = self._views[pattern.id] = PatternView(pattern, self._reads)
        return view

    def __contains__(self, pattern_id: object) -> bool:
        self._reads.add(("has", pattern_id))  # type: ignore[arg-type]
        return pattern_id in self._catalogue

    @property
    def drawn_edges(self) -> tuple[tuple[str, str], ...]:
        self._reads.add(("table", "drawn_edges"))
        return self._catalogue.drawn_edges

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._catalogue, name)
        if name in _TABLES:
            return TableView(name, value, self._reads)
        if name in _WHOLE_FIELDS:
            self._reads.add(("table", name))
            return value
        # A part the view cannot hand out piece by piece: any change to it, or to anything, counts.
        self._reads.update({("table", name), ("whole",)})
        return value


class TableView:
    """One of the catalogue's tables keyed by pattern id; reading one entry notes that entry only."""

    def __init__(self, name: str, table: dict[str, Any], reads: set[Part]) -> None:
        self._name, self._table, self._reads = name, table, reads

    def __getitem__(self, key: str) -> Any:
        self._reads.add(("table", self._name, key))
        return self._table[key]

    def get(self, key: str, default: Any = None) -> Any:
        self._reads.add(("table", self._name, key))
        return self._table.get(key, default)

    def __contains__(self, key: object) -> bool:
        self._reads.add(("table", self._name, key))  # type: ignore[arg-type]
        return key in self._table

    def __getattr__(self, name: str) -> Any:  # keys(), items(), values(): the whole table
        self._reads.add(("table", self._name))
        return getattr(self._table, name)

    def __iter__(self) -> Iterator[str]:
        self._reads.add(("table", self._name))
        return iter(self._table)

    def __len__(self) -> int:
        self._reads.add(("table", self._name))
        return len(self._table)


class PatternView:
    """A pattern as an output sees it: text fields note the language they are read in."""

    def __init__(self, pattern: Pattern, reads: set[Part]) -> None:
        self._pattern, self._reads = pattern, reads

    @property
    def id(self) -> str:
        return self._pattern.id

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._pattern, name)
        if name not in _PATTERN_FIELDS:  # a property or method: the fields it reads, else any field
            reads = _DERIVED.get(name)
            self._reads.update({("field", self._pattern.id, field, None) for field in reads} if reads
                               else {("pattern", self._pattern.id)})
            return value
        key = (self._pattern.id, name)
        self._reads.add(("shape", *key))
        if isinstance(value, Text):
            value = TextView(value, key, self._reads)
        elif isinstance(value, tuple) and value and isinstance(value[0], Text):  # the model's tuples are of one kind
            value = tuple(TextView(v, key, self._reads) for v in value)
        else:
            self._reads.add(("field", *key, None))
        self.__dict__[name] = value  # noted once; later reads of this view find it without coming here
        return value

    def __eq__(self, other: object) -> bool:
        return self._pattern == (other._pattern if isinstance(other, PatternView) else other)

    def __hash__(self) -> int:
        return hash(self._pattern.id)


class TextView:
    """A text field of a pattern; reading it in a language notes that language."""

    def __init__(self, text: Text, key: tuple[str, str], reads: set[Part]) -> None:
        self._text, self._key, self._reads = text, key, reads

    def __call__(self, lang: str) -> str:
        self._reads.add(("field", *self._key, lang))
        return self._text(lang)  # type: ignore[arg-type]

    @property
    def ko(self) -> str:
        self._reads.add(("field", *self._key, "ko"))
        return self._text.ko

    @property
    def en(self) -> str | None:
        # An exact reading of the English half: note both, as the English reading falls back to Korean.
        self._reads.update({("field", *self._key, "en"), ("field", *self._key, None)})
        return self._text.en

    def __eq__(self, other: object) -> bool:
        return self._text == (other._text if isinstance(other, TextView) else other)

    def __hash__(self) -> int:
        return hash(self._text)
