"""Find in the open meeting, as `/` does in less: a one-line bar, every match marked, n/N between them.

Matching folds both sides to Simplified (t2s keeps every position), so `团结` finds 團結 in a Traditional
report and the marks land on the characters shown in whichever script is chosen.
"""

from __future__ import annotations

from bisect import bisect_left
from typing import ClassVar

from textual import events
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Input

from store import Span, fold

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
    """Shown in the search bar's row while finding; Enter goes back to the text, Esc closes."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "submit", "Go to match"),
        # `/` in the text finds in the text; Tab turns what was typed into a search of every meeting.
        Binding("tab", "search_everywhere", "Search all meetings"),
    ]

    class SearchEverywhere(Message):
        """Tab: search the corpus for what the find bar holds."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    def action_search_everywhere(self) -> None:
        self.post_message(self.SearchEverywhere(self.value))

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(placeholder=PLACEHOLDER, id=id)
        self.back_to: Widget | None = None  # what Enter gives the focus to (the text being read)

    async def action_submit(self) -> None:
        """Enter: the focus goes back to the text at once."""
        await super().action_submit()
        if self.back_to is not None:
            self.screen.set_focus(self.back_to)

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
