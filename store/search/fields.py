"""Each indexed document's own fields (id, title, date, provinces, officials, kind), typed, and the
filters (`province:`, `person:`, `kind:`, `date:` and the browser's scope) answered from them."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from store.extract.gazetteer import resolve_province
from store.models import Document
from store.search.query import Filters
from store.text.script import fold

Date = list[int | None] | None  # [year, month, day] as meta.json holds it; any part may be unknown

# The per-document lists of meta.json, in this order; each is one value per document.
NAMES = ("ids", "titles", "dates", "provinces", "people", "kinds")


@dataclass
class DocFields:
    """The per-document lists, numbered as the index numbers documents (across parts, dead ones too)."""

    ids: list[str]
    titles: list[str]
    dates: list[Date]
    provinces: list[list[str]]
    people: list[str]  # one string per document, officials' names a line each (not a list each)
    kinds: list[str | None]
    _folded: tuple[list[str], list[str]] | None = field(default=None, repr=False, compare=False)

    @classmethod
    def of_documents(cls, documents: list[Document], titles: list[str]) -> DocFields:
        """`titles` as read while the part was built (each text is read once per pass)."""
        return cls(
            ids=[d.id for d in documents],
            titles=titles,
            dates=[date_of(d) for d in documents],
            provinces=[list(d.meta.provinces) for d in documents],
            people=["\n".join(d.meta.people_names()) for d in documents],
            kinds=[d.meta.kind for d in documents],
        )

    @classmethod
    def of_meta(cls, meta: Mapping[str, Any]) -> DocFields:
        """The fields of a meta.json already checked, each list taken from `meta` when first used (a
        search for a word reads the ids and titles; the others are for filters)."""
        return _LazyFields(meta)

    def to_json(self) -> dict[str, list[Any]]:
        return {name: getattr(self, name) for name in NAMES}

    def __len__(self) -> int:
        return len(self.ids)

    def mask(self, filters: Filters, scope_province: str | None) -> np.ndarray:
        """Which documents every filter (and the scope) lets through."""
        mask = np.ones(len(self), dtype=bool)
        provinces = list(filters.provinces)
        if scope_province:  # the browser's scope may be any form of the name (甘, 甘肅省…)
            provinces.append(resolve_province(scope_province) or scope_province)
        for province in provinces:
            mask &= self._where(lambda k, p=province: p in self.provinces[k])
        if filters.people or filters.kinds:  # folding every official's name: only for these filters
            people, kinds = self._folded_fields()
            for person in filters.people:
                mask &= self._where(lambda k, p=person: p in people[k])
            for kind in filters.kinds:
                mask &= self._where(lambda k, v=kind: v in kinds[k])
        for year, month in filters.dates:
            mask &= self._where(lambda k, y=year, m=month: date_matches(self.dates[k], y, m))
        return mask

    def _folded_fields(self) -> tuple[list[str], list[str]]:
        """Each document's officials (one line each) and kind, folded once for all later filters."""
        if self._folded is None:
            people = "\x00".join(self.people)
            kinds = "\x00".join(kind or "" for kind in self.kinds)
            self._folded = (fold(people).split("\x00"), fold(kinds).split("\x00"))
        return self._folded

    def _where(self, predicate: Callable[[int], bool]) -> np.ndarray:
        return np.fromiter((predicate(k) for k in range(len(self))), dtype=bool, count=len(self))


class _LazyFields(DocFields):
    """DocFields whose lists are read from a meta mapping on first access (see `of_meta`)."""

    def __init__(self, meta: Mapping[str, Any]) -> None:  # no list read yet
        self._meta = meta
        self._folded = None

    def __getattr__(self, name: str) -> Any:  # only for attributes not yet set
        if name in NAMES:
            value = self._meta[name]
            setattr(self, name, value)
            return value
        raise AttributeError(name)


def date_of(doc: Document) -> Date:
    date = doc.meta.date
    return [date.year, date.month, date.day] if date else None


def date_matches(date: Date, year: int, month: int | None) -> bool:
    if not date or date[0] != year:
        return False
    return month is None or date[1] == month
