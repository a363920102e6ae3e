"""Building an index part: the folded texts and titles streamed into one suffix text, the original texts'
codes for snippets, and the pinyin lexicon of the part's words."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np

from store.models import Document
from store.search import batches
from store.search.hot import HotCounts
from store.search.part import IndexPart
from store.search.pinyin import PinyinLexicon
from store.search.saved import new_part_name
from store.search.suffix import SuffixText, dense_codes, spilled
from store.text.script import fold


def fold_keeping_positions(text: str) -> str:
    """t2s keeps lengths; should a future table not, fold character by character so offsets still hold."""
    folded = fold(text)
    if len(folded) == len(text):
        return folded
    return "".join(f if len(f := fold(c)) == 1 else c for c in text)  # pragma: no cover - defensive


def _folded_segments(documents: Sequence[Document], titles: list[str]) -> Iterator[str]:
    """Each document's folded text, then each folded title: one read of `text` and `title` apiece.

    The titles (short) are kept in `titles` on the way, for the second half and for the index's meta.
    """
    for doc in documents:
        titles.append(doc.title)
        yield fold_keeping_positions(doc.text)
    for title in titles:
        yield fold(title)


def _original_codes(documents: Sequence[Document], size: int) -> tuple[np.ndarray, np.ndarray]:
    """The original texts as codes for snippets, read again one by one into an array of known size.

    Folding keeps lengths, so `size` (the folded texts with their separators) is also theirs.
    """
    codes, alphabet = dense_codes((d.text for d in documents), size)
    if len(codes) != size:
        raise ValueError("a document's text changed while the index was built")
    return codes, alphabet


def _pinyin_sample(text: SuffixText, n_docs: int, sample_chars: int) -> list[str]:
    """Every `step`-th folded document text (about `sample_chars` in all), decoded from the codes
    rather than kept from the first pass."""
    total = int(text.starts[n_docs]) - n_docs
    if not total:
        return []
    step = max(1, round(total / sample_chars))
    return [text.segment_text(k) for k in range(0, n_docs, step)]


def vocabulary(documents: list[Document], sample: list[str]) -> list[str]:
    """Words for the pinyin lexicon: every person and place the extraction found, and the jieba words
    of a bounded sample spread over the corpus (tokenising all of a large one would take minutes)."""
    words: list[str] = []
    for doc in documents:
        meta = doc.meta
        words += meta.people_names() + list(meta.places) + list(meta.provinces)
        words += list(meta.mentioned_provinces) + ([meta.location] if meta.location else [])
    unique = [w for w in dict.fromkeys(words) if w and "\n" not in w]
    words = fold("\n".join(unique)).split("\n")  # one OpenCC call, not one per word (t2s keeps lines)
    if sample:
        from store.text import segment  # jieba loads only when a part is built

        for text in sample:
            words += segment.cut(text)
    return words


def build_part(
    documents: list[Document], first: int, spill: Path | None, path: str, sample_chars: int
) -> tuple[IndexPart, dict[str, list[str]], list[str]]:
    """A part over `documents` (numbered from `first`), the pinyin readings of their words, their titles."""
    titles: list[str] = []
    text = SuffixText.build(_folded_segments(documents, titles), spill)
    # the lexicon before the original codes: its word list is freed first
    sample = _pinyin_sample(text, len(documents), sample_chars)
    pinyin = PinyinLexicon.build(vocabulary(documents, sample)).to_json()
    codes, alphabet = _original_codes(documents, int(text.starts[len(documents)]))
    originals = (spilled(spill, "orig_codes", codes), alphabet)
    del codes
    part = IndexPart(text, originals, first, path)
    part.hot = HotCounts.build(text)
    return part, pinyin, titles


def small_part(chars: int) -> bool:
    """A part (or new documents) small enough to count against EXTEND_SHARE and MAX_PARTS."""
    return chars < batches.BATCH_CHARS // 2


def parts_over(
    documents: list[Document],
    first: int,
    folder: Path | None,
    sample_chars: int,
    first_path: str | None = None,
) -> tuple[list[IndexPart], list[str], dict[str, list[str]]]:
    """Parts over `documents` (numbered from `first`), each of at most BATCH_CHARS characters, built one
    after the other; their titles and the pinyin of their words. With `folder`, each part is written
    into its own subfolder as it is built (`first_path` names the first: "" is `folder` itself, for a
    fresh build, whose `_write` saves the rest) and mapped back, so only one part's sort is ever held."""
    parts: list[IndexPart] = []
    titles: list[str] = []
    pinyin: dict[str, list[str]] = {}
    for batch in list(batches.in_batches(documents, lambda d: d.chars)) or [[]]:
        path = first_path if first_path is not None and not parts else new_part_name()
        spill = None if folder is None else folder / path
        if spill is not None:
            spill.mkdir(exist_ok=True)
        part, words, part_titles = build_part(batch, first, spill, path, sample_chars)
        if spill is not None and first_path is None:
            part.save(spill)  # complete and fsynced before a meta.json names it
        parts.append(part)
        titles += part_titles
        pinyin.update({w: r for w, r in words.items() if w not in pinyin})
        first += len(batch)
    return parts, titles, pinyin
