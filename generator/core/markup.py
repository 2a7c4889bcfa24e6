"""Pattern prose from Markdown to HTML, with one CommonMark parser in which raw HTML is not a feature.

Pattern text comes from anyone in the company, so what it may become is decided by construction:

- one parser, markdown-it-py with the CommonMark rules and `html` off: `<…>` anywhere in prose is
  text, never a tag. Links are links only to http, https and mailto addresses (anything else stays
  the text the editor typed); images are off (an image loads from another host when the page
  opens); headings are off (the page has its own outline);
- mentions of other patterns (`[[id]]`, `[[id|words]]`, `[[id#anchor]]`, `[[id#anchor|words]]`)
  are a rule of the same parser, resolved by a callback the renderer passes, so the only relative
  links in prose are the ones the generator makes;
- every fragment then goes through an allowlist sanitiser (`sanitize`), which would hold even if
  this parser were misconfigured.

The validator and the search index read prose through the same parser (`mentions`, `plain_words`,
`problems`), so no regular expression guesses what the parser will do. A summary appears on its
pattern's page and on five list pages: each distinct text is parsed once per process, and each
distinct (text, resolved mentions) pair is rendered and sanitised once.
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from generator.core.sanitize import EXTERNAL_REL, sanitize
from generator.core.scripts import mark_other_script

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.rules_inline import StateInline
    from markdown_it.token import Token

Resolve = Callable[[str, str], "tuple[str, str] | None"]
"""(pattern id, anchor or "") -> (href, title) of the mention, or None when it names nothing known."""

LINK_SCHEMES = ("http", "https", "mailto")
_MENTION = re.compile(r"\[\[([^\[\]\n]+)\]\]")  # the rule's grammar: one line, no brackets inside
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):")


@dataclass(frozen=True)
class Mention:
    """One `[[id#anchor|words]]` in prose (anchor and words are "" when not given)."""

    id: str
    anchor: str
    words: str
    raw: str = ""  # between [[ and ]], as written
    followed_by: str = ""  # the character right after ]] ("" for a space, a line break or the end), for particles


@dataclass(frozen=True)
class Problem:
    """Something an editor wrote that the site shows differently than they probably meant."""

    kind: str  # "html", "link" or "image"
    found: str  # what was written: a tag's start, or a link's address
    line: int  # 0-based line within the text


def link_allowed(url: str) -> bool:
    """Whether prose may link to `url` (already normalised by the parser): only http, https and mailto."""
    scheme = _SCHEME.match(url)
    return scheme is not None and scheme.group(1).lower() in LINK_SCHEMES


def _mention_at(found: re.Match[str], src: str) -> Mention | None:
    """The mention a match of the grammar makes, or None (no id: the brackets stay text)."""
    target, _, words = found.group(1).partition("|")
    pattern_id, _, anchor = target.partition("#")
    if not pattern_id.strip():
        return None
    after = src[found.end(): found.end() + 1]
    return Mention(pattern_id.strip(), anchor.strip(), words.strip(), found.group(1), "" if after.isspace() else after)


def _mention_rule(state: StateInline, silent: bool) -> bool:
    """`[[id]]`, `[[id|words]]`, `[[id#anchor]]`, `[[id#anchor|words]]`: a token for the renderer to resolve."""
    found = _MENTION.match(state.src, state.pos) if state.src.startswith("[[", state.pos) else None
    mention = _mention_at(found, state.src) if found else None
    if mention is None:
        return False
    # Inside a link's words this rule makes the link fail (CommonMark allows no link in a link),
    # so a mention never nests in another link.
    if not silent:
        state.push("mention", "", 0).meta = {"mention": mention}
    state.pos = found.end()  # type: ignore[union-attr]
    return True


def _render_mention(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: dict[str, Any]) -> str:
    """A resolved mention as a link; an unknown one as its words (the validator reports it)."""
    mention: Mention = tokens[idx].meta["mention"]
    found = env["links"].get((mention.id, mention.anchor))
    if found is None:
        return _words(mention.words or mention.id, env)
    href, title = found
    return f'<a href="{html.escape(href)}">{_words(mention.words or title, env)}</a>'


def _render_text(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: dict[str, Any]) -> str:
    return _words(tokens[idx].content, env)


def _words(text: str, env: dict[str, Any]) -> str:
    """Text as HTML; on a page of a known language, runs in the other one's script say so (`scripts`)."""
    return mark_other_script(text, env["lang"]) if env.get("lang") else html.escape(text, quote=False)


def _render_link_open(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: dict[str, Any]) -> str:
    """A link the editor wrote goes to another site: the page it opens gets no hold on this one."""
    tokens[idx].attrSet("rel", EXTERNAL_REL)
    return self.renderToken(tokens, idx, options, env)


def make_parser(*, html: bool = False, validate_link: Callable[[str], bool] = link_allowed,
                images: bool = False) -> MarkdownIt:
    """The CommonMark parser pattern prose is read with; the arguments exist for diagnostics and tests."""
    from markdown_it import MarkdownIt  # imported when first needed: `patterns validate` seldom needs it

    md = MarkdownIt("commonmark", {"html": html})
    md.validateLink = validate_link  # type: ignore[method-assign]
    md.disable(["heading", "lheading"])
    if not images:
        md.disable("image")
    md.inline.ruler.before("link", "mention", _mention_rule)
    md.add_render_rule("mention", _render_mention)
    md.add_render_rule("text", _render_text)
    md.add_render_rule("link_open", _render_link_open)
    return md


@functools.cache
def _parser() -> MarkdownIt:
    """The parser, made when first needed: most texts `patterns validate` reads need none."""
    return make_parser()


@functools.cache
def _diagnostic_parser() -> MarkdownIt:
    """What the editor probably meant, read by the same rules with HTML, images and every link switched on:
    its tokens show where the site will print text the editor may have meant as markup."""
    return make_parser(html=True, validate_link=lambda url: True, images=True)

# Characters with a meaning inside a CommonMark paragraph (emphasis, code, links, entities, escapes,
# autolinks, mentions) or that the parser and the sanitiser write differently (NUL, no-break space),
# and lines that could open or end a block (indents, lists, quotes, rules, fences, hard breaks).
_INLINE_SYNTAX = re.compile(r"[\\`*_\[\]<&\t\r\x00\xa0]")
_BLOCK_LINE = re.compile(r"^(?:[ \t]|[-+*>#=_~]|\d+[.)])|[ \t]$", re.M)
_BLANK_LINES = re.compile(r"\n[ \t]*\n\s*")


def is_plain_prose(text: str) -> bool:
    """Whether the parser would make only paragraphs of this text, with nothing marked up inside."""
    return bool(text) and not _INLINE_SYNTAX.search(text) and not _BLOCK_LINE.search(text)


@functools.lru_cache(maxsize=65536)
def _parsed(text: str) -> tuple[list[Token], tuple[Mention, ...]]:
    """The parser's tokens for one text, and the mentions among them."""
    tokens = _parser().parse(text)
    return tokens, tuple(t.meta["mention"] for t in _walk(tokens) if t.type == "mention")


def _walk(tokens: Sequence[Token]) -> list[Token]:
    """Block tokens and the inline tokens inside them, in order."""
    out: list[Token] = []
    for token in tokens:
        out.append(token)
        if token.children:
            out.extend(token.children)
    return out


@functools.lru_cache(maxsize=65536)
def _rendered(text: str, links: tuple[tuple[tuple[str, str], tuple[str, str] | None], ...], lang: str) -> str:
    tokens, _ = _parsed(text)
    env = {"links": dict(links), "lang": lang}
    parser = _parser()
    return sanitize(parser.renderer.render(tokens, parser.options, env)).rstrip("\n")


def to_html(text: str, resolve: Resolve, lang: str = "") -> str:
    """Block HTML (paragraphs, lists, quotes, code) of one prose text, sanitised; with the page's `lang`,
    words in the other language's script are marked as such."""
    text = text.strip("\n")
    if is_plain_prose(text):
        return _plain_html(text, lang)
    _, found = _parsed(text)
    links = tuple(((m.id, m.anchor), resolve(m.id, m.anchor)) for m in dict.fromkeys(found))
    return _rendered(text, links, lang)


@functools.lru_cache(maxsize=65536)
def _plain_html(text: str, lang: str) -> str:
    """What the parser and the sanitiser make of plain prose, without running them."""
    env = {"lang": lang}
    return "\n".join(f"<p>{_words(p, env)}</p>" for p in _BLANK_LINES.split(text))


def to_inline_html(text: str, resolve: Resolve, lang: str = "") -> str:
    """HTML to sit inside a sentence or a list item: a lone paragraph loses its <p>."""
    html_text = to_html(text, resolve, lang)
    if html_text.startswith("<p>") and html_text.endswith("</p>") and html_text.count("<p>") == 1:
        return html_text[3:-4]
    return html_text


# What could make a "[[…]]" in the text something else than a mention, or hide one: code (backticks,
# fences, indented lines), escapes, tags and autolinks, and link destinations or definitions, which
# may hold brackets. Text with none of these has every match of the grammar as a mention, in order
# (tests/test_markup.py checks this against the parser on every text it has).
_MENTION_UNSURE = re.compile(r"[`\\<~]|\]\(|\]:|^(?: {4}|\t)", re.M)


def mentions(text: str) -> list[Mention]:
    """Every mention in a text, in order (mentions inside code are text, not mentions)."""
    if "[[" not in text:
        return []
    text = text.strip("\n")
    if _MENTION_UNSURE.search(text):
        return list(_parsed(text)[1])
    return [m for m in (_mention_at(found, text) for found in _MENTION.finditer(text)) if m is not None]


def plain_words(text: str, resolve: Resolve | None = None) -> str:
    """The words a reader sees, with no markup: link and code text kept, addresses dropped.

    A mention counts as its words, else as the title `resolve` gives (else its id).
    """
    text = text.strip("\n")
    if is_plain_prose(text):
        return " ".join(text.split())
    words: list[str] = []
    for token in _walk(_parsed(text)[0]):
        if token.type in ("text", "code_inline", "code_block", "fence"):
            words.append(token.content)
        elif token.type == "mention":
            mention: Mention = token.meta["mention"]
            found = resolve(mention.id, mention.anchor) if resolve and not mention.words else None
            words.append(mention.words or (found[1] if found else mention.id))
        elif token.type in ("softbreak", "hardbreak", "paragraph_close", "list_item_close"):
            words.append(" ")
    return " ".join("".join(words).split())


def problems(text: str) -> list[Problem]:
    """Raw HTML, images and links to other schemes that the site will show as text, for the validator."""
    # Every tag and autolink has a "<"; every inline link and image a "](" and every link definition a "]:"
    # (CommonMark allows nothing between them): text with none of these (mentions included) has no problem.
    if "<" not in text and "](" not in text and "]:" not in text:
        return []
    found: list[Problem] = []
    line = 0
    for token in _walk(_diagnostic_parser().parse(text)):
        if token.map:
            line = token.map[0]
        if token.type in ("html_inline", "html_block"):
            found.append(Problem("html", _tag_start(token.content), line))
        elif token.type == "image":
            found.append(Problem("image", str(token.attrGet("src") or ""), line))
        elif token.type == "link_open" and not link_allowed(str(token.attrGet("href") or "")):
            found.append(Problem("link", str(token.attrGet("href") or ""), line))
    return found


def _tag_start(raw: str) -> str:
    """'<img' of '<img src=x>', '<!--' of a comment: how the message names a piece of HTML."""
    raw = raw.strip()
    if raw.startswith("<!--"):
        return "<!--"
    end = 1
    while end < len(raw) and (raw[end].isalnum() or raw[end] in "/!?-"):
        end += 1
    return raw[:end]
