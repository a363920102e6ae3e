"""`meetings`, `people`, `who`, `pairs` and `timeline` answer from the catalogue (each document's place,
kind and officials, and the meetings of several reports, kept there) without parsing the store, and
answer exactly as from the store itself."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import run_cli

import store.storage.db
from store.corpus import Corpus
from store.storage.lookup import Lookup
from store.storage.paths import catalogue_path_for

COMMANDS = (
    ("meetings",),
    ("meetings", "--json"),
    ("meetings", "--province", "西藏"),
    ("people",),
    ("people", "--json"),
    ("people", "--province", "藏"),
    ("who", "hmb", "--json"),
    ("who", "何謀保"),
    ("pairs",),
    ("pairs", "--json", "--province", "甘肃"),
    ("timeline",),
    ("timeline", "--json", "--from", "2023-01", "--to", "2024-12"),
)
MODULES = ("tui.cli.people", "tui.cli.timeline", "tui.cli.meetings")


def outputs(store: Path) -> dict[tuple[str, ...], str]:
    return {args: run_cli(*args, db=store, check=True).stdout for args in COMMANDS}


@pytest.fixture
def expected(seed_store: Path, monkeypatch: pytest.MonkeyPatch) -> dict[tuple[str, ...], str]:
    """The answers from the store itself (`Corpus.meetings`), as these commands read it before; two
    of the bundled reports made one meeting first (a correction the store keeps), so that a meeting
    of several reports is among them."""
    corpus = Corpus.open(seed_store, seed_if_new=False)
    first, second = [m.id for m in corpus.meetings()][1:3]
    corpus.merge_meetings(first, second)
    with monkeypatch.context() as patch:
        for module in MODULES:
            opened = lambda args: Corpus.open(Path(args.db), seed_if_new=False)  # noqa: E731
            patch.setattr(f"{module}.open_lookup", opened, raising=False)  # (not in an older yuelan)
            patch.setattr(f"{module}.answered", lambda args, out, lookup, make: make(out), raising=False)
        return outputs(seed_store)


def test_from_a_fresh_catalogue_the_store_is_never_parsed(
    seed_store: Path, expected: dict[tuple[str, ...], str], monkeypatch: pytest.MonkeyPatch
) -> None:
    run_cli("list", db=seed_store, check=True)  # the catalogue made
    assert catalogue_path_for(seed_store).exists()

    def refused(*args: object, **kwargs: object) -> None:
        raise AssertionError("the TinyDB file was parsed")

    monkeypatch.setattr(store.storage.db, "load_json", refused)
    assert outputs(seed_store) == expected
    grouped = [m for m in Lookup.open(seed_store).meetings() if len(m.reports) > 1]
    assert grouped  # the bundled reports tell some meetings more than once: those are read too


def test_without_a_catalogue_the_answers_are_the_same(
    seed_store: Path, expected: dict[tuple[str, ...], str]
) -> None:
    catalogue_path_for(seed_store).unlink(missing_ok=True)
    assert outputs(seed_store) == expected


def test_a_catalogue_without_the_details_is_made_again(
    seed_store: Path, expected: dict[tuple[str, ...], str]
) -> None:
    """A catalogue an earlier yuelan wrote (no place, kind or officials): read from the store once."""
    from store.storage import catalogue
    from store.storage.catalogue import Sections

    run_cli("list", db=seed_store, check=True)
    path = catalogue_path_for(seed_store)
    old = Sections.open(path)
    header = {k: v for k, v in old.header.items() if k != "sections"}
    sections = {name: old.section(name) for name in old.header["sections"] if name != "detail_lines"}
    old.close()
    stat = path.stat()
    catalogue.write(path, catalogue.encode(header, sections))
    assert path.stat().st_size < stat.st_size
    assert outputs(seed_store) == expected
    assert "detail_lines" in Sections.open(path).header["sections"]
