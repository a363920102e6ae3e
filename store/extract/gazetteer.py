"""China's administrative divisions and the names people use for them, loaded from `store/data`.

Every province-, prefecture- and county-level unit (division codes from the Ministry of Civil Affairs,
see `store/data/SOURCES.md`) with its standard full name and the short forms reports use (甘南藏族自治州
→ 甘南州, 甘南; 西藏自治区 → 西藏), plus the one-character province abbreviations (甘/陇, 川/蜀, 藏…).
Lookups take any script: names are folded with OpenCC t2s first. Pure data, no segmenter.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Literal

from store.text.script import fold

Level = Literal["province", "prefecture", "county"]
Form = Literal["full", "short", "bare"]
"""full: the standard name; short: a shortened name that keeps an administrative suffix (甘南州);
bare: no suffix at all (甘南, 西藏, 舟曲), the most ambiguous kind."""

LEVEL_RANK: dict[Level, int] = {"province": 0, "prefecture": 1, "county": 2}


@dataclass(frozen=True)
class Division:
    """One administrative unit; `code` is the six-digit division code (620000, 623000, 623023)."""

    code: str
    name: str

    @property
    def level(self) -> Level:
        if self.code[2:] == "0000":
            return "province"
        if self.code[4:] == "00":
            return "prefecture"
        return "county"

    @property
    def province_code(self) -> str:
        return self.code[:2] + "0000"

    @property
    def prefecture_code(self) -> str | None:
        """The prefecture a county belongs to (None for provinces and directly administered counties)."""
        if self.level == "province":
            return None
        return self.code[:4] + "00"


@dataclass(frozen=True)
class Alias:
    """A name as written in text, the unit it names, and how shortened it is."""

    text: str
    division: Division
    form: Form


_ETHNIC_SUFFIXES = ("自治州", "自治县", "自治旗", "自治区")
_SIMPLE_SUFFIXES = ("特别行政区", "地区", "省", "市", "州", "县", "盟")


def _ethnic_groups() -> tuple[str, ...]:
    """The 55 ethnic-group names that stand inside autonomous units' names (藏族, 羌族, 土家族…)."""
    groups = (
        "蒙古",
        "回",
        "藏",
        "维吾尔",
        "苗",
        "彝",
        "壮",
        "布依",
        "朝鲜",
        "满",
        "侗",
        "瑶",
        "白",
        "土家",
        "哈尼",
        "哈萨克",
        "傣",
        "黎",
        "傈僳",
        "佤",
        "畲",
        "拉祜",
        "水",
        "东乡",
        "纳西",
        "景颇",
        "柯尔克孜",
        "土",
        "达斡尔",
        "仫佬",
        "羌",
        "布朗",
        "撒拉",
        "毛南",
        "仡佬",
        "锡伯",
        "阿昌",
        "普米",
        "塔吉克",
        "怒",
        "乌孜别克",
        "俄罗斯",
        "鄂温克",
        "德昂",
        "保安",
        "裕固",
        "京",
        "塔塔尔",
        "独龙",
        "鄂伦春",
        "赫哲",
        "门巴",
        "珞巴",
        "基诺",
        "高山",
        "各",
    )
    # Names also drop the 族 (克孜勒苏柯尔克孜自治州, 伊犁哈萨克自治州); only for names of two characters or
    # more, since 回, 藏 alone end too many place names.
    bare = [g for g in groups if len(g) >= 2]
    return tuple(sorted([g + "族" for g in groups] + bare, key=len, reverse=True))


def strip_ethnic(stem: str) -> str:
    """甘南藏族 → 甘南; 阿坝藏族羌族 → 阿坝; 克孜勒苏柯尔克孜 → 克孜勒苏 (ethnic names peeled off the end)."""
    groups = _ethnic_groups()
    changed = True
    while changed:
        changed = False
        for group in groups:
            if stem.endswith(group) and len(stem) > len(group) + 1:
                stem = stem[: -len(group)]
                changed = True
                break
    return stem


def name_forms(division: Division) -> list[tuple[str, Form]]:
    """Every way reports write this unit's name, full name first."""
    name = division.name
    forms: list[tuple[str, Form]] = [(name, "full")]
    for suffix in _ETHNIC_SUFFIXES:
        if name.endswith(suffix):
            stem = strip_ethnic(name[: -len(suffix)])
            if suffix != "自治区":
                forms.append((stem + suffix[-1], "short"))
            forms.append((stem, "bare"))
            return _dedupe(forms)
    if division.level == "county" and name.endswith("区"):
        return forms  # districts (城关区, 和平区): the stem is nearly always an ordinary word
    if name.endswith("特别行政区"):
        forms.append((name[: -len("特别行政区")] + "特区", "short"))  # 香港特区政府代表团
    for suffix in _SIMPLE_SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            forms.append((name[: -len(suffix)], "bare"))
            break
    return _dedupe(forms)


def _dedupe(forms: list[tuple[str, Form]]) -> list[tuple[str, Form]]:
    seen: set[str] = set()
    kept = []
    for text, form in forms:
        if text not in seen and len(text) >= 2:
            seen.add(text)
            kept.append((text, form))
    return kept


class Gazetteer:
    """The divisions, their aliases and the province abbreviations, indexed for lookup and scanning."""

    def __init__(self, divisions: list[Division], abbreviations: dict[str, list[str]]) -> None:
        self.divisions: dict[str, Division] = {d.code: d for d in divisions}
        self.provinces: list[Division] = [d for d in divisions if d.level == "province"]
        self.aliases: dict[str, list[Alias]] = defaultdict(list)
        for division in divisions:
            for text, form in name_forms(division):
                self.aliases[text].append(Alias(text, division, form))
        for entries in self.aliases.values():
            entries.sort(key=lambda a: (LEVEL_RANK[a.division.level], a.division.code))
        self.aliases = dict(self.aliases)
        self.abbreviations: dict[str, list[Division]] = defaultdict(list)
        by_name = {d.name: d for d in self.provinces}
        for province, chars in abbreviations.items():
            for char in chars:
                self.abbreviations[char].append(by_name[province])
        self.abbreviations = dict(self.abbreviations)
        self.alias_lengths: dict[str, tuple[int, ...]] = {}
        """For each first two characters, the alias lengths starting with them, longest first.

        Every alias has two characters or more, and a bigram index rules out nine positions in ten of a
        report in one lookup (a first-character index keeps 4 in 10, and then tries every length)."""
        starts: dict[str, set[int]] = defaultdict(set)
        for text in self.aliases:
            starts[text[:2]].add(len(text))
        self.alias_lengths = {pair: tuple(sorted(ls, reverse=True)) for pair, ls in starts.items()}

    def province_of(self, division: Division) -> Division:
        return self.divisions[division.province_code]

    def prefecture_of(self, division: Division) -> Division | None:
        """The prefecture-level unit of a county (or the unit itself when it is a prefecture)."""
        code = division.prefecture_code
        return self.divisions.get(code) if code else None

    def lookup(self, name: str) -> list[Alias]:
        """Every unit a name (any script, any form) may stand for, provinces first."""
        return list(self.aliases.get(fold(name.strip()), []))

    def resolve_province(self, name: str) -> Division | None:
        """The province a province-level name or abbreviation stands for, in any script."""
        folded = fold(name.strip())
        if len(folded) == 1:
            matches = self.abbreviations.get(folded, [])
            return matches[0] if matches else None
        for alias in self.aliases.get(folded, []):
            if alias.division.level == "province":
                return alias.division
        return None


def _read_data(name: str) -> list[list[str]]:
    text = resources.files("store.data").joinpath(name).read_text(encoding="utf-8")
    rows = [line.split("\t") for line in text.splitlines()[1:] if line.strip()]
    return rows


@cache
def gazetteer() -> Gazetteer:
    """The shared gazetteer, loaded once."""
    divisions = [Division(code, name) for code, name in _read_data("divisions.tsv")]
    abbreviations = {province: chars.split() for province, chars in _read_data("province_abbreviations.tsv")}
    return Gazetteer(divisions, abbreviations)


def resolve_province(name: str) -> str | None:
    """Full standard name of a province-level unit from any of its names, in any script.

    藏, 西藏, 西藏自治區 → 西藏自治区; 甘, 陇, 甘肃, 甘肅省 → 甘肃省; None for anything else (火星, 甘南).
    """
    division = gazetteer().resolve_province(name)
    return division.name if division else None


def province_names() -> list[str]:
    """The 34 province-level units' full standard names, in division-code order (read from the table,
    not the whole gazetteer: `yuelan pairs` needs only this order)."""
    return [
        d.name
        for d in (Division(code, name) for code, name in _read_data("divisions.tsv"))
        if d.level == "province"
    ]


@cache
def _short_names() -> dict[str, str]:
    return {province: chars.split()[0] for province, chars in _read_data("province_abbreviations.tsv")}


def province_short(name: str) -> str:
    """A province's one-character name as tables and matrices label it (甘肃省 → 甘, 云南省 → 滇, 西藏自治区
    → 藏: the first abbreviation listed); a name that is not a province is returned as it is."""
    return _short_names().get(name, name)
