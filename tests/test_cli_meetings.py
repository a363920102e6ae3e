"""`yuelan meetings`, `meetings merge`, `meetings split`, and the `meeting` field of list/show --json."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import json_lines, run_cli

from store.text.script import to_traditional

EIGHTH = (
    "甘青川滇藏五省区毗邻地区第八次联席会议在兰州召开\n"
    "8月8日，甘青川滇藏五省区毗邻地区第八次联席会议在兰州召开。甘肃省副省长张明出席会议。"
    "会议总结了上一次联席会议以来五省区毗邻地区的合作成果，审议通过了联合维护稳定工作机制等文件。"
    "与会代表围绕民族团结进步、生态保护和边界地区社会治理进行了深入交流，一致同意继续加强信息共享。"
)
VISIT = (
    "四川省党政代表团赴浙江考察\n5月19日，四川省党政代表团赴浙江考察。双方将在产业协作、劳务输转、"
    "消费帮扶、人才交流等方面深化合作，推动两地优势互补。"
)


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("meetings")
    (folder / "in").mkdir()
    (folder / "in" / "a.txt").write_text(EIGHTH, encoding="utf-8")
    (folder / "in" / "b.txt").write_text("首页 > 新闻\n" + to_traditional(EIGHTH), encoding="utf-8")
    (folder / "in" / "c.txt").write_text(VISIT, encoding="utf-8")
    run_cli("import", str(folder / "in"), db=folder / "y.json", check=True)
    return folder / "y.json"


@pytest.fixture
def fresh(db: Path, tmp_path: Path) -> Path:
    """A copy of the store, for the commands that change it."""
    copy = tmp_path / "y.json"
    copy.write_bytes(db.read_bytes())
    for texts in db.parent.glob("y.json.texts*"):
        (tmp_path / texts.name).write_bytes(texts.read_bytes())
    return copy


def test_meetings_json_has_the_issues_fields_one_object_a_meeting(db: Path) -> None:
    meetings = json_lines(run_cli("meetings", "--json", db=db, check=True).stdout)
    assert [len(m["reports"]) for m in meetings] == [2, 1]
    assert set(meetings[0]) == {"id", "title", "date", "location", "kind", "provinces", "people", "reports"}
    assert meetings[0]["title"].startswith("甘青川滇藏五省区毗邻地区第八次联席会议")
    assert [p["name"] for p in meetings[0]["people"]].count("张明") == 1  # both scripts, one person


def test_list_and_show_name_each_reports_meeting(db: Path) -> None:
    meetings = json_lines(run_cli("meetings", "--json", db=db, check=True).stdout)
    of = {r: m["id"] for m in meetings for r in m["reports"]}
    listed = json_lines(run_cli("list", "--json", db=db, check=True).stdout)
    assert {d["id"]: d["meeting"] for d in listed} == of
    shown = json_lines(run_cli("show", listed[0]["id"], "--json", db=db, check=True).stdout)[0]
    assert shown["meeting"] == of[listed[0]["id"]]


def test_meetings_human_rows_are_aligned_and_filtered_by_province(db: Path) -> None:
    rows = run_cli("meetings", db=db, check=True).stdout.splitlines()
    assert len(rows) == 2 and "2 reports" in rows[0] and "1 report " in rows[1]
    sichuan = run_cli("meetings", "--province", "浙", db=db, check=True).stdout.splitlines()
    assert len(sichuan) == 1 and "四川省党政代表团赴浙江考察" in sichuan[0]
    bad = run_cli("meetings", "--province", "火星", db=db)
    assert bad.returncode == 1 and bad.stderr.count("\n") == 1 and "火星" in bad.stderr


def test_merge_and_split_change_the_meetings_and_say_what_they_made(fresh: Path) -> None:
    first, second = json_lines(run_cli("meetings", "--json", db=fresh, check=True).stdout)
    merged = json_lines(
        run_cli("meetings", "merge", first["id"][:6], second["id"], "--json", db=fresh, check=True).stdout
    )
    assert sorted(merged[0]["reports"]) == sorted(first["reports"] + second["reports"])
    assert len(json_lines(run_cli("meetings", "--json", db=fresh, check=True).stdout)) == 1
    alone = json_lines(
        run_cli("meetings", "split", second["reports"][0], "--json", db=fresh, check=True).stdout
    )
    assert alone[0]["reports"] == second["reports"]
    assert [len(m["reports"]) for m in json_lines(run_cli("meetings", "--json", db=fresh).stdout)] == [2, 1]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("merge", "mnope", "mnope2"), "no meeting with id 'mnope'"),
        (("split", "0000000"), "no document with id '0000000'"),
    ],
)
def test_unknown_ids_are_one_line_errors(fresh: Path, args: tuple[str, ...], message: str) -> None:
    before = fresh.read_bytes()
    proc = run_cli("meetings", *args, db=fresh)
    assert proc.returncode == 1 and proc.stderr == f"yuelan: {message}\n"
    assert fresh.read_bytes() == before


def test_merging_a_meeting_with_itself_or_splitting_a_lone_report_is_refused(fresh: Path) -> None:
    first, second = json_lines(run_cli("meetings", "--json", db=fresh, check=True).stdout)
    before = fresh.read_bytes()
    same = run_cli("meetings", "merge", first["id"], first["id"][:5], db=fresh)
    assert same.returncode == 1 and "same meeting" in same.stderr and same.stderr.count("\n") == 1
    lone = run_cli("meetings", "split", second["reports"][0], db=fresh)
    assert lone.returncode == 1 and "already a meeting of its own" in lone.stderr
    assert fresh.read_bytes() == before


@pytest.mark.parametrize(
    "args", [("merge", "m1"), ("merge",), ("split",), ("split", "a", "b"), ("frobnicate",)]
)
def test_usage_errors_exit_2(db: Path, args: tuple[str, ...]) -> None:
    assert run_cli("meetings", *args, db=db).returncode == 2
