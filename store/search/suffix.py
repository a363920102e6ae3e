"""A suffix array over the folded corpus: every substring of every document found by two binary searches.

The corpus is held as one array of 16-bit character codes (ranks in the corpus's own alphabet, so rare
characters beyond the BMP still take one slot and offsets stay character offsets). A text whose
alphabet does not fit 16 bits (a report listing the CJK extensions B-F) gets 32-bit codes instead: any
valid Unicode text indexes, and the sort then costs twice the memory, for that index (or part) only.
Code 0 separates segments, so no match can straddle two documents. Beside the suffix array lies
`owner`, the segment of every suffix, aligned with it: the segments holding a substring are one slice
of `owner` away, which keeps one-character queries (hundreds of thousands of occurrences) to a `bincount`.

Building streams: segments are copied into the code array one at a time and every later step works in
place or in chunks, so the peak is the sort's own (the codes and 2n int32), not several corpus copies.
"""

from __future__ import annotations

import bisect
import ctypes
import functools
import mmap
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from store.search.probes import Probes

SEPARATOR = 0
NARROW_ALPHABET = 0x10000  # up to this many characters (the separator included), codes are 16-bit
# big-endian, so byte order equals code order in comparisons; the wide codes only when needed
CODE_DTYPE = np.dtype(">u2")
WIDE_CODE_DTYPE = np.dtype(">u4")
CODE_DTYPES = (CODE_DTYPE, WIDE_CODE_DTYPE)
MAX_CODE_POINT = 0x10FFFF
CHUNK = 1 << 20  # elements per step of the chunked passes: temporaries of a few MB, not n-sized


@dataclass
class SuffixText:
    """Codes of the folded segments, their suffix array, and the segment owning each suffix."""

    codes: np.ndarray  # >u2 (>u4 past NARROW_ALPHABET characters), the segments joined by SEPARATOR
    sa: np.ndarray  # int32 positions into codes, suffixes in lexicographic order
    owner: np.ndarray  # uint16 or int32, owner[i] = segment of the suffix sa[i]
    starts: np.ndarray  # int64, starts[k] = first position of segment k (len = segments + 1)
    alphabet: np.ndarray  # uint32 code points; alphabet[code] is the character, alphabet[0] unused
    # Reads the binary search's probes from the files instead of the maps while the index is not
    # warmed (see `Probes`); None once warmed, or for arrays in memory.
    probes: Probes | None = field(default=None, repr=False, compare=False)
    # The maps' bytes, read as Python ints and bytes by the binary search (see `find_range`); None for
    # arrays in memory.
    mapped: MappedHeads | None = field(default=None, repr=False, compare=False)

    @classmethod
    def build(cls, segments: Iterable[str], spill: Path | None = None) -> SuffixText:
        """Index the (already folded) segments; a few seconds for 30 M characters.

        `segments` may be a generator: each is read once, copied into the code array and dropped, so
        the texts are never all held at once. Peak memory is the sort's: the codes and a 2n int32 array;
        every later step stays below it. With `spill`, each big array is
        saved into that folder as soon as it is complete and held from then on as a read-only map, so
        what comes after the index build (the pinyin lexicon, jieba) does not stack on top of it.
        """
        points = CodePoints()
        for segment in segments:
            points.append(segment)
        lengths = points.lengths()
        codes, alphabet = rank_codes(points.finish())
        del points
        sa = _suffix_array(codes)
        codes = spilled(spill, "codes", codes)
        starts = np.zeros(len(lengths) + 1, dtype=np.int64)
        np.cumsum(lengths + 1, out=starts[1:])
        owner = spilled(spill, "owner", _owners(sa, lengths))  # from sa in memory: its map stays untouched
        sa = spilled(spill, "sa", sa)
        return cls(codes=codes, sa=sa, owner=owner, starts=starts, alphabet=alphabet)

    # -- persistence -----------------------------------------------------------------------------

    FILES = ("codes", "sa", "owner", "starts", "alphabet")

    def save(self, folder: Path) -> None:
        """Save every array not already spilled into `folder` by `build`."""
        for name in self.FILES:
            if not (folder / f"{name}.npy").exists():
                np.save(folder / f"{name}.npy", getattr(self, name), allow_pickle=False)

    @classmethod
    def load(cls, folder: Path, *, full: bool = True) -> SuffixText:
        """Map the big arrays read-only (opening costs milliseconds; pages come in as searched).
        `full=False` for arrays unchanged since written or checked in full (search.saved.trusted_meta)."""
        arrays = {
            name: np.load(folder / f"{name}.npy", mmap_mode="r", allow_pickle=False) for name in cls.FILES
        }
        # plain ndarray views of the maps: slicing a memmap subclass costs microseconds per call
        text = cls(**{name: np.asarray(array) for name, array in arrays.items()})
        text.check(full=full)
        text.probes = Probes.of(arrays["sa"], arrays["codes"])
        text.mapped = MappedHeads.of(text.sa, arrays["codes"])
        return text

    def check(self, *, full: bool = True) -> None:
        """Refuse arrays that do not fit together or point outside each other (a truncated, foreign or
        tampered index): a position outside the text, a segment or code past its table, would otherwise
        answer wrongly in silence or fail mid-search. Bounds are one min/max pass over each mapped
        array (only when `full`: they read every page); the rest is per segment or per character of
        the alphabet."""
        n = len(self.codes)
        arrays = (self.codes, self.sa, self.owner, self.starts, self.alphabet)
        if any(array.ndim != 1 for array in arrays):
            raise ValueError("suffix arrays are not flat")
        if self.sa.dtype != np.int32 or self.owner.dtype not in (np.uint16, np.int32):
            raise ValueError("suffix arrays have foreign types")
        if self.starts.dtype != np.int64 or len(self.sa) != n or len(self.owner) != n:
            raise ValueError("suffix arrays do not match the text")
        starts = self.starts
        if len(starts) < 1 or starts[0] != 0 or int(starts[-1]) != n or (np.diff(starts) < 1).any():
            raise ValueError("segment starts do not match the text")
        check_codes(self.codes, self.alphabet, "text", full=full)
        if not full:
            return
        if len(starts) > 1 and self.codes[starts[1:] - 1].astype(np.int64).any():
            raise ValueError("segments are not separated")
        if n and (int(self.sa.min()) < 0 or int(self.sa.max()) >= n):
            raise ValueError("suffix array points outside the text")
        if n and (int(self.owner.max()) >= self.segments or int(self.owner.min()) < 0):
            raise ValueError("suffix owners name segments the text does not have")

    # -- lookups ---------------------------------------------------------------------------------

    @property
    def segments(self) -> int:
        return len(self.starts) - 1

    def encode(self, pattern: str) -> bytes | None:
        """The pattern as comparable bytes, or None when it uses a character the corpus never has.

        Each character's code is its rank in the alphabet, found by `bisect` over the alphabet as a
        list: numpy's calls on a few characters cost as much as the binary search that follows."""
        alphabet, width = self._points, self.codes.itemsize
        encoded = bytearray()
        for character in pattern:
            point = ord(character)
            code = bisect.bisect_left(alphabet, point)
            if code == 0 or code == len(alphabet) or alphabet[code] != point:  # 0: the separator
                return None
            encoded += code.to_bytes(width, "big")
        return bytes(encoded) or None

    @functools.cached_property
    def _points(self) -> list[int]:
        """The alphabet as Python ints, for `encode`."""
        return self.alphabet.tolist()

    def find_range(self, key: bytes, lo: int = 0, hi: int | None = None) -> tuple[int, int]:
        """The slice of the suffix array whose suffixes start with `key`, searched within [lo, hi).

        A narrower [lo, hi) from a prefix of `key` (the previous keystroke) gives the same answer faster.
        """
        hi = len(self.sa) if hi is None else hi
        ranks, head = self._heads(len(key))
        first = bisect.bisect_left(ranks, key, lo, hi, key=head)  # first suffix whose head is >= key
        return first, bisect.bisect_right(ranks, key, first, hi, key=head)  # first whose head is > key

    def _heads(self, width: int) -> tuple[Sequence[int], Callable[[int], bytes]]:
        """What the binary search runs over and how it reads the `width` bytes of codes a suffix starts
        with: `bisect`'s own loop over the suffix array's positions, the head read from the codes' map
        as bytes (a fraction of a microsecond: numpy's scalar and slice objects took most of the
        search's time, 50 probes a form and part); from the files while not warmed (`Probes`)."""
        if self.probes is not None:
            return range(len(self.sa)), self.probes.head(width)
        if self.mapped is not None:
            return self.mapped.positions, self.mapped.head(width)
        codes, sa, units = self.codes, self.sa, width // self.codes.itemsize

        def head(i: int) -> bytes:
            p = int(sa[i])
            return codes[p : p + units].tobytes()

        return range(len(sa)), head

    def counts(self, lo: int, hi: int, minlength: int, owners: np.ndarray | None = None) -> np.ndarray:
        """Occurrences per segment for the suffix-array slice [lo, hi), or of `owners` (owners of
        several slices joined)."""
        if hi <= lo:
            return np.zeros(minlength, dtype=np.int64)
        return np.bincount(self.owner[lo:hi] if owners is None else owners, minlength=minlength)

    def segment_text(self, k: int) -> str:
        """The folded text of segment k, decoded from its codes."""
        start, end = int(self.starts[k]), int(self.starts[k + 1]) - 1
        return decode(self.codes[start:end], self.alphabet)


class MappedHeads:
    """The suffix array as a memoryview of its map (indexed in C, giving Python ints) and the codes'
    map as bytes: a probe is one slice of the map, no numpy object made."""

    def __init__(self, positions: memoryview, codes: mmap.mmap, at: int, itemsize: int) -> None:
        self.positions, self._codes, self._at, self._itemsize = positions, codes, at, itemsize

    @classmethod
    def of(cls, sa: np.ndarray, codes: np.ndarray) -> MappedHeads | None:
        """For a native int32 suffix array and codes mapped from a .npy file by np.load (a memmap,
        which keeps its mmap and the data's offset in the file); None otherwise."""
        source = getattr(codes, "_mmap", None)
        if not isinstance(source, mmap.mmap) or sa.dtype != np.int32 or not sa.flags.c_contiguous:
            return None
        at = int(codes.offset) % mmap.ALLOCATIONGRANULARITY  # np.memmap maps from a granule's start
        return cls(memoryview(sa), source, at, codes.dtype.itemsize)

    def head(self, width: int) -> Callable[[int], bytes]:
        codes, at, size = self._codes, self._at, self._itemsize

        def head(p: int) -> bytes:
            start = at + size * p
            return codes[start : start + width]

        return head


class CodePoints:
    """The code points of strings laid end to end, each followed by SEPARATOR, in one growing array.

    Joining the strings first held the joined text, its UTF-16 bytes and their codes at once, each as
    long as the corpus; here each string is copied in as it comes and only the array exists. It grows
    by `ndarray.resize` (realloc: a large block is remapped, not copied) and holds uint16 while every
    character is in the BMP (nearly always), widening to uint32 at the first one that is not, so that
    each character still takes one slot.
    """

    def __init__(self, capacity: int = 0) -> None:
        self._points = np.zeros(max(capacity, 1), dtype=np.uint16)
        self._lengths: list[int] = []
        self.size = 0

    def append(self, piece: str) -> None:
        data = piece.encode("utf-16-le")  # a lone surrogate raises here, as joining and encoding did
        if len(data) == 2 * len(piece):
            values = np.frombuffer(data, dtype="<u2")
        else:  # a surrogate pair: a character beyond the BMP
            values = np.frombuffer(piece.encode("utf-32-le"), dtype="<u4")
            if self._points.dtype != np.uint32:
                self._points = self._points.astype(np.uint32)
        end = self.size + len(values)
        if end + 1 > len(self._points):  # grow by a quarter: a few reallocations, little slack
            self._points.resize(max(end + 1, len(self._points) * 5 // 4 + CHUNK), refcheck=False)
        self._points[self.size : end] = values
        self._points[end] = SEPARATOR
        self.size = end + 1
        self._lengths.append(len(values))

    def lengths(self) -> np.ndarray:
        """The length of every string appended, in order (int64)."""
        return np.array(self._lengths, dtype=np.int64)

    def finish(self) -> np.ndarray:
        """The points, trimmed to their size; the builder is spent."""
        points = self._points
        del self._points
        points.resize(self.size, refcheck=False)
        return points


def code_dtype(alphabet_size: int) -> np.dtype:
    """The codes' width for an alphabet of this many characters: 16 bits whenever they fit."""
    return CODE_DTYPE if alphabet_size <= NARROW_ALPHABET else WIDE_CODE_DTYPE


def rank_codes(points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each code point as its rank in the points' own sorted alphabet (>u2, or >u4 when the alphabet
    does not fit 16 bits), and that alphabet.

    A presence table over all code points instead of `np.unique`, which would sort 30 M values. Points
    as wide as their codes are turned into codes in place, chunk by chunk (indexing converts indices to
    intp: a whole array of them would be four times the points).
    """
    present = np.zeros(0x110000, dtype=bool)
    for start in range(0, len(points), CHUNK):
        present[points[start : start + CHUNK]] = True
    present[0] = True  # code 0 stays the separator even in text that has none
    alphabet = np.flatnonzero(present).astype(np.uint32)
    dtype = code_dtype(len(alphabet))
    rank = (np.cumsum(present, dtype=np.uint32) - 1).astype(dtype.newbyteorder("="))
    del present
    in_place = points.dtype.itemsize == dtype.itemsize
    codes = points.view(dtype) if in_place else np.empty(len(points), dtype=dtype)
    for start in range(0, len(points), CHUNK):
        codes[start : start + CHUNK] = rank[points[start : start + CHUNK]]  # read whole, then written
    return codes, alphabet


def dense_codes(pieces: Iterable[str], size: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """The pieces, each followed by SEPARATOR, as codes (see `rank_codes`), and their alphabet.

    The same arrays as ranking `"\\x00".join(pieces) + "\\x00"`, without ever holding that string;
    `size`, when known, is the number of codes, allocated at once.
    """
    points = CodePoints(size)
    for piece in pieces:
        points.append(piece)
    return rank_codes(points.finish())


def check_codes(codes: np.ndarray, alphabet: np.ndarray, what: str, *, full: bool = True) -> None:
    """Refuse codes and an alphabet that cannot be one text's: the alphabet must be the separator then
    valid code points, strictly rising (encoding a query searches it), as many as the codes' width says,
    and (with `full`, reading them all) every code within it."""
    if codes.ndim != 1 or alphabet.ndim != 1 or codes.dtype not in CODE_DTYPES or alphabet.dtype != np.uint32:
        raise ValueError(f"{what} codes or alphabet have foreign types")
    if not len(alphabet) or alphabet[0] != SEPARATOR or code_dtype(len(alphabet)) != codes.dtype:
        raise ValueError(f"{what} alphabet does not fit its codes")
    rising = (np.diff(alphabet.astype(np.int64)) > 0).all()  # unsigned differences would wrap
    surrogates = np.searchsorted(alphabet, 0xE000) - np.searchsorted(alphabet, 0xD800)
    if not rising or int(alphabet[-1]) > MAX_CODE_POINT or surrogates:
        raise ValueError(f"{what} alphabet holds what is not a character")
    if full and len(codes) and int(codes.max()) >= len(alphabet):
        raise ValueError(f"{what} codes fall outside their alphabet")


def spilled(folder: Path | None, name: str, array: np.ndarray) -> np.ndarray:
    """`array` saved as `folder/name.npy` and mapped back read-only (its memory freed once the caller
    drops the original); `array` itself when there is no folder."""
    if folder is None:
        return array
    path = folder / f"{name}.npy"
    np.save(path, array, allow_pickle=False)
    del array
    return np.asarray(np.load(path, mmap_mode="r", allow_pickle=False))


def decode(codes: np.ndarray, alphabet: np.ndarray) -> str:
    """Text back from codes and their alphabet."""
    return alphabet[codes.astype(np.intp)].astype("<u4").tobytes().decode("utf-32-le")


def _suffix_array(codes: np.ndarray) -> np.ndarray:
    """Suffix array of big-endian codes via libdivsufsort on their bytes (offsets of whole codes only).

    libdivsufsort sorts bytes only (pydivsufsort sorts wider integers the same way, through a copy),
    so it fills 2n int32 for the 2n bytes of 16-bit codes (4n for 32-bit ones). That array is filled
    directly, the offsets of whole codes divided and moved to its front, and its tail given back: no
    second n-sized array.
    """
    n = len(codes)
    width = codes.itemsize
    try:
        from pydivsufsort.dll import libdivsufsort  # the C library loads only when an index is built
    except ImportError:  # pragma: no cover - a pydivsufsort laid out otherwise
        return _suffix_array_by_package(codes)
    if width * n > np.iinfo(np.int32).max:  # pragma: no cover - beyond half a billion characters
        return _suffix_array_by_package(codes)
    raw = np.empty(width * n, dtype=np.int32)
    if n:
        status = libdivsufsort.divsufsort(
            codes.ctypes.data_as(ctypes.c_void_p),
            raw.ctypes.data_as(ctypes.c_void_p),
            ctypes.c_int32(width * n),
        )
        if status:
            raise RuntimeError(f"libdivsufsort failed ({status})")
    kept = 0
    shift = width.bit_length() - 1
    for start in range(0, width * n, CHUNK):  # the write position never passes the read position
        block = raw[start : start + CHUNK]
        whole = block[(block & (width - 1)) == 0]  # a copy: the block may be overwritten below
        whole >>= shift
        raw[kept : kept + len(whole)] = whole
        kept += len(whole)
    raw.resize(n, refcheck=False)  # realloc to half: the tail's pages go back to the system
    return raw


def _suffix_array_by_package(codes: np.ndarray) -> np.ndarray:  # pragma: no cover - see the caller
    """The same through pydivsufsort's own call (and its 64-bit library past 2^31 bytes): the output
    it allocates cannot be shrunk in place, so this holds a second n-sized array for a moment."""
    from pydivsufsort import divsufsort  # the C library loads only when an index is built

    raw = divsufsort(codes.view(np.uint8))
    whole = raw[raw % codes.itemsize == 0]
    del raw
    whole //= codes.itemsize
    return whole.astype(np.int32, copy=False)


def _owners(sa: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """The segment of every suffix: gathered from a position→segment array, chunk by chunk.

    The position array is as long as the codes; with the codes, the suffix array and `owner` it stays
    below the sort's peak. (A binary search of `starts` per suffix needs no such array but takes several
    times as long.)
    """
    dtype = np.uint16 if len(lengths) <= 0xFFFF else np.int32
    position_owner = np.repeat(np.arange(len(lengths), dtype=dtype), lengths + 1)
    owner = np.empty(len(sa), dtype=dtype)
    for start in range(0, len(sa), CHUNK):
        owner[start : start + CHUNK] = position_owner[sa[start : start + CHUNK]]
    return owner
