"""A browser left open sees an import made from another process and loads it on `r`."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import run_async, status, type_query

from store.corpus import Corpus
from tui.app import YuelanApp
from tui.screens.main import MainScreen

REPORT = """川渝两地召开毗邻地区合作联席会议
9月20日，川渝毗邻地区合作联席会议在重庆市召开。四川省和重庆市有关负责同志出席会议，
双方围绕团结协作、产业协同和生态共保深入交流。
"""


@run_async
async def test_an_import_from_elsewhere_is_offered_and_r_loads_it(
    seed_store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(MainScreen, "STORE_CHECK_SECONDS", 0.1)
    app = YuelanApp(Corpus.open(seed_store))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, MainScreen)
        await type_query(pilot, app, "团结")
        before = screen.answer.total
        await pilot.press("enter")  # reading: keys are commands again
        await pilot.pause(0.3)
        assert "r to load" not in status(app) and "r" not in screen.active_bindings
        source = tmp_path / "new" / "report.txt"
        source.parent.mkdir()
        source.write_text(REPORT, encoding="utf-8")
        Corpus.open(seed_store, seed_if_new=False).import_paths([source])  # as `yuelan import` would
        await pilot.pause(0.5)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "1 new report — r to load" in status(app)
        assert screen.active_bindings["r"].binding.action == "reload"
        await pilot.press("r")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert len(screen.docs) == 6 and any("川渝" in d.title for d in screen.docs)
        assert screen.answer is not None and screen.answer.total == before + 1  # the search ran again
        await pilot.pause(0.3)
        assert "r to load" not in status(app) and "r" not in screen.active_bindings


@run_async
async def test_a_removal_and_compaction_from_elsewhere_keep_the_old_store_readable_and_r_says_so(
    seed_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`yuelan remove` then `yuelan compact` in another terminal: the compaction renames the texts file
    and deletes the old one, yet the store on screen still reads its texts until `r`, and `r` says
    what went rather than '0 new reports loaded'."""
    monkeypatch.setattr(MainScreen, "STORE_CHECK_SECONDS", 0.1)
    app = YuelanApp(Corpus.open(seed_store))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, MainScreen)
        gone, other = screen.docs[0], screen.docs[-1]
        other_first_line = other.text.splitlines()[0]
        elsewhere = Corpus.open(seed_store, seed_if_new=False)
        elsewhere.remove([gone.id])
        Corpus.open(seed_store, seed_if_new=False).compact()
        assert not (seed_store.parent / (seed_store.name + ".texts")).exists()  # the old file is gone
        await pilot.pause(0.5)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "store changed — r to load" in status(app)
        screen.open_id(other.id)  # the store on screen, before `r`: its texts are still read
        await pilot.pause()
        assert other_first_line in screen.view.reader.text
        await pilot.press("r")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert len(screen.docs) == 4 and all(d.id != gone.id for d in screen.docs)
        assert "1 report removed" in status(app)
        screen.open_id(other.id)
        await pilot.pause()
        assert other_first_line in screen.view.reader.text


def test_what_r_says_names_what_changed() -> None:
    """A compact alone once said '0 new reports loaded'."""
    from tui.browser import reload_said

    assert reload_said({"a"}, {"a", "b"}) == "1 new report loaded"
    assert reload_said({"a", "b"}, {"a"}) == "1 report removed"
    assert reload_said({"a"}, {"b"}) == "1 new report loaded, 1 report removed"
    assert reload_said({"a"}, {"a"}) == "reloaded: no reports added or removed"
