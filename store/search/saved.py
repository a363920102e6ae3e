"""The index on disk: its format, meta.json (per-document fields, parts, order, pinyin) read back only when
it can be trusted, and folders swapped in whole. Anything else is `IndexUnusable`: the corpus rebuilds."""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import uuid
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from store.models import Document
from store.search.fields import NAMES, DocFields
from store.search.part import IndexPart
from store.storage import catalogue
from store.storage.catalogue import CatalogueUnusable, Sections
from store.storage.db import json_bytes
from store.storage.paths import TEMP_NAME, make_temp_file
from store.storage.paths import temp_beside as temp_name_beside

FORMAT = "yuelan-search-index"
VERSION = 3  # 3: parts, order and dead documents; 2: officials as one string per document
META_FILE = "meta.json"
# meta.json's fields again, each in a section read when first used, with the stamp of every file the
# index was written as (store/storage/catalogue.py's container): see `trusted_meta`. The one record of
# "these files are unchanged since written or checked": an index without it is checked in full once.
SECTIONS_FILE = "meta.sections"
# A part's own stamp, written by an older yuelan (store/search/checked.py, now gone): never read, so
# such an index is checked in full once and gets a sections file; a writer removes them (leftovers).
OLD_STAMP_FILE = "checked.json"

Stamps = dict[str, list[int] | None]


class IndexUnusable(Exception):
    """A saved index that is missing, foreign, of another version or damaged: never read, rebuilt.

    The one error loading raises, so that a caller rebuilds on exactly this and a bug anywhere else
    still surfaces."""


def read_meta(folder: Path) -> dict[str, Any]:
    """meta.json of the index at `folder`, checked: format and version, one value per document in each
    per-document list, each of the right type, part paths inside the folder."""
    if folder.is_symlink():  # see swap_folder
        raise IndexUnusable(f"{folder}: the index folder is a symbolic link; it is rebuilt as a folder")
    try:
        with open(folder / META_FILE, encoding="utf-8") as handle:
            meta = json.load(handle)
    except (OSError, ValueError) as exc:  # missing, unreadable, not JSON, not UTF-8
        raise IndexUnusable(f"{folder}: {exc}") from exc
    if not isinstance(meta, dict) or meta.get("format") != FORMAT or meta.get("version") != VERSION:
        raise IndexUnusable(f"{folder}: not a yuelan search index of version {VERSION}")
    try:
        n_docs = len(meta["ids"])
        for key in (*NAMES, "order"):
            if len(meta[key]) != n_docs:
                raise IndexUnusable(f"{folder}: index field {key} does not match its document list")
        check_fields(folder, meta, n_docs)
        for entry in meta["parts"]:
            path = str(entry["path"])
            if "/" in path or path.startswith("."):
                raise IndexUnusable(f"{folder}: bad part path {path!r}")
            int(entry["docs"])
    except (KeyError, TypeError, ValueError) as exc:
        raise IndexUnusable(f"{folder}: meta.json lacks or misshapes {exc}") from exc
    return meta


class LazyMeta(Mapping[str, Any]):
    """meta.json's fields from its sections file: each parsed when first read (a search for a word reads
    the order and the titles of its results; filters, pinyin and a writer read the rest)."""

    def __init__(self, sections: Sections) -> None:
        self._sections = sections
        self._keys = [str(k) for k in sections.header["keys"]]
        self._values: dict[str, Any] = {}

    def __getitem__(self, key: str) -> Any:
        if key not in self._values:
            if key not in self._keys:
                raise KeyError(key)
            try:
                self._values[key] = self._sections.json(key)
            except CatalogueUnusable as exc:  # checked when written; damaged since: a bug or a bad disk
                raise IndexUnusable(str(exc)) from exc
        return self._values[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)


def write_sections(
    folder: Path, meta: Mapping[str, Any], parts: list[IndexPart], stamps: Stamps | None = None
) -> None:
    """Write meta.json's fields as sections beside it, with the stamps of meta.json and of every part's
    files: as they are now (a writer, when they are complete: written and fsynced, meta.json last), or
    `stamps`, taken before a reader read and checked them (`stamp_files`)."""
    if stamps is None:
        stamps = stamp_files(folder, None)
        for path in {part.path for part in parts}:
            stamps |= stamp_files(folder, path)
    sections = {key: _json(value) for key, value in meta.items()}
    header = {"format": FORMAT, "version": VERSION, "stamps": stamps, "keys": list(sections)}
    catalogue.write(folder / SECTIONS_FILE, catalogue.encode(header, sections))


def _json(value: Any) -> bytes:
    return json_bytes(json.dumps(value, ensure_ascii=False, separators=(",", ":")))


def stamp_files(folder: Path, part: str | None) -> Stamps:
    """The stamps (inode, size, modification and change times) of meta.json (`part` None) or of the
    arrays of the part at `part` ("" for the first), by name within the index folder. Taken before the
    files are read, a stamp vouches for no change made during the read: that changes the file's."""
    if part is None:
        return {META_FILE: catalogue.store_stamp(folder / META_FILE)}
    where = folder / part if part else folder
    names = sorted(p.name for p in where.iterdir() if p.suffix == ".npy" and p.is_file())
    return {f"{part}/{name}" if part else name: catalogue.store_stamp(where / name) for name in names}


def file_clock(folder: Path) -> int | None:
    """Now, by the clock of the file system holding `folder`: the change time of a file made there and
    removed. None when nothing can be made there (nothing could be written there either)."""
    try:
        fd, name = make_temp_file(folder / SECTIONS_FILE)
    except OSError:
        return None
    try:
        return os.fstat(fd).st_ctime_ns
    finally:
        os.close(fd)
        with contextlib.suppress(OSError):
            os.unlink(name)


def note_checked(
    folder: Path, meta: Mapping[str, Any], parts: list[IndexPart], stamps: Stamps, since: int | None, was: Any
) -> None:
    """After a reader checked every file of the index in full: write the sections file with the stamps
    taken before it read them (`stamp_files`), so that the next open maps the index unread.

    A stamp vouches for a file only when a later write must change it: the file's change time must be
    before `since` (`file_clock`, taken before the stamps), else a write within the same tick of the file
    system's clock could leave the stamp as it was (git's "racily clean" files). Nothing is written when
    a file is missing or too recent, nor when the sections file is no longer `was` (a writer wrote its
    own meanwhile); a folder that cannot be written keeps being checked in full."""
    if folder.is_symlink() or since is None:
        return
    if any(stamp is None or stamp[3] >= since for stamp in stamps.values()):
        return
    if catalogue.store_stamp(folder / SECTIONS_FILE) != was:
        return
    with contextlib.suppress(OSError):
        write_sections(folder, meta, parts, stamps)


def trusted_meta(folder: Path) -> LazyMeta | None:
    """meta.json's fields, without parsing or checking it, when the index's files are exactly those its
    sections file was written with: meta.json and every array (checked when built, fsynced, unchanged
    since). None otherwise — a file rewritten, replaced, copied, or the sections file missing, damaged
    or stale — and the caller reads and checks meta.json and every array as they are (`read_meta`)."""
    if folder.is_symlink():
        return None
    try:
        sections = catalogue.Sections.open(folder / SECTIONS_FILE)
    except catalogue.CatalogueUnusable:
        return None
    header = sections.header
    stamps = header.get("stamps")
    if (
        header.get("format") != FORMAT
        or header.get("version") != VERSION
        or not isinstance(stamps, dict)
        or META_FILE not in stamps
        or not isinstance(header.get("keys"), list)
        or any(catalogue.store_stamp(folder / str(name)) != stamp for name, stamp in stamps.items())
    ):
        return None
    meta = LazyMeta(sections)
    try:
        named = {str(entry["path"]) for entry in meta["parts"]}
    except (IndexUnusable, KeyError, TypeError):
        return None
    stamped_parts = {str(name).rpartition("/")[0] for name in stamps}
    if not named <= stamped_parts:  # every part's files were stamped (the first part's path is "")
        return None
    return meta


def meta_json(
    documents: list[Document],
    titles: list[str],
    generation: str,
    pinyin: dict[str, list[str]],
    parts: list[IndexPart],
    order: list[int],
    *,
    previous: dict[str, Any] | None = None,
    dead: list[int] | None = None,
) -> dict[str, Any]:
    """The index's meta.json: per-document fields (those of `previous`, then `documents`'), parts."""
    fields = DocFields.of_documents(documents, titles).to_json()
    if previous is not None:
        fields = {key: previous[key] + values for key, values in fields.items()}
    return {
        "format": FORMAT,
        "version": VERSION,
        "generation": generation,
        **fields,
        "order": order,
        "dead": dead or [],
        "parts": [{"path": p.path, "docs": p.n_docs} for p in parts],
        "pinyin": pinyin,
    }


def check_fields(folder: Path, meta: dict[str, Any], n_docs: int) -> None:
    """Refuse per-document fields of the wrong kind (a tampered meta.json): each would otherwise fail
    in the middle of a filtered search, or (a dead number out of range) silently hide another document.
    Type checks on lists the length of the store: a few ms at 10k documents."""

    def strings(values: Any) -> bool:
        return all(type(v) is str for v in values)

    def is_date(value: Any) -> bool:
        return value is None or (
            type(value) is list and len(value) == 3 and all(v is None or type(v) is int for v in value)
        )

    dead = meta.get("dead", [])
    fine = (
        strings(meta["ids"])
        and strings(meta["titles"])
        and strings(meta["people"])
        and all(k is None or type(k) is str for k in meta["kinds"])
        and all(type(p) is list and strings(p) for p in meta["provinces"])
        and all(map(is_date, meta["dates"]))
        and all(type(k) is int for k in meta["order"])
        and type(dead) is list
        and all(type(k) is int and 0 <= k < n_docs for k in dead)
    )
    if not fine:
        raise IndexUnusable(f"{folder}: index fields hold values of the wrong kind")


def temp_beside(folder: Path) -> Path:
    folder.parent.mkdir(parents=True, exist_ok=True)
    temp = temp_name_beside(folder)
    temp.mkdir()
    return temp


def swap_folder(new: Path, target: Path) -> None:
    """Put `new` at `target`: a plain rename when nothing is there, else move the old one aside first.

    A symbolic link at `target` is removed, never followed: the index is derived from the store, so a
    real folder in its place loses nothing and keeps every write inside the store's folder, where a
    link (dangling, or planted) would send them elsewhere or make every search rebuild in memory. What
    the link points to is left as it is.
    """
    if target.is_symlink() or (target.exists() and not target.is_dir()):  # a link, or a stray file
        target.unlink()
        os.replace(new, target)
    elif target.exists():
        old = temp_name_beside(target, "old")
        os.replace(target, old)
        os.replace(new, target)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(new, target)


PART_NAME = re.compile(r"part-[0-9a-f]{12}")  # the folder of every part after the first


def new_part_name() -> str:
    return f"part-{uuid.uuid4().hex[:12]}"


def old_stamps(folder: Path) -> list[Path]:
    """The per-part stamps an older yuelan wrote (OLD_STAMP_FILE) and those its killed writers left
    half written, in the index folder and its parts: never read now, removed by a writer."""
    folders = [folder, *(entry for entry in folder.iterdir() if PART_NAME.fullmatch(entry.name))]
    return [
        path
        for where in folders
        if where.is_dir() and not where.is_symlink()
        for path in [where / OLD_STAMP_FILE, *where.glob(f".{OLD_STAMP_FILE}.*.tmp")]
        if (path.name == OLD_STAMP_FILE or TEMP_NAME.fullmatch(path.name)) and path.is_file()
    ]


def unused_parts(folder: Path) -> list[Path]:
    """Part folders that the index's meta.json does not name: an import killed after writing a part
    and before naming it left them. None are known when meta.json does not read.

    A part is complete before the meta.json that names it is written, so only a part folder changed
    since meta.json was can be one of them: meta.json (megabytes at 10k documents) is read only then.
    """
    try:
        parts = [
            entry
            for entry in os.scandir(folder)
            if PART_NAME.fullmatch(entry.name) and entry.is_dir(follow_symlinks=False)
        ]
        written = (folder / META_FILE).stat().st_mtime_ns
        if all(entry.stat(follow_symlinks=False).st_mtime_ns < written for entry in parts):
            return []
        with open(folder / META_FILE, encoding="utf-8") as handle:
            named = {str(entry["path"]) for entry in json.load(handle)["parts"]}
    except (OSError, ValueError, KeyError, TypeError):
        return []
    return [Path(entry.path) for entry in parts if entry.name not in named]
