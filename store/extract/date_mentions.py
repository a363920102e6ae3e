"""Every way a report writes a day: `M月D日` and its ranges, Chinese numerals (`十月十二日`, `廿一日`),
bare days (`12日`) and relative ones (`昨天`, `今日(12日)`), found as positioned mentions for `dates`."""

from __future__ import annotations

import re
from dataclasses import dataclass

_RANGE_MARK = r"(?:至|到|—|－|-|~|～)"
DATE = re.compile(
    r"(?=\d)(?:(?P<year>(?:19|20)\d{2})\s*年\s*)?(?P<month>1[0-2]|0?[1-9])\s*月\s*(?P<day>3[01]|[12]\d|0?[1-9])"
    rf"(?:\s*[日号]|(?=\s*{_RANGE_MARK}\s*(?:\d{{1,2}}\s*月\s*)?\d{{1,2}}\s*[日号]))"
    rf"(?:\s*{_RANGE_MARK}\s*(?:(?:1[0-2]|0?[1-9])\s*月\s*)?(?P<last>3[01]|[12]\d|0?[1-9])\s*[日号])?"
)
"""The lookahead adds nothing to what matches; it lets `re` skip to a digit instead of trying the optional
year at every character (docs/performance.md). The first day's
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


DATE_IN_BRACKETS = re.compile(rf"[（(](?:\d{{1,2}}|[{_CN_UNIT}十]{{1,3}})月")


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


VAGUE = -99
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
    "日前": VAGUE,
    "近日": VAGUE,
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
