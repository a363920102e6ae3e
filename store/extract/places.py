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
from dataclasses import dataclass
from functools import cache, lru_cache

from store.extract.gazetteer import LEVEL_RANK, Alias, Division, gazetteer
from store.extract.lexicon import dictionary_entry, teach_segmenter, word_frequency


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
    regex engine skip five positions in six before Python looks at a pair."""
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
            if word_frequency(word) >= 20 and word not in aliases:
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
    floor = max(word_frequency(window[start:end]) or 1, 20)
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
