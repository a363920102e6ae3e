"""The analysis the line commands keep beside the store (store.analysis.cache): used while current,
derived afresh when the store or the code changed, and never trusted when damaged."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import json_lines, run_cli
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from store.analysis import cache
from store.analysis.cache import derived_path_for


def people(store: Path) -> list[dict]:
    done = run_cli("people", "--json", db=store)
    assert done.returncode == 0, done.stderr
    return json_lines(done.stdout)


def test_kept_after_a_command_and_answered_from_while_current(seed_store: Path) -> None:
    fresh = people(seed_store)
    kept = derived_path_for(seed_store)
    data = json.loads(kept.read_text(encoding="utf-8"))
    assert data["format"] == cache.FORMAT and data["generation"] and data["code"] == cache.code_digest()
    data["people"][0]["name"] = "某某某"  # the next command answers from the file: it shows this
    kept.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert people(seed_store)[0]["name"] == "某某某"
    assert [p["name"] for p in people(seed_store)[1:]] == [p["name"] for p in fresh[1:]]


def test_a_changed_store_is_derived_afresh(seed_store: Path) -> None:
    fresh = people(seed_store)
    kept = derived_path_for(seed_store)
    data = json.loads(kept.read_text(encoding="utf-8"))
    data["people"][0]["name"] = "某某某"
    kept.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    listed = json_lines(run_cli("list", "--json", db=seed_store).stdout)
    assert run_cli("remove", listed[0]["id"], db=seed_store).returncode == 0  # a new generation
    after = people(seed_store)
    assert "某某某" not in {p["name"] for p in after} and len(after) < len(fresh)
    assert json.loads(kept.read_text(encoding="utf-8"))["generation"] != data["generation"]


def test_other_code_is_derived_afresh(seed_store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fresh = people(seed_store)
    kept = derived_path_for(seed_store)
    data = json.loads(kept.read_text(encoding="utf-8"))
    data["people"][0]["name"] = "某某某"
    kept.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    monkeypatch.setattr(cache, "code_digest", lambda: "another version")
    assert people(seed_store) == fresh


@pytest.mark.parametrize(
    "damage",
    [
        b"",
        b"\xff\xfe not json",
        b"[]",
        b'{"format": 1}',
        "people:year-as-text",
        "people:posts-not-a-list",
        "meetings:date-too-short",
        "pairs:count-off",
        "pairs:by_year-text",
    ],
)
def test_a_damaged_file_is_never_trusted(seed_store: Path, damage: bytes | str) -> None:
    fresh = people(seed_store)
    pairs = run_cli("pairs", "--json", db=seed_store).stdout
    timeline = run_cli("timeline", "--json", db=seed_store).stdout
    kept = derived_path_for(seed_store)
    if isinstance(damage, bytes):
        kept.write_bytes(damage)
    else:
        data = json.loads(kept.read_text(encoding="utf-8"))
        if damage == "people:year-as-text":
            data["meetings"][0]["date"] = ["2024", 5, 16, "5月16日", "text", ""]
        elif damage == "people:posts-not-a-list":
            data["people"][0]["posts"] = "甘南州委书记"
        elif damage == "meetings:date-too-short":
            data["meetings"][0]["date"] = [2024]
        elif damage == "pairs:count-off":
            data["pairs"][0]["meetings"] = 99
        else:
            data["pairs"][0]["by_year"] = {"2024": "1"}
        kept.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert people(seed_store) == fresh
    assert run_cli("pairs", "--json", db=seed_store).stdout == pairs
    assert run_cli("timeline", "--json", db=seed_store).stdout == timeline
    assert json.loads(kept.read_text(encoding="utf-8"))["code"] == cache.code_digest()  # replaced whole


def test_answers_when_the_file_cannot_be_written(seed_store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(cache, "write", refuse)
    assert people(seed_store) and not derived_path_for(seed_store).exists()


JUNK = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20,
)
FIELDS = [
    ("meetings", "date"),
    ("meetings", "provinces"),
    ("meetings", "id"),
    ("people", "posts"),
    ("people", "province"),
    ("people", "meetings"),
    ("pairs", "by_year"),
    ("pairs", "provinces"),
    ("pairs", "ids"),
]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from(FIELDS), JUNK)
def test_any_value_in_any_field_is_read_as_absent_or_as_well_typed(
    seed_store: Path, where: tuple[str, str], junk: object
) -> None:
    kept = derived_path_for(seed_store)
    if not kept.exists():
        people(seed_store)
    data = json.loads(kept.read_text(encoding="utf-8"))
    table, name = where
    data[table][0][name] = junk
    damaged = kept.with_name("damaged")
    damaged.write_text(json.dumps(data), encoding="utf-8")
    found = cache.read(damaged, data["generation"])
    if found is not None:  # junk of the right shape (a list of text, null for a date): typed as written
        assert all(isinstance(p, str) for m in found.meetings for p in m.provinces)
        assert all(isinstance(p.post, str) for person in found.people for p in person.posts)
        assert all(isinstance(n, int) for pair in found.pairs for n in pair.by_year.values())
