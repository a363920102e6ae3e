"""What grouping reads of one report: its dates as a day range, provinces, place, kind, officials, the
series session it names, and (read from its text only when a decision needs it) its shingles.

Everything here is read off the extraction the store already holds, except the text's shingles and the
session ordinals, which cost a read of the text and are made once per report per grouping.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

import numpy as np

from store.models import Document
from store.text.script import fold

_RANGE_END = re.compile(r"(?:至|到|—|－|-|~|～|、)\s*(?:(\d{1,2})月)?(\d{1,2})日?")
_ORDINAL = re.compile(
    r"第([0-9一二三四五六七八九十百零〇两]{1,6})(?:次|届|轮)(?=[^，。；,\n]{0,24}(?:会|论坛))"
)
"""A session number with the meeting it numbers (第八次联席会议, 第29届市长联席会议, 第四次会议), not
the 第二 of a list or the 第一 of 第一书记."""
_SERIES_YEAR = re.compile(r"((?:19|20)\d\d)年度")
LEAD = 160  # characters of the text after the headline where a report names its meeting's session
_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0, "两": 2}

KIND_FAMILIES: dict[str, frozenset[str]] = {
    "visit": frozenset({"座谈会", "会谈", "交流", "会见", "考察", "调研", "慰问", "对接会", "签约"}),
    "conference": frozenset({"联席会议", "推进会", "交流会", "洽谈会", "论坛", "座谈会", "签约", "对接会"}),
}
"""Kinds one event may be read as from two sides: a delegation's visit is 考察 to one paper and a
座谈会 to the other; a 论坛 and a 会见 are never one event."""


TRIP_KINDS = frozenset({"考察", "调研", "交流", "慰问"})
"""What a report of a whole visit is read as: it spans the visit's events, its day may be the arrival."""


@dataclass
class Report:
    """One report as grouping reads it. Days are counted from month 1 day 1 (`month * 31 + day`): two
    reports are compared only when they fall within a day or two, so a month's length never matters."""

    id: str
    year: int | None
    year_stated: bool  # the year is written in the report, not taken from its page or dateline
    start: int | None  # month * 31 + day, when both are known
    end: int | None
    day: int | None  # the day of the month, also when the month is not known (27日)
    day_stated: bool
    provinces: frozenset[str]
    location: str
    kind: str
    people: frozenset[str]
    title: str  # folded to Simplified
    published: tuple[int, int, int]
    bands: list[int] = field(default_factory=list)
    _shingles: np.ndarray | None = None
    _ordinals: frozenset[int] | None = None

    @property
    def single_day(self) -> bool:
        return self.start is not None and self.start == self.end


def report_of(doc: Document) -> Report:
    """A report's dates as grouping compares them. A part the text leaves out and extraction took from
    the page's date line is not held against another report: a repost's page is dated when it was
    reposted. A month so taken is not used (the day of the month still is); a day is the text's own
    unless it was worked out from 昨天 or 今日."""
    meta = doc.meta
    date = meta.date
    title, *people = fold("\n".join([doc.title, *meta.people_names()])).split("\n")  # one OpenCC call
    start = end = None
    month_known = bool(date and date.month and (date.source in ("text", "dateline") or "月" in date.text))
    if date and date.month and date.day and month_known:
        start = date.month * 31 + date.day
        end = start
        found = _RANGE_END.search(date.text)
        if found:
            month = int(found.group(1)) if found.group(1) else date.month
            later = month * 31 + int(found.group(2))
            end = later if start < later <= start + 40 else start
    return Report(
        id=doc.id,
        year=date.year if date else None,
        year_stated=bool(date and date.year and (date.source == "text" or "年" in date.text)),
        start=start,
        end=end,
        day=date.day if date else None,
        day_stated=bool(date and date.day and date.source != "relative"),
        provinces=frozenset(meta.provinces),
        location=meta.location,
        kind=meta.kind,
        people=frozenset(people),
        title=title,
        published=date.sort_key() if date else (0, 0, 0),
    )


def days_of(doc: Document) -> set[int]:
    """The days of the month a report's date covers, read without the rest of `report_of` (an import
    asks it of every stored report to find the few worth comparing)."""
    date = doc.meta.date
    if date is None or not date.day:
        return set()
    last = date.day
    if found := _RANGE_END.search(date.text):
        end = int(found.group(2))
        last = min(end if end >= date.day else end + 31, date.day + 12)  # 8月30日至9月2日: into the next
    return {(day - 1) % 31 + 1 for day in range(date.day, last + 1)}


def ordinals(title: str, text: str) -> frozenset[int]:
    """The session numbers a report's headline and lead, both folded to Simplified, name (第八次,
    第29届): two reports naming different ones report different sessions of a series."""
    head = title + "\n" + text[:LEAD]
    found = {number for m in _ORDINAL.finditer(head) if (number := chinese_number(m.group(1))) is not None}
    found |= {-int(m.group(1)) for m in _SERIES_YEAR.finditer(head)}  # 2021年度: a yearly session
    return frozenset(found)


def chinese_number(written: str) -> int | None:
    """八 → 8, 十四 → 14, 二十九 → 29, 29 → 29; None for what is not a number."""
    if written.isdigit():
        return int(written)
    total, current = 0, 0
    for char in written:
        if char == "百":
            total += (current or 1) * 100
            current = 0
        elif char == "十":
            total += (current or 1) * 10
            current = 0
        elif char in _DIGITS:
            current = current * 10 + _DIGITS[char]
        else:
            return None
    return total + current


@cache
def kinds_compatible(a: str, b: str) -> bool:
    if not a or not b or a == b:
        return True
    return any(a in family and b in family for family in KIND_FAMILIES.values())


@cache
def places_compatible(a: str, b: str) -> bool:
    """Whether two places can be one meeting's: the same, or one inside the other (拉萨市 in 西藏自治区);
    a name the gazetteer does not know (a hall, a district it lacks) is never a conflict."""
    if not a or not b or a == b:
        return True
    first, second = _division(a), _division(b)
    if first is None or second is None:
        return True
    if first.province_code != second.province_code:
        return False
    if first.level == "province" or second.level == "province":
        return True
    return _prefecture(first) == _prefecture(second)


def _division(name: str):  # type: ignore[no-untyped-def]
    from store.extract.gazetteer import gazetteer  # the gazetteer loads only when places are compared

    aliases = gazetteer().lookup(name)
    return aliases[0].division if aliases else None


def _prefecture(division) -> str:  # type: ignore[no-untyped-def]
    return division.code if division.level == "prefecture" else (division.prefecture_code or division.code)


SHINGLED = 2_000
"""Characters of a report's cleaned text its shingles are taken from: the opening carries the story
(copies share it, however each page ends), and a long page's tail would only cost time."""


def folded_text(doc: Document) -> str:
    """The opening of a report's text in Simplified, as grouping compares it."""
    text = doc.text[:SHINGLED]
    if doc.script == "simplified":
        return text
    return fold(text)
