"""TinyDB persistence that never loses a document.

TinyDB's own JSONStorage rewrites its file in place (seek, write, truncate): a crash mid-write leaves a
broken file. Here every write goes to a temporary file in the same folder, is fsynced and then
`os.replace`d over the store, so a reader sees either the old store or the new one, whole. Writers take
an exclusive lock on a sidecar `.lock` file; a corrupt, foreign or newer-schema store is refused with a
one-line error and never overwritten.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
import re
import stat
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from tinydb import TinyDB
from tinydb.storages import Storage

from store.text.safe import json_safe, terminal_safe

APP_NAME = "yuelan"
SCHEMA_VERSION = 2  # 2: texts in the `.texts` file beside the store (1: inline, still read)
MAX_SCHEMA = 10_000  # a larger "version" is damage, not a yuelan from the future
META_TABLE = "meta"
DOCUMENTS_TABLE = "documents"
LOCK_WAIT_SECONDS = 3.0


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

    def close(self) -> None:
        """Nothing is held open between writes."""


def load_json(path: Path, strings: dict[str, str] | None = None) -> dict[str, Any] | None:
    """Parse a store file; None when it does not exist yet. Never modifies the file.

    With `strings`, every string value is kept once (see `interned`): a 10k-document store names
    甘南藏族自治州 and the same officials thousands of times, and parsed plainly took 156 MB where
    interned it takes 101 MB, for 0.13 s more.
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


# Every temporary a writer puts beside its target: `.NAME.XXXXXXXX.tmp` for a file or folder on its way
# in (mkstemp's names, `temp_beside`'s), `.NAME.XXXXXXXX.old` for a folder on its way out. A writer
# killed midway leaves them; storage/leftovers.py removes ours, matched by this pattern and nothing else.
TEMP_NAME = re.compile(r"\.(?P<target>.+)\.[a-z0-9_]{8}\.(?P<kind>tmp|old)")


def temp_beside(target: Path, kind: str = "tmp") -> Path:
    """A fresh name of the TEMP_NAME pattern beside `target` (the caller creates it)."""
    return target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}.{kind}")


def make_temp_file(target: Path) -> tuple[int, str]:
    """A new temporary file beside `target`, created exclusively: (descriptor, path)."""
    return tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)


def write_atomically(path: Path, data: dict[str, Any], *, indent: int | None = None) -> None:
    """Write JSON to a temp file beside `path`, fsync it, then rename it over `path`.

    Compact by default (the store); `indent` for small files a person may read (the settings). The new
    file keeps the old one's permissions (mkstemp makes it 0600: a 0444 or group-readable store was
    silently made private); a new file stays 0600.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = make_temp_file(path)
    separators = (",", ":") if indent is None else None
    try:
        with contextlib.suppress(FileNotFoundError):
            os.fchmod(fd, stat.S_IMODE(path.stat().st_mode))
        with os.fdopen(fd, "wb") as handle:
            # dumps, not dump: json.dump streams through the pure-Python encoder, 5x slower
            encoded = json_bytes(json.dumps(data, ensure_ascii=False, indent=indent, separators=separators))
            handle.write(encoded)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise
    fsync_directory(path.parent)


def json_bytes(text: str) -> bytes:
    """UTF-8 of JSON text. A file name that is not UTF-8 is held as Python decodes it (os.fsdecode: each
    bad byte a lone surrogate), which UTF-8 cannot encode; those are written as `\\udcff` escapes, which
    read back as the same string, so the original bytes path is recovered exactly (safe.json_safe).
    Only then: scanning a 20 MB store for them on every write would cost for nothing."""
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        return json_safe(text).encode("utf-8")


def fsync_directory(folder: Path) -> None:
    """Make the rename itself durable (POSIX needs the directory entry flushed too)."""
    with contextlib.suppress(OSError):
        dir_fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def lock_path(path: Path) -> Path:
    return path.with_name(path.name + ".lock")


# Lock descriptors this process holds. A flock belongs to the open file, which a forked child (an
# extraction worker) shares: it stayed locked while a worker outlived its killed parent. So a forked
# child lets go of its copies at once; the parent still holds the lock.
_held_locks: set[int] = set()


def _let_go_of_locks_in_child() -> None:
    """After a fork, in the child: point each lock descriptor at /dev/null. That closes the child's
    reference to the locked file, and the number stays valid for any `finally` that closes it later."""
    if not _held_locks:
        return
    null = os.open(os.devnull, os.O_RDONLY)
    for fd in _held_locks:
        os.dup2(null, fd, inheritable=False)
    os.close(null)
    _held_locks.clear()


os.register_at_fork(after_in_child=_let_go_of_locks_in_child)


@contextlib.contextmanager
def exclusive_lock(path: Path, wait: float = LOCK_WAIT_SECONDS) -> Iterator[None]:
    """Hold the store's writer lock; wait up to `wait` seconds for another writer, then fail clearly.

    The lock is a flock on the `.lock` file, which names its holder's pid. A lock still held for a
    process that is no longer running (by processes that inherited it and outlived it) is taken over,
    saying so on stderr: see `_take_over`.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    target = lock_path(path)
    fd = _acquire(path, target, wait)
    try:
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        yield
    finally:
        _close_lock(fd)


def _acquire(path: Path, target: Path, wait: float) -> int:
    """A descriptor of the lock file now at `target`, flocked; a takeover's new file, or a StoreError."""
    started = time.monotonic()
    while True:
        fd = _open_lock(target)
        if _try_lock(fd, target):
            if _same_file(fd, target):
                return fd
            _close_lock(fd)  # the file was replaced by a takeover while we opened it: lock the new one
            continue
        _close_lock(fd)
        waited = time.monotonic() - started
        taken = _take_over(path, target, trust_pid_file=waited >= STALE_PID_FILE_SECONDS)
        if taken is not None:
            return taken
        if waited >= wait:
            raise StoreError(
                f"{path}: store is busy: another yuelan process{_lock_holder(target)} is writing it; "
                "try again when it has finished"
            )
        time.sleep(0.05)


def _open_lock(target: Path) -> int:
    return _open_lock_at(target, os.O_RDWR | os.O_CREAT)


def _open_lock_at(target: Path, flags: int) -> int:
    fd = os.open(target, flags | os.O_CLOEXEC, 0o666)
    _held_locks.add(fd)  # before it is locked: a fork in between must not keep it either
    return fd


def _close_lock(fd: int) -> None:
    _held_locks.discard(fd)
    os.close(fd)


def _try_lock(fd: int, target: Path) -> bool:
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as exc:
        if exc.errno in (errno.EAGAIN, errno.EACCES):
            return False
        _close_lock(fd)
        raise StoreError(f"{target}: cannot lock store: {exc.strerror}") from exc
    return True


def _same_file(fd: int, target: Path) -> bool:
    try:
        named = os.stat(target)
    except FileNotFoundError:
        return False
    held = os.fstat(fd)
    return (held.st_dev, held.st_ino) == (named.st_dev, named.st_ino)


def _lock_holder(target: Path) -> str:
    pid = _recorded_pid(target)
    return f" (pid {pid})" if pid is not None else ""


def _recorded_pid(target: Path) -> int | None:
    """The pid the holder wrote into the lock file, if any."""
    try:
        text = target.read_text(encoding="utf-8", errors="replace").strip()
    except OSError:
        return None
    return int(text) if text.isascii() and text.isdigit() else None


# Without /proc/locks (not Linux), the dead pid in the lock file is trusted only after this long: a
# live writer that has just taken the lock writes its pid within microseconds.
STALE_PID_FILE_SECONDS = 1.0
PROC_LOCKS = Path("/proc/locks")


def _take_over(path: Path, target: Path, *, trust_pid_file: bool) -> int | None:
    """Take the lock of a holder that is no longer running: a new lock file, already locked, replaces
    the old one (whose lock the processes that outlived the holder keep, harmlessly). None when the
    holder is alive or unknown, or another process is taking it over at this moment.

    Takers serialise on a flock of the folder and check again under it, so a dead lock is replaced
    once; and every locker checks, once locked, that its file is still the one named `.lock`.
    """
    stale = _dead_holder(target, trust_pid_file)
    if stale is None:
        return None
    try:
        guard = _open_guard(target.parent)
    except OSError:
        return None
    try:
        if guard is None or _dead_holder(target, trust_pid_file) != stale:
            return None
        fd, temp = make_temp_file(target)
        _held_locks.add(fd)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            os.fchmod(fd, stale[2])
            os.replace(temp, target)
        except BaseException:
            _close_lock(fd)
            with contextlib.suppress(OSError):
                os.unlink(temp)
            raise
    except OSError:
        return None
    finally:
        if guard is not None:
            _close_lock(guard)
    print(
        f"yuelan: {terminal_safe(str(path))}: took over the writer lock of pid {stale[0]}, "
        "which is no longer running",
        file=sys.stderr,
    )
    return fd


def _open_guard(folder: Path) -> int | None:
    """The folder, flocked, for one taker at a time; None when another one holds it."""
    guard = _open_lock_at(folder, os.O_RDONLY)
    try:
        fcntl.flock(guard, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        _close_lock(guard)
        return None
    return guard


def _dead_holder(target: Path, trust_pid_file: bool) -> tuple[int, tuple[int, int], int] | None:
    """(pid, file id, mode) when the lock on the file at `target` is held for a process that has ended.

    Linux names the process that took a flock in /proc/locks, which is the truth (the pid a holder
    writes may not be written yet); elsewhere the pid in the file, when `trust_pid_file`.
    """
    try:
        info = os.stat(target)
    except OSError:
        return None
    pid = _flock_owner(info) if PROC_LOCKS.exists() else _recorded_pid(target) if trust_pid_file else None
    if pid is None or pid <= 0 or pid == os.getpid() or _running(pid):
        return None
    return pid, (info.st_dev, info.st_ino), info.st_mode & 0o777


def _flock_owner(info: os.stat_result) -> int | None:
    """The pid /proc/locks gives for the flock on this file: None if unreadable, or no such lock.

    A line reads `1: FLOCK  ADVISORY  WRITE 8508 fe:00:2156896 0 EOF` (a waiter has `->` after the
    number, so it never matches). Some file systems (btrfs) give stat another device than this
    file: then a lone lock on the same inode number is taken as ours.
    """
    try:
        lines = PROC_LOCKS.read_text(encoding="ascii", errors="replace").splitlines()
    except OSError:
        return None
    device = f"{os.major(info.st_dev):02x}:{os.minor(info.st_dev):02x}"
    exact: list[int] = []
    same_inode: list[int] = []
    for fields in (line.split() for line in lines):
        if len(fields) < 6 or fields[1] != "FLOCK" or not fields[4].isdigit():
            continue
        where, _, inode = fields[5].rpartition(":")
        if inode == str(info.st_ino):
            same_inode.append(int(fields[4]))
            if where == device:
                exact.append(int(fields[4]))
    if exact:
        return exact[0]
    return same_inode[0] if len(same_inode) == 1 else None


def _running(pid: int) -> bool:
    """Whether `pid` is a live process (a zombie has closed its files: it holds no lock)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
    except OSError:
        return True
    return stat.rpartition(")")[2].split()[:1] != ["Z"]


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
