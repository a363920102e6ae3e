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

import datetime
import re

from store.extract.date_mentions import (
    DATE_IN_BRACKETS,
    VAGUE,
    DateMention,
    bare_days,
    relative_days,
    stated_dates,
)
from store.extract.page_dates import PageDate, is_dateline, page_date
from store.models import MeetingDate

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


_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
_FULLWIDTH_DIGIT = re.compile("[０-９]")


def find_meeting_date(folded: str, original: str, lead: tuple[int, int] | None = None) -> MeetingDate | None:
    """The date of the meeting: the first stated day that is neither a dateline nor another event's.

    A part the text leaves out is taken only from the report's own reference dates: a news-agency
    dateline (`新华社拉萨10月12日电`) gives the month of a bare day after it (`11日在拉萨举行`), the page's
    date line the year (and, for a bare day in the lead, the month); a relative day (`昨天`, `今日`) in the
    lead is counted from the dateline or the date line. Where none is given the part stays empty.
    """
    if _FULLWIDTH_DIGIT.search(folded):  # rare: translate only the texts that have them
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
        if mention.shift is None and (is_dateline(folded, mention) or _is_other_event(folded, mention)):
            continue
        if mention.month == 0 and not (_in(mention.start, lead) or (wire and mention.start > wire.end)):
            continue  # a bare day counts in the lead, or after a wire dateline
        if mention.shift is not None and DATE_IN_BRACKETS.match(folded, mention.end):
            continue  # 今日(十一月三日): the date in brackets is the candidate after this one
        if mention.shift == VAGUE:
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


def _is_other_event(folded: str, mention: DateMention) -> bool:
    before = folded[max(0, mention.start - 12) : mention.start]
    return bool(_EARLIER.search(before) or _NOT_EVENT.match(folded, mention.end))
