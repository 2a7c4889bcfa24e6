"""The site's navigation, one language at a time.

The navigation holds one section per language (and within it an editors' section). MkDocs links
every page to the one before and after it in the whole navigation, so the footer led from the
last Korean page to the first English one. Here a page's neighbours are the pages listed beside
it in its own section: the footer never leaves a language, nor the editors' pages.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mkdocs.structure.pages import Page


def link_within_sections(items: Sequence[Any]) -> None:
    """Set `previous_page` and `next_page` of each page to its neighbours among its section's pages."""
    pages: list[Page] = [item for item in items if item.is_page]
    for index, page in enumerate(pages):
        page.previous_page = pages[index - 1] if index > 0 else None
        page.next_page = pages[index + 1] if index + 1 < len(pages) else None
    for item in items:
        if item.is_section:
            link_within_sections(item.children)
