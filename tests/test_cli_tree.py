"""`yuelan tree` with meetings of several reports: the JSON nodes and the plain lines (issue 13)."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import SEED_MEETING, json_lines, meetings_of, near_copies, run_cli

from store.corpus import Corpus, bundled_seeds
from store.storage.lookup import Lookup


@pytest.fixture
def grouped_store(
    seed_store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[Path, list[str]]:
    """The seeds and two near-copies of seed 001, the three grouped as one meeting (grouping itself is
    not what is tested here: `Corpus.meetings` is given the group)."""
    seed_text = next(bundled_seeds().glob(f"{SEED_MEETING}_*.txt")).read_text(encoding="utf-8")
    folder = tmp_path / "copies"
    folder.mkdir()
    for name, text in near_copies(seed_text).items():
        (folder / name).write_text(text, encoding="utf-8")
    run_cli("import", str(folder), db=seed_store, check=True)
    by_file = {
        Path(p).name[:3] if "_" in Path(p).name else Path(p).stem: d.id
        for d in Corpus.open(seed_store).documents()
        for p in d.paths
    }
    group = [by_file[SEED_MEETING], by_file["001-wire"], by_file["001-repost"]]
    monkeypatch.setattr(Corpus, "meetings", lambda self: meetings_of(self.documents(), [group]))
    monkeypatch.setattr(  # the shell's lookups read the catalogue, not the store
        Lookup, "meetings", lambda self: meetings_of([self.get(e.id) for e in self.entries()], [group])
    )
    return seed_store, group


def meeting_nodes(nodes: list[dict]) -> list[dict]:
    found = []
    for node in nodes:
        found += [node] if node["kind"] == "meeting" else meeting_nodes(node["children"])
    return found


def test_tree_json_nodes_are_meetings_with_their_reports(grouped_store: tuple[Path, list[str]]) -> None:
    db, group = grouped_store
    roots = json_lines(run_cli("tree", "--json", db=db, check=True).stdout)
    meetings = meeting_nodes(roots)
    joint = [m for m in meetings if m["reports"] == group]
    # under each of the five provinces (and, as before, each of its prefectures that took part), once
    provinces = {m["key"].split("/")[0] for m in joint}
    assert provinces == {f"province:{p}" for p in ("甘肃省", "青海省", "四川省", "云南省", "西藏自治区")}
    assert len({m["key"] for m in joint}) == len(joint)
    assert all(m["doc_id"] == group[0] and m["meeting"].startswith("m") for m in joint)
    assert all(m["label"].endswith(" ·3") for m in joint)
    assert not any(set(m["reports"]) & set(group) for m in meetings if m["reports"] != group)
    assert all(len(m["reports"]) == 1 and m["reports"] == [m["doc_id"]] for m in meetings if m not in joint)
    gansu = next(r for r in roots if r["label"] == "甘肃省")
    assert gansu["count"] == 3  # distinct meetings: the joint one counts once, not three times


def test_tree_lines_say_how_many_reports(grouped_store: tuple[Path, list[str]]) -> None:
    db, group = grouped_store
    lines = run_cli("tree", db=db, check=True).stdout.splitlines()
    joint = [line for line in lines if group[0] in line]
    assert len(joint) >= 5
    assert all(line.rstrip().endswith(f"·3  [{group[0]} +2]") for line in joint), joint
    assert not any(group[1] in line or group[2] in line for line in lines)
