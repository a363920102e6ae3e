"""Places named by abbreviation: runs of one-character province and city names (川渝, 晋冀鲁豫), regions
and compacts (长三角, 泛珠三角), strategy names (京津冀) and one-character place words (来闽, 赴滇)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from store.extract.gazetteer import Division, gazetteer
from store.extract.lexicon import dictionary_entry

# One-character abbreviations of prefecture-level cities used in pairing-assistance names (沪果, 闽昌).
CITY_ABBREVIATIONS: dict[str, str] = {
    "果": "632600",  # 果洛
    "昌": "540300",  # 昌都
    "克": "653000",  # 克孜勒苏
    "喀": "653100",  # 喀什
    "和": "653200",  # 和田
    "伊": "654000",  # 伊犁
    "玉": "632700",  # 玉树
    "黄": "632300",  # 黄南
    "林": "540400",  # 林芝
    "拉": "540100",  # 拉萨
    "那": "540600",  # 那曲
    "甬": "330200",  # 宁波
    "厦": "350200",  # 厦门
    "榕": "350100",  # 福州
    "蓉": "510100",  # 成都
    "邕": "450100",  # 南宁
    "筑": "520100",  # 贵阳
}
# What follows a two-character run when it names a partnership (川藏合作, 闽藏一家亲, 津甘山海情).
PARTNERSHIP = re.compile(
    r"(?:[两二三四五六七八九十\d]+个?省|合作|交流|一家亲|山海情|协作|对口|东西部|两地|毗邻|边界|交界|携手|友好|情谊|情深|协同|共建|联动|结对|帮扶|援|·)"
)


@dataclass
class AbbreviationRun:
    """甘青川滇藏 at [start, end): the provinces (and cities) its characters stand for."""

    start: int
    end: int
    text: str
    provinces: list[Division] = field(default_factory=list)
    cities: list[Division] = field(default_factory=list)


def find_runs(
    folded: str, blocked: list[bool], *, min_length: int, partnership_only: bool
) -> list[AbbreviationRun]:
    """Runs of province abbreviations (and, inside a partnership name, city abbreviations)."""
    g = gazetteer()
    runs: list[AbbreviationRun] = []
    for match in _run_pattern(partnership_only).finditer(folded):
        i, j = match.span()
        if j - i < min_length or any(blocked[i:j]) or not _accept_run(folded, i, j, partnership_only):
            continue
        provinces = [g.abbreviations[ch][0] for ch in match.group() if ch in g.abbreviations]
        cities = [
            g.divisions[CITY_ABBREVIATIONS[ch]]
            for ch in match.group()
            if ch not in g.abbreviations and ch in CITY_ABBREVIATIONS
        ]
        if provinces:
            runs.append(AbbreviationRun(i, j, match.group(), _unique(provinces), cities))
    return runs


@cache
def _run_pattern(with_cities: bool) -> re.Pattern[str]:
    chars = "".join(gazetteer().abbreviations) + ("".join(CITY_ABBREVIATIONS) if with_cities else "")
    return re.compile(f"[{chars}]{{2,}}")


# Regions named by a compound of abbreviations or a nickname: mentioned, never a delegation.
REGIONS: dict[str, tuple[str, ...]] = {
    "成渝": ("510000", "500000"),
    "长三角": ("310000", "320000", "330000", "340000"),
    "泛珠三角": ("350000", "360000", "430000", "440000", "450000", "460000", "510000", "520000", "530000"),
    "珠三角": ("440000",),
    "大湾区": ("440000", "810000", "820000"),
    "东三省": ("210000", "220000", "230000"),
    "大九寨": ("510000", "620000"),
    "兰西城市群": ("620000", "630000"),
    "关中平原城市群": ("610000", "620000", "140000"),
    "北部湾": ("450000", "440000", "460000"),
}
_REGION = re.compile("|".join(sorted(REGIONS, key=len, reverse=True)))
COMPACTS = frozenset({"长三角", "泛珠三角"})
"""Regions that are cooperation compacts: a meeting named after one (长三角地区主要领导座谈会, 泛珠三角区域
合作行政首长联席会议) is a meeting of all its members. 泛珠三角 is nine provinces; its "9+2" adds Hong Kong
and Macao (`find_regions` reads them from the text)."""
STRATEGIES = re.compile(r"京津冀|粤港澳大湾区|粤港澳|成渝地区双城经济圈|成渝双城经济圈|大湾区")
"""National strategies named after provinces: they name their provinces in passing, never as parties."""
_NINE_PLUS_TWO = re.compile(r"9\s*[+＋]\s*2|九加二")


def find_regions(folded: str) -> list[AbbreviationRun]:
    """成渝, 长三角, 大九寨: regions whose provinces a report names without naming them."""
    g = gazetteer()
    sars = [g.divisions["810000"], g.divisions["820000"]] if _NINE_PLUS_TWO.search(folded) else []
    return [
        AbbreviationRun(
            m.start(),
            m.end(),
            m.group(),
            [g.divisions[code] for code in REGIONS[m.group()]] + (sars if m.group() == "泛珠三角" else []),
        )
        for m in _REGION.finditer(folded)
    ]


def find_strategies(folded: str) -> list[AbbreviationRun]:
    """Strategy names (京津冀, 粤港澳大湾区): the provinces they are named after, mentioned only."""
    g = gazetteer()
    strategies = []
    for match in STRATEGIES.finditer(folded):
        name = match.group()
        chars = "川渝" if name.startswith("成渝") else "粤港澳" if "湾区" in name else name
        provinces = _unique([g.abbreviations[ch][0] for ch in chars if ch in g.abbreviations])
        strategies.append(AbbreviationRun(match.start(), match.end(), name, provinces))
    return strategies


_PLACE_WORD = re.compile(
    r"(?<=[来赴在到抵莅驻住访回返离])[沪滇黔闽赣鄂湘粤琼渝冀晋辽皖鲁豫陕陇藏港澳京津蒙桂川苏浙宁甬榕蓉邕筑厦]"
)
"""来沪, 赴滇, 在甬, 住宁: a verb of place and a one-character name (cities' stand for their provinces)."""


def find_place_words(folded: str, blocked: list[bool]) -> list[AbbreviationRun]:
    """One-character place words (`来闽考察`, `赴滇`), unless the character opens a word (在港口, 到京剧院).

    宁 is Nanjing as often as Ningxia: it counts only when the report names Ningxia in full."""
    g = gazetteer()
    words = []
    for match in _PLACE_WORD.finditer(folded):
        at, ch = match.start(), match.group()
        if blocked[at] or (ch == "宁" and "宁夏" not in folded) or _opens_word(folded, at):
            continue
        province = g.abbreviations[ch][0] if ch in g.abbreviations else None
        city = g.divisions[CITY_ABBREVIATIONS[ch]] if ch in CITY_ABBREVIATIONS else None
        if city is not None:
            province = g.province_of(city)
        assert province is not None
        words.append(AbbreviationRun(at, at + 1, ch, [province], [city] if city else []))
    return words


def _opens_word(folded: str, at: int) -> bool:
    """港口, 京剧, 苏醒: the character and the next ones make an ordinary word."""
    for length in (2, 3):
        word = folded[at : at + length]
        entry = dictionary_entry(word) if len(word) == length else None
        if entry and entry[0] >= 50 and not entry[1].startswith("ns"):
            return True
    return False


def find_abbreviation_lists(folded: str, blocked: list[bool]) -> list[AbbreviationRun]:
    """川、甘、青三省: one-character abbreviations listed with 、 before a count of provinces."""
    g = gazetteer()
    chars = "".join(g.abbreviations)
    pattern = re.compile(rf"(?:[{chars}]、){{1,7}}[{chars}](?=[两二三四五六七八]?省)")
    runs = []
    for match in pattern.finditer(folded):
        if any(blocked[match.start() : match.end()]):
            continue
        provinces = [g.abbreviations[ch][0] for ch in match.group() if ch != "、"]
        runs.append(AbbreviationRun(match.start(), match.end(), match.group(), _unique(provinces)))
    return runs


def _abbreviation(ch: str, *, allow_city: bool) -> bool:
    return ch in gazetteer().abbreviations or (allow_city and ch in CITY_ABBREVIATIONS)


def _accept_run(folded: str, start: int, end: int, partnership_only: bool) -> bool:
    if not partnership_only:
        return True
    if end - start > 4:
        return False
    if start > 0 and _abbreviation(folded[start - 1], allow_city=True):
        return False
    return bool(PARTNERSHIP.match(folded, end))


def _unique(divisions: list[Division]) -> list[Division]:
    return list(dict.fromkeys(divisions))
