"""What the people, partnerships and timeline views share: they open at once over the main screen,
derive their data in a worker (tui.background.DerivedViews: about a second at 10k reports) while a line
says so, follow the script toggle, and read a meeting chosen in them in the main screen's reader."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Input, Static

from store import Derived, Script
from tui.keys import NEXT_SCRIPT
from tui.messages import ViewMeetingChosen
from tui.screens.help import HelpScreen
from tui.widgets.follow import follow_script
from tui.widgets.footer import FittingFooter

if TYPE_CHECKING:
    from tui.screens.main import MainScreen

PROGRESS_SECONDS = 0.25  # how often the line under the title says how far the build has got

# Keys that are characters: typed into a view's search field while it has the focus, keys elsewhere.
TYPED_ACTIONS = frozenset({"back_q", "cycle_script", "help"})


class ViewScreen(Screen[None]):
    """A view over the main screen; Esc (or q) goes back to it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back"),
        Binding("q", "back_q", "Back", show=False),
        Binding("t", "cycle_script", "Script"),
        Binding("question_mark", "help", "Help"),
    ]
    DEFAULT_CSS = """
    ViewScreen #view-title { height: 1; padding: 0 1; background: $boost; text-style: bold; }
    ViewScreen #view-loading { height: 1; padding: 0 1; color: $text-muted; }
    """
    TITLE: ClassVar[str] = ""

    def __init__(self, main: MainScreen) -> None:
        super().__init__()
        self.main = main
        self.derived: Derived | None = None
        self.script: Script = "orig"
        # When the key was taken, the view first drawn, its data drawn (tools/views_bench.py reads them).
        self.opened_at, self.drawn_at, self.filled_at = time.perf_counter(), 0.0, 0.0
        self._progress_timer: Timer | None = None

    def compose(self) -> ComposeResult:
        yield Static(self.TITLE, id="view-title")
        yield Static("", id="view-loading")
        yield from self.compose_view()
        yield FittingFooter()

    def compose_view(self) -> ComposeResult:
        yield from ()

    def on_mount(self) -> None:
        self.script = follow_script(self, self._script_changed)
        self.call_after_refresh(self._drawn)
        ready = self.main.derived.ready(self.main.corpus)
        if ready is not None:
            self._fill(ready)
        else:
            meetings = len(self.main.corpus)  # type: ignore[arg-type]
            self.query_one("#view-loading", Static).update(f"reading {meetings:,} reports…")
            self._progress_timer = self.set_interval(PROGRESS_SECONDS, self._progress)
            self._derive()

    def _progress(self) -> None:
        if self.derived is None:
            meetings, done = len(self.main.corpus), self.main.derived.progress()  # type: ignore[arg-type]
            self.query_one("#view-loading", Static).update(f"reading {meetings:,} reports… {done:.0%}")

    @work(thread=True, exit_on_error=False, group="derive")
    def _derive(self) -> None:
        derived = self.main.derived.build(self.main.corpus)
        self.app.call_from_thread(self._show, derived)

    def _show(self, derived: Derived) -> None:
        if self.is_mounted:  # not gone back from before the data came
            self._fill(derived)

    def _fill(self, derived: Derived) -> None:
        if self._progress_timer is not None:
            self._progress_timer.stop()
        self.derived = derived
        self.query_one("#view-loading", Static).display = False
        self.show(derived)
        self.call_after_refresh(self._filled)

    def _drawn(self) -> None:
        self.drawn_at = self.drawn_at or time.perf_counter()

    def _filled(self) -> None:
        self.filled_at = time.perf_counter()

    def show(self, derived: Derived) -> None:
        """Fill the view (on the event loop, once the data is there)."""

    def _script_changed(self, script: Script) -> None:
        self.script = script
        if self.derived is not None:
            self.script_changed(script)

    def script_changed(self, script: Script) -> None:
        """Redraw what the view drew in text of the reports (widgets that follow the script do it alone)."""

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # while the search field has the focus, a character key is typed into it
        return not (action in TYPED_ACTIONS and isinstance(self.focused, Input))

    def action_back(self) -> None:
        self.dismiss()

    action_back_q = action_back

    def action_cycle_script(self) -> None:
        self.app.script = NEXT_SCRIPT[self.app.script]  # type: ignore[attr-defined]

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen())

    @on(ViewMeetingChosen)
    def _read(self, message: ViewMeetingChosen) -> None:
        """Back to the main screen, the meeting open in the reader."""
        message.stop()
        main = self.main
        while len(self.app.screen_stack) > 1 and self.app.screen is not main:
            self.app.pop_screen()
        main.open_id(message.doc_id, None, focus=True)
