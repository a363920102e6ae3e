"""Which provinces took part in the meeting a report is about, and where it was held: the role each place
mention plays in its sentence (host, visitor, partner, background)."""

from __future__ import annotations

import re

from store.extract.abbreviations import COMPACTS, AbbreviationRun
from store.extract.gazetteer import Division, gazetteer
from store.extract.layout import Layout, sentence_at, sentence_span, within
from store.extract.people import Official
from store.extract.places import PlaceMention
from store.models import Participant

_DELEGATION = re.compile(r"^(?:特区)?(?:党政|政府|经贸)?(?:代表团|考察团|工作组)")
_TOWARDS = re.compile(r"(?:赴|(?<![以未带原本后从近将])来|前往|抵达|到达|来到|到|深入|走进|飞抵|途经)$")
_AT = re.compile(r"(?:在|于)$")
_HELD = re.compile(r"^[^，。；]{0,30}?(?:召开|举行|举办|开幕|会见|会谈)")
_VISITED = re.compile(r"^[^，。；]{0,12}?(?:考察|调研|走访|慰问|期间)")
# 与甘肃省签署协议: the other party to an agreement or a talk.
_WITH = re.compile(r"(?:与|同|和)$")
_TOGETHER = re.compile(r"^[^，。；]{0,12}?(?:签署|签订|签约|举行|召开|座谈|会谈|达成|共同|携手)")
# In a headline, a place held up as a model is no party to the meeting (学习浙江经验).
_MODEL = re.compile(r"^[^，。；\s]{0,4}(?:经验|模式|做法|样板)")
_PAST = re.compile(r"去年|前年|上届|上一次|上次|此前|以来|曾在|曾于|往年|历史上|早在|上年|不久前|前不久")
# After a run of abbreviations, words that make it a region or a national strategy, not a partnership.
_REGION_AFTER = re.compile(r"(?:大湾区|湾区|协同发展|一体化|城市群|经济圈|经济区|经济带|地区|区域)")
_JOINED = re.compile(r"^(?:、|和|与|同|及|·|-)")
_PAIR_WORDS = re.compile(r"^(?:两省|两地|两市|两州|两县|两区|三省|四省|五省|双方|携手|共同|联合)")
# A sentence that closes on attendance (…有关负责同志参加会议): every place it lists took part.
_ATTENDED = re.compile(
    r"(?:参加|出席|列席|一同考察|陪同)(?:了)?(?:会议|活动|座谈会?|考察|有关活动|相关活动)?$"
)


# A list of places closed by a count: 江西、湖南、湖北三省, 上海云南两省市, 晋冀鲁豫4省.
_HOW_MANY = r"[两二三四五六七八九十\d]+个?"
_COUNT = re.compile(rf"(?:等)?{_HOW_MANY}省")
_CITY_COUNT = re.compile(rf"(?:等)?{_HOW_MANY}(?:市|城市|地市|州市)")
_COUNTED_BEFORE = re.compile(rf"{_HOW_MANY}(?:省会|省区|成员|副省级)?城市[（(：:]$")
_LIST_JOINER = "、和与及同"
_DEIXIS = re.compile(r"我(省|市|区|州)(?![委长])")
_SAR = re.compile(r"(?<![港澳])特区(?=政府|行政长官|代表团)")
_DEIXIS_ROLE = re.compile(
    r"(?:党政|经贸|政府)?(?:代表团|考察团|工作组)|(?:组成|有关|相关|领导|负责同志)|行政长官[^，。]{0,12}(?:率|出席|主持)"
)
_LEADER_TRIP = re.compile(r"(?:总书记|主席|总理)[^，。；]{0,6}(?:在|到|赴|来)$")
# A delegation led from a place: 率领福州宣传、统战系统负责同志.
_LED = re.compile(r"(?:率领|带领|率)$")
_STRATEGY_AFTER = re.compile(r"(?:地区|区域)?(?:一体化|协同发展|高质量)")
"""融入长三角一体化发展工作座谈会 is one city's meeting about the strategy, not the compact's."""
_MEETING_NAME = re.compile(r"[^，。；：\n]{0,30}?(?:会议|座谈会|联席会|论坛|峰会|大会|洽谈会|交流会)")


class Roles:
    """Evidence that each province took part, and the prefecture-level units that did."""

    def __init__(self, folded: str, layout: Layout, event: tuple[int, int]) -> None:
        self.folded = folded
        self.layout = layout
        self.event = event
        self.taking_part: dict[str, set[str]] = {}
        self.order: list[str] = []
        self.named_codes: list[str] = []

    def _name(self, province: Division) -> None:
        if province.code not in self.named_codes:
            self.named_codes.append(province.code)

    def _take_part(self, division: Division) -> None:
        g = gazetteer()
        province = g.province_of(division)
        self._name(province)
        prefectures = self.taking_part.setdefault(province.code, set())
        if province.code not in self.order:
            self.order.append(province.code)
        prefecture = g.prefecture_of(division)
        if prefecture is not None and prefecture.code in g.divisions:
            prefectures.add(prefecture.code)

    def add_places(self, places: list[PlaceMention]) -> None:
        for index, mention in enumerate(places):
            assert mention.division is not None
            self._name(gazetteer().province_of(mention.division))
            if self._has_role(places, index):
                self._take_part(mention.division)

    def _has_role(self, places: list[PlaceMention], index: int) -> bool:
        mention = places[index]
        chain_start, chain_end = chain(places, index)
        before = self.folded[max(0, chain_start - 3) : chain_start]
        after = self.folded[chain_end : chain_end + 40]
        if within(mention.start, self.layout.headline):
            return not _MODEL.match(after)
        if mention.start >= self.layout.end:
            return False
        sentence = sentence_at(self.folded, mention.start)
        if _PAST.search(sentence):
            return False
        if _DELEGATION.match(after) and mention.end == chain_end:
            return True
        if _LEADER_TRIP.search(self.folded, max(0, chain_start - 12), chain_start):
            return False  # 习近平总书记在天津考察时…的重要指示: a leader's past visit, background
        if self._counted_list(places, index):
            return True  # 江西、湖南、湖北三省签署…, 九个省会城市(福州、南昌、长沙…)
        if _LED.search(before):
            return True
        if _ATTENDED.search(sentence.rstrip()):
            return True
        if _TOWARDS.search(before) or (_AT.search(before) and (_HELD.match(after) or _VISITED.match(after))):
            return True
        if _WITH.search(before) and _TOGETHER.match(after):
            return True
        if within(mention.start, self.event):
            return bool(_JOINED.match(after) or _PAIR_WORDS.match(after) or _HELD.match(after[:8]))
        return False

    def _counted_list(self, places: list[PlaceMention], index: int) -> bool:
        """A list of names closed by a count of provinces, or of two or more cities given with their
        count (运城、渭南、临汾三市; 九个省会城市(福州、南昌、长沙…)): every member took part."""
        first, last = _list_bounds(self.folded, places, index)
        end = places[last].end
        if _COUNT.match(self.folded, end):
            return True
        if last == first:
            return False
        before = self.folded[max(0, places[first].start - 12) : places[first].start]
        return bool(_CITY_COUNT.match(self.folded, end) or _COUNTED_BEFORE.search(before))

    def add_runs(self, runs: list[AbbreviationRun]) -> None:
        for run in runs:
            for province in run.provinces:
                self._name(province)
            in_front = within(run.start, self.layout.headline) or within(run.start, self.layout.lead)
            if _REGION_AFTER.match(self.folded, run.end) or self._in_a_body_name(run):
                continue  # 京津冀协同发展, 粤港澳大湾区: a strategy or a region, named in passing
            counted = run.start < self.layout.end and _COUNT.match(self.folded, run.end)
            if (in_front or counted) and not _PAST.search(sentence_at(self.folded, run.start)):
                for province in run.provinces:
                    self._take_part(province)
                for city in run.cities:
                    self._take_part(city)

    def _in_a_body_name(self, run: AbbreviationRun) -> bool:
        """广东省粤港澳合作促进会, 港澳台侨委员会: abbreviations inside the name of a body are no party."""
        before = self.folded[max(0, run.start - 1) : run.start]
        return before in ("省", "市", "区") or self.folded.startswith(("侨", "办"), run.end)

    def add_regions(self, runs: list[AbbreviationRun]) -> None:
        """Regions (成渝, 大九寨) name provinces in passing; a meeting named after a compact (长三角地区
        主要领导座谈会, 泛珠三角区域合作行政首长联席会议) in the headline or the lead is all its members'."""
        for run in runs:
            for province in run.provinces:
                self._name(province)
            in_front = within(run.start, self.layout.headline) or within(run.start, self.layout.lead)
            if (
                run.text in COMPACTS
                and in_front
                and _MEETING_NAME.match(self.folded, run.end)
                and not _STRATEGY_AFTER.match(self.folded, run.end)
            ):
                for province in run.provinces:
                    self._take_part(province)

    def add_deixis(self, places: list[PlaceMention]) -> None:
        """我省, 我市 (the reporting side) taking part: the province, or the city, the report names most.

        A provincial paper writes 我省经贸代表团 and names its province in full elsewhere (河北省政协副主席…);
        a city's site writes 我市有关部门负责同志 and names the city. Only a 我省/我市 with a role counts:
        its delegation, its officials, or a visit to it."""
        deixis = [m for m in _DEIXIS.finditer(self.folded, 0, self.layout.end) if self._deixis_has_role(m)]
        if not deixis:
            return
        g = gazetteer()
        counts: dict[str, int] = {}
        # 我区 is an autonomous region's only where the report names one; else a city's district
        regional = "自治区" in self.folded
        wanted = (
            "province"
            if any(m.group(1) == "省" or (m.group(1) == "区" and regional) for m in deixis)
            else "prefecture"
        )
        beside = [sentence_span(self.folded, m.start()) for m in deixis]
        for mention in places:
            if mention.start >= self.layout.end:
                continue
            assert mention.division is not None
            province = g.province_of(mention.division)
            unit = province if wanted == "province" else g.prefecture_of(mention.division)
            if unit is None or unit.code not in g.divisions:
                unit = province  # a district of Beijing or Tianjin: the city is the province
            near = any(start <= mention.start < end for start, end in beside)  # 我市…在濮阳分会场
            if near and _TOWARDS.search(self.folded, max(0, mention.start - 3), mention.start):
                continue  # 我省代表团赴西安: where 我省 went is not 我省
            counts[unit.code] = counts.get(unit.code, 0) + (2 if near else 1)
        if counts:
            best = max(counts, key=lambda code: counts[code])  # first named wins a tie (dicts keep order)
            self._take_part(g.divisions[best])

    def add_sar(self) -> None:
        """特区政府代表团, 特区行政长官: Hong Kong's or Macao's government writing of itself; the region is
        the one the report names (the more often, if both)."""
        if not any(self._deixis_has_role(m) for m in _SAR.finditer(self.folded, 0, self.layout.end)):
            return
        g = gazetteer()
        named = {code: self.folded.count(name) for code, name in (("810000", "香港"), ("820000", "澳门"))}
        best = max(named, key=lambda code: named[code])
        if named[best]:
            self._take_part(g.divisions[best])

    def _deixis_has_role(self, match: re.Match[str]) -> bool:
        before = self.folded[max(0, match.start() - 3) : match.start()]
        after = self.folded[match.end() : match.end() + 30]
        return bool(
            _TOWARDS.search(before)
            or _DEIXIS_ROLE.match(after)
            or _ATTENDED.search(sentence_at(self.folded, match.start()).rstrip())
        )

    def none_took_part(self) -> None:
        """No meeting is reported: every province named is only mentioned."""
        self.order.clear()
        self.taking_part.clear()

    def add_officials(self, officials: list[Official], places: list[PlaceMention]) -> None:
        """An official who attends brings their province: the place named in the post."""
        for official in officials:
            post_start = official.start - len(official.post)
            for mention in places:
                if post_start - 1 <= mention.start and mention.end <= official.start:
                    assert mention.division is not None
                    self._take_part(mention.division)
                elif mention.start >= official.start:
                    break

    def participating(self) -> list[Division]:
        g = gazetteer()
        return [g.divisions[code] for code in self.order]

    def named(self) -> list[Division]:
        g = gazetteer()
        return [g.divisions[code] for code in self.named_codes]

    def participants(self) -> list[Participant]:
        g = gazetteer()
        return [
            Participant(g.divisions[code].name, sorted(g.divisions[p].name for p in self.taking_part[code]))
            for code in self.order
        ]


def _list_bounds(folded: str, places: list[PlaceMention], index: int) -> tuple[int, int]:
    """The first and last places of the list holding this one: names adjacent or joined by 、和与及
    (上海云南, 江西、湖南)."""

    def joined(a: PlaceMention, b: PlaceMention) -> bool:
        gap = folded[a.end : b.start]
        return len(gap) <= 1 and (not gap or gap in _LIST_JOINER)

    first = last = index
    while first > 0 and joined(places[first - 1], places[first]):
        first -= 1
    while last + 1 < len(places) and joined(places[last], places[last + 1]):
        last += 1
    return first, last


def chain(places: list[PlaceMention], index: int) -> tuple[int, int]:
    """甘肃省甘南州合作市: adjacent names read as one place; its span."""
    start = index
    while start > 0 and places[start - 1].end == places[start].start:
        start -= 1
    end = index
    while end + 1 < len(places) and places[end + 1].start == places[end].end:
        end += 1
    return places[start].start, places[end].end


def find_location(
    folded: str, places: list[PlaceMention], event: tuple[int, int], end: int | None = None
) -> Division | None:
    """Where it was held: `在X召开/举行` not in the past, else where the delegation went (`赴X`)."""
    places = [m for m in places if end is None or m.start < end]
    held: Division | None = None
    went: Division | None = None
    in_event = [i for i, m in enumerate(places) if event[0] <= m.start < event[1]]
    seen = set(in_event)
    order = in_event + [i for i in range(len(places)) if i not in seen]
    for index in order:
        mention = places[index]
        chain_start, chain_end = chain(places, index)
        if mention.end != chain_end:
            continue
        if _PAST.search(sentence_at(folded, mention.start)):
            continue
        before = folded[max(0, chain_start - 3) : chain_start]
        after = folded[chain_end : chain_end + 40]
        if held is None and _AT.search(before) and _HELD.match(after):
            held = mention.division
        if went is None and _TOWARDS.search(before) and event[0] <= mention.start < event[1] + 200:
            went = mention.division
    return held or went
