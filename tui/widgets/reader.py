"""The reading pane: a document's text wrapped for CJK, every search hit highlighted, marks in a gutter.

A line-API `ScrollView` (as in Textualize/toolong): only visible lines are rendered, so a long report
scrolls as fast as a short one. The text it is given is already in the script the user chose; hits are
character offsets into the cleaned text and stay on the right characters because t2s/s2t keep
positions. The right-most column is a gutter that maps the whole document onto the pane's height and
marks where the hits are, like marks on a scrollbar.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from typing import ClassVar

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import NULL_STYLE, Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from store import Span, terminal_safe
from tui.wrap import wrap_text

GUTTER = 1
MARK = "▐"


def visible(text: str) -> str:
    """The text with every character that must not reach a terminal replaced by one safe character, so
    that hit offsets still line up (store.terminal_safe decides what is unsafe, for every output)."""
    return terminal_safe(text, same_length=True)


class Reader(ScrollView, can_focus=True):
    """Wrapped text with a cursor line, highlighted hits and a gutter of hit marks."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "reader--hit",
        "reader--current-hit",
        "reader--cursor",
        "reader--mark",
        "reader--current-mark",
        "reader--found",
        "reader--added",
        "reader--carried",
        "reader--added-mark",
    }
    DEFAULT_CSS = """
    Reader {
        overflow-x: hidden;
        & > .reader--hit { background: $warning 40%; color: $text; }
        & > .reader--current-hit { background: $warning; color: $background; text-style: bold; }
        & > .reader--cursor { background: $boost; }
        /* Blue, not $accent: in the default theme $accent is the same orange as $warning, and on a
           256-colour terminal (tmux, most SSH sessions) the cursor line swallowed the hits on it. */
        &:focus > .reader--cursor { background: $primary 35%; }
        & > .reader--mark { color: $warning 70%; }
        & > .reader--current-mark { color: $warning; }
        /* Matches of a find in this meeting: underlined, so they differ from search hits at any depth. */
        & > .reader--found { background: $success 35%; text-style: underline; }
        /* `a`: what this report adds to its meeting stands out, what another report has too is faint. */
        & > .reader--added { color: $text; text-style: bold; }
        & > .reader--carried { color: $text-disabled; }
        & > .reader--added-mark { color: $text; }
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "cursor_up", "Up", show=False),
        Binding("down,j", "cursor_down", "Down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("pagedown,space", "page_down", "Page down", show=False),
        Binding("g,home", "top", "Top", show=False),
        Binding("G,end", "bottom", "Bottom", show=False),
    ]

    cursor_line: reactive[int] = reactive(0, always_update=True)

    def __init__(
        self,
        *,
        escaped: bool = False,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.escaped = escaped  # a pane without hits (the original text) shows controls as `cat -v` does
        self.text = ""
        self.hits: list[Span] = []
        self.current_hit: int | None = None
        self.found: list[Span] = []  # matches of a find in this text (`/` in the reader)
        self.current_found: int | None = None
        self.added: list[Span] | None = None  # `a`: the sentences only this report has; None: not shown
        self.lines: list[tuple[int, int]] = []
        self._line_starts: list[int] = []
        self._wrapped_width = 0

    # -- content ---------------------------------------------------------------------------------

    def show_text(self, text: str, hits: Sequence[Span] = (), current_hit: int | None = None) -> None:
        """Replace the text; the cursor goes back to the top."""
        self.text = self._safe(text)
        self.hits = sorted(hits, key=lambda h: (h.start, h.end))
        self.current_hit = current_hit
        self._wrapped_width = 0
        self._rewrap()
        self.cursor_line = 0
        self.scroll_to(y=0, animate=False)

    def replace_text(self, text: str) -> None:
        """Same offsets, another script: keep the position, hits and cursor."""
        self.text = self._safe(text)
        self._wrapped_width = 0
        self._rewrap()
        self.refresh()

    def _safe(self, text: str) -> str:
        return terminal_safe(text) if self.escaped else visible(text)

    def set_hits(self, hits: Sequence[Span], current_hit: int | None = None) -> None:
        ordered = sorted(hits, key=lambda h: (h.start, h.end))
        if ordered == self.hits and current_hit == self.current_hit:
            return  # each keystroke's answer sets them: only a change is drawn again
        self.hits, self.current_hit = ordered, current_hit
        self.refresh()

    def set_found(self, found: Sequence[Span], current: int | None = None) -> None:
        """Mark a find's matches; `current` is drawn as the current hit is and brought into view."""
        self.found = list(found)
        self.current_found = current
        if current is not None and 0 <= current < len(self.found):
            self.go_to_offset(self.found[current].start)
        self.refresh()

    def set_added(self, added: Sequence[Span] | None) -> None:
        """Mark the sentences this report adds to its meeting and fade the rest; None shows all alike."""
        self.added = sorted(added, key=lambda s: s.start) if added is not None else None
        self.refresh()

    @property
    def text_width(self) -> int:
        """Cells available for text: the pane less the mark gutter."""
        return max(self.scrollable_content_region.width - GUTTER, 2)

    def _rewrap(self) -> None:
        width = self.text_width
        if width == self._wrapped_width and self.lines:
            return
        self._wrapped_width = width
        self.lines = wrap_text(self.text, width)
        self._line_starts = [start for start, _ in self.lines]
        self.virtual_size = Size(width + GUTTER, len(self.lines))
        self.cursor_line = min(self.cursor_line, max(len(self.lines) - 1, 0))

    def on_resize(self, event: events.Resize) -> None:
        offset = self.lines[self.cursor_line][0] if self.lines else 0
        self._rewrap()
        self.go_to_offset(offset, center=False)

    # -- positions -------------------------------------------------------------------------------

    def line_of(self, offset: int) -> int:
        """The display line holding a character offset."""
        if not self._line_starts:
            return 0
        return max(bisect_right(self._line_starts, offset) - 1, 0)

    def go_to_offset(self, offset: int, *, center: bool = True) -> None:
        """Put the cursor on the line holding `offset` and scroll it into view."""
        line = self.line_of(offset)
        self.cursor_line = line
        if center:
            self.scroll_to(y=max(line - self.scrollable_content_region.height // 2, 0), animate=False)

    def go_to_hit(self, index: int) -> None:
        self.current_hit = index
        if 0 <= index < len(self.hits):
            self.go_to_offset(self.hits[index].start)
        self.refresh()

    def passage_at_cursor(self) -> tuple[int, int]:
        """The paragraph under the cursor, as offsets into the text."""
        if not self.lines:
            return (0, 0)
        start, _ = self.lines[self.cursor_line]
        begin = self.text.rfind("\n", 0, start) + 1
        end = self.text.find("\n", start)
        return (begin, len(self.text) if end < 0 else end)

    # -- cursor ----------------------------------------------------------------------------------

    def validate_cursor_line(self, value: int) -> int:
        return min(max(value, 0), max(len(self.lines) - 1, 0))

    def watch_cursor_line(self, line: int) -> None:
        height = self.scrollable_content_region.height
        if line < self.scroll_y:
            self.scroll_to(y=line, animate=False)
        elif height and line >= self.scroll_y + height:
            self.scroll_to(y=line - height + 1, animate=False)
        self.refresh()

    def action_cursor_up(self) -> None:
        self.cursor_line -= 1

    def action_cursor_down(self) -> None:
        self.cursor_line += 1

    def action_page_up(self) -> None:
        page = max(self.scrollable_content_region.height - 1, 1)
        self.scroll_to(y=max(self.scroll_y - page, 0), animate=False)
        self.cursor_line -= page

    def action_page_down(self) -> None:
        page = max(self.scrollable_content_region.height - 1, 1)
        self.scroll_to(y=self.scroll_y + page, animate=False)
        self.cursor_line += page

    def action_top(self) -> None:
        self.cursor_line = 0

    def action_bottom(self) -> None:
        self.cursor_line = len(self.lines) - 1

    def on_click(self, event: events.Click) -> None:
        self.cursor_line = int(self.scroll_y) + event.y

    # -- drawing ---------------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        index = int(self.scroll_y) + y
        base = self.rich_style
        if index >= len(self.lines):
            body = Strip.blank(width - GUTTER, base)
        else:
            body = self._render_text_line(index, base, width - GUTTER)
        return Strip.join([body, self._render_mark(y, base)])

    def _render_text_line(self, index: int, base: Style, width: int) -> Strip:
        start, end = self.lines[index]
        line = Text(self.text[start:end], style=base, no_wrap=True, end="")
        if self.added is not None:
            self._stylize_added(line, start, end)
        if index == self.cursor_line:
            line.stylize(self.get_component_rich_style("reader--cursor"))
        hit_style = self.get_component_rich_style("reader--hit")
        current_style = self.get_component_rich_style("reader--current-hit")
        for number, hit in enumerate(self.hits):
            if hit.start >= end:
                break
            if hit.end <= start:
                continue
            style = current_style if number == self.current_hit else hit_style
            line.stylize(style, max(hit.start, start) - start, min(hit.end, end) - start)
        if self.found:
            found_style = self.get_component_rich_style("reader--found")
            for number, match in enumerate(self.found):
                if match.start >= end:
                    break
                if match.end > start:
                    style = current_style if number == self.current_found else found_style
                    line.stylize(style, max(match.start, start) - start, min(match.end, end) - start)
        # Rich leaves a segment's style None where the text has no style at all; Textual's NO_COLOR
        # filter reads every segment's colour, so each one carries a Style, empty or not.
        segments = [Segment(s.text, s.style or NULL_STYLE, s.control) for s in line.render(self.app.console)]
        strip = Strip(segments, cell_len(line.plain))
        if index == self.cursor_line:
            return strip.extend_cell_length(width, base + self.get_component_rich_style("reader--cursor"))
        return strip.crop_extend(0, width, base)

    def _stylize_added(self, line: Text, start: int, end: int) -> None:
        """The line faint, but for the parts of it in a sentence only this report has."""
        line.stylize(self.get_component_rich_style("reader--carried"))
        added_style = self.get_component_rich_style("reader--added")
        for span in self.added or ():
            if span.start >= end:
                break
            if span.end > start:
                line.stylize(added_style, max(span.start, start) - start, min(span.end, end) - start)

    def _render_mark(self, y: int, base: Style) -> Strip:
        """The gutter cell for row y: the whole document mapped onto the pane's height."""
        height = max(self.scrollable_content_region.height, 1)
        total = len(self.lines)
        if not self.hits and self.added and total:
            return self._render_added_mark(y, base, height, total)
        if not self.hits or not total:
            return Strip([Segment(" " * GUTTER, base)], GUTTER)
        first = y * total // height
        last = max((y + 1) * total // height, first + 1)
        if first >= total:
            return Strip([Segment(" " * GUTTER, base)], GUTTER)
        low, high = self.lines[first][0], self.lines[min(last, total) - 1][1]
        marked = [i for i, h in enumerate(self.hits) if low <= h.start < high or (h.start == high == low)]
        if not marked:
            return Strip([Segment(" " * GUTTER, base)], GUTTER)
        name = "reader--current-mark" if self.current_hit in marked else "reader--mark"
        return Strip([Segment(MARK, base + self.get_component_rich_style(name))], GUTTER)

    def _render_added_mark(self, y: int, base: Style, height: int, total: int) -> Strip:
        """With `a` on and no hits to mark, the gutter marks where the sentences this report adds are."""
        first = y * total // height
        last = max((y + 1) * total // height, first + 1)
        if first < total:
            low, high = self.lines[first][0], self.lines[min(last, total) - 1][1]
            if any(s.start < high and s.end > low for s in self.added or ()):
                style = base + self.get_component_rich_style("reader--added-mark")
                return Strip([Segment(MARK, style)], GUTTER)
        return Strip([Segment(" " * GUTTER, base)], GUTTER)
