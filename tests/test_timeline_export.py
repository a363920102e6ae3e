"""`timeline` and `export` (issue 14): meetings by month, and meetings, people or pairs for other tools."""

from __future__ import annotations

import csv
import io
import os
import stat
import threading
from pathlib import Path

import pytest
from helpers import json_lines, make_document, run_cli
from hypothesis import given, settings
from hypothesis import strategies as st

from store.analysis.timeline import build_timeline
from store.meetings.model import alone
from store.models import MeetingDate


def test_timeline_json_months_newest_first_with_the_unknown_year_last(seed_store: Path) -> None:
    done = run_cli("timeline", "--json", db=seed_store)
    months = json_lines(done.stdout)
    assert done.returncode == 0
    assert [m["month"] for m in months] == ["2024-05", None]
    assert all(list(m) == ["month", "meetings"] for m in months)
    (chuan_zang,) = months[0]["meetings"]
    assert list(chuan_zang) == ["id", "title", "date", "provinces"]
    assert chuan_zang["provinces"] == ["四川省", "西藏自治区"] and chuan_zang["date"] == "2024-05-16"
    undated = [m["date"] for m in months[1]["meetings"]]
    assert undated == ["--09-13", "--09-04", "--08-17", "--08-08"]  # newest month and day first
    listed = {d["id"] for d in json_lines(run_cli("list", "--json", db=seed_store).stdout)}
    assert sum(len(m["meetings"]) for m in months) == len(listed)


def test_timeline_plain_has_month_headings_and_short_province_names(seed_store: Path) -> None:
    out = run_cli("timeline", db=seed_store).stdout
    assert out.splitlines()[0] == "2024-05 (1 meeting)"
    assert "year not stated (4 meetings)" in out
    assert "甘青川滇藏" in out and "川藏" in out


def test_timeline_filters_by_province_and_months(seed_store: Path) -> None:
    months = json_lines(run_cli("timeline", "--province", "閩", "--json", db=seed_store).stdout)
    assert [len(m["meetings"]) for m in months] == [1] and months[0]["month"] is None
    dated = json_lines(
        run_cli("timeline", "--from", "2024-05", "--to", "2024-05", "--json", db=seed_store).stdout
    )
    assert [m["month"] for m in dated] == ["2024-05"]  # a date range leaves out the meetings of no year
    assert json_lines(run_cli("timeline", "--from", "2024-06", "--json", db=seed_store).stdout) == []
    assert len(json_lines(run_cli("timeline", "--to", "2024", "--json", db=seed_store).stdout)) == 1


@pytest.mark.parametrize(
    ("argv", "code"),
    [
        (["--from", "2024-13"], 2),
        (["--from", "2024-00"], 2),
        (["--to", "24-01"], 2),
        (["--to", "2024-1x"], 2),
        (["--from", "２０２４"], 2),
        (["--from", "2025-01", "--to", "2024-12"], 2),
        (["--province", "火星"], 1),
    ],
)
def test_timeline_bad_input_is_one_line(seed_store: Path, argv: list[str], code: int) -> None:
    done = run_cli("timeline", *argv, db=seed_store)
    assert done.returncode == code and done.stdout == ""
    message = [line for line in done.stderr.splitlines() if not line.startswith(("usage:", " "))]
    assert len(message) == 1


def test_timeline_on_a_missing_store(tmp_path: Path) -> None:
    done = run_cli("timeline", db=tmp_path / "none.json")
    assert done.returncode == 1 and "no such store" in done.stderr


def months_of(year: int | None, month: int | None) -> MeetingDate | None:
    return MeetingDate(year, month, None, "") if year or month else None


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.one_of(st.none(), st.integers(2020, 2024)), st.one_of(st.none(), st.integers(1, 12)))
    ),
    st.tuples(st.integers(2020, 2024), st.integers(1, 12)),
    st.tuples(st.integers(2020, 2024), st.integers(1, 12)),
)
def test_timeline_places_every_meeting_once_in_order(
    dates: list[tuple[int | None, int | None]], start: tuple[int, int], end: tuple[int, int]
) -> None:
    meetings = []
    for i, (year, month) in enumerate(dates):
        doc = make_document(f"d{i}", "甲", None, ["甘肃省"], [], "会议")
        doc.meta.date = months_of(year, month)
        meetings.append(alone(doc))
    months = build_timeline(meetings)
    assert sorted(m.id for month in months for m in month.meetings) == sorted(m.id for m in meetings)
    keys = [month.month for month in months]
    assert None not in keys[:-1]  # the unknown year only at the end
    dated = [(int(k[:4]), int(k[5:] or 0)) for k in keys if k]
    assert dated == sorted(dated, reverse=True) and len(set(dated)) == len(dated)
    ranged = [m for month in build_timeline(meetings, start=start, end=end) for m in month.meetings]
    for meeting in ranged:
        assert meeting.date and meeting.date.year
        assert start[0] <= meeting.date.year <= end[0]
        if meeting.date.month:
            assert start <= (meeting.date.year, meeting.date.month) <= end


# -- export ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("what", ["meetings", "people", "pairs"])
def test_export_jsonl_is_what_the_commands_print(seed_store: Path, what: str) -> None:
    done = run_cli("export", "--format", "jsonl", "--what", what, db=seed_store)
    assert done.returncode == 0
    exported = json_lines(done.stdout)
    if what != "meetings":
        assert exported == json_lines(run_cli(what, "--json", db=seed_store).stdout)
    else:
        assert len(exported) == 5 and all(list(m)[:3] == ["id", "title", "date"] for m in exported)


@pytest.mark.parametrize(
    ("what", "header"),
    [
        (
            "meetings",
            ["id", "title", "date_from", "date_to", "location", "kind", "provinces", "people", "reports"],
        ),
        ("people", ["name", "province", "meetings", "meeting_ids", "posts"]),
        ("pairs", ["province_a", "province_b", "meetings", "first", "last", "by_year"]),
    ],
)
def test_export_csv_has_a_header_row_and_a_row_per_record(
    seed_store: Path, what: str, header: list[str]
) -> None:
    done = run_cli("export", "--format", "csv", "--what", what, db=seed_store)
    rows = list(csv.reader(io.StringIO(done.stdout)))
    assert rows[0] == header
    records = json_lines(run_cli("export", "--format", "jsonl", "--what", what, db=seed_store).stdout)
    assert len(rows) - 1 == len(records) and all(len(row) == len(header) for row in rows)


def test_export_pairs_csv_lists_the_seed_pairs(seed_store: Path) -> None:
    rows = list(
        csv.DictReader(
            io.StringIO(run_cli("export", "--format", "csv", "--what", "pairs", db=seed_store).stdout)
        )
    )
    pairs = {frozenset((r["province_a"], r["province_b"])): r for r in rows}
    assert pairs[frozenset({"四川省", "西藏自治区"})]["meetings"] == "2"
    assert pairs[frozenset({"四川省", "西藏自治区"})]["by_year"] == "2024: 1"
    assert len(pairs) == 12


def test_export_to_a_file_with_bom_replaces_it_whole(seed_store: Path, tmp_path: Path) -> None:
    target = tmp_path / "out" / "out.csv"
    target.parent.mkdir()
    target.write_text("old", encoding="utf-8")
    target.chmod(0o640)
    done = run_cli("export", "--format", "csv", "--bom", "-o", str(target), db=seed_store)
    assert done.returncode == 0 and done.stdout == ""
    data = target.read_bytes()
    assert data.startswith(b"\xef\xbb\xbfid,title,") and b"old" not in data
    assert stat.S_IMODE(target.stat().st_mode) == 0o640  # replaced, its permissions kept
    assert [p.name for p in target.parent.iterdir()] == ["out.csv"]  # no temporary left beside it
    fresh = tmp_path / "new.jsonl"
    run_cli("export", "--format", "jsonl", "-o", str(fresh), db=seed_store)
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o666 & ~umask  # not mkstemp's private 0600
    assert len(json_lines(fresh.read_text(encoding="utf-8"))) == 5


def test_export_without_bom_starts_with_the_header(seed_store: Path) -> None:
    done = run_cli("export", "--format", "csv", "-o", "-", db=seed_store)
    assert done.stdout.startswith("id,title,")


@pytest.mark.parametrize(
    "argv",
    [[], ["--format", "xml"], ["--format", "csv", "--what", "provinces"], ["--format", "csv", "extra"]],
)
def test_export_usage_errors_exit_2(seed_store: Path, argv: list[str]) -> None:
    done = run_cli("export", *argv, db=seed_store)
    assert done.returncode == 2 and done.stdout == ""


def test_export_into_a_missing_folder_is_one_line_and_writes_nothing(
    seed_store: Path, tmp_path: Path
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    done = run_cli("export", "--format", "csv", "-o", str(blocker / "out.csv"), db=seed_store)
    assert done.returncode == 1 and len(done.stderr.splitlines()) == 1
    assert blocker.read_text(encoding="utf-8") == "x"


def test_export_onto_a_folder_or_from_a_missing_store_is_one_line(seed_store: Path, tmp_path: Path) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    done = run_cli("export", "--format", "csv", "-o", str(folder), db=seed_store)
    assert done.returncode == 1 and len(done.stderr.splitlines()) == 1
    assert list(folder.iterdir()) == [] and sorted(p.name for p in tmp_path.iterdir()) == ["out", "store"]
    done = run_cli("export", "--format", "jsonl", db=tmp_path / "none.json")
    assert done.returncode == 1 and "no such store" in done.stderr and done.stdout == ""


def test_export_through_a_link_or_into_a_fifo_replaces_neither(seed_store: Path, tmp_path: Path) -> None:
    """`-o` naming a symbolic link writes the file it points to; naming a FIFO (as /dev/null or
    /dev/stdout name a device) writes into it: the rename that makes a file's export atomic would
    have put a regular file in the link's or the device's place."""
    real = tmp_path / "real.csv"
    real.write_text("old", encoding="utf-8")
    link = tmp_path / "link.csv"
    link.symlink_to(real)
    run_cli("export", "--format", "csv", "-o", str(link), db=seed_store, check=True)
    assert link.is_symlink() and real.read_text(encoding="utf-8-sig").startswith("id,title")

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    run_cli("export", "--format", "jsonl", "-o", str(fifo), db=seed_store, check=True)
    reader.join(10)
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert got and got[0].decode("utf-8").count("\n") >= 5
