"""A dated list of meetings, for the views (a person's meetings, a pair's, the timeline by month): one
line each, `2024-05-16  川藏  title`, in the chosen script; Enter or a click reads the meeting."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.binding import Binding, BindingType
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from store import Meeting, Month, Script, province_short, render
from tui.messages import ViewMeetingChosen
from tui.widgets.follow import follow_script
from tui.widgets.reader import visible
from tui.wrap import pad_cells

NO_YEAR = "年份不详 year not stated"


def meeting_date(meeting: Meeting) -> str:
    """`2024-05-16`, `--09-04` without the year, `—` undated: the same ISO form the CLI prints."""
    date = meeting.date
    if date is None or (date.month is None and date.year is None):
        return "—"
    day = f"-{date.day:02}" if date.day else ""
    month = f"-{date.month:02}" if date.month else ""
    return f"{date.year}{month}{day}" if date.year else f"-{month}{day}"


def short_provinces(meeting: Meeting) -> str:
    return "".join(province_short(p) for p in meeting.provinces) or "—"


PROVINCES_CELLS = 10  # five provinces' short names; more run into the title's space


def meeting_line(meeting: Meeting, script: Script) -> Text:
    line = Text(no_wrap=True, overflow="ellipsis")
    line.append(meeting_date(meeting).ljust(10) + "  ", style="dim")
    line.append(pad_cells(render(short_provinces(meeting), script), PROVINCES_CELLS), style="bold")
    line.append("  " + visible(render(meeting.title, script)).replace("\n", " "))
    return line


def month_heading(month: Month, script: Script) -> Text:
    label = month.month or render(NO_YEAR, script)
    count = len(month.meetings)
    return Text(f"── {label} · {count} {'meeting' if count == 1 else 'meetings'} ──", style="bold reverse")


class MeetingList(OptionList):
    """Meetings, optionally under month headings (disabled options the cursor skips)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
        Binding("g", "first", "First", show=False),
        Binding("G", "last", "Last", show=False),
    ]

    DEFAULT_CSS = """
    MeetingList { text-wrap: nowrap; text-overflow: ellipsis; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.meetings: list[Meeting] = []
        self.months: list[Month] | None = None
        self.script: Script = "orig"

    def on_mount(self) -> None:
        self.script = follow_script(self, self._script_changed)

    def show_meetings(self, meetings: list[Meeting]) -> None:
        self.meetings, self.months = meetings, None
        self._fill()

    def show_months(self, months: list[Month]) -> None:
        self.months = months
        self.meetings = [m for month in months for m in month.meetings]
        self._fill()

    def _fill(self) -> None:
        options: list[Option] = []
        if self.months is None:
            options = [Option(meeting_line(m, self.script), id=m.reports[0]) for m in self.meetings]
        else:
            for month in self.months:
                options.append(Option(month_heading(month, self.script), disabled=True))
                options += [Option(meeting_line(m, self.script), id=m.reports[0]) for m in month.meetings]
        highlighted = self.highlighted
        self.set_options(options)
        if highlighted is not None and highlighted < len(options):
            self.highlighted = highlighted
        elif options:
            self.action_first()

    def _script_changed(self, script: Script) -> None:
        self.script = script
        self._fill()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.post_message(ViewMeetingChosen(event.option.id))
