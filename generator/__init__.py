"""Customer-interaction pattern catalogue: YAML patterns in, a bilingual MkDocs site out.

The core (loader → validate → model → render) works on plain paths and data and never
imports MkDocs, so the content can move to another site generator with a new adapter.
"""
