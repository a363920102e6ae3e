"""Every change to a store, under the writer lock: one atomic store write for the records changed, the
search index brought up to date after it. Removing, compacting and re-extracting live here; importing
builds on it (store/importer.py), and `Corpus` inherits both."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from store.meetings.kept import MeetingKeeper
from store.models import Document
from store.storage import db as storage
from store.storage import lock
from store.storage.atomic import fsync_directory
from store.storage.paths import new_texts_path, texts_files_of, texts_name_to_record
from store.storage.texts import StoredText, TextFile

if TYPE_CHECKING:
    pass

Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class CompactReport:
    """What a compaction did: bytes of texts files removed, bytes and documents in the file kept."""

    reclaimed_bytes: int
    texts_bytes: int
    documents: int


UNREAD = (-1, -1, -1)  # a stamp no file has: the store must be read again before the next write


def file_stamp(path: Path) -> tuple[int, int, int] | None:
    """What changes whenever a store file is replaced: inode, modification time, size."""
    try:
        info = path.stat()
    except OSError:
        return None
    return info.st_ino, info.st_mtime_ns, info.st_size


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class StoreWriter(MeetingKeeper):
    """The writing half of `Corpus` (which sets the attributes used here when it opens a store)."""

    def _reread_if_changed(self) -> None:
        """Under the lock: read the store again if another writer replaced it since it was read."""
        if file_stamp(self.path) != self._stamp:
            fresh = self._load(self.path)
            self._db, self._docs, self._header = fresh._db, fresh._docs, fresh._header
            self.texts, self._stamp = fresh.texts, fresh._stamp
        self._touched = set()

    @staticmethod
    def _say(progress: Progress | None, files: int, stage: str) -> None:
        """The last stages on the progress line: a large import spends seconds on them after the bar fills."""
        if progress:
            progress(files, files, stage)

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

    def _save(self, header: dict[str, str] | None = None, *, imported: bool = False) -> None:
        """Write the store once: the records of the documents this import touched are replaced (or
        dropped), the others written as they were read (re-encoding every record to add one took
        seconds); documents of a schema 1 store, texts still inline, count as touched. `header`: the
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
            self._write_meetings(handle)  # the meetings of the documents as written (store/meetings/kept.py)
            # a new generation on every change; `last_import` only when an import made it (the store
            # screen says when reports last came in, not when one was removed or re-extracted)
            stamped = {"last_import": now_iso()} if imported else {}
            fields = header or {"generation": uuid.uuid4().hex} | stamped
            storage.write_header(handle, **fields)
        before, self._header = self._stamp, storage.header(handle)
        self._touched = set()
        if handle.storage.deferring:  # a correction's block (store/meetings/kept.py) writes the file
            self._after_write = (touched, before)  # when it ends, and then calls `_written`
            return
        self._stamp = file_stamp(self.path)
        self._write_catalogue(touched, before)

    _after_write: tuple[set[str], tuple[int, int, int] | None] | None = None

    def _written(self) -> None:
        """After an outer `deferred` block around `_save` wrote the store file: its stamp, and the
        catalogue of the store as written (made before the file was, it named the store it replaced)."""
        if self._after_write is not None:
            (touched, before), self._after_write = self._after_write, None
            self._stamp = file_stamp(self.path)
            self._write_catalogue(touched, before)

    _catalogue_held: list[tuple[set[str], tuple[int, int, int] | None]] | None = None

    @contextlib.contextmanager
    def _catalogue_once(self) -> Iterator[None]:
        """Under the lock, around the writes of one import: the catalogue is written once, after the
        last, not after each batch. Each was made over the whole store (the records untouched copied,
        the rest of it made again), so an import of many batches made it over and over, quadratic in
        the archive. It is made from the documents the writes touched, and the catalogue that was
        beside the store before the first (store/storage/cataloguing.py): the same bytes. An import
        that fails leaves the catalogue of the store before it, which names that store and is not read
        (a lookup reads the store itself, and writes the catalogue)."""
        self._catalogue_held = []
        try:
            yield
            held = self._catalogue_held
        finally:
            self._catalogue_held = None
        if held:
            self._write_catalogue(set().union(*(touched for touched, _ in held)), held[0][1])

    def _write_catalogue(self, touched: set[str], before: tuple[int, int, int] | None) -> None:
        """The lookups' catalogue of the store just written (store/storage/cataloguing.py), under the lock."""
        if self._catalogue_held is not None:  # an import's: written once, when it ends
            self._catalogue_held.append((touched, before))
            return
        from store.storage.cataloguing import write_catalogue  # it imports the corpus lazily; so does this

        # The store is written: a catalogue that cannot be (a full disk, a damaged text's title) leaves
        # the old one, which names the old store and is not read; lookups then read the store itself.
        with contextlib.suppress(OSError, storage.StoreError):
            write_catalogue(self, touched, before)  # type: ignore[arg-type]

    def remove(self, ids: Iterable[str], progress: Progress | None = None) -> list[str]:
        """Delete documents (ids or unique prefixes, as `get` takes them); the full ids removed.

        Every id is resolved before anything changes, so an unknown one (a LookupError naming it)
        leaves the store as it was. One store write, then the index is brought up to date: the removed
        documents become dead in it, or it is rebuilt. Their texts stay in the texts file as garbage
        until `compact`.
        """
        with lock.exclusive_lock(self.path):
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
        with lock.exclusive_lock(self.path):
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
                fsync_directory(texts.path.parent)
            except BaseException:
                texts.path.unlink(missing_ok=True)
                raise
            self._say(progress, len(moved), "writing the store…")
            self.texts = texts
            for document in moved:
                self._docs[document.id] = document
            self._touched = set(self._docs)
            # if this fails, the new file is a leftover, never lost
            self._save({"texts": texts_name_to_record(texts.path)})
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

    def reextract(self, progress: Progress | None = None) -> list[str]:
        """Extract every stored document again with the current rules; the ids whose metadata changed.

        Under the writer lock, one atomic store write for the changed records, as an import does; the
        search index's fields are brought up to date (store/reextract.py)."""
        from store.reextract import reextract_documents, refreshed_index  # reextract imports this module

        with lock.exclusive_lock(self.path):
            self._reread_if_changed()
            indexed = self.generation
            documents = self.documents()
            changed, titles_changed = reextract_documents(documents, progress)
            self._regroup_all = True  # the meetings are grouped again under the current rules too
            if changed:
                self._touched = set(changed)
                self._say(progress, len(documents), "writing the store…")
                self._save()
                self._say(progress, len(documents), "updating the search index…")
                self._index = refreshed_index(
                    self.documents(), self.generation, indexed, titles_changed, self.index_path
                )
            elif self._meetings_stale():
                self._save({"generation": self.generation})  # no document changed: the index holds
            self._regroup_all = False
        return changed
