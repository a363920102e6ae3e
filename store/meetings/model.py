"""One meeting, as every view and command reads it, whatever grouped its reports.

Until reports are grouped, each report is its own meeting (`alone`): the people, pairs and timeline views
are written against meetings from the start, so grouping changes their answers, not their code.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from store.analysis.dates import iso_date
from store.models import Document, MeetingDate, Person

if TYPE_CHECKING:
    from store.storage.entry import Entry


@dataclass
class Meeting:
    """`reports` are document ids, earliest publication first; `sources` says which reports name each
    participating province; `people` is the union of the reports' officials, one per name folded to
    Simplified (the first post given wins)."""

    id: str
    title: str
    date: MeetingDate | None
    end: MeetingDate | None  # the last day when the reports span several, else None
    location: str
    kind: str
    provinces: list[str]
    people: list[Person]
    reports: list[str]
    sources: dict[str, list[str]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The `meetings --json` shape: dates in ISO 8601 with the parts the reports give."""
        return {
            "id": self.id,
            "title": self.title,
            "date": {"from": iso_date(self.date), "to": iso_date(self.end or self.date)},
            "location": self.location,
            "kind": self.kind,
            "provinces": list(self.provinces),
            "people": [{"name": p.name, "post": p.post} for p in self.people],
            "reports": list(self.reports),
        }


def meeting_id(reports: list[str]) -> str:
    """Stable while the same reports make the meeting up, whatever order they came in."""
    digest = hashlib.sha256("\n".join(sorted(reports)).encode()).hexdigest()
    return "m" + digest[:11]


def alone(doc: Document | Entry) -> Meeting:
    """A report that shares its meeting with no other. A lookup's entry (store/storage/lookup.py) carries
    only what lists and the tree read: its meeting has no place, kind or people."""
    meta = doc.meta
    return Meeting(
        id=meeting_id([doc.id]),
        title=doc.title,
        date=meta.date,
        end=None,
        location=getattr(meta, "location", ""),
        kind=getattr(meta, "kind", ""),
        provinces=list(meta.provinces),
        people=list(getattr(meta, "people", [])),
        reports=[doc.id],
        sources={province: [doc.id] for province in meta.provinces},
    )
