"""A suffix array over the folded corpus: every substring of every document found by two binary searches.

The corpus is held as one array of 16-bit character codes (ranks in the corpus's own alphabet, so rare
characters beyond the BMP still take one slot and offsets stay character offsets). Code 0 separates
segments, so no match can straddle two documents. Beside the suffix array lies `owner`, the segment
of every suffix, aligned with it: the segments holding a substring are one slice of `owner` away, which
keeps one-character queries (hundreds of thousands of occurrences) to a `bincount`.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

SEPARATOR = 0
MAX_ALPHABET = 0xFFFF  # codes are uint16 and 0 is the separator
CODE_DTYPE = np.dtype(">u2")  # big-endian, so byte order equals code order in comparisons


@dataclass
class SuffixText:
    """Codes of the folded segments, their suffix array, and the segment owning each suffix."""

    codes: np.ndarray  # >u2, the segments joined by SEPARATOR
    sa: np.ndarray  # int32 positions into codes, suffixes in lexicographic order
    owner: np.ndarray  # uint16 or int32, owner[i] = segment of the suffix sa[i]
    starts: np.ndarray  # int64, starts[k] = first position of segment k (len = segments + 1)
    alphabet: np.ndarray  # uint32 code points; alphabet[code] is the character, alphabet[0] unused

    @classmethod
    def build(cls, segments: Sequence[str]) -> SuffixText:
        """Index the (already folded) segments; a few seconds for 30 M characters."""
        codes, alphabet = dense_codes("\x00".join(segments) + "\x00")
        sa = _suffix_array(codes)
        lengths = np.fromiter((len(s) + 1 for s in segments), dtype=np.int64, count=len(segments))
        starts = np.zeros(len(segments) + 1, dtype=np.int64)
        np.cumsum(lengths, out=starts[1:])
        owner_dtype = np.uint16 if len(segments) <= 0xFFFF else np.int32
        position_owner = np.repeat(np.arange(len(segments), dtype=owner_dtype), lengths)
        owner = position_owner[sa]
        return cls(codes=codes, sa=sa, owner=owner, starts=starts, alphabet=alphabet)

    # -- persistence -----------------------------------------------------------------------------

    FILES = ("codes", "sa", "owner", "starts", "alphabet")

    def save(self, folder: Path) -> None:
        for name in self.FILES:
            np.save(folder / f"{name}.npy", getattr(self, name), allow_pickle=False)

    @classmethod
    def load(cls, folder: Path) -> SuffixText:
        """Map the big arrays read-only (opening costs milliseconds; pages come in as searched)."""
        arrays = {
            name: np.load(folder / f"{name}.npy", mmap_mode="r", allow_pickle=False) for name in cls.FILES
        }
        # plain ndarray views of the maps: slicing a memmap subclass costs microseconds per call
        text = cls(**{name: np.asarray(array) for name, array in arrays.items()})
        text.check()
        return text

    def check(self) -> None:
        """Refuse arrays that do not fit together (a truncated or foreign index)."""
        n = len(self.codes)
        if self.codes.dtype != CODE_DTYPE or len(self.sa) != n or len(self.owner) != n:
            raise ValueError("suffix arrays do not match the text")
        if len(self.starts) < 1 or int(self.starts[-1]) != n:
            raise ValueError("segment starts do not match the text")

    # -- lookups ---------------------------------------------------------------------------------

    @property
    def segments(self) -> int:
        return len(self.starts) - 1

    def encode(self, pattern: str) -> bytes | None:
        """The pattern as comparable bytes, or None when it uses a character the corpus never has."""
        points = np.frombuffer(pattern.encode("utf-32-le"), dtype="<u4")
        codes = np.searchsorted(self.alphabet, points)
        codes = np.minimum(codes, len(self.alphabet) - 1)
        if not len(points) or not np.array_equal(self.alphabet[codes], points) or (codes == 0).any():
            return None
        return codes.astype(CODE_DTYPE).tobytes()

    def find_range(self, key: bytes, lo: int = 0, hi: int | None = None) -> tuple[int, int]:
        """The slice of the suffix array whose suffixes start with `key`, searched within [lo, hi).

        A narrower [lo, hi) from a prefix of `key` (the previous keystroke) gives the same answer faster.
        """
        hi = len(self.sa) if hi is None else hi
        width = len(key)
        codes, sa = self.codes, self.sa
        units = width // 2

        def head(i: int) -> bytes:
            p = int(sa[i])
            return codes[p : p + units].tobytes()

        a, b = lo, hi
        while a < b:  # first suffix whose head is >= key
            mid = (a + b) // 2
            if head(mid) < key:
                a = mid + 1
            else:
                b = mid
        first = a
        b = hi
        while a < b:  # first suffix whose head is > key
            mid = (a + b) // 2
            if head(mid) <= key:
                a = mid + 1
            else:
                b = mid
        return first, a

    def counts(self, lo: int, hi: int, minlength: int) -> np.ndarray:
        """Occurrences per segment for the suffix-array slice [lo, hi)."""
        if hi <= lo:
            return np.zeros(minlength, dtype=np.int64)
        return np.bincount(self.owner[lo:hi], minlength=minlength)

    def segment_text(self, k: int) -> str:
        """The folded text of segment k, decoded from its codes."""
        start, end = int(self.starts[k]), int(self.starts[k + 1]) - 1
        return decode(self.codes[start:end], self.alphabet)


def dense_codes(text: str) -> tuple[np.ndarray, np.ndarray]:
    """Each character as its rank in the text's own sorted alphabet (uint16), and that alphabet.

    A presence table over all code points instead of `np.unique`, which would sort 30 M values.
    """
    if not text or max(text) <= "\uffff":  # BMP only (nearly always): half the memory of UTF-32
        points = np.frombuffer(text.encode("utf-16-le"), dtype="<u2")
    else:
        points = np.frombuffer(text.encode("utf-32-le"), dtype="<u4")
    present = np.zeros(0x110000, dtype=bool)
    present[points] = True
    present[0] = True  # code 0 stays the separator even in text that has none
    alphabet = np.flatnonzero(present).astype(np.uint32)
    if len(alphabet) > MAX_ALPHABET:
        raise ValueError(f"text uses {len(alphabet)} distinct characters; at most {MAX_ALPHABET}")
    rank = (np.cumsum(present, dtype=np.uint32) - 1).astype(np.uint16)
    return rank[points].astype(CODE_DTYPE), alphabet


def decode(codes: np.ndarray, alphabet: np.ndarray) -> str:
    """Text back from codes and their alphabet."""
    return alphabet[codes.astype(np.intp)].astype("<u4").tobytes().decode("utf-32-le")


def _suffix_array(codes: np.ndarray) -> np.ndarray:
    """Suffix array of 16-bit codes via libdivsufsort on their big-endian bytes (even offsets only)."""
    from pydivsufsort import divsufsort

    raw = divsufsort(codes.view(np.uint8))
    if raw.dtype != np.int32 or sys.byteorder != "little":
        even = raw[(raw & 1) == 0]
    else:  # parity from the low byte of each int32: no 4-byte-wide temporary (256 MB at 10k documents)
        even = raw[(raw.view(np.uint8)[0::4] & 1) == 0]
    del raw
    even >>= 1
    return even.astype(np.int32, copy=False)
