"""The header over the reading pane: title, date, place and kind, participating provinces, officials —
of the report, or, when several reports tell its meeting, of the meeting (the union of what they say)."""

from __future__ import annotations

from typing import Any

from rich.console import Group
from rich.text import Text
from textual.widgets import Static

from store import Document, Meeting, Script, render
from tui.widgets.follow import follow_script
from tui.widgets.reader import visible


def shown(value: str, script: Script) -> str:
    """A value from the report on one line, in the script, safe for the terminal."""
    return visible(render(value, script)).replace("\n", " ")


def one_line(label: str, value: str, script: Script, style: str = "") -> Text:
    """A labelled line cut to the header's width."""
    line = Text(no_wrap=True, overflow="ellipsis")
    if label:
        line.append(render(label, script) + " ", style="dim")
    line.append(shown(value, script), style=style)
    return line


def header_lines(doc: Document | None, script: Script) -> list[Text]:
    """What the header shows, in the chosen script: the title wraps, every other line is cut to fit."""
    if doc is None:
        return [Text("没有文档 — no documents in this store", style="dim")]
    meta = doc.meta
    lines = [Text(shown(doc.title, script), style="bold")]
    facts = " · ".join(
        f for f in (meta.date.shown(with_basis=False) if meta.date else "", meta.location, meta.kind) if f
    )
    if facts:
        lines.append(one_line("", facts, script, "italic"))
    lines += _who(meta.provinces, meta.people, script)
    if meta.date and meta.date.basis:  # an inferred date: the line it was read from, where there is room
        lines.append(one_line("日期出处", meta.date.basis, script, "dim"))
    return lines


def _who(provinces: list[str], people: list[Any], script: Script) -> list[Text]:
    """The provinces and officials lines (`people`: store Persons, name and post)."""
    lines = [one_line("参与", "、".join(provinces), script)] if provinces else []
    if people:
        named = "、".join(f"{p.name}（{p.post}）" if p.post else p.name for p in people)
        lines.append(one_line("人物", named, script))
    return lines


def meeting_header_lines(meeting: Meeting, script: Script) -> list[Text]:
    """The header of a meeting several reports tell: its title, its dates from first to last, place and
    kind, the provinces and officials any of its reports names; each report's own line is the report
    bar's (`tui.widgets.report_bar`)."""
    lines = [Text(shown(meeting.title, script), style="bold")]
    dates = [d.shown(with_basis=False) for d in (meeting.date, meeting.end) if d is not None]
    facts = " · ".join(f for f in ("—".join(dates), meeting.location, meeting.kind) if f)
    if facts:
        lines.append(one_line("", facts, script, "italic"))
    return lines + _who(meeting.provinces, meeting.people, script)


class DocHeader(Static):
    """Static header; redrawn whenever the document or the script changes."""

    plain = ""
    document: Document | None = None
    meeting: Meeting | None = None
    script: Script = "orig"

    def on_mount(self) -> None:
        self.script = follow_script(self, self._script_changed)

    def _script_changed(self, script: Script) -> None:
        self.script = script
        if self.meeting is not None:
            self.show_meeting(self.meeting)
        elif self.document is not None:
            self.show_document(self.document)

    def show_document(self, doc: Document | None) -> None:
        self.document, self.meeting = doc, None
        self._show(header_lines(doc, self.script))

    def show_meeting(self, meeting: Meeting) -> None:
        self.meeting = meeting
        self._show(meeting_header_lines(meeting, self.script))

    def _show(self, lines: list[Text]) -> None:
        self.plain = "\n".join(line.plain for line in lines)
        self.update(Group(*lines))
