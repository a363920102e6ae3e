"""Widgets follow the app's script (原文/简体/繁體) themselves, rather than being told by the screen."""

from __future__ import annotations

from collections.abc import Callable

from textual.reactive import Reactive
from textual.widget import Widget

from store import Script


def follow_script(widget: Widget, callback: Callable[[Script], object]) -> Script:
    """Call `callback` with the new script whenever the app's `script` changes, for as long as the widget
    is mounted; the script now. An app without one (a widget under test alone) shows the original."""
    if not isinstance(getattr(type(widget.app), "script", None), Reactive):
        return "orig"
    widget.watch(widget.app, "script", callback, init=False)
    return widget.app.script  # type: ignore[attr-defined,no-any-return]
