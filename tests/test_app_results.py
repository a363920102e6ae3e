"""The result list: snippets show their hit whatever the width; the list folds once a result is read."""

from __future__ import annotations

import pytest
from helpers import run_async, type_query
from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len

from store.corpus import Corpus
from store.models import Snippet, Span
from store.text.script import fold
from tui.app import YuelanApp
from tui.widgets.results import ResultList, snippet_text
from tui.wrap import fit_window

TEXT = st.text(alphabet="中华人民共和国甘肃西藏团结ab 1。，", max_size=60)


@given(TEXT, st.data(), st.integers(1, 80))
def test_the_window_keeps_the_hit_whole_and_fits(text: str, data: st.DataObject, width: int) -> None:
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    first, last = fit_window(text, start, end, width)
    shown = cell_len(text[first:last]) + (first > 0) + (last < len(text))
    assert shown <= width or last - first <= 1
    if cell_len(text[start:end]) + 2 <= width:
        assert first <= start and end <= last  # the hit is whole
        # and centred: a side has more context only where the other could not take its next character
        left, right = cell_len(text[first:start]), cell_len(text[end:last])

        def fits(a: int, b: int) -> bool:
            return cell_len(text[a:b]) + (a > 0) + (b < len(text)) <= width

        if left > right + 2:
            assert last == len(text) or not fits(first, last + 1)
        if right > left + 2:
            assert first == 0 or not fits(first - 1, last)


def test_a_snippet_is_cut_around_its_hit() -> None:
    text = "推动经济社会高质量发展和高水平保护，" * 3
    hit = text.index("高质量", 20)
    snippet = Snippet(text, 0, [Span(hit, hit + 3)])
    line = snippet_text(snippet, "orig", 20)
    assert cell_len(line.plain) <= 20 and "高质量" in line.plain
    assert line.plain.startswith("…") and line.plain.endswith("…")
    styled = [line.plain[s.start : s.end] for s in line.spans if "reverse" in str(s.style)]
    assert styled == ["高质量"]


def drawn_snippets(results: ResultList) -> list[tuple[str, str]]:
    """The snippet lines the list draws (indented under each title), each with its highlighted text."""
    drawn = []
    for y in range(results.size.height):
        strip = results.render_line(y)
        if strip.text.startswith("    ") and strip.text.strip():
            marked = "".join(s.text for s in strip if s.style is not None and s.style.reverse)
            drawn.append((strip.text.strip(), marked))
    return drawn


@pytest.mark.parametrize(("query", "size"), [("高质量", (80, 24)), ("团结", (60, 20)), ("团结", (120, 40))])
@run_async
async def test_every_drawn_snippet_shows_its_hit(
    query: str, size: tuple[int, int], seed_corpus: Corpus
) -> None:
    app = YuelanApp(seed_corpus)  # the store's own snippets: 24 characters each side of a hit
    async with app.run_test(size=size) as pilot:
        app.screen.show_tree = True
        app.screen.query_one("#tree").focus()  # from the text, / would find in the text
        await type_query(pilot, app, query)
        results = app.screen.query_one(ResultList)
        snippets = drawn_snippets(results)
        assert snippets
        for line, marked in snippets:
            # the query, or its regional form (高质量 also finds Taiwan's 高品質), whole and marked
            assert len(marked) >= len(query) and marked in line, line
            assert fold(marked) in (fold(query), "高品质"), line


@run_async
async def test_the_list_says_where_it_is_and_folds_once_a_result_is_opened(seed_corpus: Corpus) -> None:
    app = YuelanApp(seed_corpus)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        await type_query(pilot, app, "合作")
        results = screen.query_one(ResultList)
        total = len(screen.answer.results)
        assert results.display and total > 3
        assert results.border_subtitle.startswith("1–") and results.border_subtitle.endswith(f"/ {total} ↓")
        await pilot.press("enter")  # open the best hit: the list folds, the reader gets its rows
        await pilot.pause()
        reader = screen.query_one("#reader")
        assert not results.display and reader.has_focus
        assert reader.size.height >= 14
        assert screen.active_bindings["l"].binding.action == "toggle_results"
        await pilot.press("n", "n", "n", "l")  # back, with the cursor on the meeting now open
        await pilot.pause()
        assert results.display and results.has_focus
        assert results.results[results.highlighted or 0].doc_id == screen.current.id
        await pilot.press("enter")
        await pilot.pause()
        assert not results.display


@run_async
async def test_a_small_terminal_keeps_lines_to_read_after_opening_a_hit(seed_corpus: Corpus) -> None:
    app = YuelanApp(seed_corpus)
    async with app.run_test(size=(40, 15)) as pilot:
        await type_query(pilot, app, "团结")
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.query_one("#reader").size.height >= 8
