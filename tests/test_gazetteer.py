"""The gazetteer: data shipped in the package, names in every form and script, province abbreviations."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from store.extract.gazetteer import gazetteer, name_forms, province_names, resolve_province, strip_ethnic
from store.text.script import to_traditional


def test_every_level_is_there() -> None:
    g = gazetteer()
    levels = [d.level for d in g.divisions.values()]
    assert levels.count("province") == 34
    assert 330 <= levels.count("prefecture") <= 350
    assert levels.count("county") > 2800
    assert g.divisions["623023"].name == "舟曲县"
    assert g.prefecture_of(g.divisions["623023"]).name == "甘南藏族自治州"  # type: ignore[union-attr]
    assert g.province_of(g.divisions["623023"]).name == "甘肃省"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("藏", "西藏自治区"),
        ("西藏", "西藏自治区"),
        ("西藏自治區", "西藏自治区"),
        ("甘", "甘肃省"),
        ("陇", "甘肃省"),
        ("甘肃", "甘肃省"),
        ("甘肅省", "甘肃省"),
        ("蜀", "四川省"),
        ("滇", "云南省"),
        ("云", "云南省"),
        ("津", "天津市"),
        ("天津", "天津市"),
        ("闽", "福建省"),
        ("鄂", "湖北省"),
        ("鲁", "山东省"),
        ("沪", "上海市"),
        ("渝", "重庆市"),
        ("黔", "贵州省"),
        ("秦", "陕西省"),
        ("內蒙古", "内蒙古自治区"),
        ("廣西壯族自治區", "广西壮族自治区"),
        ("香港", "香港特别行政区"),
        (" 青海省 ", "青海省"),
    ],
)
def test_resolve_province(name: str, expected: str) -> None:
    assert resolve_province(name) == expected


@pytest.mark.parametrize("name", ["火星", "甘南", "合作市", "", "州", "拉萨", "中国"])
def test_not_a_province(name: str) -> None:
    assert resolve_province(name) is None


@given(st.sampled_from(province_names()))
def test_every_province_resolves_from_full_short_and_traditional(name: str) -> None:
    assert resolve_province(name) == name
    assert resolve_province(to_traditional(name)) == name
    bare = [text for text, form in name_forms(gazetteer().resolve_province(name)) if form == "bare"]  # type: ignore[arg-type]
    assert bare and resolve_province(bare[0]) == name


def test_short_forms_of_autonomous_units() -> None:
    g = gazetteer()
    assert strip_ethnic("阿坝藏族羌族") == "阿坝"
    assert strip_ethnic("克孜勒苏柯尔克孜") == "克孜勒苏"
    assert [a.division.name for a in g.lookup("甘南州")] == ["甘南藏族自治州"]
    assert [a.division.name for a in g.lookup("阿坝州")] == ["阿坝藏族羌族自治州"]
    assert [a.division.name for a in g.lookup("海南州")] == ["海南藏族自治州"]
    assert g.lookup("海南州")[0].division.province_code == "630000"  # Qinghai's, not Hainan
    assert {a.division.name for a in g.lookup("甘南")} == {"甘南藏族自治州", "甘南县"}
    assert [a.division.name for a in g.lookup("張家川縣")] == ["张家川回族自治县"]


def test_districts_keep_their_full_name_only() -> None:
    g = gazetteer()
    assert g.lookup("城关") == [] and g.lookup("鼓楼") == []
    assert g.lookup("滨海新区")[0].division.code == "120116"


def test_data_ships_with_the_package() -> None:
    from importlib import resources

    data = resources.files("store.data")
    assert data.joinpath("divisions.tsv").is_file()
    assert data.joinpath("province_abbreviations.tsv").is_file()
