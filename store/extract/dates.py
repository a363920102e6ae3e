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

DATE = re.compile(
    r"(?=\d)(?:(?P<year>(?:19|20)\d{2})\s*年\s*)?(?P<month>1[0-2]|0?[1-9])\s*月\s*(?P<day>3[01]|[12]\d|0?[1-9])\s*[日号]"
    r"(?:\s*(?:至|到|—|－|-|~|～)\s*(?:(?:1[0-2]|0?[1-9])\s*月\s*)?(?:3[01]|[12]\d|0?[1-9])\s*[日号])?"
)
"""The lookahead adds nothing to what matches; it lets `re` skip to a digit instead of trying the optional
year at every character (all matches of a 3,000-character text: about 160 → 35-60 µs)."""
NUMERIC_DATE = re.compile(
    r"(?P<year>(?:19|20)\d{2})\s*[-/.年]\s*(?P<month>1[0-2]|0?[1-9])\s*[-/.月]\s*(?P<day>3[01]|[12]\d|0?[1-9])"
)
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


_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
_FULLWIDTH_DIGIT = re.compile("[０-９]")


def find_meeting_date(folded: str, original: str) -> MeetingDate | None:
    """The date of the meeting: the first stated day that is neither a dateline nor another event's.

    A news-agency dateline (`新华社拉萨10月12日电`) gives the month for a bare day after it (`11日在拉萨
    举行`), as the genre writes it.
    """
    if _FULLWIDTH_DIGIT.search(folded):  # rare; translating every text cost 0.2 ms
        folded = folded.translate(_FULLWIDTH_DIGITS)  # one character for one: positions hold
    dateline_year_month = dateline(folded)
    wire: DateMention | None = None
    stated = stated_dates(folded)
    # A bare day (11日) counts only after a wire dateline (拉萨10月12日电): look for them only then.
    wired = any(folded.startswith(("电", "讯"), m.end) for m in stated)
    candidates = sorted(stated + (bare_days(folded) if wired else []), key=lambda m: m.start)
    for mention in candidates:
        if mention.month == 0:
            if wire is None or mention.start < wire.end:
                continue
            mention = DateMention(mention.start, mention.end, wire.year, wire.month, mention.day)
        elif folded.startswith(("电", "讯"), mention.end):
            wire = mention
            continue
        if _is_dateline(folded, mention) or _is_other_event(folded, mention):
            continue
        year = mention.year or _year_naming_the_meeting(folded, mention.end)
        if year is None and dateline_year_month:
            published_year, published_month = dateline_year_month
            # A December meeting reported in January belongs to the year before.
            year = published_year if mention.month <= published_month else published_year - 1
        return MeetingDate(year, mention.month, mention.day, original[mention.start : mention.end])
    return None


_MEETING_YEAR = re.compile(r"[，,\s]{1,2}(?P<year>(?:19|20)\d{2})年(?![\d度初底]|\s*\d)")


def _year_naming_the_meeting(folded: str, end: int) -> int | None:
    """`12月5日，2023年粤桂东西部协作联席会议在南宁召开`: the year opens the meeting's name."""
    match = _MEETING_YEAR.match(folded, end)
    return int(match.group("year")) if match else None


_BARE_DAY = re.compile(r"(?=\d)(?<![\d月年日])(?P<day>3[01]|[12]\d|[1-9])\s*日(?![电讯])")


_CN_BARE_DAY = re.compile(
    rf"(?=[{_CN_UNIT}十廿卅])(?<![{_CN_NUMERAL_BEFORE}月年初每期连近约逾同某这那头前后])"
    rf"(?P<day>{_CN_DAY})\s*日(?![电讯游内里间之])"
)
"""`十一日在拉萨举行` after `新华社拉萨十月十二日电`; not `第十二日`, `为期三日`, `三日游`, `同一日`."""


def bare_days(folded: str) -> list[DateMention]:
    """`11日` or `十一日` with no month: month 0 here, to be taken from a wire dateline before it."""
    days = [DateMention(m.start(), m.end(), None, 0, int(m.group("day"))) for m in _BARE_DAY.finditer(folded)]
    for m in _CN_BARE_DAY.finditer(folded):
        day = chinese_number(m.group("day"))
        if day <= 31:
            days.append(DateMention(m.start(), m.end(), None, 0, day))
    return days


def stated_dates(folded: str) -> list[DateMention]:
    """Every `M月D日` in either numeral system, in text order, so the first one stated comes first."""
    arabic = [
        DateMention(
            m.start(),
            m.end(),
            int(m.group("year")) if m.group("year") else None,
            int(m.group("month")),
            int(m.group("day")),
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


def dateline(folded: str) -> tuple[int, int] | None:
    """(year, month) of the publish time or dateline, from a labelled line or a bare date-time line."""
    for line in folded.splitlines()[:8] + folded.splitlines()[-3:]:
        numeric = NUMERIC_DATE.search(line)
        if numeric and (_DATELINE_LABEL.search(line) or len(line.strip()) <= 40 or _bracketed(line, numeric)):
            return int(numeric.group("year")), int(numeric.group("month"))
        stated = next(iter(stated_dates(line)), None)
        labelled = _DATELINE_LABEL.search(line[: stated.start] if stated else "") or (
            len(line.strip()) <= 40 and _DATELINE_LABEL.search(line)
        )
        # A short line takes a Chinese-numeral date with a year (a notice's closing `二〇二四年八月十二日`)
        # as NUMERIC_DATE above takes an Arabic one; an Arabic date never gets here on a short line.
        if stated and stated.year and (labelled or len(line.strip()) <= 40):
            return stated.year, stated.month
    return None


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
    return len(line.strip()) <= 40 and bool(_DATELINE_LABEL.search(line))


def _is_other_event(folded: str, mention: DateMention) -> bool:
    before = folded[max(0, mention.start - 12) : mention.start]
    return bool(_EARLIER.search(before) or _NOT_EVENT.match(folded, mention.end))
