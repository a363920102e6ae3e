"""The one interface the TUI and the CLI use: open a store, import files, read, search, build the tree.

Nothing outside this module touches TinyDB tables. A store is three things side by side:
`yuelan.json` (TinyDB: every document's metadata and where its texts are; ~20 MB at 10k documents,
held in memory once open), `yuelan.json.texts` (the raw and cleaned texts, appended, read on demand;
see store/texts.py) and `yuelan.json.index/` (the search index). An import appends the new texts,
writes the JSON once, atomically, and then brings the search index up to date (store/index.py).
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
from typing import TYPE_CHECKING

from tinydb import TinyDB

from store import db as storage
from store.leftovers import remove_leftovers
from store.models import Document, SearchAnswer
from store.texts import StoredText, TextFile, texts_path_for

if TYPE_CHECKING:
    from store.index import SearchIndex
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


def collect_files(paths: Iterable[Path], report: ImportReport) -> list[Path]:
    """Expand folders recursively into source files, sorted; note paths that do not exist."""
    from store.text import SOURCE_SUFFIXES

    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.suffix.lower() in SOURCE_SUFFIXES and p.is_file())
            files.extend(found)
        elif path.exists() or path.is_symlink():
            files.append(path)
        else:
            report.missing.append(str(path))
    return files


class Corpus:
    """An open store: its documents in memory, the search index loaded on first search."""

    def __init__(self, path: Path, handle: TinyDB, stamp: tuple[int, int, int] | None = None) -> None:
        self.path = path
        self._db = handle
        self.texts = TextFile(texts_path_for(path))
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
        path = (path or default_store_path()).expanduser().absolute()
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
        with paused_gc():
            return cls(path, storage.open_db(path), stamp)

    def _read_documents(self, handle: TinyDB) -> list[Document]:
        """Every stored document, its texts left in the texts file; a bad record is a StoreError."""
        try:
            records = [
                Document.from_record(r, self.texts) for r in handle.table(storage.DOCUMENTS_TABLE).all()
            ]
        except (KeyError, TypeError, ValueError) as exc:
            raise storage.StoreError(
                f"{self.path}: store is corrupt (bad document record: {exc}); left untouched"
            ) from exc
        self.texts.check(
            [t.ref for d in records for t in (d.stored("raw"), d.stored("text")) if isinstance(t, StoredText)]
        )
        return records

    # -- reading ---------------------------------------------------------------------------------

    def documents(self) -> list[Document]:
        """Every document, newest meeting first; undated ones last, by title."""
        dated = [d for d in self._docs.values() if d.meta.date]
        undated = [d for d in self._docs.values() if not d.meta.date]
        dated.sort(key=lambda d: (d.meta.date.sort_key(), d.id), reverse=True)  # type: ignore[union-attr]
        undated.sort(key=lambda d: (d.title, d.id))
        return dated + undated

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
        with storage.exclusive_lock(self.path):
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

    @staticmethod
    def _say(progress: Progress | None, files: int, stage: str) -> None:
        """The last stages on the progress line: a 10k import spends 10 s on them after the bar fills."""
        if progress:
            progress(files, files, stage)

    def _import_file(
        self, file: Path, by_path: dict[str, str], report: ImportReport, pending: dict[str, NewDocument]
    ) -> None:
        from store.text import SourceError, read_source

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

    def _save(self) -> None:
        """Write the store once: the records of the documents this import touched are replaced (or
        dropped), the others written as they were read. Re-encoding all 10k records to add one took
        4 s; documents of a schema 1 store, texts still inline, count as touched."""
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
            storage.write_header(handle, generation=uuid.uuid4().hex, last_import=_now())
        self._header = storage.header(handle)
        self._stamp = _stamp(self.path)
        self._touched = set()

    # -- searching -------------------------------------------------------------------------------

    def _update_index(self) -> SearchIndex:
        """Bring the index on disk up to the store: extended by a part over the new documents when
        there are few of them (one report into a 10k store: 2.6 s and 370 MB for the whole import, against
        12.9 s and 663 MB rebuilding the index), else built afresh."""
        from store.index import SearchIndex

        documents = self.documents()
        index = None
        with contextlib.suppress(Exception):  # missing, foreign or corrupt: build afresh below
            index = SearchIndex.load(self.index_path).extended(documents, self.generation, self.index_path)
        if index is None:
            index = SearchIndex.build(documents, self.generation, folder=self.index_path)
        self._index = index
        return index

    def _refreshed(self, stale: SearchIndex | None) -> SearchIndex:
        """A reader found the index missing or behind the store: bring it up to date on disk as a
        writer does, under the writer lock. When another process holds the lock (an import, which
        updates the index itself when it ends), or the store changed since this one read it, or the
        folder is read-only, nothing is written: the stale index is used, or one built in memory."""
        from store.index import SearchIndex

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
                from store.index import SearchIndex

                try:
                    index = SearchIndex.load(self.index_path)
                except Exception:  # missing, foreign or corrupt: the store is the truth, rebuild
                    index = None
                if index is None or index.generation != self.generation:
                    index = self._refreshed(index)
                from store.query import warm_up

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
    from store.extract import extract
    from store.text import clean_text, detect_script

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


def _stamp(path: Path) -> tuple[int, int, int] | None:
    """What changes whenever a store file is replaced: inode, modification time, size."""
    try:
        info = path.stat()
    except OSError:
        return None
    return info.st_ino, info.st_mtime_ns, info.st_size


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
