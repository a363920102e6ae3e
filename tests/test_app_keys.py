"""Every key path of the browser, driven through Pilot at 80×24 on the seeds (in-memory corpus)."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from helpers import MemoryCorpus, Node, parts, run_async, seed_documents, status, type_query

from store.text.script import fold, render
from tui.app import YuelanApp
from tui.screens.help import HelpScreen
from tui.screens.info import InfoScreen
from tui.screens.main import MainScreen
from tui.settings import Settings, load_settings, save_settings
from tui.widgets.doc_header import DocHeader
from tui.widgets.meeting_tree import MeetingTree
from tui.widgets.reader import Reader
from tui.widgets.results import ResultList
from tui.widgets.search_bar import SearchBar

SIZE = (80, 24)


@pytest.fixture
def corpus() -> MemoryCorpus:
    return MemoryCorpus(seed_documents())




@run_async
async def test_first_frame_layout(corpus: MemoryCorpus) -> None:
    app = YuelanApp(corpus)
    async with app.run_test(size=SIZE) as pilot:
        screen, tree, reader, _bar = parts(app)
        await pilot.pause()
        newest = corpus.documents()[0]
        assert screen.current is newest
        assert tree.has_focus and tree.display
        assert reader.text == newest.text
        assert "meeting 1 of 5" in status(app)
        assert "yuelan.json" in status(app)
        header = screen.query_one(DocHeader)
        assert newest.title in header.plain


@run_async
async def test_tree_keys_preview_and_enter_opens(corpus: MemoryCorpus) -> None:
    app = YuelanApp(corpus)
    async with app.run_test(size=SIZE) as pilot:
        screen, tree, reader, _ = parts(app)
        first = screen.current
        await pilot.press("j")
        await pilot.press("down")
        moved = screen.current
        assert moved is not first
        await pilot.press("k")
        assert screen.current is not moved
        await pilot.press("G")
        await pilot.press("g")
        assert tree.cursor == 0
        # Find Tibet: its node lists every meeting Tibet took part in.
        tibet = tree.current()
        assert tibet is not None and tibet.data.label == "西藏自治区"  # most meetings first
        await pilot.press("space", "space")  # close and open it again
        assert tibet.expanded
        assert {c.data.doc_id for c in tibet.children} == {
            d.id for d in corpus.documents() if "西藏自治区" in d.meta.provinces
        }
        await pilot.press("down", "enter")
        assert reader.has_focus
        assert screen.current is not None and screen.current.id == tibet.children[0].data.doc_id


@run_async
async def test_tab_moves_between_panes(corpus: MemoryCorpus) -> None:
    app = YuelanApp(corpus)
    async with app.run_test(size=SIZE) as pilot:
        _, tree, reader, bar = parts(app)
        await pilot.press("tab")
        assert reader.has_focus
        await pilot.press("tab")
        assert bar.has_focus
        await pilot.press("shift+tab")
        assert reader.has_focus
        await pilot.press("shift+tab")
        assert tree.has_focus


@run_async
async def test_reader_keys(corpus: MemoryCorpus) -> None:
    app = YuelanApp(corpus)
    async with app.run_test(size=SIZE) as pilot:
        _, _, reader, _ = parts(app)
        reader.focus()
        await pilot.press("j", "j", "down")
        assert reader.cursor_line == 3
        await pilot.press("k")
        assert reader.cursor_line == 2
        await pilot.press("G")
        assert reader.cursor_line == len(reader.lines) - 1
        assert reader.scroll_y > 0
        await pilot.press("g")
        assert reader.cursor_line == 0 and reader.scroll_y == 0
        await pilot.press("pagedown")
        assert reader.cursor_line > 5
        await pilot.press("pageup")
        assert reader.cursor_line == 0


@run_async
async def test_brackets_walk_meetings(corpus: MemoryCorpus) -> None:
    app = YuelanApp(corpus)
    async with app.run_test(size=SIZE) as pilot:
        screen, tree, _, _ = parts(app)
        docs = corpus.documents()
        await pilot.press("right_square_bracket")
        assert screen.current is docs[1]
        assert "meeting 2 of 5" in status(app)
        assert tree.current() is not None and tree.current().data.doc_id == docs[1].id
        await pilot.press("left_square_bracket", "left_square_bracket")
        assert screen.current is docs[0]


@run_async
async def test_incremental_search_narrows_tree_and_highlights(corpus: MemoryCorpus) -> None:
    app = YuelanApp(corpus)
    async with app.run_test(size=SIZE) as pilot:
        screen, tree, reader, bar = parts(app)
        await type_query(pilot, app, "團結")
        assert bar.has_focus and bar.value == "團結"
        # The second keystroke refines the first answer.
        assert corpus.searches[-1] == ("團結", None, "團")
        results = screen.query_one(ResultList)
        assert results.display and results.option_count == screen.answer.total >= 3
        assert tree.narrowed
        shown = {m.doc_id for m in _meetings(tree.roots)}
        assert shown == {r.doc_id for r in screen.answer.results}
        await pilot.press("enter")
        best = screen.answer.results[0]
        assert screen.current is not None and screen.current.id == best.doc_id
        assert reader.has_focus
        assert reader.hits == best.hits and screen.hit == 0
        for hit in reader.hits:
            assert fold(reader.text[hit.start : hit.end]) == "团结"
        assert "hit 1 of" in status(app)
        assert load_settings().history == ["團結"]


@run_async
async def test_n_and_N_move_between_hits_and_meetings(corpus: MemoryCorpus) -> None:
    app = YuelanApp(corpus)
    async with app.run_test(size=SIZE) as pilot:
        screen, _, reader, _ = parts(app)
        await type_query(pilot, app, "团结")
        await pilot.press("enter")
        first_doc = screen.current
        assert first_doc is not None
        count = len(reader.hits)
        for expected in range(1, count):
            await pilot.press("n")
            assert screen.hit == expected
            assert reader.lines[reader.cursor_line][0] <= reader.hits[expected].start
        await pilot.press("n")  # past the last hit: on to the next meeting, first hit
        assert screen.current is not first_doc and screen.hit == 0
        await pilot.press("N")  # back before the first hit: previous meeting, last hit
        assert screen.current is first_doc and screen.hit == count - 1


@run_async
async def test_escape_clears_and_keeps_selection(corpus: MemoryCorpus) -> None:
    app = YuelanApp(corpus)
    async with app.run_test(size=SIZE) as pilot:
        screen, tree, reader, bar = parts(app)
        await type_query(pilot, app, "团结")
        await pilot.press("enter")
        opened = screen.current
        await pilot.press("escape")
        assert screen.answer is None and bar.value == "" and not reader.hits
        assert not tree.narrowed and not screen.query_one(ResultList).display
        assert screen.current is opened
        assert tree.current() is not None and tree.current().data.doc_id == opened.id


@run_async
async def test_history_walks_and_survives_a_restart(corpus: MemoryCorpus) -> None:
    save_settings(Settings(history=["西藏", "合作"]))
    app = YuelanApp(corpus)
    async with app.run_test(size=SIZE) as pilot:
        _, _, _, bar = parts(app)
        await pilot.press("slash", "a")
        await pilot.press("up")
        assert bar.value == "合作"
        await pilot.press("up")
        assert bar.value == "西藏"
        await pilot.press("up")
        assert bar.value == "西藏"
        await pilot.press("down", "down")
        assert bar.value == "a"
        await pilot.press("up", "enter")
        await app.workers.wait_for_complete()
    assert load_settings().history == ["西藏", "合作"]  # run again: most recent last, no duplicate


@run_async
async def test_scope_to_province_under_cursor(corpus: MemoryCorpus) -> None:
    app = YuelanApp(corpus)
    async with app.run_test(size=SIZE) as pilot:
        screen, tree, _, bar = parts(app)
        tree.focus()
        await pilot.press("g")
        assert tree.current().data.label == "西藏自治区"
        await pilot.press("s")
        assert screen.scope == "西藏自治区" and bar.has_focus
        for ch in "团结":
            await pilot.press(ch)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert corpus.searches[-1][1] == "西藏自治区"
        assert all("西藏自治区" in corpus.get(r.doc_id).meta.provinces for r in screen.answer.results)
        assert "in 西藏自治区" in status(app)


@run_async
async def test_script_toggle_cycles_and_is_remembered(corpus: MemoryCorpus) -> None:
    app = YuelanApp(corpus)
    async with app.run_test(size=SIZE) as pilot:
        screen, tree, reader, _ = parts(app)
        await type_query(pilot, app, "團結")
        await pilot.press("enter")
        doc = screen.current
        hits = list(reader.hits)
        for script, label in (("simp", "简体"), ("trad", "繁體"), ("orig", "原文"), ("simp", "简体")):
            await pilot.press("t")
            assert app.script == script and label in status(app)
            assert reader.text == render(doc.text, script)
            assert reader.hits == hits
            assert all(fold(reader.text[h.start : h.end]) == "团结" for h in hits)
        node_labels = [tree.label_of(n).plain for n in tree.top]
        assert all(label == render(label, "simp") for label in node_labels)
    assert load_settings().script == "simp"
    again = YuelanApp(corpus)
    async with again.run_test(size=SIZE) as pilot:
        _, _, reader, _ = parts(again)
        assert again.script == "simp"
        assert reader.text == render(corpus.documents()[0].text, "simp")


@run_async
async def test_o_shows_the_raw_text_beside(corpus: MemoryCorpus) -> None:
    app = YuelanApp(corpus)
    async with app.run_test(size=SIZE) as pilot:
        screen, _, _, _ = parts(app)
        raw = screen.query_one("#raw", Reader)
        assert not raw.display
        await pilot.press("o")
        assert raw.display and raw.text.startswith(screen.current.raw[:10])
        await pilot.press("o")
        assert not raw.display


@run_async
async def test_y_copies_passage_with_citation(corpus: MemoryCorpus) -> None:
    app = YuelanApp(corpus)
    async with app.run_test(size=SIZE) as pilot:
        screen, _, reader, _ = parts(app)
        reader.focus()
        await pilot.press("j", "j", "j", "y")
        doc = screen.current
        start, end = reader.passage_at_cursor()
        passage = doc.text[start:end].strip()
        copied = app.clipboard
        assert copied.startswith(passage) and passage
        assert doc.title in copied.splitlines()[-1] and doc.paths[0] in copied
        await pilot.press("Y")
        assert app.clipboard.startswith(doc.text.strip()[:50])
        assert "copied" in status(app)


@run_async
async def test_help_and_info_screens(corpus: MemoryCorpus) -> None:
    app = YuelanApp(corpus)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)
        await pilot.press("i")
        assert isinstance(app.screen, InfoScreen)
        table_text = str(app.screen.query_one("#info-table").render())
        assert table_text
        info = app.screen.info
        assert info.documents == 5 and info.path.name == "yuelan.json"
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)


def test_help_lists_every_key() -> None:
    from tui.screens.help import KEYS

    listed = " ".join(key for _, keys in KEYS for key, _ in keys).split()
    names = {
        "slash": "/",
        "question_mark": "?",
        "left_square_bracket": "[",
        "right_square_bracket": "]",
        "left_curly_bracket": "{",
        "right_curly_bracket": "}",
        "up": "↑",
        "down": "↓",
        "pageup": "pgup",
        "pagedown": "pgdn",
        "less_than_sign": "<",
        "greater_than_sign": ">",
    }
    for owner in (YuelanApp, MainScreen, MeetingTree, Reader, SearchBar, ResultList):
        for binding in owner.BINDINGS:
            for key in binding.key.split(","):  # type: ignore[union-attr]
                assert names.get(key, key) in listed, (owner.__name__, key)


def test_help_wraps_every_explanation_whole_at_any_width() -> None:
    """A Rich table cell wrapped text with Chinese in it a cell wider than it drew, so at some widths
    a word was cut ("go; i…" at 66 columns, the help's width at 80×24)."""
    import io

    from rich.cells import cell_len
    from rich.console import Console

    from tui.screens.help import KEYS, HelpTable

    for width in range(40, 121):
        console = Console(width=width, file=io.StringIO(), record=True, color_system=None)
        console.print(HelpTable())
        lines = console.export_text().splitlines()
        assert all("…" not in line and cell_len(line) <= width for line in lines), width
        shown = " ".join(" ".join(line.split()) for line in lines)
        for _, keys in KEYS:
            for _, what in keys:
                assert " ".join(what.split()) in shown or all(w in shown for w in what.split()), width


@run_async
async def test_help_at_80_by_24_shows_whole_words(corpus: MemoryCorpus) -> None:
    app = YuelanApp(corpus)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        from textual.geometry import Region

        keys = app.screen.query_one("#help-keys")
        drawn = keys.render_lines(Region(0, 0, keys.size.width, keys.size.height))
        text = "\n".join(strip.text for strip in drawn)
        assert "search as you go; in" in text and "…" not in text


@run_async
async def test_q_quits(corpus: MemoryCorpus) -> None:
    app = YuelanApp(corpus)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0


@run_async
async def test_bad_query_goes_to_the_status_line(corpus: MemoryCorpus) -> None:
    app = YuelanApp(corpus)
    async with app.run_test(size=SIZE) as pilot:
        await type_query(pilot, app, "(")
        assert "bad query: unbalanced parenthesis" in status(app)
        assert isinstance(app.screen, MainScreen)


@run_async
async def test_narrow_terminal_folds_the_tree(corpus: MemoryCorpus) -> None:
    app = YuelanApp(corpus)
    async with app.run_test(size=(50, 20)) as pilot:
        screen, tree, reader, _ = parts(app)
        await pilot.pause()
        assert not tree.display and not screen.show_tree
        await pilot.press("b")
        assert tree.display and tree.has_focus
        await pilot.press("b")
        assert not tree.display and reader.has_focus


@run_async
async def test_palette_goes_to_a_province(corpus: MemoryCorpus) -> None:
    app = YuelanApp(corpus)
    async with app.run_test(size=(100, 30)) as pilot:
        _, tree, _, _ = parts(app)
        await pilot.press("ctrl+p")
        for ch in "福建":
            await pilot.press(ch)
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert tree.current() is not None and tree.current().data.label == "福建省"


@run_async
async def test_palette_offers_every_action(corpus: MemoryCorpus) -> None:
    app = YuelanApp(corpus)
    async with app.run_test(size=SIZE):
        titles = [c.title for c in app.get_system_commands(app.screen)]
        for binding in MainScreen.BINDINGS:
            if binding.action != "quit":  # type: ignore[union-attr]
                name = binding.tooltip or binding.description  # type: ignore[union-attr]
                assert any(name in t for t in titles)


@run_async
async def test_mouse_click_opens_a_meeting(corpus: MemoryCorpus) -> None:
    app = YuelanApp(corpus)
    async with app.run_test(size=SIZE) as pilot:
        screen, _tree, _, _ = parts(app)
        before = screen.current
        await pilot.click(MeetingTree, offset=(4, 3))
        await pilot.pause()
        assert screen.current is not before


def _meetings(nodes):  # type: ignore[no-untyped-def]
    from tui.widgets.meeting_tree import iter_meetings

    return list(iter_meetings(nodes))


@run_async
async def test_big_store_fills_the_tree_after_the_first_frame(
    corpus: MemoryCorpus, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tui.screens.main as main_module

    monkeypatch.setattr(main_module, "SYNC_LOAD_LIMIT", 0)
    read_tree = corpus.tree
    tree_may_load = threading.Event()

    def slow_tree(*meetings: Any) -> list:  # type: ignore[type-arg]
        tree_may_load.wait(10)
        return read_tree(*meetings)

    corpus.tree = slow_tree  # type: ignore[method-assign]
    app = YuelanApp(corpus)
    async with app.run_test(size=SIZE) as pilot:
        screen, tree, reader, _ = parts(app)
        await pilot.pause()
        assert tree.loading and "loading 5 documents" in status(app)
        assert not screen.status.loading  # the line says so itself: no loading indicator hides it
        assert "0 meetings" not in status(app) and "meeting 0" not in status(app)
        tree_may_load.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not tree.loading and len(tree.full) == len(corpus.tree())
        assert screen.current is corpus.documents()[0] and reader.text
        assert "meeting 1 of 5" in status(app) and "loading" not in status(app)


@run_async
async def test_keys_typed_in_one_burst_with_slash_reach_the_search_bar(corpus: MemoryCorpus) -> None:
    """As a terminal delivers a fast typist's or an input method's keys: all queued before any is handled."""
    from textual import events

    app = YuelanApp(corpus)
    async with app.run_test(size=SIZE) as pilot:
        _, _, _, bar = parts(app)
        for key, character in [("slash", "/"), ("团", "团"), ("结", "结")]:
            event = events.Key(key, character)
            event.set_sender(app)
            app._driver.send_message(event)  # type: ignore[union-attr]
        await pilot.pause()
        await app.workers.wait_for_complete()
        assert bar.has_focus and bar.value == "团结"
        await pilot.press("slash")  # in the bar, / is a character of the query
        assert bar.value == "团结/"


@run_async
async def test_footer_shows_only_keys_that_work_in_the_search_bar(corpus: MemoryCorpus) -> None:
    from textual.widgets._footer import FooterKey

    app = YuelanApp(corpus)
    async with app.run_test(size=(160, 24)) as pilot:

        def footer() -> set[str]:
            return {key.description for key in app.screen.query(FooterKey)}

        await pilot.pause()
        assert {"Search", "Script", "Copy"} <= footer()
        await pilot.press("slash")
        await pilot.pause()
        assert footer() == {"Open best hit", "History", "Clear", "palette"}
        await pilot.press("t")  # typed, not the script toggle the footer no longer offers
        assert app.script == "orig"
        await pilot.press("escape")
        await pilot.pause()
        assert "Script" in footer() and "Open best hit" not in footer()


@run_async
async def test_status_counts_matches_before_one_is_opened(corpus: MemoryCorpus) -> None:
    app = YuelanApp(corpus)
    async with app.run_test(size=SIZE) as pilot:
        screen, _, _, _ = parts(app)
        matching = {d.id for d in corpus.documents() if "团结" in fold(d.text)}
        assert screen.current is not None and screen.current.id not in matching
        await type_query(pilot, app, "团结")
        assert f"{len(matching)} meetings match" in status(app)
        assert "of 0" not in status(app) and "meeting 0" not in status(app)
        await pilot.press("enter")
        assert f"match 1 of {len(matching)}" in status(app) and "hit 1 of" in status(app)
        await pilot.press("escape")
        await pilot.press("shift+tab")  # from the text back to the tree: there / searches every meeting
        await type_query(pilot, app, "没有这样的词")
        assert "no meeting matches" in status(app)


@run_async
async def test_scope_on_the_unplaced_node_is_refused_with_a_reason(corpus: MemoryCorpus) -> None:

    from store.tree import UNPLACED

    unplaced_doc = corpus.documents()[-1]
    roots = corpus.tree()
    roots.append(
        Node(
            f"province:{UNPLACED}",
            UNPLACED,
            "province",
            1,
            None,
            [
                Node(
                    f"province:{UNPLACED}/{unplaced_doc.id}",
                    unplaced_doc.title,
                    "meeting",
                    1,
                    unplaced_doc.id,
                )
            ],
        )
    )
    corpus.tree = lambda *meetings: roots  # type: ignore[method-assign]
    app = YuelanApp(corpus)
    async with app.run_test(size=SIZE) as pilot:
        screen, tree, _, _ = parts(app)
        tree.focus()
        await pilot.press("G")
        assert tree.province_at_cursor() is not None and tree.province_at_cursor().label == UNPLACED
        searches = len(corpus.searches)
        await pilot.press("s")
        assert screen.scope is None and len(corpus.searches) == searches
        assert UNPLACED in status(app) and "no province" in status(app)


def test_palette_marks_simplified_queries_on_traditional_entries() -> None:
    from textual.command import Matcher

    from tui.screens.commands import highlight

    shown = "去会议 go to meeting: 舟曲縣黨政代表團赴碌曲縣"
    marked = highlight(Matcher(fold("代表团")), shown, fold(shown))
    assert marked.plain == shown
    styled = sorted({i for span in marked.spans for i in range(span.start, span.end)})
    start = shown.index("代表團")
    assert styled == [start, start + 1, start + 2]


@run_async
async def test_result_list_grows_as_the_cursor_nears_its_end() -> None:
    from textual.app import App, ComposeResult

    from store.models import SearchResult, Snippet, Span
    from tui.widgets.results import BATCH

    results = [
        SearchResult(f"doc{n}", f"会议{n}", 1.0, [Span(0, 2)], [Snippet("团结进步", 0, [Span(0, 2)])])
        for n in range(BATCH * 2 + 5)
    ]

    class Holder(App[None]):
        def compose(self) -> ComposeResult:
            yield ResultList(id="results")

    app = Holder()
    async with app.run_test(size=SIZE) as pilot:
        listing = app.query_one(ResultList)
        listing.show_results(results, "orig")
        listing.focus()
        assert listing.option_count == BATCH
        listing.highlighted = BATCH - 2
        await pilot.pause()
        assert listing.option_count == 2 * BATCH
        await pilot.press("G")
        assert listing.option_count == len(results) and listing.highlighted == len(results) - 1
        assert listing.get_option_at_index(len(results) - 1).id == results[-1].doc_id
        listing.set_script("trad")
        assert listing.highlighted == len(results) - 1


@run_async
async def test_result_list_follows_the_meeting_opened_with_keys(corpus: MemoryCorpus) -> None:
    app = YuelanApp(corpus)
    async with app.run_test(size=SIZE) as pilot:
        screen, _, reader, _ = parts(app)
        results = screen.query_one(ResultList)
        await type_query(pilot, app, "团结")
        await pilot.press("enter")
        assert reader.has_focus and results.highlighted == 0
        await pilot.press("right_square_bracket")
        ids = [r.doc_id for r in screen.answer.results]
        assert screen.current.id == ids[1] and results.highlighted == 1
        await pilot.press("left_square_bracket")
        assert screen.current.id == ids[0] and results.highlighted == 0


@run_async
async def test_the_raw_text_scrolls_in_step_with_the_cleaned_one(corpus: MemoryCorpus) -> None:
    from tui.align import ideographs

    def top(reader: Reader, lines: int = 1) -> str:
        first = int(reader.scroll_y)
        start, end = reader.lines[first][0], reader.lines[min(first + lines, len(reader.lines)) - 1][1]
        return ideographs(reader.text[start:end])[0]

    app = YuelanApp(corpus)
    async with app.run_test(size=SIZE) as pilot:
        screen, _, reader, _ = parts(app)
        raw = screen.query_one("#raw", Reader)
        # A web page: menus above the report and a long footer below, which cleaning drops.
        page = next(d for d in corpus.documents() if "四川日报" in d.text)
        screen.open_id(page.id)
        await pilot.press("o")
        reader.focus()
        await pilot.pause()
        assert reader.max_scroll_y > 0 and raw.max_scroll_y > 0
        await pilot.press("pagedown", "pagedown")
        await pilot.pause()
        assert raw.scroll_y > 0 and top(reader)[:4] in top(raw, 2)  # the same passage at the top of both
        raw.focus()
        await pilot.press("pagedown")
        await pilot.pause()
        assert top(raw)[:4] in top(reader, 2)
        await pilot.press("G")
        await pilot.pause()
        assert reader.scroll_y > 0


@run_async
async def test_a_citation_names_the_outlet_and_dates_not_the_path(corpus: MemoryCorpus) -> None:
    app = YuelanApp(corpus)
    async with app.run_test(size=SIZE) as pilot:
        screen, _, _, _ = parts(app)
        doc = next(d for d in corpus.documents() if "四川日报" in d.text)
        screen.open_id(doc.id, focus=True)
        await pilot.press("Y")
        cited = app.clipboard.splitlines()[-1]
        assert cited == f"——{doc.title}，四川日报，2024-05-18 发布，会议 2024年5月17日"
        other = corpus.documents()[0]  # names no outlet: the path is all there is
        screen.open_id(other.id, focus=True)
        await pilot.press("y")
        assert app.clipboard.splitlines()[-1].endswith(f"，会议 2024年9月10日，{other.paths[0]}")


@run_async
async def test_traditional_shows_taiwan_forms_and_the_palette_switches_them(corpus: MemoryCorpus) -> None:
    doc = next(d for d in corpus.documents() if "积极作为" in fold(d.text))
    where = fold(doc.text).index("积极作为")
    app = YuelanApp(corpus, Settings(script="trad"))
    try:
        async with app.run_test(size=SIZE) as pilot:
            screen, _, reader, _ = parts(app)
            screen.open_id(doc.id)
            await pilot.pause()
            assert reader.text[where : where + 4] == "積極作為"  # Taiwan's 為, not OpenCC's 爲
            assert "繁體·臺" in status(app)
            commands = {c.title: c for c in app.get_system_commands(app.screen)}
            hits = list(reader.hits)
            commands["繁體 forms: OpenCC standard"].callback()
            await pilot.pause()
            assert reader.text[where : where + 4] == "積極作爲" and reader.hits == hits
            assert screen.query_one(DocHeader).plain.startswith(render(doc.title, "trad", "opencc")[:4])
        assert load_settings().standard == "opencc"
        again = YuelanApp(corpus, load_settings())
        async with again.run_test(size=SIZE) as pilot:
            screen, _, reader, _ = parts(again)
            screen.open_id(doc.id)
            await pilot.pause()
            assert reader.text[where : where + 4] == "積極作爲"
            hong_kong = {c.title: c for c in again.get_system_commands(again.screen)}
            hong_kong["繁體 forms: 香港 Hong Kong"].callback()
            await pilot.pause()
            assert "裏" in reader.text or "為" in reader.text[where : where + 4]
            assert "繁體·港" in status(again)
    finally:
        from store.text.script import DEFAULT_STANDARD, prefer_standard

        prefer_standard(DEFAULT_STANDARD)  # the preference is process-wide: leave it as found


@run_async
async def test_the_palette_names_each_traditional_standard_whole(corpus: MemoryCorpus) -> None:
    """Its help line once took the last word of the name: 'as written in Kong', '… in standard'."""
    app = YuelanApp(corpus)
    async with app.run_test(size=SIZE):
        helps = {c.title: c.help for c in app.get_system_commands(app.screen) if c.title.startswith("繁體")}
    assert "Hong Kong" in helps["繁體 forms: 香港 Hong Kong"]
    assert "OpenCC" in helps["繁體 forms: OpenCC standard"]
    assert "Taiwan" in next(h for t, h in helps.items() if "Taiwan" in t)
