"""The Corpus interface: lookups by id prefix, ordering, store info, index freshness, concurrent writers."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from store.corpus import Corpus, bundled_seeds
from store.importer import content_id
from store.storage import db, lock
from store.storage.paths import index_path_for


def test_lookup_by_unique_prefix_like_git(seed_corpus: Corpus) -> None:
    doc = seed_corpus.documents()[0]
    assert seed_corpus.get(doc.id[:4]).id == doc.id
    assert seed_corpus.get(doc.id.upper()).id == doc.id
    with pytest.raises(LookupError, match="no document"):
        seed_corpus.get("zzzz")
    with pytest.raises(LookupError, match="no document id"):
        seed_corpus.get("  ")


def test_ambiguous_prefix_names_the_candidates(tmp_path: Path) -> None:
    for n in range(17):  # 17 ids over 16 hex digits: two must share their first digit
        (tmp_path / f"{n}.txt").write_text(f"第{n}次座谈会。", encoding="utf-8")
    corpus = Corpus.open(tmp_path / "y.json", seed_if_new=False)
    corpus.import_paths([tmp_path])
    ids = [d.id for d in corpus.documents()]
    shared = next(p for p in "0123456789abcdef" if sum(i.startswith(p) for i in ids) > 1)
    with pytest.raises(LookupError, match="ambiguous"):
        corpus.get(shared)


def test_ids_are_stable_content_hashes(seed_corpus: Corpus) -> None:
    for doc in seed_corpus.documents():
        assert (doc.id, doc.sha256) == content_id(doc.raw)


def test_documents_newest_meeting_first(seed_corpus: Corpus) -> None:
    keys = [d.meta.date.sort_key() for d in seed_corpus.documents() if d.meta.date]
    assert keys == sorted(keys, reverse=True)


def test_info_says_where_and_how_many(seed_corpus: Corpus, seed_store: Path) -> None:
    info = seed_corpus.info()
    assert info.path == seed_store.absolute()
    assert info.documents == 5
    assert info.last_import.startswith("20")
    assert info.index_path == index_path_for(seed_store.absolute())


def test_stale_or_missing_index_is_rebuilt_on_search(seed_store: Path) -> None:
    shutil.rmtree(index_path_for(seed_store))
    corpus = Corpus.open(seed_store)
    assert corpus.search("团结").total >= 3
    assert index_path_for(seed_store).is_dir()


def test_a_reader_leaves_the_index_to_a_writer_that_holds_the_lock(seed_store: Path) -> None:
    """While an import holds the store, a reader that finds the index missing searches one built in
    memory and writes nothing; once the lock is free, the next reader writes it."""
    shutil.rmtree(index_path_for(seed_store))
    with lock.exclusive_lock(seed_store):
        assert Corpus.open(seed_store).search("团结").total >= 3
        assert not index_path_for(seed_store).exists()
    assert Corpus.open(seed_store).search("团结").total >= 3
    assert index_path_for(seed_store).is_dir()


def test_import_waits_for_another_writer_then_fails_clearly(seed_store: Path) -> None:
    corpus = Corpus.open(seed_store)
    before = seed_store.read_bytes()
    with lock.exclusive_lock(seed_store), pytest.raises(db.StoreError, match="busy"):
        corpus.import_paths([bundled_seeds()])
    assert seed_store.read_bytes() == before


def test_import_sees_documents_another_process_added(seed_store: Path, tmp_path: Path) -> None:
    stale = Corpus.open(seed_store)
    other = Corpus.open(seed_store)
    (tmp_path / "a.txt").write_text("甘肃省与青海省召开联席会议。", encoding="utf-8")
    (tmp_path / "b.txt").write_text("四川省与西藏自治区召开座谈会。", encoding="utf-8")
    other.import_paths([tmp_path / "a.txt"])
    stale.import_paths([tmp_path / "b.txt"])
    assert len(Corpus.open(seed_store)) == 7


def test_folder_path_is_not_a_store(tmp_path: Path) -> None:
    with pytest.raises(db.StoreError, match="folder"):
        Corpus.open(tmp_path)


def test_bundled_seeds_are_the_five_reports() -> None:
    assert sorted(p.name[:3] for p in bundled_seeds().glob("*.txt")) == ["000", "001", "002", "003", "004"]


def records(store: Path) -> dict[str, dict]:  # type: ignore[type-arg]
    return {r["id"]: r for r in json.loads(store.read_text(encoding="utf-8"))[db.DOCUMENTS_TABLE].values()}


def test_an_import_rewrites_only_the_records_it_touched(seed_store: Path, tmp_path: Path) -> None:
    """Added, linked, moved-away and dropped documents change; every other record stays as it was."""
    before = records(seed_store)
    corpus = Corpus.open(seed_store)
    kept, linked = corpus.documents()[0], corpus.documents()[1]
    twin = tmp_path / "twin.txt"
    shutil.copy(linked.paths[0], twin)  # the same report under a second path: linked
    new = tmp_path / "new.txt"
    new.write_text("甘肃省代表团赴西藏自治区考察。\n座谈会。", encoding="utf-8")
    report = corpus.import_paths([twin, new])
    assert report.linked == [str(twin)] and len(report.added) == 1
    after = records(seed_store)
    assert after[kept.id] == before[kept.id]
    assert after[linked.id]["paths"] == [*before[linked.id]["paths"], str(twin)]
    added = set(after) - set(before)
    assert len(added) == 1 and after[added.pop()]["paths"] == [str(new)]
    new.write_text("内容改了：天津市代表团赴甘肃省考察。", encoding="utf-8")
    Corpus.open(seed_store).import_paths([new])  # its only path now holds other content
    assert len(set(records(seed_store)) - set(before)) == 1 and set(before) <= set(records(seed_store))


def test_extraction_dict_is_what_asdict_gives(seed_corpus: Corpus) -> None:
    from dataclasses import asdict

    for doc in seed_corpus.documents():
        assert doc.meta.to_dict() == asdict(doc.meta)


def test_a_store_replaced_while_it_was_read_is_read_again_before_an_import(
    seed_store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another writer replaces the store just after this process has read it: this process's import
    must see that and read the store again, not write its older copy over the other's document."""
    real_load = db.load_json
    (tmp_path / "a.txt").write_text("甘肃省与青海省召开联席会议。", encoding="utf-8")
    (tmp_path / "b.txt").write_text("四川省与西藏自治区召开座谈会。", encoding="utf-8")

    def read_then_another_writer(path: Path, strings: dict[str, str] | None = None) -> object:
        data = real_load(path, strings)
        monkeypatch.setattr(db, "load_json", real_load)
        Corpus.open(seed_store).import_paths([tmp_path / "a.txt"])
        return data

    monkeypatch.setattr(db, "load_json", read_then_another_writer)
    raced = Corpus.open(seed_store)
    assert len(raced) == 5  # what it read: the store before the other writer's import
    raced.import_paths([tmp_path / "b.txt"])
    assert len(Corpus.open(seed_store)) == 7
