"""Script conversion with OpenCC, cached per config.

t2s and s2t keep character positions exactly (every table entry maps to the same length), so offsets
found in folded text apply unchanged to the original and to its converted forms. The regional phrase
configs (s2twp, tw2sp, s2hkp, hk2sp) may change lengths and are used only to expand queries.
"""

from __future__ import annotations

from functools import cache
from typing import Literal

import opencc

Script = Literal["orig", "simp", "trad"]
SCRIPTS: tuple[Script, ...] = ("orig", "simp", "trad")


@cache
def converter(config: str) -> opencc.OpenCC:
    """Return a shared converter; building one costs 2–50 ms, so build each once."""
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


def render(text: str, script: Script) -> str:
    """Text as the reader asked to see it: original, Simplified or Traditional (same length)."""
    if script == "simp":
        return to_simplified(text)
    if script == "trad":
        return to_traditional(text)
    return text
