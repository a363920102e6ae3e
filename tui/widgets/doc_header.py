"""The header over the reading pane: title, date, place and kind, participating provinces, officials."""

from __future__ import annotations

from rich.console import Group
from rich.text import Text
from textual.widgets import Static

from store import Document, Script, render
from tui.widgets.follow import follow_script
from tui.widgets.reader import visible


def header_lines(doc: Document | None, script: Script) -> list[Text]:
    """What the header shows, in the chosen script: the title wraps, every other line is cut to fit."""
    if doc is None:
        return [Text("没有文档 — no documents in this store", style="dim")]

    def shown(value: str) -> str:
        return visible(render(value, script)).replace("\n", " ")

    def one_line(label: str, value: str, style: str = "") -> Text:
        line = Text(no_wrap=True, overflow="ellipsis")
        if label:
            line.append(render(label, script) + " ", style="dim")
        line.append(shown(value), style=style)
        return line

    meta = doc.meta
    lines = [Text(shown(doc.title), style="bold")]
    facts = " · ".join(
        f for f in (meta.date.shown(with_basis=False) if meta.date else "", meta.location, meta.kind) if f
    )
    if facts:
        lines.append(one_line("", facts, "italic"))
    if meta.provinces:
        lines.append(one_line("参与", "、".join(meta.provinces)))
    if meta.people:
        people = "、".join(f"{p.name}（{p.post}）" if p.post else p.name for p in meta.people)
        lines.append(one_line("人物", people))
    if meta.date and meta.date.basis:  # an inferred date: the line it was read from, where there is room
        lines.append(one_line("日期出处", meta.date.basis, "dim"))
    return lines


class DocHeader(Static):
    """Static header; redrawn whenever the document or the script changes."""

    plain = ""
    document: Document | None = None
    script: Script = "orig"

    def on_mount(self) -> None:
        self.script = follow_script(self, self._script_changed)

    def _script_changed(self, script: Script) -> None:
        self.script = script
        if self.document is not None:
            self.show_document(self.document)

    def show_document(self, doc: Document | None) -> None:
        self.document = doc
        lines = header_lines(doc, self.script)
        self.plain = "\n".join(line.plain for line in lines)
        self.update(Group(*lines))
