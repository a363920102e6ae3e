"""The main screen's keys, in the order the footer shows them (it cuts off the rest at 80 columns);
the command palette and the help screen list the same bindings, so they can never disagree."""

from __future__ import annotations

from textual.binding import Binding, BindingType

from store import SCRIPTS, Script

MAIN_BINDINGS: list[BindingType] = [
    # A priority binding runs as the app reads the key, so characters typed in the same burst as /
    # (a fast typist, a paste, an input method over SSH) already find the search bar focused.
    Binding("slash", "focus_search", "Search", priority=True),
    # The footer's words are short (80 columns); the tooltip is what the palette and help call it.
    Binding("n", "next_hit", "Hits", key_display="n N", tooltip="Next hit"),
    Binding("N", "previous_hit", "Prev hit", show=False),
    Binding("escape", "clear_search", "Clear", tooltip="Clear search"),
    # Shown only when they apply (a search is on; another process imported reports): first then.
    Binding("l", "toggle_results", "List", tooltip="Show / fold the result list"),
    Binding("r", "reload", "Reload", tooltip="Load the reports imported since the browser opened"),
    # Shown only on a meeting several reports tell: step between them, mark what each adds.
    Binding("right_curly_bracket", "next_report", "Report", key_display="{ }", tooltip="Next report"),
    Binding("left_curly_bracket", "previous_report", "Prev report", show=False),
    Binding("a", "toggle_adds", "Adds", tooltip="Mark what this report adds to its meeting"),
    # Ordered by what a newcomer needs first: the footer cuts off the rest at 80 columns.
    Binding("t", "cycle_script", "Script"),
    Binding("y", "copy_passage", "Copy"),
    Binding("question_mark", "help", "Help"),
    Binding("q", "quit", "Quit"),
    Binding("left_square_bracket", "previous_meeting", "Prev meeting", show=False),
    Binding("right_square_bracket", "next_meeting", "Next meeting"),
    Binding("o", "toggle_raw", "Original"),
    Binding("Y", "copy_meeting", "Copy all", show=False),
    Binding("s", "scope", "Scope"),
    Binding("b", "toggle_tree", "Tree"),
    Binding("i", "info", "Store"),
    Binding("ctrl+f", "find", "Find", tooltip="Find in this meeting (/ in the reader)"),
    Binding("greater_than_sign", "tree_width(4)", "Width", key_display="< >", tooltip="Widen the tree"),
    Binding("less_than_sign", "tree_width(-4)", "Narrower", show=False, tooltip="Narrow the tree"),
    # The views (issue 14). `l` folds the result list while a search is on; else it is the timeline.
    Binding("p", "people", "People", tooltip="People: who took part, their posts and meetings"),
    Binding("m", "partnerships", "Pairs", tooltip="Partnerships: which provinces meet, how often"),
    Binding("l", "timeline", "Timeline", tooltip="Timeline: meetings by month"),
    # Shown only when the open meeting's header names officials: w moves across them, Enter a card.
    Binding("w", "pick_name", "Names", tooltip="Officials in the header: pick one, Enter opens their card"),
]

# `t`: 原文 → 简体 → 繁體 → 原文
NEXT_SCRIPT: dict[Script, Script] = {s: SCRIPTS[(i + 1) % len(SCRIPTS)] for i, s in enumerate(SCRIPTS)}
