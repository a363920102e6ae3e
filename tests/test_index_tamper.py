"""A tampered index is refused at load and rebuilt from the store: never a wrong answer, never a traceback."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from store.corpus import Corpus, index_path_for
from store.index import SearchIndex


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


def answer(corpus: Corpus, query: str) -> list[tuple[str, object]]:
    return [(r.doc_id, r.hits) for r in corpus.search(query).results]


@pytest.mark.parametrize("how", TAMPERINGS)
def test_a_tampered_index_is_refused_and_rebuilt(seed_store: Path, how: str) -> None:
    expected = {q: answer(Corpus.open(seed_store), q) for q in ("团结", "的", "xizang")}
    assert all(expected.values())
    folder = index_path_for(seed_store)
    TAMPERINGS[how](folder)
    with pytest.raises(ValueError):
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
