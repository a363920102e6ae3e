"""The texts file beside the store: append-only, checked on every read, migrated from schema 1 stores."""

from __future__ import annotations

import json
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from store.corpus import Corpus, bundled_seeds
from store.models import Document
from store.storage import db as storage
from store.storage.paths import texts_path_for
from store.storage.texts import StoredText, TextFile


@given(st.lists(st.text(alphabet=st.characters(exclude_categories=("Cs",))), max_size=8))
@settings(max_examples=60, deadline=None)
def test_appended_texts_read_back_exactly(tmp_path_factory: pytest.TempPathFactory, texts: list[str]) -> None:
    file = TextFile(tmp_path_factory.mktemp("t") / "y.json.texts")
    refs = [file.append(text) for text in texts]
    file.sync()
    assert [file.read(ref) for ref in refs] == texts
    assert [ref.chars for ref in refs] == [len(t) for t in texts]


def test_appending_after_a_sync_continues_at_the_end(tmp_path: Path) -> None:
    file = TextFile(tmp_path / "y.json.texts")
    first = file.append("团结")
    file.sync()
    second = file.append("進步")
    file.sync()
    assert second.offset == first.offset + first.nbytes
    assert (file.read(first), file.read(second)) == ("团结", "進步")


def test_a_text_file_pickles_as_its_path(tmp_path: Path) -> None:
    file = TextFile(tmp_path / "y.json.texts")
    ref = file.append("民族团结")
    file.sync()
    clone = pickle.loads(pickle.dumps(StoredText(file, ref)))
    assert clone.read() == "民族团结" and clone.file is not file


def test_the_store_json_holds_references_not_texts(seed_store: Path) -> None:
    records = json.loads(seed_store.read_text(encoding="utf-8"))[storage.DOCUMENTS_TABLE].values()
    assert records
    for record in records:
        assert "raw" not in record and "text" not in record
        assert len(record["raw_at"]) == len(record["text_at"]) == 4
    assert texts_path_for(seed_store).stat().st_size > seed_store.stat().st_size


def test_changed_bytes_are_refused_on_read(seed_store: Path) -> None:
    corpus = Corpus.open(seed_store)
    doc = corpus.documents()[0]
    ref = doc.stored("text").ref
    texts = texts_path_for(seed_store)
    data = bytearray(texts.read_bytes())
    data[ref.offset] ^= 0x01
    texts.write_bytes(bytes(data))
    with pytest.raises(storage.StoreError, match="damaged text") as caught:
        _ = Corpus.open(seed_store).get(doc.id).text
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize("damage", ["truncate", "delete"])
def test_a_short_or_missing_texts_file_is_refused_and_left_alone(seed_store: Path, damage: str) -> None:
    texts = texts_path_for(seed_store)
    if damage == "truncate":
        texts.write_bytes(texts.read_bytes()[:100])
    else:
        texts.unlink()
    before = seed_store.read_bytes()
    with pytest.raises(storage.StoreError, match="texts file"):
        Corpus.open(seed_store)
    assert seed_store.read_bytes() == before


def test_bytes_left_by_a_crash_before_the_store_was_written_are_harmless(seed_store: Path) -> None:
    """An import that appended and then died: its bytes are unreferenced, the next import appends after."""
    expected = {d.id: d.text for d in Corpus.open(seed_store).documents()}
    with texts_path_for(seed_store).open("ab") as handle:
        handle.write("半截写入的文本".encode()[:-1])
    corpus = Corpus.open(seed_store)
    assert {d.id: d.text for d in corpus.documents()} == expected
    source = seed_store.parent / "new.txt"
    source.write_text("甘肃省代表团赴西藏自治区昌都市考察对接。\n民族团结进步。", encoding="utf-8")
    report = corpus.import_paths([source])
    assert len(report.added) == 1
    reopened = Corpus.open(seed_store)
    assert {d.id: d.text for d in reopened.documents() if d.id in expected} == expected
    added = [d for d in reopened.documents() if d.id not in expected]
    assert [d.raw for d in added] == [source.read_text(encoding="utf-8")]


def test_a_schema_1_store_is_read_and_upgraded_by_the_next_import(seed_store: Path, tmp_path: Path) -> None:
    """Schema 1 kept every text inline in the JSON; such a store opens as it is, searches, and moves its
    texts into the texts file on its next write."""
    corpus = Corpus.open(seed_store)
    old = tmp_path / "old" / "y.json"
    old.parent.mkdir()
    data = json.loads(seed_store.read_text(encoding="utf-8"))
    for record in data[storage.DOCUMENTS_TABLE].values():
        doc = corpus.get(record["id"])
        del record["raw_at"], record["text_at"]
        record["raw"], record["text"] = doc.raw, doc.text
    next(iter(data[storage.META_TABLE].values()))["schema"] = 1
    old.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    expected = {d.id: (d.raw, d.text) for d in corpus.documents()}

    legacy = Corpus.open(old)
    assert not texts_path_for(old).exists()
    assert {d.id: (d.raw, d.text) for d in legacy.documents()} == expected
    assert legacy.search("团结").total == corpus.search("团结").total > 0

    source = tmp_path / "one.txt"
    shutil.copy(next(iter(corpus.documents())).paths[0], source)
    legacy.import_paths([source])
    upgraded = json.loads(old.read_text(encoding="utf-8"))
    assert next(iter(upgraded[storage.META_TABLE].values()))["schema"] == storage.SCHEMA_VERSION
    assert all("raw" not in r and "text_at" in r for r in upgraded[storage.DOCUMENTS_TABLE].values())
    assert {d.id: (d.raw, d.text) for d in Corpus.open(old).documents()} == expected


def test_reading_a_document_does_not_keep_its_text(seed_store: Path) -> None:
    doc = Corpus.open(seed_store).documents()[0]
    assert doc.text and doc.raw
    assert isinstance(doc.stored("text"), StoredText) and isinstance(doc.stored("raw"), StoredText)
    assert doc.chars == len(doc.text)


def _damage(store: Path, doc: Document) -> None:
    ref = doc.stored("text").ref
    texts = texts_path_for(store)
    data = bytearray(texts.read_bytes())
    data[ref.offset] ^= 0x01
    texts.write_bytes(bytes(data))


def test_importing_the_sources_again_mends_a_damaged_text(seed_store: Path) -> None:
    corpus = Corpus.open(seed_store)
    victim = corpus.documents()[2]
    expected = victim.text
    _damage(seed_store, victim)
    report = Corpus.open(seed_store).import_paths([Path(p).parent for p in victim.paths])
    assert report.repaired == victim.paths and not report.added
    assert Corpus.open(seed_store).get(victim.id).text == expected


def test_the_cli_says_a_damaged_text_in_one_line(seed_store: Path) -> None:
    victim = Corpus.open(seed_store).documents()[0]
    _damage(seed_store, victim)
    argv = [sys.executable, "-m", "tui.cli", f"--db={seed_store}", "show", victim.id]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr.count("\n") == 1 and "damaged text" in done.stderr and "yuelan import" in done.stderr


def test_a_texts_file_that_cannot_be_written_is_one_line_and_no_store(tmp_path: Path) -> None:
    store = tmp_path / "y.json"
    texts_path_for(store).mkdir()  # where the texts file should go, a folder: the write fails
    argv = [sys.executable, "-m", "tui.cli", f"--db={store}", "import", str(bundled_seeds())]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.count("\n") == 1 and str(texts_path_for(store)) in done.stderr
    assert not store.exists()


def test_a_schema_2_store_without_date_sources_opens_and_reads(seed_store: Path, tmp_path: Path) -> None:
    """Schema 2 stores have dates without `source`/`basis`; they open as stated dates, unchanged."""
    data = json.loads(seed_store.read_text(encoding="utf-8"))
    next(iter(data[storage.META_TABLE].values()))["schema"] = 2
    for record in data[storage.DOCUMENTS_TABLE].values():
        if record["meta"].get("date"):
            record["meta"]["date"] = {k: record["meta"]["date"][k] for k in ("year", "month", "day", "text")}
    old = tmp_path / "y.json"
    old.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    for name in (texts_path_for(seed_store).name,):
        shutil.copy(seed_store.parent / name, tmp_path / name.replace(seed_store.name, old.name))
    dated = [d for d in Corpus.open(old).documents() if d.meta.date]
    assert dated and all(d.meta.date.source == "text" for d in dated)  # type: ignore[union-attr]
    assert storage.SCHEMA_VERSION > 2  # a store written now is not mistaken for one of the older layout
