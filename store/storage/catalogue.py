"""The catalogue: a derived file beside the store that a lookup reads instead of parsing the store.

`yuelan list`, `tree`, `show ID` and `search` need a few fields of every document, or one document's
record; parsing the whole TinyDB JSON (and checking every record) for that was most of their time and
memory. Each store write also writes `yuelan.json.catalogue` (store/storage/paths.py): the same
records, each at an offset, and the fields lookups read of every document, in sections read on demand.

It is never the truth. It names the store file it was made from by its stamp (inode, size, modification
and change times, taken after the store was renamed into place) and generation; a catalogue whose stamp
is not the store file's as it is now — the store rewritten by anything, a write killed between the
store and its catalogue, a file copied — or whose checksums fail, is `CatalogueUnusable`, and the
reader falls back to the store and writes a new one (store/lookup.py). A catalogue is written like
the store: a temporary beside it, fsynced, renamed over the old one.

The layout: one line `yuelan-catalogue <version> <CRC-32 of the header, 8 hex>`, one line of header
JSON (the stamp, the store's header fields, and `sections`: name → [offset, length, CRC-32] counted
from the end of that line), then the sections' bytes. The same container serves any file read this way.
"""

from __future__ import annotations

import contextlib
import json
import os
import zlib
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from store.storage.atomic import replace_file

MAGIC = b"yuelan-catalogue"
VERSION = 1
MAX_HEADER = 1 << 20  # a header line longer than this is damage, not a header


class CatalogueUnusable(Exception):
    """A catalogue that is missing, foreign, damaged or not the store's as it is now: never read."""


def store_stamp(path: Path) -> list[int] | None:
    """What changes whenever a file is rewritten or replaced: inode, size, modification and change
    times (the change time cannot be set back by `touch`); None when there is no file."""
    try:
        info = path.stat()
    except OSError:
        return None
    return [info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns]


def encode(header: dict[str, Any], sections: Mapping[str, bytes]) -> bytes:
    """The file's bytes: the header (with the sections' table added) and the sections."""
    table: dict[str, list[int]] = {}
    offset = 0
    for name, data in sections.items():
        table[name] = [offset, len(data), zlib.crc32(data)]
        offset += len(data)
    line = json.dumps(header | {"sections": table}, ensure_ascii=True, separators=(",", ":")).encode()
    first = MAGIC + f" {VERSION} {zlib.crc32(line):08x}\n".encode()
    return b"".join([first, line, b"\n", *sections.values()])


def write(path: Path, data: bytes) -> None:
    """Put `data` at `path` as the store is put (store/storage/atomic.py)."""
    replace_file(path, data)


class Sections:
    """A catalogue-format file opened for reading: the header checked, each section read when asked
    and checked against its CRC-32. Reads by offset from one descriptor (or from bytes in memory),
    so a catalogue replaced meanwhile is never mixed with its successor."""

    def __init__(self, source: bytes | int, what: str) -> None:
        self._source = source
        self.what = what
        head = self._read(0, min(MAX_HEADER, self._size()))
        first_end = head.find(b"\n")
        line_end = head.find(b"\n", first_end + 1)
        if first_end < 0 or line_end < 0:
            raise CatalogueUnusable(f"{what}: no catalogue header")
        parts = head[:first_end].split(b" ")
        line = head[first_end + 1 : line_end]
        if len(parts) != 3 or parts[0] != MAGIC or parts[1] != str(VERSION).encode():
            raise CatalogueUnusable(f"{what}: not a yuelan catalogue of version {VERSION}")
        if parts[2] != f"{zlib.crc32(line):08x}".encode():
            raise CatalogueUnusable(f"{what}: catalogue header damaged")
        try:
            self.header: dict[str, Any] = json.loads(line)
            self._table = {
                str(name): (int(offset), int(length), int(crc))
                for name, (offset, length, crc) in self.header["sections"].items()
            }
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            raise CatalogueUnusable(f"{what}: catalogue header misshapen") from exc
        self._base = line_end + 1

    @classmethod
    def open(cls, path: Path) -> Sections:
        """The file at `path`; CatalogueUnusable when it is missing or unreadable."""
        try:
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
        except OSError as exc:
            raise CatalogueUnusable(f"{path}: {exc.strerror or exc}") from exc
        try:
            return cls(fd, str(path))
        except BaseException:
            os.close(fd)
            raise

    def close(self) -> None:
        if isinstance(self._source, int):
            with contextlib.suppress(OSError):
                os.close(self._source)
            self._source = b""

    def __del__(self) -> None:
        self.close()

    def _size(self) -> int:
        return len(self._source) if isinstance(self._source, bytes) else os.fstat(self._source).st_size

    def _read(self, offset: int, length: int) -> bytes:
        if isinstance(self._source, bytes):
            return self._source[offset : offset + length]
        try:
            return os.pread(self._source, length, offset)
        except OSError as exc:
            raise CatalogueUnusable(f"{self.what}: {exc.strerror or exc}") from exc

    def section(self, name: str) -> bytes:
        """A whole section, checked."""
        if name not in self._table:
            raise CatalogueUnusable(f"{self.what}: catalogue has no section {name!r}")
        offset, length, crc = self._table[name]
        data = self._read(self._base + offset, length)
        if len(data) != length or zlib.crc32(data) != crc:
            raise CatalogueUnusable(f"{self.what}: catalogue section {name!r} damaged")
        return data

    def piece(self, name: str, start: int, length: int, crc: int) -> bytes:
        """Bytes `start…start+length` of a section, checked against their own CRC-32 (a record's)."""
        offset, size, _ = self._table.get(name, (0, -1, 0))
        if start < 0 or length < 0 or start + length > size:
            raise CatalogueUnusable(f"{self.what}: catalogue points outside section {name!r}")
        data = self._read(self._base + offset + start, length)
        if len(data) != length or zlib.crc32(data) != crc:
            raise CatalogueUnusable(f"{self.what}: catalogue record damaged")
        return data

    def json(self, name: str) -> Any:
        """A section holding JSON, parsed."""
        try:
            return json.loads(self.section(name))
        except ValueError as exc:
            raise CatalogueUnusable(f"{self.what}: catalogue section {name!r} is not JSON") from exc


def json_items(text: str) -> Iterator[Any]:
    """The items of the JSON array `text` (as `json.dumps` writes it, no spaces), parsed one at a time;
    a ValueError for anything else. A section's rows parsed whole held every row's lists at once: the
    peak of opening a large store, and memory the allocator kept after."""
    decode = json.JSONDecoder().raw_decode
    if text == "[]":
        return
    if text[:1] != "[":
        raise ValueError("not an array")
    at = 1
    while True:
        item, at = decode(text, at)
        yield item
        at += 1
        if text[at - 1 : at] == "]":
            break
        if text[at - 1 : at] != ",":
            raise ValueError(f"no comma at {at - 1}")
    if at != len(text):
        raise ValueError("data after the array")
