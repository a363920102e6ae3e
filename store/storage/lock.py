"""The store's writer lock: a flock on `yuelan.json.lock` naming its holder, waited for briefly, let go of
in forked workers, and taken over (saying so) when its holder is dead."""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from store.storage.db import StoreError
from store.storage.paths import lock_path, make_temp_file
from store.text.safe import terminal_safe

LOCK_WAIT_SECONDS = 3.0


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
