"""Officials named in a report, found from the way the genre writes them: post first, then the name.

Reports name an official as `<place><organ><post><name>` (甘南州委书记何谋保, 州委副书记、州长索南丹增)
or in a list after `<place>领导` (四川省领导曹立军、陈炜、普布顿珠). A general-purpose segmenter tags only
about 7 in 10 of them and splits four-character Tibetan names (才项当智), so the name is read from the
characters after the post up to the next verb or punctuation, and checked: a Han surname, a name made of
Tibetan syllables, or a transliterated name with a middle dot; and not an ordinary dictionary word.
Works on folded (Simplified) text; offsets are those of the original text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from store.extract.gazetteer import gazetteer
from store.text.segment import dictionary_entry


def _words(text: str) -> list[str]:
    """Word lists are written as one spaced string: easier to read and to extend."""
    return text.split()


_POST_CORES = _words(
    "党组书记 行政长官 副总理 总理 国务委员 副委员长 委员长 理事长 副会长 会长 校长 社长 "
    "副书记 书记 常务副省长 副省长 省长 常务副市长 副市长 市长 常务副州长 副州长 州长 "
    "常务副县长 副县长 县长 副区长 区长 副旗长 旗长 副盟长 盟长 副主席 主席 副主任 主任 "
    "副部长 部长 副厅长 厅长 副局长 局长 副秘书长 秘书长 二级巡视员 一级巡视员 巡视员 副总指挥 "
    "总指挥 指挥长 常委 党组成员 委员 领队 队长 组长 专员 调研员 董事长 总经理 院长 检察长 "
    "政委 司令员 副司长 司长 副署长 署长"
)
# 总书记 names the head of the party, who is quoted in the genre, not present: no post core ends it.
# The lookahead of first characters comes first so that the regex engine can skip to candidates: a pattern
# that opens with the lookbehind is tried at every position.
POST = re.compile(
    "(?=["
    + "".join(sorted({core[0] for core in _POST_CORES}))
    + "])(?<!总)(?:"
    + "|".join(sorted(_POST_CORES, key=len, reverse=True))
    + ")"
)

# What follows a name in the genre: a verb of the event, a conjunction, or punctuation.
_STOP_WORDS = _words(
    "率领 带领 出席 主持 陪同 参加 致辞 讲话 介绍 表示 指出 强调 说 在 和 与 及 以及 等 "
    "一行 代表 分别 对 向 为 同志 会见 看望 考察 调研 宣布 作 就 并 率 共同 见证 签署 "
    "讲 希望 感谢 指 主 要 一同 到 赴 前往 先后 还 也 同 会 来 将 听取 察看 走访 慰问 "
    "出 应 详细 认真 首先 充分 随后 深入 专程 亲切 汇报 通报 宣读 发言 部署 回顾 "
    "围绕 座谈 会面 专门 今年 刚刚 发来 主持 见证 代为 视频 以 今日 明日 昨日 今天 明天 昨天 日前"
)
_STOP = re.compile(
    r"[，,、。；;：:！!？?\s（）()“”\"《》—\d]|$|" + "|".join(sorted(_STOP_WORDS, key=len, reverse=True))
)
_CAPTION_VERBS = re.compile(r"(?:主持会议|主持|致辞|讲话|发言)")
_HAN = re.compile(r"[\u4e00-\u9fff]+")
_DOTTED = re.compile(r"[\u4e00-\u9fff]{1,6}·[\u4e00-\u9fff]{1,6}(?:·[\u4e00-\u9fff]{1,6})?")
_CLAUSE_BREAK = re.compile(r"[，,。；;：:！!？?\n（）()“”\"《》]")
_LEADING_FUNCTION = re.compile(r"^(?:由|经|和|及|与|并|同|会同|陪同|还有|以及|其中|以)+")

_SURNAMES = frozenset(
    "张王李赵刘陈杨肖黄周吴徐孙马朱胡郭何林高罗郑梁谢宋唐许邓冯韩曹曾彭萧蔡潘田董袁于余叶蒋杜苏魏程吕丁沈任姚卢"
    "傅钟姜崔谭廖范汪陆金石戴贾韦夏邱方侯邹熊孟秦白江阎薛尹段雷黎史龙陶贺顾毛郝龚邵万钱严赖覃洪武莫孔汤向常温"
    "康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成"
    "苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫"
    "费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝官封谈"
    "匡鞠惠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郜海阚花权强帅屠豆朴盖练廉禹井祖漆巴丰"
    "支卿国狄平计索宣晋相初门云容敬来扈晁芮都普阙浦戈伏鹿薄邸雍辜羊阿乌母裘亓修邰赫杭况那宿鲜印逯隆茹诸战慕"
    "危玉银亢嵇公哈湛宾戎勾茅利於呼居揭干但尉冶斯元束檀衣信展阴昝智幸奉植衡富尧闭由布代户"
)
_COMPOUND_SURNAMES = ("欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "令狐", "慕容", "夏侯")
# Syllables of Tibetan names as transcribed into Chinese (才项当智, 扎西才让, 索南丹增, 尕玛朋措).
_TIBETAN = frozenset(
    "才让扎西索南丹增次仁多杰吉卓玛格桑洛尼达娃普布顿珠旦正昂嘎泽登措白加华东万当知尕朋央金拉巴平群培曲宗拥江"
    "村永强贡觉益阿旺罗边久美德赤列斯朗土坚赞公保然本尖参热穷琼青庆欧更敦单晋堆果毛草项智秀完么周太仓先希"
    "洛绒降泽翁郎卡确康拥丁吾尔则热乃贝松代瓦姆娜帕雍赛孜嘉喜饶萨乌勒根曼尊希绕炯呷色俄涅真夺查木"
)
# Syllables of Mongolian names as transcribed (乌兰巴特尔, 布仁巴雅尔, 孟和朝鲁), read like the Tibetan.
_MONGOLIAN = frozenset(
    "乌兰巴特尔其木格布仁雅图孟和朝鲁苏德那顺宝音达赖额敦毕力吉日嘎拉斯琴包塔娜哈森呼都楞白阿古敖登托娅萨满胡必"
)
_TRANSCRIBED = _TIBETAN | _MONGOLIAN
_PREPOSITIONS = frozenset("向对为将同从在把与和就给")
# 向 is missing on purpose: a given name's character often (陈向东), and a stop word after a name anyway.
_NOT_NAME_CHARS = frozenset("的了是在与及等对为说并率就也还都从把被这那其各该此们上下内外年日时部门我")
# 月 is no bar: 林郑月娥. 我 is: 领导和我国社会主义 is no list of names.
_NAME_MIDDLE = frozenset("日在")
"""Barred at a name's end (李明日前往, 张在会上) but a given name's first character often enough."""


@dataclass(frozen=True)
class Official:
    """An official as the text names them: folded name and post, and where the name stands."""

    name: str
    post: str
    start: int
    end: int


_NOT_OFFICIAL_POST = re.compile(
    r"大学|学院|学校|研究院|研究所|研究中心|公司|集团|企业|银行|商会|记者|编辑|报社"
)
"""Scholars, business people and reporters hold posts too (南京大学原党委书记, 集团董事长): no officials."""


def find_officials(folded: str) -> list[Official]:
    """Every official named with a post or in a leaders' list, first mention first, each name once."""
    return first_mentions(official_mentions(folded))


def official_mentions(folded: str) -> list[Official]:
    """Every place an official is named with a post or in a list, in text order (a name may recur)."""
    named = (
        _after_posts(folded) + _leader_lists(folded) + _names_before_posts(folded) + _attendee_lists(folded)
    )
    return [o for o in sorted(named, key=lambda o: o.start) if not _NOT_OFFICIAL_POST.search(o.post)]


def first_mentions(mentions: list[Official]) -> list[Official]:
    """Each name once, where it is first named, with the first post the text gives it."""
    found: dict[str, Official] = {}
    for official in mentions:
        known = found.get(official.name)
        if known is None or (not known.post and official.post):
            found[official.name] = (
                official if known is None else Official(known.name, official.post, known.start, known.end)
            )
    return sorted(found.values(), key=lambda o: o.start)


def _after_posts(folded: str) -> list[Official]:
    officials: list[Official] = []
    previous_end = 0
    for match in POST.finditer(folded):
        if match.start() < previous_end:
            continue
        name = read_name(folded, match.end())
        if name is None:
            name = _caption_name(folded, match.end()) or _after_aside(folded, match.end())
        if name is None:
            continue
        start = match.end() if folded.startswith(name, match.end()) else folded.index(name, match.end())
        post = post_before(folded, match.end(), floor=previous_end)
        officials.append(Official(name, post, start, start + len(name)))
        previous_end = start + len(name)
        for listed in _listed_after(folded, previous_end, post):  # 副主任李乐民、蔡建国等
            officials.append(listed)
            previous_end = listed.end
    return officials


def _listed_after(folded: str, at: int, post: str) -> list[Official]:
    """More names after the first one under the same post, joined by 、 and closed by 等 or a verb."""
    listed: list[Official] = []
    while folded.startswith("、", at):
        name = read_name(folded, at + 1)
        if name is None or POST.match(folded, at + 1 + len(name)):
            break
        listed.append(Official(name, post, at + 1, at + 1 + len(name)))
        at += 1 + len(name)
    return listed


_MOTION = frozenset("来到赴去回在")
"""Surnames that are first verbs of motion: before a one-character place (省长来川出席) no name."""
_ROLE_VERB = re.compile(r"出席|主持|致辞|讲话|参加|陪同|会见|率领|带领|率")
_NAME_FIRST = re.compile(r"(?=[副主书省市])(?:副?主席|副?书记|副?省长|副?市长)(?=率|带领)")
_CLAUSE_START = "，。；\n"


def _names_before_posts(folded: str) -> list[Official]:
    """`王某副主席率委员会一行赴广州`: a clause that opens with the name, then the post, then 率."""
    officials = []
    for match in _NAME_FIRST.finditer(folded):
        for length in (2, 3):
            start = match.start() - length
            name = folded[start : match.start()]
            if start >= 0 and (start == 0 or folded[start - 1] in _CLAUSE_START) and is_plausible_name(name):
                officials.append(Official(name, match.group(), start, match.start()))
                break
    return officials


def _caption_name(folded: str, at: int) -> str | None:
    """Photo captions put the verb between post and name: 州长主持会议杨武并总结."""
    verb = _CAPTION_VERBS.match(folded, at)
    if not verb:
        return None
    return read_name(folded, verb.end(), stops=_CAPTION_END)


_ASIDE = re.compile(r"[（(][^（()）]{1,8}[）)]")


def _after_aside(folded: str, at: int) -> str | None:
    """副县长（挂职）赵云: a short aside in brackets between post and name."""
    aside = _ASIDE.match(folded, at)
    return read_name(folded, aside.end()) if aside else None


_CAPTION_END = re.compile(r"[，,、。；;：:！!？?\s]|$|并|在|致辞|讲话")


def read_name(folded: str, at: int, stops: re.Pattern[str] = _STOP) -> str | None:
    """The person's name starting at `at`: the shortest plausible name that a stop follows."""
    dotted = _DOTTED.match(folded, at)
    if dotted:
        for end in range(folded.index("·", at) + 3, dotted.end() + 1):
            if stops.match(folded, end):
                return folded[at:end]
    run = _HAN.match(folded, at)
    if not run:
        return None
    for length in range(2, min(6, len(run.group())) + 1):
        candidate = run.group()[:length]
        if stops.match(folded, at + length) and is_plausible_name(candidate):
            return candidate
    for length in (2, 3):  # 会长洪流出席: a surname and a word, then what an attending official does
        candidate = run.group()[:length]
        if (
            len(candidate) == length
            and candidate[0] in _SURNAMES
            and not _is_a_visit(candidate)
            and _ROLE_VERB.match(folded, at + length)
            and not any(ch in _NOT_NAME_CHARS for ch in candidate)
        ):
            return candidate
    return None


def _is_a_visit(word: str) -> bool:
    """来川, 赴京, 在港: a verb of motion and a one-character place, not a person."""
    return len(word) == 2 and word[0] in _MOTION and word[1] in gazetteer().abbreviations


def is_plausible_name(name: str) -> bool:
    """A Han name (surname + 1–2 characters), a Tibetan name, and never an ordinary word."""
    if "·" in name:
        return all(2 <= len(part) <= 6 for part in name.split("·"))
    inner = name[1:]
    if len(name) == 3 and name[1] in _NAME_MIDDLE:
        inner = name[2:]  # 王日新, 李在武: inside a three-character name these are a name's
    if any(ch in _NOT_NAME_CHARS for ch in inner) or name[0] in _NOT_NAME_CHARS - _SURNAMES:
        return False
    han = (name[:2] in _COMPOUND_SURNAMES and len(name) <= 4) or (name[0] in _SURNAMES and len(name) <= 3)
    if (
        len(name) == 4
        and name[0] in _SURNAMES
        and not (_is_common_word(name[1:]) or _is_common_word(name[2:]))
    ):
        han = True  # Yi and Mongolian names of four characters: 吉狄马加, 巴特尔其
    tibetan = 2 <= len(name) <= 6 and all(ch in _TRANSCRIBED for ch in name)
    if not (han or tibetan):
        return False
    if _is_a_visit(name):
        return False
    if name[0] in _PREPOSITIONS and _is_common_word(name[1:]):
        return False  # 县长向大家介绍: a preposition and a word, not 向 the surname
    return not _is_common_word(name)


@cache
def _is_common_word(word: str) -> bool:
    """A dictionary word that is not a person's name (单位, 地区) cannot be a name.

    A place name that no gazetteer knows (徐海, tagged ns) is no ordinary word: after a post, a name."""
    entry = dictionary_entry(word)
    if entry is None:
        return False
    freq, tag = entry
    if tag.startswith("ns") and word not in gazetteer().aliases:
        return False
    return not tag.startswith("nr") and freq >= 30


def post_before(folded: str, end: int, floor: int = 0) -> str:
    """The post as written: from the start of the clause (or the previous name) to `end`."""
    start = end
    while start > floor and not _CLAUSE_BREAK.match(folded[start - 1]) and end - start < 40:
        start -= 1
    post = folded[start:end].lstrip("、")
    if "由" in post:
        post = post[post.rindex("由") + 1 :]  # 会议由修水县委书记黄小平主持
    if not _opens_with_place(post):  # 和田地委书记 keeps its 和; 和市长 loses it
        post = _LEADING_FUNCTION.sub("", post)
    return post.strip()


def _opens_with_place(post: str) -> bool:
    aliases = gazetteer().aliases
    return any(post[:length] in aliases for length in (2, 3, 4))


_ATTENDEES = re.compile(
    r"(?:出席|参加|列席)(?:会议|活动|座谈会|仪式|开幕式|签约仪式)?的(?:领导|嘉宾)?(?:还)?有"
)


def _attendee_lists(folded: str) -> list[Official]:
    """`出席会议的领导有张某、李某`: the names listed after the heading, with no post of their own."""
    officials: list[Official] = []
    for heading in _ATTENDEES.finditer(folded):
        at = heading.end() + (1 if folded.startswith(("：", ":"), heading.end()) else 0)
        officials += _name_list(folded, at, "")
    return officials


def _name_list(folded: str, at: int, post: str) -> list[Official]:
    """Names joined by 、 from `at`, each under `post`."""
    officials: list[Official] = []
    while True:
        name = read_name(folded, at)
        if name is None:
            break
        officials.append(Official(name, post, at, at + len(name)))
        at += len(name)
        if not folded.startswith("、", at):
            break
        at += 1
    return officials


def _leader_lists(folded: str) -> list[Official]:
    """`甘南州领导郭子文、旦正昂杰`: every name in a list after a `…领导` heading."""
    officials: list[Official] = []
    for heading in re.finditer(r"领导(?=[\u4e00-\u9fff])", folded):
        if heading.start() == 0 or not _HAN.match(folded, heading.start() - 1):
            continue
        if folded[heading.start() - 1] in "的和与及等是":
            continue  # 党的领导和…: the word, not a heading
        officials += _name_list(folded, heading.end(), post_before(folded, heading.end()))
    return officials
