"""What each report of a meeting adds: its sentences that no other report of the same meeting carries.

An analyst reads the wire story once and then only the new lines of the reposts. Sentences are compared
folded to Simplified (t2s keeps positions) with punctuation and whitespace dropped, so a Traditional
repost or a copy with other quotation marks carries the same sentences.

A sentence counts as carried when another report holds it whole (anywhere, across its sentence breaks:
a copy that joins or splits sentences still carries them), or when one sentence of another report holds
at least `NEAR` of its character bigrams. Bigrams, not single characters: Chinese words are mostly two
characters, and bigrams keep their local order, where any sentence of common characters (的、会、发展)
would share most single characters with some sentence. Containment (the share of *this* sentence's
bigrams found there), not Jaccard: a repost that adds a clause to a sentence still carries the
original, and the sentence with the clause is new only by its clause. At 0.8 a sentence of 30
characters may differ by two or three characters (an outlet's name, 日 → 昨日, a typo) and still be
carried, while a sentence of 10 with one character changed (8日 → 9日) is new: a short sentence
changed in one character usually says something else.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from store.models import Span
from store.text.script import fold

NEAR = 0.8
# A sentence ends at 。！？；!?; or a line break, taking the closing quotes and brackets after it.
_SENTENCE = re.compile(r"[^。！？；!?;\n]*(?:[。！？；!?;]+[”’」』）)]*|\n|$)")
# What a key leaves out: everything but letters and digits (Hanzi are letters), in any script.
_NOT_LETTER_OR_DIGIT = re.compile(r"[\W_]+")


@dataclass(frozen=True)
class Sentence:
    """Where a sentence is in its text, and its key: folded, letters and digits only."""

    span: Span
    key: str


def sentences(text: str) -> list[Sentence]:
    """The text's sentences with something to compare (a line of punctuation alone has no key)."""
    folded = fold(text)
    found = []
    for match in _SENTENCE.finditer(folded):
        start, end = match.span()
        while start < end and folded[start].isspace():
            start += 1
        while end > start and folded[end - 1].isspace():
            end -= 1
        if key := _key(folded[start:end]):
            found.append(Sentence(Span(start, end), key))
    return found


def _key(folded: str) -> str:
    return _NOT_LETTER_OR_DIGIT.sub("", folded)


def _bigrams(key: str) -> set[str]:
    return {key[i : i + 2] for i in range(len(key) - 1)} if len(key) > 1 else {key}


class Carried:
    """The sentences of the other reports, indexed by bigram, to ask whether they carry a sentence."""

    def __init__(self, others: Sequence[str]) -> None:
        each = [[s.key for s in sentences(text)] for text in others]
        keys = [key for report in each for key in report]
        # Sentence breaks differ between copies: a sentence is also looked for across them.
        self.joined = "\n".join("".join(report) for report in each)
        self.grams = [_bigrams(key) for key in keys]
        self.where: dict[str, list[int]] = {}
        for number, grams in enumerate(self.grams):
            for gram in grams:
                self.where.setdefault(gram, []).append(number)

    def carries(self, key: str) -> bool:
        if key in self.joined:
            return True
        grams = _bigrams(key)
        shared = Counter(number for gram in grams for number in self.where.get(gram, ()))
        return bool(shared) and max(shared.values()) >= NEAR * len(grams)


def added_sentences(text: str, others: Sequence[str]) -> list[Span]:
    """The spans of `text` (offsets into it, in any script) of the sentences none of `others` carries;
    with no others, every sentence."""
    carried = Carried(others)
    return [s.span for s in sentences(text) if not carried.carries(s.key)]


def sentence_count(text: str) -> int:
    """How many sentences `added_sentences` weighs in `text` (the browser says `5 of 32 new`)."""
    return len(sentences(text))
