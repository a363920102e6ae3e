"""A store opened for the browser's first frame: its size from the catalogue, the store itself read later.

Reading a 10k-document store (parsing the TinyDB file, checking every record) was most of the browser's
time to first frame, and a big store's first frame shows only how many documents are being read; the
tree is built by a worker after it (tui/background.py). `open_deferred` gives a `Corpus` that knows its
path and size from a fresh catalogue (store/storage/catalogue.py) and reads the store, once, the first
time anything else is asked of it — by that worker, off the event loop. A catalogue that is not the
store's as it is now, or a texts file that is missing or short, gives None: the caller opens the store
as before and says what is wrong before the app starts.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from store.corpus import Corpus
from store.storage.catalogue import CatalogueUnusable, store_stamp
from store.storage.db import StoreError
from store.storage.lookup import fresh_sections
from store.storage.paths import index_path_for
from store.storage.texts import TextFile, texts_path_named


class DeferredCorpus(Corpus):
    """A `Corpus` whose store is read on first use; until then it knows its path and its size."""

    def __init__(self, path: Path, count: int) -> None:  # the store's own attributes: see __getattr__
        self.path = path
        self.index_path = index_path_for(path)
        self._count = count
        self._reading = threading.Lock()

    def __getattr__(self, name: str) -> Any:
        """Called only for what is not set yet, i.e. anything `Corpus.__init__` sets: read the store."""
        if name.startswith("__"):
            raise AttributeError(name)
        with self._reading:
            if "_docs" not in self.__dict__:
                self.__dict__.update(Corpus._load(self.path).__dict__)
        try:
            return self.__dict__[name]
        except KeyError:
            raise AttributeError(name) from None

    def __len__(self) -> int:
        return len(self.__dict__["_docs"]) if "_docs" in self.__dict__ else self._count

    @property
    def read(self) -> bool:
        """Whether the store has been read yet."""
        return "_docs" in self.__dict__


def open_deferred(path: Path) -> Corpus | None:
    """The store at `path`, read on first use, when its catalogue is fresh; else None."""
    stamp = store_stamp(path)
    try:
        sections = fresh_sections(path, stamp)
    except CatalogueUnusable:
        return None
    try:
        header = sections.header
        count = int(header["documents"])
        TextFile(texts_path_named(path, header.get("texts"))).check_size(int(header["texts_needed"]))
    except (StoreError, KeyError, TypeError, ValueError):
        return None
    finally:
        sections.close()
    return DeferredCorpus(path, count) if store_stamp(path) == stamp else None
