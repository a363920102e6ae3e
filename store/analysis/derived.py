"""Everything the people, partnerships and timeline views show, derived from one store in one pass.

The browser builds it in a worker thread when a view first opens and keeps it for as long as that store
is shown; `generation` says which store state it was derived from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from store.analysis.pacing import Pace
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
    warm: bool = False  # read the names' pinyin now (in the building thread), not on the first key
    by_id: dict[str, Meeting] = field(default_factory=dict)
    by_report: dict[str, Meeting] = field(default_factory=dict)
    finder: PeopleFinder | None = None

    def __post_init__(self) -> None:
        self.by_id = {m.id: m for m in self.meetings}
        self.by_report = {report: m for m in self.meetings for report in m.reports}
        self.finder = PeopleFinder(self.people)
        if self.warm:
            self.finder.warm()

    def meeting_of(self, doc_id: str) -> Meeting | None:
        """The meeting a report belongs to."""
        return self.by_report.get(doc_id)

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


def derive(corpus: Corpus, pace: Pace | None = None) -> Derived:
    """`pace` is called every so often (store.analysis.pacing): a thread building this lets others run."""
    meetings = corpus.meetings()
    if pace is not None:
        pace()
    return Derived(
        generation=corpus.generation,
        meetings=meetings,
        people=build_people(meetings, pace=pace),
        pairs=build_pairs(meetings, pace=pace),
        timeline=build_timeline(meetings, pace=pace),
        warm=True,
    )
