"""Whole answers a lookup keeps beside the store, so the next identical lookup only copies them out.

`yuelan tree` prints tens of thousands of lines built from every meeting; made afresh each time that
is most of the command. The first lookup that makes such an answer keeps it in `yuelan.json.answers`
(store/storage/paths.py), in the catalogue's container (store/storage/catalogue.py): a header naming
the store file's stamp it was made from, then one section per answer, named by what asked for it —
the command line and a key that changes with any of yuelan's code or data (`code_key`). An answer is
used only when the stamp is the store file's as it is now and its checksum holds; anything else is
made afresh, never an error. The file is written like the catalogue (a temporary, fsynced, renamed),
only when no writer holds the lock and the store is still the one the answer was made from.
"""

from __future__ import annotations

import os
import zlib
from functools import cache
from importlib.util import find_spec
from pathlib import Path

from store.storage.catalogue import CatalogueUnusable, Sections, encode, store_stamp
from store.storage.paths import answers_path_for

MAX_KEPT = 16  # answers kept per store: one per command line, so a handful
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
        sections = Sections.open(answers_path_for(store))
    except CatalogueUnusable:
        return None
    try:
        if sections.header.get("stamp") != stamp:
            return None
        return sections.section(name)
    except CatalogueUnusable:
        return None
    finally:
        sections.close()


def keep_answer(store: Path, stamp: list[int] | None, name: str, data: bytes) -> None:
    """Keep `data` as the answer `name` beside the store, with the others kept for the same store
    file; only when the store is still the one stamped `stamp` and no writer holds the lock."""
    from store.storage import catalogue, lock
    from store.storage.db import StoreError

    if stamp is None:
        return
    path = answers_path_for(store)
    try:
        with lock.exclusive_lock(store, wait=0):
            if store_stamp(store) != stamp:
                return
            kept = _others(path, stamp, name)
            kept[name] = data
            catalogue.write(path, encode({"stamp": stamp}, kept))
    except (StoreError, OSError):
        pass


def _others(path: Path, stamp: list[int], name: str) -> dict[str, bytes]:
    """The answers already kept for this store file, but `name`, the newest MAX_KEPT - 1."""
    try:
        sections = Sections.open(path)
    except CatalogueUnusable:
        return {}
    try:
        if sections.header.get("stamp") != stamp:
            return {}
        names = [other for other in sections.header["sections"] if other != name]
        return {other: sections.section(other) for other in names[-(MAX_KEPT - 1) :]}
    except (CatalogueUnusable, KeyError, TypeError):
        return {}
    finally:
        sections.close()
