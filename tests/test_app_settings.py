"""Settings survive between runs, are written atomically and never stop the browser from opening."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui.settings import HISTORY_LIMIT, Settings, load_settings, save_settings, settings_path


def test_lives_in_the_state_dir_from_the_environment(tmp_path: Path) -> None:
    # conftest points $YUELAN_STATE_DIR at tmp_path/state
    assert settings_path() == tmp_path / "state" / "settings.json"


def test_round_trip() -> None:
    saved = Settings(script="trad", history=["團結", "西藏"])
    save_settings(saved)
    assert load_settings() == saved
    assert not [p for p in settings_path().parent.iterdir() if p.name != "settings.json"]


@pytest.mark.parametrize("content", ["", "{not json", "[1, 2]", '{"script": "klingon", "history": [3, ""]}'])
def test_bad_files_fall_back_to_defaults(content: str) -> None:
    settings_path().parent.mkdir(parents=True)
    settings_path().write_text(content, encoding="utf-8")
    assert load_settings() == Settings()


def test_failed_write_leaves_the_old_file(monkeypatch: pytest.MonkeyPatch) -> None:
    save_settings(Settings(script="simp"))

    def broken_dump(*args: object, **kwargs: object) -> None:
        raise OSError("disk full")

    with monkeypatch.context() as patch:
        patch.setattr(json, "dumps", broken_dump)
        with pytest.raises(OSError):
            save_settings(Settings(script="trad"))
    assert load_settings().script == "simp"
    assert [p.name for p in settings_path().parent.iterdir()] == ["settings.json"]


@given(st.lists(st.text(min_size=1, max_size=5), max_size=300))
def test_history_is_bounded_unique_and_most_recent_last(queries: list[str]) -> None:
    settings = Settings()
    for query in queries:
        settings.remember(query)
    kept = [q.strip() for q in queries if q.strip()]
    assert len(settings.history) == len(set(settings.history)) <= HISTORY_LIMIT
    if kept:
        assert settings.history[-1] == kept[-1]
