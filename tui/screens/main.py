"""The main screen: the tree, the meeting view (results, header, text), the search row, status, footer.

The screen composes the widgets and routes keys and what the widgets report (`tui.messages`) to
`tui.browser.Browser`, which carries them out on the state in `tui.state.Browsing`. Slow work runs in
thread workers (the search bar's search, `tui.background`): the event loop only draws and dispatches.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Input

from store import Script
from tui import messages as msg
from tui.background import DerivedViews, StoreWatch, warm
from tui.browser import Browser
from tui.keys import MAIN_BINDINGS, NEXT_SCRIPT
from tui.screens.help import HelpScreen
from tui.screens.info import InfoScreen
from tui.state import Browsing
from tui.widgets.find_bar import FindBar
from tui.widgets.footer import FittingFooter
from tui.widgets.meeting_tree import MeetingTree
from tui.widgets.meeting_view import MeetingView
from tui.widgets.reader import Reader
from tui.widgets.search_bar import SearchBar
from tui.widgets.status import StatusLine

if TYPE_CHECKING:
    from store import Corpus
    from tui.app import YuelanApp

SYNC_LOAD_LIMIT = 2000  # up to this many documents the tree is built before the first frame (a few ms)
NARROW_WIDTH = 70
SHORT_HEIGHT = 20


def _state(name: str) -> Any:
    """A field of the screen's `Browsing`, readable on the screen (the palette and tests read it)."""
    return property(lambda screen: getattr(screen.state, name))


def _to_browser(method: str, *args: Any) -> Any:
    """An action, message handler or entry point that passes the call on (with the message, or the
    caller's arguments) to `Browser.<method>`: the screen routes, the browser acts."""

    def route(screen: MainScreen, *given: Any, **keywords: Any) -> Any:
        return getattr(screen.browser, method)(*args, *given, **keywords)

    route.__doc__ = f"`Browser.{method}`"
    return route


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
        self._narrow = self.big_store = False
        self.browser = Browser(self)
        self.derived = DerivedViews()  # the people, partnerships and timeline views' data, once built

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
        # The bars are the screen's own children: keys typed before the first frame find them mounted.
        yield (bar := SearchBar(self.history, self.state, self.corpus, id="search"))
        yield (find := FindBar(bar, id="find"))
        yield (status := StatusLine(self.state, id="status"))
        yield FittingFooter()
        self.meetings, self.view, self.bar, self.find, self.status = meetings, view, bar, find, status

    def on_mount(self) -> None:
        self.meetings.set_width(self.yuelan.settings.tree_width)
        # Keys typed ahead of the first frame may already have focused the search bar (/ is a priority
        # binding); the tree must not take the focus back from under them.
        if self.focused is None:
            self.set_focus(self.meetings)
        self.big_store = len(self.corpus) > SYNC_LOAD_LIMIT  # type: ignore[arg-type]
        self.browser.start()
        self.call_after_refresh(self._after_first_frame)  # the index and jieba: after the first frame
        if hasattr(self.corpus, "replaced_on_disk"):
            self.set_interval(self.STORE_CHECK_SECONDS, self.browser.check_store)

    def _after_first_frame(self) -> None:
        self.jieba_at_first_frame = "jieba" in sys.modules
        self.warm_index(self.big_store)

    def warm_index(self, load_corpus: bool = False) -> None:
        work = lambda: warm(self.corpus, self.post_message, load_corpus)  # noqa: E731
        self.run_worker(work, thread=True, group="warm", exit_on_error=False)

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

    # -- what the widgets and workers report (the search bar drops answers the user has typed past) --

    _corpus_loaded = on(msg.CorpusLoaded)(_to_browser("corpus_loaded"))
    _index_ready = on(msg.IndexReady)(_to_browser("index_ready"))
    _store_changed = on(msg.StoreChanged)(_to_browser("store_changed"))
    _meeting_highlighted = on(msg.MeetingHighlighted)(_to_browser("preview"))
    _meeting_selected = on(msg.MeetingSelected)(_to_browser("select"))
    _result_highlighted = on(msg.ResultHighlighted)(_to_browser("preview_result"))
    _result_selected = on(msg.ResultSelected)(_to_browser("open_result"))
    _search_done = on(msg.SearchDone)(_to_browser("answered"))
    _search_failed = on(msg.SearchFailed)(_to_browser("search_failed"))
    _search_cleared = on(msg.SearchCleared)(_to_browser("search_cleared"))
    _find_marked = on(msg.FindMarked)(_to_browser("find_marked"))
    _notice = on(msg.Notice)(_to_browser("notice"))
    _find_toggled = on(msg.FindToggled)(_to_browser("find_toggled"))
    _submitted = on(Input.Submitted, "#search")(_to_browser("submitted"))

    # -- focus -----------------------------------------------------------------------------------

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        if event.widget is self.view.reader:
            self.text_focus_by_layout = False

    def on_click(self, event: events.Click) -> None:
        if isinstance(event.widget, Reader):
            self.text_focus_by_layout = False

    # -- keys ------------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.browser.key_applies(action)

    def action_focus_search(self) -> None:
        in_text = any(r.has_focus for r in self.query(Reader)) and not self.text_focus_by_layout
        if self.current is not None and in_text:
            self.action_find()  # / in the text finds in the text, as in less
            return
        self.set_focus(self.bar)  # at once (Widget.focus defers it): keys typed after / reach the bar

    def action_find(self) -> None:
        if self.current is not None:
            self.find.open(self.view.reader)

    def action_clear_search(self) -> None:
        if self.find.close():
            return
        was_searching = self.bar.has_focus
        self.browser.clear_search()
        if was_searching or self.focused is None:
            (self.meetings if self.show_tree else self.view.reader).focus()

    action_next_hit = _to_browser("step_hit", 1)
    action_previous_hit = _to_browser("step_hit", -1)
    action_next_meeting = _to_browser("step_meeting", 1)
    action_previous_meeting = _to_browser("step_meeting", -1)
    action_toggle_results = _to_browser("toggle_results")
    action_copy_passage = _to_browser("copy")
    action_copy_meeting = _to_browser("copy", True)
    action_scope = _to_browser("scope")
    action_next_report = _to_browser("step_report", 1)
    action_previous_report = _to_browser("step_report", -1)
    action_toggle_adds = _to_browser("toggle_adds")

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

    def action_reload(self) -> None:
        if (fresh := self.store.take()) is not None:
            self.browser.reload(fresh)

    def action_info(self) -> None:
        self.app.push_screen(InfoScreen(self.corpus.info(), self.index_state))

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen())

    async def action_quit(self) -> None:
        self.app.exit()

    # -- the views (issue 14): pushed over this screen, their data built in a worker -----------------

    def action_people(self) -> None:
        from tui.screens.people import PeopleScreen

        reading = self.current is not None and self.view.reader.has_focus
        self.app.push_screen(PeopleScreen(self, self.current.id if reading and self.current else None))

    def action_partnerships(self) -> None:
        from tui.screens.partners import PartnershipsScreen

        self.app.push_screen(PartnershipsScreen(self))

    def action_timeline(self) -> None:
        from tui.screens.timeline import TimelineScreen

        self.app.push_screen(TimelineScreen(self))

    def action_pick_name(self) -> None:
        self.view.header.pick()

    @on(msg.OfficialChosen)
    def _official_chosen(self, message: msg.OfficialChosen) -> None:
        """A name in the header: that official's card, the person of that name at this meeting."""
        from tui.screens.people import PeopleScreen

        at = self.current.id if self.current is not None else None
        self.app.push_screen(PeopleScreen(self, at, name=message.name, at_meeting_only=True))

    def open_person(self, name: str) -> None:
        """The people view searching for one name (the palette's people, a name in a meeting's header)."""
        from tui.screens.people import PeopleScreen

        self.app.push_screen(PeopleScreen(self, name=name))

    # -- entry points for the palette (and tests) --------------------------------------------------

    open_id = _to_browser("open_id")
    go_to_province = _to_browser("go_to_province")
    search_for = _to_browser("search_for")
    say = _to_browser("say")

    def status_text(self) -> Text:
        """The status line as drawn now (tests read it)."""
        return self.status.text()
