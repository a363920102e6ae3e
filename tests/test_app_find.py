"""Find in the open meeting (`/` in the reader, ctrl+f), n/N between matches, as in less."""

from __future__ import annotations

from helpers import MemoryCorpus, parts, run_async, seed_documents, status
from textual import events

from store.text.script import fold
from tui.app import YuelanApp
from tui.widgets.find_bar import FindBar, find_all

SIZE = (80, 24)


def test_find_all_matches_either_script_at_the_same_offsets() -> None:
    text = "西藏自治區與四川省，西藏、四川"
    assert [(s.start, s.end) for s in find_all(text, "西藏")] == [(0, 2), (10, 12)]
    assert [(s.start, s.end) for s in find_all(text, "自治区")] == [(2, 5)]
    assert find_all(text, "") == [] and find_all(text, "上海") == []


@run_async
async def test_slash_in_the_reader_finds_in_the_text_and_n_steps() -> None:
    app = YuelanApp(MemoryCorpus(seed_documents()))
    async with app.run_test(size=SIZE) as pilot:
        screen, _, reader, bar = parts(app)
        reader.focus()
        await pilot.pause()
        await pilot.press("slash", "西", "藏")
        find = screen.query_one(FindBar)
        assert find.has_focus and find.display and not bar.display
        expected = [i for i in range(len(reader.text)) if fold(reader.text[i : i + 2]) == "西藏"]
        assert [m.start for m in reader.found] == expected and len(expected) > 3
        assert reader.current_found == 0 and reader.line_of(expected[0]) == reader.cursor_line
        assert f"find 1 of {len(expected)}" in status(app)
        await pilot.press("enter")
        assert reader.has_focus and bar.display and not find.display
        await pilot.press("n", "n")
        assert reader.current_found == 2 and reader.cursor_line == reader.line_of(expected[2])
        await pilot.press("N", "N", "N")  # back past the first: wraps to the last
        assert reader.current_found == len(expected) - 1
        assert screen.answer is None  # the corpus search was never touched
        await pilot.press("escape")
        assert not reader.found and "find" not in status(app)
        await pilot.press("ctrl+f")
        assert find.has_focus
        await pilot.press("escape")
        assert reader.has_focus and not find.display
        screen.query_one("#tree").focus()
        await pilot.press("slash")  # outside the text, / is still the corpus search
        assert bar.has_focus


@run_async
async def test_n_typed_with_enter_in_one_burst_steps_to_the_next_match() -> None:
    app = YuelanApp(MemoryCorpus(seed_documents()))
    async with app.run_test(size=SIZE) as pilot:
        screen, _, reader, _ = parts(app)
        reader.focus()
        await pilot.pause()
        for key, character in [("slash", "/"), ("西", "西"), ("藏", "藏"), ("enter", "\r"), ("n", "n")]:
            event = events.Key(key, character)
            event.set_sender(app)
            app._driver.send_message(event)  # type: ignore[union-attr]
        await pilot.pause()
        await pilot.pause()
        assert screen.find.value == "西藏" and reader.current_found == 1 and reader.has_focus


@run_async
async def test_tab_in_the_find_bar_searches_every_meeting_instead() -> None:
    app = YuelanApp(MemoryCorpus(seed_documents()))
    async with app.run_test(size=SIZE) as pilot:
        screen, _, reader, bar = parts(app)
        reader.focus()
        await pilot.pause()
        await pilot.press("slash", "团", "结", "tab")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert bar.has_focus and bar.value == "团结" and not screen.query_one(FindBar).display
        assert not reader.found and screen.answer is not None and screen.answer.total >= 3


@run_async
async def test_on_a_narrow_terminal_slash_searches_until_a_meeting_is_opened() -> None:
    """The tree folds away at 40 columns and the text takes the focus; / is still the search the
    search bar advertises, and finds in the text once the user has opened a meeting into it."""
    app = YuelanApp(MemoryCorpus(seed_documents()))
    async with app.run_test(size=(40, 15)) as pilot:
        screen, tree, reader, bar = parts(app)
        await pilot.pause()
        assert not tree.display and reader.has_focus
        await pilot.press("slash")
        assert bar.has_focus
        await pilot.press("团", "结")
        await app.workers.wait_for_complete()
        await pilot.press("enter")
        await pilot.pause()
        assert reader.has_focus
        await pilot.press("slash")
        assert screen.query_one(FindBar).has_focus
