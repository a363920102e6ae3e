"""One meeting made of its reports: the clearest headline, the date range they give, the place and kind
most of them name, the union of provinces (with which report names each) and of officials (one per
name folded to Simplified, so 趙一德 and 赵一德 are one person)."""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from store.meetings.model import Meeting, alone, meeting_id
from store.models import Document, MeetingDate, Person
from store.text.script import fold

_EVENT_WORD = re.compile(r"会议|座谈|论坛|联席会|召开|举行|举办|签署|签约|考察|调研|会见|会谈|交流|代表团")
_NOT_A_HEADLINE = re.compile(r"^\s*(?:\d|[一二三四五六七八九十]+月)|[|｜]|^[^，。]{0,12}[：:]|[，。；]")
"""A lead sentence (`5月5日，市长…`), a column tag (`媒体聚焦|新华社：…`): what extraction falls back
to when a page has no headline; a headline has neither a date first nor a comma inside."""


def combined(docs: list[Document]) -> Meeting:
    """The meeting the given reports describe; the reports in the order they were published."""
    if len(docs) == 1:
        return alone(docs[0])
    ordered = sorted(docs, key=published_order)
    date, end = date_range(ordered)
    provinces, sources = provinces_of(ordered)
    return Meeting(
        id=meeting_id([d.id for d in ordered]),
        title=clearest_title(ordered),
        date=date,
        end=end,
        location=most_named([d.meta.location for d in ordered]),
        kind=most_named([d.meta.kind for d in ordered]),
        provinces=provinces,
        people=people_of(ordered),
        reports=[d.id for d in ordered],
        sources=sources,
    )


def published_order(doc: Document) -> tuple[tuple[int, int, int], str, str]:
    """Earliest first, by the date each report gives (its page's when the text states none), then
    when it was imported."""
    date = doc.meta.date
    return (date.sort_key() if date else (9999, 99, 99), doc.imported_at, doc.id)


def clearest_title(docs: list[Document]) -> str:
    """A real headline naming the event, short rather than long, the one most reports carry, written
    in Simplified before Traditional (the store's folded form); else the first report's title."""
    carried = Counter(fold(d.title.strip()) for d in docs)

    def score(doc: Document) -> tuple[bool, bool, bool, int, bool, int]:
        title = doc.title.strip()
        return (
            bool(_NOT_A_HEADLINE.search(title)),
            not _EVENT_WORD.search(fold(title)),
            len(title) > 40 or len(title) < 6,
            -carried[fold(title)],
            fold(title) != title,
            len(title),
        )

    return min(docs, key=score).title


def date_range(docs: list[Document]) -> tuple[MeetingDate | None, MeetingDate | None]:
    """The most complete date the reports give (stated in the text before read from a page), earliest
    of those; the end is the last day any report gives when later than that."""
    from store.meetings.reports import report_of  # the range parsing lives with the grouping

    dated = [d for d in docs if d.meta.date is not None]
    if not dated:
        return None, None

    def completeness(doc: Document) -> tuple[int, bool, tuple[int, int, int]]:
        date = doc.meta.date
        assert date is not None
        parts = sum(part is not None for part in (date.year, date.month, date.day))
        return (-parts, date.source != "text", date.sort_key())

    best = min(dated, key=completeness).meta.date
    assert best is not None
    start = report_of(min(dated, key=completeness)).start
    ends = [r.end for r in map(report_of, dated) if r.end is not None]
    last = max(ends, default=None)
    if start is None or last is None or last <= start:
        return best, None
    month, day = (last - 1) // 31, (last - 1) % 31 + 1
    return best, MeetingDate(year=best.year, month=month, day=day, text=f"{month}月{day}日", source="text")


def most_named(values: list[str]) -> str:
    counts = Counter(v for v in values if v)
    return counts.most_common(1)[0][0] if counts else ""


def provinces_of(docs: list[Document]) -> tuple[list[str], dict[str, list[str]]]:
    """The union, most often named first; and for each province the reports that name it."""
    sources: dict[str, list[str]] = {}
    for doc in docs:
        for province in doc.meta.provinces:
            sources.setdefault(province, []).append(doc.id)
    order = sorted(sources, key=lambda p: -len(sources[p]))  # stable: first named first among equals
    return order, {p: sources[p] for p in order}


def people_of(docs: list[Document]) -> list[Person]:
    """One person per folded name, named in Simplified; the first post a report gives them."""
    found: dict[str, Person] = {}
    for doc in docs:
        for person in doc.meta.people:
            name = folded_name(person.name)
            known = found.get(name)
            if known is None or (not known.post and person.post):
                found[name] = Person(name=name, post=known.post if known and known.post else person.post)
    return list(found.values())


@lru_cache(maxsize=1 << 16)
def folded_name(name: str) -> str:
    """A name folded once: the same officials are named in thousands of reports."""
    return fold(name)


def regrouped(groups: list[list[str]]) -> dict[str, list[str]]:
    """Groups of report ids by their meeting id."""
    return {meeting_id(members): sorted(members) for members in groups}
