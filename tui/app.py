"""The yuelan browser: a Textual app around one open `store.corpus.Corpus`.

The app holds what outlives a screen: the corpus, the script shown (a reactive every widget follows)
and the settings kept between runs. Reading, searching and navigating live in `tui.screens.main`.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from typing import TYPE_CHECKING, ClassVar

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.reactive import reactive
from textual.screen import Screen

from store import STANDARD_NAMES, Script, prefer_standard, preferred_standard
from tui.screens.commands import GotoProvider
from tui.screens.main import MainScreen
from tui.settings import Settings, load_settings, save_settings
from tui.widgets.panes import rendered

if TYPE_CHECKING:
    from store import Corpus

# Rich's names for terminals of 16 colours or fewer (TERM=xterm, linux, a Windows console).
FEW_COLOURS = frozenset({"standard", "windows"})


class YuelanApp(App[None]):
    """Tree, reading pane, incremental search, script toggle; every action on the keyboard."""

    CSS_PATH = "app.tcss"
    TITLE = "阅览 yuelan"
    COMMANDS: ClassVar = App.COMMANDS | {GotoProvider}
    ENABLE_COMMAND_PALETTE = True

    BINDINGS: ClassVar = [
        # As in every terminal program. Ctrl+C still copies a selection first (the search bar's, the
        # mouse's): those bindings skip when nothing is selected, and the key comes here.
        Binding("ctrl+c", "quit", "Quit", show=False),
        Binding("ctrl+z", "suspend_process", "Suspend", show=False),
    ]

    script: reactive[Script] = reactive("orig", init=False)

    def __init__(self, corpus: Corpus, settings: Settings | None = None) -> None:
        super().__init__()
        self.corpus = corpus
        self.settings = settings if settings is not None else load_settings()
        self.set_reactive(YuelanApp.script, self.settings.script)  # type: ignore[arg-type]
        prefer_standard(self.settings.standard)

    def on_mount(self) -> None:
        # Headless (tests, snapshots) draws the same whatever $TERM the test runner has.
        if not self.is_headless:
            self.set_colour_depth(self.console.color_system)

    def set_colour_depth(self, color_system: str | None) -> None:
        """Mark the app when the terminal has 16 colours or fewer, so app.tcss can pick styles that the
        downgrade to those colours keeps apart (see `FEW_COLOURS`)."""
        self.set_class(color_system in FEW_COLOURS, "-few-colours")

    def get_default_screen(self) -> Screen:
        return MainScreen(self.corpus, self.settings.history)

    def watch_script(self, script: Script) -> None:
        self.settings.script = script
        self._save()

    def set_standard(self, standard: str) -> None:
        """Show 繁體 in another region's forms from now on, and remember it."""
        prefer_standard(standard)
        self.settings.standard = preferred_standard()
        rendered.cache_clear()
        if self.script == "trad":
            self.mutate_reactive(YuelanApp.script)  # everything drawn in 繁體 is drawn again (and saved)
        else:
            self._save()

    def _main_screen(self) -> MainScreen | None:
        return next((s for s in reversed(self.screen_stack) if isinstance(s, MainScreen)), None)

    def remember_query(self, query: str) -> None:
        self.settings.remember(query)
        self._save()

    def save_settings(self) -> None:
        self._save()

    def _save(self) -> None:
        try:
            save_settings(self.settings)
        except OSError as exc:  # a read-only home must not stop reading
            self.notify(f"settings not saved: {exc}", severity="warning")

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """The built-in commands plus every action bound on the main screen."""
        yield from super().get_system_commands(screen)
        main = self._main_screen()
        if main is None:
            return
        for standard, name in STANDARD_NAMES.items():
            chosen = " (now)" if standard == preferred_standard() else ""
            yield SystemCommand(
                f"繁體 forms: {name}{chosen}",
                f"Traditional in {english_name(name)}'s forms (kept between runs)",
                partial(self.set_standard, standard),
            )
        for binding in MainScreen.BINDINGS:
            key, action = binding.key, binding.action  # type: ignore[union-attr]
            description = binding.tooltip or binding.description  # type: ignore[union-attr]
            if action == "quit":
                continue
            yield SystemCommand(f"{description} ({key})", f"key: {key}", partial(main.run_action, action))


def english_name(name: str) -> str:
    """The English of a standard's name ('臺灣 Taiwan' → 'Taiwan', '香港 Hong Kong' → 'Hong Kong')."""
    first, _, rest = name.partition(" ")
    return rest if rest and not first.isascii() else name


def run_app(corpus: Corpus) -> int:
    """Open the browser on a corpus; when the user quits, the exit code: 0, or 1 if the app crashed
    (Textual has already printed the traceback and restored the terminal)."""
    app = YuelanApp(corpus)
    app.run()
    return app.return_code or 0
