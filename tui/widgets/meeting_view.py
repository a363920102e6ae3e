"""The right-hand column: the result list over the open meeting's header and reading panes.

It shows what the screen opens (a meeting, its hits, a search's results), folds the result list away
once a result is opened (`l` brings it back) and copies passages with their citation.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.reactive import reactive

from store import Document, Meeting, SearchAnswer, Span
from tui.citation import citation
from tui.state import MeetingMatch, readable
from tui.widgets.doc_header import DocHeader
from tui.widgets.panes import ReadingPanes, rendered
from tui.widgets.reader import Reader
from tui.widgets.report_bar import ReportBar
from tui.widgets.results import ResultList
from tui.words import plural


class MeetingView(Vertical):
    """`#results`, `#doc-header`, `#report-bar` (a meeting of several reports) and `#panes` (`#reader`,
    `#raw`)."""

    # Once a result is opened the list folds away and the reader takes its rows; `l` brings it back.
    results_folded: reactive[bool] = reactive(False)

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.searching = False

    def compose(self) -> ComposeResult:
        yield ResultList(id="results")
        yield DocHeader(id="doc-header")
        yield ReportBar(id="report-bar")
        yield ReadingPanes(id="panes")

    @property
    def results(self) -> ResultList:
        return self.query_one(ResultList)

    @property
    def header(self) -> DocHeader:
        return self.query_one(DocHeader)

    @property
    def report_bar(self) -> ReportBar:
        return self.query_one(ReportBar)

    @property
    def panes(self) -> ReadingPanes:
        return self.query_one(ReadingPanes)

    @property
    def reader(self) -> Reader:
        return self.query_one("#reader", Reader)

    def open(
        self,
        doc: Document | None,
        hits: Sequence[Span] = (),
        hit: int | None = None,
        meeting: Meeting | None = None,
    ) -> None:
        """Show a document (None: the store has none); with `hit`, at that hit. A report of a `meeting`
        of several shows the meeting's header and, under it, the report's own line."""
        several = meeting if meeting is not None and len(meeting.reports) > 1 else None
        if several is not None:
            self.header.show_meeting(several)
        else:
            self.header.show_document(doc)
        self.report_bar.show(several, doc)
        if doc is None:
            return
        self.panes.show(doc, hits, hit)
        if self.searching and not self.results.has_focus:
            self.results.follow(doc.id)  # ] and n move through the results: the list shows where

    def show_answer(self, answer: SearchAnswer, matched: Sequence[MeetingMatch] | None = None) -> None:
        """The result list: `matched`, the results rolled up by meeting (else each report its own)."""
        self.searching = True
        self.results.show_results(answer.results if matched is None else matched)
        self.results_folded = False
        self.results.display = True

    def drop_answer(self) -> None:
        self.searching = False
        self.results.display = False

    def watch_results_folded(self, folded: bool) -> None:
        results = self.results
        results.display = self.searching and not folded
        if folded and results.has_focus:
            self.reader.focus()

    def toggle_results(self, doc_id: str | None) -> None:
        """Fold the result list away, or bring it back with the cursor on the open meeting."""
        if not self.searching:
            return
        self.results_folded = not self.results_folded
        if not self.results_folded:
            if doc_id is not None:
                self.results.follow(doc_id)
            self.results.focus()

    def copy(self, *, whole: bool = False) -> list[str]:
        """Copy the passage under the cursor (or the whole meeting) with its citation; what to say."""
        doc, said = self.panes.document, []
        if doc is None:
            return said
        if whole:
            text, error = readable(doc, "text")
            said += [error] if error else []
            passage = rendered(text, self.panes.script).strip()
        else:
            reader = self.panes.raw if self.panes.raw.has_focus else self.reader
            start, end = reader.passage_at_cursor()
            passage = reader.text[start:end].strip()
        text, error = readable(doc, "text")
        said += [error] if error else []
        self.app.copy_to_clipboard(f"{passage}\n{citation(doc, self.panes.script, text)}")
        return [*said, f"已复制 copied {plural(len(passage), 'char')} + citation"]
