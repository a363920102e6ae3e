"""Parsing a store without the cyclic garbage collector rescanning what it makes.

Reading a large store (its JSON, or its catalogue's rows) makes millions of objects, none of them
cyclic garbage; with the collector running, its passes over that growing heap were a third of the
open. Frozen afterwards, they are skipped by later collections too, so neither the browser nor a
lookup pauses to rescan them. It imports nothing, so a lookup can use it without TinyDB.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """No cyclic collection inside the block; what it made is frozen when it ends."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()
