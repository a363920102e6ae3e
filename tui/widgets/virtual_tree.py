"""A tree drawn from the flat list of its visible lines (`VirtualList`'s line API), for the meetings tree
of a big store. Textual's Tree made a node object per line and rebuilt its table of lines, measuring
every label, each time a search narrowed it (every keystroke); here a line is made when its branch is
first opened, its label when it is first drawn, and narrowing is assigning a new list of lines.

It draws what Textual's Tree draws (guides, ▶/▼, the same component classes and stylesheet), and takes
the same keys: ↑/↓, page up/down, home/end, Enter (select; a branch also opens or closes), space
(open/close), shift+space (open/close a branch's siblings), shift+arrows (parent and siblings).
Subclasses say what a line's label is (`make_label`), what is below it (`children_of`), and what to do
when the cursor lands on a line (`highlighted`) or it is chosen (`chosen`).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import ClassVar, Generic, TypeVar

from rich.style import Style
from rich.text import Text
from textual import events
from textual._segment_tools import line_pad
from textual.binding import Binding, BindingType
from textual.geometry import Region
from textual.reactive import var
from textual.strip import Strip

from tui.widgets.virtual_list import VirtualList

Data = TypeVar("Data")
TOGGLE_STYLE = Style.from_meta({"toggle": True})
# Textual's Tree.LINES at guide depth 2: space, vertical, corner, cross
GUIDES = {
    "default": ("  ", "│ ", "└ ", "├ "),
    "bold": ("  ", "┃ ", "┗ ", "┣ "),
    "double": ("  ", "║ ", "╚ ", "╠ "),
}
NO_GUIDES = ("  ", "  ", "  ", "  ")


@dataclass(eq=False)
class TreeLine(Generic[Data]):
    """One line of the tree: what it shows, where it hangs, whether it is open. Compared by identity."""

    data: Data
    parent: TreeLine[Data] | None
    depth: int
    last: bool  # the last of its siblings: its guide turns the corner
    above: Data | None  # the sibling on the line above, or None for the first
    expandable: bool
    expanded: bool = False
    children: list[TreeLine[Data]] | None = None  # made when the branch is first opened
    label: Text | None = None  # made when the line is first drawn

    def path(self) -> list[TreeLine[Data]]:
        """The lines from the top of the tree down to this one."""
        path: list[TreeLine[Data]] = []
        line: TreeLine[Data] | None = self
        while line is not None:
            path.append(line)
            line = line.parent
        path.reverse()
        return path


@dataclass(frozen=True)
class ComponentStyles:
    """The styles a line is drawn in, looked up once per drawing."""

    base: Style
    hidden: tuple[bool, bool, bool]  # guides drawn transparent: plain, under the mouse, under the cursor
    guides: tuple[Style, Style, Style]
    highlight_line: Style
    label: Style
    highlight: Style
    cursor: Style


class VirtualTree(VirtualList[TreeLine[Data]], Generic[Data]):
    ICON_NODE = "▶ "
    ICON_NODE_EXPANDED = "▼ "
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "move(-1)", "Up", show=False),
        Binding("down", "move(1)", "Down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("home", "edge(-1)", "First", show=False),
        Binding("end", "edge(1)", "Last", show=False),
        Binding("enter", "choose", "Select", show=False),
        Binding("space", "toggle", "Toggle", show=False),
        Binding("shift+space", "toggle_siblings", "Expand or collapse all", show=False),
        Binding("shift+left", "parent", "Cursor to parent", show=False),
        Binding("shift+right", "parent_next_sibling", "Cursor to next ancestor", show=False),
        Binding("shift+up", "sibling(-1)", "Cursor to previous sibling", show=False),
        Binding("shift+down", "sibling(1)", "Cursor to next sibling", show=False),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "tree--cursor",
        "tree--guides",
        "tree--guides-hover",
        "tree--guides-selected",
        "tree--highlight",
        "tree--highlight-line",
        "tree--label",
    }
    # Textual's Tree stylesheet, so the tree looks as it did.
    DEFAULT_CSS = """
    VirtualTree {
        background: $surface;
        color: $foreground;
        & > .tree--label {}
        & > .tree--guides { color: $surface-lighten-2; }
        & > .tree--guides-hover { color: $surface-lighten-2; }
        & > .tree--guides-selected { color: $block-cursor-blurred-background; }
        & > .tree--cursor {
            text-style: $block-cursor-blurred-text-style;
            background: $block-cursor-blurred-background;
        }
        & > .tree--highlight {}
        & > .tree--highlight-line { background: $block-hover-background; }
        &:focus {
            background-tint: $foreground 5%;
            & > .tree--cursor {
                color: $block-cursor-foreground;
                background: $block-cursor-background;
                text-style: $block-cursor-text-style;
            }
            & > .tree--guides { color: $surface-lighten-3; }
            & > .tree--guides-hover { color: $surface-lighten-3; }
            & > .tree--guides-selected { color: $block-cursor-background; }
        }
        &:light {
            & > .tree--guides { color: $surface-darken-1; }
            & > .tree--guides-hover { color: $block-cursor-background; }
            & > .tree--guides-selected { color: $block-cursor-background; }
        }
    }
    VirtualTree:ansi {
        color: ansi_default;
        & > .tree--guides { color: $ansi-background; }
        &:nocolor > .tree--cursor { text-style: reverse; }
    }
    """

    hover_line: var[int] = var(-1)

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.top: list[TreeLine[Data]] = []
        self._highlighted: TreeLine[Data] | None = None
        self._drawn_in: ComponentStyles | None = None

    # -- what subclasses say ---------------------------------------------------------------------

    def make_label(self, line: TreeLine[Data]) -> Text:
        return Text(str(line.data))

    def children_of(self, data: Data) -> list[Data]:
        return []

    def has_children(self, data: Data) -> bool:
        """Whether a line can open (without making what is below it, where that costs)."""
        return bool(self.children_of(data))

    def highlighted(self, line: TreeLine[Data]) -> None:
        """The cursor came onto another line."""

    # -- lines -----------------------------------------------------------------------------------

    def make_lines(self, items: list[Data], parent: TreeLine[Data] | None) -> list[TreeLine[Data]]:
        depth = 0 if parent is None else parent.depth + 1
        lines, above, final = [], None, len(items) - 1
        for at, item in enumerate(items):
            lines.append(TreeLine(item, parent, depth, at == final, above, self.has_children(item)))
            above = item
        return lines

    def show_lines(self, top: list[TreeLine[Data]], cursor: int = 0) -> None:
        """Show these lines (their open branches too), the cursor on line `cursor`."""
        self.top = top
        self.set_rows(list(visible(top)), cursor)

    def lines_below(self, line: TreeLine[Data]) -> list[TreeLine[Data]]:
        """A branch's lines, made the first time they are asked for."""
        if line.children is None:
            line.children = self.make_lines(self.children_of(line.data), line) if line.expandable else []
        return line.children

    def open_line(self, line: TreeLine[Data]) -> None:
        """Mark a branch open, making its lines the first time (the visible list is not redone)."""
        self.lines_below(line)
        line.expanded = line.expandable

    def expand(self, line: TreeLine[Data]) -> None:
        if line.expandable and not line.expanded:
            self.open_line(line)
            self._reflow(line)

    def collapse(self, line: TreeLine[Data]) -> None:
        if line.expanded:
            line.expanded = False
            self._reflow(line)

    def toggle(self, line: TreeLine[Data]) -> None:
        (self.collapse if line.expanded else self.expand)(line)

    def expand_all(self, line: TreeLine[Data]) -> None:
        """Open a branch and every branch below it."""
        stack = [line]
        while stack:
            here = stack.pop()
            self.open_line(here)
            stack.extend(here.children or ())
        self.relist()

    def relist(self) -> None:
        """Redo the visible list after branches were opened or closed; the cursor stays on its line."""
        at = self.current()
        self.rows = list(visible(self.top))
        self._resize_rows()
        while at is not None and not self._put_cursor(at):
            at = at.parent  # its branch was closed: the cursor goes to the nearest line still shown

    def _reflow(self, line: TreeLine[Data]) -> None:
        """Splice the lines below `line` in or out of the visible list (it was opened or closed)."""
        try:
            index = self.rows.index(line)
        except ValueError:
            return  # not shown: its parent is closed
        end = index + 1
        while end < len(self.rows) and self.rows[end].depth > line.depth:
            end += 1
        below = list(visible(line.children or ())) if line.expanded else []
        cursor = self.cursor
        self.rows[index + 1 : end] = below
        self._resize_rows()
        if cursor >= end:
            self._set_cursor(cursor + len(below) - (end - index - 1))
        elif cursor > index:
            self._set_cursor(index)  # its line was hidden: the cursor goes to the branch
        else:
            self.refresh()

    def _resize_rows(self) -> None:
        self.virtual_size = self.virtual_size.with_height(len(self.rows))
        self.refresh()

    def _set_cursor(self, index: int) -> None:
        self.cursor = min(max(index, 0), max(len(self.rows) - 1, 0))

    def _put_cursor(self, line: TreeLine[Data]) -> bool:
        try:
            self._set_cursor(self.rows.index(line))
        except ValueError:
            return False
        return True

    def move_to(self, line: TreeLine[Data]) -> bool:
        """Open the branches down to a line and put the cursor on it."""
        shut = [above for above in line.path()[:-1] if not above.expanded]
        for above in shut:
            self.open_line(above)
        if shut:
            self.relist()
        return self._put_cursor(line)

    # -- cursor ----------------------------------------------------------------------------------

    def watch_cursor(self, cursor: int) -> None:
        super().watch_cursor(cursor)
        line = self.current()
        if line is not self._highlighted:
            self._highlighted = line
            if line is not None:
                self.highlighted(line)

    def on_resize(self, event: events.Resize) -> None:  # VirtualList's runs too
        self.call_after_refresh(self._show_cursor)

    def _show_cursor(self) -> None:
        """Scroll the cursor into view (it may have been put there before the tree had a size)."""
        height = self.scrollable_content_region.height
        if height and not self.scroll_y <= self.cursor < self.scroll_y + height:
            self.scroll_to(y=max(self.cursor - height + 1, 0), animate=False)

    def action_choose(self) -> None:
        """Enter: the line is chosen; a branch also opens or closes (as Textual's Tree does)."""
        if (line := self.current()) is not None:
            self.chosen(line)
            self.toggle(line)

    def action_toggle(self) -> None:
        if (line := self.current()) is not None:
            self.toggle(line)

    def action_toggle_siblings(self) -> None:
        """Open every branch beside the cursor's, or close them all if any is open."""
        if (line := self.current()) is None:
            return
        siblings = [s for s in self._siblings(line) if s.expandable]
        opening = not any(s.expanded for s in siblings)
        for sibling in siblings:
            if opening:
                self.open_line(sibling)
            else:
                sibling.expanded = False
        self.relist()

    def action_parent(self) -> None:
        if (line := self.current()) is not None and line.parent is not None:
            self._put_cursor(line.parent)

    def action_parent_next_sibling(self) -> None:
        line = self.current()
        if line is not None and line.parent is not None and (after := self._sibling(line.parent, 1)):
            self._put_cursor(after)

    def action_sibling(self, step: int) -> None:
        if (line := self.current()) is None:
            return
        target = self._sibling(line, step)
        if target is None:
            target = line.parent if step < 0 else (self._sibling(line.parent, 1) if line.parent else None)
        if target is not None:
            self._put_cursor(target)

    def _siblings(self, line: TreeLine[Data]) -> list[TreeLine[Data]]:
        return self.top if line.parent is None else (line.parent.children or [])

    def _sibling(self, line: TreeLine[Data], step: int) -> TreeLine[Data] | None:
        siblings = self._siblings(line)
        at = next(i for i, s in enumerate(siblings) if s is line) + step
        return siblings[at] if 0 <= at < len(siblings) else None

    # -- mouse -----------------------------------------------------------------------------------

    def on_click(self, event: events.Click) -> None:
        event.prevent_default()  # not VirtualList's: a click on the icon only opens or closes
        meta = event.style.meta
        index = meta["line"] if "line" in meta else int(self.scroll_y) + event.y
        if not 0 <= index < len(self.rows):
            return
        if meta.get("toggle", False):
            self.toggle(self.rows[index])
            return
        self.cursor = index
        self.action_choose()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        meta = event.style.meta
        self.hover_line = meta["line"] if meta and "line" in meta else -1

    def on_leave(self, event: events.Leave) -> None:
        self.hover_line = -1

    def watch_hover_line(self) -> None:
        self.refresh()

    # -- drawing ---------------------------------------------------------------------------------

    def label_of(self, line: TreeLine[Data]) -> Text:
        """The line's label, made the first time it is drawn or measured."""
        if line.label is None:
            label = self.make_label(line)
            line.label = label.split()[0] if "\n" in label.plain else label
        return line.label

    def forget_labels(self) -> None:
        """Labels are made again as their lines are drawn (the script changed)."""
        for line in every_line(self.top):
            line.label = None
        self.refresh()

    def render_lines(self, crop: Region) -> list[Strip]:
        self._drawn_in = None  # looked up once for all the lines drawn
        try:
            return super().render_lines(crop)
        finally:
            self._drawn_in = None

    def _look_up_styles(self) -> ComponentStyles:
        def rich(name: str, partial: bool = True) -> Style:
            return self.get_component_rich_style(name, partial=partial)

        base_guide = rich("tree--guides")
        self._drawn_in = ComponentStyles(
            base=self.rich_style,
            hidden=tuple(  # type: ignore[arg-type]
                self.get_component_styles(f"tree--{name}").color.a == 0
                for name in ("guides", "guides-hover", "guides-selected")
            ),
            guides=(
                base_guide,
                base_guide + rich("tree--guides-hover"),
                base_guide + rich("tree--guides-selected"),
            ),
            highlight_line=rich("tree--highlight-line", False),
            label=rich("tree--label"),
            highlight=rich("tree--highlight"),
            cursor=rich("tree--cursor", False),
        )
        return self._drawn_in

    def row_strip(self, index: int, width: int) -> Strip:
        """A line as Textual's Tree draws it: guides in their styles (brighter under the cursor's
        branch), the branch's icon, the label, padded to the width."""
        line = self.rows[index]
        path = line.path()
        hovered = self.rows[self.hover_line] if 0 <= self.hover_line < len(self.rows) else None
        under_cursor = self.current()
        focused = self.has_focus
        styles = self._drawn_in or self._look_up_styles()
        hidden_base, hidden_hover, hidden_selected = styles.hidden
        base_guide, hover_guide, selected_guide = styles.guides

        line_style = styles.base
        if hovered is not None and any(step is hovered for step in path):
            line_style = styles.highlight_line
        line_style += Style(meta={"line": index})

        guides = Text(style=line_style)
        hover, selected = path[0] is hovered, path[0] is under_cursor and focused
        guide_style, hidden = base_guide, True
        for step in path[1:]:
            hidden = hidden_base
            if hover:
                guide_style, hidden = hover_guide, hidden_hover
            if selected:
                guide_style, hidden = selected_guide, hidden_selected
            if step is not line:
                guides.append(guide_chars(guide_style, hidden)[0 if step.last else 1], style=guide_style)
            hover = hover or step is hovered
            selected = (selected or step is under_cursor) and focused
        if len(path) > 1:
            guides.append(guide_chars(guide_style, hidden)[2 if line.last else 3], style=guide_style)

        label_style = styles.label
        if self.hover_line == index:
            label_style += styles.highlight
        if line is under_cursor:
            label_style += styles.cursor
        label = self.label_of(line).copy()
        label.stylize(label_style)
        if line.expandable:
            icon = (self.ICON_NODE_EXPANDED if line.expanded else self.ICON_NODE, line_style + TOGGLE_STYLE)
        else:
            icon = ("", line_style)
        text = Text.assemble(icon, label)
        text.stylize(Style(meta={"node": index}))
        guides.append(text)
        segments = list(guides.render(self.app.console))
        segments = line_pad(segments, 0, max(width - guides.cell_len, 0), line_style)
        return Strip(segments).crop(0, width)


def guide_chars(style: Style, hidden: bool) -> tuple[str, str, str, str]:
    """Space, vertical, corner and cross for a guide in this style (bold and double underline pick
    heavier lines, as in Textual's Tree)."""
    if hidden:
        return NO_GUIDES
    if style.bold:
        return GUIDES["bold"]
    if style.underline2:
        return GUIDES["double"]
    return GUIDES["default"]


def visible(lines: list[TreeLine[Data]] | tuple[()]) -> Iterator[TreeLine[Data]]:
    """The lines shown, top to bottom: each line, then the lines of its open branch."""
    stack = list(reversed(lines))
    while stack:
        line = stack.pop()
        yield line
        if line.expanded and line.children:
            stack.extend(reversed(line.children))


def every_line(lines: list[TreeLine[Data]]) -> Iterator[TreeLine[Data]]:
    """Every line made so far, open or not."""
    stack = list(lines)
    while stack:
        line = stack.pop()
        yield line
        stack.extend(line.children or ())
