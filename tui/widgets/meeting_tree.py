"""The province → prefecture → meeting tree, with counts, in the chosen script, narrowed by a search.

Children are added only when a node is first expanded, so a 10k-document store shows its first frame
as fast as the bundled one: the first frame holds only the provinces. A search narrows the tree to the
matching meetings with their hit counts; clearing it restores the full tree and the selection.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, ClassVar
from weakref import WeakKeyDictionary

from rich.cells import cell_len
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.widgets import Tree
from textual.widgets.tree import TreeNode as UINode

from store import UNPLACED, Script, render, terminal_safe
from tui.messages import MeetingHighlighted, MeetingSelected
from tui.widgets.follow import follow_script

if TYPE_CHECKING:
    from store import Document, Meeting, MeetingDate, SearchAnswer, TreeNode

# Expand every branch of a narrowed tree when it has at most this many meetings.
EXPAND_ALL_LIMIT = 60
TREE_MIN_WIDTH = 16  # cells: `< >` stop here, and leave the reading pane at least TEXT_MIN_WIDTH
TEXT_MIN_WIDTH = 30
TITLE = "会议 meetings"


@dataclass(frozen=True)
class Place:
    """One place a meeting sits in the full tree: the chain from its province down to it, and the
    positions along that chain among siblings, which sort places into the tree's own order."""

    chain: tuple[TreeNode, ...]
    order: tuple[int, ...]


def placements(roots: list[TreeNode]) -> dict[str, list[Place]]:
    """Every meeting's places, by document id (each of its reports), in tree order.

    Built once per full tree (a meeting sits under several places), so that narrowing to a
    search's results and revealing a meeting cost what the results cost, not what the tree costs.
    """
    places: dict[str, list[Place]] = {}
    stack: list[tuple[list[TreeNode], tuple[TreeNode, ...], tuple[int, ...]]] = [(roots, (), ())]
    while stack:
        nodes, chain, order = stack.pop()
        for position, node in enumerate(nodes):
            if node.kind == "meeting":
                place = Place((*chain, node), (*order, position))
                for doc_id in reports_of(node):
                    places.setdefault(doc_id, []).append(place)
            else:
                stack.append((node.children, (*chain, node), (*order, position)))
    for found in places.values():
        found.sort(key=lambda place: place.order)
    return places


def filter_tree(places: Mapping[str, list[Place]], hit_counts: Mapping[str, int]) -> list[TreeNode]:
    """A tree holding only the meetings in `hit_counts`, in the full tree's order; a meeting's count is
    its hits, a branch's count the distinct matching meetings below it."""
    chosen = sorted(
        (place for doc_id in hit_counts for place in places.get(doc_id, ())), key=lambda p: p.order
    )
    roots: list[TreeNode] = []
    copies: dict[int, tuple[TreeNode, set[str]]] = {}
    for place in chosen:
        siblings = roots
        *branches, meeting = place.chain
        for node in branches:
            if id(node) not in copies:
                copies[id(node)] = (replace(node, count=0, children=[]), set())
                siblings.append(copies[id(node)][0])
            copy, below = copies[id(node)]
            below.add(meeting.doc_id or "")
            copy.count = len(below)
            siblings = copy.children
        siblings.append(replace(meeting, count=hit_counts[meeting.doc_id or ""], children=[]))
    return roots


def compact_date(date: MeetingDate | None, year_above: int | None) -> str:
    """A meeting's date in few cells for the tree column: `12-28`, with the year (`2024-12-28`) only
    when it differs from the year of the row above (or there is none above). A date the report gives
    only in part shows that part: `2024`, `12-  `."""
    if date is None or not (date.year or date.month):
        return ""
    year = f"{date.year}-" if date.year and date.year != year_above else ""
    if not date.month:
        return f"{date.year}" if date.year else ""
    day = f"{date.day:02d}" if date.day else "  "
    return f"{year}{date.month:02d}-{day}"


def reports_of(node: TreeNode) -> list[str]:
    """A meeting node's reports (a tree made before meetings has only the one document)."""
    return list(getattr(node, "reports", None) or ([node.doc_id] if node.doc_id else []))


def rolled_up(places: Mapping[str, list[Place]], hits: Mapping[str, int]) -> dict[str, int]:
    """Hits by report, summed by the meeting node they sit in (keyed by the node's `doc_id`, the report
    `filter_tree` knows it by)."""
    counts: dict[str, int] = {}
    for doc_id, count in hits.items():
        found = places.get(doc_id)
        key = (found[0].chain[-1].doc_id if found else None) or doc_id
        counts[key] = counts.get(key, 0) + count
    return counts


def iter_meetings(nodes: list[TreeNode]) -> Iterator[TreeNode]:
    for node in nodes:
        if node.kind == "meeting":
            yield node
        else:
            yield from iter_meetings(node.children)


def path_to(nodes: list[TreeNode], doc_id: str) -> list[TreeNode] | None:
    """The first chain of nodes from a root down to the meeting `doc_id` (any report of it)."""
    for node in nodes:
        if node.kind == "meeting":
            if node.doc_id == doc_id or doc_id in reports_of(node):
                return [node]
        elif (below := path_to(node.children, doc_id)) is not None:
            return [node, *below]
    return None


class MeetingTree(Tree[Any]):
    """Lazily filled tree of `store.tree.TreeNode`s; labels follow the script, counts follow the search."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
        Binding("g", "scroll_home", "First", show=False),
        Binding("G", "scroll_end", "Last", show=False),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        # before Tree's own __init__, which measures the root's label
        self._widths: WeakKeyDictionary[UINode[Any], tuple[Text, int]] = WeakKeyDictionary()
        super().__init__("会议", id=id)
        self.show_root = False
        self.guide_depth = 2
        self.full: list[TreeNode] = []
        self._places: dict[str, list[Place]] | None = None
        self.roots: list[TreeNode] = []
        self.script: Script = "orig"
        self.narrowed = False
        # The documents behind meeting nodes, for compact dates and whole titles; without one a
        # meeting shows the store's label (date as stated, title cut).
        self.documents: Mapping[str, Document] = {}
        self.meetings: Mapping[str, Meeting] = {}  # by meeting id: the date and title of several reports
        self.newest_year: int | None = None
        # The full tree's nodes while a search shows a narrowed one: root, nodes by id, next id.
        self._kept: tuple[UINode[Any], dict[Any, UINode[Any]], int] | None = None

    def on_mount(self) -> None:
        self.set_script(follow_script(self, self.set_script))

    def _on_tree_node_highlighted(self, event: Tree.NodeHighlighted[Any]) -> None:
        if (doc_id := self._meeting_id(event.node)) is not None:
            self.post_message(MeetingHighlighted(doc_id))

    def _on_tree_node_selected(self, event: Tree.NodeSelected[Any]) -> None:
        if (doc_id := self._meeting_id(event.node)) is not None:
            self.post_message(MeetingSelected(doc_id))

    @staticmethod
    def _meeting_id(ui_node: UINode[Any]) -> str | None:
        node = ui_node.data
        return node.doc_id if node is not None and node.kind == "meeting" and node.doc_id else None

    # -- filling ---------------------------------------------------------------------------------

    @property
    def places(self) -> dict[str, list[Place]]:
        """Where each meeting sits in the full tree; made on first use unless `load` was given it."""
        if self._places is None:
            self._places = placements(self.full)
        return self._places

    def load(
        self,
        roots: list[TreeNode],
        *,
        narrowed: bool = False,
        places: dict[str, list[Place]] | None = None,
    ) -> None:
        """Show these roots (the full tree, or a narrowed copy of it). `places` may come made for a full
        tree (by a worker, for a big store)."""
        if not narrowed and roots is not self.full:
            self.full = roots
            self._places = places
            self._kept = None
        if not narrowed and self._kept is not None:
            self._take_back_full()
            return
        if narrowed and not self.narrowed and self.roots is self.full:
            self._keep_full()
        self.roots = roots
        self.narrowed = narrowed
        self.clear()
        self._add_children(self.root, roots)
        if narrowed and sum(1 for _ in iter_meetings(roots)) <= EXPAND_ALL_LIMIT:
            self._expand_all(self.root)
        self.cursor_line = 0

    def get_label_width(self, node: UINode[Any]) -> int:
        """A label's width in cells, kept with its node until the label changes. Textual renders every
        label to measure it at each rebuild of its line table (a branch opened, a meeting revealed, Esc):
        with a branch of thousands of meetings open, most of a second each time at 10k reports."""
        label = node._label
        kept = self._widths.get(node)
        if kept is None or kept[0] is not label:
            kept = self._widths[node] = (label, label.cell_len)
        if not node._allow_expand:
            return kept[1]
        return kept[1] + cell_len(self.ICON_NODE_EXPANDED if node.is_expanded else self.ICON_NODE)

    def _keep_full(self) -> None:
        """Set the full tree's nodes aside as they are (branches opened, labels made) before a search
        narrows it: Esc brings them back instead of making them again, which for a branch of thousands
        of meetings (revealing the open one fills it) took about a second at 10k reports."""
        self._kept = (self.root, dict(self._tree_nodes), self._current_id)

    def _take_back_full(self) -> None:
        root, nodes, current_id = self._kept  # type: ignore[misc]
        self._kept = None  # live again: set aside anew by the next search
        self._clear_line_cache()
        self.root, self._tree_nodes, self._current_id = root, nodes, current_id
        self._updates += 1
        self.roots, self.narrowed = self.full, False
        self.refresh()
        self.cursor_line = 0

    def narrow(self, hit_counts: Mapping[str, int]) -> None:
        """Show only these meetings, with their hit counts (by report, summed by meeting)."""
        self.load(filter_tree(self.places, rolled_up(self.places, hit_counts)), narrowed=True)

    def show_corpus(
        self,
        docs: list[Document],
        roots: list[TreeNode],
        places: dict[str, list[Place]] | None,
        meetings: list[Meeting] | None = None,
    ) -> None:
        self.meetings = {m.id: m for m in meetings or ()}
        self.set_documents({d.id: d for d in docs})
        self.loading = False
        self.load(roots, places=places)

    def show_answer(self, answer: SearchAnswer, current: str | None) -> None:
        """Only the matching meetings, with hit counts, the open one under the cursor."""
        self.narrow({r.doc_id: len(r.hits) for r in answer.results})
        shown = len(answer.results)  # the tree holds the best RESULT_LIMIT: say so when there are more
        self.border_subtitle = (
            render(f"前 {shown} / 共 {answer.total}", self.script) if answer.total > shown else ""
        )
        if current is not None:
            self.reveal(current)

    def show_all(self, current: str | None) -> None:
        """Back to the full tree, the open meeting under the cursor."""
        self.border_subtitle = ""
        if self.narrowed:
            self.load(self.full)
        if current is not None:
            self.reveal(current)

    def _add_children(self, parent: UINode[Any], nodes: list[TreeNode]) -> None:
        above: TreeNode | None = None
        for node in nodes:
            if node.kind == "meeting":
                parent.add_leaf(self.label_for(node, above), data=node)
            else:
                parent.add(self.label_for(node), data=node, allow_expand=bool(node.children))
            above = node

    def _fill(self, ui_node: UINode[Any]) -> None:
        """Add a branch's children the first time it is opened."""
        node = ui_node.data
        if node is not None and node.kind != "meeting" and not ui_node.children:
            self._add_children(ui_node, node.children)

    def _expand_all(self, ui_node: UINode[Any]) -> None:
        for child in ui_node.children:
            if child.data is not None and child.data.kind != "meeting":
                self._fill(child)
                child.expand()
                self._expand_all(child)

    def _on_tree_node_expanded(self, event: Tree.NodeExpanded[Any]) -> None:
        self._fill(event.node)

    def meeting_year(self, node: TreeNode | None) -> int | None:
        """The year of the meeting on the row above; for the first row, the newest year in the store,
        so that a store of this year's meetings shows no years at all."""
        if node is None or node.kind != "meeting":
            return self.newest_year
        if (meeting := self.meeting_of(node)) is not None:
            return meeting.date.year if meeting.date else None
        doc = self.documents.get(node.doc_id or "")
        return doc.meta.date.year if doc is not None and doc.meta.date else None

    def meeting_of(self, node: TreeNode) -> Meeting | None:
        """The meeting a node stands for, when several reports tell it."""
        meeting = self.meetings.get(getattr(node, "meeting", None) or "")
        return meeting if meeting is not None and len(meeting.reports) > 1 else None

    def set_documents(self, documents: Mapping[str, Document]) -> None:
        self.documents = documents
        years = [d.meta.date.year for d in documents.values() if d.meta.date and d.meta.date.year]
        self.newest_year = max(years, default=None)

    def label_for(self, node: TreeNode, above: TreeNode | None = None) -> Text:
        """The node's label in the chosen script; meetings show hit counts only when narrowed.

        A meeting is its compact date (the year when it differs from the meeting `above`) and its whole
        title: the column crops it, and `<`/`>` widen the column to read more.
        """
        label = terminal_safe(render(node.label, self.script))  # titles come from the documents
        if node.kind == "meeting":
            doc = self.documents.get(node.doc_id or "")
            text = Text()
            if (meeting := self.meeting_of(node)) is not None:
                # told by several reports: `·3` before the title, which the column crops
                date = compact_date(meeting.date, self.meeting_year(above))
                text.append(f"{date} ·{len(meeting.reports)} ".lstrip(), style="dim")
                text.append(terminal_safe(render(meeting.title, self.script)))
            elif doc is not None:
                date = compact_date(doc.meta.date, self.meeting_year(above))
                if date:
                    text.append(date + " ", style="dim")
                text.append(terminal_safe(render(doc.title, self.script)))
            else:
                text.append(label)
            if self.narrowed:
                text.append(f" ({node.count})", style="bold")
            return text
        text = Text(label, style="bold" if node.kind == "province" else "")
        text.append(f" {node.count}", style="dim")
        return text

    def set_script(self, script: Script) -> None:
        """Relabel every node that exists; nodes added later are labelled as they are added."""
        self.script = script
        self.border_title = render(TITLE, script)
        self._kept = None  # labelled in the script before: made again when the search ends
        stack = [self.root]
        while stack:
            parent = stack.pop()
            above = None
            for ui_node in parent.children:
                if ui_node.data is not None:
                    ui_node.set_label(self.label_for(ui_node.data, above))
                    above = ui_node.data
                stack.append(ui_node)

    # -- finding ---------------------------------------------------------------------------------

    def reveal(self, doc_id: str) -> bool:
        """Open the branches down to a meeting and put the cursor on it; False when it is not shown."""
        if self.narrowed:
            chain = path_to(self.roots, doc_id)  # a few hundred meetings at most
        else:
            found = self.places.get(doc_id)
            chain = list(found[0].chain) if found else None
        if chain is None:
            return False
        ui_node = self.root
        for node in chain:
            self._fill(ui_node)
            ui_node.expand()
            found = next((c for c in ui_node.children if c.data is node), None)
            if found is None:
                return False
            ui_node = found
        self._move_to(ui_node)
        return True

    def reveal_key(self, key: str) -> bool:
        """Put the cursor on a province or prefecture node by its key."""
        for ui_node in self.root.children:
            if ui_node.data is not None and ui_node.data.key == key:
                self._move_to(ui_node)
                return True
        return False

    def _move_to(self, ui_node: UINode[Any]) -> None:
        # Reading last_line rebuilds the line table after expanding, so the node's line is current.
        _ = self.last_line
        self.move_cursor(ui_node, animate=False)

    def province_at_cursor(self) -> TreeNode | None:
        """The province the cursor is in (the node itself or its ancestor)."""
        ui_node = self.cursor_node
        while ui_node is not None and ui_node.parent is not None and ui_node.parent is not self.root:
            ui_node = ui_node.parent
        if ui_node is None or ui_node.data is None or ui_node.data.kind != "province":
            return None
        return ui_node.data

    def scope_at_cursor(self) -> tuple[str | None, str]:
        """The province name a search can be scoped to from the cursor, or None and why not."""
        province = self.province_at_cursor()
        if province is None:
            return None, "把光标移到一个省 — put the tree cursor on a province first"
        if province.label == UNPLACED:
            # The index filters by named province; these meetings name none, so a scope would silently
            # find nothing. Say so instead.
            return None, f"{render(UNPLACED, self.script)}: no province to scope to"
        return province.label, ""  # the full standard name a scoped search filters on

    # -- width -----------------------------------------------------------------------------------

    def widen(self, step: int, screen_width: int) -> int:
        """`step` cells wider (or narrower), within what leaves the text room; the width set."""
        widest = max(screen_width - TEXT_MIN_WIDTH, TREE_MIN_WIDTH)
        # The width last set, not the one last drawn: keys pressed faster than frames all count.
        now = self.styles.width.value if self.styles.width and self.styles.width.is_cells else None
        width = min(max(int(now or self.outer_size.width) + step, TREE_MIN_WIDTH), widest)
        self.set_width(width)
        return width

    def set_width(self, width: int | None) -> None:
        """A width in cells, or None for the stylesheet's share of the screen."""
        if width is None:
            self.styles.clear_rule("width")
            self.styles.clear_rule("min_width")
            self.styles.clear_rule("max_width")
            return
        self.styles.width = width
        self.styles.min_width = TREE_MIN_WIDTH
        self.styles.max_width = None
