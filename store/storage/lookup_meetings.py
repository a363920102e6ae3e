"""Meetings as a lookup reads them from the catalogue, paying only for the fields asked for.

A meeting of several reports is combined from its reports' entries (store/meetings/combine.py, as
`Corpus.meetings` combines their documents: it reads only what the catalogue keeps). A meeting of one
report is `meetings.model.alone` of its catalogue entry; its place, kind and
officials — most of what the catalogue holds per document, which `tree`, `pairs` and `timeline` never
read — are read from the catalogue when first asked (`people`, `who`, `meetings --json`), so those
commands do not parse them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from store.meetings.model import Meeting, alone
from store.models import Person

if TYPE_CHECKING:
    from store.models import MeetingDate
    from store.storage.entry import Entry, EntryMeta
    from store.storage.lookup import Lookup

DEFERRED = ("location", "kind", "people")


class _Listed:
    """An entry with only what `alone` reads besides the deferred fields (it finds none of those)."""

    __slots__ = ("id", "meta", "title")

    def __init__(self, entry: Entry) -> None:
        self.id, self.title, self.meta = entry.id, entry.title, _ListedMeta(entry.meta)


class _ListedMeta:
    __slots__ = ("date", "provinces")

    def __init__(self, meta: EntryMeta) -> None:
        self.date: MeetingDate | None = meta.date
        self.provinces = meta.provinces


class OneReport(Meeting):
    """`alone(entry)`, its place, kind and officials read from the entry when first asked. Not a
    dataclass of its own: Meeting's fields, equality and `to_dict`, three of them looked up."""

    _meta: Any
    _people: list[Person] | None

    @property  # type: ignore[override]
    def location(self) -> str:
        return str(self._meta.location)

    @property  # type: ignore[override]
    def kind(self) -> str:
        return str(self._meta.kind)

    @property  # type: ignore[override]
    def people(self) -> list[Person]:
        if self._people is None:
            self._people = list(self._meta.people)
        return self._people

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Meeting):
            return NotImplemented
        return all(getattr(self, f) == getattr(other, f) for f in Meeting.__dataclass_fields__)

    __hash__ = None  # type: ignore[assignment]  # as Meeting's


def one_report(entry: Entry) -> Meeting:
    meeting = alone(_Listed(entry))  # type: ignore[arg-type]
    for name in DEFERRED:
        del meeting.__dict__[name]
    meeting.__class__ = OneReport
    meeting._meta, meeting._people = entry.meta, None  # type: ignore[attr-defined]
    return meeting


def meetings_of(lookup: Lookup, groups: list[list[int]]) -> list[Meeting]:
    """Every meeting, newest first (by its newest report), as `Corpus.meetings` makes them: a meeting
    of several reports as the writer combined them (`Lookup.combined`), any other `alone`. The
    catalogue lists the documents newest first (`models.newest_first`, a total order), so a meeting's
    place is its first report's number there."""
    entries = lookup.entries()
    grouped = {number for group in groups for number in group}
    found = [(number, one_report(entry)) for number, entry in enumerate(entries) if number not in grouped]
    if groups:
        found += zip(map(min, groups), combined_meetings(lookup, groups), strict=True)
    found.sort(key=lambda pair: pair[0])
    return [meeting for _, meeting in found]


def combined_meetings(lookup: Lookup, groups: list[list[int]]) -> list[Meeting]:
    """The meetings of several reports (`groups`, the catalogue's) as the writer combined them
    (store/storage/combined.py)."""
    return [meeting for meeting, _ in lookup.kept_combined(groups)]


def known_prefectures(lookup: Lookup) -> dict[str, dict[str, list[str]]]:
    """The tree's prefectures of each meeting the catalogue keeps combined, by its id (tree.build_tree)."""
    from store.storage.catalogue import CatalogueUnusable

    try:
        kept = lookup.kept_combined(lookup.groups())
    except (CatalogueUnusable, ValueError, TypeError, IndexError):
        return {}  # the meetings were read as they are; their prefectures from their reports
    return {meeting.id: prefectures for meeting, prefectures in kept}


def checked_groups(groups: Any, count: int, what: str) -> list[list[int]]:
    """The catalogue's `groups` section if it is lists of document numbers below `count`."""
    from store.storage.catalogue import CatalogueUnusable

    if type(groups) is not list or not all(
        type(g) is list and all(type(n) is int and 0 <= n < count for n in g) for g in groups
    ):
        raise CatalogueUnusable(f"{what}: catalogue groups misshapen")
    return groups


class Details:
    """What meetings and people read of a document beyond its listed fields (read on first use); its
    officials made Person objects only when asked for (a meeting of one report's are rarely)."""

    __slots__ = ("_people", "imported_at", "kind", "location")

    def __init__(self, location: str, kind: str, people: list[list[str]], imported_at: str) -> None:
        self.location, self.kind, self.imported_at = location, kind, imported_at
        self._people: list[Any] = people

    @property
    def people(self) -> list[Person]:
        people = self._people
        if people and type(people[0]) is list:
            people = self._people = [Person(str(name), str(post)) for name, post in people]
        return people

    def names(self) -> list[str]:
        """The officials' names, without making Person objects (`Extraction.people_names`)."""
        return [p[0] if type(p) is list else p.name for p in self._people]


def participants_of(line: bytes, taking: Any, shared: dict[Any, Any] | None = None) -> list[Any]:
    """A document's participants from its catalogue line, each made `taking` (entry.Taking). With
    `shared`, one `taking` for each distinct province and prefectures across the lines read with it:
    a large store names the same ones in thousands of reports, and the tree only reads them."""
    import json

    row = json.loads(line)
    if type(row) is not list or not all(type(p) is list and len(p) == 2 for p in row):
        raise ValueError("catalogue participants misshapen")
    if shared is None:
        return [taking._make(p) for p in row]
    found = []
    for province, prefectures in row:
        key = (taking, province, tuple(prefectures))
        made = shared.get(key)
        if made is None:
            made = shared[key] = taking(province, prefectures)
        found.append(made)
    return found


def details_of(line: bytes, shared: dict[Any, Any] | None = None) -> Details:
    """A document's details from its catalogue line (cataloguing._details). With `shared`, its
    officials are made `Person`s at once, one for each distinct name and post, and its strings kept
    once, across every line read with the same dict: a large store's lines, as parsed, were tens of
    MB of repeated names."""
    import json

    row = json.loads(line)
    if type(row) is not list or len(row) != 4:
        raise ValueError("catalogue details misshapen")
    location, kind, people, imported_at = row
    if not all(type(v) is str for v in (location, kind, imported_at)) or type(people) is not list:
        raise ValueError("catalogue details misshapen")
    if not all(type(p) is list and len(p) == 2 for p in people):
        raise ValueError("catalogue officials misshapen")
    if shared is None:
        return Details(location, kind, people, imported_at)
    officials = []
    for name, post in people:
        key = (name, post)
        person = shared.get(key)
        if person is None:
            person = shared[key] = Person(str(name), str(post))
        officials.append(person)
    strings = (shared.setdefault(value, value) for value in (location, kind, imported_at))
    location, kind, imported_at = strings
    return Details(location, kind, officials, imported_at)
