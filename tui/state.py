"""What the browser is showing, and the pure rules for stepping through it.

`Browsing` is the screen's state in one place (which meetings, which is open, the search answer, the
hit); the functions below decide where `n`/`N`, `[`/`]` and a find's `n`/`N` go, and what the status
line says about the position. None of this touches a widget, so it is tested without Pilot.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from store import Document, Meeting, SearchAnswer, SearchResult, Span, StoreError
from tui.words import plural

# Characters that make a longer query something other than a narrowing of the shorter one.
NOT_NARROWING = frozenset('-":')


@dataclass
class Browsing:
    """The meetings shown, the one open, and the search answer with its hits by document."""

    docs: list[Document] = field(default_factory=list)
    current: Document | None = None
    answer: SearchAnswer | None = None
    answer_scope: str | None = None  # the province the answer was searched in
    by_id: dict[str, SearchResult] = field(default_factory=dict)
    hit: int | None = None  # the hit shown in the open meeting, counted from 0
    scope: str | None = None  # the province the next search is limited to
    index_state: str = "loading"
    # The meetings (`Corpus.meetings`), each report's meeting, and the search's matches by meeting.
    meetings: list[Meeting] = field(default_factory=list)
    by_report: dict[str, Meeting] = field(default_factory=dict)
    matched: list[MeetingMatch] = field(default_factory=list)
    adds: bool = False  # `a`: the sentences of the open report that no other report of its meeting has

    first_reports: list[str] = field(default_factory=list)  # each meeting's, as `[`/`]` walk them

    def set_meetings(self, meetings: list[Meeting]) -> None:
        self.meetings = meetings
        self.by_report = {doc_id: m for m in meetings for doc_id in m.reports}
        self.first_reports = [m.reports[0] for m in meetings]

    def set_answer(self, answer: SearchAnswer | None, scope: str | None = None) -> None:
        self.answer = answer
        self.answer_scope = scope
        self.by_id = {r.doc_id: r for r in answer.results} if answer is not None else {}
        self.matched = match_meetings(answer.results, self.reports_of, self.title_of) if answer else []
        self.hit = None

    @property
    def current_id(self) -> str | None:
        return self.current.id if self.current is not None else None

    def title_of(self, doc_id: str) -> str | None:
        """The title of a report's meeting (None when the report's meeting is not known)."""
        meeting = self.by_report.get(doc_id)
        return meeting.title if meeting is not None else None

    def reports_of(self, doc_id: str) -> list[str]:
        """The reports of the meeting `doc_id` belongs to, earliest first (itself alone when it has none)."""
        meeting = self.by_report.get(doc_id)
        return list(meeting.reports) if meeting is not None else [doc_id]

    def groups(self) -> list[list[str]]:
        """The reports by meeting, in the order meetings are walked: while searching, the matching reports
        of each matching meeting, best meeting first; else every meeting's reports, newest first."""
        if self.answer is not None:
            return [[r.doc_id for r in match.reports] for match in self.matched]
        if self.meetings:
            return [list(m.reports) for m in self.meetings]
        return [[d.id] for d in self.docs]

    def meeting_ids(self) -> list[str]:
        """The meetings `[`/`]` walk, each by the report it opens at: the matching meetings while
        searching (their first matching report), else every meeting (its first report)."""
        if self.answer is None and self.meetings:
            return self.first_reports  # made once: the status line asks on every move
        return [group[0] for group in self.groups()]

    def meeting_here(self) -> str | None:
        """The open report's meeting among `meeting_ids` (the report that stands for it), if listed."""
        here = self.current_id
        if self.answer is None and self.meetings:
            meeting = self.by_report.get(here or "")
            return meeting.reports[0] if meeting is not None else None
        return next((group[0] for group in self.groups() if here in group), None)

    def entry_report(self, doc_id: str) -> str:
        """The report a meeting opens at when chosen by any of its reports: while searching, its first
        matching report; else its first report."""
        reports = self.reports_of(doc_id)
        if self.answer is not None:
            return next((r for r in reports if r in self.by_id), doc_id)
        return reports[0]

    def ids_with_hits(self) -> list[str]:
        """The reports `n`/`N` walk on to, meeting by meeting."""
        return [doc_id for group in self.groups() for doc_id in group if self.hits_for(doc_id)]

    def hits_for(self, doc_id: str) -> list[Span]:
        result = self.by_id.get(doc_id)
        return list(result.hits) if result else []

    def hit_step(self, hits: list[Span], cursor: int, step: int) -> Move | None:
        """Where `n` (step 1) or `N` (-1) go while searching: the next/previous hit in the open meeting
        (`hits`, the cursor at offset `cursor`), past its ends the next/previous meeting with hits."""
        if self.answer is None or not self.answer.results:
            return None
        index = hit_in_meeting(hits, self.hit, cursor, step) if self.current is not None else None
        if index is not None:
            return Move(index)
        ids = self.ids_with_hits()
        if (target := meeting_with_hits(ids, self.current_id, step)) is None:
            return None
        doc_id = ids[target.index]
        return Move(0 if step > 0 else len(self.by_id[doc_id].hits) - 1, doc_id, target.wrapped)

    def refinable(self, query: str) -> SearchAnswer | None:
        """The answer a search for `query` may refine instead of searching the whole index."""
        if self.answer is None or self.answer_scope != self.scope:
            return None
        return self.answer if narrows(self.answer, query) else None


@dataclass(frozen=True)
class MeetingMatch:
    """One meeting in the result list: its reports that match, in the meeting's order (earliest
    publication first), their hits counted per report and rolled up to the meeting."""

    title: str
    reports: tuple[SearchResult, ...]

    @property
    def doc_id(self) -> str:
        """The report the meeting opens at."""
        return self.reports[0].doc_id

    @property
    def counts(self) -> list[int]:
        return [len(r.hits) for r in self.reports]

    @property
    def hits(self) -> int:
        return sum(self.counts)


def match_meetings(
    results: list[SearchResult],
    reports_of: Callable[[str], list[str]],
    title_of: Callable[[str], str | None] = lambda doc_id: None,
) -> list[MeetingMatch]:
    """The results rolled up by meeting: a meeting ranks where its best report does; its matching
    reports keep the meeting's order. `reports_of` gives a report's meeting's reports."""
    rank = {r.doc_id: r for r in results}
    found: list[MeetingMatch] = []
    seen: set[str] = set()
    for result in results:
        if result.doc_id in seen:
            continue
        reports = [rank[doc_id] for doc_id in reports_of(result.doc_id) if doc_id in rank] or [result]
        seen.update(r.doc_id for r in reports)
        found.append(MeetingMatch(title_of(result.doc_id) or reports[0].title, tuple(reports)))
    return found


def narrows(previous: SearchAnswer | None, query: str) -> bool:
    """Whether `query` only adds to the previous one, so its answer can refine the previous answer."""
    if previous is None or not query.startswith(previous.query) or query == previous.query:
        return False
    return not (NOT_NARROWING & set(query))


def readable(doc: Document, what: Literal["raw", "text"]) -> tuple[str, str | None]:
    """The document's text and None, or, when its stored bytes are damaged, a line saying so in its
    place and the error to show: one bad document must not take the browser down."""
    try:
        return str(getattr(doc, what)), None
    except StoreError as exc:
        return f"[{exc}]", str(exc)


@dataclass(frozen=True)
class Move:
    """Where `n`/`N` go: hit `hit` of the open meeting, or of meeting `doc_id`."""

    hit: int
    doc_id: str | None = None
    wrapped: bool = False  # went round from the last meeting to the first (or back)


@dataclass(frozen=True)
class Step:
    """Where a step lands, and whether it went round the end to get there."""

    index: int
    wrapped: bool = False


def hit_in_meeting(hits: list[Span], hit: int | None, cursor: int, step: int) -> int | None:
    """`n`/`N` inside the open meeting: the next/previous hit, counted from the hit shown or, when none
    is, from the cursor's offset; None when the step leaves the meeting."""
    if not hits:
        return None
    if hit is None:
        first_after = next((i for i, h in enumerate(hits) if h.start >= cursor), len(hits))
        index = first_after if step > 0 else first_after - 1
    else:
        index = hit + step
    return index if 0 <= index < len(hits) else None


def step_round(count: int, here: int, step: int) -> Step:
    """One step through `count` places, going round at the ends; `here` is -1 when outside them, and
    then a step forward goes to the first place and a step back to the last."""
    if here < 0:
        return Step(0 if step > 0 else count - 1)
    target = (here + step) % count
    return Step(target, (step > 0 and target <= here) or (step < 0 and target >= here >= 0))


def meeting_with_hits(ids: list[str], here: str | None, step: int) -> Step | None:
    """`n`/`N` past the open meeting's hits: the next/previous meeting with hits, round at the ends;
    from a meeting outside the results, the first (or, going back, the last)."""
    if not ids:
        return None
    if here not in ids:
        return Step(0 if step > 0 else len(ids) - 1)
    return step_round(len(ids), ids.index(here), step)


def next_meeting(ids: list[str], here: str | None, step: int) -> int | None:
    """`[`/`]`: the previous/next meeting, stopping at the ends; None when there is nowhere to go."""
    if not ids:
        return None
    now = ids.index(here) if here in ids else -1
    target = min(max(now + step, 0), len(ids) - 1) if now >= 0 else 0
    return target if target != now else None


def position_text(state: Browsing, *, loading: bool = False) -> str:
    """Where the open meeting stands: among all meetings, or among the matches while searching.

    The meeting open when a search starts need not match; then the count of matches is what the user
    wants, not "meeting 0 of 3". While a big store is still `loading` nothing is said ("0 meetings"
    would lie).
    """
    here = state.meeting_here()
    if state.answer is None:
        if not state.docs and loading:
            return ""
        ids = state.meeting_ids()
        if here not in ids:
            return plural(len(ids), "meeting")
        return f"meeting {ids.index(here) + 1} of {len(ids)}"
    # Reports of one meeting among the results count once; matches past the listed ones, each once.
    total = state.answer.total - (len(state.answer.results) - len(state.matched))
    if total == 0:
        return "no meeting matches"
    ids = state.meeting_ids()
    if here in ids:
        return f"match {ids.index(here) + 1} of {total}"
    return f"{total} meetings match" if total > 1 else "1 meeting matches"
