"""Index arrays checked in full once, not on every open.

Loading a part checks that its arrays fit together and point inside each other (store/search/suffix.py
`check`, `check_codes`): a min/max pass over every array, which reads every page of the index: at 100k
reports that is gigabytes, most of an open's time, and every page then counts as the process's own.
So a part whose arrays passed in full, or were just written by a build, gets a stamp beside them: each
file's size, modification and change times and inode. While the files still match it, an open makes
only the checks that cost no pass over the arrays (shapes, types, segment starts, alphabets). Any write
to a file (a copy, a truncation, np.save over it, even one that restores the modification time) changes
its change time, and the next open checks it in full again.
"""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path

from store.storage.paths import TEMP_NAME, temp_beside

STAMP_FILE = "checked.json"
ARRAYS = ("codes", "sa", "owner", "starts", "alphabet", "orig_codes", "orig_alphabet")
OPTIONAL = ("hot_codes", "hot_counts")  # a part saved before they were (store/search/hot.py)


def _stamps(folder: Path) -> dict[str, list[int]] | None:
    found: dict[str, list[int]] = {}
    for name in ARRAYS + OPTIONAL:
        try:
            info = (folder / f"{name}.npy").stat()
        except OSError:
            if name in OPTIONAL:
                continue
            return None
        found[name] = [info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino, info.st_dev]
    return found


def already_checked(folder: Path) -> bool:
    """Whether the part's arrays are the files that were checked in full (or written by a build)."""
    try:
        recorded = json.loads((folder / STAMP_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return recorded is not None and recorded == _stamps(folder)


def mark_checked(folder: Path) -> None:
    """Record the part's files as checked; a folder that cannot be written keeps being checked in full."""
    stamps = _stamps(folder)
    if stamps is None:
        return
    temp = temp_beside(folder / STAMP_FILE)  # a killed writer's is removed by the next import
    with contextlib.suppress(OSError):
        temp.write_text(json.dumps(stamps), encoding="utf-8")
        os.replace(temp, folder / STAMP_FILE)
    with contextlib.suppress(OSError):
        temp.unlink(missing_ok=True)


def stamp_temporaries(index: Path) -> list[Path]:
    """Stamps being written when their writer was killed, in the index folder and its parts."""
    from store.search.saved import PART_NAME  # saved loads part, which loads this module

    folders = [index, *(entry for entry in index.iterdir() if PART_NAME.fullmatch(entry.name))]
    return [
        path
        for folder in folders
        if folder.is_dir() and not folder.is_symlink()
        for path in folder.glob(f".{STAMP_FILE}.*.tmp")
        if TEMP_NAME.fullmatch(path.name)
    ]
