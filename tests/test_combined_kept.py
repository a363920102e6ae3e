"""The meetings of several reports the writer keeps combined in the catalogue (store/storage/combined.py):
read by every meetings lookup in place of combining the reports again, the same meetings as
`Corpus.meetings()` after imports, removes, merges and splits; made again only for the meetings a write
changed; and never trusted when damaged, misplaced or combined by another yuelan."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import SEED_MEETING, json_lines, near_copies, run_cli

import store.meetings.combine
from store.corpus import Corpus, bundled_seeds
from store.storage import catalogue
from store.storage.answers import code_key
from store.storage.catalogue import Sections
from store.storage.combined import CODE_FIELD, SECTION
from store.storage.lookup import Lookup
from store.storage.paths import catalogue_path_for


def seed_text() -> str:
    seed = next(path for path in bundled_seeds().iterdir() if path.name.startswith(SEED_MEETING))
    return seed.read_text(encoding="utf-8")


@pytest.fixture
def grouped_store(seed_store: Path, tmp_path: Path) -> Path:
    """The seeds and two more reports of seed 001's meeting: a meeting of three reports."""
    folder = tmp_path / "copies"
    folder.mkdir()
    for name, text in near_copies(seed_text()).items():
        (folder / name).write_text(text, encoding="utf-8")
    Corpus.open(seed_store, seed_if_new=False).import_paths([folder])
    return seed_store


def fast(path: Path) -> Lookup:
    """A lookup of the store that reads the combined meetings the catalogue keeps (asserted)."""
    lookup = Lookup.open(path)
    assert lookup._corpus is None
    assert lookup.kept_combined(lookup.groups()) is not None, "the catalogue keeps no combined meetings"
    return lookup


def assert_same_as_the_store(path: Path) -> None:
    corpus = Corpus.open(path, seed_if_new=False, catalogue=False)  # the store itself, parsed
    lookup = fast(path)
    assert lookup.meetings() == corpus.meetings()
    assert [m.to_dict() for m in lookup.meetings()] == [m.to_dict() for m in corpus.meetings()]
    tree = [node.to_dict() for node in lookup.tree(lookup.meetings())]
    assert tree == [node.to_dict() for node in corpus.tree(corpus.meetings())]


def several(path: Path) -> list[list[str]]:
    return sorted(
        sorted(m.reports)
        for m in Corpus.open(path, seed_if_new=False, catalogue=False).meetings()
        if len(m.reports) > 1
    )


def test_the_kept_meetings_are_the_stores_after_imports_removes_merges_and_splits(
    grouped_store: Path, tmp_path: Path
) -> None:
    assert any(len(group) == 3 for group in several(grouped_store))
    assert_same_as_the_store(grouped_store)

    more = tmp_path / "more.txt"  # a fourth report of the same meeting, and one of its own
    more.write_text(seed_text() + "\n会后，代表们参观了当地的民族团结进步教育基地。\n", encoding="utf-8")
    other = tmp_path / "other.txt"
    other.write_text("两省召开对口支援座谈会\n5月3日，双方表示将深化团结协作。\n", encoding="utf-8")
    Corpus.open(grouped_store, seed_if_new=False).import_paths([more, other])
    assert_same_as_the_store(grouped_store)

    meetings = [
        json["id"] for json in json_lines(run_cli("meetings", "--json", db=grouped_store, check=True).stdout)
    ]
    run_cli("meetings", "merge", meetings[0], meetings[-1], db=grouped_store, check=True)
    assert_same_as_the_store(grouped_store)

    biggest = max(several(grouped_store), key=len)
    run_cli("meetings", "split", biggest[0], db=grouped_store, check=True)
    assert_same_as_the_store(grouped_store)

    run_cli("remove", max(several(grouped_store), key=len)[-1], db=grouped_store, check=True)
    assert_same_as_the_store(grouped_store)

    Corpus.open(grouped_store, seed_if_new=False).reextract()
    assert_same_as_the_store(grouped_store)


def test_a_write_combines_only_the_meetings_it_changed(
    grouped_store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import store.storage.combined as kept

    made: list[list[str]] = []  # each write's meetings combined afresh, by their reports
    real = kept.combined_records

    def counted(documents, groups, crcs, old):  # type: ignore[no-untyped-def]
        records = real(documents, groups, crcs, old)
        made.extend(sorted(r[9]) for r in records if old.get(r[1]) is not r)
        return records

    monkeypatch.setattr(kept, "combined_records", counted)
    other = tmp_path / "other.txt"
    other.write_text("两省召开对口支援座谈会\n5月3日，双方表示将深化团结协作。\n", encoding="utf-8")
    group = max(several(grouped_store), key=len)
    corpus = Corpus.open(grouped_store, seed_if_new=False)
    corpus.import_paths([other])
    assert made == []  # the meeting of three reports is untouched: its record is the last catalogue's
    corpus.split_meeting(group[0])
    assert made == [group[1:]]  # the meeting left behind, not the report now alone
    made.clear()
    corpus.reextract()  # every report extracted again, its record the same: nothing to combine again
    assert made == []
    monkeypatch.undo()
    assert_same_as_the_store(grouped_store)


def rewritten(path: Path, header: dict | None = None, **sections: bytes) -> None:  # type: ignore[type-arg]
    """The catalogue at `path` written again with these header fields and sections changed, its stamp
    kept (so the change is read as the writer's)."""
    old = Sections.open(path)
    fields = {k: v for k, v in old.header.items() if k != "sections"} | (header or {})
    kept = {name: sections.get(name, old.section(name)) for name in old.header["sections"]}
    old.close()
    catalogue.write(path, catalogue.encode(fields, kept))


def reader_made_them_again(path: Path, monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """The groups whose meetings a lookup of `path`'s store combined afresh (asserting its answers are
    the store's): none when it read the section."""
    corpus = Corpus.open(path, seed_if_new=False, catalogue=False)  # parsed: the catalogue left as it is
    meetings, tree = corpus.meetings(), [n.to_dict() for n in corpus.tree()]
    combined: list[list[str]] = []
    real = store.meetings.combine.combined

    def counted(docs):  # type: ignore[no-untyped-def]
        combined.append(sorted(d.id for d in docs))
        return real(docs)

    monkeypatch.setattr(store.meetings.combine, "combined", counted)
    lookup = Lookup.open(path)
    assert lookup.meetings() == meetings
    assert [n.to_dict() for n in lookup.tree(lookup.meetings())] == tree
    monkeypatch.undo()
    return combined


def kept_records(path: Path) -> list[list[object]]:
    import json

    sections = Sections.open(catalogue_path_for(path))
    records = json.loads(sections.section(SECTION))
    sections.close()
    assert records
    return records


def test_an_untouched_catalogue_is_read_as_kept(grouped_store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert reader_made_them_again(grouped_store, monkeypatch) == []


def test_meetings_combined_by_another_yuelan_are_not_read(
    grouped_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import json

    records = kept_records(grouped_store)
    records[0][2] = "another yuelan's title"
    section = json.dumps(records, ensure_ascii=False).encode()
    rewritten(catalogue_path_for(grouped_store), {CODE_FIELD: "00000000"}, combined=section)
    assert reader_made_them_again(grouped_store, monkeypatch)  # the section unread: combined again
    sections = Sections.open(catalogue_path_for(grouped_store))  # and written again, this yuelan's
    assert sections.header[CODE_FIELD] == code_key()
    sections.close()
    assert reader_made_them_again(grouped_store, monkeypatch) == []  # only the first lookup paid


def test_a_damaged_section_is_never_read(grouped_store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = catalogue_path_for(grouped_store)
    data = bytearray(path.read_bytes())
    sections = Sections.open(path)
    offset, length, _ = sections.header["sections"][SECTION]
    start = path.read_bytes().index(b"\n", path.read_bytes().index(b"\n") + 1) + 1 + offset
    sections.close()
    data[start + length // 2] ^= 0x01
    path.write_bytes(bytes(data))  # (in place: the stamp changes too, so the whole catalogue goes)
    assert reader_made_them_again(grouped_store, monkeypatch)


@pytest.mark.parametrize("damage", ["misplaced", "misshapen", "missing"])
def test_a_section_not_of_the_groups_is_never_read(
    grouped_store: Path, monkeypatch: pytest.MonkeyPatch, damage: str
) -> None:
    """Checksums that hold, the stamp the store's: still the section must be of the catalogue's groups."""
    import json

    path = catalogue_path_for(grouped_store)
    records = kept_records(grouped_store)
    if damage == "misplaced":
        records[0][9] = records[0][9][:-1]  # a report short
    elif damage == "misshapen":
        records[0][3] = "2024-08-08"
    else:
        records = records[1:]
    rewritten(path, combined=json.dumps(records, ensure_ascii=False).encode())
    assert reader_made_them_again(grouped_store, monkeypatch)


@pytest.mark.parametrize("correction", ["merge", "split"])
def test_a_correction_leaves_the_catalogue_of_the_store_it_wrote(
    grouped_store: Path, correction: str
) -> None:
    """`meetings merge` and `split` write the store inside their own block: the catalogue made inside it
    named the store being replaced, so the next lookup parsed the store again."""
    from store.storage.catalogue import store_stamp

    meetings = [
        m["id"] for m in json_lines(run_cli("meetings", "--json", db=grouped_store, check=True).stdout)
    ]
    if correction == "merge":
        run_cli("meetings", "merge", meetings[0], meetings[-1], db=grouped_store, check=True)
    else:
        run_cli("meetings", "split", max(several(grouped_store), key=len)[0], db=grouped_store, check=True)
    sections = Sections.open(catalogue_path_for(grouped_store))
    assert sections.header["stamp"] == store_stamp(grouped_store)
    sections.close()
