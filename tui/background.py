"""The browser's slow work, run in thread workers that report back by posting messages: a big store's
tree, the search index and the word split after the first frame, a store another process replaced, and
the data of the people, partnerships and timeline views."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.message import Message

from store import PACE_EVERY, Corpus
from tui.messages import CorpusLoaded, IndexReady, StoreChanged
from tui.widgets.meeting_tree import placements

if TYPE_CHECKING:
    from store import Derived

Post = Callable[[Message], object]
BUILD_PAUSE = 0.0005  # seconds the views' build sleeps every ~1 ms of work (store.analysis.pacing)


def warm(corpus: Corpus, post: Post, load_corpus: bool = False) -> None:
    """A big store's tree (when `load_corpus`), then the search index and the word split a query with no
    exact match falls back to (jieba's dictionary mapped, not jieba: the browser teaches it no words)."""
    if load_corpus:
        meetings = corpus.meetings()
        roots = corpus.tree(meetings)
        post(CorpusLoaded(corpus.documents(), roots, placements(roots), meetings))
    try:
        corpus.search_index()
        # Imported here: jieba must stay off the path to the first frame (a test holds it to that).
        from store import warm_up_splitter

        warm_up_splitter()
        state = "ready"
    except Exception as exc:  # the browser still reads; search reports its own errors
        state = f"unavailable: {exc}"
    post(IndexReady(state))


class StoreWatch:
    """Has the store file been replaced (`yuelan import` in another terminal)? One stat on the event loop
    every few seconds; reading the new store, to count what is new, happens in a worker."""

    def __init__(self, run: Callable[..., Any], post: Post) -> None:
        self.run = run  # the host's run_worker
        self.post = post
        self.fresh: Corpus | None = None  # the store as another process left it, read but not shown yet
        self.checking = False

    def check(self, shown: Corpus, shown_ids: Callable[[], set[str]]) -> None:
        if self.checking:
            return
        latest = self.fresh if self.fresh is not None else shown
        if not latest.replaced_on_disk():  # type: ignore[attr-defined]
            return
        self.checking = True
        self.run(
            lambda: self._read(Path(shown.path), shown_ids()), thread=True, group="store", exit_on_error=False
        )

    def _read(self, path: Path, shown_ids: set[str]) -> None:
        try:
            fresh = Corpus.open(path, seed_if_new=False)
        except Exception as exc:  # a store mid-write or damaged: say so, keep reading the old one
            self.post(StoreChanged(None, 0, str(exc)))
            return
        self.post(StoreChanged(fresh, sum(1 for d in fresh.documents() if d.id not in shown_ids)))

    def answered(self, message: StoreChanged) -> None:
        self.checking = False
        if message.fresh is not None:
            self.fresh = message.fresh

    def take(self) -> Corpus | None:
        fresh, self.fresh = self.fresh, None
        return fresh


class DerivedViews:
    """The people, partnerships and timeline views' data (store.Derived) for the store on screen: built
    once, in a worker thread, the first time a view opens, and again only for another store (a reload)."""

    def __init__(self) -> None:
        self._corpus: Corpus | None = None
        self._value: Derived | None = None
        self._lock = threading.Lock()
        self.paces, self.expected = 0, 1  # how far a build has got, for the view's progress line

    def progress(self) -> float:
        """About how much of the build is done, 0 to 1 (by the pauses it took: store.analysis.pacing)."""
        return min(self.paces / self.expected, 1.0)

    def _pace(self) -> None:
        self.paces += 1
        time.sleep(BUILD_PAUSE)

    def ready(self, corpus: Corpus) -> Derived | None:
        """The data if already built for this store, else None (then `build` in a worker)."""
        return self._value if self._corpus is corpus else None

    def build(self, corpus: Corpus) -> Derived:
        """Derive (slow at 10k reports: call it in a thread worker); two views asking at once wait for
        one build."""
        with self._lock:
            if self._corpus is not corpus or self._value is None:
                from store import derive, paused_gc  # with the first view: the gazetteer, the pinyin table

                # pure-Python work holds the GIL: pausing often hands it to the event loop (pacing.py).
                # The build makes ~10^5 objects kept as long as the store: the cyclic collector held,
                # then those frozen, so no full collection on the event loop rescans them (a pause of
                # over a second at 10k reports), as the store's own objects are.
                # one pause after grouping the meetings, then one per EVERY meetings in each of three passes
                self.paces, self.expected = 0, 1 + 3 * len(corpus) // PACE_EVERY  # type: ignore[arg-type]
                with paused_gc():
                    self._value = derive(corpus, pace=self._pace)
                    self._corpus = corpus
            return self._value
