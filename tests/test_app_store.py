"""The browser on a real store built from the seeds: the real tree, the real index, jieba kept off startup."""

from __future__ import annotations

import random
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from helpers import run_async

from store.corpus import Corpus
from store.storage.paths import texts_path_for
from store.text.script import fold
from store.tree import TreeNode
from tui.app import YuelanApp
from tui.screens.main import MainScreen
from tui.widgets.meeting_tree import MeetingTree, filter_tree, iter_meetings, placements
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


def brute_force_filter(roots: list[TreeNode], hit_counts: dict[str, int]) -> list[TreeNode]:
    """The narrowed tree by walking every node: what `filter_tree` must equal."""
    kept = []
    for node in roots:
        if node.kind == "meeting":
            if node.doc_id in hit_counts:
                kept.append(replace(node, count=hit_counts[node.doc_id], children=[]))
            continue
        children = brute_force_filter(node.children, hit_counts)
        if children:
            kept.append(
                replace(node, children=children, count=len({m.doc_id for m in iter_meetings(children)}))
            )
    return kept


def test_narrowed_tree_equals_walking_the_whole_tree(seed_corpus: Corpus) -> None:
    roots = seed_corpus.tree()
    places = placements(roots)
    ids = [d.id for d in seed_corpus.documents()]
    rng = random.Random(5)
    subsets = [ids, ids[:1], ids[-1:], *(rng.sample(ids, k) for k in range(1, len(ids)) for _ in range(3))]
    for subset in subsets:
        hit_counts = {doc_id: rng.randint(1, 9) for doc_id in subset}
        assert filter_tree(places, hit_counts) == brute_force_filter(roots, hit_counts)
    assert filter_tree(places, {}) == []
    assert filter_tree(places, {"not-a-document": 3}) == []


@run_async
async def test_a_damaged_text_is_reported_in_the_reader_not_a_crash(seed_store: Path) -> None:
    corpus = Corpus.open(seed_store)
    victim = corpus.documents()[1]
    ref = victim.stored("text").ref
    texts = texts_path_for(seed_store)
    data = bytearray(texts.read_bytes())
    data[ref.offset + 3] ^= 0x01
    texts.write_bytes(bytes(data))
    app = YuelanApp(Corpus.open(seed_store))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, MainScreen)
        screen.open_id(victim.id, focus=True)
        await pilot.pause()
        reader = screen.query_one("#reader", Reader)
        assert "damaged text" in reader.text and "yuelan import" in reader.text
        await pilot.press("t", "bracketright", "bracketleft")  # toggles and moves on work as before
        assert app.is_running and screen.current is not None


@run_async
async def test_the_tree_says_when_it_holds_only_the_best_results(
    seed_corpus: Corpus, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tui.widgets.search_bar

    monkeypatch.setattr(tui.widgets.search_bar, "RESULT_LIMIT", 2)
    app = YuelanApp(seed_corpus)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, MainScreen)
        tree = screen.query_one(MeetingTree)
        await pilot.press("slash", "团", "结")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.answer is not None and screen.answer.total == 3
        assert len({m.doc_id for m in iter_meetings(tree.roots)}) == 2
        assert tree.border_subtitle == "前 2 / 共 3"
        await pilot.press("enter", "escape")
        await pilot.pause()
        assert screen.answer is None and tree.border_subtitle == ""
