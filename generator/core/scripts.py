"""The language of each run of a text, told by its script, so a page can mark it (`lang="…"`).

A Korean page names Linda Rising and AGCS; an English page quotes a Korean blog's title. A
screen reader reads every word in the page's language unless the words say otherwise (WCAG 3.1.2,
language of parts), so runs written in the other script are wrapped in `<span lang>`: Hangul on
English pages, Latin letters on Korean pages. Digits, punctuation and Hanja stay in the page's
language.
"""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the model's import costs `patterns validate` a hundredth of a second, for a name
    from generator.core.model import Lang

_HANGUL = "\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3"
# A run of Korean words, with the spaces and punctuation between them.
_HANGUL_RUN = re.compile(f"[{_HANGUL}]+(?:[ \t'\"“”‘’.,·?!()~-]+[{_HANGUL}]+)*")
# A run of Latin words (names, titles, addresses), with what joins them.
_LATIN_RUN = re.compile(r"[A-Za-z][A-Za-z0-9'’&./:_@#%+=?~-]*(?:[ \t]+[A-Za-z0-9][A-Za-z0-9'’&./:_@#%+=?~-]*)*")
_RUNS: dict[Lang, tuple[re.Pattern[str], Lang]] = {"en": (_HANGUL_RUN, "ko"), "ko": (_LATIN_RUN, "en")}


def mark_other_script(text: str, page_lang: Lang) -> str:
    """`text` as escaped HTML, each run in the other language's script wrapped in `<span lang>`."""
    runs, other = _RUNS[page_lang]
    out: list[str] = []
    position = 0
    for run in runs.finditer(text):
        out.append(html.escape(text[position: run.start()], quote=False))
        out.append(f'<span lang="{other}">{html.escape(run.group(), quote=False)}</span>')
        position = run.end()
    out.append(html.escape(text[position:], quote=False))
    return "".join(out)
