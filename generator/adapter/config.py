"""Options of the `patterns` MkDocs plugin."""

from __future__ import annotations

from mkdocs.config import config_options as c
from mkdocs.config.base import Config


class PatternsConfig(Config):
    """`plugins: [patterns]` options; paths resolve against mkdocs.yml."""

    # Content
    patterns_dir = c.Dir(exists=True, default="patterns")
    """Folder of pattern YAML files."""
    retros_dir = c.Dir(exists=False, default="retros")
    """Folder of retrospective records (one YAML file per retrospective); may be missing."""

    # Rendering
    templates_dir = c.Optional(c.Dir(exists=True))
    """Folder whose Markdown templates override the built-in ones (same file names)."""
    parallel = c.Type(bool, default=True)
    """Use a second process for the English half of a large build; `PATTERNS_PARALLEL=0` also turns it off."""

    # Publishing
    publish_wait = c.Type((int, float), default=300)
    """Seconds a build waits for another build of the same site folder to finish before it gives up."""
