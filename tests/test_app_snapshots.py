"""Snapshots of the main screen with a search highlighted, in 原文, 简体 and 繁體, at 80×24 and 120×40.

The in-memory seed corpus has a fixed store name and hand-labelled metadata, so the pictures change only
when the browser does. Regenerate after looking at them: `pytest tests/test_app_snapshots.py
--snapshot-update`.
"""

from __future__ import annotations

from typing import Any

import pytest
from helpers import MemoryCorpus, seed_documents

from tui.app import YuelanApp
from tui.settings import Settings
from tui.widgets.search_bar import SearchBar


def searched(query: str) -> Any:
    """Type a query, wait for its answer, open the best hit, then stop the cursor blinking."""

    async def run_before(pilot: Any) -> None:
        app = pilot.app
        app.screen.query_one(SearchBar).cursor_blink = False
        await pilot.press("slash", *query)
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("enter", "n")
        await app.workers.wait_for_complete()
        await pilot.pause()

    return run_before


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
@pytest.mark.parametrize("script", ["orig", "simp", "trad"])
def test_main_screen_with_search(snap_compare: Any, script: str, size: tuple[int, int]) -> None:
    app = YuelanApp(MemoryCorpus(seed_documents()), Settings(script=script))
    assert snap_compare(app, terminal_size=size, run_before=searched("團結"))


def choosing(query: str) -> Any:
    """Type a query and wait for its answer, the result list open (nothing opened yet)."""

    async def run_before(pilot: Any) -> None:
        app = pilot.app
        app.screen.query_one(SearchBar).cursor_blink = False
        await pilot.press("slash", *query)
        await app.workers.wait_for_complete()
        await pilot.pause()

    return run_before


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_result_list_while_choosing(snap_compare: Any, size: tuple[int, int]) -> None:
    """Snippets cut around their hit to the width drawn, the list's position under it (1–3 / 3)."""
    app = YuelanApp(MemoryCorpus(seed_documents()), Settings(script="orig"))
    assert snap_compare(app, terminal_size=size, run_before=choosing("团结"))
