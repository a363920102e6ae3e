"""`yuelan remove` deletes documents (store and index); `yuelan compact` reclaims the texts they leave
behind, and a kill at any moment of it loses nothing."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pexpect
import pytest

import store.storage.texts
from store.corpus import Corpus, bundled_seeds
from store.search.index import SearchIndex
from store.storage import db as storage
from store.storage.paths import index_path_for, texts_files_of, texts_path_for
from tools.startup_bench import yuelan_command
from tui.cli import main


def texts_of(corpus: Corpus) -> dict[str, tuple[str, str]]:
    return {d.id: (d.raw, d.text) for d in corpus.documents()}


def header_of(path: Path) -> dict[str, object]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return next(iter(data[storage.META_TABLE].values()))


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_remove_deletes_documents_from_the_store_and_the_index(
    seed_store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    corpus = Corpus.open(seed_store)
    gone = [d.id for d in corpus.documents() if "团结" in d.text][:2]
    kept = {d.id for d in corpus.documents()} - set(gone)
    code, out, _ = run(capsys, "remove", "--db", str(seed_store), "--json", gone[0], gone[1][:6])
    assert code == 0 and json.loads(out) == {"removed": gone}
    after = Corpus.open(seed_store)
    assert {d.id for d in after.documents()} == kept
    assert not {r.doc_id for r in after.search("团结", limit=100).results} & set(gone)
    on_disk = SearchIndex.load(index_path_for(seed_store))
    assert on_disk.generation == after.generation and on_disk.n_alive == len(kept)


def test_an_unknown_id_removes_nothing_and_names_it(
    seed_store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    known = Corpus.open(seed_store).documents()[0].id
    before = seed_store.read_bytes()
    code, out, err = run(capsys, "remove", "--db", str(seed_store), known, "0123nothere")
    assert code == 1 and not out
    assert err.count("\n") == 1 and "0123nothere" in err and "nothing removed" in err
    assert seed_store.read_bytes() == before


def test_compact_reclaims_the_texts_of_removed_documents(
    seed_store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    corpus = Corpus.open(seed_store)
    gone = corpus.documents()[0]
    garbage = gone.stored("raw").ref.nbytes + gone.stored("text").ref.nbytes
    corpus.remove([gone.id])
    expected = texts_of(Corpus.open(seed_store))
    generation = Corpus.open(seed_store).generation
    index_meta = (index_path_for(seed_store) / "meta.json").read_bytes()
    old_file = texts_path_for(seed_store)
    code, out, _ = run(capsys, "compact", "--db", str(seed_store), "--json")
    report = json.loads(out)
    assert code == 0 and report["reclaimed_bytes"] == garbage and report["documents"] == len(expected)
    assert not old_file.exists()
    (current,) = texts_files_of(seed_store)
    assert header_of(seed_store)["texts"] == current.name and current.stat().st_size == report["texts_bytes"]
    compacted = Corpus.open(seed_store)
    assert texts_of(compacted) == expected and compacted.generation == generation
    assert (index_path_for(seed_store) / "meta.json").read_bytes() == index_meta  # the index is still valid
    code, out, _ = run(capsys, "compact", "--db", str(seed_store), "--json")
    assert json.loads(out)["reclaimed_bytes"] == 0 and texts_files_of(seed_store) == [current]
    source = Path(gone.paths[0])  # importing into the compacted store appends to its file
    assert Corpus.open(seed_store).import_paths([source]).added == [str(source)]
    assert texts_of(Corpus.open(seed_store)) == expected | {gone.id: (gone.raw, gone.text)}


class Killed(BaseException):
    """Stands for a kill: nothing after it runs (BaseException: no `except Exception` catches it)."""


def kill_at(monkeypatch: pytest.MonkeyPatch, where: str) -> None:
    def killed(*args: object, **kwargs: object) -> None:
        raise Killed(where)

    if where == "copying":  # half-way through the texts
        calls = iter(range(1_000))
        append = store.storage.texts.TextFile.append_bytes

        def copy(self: object, *args: object) -> object:
            if next(calls) == 5:
                raise Killed(where)
            return append(self, *args)  # type: ignore[arg-type]

        monkeypatch.setattr(store.storage.texts.TextFile, "append_bytes", copy)
    elif where == "store write":  # the new file complete, the store not replaced yet
        monkeypatch.setattr(storage.os, "replace", killed)
    elif where == "old file removal":  # the store replaced, the old file still there
        monkeypatch.setattr(Path, "unlink", killed)


@pytest.mark.parametrize("where", ["copying", "store write", "old file removal"])
def test_a_compaction_killed_at_any_step_loses_nothing(
    seed_store: Path, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    Corpus.open(seed_store).remove([Corpus.open(seed_store).documents()[0].id])
    expected = texts_of(Corpus.open(seed_store))
    stray = seed_store.with_name(seed_store.name + ".texts.0badf00d")  # left by an earlier killed run
    stray.write_bytes(b"x" * 100)
    with monkeypatch.context() as patched:
        kill_at(patched, where)
        with pytest.raises(Killed):
            Corpus.open(seed_store).compact()
    assert texts_of(Corpus.open(seed_store)) == expected
    report = Corpus.open(seed_store).compact()  # the next compaction clears what the killed ones left
    assert report.documents == len(expected) and len(texts_files_of(seed_store)) == 1
    assert texts_of(Corpus.open(seed_store)) == expected


def test_a_reader_opened_before_a_compaction_still_reads_its_texts(seed_store: Path) -> None:
    reader = Corpus.open(seed_store)
    writer = Corpus.open(seed_store)
    writer.remove([writer.documents()[0].id])
    writer.compact()
    assert not texts_path_for(seed_store).exists()
    assert all(d.text for d in reader.documents())


def test_a_header_naming_another_file_is_a_corrupt_store(seed_store: Path) -> None:
    data = json.loads(seed_store.read_text(encoding="utf-8"))
    next(iter(data[storage.META_TABLE].values()))["texts"] = "../elsewhere.texts"
    seed_store.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(storage.StoreError, match="bad texts file name"):
        Corpus.open(seed_store)


def test_remove_and_compact_report_progress(seed_store: Path) -> None:
    seen: list[tuple[int, int, str]] = []
    corpus = Corpus.open(seed_store)
    ids = [d.id for d in corpus.documents()[:2]]
    corpus.remove(ids, progress=lambda *step: seen.append(step))
    assert seen[:2] == [(1, 2, ids[0]), (2, 2, ids[1])]
    assert [s[2] for s in seen[2:]] == ["writing the store…", "updating the search index…"]
    seen.clear()
    corpus.compact(progress=lambda *step: seen.append(step))
    assert [s[:2] for s in seen[:-1]] == [(k, len(corpus), ) for k in range(1, len(corpus) + 1)]
    assert seen[-1][2] == "writing the store…"


def test_a_report_that_broke_the_index_can_be_removed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "wide.txt"
    source.write_text("名录\n" + "".join(chr(c) for c in range(0x20000, 0x20000 + 66_000)), encoding="utf-8")
    db = str(tmp_path / "y.json")
    assert run(capsys, "import", "--db", db, str(source))[0] == 0
    (doc,) = Corpus.open(Path(db)).documents()
    assert run(capsys, "search", "--db", db, chr(0x20000 + 65_900))[1].startswith("1 document matches")
    assert run(capsys, "remove", "--db", db, doc.id)[0] == 0
    code, out, _ = run(capsys, "compact", "--db", db, "--json")
    assert code == 0 and json.loads(out)["reclaimed_bytes"] > 260_000 and json.loads(out)["texts_bytes"] == 0
    named = header_of(Path(db))["texts"]
    assert json.loads(run(capsys, "compact", "--db", db, "--json")[1])["reclaimed_bytes"] == 0
    assert header_of(Path(db))["texts"] == named  # nothing to reclaim: nothing rewritten
    assert run(capsys, "search", "--db", db, chr(0x20000 + 65_900))[1].startswith("0 documents match")


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX pseudo-terminals")
def test_on_a_terminal_remove_and_compact_draw_the_progress_line(seed_store: Path) -> None:
    command, *args = yuelan_command()
    doc_id = Corpus.open(seed_store).documents()[0].id
    runs = ((["remove", doc_id], f"removed 1 document: {doc_id}"), (["compact"], "reclaimed "))
    for argv, final in runs:
        child = pexpect.spawn(command, [*args, "--db", str(seed_store), *argv], encoding="utf-8", timeout=60)
        child.expect("writing the store…")
        if argv[0] == "remove":
            child.expect("updating the search index…")
        child.expect_exact("\r\x1b[2K" + final)  # the line is cleared, then the result printed
        child.expect(pexpect.EOF)
        child.close()
        assert child.exitstatus == 0


@pytest.mark.parametrize("catalogue", [False, True])
def test_a_store_compacted_while_it_is_read_is_read_again(
    seed_store: Path, monkeypatch: pytest.MonkeyPatch, catalogue: bool
) -> None:
    """The store (or its catalogue, when fresh) is read; before its texts file is checked, a
    compaction ends and removes that file."""
    writer = Corpus.open(seed_store)
    writer.remove([writer.documents()[0].id])  # the write leaves a fresh catalogue
    expected = texts_of(Corpus.open(seed_store, catalogue=False))
    name = "check_size" if catalogue else "check"
    check = getattr(store.storage.texts.TextFile, name)
    compacted: list[bool] = []

    def compacting_first(self: store.storage.texts.TextFile, refs: object) -> None:
        if not compacted:
            compacted.append(True)
            monkeypatch.setattr(store.storage.texts.TextFile, name, check)
            Corpus.open(seed_store, catalogue=False).compact()
        check(self, refs)

    monkeypatch.setattr(store.storage.texts.TextFile, name, compacting_first)
    assert texts_of(Corpus.open(seed_store, catalogue=catalogue)) == expected and compacted


def test_a_compacted_store_moved_under_another_name_with_its_texts_file_still_opens(
    seed_store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The README says to copy or move the `.json` and `.texts` files together; after a compaction the
    header names `OLD.json.texts.<hex>`, and a store renamed with its texts file (`z.json`,
    `z.json.texts.<hex>`) was refused as corrupt ('bad texts file name')."""
    corpus = Corpus.open(seed_store)
    corpus.remove([corpus.documents()[0].id])
    corpus.compact()
    (texts,) = texts_files_of(seed_store)
    moved = tmp_path / "moved" / "z.json"
    moved.parent.mkdir()
    seed_store.rename(moved)
    texts.rename(moved.with_name("z.json" + texts.name.removeprefix(seed_store.name)))
    code, out, err = run(capsys, "list", "--db", str(moved))
    assert (code, err) == (0, "") and len(out.splitlines()) == 4
    doc = Corpus.open(moved).documents()[0]
    assert run(capsys, "show", "--db", str(moved), "--body", doc.id)[1].strip() == doc.text.strip()
    assert run(capsys, "remove", "--db", str(moved), doc.id)[0] == 0
    assert run(capsys, "compact", "--db", str(moved))[0] == 0
    assert header_of(moved)["texts"] == texts_files_of(moved)[0].name and len(texts_files_of(moved)) == 1
    assert len(Corpus.open(moved).documents()) == 3 and all(d.text for d in Corpus.open(moved).documents())


def test_a_store_whose_own_name_is_not_utf8_still_opens_after_a_compaction(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The header named the new texts file whole, `st\\udcff.json.texts.<hex>`; the check made on open
    refuses a lone surrogate in a meta record, so the store compacted a moment ago was 'corrupt'."""
    db = os.fsdecode(bytes(tmp_path) + b"/st\xff.json")
    assert run(capsys, "import", "--db", db, str(bundled_seeds()))[0] == 0
    doc = Corpus.open(Path(db)).documents()[0]
    assert run(capsys, "remove", "--db", db, doc.id)[0] == 0
    assert run(capsys, "compact", "--db", db)[0] == 0
    code, out, err = run(capsys, "list", "--db", db)
    assert (code, err) == (0, "") and len(out.splitlines()) == 4
    assert run(capsys, "search", "--db", db, "团结")[0] == 0
    assert all(d.text for d in Corpus.open(Path(db)).documents())


def test_only_an_import_changes_when_reports_last_came_in(
    seed_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The store screen's "last import" once showed the time of a remove or a re-extraction."""
    import store.writer

    monkeypatch.setattr(store.writer, "now_iso", lambda: "2099-01-01T00:00:00+00:00")  # "later"
    corpus = Corpus.open(seed_store)
    imported = corpus.info().last_import
    generation = corpus.generation
    corpus.remove([corpus.documents()[0].id])
    corpus.reextract()
    again = Corpus.open(seed_store)
    assert again.info().last_import == imported and imported
    assert again.generation != generation  # the change itself is still seen by readers
