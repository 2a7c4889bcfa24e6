"""Python's cycle collector paused while a long step builds up objects it keeps.

Reading a thousand pattern files, or updating a preview, creates millions of objects that stay
alive to the end. Each full collection the allocations trigger walks all of them and frees
nothing (the parsed data holds no cycles), so these steps run with the collector paused; the
few cycles they leave are collected once it runs again.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cycle collector for the `with` block, and restore it as it was."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
