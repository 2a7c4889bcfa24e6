"""Pattern prose becomes HTML through one CommonMark parser with HTML off, then an allowlist sanitiser."""

from __future__ import annotations

from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser

from generator.core import markup
from generator.core.catalogue import read_catalogue
from generator.core.model import LANGS
from generator.core.sanitize import ATTRIBUTES, TAGS, VALUES, sanitize

REPO = Path(__file__).resolve().parents[1]

TRICKY = [
    "one paragraph", "two\n\nparagraphs", "a line\nbreak inside", "hard break  \nhere", "many\n\n\n  \nblank lines",
    "x > y and a < b", "Setext\n===", "Setext\n---", "  indented", "a\n    code", "\"quoted\" and it's", "1) item",
    "12. item", "- item", "+ item", "* item", "> quote", "# heading", "a #hash", "a - b + c", "100% sure", "~tilde~",
    "a|b", "{braces}", "tab\there", "trailing space ", "ends with \\", "**bold**", "*em*", "_em_", "snake_case",
    "`code`", "[link](https://example.com)", "<https://example.com>", "AT&T", "&amp;", "&#123;", "emoji 👩‍💼 ok",
    "한국어 문장입니다.\n\n둘째 문단.", "crlf\r\nline", "고객이 \"왜요?\"라고 물었다", "1998년 3월", "- 목록\n- 둘",
    "no\xa0break", "~~~\nfence\n~~~", "___", "a = b", "x!", "[[first-contact]]",
]
HOSTILE = [
    "<script>window.__pwned=1</script>", "<img src=x onerror=alert(1)>", "<svg onload=alert(1)>",
    "<iframe src=https://evil.example/></iframe>", "<a href=javascript:alert(1)>x</a>", '<p id="problem">x</p>',
    '<p style="background:url(https://evil.example/t.png)">x</p>',
    "<math><mi xlink:href=javascript:alert(1)>x</mi></math>", "<form action=https://evil.example/><button>x</button></form>",
    "<!-- comment --><style>@import 'https://e.x';</style>",
    '<a href="//evil.example/x">x</a>', '<a href="\\\\evil.example/x">x</a>', '<a href="/\t/evil.example/x">x</a>',
    "<object data=https://evil.example/>",
    "[x](javascript:alert((5)))", "![i](https://tracker.example/p.png)", "[r]\n\n[r]: javascript:alert(1)",
    "<details open ontoggle=alert(1)>", "<input autofocus onfocus=alert(1)>", '<a href="data:text/html,<script>">x</a>',
]
EVERYTHING = TRICKY + HOSTILE


def resolve(pattern_id: str, anchor: str) -> tuple[str, str] | None:
    """Mentions as the renderer resolves them: known ids get a relative link and a title."""
    if pattern_id == "unknown":
        return None
    return f"../{pattern_id}/" + (f"#{anchor}" if anchor else ""), f"Title of {pattern_id}"


def full_path(text: str, lang: str = "") -> str:
    """What the parser and the sanitiser make of a text, without the plain-prose shortcut."""
    tokens, found = markup._parsed(text.strip("\n"))
    links = tuple(((m.id, m.anchor), resolve(m.id, m.anchor)) for m in found)
    return markup._rendered(text.strip("\n"), links, lang)


def elements(html: str) -> list[tuple[str, dict[str, str | None]]]:
    """Every element of an HTML fragment with its attributes, as a browser's parser reads it."""
    body = LexborHTMLParser(f"<body>{html}</body>").body
    assert body is not None
    return [(node.tag, dict(node.attributes)) for node in body.traverse() if node.tag not in ("-text", "body")]


def assert_only_allowed(html: str) -> None:
    for tag, attributes in elements(html):
        assert tag in TAGS, (tag, html)
        for name, value in attributes.items():
            allowed = ATTRIBUTES.get(tag, set()) | set(VALUES.get(tag, {}))
            assert name in allowed, (tag, name, html)
            assert name not in VALUES.get(tag, {}) or value in VALUES[tag][name], (tag, name, value, html)
            if name == "href":
                assert value and (value.startswith(("https:", "http:", "mailto:", "../", "#"))), html


def _real_prose() -> set[str]:
    catalogue = read_catalogue(REPO / "patterns", REPO).catalogue
    assert catalogue is not None
    texts = set()
    for p in catalogue.patterns:
        fields = [p.summary, p.problem, p.context, *p.forces, p.solution, p.resulting_context, p.rationale,
                  *(use.summary for use in p.known_uses), *p.questions]
        texts |= {field(lang) for field in fields for lang in LANGS}
    return texts


@pytest.mark.parametrize("lang", ["", "ko", "en"])
@pytest.mark.parametrize("text", TRICKY)
def test_the_plain_prose_shortcut_gives_what_the_parser_gives(text: str, lang: str) -> None:
    assert markup.to_html(text, resolve, lang) == full_path(text, lang)


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_every_text_in_the_catalogue_converts_the_same_with_and_without_the_shortcut(lang: str) -> None:
    texts = _real_prose()
    plain = [t for t in texts if markup.is_plain_prose(t.strip("\n"))]
    assert plain and len(plain) < len(texts)  # both ways are exercised
    assert [t for t in texts if markup.to_html(t, resolve, lang) != full_path(t, lang)] == []


MENTION_CASES = [
    "[[a]]를 보라", "[[a]]\n[[b]]", "- one [[a]]\n- two [[b|words]]", "> [[a#solution|quoted]] 다음", "*[[a]]*",
    "[[ |x]] [[a]]", "[[[a]]]", "[a [[b]]] c", "[x](https://e.com/[[a]]) [[b]]", "[x]: https://e.com/[[a]]\n\n[[b]]",
    "`[[a]]` [[b]]", "```\n[[a]]\n```\n[[b]]", "~~~\n[[a]]\n~~~", "    [[a]]\n\n[[b]]", "\\[[a]] [[b]]",
    "<https://e.com/[[a]]> [[b]]", "&#91;&#91;a]] [[b]]", "[[a]]   \n다음 줄", "[[a]]\n\n다음 문단",
]


def test_mentions_without_the_parser_are_the_parsers_wherever_the_text_allows_it() -> None:
    # mentions() reads plain text with a regular expression, and hands anything that could be code,
    # an escape, a tag or a link destination to the parser; both must agree wherever the shortcut runs.
    texts = [*MENTION_CASES, *TRICKY, *EVERYTHING, *_real_prose()]
    shortcut = [t for t in texts if "[[" in t and not markup._MENTION_UNSURE.search(t.strip("\n"))]
    assert len(shortcut) > 50
    assert [t for t in shortcut if markup.mentions(t) != list(markup._parsed(t.strip("\n"))[1])] == []
    assert all(markup.mentions(t) == list(markup._parsed(t.strip("\n"))[1]) for t in MENTION_CASES)


@pytest.mark.parametrize(("text", "lang", "expected"), [
    ("Rising의 장에 실린 Marianne Davis 이야기", "ko",
     '<p><span lang="en">Rising</span>의 장에 실린 <span lang="en">Marianne Davis</span> 이야기</p>'),
    ('The post\'s first section is headed "고객에게 지기".', "en",
     '<p>The post\'s first section is headed "<span lang="ko">고객에게 지기</span>".</p>'),
    ("**GTE** & [AGCS](https://example.com/) 2011", "ko",
     '<p><strong><span lang="en">GTE</span></strong> &amp; <a href="https://example.com/" rel="noopener noreferrer">'
     '<span lang="en">AGCS</span></a> 2011</p>'),
    ("Plain English on an English page.", "en", "<p>Plain English on an English page.</p>"),
])
def test_words_in_the_other_language_are_marked_with_it(text: str, lang: str, expected: str) -> None:
    assert markup.to_html(text, resolve, lang) == expected


@pytest.mark.parametrize("text", EVERYTHING)
def test_prose_never_becomes_anything_outside_the_allowlist(text: str) -> None:
    assert_only_allowed(markup.to_html(text, resolve))
    assert_only_allowed(markup.to_inline_html(text, resolve))


def test_html_in_prose_is_shown_as_text() -> None:
    html = markup.to_html("Say <b>hi</b> & <img src=x onerror=alert(1)>", resolve)
    assert html == "<p>Say &lt;b&gt;hi&lt;/b&gt; &amp; &lt;img src=x onerror=alert(1)&gt;</p>"


@pytest.mark.parametrize(("text", "href"), [
    ("[a](https://example.com/x_(y))", "https://example.com/x_(y)"),
    ("[a](HtTpS://example.com)", "HtTpS://example.com"),
    ("[a](mailto:team@example.com)", "mailto:team@example.com"),
    ("<https://example.com>", "https://example.com"),
    ("[a][r]\n\n[r]: http://example.com", "http://example.com"),
])
def test_links_to_http_https_and_mailto_are_links(text: str, href: str) -> None:
    assert elements(markup.to_html(text, resolve)) == [("p", {}), ("a", {"href": href, "rel": "noopener noreferrer"})]


@pytest.mark.parametrize("text", [
    "[x](javascript:alert((5)))", "[x](JaVaScRiPt:alert(1))", "[x](&#106;avascript:alert(1))",
    "[x](<java\tscript:alert(1)>)", "[x](vbscript:x)", "[x](data:text/html,x)", "[x](file:///etc/passwd)",
    "<javascript:alert(1)>", "[x](../first-contact/)", "[x](//evil.example/)", "[x](#problem)",
    "> [r]: javascript:alert(1)\n>\n> [x][r]", "- item\n\n    [r]: javascript:alert(1)\n\n    [x][r]",
    "![alt](https://tracker.example/p.png)",
])
def test_every_other_link_and_every_image_stays_text(text: str) -> None:
    html = markup.to_html(text, resolve)
    assert [tag for tag, _ in elements(html) if tag in ("a", "img")] == ([] if "![" not in text else ["a"]), html


def test_mentions_in_their_four_forms() -> None:
    html = markup.to_inline_html(
        "[[a-b]], [[c|쓴소리를 받아 낼 때]], [[d#solution]], [[e#known-use-2|*the* words]], [[unknown]], "
        "[[unknown|its words]] and `[[f]]`", resolve)
    assert html == ('<a href="../a-b/">Title of a-b</a>, <a href="../c/">쓴소리를 받아 낼 때</a>, '
                    '<a href="../d/#solution">Title of d</a>, <a href="../e/#known-use-2">*the* words</a>, '
                    "unknown, its words and <code>[[f]]</code>")


def test_a_mention_inside_a_link_makes_no_nested_link() -> None:
    html = markup.to_inline_html("[see [[a]]](https://example.com)", resolve)
    assert [tag for tag, _ in elements(html)].count("a") == 1


def test_mentions_are_listed_in_order_and_code_is_not_a_mention() -> None:
    assert markup.mentions("[[a]] then [[b#forces|these]] and `[[c]]`\n\n    [[d]]\n\n[[e#problem]]를") == [
        markup.Mention("a", "", "", "a", ""), markup.Mention("b", "forces", "these", "b#forces|these", ""),
        markup.Mention("e", "problem", "", "e#problem", "를")]
    assert markup.mentions("no mention [x] [[]] [[ |words]]") == []


def test_plain_words_are_what_a_reader_sees() -> None:
    text = "**Ask** [the team](https://example.com/x) about `code`, [[a-b]] and [[c|these words]].\n\n- one\n- two"
    assert markup.plain_words(text, resolve) == "Ask the team about code, Title of a-b and these words. one two"
    assert markup.plain_words("<b>shown</b> [[unknown]]") == "<b>shown</b> unknown"


def test_problems_come_from_the_parsers_tokens() -> None:
    found = markup.problems("ok `<b>` code\n\n<img src=x>\n\n[x](javascript:y) ![i](https://t.example/p.png) "
                            "[r]\n\n[r]: ../relative/\n\n    <script> in code")
    assert [(p.kind, p.found, p.line) for p in found] == [
        ("html", "<img", 2), ("link", "javascript:y", 4), ("image", "https://t.example/p.png", 4),
        ("link", "../relative/", 4)]
    assert markup.problems("a < b, x<y, 3 <4, <- arrow, [[a-b]], <https://example.com>") == []


def test_a_lone_paragraph_loses_its_tags_inline() -> None:
    assert markup.to_inline_html("just *this*", resolve) == "just <em>this</em>"
    assert markup.to_inline_html("one\n\ntwo", resolve) == "<p>one</p>\n<p>two</p>"


@pytest.mark.parametrize("text", HOSTILE)
def test_the_sanitiser_holds_when_the_parser_is_configured_wrongly(text: str) -> None:
    careless = markup.make_parser(html=True, validate_link=lambda url: True, images=True)
    raw = careless.render(text, {"links": {}})
    with pytest.raises(AssertionError):
        assert_only_allowed(raw)  # the careless parser lets it through
    assert_only_allowed(sanitize(raw))
