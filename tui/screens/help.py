"""The help screen (`?`): every key the browser knows, grouped by where it applies."""

from __future__ import annotations

from typing import ClassVar

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

KEYS: list[tuple[str, list[tuple[str, str]]]] = [
    (
        "Everywhere 到处",
        [
            ("/", "search (搜索): type to search as you go; in the reading pane, find in this meeting"),
            ("ctrl+f", "find in this meeting (在本文查找); n N step through its matches, esc ends it"),
            ("n  N", "next / previous hit, on to the next / previous meeting at the ends (of a find: match)"),
            ("escape", "end a find; else clear the search, restore the tree, keep the selection"),
            ("[  ]", "previous / next meeting"),
            ("{  }", "previous / next report of this meeting, when several reports tell it (报道 2/3)"),
            ("a", "mark what this report adds: sentences no other report of its meeting has (again: off)"),
            ("t", "script: 原文 → 简体 → 繁體 (kept); ctrl+p picks Taiwan, HK or OpenCC's 繁體"),
            ("o", "the original (raw) text beside the cleaned one"),
            ("y", "copy the passage under the cursor with a citation line"),
            ("Y", "copy the whole meeting with a citation line"),
            ("s", "scope the search to the province under the tree cursor (again: all provinces)"),
            ("b", "show / hide the tree (it folds away on a narrow terminal)"),
            ("l", "show / fold the result list (it folds once a result is opened)"),
            ("<  >", "narrow / widen the tree (kept between runs)"),
            ("r", "load the reports another yuelan imported while this one was open"),
            ("i", "where the store lives, how many documents, the last import"),
            ("p", "people (人物): search by name or pinyin; from the text, this meeting's people first"),
            ("w", "officials in the meeting's header: w → next, W ← back, enter (or a click) their card"),
            ("m", "partnerships (合作): provinces × provinces heat map, meetings by year"),
            ("l", "timeline (时间线): meetings by month (while searching, l folds the result list)"),
            ("tab  shift+tab", "next / previous pane"),
            ("ctrl+p", "command palette: go to province / meeting / person, every action"),
            ("?", "this help"),
            ("q  ctrl+c", "quit (ctrl+c copies a mouse selection first)"),
            ("ctrl+z", "suspend to the shell; fg comes back"),
        ],
    ),
    (
        "Tree and results 树与结果",
        [
            ("↑  ↓  j  k", "move"),
            ("enter", "open the meeting (or a province / prefecture)"),
            ("space", "open or close a branch"),
            ("g  G  home  end", "first / last"),
            ("pgup  pgdn", "a page up / down"),
        ],
    ),
    (
        "Reading pane 阅读",
        [
            ("↑  ↓  j  k", "move the cursor line"),
            ("pgup  pgdn  space", "a page up / down"),
            ("g  G  home  end", "top / bottom"),
        ],
    ),
    (
        "People, partnerships, timeline 人物 合作 时间线",
        [
            ("enter", "open: a person's card, a pair's meetings, a meeting in the reader"),
            ("↑  ↓  ←  →  h j k l", "move (the partnership map: between cells)"),
            ("/  ↓", "people: back to the search field / down into the list"),
            ("t", "script, as everywhere"),
            ("escape  q", "back"),
        ],
    ),
    (
        "Search bar 搜索栏",
        [
            ("↑  ↓", "earlier / later queries (history kept between runs)"),
            ("enter", "open the best hit"),
            ("escape", "clear the search"),
        ],
    ),
]


class HelpTable:
    """Each section under its title, its keys in one column as wide as the longest key of all.

    Section titles sit on their own line: in the key column they made it as wide as the longest
    title and squeezed the explanations into two lines each at 80 columns. The explanations are
    wrapped here, to the width the help has when drawn, rather than by a Rich table: a table cell
    wrapped text with Chinese in it a cell wider than it then drew, cutting a word to "i…".
    """

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        key_width = max(cell_len(key) for _, keys in KEYS for key, _ in keys)
        width = max(10, options.max_width - key_width - 3)  # a space before, between and after
        for title, keys in KEYS:
            yield Text(f" {title} ", style="reverse")
            for key, what in keys:
                for number, line in enumerate(Text(what).wrap(console, width)):
                    line.rstrip()
                    shown = key if number == 0 else ""
                    padded = shown + " " * (key_width - cell_len(shown))
                    yield Text.assemble(" ", (padded, "bold"), " ", line)
            yield Text("")
        yield Text("Mouse: click a node, a result or a line. Esc or ? closes this help.", style="dim")


class HelpScreen(ModalScreen[None]):
    """A scrollable list of every key; Esc, q or ? closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "dismiss", "Close"),
        Binding("j,down", "scroll(1)", "Down", show=False),
        Binding("k,up", "scroll(-1)", "Up", show=False),
    ]
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 90%; max-width: 100; height: 90%;
        border: round $accent; background: $panel; padding: 0 1;
    }
    """

    def compose(self) -> ComposeResult:
        with VerticalScroll() as scroll:
            scroll.border_title = "Keys 按键"
            yield Static(HelpTable(), id="help-keys")

    def action_scroll(self, step: int) -> None:
        self.query_one(VerticalScroll).scroll_relative(y=step, animate=False)
