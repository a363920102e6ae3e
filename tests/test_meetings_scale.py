"""Grouping at the scale of a large import (issue 15): finding candidates in arrays, joining without
asking again about groups known to conflict, placing without asking again about pairs known to
conflict. Each gives exactly what the one-pair-at-a-time code it replaces gave: that code is kept
here, as the reference, and compared on reports made to collide (few days, provinces and officials)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from store.corpus import Corpus
from store.meetings import grouping, numbered
from store.meetings.grouping import Blocks, date_keys, in_conflict, join
from store.meetings.reports import Report

PEOPLE = [f"官员{i}" for i in range(12)]
PROVINCES = ["甘肃省", "青海省", "四川省", "西藏自治区"]


def reference_candidates(blocks_by_key: dict, by_band: dict, report: Report, reports: dict) -> list[str]:
    """Blocks.candidates as it was (one Python step per report filed beside this one)."""
    hits: Counter[str] = Counter()
    for key in date_keys(report, widened=True):
        hits.update(blocks_by_key.get(key, ()))
    for band in report.bands:
        bucket = by_band.get(band, ())
        if len(bucket) <= grouping.BUCKET_LIMIT:
            hits.update(dict.fromkeys(bucket, 10))
    hits.pop(report.id, None)
    if len(hits) <= grouping.CANDIDATE_LIMIT:
        return sorted(hits)
    for other in hits:
        hits[other] += 3 * len(report.people & reports[other].people)
    return sorted(sorted(hits, key=lambda other: (-hits[other], other))[: grouping.CANDIDATE_LIMIT])


def reference_add(by_key: dict, by_band: dict, report: Report) -> None:
    for key in date_keys(report, widened=False):
        by_key.setdefault(key, []).append(report.id)
        if key[0] == "md" and key[1] != "any":
            by_key.setdefault(("dm", (int(key[2]) - 1) % 31 + 1, key[3]), []).append(report.id)  # type: ignore[call-overload]
    for band in report.bands:
        by_band.setdefault(band, []).append(report.id)


@st.composite
def colliding_reports(draw: st.DrawFn) -> list[Report]:
    count = draw(st.integers(min_value=1, max_value=40))
    made = []
    for number in range(count):
        month = draw(st.sampled_from([None, 8, 9]))
        day = draw(st.sampled_from([None, 1, 8, 9, 30]))
        start = month * 31 + day if month and day else None
        length = draw(st.sampled_from([0, 0, 1, 14]))
        made.append(
            Report(
                id=draw(st.sampled_from(["", "0", "00"])) + f"{draw(st.integers(0, 99)):x}{number:x}",
                year=draw(st.sampled_from([None, 2023, 2024])),
                year_stated=draw(st.booleans()),
                start=start,
                end=None if start is None else start + length,
                day=day,
                day_stated=draw(st.booleans()),
                provinces=frozenset(draw(st.sets(st.sampled_from(PROVINCES), max_size=3))),
                location="",
                kind="",
                people=frozenset(draw(st.sets(st.sampled_from(PEOPLE), max_size=6))),
                title="",
                published=(0, 0, 0),
                bands=draw(st.lists(st.integers(0, 5), max_size=3)),
            )
        )
    return made


@settings(max_examples=150, deadline=None)
@given(
    made=colliding_reports(),
    limit=st.sampled_from([1, 3, 40]),
    bucket=st.sampled_from([2, 20]),
    rows=st.sampled_from([0, 1, 64]),
)
def test_candidates_are_those_counted_one_report_at_a_time(
    made: list[Report], limit: int, bucket: int, rows: int
) -> None:
    """Ties in score are broken by id, officials count three, a band ten; ids of several lengths;
    `rows` 0: officials too many for bit rows, counted pair by pair as before."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(grouping, "CANDIDATE_LIMIT", limit)
        patch.setattr(grouping, "BUCKET_LIMIT", bucket)
        patch.setattr(numbered, "MAX_PEOPLE_WORDS", rows)
        reports = {r.id: r for r in made}
        blocks, by_key, by_band = Blocks(), {}, {}
        for number, report in enumerate(reports.values()):
            if number % 3 == 0:  # some looked up before they are filed, as an import places them
                expected = reference_candidates(by_key, by_band, report, reports)
                assert blocks.candidates(report, reports) == expected
            blocks.add(report)
            reference_add(by_key, by_band, report)
        for report in reports.values():
            expected = reference_candidates(by_key, by_band, report, reports)
            assert blocks.candidates(report, reports) == expected


class FakeDecider:
    """Conflicts by a fixed relation between ids, counting the pairs asked."""

    def __init__(self, ids: list[str], conflicts: set[frozenset[str]]) -> None:
        self.reports = {i: i for i in ids}
        self.conflicts = conflicts
        self.asked = 0

    def conflict(self, a: str, b: str) -> bool:
        self.asked += 1
        return frozenset((a, b)) in self.conflicts


def reference_join(
    ids: list[str], links: list[tuple[float, str, str]], decider: FakeDecider
) -> list[list[str]]:
    """grouping.join as it was: every pair across two groups asked at every link between them."""
    group_of = {doc_id: doc_id for doc_id in ids}
    members: dict[str, list[str]] = {doc_id: [doc_id] for doc_id in ids}
    for _, a, b in sorted(set(links), key=lambda link: (-link[0], link[1], link[2])):
        first, second = group_of[a], group_of[b]
        if first == second or len(members[first]) + len(members[second]) > grouping.MEETING_LIMIT:
            continue
        if any(decider.conflict(x, y) for x in members[first] for y in members[second]):
            continue
        if len(members[first]) < len(members[second]):
            first, second = second, first
        for doc_id in members[second]:
            group_of[doc_id] = first
        members[first] += members.pop(second)
    return sorted(sorted(m) for m in members.values())


pairs: Callable[[int], st.SearchStrategy[list[tuple[int, int]]]] = lambda n: st.lists(  # noqa: E731
    st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=4 * n
)


@settings(max_examples=150, deadline=None)
@given(data=st.data(), count=st.integers(2, 24), most=st.sampled_from([3, 300]))
def test_join_gives_the_groups_of_asking_every_pair_at_every_link(
    data: st.DataObject, count: int, most: int
) -> None:
    ids = [f"r{k:02d}" for k in range(count)]
    conflicts = {frozenset((ids[a], ids[b])) for a, b in data.draw(pairs(count)) if a != b}
    links = [
        (float(data.draw(st.integers(0, 3))), *sorted((ids[a], ids[b])))
        for a, b in data.draw(pairs(count))
        if a != b
    ]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(grouping, "MEETING_LIMIT", most)
        old, new = FakeDecider(ids, conflicts), FakeDecider(ids, conflicts)
        assert join(ids, links, new) == reference_join(ids, links, old)  # type: ignore[arg-type]
        assert new.asked <= old.asked


@settings(max_examples=150, deadline=None)
@given(data=st.data(), count=st.integers(2, 20))
def test_in_conflict_answers_as_asking_every_pair(data: st.DataObject, count: int) -> None:
    ids = [f"r{k:02d}" for k in range(count)]
    conflicts = {frozenset((ids[a], ids[b])) for a, b in data.draw(pairs(count)) if a != b}
    decider = FakeDecider(ids, conflicts)
    known: dict[str, set[str]] = {}
    for _ in range(data.draw(st.integers(1, 8))):
        mine = data.draw(st.lists(st.sampled_from(ids), min_size=1, max_size=6, unique=True))
        theirs = data.draw(st.lists(st.sampled_from(ids), min_size=1, max_size=6, unique=True))
        expected = any(frozenset((x, y)) in conflicts for x in mine for y in theirs)
        assert in_conflict(decider, mine, theirs, known) == expected  # type: ignore[arg-type]


def test_a_conflict_found_once_is_not_searched_for_again() -> None:
    """Two meetings of a hundred reports each that conflict through their last members: a report
    placed beside both asks ten thousand pairs to find it; the next one asks none."""
    first = [f"a{k:03d}" for k in range(100)]
    second = [f"b{k:03d}" for k in range(100)]
    decider = FakeDecider(first + second, {frozenset(("a099", "b099"))})
    known: dict[str, set[str]] = {}
    assert in_conflict(decider, first, second, known)  # type: ignore[arg-type]
    asked = decider.asked
    assert asked == 100 * 100
    assert in_conflict(decider, ["new", *first], second, known)  # type: ignore[arg-type]
    assert decider.asked == asked


def test_joining_does_not_ask_again_about_two_groups_found_in_conflict() -> None:
    ids = [f"r{k}" for k in range(4)]
    decider = FakeDecider(ids, {frozenset(("r0", "r3"))})
    links = [(3.0, "r0", "r1"), (3.0, "r2", "r3"), (2.0, "r1", "r2"), (1.0, "r0", "r2"), (1.0, "r1", "r3")]
    assert join(ids, links, decider) == [["r0", "r1"], ["r2", "r3"]]  # type: ignore[arg-type]
    assert decider.asked == 4  # a pair per join, two to find the conflict, none at later links (8 before)


@pytest.fixture(scope="module")
def bench_reports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tools.bench import write_corpus

    folder = tmp_path_factory.mktemp("bench") / "in"
    write_corpus(folder, 240)  # templated: most reports share days, provinces and officials
    return folder


def imported_meetings(folder: Path, db: Path, patch: pytest.MonkeyPatch) -> tuple[list[list[str]], int]:
    """The meetings of `folder` imported in three batches, and how many report texts grouping read."""
    import store.search.batches

    read = [0]
    shingled = grouping.shingle_hashes

    def counted(text: str) -> object:
        read[0] += 1
        return shingled(text)

    patch.setattr(store.search.batches, "BATCH_CHARS", 250_000)
    patch.setattr(grouping, "shingle_hashes", counted)
    Corpus.open(db, seed_if_new=False).import_paths([folder])
    corpus = Corpus.open(db, seed_if_new=False)
    return sorted(corpus.grouping().groups.values()), read[0]


def test_an_import_in_batches_reads_each_report_once_and_gives_the_same_meetings(
    bench_reports: Path, tmp_path: Path
) -> None:
    """Each batch read the text of every stored report again when it compared it; what a text gave
    kept across the batches of one import, the meetings are those of reading them afresh."""
    import contextlib

    from store.meetings.kept import MeetingKeeper

    with pytest.MonkeyPatch.context() as patch:
        afresh_each_batch = lambda self: contextlib.nullcontext()  # noqa: E731
        patch.setattr(MeetingKeeper, "_reports_kept_across_batches", afresh_each_batch, raising=False)
        afresh, read_afresh = imported_meetings(bench_reports, tmp_path / "afresh.json", patch)
    with pytest.MonkeyPatch.context() as patch:
        kept, read = imported_meetings(bench_reports, tmp_path / "kept.json", patch)
    assert kept == afresh and len(afresh) < 200
    assert read <= 240 + 240 // 3 < read_afresh  # the first batch's grouped afresh, then each read once
