"""Where a report says it comes from: its outlet (来源：四川日报) and when it was published (发布时间…).

News pages print these on a line of their own, above or below the body (`类别:国内 发布时间:2024-05-18
05:26:00 来源:四川日报`); wire copy names the agency in its dateline (`新华社拉萨9月10日电`). A citation
wants both; they are read from the text on demand, never stored, so a better rule needs no re-import.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from store.text.script import fold

# Label, colon, value: the label forms seen on provincial news sites, in folded (Simplified) text.
_OUTLET = re.compile(r"(?:信息|文章|新闻)?(?:来源|稿源|出处)\s*[:：]\s*([^\s:：|｜,，。;；【\]]{2,24})")
_PUBLISHED = re.compile(
    r"(?:发布|发表|更新|发稿)?(?:时间|日期)\s*[:：]\s*"
    r"((?:19|20)\d\d)\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})"
)
_WIRE = re.compile(r"(新华社|中新社|中新网|人民网|央视网)[^\s，。]{0,8}?\d{1,2}月\d{1,2}日(?:电|讯)")
# What a 来源 value may run on into when the page puts the next field right after it.
_OUTLET_TAIL = re.compile(r"(?:记者|作者|编辑|责任编辑|发布|日期|时间|字号|浏览).*$")
# Reports are read this far for the source line: it sits at the top or bottom, not in the body.
_HEAD, _TAIL = 800, 600


@dataclass(frozen=True)
class Provenance:
    """The outlet and the publication date (YYYY-MM-DD) a report states; None where it states none."""

    outlet: str | None = None
    published: str | None = None


def provenance(text: str) -> Provenance:
    """The outlet and publication date stated near the top or bottom of a report's text.

    Matching runs on the folded text, so Traditional pages (來源, 發布時間)
    are read alike; the outlet is returned as the text writes it.
    """
    ends = text if len(text) <= _HEAD + _TAIL else text[:_HEAD] + "\n" + text[-_TAIL:]
    folded = fold(ends)
    return Provenance(_outlet(ends, folded), _published(folded))


def _outlet(text: str, folded: str) -> str | None:
    for match in _OUTLET.finditer(folded):
        start, end = match.span(1)
        tail = _OUTLET_TAIL.search(folded, start, end)
        end = tail.start() if tail else end
        if end - start >= 2:
            return text[start:end]
    wire = _WIRE.search(folded)
    return text[wire.start(1) : wire.end(1)] if wire else None


def _published(folded: str) -> str | None:
    match = _PUBLISHED.search(folded)
    if match is None:
        return None
    year, month, day = (int(part) for part in match.groups())
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"
