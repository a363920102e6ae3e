"""Properties: the index answers exactly what a brute-force scan of the folded texts answers.

Queries are random substrings of the corpus in either script, with and without regional-vocabulary
expansion, joined into AND and NOT queries; typing a query one character at a time with `previous`
gives what a fresh search gives.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
import pytest
from helpers import indexed_seed_documents as seed_documents
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import store.search.index
import store.search.part
from store.models import Document, Span
from store.search.index import SearchIndex
from store.search.part import IndexPart, SpanPool
from store.search.query import REGIONAL_TERMS, Query, Term, parse, split_into_words, term_forms
from store.search.suffix import SuffixText
from store.text.script import fold, to_simplified, to_traditional

DOCS = seed_documents()
FOLDED = {d.id: fold(d.text) for d in DOCS}
INDEX = SearchIndex.build(DOCS, "props")


def _in_parts(folder: Path) -> SearchIndex:
    """The same documents indexed as three imports would leave them: three parts."""
    index = SearchIndex.build(DOCS[4:], "p0", folder=folder)
    for number, documents in enumerate((DOCS[2:], DOCS), 1):
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(store.search.index, "EXTEND_SHARE", 1.0)
            grown = index.extended(documents, f"p{number}", folder)
        assert grown is not None
        index = grown
    return index


PARTS_FOLDER = Path(tempfile.mkdtemp(prefix="yuelan-parts-")) / "index"
PARTED = _in_parts(PARTS_FOLDER)
# Loaded from its files: searched through the maps once warmed (suffix.MappedHeads), through reads
# of the files before (probes.Probes)
MAPPED = SearchIndex.load(PARTS_FOLDER)
MAPPED.warm()
READ = SearchIndex.load(PARTS_FOLDER)
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
    for index in (INDEX, PARTED, MAPPED, READ):
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


def _uncached(index: SearchIndex) -> SearchIndex:
    """The same arrays and fields, with no ranges or counts remembered."""
    parts = [IndexPart(p.text, (p.orig_codes, p.orig_alphabet), p.first, p.path) for p in index.parts]
    for fresh, part in zip(parts, index.parts, strict=True):
        fresh.hot = part.hot
    return SearchIndex(parts, index.meta)


def _per_form(index: SearchIndex, term: Term) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """tf, title tf and presence of a term as each of its forms was counted on its own and added in
    turn, part by part (the index adds the forms of one weight up first, then counts once)."""
    from store.search.index import _pinyin_forms

    weighted = [(form, 1.0) for form in term_forms(term)]
    if term.is_pinyin:
        weighted += _pinyin_forms(index.lexicon, term.text)
    tf, title_tf = np.zeros(index.n_docs), np.zeros(index.n_docs)
    present = np.zeros(index.n_docs, dtype=bool)
    for form, weight in weighted:
        for part in index.parts:
            key = part.text.encode(form)
            if key is None:
                continue
            lo, hi = part.text.find_range(key)
            counts = part.text.counts(lo, hi, 2 * part.n_docs)
            span = slice(part.first, part.first + part.n_docs)
            tf[span] += weight * counts[: part.n_docs]
            title_tf[span] += counts[part.n_docs :]
            present[span] |= counts[: part.n_docs] > 0
    return tf, title_tf, present


@settings(max_examples=80, deadline=None)
@given(substrings() | regional() | st.sampled_from(["xizang", "tuanjie", "tj", "gs", "zh", "g", "的", "。"]))
def test_a_terms_forms_counted_together_count_as_each_on_its_own(text: str) -> None:
    """Every form of a term (thirty for a pinyin one) is counted in one pass per part and weight: the
    counts, and so the scores, are those of counting each form and adding them up, to the last bit."""
    term = parse(text).terms[0]
    for index in (INDEX, PARTED, MAPPED):
        lookup = _uncached(index)._look_up(term, refine=False)
        tf, title_tf, present = _per_form(index, term)
        assert np.array_equal(lookup.tf, tf) and np.array_equal(lookup.title_tf, title_tf), text
        assert np.array_equal(lookup.present, present), text


def _encoded_by_numpy(text: SuffixText, pattern: str) -> bytes | None:
    """Encoding as numpy did it: each code point's rank in the alphabet, all or nothing."""
    points = np.frombuffer(pattern.encode("utf-32-le"), dtype="<u4")
    codes = np.minimum(np.searchsorted(text.alphabet, points), len(text.alphabet) - 1)
    if not len(points) or not np.array_equal(text.alphabet[codes], points) or (codes == 0).any():
        return None
    return codes.astype(text.codes.dtype).tobytes()


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from([*sorted(set(FOLDED["001"]))[:300], "\x00", "\U00020000", "Ω", "z", "\uffff"]),
        max_size=6,
    ).map("".join)
)
def test_encoding_a_form_gives_numpys_codes(pattern: str) -> None:
    for part in (*INDEX.parts, *PARTED.parts):
        assert part.text.encode(pattern) == _encoded_by_numpy(part.text, pattern), pattern


@settings(max_examples=60, deadline=None)
@given(st.lists(substrings() | regional(), min_size=1, max_size=3), st.integers(1, len(DOCS)))
def test_hits_found_by_comparing_codes_equal_hits_from_the_slices(terms: list[str], limit: int) -> None:
    """A common form's hits are found by comparing codes in the chosen documents (part._Window), a rare
    one's read off its slice (part.SCAN_FACTOR): the same hits, whichever documents are chosen."""
    query = " ".join(terms)
    for index in (INDEX, PARTED, MAPPED):
        found = []
        for factor in (0.0, float("inf")):  # every form compared; none
            with pytest.MonkeyPatch.context() as patch:
                patch.setattr(store.search.part, "SCAN_FACTOR", factor)
                found.append([(r.doc_id, r.hits) for r in index.search(query, limit=limit).results])
        assert found[0] == found[1], query


@settings(max_examples=100, deadline=None)
@given(st.lists(st.lists(st.tuples(st.integers(0, 5000), st.integers(0, 300)), max_size=40), max_size=6))
def test_shared_spans_are_the_spans_asked_for(batches: list[list[tuple[int, int]]]) -> None:
    """Hits share their Span objects through a bounded pool (part.SpanPool): each answer gets exactly
    the spans it asks for, however full the pool, and it never holds many more than its bound."""
    pool = SpanPool(50)
    for batch in batches:
        starts = np.array([s for s, _ in batch], dtype=np.int64)
        ends = np.array([s + n for s, n in batch], dtype=np.int64)
        assert pool.spans(starts, ends) == [Span(s, s + n) for s, n in batch]
        assert len(pool._pool) <= max(50, len(batch))


def _dense_scores(index: SearchIndex, parsed: Query) -> np.ndarray:
    """The scores as computed over every document, term by term (rank.bm25, rank.title_bonus)."""
    from store.search import rank

    scores = np.zeros(index.n_docs)
    positive = [index._look_up(term, False) for term in parsed.positive]
    for lookup in positive:
        weight = rank.PHRASE_BOOST if lookup.term.phrase else 1.0
        scores += weight * rank.bm25(lookup.tf, index.lengths, index.average_length, index.n_alive)
        df = int(np.count_nonzero(lookup.present))
        scores += rank.title_bonus(lookup.title_tf, df, index.n_alive) * lookup.present
    plain = [lk.term for lk in positive if not lk.term.phrase]
    if len(plain) > 1:
        tf = index._form_tf(fold("".join(t.text for t in plain)), False)
        if tf.any():
            scores += rank.PHRASE_BOOST * rank.bm25(tf, index.lengths, index.average_length, index.n_alive)
    return scores


@settings(max_examples=80, deadline=None)
@given(
    st.lists(
        substrings() | regional() | st.sampled_from(["xizang", "tj", "的", '"对口 支援"']),
        min_size=1,
        max_size=3,
    )
)
def test_scores_added_where_terms_occur_are_the_scores_over_every_document(terms: list[str]) -> None:
    """BM25 and the title bonus are added only where a term occurs (rank.add_bm25): the scores are those
    computed over every document, to the last bit."""
    parsed = parse(" ".join(terms))
    for index in (INDEX, PARTED):
        positive = [index._look_up(term, False) for term in parsed.positive]
        assert np.array_equal(index._scores(parsed, positive, False), _dense_scores(index, parsed)), terms
