"""A store opened for reading from its catalogue: the TinyDB file is not parsed while it is only read.

Parsing a store's JSON and checking every record was most of opening a large store, and the parsed
records, with the documents made from them, most of what a browser held. `open_catalogued` (which
`Corpus.open` tries first) gives a `Corpus` whose documents, meetings and tree come from a fresh
catalogue (store/storage/catalogue.py), read through the lookups' own reader (store/storage/lookup.py):

- each document is a `Listed`: its listed fields (title, date, provinces, size, participants, place,
  kind, officials) from the catalogue's sections; its record — the store's own bytes, kept in the
  catalogue at an offset — parsed the first time anything else of it is read (its texts, paths, hash),
  and the object is then a plain `Document`;
- the store itself is read, whole and with every check, the first time something needs it: a write
  (under the writer lock, so a write never works from the catalogue), a search index to rebuild, or a
  catalogue that fails a check while being read. The object is then a `Corpus` like any other.

Only a catalogue made from the store file as it is now is used (its stamp); otherwise, or when the
texts file is missing or short, `open_catalogued` gives None and the store is parsed as before.
"""

from __future__ import annotations

import threading
import weakref
from pathlib import Path
from typing import TYPE_CHECKING, Any

from store.corpus import Corpus, StoreInfo
from store.models import Document, resolve_id
from store.storage.catalogue import CatalogueUnusable, Sections, store_stamp
from store.storage.db import StoreError
from store.storage.entry import EntryMeta
from store.storage.lookup import Lookup, fresh_sections, listed_fields
from store.storage.paths import index_path_for

if TYPE_CHECKING:
    from store.meetings.model import Meeting
    from store.models import MeetingDate
    from store.search.index import SearchIndex

_FILLING = threading.Lock()  # one document's record parsed into it at a time: a worker and the screen may ask


class ListedMeta(EntryMeta):
    """A listed document's extraction: what the catalogue lists, read from it; anything else (its
    places, the provinces it only mentions, `to_dict`) from the document's whole record. It refers to
    its document weakly (see `_Catalogue`); a meeting may keep it longer than the document is kept."""

    __slots__ = ("_document", "_id")

    def __init__(
        self, date: MeetingDate | None, provinces: list[str], lookup: Lookup, number: int, document: Listed
    ) -> None:
        super().__init__(date, provinces, lookup, number)
        self._document, self._id = weakref.ref(document), document.id

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") or name in ("_document", "_id"):
            raise AttributeError(name)
        document = self._document()
        return getattr((whole(document) if document is not None else self._lookup.get(self._id)).meta, name)


class Listed(Document):
    """A document as the catalogue lists it; becomes the `Document` its record makes when anything not
    listed is read. Not the dataclass's `__init__`: only the listed fields are set."""

    def __init__(
        self,
        doc_id: str,
        row: tuple[str, int, str, MeetingDate | None, list[str]],
        lookup: Lookup,
        number: int,
    ) -> None:
        script, chars, title, date, provinces = row
        # set as attributes, not through __dict__: the values then sit in the object, with no dict of
        # their own (~130 bytes a document, until one is read whole)
        self.id, self.script, self._chars, self._title = doc_id, script, chars, title  # type: ignore[misc]
        self._lookup = lookup
        self.meta = ListedMeta(date, provinces, lookup, number, self)  # type: ignore[assignment]

    @property
    def chars(self) -> int:
        return int(self.__dict__["_chars"])

    @property
    def title(self) -> str:
        return str(self.__dict__["_title"])

    @property  # type: ignore[override]
    def imported_at(self) -> str:
        return str(self.meta.details().imported_at)  # type: ignore[attr-defined]

    @property  # type: ignore[override]
    def raw(self) -> str:
        return whole(self).raw

    @property  # type: ignore[override]
    def text(self) -> str:
        return whole(self).text

    def stored(self, name: Any) -> Any:
        return whole(self).stored(name)

    def __getattr__(self, name: str) -> Any:
        """Only for what is not set: the fields the catalogue does not list."""
        if name.startswith("__") or name in LISTED:
            raise AttributeError(name)
        return getattr(whole(self), name)


LISTED = frozenset({"id", "script", "meta", "_chars", "_title", "_lookup"})


def whole(document: Document) -> Document:
    """`document` with every field: a `Listed` one gets its record, parsed from the catalogue (or, if
    that fails a check, from the store itself), and is a plain `Document` from then on."""
    with _FILLING:
        if type(document) is Listed:
            fields = document.__dict__
            full = fields["_lookup"].get(fields["id"])
            fields.update(full.__dict__)
            document.__class__ = Document
            for name in ("_chars", "_title", "_lookup"):
                del fields[name]
    return document


class _Listing(list):  # type: ignore[type-arg]
    """The documents of a `CataloguedCorpus`, held by it; its reader refers to them weakly."""


class _Catalogue(Lookup):
    """The lookups' catalogue reader, its entries `Listed` documents, for `CataloguedCorpus`. A check
    failing while it reads turns the corpus into the store itself, and answers go on from a catalogue
    made from that (as a lookup's do).

    Nothing here refers back, strongly, to what refers to it — the documents (which read their fields
    through it) are held by the corpus, the corpus weakly: what a store made is kept out of the cyclic
    collector's passes (store/storage/heap.py), so a cycle would hold a store let go, and its open
    files, for good."""

    def __init__(self, path: Path, sections: Sections, owner: CataloguedCorpus) -> None:
        super().__init__(path, sections)
        self._owner = weakref.ref(owner)
        self._listing: weakref.ref[_Listing] | None = None

    def _entry_of(self, doc_id: str, row: list[Any], number: int) -> Listed:  # type: ignore[override]
        script, chars, title, date, provinces = listed_fields(doc_id, row)
        shared = self._listed_once  # one script name, date and list of provinces for each distinct one
        # (apart from `Lookup._shared`, whose keys are officials and participants: never mixed up)
        script = shared.setdefault(script, script)
        date = shared.setdefault(date, date)
        provinces = shared.setdefault(tuple(provinces), provinces)
        return Listed(doc_id, (script, chars, title, date, provinces), self, number)

    def entries(self) -> list[Any]:
        listing = self._listing() if self._listing is not None else None
        if listing is None:
            self._listed_once: dict[Any, Any] = {}
            listing = _Listing(super().entries())
            self._listed_once = {}
            self._entries = None
            self._listing = weakref.ref(listing)
            owner = self._owner()
            if type(owner) is CataloguedCorpus:
                owner._listed = listing
        return listing

    def _adopt(self, fresh: Lookup) -> None:
        super()._adopt(fresh)
        self._listing = None

    def _fall_back(self) -> None:
        owner = self._owner()
        if self._corpus is not None or owner is None:
            super()._fall_back()  # a bug, said; or the corpus let go: the store opened itself
            return
        self._adopt(Lookup.of_corpus(owner.read_whole(current=False)))
        self._corpus = None  # the corpus is not kept from here: it holds this reader


class CataloguedCorpus(Corpus):
    """A `Corpus` read from its catalogue until something needs the store itself (see the module)."""

    def __init__(self, path: Path, sections: Sections, stamp: tuple[int, int, int]) -> None:
        # Not Corpus.__init__: there is no TinyDB handle. `_db` and `_docs` are read on first use.
        self.path = path
        self.index_path = index_path_for(path)
        self._catalogue = _Catalogue(path, sections, self)
        self.texts = self._catalogue.texts
        header = sections.header
        self._header = {name: header[name] for name in ("schema", "generation", "last_import", "texts")}
        self._count = int(header["documents"])
        self._stamp = stamp
        self._touched: set[str] = set()
        self._index: SearchIndex | None = None
        self._index_lock = threading.Lock()
        self._reading = threading.Lock()
        self._listed: _Listing | None = None  # the documents, once listed (`_Catalogue.entries`)
        self._by_id: dict[str, Document] | None = None

    @classmethod
    def _load(cls, path: Path) -> Corpus:
        return Corpus._load(path)

    def __getattr__(self, name: str) -> Any:
        """Only for what `Corpus.__init__` sets and this does not: the store itself, read now."""
        if name not in ("_db", "_docs"):
            raise AttributeError(name)
        return getattr(self.read_whole(current=False), name)

    def read_whole(self, *, current: bool) -> Corpus:
        """Read the store itself, with every check; from then on this is a plain `Corpus`. `current`
        (a writer, under the lock): it is the store as it is now. Otherwise, when the store has been
        replaced since the catalogue was read, the corpus is marked unread, so a writer reads it again
        and a browser sees the store changed."""
        with self._reading:
            if type(self) is CataloguedCorpus:
                fresh = Corpus._load(self.path)
                self._db, self._docs, self._header = fresh._db, fresh._docs, fresh._header
                self.texts = fresh.texts
                if current or fresh._stamp == self._stamp:
                    self._stamp = fresh._stamp
                else:
                    from store.writer import UNREAD

                    self._stamp = UNREAD
                self.__class__ = Corpus  # type: ignore[assignment]
        return self

    # -- reading, from the catalogue --------------------------------------------------------------

    def documents(self) -> list[Document]:
        return list(self._catalogue.entries())  # type: ignore[arg-type]  # in the catalogue: newest first

    def __len__(self) -> int:
        return self._count

    def get(self, id_or_prefix: str) -> Document:
        if self._by_id is None:
            self._by_id = {document.id: document for document in self.documents()}
        return self._by_id[resolve_id(self._by_id, id_or_prefix)]

    def info(self) -> StoreInfo:
        return StoreInfo(
            path=self.path,
            documents=len(self),
            last_import=str(self._header.get("last_import", "")),
            index_path=self.index_path,
        )

    def meetings(self) -> list[Meeting]:
        return self._catalogue.meetings()

    def meeting_id_of(self, doc_id: str) -> str:
        return self._catalogue.meeting_id_of(doc_id)

    # -- needing the store itself -----------------------------------------------------------------

    def _reread_if_changed(self) -> None:
        """A write begins (under the lock): it works from the store itself, never from the catalogue."""
        self.read_whole(current=True)._reread_if_changed()

    def _update_index(self) -> SearchIndex:
        """The index rebuilt or extended under the lock: from the store itself, as a writer does."""
        return self.read_whole(current=True)._update_index()


def open_catalogued(path: Path) -> CataloguedCorpus | None:
    """The store at `path` read from its catalogue when that is fresh; else None."""
    stamp = store_stamp(path)
    try:
        sections = fresh_sections(path, stamp)
    except CatalogueUnusable:
        return None
    try:
        needed = int(sections.header["texts_needed"])
        corpus = CataloguedCorpus(path, sections, (stamp[0], stamp[2], stamp[1]))  # type: ignore[index]
        corpus.texts.check_size(needed)
        str(corpus.generation)
    except (StoreError, KeyError, TypeError, ValueError):
        sections.close()
        return None
    if store_stamp(path) != stamp:  # replaced meanwhile: the texts file checked may not be its own
        sections.close()
        return None
    return corpus
