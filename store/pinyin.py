"""Pinyin lookup for people typing without an input method: `hemoubao` or `hmb` → 何谋保.

The lexicon holds the corpus's people, places and words, each with every reading of its characters
(pypinyin heteronyms: 藏 zang/cang, 都 du/dou in 昌都), because the default reading is often wrong on
place names. The reading pypinyin gives the whole word (phrase-aware) is its main reading; words
reached through it rank before words reached only through another reading. Only ASCII queries come
here: a Chinese query never matches through pinyin, which keeps homophones out.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache

MAX_READINGS = 16  # per word; a four-character word of heteronyms stays bounded
_HANZI_WORD = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]{2,12}")


@dataclass(frozen=True)
class Match:
    """A word the pinyin query spells, and whether it spells it by the word's main reading."""

    word: str
    main: bool


def normalise(query: str) -> str:
    """Lower case, no apostrophes (xi'an), ü typed as v."""
    return query.lower().replace("'", "").replace("ü", "v")


@cache
def _char_readings(char: str) -> tuple[str, ...]:
    from pypinyin import Style, pinyin

    readings = pinyin(char, style=Style.NORMAL, heteronym=True, errors="ignore")
    return tuple(readings[0]) if readings else ()


def word_readings(word: str) -> tuple[tuple[str, ...], ...]:
    """The word's readings as syllable tuples, main (phrase-aware) reading first, at most MAX_READINGS."""
    from pypinyin import lazy_pinyin

    main = tuple(lazy_pinyin(word, errors="ignore"))
    per_char = [_char_readings(c) or ("",) for c in word]
    readings = dict.fromkeys([main])
    for combo in itertools.islice(itertools.product(*per_char), MAX_READINGS):
        readings[tuple(combo)] = None
    return tuple(r for r in readings if all(r) and len(r) == len(word))


def keys_of(syllables: tuple[str, ...]) -> set[str]:
    """What a user may type for one reading: full pinyin and initials, with ü as v or u."""
    full = "".join(syllables)
    initials = "".join(s[0] for s in syllables)
    return {full, full.replace("v", "u"), initials}


@dataclass
class PinyinLexicon:
    """Words with their readings; the key table is built on the first lookup."""

    readings: dict[str, list[str]] = field(default_factory=dict)  # word -> ["xi zang", ...], main first
    _keys: dict[str, list[Match]] | None = field(default=None, repr=False)

    @classmethod
    def build(cls, words: Iterable[str]) -> PinyinLexicon:
        """Keep words of 2–12 Hanzi; read each once."""
        readings: dict[str, list[str]] = {}
        for word in words:
            if word not in readings and _HANZI_WORD.fullmatch(word):
                readings[word] = [" ".join(r) for r in word_readings(word)]
        return cls(readings={w: r for w, r in readings.items() if r})

    def to_json(self) -> dict[str, list[str]]:
        return self.readings

    @classmethod
    def from_json(cls, data: dict[str, list[str]]) -> PinyinLexicon:
        if not isinstance(data, dict):
            raise ValueError("pinyin lexicon is not a mapping")
        return cls(readings={str(w): [str(r) for r in rs] for w, rs in data.items()})

    def _key_table(self) -> dict[str, list[Match]]:
        if self._keys is None:
            table: dict[str, dict[str, bool]] = {}
            for word, readings in self.readings.items():
                for number, reading in enumerate(readings):
                    for key in keys_of(tuple(reading.split())):
                        seen = table.setdefault(key, {})
                        seen[word] = seen.get(word, False) or number == 0
            self._keys = {k: [Match(w, main) for w, main in v.items()] for k, v in table.items()}
        return self._keys

    def lookup(self, query: str) -> list[Match]:
        """Words spelled by `query` (full pinyin or initials); main-reading matches first, then longer."""
        matches = self._key_table().get(normalise(query), [])
        return sorted(matches, key=lambda m: (not m.main, -len(m.word), m.word))
