"""Script conversion with OpenCC, cached per config.

t2s and s2t keep character positions exactly (every table entry maps to the same length), so offsets
found in folded text apply unchanged to the original and to its converted forms. This is the one
place that says so: every module that matches on folded text and marks the original relies on it.
The regional phrase configs (s2twp, tw2sp, s2hkp, hk2sp) may change lengths and are used only to
expand queries.
"""

from __future__ import annotations

from functools import cache
from typing import Literal

import opencc

from store.text import Script

# Which Traditional forms "trad" shows. OpenCC's own standard (s2t) writes 爲, 裏, 着 (積極作爲), forms
# readers in Taiwan and Hong Kong do not use; s2tw and s2hk are character-level (s2t then a variant
# table), so they keep every position as s2t does and hits still land on the right characters.
Standard = Literal["tw", "hk", "opencc"]
STANDARDS: dict[str, str] = {"tw": "s2tw", "hk": "s2hk", "opencc": "s2t"}
STANDARD_NAMES: dict[str, str] = {"tw": "臺灣 Taiwan", "hk": "香港 Hong Kong", "opencc": "OpenCC standard"}
DEFAULT_STANDARD: Standard = "tw"
# The standard `render` uses when none is given. The browser sets it from the user's choice: that
# choice applies to every string it shows, and passing it through each widget's every render call
# would make each of them a place to forget it.
_preferred: list[str] = [DEFAULT_STANDARD]


def prefer_standard(standard: str) -> None:
    """Make `standard` the Traditional forms `render` shows from now on (unknown names: the default)."""
    _preferred[0] = standard if standard in STANDARDS else DEFAULT_STANDARD


def preferred_standard() -> str:
    return _preferred[0]


@cache
def converter(config: str) -> opencc.OpenCC:
    """Return a shared converter; building one is slow (docs/performance.md), so build each once."""
    return opencc.OpenCC(config)


def sanitize(text: str) -> str:
    """Replace lone surrogates, which make OpenCC raise UnicodeEncodeError."""
    return text.encode("utf-8", "replace").decode("utf-8")


def has_lone_surrogate(text: str) -> bool:
    """Whether `text` holds a lone surrogate: bytes that were not UTF-8 (Python decodes a command-line
    argument's with surrogateescape) or a broken `\\udcff` escape. OpenCC, the index and a terminal
    all refuse one, so text from outside is checked where it comes in."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def shown_bytes(text: str) -> str:
    """Text holding undecodable bytes, as a one-line message shows it: '西藏\\xff' (the bytes as typed),
    with every other character that is not printable escaped as repr escapes it."""
    shown = []
    for char in text:
        if "\udc80" <= char <= "\udcff":  # a byte surrogateescape kept
            shown.append(f"\\x{ord(char) - 0xDC00:02x}")
        else:
            shown.append(char if char.isprintable() else ascii(char)[1:-1])
    return "'" + "".join(shown) + "'"


def to_simplified(text: str) -> str:
    """Fold to Simplified with t2s; keeps every character position."""
    return converter("t2s").convert(text) if text else text


def to_traditional(text: str) -> str:
    """Convert to Traditional with s2t; keeps every character position."""
    return converter("s2t").convert(text) if text else text


def fold(text: str) -> str:
    """The canonical form for segmenting, indexing and matching: t2s, same length as the input."""
    return to_simplified(text)


def to_standard(text: str, standard: str | None = None) -> str:
    """Traditional in one region's standard forms (the preferred ones by default: Taiwan's unless the
    browser was told otherwise); keeps every character position."""
    config = STANDARDS.get(standard or _preferred[0], STANDARDS[DEFAULT_STANDARD])
    return converter(config).convert(text) if text else text


def render(text: str, script: Script, standard: str | None = None) -> str:
    """Text as the reader asked to see it: original, Simplified or Traditional in `standard`'s forms
    (same length)."""
    if script == "simp":
        return to_simplified(text)
    if script == "trad":
        return to_standard(text, standard)
    return text


def conversion_counts(text: str) -> tuple[int, int]:
    """How Traditional and how Simplified `text` is written: the characters t2s changes, then those s2t
    changes (both keep positions, so they compare character by character)."""
    return _changed(text, fold(text)), _changed(text, converter("s2t").convert(text))


def _changed(text: str, converted: str) -> int:
    """Characters that differ at the same position, over the shorter of the two: compared as code
    points in arrays, a fifth of a millisecond less per report than one Python comparison each (an
    import asks it of every report, twice)."""
    import numpy as np  # numpy loads when a text is converted, not with this module

    length = min(len(text), len(converted))
    if length < 64:
        return sum(map(str.__ne__, text, converted))

    def points(value: str) -> np.ndarray:
        return np.frombuffer(value[:length].encode("utf-32-le", "surrogatepass"), dtype=np.uint32)

    return int(np.count_nonzero(points(text) != points(converted)))
