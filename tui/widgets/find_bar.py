"""Find in the open meeting, as `/` does in less: a one-line bar, every match marked, n/N between them.

Matching folds both sides to Simplified (t2s keeps every position), so `团结` finds 團結 in a Traditional
report and the marks land on the characters shown in whichever script is chosen.
"""

from __future__ import annotations

from bisect import bisect_left
from typing import ClassVar

from textual import events, on
from textual.binding import Binding, BindingType
from textual.widgets import Input

from store import Span, fold
from tui.messages import FindMarked, FindToggled
from tui.state import step_round
from tui.widgets.reader import Reader

PLACEHOLDER = "在本文查找 find in this meeting — enter: go, n N: next, tab: search all meetings"


def find_all(text: str, query: str) -> list[Span]:
    """Every occurrence of `query` in `text`, in either script, case-insensitive, not overlapping."""
    needle = fold(query).casefold()
    if not needle:
        return []
    haystack = fold(text).casefold()
    if len(haystack) != len(text):  # casefold can lengthen (ß → ss): fall back to folding alone
        haystack, needle = fold(text), fold(query)
    found, start = [], haystack.find(needle)
    while start >= 0:
        found.append(Span(start, start + len(needle)))
        start = haystack.find(needle, start + len(needle))
    return found


def first_from(found: list[Span], offset: int) -> int:
    """The match at or after `offset`, wrapping to the first."""
    index = bisect_left(found, offset, key=lambda span: span.start)
    return index if index < len(found) else 0


class FindBar(Input):
    """Shown in the search bar's row while finding; Enter goes back to the text, Esc closes.

    The bar owns the find: its value is the find (kept after Enter, so n/N step through the matches,
    and carried to the next meeting opened), and it marks the matches in the reader it finds in.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "submit", "Go to match"),
        # `/` in the text finds in the text; Tab turns what was typed into a search of every meeting.
        Binding("tab", "search_everywhere", "Search all meetings"),
    ]

    def __init__(self, search_bar: Input, *, id: str | None = None) -> None:
        super().__init__(placeholder=PLACEHOLDER, id=id)
        self.search_bar = search_bar  # the bar whose place this one takes while finding
        self.reader: Reader | None = None  # the text being read: finding marks it, Enter goes back to it
        self._from = 0  # the offset finding starts from: the reader's cursor when the bar opened

    def open(self, reader: Reader) -> None:
        """Take the search bar's place, finding in `reader` from its cursor."""
        self.reader = reader
        self._from = reader.lines[reader.cursor_line][0] if reader.lines else 0
        self.search_bar.display = False
        self.display = True
        self.screen.set_focus(self)
        self.post_message(FindToggled())

    def _hide(self) -> None:
        self.display = False
        self.search_bar.display = True
        self.post_message(FindToggled())

    def close(self) -> bool:
        """Esc: hide the bar and unmark its matches; False when no find was open."""
        if not (self.display or self.value):
            return False
        had_focus = self.has_focus
        self._hide()
        self.clear()
        if had_focus and self.reader is not None:
            self.screen.set_focus(self.reader)
        return True

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        if self.reader is not None:
            found = find_all(self.reader.text, self.value) if self.value else []
            self.reader.set_found(found, first_from(found, self._from) if found else None)
        self.post_message(FindMarked())

    def mark(self, reader: Reader) -> None:
        """The find carries over to the next meeting, as less's does to the next file."""
        if self.value:
            reader.set_found(find_all(reader.text, self.value))

    def step(self, step: int) -> str:
        """n/N: the next/previous match, round at the ends; what the status line should say."""
        reader = self.reader
        if reader is None or not reader.found:
            return f"没有找到 not found: {self.value}"
        now = reader.current_found if reader.current_found is not None else -1
        target = step_round(len(reader.found), now, step)
        reader.set_found(reader.found, target.index)
        return "从头继续 wrapped around" if target.wrapped else ""

    def clear(self) -> None:
        self.value = ""
        if self.reader is not None:
            self.reader.set_found([])
        self.post_message(FindMarked())

    async def action_submit(self) -> None:
        """Enter: the bar goes, the focus goes back to the text at once (n typed right after Enter is
        a command, not a character of the find)."""
        await super().action_submit()
        self._hide()
        if self.reader is not None:
            self.screen.set_focus(self.reader)

    def action_search_everywhere(self) -> None:
        """Tab: what was typed becomes a search of every meeting."""
        text = self.value
        self.close()
        bar = self.search_bar
        self.screen.set_focus(bar)
        if text:
            bar.value = text
            bar.cursor_position = len(text)

    async def _on_key(self, event: events.Key) -> None:
        """Keys reach this bar's own queue as they arrive, so `n` typed right after Enter is already
        waiting here when Enter moves the focus: Enter is handled here, at once, and a key that finds
        the focus gone is passed on to where the focus is (n steps to the next match)."""
        focused = self.screen.focused
        if focused is not None and focused is not self:
            event.stop()
            event.prevent_default()
            focused.post_message(events.Key(event.key, event.character))
            return
        if event.key == "enter":
            event.stop()
            event.prevent_default()
            await self.action_submit()
            return
        await super()._on_key(event)
