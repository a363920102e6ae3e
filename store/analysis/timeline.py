"""What happened when: meetings by month, newest first, each with the provinces that took part.

A meeting is placed by the year and month its reports give (`2024-05`), or by its year alone (`2024`,
after that year's months) when no month is given. One whose year is not known — most reports state only
`9月4日` — cannot be placed among the years: those are kept apart at the end (`month` None), with the
month and day they do give. Built over meetings (`Corpus.meetings()`), so grouped reports count once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from store.analysis.dates import iso_date, newest_meetings_first
from store.analysis.pacing import Pace, paced
from store.meetings.model import Meeting

YearMonth = tuple[int, int]  # (year, month); a bound of --from / --to


@dataclass
class Month:
    """One row of the timeline: `month` is `2024-05`, `2024` (year only) or None (year unknown)."""

    month: str | None
    meetings: list[Meeting] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"month": self.month, "meetings": [timeline_entry(m) for m in self.meetings]}


def timeline_entry(meeting: Meeting) -> dict[str, Any]:
    """A meeting as the timeline lists it (the `timeline --json` shape)."""
    return {
        "id": meeting.id,
        "title": meeting.title,
        "date": iso_date(meeting.date),
        "provinces": list(meeting.provinces),
    }


def month_of(meeting: Meeting) -> str | None:
    date = meeting.date
    if date is None or date.year is None:
        return None
    return f"{date.year}-{date.month:02}" if date.month else str(date.year)


def within(meeting: Meeting, start: YearMonth | None, end: YearMonth | None) -> bool:
    """Whether a meeting falls between two months (both included); a meeting known only by its year
    falls within when its year does; one whose year is unknown never does."""
    if start is None and end is None:
        return True
    date = meeting.date
    if date is None or date.year is None:
        return False
    low = (date.year, date.month or 1)
    high = (date.year, date.month or 12)
    return (start is None or high >= start) and (end is None or low <= end)


def build_timeline(
    meetings: list[Meeting],
    *,
    province: str | None = None,
    start: YearMonth | None = None,
    end: YearMonth | None = None,
    pace: Pace | None = None,
) -> list[Month]:
    """Months newest first, each with its meetings newest first; the meetings of unknown year last."""
    months: dict[str | None, Month] = {}
    for meeting in paced(newest_meetings_first(meetings), pace):
        if province is not None and province not in meeting.provinces:
            continue
        if not within(meeting, start, end):
            continue
        key = month_of(meeting)
        months.setdefault(key, Month(key)).meetings.append(meeting)
    dated = sorted((m for k, m in months.items() if k is not None), key=_month_order, reverse=True)
    return dated + ([months[None]] if None in months else [])


def _month_order(month: Month) -> tuple[int, int]:
    """A year alone comes after (older than) that year's months: it sorts as month 0."""
    year, _, number = (month.month or "").partition("-")
    return (int(year), int(number or 0))
