"""The adapter to MkDocs-compatible engines (ProperDocs, MkDocs 1.6): plugin, options, preview caches, theme.

Everything that knows about an engine lives here; the core (`generator.core`) does not import it.
"""
