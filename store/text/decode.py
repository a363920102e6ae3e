"""From bytes on disk to text: reading a file safely and finding the encoding it was written in.

Reports come from crawlers and news sites in whatever encoding the site used. Everything here is
deterministic: the same bytes always give the same text, so content ids are stable.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

from store.text.safe import BINARY_CONTROLS
from store.text.script import sanitize

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
    if len(BINARY_CONTROLS.findall(sample)) > len(sample) // 20 or common_share(text) < _MIN_COMMON_SHARE:
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
    controls = len(BINARY_CONTROLS.findall(sample))
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
