"""`people`, `who` and `pairs` (issue 14): the store's people and partnership indexes and their commands."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pytest
from helpers import json_lines, make_document
from hypothesis import given, settings
from hypothesis import strategies as st

from store.analysis.pairs import build_pairs
from store.analysis.people import build_people, find_people
from store.meetings.model import Meeting, alone, meeting_id
from store.models import Document, MeetingDate, Person
from store.text.script import fold, to_traditional
from tui.cli import main

SEED_PAIRS = {
    ("天津市", "甘肃省"),
    ("四川省", "西藏自治区"),
    ("福建省", "西藏自治区"),
    *itertools.combinations(["四川省", "云南省", "西藏自治区", "甘肃省", "青海省"], 2),
}


def meetings_of(docs: list[Document]) -> list[Meeting]:
    """Each report its own meeting, as `Corpus.meetings()` gives them until reports are grouped."""
    return [alone(doc) for doc in docs]


def run(capsys: pytest.CaptureFixture[str], store: Path, *argv: str) -> tuple[int, str, str]:
    code = main([f"--db={store}", *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_people_json_has_exactly_the_issues_fields(
    seed_store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, seed_store, "people", "--json")
    people = json_lines(out)
    assert code == 0 and people
    assert all(list(p) == ["name", "province", "posts", "meetings"] for p in people)
    assert all(list(post) == ["post", "date", "meeting"] for p in people for post in p["posts"])
    counts = [len(p["meetings"]) for p in people]
    assert counts == sorted(counts, reverse=True)  # most meetings first
    first = people[0]
    assert first["name"] in {"何谋保", "王君正"} and len(first["meetings"]) == 2


def test_who_hmb_finds_hemoubao_with_his_post_and_both_meetings(
    seed_store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, listed, _ = run(capsys, seed_store, "list", "--json")
    titles = {meeting_id([d["id"]]): d["title"] for d in json_lines(listed)}  # meeting ids, not reports'
    for query in ("hmb", "hemoubao", "何谋保", "何謀保", "HeMouBao"):
        code, out, _ = run(capsys, seed_store, "who", query, "--json")
        assert code == 0, query
        (person,) = json_lines(out)
        assert list(person) == ["name", "province", "posts", "meetings", "met"]
        assert (person["name"], person["province"]) == ("何谋保", "甘肃省")
        assert {p["post"] for p in person["posts"]} == {"甘南州委书记"}
        meetings = {titles[m][:6] for m in person["meetings"]}
        assert meetings == {"甘青川滇藏交", "连茂君率滨海"}
        assert all(list(m) == ["name", "meetings"] for m in person["met"])
        assert person["met"][0] == {"name": "郭子文", "meetings": 2}  # at both meetings


def test_who_plain_output_is_a_card(seed_store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, seed_store, "who", "hmb")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "何谋保 (甘肃省)"
    assert "2 meetings:" in out and "甘南州委书记" in out


@pytest.mark.parametrize("name", ["nobody", "某某某", "xqzv"])
def test_unknown_name_is_one_line_and_exit_1(
    seed_store: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    code, out, err = run(capsys, seed_store, "who", name)
    assert code == 1 and out == ""
    assert len(err.splitlines()) == 1 and name in err


@pytest.mark.parametrize("command", ["people", "pairs"])
def test_unknown_province_is_one_line_and_exit_1(
    seed_store: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    code, _, err = run(capsys, seed_store, command, "--province", "火星")
    assert code == 1 and len(err.splitlines()) == 1


@pytest.mark.parametrize("command", [["people"], ["who", "hmb"], ["pairs"]])
def test_read_only_commands_on_a_missing_store_fail(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    code, _, err = run(capsys, tmp_path / "none.json", *command)
    assert code == 1 and "no such store" in err
    assert not (tmp_path / "none.json").exists()


def test_people_province_filter_any_script(seed_store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, seed_store, "people", "--province", "藏", "--json")
    people = json_lines(out)
    assert people and {p["province"] for p in people} == {"西藏自治区"}
    assert "王君正" in {p["name"] for p in people}
    code, plain, _ = run(capsys, seed_store, "people", "--province", "西藏自治區")
    assert code == 0 and len(plain.splitlines()) == len(people)


def test_pairs_match_a_direct_count_over_list(seed_store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, listed, _ = run(capsys, seed_store, "list", "--json")
    docs = json_lines(listed)
    code, out, _ = run(capsys, seed_store, "pairs", "--json")
    pairs = json_lines(out)
    assert code == 0
    assert all(list(p) == ["provinces", "meetings", "by_year", "first", "last"] for p in pairs)
    assert {tuple(sorted(p["provinces"])) for p in pairs} == {tuple(sorted(p)) for p in SEED_PAIRS}
    for pair in pairs:
        a, b = pair["provinces"]
        assert pair["meetings"] == sum(a in d["provinces"] and b in d["provinces"] for d in docs)
    counts = [p["meetings"] for p in pairs]
    assert counts == sorted(counts, reverse=True)
    chuan_zang = next(p for p in pairs if set(p["provinces"]) == {"四川省", "西藏自治区"})
    assert chuan_zang["meetings"] == 2 and chuan_zang["by_year"] == {"2024": 1}
    assert chuan_zang["first"] == chuan_zang["last"] == "2024-05-16"


def test_pairs_province_filter(seed_store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, seed_store, "pairs", "--province", "甘", "--json")
    pairs = json_lines(out)
    assert len(pairs) == 5 and all("甘肃省" in p["provinces"] for p in pairs)
    code, plain, _ = run(capsys, seed_store, "pairs", "--province", "甘")
    assert code == 0 and len(plain.splitlines()) == 5
    assert all("甘肃省" in line and "1 meeting" in line for line in plain.splitlines())


def test_two_of_a_name_in_two_provinces_are_two_people() -> None:
    one = make_document("a", "甲", (2023, 1, 2), ["四川省"], [], "会议")
    two = make_document("b", "乙", (2024, 3, 4), ["甘肃省"], [], "会议")
    one.meta.people = [Person("王芳", "成都市委书记")]
    two.meta.people = [Person("王芳", "甘南州委副书记"), Person("何謀保", "甘南州委書記")]
    people = build_people(meetings_of([one, two]))
    assert sorted((p.name, p.province) for p in people) == [
        ("何谋保", "甘肃省"),
        ("王芳", "四川省"),
        ("王芳", "甘肃省"),
    ]
    assert [p.province for p in find_people(people, "wangfang")] == ["四川省", "甘肃省"]
    assert [p.name for p in find_people(people, "何谋保")] == ["何谋保"]


def test_posts_change_over_time_in_date_order() -> None:
    docs = []
    for i, (year, post) in enumerate([(2024, "甘南州委副书记"), (2021, "碌曲县委书记")]):
        doc = make_document(str(i), "甲", (year, 5, 1), ["甘肃省"], [], "会议")
        doc.meta.people = [Person("扎西才让", post)]
        docs.append(doc)
    (person,) = build_people(meetings_of(docs))
    assert [(p.post, p.date) for p in person.posts] == [
        ("碌曲县委书记", "2021-05-01"),
        ("甘南州委副书记", "2024-05-01"),
    ]
    assert person.meetings == [meeting_id(["0"]), meeting_id(["1"])]  # newest first


PROVINCES = ["甘肃省", "青海省", "四川省", "西藏自治区", "天津市"]
NAMES = ["何谋保", "王芳", "扎西才让", "王君正"]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.lists(st.sampled_from(PROVINCES), max_size=4),
            st.one_of(st.none(), st.integers(2019, 2025)),
            st.lists(st.sampled_from(NAMES), max_size=3),
            st.booleans(),
        ),
        max_size=12,
    )
)
def test_pairs_and_people_count_what_the_documents_say(
    reports: list[tuple[list[str], int | None, list[str], bool]],
) -> None:
    docs = []
    for i, (provinces, year, names, traditional) in enumerate(reports):
        doc = make_document(f"d{i}", "甲", None, provinces, [], "会议")
        doc.meta.date = MeetingDate(year, 6, 1, "6月1日") if year else None
        doc.meta.people = [Person(to_traditional(n) if traditional else n, "") for n in names]
        docs.append(doc)
    pairs = build_pairs(meetings_of(docs))
    for pair in pairs:
        a, b = pair.provinces
        both = [d for d in docs if a in d.meta.provinces and b in d.meta.provinces]
        assert len(pair.meetings) == len(both) > 0
        assert sum(pair.by_year.values()) == sum(1 for d in both if d.meta.date)
    expected = {frozenset(p) for d in docs for p in itertools.combinations(set(d.meta.provinces), 2)}
    assert {frozenset(p.provinces) for p in pairs} == expected

    def province_of(doc: Document) -> str | None:  # no post names a place: the only province, if one
        provinces = set(doc.meta.provinces)
        return provinces.pop() if len(provinces) == 1 else None

    people = build_people(meetings_of(docs))
    assert len({p.key for p in people}) == len(people)
    for person in people:
        assert person.name in NAMES  # one person whichever script the report used
        held = [
            meeting_id([d.id])
            for d in docs
            if province_of(d) == person.province and person.name in {fold(n.name) for n in d.meta.people}
        ]
        assert sorted(person.meetings) == sorted(held)


def test_a_posts_place_is_read_among_the_provinces_that_took_part() -> None:
    """海南 (bare) is the Qinghai prefecture when Qinghai took part, not the province 海南省; a post
    naming no place takes the meeting's only province; with several and none named, it is unknown."""
    qinghai = make_document("q", "甲", (2024, 1, 1), ["甘肃省", "青海省"], [], "会议")
    qinghai.meta.people = [Person("尕玛朋措", "海南领导"), Person("王力", "州上领导")]
    gansu = make_document("g", "乙", (2024, 2, 1), ["甘肃省"], [], "会议")
    gansu.meta.people = [Person("王力", "州上领导")]
    people = {p.name + (p.province or "?"): p for p in build_people(meetings_of([qinghai, gansu]))}
    assert set(people) == {"尕玛朋措青海省", "王力?", "王力甘肃省"}


def test_people_and_pairs_answer_in_the_ids_of_corpus_meetings(
    seed_store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from store.corpus import Corpus

    ids = {m.id for m in Corpus.open(seed_store).meetings()}
    _, out, _ = run(capsys, seed_store, "people", "--json")
    people = json_lines(out)
    assert {m for p in people for m in p["meetings"]} <= ids
    assert {p["meeting"] for person in people for p in person["posts"]} <= ids


def test_reports_grouped_into_one_meeting_count_once() -> None:
    """Grouping (issue 13) changes the answers, not the code: two reports of one meeting are one."""
    one = make_document("a", "甲", (2024, 5, 16), ["四川省", "西藏自治区"], [], "座谈会")
    two = make_document("b", "乙", (2024, 5, 16), ["四川省", "西藏自治区"], [], "座谈会")
    for doc in (one, two):
        doc.meta.people = [Person("王君正", "西藏自治区党委书记")]
    grouped = alone(one)
    grouped.reports, grouped.id = ["a", "b"], meeting_id(["a", "b"])
    (pair,) = build_pairs([grouped])
    assert len(pair.meetings) == 1 and pair.by_year == {"2024": 1}
    (person,) = build_people([grouped])
    assert person.meetings == [meeting_id(["a", "b"])]
    assert len(build_people(meetings_of([one, two]))[0].meetings) == 2


def test_a_paced_build_hands_over_every_so_often_and_answers_the_same() -> None:
    """The browser builds in a thread that pauses now and then (store.analysis.pacing) so keys typed
    meanwhile are not held up; pacing changes nothing in the answers."""
    docs = []
    for i in range(1000):
        doc = make_document(f"d{i}", "甲", (2020 + i % 5, 1 + i % 12, 1), ["甘肃省", "四川省"], [], "会议")
        doc.meta.people = [Person("何谋保", "甘南州委书记")]
        docs.append(doc)
    meetings = meetings_of(docs)
    calls: list[int] = []
    paced_people = build_people(meetings, pace=lambda: calls.append(1))
    assert len(calls) >= 1000 // 200
    assert [p.to_dict() for p in paced_people] == [p.to_dict() for p in build_people(meetings)]
    assert [p.to_dict() for p in build_pairs(meetings, pace=lambda: calls.append(1))] == [
        p.to_dict() for p in build_pairs(meetings)
    ]


def test_the_views_data_reads_the_names_pinyin_while_it_is_built(seed_corpus: Any) -> None:
    from store.analysis.derived import derive

    derived = derive(seed_corpus)
    assert derived.finder is not None and derived.finder._lexicon is not None  # not on the first key
    assert [p.name for p in derived.finder.find("hmb")] == ["何谋保"]
    assert [p.name for p in derived.finder.find("謀保")] == ["何谋保"]
    assert {p.name for p in derived.finder.find("he")} >= {"何谋保"}  # pinyin as it is typed
