"""An index is checked in full once, then opened without a pass over its arrays while its files are the
ones written or checked: one stamp of every file, in its sections file (store/search/saved.py,
`trusted_meta`); any write to a file, during the check or after, makes the next open check in full."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import numpy as np
import pytest
from helpers import indexed_seed_documents

import store.search.index
import store.search.part
import store.search.suffix
from store.search.index import SearchIndex
from store.search.saved import OLD_STAMP_FILE, SECTIONS_FILE, IndexUnusable, trusted_meta

TICK = 0.05  # longer than a tick of the file system's clock (a jiffy): files written before are older


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
    time.sleep(TICK)
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


def test_the_stamps_are_taken_before_the_check_so_a_file_changed_during_it_is_checked_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A reader that checked the index in full vouches only for the files as they were before it read
    them: one rewritten while it was being checked is not taken for checked."""
    folder = tmp_path / "index"
    SearchIndex.build(indexed_seed_documents(), "g", folder=folder)
    for name in (SECTIONS_FILE, OLD_STAMP_FILE):  # an index no stamp vouches for: checked in full
        (folder / name).unlink(missing_ok=True)
    check = store.search.part.check_codes  # the original codes, checked after the suffix arrays

    def tamper_while_checking(codes: np.ndarray, alphabet: np.ndarray, what: str, **kwargs: bool) -> None:
        check(codes, alphabet, what, **kwargs)
        if what.endswith("original"):  # the suffix array was checked a moment ago: now it changes
            time.sleep(TICK)
            sa = np.load(folder / "sa.npy", allow_pickle=False)
            sa[5] = len(sa) + 10
            np.save(folder / "sa.npy", sa, allow_pickle=False)

    monkeypatch.setattr(store.search.part, "check_codes", tamper_while_checking)
    time.sleep(TICK)
    assert SearchIndex.load(folder).checked
    monkeypatch.setattr(store.search.part, "check_codes", check)
    with pytest.raises(IndexUnusable):
        SearchIndex.load(folder)


def test_files_changed_in_the_file_systems_current_tick_are_not_vouched_for(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, checks: list[bool]
) -> None:
    """A write in the same tick of the file system's clock as a stamp may leave the stamp as it was: a
    reader whose clock has not moved past a file's change time does not vouch for it."""
    folder = tmp_path / "index"
    SearchIndex.build(indexed_seed_documents(), "g", folder=folder)
    (folder / SECTIONS_FILE).unlink()
    newest = max(p.stat().st_ctime_ns for p in folder.iterdir())
    monkeypatch.setattr(store.search.index, "file_clock", lambda folder: newest)  # no tick since
    SearchIndex.load(folder)
    assert not (folder / SECTIONS_FILE).exists()
    monkeypatch.setattr(store.search.index, "file_clock", lambda folder: newest + 1)
    SearchIndex.load(folder)
    SearchIndex.load(folder)
    assert checks == [True, True, False]


def test_a_file_of_a_later_part_changed_is_caught(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(store.search.index, "EXTEND_SHARE", 1.0)  # six documents: let them extend
    docs = indexed_seed_documents()
    folder = tmp_path / "index"
    index = SearchIndex.build(docs[1:], "g0", folder=folder).extended(docs, "g1", folder)
    assert index is not None and len(index.parts) == 2
    assert trusted_meta(folder) is not None and not SearchIndex.load(folder).checked
    path = folder / index.parts[1].path / "owner.npy"
    owner = np.load(path, allow_pickle=False)
    owner[0] = 60_000
    np.save(path, owner, allow_pickle=False)
    assert trusted_meta(folder) is None
    with pytest.raises(IndexUnusable):
        SearchIndex.load(folder)


def test_an_index_with_an_older_yuelans_part_stamps_is_checked_in_full_once(
    tmp_path: Path, checks: list[bool]
) -> None:
    """An older yuelan stamped each part in its own checked.json and may have written no sections file:
    that stamp is not read; the index is checked in full once, then mapped unread."""
    folder = tmp_path / "index"
    SearchIndex.build(indexed_seed_documents(), "g", folder=folder)
    (folder / SECTIONS_FILE).unlink()
    (folder / OLD_STAMP_FILE).write_text("{}", encoding="utf-8")
    time.sleep(TICK)
    SearchIndex.load(folder)
    SearchIndex.load(folder)
    assert checks == [True, False]


def test_an_older_yuelans_stamps_and_their_half_written_temporaries_are_removed_by_the_next_import(
    seed_store: Path,
) -> None:
    from store.corpus import Corpus
    from store.storage.paths import index_path_for, temp_beside

    time.sleep(TICK)  # the fixture copied the index a moment ago: let it be vouched for once checked
    Corpus.open(seed_store).search_index()
    folder = index_path_for(seed_store)
    left = temp_beside(folder / OLD_STAMP_FILE)
    left.write_text("{", encoding="utf-8")
    (folder / OLD_STAMP_FILE).write_text("{}", encoding="utf-8")
    Corpus.open(seed_store).import_paths([])
    assert not left.exists() and not (folder / OLD_STAMP_FILE).exists()
    assert trusted_meta(folder) is not None
