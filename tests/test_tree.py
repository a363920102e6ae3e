"""The province → prefecture → meeting tree: placement, counts, order, JSON shape."""

from __future__ import annotations

from pathlib import Path

from helpers import together
from hypothesis import given, settings
from hypothesis import strategies as st

from store.meetings.model import alone
from store.models import Document, Extraction, MeetingDate, Participant, newest_first
from store.tree import UNPLACED, TreeNode, build_tree

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def doc(
    doc_id: str, title: str, provinces: dict[str, list[str]], date: MeetingDate | None = None
) -> Document:
    meta = Extraction(
        title=title,
        date=date,
        provinces=list(provinces),
        participants=[Participant(p, prefs) for p, prefs in provinces.items()],
    )
    return Document(doc_id, doc_id * 4, [f"/{doc_id}.txt"], title, title, "utf-8", "simplified", "", meta)


def walk(nodes: list[TreeNode]) -> list[TreeNode]:
    out = []
    for node in nodes:
        out.append(node)
        out.extend(walk(node.children))
    return out


def test_meetings_sit_under_every_province_and_prefecture_that_took_part() -> None:
    docs = [
        doc(
            "a",
            "联席会议",
            {"甘肃省": ["甘南藏族自治州"], "青海省": ["果洛藏族自治州", "玉树藏族自治州"]},
            MeetingDate(None, 8, 8, "8月8日"),
        ),
        doc("b", "考察", {"甘肃省": [], "天津市": []}, MeetingDate(None, 9, 4, "9月4日")),
        doc("c", "座谈会", {"甘肃省": ["甘南藏族自治州"]}, MeetingDate(2023, 8, 17, "8月17日")),
    ]
    roots = build_tree(docs)
    assert [(r.label, r.count) for r in roots] == [("甘肃省", 3), ("天津市", 1), ("青海省", 1)]
    gansu = roots[0]
    assert [(c.label, c.kind, c.count) for c in gansu.children] == [
        ("甘南州", "prefecture", 2),
        ("9月4日 考察", "meeting", 1),
    ]
    assert [m.doc_id for m in gansu.children[0].children] == ["c", "a"]  # 2023 before an undated year
    qinghai = roots[2]
    assert {c.label for c in qinghai.children} == {"果洛州", "玉树州"}
    assert qinghai.count == 1  # distinct meetings, not prefecture memberships


def test_newest_first_and_undated_last() -> None:
    docs = [
        doc("x", "早", {"四川省": []}, MeetingDate(2023, 5, 1, "5月1日")),
        doc("y", "晚", {"四川省": []}, MeetingDate(2024, 5, 16, "5月16日")),
        doc("z", "无日期", {"四川省": []}),
    ]
    assert [m.doc_id for m in build_tree(docs)[0].children] == ["y", "x", "z"]


def test_documents_without_a_province_stay_reachable() -> None:
    roots = build_tree([doc("q", "无省份", {})])
    assert roots[-1].label == UNPLACED and roots[-1].children[0].doc_id == "q"


def test_to_dict_is_json_ready_and_recursive() -> None:
    import json

    roots = build_tree([doc("a", "标题", {"西藏自治区": ["昌都市"]}, MeetingDate(None, 9, 13, "9月13日"))])
    data = roots[0].to_dict()
    assert set(data) == {"key", "label", "kind", "count", "doc_id", "meeting", "reports", "children"}
    meeting = data["children"][0]["children"][0]
    assert meeting["kind"] == "meeting" and meeting["doc_id"] == "a" and meeting["label"] == "9月13日 标题"
    assert meeting["meeting"] == roots[0].children[0].children[0].meeting and meeting["reports"] == ["a"]
    assert data["meeting"] is None and data["reports"] == []  # a province is no meeting
    json.dumps(data, ensure_ascii=False)
    keys = [n.key for n in walk(roots)]
    assert len(keys) == len(set(keys))


provinces = st.sampled_from(["甘肃省", "青海省", "四川省", "西藏自治区", "天津市"])


@given(st.lists(st.dictionaries(provinces, st.just([]), max_size=3), min_size=1, max_size=12))
@settings(max_examples=60, deadline=None)
def test_counts_are_distinct_meetings(memberships: list[dict[str, list[str]]]) -> None:
    docs = [
        doc(f"d{i}", f"会{i}", m, MeetingDate(None, 1 + i % 12, 1, "")) for i, m in enumerate(memberships)
    ]
    roots = build_tree(docs)
    for root in roots:
        meetings = {n.doc_id for n in walk(root.children) if n.kind == "meeting"}
        assert root.count == len(meetings)
    counts = [r.count for r in roots if r.label != UNPLACED]
    assert counts == sorted(counts, reverse=True)
    every = {n.doc_id for n in walk(roots) if n.kind == "meeting"}
    assert every == {d.id for d in docs}


def test_the_seeds_tree() -> None:
    from store.extract.extractor import extract
    from store.text.clean import clean_text

    docs = []
    for path in sorted(SEEDS.glob("*.txt")):
        text = clean_text(path.read_text(encoding="utf-8"))
        docs.append(
            Document(path.stem[:3], "", [str(path)], text, text, "utf-8", "simplified", "", extract(text))
        )
    roots = {r.label: r for r in build_tree(docs)}
    assert roots["甘肃省"].count == 3 and roots["西藏自治区"].count == 3
    assert {"四川省", "青海省", "云南省", "天津市", "福建省"} <= set(roots)
    assert "甘南州" in {c.label for c in roots["甘肃省"].children}


def test_a_meeting_of_several_reports_sits_once_under_each_province_with_its_count() -> None:
    """Three reports of one joint meeting (the host's, the visitor's, the wire's) are one row under
    each province any of them names, labelled with the number of reports; the prefectures are those
    any report names; counts are distinct meetings."""
    date = MeetingDate(2024, 8, 8, "8月8日")
    title = "甘青川滇藏交界地区州市长第八次联席会议隆重召开"
    host = doc("h", title, {"甘肃省": ["甘南藏族自治州"], "青海省": []}, date)
    guest = doc("g", "第八次联席会议召开", {"青海省": ["果洛藏族自治州"], "四川省": []}, date)
    wire = doc("w", "联席会议在合作市召开", {"甘肃省": [], "四川省": []}, MeetingDate(2024, 8, 9, "8月9日"))
    other = doc("o", "考察", {"甘肃省": []}, MeetingDate(2024, 9, 4, "9月4日"))
    docs = [host, guest, wire, other]
    meetings = [alone(other), together([host, guest, wire])]
    roots = {r.label: r for r in build_tree(docs, meetings)}
    assert {name: r.count for name, r in roots.items()} == {"甘肃省": 2, "青海省": 1, "四川省": 1}
    rows = [n for n in walk(list(roots.values())) if n.kind == "meeting" and n.reports == ["h", "g", "w"]]
    assert len(rows) == 3  # once per province: under 甘南州, under 果洛州, directly under 四川省
    gansu = roots["甘肃省"]
    assert [c.label for c in gansu.children] == ["甘南州", "9月4日 考察"]
    assert gansu.children[0].children[0].label == f"8月8日—8月9日 {title} ·3"
    assert [c.label for c in roots["青海省"].children] == ["果洛州"]
    sichuan = roots["四川省"].children
    assert [(n.kind, n.doc_id, n.meeting, n.count) for n in sichuan] == [("meeting", "h", meetings[1].id, 1)]


def test_without_meetings_every_document_is_its_own() -> None:
    docs = [doc("a", "甲", {"四川省": []}, MeetingDate(2024, 5, 1, "5月1日")), doc("b", "乙", {"四川省": []})]
    assert build_tree(docs) == build_tree(docs, [alone(d) for d in newest_first(docs)])
    assert [n.reports for n in build_tree(docs)[0].children] == [["a"], ["b"]]
