"""The partnership map: a province × province matrix of meeting counts, shaded by how many, with a cursor.

Rows and columns are the provinces that met anyone, by their one-character names (甘 青 川 滇 藏); a cell
is four cells wide (` 12 `, ` 3k `), so 19 columns fit beside the labels at 80 columns and the map
scrolls to keep the cursor in view on a smaller terminal or with more provinces. The shade is by the
logarithm of the count (a few pairs meet thousands of times, most a handful); the number is always
written, so the map reads without colour too (NO_COLOR).
"""

from __future__ import annotations

import math
from typing import ClassVar

from rich.color import Color
from rich.style import Style
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.reactive import reactive
from textual.widget import Widget

from store import Script, province_short, render
from tui.messages import PairChosen, PairHighlighted

CELL = 4  # cells per column
LABEL = 3  # the row labels' column: a Hanzi and a space
SHADES = [
    Color.from_rgb(r, g, b)
    for r, g, b in ((40, 52, 70), (32, 86, 110), (28, 120, 130), (60, 150, 110), (200, 160, 40))
]


def short_count(count: int) -> str:
    """A count in at most three characters: 7, 42, 999, 3k, 12k, 99k+."""
    if count < 1000:
        return str(count)
    if count < 100_000:
        return f"{count // 1000}k"
    return "++"


class HeatMap(Widget, can_focus=True):
    """The matrix; arrows or h j k l move, Enter lists the cell's meetings."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "move(0, -1)", "Up", show=False),
        Binding("down,j", "move(0, 1)", "Down", show=False),
        Binding("left,h", "move(-1, 0)", "Left", show=False),
        Binding("right,l", "move(1, 0)", "Right", show=False),
        Binding("home,g", "corner", "First", show=False),
        Binding("enter", "choose", "Meetings"),
    ]
    DEFAULT_CSS = """
    HeatMap { height: 1fr; }
    """

    cursor: reactive[tuple[int, int]] = reactive((0, 0))

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.provinces: list[str] = []
        self.counts: dict[frozenset[str], int] = {}
        self.script: Script = "orig"
        self.top = self.left = 0  # the first row and column in view

    def show_counts(self, provinces: list[str], counts: dict[frozenset[str], int], script: Script) -> None:
        """Fill the map, the cursor on the pair that met most (below the diagonal)."""
        self.provinces, self.counts, self.script = provinces, counts, script
        if counts:
            a, b = sorted(max(counts, key=lambda k: counts[k]), key=provinces.index)
            self.cursor = (provinces.index(a), provinces.index(b))
        else:
            self.cursor = (0, 0)
        self.refresh()

    def set_script(self, script: Script) -> None:
        self.script = script
        self.refresh()

    def pair(self) -> tuple[str, str] | None:
        if not self.provinces:
            return None
        low, high = sorted(self.cursor)  # either side of the diagonal: the same pair, in province order
        return (self.provinces[low], self.provinces[high])

    def count(self, a: str, b: str) -> int:
        return self.counts.get(frozenset((a, b)), 0) if a != b else 0

    def watch_cursor(self) -> None:
        if (pair := self.pair()) is not None:
            self.post_message(PairHighlighted(pair))
        self.refresh()

    def action_move(self, dx: int, dy: int) -> None:
        last = len(self.provinces) - 1
        col, row = self.cursor
        self.cursor = (min(max(col + dx, 0), last), min(max(row + dy, 0), last))

    def action_corner(self) -> None:
        self.cursor = (0, 0)

    def action_choose(self) -> None:
        if (pair := self.pair()) is not None and pair[0] != pair[1]:
            self.post_message(PairChosen(pair))

    def _visible(self) -> tuple[int, int]:
        """Columns and rows in view; the window scrolls so that the cursor is inside it."""
        columns = max(1, (self.size.width - LABEL) // CELL)
        rows = max(1, self.size.height - 1)
        col, row = self.cursor
        self.left = min(max(self.left, col - columns + 1), col)
        self.top = min(max(self.top, row - rows + 1), row)
        return columns, rows

    def render(self) -> Text:
        if not self.provinces:
            return Text("no two provinces met in this store", style="dim")
        columns, rows = self._visible()
        names = [render(province_short(p), self.script) for p in self.provinces]
        peak = max(self.counts.values(), default=1)
        col_range = range(self.left, min(self.left + columns, len(names)))
        text = Text(no_wrap=True, overflow="crop")
        text.append(" " * LABEL)
        for c in col_range:
            style = "bold reverse" if c == self.cursor[0] else "bold"
            text.append(f" {names[c]} ", style=style)
        if self.left + columns < len(names):
            text.append("›", style="dim")
        for r in range(self.top, min(self.top + rows, len(names))):
            text.append("\n")
            text.append(f"{names[r]} ", style="bold reverse" if r == self.cursor[1] else "bold")
            for c in col_range:
                text.append(self._cell(r, c, peak))
        return text

    def _cell(self, row: int, col: int, peak: int) -> Text:
        here = (col, row) == self.cursor
        if row == col:
            return Text("  · ", style="reverse" if here else "dim")
        count = self.count(self.provinces[row], self.provinces[col])
        if count == 0:
            return Text("  . ", style="reverse" if here else "dim")
        shade = SHADES[min(len(SHADES) - 1, int(len(SHADES) * math.log1p(count) / math.log1p(peak + 1)))]
        style = Style(bgcolor=shade, color="white", bold=here, reverse=here)
        return Text(f"{short_count(count):>3} ", style=style)
