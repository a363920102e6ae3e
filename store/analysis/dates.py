"""A meeting's date as the people and pairs views write it: ISO 8601 with the parts the report gives."""

from __future__ import annotations

from store.models import MeetingDate


def iso_date(date: MeetingDate | None) -> str | None:
    """2024-08-08, 2024-08 or 2024; --09-04 (ISO 8601's date without a year) when the year is not known;
    None for an undated meeting or a date with no month."""
    if date is None or date.month is None:
        return str(date.year) if date and date.year else None
    day = f"-{date.day:02}" if date.day else ""
    if date.year is None:
        return f"--{date.month:02}{day}" if day else None
    return f"{date.year}-{date.month:02}{day}"
