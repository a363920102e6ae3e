"""The browser on a real store built from the seeds: the real tree, the real index, jieba kept off startup."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from test_app_memory import run_async

from store.corpus import Corpus
from store.script import fold
from tui.app import YuelanApp
from tui.screens.main import MainScreen
from tui.widgets.meeting_tree import MeetingTree, iter_meetings
from tui.widgets.reader import Reader


@run_async
async def test_find_tibet_search_unity_switch_script_and_jump(seed_corpus: Corpus) -> None:
    app = YuelanApp(seed_corpus)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, MainScreen)
        tree = screen.query_one(MeetingTree)
        tibet = next(n for n in tree.full if n.kind == "province" and n.label == "西藏自治区")
        tibet_docs = {d.id for d in seed_corpus.documents() if "西藏自治区" in d.meta.provinces}
        assert {m.doc_id for m in iter_meetings([tibet])} == tibet_docs
        await pilot.press("slash", "團", "結")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.answer is not None and screen.answer.query == "團結" and screen.answer.results
        await pilot.press("enter")
        reader = screen.query_one("#reader", Reader)
        assert reader.hits and all(fold(reader.text[h.start : h.end]) == "团结" for h in reader.hits)
        hits = list(reader.hits)
        await pilot.press("t", "t")
        assert app.script == "trad" and reader.hits == hits
        assert all(reader.text[h.start : h.end] == "團結" for h in hits)
        await pilot.press("n")
        assert screen.hit == (1 if len(hits) > 1 else 0)
        await pilot.press("y")
        assert "——" in app.clipboard


def test_startup_path_never_imports_jieba(seed_store: Path) -> None:
    """Open the store, build the tree and compose the first screen in a fresh interpreter."""
    program = f"""
import asyncio, sys
from pathlib import Path
from store.corpus import Corpus
from tui.app import YuelanApp
from tui.screens.main import MainScreen
MainScreen.warm_index = lambda self, *args: None  # measure the path to the first frame only
app = YuelanApp(Corpus.open(Path({str(seed_store)!r})))
async def main():
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.screen.jieba_at_first_frame is False
asyncio.run(main())
print("jieba" in sys.modules)
"""
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"
