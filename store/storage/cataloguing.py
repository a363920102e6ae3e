"""Making a store's catalogue (store/storage/catalogue.py) from the open store: by a writer, right
after each store write, reusing the records it did not touch; by a reader that found none it could use.
"""

from __future__ import annotations

import sys
from array import array
from pathlib import Path
from typing import TYPE_CHECKING, Any

from store.models import Document
from store.storage.catalogue import CatalogueUnusable, Sections, store_stamp
from store.storage.paths import catalogue_path_for

if TYPE_CHECKING:
    from store.corpus import Corpus


def catalogue_of(
    corpus: Corpus,
    kept: dict[str, tuple[bytes, int]] | None = None,
    combined_before: dict[str, list[Any]] | None = None,
) -> bytes:
    """The catalogue of `corpus` as it was read or last written: its documents newest first, each
    with its listed fields and its record as the store holds it. `kept`: records' bytes (and CRC-32)
    known to be the store's, by id (`write_catalogue`), used instead of encoding them again;
    `combined_before`: the combined meetings of the catalogue before, by id, reused where their
    reports' records are unchanged (store/storage/combined.py)."""
    from store.storage import catalogue
    from store.storage import db as storage
    from store.storage.answers import code_key
    from store.storage.combined import CODE_FIELD, SECTION, combined_records

    documents = corpus.documents()
    tables = corpus._db.storage.read() or {}
    stored = {record["id"]: record for record in tables.get(storage.DOCUMENTS_TABLE, {}).values()}
    records, spans, offset, crcs = [], array("q"), 0, []
    for document in documents:
        data, crc = (kept or {}).get(document.id) or _encoded(stored[document.id])
        records.append(data)
        spans.extend((offset, len(data), crc))
        offset += len(data)
        crcs.append(crc)
    if sys.byteorder == "big":
        spans.byteswap()
    header = corpus._header
    rows = [_row(d) for d in documents]
    refs = [t.ref for d in documents for t in (d.stored("raw"), d.stored("text")) if hasattr(t, "ref")]
    needed = max((ref.offset + ref.nbytes for ref in refs), default=0)
    fields = {
        "stamp": store_stamp(corpus.path) if corpus.path.exists() else None,
        "schema": header.get("schema", storage.SCHEMA_VERSION),
        "generation": str(header.get("generation", "")),
        "last_import": str(header.get("last_import", "")),
        "texts": header.get("texts"),
        "texts_needed": needed,
        "documents": len(documents),
        CODE_FIELD: code_key(),
    }
    groups = _groups(corpus, documents)
    sections = {
        "ids": "\n".join(d.id for d in documents).encode("ascii"),
        "rows": storage.json_bytes(_dumps(rows)),
        "participant_lines": _lines(
            [[[p.province, list(p.prefectures)] for p in d.meta.participants] for d in documents]
        ),
        "detail_lines": _lines([_details(d) for d in documents]),
        "groups": storage.json_bytes(_dumps(groups)),
        SECTION: storage.json_bytes(_dumps(combined_records(documents, groups, crcs, combined_before or {}))),
        "spans": spans.tobytes(),
        "records": b"".join(records),
    }
    return catalogue.encode(fields, sections)


def save_catalogue(corpus: Corpus, data: bytes) -> None:
    """A reader's: write the catalogue `data` of `corpus` beside it when it may — the store on disk is
    still the one read and no writer holds the lock (a writer writes its own). A read-only folder only
    costs the next lookup a parse again; never fails a command."""
    from store.storage import catalogue, lock
    from store.storage.db import StoreError
    from store.writer import file_stamp

    if not corpus.path.exists():
        return
    try:
        with lock.exclusive_lock(corpus.path, wait=0):
            if file_stamp(corpus.path) == corpus._stamp:
                catalogue.write(catalogue_path_for(corpus.path), data)
    except (StoreError, OSError):
        pass


def write_catalogue(corpus: Corpus, touched: set[str], before: tuple[int, int, int] | None) -> None:
    """A writer's, under its lock, right after the store file was replaced: the catalogue of the store
    just written. If this fails or is killed, the catalogue left names the old store and is not read.

    The records of documents the write did not touch are those of the store it replaced; when the
    catalogue beside it is that store's (`before`: its stamp as the writer read it), their bytes are
    taken from it instead of encoded again (half the cost of a catalogue at 10k documents)."""
    from store.storage import catalogue

    path = catalogue_path_for(corpus.path)
    unchanged = _unchanged_records(path, touched, before)
    catalogue.write(path, catalogue_of(corpus, unchanged, _combined_before(path)))


def _combined_before(path: Path) -> dict[str, list[Any]]:
    """The combined meetings the catalogue at `path` holds, by id, if this yuelan combined them (any
    catalogue: a record is reused only for the same reports with the same records' CRCs)."""
    from store.storage.answers import code_key
    from store.storage.combined import CODE_FIELD, SECTION, old_records

    try:
        old = Sections.open(path)
    except CatalogueUnusable:
        return {}
    try:
        return old_records(old.json(SECTION)) if old.header.get(CODE_FIELD) == code_key() else {}
    except CatalogueUnusable:
        return {}
    finally:
        old.close()


def _unchanged_records(
    path: Path, touched: set[str], before: tuple[int, int, int] | None
) -> dict[str, tuple[bytes, int]] | None:
    """Bytes and CRC-32 of each record the catalogue at `path` holds and `touched` does not name, if
    it is the catalogue of the store file stamped `before` (inode, mtime, size); else None."""
    try:
        old = Sections.open(path)
    except CatalogueUnusable:
        return None
    try:
        stamp = old.header.get("stamp")
        if before is None or not isinstance(stamp, list) or [stamp[0], stamp[2], stamp[1]] != list(before):
            return None
        ids = old.section("ids").decode("ascii").split("\n")
        spans = array("q")
        spans.frombytes(old.section("spans"))
        if sys.byteorder == "big":
            spans.byteswap()
        blob = old.section("records")
        if len(spans) != 3 * len(ids):
            return None
        return {
            doc_id: (blob[start : start + length], crc)
            for doc_id, start, length, crc in zip(ids, spans[::3], spans[1::3], spans[2::3], strict=True)
            if doc_id not in touched and start + length <= len(blob)
        }
    except (CatalogueUnusable, UnicodeDecodeError, ValueError, IndexError):
        return None
    finally:
        old.close()


def _encoded(record: dict[str, Any]) -> tuple[bytes, int]:
    from store.storage.db import json_bytes

    data = json_bytes(_dumps(record))
    return data, _crc(data)


def _row(document: Document) -> list[Any]:
    meta = document.meta
    date = meta.date
    return [
        document.script,
        document.chars,
        document.title,
        [date.year, date.month, date.day, date.text, date.source, date.basis] if date else None,
        list(meta.provinces),
    ]


def _groups(corpus: Corpus, documents: list[Document]) -> list[list[int]]:
    """The meetings of more than one report, each as its reports' numbers in the catalogue (every
    other document is a meeting of its own): the store's grouping (store/meetings/kept.py)."""
    grouping = getattr(corpus, "grouping", None)  # a store grouped into meetings (issue 13)
    if grouping is None:
        return []
    numbers = {document.id: number for number, document in enumerate(documents)}
    return [[numbers[d] for d in members] for members in grouping().groups.values() if len(members) > 1]


def _details(document: Document) -> list[Any]:
    """What meetings, people, pairs and the timeline read of a document beyond its row: place, kind,
    officials (name, post), and when it was imported (the order of a meeting's reports)."""
    meta = document.meta
    people = meta.__dict__["_people"]  # as stored: Person objects are made only for what is read
    return [
        meta.location,
        meta.kind,
        [[p["name"], p.get("post", "")] if isinstance(p, dict) else [p.name, p.post] for p in people],
        document.imported_at,
    ]


def _lines(rows: list[Any]) -> bytes:
    """JSON Lines, a document's row a line: a lookup parses only the rows it reads (the meetings of
    several reports are kept combined, so `people` reads the officials of the others only)."""
    import json

    from store.storage.db import json_bytes

    encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode  # one, not one a row
    return json_bytes("\n".join(map(encode, rows)))


def _dumps(value: Any) -> str:
    import json

    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _crc(data: bytes) -> int:
    import zlib

    return zlib.crc32(data)
