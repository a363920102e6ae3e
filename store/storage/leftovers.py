"""Removing what killed writers left beside a store: their temporary files and folders.

A writer killed midway (kill -9, a power cut) leaves its temporary behind: the store's next JSON
(`.yuelan.json.XXXXXXXX.tmp`, as large as the store), an index being built (`.yuelan.json.index.
XXXXXXXX.tmp/`, larger still), an old index being removed (`….old/`), the index's next meta.json, a
new index part not named by meta.json yet, a taken-over lock file's replacement, an older yuelan's
per-part index stamps (`checked.json`, no longer read). Nothing reads them;
only the next writer, holding the writer lock (so no live writer is making any of them), removes them.
Only names of our own pattern for our own files are touched (`paths.TEMP_NAME`, index part folders).
"""

from __future__ import annotations

import contextlib
import os
import shutil
from pathlib import Path

from store.storage.paths import TEMP_NAME, catalogue_path_for, lock_path


def remove_leftovers(store: Path, index: Path) -> list[Path]:
    """Remove the leftovers of killed writers of `store` (index folder `index`); call under its lock.

    Returns what was removed.
    """
    # numpy and the index's modules only when an import ends
    from store.search.saved import META_FILE, SECTIONS_FILE, old_stamps, unused_parts

    ours = {
        store.name: ("tmp",),
        lock_path(store).name: ("tmp",),
        index.name: ("tmp", "old"),
        catalogue_path_for(store).name: ("tmp",),
    }
    found = _temporaries(store.parent, ours)
    if index.is_dir() and not index.is_symlink():
        found += _temporaries(index, {META_FILE: ("tmp",), SECTIONS_FILE: ("tmp",)}) + unused_parts(index)
        found += old_stamps(index)
    for path in found:
        _remove(path)
    return found


def _temporaries(folder: Path, ours: dict[str, tuple[str, ...]]) -> list[Path]:
    """Entries of `folder` named as temporaries of the targets in `ours` (name → kinds it makes)."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return []
    found = []
    for entry in entries:
        match = TEMP_NAME.fullmatch(entry.name)
        if match and match["kind"] in ours.get(match["target"], ()):
            found.append(Path(entry.path))
    return found


def _remove(path: Path) -> None:
    """A folder with what is in it (symlinks in it unlinked, never followed); anything else unlinked."""
    with contextlib.suppress(OSError):
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink()
