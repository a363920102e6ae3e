"""The main screen: the tree, the meeting view (results, header, text), the search row, status, footer.

The screen composes the widgets and routes what they report (`tui.messages`) to the ones that act on
it, keeping the state it routes by in `tui.state.Browsing`. Slow work runs in thread workers (the
search bar's search, `tui.background`), so the event loop only draws and dispatches.
"""

from __future__ import annotations

import sys
import time
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Input

from store.models import Document, SearchAnswer
from store.script import Script
from tui import messages as msg
from tui.background import StoreWatch, warm
from tui.keys import MAIN_BINDINGS, NEXT_SCRIPT
from tui.screens.help import HelpScreen
from tui.screens.info import InfoScreen
from tui.state import Browsing, next_meeting
from tui.widgets.find_bar import FindBar
from tui.widgets.footer import FittingFooter
from tui.widgets.meeting_tree import MeetingTree
from tui.widgets.meeting_view import MeetingView
from tui.widgets.panes import rendered
from tui.widgets.reader import Reader
from tui.widgets.search_bar import SearchBar
from tui.widgets.status import StatusLine
from tui.words import plural

if TYPE_CHECKING:
    from store.corpus import Corpus
    from tui.app import YuelanApp

SYNC_LOAD_LIMIT = 2000  # up to this many documents the tree is built before the first frame (a few ms)
NARROW_WIDTH = 70
SHORT_HEIGHT = 20


def _state(name: str) -> Any:
    """A field of the screen's `Browsing`, readable on the screen (the palette and tests read it)."""
    return property(lambda screen: getattr(screen.state, name))


class MainScreen(Screen[None]):
    """The browser itself; the app around it holds the corpus, the settings and the script."""

    BINDINGS: ClassVar[list[BindingType]] = MAIN_BINDINGS
    STORE_CHECK_SECONDS: ClassVar[float] = 2.0
    show_tree: reactive[bool] = reactive(True)
    docs, current, answer, hit, scope, index_state = map(
        _state, ("docs", "current", "answer", "hit", "scope", "index_state")
    )
    # The text has the focus only because the tree folded away (a narrow terminal's first frame): then
    # / still searches every meeting, as the search bar's placeholder says, until the user goes into the
    # text (Enter on a meeting or a result, Tab, a click).
    text_focus_by_layout = False

    def __init__(self, corpus: Corpus, history: list[str]) -> None:
        super().__init__()
        self.corpus, self.history, self.state = corpus, history, Browsing()
        self.store = StoreWatch(self.run_worker, self.post_message)
        self.jieba_at_first_frame: bool | None = None  # a test holds the first frame to never loading it
        # The last answer drawn: its query, the search's seconds in the worker, the seconds on the event
        # loop showing it, and when it reached the screen (read by the typing benchmark).
        self.drawn: tuple[str, float, float, float] | None = None
        self._narrow = self._deferred = False

    @property
    def yuelan(self) -> YuelanApp:
        return self.app  # type: ignore[return-value]

    @property
    def script(self) -> Script:
        return self.yuelan.script

    def compose(self) -> ComposeResult:
        with Horizontal(id="body"):
            yield (meetings := MeetingTree(id="tree"))
            yield (view := MeetingView(id="main"))
        yield (bar := SearchBar(self.history, self.state, self.corpus, id="search"))
        yield (find := FindBar(bar, id="find"))
        yield (status := StatusLine(self.state, id="status"))
        yield FittingFooter()
        self.meetings, self.view, self.bar, self.find, self.status = meetings, view, bar, find, status

    def on_mount(self) -> None:
        self.reader = self.view.reader
        self.meetings.set_width(self.yuelan.settings.tree_width)
        # Keys typed ahead of the first frame may already have focused the search bar (/ is a priority
        # binding); the tree must not take the focus back from under them.
        if self.focused is None:
            self.set_focus(self.meetings)
        self._deferred = len(self.corpus) > SYNC_LOAD_LIMIT  # type: ignore[arg-type]
        if self._deferred:  # a big store: the first frame comes first, the tree follows from a worker
            self.meetings.loading = True
            self.view.open(None)
            self.say(f"loading {len(self.corpus)} documents…", lasting=True)  # type: ignore[arg-type]
        else:
            self.show_corpus(self.corpus.documents(), self.corpus.tree())
        self.call_after_refresh(self._after_first_frame)  # the index and jieba: after the first frame
        if hasattr(self.corpus, "replaced_on_disk"):
            self.set_interval(self.STORE_CHECK_SECONDS, self._check_store)

    def show_corpus(self, docs: list[Document], roots: list[Any], places: dict | None = None) -> None:
        """Fill the tree and open the newest meeting."""
        self.state.docs = docs
        self.meetings.show_corpus(docs, roots, places)
        if docs:
            self.open_document(docs[0])
        else:
            self.view.open(None)
        self.status.message = ""
        self.update_status()

    def _after_first_frame(self) -> None:
        self.jieba_at_first_frame = "jieba" in sys.modules
        self.warm_index(self._deferred)

    def warm_index(self, load_corpus: bool = False) -> None:
        work = lambda: warm(self.corpus, self.post_message, load_corpus)  # noqa: E731
        self.run_worker(work, thread=True, group="warm", exit_on_error=False)

    @on(msg.CorpusLoaded)
    def _corpus_loaded(self, message: msg.CorpusLoaded) -> None:
        self.show_corpus(message.docs, message.roots, message.places)

    @on(msg.IndexReady)
    def _index_ready(self, message: msg.IndexReady) -> None:
        self.state.index_state = message.state
        self.update_status()

    def on_resize(self, event: events.Resize) -> None:
        self.set_class(event.size.height < SHORT_HEIGHT, "-short")
        if (narrow := event.size.width < NARROW_WIDTH) != self._narrow:
            self._narrow = narrow
            self.show_tree = not narrow

    def watch_show_tree(self, show: bool) -> None:
        tree = self.query_one(MeetingTree)
        tree.display = show
        if not show and tree.has_focus:
            self.query_one("#reader", Reader).focus()
            self.text_focus_by_layout = True
        self.refresh_bindings()

    # -- a store changed by another process (`yuelan import` in another terminal) -----------------

    def _check_store(self) -> None:
        self.store.check(self.corpus, lambda: {d.id for d in self.state.docs})

    @on(msg.StoreChanged)
    def _store_changed(self, message: msg.StoreChanged) -> None:
        self.store.answered(message)
        if message.fresh is None:
            self.say(f"store changed but unreadable: {message.error}")
            return
        self.say(
            f"{plural(message.new, 'new report') if message.new else 'store changed'} — r to load",
            lasting=True,
        )
        self.refresh_bindings()

    def action_reload(self) -> None:
        """Show the store as it is now; the open meeting and the search stay where they were."""
        if (fresh := self.store.take()) is None:
            return
        before, here, query = {d.id for d in self.docs}, self.state.current_id, self.bar.query_text
        self.corpus = self.bar.corpus = self.yuelan.corpus = fresh
        rendered.cache_clear()
        self.drop_answer()
        self.show_corpus(self.corpus.documents(), self.corpus.tree())
        if here is not None and any(d.id == here for d in self.docs):
            self.open_id(here)
        self.state.index_state = "loading"
        self.warm_index()
        if query:
            self.bar.start(query)
        self.refresh_bindings()
        self.say(f"{plural(sum(1 for d in self.docs if d.id not in before), 'new report')} loaded")

    # -- opening meetings ------------------------------------------------------------------------

    def open_id(
        self, doc_id: str, hit: int | None = None, *, focus: bool = False, reveal: bool = True
    ) -> None:
        try:
            doc = self.corpus.get(doc_id)
        except LookupError as exc:
            self.say(str(exc))
            return
        self.open_document(doc, hit, focus=focus, reveal=reveal)

    def open_document(
        self, doc: Document, hit: int | None = None, *, focus: bool = False, reveal: bool = True
    ) -> None:
        """Open a meeting (at hit `hit`), show it in the tree unless the tree asked, focus its text."""
        hits = self.state.hits_for(doc.id)
        self.state.current, self.state.hit = doc, (hit if hits and hit is not None else None)
        self.view.open(doc, hits, self.state.hit)
        self.find.mark(self.reader)  # the find carries over, as less's does to the next file
        self.update_status()
        if reveal:
            self.meetings.reveal(doc.id)
        if focus:
            self.reader.focus()
            self.text_focus_by_layout = False

    @on(msg.MeetingHighlighted)
    def _preview_meeting(self, message: msg.MeetingHighlighted) -> None:
        if message.doc_id != self.state.current_id:  # the tree asked: it need not be moved
            self.open_id(message.doc_id, 0 if self.answer else None, reveal=False)

    @on(msg.MeetingSelected)
    def _read_meeting(self, message: msg.MeetingSelected) -> None:
        self._preview_meeting(msg.MeetingHighlighted(message.doc_id))
        self.reader.focus()
        self.text_focus_by_layout = False

    @on(msg.ResultSelected)
    def _open_result(self, message: msg.ResultSelected) -> None:
        self.open_id(message.doc_id, 0, focus=True)
        self.view.results_folded = True

    @on(msg.ResultHighlighted)
    def _preview_result(self, message: msg.ResultHighlighted) -> None:
        self.open_id(message.doc_id, 0)

    @on(msg.Notice)
    def _notice(self, message: msg.Notice) -> None:
        self.say(message.text)

    # -- the search's answers (the search bar has dropped the stale ones) -------------------------

    @on(msg.SearchDone)
    def _search_done(self, message: msg.SearchDone) -> None:
        self.status.message = ""
        started = time.perf_counter()
        self.apply_answer(message.answer, message.scope)
        shown = time.perf_counter() - started
        self.call_after_refresh(self._answer_drawn, message.answer.query, message.seconds, shown)
        if self.bar.take_open_request():
            self.open_best()

    def _answer_drawn(self, query: str, search_seconds: float, shown_seconds: float) -> None:
        self.drawn = (query, search_seconds, shown_seconds, time.perf_counter())

    def apply_answer(self, answer: SearchAnswer, scope: str | None) -> None:
        """Show an answer: results list, narrowed tree with hit counts, hits in the open document."""
        was_searching = self.answer is not None
        self.state.set_answer(answer, scope)
        self.view.show_answer(answer)
        self.meetings.show_answer(answer, self.state.current_id)
        if self.state.current is not None:
            self.reader.set_hits(self.state.hits_for(self.state.current.id))
        self.update_status()
        if not was_searching:  # the footer rebuilds itself on every refresh (tens of ms): only when needed
            self.refresh_bindings()

    @on(msg.SearchCleared)
    def drop_answer(self) -> None:
        """Back to browsing: full tree with the selection kept, no hits, no result list."""
        was_searching = self.answer is not None
        self.state.set_answer(None)
        self.bar.cancel()
        self.view.drop_answer()
        self.meetings.show_all(self.state.current_id)
        if self.state.current is not None:
            self.reader.set_hits([])
        self.status.message = ""
        self.update_status()
        if was_searching:
            self.refresh_bindings()

    @on(msg.SearchFailed)
    def _search_failed(self, message: msg.SearchFailed) -> None:
        self.say(f"查询有误 bad query: {message.error}", lasting=True)

    @on(Input.Submitted, "#search")
    def _submitted(self, event: Input.Submitted) -> None:
        if query := event.value.strip():
            self.yuelan.remember_query(query)
            self.bar.forget_position()
            if self.answer is not None and self.answer.query == query:
                self.open_best()
            else:
                self.bar.open_when_answered = True

    def open_best(self) -> None:
        if self.answer is None or not self.answer.results:
            self.say("没有结果 no meeting matches")
            return
        self.open_id(self.answer.results[0].doc_id, 0, focus=True)
        self.view.results_folded = True

    # -- keys ------------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Footer shows only the keys that apply now."""
        if self.bar.has_focus or self.find.has_focus:
            # Every key but Esc is a character there and goes into the query; the footer says so by
            # showing only Esc beside the bar's own keys (Enter, ↑↓).
            return action == "clear_search"
        searching, finding = self.answer is not None, bool(self.find_query)
        return {
            "next_hit": searching or finding,
            "previous_hit": searching or finding,
            "toggle_results": searching,
            "find": self.state.current is not None,
            "clear_search": searching or finding or bool(self.bar.value),
            "scope": self.show_tree,
            "tree_width": self.show_tree,
            "reload": self.store.fresh is not None,
        }.get(action, True)

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        if event.widget is self.reader:
            self.text_focus_by_layout = False

    def on_click(self, event: events.Click) -> None:
        if isinstance(event.widget, Reader):
            self.text_focus_by_layout = False

    def action_focus_search(self) -> None:
        in_text = any(r.has_focus for r in self.query(Reader)) and not self.text_focus_by_layout
        if self.state.current is not None and in_text:
            self.action_find()  # / in the text finds in the text, as in less
            return
        self.set_focus(self.bar)  # at once (Widget.focus defers it): keys typed after / reach the bar

    @property
    def find_query(self) -> str:
        """The find whose matches are marked; n/N step through them while it is set."""
        return self.find.value

    def action_find(self) -> None:
        """Open the find bar in the search bar's row, finding from the text's cursor."""
        if self.state.current is not None:
            self.find.open(self.reader)

    @on(msg.FindToggled)
    def _find_toggled(self) -> None:
        self.refresh_bindings()

    @on(msg.FindMarked)
    def _find_marked(self) -> None:
        self.update_status()

    def action_clear_search(self) -> None:
        if self.find.close():
            return
        was_searching = self.bar.has_focus
        self.bar.clear()
        self.drop_answer()
        if was_searching or self.focused is None:
            (self.meetings if self.show_tree else self.reader).focus()

    def action_next_hit(self) -> None:
        self._step_hit(1)

    def action_previous_hit(self) -> None:
        self._step_hit(-1)

    def _step_hit(self, step: int) -> None:
        """Next/previous hit in this meeting, then on to the next/previous meeting that has hits; while
        a find is marked, its next/previous match instead."""
        if self.find_query:
            if said := self.find.step(step):
                self.say(said)
            self.update_status()
            return
        reader = self.reader
        cursor = reader.lines[reader.cursor_line][0] if reader.lines else 0
        if (move := self.state.hit_step(reader.hits, cursor, step)) is None:
            return
        if move.wrapped:
            self.say("从头继续 wrapped around")
        if move.doc_id is not None:
            self.open_id(move.doc_id, move.hit)
            return
        self.state.hit = move.hit
        reader.go_to_hit(move.hit)
        self.update_status()

    def action_previous_meeting(self) -> None:
        self._step_meeting(-1)

    def action_next_meeting(self) -> None:
        self._step_meeting(1)

    def _step_meeting(self, step: int) -> None:
        ids = self.state.meeting_ids()
        if (target := next_meeting(ids, self.state.current_id, step)) is not None:
            self.open_id(ids[target], 0 if self.answer else None)

    def action_toggle_results(self) -> None:
        self.view.toggle_results(self.state.current_id)

    def action_cycle_script(self) -> None:
        self.yuelan.script = NEXT_SCRIPT[self.script]

    def action_toggle_raw(self) -> None:
        self.view.panes.show_raw = not self.view.panes.show_raw

    def action_tree_width(self, step: int) -> None:
        """Widen or narrow the tree by `step` cells; the width is kept between runs."""
        self.yuelan.settings.tree_width = self.meetings.widen(step, self.size.width)
        self.yuelan.save_settings()

    def action_toggle_tree(self) -> None:
        self.show_tree = not self.show_tree
        if self.show_tree:
            self.meetings.focus()

    def action_copy_passage(self) -> None:
        for said in self.view.copy():
            self.say(said)

    def action_copy_meeting(self) -> None:
        for said in self.view.copy(whole=True):
            self.say(said)

    def action_scope(self) -> None:
        """Scope the search to the province under the tree cursor; again to search everywhere."""
        scope, why = (None, "") if self.scope is not None else self.meetings.scope_at_cursor()
        if why:
            self.say(why)
            return
        self.state.scope = scope
        if query := self.bar.query_text:
            self.bar.start(query)
        self.update_status()
        self.bar.focus()

    def action_info(self) -> None:
        self.app.push_screen(InfoScreen(self.corpus.info(), self.index_state))

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen())

    async def action_quit(self) -> None:
        self.app.exit()

    # -- palette entry points and the status line ---------------------------------------------------

    def go_to_province(self, key: str) -> None:
        self.show_tree = True
        if self.meetings.narrowed:
            self.action_clear_search()
        if self.meetings.reveal_key(key):
            if (node := self.meetings.cursor_node) is not None:
                node.expand()
            self.meetings.focus()

    def search_for(self, text: str) -> None:
        self.bar.value = text
        self.bar.open_when_answered = True

    def say(self, message: str, *, lasting: bool = False) -> None:
        self.update_status(draw=False)
        self.status.say(message, lasting=lasting)

    def update_status(self, *, draw: bool = True) -> None:
        status, reader = self.status, self.reader
        status.store_path, status.loading = str(self.corpus.path), self.meetings.loading
        status.found = (reader.current_found, len(reader.found)) if self.find_query else None
        if draw:
            status.show()

    def status_text(self) -> Text:
        return self.status.text()
