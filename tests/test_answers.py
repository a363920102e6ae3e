"""`tree` piped keeps its text beside the store (store/storage/answers.py) and the next `tree` of the
same store file copies it out: the same text as made afresh, never one of another store file, of other
code, or damaged."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import run_cli

import store.tree
from store.corpus import Corpus
from store.storage.lookup import Lookup
from store.storage.paths import answers_path_for

TREES = (("tree",), ("tree", "--json"))


def made_afresh(store: Path, monkeypatch: pytest.MonkeyPatch) -> dict[tuple[str, ...], str]:
    with monkeypatch.context() as patch:
        patch.setattr(Lookup, "kept", lambda self, name: None)
        patch.setattr(Lookup, "keep", lambda self, name, data: None)
        return {args: run_cli(*args, db=store, check=True).stdout for args in TREES}


def never_built(monkeypatch: pytest.MonkeyPatch) -> None:
    def refused(*args: object, **kwargs: object) -> None:
        raise AssertionError("the tree was built again")

    monkeypatch.setattr(store.tree, "build_tree", refused)


def test_a_second_tree_is_the_kept_text(seed_store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    expected = made_afresh(seed_store, monkeypatch)
    for args in TREES:
        assert run_cli(*args, db=seed_store, check=True).stdout == expected[args]
    assert answers_path_for(seed_store).exists()
    never_built(monkeypatch)
    for args in TREES:
        assert run_cli(*args, db=seed_store, check=True).stdout == expected[args]


def test_a_tree_after_a_store_write_is_of_the_store_as_written(seed_store: Path, tmp_path: Path) -> None:
    run_cli("list", db=seed_store, check=True)  # the catalogue made: answers are kept from there on
    run_cli("tree", db=seed_store, check=True)
    (kept,) = answers_path_for(seed_store).iterdir()
    before = kept.read_bytes()
    source = tmp_path / "new.txt"
    source.write_text("两省召开对口支援座谈会\n甘肃省与天津市双方表示将深化团结协作。\n", encoding="utf-8")
    Corpus.open(seed_store).import_paths([source])
    assert "两省召开对口支援座谈会" in run_cli("tree", db=seed_store, check=True).stdout
    run_cli("tree", db=seed_store, check=True)  # the store's own catalogue read: its answer kept
    (after,) = answers_path_for(seed_store).iterdir()  # one answer: the old store's is gone
    assert after.read_bytes() != before


def test_a_text_kept_by_other_code_is_not_used(seed_store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    run_cli("tree", db=seed_store, check=True)
    monkeypatch.setattr("store.code_key", lambda: "other")
    built = []
    real = store.tree.build_tree
    monkeypatch.setattr(store.tree, "build_tree", lambda *a: built.append(1) or real(*a))
    run_cli("tree", db=seed_store, check=True)
    assert built


@pytest.mark.parametrize("at", [0, 40, -200, -1])
def test_a_damaged_kept_text_is_made_afresh(
    seed_store: Path, monkeypatch: pytest.MonkeyPatch, at: int
) -> None:
    expected = made_afresh(seed_store, monkeypatch)
    run_cli("tree", db=seed_store, check=True)
    (path,) = answers_path_for(seed_store).iterdir()
    raw = bytearray(path.read_bytes())
    raw[at] ^= 0x21
    path.write_bytes(bytes(raw))
    assert run_cli("tree", db=seed_store, check=True).stdout == expected[("tree",)]


@pytest.mark.parametrize(
    ("args", "builder"),
    [
        (("people", "--json"), "tui.cli.people.build_people"),
        (("who", "hmb"), "tui.cli.people.build_people"),
        (("pairs", "--province", "藏"), "tui.cli.people.build_pairs"),
        (("timeline", "--from", "2023-01"), "tui.cli.timeline.build_timeline"),
    ],
)
def test_people_pairs_and_timeline_are_kept_too(
    seed_store: Path, monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...], builder: str
) -> None:
    run_cli("list", db=seed_store, check=True)  # the catalogue made: answers are kept from there on
    first = run_cli(*args, db=seed_store, check=True).stdout
    assert first

    def refused(*a: object, **k: object) -> None:
        raise AssertionError("made again")

    monkeypatch.setattr(builder, refused)
    assert run_cli(*args, db=seed_store, check=True).stdout == first
    with pytest.raises(AssertionError, match="made again"):  # other arguments: another answer
        run_cli(*args, "--json" if "--json" not in args else "--province=甘肃", db=seed_store)


def test_old_answers_are_let_go(seed_store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import store.storage.answers as answers

    run_cli("list", db=seed_store, check=True)
    monkeypatch.setattr(answers, "MAX_KEPT", 2)
    for args in (("tree",), ("tree", "--json"), ("pairs",)):
        run_cli(*args, db=seed_store, check=True)
    assert len(list(answers_path_for(seed_store).iterdir())) == 2
    monkeypatch.setattr(answers, "MAX_BYTES", 1)
    run_cli("timeline", db=seed_store, check=True)
    assert len(list(answers_path_for(seed_store).iterdir())) == 1  # the newest is always kept
