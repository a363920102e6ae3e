"""A store opened from its fresh catalogue (store/storage/catalogued.py) answers as the store parsed
whole: documents (listed fields, and every field once read), tree, meetings, search; it parses the
TinyDB file only when a write begins, under the lock, so a write never works from the catalogue. A
stale catalogue is never read; a damaged one turns the corpus into the store itself, answers unchanged.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from helpers import run_cli
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import store.storage.db
from store.corpus import Corpus
from store.storage import catalogue
from store.storage.catalogue import Sections
from store.storage.paths import catalogue_path_for

QUERIES = ("团结", "合作", "province:甘肃 发展", "西藏合作")


def listed(corpus: Corpus) -> list[Any]:
    """What the tree, the list and the meetings read of every document."""
    return [
        (
            d.id,
            d.title,
            d.chars,
            d.script,
            d.meta.date,
            list(d.meta.provinces),
            [(p.province, list(p.prefectures)) for p in d.meta.participants],
            d.meta.location,
            d.meta.kind,
            list(d.meta.people),
            d.meta.people_names(),
            d.imported_at,
        )
        for d in corpus.documents()
    ]


def answers(corpus: Corpus) -> dict[str, Any]:
    """Everything a reader asks of a store; the documents' listed fields both before and after their
    records are read."""
    before = listed(corpus)
    documents = corpus.documents()
    found = {
        "listed": before,
        "len": len(corpus),
        "info": corpus.info(),
        "generation": corpus.generation,
        "tree": [node.to_dict() for node in corpus.tree()],
        "meetings": [meeting.to_dict() for meeting in corpus.meetings()],
        "meeting of": {d.id: corpus.meeting_id_of(d.id) for d in documents},
        "search": {q: search(corpus, q) for q in QUERIES},
        "by prefix": [corpus.get(d.id[:7]).id for d in documents],
    }
    found["records"] = [d.to_record() for d in documents]  # every field: the record read
    found["texts"] = [(d.text, d.raw, d.summary()) for d in documents[:5]]
    found["got"] = [corpus.get(d.id).to_record() for d in documents]
    found["listed after"] = listed(corpus)
    return found


def search(corpus: Corpus, query: str) -> tuple[int, tuple[str, ...], list[dict[str, Any]]]:
    answer = corpus.search(query)
    return answer.total, answer.words, [result.to_dict() for result in answer.results]


def refuse_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    def refused(*args: object, **kwargs: object) -> None:
        raise AssertionError("the TinyDB file was parsed")

    monkeypatch.setattr(store.storage.db, "load_json", refused)


@pytest.fixture
def catalogued_store(seed_store: Path) -> Path:
    run_cli("list", db=seed_store, check=True)  # the copy had no catalogue: made here
    return seed_store


def test_reading_a_store_with_a_fresh_catalogue_never_parses_it(
    catalogued_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    refuse_parsing(monkeypatch)
    corpus = Corpus.open(catalogued_store)
    meetings = corpus.meetings()
    assert corpus.tree(meetings) and len(corpus) == len(corpus.documents()) > 1
    newest = corpus.get(meetings[0].reports[0])
    assert newest.text and newest.paths and corpus.search("团结").total
    assert corpus.info().last_import


def test_a_catalogued_corpus_answers_as_the_store_parsed_whole(
    catalogued_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from store.storage.catalogued import CataloguedCorpus

    parsed = answers(Corpus.open(catalogued_store, catalogue=False))
    refuse_parsing(monkeypatch)
    corpus = Corpus.open(catalogued_store)
    assert type(corpus) is CataloguedCorpus
    assert answers(corpus) == parsed
    assert type(corpus) is CataloguedCorpus  # still never parsed


def test_a_stale_catalogue_is_never_read(catalogued_store: Path, tmp_path: Path) -> None:
    old = tmp_path / "old.catalogue"
    shutil.copy2(catalogue_path_for(catalogued_store), old)
    source = tmp_path / "new.txt"
    source.write_text("两省召开对口支援座谈会\n双方表示将深化团结协作。\n", encoding="utf-8")
    Corpus.open(catalogued_store).import_paths([source])
    shutil.copy2(old, catalogue_path_for(catalogued_store))  # the catalogue of the store before the import
    corpus = Corpus.open(catalogued_store)
    assert type(corpus) is Corpus  # parsed, with every check
    assert any(d.title == "两省召开对口支援座谈会" for d in corpus.documents())
    assert answers(corpus) == answers(Corpus.open(catalogued_store, catalogue=False))


def test_a_store_touched_since_its_catalogue_is_parsed(catalogued_store: Path) -> None:
    os.utime(catalogued_store)  # the same bytes, but not provably the file the catalogue was made from
    assert type(Corpus.open(catalogued_store)) is Corpus


def test_a_catalogue_of_an_older_yuelan_is_not_used(catalogued_store: Path) -> None:
    """One made before the store's last import was kept in it: the corpus would not know it."""
    path = catalogue_path_for(catalogued_store)
    old = Sections.open(path)
    header = {k: v for k, v in old.header.items() if k not in ("sections", "last_import")}
    data = catalogue.encode(header, {name: old.section(name) for name in old.header["sections"]})
    old.close()
    catalogue.write(path, data)
    assert type(Corpus.open(catalogued_store)) is Corpus


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_a_catalogue_damaged_after_its_header_gives_the_same_answers(
    catalogued_store: Path, data: st.DataObject
) -> None:
    """A section that fails its check while read: the corpus reads the store itself and goes on."""
    path = catalogue_path_for(catalogued_store)
    run_cli("list", db=catalogued_store, check=True)  # a whole catalogue again after the last example
    parsed = answers(Corpus.open(catalogued_store, catalogue=False))
    raw = bytearray(path.read_bytes())
    body = raw.index(b"\n", raw.index(b"\n") + 1) + 1
    for _ in range(data.draw(st.integers(1, 3), label="bytes changed")):
        at = data.draw(st.integers(body, len(raw) - 1), label="at")
        raw[at] = (raw[at] + data.draw(st.integers(1, 255), label="by")) % 256
    stamp = os.stat(catalogued_store)
    path.write_bytes(bytes(raw))  # in place: the store's stamp, which the header names, is unchanged
    assert os.stat(catalogued_store).st_ctime_ns == stamp.st_ctime_ns
    assert answers(Corpus.open(catalogued_store)) == parsed


def test_a_write_reads_the_store_itself_under_the_lock(catalogued_store: Path, tmp_path: Path) -> None:
    """Two readers opened from the same catalogue each remove a document: the second works from the
    store as the first left it, not from the catalogue it opened."""
    first, second = Corpus.open(catalogued_store), Corpus.open(catalogued_store)
    ids = [d.id for d in first.documents()]
    first.remove([ids[0]])
    second.remove([ids[1]])
    assert type(second) is Corpus
    left = [d.id for d in Corpus.open(catalogued_store, catalogue=False).documents()]
    assert ids[0] not in left and ids[1] not in left and len(left) == len(ids) - 2
    source = tmp_path / "new.txt"
    source.write_text("两省召开对口支援座谈会\n双方表示将深化团结协作。\n", encoding="utf-8")
    third = Corpus.open(catalogued_store)
    assert third.import_paths([source]).added
    reread = Corpus.open(catalogued_store)
    assert answers(reread) == answers(Corpus.open(catalogued_store, catalogue=False))
    assert "两省召开对口支援座谈会" in [d.title for d in reread.documents()]


def test_a_write_never_takes_the_catalogue_for_the_store(catalogued_store: Path) -> None:
    """Even a catalogue that claims to be the store's (its stamp forged) is not what a write works from."""
    path = catalogue_path_for(catalogued_store)
    old = Sections.open(path)
    sections = {name: old.section(name) for name in old.header["sections"]}
    ids = sections["ids"].decode("ascii").split("\n")
    header = {k: v for k, v in old.header.items() if k != "sections"}
    old.close()
    corpus = Corpus.open(catalogued_store, catalogue=False)
    corpus.remove([ids[-1]])  # the store loses a document; the old catalogue still lists it
    forged = header | {"stamp": catalogue.store_stamp(catalogued_store)}
    catalogue.write(path, catalogue.encode(forged, sections))
    reader = Corpus.open(catalogued_store)
    assert ids[-1] in [d.id for d in reader.documents()]  # a reader believes it (stamps are all it has)
    reader.remove([ids[0]])
    left = {d.id for d in Corpus.open(catalogued_store, catalogue=False).documents()}
    assert left == set(ids[1:-1])


def test_a_catalogued_corpus_let_go_is_freed_with_its_files(catalogued_store: Path) -> None:
    """Nothing it made refers back to it in a cycle: the browser's store after a reload, or a test's,
    is freed when let go, and the catalogue's and texts file's descriptors closed — though the
    collector is kept off what a store made (store/storage/heap.py), so a cycle would stay for good."""
    import gc
    import weakref

    def descriptors() -> int:
        return len(os.listdir("/proc/self/fd"))

    gc.collect()
    before = descriptors()
    for _ in range(3):
        corpus = Corpus.open(catalogued_store)
        gone = weakref.ref(corpus)
        meetings = corpus.meetings()
        assert corpus.tree(meetings) and corpus.get(meetings[0].reports[0]).text
        documents = corpus.documents()
        del corpus, meetings
        assert gone() is None
        assert documents[-1].raw  # a document kept still reads its record and texts
        del documents
        gc.freeze()  # as every paused_gc block ends
    assert descriptors() <= before


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=4), inner, max_size=4),
    max_leaves=12,
)


@given(rows=st.lists(JSON, max_size=8), cut=st.integers(0, 10_000), junk=st.text(max_size=3))
def test_a_sections_rows_read_one_at_a_time_are_the_array_or_a_value_error(
    rows: list[Any], cut: int, junk: str
) -> None:
    import json

    text = json.dumps(rows, ensure_ascii=False, separators=(",", ":"))
    assert list(catalogue.json_items(text)) == rows
    damaged = text[: cut % (len(text) + 1)] + junk
    try:
        read = list(catalogue.json_items(damaged))
    except ValueError:
        return
    assert json.loads(damaged) == read  # only a damage that is itself such an array reads


def test_an_index_to_rebuild_is_rebuilt_from_the_store_itself(catalogued_store: Path) -> None:
    from store.storage.paths import index_path_for

    expected = search(Corpus.open(catalogued_store, catalogue=False), "团结")
    shutil.rmtree(index_path_for(catalogued_store))
    corpus = Corpus.open(catalogued_store)
    assert search(corpus, "团结") == expected
    assert type(corpus) is Corpus and index_path_for(catalogued_store).is_dir()  # read under the lock
