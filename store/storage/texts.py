"""The texts of the documents, in an append-only file beside the store.

Texts are nine tenths of a store. Kept inside the TinyDB JSON they were parsed into memory on every
open, hundreds of MB of Python strings that a search never reads (the
index has its own copy for snippets). Here each raw and cleaned text is UTF-8 bytes at an offset in
`yuelan.json.texts`; the JSON record keeps (offset, length, CRC-32) and a text is read when someone
reads it, never cached, so memory stays flat however many documents are opened.

Why it cannot lose or mix up a document: bytes are only ever appended, then fsynced, *before* the
JSON that refers to them is atomically replaced; a crash in between leaves unreferenced bytes at the
end, never a record pointing at missing ones. Readers only read ranges their own (older or newer)
JSON refers to, which no later writer changes. Every read is checked against its CRC-32.

Removed and replaced documents leave their bytes behind; `yuelan compact` copies the live texts into a
new file under a new name (`yuelan.json.texts.<hex>`), fsyncs it, and only then replaces the JSON,
which names the file it refers to: a kill at any moment leaves a JSON whose own file is whole, and an
unreferenced file that the next compaction removes.
"""

from __future__ import annotations

import contextlib
import os
import threading
import weakref
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from store.storage.db import StoreError
from store.storage.paths import TEXTS_NAME_RECORDED, texts_path_for


def texts_path_named(store_path: Path, name: object) -> Path:
    """The texts file a store's header names (`texts`, set by `yuelan compact`), else the usual one.

    Only the name's `.texts.<hex>` ending is taken, under the store's own name: a header naming another
    folder or no texts file is a corrupt store, never a path to follow.
    """
    if name is None:
        return texts_path_for(store_path)
    recorded = TEXTS_NAME_RECORDED.fullmatch(name) if isinstance(name, str) else None
    if recorded is None:
        raise StoreError(f"{store_path}: store is corrupt (bad texts file name {name!r}); left untouched")
    # the file beside the store under the store's own name: a store renamed with its texts file (as
    # the README says to move them) opens, and a header can never point at another store's file
    return store_path.with_name(store_path.name + recorded["suffix"])


class TextFile:
    """Appends texts and reads them back by reference; the file descriptor is opened on first use.

    Picklable as its path alone, so worker processes (fork or spawn) reopen it for themselves.
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._fd: int | None = None
        self._pid = 0
        self._writer: Any = None
        self._lock = threading.Lock()

    def __reduce__(self) -> tuple[Any, ...]:
        return (TextFile, (self.path,))

    # -- reading ---------------------------------------------------------------------------------

    def stored(self, ref: Any) -> StoredText:
        """The text a record's reference (`[offset, nbytes, crc, chars]`) points at, read when used."""
        return StoredText(self, TextRef.from_json(ref))

    def read(self, ref: TextRef) -> str:
        """The text at `ref`; a StoreError (one line) when the file is short or the bytes changed."""
        return self.read_bytes(ref).decode("utf-8")

    def read_bytes(self, ref: TextRef) -> bytes:
        """The bytes at `ref`, checked against its CRC-32 (see `read`)."""
        data = os.pread(self._reader(), ref.nbytes, ref.offset)
        if len(data) != ref.nbytes or zlib.crc32(data) != ref.crc:
            raise StoreError(
                f"{self.path}: damaged text at byte {ref.offset} (checksum mismatch); "
                "run `yuelan import` on its source files to mend it"
            )
        return data

    def check(self, refs: Sequence[TextRef]) -> None:
        """Refuse a texts file shorter than the store's references (truncated, or another store's)."""
        self.check_size(max((r.offset + r.nbytes for r in refs), default=0))

    def check_size(self, needed: int) -> None:
        """Refuse a texts file shorter than `needed` bytes, the end of the last text a store refers to."""
        if not needed:
            return
        try:
            size = self.path.stat().st_size
        except FileNotFoundError:
            raise StoreError(
                f"{self.path}: the store's texts file is missing (store left untouched)"
            ) from None
        if size < needed:
            raise StoreError(
                f"{self.path}: texts file is shorter than the store says ({size} < {needed} bytes); "
                "store left untouched"
            )
        # opened now, with the store just read: a compaction that replaces the file later leaves this
        # process reading the one its store refers to
        self._reader()

    def _reader(self) -> int:
        with self._lock:
            if self._fd is None or self._pid != os.getpid():  # a forked worker opens its own
                self._fd = os.open(self.path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
                self._pid = os.getpid()
                weakref.finalize(self, os.close, self._fd)
            return self._fd

    # -- writing (under the store's writer lock) -------------------------------------------------

    def append(self, text: str) -> TextRef:
        """Append one text; it is durable only after `sync()`."""
        return self.append_bytes(text.encode("utf-8"), len(text))

    def append_bytes(self, data: bytes, chars: int) -> TextRef:
        """Append the UTF-8 bytes of a text of `chars` characters (a compaction copies them as read)."""
        with self._lock:
            if self._writer is None:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
                self._writer = os.fdopen(fd, "ab")
            offset = self._writer.tell()
            self._writer.write(data)
        return TextRef(offset, len(data), zlib.crc32(data), chars)

    def size(self) -> int:
        """Bytes in the file now (0 when there is none yet); what `truncate` can go back to."""
        try:
            return self.path.stat().st_size
        except FileNotFoundError:
            return 0

    def truncate(self, size: int) -> None:
        """Drop what was appended after `size`: texts of an import whose store was never written, which
        nothing refers to (each failed retry of a batch once left its texts behind).
        Safe under the writer lock: readers only read ranges a written store refers to."""
        with self._lock:
            if self._writer is not None:
                with contextlib.suppress(OSError):  # a full disk fails the flush; the truncate mends it
                    self._writer.close()
                self._writer = None
        with contextlib.suppress(FileNotFoundError):
            if self.path.stat().st_size > size:
                os.truncate(self.path, size)

    def sync(self) -> None:
        """Flush and fsync what was appended, before the store that refers to it is written."""
        with self._lock:
            if self._writer is not None:
                self._writer.flush()
                os.fsync(self._writer.fileno())
                self._writer.close()
                self._writer = None


@dataclass(frozen=True)
class TextRef:
    """Where a text is: byte offset and length in the texts file, CRC-32 of the bytes, characters."""

    offset: int
    nbytes: int
    crc: int
    chars: int

    def to_json(self) -> list[int]:
        return [self.offset, self.nbytes, self.crc, self.chars]

    @classmethod
    def from_json(cls, value: Any) -> TextRef:
        if not (isinstance(value, list) and len(value) == 4 and all(isinstance(v, int) for v in value)):
            raise ValueError(f"bad text reference: {value!r}")
        return cls(*value)


@dataclass(frozen=True)
class StoredText:
    """A text that lives in a texts file: read on each access (reports are small, the store is not)."""

    file: TextFile
    ref: TextRef

    def read(self) -> str:
        return self.file.read(self.ref)

    @property
    def chars(self) -> int:
        return self.ref.chars
