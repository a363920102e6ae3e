"""What the browser does, for the main screen to route keys and messages to: open a meeting, show or
drop a search's answer, step through hits and meetings, scope the search, load a store that changed,
keep the status line current.

It acts on the screen's widgets and its `tui.state.Browsing`; where a step goes is decided by the pure
functions in `tui.state`, so this module only carries the decision out.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from textual.widgets import Input

from store import Corpus, Document, SearchAnswer
from tui import messages as msg
from tui.state import next_meeting
from tui.widgets.panes import rendered
from tui.words import plural

if TYPE_CHECKING:
    from tui.screens.main import MainScreen


class Browser:
    """The main screen's behaviour; the screen owns the widgets, this their coordination."""

    def __init__(self, screen: MainScreen) -> None:
        self.screen, self.state = screen, screen.state

    # The screen's widgets, once it has composed them.
    tree = property(lambda self: self.screen.meetings)
    view = property(lambda self: self.screen.view)
    reader = property(lambda self: self.screen.view.reader)
    bar = property(lambda self: self.screen.bar)
    find = property(lambda self: self.screen.find)
    status = property(lambda self: self.screen.status)

    @property
    def corpus(self) -> Corpus:
        return self.screen.corpus

    # -- the corpus ------------------------------------------------------------------------------

    def show_corpus(self, docs: list[Document], roots: list[Any], places: dict | None = None) -> None:
        """Fill the tree and open the newest meeting."""
        self.state.docs = docs
        self.tree.show_corpus(docs, roots, places)
        if docs:
            self.open_document(docs[0])
        else:
            self.view.open(None)
        self.status.message = ""
        self.update_status()

    def start(self) -> None:
        """The store's first frame: its tree and newest meeting, or, for a big store, a note that it is
        being read (a worker reads it after the first frame)."""
        corpus, screen = self.corpus, self.screen
        if not screen.big_store:
            self.show_corpus(corpus.documents(), corpus.tree())
            return
        self.tree.loading = True
        self.view.open(None)
        self.say(f"loading {len(corpus)} documents…", lasting=True)  # type: ignore[arg-type]

    def corpus_loaded(self, message: msg.CorpusLoaded) -> None:
        self.show_corpus(message.docs, message.roots, message.places)

    def index_ready(self, message: msg.IndexReady) -> None:
        self.state.index_state = message.state
        self.update_status()

    def check_store(self) -> None:
        self.screen.store.check(self.corpus, lambda: {d.id for d in self.state.docs})

    def store_changed(self, message: msg.StoreChanged) -> None:
        self.screen.store.answered(message)
        if message.fresh is None:
            self.say(f"store changed but unreadable: {message.error}")
            return
        what = plural(message.new, "new report") if message.new else "store changed"
        self.say(f"{what} — r to load", lasting=True)
        self.screen.refresh_bindings()

    def reload(self, fresh: Corpus) -> None:
        """Show the store as it is now; the open meeting and the search stay where they were."""
        before, here, query = {d.id for d in self.state.docs}, self.state.current_id, self.bar.query_text
        self.screen.corpus = self.bar.corpus = self.screen.yuelan.corpus = fresh
        rendered.cache_clear()
        self.drop_answer()
        self.show_corpus(fresh.documents(), fresh.tree())
        if here is not None and any(d.id == here for d in self.state.docs):
            self.open_id(here)
        self.state.index_state = "loading"
        self.screen.warm_index()
        if query:
            self.bar.start(query)
        self.screen.refresh_bindings()
        self.say(reload_said(before, {d.id for d in self.state.docs}))

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
            self.tree.reveal(doc.id)
        if focus:
            self.read()

    def preview(self, message: msg.MeetingHighlighted) -> None:
        """The tree's cursor is on a meeting: open it there, at its first hit while searching."""
        if message.doc_id != self.state.current_id:
            self.open_id(message.doc_id, 0 if self.state.answer else None, reveal=False)

    def select(self, message: msg.MeetingSelected) -> None:
        """Enter on a meeting in the tree: open it and go into its text."""
        self.preview(msg.MeetingHighlighted(message.doc_id))
        self.read()

    def preview_result(self, message: msg.ResultHighlighted) -> None:
        self.open_id(message.doc_id, 0)

    def notice(self, message: msg.Notice) -> None:
        self.say(message.text)

    def find_marked(self, message: msg.FindMarked) -> None:
        self.update_status()

    def find_toggled(self, message: msg.FindToggled) -> None:
        self.screen.refresh_bindings()

    def read(self) -> None:
        """The focus into the text, as the user asked (not because the tree folded away)."""
        self.reader.focus()
        self.screen.text_focus_by_layout = False

    # -- a search's answer -----------------------------------------------------------------------

    def answered(self, message: msg.SearchDone) -> None:
        self.status.message = ""
        started = time.perf_counter()
        self.show_answer(message.answer, message.scope)
        shown = time.perf_counter() - started
        self.screen.call_after_refresh(self._answer_drawn, message.answer.query, message.seconds, shown)
        if self.bar.take_open_request():
            self.open_best()

    def _answer_drawn(self, query: str, search_seconds: float, shown_seconds: float) -> None:
        self.screen.drawn = (query, search_seconds, shown_seconds, time.perf_counter())

    def show_answer(self, answer: SearchAnswer, scope: str | None) -> None:
        """Results list, narrowed tree with hit counts, hits in the open document."""
        was_searching = self.state.answer is not None
        self.state.set_answer(answer, scope)
        self.view.show_answer(answer)
        self.tree.show_answer(answer, self.state.current_id)
        if self.state.current is not None:
            self.reader.set_hits(self.state.hits_for(self.state.current.id))
        self.update_status()
        if not was_searching:  # the footer rebuilds itself on every refresh: only when the keys change
            self.screen.refresh_bindings()

    def drop_answer(self) -> None:
        """Back to browsing: full tree with the selection kept, no hits, no result list."""
        was_searching = self.state.answer is not None
        self.state.set_answer(None)
        self.bar.cancel()
        self.view.drop_answer()
        self.tree.show_all(self.state.current_id)
        if self.state.current is not None:
            self.reader.set_hits([])
        self.status.message = ""
        self.update_status()
        if was_searching:
            self.screen.refresh_bindings()

    def submitted(self, event: Input.Submitted) -> None:
        """Enter in the search bar: open the best meeting now, or as soon as the answer arrives."""
        if not (query := event.value.strip()):
            return
        self.screen.yuelan.remember_query(query)
        self.bar.forget_position()
        if self.state.answer is not None and self.state.answer.query == query:
            self.open_best()
        else:
            self.bar.open_when_answered = True

    def open_best(self) -> None:
        answer = self.state.answer
        if answer is None or not answer.results:
            self.say("没有结果 no meeting matches")
            return
        self.open_result(msg.ResultSelected(answer.results[0].doc_id))

    def open_result(self, message: msg.ResultSelected) -> None:
        self.open_id(message.doc_id, 0, focus=True)
        self.view.results_folded = True

    def search_failed(self, message: msg.SearchFailed) -> None:
        self.say(f"查询有误 bad query: {message.error}", lasting=True)

    def search_cleared(self, message: msg.SearchCleared) -> None:
        self.drop_answer()

    def clear_search(self) -> None:
        self.bar.clear()
        self.drop_answer()

    def search_for(self, text: str) -> None:
        """The palette's person: search for the name and open the best meeting."""
        self.bar.value = text
        self.bar.open_when_answered = True

    def go_to_province(self, key: str) -> None:
        """The palette's province: the full tree, the cursor on the province, opened."""
        self.screen.show_tree = True
        if self.tree.narrowed:
            self.screen.action_clear_search()
        if self.tree.reveal_key(key):
            if (node := self.tree.cursor_node) is not None:
                node.expand()
            self.tree.focus()

    # -- stepping --------------------------------------------------------------------------------

    def step_hit(self, step: int) -> None:
        """Next/previous hit in this meeting, then on to the next/previous meeting that has hits; while
        a find is marked, its next/previous match instead."""
        if self.find.value:
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

    def step_meeting(self, step: int) -> None:
        ids = self.state.meeting_ids()
        if (target := next_meeting(ids, self.state.current_id, step)) is not None:
            self.open_id(ids[target], 0 if self.state.answer else None)

    # -- scope, copy, status ---------------------------------------------------------------------

    def scope(self) -> None:
        """Scope the search to the province under the tree cursor; again to search everywhere."""
        scope, why = (None, "") if self.state.scope is not None else self.tree.scope_at_cursor()
        if why:
            self.say(why)
            return
        self.state.scope = scope
        if query := self.bar.query_text:
            self.bar.start(query)
        self.update_status()
        self.bar.focus()

    def copy(self, whole: bool = False) -> None:
        for said in self.view.copy(whole=whole):
            self.say(said)

    def toggle_results(self) -> None:
        self.view.toggle_results(self.state.current_id)

    def key_applies(self, action: str) -> bool:
        """Whether a key of the main screen does anything now (the footer shows only those)."""
        screen = self.screen
        if self.bar.has_focus or self.find.has_focus:
            # Every key but Esc is a character there and goes into the query; the footer says so by
            # showing only Esc beside the bar's own keys (Enter, ↑↓).
            return action == "clear_search"
        searching, finding = self.state.answer is not None, bool(self.find.value)
        return {
            "next_hit": searching or finding,
            "previous_hit": searching or finding,
            "toggle_results": searching,
            "find": self.state.current is not None,
            "clear_search": searching or finding or bool(self.bar.value),
            "scope": screen.show_tree,
            "tree_width": screen.show_tree,
            "reload": screen.store.fresh is not None,
        }.get(action, True)

    def say(self, message: str, *, lasting: bool = False) -> None:
        self.update_status(draw=False)
        self.status.say(message, lasting=lasting)

    def update_status(self, *, draw: bool = True) -> None:
        status, reader = self.status, self.reader
        status.store_path, status.store_loading = str(self.corpus.path), self.tree.loading
        status.found = (reader.current_found, len(reader.found)) if self.find.value else None
        if draw:
            status.show()


def reload_said(before: set[str], after: set[str]) -> str:
    """What `r` changed: reports another process added and those it removed (`yuelan remove`), not
    '0 new reports loaded' after a removal."""
    added, removed = len(after - before), len(before - after)
    if not (added or removed):  # `yuelan compact` or `reextract`: the same reports, read anew
        return "reloaded: no reports added or removed"
    said = [f"{plural(added, 'new report')} loaded"] if added else []
    return ", ".join([*said, *([f"{plural(removed, 'report')} removed"] if removed else [])])
