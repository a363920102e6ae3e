"""Every path a store owns, named in one place: the store file and where it is by default, and beside
it the texts file(s), the search index folder, the writer lock, and the temporaries writers make.

`yuelan.json` → `yuelan.json.texts` (or `.texts.<8 hex>` after a compaction), `yuelan.json.index/`,
`yuelan.json.catalogue`, `yuelan.json.answers/`, `yuelan.json.lock`, and `.yuelan.json.XXXXXXXX.tmp` /
`.old` while a write is under way.
"""

from __future__ import annotations

import os
import re
import tempfile
import uuid
from pathlib import Path

ENV_DB = "YUELAN_DB"


def default_store_path() -> Path:
    """$YUELAN_DB, else yuelan.json in the user data folder."""
    if os.environ.get(ENV_DB):
        return Path(os.environ[ENV_DB]).expanduser()
    from platformdirs import user_data_path  # only when no store path is given

    return user_data_path("yuelan", appauthor=False) / "yuelan.json"


def resolve_store_path(path: Path | None) -> Path:
    """The absolute store file `path` names, or the default one; what `Corpus.open` opens."""
    return (path or default_store_path()).expanduser().absolute()


def index_path_for(store_path: Path) -> Path:
    """The search index lives in a folder beside the store: `yuelan.json` → `yuelan.json.index/`."""
    return store_path.with_name(store_path.name + ".index")


def catalogue_path_for(store_path: Path) -> Path:
    """`yuelan.json` → `yuelan.json.catalogue` (store/storage/catalogue.py: what lookups read instead)."""
    return store_path.with_name(store_path.name + ".catalogue")


def answers_path_for(store_path: Path) -> Path:
    """`yuelan.json` → `yuelan.json.answers/` (store/storage/answers.py: whole answers lookups keep)."""
    return store_path.with_name(store_path.name + ".answers")


def texts_path_for(store_path: Path) -> Path:
    """`yuelan.json` → `yuelan.json.texts`."""
    return store_path.with_name(store_path.name + ".texts")


def new_texts_path(store_path: Path) -> Path:
    """A texts file name no store has used: `yuelan.json.texts.<8 hex digits>`."""
    return store_path.with_name(f"{store_path.name}.texts.{uuid.uuid4().hex[:8]}")


def texts_files_of(store_path: Path) -> list[Path]:
    """Every texts file in the store's folder, the one in use or not (a killed compaction leaves one)."""
    pattern = texts_name_pattern(store_path)
    return sorted(p for p in store_path.parent.iterdir() if pattern.fullmatch(p.name) and p.is_file())


TEXTS_SUFFIX = r"\.texts(?:\.[0-9a-f]{8})?"

# A texts file name as a store's header records it, under whatever name the store had when it was
# written: a store moved with its texts file under a new name still names the old one.
TEXTS_NAME_RECORDED = re.compile(r"[^/\\\x00]*?(?P<suffix>" + TEXTS_SUFFIX + ")")


def texts_name_to_record(texts_path: Path) -> str:
    """The texts file's name for the store's header: whole, or only its `.texts.<hex>` ending when the
    store's own name is not UTF-8 (a lone surrogate in the header is refused on open as tampering)."""
    name = texts_path.name
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return name[name.rindex(".texts") :]
    return name


def texts_name_pattern(store_path: Path) -> re.Pattern[str]:
    return re.compile(re.escape(store_path.name) + TEXTS_SUFFIX)


def lock_path(path: Path) -> Path:
    return path.with_name(path.name + ".lock")


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
