"""Counts of a part's commonest characters read from rows made at build time (store/search/hot.py) answer
exactly as counting their suffix-array slices; a row that does not add up is not used."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from helpers import indexed_seed_documents

import store.search.hot
from store.models import SearchAnswer
from store.search.index import SearchIndex

QUERIES = ["的", "团", "藏", "发展", "团结 的", "甘肃 -四川", "province:藏 合", "tuanjie", "de"]


def answer_of(answer: SearchAnswer) -> tuple[object, ...]:
    results = [(r.doc_id, r.hits, round(r.score, 9), [s.text for s in r.snippets]) for r in answer.results]
    return answer.total, results


@pytest.fixture(scope="module")
def plain() -> SearchIndex:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(store.search.hot, "HOT_MIN", 10**12)
        index = SearchIndex.build(indexed_seed_documents(), "g")
    assert not len(index.parts[0].hot.codes)
    return index


def test_every_character_hot_answers_as_none(
    plain: SearchIndex, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store.search.hot, "HOT_MIN", 1)
    monkeypatch.setattr(store.search.hot, "HOT_MAX", 10**6)
    SearchIndex.build(indexed_seed_documents(), "g", folder=tmp_path / "index")
    index = SearchIndex.load(tmp_path / "index")
    part = index.parts[0]
    assert len(part.hot.codes) == len(part.text.alphabet) - 1  # every character but the separator
    for query in QUERIES:
        assert answer_of(index.search(query)) == answer_of(plain.search(query)), query
    counted: list[int] = []
    count = part.text.counts
    monkeypatch.setattr(part.text, "counts", lambda *args: counted.append(1) or count(*args))
    index.clear_caches()
    assert index.search("的").total and index.search("团").total and counted == []  # read from rows


def test_a_row_that_does_not_add_up_is_counted_afresh(
    plain: SearchIndex, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store.search.hot, "HOT_MIN", 1)
    SearchIndex.build(indexed_seed_documents(), "g", folder=tmp_path / "index")
    counts = tmp_path / "index" / "hot_counts.npy"
    rows = np.load(counts)
    rows[:, :] = rows[:, ::-1]  # the same sums, other documents: cannot be caught by the sum
    rows[:, 0] += 1  # ... unless it no longer adds up
    np.save(counts, rows)
    index = SearchIndex.load(tmp_path / "index")
    for query in QUERIES:
        assert answer_of(index.search(query)) == answer_of(plain.search(query)), query
