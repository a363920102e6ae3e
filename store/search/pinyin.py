"""Pinyin lookup for people typing without an input method: `hemoubao` or `hmb` → 何谋保.

The lexicon holds the corpus's people, places and words, each with every reading of its characters
(pypinyin heteronyms: 藏 zang/cang, 都 du/dou in 昌都), because the default reading is often wrong on
place names. The reading pypinyin gives the whole word (phrase-aware) is its main reading; words
reached through it rank before words reached only through another reading. Only ASCII queries come
here: a Chinese query never matches through pinyin, which keeps homophones out.
"""

from __future__ import annotations

import bisect
import heapq
import itertools
import re
import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import NamedTuple

MAX_READINGS = 16  # per word; a four-character word of heteronyms stays bounded
_HANZI_WORD = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]{2,12}")


@dataclass(frozen=True)
class Match:
    """A word the pinyin query spells, whether by the word's main reading, and whether to its end.

    `whole` is False when the query spelled only the word's first syllables (`hemou` → 何谋保).
    """

    word: str
    main: bool
    whole: bool = True


def normalise(query: str) -> str:
    """Lower case, no apostrophes (xi'an), ü typed as v."""
    return query.lower().replace("'", "").replace("ü", "v")


@cache
def _char_readings(char: str) -> tuple[str, ...]:
    from pypinyin import Style, pinyin  # pypinyin's tables load only when a lexicon is built

    readings = pinyin(char, style=Style.NORMAL, heteronym=True, errors="ignore")
    return tuple(readings[0]) if readings else ()


def word_readings(word: str) -> tuple[tuple[str, ...], ...]:
    """The word's readings as syllable tuples, main (phrase-aware) reading first, at most MAX_READINGS."""
    from pypinyin import lazy_pinyin  # pypinyin's tables load only when a lexicon is built

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


# Initials a user types for a syllable besides its first letter.
_DOUBLE_INITIALS = ("zh", "ch", "sh")
MAX_SPLITS = 64  # ways to cut one query into syllables; real queries have a handful


class _Reading(NamedTuple):
    """One reading of a word, as the lookup table holds it (a tuple: 130k of them at 50k words)."""

    syllables: tuple[str, ...]
    word: str
    main: bool
    order: int  # the word's place in the lexicon: the most frequent first


def _preference(entry: _Reading) -> tuple[bool, int]:
    return (not entry.main, entry.order)


@dataclass
class _Table:
    """Readings grouped by syllable count, each group sorted by its initials (`hmb` for he mou bao),
    so the readings whose initials begin with a query's are one bisected range; and by count and first
    syllable, each list in order of preference, for a query that is one syllable or less (`x`, `xia`),
    whose range would be a tenth of the lexicon."""

    by_length: dict[int, tuple[list[str], list[_Reading]]]
    by_first: dict[tuple[int, str], list[_Reading]]
    initials: list[str]  # every reading's initials, sorted: does any word begin with these?
    syllables: list[str]  # every first syllable, sorted: which begin with what was typed?
    prefixes: frozenset[str]  # every non-empty prefix of every syllable, ü also written u
    whole: frozenset[str]  # every syllable, ü also written u

    @classmethod
    def build(cls, readings: dict[str, list[str]]) -> _Table:
        groups: dict[int, list[tuple[str, _Reading]]] = {}
        by_first: dict[tuple[int, str], list[_Reading]] = {}
        for order, (word, spelled) in enumerate(readings.items()):
            for number, reading in enumerate(spelled):
                syllables = tuple(sys.intern(s) for s in reading.split())
                entry = _Reading(syllables, word, number == 0, order)
                groups.setdefault(len(syllables), []).append(("".join(s[0] for s in syllables), entry))
                by_first.setdefault((len(syllables), syllables[0]), []).append(entry)
        by_length = {}
        for length, group in groups.items():
            group.sort(key=lambda pair: pair[0])
            by_length[length] = ([i for i, _ in group], [e for _, e in group])
        for entries in by_first.values():
            entries.sort(key=_preference)
        whole = {s for _, entries in by_length.values() for e in entries for s in e.syllables}
        whole |= {s.replace("v", "u") for s in whole}
        return cls(
            by_length=by_length,
            by_first=by_first,
            initials=sorted(i for keys, _ in by_length.values() for i in keys),
            syllables=sorted({first for _, first in by_first}),
            prefixes=frozenset(s[:k] for s in whole for k in range(1, len(s) + 1)),
            whole=frozenset(whole),
        )

    def begins(self, initials: str) -> bool:
        """Whether some reading's initials begin with `initials`."""
        at = bisect.bisect_left(self.initials, initials)
        return at < len(self.initials) and self.initials[at].startswith(initials)

    def splits(self, query: str) -> set[tuple[str, ...]]:
        """The ways to read `query` as syllables, each typed whole or by its initial, the last one
        perhaps only begun: `hemb` → (he, m, b), `xiz` → (xi, z). Cuts no word begins with are dropped
        as soon as they are made, so a long query explores only what the lexicon can spell."""
        found: set[tuple[str, ...]] = set()

        def walk(at: int, pieces: tuple[str, ...], initials: str) -> None:
            if len(found) >= MAX_SPLITS:
                return
            rest = query[at:]
            if rest in self.prefixes and self.begins(initials + rest[0]):
                found.add((*pieces, rest))
            for size in range(1, len(rest)):
                piece = rest[:size]
                if piece not in self.prefixes:
                    break
                if (size == 1 or piece in self.whole or piece in _DOUBLE_INITIALS) and self.begins(
                    initials + piece[0]
                ):
                    walk(at + size, (*pieces, piece), initials + piece[0])

        walk(0, (), "")
        return found

    def readings_spelled(
        self, pieces: tuple[str, ...], extra: int, want: int | None
    ) -> Iterator[tuple[_Reading, int]]:
        """Readings of `len(pieces) + extra` syllables that `pieces` spell, with how many pieces were
        abbreviated (typed as an initial or, the last, only begun); for one piece, only the `want`
        best."""
        if len(pieces) == 1:
            yield from itertools.islice(self._one_syllable(pieces[0], 1 + extra), want)
            return
        group = self.by_length.get(len(pieces) + extra)
        if group is None:
            return
        keys, entries = group
        initials = "".join(p[0] for p in pieces)
        start = bisect.bisect_left(keys, initials)
        stop = bisect.bisect_left(keys, initials + "\x7f", lo=start)
        last = len(pieces) - 1
        for entry in entries[start:stop]:
            short = 0
            for number, piece in enumerate(pieces):
                syllable = entry.syllables[number]
                if piece == syllable or piece == syllable.replace("v", "u"):
                    continue
                if number == last:
                    if not (syllable.startswith(piece) or syllable.replace("v", "u").startswith(piece)):
                        break
                elif len(piece) > 1 and not (piece in _DOUBLE_INITIALS and syllable.startswith(piece)):
                    break
                short += 1
            else:
                yield entry, short

    def _one_syllable(self, piece: str, length: int) -> Iterator[tuple[_Reading, int]]:
        """Readings of `length` syllables whose first begins with `piece`, best first: the lists of
        each such syllable merged, the syllable typed whole (short 0) before those only begun."""
        lists = []
        for spelled in {piece, piece.replace("u", "v")}:
            at = bisect.bisect_left(self.syllables, spelled)
            while at < len(self.syllables) and self.syllables[at].startswith(spelled):
                first = self.syllables[at]
                short = int(first != spelled)
                entries = self.by_first.get((length, first), [])
                lists.append(_ranked(entries, short))
                at += 1
        for _, short, _, entry in heapq.merge(*lists):
            yield entry, short


def _ranked(entries: list[_Reading], short: int) -> Iterator[tuple[bool, int, int, _Reading]]:
    """The entries of one list as heapq.merge compares them (a function, so `short` is bound now)."""
    return ((not e.main, short, e.order, e) for e in entries)


@dataclass
class PinyinLexicon:
    """Words with their readings; the lookup table is built on the first lookup."""

    readings: dict[str, list[str]] = field(default_factory=dict)  # word -> ["xi zang", ...], main first
    _table: _Table | None = field(default=None, repr=False)

    @classmethod
    def build(cls, words: Iterable[str]) -> PinyinLexicon:
        """Keep words of 2–12 Hanzi; read each once. The most frequent come first (ties keep the order
        given): among words a query spells equally well, the one the corpus uses most is meant."""
        counts = Counter(w for w in words if _HANZI_WORD.fullmatch(w))
        readings: dict[str, list[str]] = {}
        for word, _ in counts.most_common():
            readings[word] = [" ".join(r) for r in word_readings(word)]
        return cls(readings={w: r for w, r in readings.items() if r})

    def to_json(self) -> dict[str, list[str]]:
        return self.readings

    @classmethod
    def from_json(cls, data: dict[str, list[str]]) -> PinyinLexicon:
        if not isinstance(data, dict):
            raise ValueError("pinyin lexicon is not a mapping")
        return cls(readings={str(w): [str(r) for r in rs] for w, rs in data.items()})

    def table(self) -> _Table:
        if self._table is None:
            self._table = _Table.build(self.readings)
        return self._table

    def lookup(self, query: str, limit: int | None = None) -> list[Match]:
        """Words `query` spells, best first, at most `limit`.

        A query spells a word when it types the word's first syllables in order, each whole or by its
        initial, the last perhaps only begun, so every keystroke of `hemoubao` finds something: `h`,
        `he`, `hem`, `hemou`, `hemb`, `hmb`. Best: by the word's main reading; then the fewest
        syllables left vague (abbreviated, only begun or not typed at all: `he` is 合作 before 何恩,
        `hemou` 何谋 before 何谋保); then the fewest untyped; then the more frequent word.
        A word that holds a better one (碌曲县 after 碌曲) is left out. Readings are visited by how
        many syllables they leave untyped, and the visit stops once `limit` words are found that no
        reading with more untyped syllables could outrank.
        """
        query = normalise(query)
        if not query.isascii() or not query.isalpha():
            return []
        table = self.table()
        splits = table.splits(query)
        best: dict[str, tuple[bool, int, int, int]] = {}
        want = None if limit is None else 2 * limit  # room for the words left out as holding a better one
        for extra in range(max(table.by_length, default=0) + 1):
            for pieces in splits:
                for entry, short in table.readings_spelled(pieces, extra, want):
                    rank = (not entry.main, short + extra, extra, entry.order)
                    if entry.word not in best or rank < best[entry.word]:
                        best[entry.word] = rank
            if limit is not None and sum(r < (False, extra + 2) for r in best.values()) >= limit:
                break  # no word left to visit (more syllables untyped) outranks these
        kept: list[Match] = []
        ranked = sorted(best.items(), key=lambda item: item[1])
        for word, rank in ranked:
            if limit is not None and len(kept) >= limit:
                break
            # 碌曲县 after 碌曲 would find no document 碌曲 does not, and only stretch its highlights
            if not any(better.word in word for better in kept):
                kept.append(Match(word, not rank[0], rank[2] == 0))
        return kept
