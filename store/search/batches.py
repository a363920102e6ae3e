"""How much an import or an index build holds at once: one bound, shared by both (the importer loads this
module, not the index).

An import extracts, writes and indexes its new documents in batches of about BATCH_CHARS characters
(store/importer.py), and an index is built in parts of at most as many (store/search/index.py): peak
memory is then set by one batch and one part's sort, not by the archive, and each batch an import
commits is one index part. Pure Python: the importer loads it without numpy.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

Item = TypeVar("Item")

# The characters of one batch and one index part: a 10k-report store (32 M characters) stays one part;
# a part's sort holds its codes and 2n int32 (docs/performance.md).
BATCH_CHARS = 40_000_000


def in_batches(items: Iterable[Item], size: Callable[[Item], int]) -> Iterator[list[Item]]:
    """`items` in order, in consecutive lists of at most BATCH_CHARS by `size` (an item larger than
    that alone in its list); no empty list, nothing when there are no items."""
    limit = BATCH_CHARS  # read when called: tests set a small one
    batch: list[Item] = []
    total = 0
    for item in items:
        weight = size(item)
        if batch and total + weight > limit:
            yield batch
            batch, total = [], 0
        batch.append(item)
        total += weight
    if batch:
        yield batch
