"""The main screen: tree on the left, header and reading pane on the right, search bar, status, footer.

Everything slow (loading the search index and jieba, running a query) happens in thread workers that
post messages back; the event loop only draws and dispatches, so typing never waits for a search. A
stale search is cancelled by the next keystroke (an exclusive worker) and its answer, should it still
arrive, is dropped because it no longer matches the query in the bar.
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from rich.cells import cell_len
from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.reactive import reactive
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Input, OptionList, Static, Tree
from textual.worker import get_current_worker

from store import (
    UNPLACED,
    Document,
    MeetingDate,
    Script,
    SearchAnswer,
    SearchResult,
    Span,
    StoreError,
    preferred_standard,
    provenance,
    render,
    terminal_safe,
)
from tui.align import corresponding
from tui.widgets.doc_header import DocHeader
from tui.widgets.find_bar import FindBar, find_all, first_from
from tui.widgets.footer import FittingFooter
from tui.widgets.meeting_tree import MeetingTree, Place, placements
from tui.widgets.reader import Reader
from tui.widgets.results import ResultList
from tui.widgets.search_bar import SearchBar
from tui.words import plural

if TYPE_CHECKING:
    from store import Corpus, TreeNode
    from tui.app import YuelanApp

RESULT_LIMIT = 200
# Up to this many documents the tree is built before the first frame (a few ms); beyond, in a worker.
SYNC_LOAD_LIMIT = 2000
NARROW_WIDTH = 70
SHORT_HEIGHT = 20
TREE_MIN_WIDTH = 16  # cells: `< >` stop here, and leave the reading pane at least TEXT_MIN_WIDTH
TEXT_MIN_WIDTH = 30
SCRIPT_LABELS: dict[str, str] = {"orig": "原文", "simp": "简体", "trad": "繁體"}
# After 繁體 in the status line: whose forms (store.text.script.STANDARDS).
STANDARD_MARKS: dict[str, str] = {"tw": "·臺", "hk": "·港", "opencc": "·OpenCC"}
NEXT_SCRIPT: dict[str, Script] = {"orig": "simp", "simp": "trad", "trad": "orig"}
# Characters that make a longer query something other than a narrowing of the shorter one.
NOT_NARROWING = set('-":')


@lru_cache(maxsize=64)
def rendered(text: str, script: Script) -> str:
    """A document's text in a script; cached because the same document is redrawn on every toggle."""
    return render(text, script)


def narrows(previous: SearchAnswer | None, query: str) -> bool:
    """Whether `query` only adds to the previous one, so its answer can refine the previous answer."""
    if previous is None or not query.startswith(previous.query) or query == previous.query:
        return False
    return not (NOT_NARROWING & set(query))


def citation(doc: Document, script: Script, text: str = "") -> str:
    """The citation line under a copied passage: title, the outlet and publication date the report
    states (`text` is its text), the meeting's full date; the file's path only when the report names
    neither outlet nor publication date."""
    found = provenance(text)
    parts = [doc.title]
    if found.outlet:
        parts.append(found.outlet)
    if found.published:
        parts.append(f"{found.published} 发布")
    parts.append(f"会议 {full_date(doc.meta.date)}" if doc.meta.date else "日期不详")
    shown = [render(part, script) for part in parts]
    if not (found.outlet or found.published):
        # a path is never converted, and a non-UTF-8 name cannot be copied raw
        shown.append(terminal_safe(doc.paths[0] if doc.paths else doc.id))
    return "——" + "，".join(shown)


def full_date(date: MeetingDate) -> str:
    """The meeting's date with its year when the report gives one (`2024年5月16日至17日`)."""
    if date.year and "年" not in date.text:
        return f"{date.year}年{date.text}"
    return date.text


class MainScreen(Screen[None]):
    """The browser itself; the app around it holds the corpus, the settings and the script."""

    BINDINGS: ClassVar[list[BindingType]] = [
        # A priority binding runs as the app reads the key, so characters typed in the same burst as /
        # (a fast typist, a paste, an input method over SSH) already find the search bar focused.
        Binding("slash", "focus_search", "Search", priority=True),
        # The footer's words are short (80 columns); the tooltip is what the palette and help call it.
        Binding("n", "next_hit", "Hits", key_display="n N", tooltip="Next hit"),
        Binding("N", "previous_hit", "Prev hit", show=False),
        Binding("escape", "clear_search", "Clear", tooltip="Clear search"),
        # Shown only when they apply (a search is on; another process imported reports): first then.
        Binding("l", "toggle_results", "List", tooltip="Show / fold the result list"),
        Binding("r", "reload", "Reload", tooltip="Load the reports imported since the browser opened"),
        # Ordered by what a newcomer needs first: the footer cuts off the rest at 80 columns.
        Binding("t", "cycle_script", "Script"),
        Binding("y", "copy_passage", "Copy"),
        Binding("question_mark", "help", "Help"),
        Binding("q", "quit", "Quit"),
        Binding("left_square_bracket", "previous_meeting", "Prev meeting", show=False),
        Binding("right_square_bracket", "next_meeting", "Next meeting"),
        Binding("o", "toggle_raw", "Original"),
        Binding("Y", "copy_meeting", "Copy all", show=False),
        Binding("s", "scope", "Scope"),
        Binding("b", "toggle_tree", "Tree"),
        Binding("i", "info", "Store"),
        Binding("ctrl+f", "find", "Find", tooltip="Find in this meeting (/ in the reader)"),
        Binding("greater_than_sign", "tree_width(4)", "Width", key_display="< >", tooltip="Widen the tree"),
        Binding("less_than_sign", "tree_width(-4)", "Narrower", show=False, tooltip="Narrow the tree"),
    ]

    show_tree: reactive[bool] = reactive(True)
    show_raw: reactive[bool] = reactive(False)
    # Once a result is opened the list folds away and the reader takes its rows; `l` brings it back.
    results_folded: reactive[bool] = reactive(False)

    @dataclass
    class SearchDone(Message):
        answer: SearchAnswer
        scope: str | None
        seconds: float

    @dataclass
    class SearchFailed(Message):
        query: str
        scope: str | None
        error: str

    @dataclass
    class IndexReady(Message):
        state: str

    def __init__(self, corpus: Corpus, history: list[str]) -> None:
        super().__init__()
        self.corpus = corpus
        self.history = history
        self.docs: list[Document] = []
        self.current: Document | None = None
        self.answer: SearchAnswer | None = None
        self.by_id: dict[str, SearchResult] = {}
        self.hit: int | None = None
        self.scope: str | None = None
        self.index_state = "loading"
        self.message = ""
        self.open_when_answered = False
        self._narrow = False
        self.jieba_at_first_frame: bool | None = None
        # The last answer drawn: its query, the search's seconds in the worker, the seconds spent on the
        # event loop showing it, and when it reached the screen (read by the typing benchmark).
        self.drawn: tuple[str, float, float, float] | None = None
        self._deferred = False

    @property
    def yuelan(self) -> YuelanApp:
        return self.app  # type: ignore[return-value]

    @property
    def script(self) -> Script:
        return self.yuelan.script

    # -- layout ----------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Horizontal(id="body"):
            yield MeetingTree(id="tree")
            with Vertical(id="main"):
                yield ResultList(id="results")
                yield DocHeader(id="doc-header")
                with Horizontal(id="panes"):
                    yield Reader(id="reader")
                    yield Reader(id="raw", escaped=True)
        yield SearchBar(self.history, id="search")
        yield FindBar(id="find")
        yield Static(id="status")
        yield FittingFooter()

    def on_mount(self) -> None:
        tree = self.query_one(MeetingTree)
        tree.script = self.script
        tree.border_title = render("会议 meetings", self.script)
        self.set_tree_width(self.yuelan.settings.tree_width)
        self.query_one("#raw", Reader).border_title = "原始 raw"
        self.watch(self.app, "script", self._script_changed, init=False)
        reader, raw = self.query_one("#reader", Reader), self.query_one("#raw", Reader)
        self.watch(reader, "scroll_y", lambda: self._in_step(reader, raw), init=False)
        self.watch(raw, "scroll_y", lambda: self._in_step(raw, reader), init=False)
        # Keys typed ahead of the first frame may already have focused the search bar (/ is a priority
        # binding); the tree must not take the focus back from under them.
        if self.focused is None:
            self.set_focus(tree)
        self._deferred = len(self.corpus) > SYNC_LOAD_LIMIT  # type: ignore[arg-type]
        if self._deferred:
            # A big store: the first frame comes first, the tree follows from a worker.
            tree.loading = True
            self.query_one(DocHeader).show_document(None, self.script)
            self.say(f"loading {len(self.corpus)} documents…", lasting=True)  # type: ignore[arg-type]
        else:
            self.show_corpus(self.corpus.documents(), self.corpus.tree())
        # The tree of a big store, the index and jieba load after the first frame, never before it.
        self.call_after_refresh(self._after_first_frame)
        if hasattr(self.corpus, "replaced_on_disk"):
            self.set_interval(self.STORE_CHECK_SECONDS, self._check_store)

    def show_corpus(
        self, docs: list[Document], roots: list[TreeNode], places: dict[str, list[Place]] | None = None
    ) -> None:
        """Fill the tree and open the newest meeting."""
        self.docs = docs
        tree = self.query_one(MeetingTree)
        tree.set_documents({d.id: d for d in docs})
        tree.loading = False
        tree.load(roots, places=places)
        if docs:
            self.open_document(docs[0])
            tree.reveal(docs[0].id)
        else:
            self.query_one(DocHeader).show_document(None, self.script)
        self.message = ""
        self.update_status()

    def _after_first_frame(self) -> None:
        # Kept so a test can hold the startup path to never loading jieba.
        self.jieba_at_first_frame = "jieba" in sys.modules
        self.warm_index(self._deferred)

    @dataclass
    class CorpusLoaded(Message):
        docs: list[Document]
        roots: list[Any]
        places: dict[str, list[Place]]

    def on_main_screen_corpus_loaded(self, message: CorpusLoaded) -> None:
        self.show_corpus(message.docs, message.roots, message.places)

    @work(thread=True, group="warm", exit_on_error=False)
    def warm_index(self, load_corpus: bool = False) -> None:
        """Off the event loop: a big store's tree, then the search index and jieba (queries may need it)."""
        if load_corpus:
            roots = self.corpus.tree()
            self.post_message(self.CorpusLoaded(self.corpus.documents(), roots, placements(roots)))
        try:
            self.corpus.search_index()
            from store import warm_up_segmenter

            warm_up_segmenter()
            state = "ready"
        except Exception as exc:  # the browser still reads; search reports its own errors
            state = f"unavailable: {exc}"
        self.post_message(self.IndexReady(state))

    def on_main_screen_index_ready(self, message: IndexReady) -> None:
        self.index_state = message.state
        self.update_status()

    def on_resize(self, event: events.Resize) -> None:
        self.set_class(event.size.height < SHORT_HEIGHT, "-short")
        narrow = event.size.width < NARROW_WIDTH
        if narrow != self._narrow:
            self._narrow = narrow
            self.show_tree = not narrow

    def watch_show_tree(self, show: bool) -> None:
        tree = self.query_one(MeetingTree)
        tree.display = show
        if not show and tree.has_focus:
            self.query_one("#reader", Reader).focus()
            self.text_focus_by_layout = True
        self.refresh_bindings()

    def watch_show_raw(self, show: bool) -> None:
        raw = self.query_one("#raw", Reader)
        raw.display = show
        if show and self.current is not None:
            raw.show_text(rendered(self.readable(self.current, "raw"), self.script))

    # -- a store changed by another process (`yuelan import` in another terminal) -----------------

    STORE_CHECK_SECONDS: ClassVar[float] = 2.0
    fresh: Corpus | None = None  # the store as another process left it, read but not shown yet
    _checking = False

    @dataclass
    class StoreChanged(Message):
        fresh: Any  # a Corpus, or None when it could not be read
        new: int
        error: str = ""

    def _check_store(self) -> None:
        """Every few seconds: has the store file been replaced? One stat on the event loop; reading
        the new store, to count what is new, happens in a worker."""
        if self._checking:
            return
        latest = self.fresh if self.fresh is not None else self.corpus
        if not latest.replaced_on_disk():  # type: ignore[union-attr]
            return
        self._checking = True
        self.read_fresh_store(latest)

    @work(thread=True, group="store", exit_on_error=False)
    def read_fresh_store(self, latest: Any) -> None:
        from store import Corpus

        try:
            fresh = Corpus.open(Path(self.corpus.path), seed_if_new=False)
        except Exception as exc:  # a store mid-write or damaged: say so, keep reading the old one
            self.post_message(self.StoreChanged(None, 0, str(exc)))
            return
        shown = {d.id for d in self.docs}
        new = sum(1 for d in fresh.documents() if d.id not in shown)
        self.post_message(self.StoreChanged(fresh, new))

    def on_main_screen_store_changed(self, message: StoreChanged) -> None:
        self._checking = False
        if message.fresh is None:
            self.say(f"store changed but unreadable: {message.error}")
            return
        self.fresh = message.fresh
        what = plural(message.new, "new report") if message.new else "store changed"
        self.say(f"{what} — r to load", lasting=True)
        self.refresh_bindings()

    def action_reload(self) -> None:
        """Show the store as it is now; the open meeting and the search stay where they were."""
        if self.fresh is None:
            return
        before = {d.id for d in self.docs}
        here = self.current.id if self.current is not None else None
        query = self.current_query()
        self.corpus = self.yuelan.corpus = self.fresh
        self.fresh = None
        rendered.cache_clear()
        self.drop_answer()
        self.show_corpus(self.corpus.documents(), self.corpus.tree())
        if here is not None and any(d.id == here for d in self.docs):
            self.open_id(here)
        self.index_state = "loading"
        self.warm_index()
        if query:
            self.start_search(query)
        self.refresh_bindings()
        self.say(f"{plural(sum(1 for d in self.docs if d.id not in before), 'new report')} loaded")

    _stepping = False

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

    # -- which list of meetings, which hits ------------------------------------------------------

    def meeting_ids(self) -> list[str]:
        """The meetings `[`/`]` walk: the search results while searching, else every document."""
        if self.answer is not None:
            return [r.doc_id for r in self.answer.results]
        return [d.id for d in self.docs]

    def hits_for(self, doc_id: str) -> list[Span]:
        result = self.by_id.get(doc_id)
        return list(result.hits) if result else []

    # -- opening documents -----------------------------------------------------------------------

    def open_document(self, doc: Document, hit: int | None = None) -> None:
        """Show a document in the header and the reader; with `hit`, jump to that hit."""
        self.current = doc
        hits = self.hits_for(doc.id)
        self.hit = hit if hits and hit is not None else None
        self.query_one(DocHeader).show_document(doc, self.script)
        reader = self.query_one("#reader", Reader)
        reader.show_text(rendered(self.readable(doc, "text"), self.script), hits, self.hit)
        if self.hit is not None:
            reader.go_to_hit(self.hit)
        if self.show_raw:
            self.query_one("#raw", Reader).show_text(rendered(self.readable(doc, "raw"), self.script))
        if self.find_query:  # the find carries over to the next meeting, as less's does to the next file
            reader.set_found(find_all(reader.text, self.find_query))
        results = self.query_one(ResultList)
        if self.answer is not None and not results.has_focus:
            results.follow(doc.id)  # ] and n move through the results: the list shows where
        self.update_status()

    def readable(self, doc: Document, field: Literal["raw", "text"]) -> str:
        """The document's text, or, when its stored bytes are damaged, a line saying so (and how to
        mend it) in its place: one bad document must not take the browser down."""
        try:
            return str(getattr(doc, field))
        except StoreError as exc:
            self.say(str(exc))
            return f"[{exc}]"

    def open_id(self, doc_id: str, hit: int | None = None, *, focus: bool = False) -> None:
        try:
            doc = self.corpus.get(doc_id)
        except LookupError as exc:
            self.say(str(exc))
            return
        self.open_document(doc, hit)
        self.query_one(MeetingTree).reveal(doc.id)
        if focus:
            self.query_one("#reader", Reader).focus()
            self.text_focus_by_layout = False

    @on(Tree.NodeHighlighted, "#tree")
    def _preview(self, event: Tree.NodeHighlighted[Any]) -> None:
        node = event.node.data
        is_meeting = node is not None and node.kind == "meeting" and node.doc_id
        if is_meeting and (self.current is None or self.current.id != node.doc_id):
            self.open_id_quietly(node.doc_id)

    def open_id_quietly(self, doc_id: str) -> None:
        """Open without moving the tree (the tree itself asked)."""
        try:
            self.open_document(self.corpus.get(doc_id), 0 if self.answer else None)
        except LookupError as exc:
            self.say(str(exc))

    @on(Tree.NodeSelected, "#tree")
    def _select(self, event: Tree.NodeSelected[Any]) -> None:
        node = event.node.data
        if node is not None and node.kind == "meeting" and node.doc_id:
            if self.current is None or self.current.id != node.doc_id:
                self.open_id_quietly(node.doc_id)
            self.query_one("#reader", Reader).focus()
            self.text_focus_by_layout = False

    @on(OptionList.OptionSelected, "#results")
    def _open_result(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.open_id(event.option.id, 0, focus=True)
            self.results_folded = True

    @on(OptionList.OptionHighlighted, "#results")
    def _preview_result(self, event: OptionList.OptionHighlighted) -> None:
        if event.option.id and self.query_one(ResultList).has_focus:
            self.open_id(event.option.id, 0)

    # -- searching -------------------------------------------------------------------------------

    @on(Input.Changed, "#search")
    def _query_changed(self, event: Input.Changed) -> None:
        query = event.value.strip()
        if not query:
            self.drop_answer()
            return
        self.start_search(query)

    def start_search(self, query: str) -> None:
        previous = self.answer if self.answer is not None and self._answer_scope == self.scope else None
        self.run_search(query, self.scope, previous if narrows(previous, query) else None)

    _answer_scope: str | None = None

    @work(thread=True, exclusive=True, group="search", exit_on_error=False)
    def run_search(self, query: str, scope: str | None, previous: SearchAnswer | None) -> None:
        """One query, off the event loop; a newer keystroke cancels it and its answer is dropped."""
        worker = get_current_worker()
        started = time.perf_counter()
        try:
            answer = self.corpus.search(query, limit=RESULT_LIMIT, scope_province=scope, previous=previous)
        except Exception as exc:  # a malformed query (QueryError) or a broken index: the status line says
            if not worker.is_cancelled:
                self.post_message(self.SearchFailed(query, scope, str(exc) or type(exc).__name__))
            return
        if not worker.is_cancelled:
            self.post_message(self.SearchDone(answer, scope, time.perf_counter() - started))

    def current_query(self) -> str:
        return self.query_one(SearchBar).value.strip()

    def on_main_screen_search_failed(self, message: SearchFailed) -> None:
        if message.query == self.current_query() and message.scope == self.scope:
            self.say(f"查询有误 bad query: {message.error}", lasting=True)

    def on_main_screen_search_done(self, message: SearchDone) -> None:
        answer = message.answer
        if answer.query != self.current_query() or message.scope != self.scope:
            return  # stale: the user has typed on
        self.message = ""
        started = time.perf_counter()
        self.apply_answer(answer, message.scope)
        shown = time.perf_counter() - started
        self.call_after_refresh(self._answer_drawn, answer.query, message.seconds, shown)
        if self.open_when_answered:
            self.open_when_answered = False
            self.open_best()

    def _answer_drawn(self, query: str, search_seconds: float, shown_seconds: float) -> None:
        self.drawn = (query, search_seconds, shown_seconds, time.perf_counter())

    def apply_answer(self, answer: SearchAnswer, scope: str | None) -> None:
        """Show an answer: results list, narrowed tree with hit counts, hits in the open document."""
        was_searching = self.answer is not None
        self.answer = answer
        self._answer_scope = scope
        self.by_id = {r.doc_id: r for r in answer.results}
        results = self.query_one(ResultList)
        results.show_results(answer.results, self.script)
        self.results_folded = False
        results.display = True
        tree = self.query_one(MeetingTree)
        tree.narrow({r.doc_id: len(r.hits) for r in answer.results})
        shown = len(answer.results)  # the tree holds the best RESULT_LIMIT: say so when there are more
        tree.border_subtitle = (
            render(f"前 {shown} / 共 {answer.total}", self.script) if answer.total > shown else ""
        )
        if self.current is not None:
            tree.reveal(self.current.id)
            self.hit = None
            self.query_one("#reader", Reader).set_hits(self.hits_for(self.current.id))
        self.update_status()
        if not was_searching:
            # The footer rebuilds itself on every refresh (tens of ms): only when the keys change.
            self.refresh_bindings()

    def drop_answer(self) -> None:
        """Back to browsing: full tree with the selection kept, no hits, no result list."""
        was_searching = self.answer is not None
        self.answer = None
        self.by_id = {}
        self.hit = None
        self.open_when_answered = False
        self.workers.cancel_group(self, "search")
        self.query_one(ResultList).display = False
        tree = self.query_one(MeetingTree)
        tree.border_subtitle = ""
        if tree.narrowed:
            tree.load(tree.full)
        if self.current is not None:
            tree.reveal(self.current.id)
            self.query_one("#reader", Reader).set_hits([])
        self.message = ""
        self.update_status()
        if was_searching:
            self.refresh_bindings()

    @on(Input.Submitted, "#search")
    def _submitted(self, event: Input.Submitted) -> None:
        query = event.value.strip()
        if not query:
            return
        self.yuelan.remember_query(query)
        self.query_one(SearchBar).forget_position()
        if self.answer is not None and self.answer.query == query:
            self.open_best()
        else:
            self.open_when_answered = True

    def open_best(self) -> None:
        if self.answer is None or not self.answer.results:
            self.say("没有结果 no meeting matches")
            return
        self.open_id(self.answer.results[0].doc_id, 0, focus=True)
        self.results_folded = True

    def watch_results_folded(self, folded: bool) -> None:
        results = self.query_one(ResultList)
        results.display = self.answer is not None and not folded
        if folded and results.has_focus:
            self.query_one("#reader", Reader).focus()

    def action_toggle_results(self) -> None:
        """Fold the result list away, or bring it back with the cursor on the open meeting."""
        if self.answer is None:
            return
        self.results_folded = not self.results_folded
        if not self.results_folded:
            results = self.query_one(ResultList)
            if self.current is not None:
                results.follow(self.current.id)
            results.focus()

    # -- actions ---------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Footer shows only the keys that apply now."""
        if self.query_one(SearchBar).has_focus or self.query_one(FindBar).has_focus:
            # Every key but Esc is a character there and goes into the query; the footer says so by
            # showing only Esc beside the search bar's own keys (Enter, ↑↓).
            return action == "clear_search"
        if action in ("next_hit", "previous_hit"):
            return self.answer is not None or bool(self.find_query)
        if action == "toggle_results":
            return self.answer is not None
        if action == "find":
            return self.current is not None
        if action == "clear_search":
            return self.answer is not None or bool(self.query_one(SearchBar).value or self.find_query)
        if action in ("scope", "tree_width"):
            return self.show_tree
        if action == "reload":
            return self.fresh is not None
        return True

    # The text has the focus only because the tree folded away (a narrow terminal's first frame): then
    # / still searches every meeting, as the search bar's placeholder says, until the user goes into
    # the text (Enter on a meeting or a result, Tab, a click).
    text_focus_by_layout = False

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        if event.widget is self.query_one("#reader", Reader):
            self.text_focus_by_layout = False

    def on_click(self, event: events.Click) -> None:
        if isinstance(event.widget, Reader):
            self.text_focus_by_layout = False

    def action_focus_search(self) -> None:
        in_text = any(r.has_focus for r in self.query(Reader)) and not self.text_focus_by_layout
        if self.current is not None and in_text:
            self.action_find()  # / in the text finds in the text, as in less
            return
        # Focus at once (Widget.focus defers it), so keys typed right after / reach the bar.
        self.set_focus(self.query_one(SearchBar))

    # -- find in the open meeting ----------------------------------------------------------------

    find_query = ""  # the find whose matches are marked; n/N step through them while it is set

    def action_find(self) -> None:
        """Open the find bar in the search bar's row, the text's cursor where finding starts from."""
        if self.current is None:
            return
        find = self.query_one(FindBar)
        self.query_one(SearchBar).display = False
        find.display = True
        reader = self.query_one("#reader", Reader)
        self._find_from = reader.lines[reader.cursor_line][0] if reader.lines else 0
        find.back_to = reader
        self.set_focus(find)
        self.refresh_bindings()

    _find_from = 0

    @on(Input.Changed, "#find")
    def _find_changed(self, event: Input.Changed) -> None:
        self.find_query = event.value
        self._mark_found(self._find_from)

    def _mark_found(self, offset: int) -> None:
        """Mark the find's matches in the open text and go to the first at or after `offset`."""
        reader = self.query_one("#reader", Reader)
        found = find_all(reader.text, self.find_query) if self.find_query else []
        reader.set_found(found, first_from(found, offset) if found else None)
        self.update_status()

    @on(Input.Submitted, "#find")
    def _find_submitted(self, event: Input.Submitted) -> None:
        self._hide_find_bar()
        # At once, not deferred: n typed right after Enter is a command, not a character of the find.
        self.set_focus(self.query_one("#reader", Reader))

    @on(FindBar.SearchEverywhere)
    def _find_to_search(self, event: FindBar.SearchEverywhere) -> None:
        """Tab in the find bar: what was typed becomes a search of every meeting."""
        self.close_find()
        bar = self.query_one(SearchBar)
        self.set_focus(bar)
        if event.text:
            bar.value = event.text
            bar.cursor_position = len(event.text)

    def _hide_find_bar(self) -> None:
        self.query_one(FindBar).display = False
        self.query_one(SearchBar).display = True
        self.refresh_bindings()

    def close_find(self) -> bool:
        """Esc: close the find bar and unmark its matches; False when no find was open."""
        find = self.query_one(FindBar)
        if not (find.display or self.find_query):
            return False
        had_focus = find.has_focus
        self._hide_find_bar()
        find.value = ""
        self.find_query = ""
        self.query_one("#reader", Reader).set_found([])
        if had_focus:
            self.set_focus(self.query_one("#reader", Reader))
        self.update_status()
        return True

    def _step_found(self, step: int) -> None:
        reader = self.query_one("#reader", Reader)
        if not reader.found:
            self.say(f"没有找到 not found: {self.find_query}")
            return
        now = reader.current_found if reader.current_found is not None else -1
        target = (now + step) % len(reader.found)
        if (step > 0 and target <= now) or (step < 0 and target >= now >= 0):
            self.say("从头继续 wrapped around")
        reader.set_found(reader.found, target)
        self.update_status()

    def action_clear_search(self) -> None:
        if self.close_find():
            return
        bar = self.query_one(SearchBar)
        was_searching = bar.has_focus
        bar.forget_position()
        bar.value = ""
        self.drop_answer()
        if was_searching or self.focused is None:
            target = self.query_one(MeetingTree) if self.show_tree else self.query_one("#reader", Reader)
            target.focus()

    def action_next_hit(self) -> None:
        self._step_hit(1)

    def action_previous_hit(self) -> None:
        self._step_hit(-1)

    def _step_hit(self, step: int) -> None:
        """Next/previous hit in this meeting, then on to the next/previous meeting that has hits; while
        a find is marked, its next/previous match instead."""
        if self.find_query:
            self._step_found(step)
            return
        if self.answer is None or not self.answer.results:
            return
        reader = self.query_one("#reader", Reader)
        hits = reader.hits
        if self.current is not None and hits:
            if self.hit is None:
                cursor = reader.lines[reader.cursor_line][0] if reader.lines else 0
                after = [i for i, h in enumerate(hits) if h.start >= cursor]
                first_after = after[0] if after else len(hits)
                index = first_after if step > 0 else first_after - 1
            else:
                index = self.hit + step
            if 0 <= index < len(hits):
                self.hit = index
                reader.go_to_hit(index)
                self.update_status()
                return
        self._step_meeting_with_hits(step)

    def _step_meeting_with_hits(self, step: int) -> None:
        ids = [r.doc_id for r in self.answer.results if r.hits] if self.answer else []
        if not ids:
            return
        here = ids.index(self.current.id) if self.current is not None and self.current.id in ids else -1
        if here < 0:
            target = 0 if step > 0 else len(ids) - 1
        else:
            target = (here + step) % len(ids)
            if (step > 0 and target <= here) or (step < 0 and target >= here):
                self.say("从头继续 wrapped around")
        last = len(self.by_id[ids[target]].hits) - 1
        self.open_id(ids[target], 0 if step > 0 else last)

    def action_previous_meeting(self) -> None:
        self._step_meeting(-1)

    def action_next_meeting(self) -> None:
        self._step_meeting(1)

    def _step_meeting(self, step: int) -> None:
        ids = self.meeting_ids()
        if not ids:
            return
        here = ids.index(self.current.id) if self.current is not None and self.current.id in ids else -1
        target = min(max(here + step, 0), len(ids) - 1) if here >= 0 else 0
        if target != here:
            self.open_id(ids[target], 0 if self.answer else None)

    def action_cycle_script(self) -> None:
        self.yuelan.script = NEXT_SCRIPT[self.script]

    def _script_changed(self, script: Script) -> None:
        """Everything on screen follows the script; positions and hits stay where they were."""
        tree = self.query_one(MeetingTree)
        tree.set_script(script)
        tree.border_title = render("会议 meetings", script)
        self.query_one(ResultList).set_script(script)
        if (doc := self.current) is not None:
            self.query_one(DocHeader).show_document(doc, script)
            self.query_one("#reader", Reader).replace_text(rendered(self.readable(doc, "text"), script))
            if self.show_raw:
                self.query_one("#raw", Reader).replace_text(rendered(self.readable(doc, "raw"), script))
        self.update_status()

    def standard_changed(self) -> None:
        """Other Traditional forms: everything drawn in 繁體 is drawn again."""
        rendered.cache_clear()
        if self.script == "trad":
            self._script_changed(self.script)

    def action_toggle_raw(self) -> None:
        self.show_raw = not self.show_raw

    def action_tree_width(self, step: int) -> None:
        """Widen or narrow the tree by `step` cells; the width is kept between runs."""
        tree = self.query_one(MeetingTree)
        widest = max(self.size.width - TEXT_MIN_WIDTH, TREE_MIN_WIDTH)
        # The width last set, not the one last drawn: keys pressed faster than frames all count.
        now = tree.styles.width.value if tree.styles.width and tree.styles.width.is_cells else None
        width = min(max(int(now or tree.outer_size.width) + step, TREE_MIN_WIDTH), widest)
        self.set_tree_width(width)
        self.yuelan.settings.tree_width = width
        self.yuelan.save_settings()

    def set_tree_width(self, width: int | None) -> None:
        """A width in cells, or None for the stylesheet's share of the screen."""
        styles = self.query_one(MeetingTree).styles
        if width is None:
            styles.clear_rule("width")
            styles.clear_rule("min_width")
            styles.clear_rule("max_width")
            return
        styles.width = width
        styles.min_width = TREE_MIN_WIDTH
        styles.max_width = None

    def action_toggle_tree(self) -> None:
        self.show_tree = not self.show_tree
        if self.show_tree:
            self.query_one(MeetingTree).focus()

    def action_copy_passage(self) -> None:
        if self.current is None:
            return
        reader = self.query_one("#raw", Reader) if self.query_one("#raw", Reader).has_focus else None
        reader = reader or self.query_one("#reader", Reader)
        start, end = reader.passage_at_cursor()
        self._copy(reader.text[start:end].strip())

    def action_copy_meeting(self) -> None:
        if self.current is not None:
            self._copy(rendered(self.readable(self.current, "text"), self.script).strip())

    def _copy(self, passage: str) -> None:
        assert self.current is not None
        whole = self.readable(self.current, "text")
        text = f"{passage}\n{citation(self.current, self.script, whole)}"
        self.app.copy_to_clipboard(text)
        self.say(f"已复制 copied {plural(len(passage), 'char')} + citation")

    def action_scope(self) -> None:
        """Scope the search to the province under the tree cursor; again to search everywhere."""
        if self.scope is not None:
            self.scope = None
        else:
            province = self.query_one(MeetingTree).province_at_cursor()
            if province is None:
                self.say("把光标移到一个省 — put the tree cursor on a province first")
                return
            if province.label == UNPLACED:
                # The index filters by named province; these meetings name none, so a scope would
                # silently find nothing. Say so instead.
                self.say(f"{render(UNPLACED, self.script)}: no province to scope to")
                return
            self.scope = province_name(province)
        query = self.current_query()
        if query:
            self.start_search(query)
        self.update_status()
        self.query_one(SearchBar).focus()

    def action_info(self) -> None:
        from tui.screens.info import InfoScreen

        self.app.push_screen(InfoScreen(self.corpus.info(), self.index_state))

    def action_help(self) -> None:
        from tui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen())

    async def action_quit(self) -> None:
        self.app.exit()

    # -- palette entry points --------------------------------------------------------------------

    def go_to_province(self, key: str) -> None:
        self.show_tree = True
        tree = self.query_one(MeetingTree)
        if tree.narrowed:
            self.action_clear_search()
        if tree.reveal_key(key):
            node = tree.cursor_node
            if node is not None:
                node.expand()
            tree.focus()

    def search_for(self, text: str) -> None:
        bar = self.query_one(SearchBar)
        bar.value = text
        self.open_when_answered = True

    # -- status ----------------------------------------------------------------------------------

    MESSAGE_SECONDS: ClassVar[float] = 5.0
    _message_timer: Timer | None = None

    def say(self, message: str, *, lasting: bool = False) -> None:
        """A message in the status line. It expires after a few seconds unless `lasting` (a state such
        as a bad query, cleared by the next search); one too long for the status line goes to a
        notification instead of being cut."""
        if self._message_timer is not None:
            self._message_timer.stop()
            self._message_timer = None
        self.message = message
        if cell_len(self.status_text(with_store=False).plain) > self.size.width > 0:
            self.message = ""
            self.notify(message, timeout=self.MESSAGE_SECONDS * 2, markup=False)
        elif message and not lasting:
            self._message_timer = self.set_timer(self.MESSAGE_SECONDS, self._expire_message)
        self.update_status()

    def _expire_message(self) -> None:
        self._message_timer = None
        self.message = ""
        self.update_status()

    def update_status(self) -> None:
        text = self.status_text()
        if cell_len(text.plain) > self.size.width > 0:
            text = self.status_text(with_store=False)  # the store's name is the first thing to give way
        self.query_one("#status", Static).update(text)

    def status_text(self, *, with_store: bool = True) -> Text:
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append(" 阅览 ", style="bold reverse")
        position = self.position_text()
        if position:
            text.append(f" {position}")
        text.append(f" │ {SCRIPT_LABELS[self.script]}")
        if self.script == "trad":
            text.append(STANDARD_MARKS.get(preferred_standard(), ""), style="dim")
        if self.answer is not None and self.current is not None and self.current.id in self.by_id:
            hits = len(self.hits_for(self.current.id))
            shown = f"hit {self.hit + 1} of {hits}" if self.hit is not None else plural(hits, "hit")
            text.append(f" │ {shown}")
        if self.answer is not None and self.answer.words:  # nothing as typed: its words, ANDed
            words = terminal_safe(" ".join(render(w, self.script) for w in self.answer.words))
            text.append(f" │ words {words}")
        if self.find_query:
            reader = self.query_one("#reader", Reader)
            at = "" if reader.current_found is None else f"{reader.current_found + 1} of "
            text.append(f" │ find {at}{len(reader.found)}", style="bold")
        if self.scope:
            text.append(f" │ in {render(self.scope, self.script)}", style="bold")
        if self.index_state != "ready":
            text.append(f" │ index {self.index_state}", style="dim")
        if self.message:
            text.append(f" │ {one_line(self.message)}", style="bold")  # errors quote names from outside
        if with_store:
            text.append(f" │ {one_line(Path(self.corpus.path).name)}", style="dim")  # OSC 0 retitled tmux
        return text

    def position_text(self) -> str:
        """Where the open meeting stands: among all meetings, or among the matches while searching.

        The meeting open when a search starts need not match; then the count of matches is what the
        user wants, not "meeting 0 of 3".
        """
        here = self.current.id if self.current is not None else None
        if self.answer is None:
            if not self.docs and self.query_one(MeetingTree).loading:
                return ""  # a big store is still being read: the message says so, "0 meetings" would lie
            ids = [d.id for d in self.docs]
            if here not in ids:
                return plural(len(ids), "meeting")
            return f"meeting {ids.index(here) + 1} of {len(ids)}"
        total = self.answer.total
        if total == 0:
            return "no meeting matches"
        ids = self.meeting_ids()
        if here in ids:
            return f"match {ids.index(here) + 1} of {total}"
        return f"{total} meetings match" if total > 1 else "1 meeting matches"


def one_line(text: str) -> str:
    """Text from outside (a store name, an error quoting a path) as the status line may show it."""
    return terminal_safe(text).replace("\n", " ")


def province_name(node: TreeNode) -> str:
    """The full standard name a scoped search filters on."""
    return node.label
