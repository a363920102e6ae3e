"""Any valid Unicode text indexes: a report using more characters than 16-bit codes can number (the
CJK extensions B-F are real in names and place names) gets 32-bit codes, in its index or part only."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest
from helpers import find_hits, make_document, random_documents, reference_suffix_text, saved_bytes
from helpers import indexed_seed_documents as seed_documents

import store.search.index
import store.search.suffix
from store.corpus import Corpus, bundled_seeds
from store.models import Document
from store.search.build import fold_keeping_positions
from store.search.index import SearchIndex
from store.text.script import fold

# 70,000 code points from the supplementary ideographic plane onwards: more than 65,535 distinct ones
WIDE_TEXT = "".join(chr(c) for c in range(0x20000, 0x20000 + 70_000))


def wide_document() -> Document:
    return make_document("wide", "表情" + WIDE_TEXT + "。团结", None, [], [], "")


def brute_force(docs: list[Document], query: str) -> dict[str, list[tuple[int, int]]]:
    """Each document whose folded text holds the query, with every occurrence: no index at all."""
    found = {}
    for doc in docs:
        hits = find_hits(fold_keeping_positions(doc.text), [fold(query)])
        if hits:
            found[doc.id] = [(h.start, h.end) for h in hits]
    return found


def answered(index: SearchIndex, query: str) -> dict[str, list[tuple[int, int]]]:
    answer = index.search(f'"{query}"', limit=1000)
    assert answer.total == len(answer.results)
    return {r.doc_id: [(h.start, h.end) for h in r.hits] for r in answer.results}


def test_a_report_with_more_than_65535_characters_indexes_and_is_found(tmp_path: Path) -> None:
    docs = [wide_document(), *seed_documents()]
    SearchIndex.build(docs, "g", folder=tmp_path / "wide.index")
    index = SearchIndex.load(tmp_path / "wide.index")
    assert index.parts[0].text.codes.dtype == np.dtype(">u4")
    rng = random.Random(7)
    queries = ["团结", "。团结", WIDE_TEXT[:3], WIDE_TEXT[-2:], chr(0x20000 + 65_600), "表情" + WIDE_TEXT[0]]
    queries += [WIDE_TEXT[k : k + rng.randrange(1, 4)] for k in rng.sample(range(len(WIDE_TEXT) - 4), 20)]
    for query in queries:
        expected = brute_force(docs, query)
        assert expected and answered(index, query) == expected, query
    (result,) = index.search(WIDE_TEXT[69_990:69_995]).results
    assert WIDE_TEXT[69_990:69_995] in result.snippets[0].text  # snippets decode the wide original codes


@pytest.mark.parametrize("seed", range(4))
def test_wide_codes_equal_the_plain_build_and_a_brute_force_search(
    seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Small data, with the 16-bit limit lowered so that wide codes are used: every array equals the
    plain construction's (the suffix array sorted by comparing suffixes), every answer a scan's."""
    monkeypatch.setattr(store.search.suffix, "NARROW_ALPHABET", 4)
    monkeypatch.setattr(store.search.suffix, "CHUNK", 7)
    docs = random_documents(seed, 30)
    index = SearchIndex.build(docs, "gen")
    part = index.parts[0]
    assert part.text.codes.dtype == np.dtype(">u4") and part.orig_codes.dtype == np.dtype(">u4")
    folded = [fold_keeping_positions(d.text) for d in docs] + [fold(d.title) for d in docs]
    joined = "\x00".join(folded) + "\x00"
    present = np.zeros(0x110000, dtype=bool)
    present[[ord(c) for c in joined]] = True
    alphabet = np.flatnonzero(present)
    codes = np.searchsorted(alphabet, [ord(c) for c in joined]).astype(">u4")
    expected = reference_suffix_text(folded)  # its starts; its codes are 16-bit
    sa = np.array(sorted(range(len(codes)), key=lambda i: codes[i:].tobytes()), dtype=np.int32)
    assert saved_bytes(part.text.codes) == saved_bytes(codes)
    assert saved_bytes(part.text.sa) == saved_bytes(sa)
    assert np.array_equal(part.text.starts, expected["starts"])
    rng = random.Random(seed)
    texts = [fold_keeping_positions(d.text) for d in docs if d.text]
    for _ in range(30):
        text = rng.choice(texts)
        start = rng.randrange(len(text))
        query = text[start : start + rng.randrange(1, 4)]
        if query.strip() and not any(c.isspace() for c in query):
            assert answered(index, query) == brute_force(docs, query), query


def test_an_added_part_whose_alphabet_overflows_works(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store.search.index, "EXTEND_SHARE", 1.0)
    docs = seed_documents()
    folder = tmp_path / "parts.index"
    index = SearchIndex.build(docs, "g0", folder=folder)
    grown = index.extended([wide_document(), *docs], "g1", folder)
    assert grown is not None and len(grown.parts) == 2
    loaded = SearchIndex.load(folder)
    assert [p.text.codes.dtype for p in loaded.parts] == [np.dtype(">u2"), np.dtype(">u4")]
    for query in ("团结", WIDE_TEXT[100:103], "。团结"):
        assert answered(loaded, query) == brute_force([wide_document(), *docs], query), query


def test_the_cli_imports_and_searches_a_store_holding_such_a_report(tmp_path: Path) -> None:
    from tui.cli import main

    source = tmp_path / "src"
    source.mkdir()
    (source / "wide.txt").write_text("各地名录\n" + WIDE_TEXT + "\n团结协作\n", encoding="utf-8")
    store_path = tmp_path / "y.json"
    assert main(["import", "--db", str(store_path), str(source)]) == 0
    assert main(["import", "--db", str(store_path), str(bundled_seeds())]) == 0
    corpus = Corpus.open(store_path)
    assert corpus.search(WIDE_TEXT[500:502]).total == 1
    assert corpus.search("团结").total > 1
