"""The meetings tree draws only the lines in view from a flat list of lines (`tui.widgets.virtual_tree`):
a keystroke that narrows it makes labels for the lines drawn, not for every line of the narrowed tree,
and every key of the tree it replaced still works."""

from __future__ import annotations

import pytest
from helpers import MemoryCorpus, make_document, parts, run_async, type_query

from tui.app import YuelanApp
from tui.widgets.meeting_tree import EXPAND_ALL_LIMIT, MeetingTree, iter_meetings

PROVINCES = ["西藏自治区", "甘肃省", "四川省", "青海省", "云南省", "福建省"]


def many_meetings(count: int = 40) -> MemoryCorpus:
    """`count` meetings, each of two provinces, all mentioning 团结: more lines than a screen holds."""
    docs = [
        make_document(
            f"m{k:03d}",
            f"第{k}次会议\n双方表示团结协作，共谋发展。",
            (2024, 1 + k % 12, 1 + k % 28),
            [PROVINCES[k % 6], PROVINCES[(k + 1) % 6]],
            [],
            "talks",
        )
        for k in range(count)
    ]
    return MemoryCorpus(docs)


@run_async
async def test_a_keystroke_makes_labels_only_for_the_lines_drawn(monkeypatch: pytest.MonkeyPatch) -> None:
    """Textual's Tree made a node and a label for every line of the narrowed tree at each keystroke."""
    app = YuelanApp(many_meetings(25))  # 50 meeting lines: every branch of the narrowed tree is open
    async with app.run_test(size=(80, 24)) as pilot:
        _, tree, _, _ = parts(app)
        await pilot.pause()
        made: list[str] = []
        original = MeetingTree.label_for

        def counted(self: MeetingTree, node, above=None):  # type: ignore[no-untyped-def]
            made.append(node.key)
            return original(self, node, above)

        monkeypatch.setattr(MeetingTree, "label_for", counted)
        await type_query(pilot, app, "团结")  # two keystrokes, two narrowed trees
        assert tree.narrowed
        meetings = sum(1 for _ in iter_meetings(tree.roots))
        assert EXPAND_ALL_LIMIT >= meetings > 2 * tree.size.height  # every branch open: lines not drawn
        assert 0 < len(made) <= 2 * tree.size.height


@run_async
async def test_tree_keys_open_close_and_step_between_branches() -> None:
    app = YuelanApp(many_meetings(12))
    async with app.run_test(size=(80, 24)) as pilot:
        screen, tree, _, _ = parts(app)
        tree.focus()
        await pilot.pause()
        await pilot.press("home")
        first = tree.current()
        assert first is not None and first is tree.top[0] and first.expanded  # the newest meeting is in it
        await pilot.press("space")
        assert not first.expanded and tree.rows[1] is tree.top[1]
        await pilot.press("enter")  # Enter on a branch opens it too
        assert first.expanded and tree.rows[1] is first.children[0]
        await pilot.press("shift+space")  # the branches beside it: one is open, so all close
        assert not any(line.expanded for line in tree.top)
        assert tree.rows == tree.top and tree.current() is first
        await pilot.press("shift+space")  # none open: all open
        assert all(line.expanded for line in tree.top)
        await pilot.press("shift+down")
        assert tree.current() is tree.top[1]
        await pilot.press("shift+up")
        assert tree.current() is first
        await pilot.press("down", "down")
        meeting = tree.current()
        assert meeting is not None and meeting.parent is first
        assert screen.current is not None and screen.current.id == meeting.data.doc_id  # previewed
        await pilot.press("shift+left")
        assert tree.current() is first
        await pilot.press("down", "shift+right")
        assert tree.current() is tree.top[1]
        await pilot.press("end")
        assert tree.cursor == len(tree.rows) - 1 and tree.scroll_y > 0
        await pilot.press("pageup")
        assert tree.cursor == len(tree.rows) - 1 - (tree.scrollable_content_region.height - 1)
        await pilot.press("pagedown")
        assert tree.cursor == len(tree.rows) - 1
        await pilot.press("g")
        assert tree.cursor == 0 and tree.scroll_y == 0


@run_async
async def test_a_click_on_the_icon_toggles_and_on_a_meeting_opens_it() -> None:
    app = YuelanApp(many_meetings(12))
    async with app.run_test(size=(80, 24)) as pilot:
        screen, tree, reader, _ = parts(app)
        await pilot.pause()
        second = tree.top[1]
        assert not second.expanded
        row = tree.rows.index(second)
        await pilot.click(MeetingTree, offset=(1, 1 + row))  # inside the border: the ▶
        await pilot.pause()
        assert second.expanded
        await pilot.hover(MeetingTree, offset=(6, 2 + row))  # the hover line is drawn in its style
        await pilot.pause()
        assert tree.hover_line == row + 1
        await pilot.click(MeetingTree, offset=(6, 2 + row))  # its first meeting
        await pilot.pause()
        assert screen.current is not None and screen.current.id == second.children[0].data.doc_id
        assert reader.has_focus


@run_async
async def test_a_wide_search_fills_a_branch_of_the_narrowed_tree_when_it_opens() -> None:
    app = YuelanApp(many_meetings(40))  # 80 meeting lines: more than EXPAND_ALL_LIMIT, branches stay shut
    async with app.run_test(size=(80, 24)) as pilot:
        screen, tree, _, _ = parts(app)
        await pilot.pause()
        await type_query(pilot, app, "团结")
        assert tree.narrowed and len(screen.answer.results) == 40
        opened = [line for line in tree.top if line.expanded]
        assert len(opened) == 1 and tree.current().data.doc_id == screen.current.id  # the open meeting
        closed = next(line for line in tree.top if not line.expanded)
        assert closed.expandable and closed.children is None and closed.data.children == []  # not made
        tree.focus()
        tree.cursor = tree.rows.index(closed)
        await pilot.press("space")
        shown = [line.data for line in closed.children or ()]
        assert shown and all(node.kind == "meeting" and node.count == 1 for node in shown)  # 团结 once each
        assert closed.data.count == len(shown) == len({node.doc_id for node in shown})
        assert all(tree.label_of(line).plain.endswith(" (1)") for line in closed.children or ())
        wanted = sorted(d.id for d in screen.docs if closed.data.label in d.meta.provinces)
        assert sorted(node.doc_id for node in shown) == wanted


@run_async
async def test_an_answer_with_the_same_hits_leaves_the_tree_and_the_list_as_they_are(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`hemou` → `hemoub`: the same meetings with the same hits; nothing to make or draw again."""
    from tui.widgets.results import ResultList

    app = YuelanApp(many_meetings(12))
    async with app.run_test(size=(80, 24)) as pilot:
        screen, tree, _, _ = parts(app)
        await type_query(pilot, app, "团结")
        lines = list(tree.rows)
        made: list[str] = []
        monkeypatch.setattr(MeetingTree, "narrow", lambda self, counts: made.append("tree"))
        monkeypatch.setattr(ResultList, "set_options", lambda self, options: made.append("list"))
        await pilot.press("backspace")  # 团: the same meetings and counts (团 only in 团结), other hits
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.answer.query == "团" and made == ["list"]  # the list marks 团 now, not 团结
        screen.browser.show_answer(screen.answer, None)  # the same answer again
        await pilot.pause()
        assert made == ["list"] and tree.rows == lines  # neither made again


@run_async
async def test_the_same_hits_set_again_do_not_redraw_the_text(monkeypatch: pytest.MonkeyPatch) -> None:
    from tui.widgets.reader import Reader

    app = YuelanApp(many_meetings(12))
    async with app.run_test(size=(80, 24)) as pilot:
        _, _, reader, _ = parts(app)
        await type_query(pilot, app, "团结")
        hits, current = list(reader.hits), reader.current_hit
        assert hits
        drawn: list[int] = []
        monkeypatch.setattr(Reader, "refresh", lambda self, *a, **k: drawn.append(1))
        reader.set_hits(list(reversed(hits)), current)  # the same, in another order
        assert drawn == [] and reader.hits == hits
        reader.set_hits(hits[1:], current)
        assert drawn == [1] and reader.hits == hits[1:]
