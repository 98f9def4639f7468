"""`paused_gc()`: no cyclic garbage collection while a stage builds many small objects.

A parsed map is a large live object graph (hundreds of thousands of objects on a
280k-line map). A full collection while a later stage allocates rescans all of it,
again and again, for garbage that is not there: the stages make no reference cycles.
Every stage that allocates in bulk (parse, mapping, evaluation, rules, evidence,
layout, the page data) runs inside this one helper.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused_gc() -> Iterator[None]:
    """Disable the cyclic collector for the block; restore it as it was (nesting is fine)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
