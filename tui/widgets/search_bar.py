"""The search bar: an Input that walks the search history with ↑/↓, as a shell does."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.widgets import Input

PLACEHOLDER = '/ 搜索 search: 团结  團結  hemoubao  "phrase"  -not  province:西藏'


class SearchBar(Input):
    """Typing searches as you go; ↑/↓ recall earlier queries (most recent first)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "submit", "Open best hit"),
        Binding("up", "history(-1)", "History", key_display="↑↓"),
        Binding("down", "history(1)", "Later query", show=False),
    ]

    def __init__(self, history: list[str], *, id: str | None = None) -> None:
        super().__init__(placeholder=PLACEHOLDER, id=id)
        self.history = history
        self._position: int | None = None
        self._draft = ""

    def action_history(self, step: int) -> None:
        """Move through the history; stepping past the newest entry brings back what was being typed."""
        if not self.history:
            return
        if self._position is None:
            if step > 0:
                return
            self._draft = self.value
            position = len(self.history) - 1
        else:
            position = self._position + step
        if position < 0:
            return
        if position >= len(self.history):
            self._position = None
            self.value = self._draft
        else:
            self._position = position
            self.value = self.history[position]
        self.cursor_position = len(self.value)

    def forget_position(self) -> None:
        """After a query is run or cleared, ↑ starts again from the newest entry."""
        self._position = None
