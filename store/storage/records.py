"""The shape every stored record must have, checked once when a store is opened.

The store is a JSON file anyone can edit (or a disk can damage); a record of the wrong shape would
otherwise surface as a traceback wherever the value is first used: sorting by a date whose year is
"2024", printing a title that is 42, making an official out of a bare string when a report is shown.
Checking every record on open turns all of these into one line naming the record, before anything
is read or written. The checks are plain type tests with no objects made, so they stay cheap on a
10k-document store (measured in the README's performance section).
"""

from __future__ import annotations

import re
import reprlib
from dataclasses import MISSING, fields
from typing import Any, get_args, get_type_hints

from store.models import DocScript, MeetingDate
from store.text.script import has_lone_surrogate

SCRIPTS = frozenset(get_args(DocScript))
# Ids are the start of a SHA-256 in hex (store.importer.content_id); one that `show ID` could not find
# (upper case, spaces) or that would print escape sequences is damage.
_ID = re.compile("[0-9a-f]{1,64}")
TEXT_REF_LIMIT = 2**63  # offsets, lengths and checksums are file positions and CRC-32s, never beyond


def _scalar_fields(cls: type) -> tuple[frozenset[str], dict[str, tuple[type, ...]]]:
    """The keys a record must have and the classes each key's value may be, read off the dataclass it
    becomes, so a field added there (a date's `source`) is known here without a second list."""
    hints = get_type_hints(cls)
    required = frozenset(f.name for f in fields(cls) if f.default is MISSING and f.default_factory is MISSING)
    return required, {f.name: get_args(hints[f.name]) or (hints[f.name],) for f in fields(cls)}


DATE_REQUIRED, DATE_TYPES = _scalar_fields(MeetingDate)
_STRING_FIELDS = ("sha256", "encoding", "imported_at")
_META_STRINGS = ("title", "location", "kind")
_META_LISTS = ("provinces", "mentioned_provinces", "places")


def table_problem(table: Any) -> str | None:
    """What is wrong with a TinyDB table's container (records keyed by decimal numbers), or None."""
    if not isinstance(table, dict):
        return f"is a JSON {_kind(table)}, not an object of records"
    for key, record in table.items():
        if not key.isdecimal():
            return f"has a record keyed {_shown(key)}, not a number"
        if type(record) is not dict:
            return f"record {key} is a JSON {_kind(record)}, not an object"
    return None


def header_problem(header: dict[str, Any]) -> str | None:
    """What is wrong with the header record's own fields (app and schema are checked by store.storage.db)."""
    for name in ("generation", "last_import"):
        if type(header.get(name, "")) is not str:
            return f"{name} is {_shown(header[name])}, not a string"
    return None


def lone_surrogate_at(data: dict[str, Any], strings: dict[str, str] | None = None) -> str | None:
    """Where the first string holding a lone surrogate is ('document record 3'), or None.

    A document's `paths` may hold them: a file name that is not UTF-8 is stored with its bytes
    surrogate-escaped, and shown escaped. Anywhere else one is damage (OpenCC and the index refuse it).
    With `strings`, the pool of distinct values parsed, only those are checked at first: a store with
    such file names is then not walked value by value on every open.
    """
    if strings is not None:
        odd = {text for text in strings.values() if has_lone_surrogate(text)}
        if not odd - _document_paths(data):
            return None
    for table, records in data.items():
        if has_lone_surrogate(table):
            return f"table name {_shown(table)}"
        for key, record in records.items() if isinstance(records, dict) else [("?", records)]:
            if any(map(has_lone_surrogate, _strings_in(record, table == "documents"))):
                return f"{'document' if table == 'documents' else table} record {key}"
    return None


def _document_paths(data: dict[str, Any]) -> set[str]:
    records = data.get("documents")
    if not isinstance(records, dict):
        return set()
    found: set[str] = set()
    for record in records.values():
        paths = record.get("paths") if isinstance(record, dict) else None
        if isinstance(paths, list):
            found.update(p for p in paths if isinstance(p, str))
    return found


def _strings_in(value: Any, skip_paths: bool = False) -> list[str]:
    """Every string in a value, keys too, walked with a stack (a tampered value may be nested hundreds
    deep); with `skip_paths`, not those of its top-level `paths`."""
    if skip_paths and isinstance(value, dict):
        value = {k: v for k, v in value.items() if k != "paths"}
    found: list[str] = []
    pending = [value]
    while pending:
        item = pending.pop()
        if type(item) is str:
            found.append(item)
        elif isinstance(item, dict):
            pending += [*item.keys(), *item.values()]
        elif type(item) is list:
            pending += item
    return found


def documents_problem(records: list[dict[str, Any]]) -> tuple[int, str] | None:
    """(position, problem) of the first bad record, or None when every one is well formed."""
    for number, record in enumerate(records):
        problem = document_problem(record)
        if problem:
            return number, problem
    return None


def record_name(record: dict[str, Any]) -> str:
    """'3 (id 'df03dcf1ac57')': the record's number in its table, and its id when it has one."""
    number = getattr(record, "doc_id", "?")  # TinyDB's Document knows its key
    doc_id = record.get("id")
    return f"{number} (id {_shown(doc_id)})" if doc_id.__class__ is str and doc_id else str(number)


# The checks below run over every record and official of a store on each open, so they are written
# as inline loops over `__class__` tests, with a message built only once something is wrong: generator
# and helper calls per item made them twice as slow (a 10k-document store holds ~170k officials).


def document_problem(record: dict[str, Any]) -> str | None:
    """What is wrong with one document record, or None; the message names the field."""
    doc_id = record.get("id")
    if doc_id.__class__ is not str or not _ID.fullmatch(doc_id):
        return f"id is {_shown(doc_id)}, not lowercase hex digits"
    for name in _STRING_FIELDS:
        if record.get(name).__class__ is not str:
            return f"{name} is {_shown(record.get(name))}, not a string"
    script = record.get("script")
    if script.__class__ is not str or script not in SCRIPTS:  # a list is unhashable: check the type first
        return f"script is {_shown(record.get('script'))}, not one of {', '.join(sorted(SCRIPTS))}"
    problem = _strings_problem("paths", record.get("paths"))
    if problem:
        return problem
    for name in ("raw", "text"):
        problem = _text_problem(record, name)
        if problem:
            return problem
    meta = record.get("meta")
    if meta is None:
        return None
    if meta.__class__ is not dict:
        return f"meta is {_shown(meta)}, not an object"
    return _meta_problem(meta)


def _text_problem(record: dict[str, Any], name: str) -> str | None:
    """A text is inline (`raw`, schema 1) or a reference into the texts file (`raw_at`)."""
    if name in record:
        return None if record[name].__class__ is str else f"{name} is {_shown(record[name])}, not a string"
    ref = record.get(name + "_at")
    if ref is None:
        return f"has neither {name} nor {name}_at"
    if ref.__class__ is list and len(ref) == 4:
        for value in ref:
            if value.__class__ is not int or not 0 <= value < TEXT_REF_LIMIT:
                break
        else:
            return None
    return f"{name}_at is {_shown(ref)}, not four non-negative whole numbers"


def _meta_problem(meta: dict[str, Any]) -> str | None:
    for name in _META_STRINGS:
        if meta.get(name, "").__class__ is not str:
            return f"meta.{name} is {_shown(meta[name])}, not a string"
    for name in _META_LISTS:
        if name in meta:
            problem = _strings_problem(f"meta.{name}", meta[name])
            if problem:
                return problem
    date = meta.get("date")
    if date is not None:
        problem = _date_problem(date)
        if problem:
            return problem
    return _people_problem(meta.get("people", [])) or _participants_problem(meta.get("participants", []))


def _strings_problem(name: str, values: Any) -> str | None:
    if values.__class__ is list:
        for value in values:
            if value.__class__ is not str:
                break
        else:
            return None
    return f"{name} is {_shown(values)}, not a list of strings"


def _date_problem(date: Any) -> str | None:
    if date.__class__ is not dict or not DATE_REQUIRED <= date.keys() <= DATE_TYPES.keys():
        return f"meta.date is {_shown(date)}, not {{{', '.join(DATE_TYPES)}}}"
    for name, value in date.items():
        if value.__class__ not in DATE_TYPES[name]:
            wanted = " or ".join(_JSON_NAMES.get(t, t.__name__) for t in DATE_TYPES[name])
            return f"meta.date.{name} is {_shown(value)}, not {wanted}"
    return None


def _people_problem(people: Any) -> str | None:
    """Officials are `{name, post}`; post may be missing (it reads as '')."""
    if people.__class__ is not list:
        return f"meta.people is {_shown(people)}, not a list"
    for number, person in enumerate(people):
        if (
            person.__class__ is not dict
            or person.get("name").__class__ is not str
            or person.get("post", "").__class__ is not str
            or len(person) != 1 + ("post" in person)
        ):
            return f"meta.people[{number}] is {_shown(person)}, not {{name, post: string}}"
    return None


def _participants_problem(participants: Any) -> str | None:
    """Participants are `{province, prefectures}`; prefectures may be missing (none named)."""
    if participants.__class__ is not list:
        return f"meta.participants is {_shown(participants)}, not a list"
    for number, item in enumerate(participants):
        if (
            item.__class__ is not dict
            or item.get("province").__class__ is not str
            or len(item) != 1 + ("prefectures" in item)
            or _strings_problem("", item.get("prefectures", []))
        ):
            return f"meta.participants[{number}] is {_shown(item)}, not {{province, prefectures: strings}}"
    return None


_JSON_NAMES = {
    dict: "object",
    list: "array",
    str: "a string",
    bool: "boolean",
    int: "a whole number",
    type(None): "null",
}


def _kind(value: Any) -> str:
    """The JSON name of a parsed value's type."""
    names = {dict: "object", list: "array", str: "string", bool: "boolean", int: "number", float: "number"}
    return "null" if value is None else names.get(type(value), type(value).__name__)


# Values in messages: short, control characters escaped (repr does), nesting cut off (a value nested
# 900 deep would otherwise overflow repr), a 4,000-digit number shortened.
_REPR = reprlib.Repr()
_REPR.maxlevel, _REPR.maxstring, _REPR.maxlong, _REPR.maxother = 2, 30, 30, 30
_REPR.maxlist = _REPR.maxdict = 3


def _shown(value: Any) -> str:
    return _REPR.repr(value)
