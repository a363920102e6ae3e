"""The people (p), partnerships (m) and timeline (l) views (issue 14), driven through Pilot at 80×24 on the
seeds, and their snapshots at 80×24 and 120×40."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from helpers import parts, run_async, type_query

from store import Corpus
from tui.app import YuelanApp
from tui.screens.commands import GotoProvider, goto_entries
from tui.screens.help import HelpScreen
from tui.screens.main import MainScreen
from tui.screens.partners import MeetingsScreen, PartnershipsScreen
from tui.screens.people import PeopleScreen, PersonScreen
from tui.screens.timeline import TimelineScreen
from tui.settings import Settings
from tui.widgets.heat_map import HeatMap
from tui.widgets.meeting_list import MeetingList
from tui.widgets.results import ResultList

SIZE = (80, 24)


def held(corpus: Corpus, hold: threading.Event) -> Corpus:
    """The corpus, its meetings kept from the views until the test sets `hold`."""
    meetings = corpus.meetings
    corpus.meetings = lambda: (hold.wait(10), meetings())[1]  # type: ignore[method-assign]
    return corpus


def title_of(app: YuelanApp) -> str:
    return str(app.screen.query_one("#view-title").render())


async def ready(pilot: Any) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


@run_async
async def test_people_by_initials_open_the_card_and_a_meeting_in_the_reader(seed_corpus: Corpus) -> None:
    app = YuelanApp(seed_corpus)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("p")
        await ready(pilot)
        people = app.screen
        assert isinstance(people, PeopleScreen)
        assert people.shown[0].name in {"何谋保", "王君正"} and len(people.shown) > 20
        await pilot.press("h", "m", "b")
        assert [p.name for p in people.shown] == ["何谋保"]
        await pilot.press("enter")
        await pilot.pause()
        card = app.screen
        assert isinstance(card, PersonScreen)
        assert "何谋保 (甘肃省) · 2 meetings" in title_of(app)
        assert "甘南州委书记" in str(card.query_one("#person-posts").render())
        assert "郭子文 2" in str(card.query_one("#person-met").render())
        listed = card.query_one(MeetingList)
        assert listed.has_focus and len(listed.meetings) == 2
        wanted = listed.meetings[1].reports[0]
        await pilot.press("down", "enter")
        await pilot.pause()
        screen, _, reader, _ = parts(app)
        assert app.screen is screen and screen.current is not None and screen.current.id == wanted
        assert reader.has_focus


@run_async
async def test_people_typed_in_either_script_and_q_is_typed_not_back(seed_corpus: Corpus) -> None:
    app = YuelanApp(seed_corpus)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("p")
        await ready(pilot)
        people = app.screen
        assert isinstance(people, PeopleScreen)
        people.query_one("#people-search").value = "謀保"
        await pilot.pause()
        assert [p.name for p in people.shown] == ["何谋保"]
        await pilot.press("q", "t")  # characters in the search field: typed, not back or script
        assert app.screen is people and app.script == "orig"
        assert people.query_one("#people-search").value == "謀保qt"
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)


@run_async
async def test_p_from_the_text_lists_that_meetings_people_first(seed_corpus: Corpus) -> None:
    app = YuelanApp(seed_corpus)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen, _, reader, _ = parts(app)
        reader.focus()
        await pilot.pause()
        here = {p.name for p in screen.current.meta.people}
        await pilot.press("p")
        await ready(pilot)
        shown = [p.name for p in app.screen.shown]
        assert set(shown[: len(here)]) == here
        assert f"this meeting's {len(here)} first" in title_of(app)
        assert len(shown) > len(here)  # everyone else after them


@run_async
async def test_partnerships_cursor_describes_a_pair_and_enter_lists_its_meetings(seed_corpus: Corpus) -> None:
    app = YuelanApp(seed_corpus)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("m")
        await ready(pilot)
        view = app.screen
        assert isinstance(view, PartnershipsScreen)
        heat = view.query_one(HeatMap)
        assert heat.has_focus
        assert heat.provinces == ["天津市", "福建省", "四川省", "云南省", "西藏自治区", "甘肃省", "青海省"]
        header = heat.render().plain.splitlines()[0].split()
        assert header == ["津", "闽", "川", "滇", "藏", "甘", "青"]
        assert heat.pair() == ("四川省", "西藏自治区")  # the pair that met most
        detail = str(view.query_one("#pair-detail").render())
        assert "四川省 – 西藏自治区  2 meetings" in detail and "2024 " in detail and "█" in detail
        await pilot.press("k")
        assert heat.pair() == ("四川省", "云南省")
        assert "四川省 – 云南省  1 meeting" in str(view.query_one("#pair-detail").render())
        await pilot.press("j", "enter")
        await pilot.pause()
        listed = app.screen
        assert isinstance(listed, MeetingsScreen) and len(listed.meetings) == 2
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MainScreen)
        assert screen.current is not None and screen.current.id == listed.meetings[0].reports[0]


@run_async
async def test_partnerships_map_scrolls_to_keep_the_cursor_in_view(seed_corpus: Corpus) -> None:
    app = YuelanApp(seed_corpus)
    async with app.run_test(size=(24, 12)) as pilot:
        await pilot.pause()
        await pilot.press("m")
        await ready(pilot)
        heat = app.screen.query_one(HeatMap)
        for _ in range(7):
            await pilot.press("right", "down")
        assert heat.cursor == (6, 6)
        drawn = heat.render().plain.splitlines()
        assert "青" in drawn[0] and drawn[-1].startswith("青")
        assert heat.left > 0 and heat.top > 0


@run_async
async def test_timeline_by_month_then_the_unknown_year_and_enter_reads(seed_corpus: Corpus) -> None:
    app = YuelanApp(seed_corpus)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("l")
        await ready(pilot)
        view = app.screen
        assert isinstance(view, TimelineScreen)
        listed = view.query_one(MeetingList)
        headings = [listed.row_text(row).plain for row in listed.rows if not listed.selectable(row)]
        assert headings[0].startswith("── 2024-") and "year not stated" in headings[-1]
        assert listed.cursor == 1  # the first meeting, not its month's heading
        wanted = listed.meetings[0].reports[0]
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MainScreen) and screen.current.id == wanted


@run_async
async def test_l_while_searching_still_folds_the_results(seed_corpus: Corpus) -> None:
    app = YuelanApp(seed_corpus)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await type_query(pilot, app, "团结")
        await pilot.press("enter")
        await pilot.pause()
        results = app.screen.query_one(ResultList)
        shown = results.display
        await pilot.press("l")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen) and results.display != shown


@run_async
async def test_script_toggle_in_a_view_redraws_it(seed_corpus: Corpus) -> None:
    app = YuelanApp(seed_corpus, Settings(script="orig"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("m")
        await ready(pilot)
        await pilot.press("t", "t")  # 原文 → 简体 → 繁體
        assert app.script == "trad"
        assert "四川省 – 西藏自治區" in str(app.screen.query_one("#pair-detail").render())
        await pilot.press("escape", "l")
        await ready(pilot)
        listed = app.screen.query_one(MeetingList)
        lines = [listed.row_text(row).plain for row in listed.rows]
        assert any("攜手推動" in line for line in lines) and any("聚焦大保護" in line for line in lines)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)


@run_async
async def test_a_view_opens_at_once_and_fills_when_its_data_is_built(seed_corpus: Corpus) -> None:
    """The data is derived in a worker: the view is up (and keys work) before it is ready."""
    hold = threading.Event()
    app = YuelanApp(held(seed_corpus, hold))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("l")
        await pilot.pause()
        view = app.screen
        assert isinstance(view, TimelineScreen) and view.derived is None
        assert "reading 5 reports…" in str(view.query_one("#view-loading").render())
        await pilot.pause(0.3)
        assert "reading 5 reports… 0%" in str(view.query_one("#view-loading").render())  # the line counts
        await pilot.press("escape")  # the event loop was never held up by the build
        assert isinstance(app.screen, MainScreen)
        await pilot.press("l")
        hold.set()
        await ready(pilot)
        assert app.screen.derived is not None and app.screen.query_one(MeetingList).meetings


@run_async
async def test_palette_finds_a_person_by_pinyin_and_opens_the_card(seed_corpus: Corpus) -> None:
    app = YuelanApp(seed_corpus)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        main = app.screen
        entries = [(text, go) for text, _, go in goto_entries(main) if "go to person" in text]
        (text, go), *_ = [e for e in entries if "何谋保" in e[0]]
        assert "hemoubao hmb" in text
        provider = GotoProvider(main, None)
        await provider.startup()
        hits = [hit async for hit in provider.search("hmb")]
        assert any("何谋保" in str(hit.text) for hit in hits)
        go()
        await ready(pilot)
        assert isinstance(app.screen, PersonScreen) and app.screen.person.name == "何谋保"


# -- snapshots ----------------------------------------------------------------------------------------


def pressed(*keys: str) -> Any:
    async def run_before(pilot: Any) -> None:
        for key in keys:
            await pilot.press(key)
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()
        if isinstance(pilot.app.screen, PeopleScreen):
            pilot.app.screen.query_one("#people-search").cursor_blink = False
        await pilot.pause()

    return run_before


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
@pytest.mark.parametrize(
    "keys",
    [("p",), ("p", "h", "m", "b", "enter"), ("m",), ("l",)],
    ids=["people", "card", "partnerships", "timeline"],
)
def test_view_snapshots(
    snap_compare: Any, seed_corpus: Corpus, keys: tuple[str, ...], size: tuple[int, int]
) -> None:
    app = YuelanApp(seed_corpus, Settings(script="orig"))
    assert snap_compare(app, terminal_size=size, run_before=pressed(*keys))


@run_async
async def test_the_palette_runs_each_view(seed_corpus: Corpus) -> None:
    app = YuelanApp(seed_corpus)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        main = app.screen
        commands = {c.title: c for c in app.get_system_commands(main)}
        for title, view in [
            ("Timeline: meetings by month (l)", TimelineScreen),
            ("People: who took part, their posts and meetings (p)", PeopleScreen),
            ("Partnerships: which provinces meet, how often (m)", PartnershipsScreen),
        ]:
            await commands[title].callback()
            await ready(pilot)
            assert isinstance(app.screen, view)
            await pilot.press("escape")
            assert app.screen is main


def test_the_views_data_is_built_once_per_store(seed_corpus: Corpus, seed_store: Any) -> None:
    """Built once for the store on screen; a store reloaded (`r`) is another, built again."""
    from tui.background import DerivedViews

    views = DerivedViews()
    assert views.ready(seed_corpus) is None
    built = views.build(seed_corpus)
    assert views.ready(seed_corpus) is built and views.build(seed_corpus) is built
    reloaded = Corpus.open(seed_store)
    assert views.ready(reloaded) is None and views.build(reloaded) is not built
