"""From decoded text to the clean text a reader wants: markup, site chrome and annotations removed,
spacing and punctuation normalised, and which script it is written in.

Sites add chrome, crawler notices and, on some, pinyin annotations after every character
(`團(tuán)結(jié)`). Cleaning is deterministic, and the raw decoded text is kept by the caller, so
cleaning never has to be right the first time to lose nothing.
"""

from __future__ import annotations

import re
from functools import cache
from html.parser import HTMLParser
from importlib import resources

from store.models import DocScript
from store.text.safe import ZERO_WIDTH, strip_controls
from store.text.script import conversion_counts, fold


def clean_text(raw: str) -> str:
    """The reading text: markup, chrome and annotations removed, spacing and punctuation normalised.

    Order matters: controls and newlines first (every later rule sees plain lines), pinyin before
    punctuation (an annotation sits between two Han characters), chrome before collapsing repeats.
    """
    text = html_to_text(raw) if looks_like_html(raw) else raw
    text = _normalise_characters(text)
    text = strip_pinyin_annotations(text)
    text = "\n".join(_normalise_spaces(line) for line in text.split("\n"))
    lines = strip_chrome(text.split("\n"), fold(text).split("\n"))
    lines = collapse_repeated_lines(lines)
    return "\n".join(fullwidth_punctuation(line) for line in lines if line)


_ZERO_WIDTH = dict.fromkeys(map(ord, ZERO_WIDTH))


def _normalise_characters(text: str) -> str:
    """Newlines to \\n, zero-width marks out, tabs and odd spaces to spaces, other controls out."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").translate(_ZERO_WIDTH)
    text = re.sub(r"[\t\f\v\u00a0\u2000-\u200a\u202f\u205f]", " ", text)
    return strip_controls(text)


def _normalise_spaces(line: str) -> str:
    """Runs of spaces to one; no space at either end (ideographic indentation included)."""
    return re.sub(r" {2,}", " ", line).strip(" \u3000")


# Pinyin annotations: a toned syllable in ASCII parentheses right after a Han character.
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
_ANNOTATION = re.compile(rf"(?<=[\u3400-\u9fff\uf900-\ufaff])\(([a-zü{_TONED}]{{1,6}})\)")
_TONE_BASE = str.maketrans(_TONED + "ü", "aaaaeeeeiiiioooouuuu" + "vvvv" + "v")


@cache
def _syllables() -> frozenset[str]:
    data = resources.files("store.data").joinpath("pinyin_syllables.txt").read_text(encoding="utf-8")
    return frozenset(" ".join(line for line in data.splitlines() if not line.startswith("#")).split())


def is_pinyin_annotation(syllable: str, *, toneless_allowed: bool) -> bool:
    """A real pinyin syllable; one without a tone mark only where the text is known to be annotated.

    Without the tone-mark rule `第一条(a)` or `小程序(app)` would lose their parentheses.
    """
    if syllable.translate(_TONE_BASE) not in _syllables():
        return False
    return toneless_allowed or any(ch in _TONED for ch in syllable)


def strip_pinyin_annotations(text: str) -> str:
    """`團(tuán)結(jié)` → `團結`, while `九縣(區(qū))` → `九縣(區)` and `州(市)` stays."""
    toned = sum(1 for m in _ANNOTATION.finditer(text) if any(ch in _TONED for ch in m.group(1)))
    annotated = toned >= 3  # a site that annotates does it throughout; then neutral tones count too

    def replace(match: re.Match[str]) -> str:
        keep = not is_pinyin_annotation(match.group(1), toneless_allowed=annotated)
        return match.group(0) if keep else ""

    while True:  # `團(tuán)(tuán)` needs two passes: the second annotation follows a `)`
        stripped = _ANNOTATION.sub(replace, text)
        if stripped == text:
            return text
        text = stripped


# Site chrome, matched on the t2s-folded line so one pattern covers both scripts.
_CHROME_LINE = re.compile(
    r"^(?:[•·▪►‧・●◆■□◇○◦∙⋅]\s*\S{1,12}"  # navigation bullets: • 我的订阅
    r"|(?:主办单位|承办单位|协办单位|网站标识码|技术支持|版权所有|备案号|联系我们|网站地图)[:：]?.*"
    r"|.*(?:ICP备|公网安备)\S*.*"
    r"|(?:扫码关注|扫一扫|长按识别|分享到|打印本页|关闭窗口|返回顶部|【?字号[:：]).*"
    r"|(?:上一篇|下一篇)[:：].*"
    r"|(?:Copyright|©).*)$",
    re.IGNORECASE,
)
# A crawler's notice: it and everything after it (unrelated headlines) is not the report.
_CRAWLER_TAIL = re.compile(
    r"^(?:以上内容为.{0,12}快照|快照生成时间|更多关于.{0,10}的资讯|相关(?:新闻|阅读|推荐)[:：]?$)"
)
_CATEGORY = re.compile(r"^类别[:：]\s*\S+\s*")
_TRAILING_BAR = re.compile(r"(?:\s*[|｜])+$")


def strip_chrome(lines: list[str], folded_lines: list[str]) -> list[str]:
    """Drop navigation, footers and crawler notices; keep a dateline's publish time and source.

    `folded_lines` are the same lines through t2s (one call for the whole text: same lengths and
    line breaks), so each pattern is written once, in Simplified.
    """
    kept: list[str] = []
    for whole, whole_folded in zip(lines, folded_lines, strict=True):
        # a trailing separator (`• 我的订阅 |`) is dropped before the line is judged, not after: judged
        # with it, a line that is chrome without it was kept, and cleaning again removed it
        line, folded = _TRAILING_BAR.sub("", whole), _TRAILING_BAR.sub("", whole_folded)
        if _CRAWLER_TAIL.match(folded):
            break
        if _CHROME_LINE.match(folded):
            continue
        category = _CATEGORY.match(folded)
        if category and ("发布时间" in folded or "来源" in folded):
            line = line[category.end() :]  # 类别:国内 发布时间:… 来源:… keeps its date and source
        elif category:
            continue
        kept.append(line)
    return kept


def collapse_repeated_lines(lines: list[str]) -> list[str]:
    """A caption repeated under each photo (`…交流发言` ×5) is kept once; blank lines between count not."""
    kept: list[str] = []
    last = None
    for line in lines:
        if not line:
            continue
        if line != last:
            kept.append(line)
        last = line
    return kept


_CJK = r"\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef“”‘’"
_ASCII_PUNCT = re.compile(rf"(?<=[{_CJK}])([,;:?!]+)(?![/\d])")
_FULLWIDTH = str.maketrans(",;:?!", "，；：？！")


def fullwidth_punctuation(line: str) -> str:
    """ASCII , ; : ? ! after a Han character become full width (same length, so offsets hold)."""
    return _ASCII_PUNCT.sub(lambda m: m.group(1).translate(_FULLWIDTH), line)


# -- HTML ------------------------------------------------------------------------------------------


def looks_like_html(raw: str) -> bool:
    head = raw.lstrip()[:512].lower()
    return head.startswith(("<!doctype html", "<html")) or ("<body" in head and "</" in raw)


class _TextExtractor(HTMLParser):
    """Visible text of an HTML page, one block element a line; scripts, styles and nav dropped."""

    _SKIP = frozenset({"script", "style", "nav", "header", "footer", "noscript", "template", "head"})
    _BLOCK = frozenset({"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "title", "section"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._SKIP:
            self._skipping += 1
        elif tag in self._BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP:
            self._skipping = max(0, self._skipping - 1)
        elif tag in self._BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data.replace("\n", " "))


def html_to_text(raw: str) -> str:
    """The page's text with its character references decoded once, by the parser (`convert_charrefs`):
    decoding again turned a page's `&amp;lt;script&amp;gt;` into `<script>`."""
    parser = _TextExtractor()
    parser.feed(raw)
    parser.close()
    return "".join(parser.parts)


# -- script detection ------------------------------------------------------------------------------

_MIXED_SHARE = 0.1


def detect_script(text: str) -> DocScript:
    """Simplified, Traditional or mixed, by how many characters t2s and s2t would change.

    A document with a tenth or more of its distinguishing characters in the minority script is
    mixed; a stray traditional name in a simplified report is not.
    """
    if not _HAN.search(text):
        return "none"
    traditional, simplified = conversion_counts(text)
    total = traditional + simplified
    if total == 0:
        return "simplified"
    if min(traditional, simplified) / total >= _MIXED_SHARE:
        return "mixed"
    return "traditional" if traditional > simplified else "simplified"


# -- terminal safety -------------------------------------------------------------------------------

# A string sequence's payload is printable ASCII (ECMA-48's command string) and ends, within the line,
# at BEL or ST. One left unterminated ends where its parameters end (a DCS's, like a CSI's, run to a


_HAN = re.compile("[\u3400-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
