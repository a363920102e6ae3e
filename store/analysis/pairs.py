"""Partnerships: for every two provinces, the meetings both took part in, by year, first and last.

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

from store.analysis.dates import iso_date
from store.extract.gazetteer import province_names
from store.models import Document, newest_first


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


def build_pairs(documents: list[Document]) -> list[Pair]:
    """Every pair of provinces that met, most meetings first, then in province order."""
    rank = {name: i for i, name in enumerate(province_names())}
    docs = newest_first(documents)
    pairs: dict[tuple[str, str], list[Document]] = {}
    for doc in docs:
        provinces = sorted(set(doc.meta.provinces), key=lambda p: (rank.get(p, len(rank)), p))
        for pair in itertools.combinations(provinces, 2):
            pairs.setdefault(pair, []).append(doc)
    found = [_pair(pair, members) for pair, members in pairs.items()]
    return sorted(found, key=lambda p: (-len(p.meetings), [rank.get(n, len(rank)) for n in p.provinces]))


def _pair(provinces: tuple[str, str], docs: list[Document]) -> Pair:
    years = Counter(str(d.meta.date.year) for d in docs if d.meta.date and d.meta.date.year)
    dated = [d for d in docs if d.meta.date]  # newest first already
    # a date without its year sorts before every dated year: it cannot say which meeting came first
    dated = [d for d in dated if d.meta.date and d.meta.date.year] or dated
    return Pair(
        provinces,
        [d.id for d in docs],
        dict(sorted(years.items())),
        iso_date(dated[-1].meta.date) if dated else None,
        iso_date(dated[0].meta.date) if dated else None,
    )
