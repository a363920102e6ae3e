"""Status line and footer at 80 columns: nothing is cut mid-word, messages expire, long ones notify."""

from __future__ import annotations

import pytest
from helpers import MemoryCorpus, run_async, seed_documents, status, type_query
from rich.cells import cell_len
from textual.widgets._footer import FooterKey

from store.corpus import Corpus
from tui.app import YuelanApp
from tui.widgets.meeting_tree import MeetingTree
from tui.widgets.status import StatusLine


@pytest.mark.parametrize("focus", ["tree", "reader"])
@run_async
async def test_the_footer_shows_whole_keys_only_and_always_help(focus: str) -> None:
    app = YuelanApp(MemoryCorpus(seed_documents()))
    async with app.run_test(size=(80, 24)) as pilot:
        await type_query(pilot, app, "团结")
        await pilot.press("enter")  # the reader has focus, a search is on: the most keys apply
        if focus == "tree":
            app.screen.query_one(MeetingTree).focus()
        await pilot.pause()
        keys = list(app.screen.query(FooterKey))
        assert keys and all(key.region.right <= 80 for key in keys), [
            (k.description, k.region) for k in keys if k.region.right > 80
        ]
        assert "Help" in {key.description for key in keys}


@run_async
async def test_a_message_expires(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(StatusLine, "MESSAGE_SECONDS", 1.0)
    app = YuelanApp(MemoryCorpus(seed_documents()))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("y")
        assert "copied" in status(app)
        await pilot.pause(1.5)
        assert "copied" not in status(app)


@run_async
async def test_a_long_message_goes_to_a_notification_not_a_cut_status(seed_corpus: Corpus) -> None:
    app = YuelanApp(seed_corpus)
    async with app.run_test(size=(80, 24)) as pilot:
        await type_query(pilot, app, "foo:bar")
        line = app.screen.query_one("#status").render()
        assert cell_len(str(line)) <= 80
        notes = [n.message for n in app._notifications]
        assert any("unknown filter foo" in n and n.endswith(")") for n in notes), notes


@run_async
async def test_the_status_line_never_asks_for_a_layout_and_redraws_only_a_change(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """It is shown at every keystroke; a layout is the whole screen's, and the line is one row across."""
    app = YuelanApp(MemoryCorpus(seed_documents()))
    async with app.run_test(size=(80, 24)) as pilot:
        line = app.screen.query_one(StatusLine)
        await pilot.pause()
        asked: list[bool] = []
        refresh = StatusLine.refresh

        def counted(self: StatusLine, *regions, **options):  # type: ignore[no-untyped-def]
            asked.append(bool(options.get("layout")))
            return refresh(self, *regions, **options)

        monkeypatch.setattr(StatusLine, "refresh", counted)
        line.show()  # nothing changed
        assert asked == []
        await type_query(pilot, app, "团结")
        assert asked and not any(asked) and "match" in status(app)
