"""An inferred date says so where it is shown: `list --json` (`date.source`), the reader header, `show`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from store.corpus import Corpus
from store.models import MeetingDate
from tui.cli import main
from tui.widgets.doc_header import header_lines

SEED_WITH_A_PAGE_YEAR = "df03"  # 5月16日至17日 under 发布时间:2024-05-18


def test_the_reasons_read_as_the_genre_writes_them() -> None:
    assert MeetingDate(2023, 12, 28, "12月28日", "page", "发布时间：2024-01-05").shown() == (
        "2023年12月28日 (年份据页面日期：发布时间：2024-01-05)"
    )
    assert MeetingDate(None, 4, 11, "11日", "dateline", "新华社西宁4月12日电").shown() == (
        "4月11日 (月份据电头：新华社西宁4月12日电)"
    )
    assert MeetingDate(2022, 12, 31, "昨日", "relative", "2023-01-01 08:00").shown() == (
        "昨日 → 2022年12月31日 (据页面日期推算：2023-01-01 08:00)"
    )
    assert MeetingDate(None, 5, 3, "5月3日").shown() == "5月3日"


def test_list_json_carries_the_source(seed_store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", str(seed_store), "list", "--json"]) == 0
    dates = {o["id"][:4]: o["date"] for o in map(json.loads, capsys.readouterr().out.splitlines())}
    assert dates[SEED_WITH_A_PAGE_YEAR]["source"] == "page"
    assert {"year", "month", "day", "text", "source"} <= set(dates[SEED_WITH_A_PAGE_YEAR])


def test_the_header_and_show_mark_the_inferred_year(
    seed_store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = Corpus.open(seed_store).get(SEED_WITH_A_PAGE_YEAR)
    lines = [line.plain for line in header_lines(doc, "orig")]
    assert lines[1].startswith("2024年5月16日至17日 (年份据页面日期) · 拉萨市")
    assert lines[-1].startswith("日期出处 发布时间:2024-05-18")
    assert main(["--db", str(seed_store), "show", SEED_WITH_A_PAGE_YEAR]) == 0
    date_line = next(line for line in capsys.readouterr().out.splitlines() if line.startswith("date:"))
    assert date_line.split(None, 1)[1].startswith("2024年5月16日至17日 (年份据页面日期")


def test_an_undated_report_still_gives_every_date_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Scripts read `date.month` on every object; an undated report gives nulls, not a bare null."""
    source = tmp_path / "undated.txt"
    source.write_text("甘肃省代表团赴西藏自治区考察交流，双方就对口支援工作举行座谈。\n", encoding="utf-8")
    store = tmp_path / "y.json"
    assert main(["--db", str(store), "import", str(source)]) == 0
    capsys.readouterr()
    assert main(["--db", str(store), "list", "--json"]) == 0
    (row,) = map(json.loads, capsys.readouterr().out.splitlines())
    assert row["date"] == dict.fromkeys(("year", "month", "day", "text", "source", "basis"))
