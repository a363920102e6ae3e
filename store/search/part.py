"""One part of the search index: a suffix text over a run of its documents, with their original codes.

A fresh index is one part. An import that adds a few documents to a large store appends a part over
just those (sorting every character again is most of a rebuild);
the index answers over all its parts as one. Each part has its own alphabet, so a form is encoded,
found and counted part by part, and its range caches are the part's own.
"""

from __future__ import annotations

import contextlib
import itertools
import mmap
import os
import threading
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

from store.models import Span
from store.search.hot import HotCounts
from store.search.suffix import SuffixText, check_codes, decode

CACHE_SIZE = 256
# Hits of a form come from comparing codes in the chosen documents when its suffix-array slice is
# longer than SCAN_FACTOR × their total length, else from the slice: a slice entry costs a gather and
# two selections, a code of the chosen documents one comparison (measured crossover ~0.2-0.3).
SCAN_FACTOR = 0.25


class TermCounts(NamedTuple):
    """A term's forms found in one part, and its occurrences per segment (documents, then titles)."""

    ranges: list[tuple[int, int, str]]  # the suffix-array slice of each form found, and the form
    counts: list[tuple[float, np.ndarray]]  # per weight of its forms: their occurrences added up


class IndexPart:
    """Documents `first … first + n_docs - 1` of the index: segments 0…n-1 their texts, n…2n-1 titles."""

    def __init__(self, text: SuffixText, originals: tuple[np.ndarray, np.ndarray], first: int, path: str):
        self.text = text
        self.orig_codes, self.orig_alphabet = originals
        self.first = first
        self.path = path  # folder within the index folder ("" for the first part)
        self.n_docs = text.segments // 2
        self.lengths = np.diff(text.starts[: self.n_docs + 1]).astype(np.float64) - 1.0
        self._ranges: OrderedDict[bytes, tuple[int, int]] = OrderedDict()
        self._counts: OrderedDict[tuple[tuple[str, float], ...], TermCounts | None] = OrderedDict()
        self.hot = HotCounts.none(text)  # set by the build or the load

    @property
    def chars(self) -> int:
        """Characters of the part's texts, separators included."""
        return int(self.text.starts[self.n_docs])

    # -- persistence -----------------------------------------------------------------------------

    def save(self, folder: Path) -> None:
        """Every array not already spilled into `folder` by the build, then every file fsynced: a power
        cut after the index names this part must not leave holes that load and answer wrongly."""
        folder.mkdir(exist_ok=True)
        self.text.save(folder)
        if not (folder / "orig_codes.npy").exists():
            np.save(folder / "orig_codes.npy", self.orig_codes, allow_pickle=False)
        if not (folder / "hot_codes.npy").exists():
            self.hot.save(folder)
        np.save(folder / "orig_alphabet.npy", self.orig_alphabet, allow_pickle=False)
        for path in folder.iterdir():
            if path.is_file():
                with open(path, "rb") as handle:
                    os.fsync(handle.fileno())

    @classmethod
    def load(cls, folder: Path, first: int, path: str, n_docs: int, *, full: bool = True) -> IndexPart:
        """Map a saved part; raise ValueError when its arrays do not fit its share of the documents.
        Arrays are read through in full (SuffixText.check) unless the index's files are unchanged since
        written or checked (`full=False`: search.saved.trusted_meta)."""
        text = SuffixText.load(folder, full=full)
        codes = np.asarray(np.load(folder / "orig_codes.npy", mmap_mode="r", allow_pickle=False))
        alphabet = np.asarray(np.load(folder / "orig_alphabet.npy", allow_pickle=False))
        if text.segments != 2 * n_docs or len(codes) != int(text.starts[n_docs]):
            raise ValueError(f"{folder}: index arrays do not match its document list")
        check_codes(codes, alphabet, f"{folder}: original", full=full)
        part = cls(text, (codes, alphabet), first, path)
        part.hot = HotCounts.load(folder, text)
        return part

    def warm(self) -> None:
        """Ask the kernel to read the mapped arrays into the page cache ahead of the first queries
        (see SearchIndex.warm), without mapping them into this process: its resident memory stays its
        own, the index pages are the page cache's. Warmed, they are searched in the maps, not probed by
        reads (see SuffixText.probes)."""
        self.text.probes = None
        for array in (self.text.codes, self.text.sa, self.text.owner, self.orig_codes):
            source = array.base
            while source is not None and not isinstance(source, mmap.mmap):  # ndarray → memmap → mmap
                source = getattr(source, "base", None)
            if isinstance(source, mmap.mmap) and hasattr(mmap, "MADV_WILLNEED"):
                with contextlib.suppress(OSError, ValueError):
                    source.madvise(mmap.MADV_WILLNEED)

    def clear_caches(self) -> None:
        self._ranges.clear()
        self._counts.clear()

    # -- counting --------------------------------------------------------------------------------

    def counts(self, forms: Sequence[tuple[str, float]], refine: bool) -> TermCounts | None:
        """Where the term's folded `forms` occur in this part, and how often in each segment, added up
        for the forms of each weight; None if none occurs here.

        One count per weight, over the forms' slices joined (a hot character's saved row added): a
        pinyin term is some thirty words, and counting each into an array of every segment of every
        part, then adding those up, was most of its time in a large index. The sums are the same: the
        weights (1 and 1/4) and counts are exact in floating point, so grouping changes no bit.
        """
        term = tuple(forms)
        if term in self._counts:
            self._counts.move_to_end(term)
            return self._counts[term]
        ranges: list[tuple[int, int, str]] = []
        slices: dict[float, list[np.ndarray]] = {}
        rows: dict[float, list[np.ndarray]] = {}
        for form, weight in forms:
            key = self.text.encode(form)
            if key is None:
                continue
            lo, hi = self._range(key, refine)
            if hi <= lo:
                continue
            ranges.append((lo, hi, form))
            row = self.hot.row(key, lo, hi)
            if row is None:
                slices.setdefault(weight, []).append(self.text.owner[lo:hi])
            else:
                rows.setdefault(weight, []).append(row)
        found = TermCounts(ranges, self._added(slices, rows)) if ranges else None
        _remember(self._counts, term, found, CACHE_SIZE // 4)
        return found

    def _added(
        self, slices: dict[float, list[np.ndarray]], rows: dict[float, list[np.ndarray]]
    ) -> list[tuple[float, np.ndarray]]:
        """Occurrences per segment for each weight: the slices' owners counted at once, rows added."""
        added = []
        for weight in dict.fromkeys([*slices, *rows]):
            owners = slices.get(weight)
            if owners is None:
                counts = np.zeros(2 * self.n_docs, dtype=np.int64)
            else:
                joined = owners[0] if len(owners) == 1 else np.concatenate(owners)
                counts = self.text.counts(0, len(joined), 2 * self.n_docs, joined)
            for row in rows.get(weight, []):
                counts = counts + row
            added.append((weight, counts))
        return added

    def _range(self, key: bytes, refine: bool) -> tuple[int, int]:
        if key in self._ranges:
            return self._ranges[key]
        lo, hi = 0, len(self.text.sa)
        if refine:  # the range of a prefix typed a keystroke ago bounds this one
            width = self.text.codes.itemsize
            for cut in range(len(key) - width, 0, -width):
                if key[:cut] in self._ranges:
                    lo, hi = self._ranges[key[:cut]]
                    break
        found = self.text.find_range(key, lo, hi)
        _remember(self._ranges, key, found, CACHE_SIZE)
        return found

    # -- hits and snippets -----------------------------------------------------------------------

    def hits(self, chosen: np.ndarray, ranges: list[tuple[int, int, str]]) -> dict[int, list[Span]]:
        """Every occurrence of every form in the chosen documents (local numbers), keyed by them.

        A rare form's occurrences are read off its suffix-array slice (no text decoded); a common
        one's slice can hold millions of entries (一 character at 50k documents), so its occurrences are
        found by comparing codes within the chosen documents instead: the cheaper of the two.
        """
        wanted = np.zeros(2 * self.n_docs, dtype=bool)
        wanted[chosen] = True
        lengths = self.text.starts[chosen + 1] - self.text.starts[chosen]
        scan_above = SCAN_FACTOR * int(lengths.sum())
        window: _Window | None = None
        docs_parts, starts_parts, ends_parts = [], [], []
        for lo, hi, form in ranges:
            if hi - lo > scan_above:
                window = window or _Window(self.text.codes, self.text.starts, chosen)
                docs, starts = window.find(self.text.encode(form) or b"")
            else:
                owners = self.text.owner[lo:hi]
                keep = wanted[owners]
                docs = owners[keep].astype(np.int64)
                starts = self.text.sa[lo:hi][keep] - self.text.starts[docs]
            docs_parts.append(docs)
            starts_parts.append(starts)
            ends_parts.append(starts + len(form))
        if not docs_parts:
            return {}
        return _grouped(*(np.concatenate(p) for p in (docs_parts, starts_parts, ends_parts)), len(ranges) > 1)

    def reader(self, k: int) -> tuple[Any, int]:
        """A function reading the original text of local document k by offsets, and its length."""
        begin = int(self.text.starts[k])
        length = int(self.text.starts[k + 1]) - 1 - begin

        def read(start: int, end: int) -> str:
            return decode(self.orig_codes[begin + start : begin + end], self.orig_alphabet)

        return read, length


class _Window:
    """The codes of the chosen documents laid end to end, each with its separator, to find a common
    form's occurrences in all of them with one comparison per character of the form (a pass per
    document made a dozen numpy calls per document and form)."""

    def __init__(self, codes: np.ndarray, starts: np.ndarray, chosen: np.ndarray) -> None:
        self.chosen, self.dtype = chosen, codes.dtype  # big-endian, as keys are; the joined codes native
        begins, ends = starts[chosen], starts[chosen + 1]  # a segment's end holds its separator
        self.codes = np.concatenate([codes[b:e] for b, e in zip(begins.tolist(), ends.tolist(), strict=True)])
        self.offsets = np.concatenate([[0], np.cumsum(ends - begins)])

    def find(self, key: bytes) -> tuple[np.ndarray, np.ndarray]:
        """(document, offset) of every occurrence of the encoded form `key` (never the separator, so
        no occurrence straddles two documents)."""
        pattern = np.frombuffer(key, dtype=self.dtype).astype(self.codes.dtype)
        room = len(self.codes) - len(pattern) + 1
        if room <= 0 or not len(pattern):
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        found = np.flatnonzero(self.codes[:room] == pattern[0])  # then narrowed, character by character
        for j in range(1, len(pattern)):
            found = found[self.codes[found + j] == pattern[j]]
        which = np.searchsorted(self.offsets, found, side="right") - 1
        return self.chosen[which].astype(np.int64), found - self.offsets[which]


def _grouped(docs: np.ndarray, starts: np.ndarray, ends: np.ndarray, overlap: bool) -> dict[int, list[Span]]:
    """Occurrences sorted and grouped by document; with `overlap`, one kept where two forms share it."""
    order = np.lexsort((ends, starts, docs))
    docs, starts, ends = docs[order], starts[order], ends[order]
    if overlap:  # two forms may share an occurrence (a form inside another): keep it once
        fresh = np.ones(len(docs), dtype=bool)
        fresh[1:] = (np.diff(docs) != 0) | (np.diff(starts) != 0) | (np.diff(ends) != 0)
        docs, starts, ends = docs[fresh], starts[fresh], ends[fresh]
    # slices of plain lists: np.split made three arrays per document, most of the grouping's time
    bounds = [0, *(np.flatnonzero(np.diff(docs)) + 1).tolist(), len(docs)]
    doc_list, spans = docs.tolist(), SPANS.spans(starts, ends)
    found: dict[int, list[Span]] = {}
    for begin, end in itertools.pairwise(bounds):
        if end > begin:
            found[doc_list[begin]] = spans[begin:end]
    return found


class SpanPool:
    """`Span`s shared between answers, by start and length: a Span is immutable, and making one (a
    frozen dataclass) costs about a microsecond, which for a common character's thousands of hits in
    fifty results was half of the search. At most `size` are kept; past that the pool starts again."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._pool: dict[int, Span] = {}
        self._lock = threading.Lock()

    def spans(self, starts: np.ndarray, ends: np.ndarray) -> list[Span]:
        """The Span of each (start, end), in order."""
        starts, ends = starts.astype(np.int64, copy=False), ends.astype(np.int64, copy=False)
        lengths = ends - starts
        if not len(starts) or int(lengths.min()) < 0 or int(lengths.max()) >= 1 << 16:
            return list(map(Span, starts.tolist(), ends.tolist()))  # never in a search: kept simple
        keys = ((starts << 16) | lengths).tolist()
        with self._lock:
            if len(self._pool) + len(keys) > self.size:
                self._pool.clear()
            found = list(map(self._pool.get, keys))
            if None in found:
                start_list, end_list = starts.tolist(), ends.tolist()
                for k, span in enumerate(found):
                    if span is None:
                        found[k] = self._pool[keys[k]] = Span(start_list[k], end_list[k])
        return found  # type: ignore[return-value]  # every None was filled


SPANS = SpanPool(1 << 15)  # a few MB


def _remember(cache: OrderedDict[bytes, Any], key: bytes, value: Any, size: int) -> None:
    cache[key] = value
    cache.move_to_end(key)
    while len(cache) > size:
        cache.popitem(last=False)
