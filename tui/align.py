"""Where a place in the cleaned text is in the raw text, and back: the raw view (`o`) keeps in step.

Cleaning drops lines (menus, footers) and normalises punctuation and spaces, but leaves the run of
Chinese characters of the body as it was. So a place is found by the characters that follow it: the
next few ideographs of one text are looked up among the ideographs of the other, the occurrence
nearest the same fraction of the way through winning when the phrase repeats.
"""

from __future__ import annotations

from bisect import bisect_left
from functools import lru_cache

from store import fold

KEY = 8  # ideographs looked up: long enough to be unique in a report, short enough to survive edits


def _is_ideograph(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"


@lru_cache(maxsize=8)
def ideographs(text: str) -> tuple[str, tuple[int, ...]]:
    """The text's ideographs (folded to Simplified) and where each stands in the text."""
    positions = tuple(i for i, ch in enumerate(text) if _is_ideograph(ch))
    return fold("".join(text[i] for i in positions)), positions


def corresponding(source: str, target: str, offset: int) -> int | None:
    """The offset in `target` of the place at `offset` in `source`; None when its characters are not
    found there (a passage cleaning removed)."""
    chars, positions = ideographs(source)
    other, other_positions = ideographs(target)
    index = bisect_left(positions, offset)
    key = chars[index : index + KEY]
    if not key or not other:
        return None
    expected = index * len(other) // max(len(chars), 1)
    best, start = None, other.find(key)
    while start >= 0:
        if best is None or abs(start - expected) < abs(best - expected):
            best = start
        start = other.find(key, start + 1)
    return None if best is None else other_positions[best]
