"""Customer-interaction pattern catalogue: YAML patterns in, a bilingual site out.

`core` (load → validate → model → render, search) works on plain paths and data and never
imports a site generator; `adapter` is the thin MkDocs/ProperDocs plugin and theme around it;
`cli` is the `patterns` command for editors.
"""
