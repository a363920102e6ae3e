"""A tampered index is refused at load and rebuilt from the store: never a wrong answer, never a traceback."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

import store.search.index
from store.corpus import Corpus
from store.search.index import SearchIndex
from store.search.saved import IndexUnusable
from store.storage.paths import index_path_for


def changed(name: str, change: Callable[[np.ndarray], np.ndarray]) -> Callable[[Path], None]:
    def tamper(folder: Path) -> None:
        path = folder / f"{name}.npy"
        np.save(path, change(np.load(path, allow_pickle=False)), allow_pickle=False)

    return tamper


def put(array: np.ndarray, at: int, value: int) -> np.ndarray:
    array = array.copy()
    array[at] = value
    return array


TAMPERINGS: dict[str, Callable[[Path], None]] = {
    "sa past the end": changed("sa", lambda a: put(a, 5, len(a) + 10)),
    "sa negative": changed("sa", lambda a: put(a, 5, -3)),
    "alphabet truncated": changed("alphabet", lambda a: a[: len(a) // 2]),
    "alphabet past Unicode": changed("alphabet", lambda a: put(a, len(a) - 1, 0x110000)),
    "alphabet not rising": changed("alphabet", lambda a: put(a, 1, 0x4E00)),
    "alphabet with a surrogate": changed("alphabet", lambda a: np.sort(put(a, 2, 0xD800))),
    "alphabet without separator": changed("alphabet", lambda a: put(a, 0, 5)),
    "codes past the alphabet": changed("codes", lambda a: put(a, 3, 0xFFF0)),
    "codes two-dimensional": changed("codes", lambda a: a.reshape(1, -1)),
    "segments not separated": changed("codes", lambda a: put(a, int(np.flatnonzero(a == 0)[0]), 1)),
    "starts falling": changed("starts", lambda a: put(a, 1, 0)),
    "owner past the segments": changed("owner", lambda a: put(a, 0, 60_000)),
    "owner wider type": changed("owner", lambda a: a.astype(np.int64)),
    "orig_codes past their alphabet": changed("orig_codes", lambda a: put(a, 3, 0xFFF0)),
    "orig_alphabet truncated": changed("orig_alphabet", lambda a: a[:10]),
    "orig_alphabet with a surrogate": changed("orig_alphabet", lambda a: np.sort(put(a, 2, 0xDC00))),
}


def meta_changed(key: str, value: object) -> Callable[[Path], None]:
    def tamper(folder: Path) -> None:
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        meta[key] = [value, *meta[key][1:]]
        (folder / "meta.json").write_text(json.dumps(meta), encoding="utf-8")

    return tamper


TAMPERINGS |= {
    "meta dead negative": meta_changed("dead", -1),
    "meta title a number": meta_changed("titles", 42),
    "meta date a string": meta_changed("dates", "2024"),
    "meta provinces a string": meta_changed("provinces", "甘肃省"),
    "meta kind a list": meta_changed("kinds", ["座谈会"]),
}
QUERIES = {"meta kind a list": "kind:座谈 团结", "meta date a string": "date:2024 团结"}


def answer(corpus: Corpus, query: str) -> list[tuple[str, object]]:
    return [(r.doc_id, r.hits) for r in corpus.search(query).results]


@pytest.mark.parametrize("how", TAMPERINGS)
def test_a_tampered_index_is_refused_and_rebuilt(seed_store: Path, how: str) -> None:
    queries = ("团结", "的", "xizang", QUERIES.get(how, "province:甘肃 团结"))
    expected = {q: answer(Corpus.open(seed_store), q) for q in queries}
    assert all(expected[q] for q in queries[:3])
    folder = index_path_for(seed_store)
    TAMPERINGS[how](folder)
    with pytest.raises(IndexUnusable):
        SearchIndex.load(folder)
    corpus = Corpus.open(seed_store)
    assert {q: answer(corpus, q) for q in expected} == expected
    SearchIndex.load(folder)  # rebuilt on disk, under the lock


def test_the_cli_answers_a_tampered_index_as_a_sound_one(
    seed_store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tui.cli import main

    assert main(["search", "--db", str(seed_store), "团结"]) == 0
    sound = capsys.readouterr().out
    changed("owner", lambda a: np.full_like(a, 60_000))(index_path_for(seed_store))
    changed("orig_codes", lambda a: np.full_like(a, 0xFFF0))(index_path_for(seed_store))
    assert main(["search", "--db", str(seed_store), "团结"]) == 0
    assert capsys.readouterr().out == sound


def listing(folder: Path) -> dict[str, int]:
    return {str(p.relative_to(folder)): p.stat().st_mtime_ns for p in sorted(folder.rglob("*"))}


def test_a_symlinked_index_is_replaced_by_a_folder_never_written_through(
    seed_store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store.search.index, "EXTEND_SHARE", 1.0)  # small store: extend, as a large one would
    folder = index_path_for(seed_store)
    elsewhere = tmp_path / "elsewhere"
    folder.rename(elsewhere)
    folder.symlink_to(elsewhere, target_is_directory=True)
    before = listing(elsewhere)
    source = tmp_path / "new.txt"
    source.write_text("两省召开对口支援座谈会\n双方表示将深化团结协作。\n", encoding="utf-8")
    corpus = Corpus.open(seed_store)
    corpus.import_paths([source])  # one new report: the index would be extended by a part
    assert listing(elsewhere) == before  # nothing written through the link
    assert folder.is_dir() and not folder.is_symlink()
    assert Corpus.open(seed_store).search("深化团结协作").total == 1
    assert not [p.name for p in folder.parent.iterdir() if p.name.startswith(".")]  # no link left aside


def test_a_dangling_index_link_is_replaced_once_not_rebuilt_by_every_search(
    seed_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = index_path_for(seed_store)
    expected = answer(Corpus.open(seed_store), "团结")
    shutil.rmtree(folder)
    folder.symlink_to(folder.parent / "nowhere", target_is_directory=True)
    assert answer(Corpus.open(seed_store), "团结") == expected
    assert folder.is_dir() and not folder.is_symlink()

    def no_build(*args: object, **kwargs: object) -> None:
        raise AssertionError("the index was built again")

    monkeypatch.setattr(SearchIndex, "build", no_build)
    assert answer(Corpus.open(seed_store), "团结") == expected


def test_a_file_where_the_index_folder_goes_is_replaced(seed_store: Path) -> None:
    folder = index_path_for(seed_store)
    expected = answer(Corpus.open(seed_store), "团结")
    shutil.rmtree(folder)
    folder.write_text("not an index", encoding="utf-8")
    assert answer(Corpus.open(seed_store), "团结") == expected
    assert folder.is_dir() and not [p.name for p in folder.parent.iterdir() if p.name.startswith(".")]
