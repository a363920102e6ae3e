"""What one query may cost: its length, its terms (also those the word fallback would make) and the
results asked for are capped with a one-line message, the same in the CLI and the browser; snippets of
a term that occurs every few characters stay a window wide. (Times are measured by a command and
reported in the README, not asserted here.)"""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import pytest
from helpers import run_async

from store.corpus import Corpus
from store.models import Span
from store.search.query import MAX_LIMIT, MAX_QUERY_CHARS, MAX_TERMS, QueryError, parse
from store.search.snippets import MAX_WINDOW, snippets
from tui import cli
from tui.app import YuelanApp
from tui.screens.main import MainScreen
from tui.widgets.search_bar import SearchBar


def test_a_query_of_10000_characters_is_refused() -> None:
    with pytest.raises(QueryError, match=rf"query too long: 10,000 characters \(at most {MAX_QUERY_CHARS}\)"):
        parse("的" * 10_000)
    parse("的" * MAX_QUERY_CHARS)  # the longest accepted


def test_too_many_terms_are_refused_terms_exclusions_and_filters_alike() -> None:
    with pytest.raises(QueryError, match=rf"too many terms \(at most {MAX_TERMS},"):
        parse(" ".join("的" * 100))
    with pytest.raises(QueryError, match="too many terms"):
        parse(" ".join(["团结"] * (MAX_TERMS - 1) + ["-旅游", "province:甘肃"]))
    assert len(parse(" ".join(["团结"] * (MAX_TERMS - 1) + ["-旅游"])).terms) == MAX_TERMS


def test_the_word_fallback_never_makes_more_terms_than_a_query_may_have(seed_corpus: Corpus) -> None:
    """的 × 150 occurs nowhere; cut into 150 words 的 it matched every report (and took seconds)."""
    answer = seed_corpus.search("的" * 150)
    assert (answer.total, answer.words) == (0, ())
    split = seed_corpus.search("西藏合作")  # the fallback still answers what people meant
    assert split.words and split.total


def run(argv: list[str]) -> tuple[int, str]:
    err = io.StringIO()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
        try:
            code = cli.main(argv)
        except SystemExit as exit_:
            code = int(exit_.code or 0)
    return code, err.getvalue()


@pytest.mark.parametrize(
    ("query", "said"),
    [
        (["的" * 10_000], "bad query: query too long: 10,000 characters (at most 200)"),
        ([" ".join("的" * 3000)], "bad query: query too long: 5,999 characters (at most 200)"),
        (list("的是在国人发展合作工作"), "bad query: too many terms (at most 10, counting"),
    ],
)
def test_the_cli_says_what_a_query_may_cost_in_one_line(
    seed_store: Path, query: list[str], said: str
) -> None:
    code, err = run(["search", *query, "--db", str(seed_store)])
    assert code == 1 and err.count("\n") == 1 and err.startswith(f"yuelan: {said}")


def test_the_cli_limit_is_capped_as_a_usage_error(seed_store: Path) -> None:
    code, err = run(["search", "西藏", "--limit", "1000", "--db", str(seed_store)])
    assert code == cli.EXIT_USAGE and f"argument --limit: at most {MAX_LIMIT}" in err


def test_snippets_of_a_term_on_every_character_stay_a_window_wide() -> None:
    text = "的" * 3000
    hits = [Span(k, k + 1) for k in range(3000)]
    found = snippets(lambda start, end: text[start:end], len(text), hits)
    assert len(found) == 3 and all(len(s.text) <= MAX_WINDOW for s in found)
    for snippet in found:
        assert snippet.hits and all(0 <= h.start < h.end <= len(snippet.text) for h in snippet.hits)
    assert found[0].start + len(found[0].text) <= found[1].start  # side by side, not overlapping


def test_sparse_hits_still_merge_into_one_snippet() -> None:
    text = "甲" * 100 + "团结" + "乙" * 10 + "团结" + "丙" * 100
    found = snippets(lambda start, end: text[start:end], len(text), [Span(100, 102), Span(112, 114)])
    assert len(found) == 1 and [(h.start, h.end) for h in found[0].hits] == [(24, 26), (36, 38)]


@run_async
async def test_the_browser_says_a_pasted_passage_is_too_long(seed_corpus: Corpus) -> None:
    app = YuelanApp(seed_corpus)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        screen = app.screen
        assert isinstance(screen, MainScreen)
        await pilot.press("slash")
        screen.query_one(SearchBar).value = "西藏" * 150  # a paste: one change, 300 characters
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        said = "bad query: query too long: 300 characters (at most 200)"
        notes = [note.message for note in app._notifications]  # a message too wide for the status line
        assert said in screen.status_text().plain or any(said in note for note in notes)
