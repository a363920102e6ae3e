"""The one way a file of the store's is replaced: whole or not at all, and durably.

Written to a temporary file beside the target, fsynced, renamed over it, then the folder fsynced: a
writer killed at any moment leaves either the old file or the new one, never half of one, and the
rename survives a power cut. It imports nothing heavy, so the catalogue's writer (run after lookups)
does not load TinyDB.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

from store.storage.paths import make_temp_file


def replace_file(path: Path, data: bytes, mode: int | None = None) -> None:
    """Put `data` at `path`. `mode`: the new file's permissions; by default those of the file it
    replaces (mkstemp's 0600 for a new one)."""
    fd, tmp_name = make_temp_file(path)
    try:
        if mode is None:
            with contextlib.suppress(FileNotFoundError):
                mode = stat.S_IMODE(path.stat().st_mode)
        if mode is not None:
            os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise
    fsync_directory(path.parent)


def fsync_directory(folder: Path) -> None:
    """Make the rename itself durable (POSIX needs the directory entry flushed too)."""
    with contextlib.suppress(OSError):
        dir_fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
