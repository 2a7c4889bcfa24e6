"""The page a preview shows instead of the site while pattern files have errors.

A preview server answers every request only once a build has succeeded, so while the files are
broken the adapter publishes this page as the whole site (as `index.html` and `404.html`). It
lists every finding, escaped like any other untrusted text, and reloads itself as soon as the
preview has built something else: the fixed site, or other findings.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import jinja2

from generator.core.findings import Finding
from generator.core.render import TEMPLATES


def render_findings_page(findings: Sequence[Finding]) -> str:
    """A standalone HTML page listing `findings`, in Korean and English."""
    lines = [str(finding) for finding in findings]
    # The page knows itself by this token: while the address still answers with it, nothing changed.
    token = hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()[:32]
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), undefined=jinja2.StrictUndefined,
                             autoescape=True)
    return env.get_template("findings.html.j2").render(findings=lines, token=token)
