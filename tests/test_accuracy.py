"""Extraction held to the issue's targets on the hand-labelled gold sets: seeds, extra and held-out."""

from __future__ import annotations

import pytest

from tools.accuracy import GOLD, Score, main, run, title_matches


@pytest.fixture(scope="module")
def seeds() -> dict[str, Score]:
    return run(GOLD / "seeds")


@pytest.fixture(scope="module")
def extra() -> dict[str, Score]:
    return run(GOLD / "extra")


@pytest.fixture(scope="module")
def holdout() -> dict[str, Score]:
    return run(GOLD / "holdout")


def test_seeds_every_participating_province_and_no_mentioned_one(seeds: dict[str, Score]) -> None:
    assert seeds["provinces"].recall == 1.0, seeds["provinces"].misses
    assert seeds["provinces"].fp == 0, seeds["provinces"].misses


def test_seeds_officials(seeds: dict[str, Score]) -> None:
    assert seeds["officials"].precision >= 0.9, seeds["officials"].misses
    assert seeds["officials"].recall >= 0.85, seeds["officials"].misses


def test_seeds_every_stated_date(seeds: dict[str, Score]) -> None:
    assert seeds["dates"].tp == 5, seeds["dates"].misses


def test_extra_reports_generalise(extra: dict[str, Score]) -> None:
    assert extra["provinces"].f1 >= 0.95, extra["provinces"].misses
    dated = extra["dates"].tp + extra["dates"].fn
    assert dated >= 8 and extra["dates"].tp >= 0.8 * dated, extra["dates"].misses
    assert extra["officials"].precision >= 0.9 and extra["officials"].recall >= 0.85, extra[
        "officials"
    ].misses


def test_held_out_reports_meet_the_issues_targets(holdout: dict[str, Score]) -> None:
    """Reports written and labelled before the extractor was measured on them (see the commit that added
    them for the figures then); the targets are the issue's for unseen reports."""
    assert holdout["provinces"].f1 >= 0.95, holdout["provinces"].misses
    assert holdout["dates right"].recall >= 0.8, holdout["dates right"].misses
    assert holdout["officials"].precision >= 0.9 and holdout["officials"].recall >= 0.85, holdout[
        "officials"
    ].misses


def test_titles(seeds: dict[str, Score], extra: dict[str, Score]) -> None:
    assert seeds["titles"].recall == 1.0, seeds["titles"].misses
    assert extra["titles"].recall >= 0.8, extra["titles"].misses


def test_title_matching_rules() -> None:
    assert title_matches("攜手推動", "携手推动")
    assert title_matches("舟曲縣黨政代表團赴碌曲縣", {"contains": ["舟曲", "碌曲"]})
    assert not title_matches("舟曲县", {"contains": ["舟曲", "碌曲"]})


def test_the_script_prints_a_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 0
    out = capsys.readouterr().out
    assert "== seeds (5 reports)" in out and "== extra" in out and "== holdout" in out
    assert "provinces" in out and "officials" in out and "dates" in out
