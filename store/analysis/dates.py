"""A meeting's date as the people and pairs views write it: ISO 8601 with the parts the report gives."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from store.models import MeetingDate

if TYPE_CHECKING:
    from store.meetings.model import Meeting


def iso_date(date: MeetingDate | None) -> str | None:
    """2024-08-08, 2024-08 or 2024; --09-04 (ISO 8601's date without a year) when the year is not known;
    None for an undated meeting or a date with no month."""
    if date is None or date.month is None:
        return str(date.year) if date and date.year else None
    day = f"-{date.day:02}" if date.day else ""
    if date.year is None:
        return f"--{date.month:02}{day}" if day else None
    return f"{date.year}-{date.month:02}{day}"


def newest_meetings_first(meetings: Iterable[Meeting]) -> list[Meeting]:
    """Meetings in the one order documents are listed in (models.newest_first): newest first, undated
    last, ties by title then id."""
    meetings = list(meetings)
    dated = sorted(
        (m for m in meetings if m.date),
        key=lambda m: (m.date.sort_key(), m.title, m.id),  # type: ignore[union-attr]
        reverse=True,
    )
    return dated + sorted((m for m in meetings if not m.date), key=lambda m: (m.title, m.id))
