"""The status line: where the open meeting stands, the script, hits, find, scope, index, a message.

A message expires after a few seconds unless it states a lasting condition (a bad query, cleared by the
next search); one too long for the line goes to a notification instead of being cut.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual.timer import Timer
from textual.widgets import Static

from store import Script, preferred_standard, render, terminal_safe
from tui.state import Browsing, position_text
from tui.widgets.follow import follow_script
from tui.words import plural

SCRIPT_LABELS: dict[str, str] = {"orig": "原文", "simp": "简体", "trad": "繁體"}
# After 繁體: whose forms (store.script.STANDARDS).
STANDARD_MARKS: dict[str, str] = {"tw": "·臺", "hk": "·港", "opencc": "·OpenCC"}


def one_line(text: str) -> str:
    """Text from outside (a store name, an error quoting a path) as the status line may show it."""
    return terminal_safe(text).replace("\n", " ")


class StatusLine(Static):
    """One line under the search bar, drawn from the screen's `Browsing` state."""

    MESSAGE_SECONDS: ClassVar[float] = 5.0

    def __init__(self, state: Browsing, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.state = state
        self.message = ""
        self.script: Script = "orig"
        self.store_path = ""
        # A big store is still being read. Not `loading`: that is Widget.loading, which would cover the
        # line with a loading indicator instead of saying so.
        self.store_loading = False
        self.found: tuple[int | None, int] | None = None  # a find's current match and count
        self._shown: Text | None = None
        self._timer: Timer | None = None

    def on_mount(self) -> None:
        self.script = follow_script(self, self._script_changed)

    def _script_changed(self, script: Script) -> None:
        self.script = script
        self.show()

    def say(self, message: str, *, lasting: bool = False) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self.message = message
        if cell_len(self.text(with_store=False).plain) > self.size.width > 0:
            self.message = ""
            self.notify(message, timeout=self.MESSAGE_SECONDS * 2, markup=False)
        elif message and not lasting:
            self._timer = self.set_timer(self.MESSAGE_SECONDS, self._expire)
        self.show()

    def _expire(self) -> None:
        self._timer = None
        self.message = ""
        self.show()

    def show(self) -> None:
        text = self.text()
        if cell_len(text.plain) > self.size.width > 0:
            text = self.text(with_store=False)  # the store's name is the first thing to give way
        if text == self._shown:
            return  # every keystroke shows the status: only a change is drawn
        self._shown = text
        self.update(text, layout=False)  # one line across the screen: its text never changes its size

    def text(self, *, with_store: bool = True) -> Text:
        state, script = self.state, self.script
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append(" 阅览 ", style="bold reverse")
        position = position_text(state, loading=self.store_loading)
        if position:
            text.append(f" {position}")
        text.append(f" │ {SCRIPT_LABELS[script]}")
        if script == "trad":
            text.append(STANDARD_MARKS.get(preferred_standard(), ""), style="dim")
        if state.answer is not None and state.current_id in state.by_id:
            hits = len(state.hits_for(state.current_id or ""))
            shown = f"hit {state.hit + 1} of {hits}" if state.hit is not None else plural(hits, "hit")
            text.append(f" │ {shown}")
        if state.answer is not None and state.answer.words:  # nothing as typed: its words, ANDed
            words = terminal_safe(" ".join(render(w, script) for w in state.answer.words))
            text.append(f" │ words {words}")
        if self.found is not None:
            at = "" if self.found[0] is None else f"{self.found[0] + 1} of "
            text.append(f" │ find {at}{self.found[1]}", style="bold")
        if state.scope:
            text.append(f" │ in {render(state.scope, script)}", style="bold")
        if state.index_state != "ready":
            text.append(f" │ index {state.index_state}", style="dim")
        if self.message:
            text.append(f" │ {one_line(self.message)}", style="bold")  # errors quote names from outside
        if with_store:
            text.append(f" │ {one_line(Path(self.store_path).name)}", style="dim")  # OSC 0 retitled tmux
        return text
