"""Widgets say what happened in the domain's words (`tui.messages`) and follow the app's script
themselves; the screen never reads a tree node to learn that a meeting was chosen."""

from __future__ import annotations

from typing import Any

from helpers import MemoryCorpus, run_async, seed_documents, settled
from textual.app import App, ComposeResult
from textual.message import Message
from textual.reactive import reactive

from store.text.script import Script, render
from tui.app import YuelanApp
from tui.messages import MeetingHighlighted, MeetingSelected, ResultHighlighted, ResultSelected, SearchDone
from tui.widgets.doc_header import DocHeader
from tui.widgets.meeting_tree import MeetingTree
from tui.widgets.results import ResultList

SIZE = (100, 30)


@run_async
async def test_the_tree_posts_meeting_highlighted_and_selected() -> None:
    seen: list[Message] = []
    app = YuelanApp(MemoryCorpus(seed_documents()))
    async with app.run_test(size=SIZE, message_hook=seen.append) as pilot:
        screen: Any = app.screen
        tree = screen.query_one(MeetingTree)
        other = screen.docs[1].id
        tree.focus()
        tree.reveal(other)  # the cursor onto another meeting, as arrow keys would put it
        previewed = await settled(pilot, lambda: screen.current is not None and screen.current.id == other)
        assert previewed
        assert [m.doc_id for m in seen if isinstance(m, MeetingHighlighted)][-1] == other
        await pilot.press("enter")
        assert {m.doc_id for m in seen if isinstance(m, MeetingSelected)} == {other}  # seen as it bubbles
        assert screen.view.reader.has_focus  # and read


@run_async
async def test_the_result_list_posts_result_messages_and_answers_are_messages() -> None:
    seen: list[Message] = []
    app = YuelanApp(MemoryCorpus(seed_documents()))
    async with app.run_test(size=SIZE, message_hook=seen.append) as pilot:
        await pilot.press("slash", *"团结")
        await app.workers.wait_for_complete()
        await pilot.pause()
        answers = [m for m in seen if isinstance(m, SearchDone)]
        assert answers and answers[-1].answer.query == "团结"
        results = app.screen.query_one(ResultList)
        results.focus()
        await pilot.press("down")
        await pilot.press("enter")
        await pilot.pause()
        ids = [r.doc_id for r in answers[-1].answer.results]
        assert [m.doc_id for m in seen if isinstance(m, ResultHighlighted)][-1] == ids[1]
        assert [m.doc_id for m in seen if isinstance(m, ResultSelected)][-1] == ids[1]


class Host(App[None]):
    """An app with a `script` and the widgets alone, no main screen to tell them anything."""

    script: reactive[Script] = reactive("orig")

    def compose(self) -> ComposeResult:
        yield MeetingTree(id="tree")
        yield ResultList(id="results")
        yield DocHeader(id="doc-header")


@run_async
async def test_widgets_follow_the_apps_script_themselves() -> None:
    docs = seed_documents()
    traditional = next(d for d in docs if render(d.title, "simp") != d.title)
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        tree, results = app.query_one(MeetingTree), app.query_one(ResultList)
        header = app.query_one(DocHeader)
        header.show_document(traditional)
        app.script = "simp"
        await pilot.pause()
        assert header.plain.startswith(render(traditional.title, "simp")[:4])
        assert tree.script == results.script == "simp"
        assert tree.border_title == render("会议 meetings", "simp")
