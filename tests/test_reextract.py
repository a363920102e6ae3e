"""`yuelan reextract`: stored texts read again with the current rules, the store and index kept in step."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import store.extract.extractor
from store.corpus import Corpus
from store.models import Extraction
from store.search.index import SearchIndex
from tui.cli import main

REAL_EXTRACT = store.extract.extractor.extract


def _without_provinces(text: str) -> Extraction:
    meta = REAL_EXTRACT(text)
    meta.provinces, meta.participants = [], []
    return meta


def test_changed_rules_change_the_store_and_the_index(
    seed_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = Corpus.open(seed_store)
    assert corpus.search("province:甘肃").total == 3
    parts_before = sorted(p.name for p in corpus.index_path.iterdir())
    monkeypatch.setattr(store.extract.extractor, "extract", _without_provinces)

    changed = corpus.reextract()

    assert len(changed) == 5
    reopened = Corpus.open(seed_store)
    assert all(d.meta.provinces == [] for d in reopened.documents())
    assert reopened.search("province:甘肃").total == 0
    assert SearchIndex.load(reopened.index_path).generation == reopened.generation
    assert sorted(p.name for p in reopened.index_path.iterdir()) == parts_before  # fields only, no rebuild

    monkeypatch.setattr(store.extract.extractor, "extract", REAL_EXTRACT)
    assert len(reopened.reextract()) == 5
    assert Corpus.open(seed_store).search("province:甘肃").total == 3


def test_the_same_rules_change_nothing(seed_store: Path) -> None:
    corpus = Corpus.open(seed_store)
    generation = corpus.generation
    assert corpus.reextract() == []
    assert Corpus.open(seed_store).generation == generation  # nothing written


def test_the_command_reports_how_many_changed(seed_store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", str(seed_store), "reextract"]) == 0
    assert capsys.readouterr().out == "0 of 5 documents changed\n"
    assert main(["--db", str(seed_store), "reextract", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"documents": 5, "changed": 0, "changed_ids": []}


def test_progress_is_reported_per_document(seed_store: Path) -> None:
    seen: list[tuple[int, int, str]] = []
    Corpus.open(seed_store).reextract(progress=lambda done, total, path: seen.append((done, total, path)))
    assert [(done, total) for done, total, _ in seen] == [(n, 5) for n in range(1, 6)]


def test_its_workers_start_as_an_imports_do(
    seed_store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """reextract once made a pool of its own, whose workers outlived a killed parent and kept its lock:
    its workers now start through store.workers, as an import's do (they die with the parent, drop the
    lock, leave stdout alone)."""
    import os

    import store.workers

    started = tmp_path / "started"
    started.mkdir()
    real = store.workers.worker_started

    def recorded(parent: int) -> None:
        (started / str(os.getpid())).touch()
        real(parent)

    monkeypatch.setattr(store.workers, "PARALLEL_THRESHOLD", 2)
    monkeypatch.setattr(store.workers, "worker_started", recorded)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    Corpus.open(seed_store).reextract()
    assert len(list(started.iterdir())) == 2
