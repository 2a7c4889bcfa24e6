"""Plain prose skips Python-Markdown; these tests hold that shortcut to the converter's own output."""

from __future__ import annotations

from pathlib import Path

import markdown
import pytest

from generator.core import markup
from generator.core.catalogue import read_catalogue
from generator.core.model import LANGS

REPO = Path(__file__).resolve().parents[1]

TRICKY = [
    "one paragraph", "two\n\nparagraphs", "a line\nbreak inside", "hard break  \nhere", "many\n\n\n  \nblank lines",
    "x > y and a < b", "Setext\n===", "Setext\n---", "  indented", "a\n    code", "\"quoted\" and it's", "1) item",
    "12. item", "- item", "+ item", "* item", "> quote", "# heading", "a #hash", "a - b + c", "100% sure", "~tilde~",
    "a|b", "{braces}", "tab\there", "trailing space ", "ends with \\", "**bold**", "*em*", "_em_", "snake_case",
    "`code`", "[link](https://example.com)", "<https://example.com>", "AT&T", "&amp;", "&#123;", "emoji 👩‍💼 ok",
    "한국어 문장입니다.\n\n둘째 문단.", "crlf\r\nline", "고객이 \"왜요?\"라고 물었다", "1998년 3월", "- 목록\n- 둘",
]


def _python_markdown(text: str) -> str:
    converter = markdown.Markdown()
    return converter.convert(text.strip("\n"))


def _real_prose() -> set[str]:
    catalogue = read_catalogue(REPO / "patterns", REPO).catalogue
    assert catalogue is not None
    texts = set()
    for p in catalogue.patterns:
        fields = [p.summary, p.problem, p.context, *p.forces, p.solution, p.resulting_context, p.rationale,
                  *(use.summary for use in p.known_uses), *p.questions]
        texts |= {field(lang) for field in fields for lang in LANGS}
    return texts


@pytest.mark.parametrize("text", TRICKY)
def test_the_shortcut_gives_what_python_markdown_gives(text: str) -> None:
    assert markup.to_html(text) == _python_markdown(text)


def test_every_text_in_the_catalogue_converts_as_python_markdown_converts_it() -> None:
    texts = _real_prose()
    plain = [t for t in texts if markup.is_plain_prose(t.strip("\n"))]
    assert plain and len(plain) < len(texts)  # both ways are exercised
    assert [t for t in texts if markup.to_html(t) != _python_markdown(t)] == []


def test_only_plain_sentences_take_the_shortcut() -> None:
    assert markup.is_plain_prose("고객에게 먼저 연락한다.\n\n그리고 기다린다.")
    for text in ("**bold**", "- item", "a  \nb", "[[build-trust]]", "tab\there", "x\n===", ""):
        assert not markup.is_plain_prose(text), text


def test_a_lone_paragraph_loses_its_tags_inline() -> None:
    assert markup.to_inline_html("just *this*") == "just <em>this</em>"
    assert markup.to_inline_html("one\n\ntwo") == "<p>one</p>\n<p>two</p>"
