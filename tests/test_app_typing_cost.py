"""What a keystroke in the search bar costs the event loop: never formatting the answer it refines."""

from __future__ import annotations

import pytest
from helpers import run_async, type_query

from store.corpus import Corpus
from store.models import SearchAnswer, SearchResult
from tui.app import YuelanApp


@run_async
async def test_a_keystroke_does_not_format_the_previous_answer(
    seed_corpus: Corpus, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Textual names a worker with repr(work) unless told otherwise: the search's work holds the answer
    it refines, so each keystroke formatted every result and hit of it (and cut every snippet)."""
    formatted: list[str] = []

    def counted(self: object) -> str:
        formatted.append(type(self).__name__)
        return "…"

    monkeypatch.setattr(SearchAnswer, "__repr__", counted)
    monkeypatch.setattr(SearchResult, "__repr__", counted)
    app = YuelanApp(seed_corpus)
    async with app.run_test(size=(100, 30)) as pilot:
        await type_query(pilot, app, "团结进步")
        assert app.screen.answer is not None and app.screen.answer.results
    assert formatted == []
