"""What jieba's dictionary says of a word, as extraction asks it: the gazetteer's names and officials'
names taught to it once, and each word's entry as it was before any report taught it a name."""

from __future__ import annotations

from functools import cache

from store.extract.gazetteer import gazetteer
from store.text.segment import add_words, dictionary_tables


@cache
def _tables() -> tuple[dict[str, int], dict[str, str]]:
    """jieba's tables, looked up directly: place matching asks the dictionary hundreds of times a report."""
    return dictionary_tables()


_BEFORE_TEACHING: dict[str, tuple[int, str]] = {}
"""Officials' names taught to jieba, with their entries before: place matching reads the dictionary as it
was, so a report's places never depend on which reports were read before it (and can be cached)."""


@cache
def teach_segmenter() -> None:
    """Teach jieba the gazetteer's names once, so that search and extraction cut 碌曲县, 甘南州 whole.

    Bare forms (合作, 白银) stay out: they are ordinary words first, and extraction asks the dictionary
    exactly that. Done before any place matching, whose cached verdicts assume it.
    """
    names = [text for text, entries in gazetteer().aliases.items() if any(a.form != "bare" for a in entries)]
    add_words(names, tag="ns")


def teach_names(names: list[str]) -> None:
    """Officials' names, taught to jieba once per process: teaching a name again costs as much as the
    first time, and reports keep naming the same officials."""
    freq_table, tag_table = _tables()
    new = [name for name in dict.fromkeys(names) if name not in _BEFORE_TEACHING]
    for name in new:
        _BEFORE_TEACHING[name] = (freq_table.get(name, 0), tag_table.get(name, ""))
    add_words(new, tag="nr")


def dictionary_entry(word: str) -> tuple[int, str] | None:
    """(frequency, tag) of a word in jieba's dictionary without officials' names, or None."""
    if word in _BEFORE_TEACHING:
        freq, tag = _BEFORE_TEACHING[word]
        return (freq, tag) if freq else None
    freq_table, tag_table = _tables()
    freq = freq_table.get(word)
    return (freq, tag_table.get(word, "")) if freq else None


def word_frequency(word: str) -> int:
    entry = dictionary_entry(word)
    return entry[0] if entry else 0
