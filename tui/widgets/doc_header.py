"""The header over the reading pane: title, date, place and kind, participating provinces, officials —
of the report, or, when several reports tell its meeting, of the meeting (the union of what they say).

Each official's name is a link to their person card: a click on it, or `w` (the main screen's key),
which focuses the header with the first name highlighted; then `w`/→ and `W`/← move across the names,
Enter opens the card and Esc goes back to the text. The header says which name (`OfficialChosen`); the
screen opens the card.
"""

from __future__ import annotations

from typing import Any, ClassVar

from rich.console import Group
from rich.style import Style
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.widgets import Static

from store import Document, Meeting, Script, render
from tui.messages import OfficialChosen
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


def header_lines(doc: Document | None, script: Script, picked: int | None = None) -> list[Text]:
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
    lines += _who(meta.provinces, meta.people, script, picked)
    if meta.date and meta.date.basis:  # an inferred date: the line it was read from, where there is room
        lines.append(one_line("日期出处", meta.date.basis, script, "dim"))
    return lines


def _who(provinces: list[str], people: list[Any], script: Script, picked: int | None = None) -> list[Text]:
    """The provinces and officials lines (`people`: store Persons, name and post)."""
    lines = [one_line("参与", "、".join(provinces), script)] if provinces else []
    if people:
        lines.append(people_line(people, script, picked))
    return lines


def people_line(people: list[Any], script: Script, picked: int | None = None) -> Text:
    """`人物 name（post）、…`, each name a link (`open_name(i)`, the header's action), the `picked` one
    highlighted; cut to the header's width like the other lines, so from the picked one on (`人物 …、`)
    when the names before it would push it out of sight."""
    line = one_line("人物", "", script)
    first = picked or 0
    if first:
        line.append("…、", style="dim")
    for number, person in enumerate(people[first:], start=first):
        if number > first:
            line.append("、")
        link = Style(meta={"@click": f"open_name({number})"})
        line.append(shown(person.name, script), style=link + NAME_PICKED if number == picked else link)
        if person.post:
            line.append(shown(f"（{person.post}）", script))
    return line


NAME_PICKED = Style(reverse=True)


def meeting_header_lines(meeting: Meeting, script: Script, picked: int | None = None) -> list[Text]:
    """The header of a meeting several reports tell: its title, its dates from first to last, place and
    kind, the provinces and officials any of its reports names; each report's own line is the report
    bar's (`tui.widgets.report_bar`)."""
    lines = [Text(shown(meeting.title, script), style="bold")]
    dates = [d.shown(with_basis=False) for d in (meeting.date, meeting.end) if d is not None]
    facts = " · ".join(f for f in ("—".join(dates), meeting.location, meeting.kind) if f)
    if facts:
        lines.append(one_line("", facts, script, "italic"))
    return lines + _who(meeting.provinces, meeting.people, script, picked)


class DocHeader(Static):
    """Static header; redrawn whenever the document or the script changes. Focusable only while a name
    is picked with the keys (`pick`), so Tab never stops on it otherwise."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open_name", "Card", tooltip="Open the highlighted official's card"),
        Binding("w,right", "step_name(1)", "Next name", key_display="w →"),
        Binding("W,left", "step_name(-1)", "Previous name", show=False),
        Binding("escape", "leave_names", "Back to text"),
    ]

    plain = ""
    document: Document | None = None
    meeting: Meeting | None = None
    script: Script = "orig"
    picked: int | None = None  # the name highlighted with the keys

    def on_mount(self) -> None:
        self.script = follow_script(self, self._script_changed)

    def _script_changed(self, script: Script) -> None:
        self.script = script
        if self.meeting is not None:
            self.show_meeting(self.meeting)
        elif self.document is not None:
            self.show_document(self.document)

    def show_document(self, doc: Document | None) -> None:
        if doc is not self.document or self.meeting is not None:
            self.picked = None
        self.document, self.meeting = doc, None
        self._show(header_lines(doc, self.script, self.picked))

    def show_meeting(self, meeting: Meeting) -> None:
        if meeting is not self.meeting:
            self.picked = None
        self.meeting = meeting
        self._show(meeting_header_lines(meeting, self.script, self.picked))

    @property
    def names(self) -> list[str]:
        """The officials' names the header links, in order (as the store has them)."""
        if self.meeting is not None:
            return [p.name for p in self.meeting.people]
        return [p.name for p in self.document.meta.people] if self.document is not None else []

    def pick(self) -> None:
        """`w`: focus the header with a name highlighted (the first, or the next when already here)."""
        if not self.names:
            return
        if self.has_focus and self.picked is not None:
            self.action_step_name(1)
            return
        self.can_focus = True
        self.focus()
        self._picked(0)

    def action_step_name(self, step: int) -> None:
        if self.names:
            self._picked(((self.picked or 0) + step) % len(self.names) if self.picked is not None else 0)

    def action_open_name(self, number: int | None = None) -> None:
        """Enter on the highlighted name, or a click on a name (`number`)."""
        names = self.names
        number = self.picked if number is None else number
        if number is not None and 0 <= number < len(names):
            self.post_message(OfficialChosen(names[number]))

    def action_leave_names(self) -> None:
        self.screen.query_one("#reader").focus()

    def on_blur(self) -> None:
        self.can_focus = False
        self._picked(None)

    def _picked(self, number: int | None) -> None:
        self.picked = number
        self._script_changed(self.script)

    def _show(self, lines: list[Text]) -> None:
        self.plain = "\n".join(line.plain for line in lines)
        self.update(Group(*lines))
