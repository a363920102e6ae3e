"""Extraction held to issue 11's targets on real reports nobody here wrote (`../shared/realdev`, read in
place). Skipped where the folder is absent: the reports are third-party text and never in the repository."""

from __future__ import annotations

from pathlib import Path

import pytest

import tools.accuracy
from tools.accuracy import SHARED, Score, main, run_real

REALDEV = SHARED / "realdev"
needs_realdev = pytest.mark.skipif(
    not (REALDEV / "gold.json").is_file(), reason=f"no {REALDEV}: real reports are read in place"
)


@pytest.fixture(scope="module")
def realdev() -> dict[str, Score]:
    return run_real(REALDEV)


@needs_realdev
def test_participating_provinces(realdev: dict[str, Score]) -> None:
    assert realdev["provinces"].f1 >= 0.97, realdev["provinces"].misses


@needs_realdev
def test_meeting_dates(realdev: dict[str, Score]) -> None:
    assert realdev["dates right"].recall >= 0.90, realdev["dates right"].misses


@needs_realdev
def test_officials(realdev: dict[str, Score]) -> None:
    officials = realdev["officials"]
    assert officials.precision >= 0.95 and officials.recall >= 0.93, officials.misses


@needs_realdev
def test_the_script_prints_the_realdev_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 0
    out = capsys.readouterr().out
    assert "== realdev (44 real reports" in out and "dates right" in out


def test_an_absent_set_is_skipped_with_a_note(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(tools.accuracy, "SHARED", tmp_path)
    assert main([]) == 0
    out = capsys.readouterr().out
    assert f"== realdev: skipped, no {tmp_path / 'realdev'}" in out
