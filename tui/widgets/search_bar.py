"""The search bar: type to search every meeting as you go; ↑/↓ walk the search history, as a shell does.

The bar owns the search itself. Each query runs in a thread worker and a newer keystroke cancels the
one before (an exclusive worker); a query that only adds to the previous one refines its answer instead
of searching the whole index; an answer that arrives for a query no longer in the bar, or for another
scope, is dropped here. The screen sees only answers that still hold (`SearchDone`) and an emptied bar
(`SearchCleared`).
"""

from __future__ import annotations

import time
from functools import partial
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on
from textual.binding import Binding, BindingType
from textual.widgets import Input
from textual.worker import get_current_worker

from store import SearchAnswer
from tui.messages import SearchCleared, SearchDone, SearchFailed
from tui.state import Browsing

if TYPE_CHECKING:
    from store import Corpus

PLACEHOLDER = '/ 搜索 search: 团结  團結  hemoubao  "phrase"  -not  province:西藏'
RESULT_LIMIT = 200


class SearchBar(Input):
    """Typing searches as you go; ↑/↓ recall earlier queries (most recent first)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "submit", "Open best hit"),
        Binding("up", "history(-1)", "History", key_display="↑↓"),
        Binding("down", "history(1)", "Later query", show=False),
    ]

    def __init__(
        self,
        history: list[str],
        state: Browsing | None = None,
        corpus: Corpus | None = None,
        *,
        id: str | None = None,
    ) -> None:
        super().__init__(placeholder=PLACEHOLDER, id=id)
        self.history = history
        self.state = state if state is not None else Browsing()  # the scope, and the answer to refine
        self.corpus = corpus
        self.open_when_answered = False  # Enter came before the answer: open its best meeting on arrival
        self._position: int | None = None
        self._draft = ""

    # -- searching -------------------------------------------------------------------------------

    @property
    def query_text(self) -> str:
        return self.value.strip()

    @on(Input.Changed)
    def _query_changed(self, event: Input.Changed) -> None:
        event.stop()
        if query := event.value.strip():
            self.start(query)
        else:
            self.post_message(SearchCleared())

    def start(self, query: str) -> None:
        """Search for `query` in the scope now, refining the answer shown when the query narrows it."""
        work = partial(self._search, self.corpus, query, self.state.scope, self.state.refinable(query))
        # a description, or Textual makes one with repr(work): the previous answer, every result and
        # hit of it, on every keystroke (100–200 ms at 10k documents)
        self.run_worker(
            work, thread=True, exclusive=True, group="search", exit_on_error=False, description="search"
        )

    def cancel(self) -> None:
        self.open_when_answered = False
        self.workers.cancel_group(self, "search")

    def _search(self, corpus: Any, query: str, scope: str | None, previous: SearchAnswer | None) -> None:
        """One query, off the event loop; a newer keystroke cancels it and its answer is dropped."""
        worker = get_current_worker()
        started = time.perf_counter()
        try:
            answer = corpus.search(query, limit=RESULT_LIMIT, scope_province=scope, previous=previous)
        except Exception as exc:  # a malformed query (QueryError) or a broken index: the status line says
            if not worker.is_cancelled:
                self.post_message(SearchFailed(query, scope, str(exc) or type(exc).__name__))
            return
        if not worker.is_cancelled:
            self.post_message(SearchDone(answer, scope, time.perf_counter() - started))

    def is_current(self, query: str, scope: str | None) -> bool:
        """Whether an answer to `query` in `scope` is still what the user asks for."""
        return query == self.query_text and scope == self.state.scope

    @on(SearchDone)
    def _drop_stale_answer(self, message: SearchDone) -> None:
        if not self.is_current(message.answer.query, message.scope):
            message.stop()  # stale: the user has typed on

    @on(SearchFailed)
    def _drop_stale_failure(self, message: SearchFailed) -> None:
        if not self.is_current(message.query, message.scope):
            message.stop()

    def take_open_request(self) -> bool:
        """Whether Enter asked for the best meeting before this answer arrived (asked once)."""
        asked, self.open_when_answered = self.open_when_answered, False
        return asked

    def clear(self) -> None:
        self.forget_position()
        self.value = ""

    # -- history ---------------------------------------------------------------------------------

    def action_history(self, step: int) -> None:
        """Move through the history; stepping past the newest entry brings back what was being typed."""
        if not self.history:
            return
        if self._position is None:
            if step > 0:
                return
            self._draft = self.value
            position = len(self.history) - 1
        else:
            position = self._position + step
        if position < 0:
            return
        if position >= len(self.history):
            self._position = None
            self.value = self._draft
        else:
            self._position = position
            self.value = self.history[position]
        self.cursor_position = len(self.value)

    def forget_position(self) -> None:
        """After a query is run or cleared, ↑ starts again from the newest entry."""
        self._position = None
