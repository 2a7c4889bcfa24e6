"""The engine-free core: pattern files in, validated model, pages, search index and findings out.

Nothing here imports a site generator. `loader` reads YAML, `validate` finds every problem,
`model` holds the result, `render` and `search` turn it into what a site shows (prose through
`markup` and `sanitize`), `site_scan` reads the built site back before it is published, and
`catalogue` ties them together for a folder. A move to another site generator replaces
`generator.adapter` and keeps all of this.
"""
