"""From bytes on disk to the clean text a reader wants: decoding, cleaning, script detection.

Reports come from crawlers and news sites in whatever encoding the site used, with site chrome,
crawler notices and, on some sites, pinyin annotations after every character (`團(tuán)結(jié)`).
Everything here is deterministic: the same bytes always give the same text, so content ids are stable.
The raw decoded text is kept by the caller; cleaning never has to be right the first time to lose
nothing.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass
from functools import cache
from html.parser import HTMLParser
from importlib import resources
from pathlib import Path

from store.models import DocScript
from store.text.script import converter, fold, sanitize

SOURCE_SUFFIXES = frozenset({".txt", ".text", ".html", ".htm"})
MAX_FILE_BYTES = 8 * 1024 * 1024  # a long report is ~50 KB; 8 MB is far beyond any real one
_MEGABYTE = 1024 * 1024


class SourceError(Exception):
    """A file that cannot become a document; the message is the one-line reason shown to the user."""


@dataclass(frozen=True)
class Source:
    """A decoded file: its full text exactly as decoded, and the encoding that decoded it."""

    raw: str
    encoding: str


# -- reading and decoding ------------------------------------------------------------------------


def read_source(path: Path) -> Source:
    """Read and decode one file, refusing what cannot be a report before reading it whole."""
    try:
        data = _read_regular_file(path)
    except OSError as exc:
        raise SourceError(f"cannot read ({exc.strerror or exc})") from exc
    text, encoding = decode_bytes(data)
    if not text.strip():
        raise SourceError("no text (only white space)")
    if not _LETTER.search(text):  # a file of "，" was once a report titled "，"
        raise SourceError("no text (only punctuation and symbols)")
    return Source(raw=text, encoding=encoding)


_LETTER = re.compile(r"[^\W_]")  # a letter or digit of any script


def _read_regular_file(path: Path) -> bytes:
    """The bytes of a regular file of a sensible size. A FIFO or a device is refused before it is opened;
    the open does not block and is checked again, so a file swapped for a FIFO is never waited on."""
    if not stat.S_ISREG(os.stat(path).st_mode):
        raise SourceError("not a regular file")
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise SourceError("not a regular file")
        if info.st_size == 0:
            raise SourceError("empty file")
        if info.st_size > MAX_FILE_BYTES:
            size = info.st_size
            raise SourceError(
                f"too large ({size / _MEGABYTE:.1f} MB; reports up to {MAX_FILE_BYTES // _MEGABYTE} MB)"
            )
        return handle.read(MAX_FILE_BYTES + 1)


_BOMS: tuple[tuple[bytes, str], ...] = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)
# Big5 as Windows and most sites write it (cp950: Big5 plus common extensions), then Hong Kong's.
_LEGACY = ("gb18030", "cp950", "big5hkscs")
_MIN_COMMON_SHARE = 0.6
_BINARY_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode with the first of: a BOM, strict UTF-8, or the better-scoring of GB18030 and Big5.

    GB18030 and Big5 both accept many of each other's byte sequences, so the candidate whose Han
    characters are most often common ones wins; a decoding made mostly of rare characters is mojibake
    and is refused rather than stored.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _strict(data, encoding), encoding.removesuffix("-sig")
    if b"\x00" in data:
        utf16 = _utf16_without_bom(data)
        if utf16 is None:
            raise SourceError("binary file (contains NUL bytes)")
        return utf16
    try:
        return _checked_text(data.decode("utf-8")), "utf-8"
    except UnicodeDecodeError:
        pass
    candidates = []
    for encoding in _LEGACY:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        candidates.append((common_share(text), encoding, text))
    if not candidates:
        raise SourceError("undecodable: not UTF-8, UTF-16, GB18030 or Big5")
    share, encoding, text = max(candidates, key=lambda c: c[0])
    if share < _MIN_COMMON_SHARE:
        raise SourceError(f"undecodable: {encoding} gives mostly rare characters (mojibake)")
    return _checked_text(text), "big5" if encoding == "cp950" else encoding


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """UTF-16 written without a BOM, told by its NULs: every ASCII character (line ends, digits, spaces)
    has a NUL high byte, so the NULs fall mostly on one side, odd offsets in little-endian, even in
    big-endian (a Hanzi such as 一, U+4E00, puts a few on the other). Binary data has them on both
    sides; what decodes must still read as text (few controls, common Hanzi) to be taken."""
    if len(data) % 2:
        return None
    even, odd = data[0::2].count(0), data[1::2].count(0)
    if even == odd:
        return None
    encoding = "utf-16-le" if odd > even else "utf-16-be"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        return None
    sample = text[:4096]
    if len(_BINARY_CONTROLS.findall(sample)) > len(sample) // 20 or common_share(text) < _MIN_COMMON_SHARE:
        return None
    return sanitize(text), encoding


def _strict(data: bytes, encoding: str) -> str:
    try:
        return _checked_text(data.decode(encoding))
    except UnicodeDecodeError as exc:
        raise SourceError(f"undecodable: starts with a {encoding} mark but is not {encoding}") from exc


def _checked_text(text: str) -> str:
    """Refuse text that is mostly control characters (a binary file that happens to decode)."""
    sample = text[:4096]
    controls = len(_BINARY_CONTROLS.findall(sample))
    if controls > max(8, len(sample) // 20):
        raise SourceError("binary file (mostly control characters)")
    return sanitize(text)


_COMMON_PUNCTUATION = "，。、；：？！“”‘’（）《》〈〉【】—…·「」『』\u3000％＋－０１２３４５６７８９"


@cache
def _common_characters() -> frozenset[str]:
    data = resources.files("store.data").joinpath("common_hanzi.txt").read_text(encoding="utf-8")
    hanzi = "".join(line for line in data.splitlines() if not line.startswith("#"))
    return frozenset(hanzi + _COMMON_PUNCTUATION)


def common_share(text: str) -> float:
    """Share of the non-ASCII characters in `text` that are common Hanzi (either script) or punctuation.

    Mojibake is made of rare characters and odd symbols (Big5 西藏 read as GB18030 is ﹁旅).
    """
    wide = [ch for ch in text if not ch.isascii()]
    if not wide:
        return 1.0
    common = _common_characters()
    return sum(ch in common for ch in wide) / len(wide)


# -- cleaning ------------------------------------------------------------------------------------


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


_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))


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
    for line, folded in zip(lines, folded_lines, strict=True):
        if _CRAWLER_TAIL.match(folded):
            break
        if _CHROME_LINE.match(folded):
            continue
        category = _CATEGORY.match(folded)
        if category and ("发布时间" in folded or "来源" in folded):
            line = line[category.end() :]  # 类别:国内 发布时间:… 来源:… keeps its date and source
        elif category:
            continue
        kept.append(_TRAILING_BAR.sub("", line))
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
    traditional = _changed(text, fold(text))
    simplified = _changed(text, converter("s2t").convert(text))
    total = traditional + simplified
    if total == 0:
        return "simplified"
    if min(traditional, simplified) / total >= _MIXED_SHARE:
        return "mixed"
    return "traditional" if traditional > simplified else "simplified"


def _changed(before: str, after: str) -> int:
    return sum(map(str.__ne__, before, after))


# -- terminal safety -------------------------------------------------------------------------------

# A string sequence's payload is printable ASCII (ECMA-48's command string) and ends, within the line,
# at BEL or ST. One left unterminated ends where its parameters end (a DCS's, like a CSI's, run to a
# final byte): the introducer and its parameters go, the text after them stays. Unbounded, one stray
# U+0090 once took everything after it: a 2,674-character report came out as 799.
_TERMINATED = r"[ -~]*(?:\x07|\x1b\\|\x9c)"
_ESCAPES = re.compile(
    rf"(?:\x1b\]|\x9d)(?:{_TERMINATED}|[0-?]*)"  # OSC … BEL/ST (clipboard, titles, links)
    rf"|(?:\x1bP|\x90)(?:{_TERMINATED}|[0-?]*[ -/]*[@-~]?)"  # DCS
    rf"|(?:\x1b[X^_]|[\x98\x9e\x9f])(?:{_TERMINATED})?"  # SOS, PM, APC strings
    r"|(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]"  # CSI sequences, 7- and 8-bit
    r"|\x1b[ -/]*[0-~]?"  # any other escape
)
_BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


_CONTROLS = re.compile(rf"[\x00-\x09\x0b-\x1f\x7f-\x9f{_BIDI_CONTROLS}]")


def strip_controls(text: str) -> str:
    """Remove escape sequences and control characters except newlines; tabs become spaces."""
    return _CONTROLS.sub("", _ESCAPES.sub("", text).replace("\t", " "))


# What must never reach a terminal as it is: C0 controls but the newline, DEL and C1 (escape sequences
# start with them), bidi overrides and marks (text that reads in another order than it is stored), the
# zero-width characters (invisible differences), and lone surrogates: the bytes of a file name that is
# not UTF-8, as Python decodes it (os.fsdecode's surrogateescape, U+DC80..U+DCFF for bytes 0x80..0xFF).
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad\u200e\u200f\u061c"
_UNSAFE = re.compile(rf"[\x00-\x09\x0b-\x1f\x7f-\x9f{_BIDI_CONTROLS}{_INVISIBLE}\ud800-\udfff]")


def shown_character(ch: str) -> str:
    """One unsafe character as `cat -v` would show it: `^[` for a C0 control, `\\xff` for a byte of a
    file name that is not UTF-8, `<U+202E>` for any other."""
    code = ord(ch)
    if code < 0x20 or code == 0x7F:
        return "^" + chr(code ^ 0x40)
    if 0xDC80 <= code <= 0xDCFF:
        return f"\\x{code - 0xDC00:02x}"
    return f"<U+{code:04X}>"


def terminal_safe(text: str, *, same_length: bool = False) -> str:
    """Text from outside (a document, a file or store name, an id, an error quoting one) made safe to
    print: nothing in it can move the cursor, set the clipboard, retitle the terminal or reorder what
    is shown. Every unsafe character is shown escaped, as `cat -v` would (`^[]52;c;…^G`, `<U+202E>`,
    `bad\\xff.txt`), so a hostile name is seen for what it is; line ends stay, a tab is a space.

    `same_length` puts one U+FFFD in place of each instead, for panes whose hits are character offsets.
    """
    text = text.replace("\t", " ")
    if same_length:
        return _UNSAFE.sub("\ufffd", text)
    return _UNSAFE.sub(lambda m: shown_character(m.group()), text.replace("\r\n", "\n"))


def json_safe(json_text: str) -> str:
    """JSON text with each unsafe character written as a `\\u` escape (as `ensure_ascii` would, for those
    code points only: Hanzi stay readable). A lone surrogate, a file name's non-UTF-8 byte, then reads
    back as the same surrogate (`os.fsencode` gives the original bytes) instead of failing to encode.
    json.dumps has already escaped C0 controls, and an unsafe character can only be inside a string."""
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", json_text)


_HAN = re.compile("[\u3400-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")

