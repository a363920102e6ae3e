"""The browser's stepping rules (`tui.state`), tested without an app: n/N, [/], a find's n/N, the
refine decision and what the status line says about the position."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from store.models import Document, SearchAnswer, SearchResult, Span
from tui.state import (
    Browsing,
    Move,
    Step,
    hit_in_meeting,
    meeting_with_hits,
    narrows,
    next_meeting,
    position_text,
    step_round,
)

HITS = [Span(10, 12), Span(40, 42), Span(90, 92)]


def answer(query: str, *ids: str, total: int | None = None) -> SearchAnswer:
    results = [SearchResult(i, i, 1.0, [Span(0, 1)] * (n + 1)) for n, i in enumerate(ids)]
    return SearchAnswer(query, results, len(ids) if total is None else total)


def test_n_from_no_hit_goes_to_the_first_hit_at_or_after_the_cursor() -> None:
    assert hit_in_meeting(HITS, None, 0, 1) == 0
    assert hit_in_meeting(HITS, None, 40, 1) == 1
    assert hit_in_meeting(HITS, None, 41, 1) == 2
    assert hit_in_meeting(HITS, None, 41, -1) == 1  # N: the last one before the cursor


def test_n_and_N_leave_the_meeting_past_its_ends() -> None:
    assert hit_in_meeting(HITS, 0, 0, 1) == 1
    assert hit_in_meeting(HITS, 2, 0, 1) is None
    assert hit_in_meeting(HITS, 0, 0, -1) is None
    assert hit_in_meeting(HITS, None, 100, 1) is None  # the cursor is past the last hit
    assert hit_in_meeting([], None, 0, 1) is None


def test_past_the_last_meeting_with_hits_n_goes_round_and_says_so() -> None:
    ids = ["a", "b", "c"]
    assert meeting_with_hits(ids, "a", 1) == Step(1)
    assert meeting_with_hits(ids, "c", 1) == Step(0, wrapped=True)
    assert meeting_with_hits(ids, "a", -1) == Step(2, wrapped=True)
    assert meeting_with_hits(ids, "b", -1) == Step(0)


def test_from_a_meeting_outside_the_results_n_starts_at_an_end_without_wrapping() -> None:
    assert meeting_with_hits(["a", "b"], "z", 1) == Step(0)
    assert meeting_with_hits(["a", "b"], None, -1) == Step(1)
    assert meeting_with_hits([], "a", 1) is None


def test_brackets_stop_at_the_ends() -> None:
    ids = ["a", "b", "c"]
    assert next_meeting(ids, "a", 1) == 1
    assert next_meeting(ids, "c", 1) is None
    assert next_meeting(ids, "a", -1) is None
    assert next_meeting(ids, "z", -1) == 0  # outside the list: its first meeting
    assert next_meeting([], "a", 1) is None


@given(st.integers(1, 50), st.data())
def test_stepping_round_always_lands_inside_and_wraps_only_at_an_end(count: int, data: st.DataObject) -> None:
    here = data.draw(st.integers(0, count - 1))
    step = data.draw(st.sampled_from([1, -1]))
    landed = step_round(count, here, step)
    assert 0 <= landed.index < count
    assert landed.wrapped == ((step > 0 and here == count - 1) or (step < 0 and here == 0))


def test_stepping_from_outside_goes_to_the_first_or_the_last() -> None:
    """A find marked in a meeting just opened has no current match: N goes to the last, n to the first."""
    assert step_round(5, -1, -1).index == 4
    assert step_round(5, -1, 1).index == 0


def test_a_query_narrows_only_by_adding_plain_characters() -> None:
    previous = answer("团结", "a")
    assert narrows(previous, "团结进步")
    assert not narrows(previous, "团结")
    assert not narrows(previous, "团")
    assert not narrows(previous, "团结 -西藏")  # an exclusion can widen what the words match
    assert not narrows(None, "团结")


def test_an_answer_is_refined_only_within_its_own_scope() -> None:
    state = Browsing()
    state.set_answer(answer("团结", "a"), scope=None)
    assert state.refinable("团结进步") is state.answer
    state.scope = "西藏自治区"
    assert state.refinable("团结进步") is None


def _doc(doc_id: str) -> Document:
    return type("Doc", (), {"id": doc_id})()  # type: ignore[return-value]  # only the id is read


def test_the_position_counts_meetings_or_matches() -> None:
    state = Browsing(docs=[_doc("a"), _doc("b")])
    assert position_text(state) == "2 meetings"
    assert position_text(Browsing(), loading=True) == ""
    state.current = state.docs[1]
    assert position_text(state) == "meeting 2 of 2"
    state.set_answer(answer("q", "b", total=5))
    assert position_text(state) == "match 1 of 5"
    state.current = state.docs[0]
    assert position_text(state) == "5 meetings match"
    state.set_answer(answer("q", total=0))
    assert position_text(state) == "no meeting matches"


def test_n_walks_the_hits_then_the_meetings_with_hits() -> None:
    state = Browsing(docs=[_doc("a"), _doc("b")])
    state.set_answer(answer("q", "a", "b"))  # a has one hit, b two
    state.current = state.docs[0]
    assert state.hit_step([Span(0, 1)], 0, 1) == Move(0)
    state.hit = 0
    assert state.hit_step([Span(0, 1)], 0, 1) == Move(0, "b")
    assert state.hit_step([Span(0, 1)], 0, -1) == Move(1, "b", wrapped=True)  # the last hit of b
    state.set_answer(None)
    assert state.hit_step([Span(0, 1)], 0, 1) is None  # not searching: n has nothing to do
