"""Esc after a search brings back the full tree's own nodes, as they were, instead of making them again
(revealing the open meeting filled a branch of thousands of meetings: about a second at 10k reports)."""

from __future__ import annotations

import pytest
from helpers import MemoryCorpus, parts, run_async, seed_documents, type_query

from tui.app import YuelanApp
from tui.widgets.meeting_tree import MeetingTree

SIZE = (80, 24)


def shown(tree: MeetingTree) -> list[str]:
    """The tree's lines as drawn (labels and guides), top to bottom."""
    return [tree.render_line(y).text for y in range(tree.size.height)]


@run_async
async def test_escape_brings_the_full_tree_back_without_making_it_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app = YuelanApp(MemoryCorpus(seed_documents()))
    async with app.run_test(size=SIZE) as pilot:
        screen, tree, _, _ = parts(app)
        await pilot.pause()
        before, opened = shown(tree), screen.current
        made: list[str] = []
        original = MeetingTree.label_for

        def counted(self: MeetingTree, node, above=None):  # type: ignore[no-untyped-def]
            made.append(node.key)
            return original(self, node, above)

        await type_query(pilot, app, "团结")
        assert tree.narrowed
        monkeypatch.setattr(MeetingTree, "label_for", counted)
        await pilot.press("escape")
        await pilot.pause()
        assert not tree.narrowed and made == []  # no node made again
        assert screen.current is opened and tree.current().data.doc_id == opened.id
        assert shown(tree) == before
        monkeypatch.undo()
        # and again after another search
        await type_query(pilot, app, "合作")
        await pilot.press("escape")
        await pilot.pause()
        assert shown(tree) == before


@run_async
async def test_a_script_changed_while_searching_relabels_the_full_tree() -> None:
    app = YuelanApp(MemoryCorpus(seed_documents()))
    async with app.run_test(size=SIZE) as pilot:
        screen, tree, _, _ = parts(app)
        await pilot.pause()
        await type_query(pilot, app, "团结")
        tree.set_script("trad")
        await pilot.press("escape")
        await pilot.pause()
        labels = [line for line in shown(tree) if line.strip()]
        fresh = YuelanApp(MemoryCorpus(seed_documents()))
        async with fresh.run_test(size=SIZE) as other:
            _, other_tree, _, _ = parts(fresh)
            await other.pause()
            other_tree.set_script("trad")
            fresh.screen.browser.open_id(screen.current.id)
            await other.pause()
            assert labels == [line for line in shown(other_tree) if line.strip()]


@run_async
async def test_escape_opens_no_meeting_but_the_one_open() -> None:
    """A meeting opened from the results stays open on Esc, and none other is opened on the way."""
    app = YuelanApp(MemoryCorpus(seed_documents()))
    async with app.run_test(size=SIZE) as pilot:
        screen, tree, _, _ = parts(app)
        await pilot.pause()
        before = screen.current
        await type_query(pilot, app, "团结")
        best = next(r.doc_id for r in screen.answer.results if r.doc_id != before.id)
        screen.open_id(best)
        await pilot.pause()
        opened: list[str] = []
        original = screen.browser.open_document

        def counted(doc, *args, **options):  # type: ignore[no-untyped-def]
            opened.append(doc.id)
            return original(doc, *args, **options)

        screen.browser.open_document = counted  # type: ignore[method-assign]
        await pilot.press("escape")
        await pilot.pause()
        assert opened == [] and screen.current.id == best and tree.current().data.doc_id == best
