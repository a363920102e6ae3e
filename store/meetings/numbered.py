"""What `grouping.Blocks` files reports in, as numbers rather than Python objects: a report's candidates
were counted, scored and ranked one Python operation per report filed beside it, and an archive of
templated reports files thousands of reports under one day and province. Placing each report of an
import then cost in proportion to the archive: quadratic over the import (docs/performance.md).

Here each report filed gets a number (the same id, the same number); a block is a growing array of
numbers, so a report's hits are counted by `np.bincount` over the blocks it looks in, and the officials
two reports share are counted from bit sets, one row per report, one bit per official seen so far.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

MAX_PEOPLE_WORDS = 64
"""64-bit words of a report's row of officials: past 4,096 distinct officials (8 × 64 bytes a report)
the rows are dropped and `shared_people` says None (the caller counts them one pair at a time)."""


class Numbers:
    """A growing array of report numbers (appends amortised, read as one array without a copy)."""

    __slots__ = ("_data", "_size")

    def __init__(self) -> None:
        self._data = np.empty(8, dtype=np.int64)
        self._size = 0

    def append(self, number: int) -> None:
        if self._size == len(self._data):
            self._data = np.concatenate([self._data, np.empty(len(self._data), dtype=np.int64)])
        self._data[self._size] = number
        self._size += 1

    def view(self) -> np.ndarray:
        return self._data[: self._size]


class PeopleBits:
    """Each numbered report's officials as a row of bits, for counting those two reports share."""

    def __init__(self) -> None:
        self.bit: dict[str, int] = {}
        self._rows = np.zeros((64, 1), dtype=np.uint64)
        self.usable = True

    def put(self, number: int, people: Iterable[str]) -> None:
        """The officials of report `number` (its row is replaced)."""
        if not self.usable:
            return
        for person in people:
            self.bit.setdefault(person, len(self.bit))
        words = (len(self.bit) + 63) // 64
        if words > MAX_PEOPLE_WORDS:
            self.usable, self._rows = False, np.zeros((0, 0), dtype=np.uint64)
            return
        rows, width = self._rows.shape
        if number >= rows or words > width:
            grown = np.zeros((max(rows, 2 * number + 2), max(width, words)), dtype=np.uint64)
            grown[:rows, :width] = self._rows
            self._rows = grown
        self._rows[number] = self.row(people)

    def row(self, people: Iterable[str]) -> np.ndarray:
        """A set of officials as a row; those no filed report names have no bit, and share nothing."""
        row = np.zeros(self._rows.shape[1], dtype=np.uint64)
        for person in people:
            bit = self.bit.get(person)
            if bit is not None:
                row[bit // 64] |= np.uint64(1 << (bit % 64))
        return row

    def shared(self, numbers: np.ndarray, people: Iterable[str]) -> np.ndarray | None:
        """How many of `people` each of the reports `numbers` names; None when the rows were dropped."""
        if not self.usable:
            return None
        mine = self.row(people)
        return np.bitwise_count(self._rows[numbers] & mine).sum(axis=1, dtype=np.int64)
