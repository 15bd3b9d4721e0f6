"""Running one large batch of work in memory (a province's report: hundreds of thousands of cells
and verdict records) without Python's cyclic garbage collector walking every live object again and
again: the collector is paused for the batch and resumed after it. Nothing is lost: the batch
makes almost no reference cycles, and what it does make is collected once the collector resumes.
Uses nothing of EcoDesk."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector inside the block (nested blocks: the outermost resumes
    it; a collector the caller had already disabled stays disabled)."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
