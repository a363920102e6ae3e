"""The province → prefecture → meeting tree, with counts, in the chosen script, narrowed by a search.

Children are added only when a node is first expanded, so a 10k-document store shows its first frame
as fast as the bundled one: the first frame holds only the provinces. A search narrows the tree to the
matching meetings with their hit counts; clearing it restores the full tree and the selection.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType

from store import UNPLACED, Script, render, terminal_safe
from tui.messages import MeetingHighlighted, MeetingSelected
from tui.widgets.follow import follow_script
from tui.widgets.virtual_tree import TreeLine, VirtualTree, every_line

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
    narrowing = Narrowing(places, hit_counts)
    narrowing.fill_all()
    return narrowing.roots


class Narrowing:
    """`filter_tree`'s tree, made a level at a time: its top level at once, a branch's children when the
    branch is opened (`fill`). A keystroke at 10k narrows to a few hundred meetings in several places
    each, of which the screen shows the provinces and one open branch."""

    def __init__(self, places: Mapping[str, list[Place]], hit_counts: Mapping[str, int]) -> None:
        self.hits = hit_counts
        chosen = [place for doc_id in hit_counts for place in places.get(doc_id, ())]
        self.meetings = len(chosen)  # meeting nodes in the whole narrowed tree (one per place)
        self.copies: dict[int, TreeNode] = {}  # made so far, by the id() of the full tree's node
        self._waiting: dict[int, tuple[int, list[Place]]] = {}  # a branch's depth below and places
        self.roots = self._level(chosen, 0)

    def _level(self, places: list[Place], depth: int) -> list[TreeNode]:
        groups: dict[int, list[Place]] = {}
        for place in places:
            groups.setdefault(id(place.chain[depth]), []).append(place)
        made = []
        for group in sorted(groups.values(), key=lambda g: g[0].order[depth]):
            node = group[0].chain[depth]
            if node.kind == "meeting":
                copy = counted(node, self.hits[node.doc_id or ""])
            else:
                copy = counted(node, len({place.chain[-1].doc_id for place in group}))
                self._waiting[id(copy)] = (depth + 1, group)
            self.copies[id(node)] = copy
            made.append(copy)
        return made

    def waiting(self, node: TreeNode) -> bool:
        """Whether a branch has children not made yet."""
        return id(node) in self._waiting

    def fill(self, node: TreeNode) -> list[TreeNode]:
        """A branch's children, made the first time they are asked for."""
        if (waiting := self._waiting.pop(id(node), None)) is not None:
            node.children = self._level(waiting[1], waiting[0])
        return node.children

    def fill_all(self) -> None:
        stack = list(self.roots)
        while stack:
            stack.extend(self.fill(stack.pop()))

    def chain(self, place: Place) -> list[TreeNode] | None:
        """The narrowed tree's nodes along a place of the full tree, made as needed; None when the
        meeting at its end is not in it."""
        if place.chain[-1].doc_id not in self.hits:
            return None
        chain = [self.copies[id(place.chain[0])]]
        for node in place.chain[1:]:
            self.fill(chain[-1])
            chain.append(self.copies[id(node)])
        return chain


def counted(node: TreeNode, count: int) -> TreeNode:
    """A copy of a node with another count and no children yet, made by its constructor: a narrowed tree
    copies hundreds of nodes at each keystroke, and `dataclasses.replace` or `copy` cost several times
    more each."""
    return type(node)(
        key=node.key,
        label=node.label,
        kind=node.kind,
        count=count,
        doc_id=node.doc_id,
        children=[],
        meeting=node.meeting,
        reports=node.reports,
    )


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


def meeting_id(node: TreeNode) -> str | None:
    """The document a meeting node opens; None for a province or prefecture."""
    return node.doc_id if node.kind == "meeting" and node.doc_id else None


class MeetingTree(VirtualTree["TreeNode"]):
    """Lazily filled tree of `store.tree.TreeNode`s; labels follow the script, counts follow the search."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "move(1)", "Down", show=False),
        Binding("k", "move(-1)", "Up", show=False),
        Binding("g", "edge(-1)", "First", show=False),
        Binding("G", "edge(1)", "Last", show=False),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
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
        # The full tree's lines while a search shows a narrowed one.
        self._kept: list[TreeLine[TreeNode]] | None = None
        self._narrowing: Narrowing | None = None  # a search's narrowed tree, filled as it is opened
        self._counts: dict[str, int] = {}  # the hits it was narrowed to, by report

    def on_mount(self) -> None:
        self.set_script(follow_script(self, self.set_script))

    def highlighted(self, line: TreeLine[TreeNode]) -> None:
        if (doc_id := meeting_id(line.data)) is not None:
            self.post_message(MeetingHighlighted(doc_id))

    def chosen(self, line: TreeLine[TreeNode]) -> None:
        if (doc_id := meeting_id(line.data)) is not None:
            self.post_message(MeetingSelected(doc_id))

    def children_of(self, data: TreeNode) -> list[TreeNode]:
        if data.kind == "meeting":
            return []
        return self._narrowing.fill(data) if self._narrowing is not None else data.children

    def has_children(self, data: TreeNode) -> bool:
        if data.kind == "meeting":
            return False
        return bool(data.children) or (self._narrowing is not None and self._narrowing.waiting(data))

    def make_label(self, line: TreeLine[TreeNode]) -> Text:
        return self.label_for(line.data, line.above)

    # -- filling ---------------------------------------------------------------------------------

    @property
    def places(self) -> dict[str, list[Place]]:
        """Where each meeting sits in the full tree; made on first use unless `load` was given it."""
        if self._places is None:
            self._places = placements(self.full)
        return self._places

    def load(self, roots: list[TreeNode], *, places: dict[str, list[Place]] | None = None) -> None:
        """Show the full tree. `places` may come made for it (by a worker, for a big store)."""
        if roots is not self.full:
            self.full = roots
            self._places = places
            self._kept = None
        if self._kept is not None:
            self._take_back_full()
            return
        self.roots, self.narrowed, self._narrowing = roots, False, None
        self._show(roots)

    def _show(self, roots: list[TreeNode]) -> None:
        top = self.make_lines(roots, None)
        if self._narrowing is not None and self._narrowing.meetings <= EXPAND_ALL_LIMIT:
            for line in every_line(top):  # lines made as they are opened are visited too
                self.open_line(line)
        self.show_lines(top)

    def _take_back_full(self) -> None:
        """The full tree's lines as they were before the search (branches opened, labels made): Esc
        brings them back instead of making them again."""
        top, self._kept = self._kept or [], None  # live again: set aside anew by the next search
        self.roots, self.narrowed, self._narrowing = self.full, False, None
        # The cursor on the first line (a province), not where it was: that line's meeting would be
        # previewed before `show_all` reveals the one opened during the search.
        self.show_lines(top)

    def narrow(self, hit_counts: Mapping[str, int]) -> None:
        """Show only these meetings, with their hit counts (by report, summed by meeting)."""
        if not self.narrowed and self._kept is None:
            self._kept = self.top
        self._counts = dict(hit_counts)
        self._narrowing = Narrowing(self.places, rolled_up(self.places, hit_counts))
        self.roots, self.narrowed = self._narrowing.roots, True
        self._show(self.roots)

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
        counts = {r.doc_id: len(r.hits) for r in answer.results}
        if not self.narrowed or counts != self._counts:  # else the tree shows this answer already
            self.narrow(counts)
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
        """Relabel every line made so far, the full tree's too while a search shows a narrowed one
        (labels are made again as lines are drawn)."""
        self.script = script
        self.border_title = render(TITLE, script)
        for line in every_line(self._kept or []):
            line.label = None
        self.forget_labels()

    # -- finding ---------------------------------------------------------------------------------

    def reveal(self, doc_id: str) -> bool:
        """Open the branches down to a meeting and put the cursor on it; False when it is not shown."""
        chain = self._chain_to(doc_id)
        if chain is None:
            return False
        siblings, line = self.top, None
        for node in chain:
            line = next((s for s in siblings if s.data is node), None)
            if line is None:
                return False
            siblings = self.lines_below(line)
        return line is not None and self.move_to(line)

    def _chain_to(self, doc_id: str) -> list[TreeNode] | None:
        """The nodes from a root down to the first place the meeting `doc_id` (any report of it) is
        shown: the full tree's places, or the narrowed tree's copies of them."""
        for place in self.places.get(doc_id, ()):
            if not self.narrowed:
                return list(place.chain)
            if self._narrowing is not None and (chain := self._narrowing.chain(place)) is not None:
                return chain
        return None

    def reveal_key(self, key: str) -> bool:
        """Put the cursor on a province or prefecture node by its key."""
        for line in self.top:
            if line.data.key == key:
                return self._put_cursor(line)
        return False

    def province_at_cursor(self) -> TreeNode | None:
        """The province the cursor is in (the node itself or its ancestor)."""
        line = self.current()
        if line is None:
            return None
        top = line.path()[0].data
        return top if top.kind == "province" else None

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
