"""The front door the TUI and the CLI use: `Corpus` opens a store, reads, lists and searches it.

Writing is inherited: importing from store/importer.py, removing, compacting and re-extracting from
store/writer.py. Nothing outside these modules touches TinyDB tables. A store is three things side by
side: `yuelan.json` (TinyDB: every document's metadata and where its texts are, held in memory once
open), `yuelan.json.texts` (the raw and cleaned texts, appended, read on demand; see
store/storage/texts.py) and `yuelan.json.index/` (the search index, store/search/index.py).
"""

from __future__ import annotations

import gc
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tinydb import TinyDB

from store.importer import Importer
from store.models import Document, SearchAnswer, newest_first, resolve_id
from store.storage import db as storage
from store.storage import lock
from store.storage.heap import paused_gc
from store.storage.paths import index_path_for, resolve_store_path
from store.storage.records import documents_problem, record_name
from store.storage.texts import StoredText, TextFile, texts_path_named
from store.writer import file_stamp

if TYPE_CHECKING:
    from store.meetings.model import Meeting
    from store.search.index import SearchIndex
    from store.tree import TreeNode


def bundled_seeds() -> Path:
    """The bundled corpus: `store/seeds` in an installed wheel, `seeds/` beside the packages in a checkout."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "seeds", here.parent / "seeds"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("the bundled seeds are missing from this installation")


@dataclass(frozen=True)
class StoreInfo:
    """Where the store lives, how much it holds and when it last changed."""

    path: Path
    documents: int
    last_import: str
    index_path: Path


class Corpus(Importer):
    """An open store: its documents in memory, the search index loaded on first search."""

    def __init__(self, path: Path, handle: TinyDB, stamp: tuple[int, int, int] | None = None) -> None:
        self.path = path
        self._db = handle
        self.texts = TextFile(texts_path_named(path, storage.header(handle).get("texts")))
        self.index_path = index_path_for(path)
        self._docs: dict[str, Document] = {d.id: d for d in self._read_documents(handle)}
        self._header = storage.header(handle)
        self._stamp = stamp  # the file as it was before it was read: see `_load`
        self._touched: set[str] = set()  # documents whose records the next save rewrites or drops
        self._index: SearchIndex | None = None
        self._index_lock = threading.Lock()
        self._read_kept()  # the meetings tables checked now too (store/meetings/kept.py)

    # -- opening ---------------------------------------------------------------------------------

    @classmethod
    def open(cls, path: Path | None = None, *, seed_if_new: bool = True, catalogue: bool = True) -> Corpus:
        """Open the store at `path` (default: $YUELAN_DB or the user data folder).

        A store that does not exist yet is created from the bundled seeds when `seed_if_new`, so a
        first run shows something to read; `yuelan import` opens with `seed_if_new=False`. With a
        fresh catalogue beside it the store is read from that until something needs the store itself
        (store/storage/catalogued.py); `catalogue=False` parses it now, with every check.
        """
        path = resolve_store_path(path)
        if path.is_dir():
            raise storage.StoreError(f"{path}: is a folder, not a store file")
        if catalogue:
            from store.storage.catalogued import open_catalogued  # it builds on this module

            catalogued = open_catalogued(path)
            if catalogued is not None:
                return catalogued
        corpus = cls._load(path)
        if seed_if_new and not path.exists():
            corpus.import_paths([bundled_seeds()])
        return corpus

    @classmethod
    def _load(cls, path: Path) -> Corpus:
        """Read the store. Its stamp is taken *before* the read: a writer that replaces the file while
        it is read then leaves a stamp that differs, and the next import reads the store again instead
        of writing over that writer's documents."""
        stamp = file_stamp(path)
        try:
            with paused_gc():
                return cls(path, storage.open_db(path), stamp)
        except storage.StoreError:
            if file_stamp(path) == stamp:
                raise
        # replaced while being read: a compaction removes the texts file the store read here named
        with paused_gc():
            return cls(path, storage.open_db(path), file_stamp(path))

    def _read_documents(self, handle: TinyDB) -> list[Document]:
        """Every stored document, its texts left in the texts file; a bad record is a StoreError."""
        rows = handle.table(storage.DOCUMENTS_TABLE).all()
        self._check_records(rows)
        try:
            records = [Document.from_record(r, self.texts) for r in rows]
        except (KeyError, TypeError, ValueError) as exc:
            raise storage.StoreError(
                f"{self.path}: store is corrupt (bad document record: {exc}); left untouched"
            ) from exc
        self.texts.check(
            [t.ref for d in records for t in (d.stored("raw"), d.stored("text")) if isinstance(t, StoredText)]
        )
        self._check_meetings(handle)
        return records

    def _check_meetings(self, handle: TinyDB) -> None:
        """Refuse a meetings table of the wrong shape on open, in one line, as a bad document record is:
        read only when the meetings were first asked for, it crashed the browser's first frame."""
        from store.meetings.kept import read_grouping

        read_grouping(handle, self.path)

    def _check_records(self, rows: list[Any]) -> None:
        """Refuse, in one line naming it, a record of the wrong shape (store/storage/records.py says why)."""
        found = documents_problem(rows)
        if found:
            number, problem = found
            raise storage.StoreError(
                f"{self.path}: store is corrupt (document record {record_name(rows[number])}: {problem}); "
                "left untouched"
            )

    # -- reading ---------------------------------------------------------------------------------

    def documents(self) -> list[Document]:
        """Every document, newest meeting first (models.newest_first)."""
        return newest_first(self._docs.values())

    def __len__(self) -> int:
        return len(self._docs)

    def get(self, id_or_prefix: str) -> Document:
        """A document by id or by any unique prefix of it, as git does."""
        return self._docs[resolve_id(self._docs, id_or_prefix)]

    def info(self) -> StoreInfo:
        return StoreInfo(
            path=self.path,
            documents=len(self._docs),
            last_import=str(self._header.get("last_import", "")),
            index_path=self.index_path,
        )

    def replaced_on_disk(self) -> bool:
        """Whether another process has written the store since this one read it: one stat, no read,
        cheap enough for a browser left open to ask every few seconds."""
        return file_stamp(self.path) != self._stamp

    @property
    def generation(self) -> str:
        """Changes with every write that changes documents; the index records the one it was built from."""
        return str(self._header.get("generation", ""))

    def tree(self, meetings: list[Meeting] | None = None) -> list[TreeNode]:
        """The province → prefecture → meeting tree; `meetings` when the caller has them already."""
        from store.tree import build_tree  # only the browser's tree needs it

        with paused_gc():  # many nodes, kept as long as the store
            return build_tree(self.documents(), self.meetings() if meetings is None else meetings)

    def meetings(self) -> list[Meeting]:
        """Every meeting, newest first; each document belongs to exactly one (store/meetings/kept.py)."""
        return super().meetings()

    # -- searching -------------------------------------------------------------------------------

    def _update_index(
        self, documents: list[Document] | None = None, generation: str | None = None
    ) -> SearchIndex:
        """Bring the index on disk up to the store: extended by a part over the new documents when
        there are few of them (a fraction of a rebuild's time and memory: docs/performance.md), else
        built afresh. `documents` and `generation`: those of the store as an import wrote it, when it
        has read files for its next batch since (store/importer.py)."""
        # numpy and the index load on the first search, not on every open
        from store.search.index import SearchIndex
        from store.search.saved import IndexUnusable  # with the index, on the first search

        documents = self.documents() if documents is None else documents
        generation = self.generation if generation is None else generation
        try:
            saved = SearchIndex.load(self.index_path)
        except IndexUnusable:  # missing, foreign or corrupt: build afresh below
            index = None
        else:  # a bug while extending is a bug, not a reason to rebuild quietly
            index = saved.extended(documents, generation, self.index_path)
        if index is None:
            index = SearchIndex.build(documents, generation, folder=self.index_path)
        self._index = index
        return index

    def _refreshed(self, stale: SearchIndex | None) -> SearchIndex:
        """A reader found the index missing or behind the store: bring it up to date on disk as a
        writer does, under the writer lock. When another process holds the lock (an import, which
        updates the index itself when it ends), or the store changed since this one read it, or the
        folder is read-only, nothing is written: the stale index is used, or one built in memory."""
        # numpy and the index load on the first search, not on every open
        from store.search.index import SearchIndex

        try:
            with lock.exclusive_lock(self.path, wait=0):
                if file_stamp(self.path) == self._stamp:
                    return self._update_index()
        except (storage.StoreError, OSError):
            pass
        return stale if stale is not None else SearchIndex.build(self.documents(), self.generation)

    def search_index(self) -> SearchIndex:
        """The persisted index, loaded once; rebuilt only if it is missing or from another generation."""
        with self._index_lock:
            if self._index is None:
                # numpy and the index load on the first search, not on every open
                from store.search.index import SearchIndex
                from store.search.saved import IndexUnusable  # with the index, on the first search

                try:
                    index = SearchIndex.load(self.index_path)
                except IndexUnusable:  # missing, foreign or corrupt: the store is the truth, rebuild
                    index = None
                if index is None or index.generation != self.generation:
                    index = self._refreshed(index)
                from store.search.query import warm_up  # with the index, on the first search

                warm_up()
                index.warm()
                gc.freeze()  # the index's lists live as long as the store: keep collections off them
                self._index = index
            return self._index

    def search(
        self,
        query: str,
        *,
        limit: int = 50,
        scope_province: str | None = None,
        previous: SearchAnswer | None = None,
    ) -> SearchAnswer:
        return self.search_index().search(
            query, limit=limit, scope_province=scope_province, previous=previous
        )
