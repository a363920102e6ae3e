"""jieba's cut of a short text without loading jieba: its prefix dictionary mapped from a file.

A search whose exact string occurs nowhere falls back to its words (search/index.py); loading jieba's
dictionary for those few characters took most of such a search. jieba's default dictionary, as its
`gen_pfdict` reads it (every word with its frequency, every prefix of a word with 0), is written once
per user into the cache folder jieba's own cache uses (segment.cache_folder), keys sorted by their
UTF-8 bytes; a lookup maps it and binary-searches the few fragments the text has.

`cut` is jieba's accurate cut with HMM (`Tokenizer.cut`, `__cut_DAG`, `get_DAG`, `calc`, jieba 0.42.1)
step by step over that table, so a process that taught jieba no words gets jieba's words; its HMM
for runs of unknown characters is jieba's own (`jieba.finalseg`, loaded only then).
"""

from __future__ import annotations

import contextlib
import mmap
import re
import sys
from array import array
from collections.abc import Iterator
from importlib.util import find_spec
from math import log
from pathlib import Path

MAGIC = b"yuelan-jieba-prefix 1 " + sys.byteorder.encode() + b"\n"
# jieba.re_han_default and re_skip_default
_HAN = re.compile("([\u4e00-\u9fd5a-zA-Z0-9+#&\\._%\\-]+)", re.U)
_SKIP = re.compile("(\r\n|\\s)", re.U)


class PrefixTable:
    """jieba's FREQ as a mapping read from the file: `get`, `in`, and its `total`."""

    def __init__(self, path: Path) -> None:
        with open(path, "rb") as handle:
            self._map = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        head = self._map[: len(MAGIC) + 16]
        if head[: len(MAGIC)] != MAGIC:
            raise ValueError(f"{path}: not a prefix table of this machine's byte order")
        counts = array("Q")
        counts.frombytes(head[len(MAGIC) :])
        n, self.total = counts
        start = len(MAGIC) + 16
        self._offsets = memoryview(self._map)[start : start + 4 * (n + 1)].cast("I")
        start += 4 * (n + 1)
        self._freqs = memoryview(self._map)[start : start + 4 * n].cast("I")
        self._keys = start + 4 * n
        whole = len(self._offsets) == n + 1 and len(self._freqs) == n
        if not whole or self._keys + self._offsets[n] != len(self._map):
            raise ValueError(f"{path}: prefix table truncated")
        self._n = n

    def get(self, word: str, default: int | None = None) -> int | None:
        key = word.encode("utf-8")
        lo, hi = 0, self._n
        offsets, data, base = self._offsets, self._map, self._keys
        while lo < hi:
            mid = (lo + hi) // 2
            found = data[base + offsets[mid] : base + offsets[mid + 1]]
            if found < key:
                lo = mid + 1
            elif found > key:
                hi = mid
            else:
                return int(self._freqs[mid])
        return default

    def __contains__(self, word: str) -> bool:
        return self.get(word) is not None


def dictionary_file() -> Path | None:
    """jieba's default dictionary, found without importing jieba."""
    spec = find_spec("jieba")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / "dict.txt"
    return path if path.is_file() else None


def table_path() -> Path | None:
    """The table's file for the dictionary as it is (a new jieba, a new file)."""
    from store.text.segment import cache_folder  # the folder jieba's own cache goes to

    source = dictionary_file()
    if source is None:
        return None
    info = source.stat()
    return cache_folder() / f"jieba-prefix-{info.st_size}-{info.st_mtime_ns}.bin"


def write_table(path: Path, source: Path) -> None:
    """Read the dictionary as jieba's `gen_pfdict` does and write the sorted table, atomically."""
    from store.storage.catalogue import write  # temp, fsync, rename: two processes may both write

    freq: dict[str, int] = {}
    total = 0
    with open(source, "rb") as handle:
        for line in handle:
            word, count = line.strip().decode("utf-8").split(" ")[:2]
            freq[word] = int(count)
            total += int(count)
            for end in range(1, len(word) + 1):
                freq.setdefault(word[:end], 0)
    keys = sorted((word.encode("utf-8"), count) for word, count in freq.items())
    offsets, freqs, position = array("I", [0]), array("I"), 0
    for key, count in keys:
        position += len(key)
        offsets.append(position)
        freqs.append(count)
    counts = array("Q", [len(keys), total])
    data = [MAGIC, counts.tobytes(), offsets.tobytes(), freqs.tobytes(), *(key for key, _ in keys)]
    write(path, b"".join(data))


_table: PrefixTable | None = None


def table() -> PrefixTable | None:
    """The mapped table, written first if there is none; None when it cannot be had (no jieba, a
    cache folder that cannot be written): the caller loads jieba instead."""
    global _table
    if _table is None:
        path = table_path()
        if path is None:
            return None
        with contextlib.suppress(OSError, ValueError):
            if not path.is_file():
                source = dictionary_file()
                if source is None:
                    return None
                write_table(path, source)
            _table = PrefixTable(path)
    return _table


def cut(text: str) -> list[str] | None:
    """jieba.cut(text) (accurate, HMM) as a process that taught jieba no words gives it; None when the
    table cannot be had."""
    freq = table()
    if freq is None:
        return None
    words: list[str] = []
    for block in _HAN.split(text):
        if not block:
            continue
        if _HAN.match(block):
            words += _cut_dag(block, freq)
        else:
            for piece in _SKIP.split(block):
                if _SKIP.match(piece):
                    words.append(piece)
                else:
                    words += list(piece)
    return words


def _dag(sentence: str, freq: PrefixTable) -> dict[int, list[int]]:
    dag: dict[int, list[int]] = {}
    n = len(sentence)
    for k in range(n):
        ends = []
        i = k
        fragment = sentence[k]
        while i < n and (count := freq.get(fragment)) is not None:
            if count:
                ends.append(i)
            i += 1
            fragment = sentence[k : i + 1]
        dag[k] = ends or [k]
    return dag


def _route(sentence: str, dag: dict[int, list[int]], freq: PrefixTable) -> dict[int, tuple[float, int]]:
    n = len(sentence)
    route: dict[int, tuple[float, int]] = {n: (0, 0)}
    logtotal = log(freq.total)
    for idx in range(n - 1, -1, -1):
        route[idx] = max(
            (log(freq.get(sentence[idx : x + 1]) or 1) - logtotal + route[x + 1][0], x) for x in dag[idx]
        )
    return route


def _cut_dag(sentence: str, freq: PrefixTable) -> Iterator[str]:
    route = _route(sentence, _dag(sentence, freq), freq)
    x, buf, n = 0, "", len(sentence)
    while x < n:
        y = route[x][1] + 1
        word = sentence[x:y]
        if y - x == 1:
            buf += word
        else:
            if buf:
                yield from _unknown(buf, freq)
                buf = ""
            yield word
        x = y
    if buf:
        yield from _unknown(buf, freq)


def _unknown(buf: str, freq: PrefixTable) -> Iterator[str]:
    """A run of single characters: itself, its characters, or jieba's HMM words for it."""
    if len(buf) == 1:
        yield buf
    elif not freq.get(buf):
        from jieba import finalseg  # jieba's HMM model (not its dictionary), only for unknown runs

        yield from finalseg.cut(buf)
    else:
        yield from buf


def forget() -> None:
    """Drop the mapped table (tests that point the cache folder elsewhere)."""
    global _table
    _table = None
