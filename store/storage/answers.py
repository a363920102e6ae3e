"""Whole answers a lookup keeps beside the store, so the next identical lookup only copies them out.

`yuelan tree` prints tens of thousands of lines built from every meeting; made afresh each time that
is most of the command. The first lookup that makes such an answer keeps it in the folder
`yuelan.json.answers/` (store/storage/paths.py), a file per answer in the catalogue's container
(store/storage/catalogue.py): a header naming the store file's stamp it was made from and what asked
for it — the command line and a key that changes with any of yuelan's code or data (`code_key`) —
then the answer. An answer is used only when the stamp is the store file's as it is now and its
checksum holds; anything else is made afresh, never an error. It is written only when no writer holds
the lock and the store is still the one the answer was made from, and the answers of other store
files are removed then.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import zlib
from functools import cache
from importlib.util import find_spec
from pathlib import Path

from store.storage.atomic import replace_file
from store.storage.catalogue import CatalogueUnusable, Sections, encode, store_stamp
from store.storage.paths import answers_path_for

MAX_KEPT = 16  # answers kept per store: one per command line, so a handful
MAX_BYTES = 256 << 20  # and no more bytes than this beside the newest (a 100k store's tree is ~80 MB)
CODE_SUFFIXES = (".py", ".tsv", ".txt", ".json", ".csv", ".tcss")


@cache
def code_key() -> str:
    """CRC-32 of every file of the installed `store` and `tui` packages (code and data; a few ms): an
    answer made by another yuelan, or by this one edited, is not used."""
    crc = 0
    for package in ("store", "tui"):
        spec = find_spec(package)
        folders = (spec.submodule_search_locations or []) if spec is not None else []
        for folder in folders:
            for path in _files(Path(folder)):
                crc = zlib.crc32(str(path.relative_to(folder)).encode() + b"\0", crc)
                crc = zlib.crc32(path.read_bytes(), crc)
    return f"{crc:08x}"


def _files(folder: Path) -> list[Path]:
    found = []
    for where, folders, names in os.walk(folder):
        folders[:] = sorted(name for name in folders if name != "__pycache__")
        found += [Path(where) / name for name in sorted(names) if name.endswith(CODE_SUFFIXES)]
    return found


def kept_answer(store: Path, stamp: list[int] | None, name: str) -> bytes | None:
    """The answer `name` kept for the store file stamped `stamp`, or None."""
    if stamp is None:
        return None
    try:
        sections = Sections.open(answers_path_for(store) / _file_name(name))
    except CatalogueUnusable:
        return None
    try:
        if sections.header.get("stamp") != stamp or sections.header.get("name") != name:
            return None
        return sections.section("answer")
    except CatalogueUnusable:
        return None
    finally:
        sections.close()


def keep_answer(store: Path, stamp: list[int] | None, name: str, data: bytes) -> None:
    """Keep `data` as the answer `name` beside the store, only when the store is still the one stamped
    `stamp` and no writer holds the lock (so no other lookup is keeping one either); answers of other
    store files, and leftovers of a killed lookup, are removed."""
    from store.storage import lock
    from store.storage.db import StoreError

    if stamp is None:
        return
    folder = answers_path_for(store)
    try:
        with lock.exclusive_lock(store, wait=0):
            if store_stamp(store) != stamp:
                return
            folder.mkdir(exist_ok=True)
            replace_file(folder / _file_name(name), encode({"stamp": stamp, "name": name}, {"answer": data}))
            _prune(folder, stamp)
    except (StoreError, OSError):
        pass


def _file_name(name: str) -> str:
    return hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:24]


def _prune(folder: Path, stamp: list[int]) -> None:
    """Remove what is not an answer for the store file stamped `stamp` (called under the lock: a
    temporary here is a killed lookup's), and all but the newest answers (MAX_KEPT, MAX_BYTES)."""
    answers = []
    for path in folder.iterdir():
        keep = False
        if not path.name.startswith("."):
            try:
                sections = Sections.open(path)
            except CatalogueUnusable:
                pass
            else:
                keep = sections.header.get("stamp") == stamp
                sections.close()
        if keep:
            answers.append(path)
        else:
            with contextlib.suppress(OSError):
                path.unlink()
    answers.sort(key=lambda p: p.stat().st_mtime_ns, reverse=True)
    total = 0
    for number, path in enumerate(answers):
        total += path.stat().st_size
        if number >= MAX_KEPT or (number and total > MAX_BYTES):
            with contextlib.suppress(OSError):
                path.unlink()
