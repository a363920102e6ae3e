"""From a meeting's header, each official's name leads to their person card (issue 14): a click on the
name, or `w` to move a highlight across the names and Enter."""

from __future__ import annotations

from typing import Any

from helpers import parts, run_async

from store import Corpus, fold
from tui.app import YuelanApp
from tui.screens.people import PeopleScreen, PersonScreen
from tui.widgets.doc_header import DocHeader
from tui.wrap import text_cells

SIZE = (80, 24)


async def ready(pilot: Any) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def card_title(app: YuelanApp) -> str:
    return str(app.screen.query_one("#view-title").render())


def names_line(header: DocHeader) -> tuple[int, str]:
    """The header's row of officials and its text."""
    rows = header.plain.split("\n")
    row = next(i for i, line in enumerate(rows) if line.startswith("人物"))
    return row, rows[row]


@run_async
async def test_w_moves_across_the_names_and_enter_opens_that_officials_card(seed_corpus: Corpus) -> None:
    app = YuelanApp(seed_corpus)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen, _, reader, _ = parts(app)
        header = screen.view.header
        people = screen.current.meta.people
        assert len(people) > 2
        assert screen.check_action("pick_name", ())  # the footer offers `w` here
        await pilot.press("w")
        assert header.has_focus and header.picked == 0
        await pilot.press("w", "w", "W")
        assert header.picked == 1
        assert names_line(header)[1].startswith(f"人物 …、{people[1].name}")  # in sight however long
        await pilot.press("enter")
        await ready(pilot)
        card = app.screen
        assert isinstance(card, PersonScreen)
        assert card.person.name == fold(people[1].name) and people[1].name in card_title(app)
        assert card.person.province in screen.current.meta.provinces  # the one named at this meeting
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, PeopleScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen
        header.focus()  # back where it was; Esc leaves the names for the text
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert reader.has_focus and header.picked is None and not header.can_focus


@run_async
async def test_a_click_on_a_name_opens_that_officials_card(seed_corpus: Corpus) -> None:
    app = YuelanApp(seed_corpus)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen, _, _, _ = parts(app)
        header = screen.view.header
        first = screen.current.meta.people[0]
        where = header.content_region
        x, y = next(  # the first name's cells on screen (the title above may wrap)
            (x, y)
            for y in range(where.y, where.bottom)
            for x in range(where.x, where.right)
            if screen.get_style_at(x, y).meta.get("@click") == "open_name(0)"
        )
        row = names_line(header)[1]
        assert x - where.x == text_cells(row[: row.index(first.name)])  # where the name is drawn
        assert await pilot.click(offset=(x + 1, y))
        await ready(pilot)
        card = app.screen
        assert isinstance(card, PersonScreen), app.screen
        assert card.person.name == fold(first.name)
        assert card.person.province in screen.current.meta.provinces


@run_async
async def test_w_is_offered_only_where_the_header_names_officials(seed_corpus: Corpus) -> None:
    app = YuelanApp(seed_corpus)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen, _, _, _ = parts(app)
        header = screen.view.header
        assert screen.check_action("pick_name", ())
        header.show_document(None)
        assert not screen.check_action("pick_name", ())
        await pilot.press("w")
        assert not header.has_focus


def test_help_lists_the_names_key() -> None:
    from tui.screens.help import KEYS

    keys = {key: what for _, rows in KEYS for key, what in rows}
    assert "officials in the meeting's header" in keys["w"]
