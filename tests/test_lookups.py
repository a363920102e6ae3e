"""Lookups from the shell read the catalogue and the index alone, and answer as the store itself does.

The catalogue (store/storage/catalogue.py) is derived: with it, without it, stale or damaged, every
command prints the same; a catalogue that is not the store's as it is now is never read, and is made
again. The index's sections file lets a search map the index unread; any file changed since is checked
as before (tests/test_index_tamper.py). The fallback's words come from jieba's algorithm over its
dictionary mapped, and are jieba's.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from helpers import run_cli
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import store.storage.db
from store.corpus import Corpus, bundled_seeds
from store.search.saved import SECTIONS_FILE, trusted_meta
from store.storage.catalogue import Sections
from store.storage.lookup import Lookup, fresh_sections
from store.storage.paths import catalogue_path_for, index_path_for
from store.text import prefix
from store.text.script import fold

COMMANDS = (
    ("list",),
    ("list", "--json"),
    ("list", "--province", "甘肃"),
    ("tree",),
    ("tree", "--json"),
    ("search", "团结"),
    ("search", "--json", "西藏合作"),
    ("search", "province:甘肃 发展"),
)


def outputs(store: Path, without_meetings: bool = False) -> dict[tuple[str, ...], str]:
    """Every reading command's output, and `show` (text and JSON) of every document; `without_meetings`:
    only those that name no meeting."""

    def wanted(args: tuple[str, ...]) -> bool:
        return not without_meetings or ("tree" not in args and ("--json" not in args or "search" in args))

    found = {args: run_cli(*args, db=store, check=True).stdout for args in COMMANDS if wanted(args)}
    for doc_id in (line.split()[0] for line in found[("list",)].splitlines()):
        for args in (("show", doc_id), ("show", "--json", doc_id[:6]), ("show", "--raw", doc_id)):
            if wanted(args):
                found[args] = run_cli(*args, db=store, check=True).stdout
    return found


def fresh(store: Path) -> bool:
    try:
        fresh_sections(store, store_stamp(store)).close()
    except Exception:
        return False
    return True


def store_stamp(store: Path) -> list[int] | None:
    from store.storage.catalogue import store_stamp as stamp

    return stamp(store)


class CorpusAsBefore:
    """What the commands read before the catalogue: the store parsed whole (`Corpus`), every answer
    from it, through the same command code."""

    def __init__(self, path: Path) -> None:
        self.corpus = Corpus.open(path, seed_if_new=False, catalogue=False)

    def entries(self) -> list[object]:
        return list(self.corpus.documents())

    def get(self, id_or_prefix: str) -> object:
        return self.corpus.get(id_or_prefix)

    entry = get

    def meeting_id_of(self, doc_id: str) -> str:
        return self.corpus.meeting_id_of(doc_id)

    def meetings(self) -> object:
        return self.corpus.meetings()

    def tree(self, meetings: object = None) -> object:
        return self.corpus.tree(meetings)  # type: ignore[arg-type]

    def search(self, query: str, **options: object) -> object:
        return self.corpus.search(query, **options)  # type: ignore[arg-type]

    def kept(self, name: str) -> None:  # nothing kept: every answer made afresh
        return None

    def keep(self, name: str, data: bytes) -> None:
        pass


@pytest.fixture(scope="module")
def expected(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, ...], str]:
    """The outputs of the commands as they were before the catalogue: every one from `Corpus`."""
    path = tmp_path_factory.mktemp("reference") / "y.json"
    Corpus.open(path, seed_if_new=False).import_paths([bundled_seeds()])
    with pytest.MonkeyPatch.context() as patch:
        for module in ("tui.cli.reading", "tui.cli.search"):
            patch.setattr(f"{module}.open_lookup", lambda args: CorpusAsBefore(Path(args.db)))
        return outputs(path)


def test_a_store_write_leaves_a_catalogue_of_the_store_as_written(seed_store: Path) -> None:
    corpus = Corpus.open(seed_store)
    assert not catalogue_path_for(seed_store).exists()  # copied without one (the fixture)
    corpus.remove([corpus.documents()[0].id])
    assert fresh(seed_store)
    assert trusted_meta(index_path_for(seed_store)) is not None


def test_lookups_with_a_fresh_catalogue_never_parse_the_store(
    seed_store: Path, expected: dict[tuple[str, ...], str], monkeypatch: pytest.MonkeyPatch
) -> None:
    run_cli("list", db=seed_store, check=True)  # the copy had none: made here
    assert fresh(seed_store)

    def refused(*args: object, **kwargs: object) -> None:
        raise AssertionError("the TinyDB file was parsed")

    monkeypatch.setattr(store.storage.db, "load_json", refused)
    # the meetings (tree, and `meeting` in --json) are read from the store until the catalogue holds them
    answers = outputs(seed_store, without_meetings=True)
    assert answers == {args: expected[args] for args in answers}


def test_without_a_catalogue_the_answers_are_the_same_and_one_is_made(
    seed_store: Path, expected: dict[tuple[str, ...], str]
) -> None:
    catalogue_path_for(seed_store).unlink(missing_ok=True)
    assert run_cli("tree", db=seed_store, check=True).stdout == expected[("tree",)]
    assert fresh(seed_store)
    assert outputs(seed_store) == expected


def test_a_stale_catalogue_is_never_read_and_is_made_again(seed_store: Path, tmp_path: Path) -> None:
    run_cli("list", db=seed_store, check=True)
    old = tmp_path / "old.catalogue"
    shutil.copy2(catalogue_path_for(seed_store), old)
    source = tmp_path / "new.txt"
    source.write_text("两省召开对口支援座谈会\n双方表示将深化团结协作。\n", encoding="utf-8")
    Corpus.open(seed_store).import_paths([source])
    shutil.copy2(old, catalogue_path_for(seed_store))  # the catalogue of the store before the import
    assert not fresh(seed_store)
    listed = run_cli("list", db=seed_store, check=True).stdout
    assert "两省召开对口支援座谈会" in listed
    assert fresh(seed_store)
    assert run_cli("search", "深化团结协作", db=seed_store, check=True).stdout.startswith("1 document")


def test_a_store_edited_by_hand_is_read_again_not_answered_from_its_catalogue(seed_store: Path) -> None:
    run_cli("list", db=seed_store, check=True)
    data = json.loads(seed_store.read_text(encoding="utf-8"))
    record = next(iter(data["documents"].values()))
    record["meta"]["title"] = "改过的标题"
    seed_store.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert "改过的标题" in run_cli("list", db=seed_store, check=True).stdout
    record["meta"]["title"] = 42  # damage: refused in one line, as without a catalogue
    seed_store.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    for args in (("list",), ("show", record["id"]), ("search", "团结"), ("tree",)):
        result = run_cli(*args, db=seed_store)
        assert result.returncode == 1 and "store is corrupt" in result.stderr, args


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_a_damaged_catalogue_is_never_trusted(
    seed_store: Path, expected: dict[tuple[str, ...], str], data: st.DataObject
) -> None:
    catalogue_path_for(seed_store).unlink(missing_ok=True)
    run_cli("list", db=seed_store, check=True)
    path = catalogue_path_for(seed_store)
    raw = bytearray(path.read_bytes())
    if data.draw(st.booleans(), label="truncate"):
        raw = raw[: data.draw(st.integers(0, len(raw) - 1), label="length")]
    else:
        for _ in range(data.draw(st.integers(1, 3), label="bytes changed")):
            at = data.draw(st.integers(0, len(raw) - 1), label="at")
            raw[at] = (raw[at] + data.draw(st.integers(1, 255), label="by")) % 256
    path.write_bytes(bytes(raw))
    args = data.draw(st.sampled_from(list(expected)), label="command")
    assert run_cli(*args, db=seed_store, check=True).stdout == expected[args]


def test_a_missing_texts_file_is_said_with_or_without_a_catalogue(seed_store: Path) -> None:
    run_cli("list", db=seed_store, check=True)
    texts = seed_store.with_name(seed_store.name + ".texts")
    texts.rename(texts.with_name("elsewhere"))
    result = run_cli("list", db=seed_store)
    assert result.returncode == 1 and "texts file is missing" in result.stderr


def test_an_index_file_changed_since_written_is_not_trusted(seed_store: Path) -> None:
    Corpus.open(seed_store).search_index().save(index_path_for(seed_store))
    folder = index_path_for(seed_store)
    assert trusted_meta(folder) is not None
    np.save(folder / "owner.npy", np.load(folder / "owner.npy"), allow_pickle=False)  # same bytes, new file
    assert trusted_meta(folder) is None
    (folder / SECTIONS_FILE).unlink()
    assert trusted_meta(folder) is None


def test_the_sections_file_holds_meta_json_as_it_is(seed_store: Path) -> None:
    folder = index_path_for(seed_store)
    Corpus.open(seed_store).search_index().save(folder)
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    assert dict(trusted_meta(folder) or {}) == meta
    assert Sections.open(folder / SECTIONS_FILE).header["keys"] == list(meta)


# -- the fallback's words ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def jieba_untaught():  # type: ignore[no-untyped-def]
    """A jieba tokenizer of its own, taught nothing (the module's may have learnt names in this process)."""
    import jieba

    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    return tokenizer


def seed_text() -> str:
    return fold("\n".join(p.read_text(encoding="utf-8") for p in sorted(bundled_seeds().glob("*.txt"))))


QUERIES = [
    "西藏合作",
    "团结示范州建设新篇章",
    "扎西才让会见索南丹增",
    "尕海湖湿地保护",
    "ABC 2024年10%增长",
    "的" * 150,
]


@pytest.mark.parametrize("query", QUERIES)
def test_the_mapped_cut_is_jiebas(jieba_untaught, query: str) -> None:  # type: ignore[no-untyped-def]
    assert prefix.cut(query) == list(jieba_untaught.cut(query))


@settings(max_examples=300, deadline=None)
@given(start=st.integers(0, 10_000), length=st.integers(1, 80))
def test_the_mapped_cut_is_jiebas_on_any_piece_of_the_seeds(jieba_untaught, start: int, length: int) -> None:  # type: ignore[no-untyped-def]
    text = seed_text()
    piece = text[start % len(text) :][:length]
    assert prefix.cut(piece) == list(jieba_untaught.cut(piece))


def test_a_search_that_falls_back_loads_no_jieba_and_answers_as_jieba_would(seed_store: Path) -> None:
    code = (
        "import json, sys\n"
        "from pathlib import Path\n"
        "from store.storage.lookup import Lookup\n"
        f"answer = Lookup.open(Path({str(seed_store)!r})).search('西藏合作')\n"
        "print(json.dumps([answer.words, [r.doc_id for r in answer.results], 'jieba' in sys.modules]))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    words, ids, jieba_loaded = json.loads(out.stdout)
    with_jieba = Corpus.open(seed_store)
    from store.text import segment

    segment.warm_up()  # jieba itself
    answer = with_jieba.search("西藏合作")
    assert (tuple(words), ids) == (answer.words, [r.doc_id for r in answer.results])
    assert not jieba_loaded


def test_a_table_that_cannot_be_written_leaves_jieba_to_cut(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("", encoding="utf-8")
    monkeypatch.setattr(prefix, "table_path", lambda: blocked / "table.bin")
    prefix.forget()
    try:
        assert prefix.cut("西藏合作") is None
        from store.text.segment import cut_untaught

        assert cut_untaught("西藏合作") == ["西藏", "合作"]
    finally:
        prefix.forget()


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(start=st.integers(0, 10_000), length=st.integers(1, 6))
def test_probes_read_from_the_files_find_what_the_maps_find(
    seed_store: Path, start: int, length: int
) -> None:
    from store.search.index import SearchIndex

    text = SearchIndex.load(index_path_for(seed_store)).parts[0].text
    assert text.probes is not None  # a loaded index, not warmed: the probes are read from the files
    segment = text.segment_text(start % text.segments)
    key = text.encode(segment[start % max(1, len(segment) - length) :][:length])
    if key is None:  # an empty title
        return
    found = text.find_range(key)
    text.probes = None
    assert text.find_range(key) == found and found[1] > found[0]


# -- the browser's first frame ----------------------------------------------------------------------


def test_the_browser_reads_a_store_with_a_fresh_catalogue_without_parsing_it(
    seed_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its tree (made after the first frame, as a big store's), a search and the meeting opened all
    come from the catalogue and the index: the TinyDB file is never parsed."""
    import asyncio

    import tui.screens.main as main_module
    from store.storage.catalogued import CataloguedCorpus
    from tui.app import YuelanApp

    run_cli("list", db=seed_store, check=True)  # the copy had no catalogue
    monkeypatch.setattr(main_module, "SYNC_LOAD_LIMIT", 0)  # the seeds as a big store: tree after the frame
    whole = Corpus.open(seed_store, catalogue=False)
    corpus = Corpus.open(seed_store)
    assert type(corpus) is CataloguedCorpus and len(corpus) == len(whole)
    parses: list[Path] = []
    monkeypatch.setattr(store.storage.db, "load_json", lambda path, strings=None: parses.append(path))

    async def drive() -> None:
        app = YuelanApp(corpus)
        async with app.run_test(size=(80, 24)) as pilot:
            await app.workers.wait_for_complete()
            await pilot.pause()
            tree = app.screen.meetings  # type: ignore[attr-defined]
            assert not tree.loading and len(tree.full) == len(whole.tree())
            assert app.screen.current.text  # type: ignore[attr-defined]  # the newest meeting, read
            await pilot.press("slash", "合", "作")
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert app.screen.state.answer.total == whole.search("合作").total  # type: ignore[attr-defined]

    asyncio.run(drive())
    assert not parses and type(corpus) is CataloguedCorpus
    assert [d.id for d in corpus.documents()] == [d.id for d in whole.documents()]


def test_a_store_changed_since_its_catalogue_is_opened_for_the_browser_as_before(seed_store: Path) -> None:
    from store.storage.catalogued import open_catalogued

    assert open_catalogued(seed_store) is None  # no catalogue yet
    run_cli("list", db=seed_store, check=True)
    assert open_catalogued(seed_store) is not None
    data = json.loads(seed_store.read_text(encoding="utf-8"))
    next(iter(data["documents"].values()))["meta"]["title"] = 42
    seed_store.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert open_catalogued(seed_store) is None  # the browser opens it whole, and refuses it in one line


def test_an_index_without_sections_is_checked_once_then_given_them(seed_store: Path) -> None:
    """An index an older yuelan wrote has no sections file: the first lookup checks it in full, as
    before, and writes one; the next maps it unread."""
    from store.search.index import SearchIndex

    run_cli("list", db=seed_store, check=True)
    folder = index_path_for(seed_store)
    (folder / SECTIONS_FILE).unlink(missing_ok=True)
    assert SearchIndex.load(folder).checked
    expected = run_cli("search", "团结", db=seed_store, check=True).stdout
    assert trusted_meta(folder) is not None and not SearchIndex.load(folder).checked
    assert run_cli("search", "团结", db=seed_store, check=True).stdout == expected


def test_a_catalogue_written_from_the_last_one_is_the_one_made_afresh(
    seed_store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A write re-encodes only the records it touched, the others' bytes taken from the catalogue of
    the store it replaced; the result is byte for byte the catalogue made from the store alone."""
    import store.storage.cataloguing as lookup_module

    run_cli("list", db=seed_store, check=True)
    encoded: list[str] = []
    real = lookup_module._encoded

    def counted(record: dict) -> tuple[bytes, int]:  # type: ignore[type-arg]
        encoded.append(record["id"])
        return real(record)

    monkeypatch.setattr(lookup_module, "_encoded", counted)
    corpus = Corpus.open(seed_store)
    source = tmp_path / "new.txt"
    source.write_text("两省召开对口支援座谈会\n双方表示将深化团结协作。\n", encoding="utf-8")
    corpus.import_paths([source])
    assert len(encoded) == 1  # the new report's record alone
    corpus.remove([corpus.documents()[-1].id])
    monkeypatch.undo()
    written = Sections.open(catalogue_path_for(seed_store))
    afresh = Sections(lookup_module.catalogue_of(Corpus.open(seed_store)), "afresh")
    assert written.header["stamp"] == store_stamp(seed_store)
    sections = ("ids", "rows", "participant_lines", "detail_lines", "groups", "combined", "spans", "records")
    for name in sections:
        assert written.section(name) == afresh.section(name), name


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_id_or_prefix_finds_what_the_store_finds(seed_corpus: Corpus, data: st.DataObject) -> None:
    run_cli("list", db=seed_corpus.path, check=True)
    lookup = Lookup.open(seed_corpus.path)
    ids = [d.id for d in seed_corpus.documents()]
    key = data.draw(
        st.sampled_from(ids).flatmap(lambda i: st.integers(0, len(i)).map(lambda n: i[:n]))
        | st.text("0123456789abcdefABCDEF \t", max_size=14),
        label="id or prefix",
    )

    def found(source: Corpus | Lookup) -> object:
        try:
            document = source.get(key)
        except LookupError as exc:
            return str(exc)
        return document.summary() | {"text": document.text, "raw": document.raw}

    assert found(lookup) == found(seed_corpus)


def test_a_store_without_a_documents_table_lists_nothing(tmp_path: Path) -> None:
    """A store whose JSON holds its header and meetings but no documents table (found by the tamper
    property) opens as an empty store; making its catalogue looked the table up and raised KeyError."""
    seeded = tmp_path / "y.json"
    run_cli("import", str(bundled_seeds()), db=seeded, check=True)
    data = json.loads(seeded.read_text(encoding="utf-8"))
    del data["documents"]
    seeded.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    catalogue_path_for(seeded).unlink(missing_ok=True)
    done = run_cli("list", db=seeded)
    assert done.returncode in (0, 1) and "Traceback" not in done.stderr, done.stderr
