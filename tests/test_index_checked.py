"""An index part is checked in full once, then opened without a pass over its arrays while its files are
the ones checked (store/search/checked.py); any write to them makes the next open check in full again."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import numpy as np
import pytest
from helpers import indexed_seed_documents

import store.search.suffix
from store.search.index import SearchIndex
from store.search.saved import IndexUnusable


@pytest.fixture
def checks(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Whether each part's codes were checked in full, load by load."""
    seen: list[bool] = []
    check = store.search.suffix.check_codes

    def spy(codes: np.ndarray, alphabet: np.ndarray, what: str, **kwargs: bool) -> None:
        if what == "text":
            seen.append(kwargs.get("full", True))
        check(codes, alphabet, what, **kwargs)

    monkeypatch.setattr(store.search.suffix, "check_codes", spy)
    return seen


def test_a_built_index_opens_without_a_full_pass_until_a_file_changes(
    tmp_path: Path, checks: list[bool]
) -> None:
    folder = tmp_path / "index"
    SearchIndex.build(indexed_seed_documents(), "g", folder=folder)
    SearchIndex.load(folder)
    SearchIndex.load(folder)
    assert checks == [False, False]
    copy = tmp_path / "copy"
    shutil.copytree(folder, copy)  # other files (inodes): checked in full, once
    SearchIndex.load(copy)
    SearchIndex.load(copy)
    assert checks == [False, False, True, False]


def test_a_change_that_keeps_size_and_modification_time_is_still_refused(tmp_path: Path) -> None:
    folder = tmp_path / "index"
    SearchIndex.build(indexed_seed_documents(), "g", folder=folder)
    SearchIndex.load(folder)
    path = folder / "sa.npy"
    before = path.stat()
    sa = np.load(path, allow_pickle=False)
    sa[5] = len(sa) + 10
    np.save(path, sa, allow_pickle=False)
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size and path.stat().st_mtime_ns == before.st_mtime_ns
    with pytest.raises(IndexUnusable):
        SearchIndex.load(folder)


def test_a_stamp_a_killed_writer_left_half_written_is_removed_by_the_next_import(seed_store: Path) -> None:
    from store.corpus import Corpus
    from store.storage.paths import index_path_for, temp_beside

    Corpus.open(seed_store).search_index()
    folder = index_path_for(seed_store)
    left = temp_beside(folder / "checked.json")
    left.write_text("{", encoding="utf-8")
    Corpus.open(seed_store).import_paths([])
    assert not left.exists() and (folder / "checked.json").exists()
