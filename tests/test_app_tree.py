"""The tree column: compact dates, whole titles, a width the user sets with < and > and keeps."""

from __future__ import annotations

import re

import pytest
from helpers import MemoryCorpus, run_async, seed_documents

from store.corpus import Corpus
from store.models import MeetingDate
from tui.app import YuelanApp
from tui.settings import load_settings
from tui.widgets.meeting_tree import MeetingTree, compact_date
from tui.widgets.virtual_tree import every_line


@pytest.mark.parametrize(
    ("date", "year_above", "shown"),
    [
        (MeetingDate(2024, 12, 28, "2024年12月28日"), 2024, "12-28"),
        (MeetingDate(2024, 12, 28, "12月28日"), 2023, "2024-12-28"),
        (MeetingDate(2024, 5, 16, "5月16日至17日"), None, "2024-05-16"),
        (MeetingDate(None, 9, 4, "9月4日"), 2024, "09-04"),
        (MeetingDate(2024, 9, None, "9月"), 2024, "09-  "),
        (MeetingDate(2023, None, None, "2023年"), 2024, "2023"),
        (None, 2024, ""),
    ],
)
def test_compact_dates(date: MeetingDate | None, year_above: int | None, shown: str) -> None:
    assert compact_date(date, year_above) == shown


def meeting_labels(tree: MeetingTree) -> list[str]:
    return [tree.label_of(line).plain for line in every_line(tree.top) if line.data.kind == "meeting"]


@run_async
async def test_meetings_show_compact_dates_and_whole_titles(seed_corpus: Corpus) -> None:
    app = YuelanApp(seed_corpus)
    async with app.run_test(size=(80, 24)) as pilot:
        tree = app.screen.query_one(MeetingTree)
        for line in list(tree.top):
            tree.expand_all(line)
        await pilot.pause()
        labels = meeting_labels(tree)
        titles = {d.title for d in seed_corpus.documents()}
        assert labels
        for label in labels:
            assert "月" not in label[:6] and "日" not in label[:6], label  # no 2024年12月28日 in the column
            assert re.match(r"(\d{4}-)?\d\d-(\d\d|  ) ", label) or label in titles, label
            assert any(label.endswith(title) for title in titles), label  # the title is whole


@run_async
async def test_angle_brackets_set_the_tree_width_and_it_is_kept() -> None:
    corpus = MemoryCorpus(seed_documents())
    app = YuelanApp(corpus)
    async with app.run_test(size=(80, 24)) as pilot:
        tree = app.screen.query_one(MeetingTree)
        before = tree.outer_size.width
        await pilot.press("greater_than_sign", "greater_than_sign")
        await pilot.pause()
        assert tree.outer_size.width == before + 8
        await pilot.press(*["less_than_sign"] * 20)  # as far as it goes, never to nothing
        await pilot.pause()
        assert tree.outer_size.width == 16
        await pilot.press("greater_than_sign")
        await pilot.pause()
    assert load_settings().tree_width == 20
    again = YuelanApp(corpus, load_settings())
    async with again.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert again.screen.query_one(MeetingTree).outer_size.width == 20
