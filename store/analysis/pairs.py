"""Partnerships: for every two provinces, the meetings both took part in, by year, first and last.

Built over meetings (`Corpus.meetings()`): reports grouped into one meeting count once.

A pair is written in the order the gazetteer lists provinces (division code), so 甘肃省–天津市 is always
天津市, 甘肃省 and never the other way round; `by_year` counts only meetings whose year is known, and
`first`/`last` come from the meetings whose year is known, else from those with a month and day
(--09-04), else None.
"""

from __future__ import annotations

import itertools
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from store.analysis.dates import iso_date, newest_meetings_first
from store.analysis.pacing import Pace, paced
from store.extract.gazetteer import province_names
from store.meetings.model import Meeting


@dataclass
class Pair:
    provinces: tuple[str, str]
    meetings: list[str] = field(default_factory=list)  # newest first
    by_year: dict[str, int] = field(default_factory=dict)
    first: str | None = None
    last: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "provinces": list(self.provinces),
            "meetings": len(self.meetings),
            "by_year": dict(self.by_year),
            "first": self.first,
            "last": self.last,
        }


def build_pairs(meetings: list[Meeting], *, pace: Pace | None = None) -> list[Pair]:
    """Every pair of provinces that met, most meetings first, then in province order."""
    rank = province_rank()
    pairs: dict[tuple[str, str], list[Meeting]] = {}
    for meeting in paced(newest_meetings_first(meetings), pace):
        provinces = sorted(set(meeting.provinces), key=lambda p: (rank.get(p, len(rank)), p))
        for pair in itertools.combinations(provinces, 2):
            pairs.setdefault(pair, []).append(meeting)
    found = [_pair(pair, members) for pair, members in paced(pairs.items(), pace, 20)]
    return sorted(found, key=lambda p: (-len(p.meetings), [rank.get(n, len(rank)) for n in p.provinces]))


def province_rank() -> dict[str, int]:
    """Each province's place in the gazetteer's order (division code): the order pairs are written in."""
    return {name: i for i, name in enumerate(province_names())}


def _pair(provinces: tuple[str, str], meetings: list[Meeting]) -> Pair:
    years = Counter(str(m.date.year) for m in meetings if m.date and m.date.year)
    dated = [m for m in meetings if m.date]  # newest first already
    # a date without its year sorts before every dated year: it cannot say which meeting came first
    dated = [m for m in dated if m.date and m.date.year] or dated
    return Pair(
        provinces,
        [m.id for m in meetings],
        dict(sorted(years.items())),
        iso_date(dated[-1].date) if dated else None,
        iso_date(dated[0].date) if dated else None,
    )
