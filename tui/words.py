"""Counted nouns in the CLI's and the browser's English text: `1 meeting`, `3 meetings`, `1 hit`.

One owner, so no message says "1 meetings" or "(1 hits" and none has to spell "(s)".
"""

from __future__ import annotations


def plural(count: int, noun: str, nouns: str | None = None) -> str:
    """`count` and the noun in the number it takes; `nouns` for an irregular plural."""
    return f"{count} {noun}" if count == 1 else f"{count} {nouns or noun + 's'}"
