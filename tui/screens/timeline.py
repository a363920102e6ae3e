"""The timeline view (`l`, or the palette): meetings by month, newest first, each with its provinces;
those whose year no report states apart at the end. Enter reads a meeting."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Static

from store import Derived, Script
from tui.screens.view import ViewScreen
from tui.widgets.meeting_list import MeetingList
from tui.words import plural


class TimelineScreen(ViewScreen):
    TITLE = "时间线 Timeline"
    DEFAULT_CSS = """
    TimelineScreen #timeline-list { height: 1fr; }
    """

    def compose_view(self) -> ComposeResult:
        yield MeetingList(id="timeline-list")

    def show(self, derived: Derived) -> None:
        listed = self.query_one(MeetingList)
        listed.show_months(derived.timeline)
        listed.focus()
        months = sum(1 for m in derived.timeline if m.month)
        title = (
            f"时间线 Timeline · {plural(len(derived.meetings), 'meeting')} in {plural(months, 'month')}"
            " · Enter reads one · Esc: back"
        )
        self.query_one("#view-title", Static).update(title)

    def script_changed(self, script: Script) -> None:
        pass  # the list follows the script itself
