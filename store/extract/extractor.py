"""What a report is about: title, date, place, kind of event, provinces taking part, officials.

`extract(text)` takes a document's cleaned text in any script, folds it to Simplified once (t2s keeps
positions, so every span found applies to the original) and reads it the way the genre is written: a
headline block, a lead paragraph whose event sentence carries the date, then speeches and a closing list
of officials. A province *takes part* when the report gives it a role — it is in the headline, it sends
the delegation, hosts or receives it, or one of its officials attends; a province that is only named (a
past meeting elsewhere, a tourist loop, a model to learn from, a footer) is *mentioned*.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from store.extract.dates import find_meeting_date
from store.extract.gazetteer import Division, gazetteer, name_forms
from store.extract.people import Official, first_mentions, official_mentions
from store.extract.places import (
    COMPACTS,
    AbbreviationRun,
    PlaceMention,
    find_abbreviation_lists,
    find_place_words,
    find_places,
    find_regions,
    find_runs,
    find_strategies,
    teach_names,
    teach_segmenter,
)
from store.models import Extraction, Participant, Person
from store.text.script import fold

KINDS = (
    ("联席会议", re.compile(r"联席会")),
    ("座谈会", re.compile(r"座谈")),
    ("推进会", re.compile(r"推进会")),
    ("交流会", re.compile(r"交流会|交流大会")),
    ("对接会", re.compile(r"对接会")),
    ("洽谈会", re.compile(r"洽谈会")),
    ("签约", re.compile(r"签约|签署[^。]{0,20}协议")),
    ("论坛", re.compile(r"论坛")),
    ("会谈", re.compile(r"会谈")),
    ("交流", re.compile(r"交流活动|参访|[赴来][^，。；]{0,8}交流")),
    ("会见", re.compile(r"会见")),
    ("考察", re.compile(r"考察")),
    ("调研", re.compile(r"调研")),
    ("慰问", re.compile(r"慰问")),
)
"""Kinds of event, most specific first: a 座谈会 held during a 考察 is a 座谈会, unless the headline
says 考察."""

_JUNK_LINE = re.compile(
    r"(?:首页|当前位置|您的位置|>|＞|›|»|【|】|字体|字号|打印|关闭|分享到|返回|责任编辑|来源[:：]|发布时间"
    r"|作者[:：]|记者[:：]|编辑[:：]|浏览次数|阅读量|点击数|位置[:：]|分享[:：]|[|｜/].*[|｜/])"
)
# A site's name on a line of its own (中国西藏网, 甘南州人民政府门户网站, 四川日报).
_SITE_NAME = re.compile(
    r"^[\u4e00-\u9fff]{2,14}(?:网|网站|新闻网|在线|日报|晚报|频道|门户网站|客户端|融媒|发布)$"
)
# Page furniture that real pages leave in: buttons, app banners, a site's "…正文" trail, skip links.
_CHROME_WORDS = re.compile(
    r"跳至主要内容|跳转到|查看原文|阅读原文|关注我们|APP下载|客户端|无障碍|正文$|English|繁體|手机版", re.I
)
# Spam a hijacked page carries above the report: its own words, or three of the words it leans on
# (成人 or 精品 alone are a report's words too: 成人教育, 精品线路).
_SPAM = re.compile(r"百家乐|博彩|赌场|乱伦|永久入口|在线观看|开云|kaiyun", re.I)
_SPAM_WORDS = re.compile(r"成人|精品|彩票|棋牌|娱乐平台|体育平台|免费视频|AV", re.I)
_HANZI = re.compile(r"[\u4e00-\u9fff]")
_ORIGINAL_TITLE = re.compile(r"^(?:(?:原标题|原標題)\s*[:：]\s*|【[^】]{1,6}】\s*)")
_COLUMN_TAG = re.compile(r"【[^】]{1,6}】")
_CAPTION = re.compile(r"^(?:图为|图[:：]|[（(]图|摄影|图片|视频)")
_BULLET = re.compile(r"^[•·●○■□◆◇▪►▶\-*]\s*")
# Where the article ends and the page's furniture begins: related headlines, copyright, share buttons.
_ARTICLE_END = re.compile(
    r"^\s*(?:相关新闻|相关阅读|相关链接|相关报道|推荐阅读|延伸阅读|热点推荐|更多关于|更多|上一篇|下一篇|责任编辑|责编"
    r"|编辑[:：]|版权所有|主办单位|承办单位|本站|本网站|网站标识码|快照|信息原文|扫一扫|扫码|分享到|打印本页|关闭窗口)",
    re.MULTILINE,
)
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
_SENTENCE_END = re.compile(r"[。！？!?\n]")
# A sentence that closes on attendance (…有关负责同志参加会议): every place it lists took part.
_ATTENDED = re.compile(
    r"(?:参加|出席|列席|一同考察|陪同)(?:了)?(?:会议|活动|座谈会?|考察|有关活动|相关活动)?$"
)


_VARIANTS = str.maketrans("陜", "陕")
"""Variant characters that t2s leaves as they are (half-converted pages write 陜西)."""
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
# Words that make a report one about an event (a meeting, a visit, an agreement) rather than a feature.
_EVENT_WORD = re.compile(
    r"会议|会谈|会见|座谈|考察|调研|签署|签约|签订|协议|代表团|考察团|论坛|峰会|对接|洽谈|举行|召开|举办"
    r"|出席|访问|慰问|交流会|联席|研讨|协作|合作"
)
_STRATEGY_AFTER = re.compile(r"(?:地区|区域)?(?:一体化|协同发展|高质量)")
"""融入长三角一体化发展工作座谈会 is one city's meeting about the strategy, not the compact's."""
_MEETING_NAME = re.compile(r"[^，。；：\n]{0,30}?(?:会议|座谈会|联席会|论坛|峰会|大会|洽谈会|交流会)")


@dataclass
class _Layout:
    """Where the headline block and the lead paragraph are in the folded text."""

    headline: tuple[int, int] | None
    lead: tuple[int, int]
    end: int = 0
    """Where the article's body ends; names after it (related headlines, footers) are only mentioned."""


@dataclass
class _Names:
    """Every name found in a report, each span claimed once: people, regions, runs, then places."""

    regions: list[AbbreviationRun]
    runs: list[AbbreviationRun]
    places: list[PlaceMention]
    words: list[AbbreviationRun]
    """One-character place words: 来闽, 赴滇, 在甬."""


def extract(text: str) -> Extraction:
    """Everything the tree, the list and the reader show about one report."""
    teach_segmenter()
    folded = fold(text).translate(_VARIANTS)
    layout = _layout(folded)
    mentions = [
        o for o in official_mentions(folded) if not _in(o.start, layout.headline) and o.start < layout.end
    ]
    officials = first_mentions(mentions)
    teach_names([o.name for o in officials])
    names = _find_names(folded, officials)
    date = find_meeting_date(folded, text, _lead_window(folded, layout))
    event = _event_sentence(folded, layout, date.text if date else None)
    roles = _Roles(folded, layout, event)
    roles.add_places(names.places)
    roles.add_runs(names.runs)
    roles.add_regions(names.regions)
    roles.add_runs(names.words)
    roles.add_officials(mentions, names.places)
    roles.add_deixis(names.places)
    roles.add_sar()
    if date is None and not _names_an_event(folded, layout):
        roles.none_took_part()
    kind = find_kind(folded, layout)
    location = find_location(folded, names.places, event, layout.end)
    participating = roles.participating()
    return Extraction(
        title=_title(text, folded, layout, names.places, kind, location),
        date=date,
        location=location.name if location else "",
        kind=kind,
        provinces=[p.name for p in participating],
        mentioned_provinces=[p.name for p in roles.named() if p not in participating],
        places=_place_names(names.places),
        people=[Person(o.name, o.post) for o in officials],
        participants=roles.participants(),
    )


def _find_names(folded: str, officials: list[Official]) -> _Names:
    """People first (杨海林 is no 海林市), then regions, abbreviation runs (甘青川滇藏 holds no 青川县),
    then gazetteer names, then two-character partnerships outside names (辽宁 is not 辽+宁)."""
    blocked = _block_names(folded, officials)
    strategies = find_strategies(folded)
    for strategy in strategies:
        _block(blocked, strategy.start, strategy.end)
    regions = [r for r in find_regions(folded) if not any(blocked[r.start : r.end])] + strategies
    runs = find_runs(folded, blocked, min_length=3, partnership_only=False)
    runs += find_abbreviation_lists(folded, blocked)
    runs += [
        r for r in find_runs(folded, blocked, min_length=2, partnership_only=True) if _county_look_alike(r)
    ]
    for span in regions + runs:
        _block(blocked, span.start, span.end)
    places = find_places(folded, blocked)
    for mention in places:
        _block(blocked, mention.start, mention.end)
    runs += find_runs(folded, blocked, min_length=2, partnership_only=True)
    for run in runs:
        _block(blocked, run.start, run.end)
    return _Names(regions, runs, places, find_place_words(folded, blocked))


def _names_an_event(folded: str, layout: _Layout) -> bool:
    """A report with no date at all whose headline and lead name no meeting, visit or agreement is a
    feature or an article (a province's story, a research paper): no province takes part in it."""
    spans = [layout.lead] + ([layout.headline] if layout.headline else [])
    return any(_EVENT_WORD.search(folded, start, end) for start, end in spans)


def _block(blocked: list[bool], start: int, end: int) -> None:
    blocked[start:end] = [True] * (end - start)


def _county_look_alike(run: AbbreviationRun) -> bool:
    """陇川携手, 青川合作: two province abbreviations before a partnership word, though also a county's name.

    A province's or prefecture's name (辽宁, 贵港) stays a name.
    """
    g = gazetteer()
    if len(run.text) != 2 or not all(ch in g.abbreviations for ch in run.text):
        return False
    aliases = g.aliases.get(run.text, [])
    return all(a.division.level == "county" for a in aliases)


# -- layout ------------------------------------------------------------------------------------------


def _layout(folded: str) -> _Layout:
    """Headline lines come first and are short, without a full stop; the lead is the first paragraph."""
    layout = _head_and_lead(folded)
    tail = _ARTICLE_END.search(folded, layout.lead[1])
    layout.end = tail.start() if tail else len(folded)
    return layout


def _head_and_lead(folded: str) -> _Layout:
    offset = 0
    headline_start: int | None = None
    headline_end = 0
    for line in folded.splitlines(keepends=True):
        body = line.strip()
        start, offset = offset, offset + len(line)
        if not body or _is_junk(body):
            continue
        if len(body) <= 80 and "。" not in body:
            if headline_start is None:
                headline_start = start
            headline_end = start + len(line.rstrip())
            continue
        return _Layout(
            (headline_start, headline_end) if headline_start is not None else None, (start, offset)
        )
    whole = (0, len(folded))
    return _Layout(None, whole)


def _is_junk(line: str) -> bool:
    """Navigation trails, bylines and publish-time lines are not headlines.

    A long line of sentences is the article whatever brackets open it (【大公报讯】记者…报道：…)."""
    if len(line) > 60 and "。" in line and not _ARTICLE_END.match(line):
        return False
    tag = _COLUMN_TAG.match(line)
    if tag and len(_HANZI.findall(line, tag.end())) >= 10 and not _JUNK_LINE.search(line, tag.end()):
        return False  # 【要闻】… : a column's tag before the headline
    if _JUNK_LINE.search(line) or _BULLET.match(line) or _ARTICLE_END.match(line) or _SITE_NAME.match(line):
        return True
    if _CAPTION.match(line) and len(line) < 40:
        return True
    spam = _SPAM.search(line) or len(_SPAM_WORDS.findall(line)) >= 3
    if _CHROME_WORDS.search(line) or spam or len(_HANZI.findall(line)) < 3:
        return True
    return sum(ch.isdigit() for ch in line) > len(line) / 3


def _lead_window(folded: str, layout: _Layout) -> tuple[int, int]:
    """The lead and the paragraph after it, where a report says when (`今日(12日)` under a photo caption)."""
    start, end = layout.lead
    following = folded.find("\n", end + 1) if end < len(folded) else -1
    return start, following if following >= 0 else len(folded)


def _in(at: int, span: tuple[int, int] | None) -> bool:
    return span is not None and span[0] <= at < span[1]


def _event_sentence(folded: str, layout: _Layout, date_text: str | None) -> tuple[int, int]:
    """The sentence that carries the meeting's date (else the lead's first sentence)."""
    lead_start = layout.lead[0]
    at = lead_start
    if date_text:
        found = folded.find(fold(date_text), lead_start)
        at = found if found >= 0 else lead_start
    start = max(folded.rfind("。", 0, at) + 1, folded.rfind("\n", 0, at) + 1)
    end_match = _SENTENCE_END.search(folded, at)
    return start, end_match.end() if end_match else len(folded)


def _block_names(folded: str, officials: list[Official]) -> list[bool]:
    """Every occurrence of an official's name is a person, never a place (杨海林, 罗东川, 李新平)."""
    blocked = [False] * len(folded)
    for official in officials:
        for match in re.finditer(re.escape(official.name), folded):
            _block(blocked, match.start(), match.end())
    return blocked


# -- roles -------------------------------------------------------------------------------------------


class _Roles:
    """Evidence that each province took part, and the prefecture-level units that did."""

    def __init__(self, folded: str, layout: _Layout, event: tuple[int, int]) -> None:
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
        chain_start, chain_end = _chain(places, index)
        before = self.folded[max(0, chain_start - 3) : chain_start]
        after = self.folded[chain_end : chain_end + 40]
        if _in(mention.start, self.layout.headline):
            return not _MODEL.match(after)
        if mention.start >= self.layout.end:
            return False
        sentence = _sentence(self.folded, mention.start)
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
        if _in(mention.start, self.event):
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
            in_front = _in(run.start, self.layout.headline) or _in(run.start, self.layout.lead)
            if _REGION_AFTER.match(self.folded, run.end) or self._in_a_body_name(run):
                continue  # 京津冀协同发展, 粤港澳大湾区: a strategy or a region, named in passing
            counted = run.start < self.layout.end and _COUNT.match(self.folded, run.end)
            if (in_front or counted) and not _PAST.search(_sentence(self.folded, run.start)):
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
            in_front = _in(run.start, self.layout.headline) or _in(run.start, self.layout.lead)
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
        beside = [_sentence_span(self.folded, m.start()) for m in deixis]
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
            or _ATTENDED.search(_sentence(self.folded, match.start()).rstrip())
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


def _chain(places: list[PlaceMention], index: int) -> tuple[int, int]:
    """甘肃省甘南州合作市: adjacent names read as one place; its span."""
    start = index
    while start > 0 and places[start - 1].end == places[start].start:
        start -= 1
    end = index
    while end + 1 < len(places) and places[end + 1].start == places[end].end:
        end += 1
    return places[start].start, places[end].end


def _sentence_span(folded: str, at: int) -> tuple[int, int]:
    start = max(folded.rfind("。", 0, at), folded.rfind("\n", 0, at)) + 1
    end_match = _SENTENCE_END.search(folded, at)
    return start, end_match.start() if end_match else len(folded)


def _sentence(folded: str, at: int) -> str:
    start, end = _sentence_span(folded, at)
    return folded[start:end]


# -- kind, location, title ---------------------------------------------------------------------------


def find_kind(folded: str, layout: _Layout) -> str:
    """The kind of event: the first the headline names; else the most specific in the lead, or anywhere."""
    if layout.headline:
        headline = folded[layout.headline[0] : layout.headline[1]]
        found = [(m.start(), kind) for kind, pattern in KINDS if (m := pattern.search(headline))]
        if found:
            return min(found)[1]
    for span in (layout.lead, (0, len(folded))):
        part = folded[span[0] : span[1]]
        for kind, pattern in KINDS:
            if pattern.search(part):
                return kind
    return ""


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
        chain_start, chain_end = _chain(places, index)
        if mention.end != chain_end:
            continue
        if _PAST.search(_sentence(folded, mention.start)):
            continue
        before = folded[max(0, chain_start - 3) : chain_start]
        after = folded[chain_end : chain_end + 40]
        if held is None and _AT.search(before) and _HELD.match(after):
            held = mention.division
        if went is None and _TOWARDS.search(before) and event[0] <= mention.start < event[1] + 200:
            went = mention.division
    return held or went


def _title(
    text: str, folded: str, layout: _Layout, places: list[PlaceMention], kind: str, location: Division | None
) -> str:
    """The headline's first line; with no headline, a label from the lead: who went where for what."""
    if layout.headline:
        start, end = layout.headline
        first_line = _ORIGINAL_TITLE.sub("", text[start:end].splitlines()[0].strip())
        return re.sub(r"\s+", " ", first_line)
    return _label(text, folded, layout, places, kind, location)


def _label(
    text: str, folded: str, layout: _Layout, places: list[PlaceMention], kind: str, location: Division | None
) -> str:
    lead_start, lead_end = layout.lead
    delegation = re.search(r"([\u4e00-\u9fff]{2,12}?(?:党政)?代表团)", folded[lead_start:lead_end])
    who = ""
    if delegation:
        found = delegation.group(1)
        for mention in places:
            if lead_start + delegation.start() <= mention.start < lead_start + delegation.end():
                found = folded[mention.start : lead_start + delegation.end()]
                break
        who = found
    where = _short_name(location) if location else ""
    what = ("召开" + kind) if kind.endswith("会") or kind == "联席会议" else kind
    if who and where:
        return in_script_of(text, f"{who}赴{where}{what}")
    sentence = text[lead_start:lead_end].split("。")[0]
    return sentence[:40]


def in_script_of(text: str, label: str, sample: int = 600) -> str:
    """A label built in Simplified, shown in Traditional when the report is written in Traditional.

    The first few hundred characters decide; counting characters that each conversion changes.
    """
    from store.text.script import to_traditional

    head = text[:sample]
    traditional = sum(a != b for a, b in zip(head, fold(head), strict=True))
    simplified = sum(a != b for a, b in zip(head, to_traditional(head), strict=True))
    return to_traditional(label) if traditional > simplified else label


def _short_name(division: Division) -> str:
    """甘南藏族自治州 → 甘南州 for labels; other names as they are."""
    for text, form in name_forms(division):
        if form == "short":
            return text
    return division.name


def _place_names(places: list[PlaceMention]) -> list[str]:
    """Every unit named, full standard names, in order of first mention."""
    names: list[str] = []
    for mention in places:
        assert mention.division is not None
        if mention.division.name not in names:
            names.append(mention.division.name)
    return names
