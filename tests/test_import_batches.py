"""An import in batches (store/search/batches.py) gives the store and index one batch gives, and a batch
written is kept: a failure or a kill in a later batch loses nothing of it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import store.search.batches
from store.corpus import Corpus
from store.models import SearchAnswer
from store.search.index import SearchIndex

REPORTS = 14
QUERIES = ["座谈会", "拉萨", "对口支援事项", "甘肃 合作", "第3次", "province:藏 交流", "zuotan", "的"]
ROOT = Path(__file__).resolve().parent.parent


def write_reports(folder: Path, count: int = REPORTS) -> Path:
    """Distinct short reports of different lengths, so that batches split them unevenly."""
    folder.mkdir(parents=True, exist_ok=True)
    places = ["拉萨市", "合作市", "昌都市", "西宁市"]
    for i in range(count):
        body = "双方召开座谈会，就对口支援事项交换意见。" * (1 + i % 4)
        (folder / f"r{i:03d}.txt").write_text(
            f"川藏第{i}次交流座谈会在{places[i % 4]}召开\n\n2024年5月{i % 28 + 1}日，四川省代表团赴"
            f"西藏自治区考察，甘肃省代表团同行。{body}\n",
            encoding="utf-8",
        )
    return folder


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_reports(tmp_path_factory.mktemp("reports") / "in")


def answer_of(answer: SearchAnswer) -> tuple[object, ...]:
    results = [(r.doc_id, r.hits, round(r.score, 9), [s.text for s in r.snippets]) for r in answer.results]
    return answer.total, results, answer.words


def records(corpus: Corpus) -> list[dict[str, object]]:
    """Every document as stored, less when it was imported and where in the texts file its texts are
    (batches lay them out in another order): the texts themselves instead."""
    found = []
    for doc in corpus.documents():
        record = doc.to_record()
        for key in ("imported_at", "raw_at", "text_at"):
            record.pop(key)
        found.append(record | {"raw": doc.raw, "text": doc.text})
    return sorted(found, key=lambda r: str(r["id"]))


def imported(folder: Path, db: Path, batch_chars: int, monkeypatch: pytest.MonkeyPatch) -> Corpus:
    with monkeypatch.context() as patch:
        patch.setattr(store.search.batches, "BATCH_CHARS", batch_chars)
        Corpus.open(db, seed_if_new=False).import_paths([folder])
    return Corpus.open(db, seed_if_new=False)


@pytest.fixture(scope="module")
def one_batch(reports: Path, tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    with pytest.MonkeyPatch.context() as patch:
        return imported(reports, tmp_path_factory.mktemp("one") / "y.json", 10**9, patch)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(batch_chars=st.integers(min_value=1, max_value=2_000))
def test_batches_of_any_size_give_the_store_and_answers_of_one_batch(
    reports: Path, one_batch: Corpus, tmp_path_factory: pytest.TempPathFactory, batch_chars: int
) -> None:
    with pytest.MonkeyPatch.context() as patch:
        corpus = imported(reports, tmp_path_factory.mktemp("batched") / "y.json", batch_chars, patch)
        assert records(corpus) == records(one_batch)
        index = corpus.search_index()
        assert index.generation == corpus.generation  # the last batch left it up to date
        fresh = SearchIndex.build(corpus.documents(), "fresh")
        for query in QUERIES:
            assert answer_of(index.search(query)) == answer_of(fresh.search(query)), query
            assert answer_of(corpus.search(query)) == answer_of(one_batch.search(query)), query


def test_small_batches_write_the_store_and_an_index_part_each(
    reports: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    writes: list[int] = []
    save = Corpus._save

    def counted(self: Corpus, *args: object, **kwargs: object) -> None:
        writes.append(len(self._docs))
        save(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Corpus, "_save", counted)
    corpus = imported(reports, tmp_path / "y.json", 600, monkeypatch)
    assert len(writes) > 2 and writes == sorted(writes) and writes[-1] == REPORTS
    assert len(SearchIndex.load(corpus.index_path).parts) > 2


def test_a_failure_in_a_later_batch_keeps_the_batches_written(
    reports: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import store.importer

    make = store.importer.make_document
    path = tmp_path / "y.json"
    later: list[str] = []

    def failing(job: store.importer.NewDocument) -> object:
        if path.exists():  # a batch is written: Ctrl-C in the middle of the next one
            later.append(job.paths[0])
            if len(later) == 2:
                raise KeyboardInterrupt
        return make(job)

    monkeypatch.setattr(store.importer, "make_document", failing)
    monkeypatch.setattr(store.search.batches, "BATCH_CHARS", 600)
    corpus = Corpus.open(path, seed_if_new=False)
    with pytest.raises(KeyboardInterrupt):
        corpus.import_paths([reports])
    kept = Corpus.open(path, seed_if_new=False)
    assert 0 < len(kept) < REPORTS - 1 and later[0] not in {p for d in kept.documents() for p in d.paths}
    for doc in kept.documents():
        assert doc.raw == Path(doc.paths[0]).read_text(encoding="utf-8")
        number = int(Path(doc.paths[0]).stem[1:])
        assert doc.id in [r.doc_id for r in kept.search(f"川藏第{number}次").results]
    size = kept.texts.path.stat().st_size
    stored = [t.ref for d in kept.documents() for t in (d.stored("raw"), d.stored("text"))]
    assert size == max(ref.offset + ref.nbytes for ref in stored)  # the failed batch's texts went again
    monkeypatch.setattr(store.importer, "make_document", make)
    corpus.import_paths([reports])  # the same Corpus again: it reads the store anew
    assert len(Corpus.open(path, seed_if_new=False)) == REPORTS


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="Linux")
def test_kill_9_after_a_batch_is_written_keeps_it(reports: Path, tmp_path: Path) -> None:
    path = tmp_path / "y.json"
    script = (
        "import sys; import store.search.batches as b; b.BATCH_CHARS = 600\n"
        "from pathlib import Path; from store.corpus import Corpus\n"
        "Corpus.open(Path(sys.argv[1]), seed_if_new=False).import_paths([Path(sys.argv[2])])\n"
    )
    child = subprocess.Popen([sys.executable, "-c", script, str(path), str(reports)], cwd=ROOT)
    try:
        deadline = time.monotonic() + 60
        while not path.exists() and child.poll() is None and time.monotonic() < deadline:
            time.sleep(0.005)
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.wait()
    assert child.returncode == -signal.SIGKILL, "the import ended before its first batch was written"
    kept = Corpus.open(path, seed_if_new=False)
    assert 0 < len(kept) < REPORTS
    for doc in kept.documents():
        assert doc.raw == Path(doc.paths[0]).read_text(encoding="utf-8")
    found = {r.doc_id for r in kept.search("座谈会", limit=100).results}
    assert found == {d.id for d in kept.documents()}
    Corpus.open(path, seed_if_new=False).import_paths([reports])
    assert len(Corpus.open(path, seed_if_new=False)) == REPORTS


@pytest.mark.parametrize("batch_chars", [1, 300, 700])
def test_an_index_is_built_in_parts_of_bounded_size_that_answer_as_one(
    one_batch: Corpus, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, batch_chars: int
) -> None:
    documents = one_batch.documents()
    whole = SearchIndex.build(documents, "g")
    monkeypatch.setattr(store.search.batches, "BATCH_CHARS", batch_chars)
    built = SearchIndex.build(documents, "g", folder=tmp_path / "index")
    parts = SearchIndex.load(tmp_path / "index").parts
    assert len(parts) > 1 and all(p.chars - p.n_docs <= batch_chars or p.n_docs == 1 for p in parts)
    for query in QUERIES:
        assert answer_of(built.search(query)) == answer_of(whole.search(query)), query
        assert answer_of(SearchIndex.load(tmp_path / "index").search(query)) == answer_of(whole.search(query))


def test_a_batch_is_indexed_while_the_next_one_is_extracted(
    reports: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On two cores the index's sort and the workers' extraction each used one, one after the other:
    the index of a batch written is brought up to date once the next batch's extraction is under way,
    and over the store as that batch wrote it."""
    import store.importer

    events: list[tuple[str, int]] = []
    make, update = store.importer.make_document, Corpus._update_index

    def extracting(job: store.importer.NewDocument) -> object:
        events.append(("extract", len(saved)))
        return make(job)

    def indexing(self: Corpus, *args: object) -> object:
        events.append(("index", len(saved)))
        index = update(self, *args)  # type: ignore[arg-type]
        assert index.generation == saved[-1] and len(index.ids) == written[-1]
        return index

    saved: list[str] = []
    written: list[int] = []
    save = Corpus._save

    def counted(self: Corpus, *args: object, **kwargs: object) -> None:
        save(self, *args, **kwargs)  # type: ignore[arg-type]
        saved.append(self.generation)
        written.append(len(self._docs))

    monkeypatch.setattr(store.importer, "make_document", extracting)
    monkeypatch.setattr(Corpus, "_update_index", indexing)
    monkeypatch.setattr(Corpus, "_save", counted)
    imported(reports, tmp_path / "y.json", 600, monkeypatch)
    indexed = [after for kind, after in events if kind == "index"]
    assert len(indexed) == len(saved) > 2
    for batch in indexed[:-1]:  # the batch after it had begun extracting, not yet written
        assert events.index(("extract", batch)) < events.index(("index", batch))


def test_an_import_of_many_batches_writes_the_catalogue_once_as_made_afresh(
    reports: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Made after every batch, over the whole store, the catalogue cost an import of many batches time
    quadratic in the archive; once at the end, from the records the batches touched, it is the same."""
    import store.storage.cataloguing as cataloguing
    from store.storage.paths import catalogue_path_for

    written: list[int] = []
    write = cataloguing.write_catalogue

    def counted(corpus: Corpus, touched: set[str], before: object) -> None:
        written.append(len(touched))
        write(corpus, touched, before)  # type: ignore[arg-type]

    monkeypatch.setattr(cataloguing, "write_catalogue", counted)
    path = tmp_path / "y.json"
    first = sorted(reports.iterdir())[: REPORTS // 2]
    Corpus.open(path, seed_if_new=False).import_paths(first)  # a catalogue beside the store, reused
    imported(reports, path, 600, monkeypatch)
    assert written == [REPORTS // 2, REPORTS - REPORTS // 2]
    corpus = Corpus.open(path, seed_if_new=False)
    assert catalogue_path_for(path).read_bytes() == cataloguing.catalogue_of(corpus)


def test_the_progress_line_moves_while_a_batch_is_indexed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While a batch's index is built the workers extract the next batch: the line counts what they
    finish (from the pool's thread), under the stage being done, and never goes back."""
    import threading

    from tools.bench import write_corpus

    write_corpus(tmp_path / "in", 450)  # batches of more than the 200 reports that start workers
    seen: list[tuple[int, str, bool]] = []
    update = Corpus._update_index
    first = threading.Event()

    def progress(done: int, total: int, label: str) -> None:
        seen.append((done, label, threading.current_thread() is threading.main_thread()))

    def waiting(self: Corpus, *args: object) -> object:
        if not first.is_set():  # the first batch's: held until the workers say they finished a chunk
            first.set()
            deadline = time.monotonic() + 60
            while not any(not main for _, _, main in seen) and time.monotonic() < deadline:
                time.sleep(0.01)
        return update(self, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(store.search.batches, "BATCH_CHARS", 700_000)
    monkeypatch.setattr(Corpus, "_update_index", waiting)
    Corpus.open(tmp_path / "y.json", seed_if_new=False).import_paths([tmp_path / "in"], progress=progress)
    from_workers = [(done, label) for done, label, main in seen if not main]
    assert {label for _, label in from_workers} == {"extracting…", "updating the search index…"}
    assert [done for done, _, _ in seen] == sorted(done for done, _, _ in seen)
    assert seen[-1][0] == 450
