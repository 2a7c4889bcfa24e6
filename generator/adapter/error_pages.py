"""A 404 page in each language.

MkDocs renders the theme's `404.html` once, at the site root, with absolute URLs below `site_url`,
since a static host serves it at whatever address was missing. That page is the Korean one; the
English one is the same template rendered again for `en/404.html`, and the Korean page forwards
addresses under `en/` to it (see theme/404.html).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from generator.adapter import engine

if TYPE_CHECKING:
    import jinja2
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.nav import Navigation

ERROR_TEMPLATE = "404.html"
OTHER_LANGUAGE_ERROR_PAGES = ("en/404.html",)  # the root 404.html is the theme's own


def write_error_pages(env: jinja2.Environment, files: Files, nav: Navigation, config: MkDocsConfig) -> None:
    """Render the theme's 404 template for each other language's address, as MkDocs renders the root one."""
    template = env.get_template(ERROR_TEMPLATE)
    base_url = urlsplit(config.site_url or "/").path  # as MkDocs does for error templates
    for url in OTHER_LANGUAGE_ERROR_PAGES:
        template = config.plugins.on_pre_template(template, template_name=url, config=config)
        context = engine.template_context(nav, files, config, base_url)
        context["patterns_error_url"] = url  # type: ignore[typeddict-unknown-key]
        context = config.plugins.on_template_context(context, template_name=url, config=config)
        output = config.plugins.on_post_template(template.render(context), template_name=url, config=config)
        target = Path(config.site_dir) / url
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(output, encoding="utf-8")
