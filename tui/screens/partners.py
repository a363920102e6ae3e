"""The partnerships view (`m`): which provinces meet, how often, since when. A heat map of meeting counts
for every two provinces; the cursor's pair is described under it with its meetings by year as bars;
Enter lists that pair's meetings, and Enter on one reads it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.widgets import Static

from store import Derived, Meeting, Pair, Script, render
from tui.messages import PairChosen, PairHighlighted
from tui.screens.view import ViewScreen
from tui.widgets.heat_map import HeatMap
from tui.widgets.meeting_list import MeetingList
from tui.words import plural

if TYPE_CHECKING:
    from tui.screens.main import MainScreen

BAR_WIDTH = 30  # cells of the longest year's bar


def year_bars(pair: Pair, script: Script) -> Text:
    """The pair's meetings by year, one bar a year (years with none between kept, as gaps show)."""
    text = Text(no_wrap=True, overflow="ellipsis")
    if not pair.by_year:
        text.append("no meeting of known year", style="dim")
        return text
    years = [int(y) for y in pair.by_year]
    peak = max(pair.by_year.values())
    for i, year in enumerate(range(min(years), max(years) + 1)):
        count = pair.by_year.get(str(year), 0)
        bar = "█" * max(1 if count else 0, round(BAR_WIDTH * count / peak))
        text.append(("\n" if i else "") + f"{year} ", style="dim")
        text.append(bar, style="bold")
        text.append(f" {count}")
    return text


def pair_summary(pair: Pair | None, provinces: tuple[str, str], script: Script) -> Text:
    a, b = (render(p, script) for p in provinces)
    if provinces[0] == provinces[1]:
        return Text(f"{a}", style="bold")
    if pair is None:
        return Text(f"{a} – {b}: no meeting together", style="dim")
    text = Text(f"{a} – {b}", style="bold", no_wrap=True, overflow="ellipsis")
    span = f"{pair.first or '—'} … {pair.last or '—'}"
    dated = sum(pair.by_year.values())
    known = f" ({dated} of known year)" if dated < len(pair.meetings) else ""
    text.append(f"  {plural(len(pair.meetings), 'meeting')}{known}  {span}\n")  # Enter: the footer says
    text.append_text(year_bars(pair, script))
    return text


class PartnershipsScreen(ViewScreen):
    TITLE = "合作 Partnerships — provinces × provinces, meetings together"
    DEFAULT_CSS = """
    PartnershipsScreen #pair-detail {
        height: auto; max-height: 6; padding: 0 1; border-top: hkey $panel-lighten-2;
        text-wrap: nowrap; text-overflow: ellipsis;
    }
    """

    def __init__(self, main: MainScreen) -> None:
        super().__init__(main)
        self.pairs: dict[frozenset[str], Pair] = {}

    def compose_view(self) -> ComposeResult:
        yield HeatMap(id="heat-map")
        yield Static(id="pair-detail")

    def show(self, derived: Derived) -> None:
        self.pairs = {frozenset(p.provinces): p for p in derived.pairs}
        provinces = derived.pair_provinces()
        counts = {key: len(pair.meetings) for key, pair in self.pairs.items()}
        title = f"合作 Partnerships · {len(provinces)} provinces · {plural(len(self.pairs), 'pair')} met"
        self.query_one("#view-title", Static).update(title)
        heat = self.query_one(HeatMap)
        heat.show_counts(provinces, counts, self.script)
        heat.focus()

    def script_changed(self, script: Script) -> None:
        heat = self.query_one(HeatMap)
        heat.set_script(script)
        if (pair := heat.pair()) is not None:
            self._describe(pair)

    @on(PairHighlighted)
    def _highlighted(self, message: PairHighlighted) -> None:
        self._describe(message.provinces)

    def _describe(self, provinces: tuple[str, str]) -> None:
        pair = self.pairs.get(frozenset(provinces))
        self.query_one("#pair-detail", Static).update(pair_summary(pair, provinces, self.script))

    @on(PairChosen)
    def _chosen(self, message: PairChosen) -> None:
        pair = self.pairs.get(frozenset(message.provinces))
        if pair is not None and self.derived is not None:
            meetings = [self.derived.by_id[m] for m in pair.meetings if m in self.derived.by_id]
            title = "–".join(pair.provinces) + f" · {plural(len(meetings), 'meeting')}"
            self.app.push_screen(MeetingsScreen(self.main, title, meetings))


class MeetingsScreen(ViewScreen):
    """A list of meetings (a pair's); Enter reads one."""

    DEFAULT_CSS = """
    MeetingsScreen #meetings-list { height: 1fr; }
    """

    def __init__(self, main: MainScreen, title: str, meetings: list[Meeting]) -> None:
        super().__init__(main)
        self.title_text, self.meetings = title, meetings

    def compose_view(self) -> ComposeResult:
        yield MeetingList(id="meetings-list")

    def show(self, derived: Derived) -> None:
        listed = self.query_one(MeetingList)
        listed.show_meetings(self.meetings)
        listed.focus()
        self.script_changed(self.script)

    def script_changed(self, script: Script) -> None:
        title = f"{render(self.title_text, script)} — Enter reads one · Esc: back"
        self.query_one("#view-title", Static).update(title)
