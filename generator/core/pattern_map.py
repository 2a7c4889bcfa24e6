"""Draw the pattern language as an SVG: one row per level, a link per pattern.

The drawing is static SVG inside the page: it needs no script, no network and no
layout library, works with a keyboard (every node is a link), and stays legible as the
language grows because long levels wrap into several rows and only the edges of a
transitive reduction are drawn; hovering or focusing a node highlights its own edges.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from generator.core.model import Catalogue, Lang

NODE_W, NODE_H = 190, 52
GAP_X, GAP_Y, ROW_GAP = 24, 70, 22
PER_ROW = 6
CHARS_PER_LINE = {"ko": 13, "en": 24}


def render_map_svg(catalogue: Catalogue, lang: Lang, href: Callable[[str], str], label: str,
                   candidate_label: str) -> str:
    """The map as one line of SVG markup, so Markdown passes it through untouched.

    A candidate pattern's box is dashed, and its name (the link's `<title>`) says it is a candidate.
    """
    positions, width, height = _layout(catalogue)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
             f'class="pattern-map__svg" role="group" aria-label="{escape(label)}">']
    for source, target in catalogue.drawn_edges:
        (x1, y1), (x2, y2) = positions[source], positions[target]
        sx, sy, tx, ty = x1 + NODE_W / 2, y1 + NODE_H, x2 + NODE_W / 2, y2
        mid = (sy + ty) / 2
        parts.append(f'<path class="pattern-map__edge e-{source} e-{target}" '
                     f'd="M{sx:.0f},{sy:.0f} C{sx:.0f},{mid:.0f} {tx:.0f},{mid:.0f} {tx:.0f},{ty - 6:.0f}" '
                     'marker-end="url(#pattern-map-arrow)"/>')
    parts.append('<defs><marker id="pattern-map-arrow" viewBox="0 0 10 10" refX="5" refY="5" markerWidth="6" '
                 'markerHeight="6" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z"/></marker></defs>')
    for pattern in catalogue.patterns:
        x, y = positions[pattern.id]
        title = pattern.title(lang)
        lines = _wrap(title, CHARS_PER_LINE[lang])
        first_y = y + NODE_H / 2 - (len(lines) - 1) * 8
        text = "".join(f'<tspan x="{x + NODE_W / 2:.0f}" y="{first_y + 16 * i + 5:.0f}">{escape(line)}</tspan>'
                       for i, line in enumerate(lines))
        candidate = pattern.status == "candidate"
        status = " pattern-map__node--candidate" if candidate else ""
        name = f"{title} ({candidate_label})" if candidate else title
        parts.append(f'<a href="{escape(href(pattern.id))}" class="pattern-map__node n-{pattern.id}{status}" '
                     f'data-pattern="{pattern.id}"><title>{escape(name)}</title>'
                     f'<rect x="{x}" y="{y}" width="{NODE_W}" height="{NODE_H}" rx="8"/>'
                     f'<text text-anchor="middle">{text}</text></a>')
    parts.append("</svg>")
    return "".join(parts)


def _layout(catalogue: Catalogue) -> tuple[dict[str, tuple[int, int]], int, int]:
    rows: list[list[str]] = []
    current_level = 0
    for pattern in catalogue.patterns:
        level = catalogue.levels[pattern.id]
        if level != current_level or len(rows[-1]) == PER_ROW:
            rows.append([])
            current_level = level
        rows[-1].append(pattern.id)
    widest = max((len(r) for r in rows), default=1)
    width = widest * NODE_W + (widest + 1) * GAP_X
    positions: dict[str, tuple[int, int]] = {}
    y = GAP_X
    previous_level = None
    for row in rows:
        level = catalogue.levels[row[0]]
        if previous_level is not None:
            y += NODE_H + (GAP_Y if level != previous_level else ROW_GAP)
        previous_level = level
        row_width = len(row) * NODE_W + (len(row) - 1) * GAP_X
        x = (width - row_width) // 2
        for pid in row:
            positions[pid] = (x, y)
            x += NODE_W + GAP_X
    return positions, width, y + NODE_H + GAP_X


def _wrap(title: str, limit: int) -> list[str]:
    """Break a title into at most two lines at spaces, shortening the second if needed."""
    words, lines = title.split(), [""]
    for word in words:
        candidate = f"{lines[-1]} {word}".strip()
        if len(candidate) <= limit or not lines[-1]:
            lines[-1] = candidate
        else:
            lines.append(word)
    if len(lines) > 2:
        rest = " ".join(lines[1:])
        lines = [lines[0], rest[: limit - 1] + "…" if len(rest) > limit else rest]
    return lines
