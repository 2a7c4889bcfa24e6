"""A browser page that notices everything hostile text could make it do, and ways to write such text."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import Page, Request, Route

MARKER = "window.__pwned"  # what the payloads set when they run; they also call alert()


class Guard:
    """Watches one page: dialogs, scripts' errors, the marker, and every request that leaves the site."""

    def __init__(self, page: Page, base_url: str) -> None:
        self.page = page
        self.host = urlsplit(base_url).netloc
        self.dialogs: list[str] = []
        self.requests: list[str] = []
        self.errors: list[str] = []
        page.on("dialog", lambda dialog: (self.dialogs.append(dialog.message), dialog.dismiss()))
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.route("**/*", self._route)

    def _route(self, route: Route, request: Request) -> None:
        if urlsplit(request.url).netloc == self.host:
            route.continue_()
        else:
            self.requests.append(request.url)
            route.abort()

    def visit(self, url: str) -> None:
        self.page.goto(url)
        self.page.wait_for_load_state("load")
        if self.page.evaluate(f"typeof {MARKER} !== 'undefined'"):
            self.dialogs.append(f"marker set on {url}: {self.page.evaluate(MARKER)}")

    def problems(self) -> dict[str, list[str]]:
        """Everything seen so far that should not have happened (empty lists when all is well)."""
        return {"dialogs": self.dialogs, "requests to other hosts": self.requests, "script errors": self.errors}


def replace_field(path: Path, field: str, yaml_value: str) -> None:
    """Replace a top-level field of a fixture pattern (written on one line) with `field: yaml_value`."""
    text = path.read_text(encoding="utf-8")
    new, count = re.subn(rf"(?m)^{field}:.*(?:\n(?:  |- ).*)*", lambda m: f"{field}: {yaml_value}", text, count=1)
    assert count == 1, field
    path.write_text(new, encoding="utf-8")


def _scripts(n: int) -> list[str]:
    """Two ways to show that script ran: a dialog, and a marker the test reads (numbered to find the payload)."""
    return [f"alert({n})", f"{MARKER}={n}"]


_HTML = [
    "<script>{js}</script>", "<img src=x onerror={js}>", "<svg onload={js}>", "<svg><script>{js}</script></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror={js}>", "<iframe srcdoc=\"<script>{js}</script>\">",
    "<details open ontoggle={js}>", "<input autofocus onfocus={js}>", "<body onload={js}>",
    "<a href=\"javascript:{js}\">x</a>", "<object data=\"javascript:{js}\">", "<embed src=javascript:{js}>",
    "<form><button formaction=javascript:{js}>x</button></form>", "<video><source onerror={js}></video>",
    "<x_y autofocus tabindex=1 onfocus={js}>", "\"><img src=x onerror={js}>", "'><svg onload={js}>",
    "</title><script>{js}</script>", "</textarea><script>{js}</script>", "</script><script>{js}</script>",
    "<noscript><p title=\"</noscript><img src=x onerror={js}>\">", "<!--<img src=x onerror={js}>-->",
    "<![CDATA[<img src=x onerror={js}>]]>", "<svg><a xlink:href=\"javascript:{js}\"><text>x</text></a></svg>",
    "<math href=\"javascript:{js}\">x</math>", "<isindex action=javascript:{js}>", "<img src=x onerror=\"{js}\"/>",
    "<IMG SRC=x OnErRoR={js}>", "<img/src=x/onerror={js}>", "<style>*{{x:expression({js})}}</style>",
    "&lt;script&gt;{js}&lt;/script&gt;", "&#60;img src=x onerror={js}&#62;", "<img src=x onerror=&#x61;lert(1)>",
    "{{{{ 7*7 }}}} {{% raw %}} ${{7*7}} <img src=x onerror={js}>",
]
_LOADS = [
    "<img src=https://evil.example/t.png>", "<link rel=stylesheet href=https://evil.example/x.css>",
    "<style>@import 'https://evil.example/x.css';</style>", "<div style=\"background:url(https://evil.example/t)\">",
    "<p style=\"background:u\\72l(//evil.example/t)\">x</p>", "<base href=https://evil.example/>",
    "<meta http-equiv=refresh content=\"0;url=https://evil.example/\">",
    "<svg><use href=\"https://evil.example/s#a\"/></svg>",
    "<img srcset=\"//evil.example/a.png 2x\">", "<video poster=https://evil.example/p.png>",
    "<audio src=https://evil.example/a.mp3>", "<input type=image src=https://evil.example/i.png>",
    "<table background=https://evil.example/t.png>", "<a ping=https://evil.example/p href=#>x</a>",
    "![t](https://evil.example/t.png)", "![t][i]\n\n[i]: https://evil.example/t.png",
]
_SCHEMES = [
    "javascript:{js}", "JaVaScRiPt:{js}", " javascript:{js}", "java\tscript:{js}", "java\nscript:{js}",
    "java&#10;script:{js}", "&#106;avascript:{js}", "&#x6A;avascript:{js}", "javascript&colon;{js}",
    "vbscript:msgbox(1)", "data:text/html,<script>{js}</script>", "data:image/svg+xml,<svg onload={js}>",
    "\x01javascript:{js}", "javascript%3A{js}", "\u200bjavascript:{js}", "ｊａｖａｓｃｒｉｐｔ:{js}",
    "јavascript:{js}", "file:///etc/passwd", "//evil.example/x", "\\\\evil.example\\x", "javascript:alert((1))",
    "JAVASCRIPT:{js}", "  JavaScript  :{js}", "javascript://%0a{js}",
]
_LINKS = [
    "[x]({u})", "[x](<{u}>)", "[x]({u} \"t\")", "<{u}>", "![x]({u})", "[x][r]\n\n[r]: {u}",
    "> [x][r]\n>\n> [r]: {u}", "- [x][r]\n\n    [r]: {u}", "1.  a\n\n    [r]: {u}\n\n    [x][r]",
    "[r]\n\n[r]: <{u}>", "[x]({u}) and [y](https://example.com/a_(b))",
]
_CODE = [
    "~~~\n{h}\n~~~", "```\na\n\nb\n```\n{h}", "`a\n\n{h}`", "\\`{h}`", "`` {h} ``", "    {h}",
    "<pre>{h}</pre>", "```js\n{h}\n```", "~~~~\n~~~\n{h}\n~~~~", "`{h}",
]
_UNICODE = [
    "＜script＞{js}＜/script＞", "﹤img src=x onerror={js}﹥", "\u202e<img src=x onerror={js}>",
    "\ufeff<script>{js}</script>", "<scr\u200bipt>{js}</script>", "\u2028<img src=x onerror={js}>\u2029",
    "\x00<script>{js}</script>", "\x1b]0;TITLE\x07\x1b[2J<svg onload={js}>", "\x7f\x85<img src=x onerror={js}>",
    "<img src=x onerror={js}>\u0301", "\u3000<script>{js}</script>",
]
_MENTIONS = [
    "[[x\" onmouseover=\"{js}]]", "[[first-contact|<img src=x onerror={js}>]]", "[[javascript:{js}]]",
    "[[first-contact#\"><script>{js}</script>]]", "[[first-contact|[x](javascript:{js})]]",
    "[see [[first-contact]]](javascript:{js})",
]
_WRAPPERS = ["{v}", "*{v}*", "- {v}", "> {v}", "Before {v} after."]


def payloads() -> list[str]:
    """At least a thousand distinct hostile values, each at most 190 characters (plain fields hold 200)."""
    raw: list[str] = []
    n = 1000
    for template in _HTML + _UNICODE + _MENTIONS + _LOADS:
        for js in _scripts(n := n + 1):
            raw.append(template.format(js=js))
    for link in _LINKS:
        for scheme in _SCHEMES:
            raw.append(link.format(u=scheme.format(js=_scripts(n := n + 1)[n % 2])))
    for code in _CODE:
        for template in _HTML[:12]:
            raw.append(code.format(h=template.format(js=_scripts(n := n + 1)[n % 2])))
    values = list(dict.fromkeys(raw))
    for wrapper in _WRAPPERS[1:]:  # the same values again inside emphasis, lists, quotes and sentences
        if len(values) >= 1000:
            break
        values += [wrapper.format(v=value) for value in raw]
    return [value for value in dict.fromkeys(values) if len(value) <= 190]
