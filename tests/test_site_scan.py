"""The scan of the built site: the last gate, run by every build."""

from __future__ import annotations

import logging
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from mkdocs.exceptions import Abort

from conftest import SITE_URL, build_site
from generator.core import site_scan
from generator.core.site_scan import ScanMemo, scan_page, scan_site

PAGE = ("<!doctype html><html><head>{head}</head><body><header>{chrome}</header>"
        "<article>{article}</article></body></html>")


def messages(head: str = "", chrome: str = "", article: str = "", own_host: str = "") -> list[str]:
    html = PAGE.format(head=head, chrome=chrome, article=article)
    return [f.message for f in scan_page(html, "page/index.html", own_host)]


def test_the_real_site_is_clean(real_site: Path) -> None:
    assert scan_site(real_site, own_host=urlsplit(SITE_URL).hostname or "") == []


@pytest.mark.parametrize(("article", "expected"), [
    ("<p onclick=x>a</p>", "content holds <p onclick>, an attribute pages never contain"),
    ("<p style='color:red'>a</p>", "content holds <p style>, an attribute pages never contain"),
    ("<td style='background:red'>a</td>", None),  # outside a table the parser drops a <td>
    ("<table><tr><td style='background:url(x)'>a</td></tr></table>",
     'content holds <td style="background:url(x)">, which pages never contain'),
    ("<img src=x.png>", "content holds a <img> element, which pages never contain"),
    ("<textarea>x</textarea>", "content holds a <textarea> element, which pages never contain"),
    ("<a href='java&#9;script:alert(1)'>x</a>",
     "<a> links to 'java\tscript:alert(1)'; only http, https, mailto and this site are allowed"),
    ("<p id=problem>x</p>", "content holds <p id>, an attribute pages never contain"),
    ("<div data-md-component=search>x</div>", "content holds <div data-md-component>, an attribute pages never "
                                              "contain"),
    ("<div data-pattern=x aria-label=y class=z role=note lang=en title=t>x</div>", None),
    ("<svg><a xlink:href='javascript:x'><text>x</text></a></svg>",
     "content holds <a xlink:href>, an attribute pages never contain"),
])
def test_content_outside_the_allowlist_is_reported(article: str, expected: str | None) -> None:
    assert messages(article=article)[:1] == ([expected] if expected else [])


def test_a_link_to_a_script_is_reported_in_svg_too() -> None:
    assert messages(article="<svg><a xlink:href='javascript:x'><text>x</text></a></svg>") == [
        "content holds <a xlink:href>, an attribute pages never contain",
        "<a> links to 'javascript:x'; only http, https, mailto and this site are allowed"]


@pytest.mark.parametrize(("chrome", "expected"), [
    ("<img src='https://evil.example/t.png'>", "<img src> loads 'https://evil.example/t.png' from outside this site"),
    ("<img src='//evil.example/t.png'>", "<img src> loads '//evil.example/t.png' from outside this site"),
    ("<img src='\\\\evil.example\\t.png'>", "<img src> loads '\\\\evil.example\\t.png' from outside this site"),
    ("<img srcset='a.png 1x, https://evil.example/b.png 2x'>",
     "<img srcset> loads 'https://evil.example/b.png' from outside this site"),
    ("<div style='background:url(\"https://evil.example/t\")'>", "<div style> loads 'https://evil.example/t' from "
                                                                 "outside this site"),
    ("<div style='background:u\\72l(//evil.example/t)'>",
     "<div style> loads '//evil.example/t' from outside this site"),
    ("<style>@import 'https://evil.example/x.css';</style>", "<style> loads 'https://evil.example/x.css' from "
                                                             "outside this site"),
    ("<form action='https://evil.example/'></form>",
     "<form action> loads 'https://evil.example/' from outside this site"),
    ("<video poster='https://evil.example/p.png'></video>", "<video poster> loads 'https://evil.example/p.png' "
                                                            "from outside this site"),
    ("<svg><use xlink:href='https://evil.example/s#a'/></svg>", "<use xlink:href> loads 'https://evil.example/s#a' "
                                                                "from outside this site"),
    ("<a href=' JAVASCRIPT:alert(1)'>x</a>", "<a> links to ' JAVASCRIPT:alert(1)'; only http, https, mailto and "
                                             "this site are allowed"),
    ("<a href='https://example.com/'>ok</a><img src='/assets/x.png'><div style='background:url(data:image/png,x)'>",
     None),
    ("<script src='data:text/javascript,alert(1)'></script>", "<script src> loads 'data:text/javascript,alert(1)' "
                                                              "from outside this site"),
    ("<iframe srcdoc='<img src=https://evil.example/t>'></iframe>", "<iframe srcdoc> embeds a document of its own, "
                                                                   "which pages never contain"),
])
def test_anything_on_the_page_that_loads_from_another_host_is_reported(chrome: str, expected: str | None) -> None:
    assert messages(chrome=chrome) == ([expected] if expected else [])


def test_a_refresh_and_a_style_sheet_in_the_head_are_checked_too() -> None:
    head = ("<link rel=stylesheet href='https://cdn.example/x.css'><meta http-equiv=refresh "
            "content='0; url=javascript:alert(1)'><link rel=canonical href='https://patterns.example.com/a/'>")
    assert messages(head=head, own_host="patterns.example.com") == [
        "<link href> loads 'https://cdn.example/x.css' from outside this site",
        "<meta http-equiv=refresh> goes to 'javascript:alert(1)'; only http, https and this site are allowed",
    ]


def test_a_build_with_a_finding_fails_and_names_the_page(mini_project: Path, caplog: pytest.LogCaptureFixture) -> None:
    # Hand-written pages may hold HTML (they are not pattern text); the scan still stops a tracker in one.
    page = mini_project / "docs/en/index.md"
    page.write_text(page.read_text(encoding="utf-8") + '\n<img src="https://tracker.example/p.png">\n',
                    encoding="utf-8")
    with caplog.at_level(logging.ERROR), pytest.raises(Abort):
        build_site(mini_project)
    assert [r.getMessage() for r in caplog.records if r.name.endswith("plugin")] == [
        "generator: en/index.html: content holds a <img> element, which pages never contain",
        "generator: en/index.html: <img src> loads 'https://tracker.example/p.png' from outside this site",
    ]
    assert "2 problem(s) in the built pages" in caplog.text


def test_a_preview_scans_only_pages_whose_bytes_changed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("a.html", "b.html", "c/index.html"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(PAGE.format(head="", chrome="", article="<p>fine</p>"), encoding="utf-8")
    scanned: list[str] = []
    real = site_scan.scan_page
    monkeypatch.setattr(site_scan, "scan_page", lambda html, name, own_host="": scanned.append(name) or
                        real(html, name, own_host))
    memo = ScanMemo()
    assert scan_site(tmp_path, memo=memo) == [] and sorted(scanned) == ["a.html", "b.html", "c/index.html"]
    scanned.clear()
    (tmp_path / "b.html").write_text(PAGE.format(head="", chrome="", article="<img src=x>"), encoding="utf-8")
    assert [str(f) for f in scan_site(tmp_path, memo=memo)] == [
        "b.html: content holds a <img> element, which pages never contain"]
    assert scanned == ["b.html"]
    scanned.clear()
    assert len(scan_site(tmp_path, memo=memo)) == 1 and scanned == []  # a finding stays until the page changes
