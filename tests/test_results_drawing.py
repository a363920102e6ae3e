"""What drawing a keystroke's results costs: a result is measured by what it holds, not by drawing it, and
the list still shows, and scrolls to, every result it was given."""

from __future__ import annotations

from typing import Any

import pytest
from helpers import run_async
from hypothesis import given, settings
from hypothesis import strategies as st
from textual.app import App, ComposeResult
from textual.visual import RichVisual

from store.models import SearchResult, Snippet, Span
from tui.state import MeetingMatch
from tui.widgets.results import BATCH, PromptVisual, ResultList, ResultPrompt

SIZE = (80, 24)


def results_of(count: int) -> list[SearchResult]:
    return [
        SearchResult(f"doc{n}", f"第{n}次会议", 1.0, [Span(0, 2)], [Snippet(f"团结进步{n}", 0, [Span(0, 2)])])
        for n in range(count)
    ]


class Holder(App[None]):
    def compose(self) -> ComposeResult:
        yield ResultList(id="results")


@run_async
async def test_showing_results_draws_only_the_rows_in_view(monkeypatch: pytest.MonkeyPatch) -> None:
    """The OptionList asked every option's height by rendering it, at each layout: a keystroke drew its
    whole batch to show the dozen rows in view."""
    drawn: list[str] = []
    original = ResultPrompt.__rich_console__

    def counted(self: ResultPrompt, console: Any, options: Any) -> Any:
        drawn.append(self.title.plain)
        return original(self, console, options)

    monkeypatch.setattr(ResultPrompt, "__rich_console__", counted)
    app = Holder()
    async with app.run_test(size=SIZE) as pilot:
        listing = app.query_one(ResultList)
        listing.show_results(results_of(BATCH * 2), "orig")
        await pilot.pause()
        rows = listing.scrollable_content_region.height
        assert listing.option_count == BATCH and rows < BATCH * 2
        assert 0 < len(drawn) <= rows  # each prompt in view drawn once (two lines), none out of view


@run_async
async def test_results_are_put_in_the_script_only_when_drawn(monkeypatch: pytest.MonkeyPatch) -> None:
    """A keystroke made a batch of prompts, converting every title and snippet to the script (OpenCC for
    简体 and 繁體), to draw the few in view."""
    import tui.widgets.results as results_module

    converted: list[str] = []
    original = results_module.render

    def counted(text: str, script: Any) -> str:
        converted.append(text)
        return original(text, script)

    monkeypatch.setattr(results_module, "render", counted)
    app = Holder()
    async with app.run_test(size=SIZE) as pilot:
        listing = app.query_one(ResultList)
        listing.show_results(results_of(BATCH * 2), "simp")
        await pilot.pause()
        rows = listing.scrollable_content_region.height
        assert listing.option_count == BATCH and rows < BATCH
        assert 0 < len(converted) <= rows + 2  # a title and a snippet for each prompt in view


@run_async
async def test_the_list_shows_every_result_in_order_and_scrolls_to_the_last() -> None:
    results = results_of(BATCH * 3 + 4)
    app = Holder()
    async with app.run_test(size=SIZE) as pilot:
        listing = app.query_one(ResultList)
        listing.show_results(results, "orig")
        listing.focus()
        await pilot.pause()
        top = [listing.render_line(y).text.strip() for y in range(4)]
        assert top[0].endswith("第0次会议") and top[1] == "团结进步0"
        assert top[2].endswith("第1次会议") and top[3] == "团结进步1"
        await pilot.press("G")
        await pilot.pause()
        height = listing.scrollable_content_region.height
        bottom = [listing.render_line(y).text.strip() for y in range(height - 2, height)]
        last = len(results) - 1
        assert bottom == [f"1 第{last}次会议", f"团结进步{last}"]
        assert listing.highlighted == last and listing.border_subtitle.endswith(f"/ {len(results)}")
        seen = [listing.get_option_at_index(i).id for i in range(listing.option_count)]
        assert seen == [r.doc_id for r in results]


LABEL = st.text(alphabet="中华人民共和国甘肃团结ab 1。", min_size=1, max_size=40)


@settings(max_examples=40, deadline=None)
@given(LABEL, st.one_of(st.none(), LABEL), st.integers(1, 120))
def test_a_prompts_height_is_the_height_rich_draws(title: str, text: str | None, width: int) -> None:
    snippets = [] if text is None else [Snippet(text, 0, [Span(0, min(2, len(text)))])]
    prompt = ResultPrompt(MeetingMatch(title, (SearchResult("d", title, 1.0, [], snippets),)), "orig")
    drawn = RichVisual.__new__(RichVisual)  # the height Textual measured before, by rendering
    drawn._renderable = prompt
    heights: list[int] = []

    class Probe(App[None]):
        def on_mount(self) -> None:
            heights.append(drawn.get_height(self.styles, width))  # type: ignore[arg-type]
            heights.append(PromptVisual(ResultList(), prompt).get_height(self.styles, width))  # type: ignore[arg-type]
            self.exit()

    import asyncio

    async def run() -> None:
        async with Probe().run_test(size=SIZE):
            pass

    asyncio.run(run())
    assert heights[0] == heights[1] == (1 if text is None else 2)
