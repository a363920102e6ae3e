"""The footer: the keys that apply now, as many as fit whole, `? Help` always among them.

Textual's footer scrolls sideways and cuts the last key mid-word at 80 columns (`o Origi▏`); this
one leaves out the keys that do not fit, in the order the bindings are declared (most needed first),
and keeps the help key, which lists them all.
"""

from __future__ import annotations

from rich.cells import cell_len
from textual import events
from textual.app import ComposeResult
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

HELP_ACTION = "help"


def key_width(key: FooterKey) -> int:
    """Cells one key takes in the (non-compact) footer: ` k ` then `description `."""
    if key.has_class("-command-palette"):
        return cell_len(key.key_display) + 1 + cell_len(key.description) + 3  # border and padding
    width = cell_len(key.key_display) + 2
    return width + (cell_len(key.description) + 1 if key.description else 0)


def fitting(keys: list[FooterKey], width: int) -> list[FooterKey]:
    """The keys to show in `width` cells: in order while they fit, the help key kept in any case."""
    palette = [k for k in keys if k.has_class("-command-palette")]
    others = [k for k in keys if not k.has_class("-command-palette")]
    budget = width - sum(key_width(k) for k in palette)
    help_key = next((k for k in others if k.action == HELP_ACTION), None)
    reserve = key_width(help_key) if help_key is not None else 0
    shown: list[FooterKey] = []
    used = 0
    for key in others:
        if key is help_key:
            continue
        if used + key_width(key) + reserve > budget:
            break
        shown.append(key)
        used += key_width(key)
    if help_key is not None:
        place = others.index(help_key)
        before = sum(1 for k in shown if others.index(k) < place)
        shown.insert(before, help_key)
    return shown + palette


class FittingFooter(Footer):
    """A footer that never cuts a key: what does not fit is left to the help screen."""

    def compose(self) -> ComposeResult:
        keys = list(super().compose())
        if not all(isinstance(k, FooterKey) for k in keys):
            yield from keys  # grouped keys (none here): Textual's own layout
            return
        width = self.size.width or self.app.size.width
        yield from fitting(keys, width)  # type: ignore[arg-type]

    def on_resize(self, event: events.Resize) -> None:
        self.call_after_refresh(self.recompose)
