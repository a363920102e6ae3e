"""A document as a lookup lists it (`Entry`): the few fields `list`, `tree` and `--province` read,
the rest fetched from its `Lookup` when first asked for."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from store.models import MeetingDate, Person
    from store.storage.lookup import Lookup
    from store.storage.lookup_meetings import Details


class Taking(NamedTuple):
    """A participant as the tree reads it (`models.Participant`'s fields, made cheaply)."""

    province: str
    prefectures: list[str]


class EntryMeta:
    """The part of a document's extraction that lists and the tree read; the participants (only the
    tree reads them, half the catalogue's listed fields) are read on first use."""

    __slots__ = ("_lookup", "_number", "_taking", "date", "provinces")

    def __init__(self, date: MeetingDate | None, provinces: list[str], lookup: Lookup, number: int) -> None:
        self.date = date
        self.provinces = provinces
        self._lookup = lookup
        self._number = number
        self._taking: list[Taking] | None = None

    @property
    def participants(self) -> list[Taking]:
        if self._taking is None:
            self._taking = self._lookup.participants(self._number)
        return self._taking

    def details(self) -> Details:
        return self._lookup.details(self._number)

    @property
    def location(self) -> str:
        return self.details().location

    @property
    def kind(self) -> str:
        return self.details().kind

    @property
    def people(self) -> list[Person]:
        return self.details().people

    def people_names(self) -> list[str]:
        return self.details().names()  # (Extraction.people_names)


@dataclass(frozen=True, slots=True)
class Entry:
    """One document as `list`, `tree` and `--province` read it: the fields a `Document` has by these
    names (models.newest_first and tree.build_tree take either)."""

    id: str
    script: str
    chars: int
    title: str
    meta: EntryMeta

    @property
    def imported_at(self) -> str:
        return self.meta.details().imported_at
