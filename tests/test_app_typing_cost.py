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


@pytest.mark.parametrize(("set_by_user", "expected"), [(None, "120"), ("30", "30")])
def test_the_browser_draws_up_to_120_frames_a_second_unless_told(
    set_by_user: str | None, expected: str
) -> None:
    """At Textual's 60 an answer ready just after a frame waited up to 16.7 ms for the next; the cap is
    read once, when textual is first imported, so importing the browser must set it first."""
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "TEXTUAL_FPS"}
    if set_by_user is not None:
        env["TEXTUAL_FPS"] = set_by_user
    code = (
        "import tui.app, textual.constants as c, textual.screen as s;"
        "print(c.MAX_FPS, round(1 / s.UPDATE_PERIOD))"
    )
    shown = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert shown.stdout.split() == [expected, expected]
