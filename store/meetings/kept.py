"""The grouping kept in the store, and the user's corrections to it.

Two TinyDB tables beside the documents, written in the store's one atomic write (StoreWriter._save):
`meetings`, one record per meeting (`id`, `reports`, and each report's text bands, so an import finds
copies of a new report without reading every stored text), and `corrections`, the user's merges and
splits in the order they were made. Opening a store reads the grouping as it was written; an import
places only its new reports (grouping.place); a re-extraction groups everything again and replays the
corrections; a store written before meetings existed is grouped in memory when first asked.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from store.meetings.model import Meeting, meeting_id
from store.meetings.readings import Reading, Reports
from store.meetings.reports import folded_text
from store.storage import db as storage
from store.storage import lock

if TYPE_CHECKING:
    from tinydb import TinyDB

    from store.models import Document

MEETINGS_TABLE = "meetings"
CORRECTIONS_TABLE = "corrections"


@dataclass
class Grouping:
    """Meeting id → its report ids (sorted), report id → meeting id, report id → its text bands."""

    groups: dict[str, list[str]] = field(default_factory=dict)
    group_of: dict[str, str] = field(default_factory=dict)
    bands: dict[str, list[int]] = field(default_factory=dict)

    def put(self, members: list[str]) -> str:
        members = sorted(members)
        key = meeting_id(members)
        self.groups[key] = members
        for doc_id in members:
            self.group_of[doc_id] = key
        return key

    def take(self, key: str) -> list[str]:
        members = self.groups.pop(key)
        for doc_id in members:
            self.group_of.pop(doc_id, None)
        return members

    def rows(self) -> list[dict[str, Any]]:
        return [
            {"id": key, "reports": members, "bands": [self.bands.get(d, []) for d in members]}
            for key, members in sorted(self.groups.items())
        ]


class MeetingKeeper:
    """The meetings half of `Corpus` (which sets `_db`, `_docs`, `path` and `_save`)."""

    _db: TinyDB
    _docs: dict[str, Document]
    _grouping: Grouping | None = None
    _grouping_of: object = None  # the handle the grouping was read from: another after a re-read
    _regroup_all = False
    _fresh: Grouping | None = None  # grouped afresh to compare, kept for the write that follows

    # -- reading ------------------------------------------------------------------------------------

    def grouping(self) -> Grouping:
        if self._grouping is None or self._grouping_of is not self._db:
            kept = read_grouping(self._db, self.path)  # type: ignore[attr-defined]
            if kept is None or kept.group_of.keys() != self._docs.keys():
                kept = self._grouped_afresh()  # older store, or written by a yuelan without meetings
            self._grouping, self._grouping_of = kept, self._db
        return self._grouping

    def _read_kept(self) -> None:
        """On open, after the documents: refuse a meetings or corrections table of the wrong shape in
        one line (read only when first asked, it was a traceback in the browser); the grouping read is
        kept for that first ask."""
        kept = read_grouping(self._db, self.path)  # type: ignore[attr-defined]
        read_corrections(self._db, self.path)  # type: ignore[attr-defined]
        if kept is not None and kept.group_of.keys() == self._docs.keys():
            self._grouping, self._grouping_of = kept, self._db

    def meetings(self) -> list[Meeting]:
        """Every meeting, newest first (by its newest report); each document belongs to exactly one."""
        from store.meetings.combine import combined
        from store.models import newest_first

        order = {doc.id: i for i, doc in enumerate(newest_first(self._docs.values()))}
        grouping = self.grouping()
        found = [combined([self._docs[d] for d in members]) for members in grouping.groups.values()]
        return sorted(found, key=lambda m: min(order[r] for r in m.reports))

    def meeting_id_of(self, doc_id: str) -> str:
        """The id of the meeting a document (full id) belongs to."""
        return self.grouping().group_of[doc_id]

    def meeting_of(self, doc_id: str) -> Meeting:
        """The meeting of a document (id or unique prefix)."""
        from store.meetings.combine import combined

        doc = self.get(doc_id)  # type: ignore[attr-defined]
        grouping = self.grouping()
        return combined([self._docs[d] for d in grouping.groups[grouping.group_of[doc.id]]])

    def meeting(self, id_or_prefix: str) -> Meeting:
        """A meeting by id or unique prefix of it; LookupError naming it otherwise."""
        from store.meetings.combine import combined

        grouping = self.grouping()
        key = id_or_prefix.strip().lower()
        matches = (
            [key] if key in grouping.groups else [k for k in grouping.groups if key and k.startswith(key)]
        )
        if not matches:
            raise LookupError(f"no meeting with id {id_or_prefix!r}")
        if len(matches) > 1:
            raise LookupError(
                f"meeting id prefix {id_or_prefix!r} is ambiguous: {', '.join(sorted(matches)[:5])}"
            )
        return combined([self._docs[d] for d in grouping.groups[matches[0]]])

    # -- correcting ---------------------------------------------------------------------------------

    def merge_meetings(self, first: str, second: str) -> Meeting:
        """Make two meetings one, and keep it so across imports and re-extraction."""
        with lock.exclusive_lock(self.path):  # type: ignore[attr-defined]
            self._reread_if_changed()  # type: ignore[attr-defined]
            a, b = self.meeting(first), self.meeting(second)
            if a.id == b.id:
                raise LookupError(f"{first!r} and {second!r} are the same meeting")
            reports = sorted(a.reports + b.reports)
            grouping = self.grouping()
            with (
                self._unread_unless_saved(),
                self._db.storage.deferred(),
            ):  # correction and grouping: one write
                self._db.table(CORRECTIONS_TABLE).insert({"op": "merge", "reports": reports})
                grouping.take(a.id)
                grouping.take(b.id)
                key = grouping.put(reports)
                self._save({"generation": self.generation})  # type: ignore[attr-defined]
            self._written()  # type: ignore[attr-defined]
        return self.meeting(key)

    def split_meeting(self, doc_id: str) -> Meeting:
        """Take a report out of its meeting into one of its own, and keep it so."""
        with lock.exclusive_lock(self.path):  # type: ignore[attr-defined]
            self._reread_if_changed()  # type: ignore[attr-defined]
            doc = self.get(doc_id)  # type: ignore[attr-defined]
            grouping = self.grouping()
            members = grouping.take(grouping.group_of[doc.id])
            if len(members) == 1:
                grouping.put(members)
                raise LookupError(f"report {doc.id} is already a meeting of its own")
            with (
                self._unread_unless_saved(),
                self._db.storage.deferred(),
            ):  # correction and grouping: one write
                self._db.table(CORRECTIONS_TABLE).insert({"op": "split", "report": doc.id})
                grouping.put([d for d in members if d != doc.id])
                grouping.put([doc.id])
                self._save({"generation": self.generation})  # type: ignore[attr-defined]
            self._written()  # type: ignore[attr-defined]
        return self.meeting_of(doc.id)

    @contextlib.contextmanager
    def _unread_unless_saved(self) -> Iterator[None]:
        """A correction that fails to be written (a full disk) has changed this object's tables in
        memory: they are read again from the store, which is as it was."""
        try:
            yield
        except BaseException:
            from store.writer import UNREAD  # writer builds on this module

            self._stamp, self._grouping = UNREAD, None
            self._after_write = None  # nothing was written: no catalogue to make for it
            with contextlib.suppress(Exception):  # the write's own error is the one to report
                self._reread_if_changed()  # type: ignore[attr-defined]
            raise

    def corrections(self) -> list[dict[str, Any]]:
        return read_corrections(self._db, self.path)  # type: ignore[attr-defined]

    # -- writing (called by StoreWriter._save, inside its one atomic write) -------------------------

    def _write_meetings(self, handle: TinyDB) -> None:
        if self._regroup_all:
            grouping = self._fresh or self._grouped_afresh()
        elif self._grouping is not None and self._grouping_of is self._db:
            grouping = self._grouping
        else:
            grouping = read_grouping(self._db, self.path) or self._grouped_afresh()  # type: ignore[attr-defined]
        self._regroup_all, self._fresh = False, None
        self._placed(grouping)
        self._grouping, self._grouping_of = grouping, handle
        table = handle.table(MEETINGS_TABLE)
        table.truncate()
        table.insert_multiple(grouping.rows())

    def _meetings_stale(self) -> bool:
        """Whether grouping everything again (after a re-extraction that changed no document: the
        rules may have) gives other meetings than the kept ones; if so the next save writes them."""
        fresh = self._grouped_afresh()
        if fresh.groups.keys() == self.grouping().groups.keys():
            return False
        self._regroup_all, self._fresh = True, fresh
        return True

    def _placed(self, grouping: Grouping) -> None:
        """Bring a kept grouping up to the documents: removed reports leave their meetings, new ones
        join the meetings they belong to (grouping.place), the others untouched."""
        for doc_id in [d for d in grouping.group_of if d not in self._docs]:
            members = grouping.take(grouping.group_of[doc_id])
            grouping.bands.pop(doc_id, None)
            rest = [d for d in members if d != doc_id]
            if rest:
                grouping.put(rest)
        new = sorted(d for d in self._docs if d not in grouping.group_of)
        if not new:
            return
        from store.meetings.grouping import Blocks, Decider, place
        from store.meetings.reports import days_of

        reports = self._reports_for(grouping)
        fresh = set(new)
        text_of = self._text_of
        apart = split_reports(self.corrections())
        known: dict[str, set[str]] = {}  # pairs found in conflict, for every placement (grouping.in_conflict)
        for doc_id in new:
            Decider(reports, text_of).read(reports[doc_id])
        # only the reports a new one can be compared with are read: those on its days (a day either
        # side) or sharing a band of its text; the rest of a large store is not looked at
        days = {
            (d + shift - 1) % 31 + 1
            for doc_id in new
            for d in days_of(self._docs[doc_id])
            for shift in (-1, 0, 1)
        }
        bands = {band for doc_id in new for band in reports[doc_id].bands}
        blocks = Blocks()
        for doc_id, doc in self._docs.items():
            if doc_id in apart or doc_id in fresh:
                continue
            if days_of(doc) & days or bands.intersection(grouping.bands.get(doc_id, ())):
                blocks.add(reports[doc_id])
        for doc_id in new:
            report = reports[doc_id]
            joined = (
                []
                if doc_id in apart
                else place(report, reports, grouping.groups, grouping.group_of, text_of, blocks, known)
            )
            members = [doc_id] + [d for key in joined for d in grouping.take(key)]
            grouping.put(members)
            grouping.bands[doc_id] = report.bands
            blocks.add(report)
        self._keep_readings(reports)

    _readings_kept: dict[str, Reading] | None = None

    @contextlib.contextmanager
    def _reports_kept_across_batches(self) -> Iterator[None]:
        """Around the batches of one import: each batch placed its reports among every stored report
        on their days, and read their texts again (shingles, session numbers) when it compared them,
        so that a batch read the whole archive and an import of many batches read it over and over.
        What a report's text gave is kept here for the whole import (the reports themselves, cheap
        to make and twice the size, are made again each batch, as before); dropped when it ends."""
        self._readings_kept = {}
        try:
            yield
        finally:
            self._readings_kept = None

    def _reports_for(self, grouping: Grouping) -> Reports:
        """The reports to place a grouping's new documents among, with what their texts gave when an
        earlier batch of this import read them (if the document is still the one it was read from)."""
        return Reports(self._docs, grouping.bands, self._readings_kept)

    @staticmethod
    def _keep_readings(reports: Reports) -> None:
        """After a batch is placed: what it read of each report's text, for the import's next batches."""
        if reports.readings is not None:
            for doc_id, report in reports.items():
                if report._shingles is not None:
                    reports.readings[doc_id] = (reports.docs[doc_id], report._ordinals, report._shingles)

    def _text_of(self, doc_id: str) -> str:
        return folded_text(self._docs[doc_id])

    def _grouped_afresh(self) -> Grouping:
        """Every report grouped again, then the user's corrections replayed in the order made."""
        from store.meetings.grouping import group
        from store.meetings.reports import report_of

        corrections = self.corrections()
        reports = {d: report_of(doc) for d, doc in self._docs.items()}
        grouping = Grouping()
        for members in group(reports, self._text_of, apart=split_reports(corrections)):
            grouping.put(members)
        grouping.bands = {d: r.bands for d, r in reports.items()}
        replay(grouping, corrections)
        return grouping


def split_reports(corrections: list[dict[str, Any]]) -> set[str]:
    """Reports whose last correction split them off (a later merge takes them back in)."""
    apart: set[str] = set()
    for correction in corrections:
        if correction["op"] == "split":
            apart.add(correction["report"])
        else:
            apart -= set(correction["reports"])
    return apart


def replay(grouping: Grouping, corrections: list[dict[str, Any]]) -> None:
    """Apply the user's corrections, in order, to a fresh grouping: a merge joins the meetings now
    holding any of its reports, a split takes its report out alone. Reports since removed are skipped."""
    for correction in corrections:
        if correction["op"] == "merge":
            keys = {grouping.group_of[d] for d in correction["reports"] if d in grouping.group_of}
            if len(keys) > 1:
                grouping.put([d for key in sorted(keys) for d in grouping.take(key)])
        elif correction["report"] in grouping.group_of:
            members = grouping.take(grouping.group_of[correction["report"]])
            rest = [d for d in members if d != correction["report"]]
            if rest:
                grouping.put(rest)
            grouping.put([correction["report"]])


def _table(handle: TinyDB, name: str, path: Any) -> list[dict[str, Any]]:
    """A table's records as stored; a container of the wrong shape is a StoreError naming it."""
    from store.storage.records import table_problem  # records loads OpenCC: only when meetings are read

    data = handle.storage.read() or {}
    table = data.get(name, {})
    problem = table_problem(table)
    if problem:
        raise storage.StoreError(f"{path}: store is corrupt (table {name!r} {problem}); left untouched")
    return list(table.values())


def read_grouping(handle: TinyDB, path: Any) -> Grouping | None:
    """The kept grouping, None when the store has none; a record of the wrong shape is a StoreError."""
    rows = _table(handle, MEETINGS_TABLE, path)
    if not rows:
        return None
    grouping = Grouping()
    for row in rows:
        reports, bands = row.get("reports"), row.get("bands")
        if (
            not isinstance(reports, list)
            or not reports
            or not all(type(r) is str for r in reports)
            or not isinstance(bands, list)
            or len(bands) != len(reports)
            or not all(isinstance(b, list) and all(type(v) is int for v in b) for b in bands)
            or len(set(reports)) != len(reports)
            or any(r in grouping.group_of for r in reports)  # a report in two meetings
        ):
            raise storage.StoreError(
                f"{path}: store is corrupt (a meeting record of the wrong shape); left untouched"
            )
        grouping.put(reports)
        grouping.bands.update(zip(reports, bands, strict=True))
    return grouping


def read_corrections(handle: TinyDB, path: Any) -> list[dict[str, Any]]:
    rows = _table(handle, CORRECTIONS_TABLE, path)
    for row in rows:
        reports = row.get("reports")
        merge = (
            row.get("op") == "merge" and isinstance(reports, list) and all(type(r) is str for r in reports)
        )
        split = row.get("op") == "split" and type(row.get("report")) is str
        if not (merge or split):
            raise storage.StoreError(
                f"{path}: store is corrupt (a meeting correction of the wrong shape); left untouched"
            )
    return [dict(row) for row in rows]
