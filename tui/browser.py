"""What the browser does, for the main screen to route keys and messages to: open a meeting, step
between its reports and mark what each adds, show or drop a search's answer, step through hits and
meetings, scope the search, load a store that changed, keep the status line current.

It acts on the screen's widgets and its `tui.state.Browsing`; where a step goes is decided by the pure
functions in `tui.state`, so this module only carries the decision out.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from textual.widgets import Input

from store import Corpus, Document, Meeting, SearchAnswer, Span, added_sentences, sentence_count
from tui import messages as msg
from tui.state import next_meeting, readable
from tui.widgets.panes import rendered
from tui.words import plural

if TYPE_CHECKING:
    from tui.screens.main import MainScreen


class Browser:
    """The main screen's behaviour; the screen owns the widgets, this their coordination."""

    def __init__(self, screen: MainScreen) -> None:
        self.screen, self.state = screen, screen.state
        # What each report adds, by report and the meeting's other reports (texts are read to know).
        self._adds: dict[tuple[str, tuple[str, ...]], tuple[list[Span], int]] = {}

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

    def show_corpus(
        self,
        docs: list[Document],
        roots: list[Any],
        places: dict | None = None,
        meetings: list[Meeting] | None = None,
    ) -> None:
        """Fill the tree and open the newest meeting."""
        self.state.docs = docs
        self.state.set_meetings(meetings or [])
        self._adds.clear()
        self.tree.show_corpus(docs, roots, places, meetings)
        if docs:
            first = self.state.meeting_ids()[0] if self.state.meetings else docs[0].id
            self.open_document(next((d for d in docs if d.id == first), docs[0]))
        else:
            self.view.open(None)
        self.status.message = ""
        self.update_status()

    def start(self) -> None:
        """The store's first frame: its tree and newest meeting, or, for a big store, a note that it is
        being read (a worker reads it after the first frame)."""
        corpus, screen = self.corpus, self.screen
        if not screen.big_store:
            meetings = corpus.meetings()
            self.show_corpus(corpus.documents(), corpus.tree(meetings), None, meetings)
            return
        self.tree.loading = True
        self.view.open(None)
        self.say(f"loading {len(corpus)} documents…", lasting=True)  # type: ignore[arg-type]

    def corpus_loaded(self, message: msg.CorpusLoaded) -> None:
        self.show_corpus(message.docs, message.roots, message.places, message.meetings)

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
        meetings = fresh.meetings()
        self.show_corpus(fresh.documents(), fresh.tree(meetings), None, meetings)
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
        hits, several = self.state.hits_for(doc.id), self.several_reports()
        self.state.current, self.state.hit = doc, (hit if hits and hit is not None else None)
        self.view.open(doc, hits, self.state.hit, self.state.by_report.get(doc.id))
        self.show_adds()
        if several != self.several_reports():  # `{ }` and `a` come into the footer or leave it
            self.screen.refresh_bindings()
        self.find.mark(self.reader)  # the find carries over, as less's does to the next file
        self.update_status()
        if reveal:
            self.tree.reveal(doc.id)
        if focus:
            self.read()

    def preview(self, message: msg.MeetingHighlighted) -> None:
        """The tree's cursor is on a meeting: open it there, at its first hit while searching; a
        meeting already open stays at the report being read."""
        if self.state.current_id not in self.state.reports_of(message.doc_id):
            self.open_id(
                self.state.entry_report(message.doc_id), 0 if self.state.answer else None, reveal=False
            )

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
        self.view.show_answer(answer, self.state.matched)
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
            if (line := self.tree.current()) is not None:
                self.tree.expand(line)
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
        if (target := next_meeting(ids, self.state.meeting_here(), step)) is not None:
            self.open_id(ids[target], 0 if self.state.answer else None)

    # -- the reports of one meeting --------------------------------------------------------------

    def step_report(self, step: int) -> None:
        """`}` / `{`: the next / previous report of the open meeting (earliest publication first),
        stopping at the ends; while searching, at its first hit."""
        reports = self.state.reports_of(self.state.current_id or "")
        here = reports.index(self.state.current_id) if self.state.current_id in reports else 0
        target = here + step
        if not 0 <= target < len(reports):
            self.say("已是第一篇 first report" if step < 0 else "已是最后一篇 last report")
            return
        self.open_id(reports[target], 0 if self.state.answer else None)

    def toggle_adds(self) -> None:
        """`a`: mark the sentences of the open report that no other report of its meeting has, or stop."""
        self.state.adds = not self.state.adds
        self.show_adds()
        if self.state.adds and (counted := self.view.report_bar.adds) is not None:
            self.say(f"新增 adds: {counted[0]} of {counted[1]} sentences new here")
        elif not self.state.adds:
            self.say("新增 adds: off")

    def show_adds(self) -> None:
        """Mark what the open report adds (while `a` is on and its meeting has other reports)."""
        doc = self.state.current
        others = [r for r in self.state.reports_of(doc.id) if r != doc.id] if doc is not None else []
        if doc is None or not self.state.adds or not others:
            self.reader.set_added(None)
            if doc is not None and self.view.report_bar.adds is not None:
                self.view.report_bar.show(self.view.report_bar.meeting, doc)
            return
        added, total = self.adds_of(doc, others)
        self.reader.set_added(added)
        self.view.report_bar.show(self.state.by_report.get(doc.id), doc, (len(added), total))

    def adds_of(self, doc: Document, others: list[str]) -> tuple[list[Span], int]:
        """What `doc` adds to the `others` reports, and how many sentences it has; kept per pair."""
        key = (doc.id, tuple(sorted(others)))
        if key not in self._adds:
            text = readable(doc, "text")[0]
            other_texts = []
            for other in others:
                try:
                    other_texts.append(readable(self.corpus.get(other), "text")[0])
                except LookupError:  # removed by another process since: compared with those left
                    continue
            self._adds[key] = (added_sentences(text, other_texts), sentence_count(text))
        return self._adds[key]

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
            "next_report": self.several_reports(),
            "previous_report": self.several_reports(),
            "toggle_adds": self.several_reports(),
            "pick_name": bool(self.screen.view.header.names),
        }.get(action, True)

    def several_reports(self) -> bool:
        """Whether the open report's meeting has others: `{` `}` and `a` apply."""
        return len(self.state.reports_of(self.state.current_id or "")) > 1

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
