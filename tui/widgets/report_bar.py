"""The line under a meeting's header when several reports tell it: which report is open, of how many,
where it comes from (its source line, as its citation names it); and, while `a` marks
what each report adds, how many of its sentences no other report has.

Hidden for a meeting told by one report: then the header is the report's own, as it always was.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from store import Document, Meeting, Script, render
from tui.citation import source_line
from tui.state import readable
from tui.widgets.follow import follow_script
from tui.widgets.reader import visible


def report_line(meeting: Meeting, doc: Document, script: Script, adds: tuple[int, int] | None = None) -> Text:
    """`报道 2/3  甘南日报 · 2024-08-09 发布 │ 新增 2/31 句`, cut to fit (the report's own headline
    opens its text just below)."""
    text, _ = readable(doc, "text")
    number = meeting.reports.index(doc.id) + 1 if doc.id in meeting.reports else 0
    line = Text(no_wrap=True, overflow="ellipsis", end="")
    line.append(render(f" 报道 {number}/{len(meeting.reports)} ", script), style="bold reverse")
    line.append(" " + visible(source_line(doc, script, text)))
    if adds is not None:
        line.append(" │ ", style="dim")
        line.append(render(f"新增 {adds[0]}/{adds[1]} 句", script), style="bold")
    return line


class ReportBar(Static):
    """One line; redrawn when the report, the adds view or the script changes."""

    DEFAULT_CSS = """
    ReportBar { height: 1; padding: 0 1 0 0; background: $boost; display: none; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.meeting: Meeting | None = None
        self.document: Document | None = None
        self.adds: tuple[int, int] | None = None
        self.script: Script = "orig"

    def on_mount(self) -> None:
        self.script = follow_script(self, self._script_changed)

    def _script_changed(self, script: Script) -> None:
        self.script = script
        self._draw()

    def show(
        self, meeting: Meeting | None, doc: Document | None, adds: tuple[int, int] | None = None
    ) -> None:
        """The open report of a meeting of several; None hides the bar."""
        self.meeting, self.document, self.adds = meeting, doc, adds
        self.display = meeting is not None and doc is not None
        self._draw()

    def _draw(self) -> None:
        if self.meeting is not None and self.document is not None:
            self.update(report_line(self.meeting, self.document, self.script, self.adds))

    @property
    def plain(self) -> str:
        """The line as drawn (tests read it)."""
        if self.meeting is None or self.document is None:
            return ""
        return report_line(self.meeting, self.document, self.script, self.adds).plain
