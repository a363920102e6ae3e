"""Regional forms built with only the converters a term needs: the same forms as every converter gives."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import opencc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from store.search.query import expansions
from store.text import regional
from store.text.script import converter

ROOT = Path(__file__).resolve().parent.parent
SHARE = regional.opencc_share()
TABLE = json.loads(regional.TABLE_PATH.read_text(encoding="utf-8"))
# Characters the regional stages look at (and their Simplified sources), those that may change, and
# everyday ones.
LOOKED_AT = "".join(TABLE[n]["chars"] + "".join(TABLE[n]["pairs"]) for n in (*regional.REGIONAL, "unchanged"))
KEY_CHARS = sorted(set(LOOKED_AT) | set(converter("t2s").convert(LOOKED_AT)))
COMMON = (ROOT / "store" / "data" / "common_hanzi.txt").read_text(encoding="utf-8")
CHARS = KEY_CHARS + sorted(set(COMMON) - set(" \n\t"))


def every_converter(text: str) -> dict[str, str]:
    return {name: converter(name).convert(text) for name in regional.REGIONAL}


def every_form(text: str) -> list[str]:
    """The four forms as `expansions` made them with every converter built."""
    fold = converter("t2s").convert
    return [
        fold(converter("s2twp").convert(text)),
        fold(converter("s2hkp").convert(text)),
        fold(converter("tw2sp").convert(converter("s2tw").convert(text))),
        fold(converter("hk2sp").convert(converter("s2hk").convert(text))),
    ]


def same(text: str) -> None:
    assert regional.regional(text) == every_converter(text), text
    assert regional.regional_forms(text) == every_form(text), text


def seed_lines() -> list[str]:
    lines = []
    for path in sorted((ROOT / "seeds").rglob("*")):
        if path.is_file() and path.suffix in {".txt", ".md", ".html", ".htm"}:
            lines += [
                line
                for line in path.read_text(encoding="utf-8", errors="replace").splitlines()
                if line.strip()
            ]
    return lines


def test_the_shipped_table_is_made_from_the_installed_opencc() -> None:
    from tools.regional_keys import table_text

    if SHARE is None or not (SHARE.parent.parent / "bin" / "opencc_dict").exists():
        pytest.skip("this OpenCC has no data folder or opencc_dict to read its dictionaries")
    assert regional.TABLE_PATH.read_text(encoding="utf-8") == table_text(SHARE)
    assert regional._table() is not None


@settings(max_examples=400, deadline=None)
@given(st.text(st.sampled_from(CHARS), min_size=1, max_size=12))
def test_the_forms_are_every_converters(text: str) -> None:
    same(text)


def test_the_forms_of_real_lines_are_every_converters() -> None:
    lines = seed_lines()
    realdev = ROOT.parent / "shared" / "realdev" / "docs"
    if realdev.is_dir():
        lines += [
            line
            for path in sorted(realdev.glob("*.txt"))
            for line in path.read_text(encoding="utf-8").splitlines()
        ]
    assert lines
    for line in lines:
        same(converter("t2s").convert(line))
        same(line)


@pytest.mark.parametrize(
    ("word", "built"),
    [
        ("团结", set()),
        ("团结示范州建设新篇章", set()),
        ("软件", {"s2t", "s2twp"}),
        ("台湾", {"s2t", "s2hkp", "s2hk"}),
        ("着力", {"s2t", "s2twp", "s2tw"}),
    ],
)
def test_a_term_builds_only_the_converters_it_needs(
    word: str, built: set[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    made: list[str] = []
    real = opencc.OpenCC

    def recording(config: str = "t2s", *args: object, **kwargs: object) -> opencc.OpenCC:
        made.append(config)
        return real(config, *args, **kwargs)

    monkeypatch.setattr(opencc, "OpenCC", recording)
    converter.cache_clear()
    expansions.cache_clear()
    try:
        expansions(word)
    finally:
        converter.cache_clear()
        expansions.cache_clear()
    assert set(made) & {"s2t", *regional.REGIONAL} == built


def test_with_other_opencc_data_every_converter_is_built(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    if SHARE is None:
        pytest.skip("this OpenCC has no data folder")
    other = tmp_path / "opencc"
    shutil.copytree(SHARE, other)
    with (other / "TWPhrases.ocd2").open("ab") as handle:
        handle.write(b"\0")
    monkeypatch.setattr(regional, "opencc_share", lambda: other)
    regional._table.cache_clear()
    try:
        assert regional._table() is None
        assert regional.may_change("s2twp", "團結")
        assert not regional.unchanged("团结")
        same("团结")
    finally:
        regional._table.cache_clear()
