"""The one interface the TUI and the CLI use: open a store, import files, read, search, build the tree.

Nothing outside this module touches TinyDB tables. A store is three things side by side:
`yuelan.json` (TinyDB: every document's metadata and where its texts are; ~20 MB at 10k documents,
held in memory once open), `yuelan.json.texts` (the raw and cleaned texts, appended, read on demand;
see store/storage/texts.py) and `yuelan.json.index/` (the search index). An import appends the new texts,
writes the JSON once, atomically, and then brings the search index up to date (store/search/index.py).
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import os
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tinydb import TinyDB

from store.models import Document, SearchAnswer, newest_first
from store.storage import db as storage
from store.storage.leftovers import remove_leftovers
from store.storage.texts import StoredText, TextFile, new_texts_path, texts_files_of, texts_path_named

if TYPE_CHECKING:
    from store.search.index import SearchIndex
    from store.tree import TreeNode

ENV_DB = "YUELAN_DB"
ID_LENGTH = 12
Progress = Callable[[int, int, str], None]


def bundled_seeds() -> Path:
    """The bundled corpus: `store/seeds` in an installed wheel, `seeds/` beside the packages in a checkout."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "seeds", here.parent / "seeds"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("the bundled seeds are missing from this installation")


def default_store_path() -> Path:
    """$YUELAN_DB, else yuelan.json in the user data folder."""
    if os.environ.get(ENV_DB):
        return Path(os.environ[ENV_DB]).expanduser()
    from platformdirs import user_data_path

    return user_data_path("yuelan", appauthor=False) / "yuelan.json"


def resolve_store_path(path: Path | None) -> Path:
    """The absolute store file `path` names, or the default one; what `Corpus.open` opens."""
    return (path or default_store_path()).expanduser().absolute()


def index_path_for(store_path: Path) -> Path:
    """The search index lives in a folder beside the store: `yuelan.json` → `yuelan.json.index/`."""
    return store_path.with_name(store_path.name + ".index")


def content_id(raw: str) -> tuple[str, str]:
    """(short id, full SHA-256) of the raw decoded text: the same report in any encoding is one document."""
    digest = hashlib.sha256(raw.encode("utf-8")).hexdigest()
    return digest[:ID_LENGTH], digest


@dataclass
class ImportReport:
    """What an import did, path by path; `skipped` and `missing` carry the reason for each."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    linked: list[str] = field(default_factory=list)
    repaired: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.linked or self.repaired)


@dataclass(frozen=True)
class StoreInfo:
    """Where the store lives, how much it holds and when it last changed."""

    path: Path
    documents: int
    last_import: str
    index_path: Path


@dataclass(frozen=True)
class CompactReport:
    """What a compaction did: bytes of texts files removed, bytes and documents in the file kept."""

    reclaimed_bytes: int
    texts_bytes: int
    documents: int


def collect_files(paths: Iterable[Path], report: ImportReport) -> list[Path]:
    """Expand folders recursively into source files, sorted; note paths that do not exist."""
    from store.text.decode import SOURCE_SUFFIXES

    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(source_files(path, SOURCE_SUFFIXES, report)))
        elif path.exists() or path.is_symlink():
            files.append(path)
        else:
            report.missing.append(str(path))
    return files


def source_files(folder: Path, suffixes: frozenset[str], report: ImportReport) -> Iterator[Path]:
    """Every entry under `folder` named like a source file, as rglob finds them (symlinked folders are not
    followed), but not only the regular files: a FIFO, a device, a dangling or looping symlink is passed
    on, for `read_source` to skip with its reason as when it is named directly; rglob dropped them, and
    folders it could not read, without a word. A folder that cannot be read is skipped, saying why."""
    pending = [folder]
    while pending:  # a stack, not recursion: a folder nested 1,000 deep is only a long path
        current = pending.pop()
        try:
            with os.scandir(current) as entries:
                for entry in entries:
                    if _is_folder(entry):
                        pending.append(Path(entry.path))
                    elif os.path.splitext(entry.name)[1].lower() in suffixes:
                        yield Path(entry.path)
        except OSError as exc:
            report.skipped.append((str(current.absolute()), f"cannot read folder ({exc.strerror or exc})"))


def _is_folder(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir(follow_symlinks=False)
    except OSError:
        return False


class Corpus:
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

    # -- opening ---------------------------------------------------------------------------------

    @classmethod
    def open(cls, path: Path | None = None, *, seed_if_new: bool = True) -> Corpus:
        """Open the store at `path` (default: $YUELAN_DB or the user data folder).

        A store that does not exist yet is created from the bundled seeds when `seed_if_new`, so a
        first run shows something to read; `yuelan import` opens with `seed_if_new=False`.
        """
        path = resolve_store_path(path)
        if path.is_dir():
            raise storage.StoreError(f"{path}: is a folder, not a store file")
        corpus = cls._load(path)
        if seed_if_new and not path.exists():
            corpus.import_paths([bundled_seeds()])
        return corpus

    @classmethod
    def _load(cls, path: Path) -> Corpus:
        """Read the store. Its stamp is taken *before* the read: a writer that replaces the file while
        it is read then leaves a stamp that differs, and the next import reads the store again instead
        of writing over that writer's documents."""
        stamp = _stamp(path)
        try:
            with paused_gc():
                return cls(path, storage.open_db(path), stamp)
        except storage.StoreError:
            if _stamp(path) == stamp:
                raise
        # replaced while being read: a compaction removes the texts file the store read here named
        with paused_gc():
            return cls(path, storage.open_db(path), _stamp(path))

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
        return records

    def _check_records(self, rows: list[Any]) -> None:
        """Refuse, in one line naming it, a record of the wrong shape (store/storage/records.py says why)."""
        from store.storage.records import documents_problem, record_name

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
        key = id_or_prefix.strip().lower()
        if not key:
            raise LookupError("no document id given")
        if key in self._docs:
            return self._docs[key]
        matches = [doc_id for doc_id in self._docs if doc_id.startswith(key)]
        if not matches:
            raise LookupError(f"no document with id {id_or_prefix!r}")
        if len(matches) > 1:
            shown = ", ".join(sorted(matches)[:5])
            raise LookupError(f"id prefix {id_or_prefix!r} is ambiguous: {shown}")
        return self._docs[matches[0]]

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
        return _stamp(self.path) != self._stamp

    @property
    def generation(self) -> str:
        """Changes with every write that changes documents; the index records the one it was built from."""
        return str(self._header.get("generation", ""))

    def tree(self) -> list[TreeNode]:
        from store.tree import build_tree

        with paused_gc():  # ~60k nodes at 10k documents, kept as long as the store
            return build_tree(self.documents())

    # -- importing -------------------------------------------------------------------------------

    def import_paths(self, paths: Iterable[Path], progress: Progress | None = None) -> ImportReport:
        """Import files and folders; one store write and one index build for the whole batch.

        Files are read and hashed first; only content not stored yet is cleaned and extracted, in
        worker processes when there is a lot of it (extraction is CPU-bound pure Python).
        """
        report = ImportReport()
        files = collect_files([Path(p) for p in paths], report)
        with storage.exclusive_lock(self.path), self._texts_kept_only_if_saved():
            if _stamp(self.path) != self._stamp:  # another writer changed the store since we opened it
                fresh = self._load(self.path)
                self._db, self._docs, self._header = fresh._db, fresh._docs, fresh._header
                self.texts, self._stamp = fresh.texts, fresh._stamp
            self._touched = set()
            by_path = {p: d.id for d in self._docs.values() for p in d.paths}
            pending: dict[str, NewDocument] = {}
            for number, file in enumerate(files, 1):
                if progress:
                    progress(number, len(files), str(file))
                self._import_file(file, by_path, report, pending)
            self.texts.sync()  # the workers read the raw texts back from the file
            for document in build_documents(list(pending.values()), progress):
                self._docs[document.id] = self._settled(document)
                self._touched.add(document.id)
            if report.changed or not self.path.exists():
                self._say(progress, len(files), "writing the store…")
                self._save()
            if report.changed or not self.index_path.exists():
                self._say(progress, len(files), "updating the search index…")
                self._update_index()
            remove_leftovers(self.path, self.index_path)  # of imports killed before this one
        return report

    @contextlib.contextmanager
    def _texts_kept_only_if_saved(self) -> Iterator[None]:
        """Under the writer lock: when the import fails (an error, Ctrl-C) before its store is written,
        the texts it appended go again, and this Corpus, holding the failed batch, reads the store
        anew on its next import. Once the store is replaced, its texts are referred to and stay."""
        mark, on_disk = self.texts.size(), _stamp(self.path)
        try:
            yield
        except BaseException:
            if _stamp(self.path) == on_disk:
                self.texts.truncate(mark)
                self._stamp = _UNREAD
            raise

    def reextract(self, progress: Progress | None = None) -> list[str]:
        """Extract every stored document again with the current rules; the ids whose metadata changed.

        Under the writer lock, one atomic store write for the changed records, as an import does; the
        search index's fields are brought up to date (store/reextract.py)."""
        from store.reextract import reextract_documents, refreshed_index

        with storage.exclusive_lock(self.path):
            if _stamp(self.path) != self._stamp:  # another writer changed the store since we opened it
                fresh = self._load(self.path)
                self._db, self._docs, self._header = fresh._db, fresh._docs, fresh._header
                self.texts, self._stamp = fresh.texts, fresh._stamp
            indexed = self.generation
            documents = self.documents()
            changed, titles_changed = reextract_documents(documents, progress)
            if changed:
                self._touched = set(changed)
                self._say(progress, len(documents), "writing the store…")
                self._save()
                self._say(progress, len(documents), "updating the search index…")
                self._index = refreshed_index(
                    self.documents(), self.generation, indexed, titles_changed, self.index_path
                )
        return changed

    @staticmethod
    def _say(progress: Progress | None, files: int, stage: str) -> None:
        """The last stages on the progress line: a 10k import spends 10 s on them after the bar fills."""
        if progress:
            progress(files, files, stage)

    def _import_file(
        self, file: Path, by_path: dict[str, str], report: ImportReport, pending: dict[str, NewDocument]
    ) -> None:
        from store.text.decode import SourceError, read_source

        key = str(file.absolute())
        try:
            source = read_source(file)
        except SourceError as exc:
            report.skipped.append((key, str(exc)))
            return
        doc_id, digest = content_id(source.raw)
        previous = by_path.get(key)
        if previous == doc_id and self._intact(self._docs[doc_id]):
            report.unchanged.append(key)
            return
        if previous == doc_id:  # its stored text no longer reads back: store it again from the source
            document = self._docs.pop(doc_id)
            raw = StoredText(self.texts, self.texts.append(source.raw))
            pending[doc_id] = NewDocument(doc_id, digest, document.paths, raw, source.encoding)
            report.repaired.append(key)
            return
        if previous is not None:
            self._unlink_path(previous, key)
        if doc_id in self._docs:
            self._docs[doc_id].paths.append(key)
            self._touched.add(doc_id)
            (report.updated if previous else report.linked).append(key)
        elif doc_id in pending:
            pending[doc_id].paths.append(key)
            (report.updated if previous else report.linked).append(key)
        else:
            raw = StoredText(self.texts, self.texts.append(source.raw))  # on disk now, not held in memory
            pending[doc_id] = NewDocument(doc_id, digest, [key], raw, source.encoding)
            (report.updated if previous else report.added).append(key)
        by_path[key] = doc_id

    @staticmethod
    def _intact(document: Document) -> bool:
        """Whether the document's texts read back as stored (a few µs per report: re-importing a
        folder is how a damaged texts file gets mended)."""
        try:
            _ = document.raw, document.text  # each read checks its CRC-32
        except storage.StoreError:
            return False
        return True

    def _unlink_path(self, doc_id: str, path: str) -> None:
        """A file changed: the old content loses this path, and is dropped when no path is left."""
        doc = self._docs[doc_id]
        doc.paths.remove(path)
        self._touched.add(doc_id)
        if not doc.paths:
            del self._docs[doc_id]

    def _keep_texts(self, document: Document) -> Document:
        """Move a document's in-memory texts into the texts file, keeping references to them.

        New documents arrive with their cleaned text in memory, and those of a schema 1 store hold both;
        a text a worker process read from the file comes back bound to its own handle: rebind it.
        """
        for name in ("raw", "text"):
            value = document.stored(name)  # type: ignore[arg-type]
            ref = self.texts.append(value) if isinstance(value, str) else value.ref
            setattr(document, name, StoredText(self.texts, ref))
        return document

    def _settled(self, document: Document) -> Document:
        """A document from a worker as the store holds it: texts in the file, strings shared."""
        record = storage.intern_record(self._keep_texts(document).to_record(), self._db.storage.strings)
        return Document.from_record(record, self.texts)

    def _save(self, header: dict[str, str] | None = None) -> None:
        """Write the store once: the records of the documents this import touched are replaced (or
        dropped), the others written as they were read. Re-encoding all 10k records to add one took
        4 s; documents of a schema 1 store, texts still inline, count as touched. `header`: the
        fields to set instead of a new generation (a compaction changes no document)."""
        inline = {
            d.id
            for d in self._docs.values()
            if isinstance(d.stored("raw"), str) or isinstance(d.stored("text"), str)
        }
        touched = self._touched | inline
        for doc_id in touched & self._docs.keys():
            self._keep_texts(self._docs[doc_id])
        self.texts.sync()  # durable before the store that refers to them replaces the old one
        handle = self._db
        with handle.storage.deferred():
            table = handle.table(storage.DOCUMENTS_TABLE)
            table.remove(doc_ids=[record.doc_id for record in table if record["id"] in touched])
            table.insert_multiple(self._docs[i].to_record() for i in sorted(touched & self._docs.keys()))
            fields = header or {"generation": uuid.uuid4().hex, "last_import": _now()}
            storage.write_header(handle, **fields)
        self._header = storage.header(handle)
        self._stamp = _stamp(self.path)
        self._touched = set()

    # -- removing and compacting -----------------------------------------------------------------

    def remove(self, ids: Iterable[str], progress: Progress | None = None) -> list[str]:
        """Delete documents (ids or unique prefixes, as `get` takes them); the full ids removed.

        Every id is resolved before anything changes, so an unknown one (a LookupError naming it)
        leaves the store as it was. One store write, then the index is brought up to date: the removed
        documents become dead in it, or it is rebuilt. Their texts stay in the texts file as garbage
        until `compact`.
        """
        with storage.exclusive_lock(self.path):
            self._reread_if_changed()
            wanted = list(dict.fromkeys(ids))
            removed = list(dict.fromkeys(self.get(doc_id).id for doc_id in wanted))
            for number, doc_id in enumerate(removed, 1):
                if progress:
                    progress(number, len(removed), doc_id)
                del self._docs[doc_id]
                self._touched.add(doc_id)
            if removed:
                self._say(progress, len(removed), "writing the store…")
                self._save()
                self._say(progress, len(removed), "updating the search index…")
                self._update_index()
        return removed

    def compact(self, progress: Progress | None = None) -> CompactReport:
        """Rewrite the texts file with only the texts the store refers to (see store/storage/texts.py).

        The live texts are copied, as checked bytes, into a new file under a new name, fsynced; then
        the store, naming that file, replaces the old store; only then is the old file removed. A
        kill at any moment leaves a store whose file is whole; files a killed compaction left are
        removed by the next one. Documents do not change, so neither do the generation and the index.
        A damaged text stops the compaction with nothing changed (importing its source mends it).
        """
        with storage.exclusive_lock(self.path):
            self._reread_if_changed()
            if not self.path.exists():
                return CompactReport(reclaimed_bytes=0, texts_bytes=0, documents=0)
            files = texts_files_of(self.path)
            before = sum(p.stat().st_size for p in files)
            if set(files) <= {self.texts.path} and before == self._live_bytes():  # nothing to reclaim
                return CompactReport(reclaimed_bytes=0, texts_bytes=before, documents=len(self._docs))
            texts = TextFile(new_texts_path(self.path))
            try:
                moved = self._copied_texts(texts, progress)
                texts.sync()
                storage.fsync_directory(texts.path.parent)
            except BaseException:
                texts.path.unlink(missing_ok=True)
                raise
            self._say(progress, len(moved), "writing the store…")
            self.texts = texts
            for document in moved:
                self._docs[document.id] = document
            self._touched = set(self._docs)
            self._save({"texts": texts.path.name})  # if this fails, the new file is a leftover, never lost
            for leftover in texts_files_of(self.path):  # the old file, and any a killed compaction left
                if leftover != texts.path:
                    leftover.unlink(missing_ok=True)
            after = texts.path.stat().st_size if texts.path.exists() else 0  # none when no text is left
        return CompactReport(reclaimed_bytes=before - after, texts_bytes=after, documents=len(moved))

    def _copied_texts(self, texts: TextFile, progress: Progress | None) -> list[Document]:
        """Every document with its texts copied into `texts` (its records untouched until saved)."""
        documents = sorted(self._docs.values(), key=lambda d: d.id)
        moved = []
        for number, document in enumerate(documents, 1):
            if progress:
                progress(number, len(documents), document.id)
            record = document.to_record()
            for name in ("raw", "text"):
                value = document.stored(name)  # type: ignore[arg-type]
                ref = (
                    texts.append(value)
                    if isinstance(value, str)
                    else texts.append_bytes(value.file.read_bytes(value.ref), value.ref.chars)
                )
                record.pop(name, None)
                record[name + "_at"] = ref.to_json()
            moved.append(Document.from_record(storage.intern_record(record, self._db.storage.strings), texts))
        return moved

    def _live_bytes(self) -> int:
        """Bytes of the texts file the store refers to: all of it unless texts were removed or replaced."""
        texts = [t for d in self._docs.values() for t in (d.stored("raw"), d.stored("text"))]
        refs = {t.ref for t in texts if isinstance(t, StoredText)}
        return sum(ref.nbytes for ref in refs)

    def _reread_if_changed(self) -> None:
        """Under the lock: read the store again if another writer replaced it since it was read."""
        if _stamp(self.path) != self._stamp:
            fresh = self._load(self.path)
            self._db, self._docs, self._header = fresh._db, fresh._docs, fresh._header
            self.texts, self._stamp = fresh.texts, fresh._stamp
        self._touched = set()

    # -- searching -------------------------------------------------------------------------------

    def _update_index(self) -> SearchIndex:
        """Bring the index on disk up to the store: extended by a part over the new documents when
        there are few of them (one report into a 10k store: 2.6 s and 370 MB for the whole import, against
        12.9 s and 663 MB rebuilding the index), else built afresh."""
        from store.search.index import SearchIndex
        from store.search.saved import IndexUnusable

        documents = self.documents()
        try:
            saved = SearchIndex.load(self.index_path)
        except IndexUnusable:  # missing, foreign or corrupt: build afresh below
            index = None
        else:  # a bug while extending is a bug, not a reason to rebuild quietly
            index = saved.extended(documents, self.generation, self.index_path)
        if index is None:
            index = SearchIndex.build(documents, self.generation, folder=self.index_path)
        self._index = index
        return index

    def _refreshed(self, stale: SearchIndex | None) -> SearchIndex:
        """A reader found the index missing or behind the store: bring it up to date on disk as a
        writer does, under the writer lock. When another process holds the lock (an import, which
        updates the index itself when it ends), or the store changed since this one read it, or the
        folder is read-only, nothing is written: the stale index is used, or one built in memory."""
        from store.search.index import SearchIndex

        try:
            with storage.exclusive_lock(self.path, wait=0):
                if _stamp(self.path) == self._stamp:
                    return self._update_index()
        except (storage.StoreError, OSError):
            pass
        return stale if stale is not None else SearchIndex.build(self.documents(), self.generation)

    def search_index(self) -> SearchIndex:
        """The persisted index, loaded once; rebuilt only if it is missing or from another generation."""
        with self._index_lock:
            if self._index is None:
                from store.search.index import SearchIndex
                from store.search.saved import IndexUnusable

                try:
                    index = SearchIndex.load(self.index_path)
                except IndexUnusable:  # missing, foreign or corrupt: the store is the truth, rebuild
                    index = None
                if index is None or index.generation != self.generation:
                    index = self._refreshed(index)
                from store.search.query import warm_up

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


@dataclass
class NewDocument:
    """A decoded file whose content is not in the store yet: what building its Document needs."""

    id: str
    sha256: str
    paths: list[str]
    raw: StoredText  # already in the texts file: a worker reads it back, the parent holds no copy
    encoding: str


PARALLEL_THRESHOLD = 200  # below this, starting worker processes costs more than it saves


def build_documents(jobs: list[NewDocument], progress: Progress | None = None) -> Iterator[Document]:
    """Clean and extract each new document, across all cores when there are many.

    Yields each as it is done, so the caller can put its text away before the next one arrives
    (collected into a list, 10k new documents held 60 MB of text at once).
    """
    workers = min(os.cpu_count() or 1, 8)
    if len(jobs) < PARALLEL_THRESHOLD or workers < 2:
        for number, job in enumerate(jobs, 1):
            yield _reported(make_document(job), number, len(jobs), progress)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from store.workers import signals_held, stop_workers, worker_started

    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    # workers end with this process, hold neither the store's lock nor its stdout (store/workers.py)
    pool = ProcessPoolExecutor(
        workers, mp_context=context, initializer=worker_started, initargs=(os.getpid(),)
    )
    try:
        with signals_held():  # the workers are forked here
            results = pool.map(make_document, jobs, chunksize=16)
        for number, document in enumerate(results, 1):
            yield _reported(document, number, len(jobs), progress)
    except BaseException:  # Ctrl-C, an error, or the caller stopped reading
        stop_workers(pool)
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _reported(doc: Document, number: int, total: int, progress: Progress | None) -> Document:
    if progress:
        progress(number, total, doc.paths[0])
    return doc


def make_document(job: NewDocument) -> Document:
    """The stored form of a new report: raw text kept, cleaned text, script and extraction."""
    from store.extract.extractor import extract
    from store.text.clean import clean_text, detect_script

    text = clean_text(job.raw.read())
    return Document(
        id=job.id,
        sha256=job.sha256,
        paths=job.paths,
        raw=job.raw,  # type: ignore[arg-type]  # a StoredText: read when used
        text=text,
        encoding=job.encoding,
        script=detect_script(text),
        imported_at=_now(),
        meta=extract(text),
    )


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """Hold the cyclic garbage collector while a store is parsed, then freeze what was loaded.

    Parsing a 10k-document store makes millions of objects, none of them cyclic garbage; with the
    collector running, its passes over that growing heap took 0.5 s of a 1.5 s open. Frozen objects are
    also skipped by later collections, so the app does not pause to rescan the store.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


_UNREAD = (-1, -1, -1)  # a stamp no file has: the store must be read again before the next write


def _stamp(path: Path) -> tuple[int, int, int] | None:
    """What changes whenever a store file is replaced: inode, modification time, size."""
    try:
        info = path.stat()
    except OSError:
        return None
    return info.st_ino, info.st_mtime_ns, info.st_size


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
