"""The reading panes: the cleaned text and, beside it when asked for (`o`), the original, in step.

They show the open meeting in the app's script and follow it when it changes, hits and cursor kept
(offsets hold in every script: see `store.script`).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Literal

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.reactive import reactive

from store import Document, Script, Span, render
from tui.align import corresponding
from tui.messages import Notice
from tui.state import readable
from tui.widgets.follow import follow_script
from tui.widgets.reader import Reader


@lru_cache(maxsize=64)
def rendered(text: str, script: Script) -> str:
    """A document's text in a script; cached because the same document is redrawn on every toggle."""
    return render(text, script)


class ReadingPanes(Horizontal):
    """`#reader` (the cleaned text, with hits) and `#raw` (the original, shown with `o`)."""

    show_raw: reactive[bool] = reactive(False)

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.document: Document | None = None
        self.script: Script = "orig"
        self._stepping = False

    def compose(self) -> ComposeResult:
        yield Reader(id="reader")
        yield Reader(id="raw", escaped=True)

    @property
    def reader(self) -> Reader:
        return self.query_one("#reader", Reader)

    @property
    def raw(self) -> Reader:
        return self.query_one("#raw", Reader)

    def on_mount(self) -> None:
        self.script = follow_script(self, self._script_changed)
        reader, raw = self.reader, self.raw
        raw.border_title = "原始 raw"
        self.watch(reader, "scroll_y", lambda: self._in_step(reader, raw), init=False)
        self.watch(raw, "scroll_y", lambda: self._in_step(raw, reader), init=False)

    def text_of(self, doc: Document, what: Literal["raw", "text"]) -> str:
        """The text in the script shown; a damaged one is a line saying so, and the status says it too."""
        text, error = readable(doc, what)
        if error is not None:
            self.post_message(Notice(error))
        return rendered(text, self.script)

    def show(self, doc: Document, hits: Sequence[Span], hit: int | None) -> None:
        """Open a document at the top, or at hit `hit`."""
        self.document = doc
        reader = self.reader
        reader.show_text(self.text_of(doc, "text"), hits, hit)
        if hit is not None:
            reader.go_to_hit(hit)
        if self.show_raw:
            self.raw.show_text(self.text_of(doc, "raw"))

    def watch_show_raw(self, show: bool) -> None:
        raw = self.raw
        raw.display = show
        if show and self.document is not None:
            raw.show_text(self.text_of(self.document, "raw"))

    def _script_changed(self, script: Script) -> None:
        self.script = script
        if self.document is not None:
            self.reader.replace_text(self.text_of(self.document, "text"))
            if self.show_raw:
                self.raw.replace_text(self.text_of(self.document, "raw"))

    def _in_step(self, moved: Reader, other: Reader) -> None:
        """The raw text beside the cleaned one scrolls with it: the line at the top of one shows the same
        passage as the line at the top of the other (`tui.align`); where that passage is not in the
        other text (a menu cleaning dropped), the same fraction of the way down."""
        if self._stepping or not self.show_raw or not moved.lines:
            return
        self._stepping = True
        try:
            top = moved.lines[min(int(moved.scroll_y), len(moved.lines) - 1)][0]
            there = corresponding(moved.text, other.text, top)
            if there is not None:
                y = other.line_of(there)
            else:
                fraction = moved.scroll_y / moved.max_scroll_y if moved.max_scroll_y else 0.0
                y = round(fraction * other.max_scroll_y)
            other.scroll_to(y=y, animate=False, immediate=True)
        finally:
            self._stepping = False
