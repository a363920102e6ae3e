"""The page's own date line (`发布时间：2024-05-18 10:02`, `来源：… 2024年5月18日`) and datelines: where a
report's year comes from when the text does not state it. Crawl dates and addresses never count."""

from __future__ import annotations

import re
from dataclasses import dataclass

from store.extract.date_mentions import DateMention, stated_dates

_DATELINE_LABEL = re.compile(
    r"(?:发布|发表|更新时间|时间[:：]|日期[:：]|来源|编辑[:：]|责编|作者[:：]|浏览|点击|记者[:：])"
)


@dataclass(frozen=True)
class PageDate:
    """The page's own date line (`发布时间：2024-05-18 05:26`, `23.11.2019 21:12`): the publish date."""

    year: int
    month: int
    day: int
    line: str
    start: int
    end: int


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


def is_dateline(folded: str, mention: DateMention) -> bool:
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
