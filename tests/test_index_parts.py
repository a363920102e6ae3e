"""An index extended part by part answers exactly as one built afresh over the same documents."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import indexed_seed_documents as seed_documents

import store.search.index
from store.corpus import Corpus
from store.models import Document, SearchAnswer
from store.search.index import SearchIndex

QUERIES = [
    "团结",
    "的",
    "發展",
    "西藏 合作",
    "高质量",
    "民族团结进步",
    "甘肃 -四川",
    '"对口支援"',
    "province:藏 合作",
]


def answer_of(answer: SearchAnswer) -> tuple[object, ...]:
    results = [(r.doc_id, r.hits, round(r.score, 9), [s.text for s in r.snippets]) for r in answer.results]
    return answer.total, results


@pytest.fixture(autouse=True)
def any_share(monkeypatch: pytest.MonkeyPatch) -> None:
    """Six documents: every extension is a large share of them; allow it, to test the mechanism."""
    monkeypatch.setattr(store.search.index, "EXTEND_SHARE", 1.0)


@pytest.fixture(scope="module")
def docs() -> list[Document]:
    return seed_documents()


def extended(docs: list[Document], steps: list[list[Document]], folder: Path) -> SearchIndex:
    index = SearchIndex.build(steps[0], "g0", folder=folder)
    for number, documents in enumerate(steps[1:], 1):
        grown = index.extended(documents, f"g{number}", folder)
        assert grown is not None
        index = grown
    return index


@pytest.mark.parametrize("query", QUERIES)
def test_added_documents_answer_as_a_fresh_build(docs: list[Document], tmp_path: Path, query: str) -> None:
    steps = [docs[2:], docs[1:], docs]  # the two newest arrive one import at a time
    index = extended(docs, steps, tmp_path / "index")
    assert len(index.parts) == 3 and index.generation == "g2"
    fresh = SearchIndex.build(docs, "fresh")
    assert answer_of(index.search(query)) == answer_of(fresh.search(query))
    reloaded = SearchIndex.load(tmp_path / "index")
    assert answer_of(reloaded.search(query)) == answer_of(fresh.search(query))


@pytest.mark.parametrize("query", QUERIES)
def test_removed_documents_are_gone_and_the_scores_follow(
    docs: list[Document], tmp_path: Path, query: str
) -> None:
    remaining = [d for d in docs if d.id not in {"002", "001t"}]
    index = extended(docs, [docs, remaining], tmp_path / "index")
    assert index.n_alive == len(remaining)
    fresh = SearchIndex.build(remaining, "fresh")
    assert answer_of(index.search(query)) == answer_of(fresh.search(query))


def test_typing_over_parts_refines_as_a_fresh_search(docs: list[Document], tmp_path: Path) -> None:
    index = extended(docs, [docs[3:], docs], tmp_path / "index")
    fresh = SearchIndex.build(docs, "fresh")
    previous = None
    for end in range(1, len("民族团结进步") + 1):
        previous = index.search("民族团结进步"[:end], previous=previous)
        assert answer_of(previous) == answer_of(fresh.search("民族团结进步"[:end]))


def test_pinyin_finds_words_of_an_added_part(docs: list[Document], tmp_path: Path) -> None:
    old = [d for d in docs if "碌曲" not in d.text]
    index = extended(docs, [old, docs], tmp_path / "index")
    assert {r.doc_id for r in index.search("luqu").results} == {d.id for d in docs if "碌曲" in d.text}


def test_too_large_a_share_asks_for_a_fresh_build(
    docs: list[Document], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store.search.index, "EXTEND_SHARE", 0.1)
    index = SearchIndex.build(docs[1:], "g0", folder=tmp_path / "index")
    assert index.extended(docs, "g1", tmp_path / "index") is None
    assert len(SearchIndex.load(tmp_path / "index").ids) == len(docs) - 1  # left as it was


def test_an_import_extends_the_index_then_a_large_one_merges_it(
    seed_store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store.search.index, "EXTEND_SHARE", 0.2)  # 1 new of 6 extends; 3 more of 9 rebuild
    corpus = Corpus.open(seed_store)
    corpus.search_index()
    one = tmp_path / "one.txt"
    one.write_text(
        "甘肃省代表团赴西藏自治区昌都市考察对接，共话民族团结。\n双方召开座谈会。", encoding="utf-8"
    )
    corpus.import_paths([one])
    index = SearchIndex.load(corpus.index_path)
    assert len(index.parts) == 2 and index.generation == corpus.generation
    reopened = Corpus.open(seed_store)
    assert reopened.search_index().generation == reopened.generation  # opening does not rebuild it
    hit = reopened.search("共话民族团结")
    assert [r.doc_id for r in hit.results] == [d.id for d in reopened.documents() if "共话民族团结" in d.text]
    many = tmp_path / "many"
    many.mkdir()
    for n in range(3):
        (many / f"{n}.txt").write_text(f"天津市代表团赴甘肃省考察（第{n}号）。\n座谈会。", encoding="utf-8")
    corpus.import_paths([many])
    merged = SearchIndex.load(corpus.index_path)
    assert len(merged.parts) == 1 and len(merged.ids) == len(Corpus.open(seed_store))


def test_a_bug_while_extending_is_raised_not_hidden_by_a_rebuild(
    seed_store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only an unusable saved index (`IndexUnusable`) is rebuilt; anything else raised on the way is a
    bug, and a quiet full rebuild would hide it (and cost seconds on every import)."""
    Corpus.open(seed_store).search_index()

    def broken(*args: object) -> None:
        raise RuntimeError("a bug in extended")

    monkeypatch.setattr(SearchIndex, "extended", broken)
    new = tmp_path / "new.txt"
    new.write_text("甘肃省代表团赴西藏自治区考察。\n双方召开座谈会。", encoding="utf-8")
    with pytest.raises(RuntimeError, match="a bug in extended"):
        Corpus.open(seed_store).import_paths([new])
