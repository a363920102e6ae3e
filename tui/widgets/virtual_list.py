"""A list that draws only the rows in view (Textual's line API), for the views' long lists: a pair or a
person with thousands of meetings, the timeline of a 10k store. An OptionList of 10,000 options held the
event loop for seconds while it was filled; this one is filled by assigning a list.

Subclasses say what a row shows (`row_text`) and which rows the cursor may rest on (`selectable`);
Enter or a click on a row calls `chosen`.
"""

from __future__ import annotations

from typing import ClassVar, Generic, TypeVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

Row = TypeVar("Row")
NULL_STYLE = Style()


class VirtualList(ScrollView, Generic[Row], can_focus=True):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "move(-1)", "Up", show=False),
        Binding("down,j", "move(1)", "Down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown,space", "page(1)", "Page down", show=False),
        Binding("home,g", "edge(-1)", "First", show=False),
        Binding("end,G", "edge(1)", "Last", show=False),
        Binding("enter", "choose", "Open"),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {"virtual-list--cursor"}
    DEFAULT_CSS = """
    VirtualList { scrollbar-size-vertical: 1; overflow-x: hidden; }
    VirtualList > .virtual-list--cursor { background: $accent 40%; text-style: bold; }
    VirtualList:focus > .virtual-list--cursor { background: $accent; }
    """

    cursor: reactive[int] = reactive(0, always_update=True)

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.rows: list[Row] = []

    # -- what subclasses say ---------------------------------------------------------------------

    def row_text(self, row: Row) -> Text:
        return Text(str(row))

    def selectable(self, row: Row) -> bool:
        return True

    def chosen(self, row: Row) -> None:
        """Enter or a click on a selectable row."""

    # -- filling ---------------------------------------------------------------------------------

    def set_rows(self, rows: list[Row], cursor: int = 0) -> None:
        self.rows = rows
        self.virtual_size = Size(self.size.width, len(rows))
        self.cursor = self._nearest(cursor, 1)
        self.refresh()

    def current(self) -> Row | None:
        return self.rows[self.cursor] if 0 <= self.cursor < len(self.rows) else None

    def _nearest(self, index: int, step: int) -> int:
        """The selectable row at `index` or the next one in the direction `step` (else the other way)."""
        index = min(max(index, 0), max(len(self.rows) - 1, 0))
        for direction in (step, -step):
            at = index
            while 0 <= at < len(self.rows):
                if self.selectable(self.rows[at]):
                    return at
                at += direction
        return 0

    # -- cursor ----------------------------------------------------------------------------------

    def watch_cursor(self, cursor: int) -> None:
        height = self.scrollable_content_region.height
        if cursor < self.scroll_y:
            self.scroll_to(y=cursor, animate=False)
        elif height and cursor >= self.scroll_y + height:
            self.scroll_to(y=cursor - height + 1, animate=False)
        self.refresh()

    def action_move(self, step: int) -> None:
        at = self.cursor + step
        while 0 <= at < len(self.rows) and not self.selectable(self.rows[at]):
            at += step
        if 0 <= at < len(self.rows):
            self.cursor = at
        elif step < 0:
            self.scroll_to(y=0, animate=False)  # a heading above the first row: show it

    def action_page(self, direction: int) -> None:
        page = max(self.scrollable_content_region.height - 1, 1)
        self.cursor = self._nearest(self.cursor + direction * page, direction)

    def action_edge(self, direction: int) -> None:
        self.cursor = self._nearest(0 if direction < 0 else len(self.rows) - 1, -direction)
        if direction < 0:
            self.scroll_to(y=0, animate=False)

    def action_choose(self) -> None:
        if (row := self.current()) is not None and self.selectable(row):
            self.chosen(row)

    def on_click(self, event: events.Click) -> None:
        index = int(self.scroll_y) + event.y
        if 0 <= index < len(self.rows) and self.selectable(self.rows[index]):
            self.cursor = index
            self.chosen(self.rows[index])

    # -- drawing ---------------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        index = int(self.scroll_y) + y
        if index >= len(self.rows):
            return Strip.blank(width, self.rich_style)
        return self.row_strip(index, width)

    def row_strip(self, index: int, width: int) -> Strip:
        """Row `index` drawn `width` cells wide: its `row_text`, cut with an ellipsis (a subclass that
        draws more than text, such as the tree's guides, draws its rows itself)."""
        base = self.rich_style
        text = self.row_text(self.rows[index])
        text.end = ""
        text.truncate(width, overflow="ellipsis")
        if index == self.cursor:
            base = base + self.get_component_rich_style("virtual-list--cursor")
        # every segment carries a Style: Textual's NO_COLOR filter reads each one's colour
        segments = [Segment(s.text, base + (s.style or NULL_STYLE)) for s in text.render(self.app.console)]
        return Strip(segments).extend_cell_length(width, base).crop(0, width)

    def on_resize(self, event: events.Resize) -> None:
        self.virtual_size = Size(event.size.width, len(self.rows))
