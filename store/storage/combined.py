"""The meetings of several reports, combined by the writer and kept in the catalogue's `combined` section.

Combining a meeting's reports (store/meetings/combine.py: the clearest headline, the date range, the
union of provinces and officials) is most of what `meetings`, `people`, `pairs`, `timeline` and `tree`
cost when no answer is kept — the first lookup after any store write paid it for every meeting. The
writer, which writes the catalogue after each store write anyway, keeps each combined meeting there
(with the prefectures the tree places it under), made again only for a meeting whose reports changed:
a record names its reports' records by their CRC-32 as the catalogue holds them, and one whose reports,
or any of their records, differ is combined afresh.

It is never trusted beyond the catalogue it is in: the catalogue's stamp and checksums as for any section,
and `code` — the key of the yuelan that combined them (`answers.code_key`). A catalogue whose meetings
another yuelan combined (an upgrade, an edit) is not read: the lookup reads the store, as for a stale
catalogue, and writes the catalogue again, so only the first lookup after an upgrade pays for it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from store.meetings.model import Meeting
from store.models import MeetingDate, Person

if TYPE_CHECKING:
    from store.models import Document
    from store.storage.catalogue import Sections

Prefectures = dict[str, list[str]]  # a province → the prefectures any report of the meeting names there
SECTION = "combined"
CODE_FIELD = "combined_code"  # the catalogue header field naming the code key that combined them


def combined_records(
    documents: list[Document], groups: list[list[int]], crcs: list[int], old: dict[str, list[Any]]
) -> list[list[Any]]:
    """One record per group (the catalogue's `groups`, by document number), in that order: `old`'s
    record for the same meeting (by id) when its reports' CRCs are the same, else combined now."""
    from store.meetings.combine import combined
    from store.meetings.model import meeting_id
    from store.tree import meeting_prefectures

    docs: dict[str, Document] | None = None
    records = []
    for group in groups:
        members = [documents[n] for n in group]
        key = meeting_id([d.id for d in members])
        signature = sorted((d.id, crc) for d, crc in zip(members, (crcs[n] for n in group), strict=True))
        kept = old.get(key)
        if kept is not None and kept[0] == [crc for _, crc in signature]:
            records.append(kept)
            continue
        if docs is None:
            docs = {d.id: d for d in documents}
        meeting = combined(members)
        records.append([[crc for _, crc in signature], *encoded(meeting), meeting_prefectures(meeting, docs)])
    return records


def old_records(records: Any) -> dict[str, list[Any]]:
    """The records of a catalogue's `combined` section by meeting id, those that look whole (reused
    only for a meeting whose reports' CRCs match, so a record is never mixed into another meeting)."""
    if type(records) is not list:
        return {}
    return {r[1]: r for r in records if type(r) is list and len(r) == RECORD_LENGTH and type(r[1]) is str}


def encoded(meeting: Meeting) -> list[Any]:
    return [
        meeting.id,
        meeting.title,
        _date(meeting.date),
        _date(meeting.end),
        meeting.location,
        meeting.kind,
        list(meeting.provinces),
        [[p.name, p.post] for p in meeting.people],
        list(meeting.reports),
        {province: list(ids) for province, ids in meeting.sources.items()},
    ]


RECORD_LENGTH = 12  # CRCs, the ten fields of `encoded`, prefectures


def kept_meetings(
    sections: Sections, ids: list[str], groups: list[list[int]]
) -> list[tuple[Meeting, Prefectures]]:
    """The catalogue's combined meetings of `groups` (its own, by document number) with their
    prefectures. CatalogueUnusable or ValueError when another yuelan combined them, or the section is
    missing, damaged, misshapen or not of those groups: the reader then reads the store."""
    from store.storage.answers import code_key
    from store.storage.catalogue import CatalogueUnusable

    if sections.header.get(CODE_FIELD) != code_key():
        raise CatalogueUnusable(f"{sections.what}: meetings combined by another yuelan")
    records = sections.json(SECTION)
    if type(records) is not list or len(records) != len(groups):
        raise ValueError(f"{sections.what}: combined meetings do not match the groups")
    kept = [decoded(record) for record in records]
    for (meeting, _), group in zip(kept, groups, strict=True):
        if sorted(meeting.reports) != sorted(ids[n] for n in group):
            raise ValueError(f"{sections.what}: combined meeting {meeting.id} misplaced")
    return kept


def decoded(record: list[Any]) -> tuple[Meeting, Prefectures]:
    """The meeting and its prefectures; ValueError or TypeError when the record is misshapen."""
    if type(record) is not list or len(record) != RECORD_LENGTH:
        raise ValueError("combined meeting misshapen")
    _, mid, title, date, end, location, kind, provinces, people, reports, sources, prefectures = record
    # Its shape only, as for the catalogue's rows: the section passed its checksum and is this
    # yuelan's; the reports are checked against the group by the reader (Lookup.kept_combined).
    if not all(type(v) is str for v in (mid, title, location, kind)):
        raise ValueError("combined meeting misshapen")
    if not _strings(provinces) or type(reports) is not list or type(sources) is not dict:
        raise ValueError("combined meeting misshapen")
    if type(prefectures) is not dict or type(people) is not list:
        raise ValueError("combined meeting misshapen")
    meeting = Meeting(
        id=mid,
        title=title,
        date=_meeting_date(date),
        end=_meeting_date(end),
        location=location,
        kind=kind,
        provinces=provinces,
        people=[Person(str(name), str(post)) for name, post in people],
        reports=reports,
        sources=sources,
    )
    return meeting, prefectures


def _date(date: MeetingDate | None) -> list[Any] | None:
    if date is None:
        return None
    return [date.year, date.month, date.day, date.text, date.source, date.basis]


def _meeting_date(value: Any) -> MeetingDate | None:
    if value is None:
        return None
    if type(value) is not list or len(value) != 6:
        raise ValueError("combined meeting date misshapen")
    year, month, day, text, source, basis = value
    numbers = all(v is None or type(v) is int for v in (year, month, day))
    if not numbers or not _strings([text, source, basis]):
        raise ValueError("combined meeting date misshapen")
    return MeetingDate(year, month, day, text, source, basis)


def _strings(value: Any) -> bool:
    return type(value) is list and all(type(v) is str for v in value)
