"""Shared fixtures: a store built once from the bundled seeds, copied fresh for every test that needs it.

Every test runs with $YUELAN_DB and $YUELAN_STATE_DIR pointing into its own temporary folder, so no
test can read or write the user's real store or settings.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from store.corpus import Corpus, bundled_seeds
from store.storage.paths import index_path_for, texts_path_for


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep tests away from the real user store and settings."""
    monkeypatch.setenv("YUELAN_DB", str(tmp_path / "default-store.json"))
    monkeypatch.setenv("YUELAN_STATE_DIR", str(tmp_path / "state"))


@pytest.fixture(scope="session")
def built_seed_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seeds imported once per test session (import runs extraction and builds the index)."""
    path = tmp_path_factory.mktemp("seed-store") / "seeds.json"
    corpus = Corpus.open(path, seed_if_new=False)
    corpus.import_paths([bundled_seeds()])
    return path


@pytest.fixture
def seed_store(built_seed_store: Path, tmp_path: Path) -> Path:
    """A private copy of the seed store (and its index) that a test may change."""
    target = tmp_path / "store" / "yuelan.json"
    target.parent.mkdir()
    shutil.copy2(built_seed_store, target)
    shutil.copy2(texts_path_for(built_seed_store), texts_path_for(target))
    index = index_path_for(built_seed_store)
    if index.exists():
        shutil.copytree(index, index_path_for(target))
    return target


@pytest.fixture
def seed_corpus(seed_store: Path) -> Corpus:
    return Corpus.open(seed_store)
