"""Occurrences per segment of a part's commonest characters, counted once when the part is built.

A form's counts per document are a bincount over its suffix-array slice: for a common character that
slice is millions of entries (的 in 100k reports: some 10 M, tens of ms to count, each time). So
each part keeps, for its commonest characters (HOT_MIN occurrences or more, HOT_MAX at most), their
counts per segment as rows of a matrix saved beside the part and mapped; such a query reads one row
(its pages only). A row is used only when it adds up to its slice's length, else counted afresh.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from store.search.suffix import CHUNK, SuffixText

HOT_MIN = 200_000  # occurrences in the part: below this a bincount takes well under a millisecond
HOT_MAX = 128
FILES = ("hot_codes", "hot_counts")


class HotCounts:
    """Rows of counts per segment, one for each hot character's encoded key."""

    def __init__(self, codes: np.ndarray, counts: np.ndarray, code_dtype: np.dtype) -> None:
        self.codes, self.counts = codes, counts
        self.rows = {np.array([c], dtype=code_dtype).tobytes(): r for r, c in enumerate(codes.tolist())}

    @classmethod
    def none(cls, text: SuffixText) -> HotCounts:
        return cls(np.zeros(0, dtype=np.uint32), np.zeros((0, text.segments), np.uint32), text.codes.dtype)

    @classmethod
    def build(cls, text: SuffixText) -> HotCounts:
        """The rows of every character of `text` occurring HOT_MIN times or more (HOT_MAX at most)."""
        totals = np.zeros(len(text.alphabet), dtype=np.int64)
        for start in range(0, len(text.codes), CHUNK):  # native ints a chunk at a time, not n of them
            totals += np.bincount(text.codes[start : start + CHUNK].astype(np.intp), minlength=len(totals))
        totals[0] = 0  # the separator is never searched
        common = np.argsort(-totals, kind="stable")[:HOT_MAX]
        hot = np.sort(common[totals[common] >= HOT_MIN]).astype(np.uint32)
        rows = []
        for code in hot.tolist():
            lo, hi = text.find_range(np.array([code], dtype=text.codes.dtype).tobytes())
            rows.append(text.counts(lo, hi, text.segments).astype(np.uint32))
        if not rows:
            return cls.none(text)
        return cls(hot, np.stack(rows), text.codes.dtype)

    def save(self, folder: Path) -> None:
        np.save(folder / "hot_codes.npy", self.codes, allow_pickle=False)
        np.save(folder / "hot_counts.npy", self.counts, allow_pickle=False)

    @classmethod
    def load(cls, folder: Path, text: SuffixText) -> HotCounts:
        """The saved rows, mapped; none for a part saved without them. ValueError when they cannot be
        this part's (a segment count or a character it does not have)."""
        if not (folder / "hot_codes.npy").exists():
            return cls.none(text)
        codes = np.asarray(np.load(folder / "hot_codes.npy", allow_pickle=False))
        counts = np.asarray(np.load(folder / "hot_counts.npy", mmap_mode="r", allow_pickle=False))
        if (
            codes.ndim != 1
            or codes.dtype != np.uint32
            or counts.dtype != np.uint32
            or counts.shape != (len(codes), text.segments)
            or (len(codes) and (int(codes.max()) >= len(text.alphabet) or int(codes.min()) == 0))
        ):
            raise ValueError(f"{folder}: hot counts do not fit the part")
        return cls(codes, counts, text.codes.dtype)

    def row(self, key: bytes, lo: int, hi: int) -> np.ndarray | None:
        """The counts of the character `key` if it is hot and its row is whole (sums to its slice)."""
        number = self.rows.get(key)
        if number is None:
            return None
        row = self.counts[number]
        return row if int(row.sum(dtype=np.int64)) == hi - lo else None
