"""A dated list of meetings, for the views (a person's meetings, a pair's, the timeline by month): one
line each, `2024-05-16  川藏  title`, in the chosen script; Enter or a click reads the meeting."""

from __future__ import annotations

from rich.text import Text

from store import Meeting, Month, Script, province_short, render
from tui.messages import ViewMeetingChosen
from tui.widgets.follow import follow_script
from tui.widgets.reader import visible
from tui.widgets.virtual_list import VirtualList
from tui.wrap import cut_cells, pad_cells

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


PROVINCES_CELLS = 14  # seven provinces' short names; more are cut (…)


def meeting_line(meeting: Meeting, script: Script) -> Text:
    line = Text(no_wrap=True, overflow="ellipsis")
    line.append(meeting_date(meeting).ljust(10) + "  ", style="dim")
    provinces = cut_cells(render(short_provinces(meeting), script), PROVINCES_CELLS)
    line.append(pad_cells(provinces, PROVINCES_CELLS), style="bold")
    line.append("  " + visible(render(meeting.title, script)).replace("\n", " "))
    return line


def month_heading(month: Month, script: Script) -> Text:
    label = month.month or render(NO_YEAR, script)
    count = len(month.meetings)
    return Text(f"── {label} · {count} {'meeting' if count == 1 else 'meetings'} ──", style="bold reverse")


class MeetingList(VirtualList[Meeting | Month]):
    """Meetings, optionally under month headings (rows the cursor skips); Enter or a click reads one."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.meetings: list[Meeting] = []
        self.script: Script = "orig"

    def on_mount(self) -> None:
        self.script = follow_script(self, self._script_changed)

    def show_meetings(self, meetings: list[Meeting]) -> None:
        self.meetings = meetings
        self.set_rows(list(meetings))

    def show_months(self, months: list[Month]) -> None:
        self.meetings = [m for month in months for m in month.meetings]
        self.set_rows([row for month in months for row in (month, *month.meetings)])

    def row_text(self, row: Meeting | Month) -> Text:
        if isinstance(row, Month):
            return month_heading(row, self.script)
        return meeting_line(row, self.script)

    def selectable(self, row: Meeting | Month) -> bool:
        return isinstance(row, Meeting)

    def chosen(self, row: Meeting | Month) -> None:
        if isinstance(row, Meeting):
            self.post_message(ViewMeetingChosen(row.reports[0]))

    def _script_changed(self, script: Script) -> None:
        self.script = script
        self.refresh()
