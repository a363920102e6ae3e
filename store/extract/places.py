"""Place names in folded text: gazetteer matches that respect word boundaries, and abbreviation runs.

The traps are the point: 示范县 is not 范县, 长治久安 not 长治市, 真金白银 not 白银市, the word 合作 is
not 合作市, 青川 inside 甘青川滇藏 is not 青川县, the person 杨海林 is not 海林市. So: leftmost-longest
matching over the gazetteer's names, skipping spans already known to be people; a bare name (no
administrative suffix) must not be an ordinary word unless the context makes it a place; a match that a
dictionary word straddles is dropped; runs of one-character abbreviations (甘青川滇藏, 川藏, 闽藏, 沪果)
are expanded to provinces. Ambiguous names (甘南, 海南) are settled by the other places in the text.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cache, lru_cache

from store.extract.gazetteer import LEVEL_RANK, Alias, Division, gazetteer
from store.text.segment import add_words, dictionary_tables


@cache
def _tables() -> tuple[dict[str, int], dict[str, str]]:
    """jieba's tables, looked up directly: place matching asks the dictionary hundreds of times a report."""
    return dictionary_tables()


_BEFORE_TEACHING: dict[str, tuple[int, str]] = {}
"""Officials' names taught to jieba, with their entries before: place matching reads the dictionary as it
was, so a report's places never depend on which reports were read before it (and can be cached)."""


@cache
def teach_segmenter() -> None:
    """Teach jieba the gazetteer's names once, so that search and extraction cut 碌曲县, 甘南州 whole.

    Bare forms (合作, 白银) stay out: they are ordinary words first, and extraction asks the dictionary
    exactly that. Done before any place matching, whose cached verdicts assume it.
    """
    names = [text for text, entries in gazetteer().aliases.items() if any(a.form != "bare" for a in entries)]
    add_words(names, tag="ns")


def teach_names(names: list[str]) -> None:
    """Officials' names, taught to jieba once per process (teaching again re-segments a name: 0.4 ms a
    report, every report naming the same officials as the last)."""
    freq_table, tag_table = _tables()
    new = [name for name in dict.fromkeys(names) if name not in _BEFORE_TEACHING]
    for name in new:
        _BEFORE_TEACHING[name] = (freq_table.get(name, 0), tag_table.get(name, ""))
    add_words(new, tag="nr")


def dictionary_entry(word: str) -> tuple[int, str] | None:
    """(frequency, tag) of a word in jieba's dictionary without officials' names, or None."""
    if word in _BEFORE_TEACHING:
        freq, tag = _BEFORE_TEACHING[word]
        return (freq, tag) if freq else None
    freq_table, tag_table = _tables()
    freq = freq_table.get(word)
    return (freq, tag_table.get(word, "")) if freq else None


def _frequency(word: str) -> int:
    entry = dictionary_entry(word)
    return entry[0] if entry else 0


def _words(text: str) -> list[str]:
    """Word lists are written as one spaced string: easier to read and to extend."""
    return text.split()


# Words that straddle the end of a place name without making it something else (甘南州委, 四川省长).
_ADMIN_WORDS = frozenset(
    _words(
        "省委 省长 省政府 省人大 省政协 省会 市委 市长 市政府 市民 市区 州委 州长 州政府 州府 "
        "县委 县长 县政府 县城 县域 区委 区长 区政府 区党委 盟委 旗委"
    )
)
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
# Before a bare name that is also a word, these make it a place (在银川召开, 赴白银, 宁夏银川).
_PLACE_BEFORE = re.compile(r"(?:在|赴|到|带领|率领|抵达|前往|来到|于|至|飞抵|途经|走进|深入)$")
_PLACE_AFTER = re.compile(r"(?:召开|举行|开幕|举办|市委|州委|县委|党委|考察|调研|期间)")
_MAX_WORD = 4


@dataclass
class PlaceMention:
    """A place name at [start, end) of the folded text and the unit it was resolved to."""

    start: int
    end: int
    text: str
    aliases: list[Alias]
    division: Division | None = None

    @property
    def form(self) -> str:
        return self.aliases[0].form


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


def find_places(folded: str, blocked: list[bool]) -> list[PlaceMention]:
    """Gazetteer names in the text, leftmost-longest, minus those that are really other words."""
    teach_segmenter()
    g = gazetteer()
    aliases_of = g.aliases.get
    lengths_of = g.alias_lengths
    n = len(folded)
    mentions: list[PlaceMention] = []
    resume = 0
    starts = (m.start() for m in _first_two_pattern().finditer(folded))
    for i in [i for i in starts if folded[i : i + 2] in lengths_of]:
        if i < resume:
            continue
        for length in lengths_of[folded[i : i + 2]]:
            end = i + length
            aliases = aliases_of(folded[i:end]) if end <= n else None
            if aliases and True not in blocked[i:end] and _is_place(folded, i, end, aliases, mentions):
                mentions.append(PlaceMention(i, end, folded[i:end], aliases))
                resume = end
                break
    resolve(mentions)
    return mentions


# After a bare name, a town, street or village of that name: 灯塔街道 in 碧江区 is no 灯塔市.
_SUBUNIT_AFTER = re.compile(r"(?:街道|镇|乡|村|社区|片区)")


@cache
def _first_two_pattern() -> re.Pattern[str]:
    """Where a name may start: a character that opens some name before one that can follow it. Lets the
    regex engine skip five positions in six before Python looks at a pair (0.36 → 0.20 ms a report)."""
    pairs = gazetteer().alias_lengths
    first = "".join(sorted({pair[0] for pair in pairs}))
    second = "".join(sorted({pair[1] for pair in pairs}))
    return re.compile(f"[{re.escape(first)}](?=[{re.escape(second)}])")


def _is_place(folded: str, start: int, end: int, aliases: list[Alias], before: list[PlaceMention]) -> bool:
    text = folded[start:end]
    bare = all(a.form == "bare" for a in aliases)
    if bare and _SUBUNIT_AFTER.match(folded, end):
        return False
    if bare and not _bare_name_reads_as_place(folded, start, end, aliases, before):
        return False
    if len(text) == 2 and text.endswith("区") and not _after_own_parent(aliases, before, start):
        return False  # 北区, 城区, 郊区 are districts only as in 台中市北区 (渝北区 is no 北区)
    return not _straddled(folded, start, end, check_start=bare or len(text) <= 2)


def _bare_name_reads_as_place(
    folded: str, start: int, end: int, aliases: list[Alias], before: list[PlaceMention]
) -> bool:
    """A name without its suffix: fine for a province (西藏); otherwise it must not be a word here.

    合作, 和平 are words first (never read bare); 白银, 银川, 滨海, 大庆 are words or names of other
    things often enough that the text must say it means the place: 在银川召开, 宁夏银川, or the full
    name (白银市) elsewhere in the same report.
    """
    text = folded[start:end]
    if _inside_longer_word(folded, start, end):
        return False
    if any(a.division.level == "province" for a in aliases):
        return True
    entry = dictionary_entry(text)
    freq, tag = entry if entry else (0, "")
    common = not (tag.startswith("ns") or tag in {"nrt", "s"}) and freq >= 50
    if common and freq >= 1000:
        return False
    if common or freq >= 200:
        return _place_context(folded, start, end, aliases, before) or _named_in_full(folded, aliases)
    return True


def _inside_longer_word(folded: str, start: int, end: int) -> bool:
    """白龙江 holds 龙江, 长治久安 holds 长治: a dictionary word that contains the name and is no place."""
    left = max(0, start - 2)
    return _inside_longer_word_at(folded[left : start + _MAX_WORD], start - left, end - left)


@lru_cache(maxsize=1 << 16)
def _inside_longer_word_at(window: str, start: int, end: int) -> bool:
    """The verdict depends only on a few characters around the name: cached on them."""
    aliases = gazetteer().aliases
    for a in range(start + 1):
        for b in range(end, min(len(window), a + _MAX_WORD) + 1):
            if b - a <= end - start:
                continue
            word = window[a:b]
            if _frequency(word) >= 20 and word not in aliases:
                return True
    return False


def _named_in_full(folded: str, aliases: list[Alias]) -> bool:
    return any(a.division.name in folded for a in aliases)


def _place_context(
    folded: str, start: int, end: int, aliases: list[Alias], before: list[PlaceMention]
) -> bool:
    """在银川召开, 宁夏银川, 福州、南昌、长沙: the words around a bare name make it a place."""
    if _after_own_parent(aliases, before, start) or _in_a_list_of_places(folded, start, end, before):
        return True
    return bool(_PLACE_BEFORE.search(folded, max(0, start - 3), start) or _PLACE_AFTER.match(folded, end))


def _in_a_list_of_places(folded: str, start: int, end: int, before: list[PlaceMention]) -> bool:
    """A name listed with 、 after a place, or before another name of the gazetteer."""
    if start > 0 and folded[start - 1] == "、" and before and before[-1].end == start - 1:
        return True
    if not folded.startswith("、", end):
        return False
    aliases = gazetteer().aliases
    return any(folded[end + 1 : end + 1 + length] in aliases for length in (2, 3, 4))


def _after_own_parent(aliases: list[Alias], before: list[PlaceMention], start: int) -> bool:
    """宁夏银川, 甘南州合作市: a name right after a place of its own province reads as a place; 碧江区灯塔
    (灯塔 being in Liaoning) does not."""
    if not before or before[-1].end != start:
        return False
    provinces = {a.division.province_code for a in before[-1].aliases}
    return any(a.division.province_code in provinces for a in aliases)


def _straddled(folded: str, start: int, end: int, *, check_start: bool) -> bool:
    """A more frequent dictionary word crossing the name's edge (示范|县, 长治|久安, 合作市|场)."""
    left = max(0, start - 3)
    return _straddled_at(folded[left : end + _MAX_WORD - 1], start - left, end - left, check_start)


@lru_cache(maxsize=1 << 16)
def _straddled_at(window: str, start: int, end: int, check_start: bool) -> bool:
    """`_straddled` on the few characters a crossing word can reach; cached on them, as the same names
    stand in the same phrases report after report (甘南州委书记, 赴四川省成都市)."""
    n = len(window)
    spans: list[tuple[int, int]] = []
    if check_start:
        spans += [(a, b) for a in range(start) for b in range(start + 1, min(end, a + _MAX_WORD) + 1)]
    spans += [
        (a, b) for a in range(start, end) for b in range(end + 1, min(n, a + _MAX_WORD) + 1) if b - a >= 2
    ]
    if check_start:
        spans += [(start, b) for b in range(end + 1, min(n, start + _MAX_WORD) + 1)]
    floor = max(_frequency(window[start:end]) or 1, 20)
    aliases = gazetteer().aliases
    for a, b in spans:
        word = window[a:b]
        entry = dictionary_entry(word)
        if (
            entry
            and entry[0] >= floor
            and word not in _ADMIN_WORDS
            and word not in aliases
            and not entry[1].startswith("ns")
        ):
            return True
    return False


def resolve(mentions: list[PlaceMention]) -> None:
    """Pick one unit for each mention: unambiguous ones first, then the rest by their provinces' support.

    甘南 in a report about Gansu is 甘南州, not 甘南县 in Heilongjiang; 海南 among Qinghai's prefectures
    is 海南州. Ties go to the fuller form, then the higher level.
    """
    support: Counter[str] = Counter()
    for mention in mentions:
        provinces = {a.division.province_code for a in mention.aliases}
        if len(provinces) == 1:
            support[provinces.pop()] += 1
    for mention in mentions:
        best = min(
            mention.aliases,
            key=lambda a: (
                -support[a.division.province_code],
                a.form != "full",
                LEVEL_RANK[a.division.level],
                a.division.code,
            ),
        )
        mention.division = best.division
