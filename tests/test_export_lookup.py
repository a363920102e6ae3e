"""`yuelan export` reads the catalogue (store/storage/lookup.py) as `meetings`, `people` and `pairs` do,
not the whole store: the same bytes as from the store itself, for every format and every record kind,
on a store with a meeting of several reports."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import pytest
from helpers import near_copies

import store.storage.db
from store.corpus import Corpus, bundled_seeds
from tui.cli import main

FORMATS = [
    (fmt, what, bom)
    for fmt in ("csv", "jsonl")
    for what in ("meetings", "people", "pairs")
    for bom in (False, True)
]


def exported(store: Path, fmt: str, what: str, bom: bool, target: Path) -> tuple[bytes, bytes]:
    """(stdout, the file `-o` wrote) of one export, run in-process."""
    flags = ["--bom"] if bom else []
    argv = ["export", "--db", str(store), "--format", fmt, "--what", what, *flags]
    with contextlib.redirect_stdout(io.StringIO()) as out:
        assert main(argv) == 0
    assert main([*argv, "-o", str(target)]) == 0
    return out.getvalue().encode("utf-8"), target.read_bytes()


@pytest.fixture
def grouped_store(seed_store: Path, tmp_path: Path) -> Path:
    """The seeds, two more reports of seed 001's meeting, and two seed meetings merged by hand."""
    folder = tmp_path / "copies"
    folder.mkdir()
    seed = next(p for p in bundled_seeds().iterdir() if p.name.startswith("001"))
    for name, text in near_copies(seed.read_text(encoding="utf-8")).items():
        (folder / name).write_text(text, encoding="utf-8")
    corpus = Corpus.open(seed_store, seed_if_new=False)
    corpus.import_paths([folder])
    singles = [m.id for m in corpus.meetings() if len(m.reports) == 1]
    corpus.merge_meetings(singles[0], singles[1])
    return seed_store


@pytest.fixture
def from_the_store(grouped_store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict:  # type: ignore[type-arg]
    """Every export as the store itself answers it (`Corpus.meetings`, export's read before)."""
    import tui.cli.timeline

    with monkeypatch.context() as patch:
        opened = lambda args: Corpus.open(Path(args.db), seed_if_new=False)  # noqa: E731
        patch.setattr(tui.cli.timeline, "open_lookup", opened)
        patch.setattr(tui.cli.timeline, "open_corpus", opened, raising=False)  # (export's, before)
        return {case: exported(grouped_store, *case, tmp_path / "old.out") for case in FORMATS}


def test_export_reads_the_catalogue_and_gives_the_same_bytes(
    grouped_store: Path,
    from_the_store: dict,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,  # type: ignore[type-arg]
) -> None:
    with contextlib.redirect_stdout(io.StringIO()):
        main(["list", "--db", str(grouped_store)])  # the catalogue as every write leaves it

    def refused(*args: object, **kwargs: object) -> None:
        raise AssertionError("the TinyDB file was parsed")

    monkeypatch.setattr(store.storage.db, "load_json", refused)
    for case in FORMATS:
        assert exported(grouped_store, *case, tmp_path / "new.out") == from_the_store[case], case
