"""Importing files into a store: reading and hashing them, cleaning and extracting the new ones (across
worker processes when there are many: store/workers.py), one store write and one index update."""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from store.models import Document
from store.storage import db as storage
from store.storage import lock
from store.storage.leftovers import remove_leftovers
from store.storage.texts import StoredText
from store.workers import mapped
from store.writer import UNREAD, Progress, StoreWriter, file_stamp, now_iso

ID_LENGTH = 12


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


def collect_files(paths: Iterable[Path], report: ImportReport) -> list[Path]:
    """Expand folders recursively into source files, sorted; note paths that do not exist."""
    from store.text.decode import SOURCE_SUFFIXES  # OpenCC loads when files are read, not when a store opens

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


@dataclass
class NewDocument:
    """A decoded file whose content is not in the store yet: what building its Document needs."""

    id: str
    sha256: str
    paths: list[str]
    raw: StoredText  # already in the texts file: a worker reads it back, the parent holds no copy
    encoding: str


@dataclass
class _Batch:
    """The new documents of an import not yet extracted, and the progress line's count of files done:
    a file is done once read, or, when its content is new, once its document is extracted."""

    files: int
    progress: Progress | None
    pending: dict[str, NewDocument] = field(default_factory=dict)
    chars: int = 0  # of the pending raw texts
    done: int = 0  # files done before the pending documents
    ahead: int = 0  # of the pending documents, those the workers have finished (said from the pool's thread)
    shown: int = 0  # the count on the progress line, which never goes back
    stage: str = ""  # what the import is doing while the workers extract (the index of the batch before)

    def read(self, file: Path, added: NewDocument | None) -> None:
        if added is None:
            self.done += 1
        else:
            self.chars += added.raw.chars
        self._show(self.done, str(file))

    def extracted(self, number: int, total: int, path: str) -> None:
        """`build_documents`' progress: one more of the pending documents done."""
        self._show(self.done + number, path)
        if number == total:
            self.done += total
            self.ahead, self.stage = 0, ""

    def finished_by_workers(self, count: int) -> None:
        """The workers' progress, while this process does something else (store/workers.py)."""
        self.ahead += count
        self._show(self.done + self.ahead, self.stage or "extracting…")

    def say(self, stage: str) -> None:
        """A stage of the batch on the progress line (they take seconds in a large import)."""
        self._show(self.done, stage)

    def _show(self, done: int, label: str) -> None:
        if self.progress:
            self.shown = max(self.shown, min(done, self.files))
            self.progress(self.shown, self.files, label)


def build_documents(
    jobs: list[NewDocument],
    progress: Progress | None = None,
    finished: Callable[[int], object] | None = None,
) -> Iterator[Document]:
    """Clean and extract each new document, across all cores when there are many.

    Yields each as it is done, so the caller can put its text away before the next one arrives
    (collected into a list, a large import held all its new texts at once). `finished`: the
    workers' own progress (store/workers.py: `mapped`).
    """
    for number, document in enumerate(mapped(make_document, jobs, finished=finished), 1):
        yield _reported(document, number, len(jobs), progress)


def started(documents: Iterator[Document]) -> Iterator[Document]:
    """`documents` with their extraction under way: the first is asked for now, which forks the
    workers and hands them every job (store/workers.py: `mapped`), so the caller can do other work
    while they extract. Close `documents` itself to end them early."""
    first = next(documents, None)
    return iter(()) if first is None else itertools.chain([first], documents)


def _reported(doc: Document, number: int, total: int, progress: Progress | None) -> Document:
    if progress:
        progress(number, total, doc.paths[0])
    return doc


def make_document(job: NewDocument) -> Document:
    """The stored form of a new report: raw text kept, cleaned text, script and extraction."""
    # the gazetteer and jieba load in the process that extracts
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
        imported_at=now_iso(),
        meta=extract(text),
    )


class Importer(StoreWriter):
    """`Corpus.import_paths` and what it needs."""

    def import_paths(self, paths: Iterable[Path], progress: Progress | None = None) -> ImportReport:
        """Import files and folders in batches of about BATCH_CHARS characters of new text: each batch
        is extracted, written to the store (one atomic write) and indexed (one index part) before the
        next is read, so the import's memory is one batch's, not the archive's, and a batch written is
        kept whatever happens to the ones after it (a kill, Ctrl-C, an error). A small import is one batch.

        Files are read and hashed first; only content not stored yet is cleaned and extracted, in
        worker processes when there is a lot of it (extraction is CPU-bound pure Python). `progress`
        counts files done: read, and extracted when their content is new.
        """
        from store.search.batches import BATCH_CHARS  # read when called: tests set a small one

        report = ImportReport()
        files = collect_files([Path(p) for p in paths], report)
        with (
            lock.exclusive_lock(self.path),
            self._texts_kept_only_if_saved() as kept,
            self._catalogue_once(),
            self._reports_kept_across_batches(),
        ):
            self._reread_if_changed()  # another writer may have replaced it since we read it
            by_path = {p: d.id for d in self._docs.values() for p in d.paths}
            batch = _Batch(len(files), progress)
            index_due: Callable[[], object] | None = None
            for file in files:
                added = self._import_file(file, by_path, report, batch.pending)
                batch.read(file, added)
                if batch.chars >= BATCH_CHARS:
                    index_due = self._commit_batch(batch, index_due, last=False)
                    kept()
            index_due = self._commit_batch(batch, index_due, last=True)
            if index_due is not None:
                index_due()
            remove_leftovers(self.path, self.index_path)  # of imports killed before this one
        return report

    def _commit_batch(
        self, batch: _Batch, index_due: Callable[[], object] | None, *, last: bool
    ) -> Callable[[], object] | None:
        """Extract the batch's new documents and write the store if anything changed; the batch is
        then empty. Returns the bringing of the index up to this store, for the caller to run (None
        when nothing is due); `index_due`, that of the batch before, runs here while the workers
        extract this one (on two cores, the index's sort no longer waits for them, nor they for it).
        The last batch also writes a store or index not there yet."""
        self.texts.sync()  # the workers read the raw texts back from the file
        extracting = build_documents(list(batch.pending.values()), batch.extracted, batch.finished_by_workers)
        try:
            documents = started(extracting)
            if index_due is not None:
                batch.stage = "updating the search index…"
                index_due()
            for document in documents:
                self._docs[document.id] = self._settled(document)
                self._touched.add(document.id)
        finally:
            extracting.close()  # an error or Ctrl-C: the workers end now
        batch.pending.clear()
        batch.chars = 0
        saved = bool(self._touched) or (last and not self.path.exists())
        if saved:
            batch.say("writing the store…")
            self._save(imported=True)
        if saved or (last and not self.index_path.exists()):
            return self._index_of_store_as_written(batch)
        return None

    def _index_of_store_as_written(self, batch: _Batch) -> Callable[[], object]:
        """The index update for the store just written, to run later: the documents and generation are
        taken now (the next batch's files, read before it runs, may change which documents there
        are), so the index made is this store's whatever has been read since."""
        documents, generation = self.documents(), self.generation

        def update() -> object:
            batch.say("updating the search index…")
            return self._update_index(documents, generation)

        return update

    @contextlib.contextmanager
    def _texts_kept_only_if_saved(self) -> Iterator[Callable[[], None]]:
        """Under the writer lock: when the import fails (an error, Ctrl-C) before its store is written,
        the texts it appended go again, and this Corpus, holding the failed batch, reads the store
        anew on its next import. Once the store is replaced, its texts are referred to and stay: the
        import calls what this yields after each batch it writes, and only later texts go."""
        mark = [self.texts.size(), file_stamp(self.path)]

        def saved() -> None:
            mark[:] = [self.texts.size(), file_stamp(self.path)]

        try:
            yield saved
        except BaseException:
            if file_stamp(self.path) == mark[1]:
                self.texts.truncate(int(mark[0]))  # type: ignore[arg-type]
                self._stamp = UNREAD
            raise

    def _import_file(
        self, file: Path, by_path: dict[str, str], report: ImportReport, pending: dict[str, NewDocument]
    ) -> NewDocument | None:
        """Note what the file is to the store; the new document it adds to `pending`, if any."""
        # OpenCC loads when files are read, not when a store opens
        from store.text.decode import SourceError, read_source

        key = str(file.absolute())
        try:
            source = read_source(file)
        except SourceError as exc:
            report.skipped.append((key, str(exc)))
            return None
        doc_id, digest = content_id(source.raw)
        previous = by_path.get(key)
        if previous == doc_id and self._intact(self._docs[doc_id]):
            report.unchanged.append(key)
            return None
        if previous == doc_id:  # its stored text no longer reads back: store it again from the source
            document = self._docs.pop(doc_id)
            raw = StoredText(self.texts, self.texts.append(source.raw))
            pending[doc_id] = NewDocument(doc_id, digest, document.paths, raw, source.encoding)
            report.repaired.append(key)
            return pending[doc_id]
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
            return pending[doc_id]
        by_path[key] = doc_id
        return None

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
