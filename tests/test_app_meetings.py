"""A meeting told by several reports, in the browser (issue 13): once in the tree, its header and each
report's line, `{` `}` between its reports, `a` for what each adds, search hits rolled up to it.

The corpus is the seeds and two near-copies of seed 001 (a wire story, a Traditional repost) grouped as
one meeting; grouping itself is tested apart, so the group is given (`MemoryCorpus(groups=…)`).
"""

from __future__ import annotations

from typing import Any

import pytest
from helpers import MemoryCorpus, meeting_documents, parts, run_async, status, type_query

from tui.app import YuelanApp
from tui.widgets.meeting_tree import iter_meetings
from tui.widgets.report_bar import ReportBar
from tui.widgets.results import ResultList

SIZE = (80, 24)


@pytest.fixture
def grouped() -> tuple[MemoryCorpus, list[str]]:
    docs, group = meeting_documents()
    return MemoryCorpus(docs, groups=[group]), group


def footer(app: YuelanApp) -> set[str]:
    from textual.widgets._footer import FooterKey

    return {key.description for key in app.screen.query(FooterKey)}


async def open_meeting(pilot: Any, app: YuelanApp, doc_id: str) -> None:
    """Enter on the meeting in the tree, as a reader does."""
    _, tree, _, _ = parts(app)
    assert tree.reveal(doc_id)
    await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()


@run_async
async def test_the_tree_shows_the_meeting_once_per_place_with_its_reports(grouped: Any) -> None:
    corpus, group = grouped
    app = YuelanApp(corpus)
    async with app.run_test(size=SIZE):
        _, tree, _, _ = parts(app)
        places = [n for n in iter_meetings(tree.full) if group[0] in (n.reports or [n.doc_id])]
        assert places and all(n.reports == group for n in places)
        assert not [n for n in iter_meetings(tree.full) if n.doc_id in group[1:]]  # no row per copy
        gansu = next(n for n in tree.full if n.label == "甘肃省")
        assert gansu.count == 3  # seeds 000, 001 (with its copies) and 002: distinct meetings
        label = tree.label_for(places[0]).plain
        assert label.startswith("08-08 ·3 甘青川滇藏交界地区州市长第八次联席会议"), label
        # the palette's go-to: each meeting once, the copies' own headlines not at all
        from tui.screens.commands import goto_entries

        meetings = [text for text, _, _ in goto_entries(parts(app)[0]) if text.startswith("去会议")]
        assert len(meetings) == 5 and not [m for m in meetings if "五省区" in m or "隆重召開" in m]


@run_async
async def test_opening_a_meeting_shows_its_header_and_steps_between_its_reports(grouped: Any) -> None:
    corpus, group = grouped
    app = YuelanApp(corpus)
    async with app.run_test(size=SIZE) as pilot:
        screen, _, reader, _ = parts(app)
        bar = screen.query_one(ReportBar)
        assert "Report" not in footer(app) and "Adds" not in footer(app)  # the newest meeting: one report
        await open_meeting(pilot, app, group[0])
        assert screen.current.id == group[0] and reader.has_focus
        header = screen.view.header.plain
        assert header.startswith("甘青川滇藏交界地区州市长第八次联席会议") and "参与 甘肃省、青海省" in header
        assert "人物 何谋保（甘南州委书记）" in header
        assert bar.display and bar.plain.startswith(" 报道 1/3 ") and "001_" in bar.plain  # no outlet: file
        assert {"Report", "Adds"} <= footer(app)
        await pilot.press("right_curly_bracket")
        assert screen.current.id == group[1] and bar.plain.startswith(" 报道 2/3  新华网 · 2024-08-09 发布")
        assert screen.view.header.plain == header  # the meeting's header stays
        assert reader.text.startswith("甘青川滇藏五省区交界地区州市长联席会议在合作举行")
        await pilot.press("right_curly_bracket")
        assert screen.current.id == group[2] and "報道 3/3" not in bar.plain and "3/3  甘南日報" in bar.plain
        await pilot.press("right_curly_bracket")
        assert screen.current.id == group[2] and "last report" in status(app)
        await pilot.press("left_curly_bracket", "left_curly_bracket")
        assert screen.current.id == group[0]
        await pilot.press("left_curly_bracket")
        assert screen.current.id == group[0] and "first report" in status(app)
        assert "meeting 2 of 5" in status(app)  # five meetings, not seven reports
        # the palette lists the open meeting's reports to pick from, by headline and source line
        from tui.screens.commands import report_entries

        entries = list(report_entries(screen))
        assert [text.split(" ")[4] for text, _, _ in entries] == ["1/3", "2/3", "3/3"]
        wire = "去报道 go to report 2/3 新华网 · 2024-08-09 发布: 甘青川滇藏五省区交界地区州市长"
        assert entries[1][0].startswith(wire) and entries[2][0].startswith(
            "去报道 go to report 3/3 甘南日報: "
        )
        entries[2][2]()
        await pilot.pause()
        assert screen.current.id == group[2]


@run_async
async def test_brackets_go_to_the_next_meeting_not_the_next_report(grouped: Any) -> None:
    corpus, group = grouped
    app = YuelanApp(corpus)
    async with app.run_test(size=SIZE) as pilot:
        screen, tree, _, _ = parts(app)
        await open_meeting(pilot, app, group[0])
        await pilot.press("right_curly_bracket")
        await pilot.press("right_square_bracket")
        assert screen.current.id not in group and "meeting 3 of 5" in status(app)
        await pilot.press("left_square_bracket")
        assert screen.current.id == group[0]  # the meeting, at its first report
        # the tree's cursor on the meeting keeps the report being read
        await pilot.press("right_curly_bracket")
        tree.reveal(group[0])
        await pilot.pause()
        assert screen.current.id == group[1]


@run_async
async def test_adds_marks_the_sentences_only_this_report_has(grouped: Any) -> None:
    corpus, group = grouped
    app = YuelanApp(corpus)
    async with app.run_test(size=SIZE) as pilot:
        screen, _, reader, _ = parts(app)
        bar = screen.query_one(ReportBar)
        await open_meeting(pilot, app, group[0])
        await pilot.press("right_curly_bracket", "a")
        added = [reader.text[s.start : s.end] for s in reader.added or []]
        assert added == [
            "甘青川滇藏五省区交界地区州市长联席会议在合作举行",
            "会议确定第九次联席会议由迪庆州承办。",
            "来源：新华网 发布时间：2024-08-09",
        ]
        assert "新增 3/6 句" in bar.plain and "3 of 6 sentences" in status(app)
        await pilot.press("right_curly_bracket")  # stays on for the next report: the repost's two lines
        assert [reader.text[s.start : s.end] for s in reader.added or []] == [
            "會議期間，與會代表還實地觀摩了合作市城市建設。",
            "來源：甘南日報",
        ]
        await pilot.press("t")  # 简体: the same sentences marked, offsets hold in every script
        assert [reader.text[s.start : s.end] for s in reader.added or []][-1] == "来源：甘南日报"
        await pilot.press("a")
        assert reader.added is None and "新增" not in bar.plain and "adds: off" in status(app)
        await pilot.press("a", "right_square_bracket")  # a meeting of one report: nothing is marked
        assert reader.added is None and not bar.display and "Adds" not in footer(app)
        await pilot.press("a")  # does nothing there
        assert screen.state.adds


@run_async
async def test_search_hits_count_per_report_and_roll_up_to_the_meeting(grouped: Any) -> None:
    corpus, group = grouped
    app = YuelanApp(corpus)
    async with app.run_test(size=SIZE) as pilot:
        screen, tree, _, _ = parts(app)
        results = screen.query_one(ResultList)
        await type_query(pilot, app, "联席会议")
        per_report = [len(screen.state.hits_for(doc_id)) for doc_id in group]
        assert all(per_report)
        first = results.results[0]
        assert [r.doc_id for r in first.reports] == group and first.counts == per_report
        assert len(results.results) == 2  # two meetings match, of four reports
        assert "match" in status(app) and "2 meetings match" in status(app)
        prompt = results.get_option_at_index(0).prompt
        title = prompt.title.plain  # type: ignore[union-attr]
        assert title.startswith(f"{sum(per_report):>3} ({'+'.join(map(str, per_report))}) 甘青川滇藏交界")
        # the narrowed tree: the meeting once per place, its hits summed
        rows = [n for n in iter_meetings(tree.roots) if n.reports == group]
        assert rows and all(n.count == sum(per_report) for n in rows)
        # Enter opens the meeting at its first report's first hit; n walks its reports' hits in turn
        await pilot.press("enter")
        assert screen.current.id == group[0] and "match 1 of 2" in status(app)
        for _ in range(per_report[0]):
            await pilot.press("n")
        assert screen.current.id == group[1] and screen.state.hit == 0
        assert results.highlighted == 0  # still the same meeting in the list
        await pilot.press("right_curly_bracket")
        assert screen.current.id == group[2] and "hit 1 of" in status(app)


def reading_the_wire_with_adds(group: list[str]) -> Any:
    """Open the meeting, step to its second report (the wire story), mark what it adds."""

    async def run_before(pilot: Any) -> None:
        await pilot.pause()  # the screen composed
        await open_meeting(pilot, pilot.app, group[0])
        await pilot.press("right_curly_bracket", "a")
        await pilot.pause()

    return run_before


def test_a_meeting_of_three_reports_at_80x24(snap_compare: Any, grouped: Any) -> None:
    """The meeting's header (title, date, place, kind, provinces, officials), the report's line
    (报道 2/3, its outlet and publication date, 新增 3/6 句), its text with the three new sentences
    marked and the rest faint, the tree's row `·3`, the footer's `{ } Report` and `a Adds`."""
    corpus, group = grouped
    app = YuelanApp(corpus)
    assert snap_compare(app, terminal_size=SIZE, run_before=reading_the_wire_with_adds(group))
