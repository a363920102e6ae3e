"""Properties: the index answers exactly what a brute-force scan of the folded texts answers.

Queries are random substrings of the corpus in either script, with and without regional-vocabulary
expansion, joined into AND and NOT queries; typing a query one character at a time with `previous`
gives what a fresh search gives.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from helpers import indexed_seed_documents as seed_documents
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import store.search.index
from store.models import Document
from store.search.index import SearchIndex
from store.search.part import IndexPart
from store.search.query import REGIONAL_TERMS, Query, parse, split_into_words, term_forms
from store.text.script import fold, to_simplified, to_traditional

DOCS = seed_documents()
FOLDED = {d.id: fold(d.text) for d in DOCS}
INDEX = SearchIndex.build(DOCS, "props")


def _in_parts() -> SearchIndex:
    """The same documents indexed as three imports would leave them: three parts."""
    folder = Path(tempfile.mkdtemp(prefix="yuelan-parts-")) / "index"
    index = SearchIndex.build(DOCS[4:], "p0", folder=folder)
    for number, documents in enumerate((DOCS[2:], DOCS), 1):
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(store.search.index, "EXTEND_SHARE", 1.0)
            grown = index.extended(documents, f"p{number}", folder)
        assert grown is not None
        index = grown
    return index


PARTED = _in_parts()
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def brute_force(query: str) -> tuple[set[str], dict[str, set[tuple[int, int]]]]:
    """Documents and hits by scanning every folded text with `in` and `find`; when nothing matches as
    typed, the query cut into words (西藏合作 → 西藏 合作), as the index does."""
    parsed = parse(query)
    found = scan(parsed)
    split = split_into_words(parsed) if not found[0] else None
    return scan(split) if split is not None else found


def scan(parsed: Query) -> tuple[set[str], dict[str, set[tuple[int, int]]]]:
    matched: set[str] = set()
    hits: dict[str, set[tuple[int, int]]] = {}
    for doc_id, text in FOLDED.items():
        if all(any(f in text for f in term_forms(t)) != t.negated for t in parsed.terms):
            matched.add(doc_id)
            spans = set()
            for term in parsed.positive:
                for form in term_forms(term):
                    spans |= {(i, i + len(form)) for i in range(len(text)) if text.startswith(form, i)}
            hits[doc_id] = spans
    return matched, hits


def assert_same_as_brute_force(query: str) -> None:
    matched, hits = brute_force(query)
    for index in (INDEX, PARTED):
        answer = index.search(query, limit=len(DOCS))
        assert {r.doc_id for r in answer.results} == matched, query
        assert answer.total == len(matched)
        for result in answer.results:
            assert {(h.start, h.end) for h in result.hits} == hits[result.doc_id], (query, result.doc_id)


@st.composite
def substrings(draw: st.DrawFn) -> str:
    """A substring of some document, shown in Simplified or Traditional, without spaces or quotes."""
    doc: Document = draw(st.sampled_from(DOCS))
    start = draw(st.integers(0, len(doc.text) - 1))
    length = draw(st.integers(1, 8))
    piece = doc.text[start : start + length]
    piece = draw(st.sampled_from([to_simplified, to_traditional, lambda s: s]))(piece)
    cleaned = "".join(c for c in piece if not c.isspace() and c not in '"“”「」-:：')
    if cleaned.isascii() and cleaned.isalpha():  # read as pinyin too (G: 甘, 国…): test_pinyin's job
        return "团"
    return cleaned or "团"


@st.composite
def regional(draw: st.DrawFn) -> str:
    """A term that needs expansion, glued to characters found next to it or to nothing."""
    mainland, other = draw(st.sampled_from(REGIONAL_TERMS))
    word = draw(st.sampled_from([mainland, other, to_traditional(other)]))
    return draw(st.sampled_from(["高", "", "发展", "的"])) + word


@SETTINGS
@given(substrings())
def test_single_substrings_match_the_scan(term: str) -> None:
    assert_same_as_brute_force(term)


@SETTINGS
@given(regional())
def test_expanded_terms_match_the_scan(term: str) -> None:
    assert_same_as_brute_force(term)


@SETTINGS
@given(st.lists(substrings() | regional(), min_size=2, max_size=3), st.booleans())
def test_and_not_queries_match_the_scan(terms: list[str], negate_last: bool) -> None:
    if negate_last:
        terms[-1] = "-" + terms[-1]
    assert_same_as_brute_force(" ".join(terms))


@settings(max_examples=40, deadline=None)
@given(substrings(), substrings())
def test_typing_with_previous_equals_a_fresh_search(first: str, second: str) -> None:
    query = f"{first} {second}"
    previous = None
    for end in range(1, len(query) + 1):
        prefix = query[:end]
        if not prefix.strip():
            continue
        refined = INDEX.search(prefix, previous=previous, limit=len(DOCS))
        parts = [IndexPart(p.text, (p.orig_codes, p.orig_alphabet), p.first, p.path) for p in INDEX.parts]
        fresh_index = SearchIndex(parts, INDEX.meta)  # the same arrays, no ranges remembered
        fresh = fresh_index.search(prefix, limit=len(DOCS))
        assert [(r.doc_id, r.hits, r.score) for r in refined.results] == [
            (r.doc_id, r.hits, r.score) for r in fresh.results
        ], prefix
        previous = refined


@pytest.mark.parametrize("word", ["高质量", "高品質", "互联网", "支援", "水平"])
def test_known_regional_examples(word: str) -> None:
    assert_same_as_brute_force(word)
