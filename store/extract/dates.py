"""The meeting's date as the report states it, and its year only where the text gives one.

Reports state the day as `M月D日` (often a range, `9月13日至14日`) and seldom the year; the year comes
from the date itself (`2023年6月8日`) or from a dateline or publish time (`发布时间:2024-05-18`). The
first `M月D日` in a text is often the wrong one: a dateline, an earlier event (`继5月26日…签署协议后`),
a rule's start (`7月1日起施行`). Those are skipped; a year is never guessed.

Some reports write the date in Chinese numerals (`十月十二日至十三日`, `二〇二四年八月八日`, `廿一日`). Those
are read into the same mentions as the Arabic ones and merged by position, so the first qualifying date
wins whichever way it is written and the same skipping rules apply to both.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from store.models import MeetingDate

_RANGE_MARK = r"(?:至|到|—|－|-|~|～)"
DATE = re.compile(
    r"(?=\d)(?:(?P<year>(?:19|20)\d{2})\s*年\s*)?(?P<month>1[0-2]|0?[1-9])\s*月\s*(?P<day>3[01]|[12]\d|0?[1-9])"
    rf"(?:\s*[日号]|(?=\s*{_RANGE_MARK}\s*(?:\d{{1,2}}\s*月\s*)?\d{{1,2}}\s*[日号]))"
    rf"(?:\s*{_RANGE_MARK}\s*(?:(?:1[0-2]|0?[1-9])\s*月\s*)?(?P<last>3[01]|[12]\d|0?[1-9])\s*[日号])?"
)
"""The lookahead adds nothing to what matches; it lets `re` skip to a digit instead of trying the optional
year at every character (all matches of a 3,000-character text: about 160 → 35-60 µs). The first day's
日 may be left out before a range (`5月29至30日`)."""
_CN_UNIT = "一二三四五六七八九"
_CN_YEAR_DIGIT = f"〇○零OＯ0{_CN_UNIT}"
"""Year digits, read one by one; editors type `O` or `0` for `〇` often enough to accept them."""
_CN_MONTH = f"十[一二]?|[{_CN_UNIT}]"
_CN_DAY = f"[二三]?十[{_CN_UNIT}]?|廿[{_CN_UNIT}]?|卅一?|[{_CN_UNIT}]"
_CN_NUMERAL_BEFORE = f"{_CN_YEAR_DIGIT}十百千万廿卅两几数第"
"""A month or a bare day never continues a longer number (`二十一月`) or an ordinal (`第十二日`)."""
CHINESE_DATE = re.compile(
    rf"(?=[{_CN_UNIT}十12])(?:(?P<year>(?:一九|二[〇○零OＯ0])[{_CN_YEAR_DIGIT}]{{2}}|(?:19|20)\d{{2}})\s*年\s*)?"
    rf"(?<![{_CN_NUMERAL_BEFORE}])(?P<month>{_CN_MONTH})\s*月\s*(?P<day>{_CN_DAY})\s*[日号]"
    rf"(?:\s*(?:至|到|—|－|-|~|～)\s*(?:(?:{_CN_MONTH})\s*月\s*)?(?:{_CN_DAY})\s*[日号])?"
)
"""`十月十二日至十三日`, `二〇二四年八月八日`: DATE in Chinese numerals, with the same lookahead. A month
needs its day: `八月的甘南` is no date, and `五一`, `七一讲话`, `十一五规划`, `三日游` have no month."""
_CHINESE_MONTH = re.compile(f"[{_CN_UNIT}十]月")
"""Cheap test before CHINESE_DATE runs: most reports have no Chinese-numeral month at all."""
_DATELINE_LABEL = re.compile(
    r"(?:发布|发表|更新时间|时间[:：]|日期[:：]|来源|编辑[:：]|责编|作者[:：]|浏览|点击|记者[:：])"
)
# Before a date: an earlier event, not this meeting.
_EARLIER = re.compile(
    r"(?:继|去年|上年|前年|此前|曾于|曾经|已于|早在|自从|自|截至|截止|上个?月|前期)[^，。；,;]{0,4}$"
)
# After a date: a start, a period or a deadline, not an event.
_NOT_EVENT = re.compile(
    r"\s*(?:起(?!草)|以来|前(?![往来夕])|之前|后(?!续)|之后|以前|为止|开始施行|施行|实施|生效|截止"
    r"|(?:举办|召开|举行|开幕|闭幕|结束|发布|印发|出台)的)"
)
"""`8月16日至20日举办的南博会上…`: a date that qualifies another event (…的) does not date the report's."""


@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    year: int | None
    month: int
    day: int
    last: int | None = None
    """The last day of a range (`10日至12日`), else None."""
    shift: int | None = None
    """For a relative day (昨天 -1, 今天 0, 前天 -2): the days from the reference date; else None."""


@dataclass(frozen=True)
class PageDate:
    """The page's own date line (`发布时间：2024-05-18 05:26`, `23.11.2019 21:12`): the publish date."""

    year: int
    month: int
    day: int
    line: str
    start: int
    end: int


_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
_FULLWIDTH_DIGIT = re.compile("[０-９]")


def find_meeting_date(folded: str, original: str, lead: tuple[int, int] | None = None) -> MeetingDate | None:
    """The date of the meeting: the first stated day that is neither a dateline nor another event's.

    A part the text leaves out is taken only from the report's own reference dates: a news-agency
    dateline (`新华社拉萨10月12日电`) gives the month of a bare day after it (`11日在拉萨举行`), the page's
    date line the year (and, for a bare day in the lead, the month); a relative day (`昨天`, `今日`) in the
    lead is counted from the dateline or the date line. Where none is given the part stays empty.
    """
    if _FULLWIDTH_DIGIT.search(folded):  # rare; translating every text cost 0.2 ms
        folded = folded.translate(_FULLWIDTH_DIGITS)  # one character for one: positions hold
    page = page_date(folded)
    lead = lead or _first_paragraph(folded)
    stated = stated_dates(folded)
    wire: DateMention | None = None
    covered = {i for m in stated for i in range(m.start, m.end)}
    wired = next((m.end for m in stated if folded.startswith(("电", "讯"), m.end)), None)
    # A bare day counts in the lead, or after a wire dateline: look for them only there.
    found = bare_days(folded, lead[0], lead[1]) + (bare_days(folded, max(wired, lead[1])) if wired else [])
    bare = [m for m in found if m.start not in covered]  # not the 17日 of 5月16日至17日
    candidates = sorted(
        stated + bare + relative_days(folded, lead), key=lambda m: m.start
    )  # relative: lead only
    for index, mention in enumerate(candidates):
        if page and page.start <= mention.start < page.end:
            continue
        if mention.month and folded.startswith(("电", "讯"), mention.end):
            wire = mention
            continue
        if mention.shift is None and (_is_dateline(folded, mention) or _is_other_event(folded, mention)):
            continue
        if mention.month == 0 and not (_in(mention.start, lead) or (wire and mention.start > wire.end)):
            continue  # a bare day counts in the lead, or after a wire dateline
        if mention.shift is not None and _DATE_IN_BRACKETS.match(folded, mention.end):
            continue  # 今日(十一月三日): the date in brackets is the candidate after this one
        if mention.shift == _VAGUE:
            return None  # 日前, 近日: some day before, which no reference can resolve
        mention = _main_day(folded, mention, candidates[index + 1 :])
        return _resolved(folded, original, mention, wire, page)
    return None


def _in(at: int, span: tuple[int, int]) -> bool:
    return span[0] <= at < span[1]


def _first_paragraph(folded: str) -> tuple[int, int]:
    """Without a layout: the first line that reads as prose (a full stop or a comma in it)."""
    offset = 0
    for line in folded.splitlines(keepends=True):
        if "。" in line or "，" in line:
            return offset, offset + len(line)
        offset += len(line)
    return 0, len(folded)


def _resolved(
    folded: str, original: str, mention: DateMention, wire: DateMention | None, page: PageDate | None
) -> MeetingDate | None:
    """The mention with the parts the text leaves out taken from the wire dateline or the page date."""
    text = original[mention.start : mention.end]
    if mention.shift is not None:
        return _relative(folded, mention, wire, page, text)
    year, month, source = mention.year, mention.month or None, "text"
    basis = ""
    if not month and wire and mention.start > wire.end:
        year, month, source = wire.year, wire.month, "dateline"
        basis = _wire_text(folded, wire)
        if mention.day > wire.day:  # a day after the dateline's is last month's
            month = 12 if month == 1 else month - 1
    elif not month and page:
        month, source, basis = page.month, "page", page.line
        if mention.day > page.day:
            month = 12 if page.month == 1 else page.month - 1
    if year is None and month:
        year = _year_naming_the_meeting(folded, mention)
    if year is None and month and page:
        # A December meeting reported in January belongs to the year before; a meeting announced for a
        # month or two ahead (将于…召开) to the page's year.
        year = page.year if month <= page.month + 2 else page.year - 1
        source, basis = ("page", page.line) if source == "text" else (source, basis)
    return MeetingDate(year, month, mention.day, text, source, basis[:60])


def _wire_text(folded: str, wire: DateMention) -> str:
    """`新华社拉萨10月12日电`: the dateline as written, from the start of its line or clause."""
    start = max(folded.rfind("\n", 0, wire.start), folded.rfind("。", 0, wire.start)) + 1
    return folded[max(start, wire.start - 20) : wire.end + 1].strip()


def _relative(
    folded: str, mention: DateMention, wire: DateMention | None, page: PageDate | None, text: str
) -> MeetingDate | None:
    """昨天 against the dateline (`…3月22日电`) or the page's date line; `今日(12日)` keeps its own day."""
    import datetime

    assert mention.shift is not None
    reference = (wire.year, wire.month, wire.day) if wire else None
    basis = _wire_text(folded, wire) if wire else ""
    if reference is None and page:
        reference, basis = (page.year, page.month, page.day), page.line[:60]
    if reference is None:
        return MeetingDate(None, None, mention.day, text, "text") if mention.day else None
    year, month, day = reference
    if year is None and page:
        year = page.year
    if mention.day:  # the text gives the day itself: only month and year are inferred
        month_of_day = month if mention.day <= day else (12 if month == 1 else month - 1)
        year_of_day = year if year is None or month_of_day <= month else year - 1
        return MeetingDate(year_of_day, month_of_day, mention.day, text, "relative", basis)
    when = datetime.date(year or 2000, month, day) + datetime.timedelta(days=mention.shift)
    known_year = when.year if year is not None else None
    return MeetingDate(known_year, when.month, when.day, text, "relative", basis)


_MEETING_WORD = re.compile(r"座谈|会谈|会见|联席会|召开|举行|签署|签约|签订|领导")
_ARRIVAL = re.compile(r"抵达|到达|飞抵|抵")


def _main_day(folded: str, first: DateMention, later: list[DateMention]) -> DateMention:
    """A delegation's arrival is not its meeting: `18日晚抵达。19日下午举行座谈会` is the 19th. (A visit
    stated as a range, `5月16日至17日`, keeps its first day.)"""
    clause_end = _SENTENCE_OR_LINE.search(folded, first.end)
    sentence = folded[first.end : clause_end.start() if clause_end else len(folded)]
    if _ARRIVAL.search(sentence) and not _MEETING_WORD.search(sentence):
        span = (first.day + 1, first.day + 3)
    else:
        return first
    paragraph_end = folded.find("\n", first.end)
    paragraph_end = len(folded) if paragraph_end < 0 else paragraph_end
    for mention in later:
        if mention.start >= paragraph_end:
            break
        if mention.month == 0 and mention.shift is None and span[0] <= mention.day <= span[1]:
            return DateMention(
                mention.start, mention.end, first.year, first.month, mention.day, None, first.shift
            )
    return first


_SENTENCE_OR_LINE = re.compile(r"[。！？!?\n]")
_DATE_IN_BRACKETS = re.compile(rf"[（(](?:\d{{1,2}}|[{_CN_UNIT}十]{{1,3}})月")


def _year_naming_the_meeting(folded: str, mention: DateMention) -> int | None:
    """`12月5日，2023年粤桂东西部协作联席会议在南宁召开`, `9月24日，以…为主题的2021年泛珠三角区域合作
    行政首长联席会议在成都召开`: a year that opens the name of the meeting held in the date's sentence."""
    match = _MEETING_YEAR.match(folded, mention.end)
    if match:
        return int(match.group("year"))
    start = max(folded.rfind("。", 0, mention.start), folded.rfind("\n", 0, mention.start)) + 1
    end_match = _SENTENCE_OR_LINE.search(folded, mention.end)
    sentence = folded[start : end_match.start() if end_match else len(folded)]
    named = _NAMED_MEETING.search(sentence)
    if named and not _inside_title(sentence, named.start()):
        return int(named.group("year"))
    return None


_MEETING_YEAR = re.compile(r"[，,\s]{1,2}(?P<year>(?:19|20)\d{2})年(?![\d度初底]|\s*\d)")
_NAMED_MEETING = re.compile(
    r"(?<![\d—\-~～至到(（])(?P<year>(?:19|20)\d{2})\s*年(?:度)?(?![\d初底末以前后上下内起至—\-~～)）]|\s*\d)"
    r"[^，。；《》]{2,40}?(?:会议|座谈会|联席会|论坛|峰会|大会|洽谈会|交流会|博览会|春茗|活动)"
    r"[^，。；]{0,20}?(?:召开|举行|举办|开幕)"
)
"""A year, then the meeting's name, then 召开/举行 in the same clause; not a plan's years (2021—2023年)
nor a year inside a document's title."""


def _inside_title(sentence: str, at: int) -> bool:
    return sentence.count("《", 0, at) > sentence.count("》", 0, at)


_BARE_DAY = re.compile(
    r"(?=\d)(?<![\d月年日./\-:：第])(?P<day>3[01]|[12]\d|[1-9])\s*日?"
    rf"(?:\s*{_RANGE_MARK}\s*(?P<last>3[01]|[12]\d|[1-9])\s*)?日(?![电讯])"
)
"""`11日`, `18日-19日`, `10至12日`: a day with no month (not a page's `2024/05/18`, not `第3日`)."""


_CN_BARE_DAY = re.compile(
    rf"(?=[{_CN_UNIT}十廿卅])(?<![{_CN_NUMERAL_BEFORE}月年初每期连近约逾同某这那头前后])"
    rf"(?P<day>{_CN_DAY})\s*日(?![电讯游内里间之])"
)
"""`十一日在拉萨举行` after `新华社拉萨十月十二日电`; not `第十二日`, `为期三日`, `三日游`, `同一日`."""


def bare_days(folded: str, start: int = 0, end: int | None = None) -> list[DateMention]:
    """`11日` or `十一日` with no month: month 0 here, to be taken from a dateline or the page's date."""
    days = []
    end = len(folded) if end is None else end
    for m in _BARE_DAY.finditer(folded, start, end):
        last = int(m.group("last")) if m.group("last") else None
        days.append(DateMention(m.start(), m.end(), None, 0, int(m.group("day")), last))
    for m in _CN_BARE_DAY.finditer(folded, start, end):
        day = chinese_number(m.group("day"))
        if day <= 31:
            days.append(DateMention(m.start(), m.end(), None, 0, day))
    return days


_VAGUE = -99
_RELATIVE = re.compile(
    rf"(?<![\d{_CN_YEAR_DIGIT}十廿卅])(?P<word>前天|前日|昨天|昨日|昨晚|今天|今日|今晚|当天|当日|明天|明日|日前|近日)"
    r"(?:[（(](?P<day>3[01]|[12]\d|0?[1-9])日[）)])?(?![报头])"
)
_SHIFTS = {
    "前天": -2,
    "前日": -2,
    "昨天": -1,
    "昨日": -1,
    "昨晚": -1,
    "明天": 1,
    "明日": 1,
    "日前": _VAGUE,
    "近日": _VAGUE,
}
"""Days from the reference date (今天, 今日, 当天 … are 0); 日前 and 近日 say only 'some days ago'."""


def relative_days(folded: str, lead: tuple[int, int]) -> list[DateMention]:
    """昨天, 今日(12日), 日前 in the lead: days counted from the dateline or the page's date line."""
    return [
        DateMention(
            m.start(),
            m.end(),
            None,
            0,
            int(m.group("day")) if m.group("day") else 0,
            None,
            _SHIFTS.get(m.group("word"), 0),
        )
        for m in _RELATIVE.finditer(folded, lead[0], lead[1])
    ]


def stated_dates(folded: str) -> list[DateMention]:
    """Every `M月D日` in either numeral system, in text order, so the first one stated comes first."""
    arabic = [
        DateMention(
            m.start(),
            m.end(),
            int(m.group("year")) if m.group("year") else None,
            int(m.group("month")),
            int(m.group("day")),
            int(m.group("last")) if m.group("last") else None,
        )
        for m in DATE.finditer(folded)
    ]
    chinese = chinese_dates(folded)
    return sorted(arabic + chinese, key=lambda m: m.start) if chinese else arabic


def chinese_dates(folded: str) -> list[DateMention]:
    """`十月十二日`, `二〇二四年八月八日`: a day past 31 (`三十九日`) is no date and is dropped."""
    if not _CHINESE_MONTH.search(folded):
        return []
    mentions = []
    for m in CHINESE_DATE.finditer(folded):
        day = chinese_number(m.group("day"))
        if day <= 31:
            year = chinese_number(m.group("year")) if m.group("year") else None
            mentions.append(DateMention(m.start(), m.end(), year, chinese_number(m.group("month")), day))
    return mentions


_CN_DIGITS = str.maketrans("〇○零OＯ一二三四五六七八九", "00000123456789")


def chinese_number(numeral: str) -> int:
    """`十二` → 12, `二十一` and `廿一` → 21, `卅` → 30; a year is read digit by digit (`二〇二四` → 2024).

    Only the shapes the date patterns admit come here: digits, or at most one 十 with a digit either side.
    """
    if numeral[0] in "廿卅":  # 廿 is 二十 and 卅 三十, written as one character
        numeral = ("二十" if numeral[0] == "廿" else "三十") + numeral[1:]
    tens, ten, units = numeral.partition("十")
    if not ten:
        return int(numeral.translate(_CN_DIGITS))
    return int(tens.translate(_CN_DIGITS) or 1) * 10 + int(units.translate(_CN_DIGITS) or 0)


PAGE_DATE = re.compile(
    r"(?<![\d/_.A-Za-z])(?:(?P<year>(?:19|20)\d{2})\s*[-/.年\s]\s*(?P<month>1[0-2]|0?[1-9])\s*[-/.月]\s*"
    r"(?P<day>3[01]|[12]\d|0?[1-9])(?![\d/])"
    r"|(?P<day2>3[01]|[12]\d|0?[1-9])\.(?P<month2>1[0-2]|0?[1-9])\.(?P<year2>(?:19|20)\d{2}))(?![\d/.])"
)
"""Every shape sites give a page's date: 2024-05-18, 2024/05/18, 2024.05.18, 2024年05月18日,
`2021 08/ 30`, and day first (23.11.2019). Never inside a web address or an image path."""
_ADDRESS = re.compile(r"https?:|www\.|\.(?:jpe?g|png|gif|s?html?|php|aspx?)\b|/\d{4}/", re.IGNORECASE)
_TIME_OR_CHROME = re.compile(
    r"\d{1,2}\s*[:：时]\s*\d{1,2}(?:\s*[:：分]\s*\d{1,2}\s*秒?)?|星期[一二三四五六日天]|周[一二三四五六日]"
    r"|第?\s*\d{1,2}\s*版|[\s•·|｜()（）\[\]【】《》,，:：/\-]"
)


_DIGIT_OR_YEAR = re.compile(r"\d|年")
_CLOCK = re.compile(r"\d{1,2}\s*[:：时]\s*\d{2}")


def page_date(folded: str) -> PageDate | None:
    """The page's date line near the top (or the foot) of the page: a labelled publish time first
    (`发布日期:2019-06-20` beats a crawl date above it), else a short line that is a date and little more
    (a time, a weekday, the paper's name: `光明日报 2021年05月28日 星期五`, `23.11.2019 21:12`), one with
    a time of day first: a site's date box shows the day it was crawled, a publish line the hour."""
    lines = folded.splitlines(keepends=True)
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line))
    picks = list(range(min(12, len(lines)))) + list(range(max(12, len(lines) - 3), len(lines)))
    bare: PageDate | None = None
    timed: PageDate | None = None  # a publish time (hh:mm) beats a site's date box (2025年05月10日 星期六)
    for number in picks:
        line = lines[number]
        if len(line) > 120 or not _DIGIT_OR_YEAR.search(line) or _ADDRESS.search(line):
            continue
        for match in PAGE_DATE.finditer(line):
            found = _page_date_of(match, line, offsets[number])
            if _DATELINE_LABEL.search(line[: match.start()][-16:]) or _bracketed(line, match):
                return found
            if _little_more(line, match):
                bare = bare or found
                if timed is None and _CLOCK.search(line, match.end()):
                    timed = found
        stated = next((m for m in stated_dates(line) if m.year), None) if "年" in line else None
        if stated and (_DATELINE_LABEL.search(line[: stated.start]) or _little_more(line, stated)):
            assert stated.year is not None
            span = offsets[number] + stated.start, offsets[number] + stated.end
            found = PageDate(stated.year, stated.month, stated.day, line.strip(), *span)
            if _DATELINE_LABEL.search(line[: stated.start]):
                return found
            bare = bare or found
    return timed or bare


def _page_date_of(match: re.Match[str], line: str, offset: int) -> PageDate:
    day_first = match.group("year2") is not None
    year = int(match.group("year2") if day_first else match.group("year"))
    month = int(match.group("month2") if day_first else match.group("month"))
    day = int(match.group("day2") if day_first else match.group("day"))
    return PageDate(year, month, day, line.strip(), offset + match.start(), offset + match.end())


def _little_more(line: str, match: re.Match[str] | DateMention) -> bool:
    """A date line, not a sentence: what is left beside the date is a time, a weekday, a short name."""
    start, end = (match.start, match.end) if isinstance(match, DateMention) else match.span()
    rest = _TIME_OR_CHROME.sub("", line[:start] + line[end:])
    return "。" not in line and len(rest) <= 12


def _bracketed(line: str, match: re.Match[str]) -> bool:
    """`（四川日报 2024-03-22）` opening a paragraph: a source and date in brackets."""
    opening = max(line.rfind("（", 0, match.start()), line.rfind("(", 0, match.start()))
    closing = min(
        (i for i in (line.find("）", match.end()), line.find(")", match.end())) if i >= 0), default=-1
    )
    return opening >= 0 and match.start() - opening <= 20 and 0 <= closing - match.end() <= 12


def _line_of(folded: str, at: int) -> str:
    start = folded.rfind("\n", 0, at) + 1
    end = folded.find("\n", at)
    return folded[start : end if end >= 0 else len(folded)]


_DATE_ONLY_REST = re.compile(
    r"^[\s（）()\[\]【】|｜,，:：\d\-/.]*(?:星期[一二三四五六日天]|周[一二三四五六日])?[\s（）()\d:：]*$"
)


def _is_dateline(folded: str, mention: DateMention) -> bool:
    """A publish-time line: a label before the date, a short labelled line, or a date alone on a line."""
    line_start = folded.rfind("\n", 0, mention.start) + 1
    if _DATELINE_LABEL.search(folded[line_start : mention.start]):
        return True
    line = _line_of(folded, mention.start)
    rest = line.replace(folded[mention.start : mention.end], "", 1)
    if _DATE_ONLY_REST.match(rest):
        return True
    at = mention.start - line_start
    if mention.year and _little_more(line, DateMention(at, at + mention.end - mention.start, None, 0, 0)):
        return True  # 光明日报 2021年05月28日 星期五: a page's date line, whichever one was taken
    return len(line.strip()) <= 40 and bool(_DATELINE_LABEL.search(line))


def _is_other_event(folded: str, mention: DateMention) -> bool:
    before = folded[max(0, mention.start - 12) : mention.start]
    return bool(_EARLIER.search(before) or _NOT_EVENT.match(folded, mention.end))
