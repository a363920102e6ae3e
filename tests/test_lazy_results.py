"""Results cut their snippets when read, not when the search answers (store/search/results.py)."""

from __future__ import annotations

import pytest
from helpers import indexed_seed_documents

import store.search.index
from store.models import SearchResult
from store.search.index import SearchIndex
from store.search.snippets import snippets


def test_a_search_cuts_no_snippet_until_one_is_read(monkeypatch: pytest.MonkeyPatch) -> None:
    index = SearchIndex.build(indexed_seed_documents(), "g")
    cut: list[int] = []

    def counted(*args: object, **kwargs: object) -> object:
        cut.append(1)
        return snippets(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(store.search.index, "snippets", counted)
    answer = index.search("团结", limit=50)
    assert len(answer.results) > 2 and not cut
    first = answer.results[0]
    assert first.snippets and first.snippets == first.snippets and len(cut) == 1  # cut once, then kept
    assert any(s.hits for s in first.snippets)
    plain = SearchResult(first.doc_id, first.title, first.score, first.hits, first.snippets)
    assert first.to_dict() == plain.to_dict() and len(cut) == 1
