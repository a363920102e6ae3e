"""The browser never loads jieba's dictionary: a query with no exact match is split with that dictionary
mapped (store/text/prefix.py), and the index's warm-up readies that instead of jieba's 77 MB of tables."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from store.corpus import Corpus


def test_a_browser_session_that_searches_with_the_word_fallback_never_loads_jiebas_dictionary(
    seed_store: Path,
) -> None:
    program = f"""
import asyncio, json, sys
from pathlib import Path
from store.corpus import Corpus
from tui.app import YuelanApp
app = YuelanApp(Corpus.open(Path({str(seed_store)!r})))
async def main():
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        while screen.index_state == "loading":
            await asyncio.sleep(0.01)
        await pilot.press("slash", *"西藏合作")
        while screen.answer is None or screen.answer.query != "西藏合作":
            await asyncio.sleep(0.01)
        print(json.dumps([screen.index_state, list(screen.answer.words),
                          [r.doc_id for r in screen.answer.results],
                          "jieba" in sys.modules and sys.modules["jieba"].dt.initialized]))
asyncio.run(main())
"""
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    state, words, ids, jieba_loaded = json.loads(done.stdout.strip().splitlines()[-1])
    expected = Corpus.open(seed_store).search("西藏合作")
    assert (
        state == "ready"
        and ids
        and words
        and (tuple(words), ids)
        == (
            expected.words,
            [r.doc_id for r in expected.results][: len(ids)],
        )
    )
    assert jieba_loaded is False
