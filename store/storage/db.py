"""TinyDB persistence that never loses a document.

TinyDB's own JSONStorage rewrites its file in place (seek, write, truncate): a crash mid-write leaves a
broken file. Here every write goes to a temporary file in the same folder, is fsynced and then
`os.replace`d over the store, so a reader sees either the old store or the new one, whole. Writers take
an exclusive lock on a sidecar `.lock` file; a corrupt, foreign or newer-schema store is refused with a
one-line error and never overwritten.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from tinydb import TinyDB
from tinydb.storages import Storage

from store.storage.atomic import replace_file
from store.text.safe import json_safe

APP_NAME = "yuelan"
SCHEMA_VERSION = 3  # 3: dates keep where their parts came from, the header may name a compacted texts
# file (2: those absent, still read; an older yuelan refuses a 3 as newer instead of as corrupt);
# 2: texts in the `.texts` file beside the store (1: inline, still read)
MAX_SCHEMA = 10_000  # a larger "version" is damage, not a yuelan from the future
META_TABLE = "meta"
DOCUMENTS_TABLE = "documents"


class StoreError(Exception):
    """A store that cannot be used; `str()` is a one-line message for the user."""


class AtomicJSONStorage(Storage):
    """A TinyDB storage that keeps the parsed store in memory and replaces the file atomically.

    TinyDB calls `read()` on every operation; caching the parsed data makes reads free, and
    `deferred()` turns a whole import batch into a single write instead of one per document.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self.strings: dict[str, str] = {}  # one object per distinct string value: see `load_json`
        self._data: dict[str, Any] | None = None
        self._defer_depth = 0
        self._dirty = False

    def read(self) -> dict[str, Any] | None:
        if self._data is None:
            self._data = load_json(self.path, self.strings)
        return self._data

    def write(self, data: dict[str, Any]) -> None:
        self._data = data
        if self._defer_depth:
            self._dirty = True
            return
        write_atomically(self.path, data)

    @contextlib.contextmanager
    def deferred(self) -> Iterator[None]:
        """Hold writes until the block ends, then write once (only if something changed)."""
        self._defer_depth += 1
        try:
            yield
        finally:
            self._defer_depth -= 1
        if self._defer_depth == 0 and self._dirty and self._data is not None:
            self._dirty = False
            write_atomically(self.path, self._data)

    @property
    def deferring(self) -> bool:
        """Inside a `deferred` block: a write now is held until the outermost block ends."""
        return self._defer_depth > 0

    def close(self) -> None:
        """Nothing is held open between writes."""


def load_json(path: Path, strings: dict[str, str] | None = None) -> dict[str, Any] | None:
    """Parse a store file; None when it does not exist yet. Never modifies the file.

    With `strings`, every string value is kept once (see `interned`): a 10k-document store names
    甘南藏族自治州 and the same officials thousands of times; interned, it takes a third less memory for
    a little more time.
    """
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise StoreError(f"{path}: cannot read store: {exc.strerror or exc}") from exc
    if not raw.strip():
        raise StoreError(f"{path}: store file is empty; not a yuelan store (left untouched)")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise StoreError(f"{path}: not a yuelan store (not UTF-8 text; left untouched)") from exc
    escaped_surrogate = b"\\ud" in raw or b"\\uD" in raw  # the only way JSON can hold a lone one
    del raw  # parsing a str, with the bytes gone, peaks at 2/3 of the memory json.loads(bytes) takes
    try:
        data = json.loads(text, object_pairs_hook=None if strings is None else interned(strings))
    except json.JSONDecodeError as exc:
        raise StoreError(
            f"{path}: store is corrupt (invalid JSON at line {exc.lineno}, column {exc.colno}); "
            "left untouched"
        ) from exc
    except ValueError as exc:  # Python refuses to read an integer of more than 4,300 digits
        raise StoreError(f"{path}: store is corrupt (a number too long to read); left untouched") from exc
    except RecursionError as exc:
        raise StoreError(f"{path}: store is corrupt (values nested too deeply); left untouched") from exc
    if not isinstance(data, dict):
        raise StoreError(f"{path}: not a yuelan store (top level is not an object; left untouched)")
    if escaped_surrogate:
        _refuse_lone_surrogates(path, data, strings)
    return data


def _refuse_lone_surrogates(path: Path, data: dict[str, Any], strings: dict[str, str] | None) -> None:
    """A `\\udcff` escape with no partner parses into a string OpenCC and the index cannot take
    (a file name's bytes excepted: see storage.records.lone_surrogate_at)."""
    # records loads OpenCC; db is imported where no record is read
    from store.storage.records import lone_surrogate_at

    where = lone_surrogate_at(data, strings)
    if where:
        raise StoreError(
            f"{path}: store is corrupt ({where} holds a lone surrogate, not text); left untouched"
        )


def interned(strings: dict[str, str]) -> Callable[[list[tuple[str, Any]]], dict[str, Any]]:
    """A `json` object hook that replaces string values, and strings in lists, by one shared copy."""

    def hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        record = {}
        for key, value in pairs:
            if type(value) is str:
                value = strings.setdefault(value, value)
            elif type(value) is list:
                value = [strings.setdefault(v, v) if type(v) is str else v for v in value]
            record[key] = value
        return record

    return hook


def intern_record(record: dict[str, Any], strings: dict[str, str]) -> dict[str, Any]:
    """The record with its string values shared through `strings`, as if it had been parsed."""
    hook = interned(strings)

    def walk(value: Any) -> Any:
        if type(value) is dict:
            return hook([(k, walk(v)) for k, v in value.items()])
        if type(value) is list:
            return [walk(v) for v in value]
        return value

    return walk(record)


def write_atomically(path: Path, data: dict[str, Any], *, indent: int | None = None) -> None:
    """Write JSON to a temp file beside `path`, fsync it, then rename it over `path`.

    Compact by default (the store); `indent` for small files a person may read (the settings). The new
    file keeps the old one's permissions (mkstemp makes it 0600: a 0444 or group-readable store was
    silently made private); a new file stays 0600.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    separators = (",", ":") if indent is None else None
    # dumps, not dump: json.dump streams through the pure-Python encoder, 5x slower
    replace_file(path, json_bytes(json.dumps(data, ensure_ascii=False, indent=indent, separators=separators)))


def json_bytes(text: str) -> bytes:
    """UTF-8 of JSON text. A file name that is not UTF-8 is held as Python decodes it (os.fsdecode: each
    bad byte a lone surrogate), which UTF-8 cannot encode; those are written as `\\udcff` escapes, which
    read back as the same string, so the original bytes path is recovered exactly (safe.json_safe).
    Only then: scanning a 20 MB store for them on every write would cost for nothing."""
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        return json_safe(text).encode("utf-8")


def validate(path: Path, data: dict[str, Any] | None) -> None:
    """Refuse a store that is not ours or was written by a newer schema; an absent one is fine."""
    if data is None:
        return
    meta = data.get(META_TABLE)
    record = next(iter(meta.values()), None) if isinstance(meta, dict) and meta else None
    if not isinstance(record, dict) or record.get("app") != APP_NAME:
        raise StoreError(f"{path}: not a yuelan store (no yuelan header; left untouched)")
    schema = record.get("schema")
    if type(schema) is not int or schema < 1:
        raise StoreError(f"{path}: yuelan store has no schema version (left untouched)")
    if schema > MAX_SCHEMA:
        digits = len(str(schema))
        raise StoreError(f"{path}: store is corrupt (schema version of {digits} digits); left untouched")
    if schema > SCHEMA_VERSION:
        raise StoreError(
            f"{path}: store was written by a newer yuelan (schema {schema}, this one reads "
            f"{SCHEMA_VERSION}); upgrade yuelan to open it"
        )
    validate_records(path, data)


def validate_records(path: Path, data: dict[str, Any]) -> None:
    """Refuse a store whose tables are not objects of records, or whose header has fields of the wrong
    type (see store/storage/records.py; the documents' own fields are the corpus's to check)."""
    # records loads OpenCC; db is imported where no record is read
    from store.storage.records import header_problem, table_problem

    for name in (META_TABLE, DOCUMENTS_TABLE):
        problem = table_problem(data.get(name, {}))
        if problem:
            raise StoreError(f"{path}: store is corrupt (table {name!r} {problem}); left untouched")
    problem = header_problem(next(iter(data[META_TABLE].values())))
    if problem:
        raise StoreError(f"{path}: store is corrupt (header: {problem}); left untouched")


def open_db(path: Path) -> TinyDB:
    """Open (without creating) the store at `path`, validating what is there."""
    db = TinyDB(path, storage=AtomicJSONStorage)
    validate(path, db.storage.read())
    return db


def header(db: TinyDB) -> dict[str, Any]:
    """The store's header record (app, schema, generation, last_import), {} for a new store."""
    rows = db.table(META_TABLE).all()
    return dict(rows[0]) if rows else {}


def write_header(db: TinyDB, **fields: Any) -> None:
    """Create or update the header; `app` and `schema` are always set."""
    table = db.table(META_TABLE)
    record = header(db) | fields | {"app": APP_NAME, "schema": SCHEMA_VERSION}
    table.truncate()
    table.insert(record)


def write_bytes_atomically(path: Path, data: bytes) -> None:
    """Write bytes as `write_atomically` writes JSON (temp file beside `path`, fsync, rename): an export
    killed half-way leaves the file it would replace as it was, never half of the new one. A new file
    gets the permissions the umask gives (an export is for other tools), not mkstemp's 0600.

    The file replaced is the one `path` names after its symbolic links (the link stays a link). A path
    that names no regular file — /dev/null, /dev/stdout, a FIFO another program reads — has nothing to
    replace: it is written into, as a shell's `>` would (renaming over /dev/null, as root, replaced
    the device with a file)."""
    path = Path(os.path.realpath(path))
    if path.exists() and not path.is_file() and not path.is_dir():
        with open(path, "wb") as handle:
            handle.write(data)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        umask = os.umask(0o022)
        os.umask(umask)
        mode = 0o666 & ~umask
    replace_file(path, data, mode)
