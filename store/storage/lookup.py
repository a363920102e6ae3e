"""Lookups from the shell: `list`, `tree`, `show ID` and `search` reading only what their answer needs.

`Lookup.open` reads the store's catalogue (store/storage/catalogue.py) when it is the store's as it is
now: `list` and `tree` read each document's few fields (`Entry`), `show` one record, `search` the
index alone; the TinyDB file is not parsed. Otherwise — no catalogue, an old, stale or damaged one —
the store is opened as the browser opens it (`Corpus`, with every check), a catalogue is made from it
in memory and answers the same way, and it is written beside the store when no writer holds the lock.
Either way the answer comes from the same records through the same code, so it is the same answer.
"""

from __future__ import annotations

import sys
from array import array
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from store.models import Document, MeetingDate, SearchAnswer, resolve_id
from store.storage.catalogue import CatalogueUnusable, Sections, json_items, store_stamp
from store.storage.entry import Entry, EntryMeta, Taking
from store.storage.heap import paused_gc
from store.storage.paths import catalogue_path_for, index_path_for
from store.storage.texts import TextFile, texts_path_named

if TYPE_CHECKING:
    from store.corpus import Corpus
    from store.meetings.model import Meeting
    from store.search.index import SearchIndex
    from store.storage.lookup_meetings import Details
    from store.tree import TreeNode

OPEN_ATTEMPTS = 3  # a store replaced while its catalogue was being opened: read again, then the store


class Lookup:
    """A store opened for reading by one command: from its catalogue, or from the store itself."""

    def __init__(self, path: Path, sections: Sections, corpus: Corpus | None = None) -> None:
        self.path = path
        self._sections = sections
        self._corpus = corpus
        header = sections.header
        self.generation = str(header["generation"])
        self.texts = TextFile(texts_path_named(path, header.get("texts")))
        self._ids: list[str] | None = None
        self._spans: array[int] | None = None
        self._entries: list[Entry] | None = None
        self._by_id: dict[str, Entry] | None = None
        self._numbers: dict[str, int] | None = None
        self._split: dict[str, list[Any]] = {}  # sections of JSON Lines: a row's line until parsed
        self._shared: dict[Any, Any] = {}  # one object for each distinct official, place, participant
        self._groups: list[list[int]] | None = None
        self._group_of: dict[str, str] | None = None
        self._combined: list[tuple[Meeting, dict[str, list[str]]]] | None = None

    # -- opening ---------------------------------------------------------------------------------

    @classmethod
    def open(cls, path: Path) -> Lookup:
        """The store at `path` for reading; a StoreError as `Corpus.open` gives one."""
        from store.storage.db import StoreError

        for _ in range(OPEN_ATTEMPTS):
            before = store_stamp(path)
            try:
                lookup = cls(path, fresh_sections(path, before))
                lookup.texts.check_size(int(lookup._sections.header["texts_needed"]))
            except (CatalogueUnusable, KeyError, TypeError, ValueError):
                break
            except StoreError:
                if store_stamp(path) == before:  # a texts file missing or short: the store says why
                    break
                continue  # replaced meanwhile (a compaction removes the old texts file): again
            if store_stamp(path) == before:  # the texts file opened is the one this store names
                return lookup
        return cls.of_corpus(_open_corpus(path))

    @classmethod
    def of_corpus(cls, corpus: Corpus) -> Lookup:
        """Answers from an open store, through a catalogue made in memory; written beside it if it may be."""
        from store.storage.cataloguing import catalogue_of, save_catalogue  # only when the store is read

        data = catalogue_of(corpus)
        save_catalogue(corpus, data)
        return cls(corpus.path, Sections(data, str(catalogue_path_for(corpus.path))), corpus)

    def _fall_back(self) -> None:
        """Answer from the store itself from now on: the catalogue failed a check while being read."""
        if self._corpus is not None:  # a catalogue made in memory cannot be damaged: a bug
            raise RuntimeError("catalogue made from the open store failed its own check")
        self._adopt(Lookup.of_corpus(_open_corpus(self.path)))

    def _adopt(self, fresh: Lookup) -> None:
        """Answer from `fresh` (a catalogue made from the store itself) from now on."""
        self._sections, self._corpus, self.texts = fresh._sections, fresh._corpus, fresh.texts
        self.generation = fresh.generation
        self._ids = self._spans = self._entries = None
        self._by_id = self._numbers = self._groups = self._group_of = self._combined = None
        self._split = {}

    # -- reading ---------------------------------------------------------------------------------

    def entries(self) -> list[Entry]:
        """Every document's listed fields, newest meeting first (models.newest_first)."""
        if self._entries is None:
            try:
                with paused_gc():
                    self._entries = [
                        self._entry_of(doc_id, row, number)
                        for number, (doc_id, row) in enumerate(zip(self.ids(), self._rows(), strict=True))
                    ]
            except (CatalogueUnusable, ValueError, TypeError, IndexError):
                self._fall_back()
                return self.entries()
        return self._entries

    def _entry_of(self, doc_id: str, row: list[Any], number: int) -> Entry:
        return _entry(doc_id, row, self, number)

    def ids(self) -> list[str]:
        if self._ids is None:
            try:
                data = self._sections.section("ids").decode("ascii")
            except (CatalogueUnusable, UnicodeDecodeError):
                self._fall_back()
                return self.ids()
            else:
                self._ids = data.split("\n") if data else []
        return self._ids

    def _rows(self, name: str = "rows") -> Iterator[Any]:
        """A section of a row per document, parsed a row at a time (`json_items`); CatalogueUnusable,
        once read through, unless it has a row for each id."""
        count = 0  # a UnicodeDecodeError is a ValueError, as the parse's errors are
        for count, row in enumerate(json_items(self._sections.section(name).decode("utf-8")), 1):  # noqa: B007
            yield row
        if count != len(self.ids()):
            raise CatalogueUnusable(f"{self._sections.what}: {name} do not match the ids")

    def participants(self, number: int) -> list[Taking]:
        """The participants of the document `number` (in the catalogue's order), its row parsed when
        first asked for (the tree reads those of the meetings of one report only); a province and its
        prefectures named in many reports kept once."""
        from store.storage.lookup_meetings import participants_of

        return self._line(  # type: ignore[no-any-return]
            "participant_lines", number, lambda line: participants_of(line, Taking, self._shared)
        )

    def details(self, number: int) -> Details:
        """The place, kind and officials of the document `number`, its row parsed when first asked for
        (`people` reads those of the meetings of one report only)."""
        from store.storage.lookup_meetings import details_of

        return self._line(  # type: ignore[no-any-return]
            "detail_lines", number, lambda line: details_of(line, self._shared)
        )

    def _line(self, name: str, number: int, parse: Any) -> Any:
        """Row `number` of a section of JSON Lines (cataloguing._lines), the section split when first
        read and each line parsed when first asked for."""
        try:
            if name not in self._split:
                data = self._sections.section(name)
                self._split[name] = data.split(b"\n") if data else []
                if len(self._split[name]) != len(self.ids()):
                    raise CatalogueUnusable(f"{self._sections.what}: {name} do not match the ids")
            rows = self._split[name]
            if type(rows[number]) is bytes:
                rows[number] = parse(rows[number])
        except (CatalogueUnusable, ValueError, TypeError):
            self._split.pop(name, None)
            self._fall_back()
            return self._line(name, number, parse)
        return rows[number]

    def __len__(self) -> int:
        return len(self.ids())

    def entry(self, doc_id: str) -> Entry:
        """A document's listed fields by its full id."""
        if self._by_id is None:
            self._by_id = {e.id: e for e in self.entries()}
        return self._by_id[doc_id]

    def get(self, id_or_prefix: str) -> Document:
        """A whole document by id or unique prefix (as `Corpus.get`), its record read alone."""
        if self._numbers is None:
            self._numbers = {doc_id: number for number, doc_id in enumerate(self.ids())}
        number = self._numbers[resolve_id(self._numbers, id_or_prefix)]
        try:
            record = self._record(number)
        except (CatalogueUnusable, ValueError, TypeError, IndexError):
            self._fall_back()
            return self.get(id_or_prefix)
        return Document.from_record(record, self.texts)

    def _record(self, number: int) -> dict[str, Any]:
        import json  # the record is the store's own JSON

        if self._spans is None:
            spans = array("q")
            spans.frombytes(self._sections.section("spans"))
            if sys.byteorder == "big":
                spans.byteswap()
            if len(spans) != 3 * len(self.ids()):
                raise CatalogueUnusable(f"{self._sections.what}: record table does not match the ids")
            self._spans = spans
        start, length, crc = self._spans[3 * number : 3 * number + 3]
        record = json.loads(self._sections.piece("records", start, length, crc))
        if type(record) is not dict or record.get("id") != self.ids()[number]:
            raise CatalogueUnusable(f"{self._sections.what}: record {number} is not its document's")
        return record

    def meetings(self) -> list[Meeting]:
        """Every meeting, newest first (`Corpus.meetings`)."""
        if self._corpus is not None:
            return self._corpus.meetings()
        from store.storage.lookup_meetings import meetings_of

        try:
            groups = self.groups()
            with paused_gc():
                self.kept_combined(groups)
        except (CatalogueUnusable, ValueError, TypeError, IndexError):
            self._fall_back()
            return self.meetings()
        with paused_gc():
            return meetings_of(self, groups)

    def kept_combined(self, groups: list[list[int]]) -> list[tuple[Meeting, dict[str, list[str]]]]:
        """The catalogue's combined meetings of `groups`, with their prefectures (storage/combined.py)."""
        if self._combined is None:
            from store.storage.combined import kept_meetings

            self._combined = kept_meetings(self._sections, self.ids(), groups)
        return self._combined

    def groups(self) -> list[list[int]]:
        """The meetings of more than one report, as their documents' numbers (cataloguing._groups)."""
        if self._groups is None:
            from store.storage.lookup_meetings import checked_groups

            self._groups = checked_groups(self._sections.json("groups"), len(self.ids()), self._sections.what)
        return self._groups

    def meeting_id_of(self, doc_id: str) -> str:
        """The id of the meeting a document (full id) belongs to (`Corpus.meeting_id_of`)."""
        if self._corpus is not None:
            return self._corpus.meeting_id_of(doc_id)  # type: ignore[attr-defined, no-any-return]
        from store.meetings.model import meeting_id

        if self._group_of is None:
            ids = self.ids()
            self._group_of = {ids[n]: meeting_id([ids[m] for m in g]) for g in self.groups() for n in g}
        return self._group_of.get(doc_id) or meeting_id([doc_id])

    def kept(self, name: str) -> bytes | None:
        """The answer `name` a lookup of this very store file kept (store/storage/answers.py)."""
        from store.storage.answers import kept_answer

        return kept_answer(self.path, self._answer_stamp(), name)

    def keep(self, name: str, data: bytes) -> None:
        """Keep the answer `name` for the next lookup of this store file, if it may be written."""
        from store.storage.answers import keep_answer

        keep_answer(self.path, self._answer_stamp(), name, data)

    def _answer_stamp(self) -> list[int] | None:
        """The store file's stamp when this lookup read a catalogue checked to be of it; None when it
        read the store itself (its catalogue's stamp was taken after the read)."""
        stamp = self._sections.header.get("stamp")
        return stamp if self._corpus is None and isinstance(stamp, list) else None

    def tree(self, meetings: list[Meeting] | None = None) -> list[TreeNode]:
        from store.storage.lookup_meetings import known_prefectures
        from store.tree import build_tree  # only `tree` needs it

        entries = self.entries()
        known = known_prefectures(self) if self._corpus is None and meetings is not None else None
        with paused_gc():
            return build_tree(entries, meetings, known)

    # -- searching -------------------------------------------------------------------------------

    def search(self, query: str, *, limit: int = 50, scope_province: str | None = None) -> SearchAnswer:
        """The answer `Corpus.search` gives, from the index alone when it is the store's generation."""
        if self._corpus is None:
            index = self._saved_index()
            if index is not None:
                return index.search(query, limit=limit, scope_province=scope_province)
            self._corpus = _open_corpus(self.path)  # missing or behind: the store rebuilds it
        return self._corpus.search(query, limit=limit, scope_province=scope_province)

    def _saved_index(self) -> SearchIndex | None:
        # numpy and the index load on a search only
        from store.search.index import SearchIndex
        from store.search.saved import IndexUnusable

        try:
            index = SearchIndex.load(index_path_for(self.path))
        except IndexUnusable:
            return None
        if index.generation != self.generation:
            return None
        return index


def fresh_sections(path: Path, stamp: list[int] | None) -> Sections:
    """The catalogue of the store at `path` if it was made from the store file as it is now."""
    from store.storage.db import SCHEMA_VERSION  # a constant; db's TinyDB import is cheap beside a parse

    sections = Sections.open(catalogue_path_for(path))
    header = sections.header
    if stamp is None or header.get("stamp") != stamp:
        sections.close()
        raise CatalogueUnusable(f"{path}: catalogue is not of the store as it is now")
    if not (type(header.get("schema")) is int and 1 <= header["schema"] <= SCHEMA_VERSION):
        sections.close()
        raise CatalogueUnusable(f"{path}: catalogue of a store of another schema")
    if type(header.get("last_import")) is not str:  # made by a yuelan before it was kept: made again
        sections.close()
        raise CatalogueUnusable(f"{path}: catalogue without the store's last import")
    return sections


def _open_corpus(path: Path) -> Corpus:
    from store.corpus import Corpus  # the store itself, every check made: only when the catalogue fails

    return Corpus.open(path, seed_if_new=False, catalogue=False)


def _entry(doc_id: str, row: list[Any], lookup: Lookup, number: int) -> Entry:
    script, chars, title, date, provinces = listed_fields(doc_id, row)
    return Entry(doc_id, script, chars, title, EntryMeta(date, provinces, lookup, number))


def listed_fields(doc_id: str, row: list[Any]) -> tuple[str, int, str, MeetingDate | None, list[str]]:
    """A catalogue row's script, size, title, date and provinces, checked (cataloguing._row)."""
    script, chars, title, date, provinces = row
    if type(chars) is not int or type(title) is not str or type(provinces) is not list:
        raise ValueError(f"catalogue row of {doc_id} misshapen")
    return script, chars, title, MeetingDate(*date) if date else None, provinces
