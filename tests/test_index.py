"""The search index on the seeds: substrings, scripts, regional vocabulary, pinyin, filters, ranking,
snippets, typing refinement, and persistence that refuses what it cannot trust."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from dataclasses import fields
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from helpers import (
    find_hits,
    indexed_seed_documents,
    make_document,
    random_documents,
    reference_codes,
    reference_suffix_text,
    saved_bytes,
)

from store.models import Document, Span
from store.search.index import SearchIndex
from store.search.query import QueryError
from store.search.saved import SECTIONS_FILE, IndexUnusable, trusted_meta
from store.search.suffix import SuffixText
from store.text.script import fold


@pytest.fixture(scope="module")
def docs() -> list[Document]:
    return indexed_seed_documents()


@pytest.fixture(scope="module")
def index(docs: list[Document], tmp_path_factory: pytest.TempPathFactory) -> SearchIndex:
    folder = tmp_path_factory.mktemp("index") / "seeds.index"
    SearchIndex.build(docs, "gen-1").save(folder)
    return SearchIndex.load(folder)


def ids(answer) -> set[str]:  # type: ignore[no-untyped-def]
    return {r.doc_id for r in answer.results}


def by_id(docs: list[Document]) -> dict[str, Document]:
    return {d.id: d for d in docs}


def test_substrings_are_found_inside_words(index: SearchIndex, docs: list[Document]) -> None:
    answer = index.search("团结")
    expected = {d.id for d in docs if "团结" in fold(d.text)}
    assert ids(answer) == expected and answer.total == len(expected) >= 3
    assert index.search("族团结进").total >= 1


def test_script_blind_with_hits_on_the_original_characters(index: SearchIndex, docs: list[Document]) -> None:
    simp, trad = index.search("团结"), index.search("團結")
    assert [(r.doc_id, r.hits) for r in simp.results] == [(r.doc_id, r.hits) for r in trad.results]
    texts = by_id(docs)
    for result in trad.results:
        for hit in result.hits:
            assert fold(texts[result.doc_id].text[hit.start : hit.end]) == "团结"
    assert {"001", "001t"} <= ids(simp)


def test_regional_vocabulary_high_quality(index: SearchIndex, docs: list[Document]) -> None:
    answer = index.search("高质量")
    assert "004" in ids(answer)  # seed 004 says 高品質 only
    result = next(r for r in answer.results if r.doc_id == "004")
    text = by_id(docs)["004"].text
    assert "高品質" in {text[h.start : h.end] for h in result.hits}
    assert "002" in ids(index.search("高品質"))  # and back: 高品質 finds the mainland 高质量


def test_every_hit_and_snippet_points_into_the_original_text(
    index: SearchIndex, docs: list[Document]
) -> None:
    texts = by_id(docs)
    for query in ["藏", "团结 援藏", "何谋保", "hmb"]:
        for result in index.search(query).results:
            text = texts[result.doc_id].text
            assert result.hits == sorted(result.hits, key=lambda h: (h.start, h.end))
            for snippet in result.snippets:
                assert text[snippet.start : snippet.start + len(snippet.text)] == snippet.text
                for hit in snippet.hits:
                    assert 0 <= hit.start < hit.end <= len(snippet.text)
                    assert (hit.start + snippet.start, hit.end + snippet.start) in {
                        (h.start, h.end) for h in result.hits
                    }


def test_and_exclusion_and_phrase(index: SearchIndex, docs: list[Document]) -> None:
    folded = {d.id: fold(d.text) for d in docs}
    both = index.search("援藏 昌都")
    assert ids(both) == {k for k, t in folded.items() if "援藏" in t and "昌都" in t}
    without = index.search("团结 -白龙江")
    assert ids(without) == {k for k, t in folded.items() if "团结" in t and "白龙江" not in t}
    phrase = index.search('"民族团结进步"')
    assert ids(phrase) == {k for k, t in folded.items() if "民族团结进步" in t}


def test_filters(index: SearchIndex, docs: list[Document]) -> None:
    assert ids(index.search("province:甘肅", limit=99)) == {"000", "001", "001t", "002"}
    assert ids(index.search("province:藏 团结", limit=99)) <= {"003", "004"}
    assert ids(index.search("person:何谋保")) == {"001", "001t", "002"}
    assert ids(index.search("kind:座谈")) == {"002", "003"}
    assert ids(index.search("date:2024")) == {"000", "001", "001t"}
    assert ids(index.search("date:2024-06")) == {"001", "001t"}
    assert index.search("date:1999").total == 0
    scoped = index.search("团结", scope_province="甘肃省")
    assert ids(scoped) <= {"000", "001", "001t", "002"} and scoped.total >= 1


def test_filters_alone_list_documents_newest_first(index: SearchIndex, docs: list[Document]) -> None:
    answer = index.search("province:甘肃")
    assert [r.doc_id for r in answer.results] == ["000", "001t", "001", "002"]
    assert all(r.snippets for r in answer.results)


def test_pinyin_finds_and_highlights_hanzi(index: SearchIndex, docs: list[Document]) -> None:
    texts = by_id(docs)
    for typed, word in [("hemoubao", "何谋保"), ("hmb", "何谋保"), ("luqu", "碌曲"), ("xizang", "西藏")]:
        answer = index.search(typed)
        assert answer.total >= 1, typed
        for result in answer.results:
            assert result.hits
            assert {fold(texts[result.doc_id].text[h.start : h.end]) for h in result.hits} <= {word}, typed


def test_heteronym_readings_reach_place_names(index: SearchIndex) -> None:
    assert "004" in ids(index.search("changdu"))  # 昌都: pypinyin reads changdou by default


def test_chinese_query_never_matches_through_pinyin(index: SearchIndex) -> None:
    assert index.search("和某宝").total == 0  # hemoubao in other characters


def test_ranking_prefers_more_hits_title_hits_and_newest_on_ties(index: SearchIndex) -> None:
    answer = index.search("昌都")
    assert answer.results[0].doc_id == "004"  # in its title, many times in its text
    scores = [r.score for r in answer.results]
    assert scores == sorted(scores, reverse=True)
    tie = index.search("province:西藏")  # no terms: every score is 0, order is newest first
    assert [r.doc_id for r in tie.results] == ["003", "004"]


def test_limit_and_total(index: SearchIndex) -> None:
    answer = index.search("的", limit=2)
    assert len(answer.results) == 2 and answer.total == 6


def test_empty_and_malformed(index: SearchIndex) -> None:
    assert index.search("").total == 0 and index.search("   ").results == []
    with pytest.raises(QueryError):
        index.search('"团结')
    assert index.search("火星基地").total == 0
    assert index.search("\x00").total == 0


def test_typing_refines_to_the_same_answer(index: SearchIndex) -> None:
    query = "民族团结进步 援藏工作"
    previous = None
    for end in range(1, len(query) + 1):
        prefix = query[:end]
        if not prefix.strip():
            continue
        refined = index.search(prefix, previous=previous)
        fresh = SearchIndex.search(index, prefix)
        assert [(r.doc_id, r.hits) for r in refined.results] == [(r.doc_id, r.hits) for r in fresh.results]
        assert refined.total == fresh.total
        previous = refined


def test_save_load_round_trip(index: SearchIndex, tmp_path: Path) -> None:
    folder = tmp_path / "again.index"
    index.save(folder)
    index.save(folder)  # replacing an existing index works too
    loaded = SearchIndex.load(folder)
    assert loaded.generation == "gen-1"
    assert [r.to_dict() for r in loaded.search("团结").results] == [
        r.to_dict() for r in index.search("团结").results
    ]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temp folders left behind
    assert not list(folder.glob("*.pkl"))


def test_load_refuses_missing_foreign_and_corrupt(index: SearchIndex, tmp_path: Path) -> None:
    with pytest.raises(IndexUnusable):
        SearchIndex.load(tmp_path / "nothing")
    folder = tmp_path / "x.index"
    index.save(folder)
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    (folder / "meta.json").write_text(json.dumps(meta | {"format": "other"}), encoding="utf-8")
    with pytest.raises(IndexUnusable):
        SearchIndex.load(folder)
    shutil.rmtree(folder)
    index.save(folder)
    np.save(folder / "sa.npy", np.zeros(3, dtype=np.int32))
    with pytest.raises(IndexUnusable):
        SearchIndex.load(folder)
    (folder / "owner.npy").write_bytes(b"garbage")
    with pytest.raises(IndexUnusable):
        SearchIndex.load(folder)


def test_pickled_arrays_are_never_loaded(index: SearchIndex, tmp_path: Path) -> None:
    folder = tmp_path / "p.index"
    index.save(folder)
    np.save(folder / "alphabet.npy", np.array([object()], dtype=object), allow_pickle=True)
    with pytest.raises(IndexUnusable):
        SearchIndex.load(folder)


def test_find_hits_counts_overlaps_once_each() -> None:
    assert [(h.start, h.end) for h in find_hits("啊啊啊", ["啊啊", "啊啊"])] == [(0, 2), (1, 3)]


def test_unspaced_words_fall_back_to_all_of_them(index: SearchIndex, docs: list[Document]) -> None:
    assert index.search('"西藏合作"').total == 0  # the string itself occurs nowhere
    typed = index.search("西藏合作")
    spaced = index.search("西藏 合作")
    assert typed.words == ("西藏", "合作") and spaced.words == ()
    assert typed.total == spaced.total > 0
    assert [r.doc_id for r in typed.results] == [r.doc_id for r in spaced.results]
    exact = index.search("民族团结进步")
    assert exact.total > 0 and exact.words == ()  # found as typed: never split
    assert index.search("西藏合作 -西藏").total == 0  # an excluded word still excludes


@pytest.mark.parametrize("query", ["的", "团结", "發展", "西藏 合作", "hmb", "高质量", "民族团结进步", "。"])
def test_hits_by_scanning_equal_hits_from_the_suffix_array(
    index: SearchIndex, query: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import store.search.part

    monkeypatch.setattr(store.search.part, "SCAN_FACTOR", float("inf"))
    from_slices = index.search(query)
    monkeypatch.setattr(store.search.part, "SCAN_FACTOR", 0.0)
    from_scans = index.search(query)
    assert from_slices.total > 0

    def pairs(answer):  # type: ignore[no-untyped-def]
        return [(r.doc_id, r.hits) for r in answer.results]

    assert pairs(from_scans) == pairs(from_slices)


# -- the streaming build against the straightforward one it replaced ----------------------------------


@pytest.mark.parametrize("seed", range(6))
def test_streaming_build_equals_the_plain_one(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    import store.search.index
    import store.search.suffix
    from store.search.build import fold_keeping_positions
    from store.search.build import vocabulary as _vocabulary
    from store.search.pinyin import PinyinLexicon

    monkeypatch.setattr(store.search.suffix, "CHUNK", 7)  # chunk boundaries everywhere, not past 1 M only
    monkeypatch.setattr(store.search.index, "PINYIN_SAMPLE_CHARS", 100)  # a sample of every few documents
    docs = random_documents(seed, 40)
    index = SearchIndex.build(docs, "gen")

    texts = [d.text for d in docs]
    folded = [fold_keeping_positions(t) for t in texts]
    expected = reference_suffix_text(folded + [fold(d.title) for d in docs])
    expected["orig_codes"], expected["orig_alphabet"] = reference_codes("\x00".join(texts) + "\x00")
    part = index.parts[0]
    built = {name: getattr(part.text, name) for name in ("codes", "sa", "owner", "starts", "alphabet")}
    built["orig_codes"], built["orig_alphabet"] = part.orig_codes, part.orig_alphabet
    for name, array in expected.items():
        assert saved_bytes(built[name]) == saved_bytes(array), name

    step = max(1, round(sum(map(len, folded)) / 100))
    pinyin = PinyinLexicon.build(_vocabulary(docs, folded[::step])).to_json()
    assert index.meta["pinyin"] == pinyin
    assert index.meta["titles"] == [d.title for d in docs]


def test_owner_widens_past_65535_segments() -> None:
    segments = ["", "a", "\U00020bb7b"] * 22_000
    text = SuffixText.build(iter(segments))
    codes, alphabet = reference_codes("\x00".join(segments) + "\x00")
    assert text.owner.dtype == np.int32 and np.array_equal(text.codes, codes)
    assert np.array_equal(text.alphabet, alphabet)
    position_owner = np.repeat(np.arange(len(segments)), np.diff(text.starts))
    assert np.array_equal(text.owner, position_owner[text.sa])
    suffixes = [codes[p:].tobytes() for p in text.sa[:: len(text.sa) // 500]]
    assert suffixes == sorted(suffixes)


def test_each_text_and_title_is_read_once_per_pass() -> None:
    """Texts are about to be read from disk on every access: the build must not re-read or hold them."""
    reads: Counter[tuple[str, str]] = Counter()

    class Counting(Document):
        def __getattribute__(self, name: str) -> Any:
            if name in ("text", "title"):
                reads[(object.__getattribute__(self, "id"), name)] += 1
            return super().__getattribute__(name)

    docs = [
        Counting(**{f.name: getattr(d, f.name) for f in fields(Document)}) for d in indexed_seed_documents()
    ]
    reads.clear()
    SearchIndex.build(docs, "gen")
    assert reads == Counter({(d.id, "text"): 2 for d in docs} | {(d.id, "title"): 1 for d in docs})


def test_characters_beyond_the_bmp_take_one_position(tmp_path: Path) -> None:
    docs = [
        make_document("a", "吉祥\U00020bb7野家，\U00020bb7野家", None, [], [], ""),
        make_document("b", "表情\U0001f600笑了", None, [], [], ""),
    ]
    SearchIndex.build(docs, "gen").save(tmp_path / "wide.index")
    index = SearchIndex.load(tmp_path / "wide.index")
    answer = index.search("\U00020bb7野")
    assert [(r.doc_id, r.hits) for r in answer.results] == [("a", [Span(2, 4), Span(6, 8)])]
    (result,) = index.search("笑").results
    assert result.hits == [Span(3, 4)] and "\U0001f600笑" in result.snippets[0].text


def test_an_empty_corpus_builds_an_empty_index(tmp_path: Path) -> None:
    SearchIndex.build([], "gen").save(tmp_path / "empty.index")
    index = SearchIndex.load(tmp_path / "empty.index")
    assert index.n_docs == 0 and index.search("团结").total == 0


def test_building_into_a_folder_writes_what_save_writes(docs: list[Document], tmp_path: Path) -> None:
    """An import builds straight into the index folder, each array mapped back once written; the files
    must be those an in-memory build saves, and the index answer the same."""
    built = SearchIndex.build(docs, "g1", folder=tmp_path / "direct")
    SearchIndex.build(docs, "g1").save(tmp_path / "saved")
    names = sorted(p.name for p in (tmp_path / "saved").iterdir())
    assert names == sorted(p.name for p in (tmp_path / "direct").iterdir())
    for name in names:
        if name != SECTIONS_FILE:  # each names its files' own stamps
            assert (tmp_path / "direct" / name).read_bytes() == (tmp_path / "saved" / name).read_bytes(), name
    assert dict(trusted_meta(tmp_path / "direct") or {}) == dict(trusted_meta(tmp_path / "saved") or {"-": 0})
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temporary folder left
    for query in ("团结", "甘肃 合作", "xizang"):
        expected = SearchIndex.load(tmp_path / "saved").search(query)
        assert [r.doc_id for r in built.search(query).results] == [r.doc_id for r in expected.results]


def test_typing_pinyin_never_goes_blank(index: SearchIndex) -> None:
    for name in ("hemoubao", "xizang", "luqu"):
        for end in range(1, len(name) + 1):
            assert index.search(name[:end]).total >= 1, name[:end]


@pytest.mark.parametrize(
    ("typed", "word"),
    [("hemou", "何谋保"), ("hemb", "何谋保"), ("xiz", "西藏"), ("xzang", "西藏"), ("luq", "碌曲")],
)
def test_begun_and_mixed_pinyin_find_the_name_first(
    index: SearchIndex, docs: list[Document], typed: str, word: str
) -> None:
    answer = index.search(typed)
    best = answer.results[0]
    assert word in by_id(docs)[best.doc_id].text, typed
    hits = {fold(by_id(docs)[best.doc_id].text[h.start : h.end]) for h in best.hits}
    assert any(word.startswith(h) or h.startswith(word) for h in hits), (typed, hits)
