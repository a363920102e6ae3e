"""The store screen (`i`): where the store lives, how many documents it holds, when the last import ran."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from store import StoreInfo, terminal_safe


def info_table(info: StoreInfo, index_state: str) -> Table:
    table = Table(show_header=False, box=None, padding=(0, 2))
    table.add_column(style="bold", no_wrap=True)
    table.add_column(overflow="fold")
    table.add_row("store 存储", terminal_safe(str(info.path)))
    table.add_row("documents 文档", str(info.documents))
    table.add_row("last import 导入", info.last_import or "never")
    table.add_row("search index 索引", f"{terminal_safe(str(info.index_path))} ({index_state})")
    return table


class InfoScreen(ModalScreen[None]):
    """A small modal; any of Esc, q, i closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,q,i", "dismiss", "Close")]
    DEFAULT_CSS = """
    InfoScreen { align: center middle; }
    InfoScreen > Vertical {
        width: 90%; max-width: 110; height: auto;
        border: round $accent; background: $panel; padding: 0 1;
    }
    """

    def __init__(self, info: StoreInfo, index_state: str) -> None:
        super().__init__()
        self.info = info
        self.index_state = index_state

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = "Store 存储"
            yield Static(info_table(self.info, self.index_state), id="info-table")
