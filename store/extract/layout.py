"""Where a report's parts are: its headline, lead and event sentence, once page furniture and spam lines
are set aside; the sentence around a position."""

from __future__ import annotations

import re
from dataclasses import dataclass

from store.text.script import fold

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
_COLUMN_TAG = re.compile(r"【[^】]{1,6}】")
_CAPTION = re.compile(r"^(?:图为|图[:：]|[（(]图|摄影|图片|视频)")
_BULLET = re.compile(r"^[•·●○■□◆◇▪►▶\-*]\s*")
# Where the article ends and the page's furniture begins: related headlines, copyright, share buttons.
_ARTICLE_END = re.compile(
    r"^\s*(?:相关新闻|相关阅读|相关链接|相关报道|推荐阅读|延伸阅读|热点推荐|更多关于|更多|上一篇|下一篇|责任编辑|责编"
    r"|编辑[:：]|版权所有|主办单位|承办单位|本站|本网站|网站标识码|快照|信息原文|扫一扫|扫码|分享到|打印本页|关闭窗口)",
    re.MULTILINE,
)
_SENTENCE_END = re.compile(r"[。！？!?\n]")


@dataclass
class Layout:
    """Where the headline block and the lead paragraph are in the folded text."""

    headline: tuple[int, int] | None
    lead: tuple[int, int]
    end: int = 0
    """Where the article's body ends; names after it (related headlines, footers) are only mentioned."""


def read_layout(folded: str) -> Layout:
    """Headline lines come first and are short, without a full stop; the lead is the first paragraph."""
    layout = _head_and_lead(folded)
    tail = _ARTICLE_END.search(folded, layout.lead[1])
    layout.end = tail.start() if tail else len(folded)
    return layout


def _head_and_lead(folded: str) -> Layout:
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
        return Layout((headline_start, headline_end) if headline_start is not None else None, (start, offset))
    whole = (0, len(folded))
    return Layout(None, whole)


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


def lead_window(folded: str, layout: Layout) -> tuple[int, int]:
    """The lead and the paragraph after it, where a report says when (`今日(12日)` under a photo caption)."""
    start, end = layout.lead
    following = folded.find("\n", end + 1) if end < len(folded) else -1
    return start, following if following >= 0 else len(folded)


def within(at: int, span: tuple[int, int] | None) -> bool:
    return span is not None and span[0] <= at < span[1]


def event_sentence(folded: str, layout: Layout, date_text: str | None) -> tuple[int, int]:
    """The sentence that carries the meeting's date (else the lead's first sentence)."""
    lead_start = layout.lead[0]
    at = lead_start
    if date_text:
        found = folded.find(fold(date_text), lead_start)
        at = found if found >= 0 else lead_start
    start = max(folded.rfind("。", 0, at) + 1, folded.rfind("\n", 0, at) + 1)
    end_match = _SENTENCE_END.search(folded, at)
    return start, end_match.end() if end_match else len(folded)


def sentence_span(folded: str, at: int) -> tuple[int, int]:
    start = max(folded.rfind("。", 0, at), folded.rfind("\n", 0, at)) + 1
    end_match = _SENTENCE_END.search(folded, at)
    return start, end_match.start() if end_match else len(folded)


def sentence_at(folded: str, at: int) -> str:
    start, end = sentence_span(folded, at)
    return folded[start:end]


# -- kind, location, title ---------------------------------------------------------------------------
