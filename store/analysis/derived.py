"""Everything the people, partnerships and timeline views show, derived from one store in one pass.

The browser builds it in a worker thread when a view first opens and keeps it for as long as that store
is shown; `generation` says which store state it was derived from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from store.analysis.pairs import Pair, build_pairs, province_rank
from store.analysis.people import Official, PeopleFinder, build_people, fill_met
from store.analysis.timeline import Month, build_timeline
from store.meetings.model import Meeting

if TYPE_CHECKING:
    from store.corpus import Corpus


@dataclass
class Derived:
    generation: str
    meetings: list[Meeting]
    people: list[Official]
    pairs: list[Pair]
    timeline: list[Month]
    by_id: dict[str, Meeting] = field(default_factory=dict)
    finder: PeopleFinder | None = None

    def __post_init__(self) -> None:
        self.by_id = {m.id: m for m in self.meetings}
        self.finder = PeopleFinder(self.people)

    def meeting_of(self, doc_id: str) -> Meeting | None:
        """The meeting a report belongs to."""
        return next((m for m in self.meetings if doc_id in m.reports), None)

    def people_at(self, meeting: Meeting) -> list[Official]:
        """The people of one meeting, in the order the list shows everyone."""
        return [p for p in self.people if meeting.id in p.meetings]

    def with_met(self, person: Official) -> Official:
        """The person with `met` filled (done on demand: every pair at every meeting costs)."""
        if not person.met and person.meetings:
            fill_met(self.people, [person])
        return person

    def pair_provinces(self) -> list[str]:
        """Every province in some pair, in the gazetteer's order: the partnership matrix's rows."""
        rank = province_rank()
        named = {p for pair in self.pairs for p in pair.provinces}
        return sorted(named, key=lambda p: (rank.get(p, len(rank)), p))


def derive(corpus: Corpus) -> Derived:
    meetings = corpus.meetings()
    return Derived(
        generation=corpus.generation,
        meetings=meetings,
        people=build_people(meetings),
        pairs=build_pairs(meetings),
        timeline=build_timeline(meetings),
    )
