"""Grouping reports into meetings (issue 13): the rules on made-up reports of the genre, properties
(order does not matter, ids stable), and the store keeping the grouping and the user's corrections."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from store.corpus import Corpus
from store.meetings import grouping as grouping_module
from store.meetings.grouping import group
from store.meetings.model import meeting_id
from store.meetings.reports import chinese_number, ordinals, report_of
from store.models import Document, Extraction, MeetingDate, Person
from store.text.script import fold, to_traditional

BODY = (
    "会议总结了上一次联席会议以来五省区毗邻地区的合作成果，审议通过了联合维护稳定工作机制等文件。"
    "与会代表围绕民族团结进步、生态保护和边界地区社会治理进行了深入交流，一致同意继续加强信息共享，"
    "共同推进毗邻地区高质量发展，携手建设团结和谐的边界地区。"
)
OTHER_BODY = (
    "双方表示，将在产业协作、劳务输转、消费帮扶、人才交流等方面深化合作，推动两地优势互补。"
    "代表团一行还考察了当地的产业园区和乡村振兴示范点，看望慰问了挂职干部。"
)


def doc(
    doc_id: str,
    text: str,
    date: tuple[int | None, int | None, int | None, str, str] | None,
    provinces: list[str],
    people: list[str] = (),  # type: ignore[assignment]
    kind: str = "联席会议",
    location: str = "",
) -> Document:
    meta = Extraction(
        title=text.splitlines()[0],
        date=MeetingDate(*date) if date else None,
        location=location,
        kind=kind,
        provinces=provinces,
        people=[Person(name) for name in people],
    )
    return Document(doc_id, doc_id, [], text, text, "utf-8", "simplified", "", meta)


def groups_of(*docs: Document) -> list[list[str]]:
    texts = {d.id: fold(d.text) for d in docs}
    return group({d.id: report_of(d) for d in docs}, texts.__getitem__)


FIVE = ["甘肃省", "青海省", "四川省", "云南省", "西藏自治区"]
EIGHTH = "甘青川滇藏五省区毗邻地区第八次联席会议在兰州召开\n8月8日，五省区毗邻地区第八次联席会议在兰州召开。"
NINTH = "甘青川滇藏五省区毗邻地区第九次联席会议在兰州召开\n8月8日，五省区毗邻地区第九次联席会议在兰州召开。"


def test_a_repost_in_traditional_with_chrome_and_no_month_is_the_same_meeting() -> None:
    wire = doc("a", EIGHTH + BODY, (2024, 8, 8, "8月8日", "text"), FIVE, location="兰州市")
    repost = doc(
        "b",
        "首页 > 新闻 > 正文\n" + to_traditional(EIGHTH + BODY) + "\n责任编辑：某某",
        (None, None, 8, "8日", "text"),
        ["甘肃省"],
    )
    assert groups_of(wire, repost) == [["a", "b"]]


def test_a_repost_dated_by_its_own_page_is_still_the_same_meeting() -> None:
    """The year and month a repost's page gives are the repost's, not the meeting's."""
    wire = doc("a", EIGHTH + BODY, (2023, 8, 8, "8月8日", "text"), FIVE)
    repost = doc("b", "转载\n" + EIGHTH + BODY, (2024, 9, 8, "8日", "page"), FIVE)
    assert groups_of(wire, repost) == [["a", "b"]]


def test_copies_of_one_template_on_days_the_texts_state_apart_stay_apart() -> None:
    first = doc("a", EIGHTH + BODY, (None, 8, 8, "8月8日", "text"), FIVE)
    second = doc("b", EIGHTH.replace("8月8日", "8月15日") + BODY, (None, 8, 15, "8月15日", "text"), FIVE)
    assert groups_of(first, second) == [["a"], ["b"]]


def test_another_session_of_a_series_stays_apart_however_alike() -> None:
    eighth = doc(
        "a", EIGHTH + BODY, (None, 8, 8, "8月8日", "text"), FIVE, ["张明", "李华"], location="兰州市"
    )
    ninth = doc("b", NINTH + BODY, (None, 8, 8, "8月8日", "text"), FIVE, ["张明", "李华"], location="兰州市")
    assert groups_of(eighth, ninth) == [["a"], ["b"]]


def test_another_year_stays_apart() -> None:
    first = doc("a", EIGHTH + BODY, (2023, 8, 8, "2023年8月8日", "text"), FIVE, ["张明", "李华"])
    second = doc("b", EIGHTH + BODY, (2024, 8, 8, "2024年8月8日", "text"), FIVE, ["张明", "李华"])
    assert groups_of(first, second) == [["a"], ["b"]]


def test_same_leaders_on_another_date_stay_apart() -> None:
    people = ["赵一德", "信长星"]
    first = doc(
        "a",
        "陕西党政代表团赴江苏考察\n" + OTHER_BODY,
        (None, 12, 8, "12月8日", "text"),
        ["陕西省", "江苏省"],
        people,
        "考察",
    )
    later = doc(
        "b",
        "苏陕协作工作座谈会举行\n" + OTHER_BODY,
        (None, 12, 11, "12月11日", "text"),
        ["陕西省", "江苏省"],
        people,
        "座谈会",
    )
    assert groups_of(first, later) == [["a"], ["b"]]


def test_both_sides_of_one_visit_in_other_words_are_one_meeting() -> None:
    """The visiting side dates the whole visit, the host side the 座谈会; their officials agree."""
    visiting = doc(
        "a",
        "我省党政代表团赴江苏学习考察\n12月7日至8日，省委书记赵一德率我省党政代表团赴江苏学习考察。"
        + OTHER_BODY,
        (2025, 12, 7, "12月7日至8日", "page"),
        ["陕西省", "江苏省"],
        ["赵一德", "赵刚", "信长星"],
        "考察",
    )
    host = doc(
        "b",
        "陝西省黨政代表團來蘇座談\n12月8日，兩省舉行座談會。信長星主持，趙一德講話，趙剛出席。",
        (None, 12, 8, "12月8日", "text"),
        ["江苏省", "陕西省"],
        ["趙一德", "趙剛", "信長星"],
        "座谈会",
        "江苏省",
    )
    assert groups_of(visiting, host) == [["a", "b"]]


def test_another_event_of_the_same_day_stays_apart() -> None:
    """A forum and a call on a leader the same day, the same provinces, no text or officials shared."""
    forum = doc(
        "a",
        "川港合作论坛在成都举办\n" + BODY,
        (2018, 5, 11, "5月11日", "text"),
        ["四川省", "香港特别行政区"],
        ["王宁"],
        "论坛",
        "成都市",
    )
    call = doc(
        "b",
        "四川省领导会见香港客人\n" + OTHER_BODY,
        (2018, 5, 11, "5月11日", "text"),
        ["四川省", "香港特别行政区"],
        ["彭清华"],
        "会见",
        "成都市",
    )
    assert groups_of(forum, call) == [["a"], ["b"]]


def test_a_host_receiving_two_delegations_the_same_day_holds_two_meetings() -> None:
    hosts = ["马兴瑞", "艾尔肯·吐尼亚孜"]
    first = doc(
        "a",
        "新疆会见广东代表团\n" + OTHER_BODY,
        (None, 7, 3, "7月3日", "text"),
        ["新疆维吾尔自治区", "广东省"],
        hosts,
        "会见",
        "乌鲁木齐市",
    )
    second = doc(
        "b",
        "新疆会见江苏代表团\n" + OTHER_BODY[::-1],
        (None, 7, 3, "7月3日", "text"),
        ["新疆维吾尔自治区", "江苏省"],
        hosts,
        "会见",
        "乌鲁木齐市",
    )
    assert groups_of(first, second) == [["a"], ["b"]]


def test_two_events_of_one_trip_stay_apart_even_through_the_trips_overview() -> None:
    people = ["赵一德", "赵刚", "信长星"]
    both = ["陕西省", "江苏省"]
    trip = doc(
        "t",
        "陕西党政代表团赴江苏考察\n" + OTHER_BODY,
        (None, 12, 7, "12月7日至9日", "text"),
        both,
        people,
        "考察",
    )
    talks = doc(
        "a",
        "两省座谈会在南京举行\n" + BODY,
        (None, 12, 7, "12月7日", "text"),
        both,
        people,
        "座谈会",
        "南京市",
    )
    signing = doc(
        "b", "两省在苏州签约\n" + BODY[::-1], (None, 12, 8, "12月8日", "text"), both, people, "签约", "苏州市"
    )
    found = groups_of(trip, talks, signing)
    assert not any({"a", "b"} <= set(g) for g in found)


def test_a_chain_never_joins_two_reports_that_conflict() -> None:
    """Two sessions each linked to a report naming no session: the strongest link wins, the other
    session stays apart."""
    neutral = doc(
        "n",
        "五省区毗邻地区联席会议召开\n8月8日，五省区毗邻地区联席会议在兰州召开。" + BODY,
        (None, 8, 8, "8月8日", "text"),
        FIVE,
    )
    eighth = doc("a", EIGHTH + BODY, (None, 8, 8, "8月8日", "text"), FIVE)
    ninth = doc("b", NINTH + BODY, (None, 8, 8, "8月8日", "text"), FIVE)
    found = groups_of(neutral, eighth, ninth)
    assert len(found) == 2 and not any({"a", "b"} <= set(g) for g in found)


def test_session_numbers_are_those_of_a_meeting() -> None:
    assert ordinals(fold("滬港合作會議第四次會議在港召開"), "") == {4}
    lead = "第一书记张明说，第二是产业，第十四届泛珠三角区域省会城市市长联席会议开幕"
    assert ordinals("标题", lead) == {14}
    assert ordinals("2021年度长三角地区主要领导座谈会在无锡举行", "") == {-2021}


def test_chinese_numbers() -> None:
    assert [chinese_number(w) for w in ("八", "十四", "二十九", "一百零三", "29", "第")] == [
        8,
        14,
        29,
        103,
        29,
        None,
    ]


POOL = [
    doc("e1", EIGHTH + BODY, (2024, 8, 8, "8月8日", "text"), FIVE),
    doc("e2", "新华社兰州8月8日电\n" + EIGHTH + BODY, (2024, 8, 8, "8月8日", "dateline"), FIVE),
    doc("e3", to_traditional(EIGHTH + BODY), (None, None, 8, "8日", "text"), ["甘肃省"]),
    doc("n1", NINTH + BODY, (2025, 8, 8, "8月8日", "text"), FIVE),
    doc(
        "v1",
        "陕西代表团赴江苏考察\n" + OTHER_BODY,
        (None, 12, 7, "12月7日至8日", "text"),
        ["陕西省", "江苏省"],
        ["赵一德", "信长星"],
        "考察",
    ),
    doc(
        "v2",
        "苏陕座谈会\n双方举行座谈。" + OTHER_BODY[:40],
        (None, 12, 8, "12月8日", "text"),
        ["陕西省", "江苏省"],
        ["赵一德", "信长星"],
        "座谈会",
    ),
    doc("x1", "无关的报道\n" + OTHER_BODY[::-1], None, []),
]


@settings(max_examples=25, deadline=None)
@given(st.permutations(POOL))
def test_grouping_does_not_depend_on_the_order_reports_come_in(order: list[Document]) -> None:
    assert groups_of(*order) == groups_of(*POOL)


def test_the_pool_groups_as_a_reader_would() -> None:
    assert groups_of(*POOL) == [["e1", "e2", "e3"], ["n1"], ["v1", "v2"], ["x1"]]


@given(st.lists(st.text("0123456789abcdef", min_size=12, max_size=12), min_size=1, max_size=6, unique=True))
def test_a_meeting_id_depends_only_on_its_reports(ids: list[str]) -> None:
    shuffled = ids[:]
    random.Random(len(ids)).shuffle(shuffled)
    assert meeting_id(ids) == meeting_id(shuffled)
    assert meeting_id(ids) != meeting_id([*ids, "ffffffffffff0"])


# -- the store ---------------------------------------------------------------------------------------

REPORTS = {
    "eighth.txt": EIGHTH + "甘肃省副省长张明、青海省副省长李华出席会议。" + BODY,
    "eighth-repost.txt": "首页 > 新闻 > 正文\n"
    + to_traditional(EIGHTH + "甘肃省副省长张明、青海省副省长李华出席会议。" + BODY),
    "ninth.txt": NINTH.replace("8月8日", "2025年8月9日") + BODY,
    "visit.txt": "四川省党政代表团赴浙江考察\n5月19日，四川省党政代表团赴浙江考察。" + OTHER_BODY,
}


def write_reports(folder: Path, names: list[str] | None = None) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, text in REPORTS.items():
        if names is None or name in names:
            (folder / name).write_text(text, encoding="utf-8")
            paths.append(folder / name)
    return paths


@pytest.fixture
def store(tmp_path: Path) -> Path:
    db = tmp_path / "y.json"
    Corpus.open(db, seed_if_new=False).import_paths([write_reports(tmp_path / "in")[0].parent])
    return db


def members(corpus: Corpus) -> list[list[str]]:
    names = {d.id: Path(d.paths[0]).name for d in corpus.documents()}
    return sorted(sorted(names[r] for r in m.reports) for m in corpus.meetings())


def test_a_store_groups_the_copies_and_keeps_the_sessions_apart(store: Path) -> None:
    assert members(Corpus.open(store)) == [["eighth-repost.txt", "eighth.txt"], ["ninth.txt"], ["visit.txt"]]


def test_opening_a_store_reads_the_grouping_it_kept(store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def never(*args: object, **kwargs: object) -> None:
        raise AssertionError("regrouped")

    monkeypatch.setattr(grouping_module, "group", never)
    assert len(Corpus.open(store).meetings()) == 3


def test_importing_a_report_places_it_without_regrouping(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "y.json"
    paths = write_reports(tmp_path / "in")
    Corpus.open(db, seed_if_new=False).import_paths([p for p in paths if p.name != "eighth-repost.txt"])

    def never(*args: object, **kwargs: object) -> None:
        raise AssertionError("regrouped")

    monkeypatch.setattr(grouping_module, "group", never)
    corpus = Corpus.open(db)
    corpus.import_paths([tmp_path / "in" / "eighth-repost.txt"])
    assert ["eighth-repost.txt", "eighth.txt"] in members(corpus)
    assert members(Corpus.open(db)) == members(corpus)


def test_removing_a_report_takes_it_out_of_its_meeting(store: Path) -> None:
    corpus = Corpus.open(store)
    repost = next(d.id for d in corpus.documents() if d.paths[0].endswith("repost.txt"))
    corpus.remove([repost])
    assert members(Corpus.open(store)) == [["eighth.txt"], ["ninth.txt"], ["visit.txt"]]


def test_corrections_survive_reimport_and_reextraction(store: Path, tmp_path: Path) -> None:
    corpus = Corpus.open(store)
    by_name = {Path(d.paths[0]).name: d.id for d in corpus.documents()}
    corpus.merge_meetings(
        corpus.meeting_id_of(by_name["ninth.txt"]), corpus.meeting_id_of(by_name["visit.txt"])
    )
    corpus.split_meeting(by_name["eighth-repost.txt"])
    wanted = [["eighth-repost.txt"], ["eighth.txt"], ["ninth.txt", "visit.txt"]]
    assert members(Corpus.open(store)) == wanted
    (tmp_path / "in" / "visit.txt").write_text(REPORTS["visit.txt"] + "\n（完）", encoding="utf-8")
    again = Corpus.open(store)
    again.import_paths([tmp_path / "in"])  # visit.txt changed: a new document, no longer merged
    assert members(Corpus.open(store)) == [
        ["eighth-repost.txt"],
        ["eighth.txt"],
        ["ninth.txt"],
        ["visit.txt"],
    ]
    again.merge_meetings(
        again.meeting_id_of(by_name["ninth.txt"]), again.meeting_of(by_name["eighth.txt"]).id
    )
    Corpus.open(store).reextract()
    assert members(Corpus.open(store)) == [["eighth-repost.txt"], ["eighth.txt", "ninth.txt"], ["visit.txt"]]


def test_reextract_regroups_even_when_no_report_changed(store: Path) -> None:
    """A grouping kept by an older rule (here: every report alone) is replaced by the current one."""
    import json

    data = json.loads(store.read_text(encoding="utf-8"))
    reports = [r for row in data["meetings"].values() for r in row["reports"]]
    data["meetings"] = {
        str(n): {"id": meeting_id([r]), "reports": [r], "bands": [[]]} for n, r in enumerate(reports, 1)
    }
    store.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert len(Corpus.open(store).meetings()) == 4
    assert Corpus.open(store).reextract() == []
    assert members(Corpus.open(store)) == [["eighth-repost.txt", "eighth.txt"], ["ninth.txt"], ["visit.txt"]]


def test_a_kept_grouping_of_the_wrong_shape_is_refused(store: Path) -> None:
    import json

    from store.storage.db import StoreError

    data = json.loads(store.read_text(encoding="utf-8"))
    first = next(iter(data["meetings"]))
    data["meetings"][first]["reports"] = "not a list"
    store.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(StoreError, match="meeting record"):
        Corpus.open(store).meetings()


def test_reports_imported_one_at_a_time_group_as_all_at_once(tmp_path: Path, store: Path) -> None:
    db = tmp_path / "one-by-one.json"
    for path in sorted(write_reports(tmp_path / "again"), reverse=True):
        Corpus.open(db, seed_if_new=False).import_paths([path])
    assert members(Corpus.open(db)) == members(Corpus.open(store))


def test_a_correction_that_cannot_be_written_changes_nothing(
    store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from store.storage import db

    corpus = Corpus.open(store)
    by_name = {Path(d.paths[0]).name: d.id for d in corpus.documents()}
    first, second = corpus.meeting_id_of(by_name["ninth.txt"]), corpus.meeting_id_of(by_name["visit.txt"])
    before = store.read_bytes()

    def full_disk(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(db, "write_atomically", full_disk)
    with pytest.raises(OSError):
        corpus.merge_meetings(first, second)
    monkeypatch.undo()
    assert store.read_bytes() == before
    assert corpus.meeting_id_of(by_name["ninth.txt"]) != corpus.meeting_id_of(by_name["visit.txt"])
    corpus.split_meeting(by_name["eighth.txt"])  # the next correction reads the store again first
    assert Corpus.open(store).corrections() == [{"op": "split", "report": by_name["eighth.txt"]}]


def test_blocks_find_reports_with_and_without_a_stated_year_both_ways() -> None:
    from store.meetings.grouping import Blocks

    made = [
        doc("y1", "甲", (2023, 8, 8, "2023年8月8日", "text"), FIVE),
        doc("y2", "乙", (2023, 8, 9, "2023年8月9日", "text"), FIVE),
        doc("no", "丙", (None, 8, 8, "8月8日", "text"), FIVE),
        doc("z", "丁", (2024, 8, 8, "2024年8月8日", "text"), FIVE),
    ]
    reports = {d.id: report_of(d) for d in made}
    blocks = Blocks()
    for report in reports.values():
        blocks.add(report)
    found = {r.id: blocks.candidates(r, reports) for r in reports.values()}
    assert found == {"y1": ["no", "y2"], "y2": ["no", "y1"], "no": ["y1", "y2", "z"], "z": ["no"]}
