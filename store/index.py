"""The search index: substring-exact, script-blind, pinyin-aware, persisted beside the store.

A suffix array over the folded text of every document (and, as separate segments, every title) finds
any substring with two binary searches; counts per document come from the aligned owner array. The
index holds what it needs to answer alone: titles, dates, provinces, people and kinds for filters and
ranking, the original text for snippets, and a pinyin lexicon. It is saved as .npy arrays (loaded
memory-mapped, allow_pickle=False) and one JSON file: nothing in it can run code.
"""

from __future__ import annotations

import json
import mmap
import os
import shutil
import threading
import uuid
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from store import rank
from store.models import Document, SearchAnswer, SearchResult, Span
from store.pinyin import PinyinLexicon
from store.query import Filters, Query, Term, parse, term_forms
from store.script import fold
from store.snippets import snippets
from store.suffix import SuffixText, decode, dense_codes, spilled

FORMAT = "yuelan-search-index"
VERSION = 2  # 2: each document's officials as one "\n"-joined string (1: a list of names)
META_FILE = "meta.json"
PINYIN_SAMPLE_CHARS = 400_000  # jieba words for the pinyin lexicon come from a bounded, spread sample
# Hits of a form come from comparing codes in the chosen documents when its suffix-array slice is
# longer than SCAN_FACTOR × their total length, else from the slice.
SCAN_FACTOR = 1.0
MAX_PINYIN_WORDS = 30  # words one pinyin term expands to (main readings first)
OTHER_READING_WEIGHT = 0.25  # a word reached only through a secondary reading ranks below main ones
CACHE_SIZE = 256


@dataclass
class _Lookup:
    """One term resolved against the index: its forms, and per-document counts."""

    term: Term
    forms: list[str]
    tf: np.ndarray  # weighted occurrences in the text, per document
    present: np.ndarray  # bool, occurs in the text at least once
    title_tf: np.ndarray
    ranges: list[tuple[int, int, int]]  # suffix-array slice and length of every form that occurs


class SearchIndex:
    """An index over a list of documents, newest first (their position breaks score ties)."""

    def __init__(self, text: SuffixText, originals: tuple[np.ndarray, np.ndarray], meta: dict[str, Any]):
        self.text = text
        self._orig_codes, self._orig_alphabet = originals
        self.meta = meta
        self.generation: str = meta["generation"]
        self.ids: list[str] = meta["ids"]
        self.titles: list[str] = meta["titles"]
        self.n_docs = len(self.ids)
        self.lengths = np.diff(text.starts[: self.n_docs + 1]).astype(np.float64) - 1.0
        self.average_length = float(self.lengths.mean()) if self.n_docs else 0.0
        self.lexicon = PinyinLexicon.from_json(meta["pinyin"])
        self._lock = threading.Lock()
        self._ranges: OrderedDict[bytes, tuple[int, int]] = OrderedDict()
        self._counts: OrderedDict[bytes, tuple[int, int, np.ndarray]] = OrderedDict()
        self._folded: tuple[list[str], list[str]] | None = None

    # -- building and persistence ----------------------------------------------------------------

    @classmethod
    def build(cls, documents: list[Document], generation: str, folder: Path | None = None) -> SearchIndex:
        """Index documents (newest first); a few seconds for 10k documents of 3,000 characters.

        Texts may be read from disk on every access, so each is read once per pass and dropped: the
        folded texts and titles stream into the suffix text, then, with the sort's memory given back,
        the original texts into the snippet codes. No list of texts is ever held.

        With `folder`, the index is written there (swapped in whole when complete) while it is built,
        each array mapped back from its file once written: an import's peak is then the sort's alone
        (10k documents: 626 → see README), not the arrays plus jieba's dictionary for the lexicon.
        """
        if folder is not None:
            return cls._build_into(documents, generation, Path(folder))
        return cls._build(documents, generation, None)

    @classmethod
    def _build_into(cls, documents: list[Document], generation: str, folder: Path) -> SearchIndex:
        temp = _temp_beside(folder)
        try:
            index = cls._build(documents, generation, temp)
            index._write(temp)
            _swap_folder(temp, folder)
        finally:
            shutil.rmtree(temp, ignore_errors=True)
        return index

    @classmethod
    def _build(cls, documents: list[Document], generation: str, spill: Path | None) -> SearchIndex:
        titles: list[str] = []
        text = SuffixText.build(_folded_segments(documents, titles), spill)
        # the lexicon before the original codes: its word list (~17 MB at 10k documents) is freed first
        pinyin = PinyinLexicon.build(_vocabulary(documents, _pinyin_sample(text, len(documents)))).to_json()
        codes, alphabet = _original_codes(documents, int(text.starts[len(documents)]))
        originals = (spilled(spill, "orig_codes", codes), alphabet)
        del codes
        meta = {
            "format": FORMAT,
            "version": VERSION,
            "generation": generation,
            "ids": [d.id for d in documents],
            "titles": titles,
            "dates": [_date_of(d) for d in documents],
            "provinces": [list(d.meta.provinces) for d in documents],
            # one string per document, not 170k at 10k documents: 14 MB less for every search process
            "people": ["\n".join(d.meta.people_names()) for d in documents],
            "kinds": [d.meta.kind for d in documents],
            "pinyin": pinyin,
        }
        return cls(text, originals, meta)

    def save(self, folder: Path) -> None:
        """Write into a temporary folder beside `folder`, then swap it in."""
        folder = Path(folder)
        temp = _temp_beside(folder)
        try:
            self._write(temp)
            _swap_folder(temp, folder)
        finally:
            shutil.rmtree(temp, ignore_errors=True)

    def _write(self, temp: Path) -> None:
        """Every file of the index into `temp` (those `build` spilled there already are kept), fsynced:
        a power cut after the swap must not leave a folder of holes that loads and answers wrongly."""
        self.text.save(temp)
        if not (temp / "orig_codes.npy").exists():
            np.save(temp / "orig_codes.npy", self._orig_codes, allow_pickle=False)
        np.save(temp / "orig_alphabet.npy", self._orig_alphabet, allow_pickle=False)
        with open(temp / META_FILE, "w", encoding="utf-8") as handle:
            json.dump(self.meta, handle, ensure_ascii=False, separators=(",", ":"))
        for path in temp.iterdir():
            with open(path, "rb") as handle:
                os.fsync(handle.fileno())

    @classmethod
    def load(cls, folder: Path) -> SearchIndex:
        """Open a saved index; raise on a missing, foreign or corrupt one (the caller rebuilds)."""
        folder = Path(folder)
        with open(folder / META_FILE, encoding="utf-8") as handle:
            meta = json.load(handle)
        if not isinstance(meta, dict) or meta.get("format") != FORMAT or meta.get("version") != VERSION:
            raise ValueError(f"{folder}: not a yuelan search index of version {VERSION}")
        text = SuffixText.load(folder)
        codes = np.asarray(np.load(folder / "orig_codes.npy", mmap_mode="r", allow_pickle=False))
        alphabet = np.asarray(np.load(folder / "orig_alphabet.npy", allow_pickle=False))
        n_docs = len(meta["ids"])
        if text.segments != 2 * n_docs or len(codes) != int(text.starts[n_docs]):
            raise ValueError(f"{folder}: index arrays do not match its document list")
        for key in ("titles", "dates", "provinces", "people", "kinds"):
            if len(meta[key]) != n_docs:
                raise ValueError(f"{folder}: index field {key} does not match its document list")
        return cls(text, (codes, alphabet), meta)

    def warm(self) -> None:
        """Fault in the mapped arrays and build the pinyin key table now, not on the first queries.

        Measured at 10k documents: the first pinyin query took 10 ms to build the key table and the
        first queries 20-160 ms for page faults; touching one byte per page costs ~45 ms when the
        files are in the page cache (the load runs in a worker thread in the app).
        """
        self.lexicon.lookup("a")
        for array in (self.text.codes, self.text.sa, self.text.owner, self._orig_codes):
            if len(array):
                int(array.view(np.uint8)[:: mmap.PAGESIZE].sum())

    # -- searching -------------------------------------------------------------------------------

    def search(
        self,
        query: str,
        *,
        limit: int = 50,
        scope_province: str | None = None,
        previous: SearchAnswer | None = None,
    ) -> SearchAnswer:
        """Ranked documents matching `query`; raises QueryError when it is malformed.

        `previous` is the answer to a query this one extends by typing: each form's suffix-array range
        is then searched only inside the range found for its prefix a keystroke ago.
        """
        if not query.strip():
            return SearchAnswer(query=query)
        parsed = parse(query)
        if parsed.is_empty:
            return SearchAnswer(query=query)
        refine = previous is not None and bool(previous.query.strip()) and query.startswith(previous.query)
        answer = self._answer(query, parsed, limit, scope_province, refine)
        if answer.total == 0 and (split := split_into_words(parsed)) is not None:
            answer = self._answer(query, split, limit, scope_province, refine=False)
            answer.words = tuple(t.text for t in split.terms if not t.negated)
        return answer

    def _answer(
        self, query: str, parsed: Query, limit: int, scope_province: str | None, refine: bool
    ) -> SearchAnswer:
        with self._lock:
            lookups = [self._look_up(term, refine) for term in parsed.terms]
            mask = self._matching(parsed, lookups, scope_province)
            scores = self._scores(parsed, [lk for lk in lookups if not lk.term.negated], refine)
        candidates = np.flatnonzero(mask)
        chosen = rank.top(scores, candidates, limit)
        positive = [lk for lk in lookups if not lk.term.negated]
        ranges = [r for lk in positive for r in lk.ranges]
        hits = self._hits(chosen, ranges, [f for lk in positive for f in lk.forms])
        results = [self._result(int(k), float(scores[k]), hits.get(int(k), [])) for k in chosen]
        return SearchAnswer(query=query, results=results, total=len(candidates))

    def _look_up(self, term: Term, refine: bool) -> _Lookup:
        weighted = [(form, 1.0) for form in term_forms(term)]
        if term.is_pinyin:
            matches = self.lexicon.lookup(term.text)[:MAX_PINYIN_WORDS]
            weighted += [(m.word, 1.0 if m.main else OTHER_READING_WEIGHT) for m in matches]
        tf = np.zeros(self.n_docs, dtype=np.float64)
        title_tf = np.zeros(self.n_docs, dtype=np.float64)
        present = np.zeros(self.n_docs, dtype=bool)
        forms: list[str] = []
        ranges: list[tuple[int, int, int]] = []
        for form, weight in weighted:
            found = self._form_counts(form, refine)
            if found is None:
                continue
            lo, hi, counts = found
            forms.append(form)
            ranges.append((lo, hi, len(form)))
            text_counts = counts[: self.n_docs]
            tf += weight * text_counts
            title_tf += counts[self.n_docs :]
            present |= text_counts > 0
        return _Lookup(term=term, forms=forms, tf=tf, present=present, title_tf=title_tf, ranges=ranges)

    def _form_counts(self, form: str, refine: bool) -> tuple[int, int, np.ndarray] | None:
        """The suffix-array slice of one folded form and its occurrences per segment (documents, then
        titles); None if it never occurs."""
        key = self.text.encode(form)
        if key is None:
            return None
        found = self._counts.get(key)
        if found is None:
            lo, hi = self._range(key, refine)
            found = (lo, hi, self.text.counts(lo, hi, 2 * self.n_docs))
            _remember(self._counts, key, found, CACHE_SIZE // 4)
        else:
            self._counts.move_to_end(key)
        return found if found[1] > found[0] else None

    def _range(self, key: bytes, refine: bool) -> tuple[int, int]:
        if key in self._ranges:
            return self._ranges[key]
        lo, hi = 0, len(self.text.sa)
        if refine:  # the range of a prefix typed a keystroke ago bounds this one
            for cut in range(len(key) - 2, 0, -2):
                if key[:cut] in self._ranges:
                    lo, hi = self._ranges[key[:cut]]
                    break
        found = self.text.find_range(key, lo, hi)
        _remember(self._ranges, key, found, CACHE_SIZE)
        return found

    def _matching(self, parsed: Query, lookups: list[_Lookup], scope_province: str | None) -> np.ndarray:
        mask = self._filter_mask(parsed.filters, scope_province)
        for lookup in lookups:
            mask &= ~lookup.present if lookup.term.negated else lookup.present
        return mask

    def _scores(self, parsed: Query, positive: list[_Lookup], refine: bool) -> np.ndarray:
        scores = np.zeros(self.n_docs, dtype=np.float64)
        for lookup in positive:
            weight = rank.PHRASE_BOOST if lookup.term.phrase else 1.0
            scores += weight * rank.bm25(lookup.tf, self.lengths, self.average_length, self.n_docs)
            df = int(np.count_nonzero(lookup.present))
            scores += rank.title_bonus(lookup.title_tf, df, self.n_docs) * lookup.present
        plain = [lk.term for lk in positive if not lk.term.phrase]
        if len(plain) > 1:  # the terms side by side, as a phrase, rank higher
            found = self._form_counts(fold("".join(t.text for t in plain)), refine)
            if found is not None:
                tf = found[2][: self.n_docs].astype(np.float64)
                scores += rank.PHRASE_BOOST * rank.bm25(tf, self.lengths, self.average_length, self.n_docs)
        return scores

    # -- filters ---------------------------------------------------------------------------------

    def _filter_mask(self, filters: Filters, scope_province: str | None) -> np.ndarray:
        mask = np.ones(self.n_docs, dtype=bool)
        provinces = list(filters.provinces) + ([_scope_name(scope_province)] if scope_province else [])
        for province in provinces:
            mask &= self._where(lambda k, p=province: p in self.meta["provinces"][k])
        people, kinds = self._folded_fields()
        for person in filters.people:
            mask &= self._where(lambda k, p=person: p in people[k])
        for kind in filters.kinds:
            mask &= self._where(lambda k, v=kind: v in kinds[k])
        for year, month in filters.dates:
            mask &= self._where(lambda k, y=year, m=month: _date_matches(self.meta["dates"][k], y, m))
        return mask

    def _scan(self, chosen: np.ndarray, form: str) -> tuple[np.ndarray, np.ndarray]:
        """(document, offset) of every occurrence of `form` in the chosen documents, by comparing codes."""
        key = self.text.encode(form)
        pattern = np.frombuffer(key or b"", dtype=self.text.codes.dtype)
        docs: list[np.ndarray] = []
        offsets: list[np.ndarray] = []
        for k in chosen.tolist():
            segment = self.text.codes[int(self.text.starts[k]) : int(self.text.starts[k + 1]) - 1]
            room = len(segment) - len(pattern) + 1
            if room <= 0 or not len(pattern):
                continue
            match = segment[:room] == pattern[0]
            for j in range(1, len(pattern)):
                match &= segment[j : j + room] == pattern[j]
            found = np.flatnonzero(match)
            docs.append(np.full(len(found), k, dtype=np.int64))
            offsets.append(found.astype(np.int64))
        if not docs:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        return np.concatenate(docs), np.concatenate(offsets)

    def _folded_fields(self) -> tuple[list[str], list[str]]:
        """Each document's officials (one line each) and kind, folded once for all later filters."""
        if self._folded is None:
            people = "\x00".join(self.meta["people"])
            kinds = "\x00".join(kind or "" for kind in self.meta["kinds"])
            self._folded = (fold(people).split("\x00"), fold(kinds).split("\x00"))
        return self._folded

    def _where(self, predicate: Any) -> np.ndarray:
        return np.fromiter((predicate(k) for k in range(self.n_docs)), dtype=bool, count=self.n_docs)

    # -- results ---------------------------------------------------------------------------------

    def _hits(
        self, chosen: np.ndarray, ranges: list[tuple[int, int, int]], forms: list[str]
    ) -> dict[int, list[Span]]:
        """Every occurrence of every form in the chosen documents.

        A rare form's occurrences are read off its suffix-array slice (no text decoded); a common
        one's slice can hold millions of entries (一 character at 50k documents), so its occurrences are
        found by comparing codes within the chosen documents instead: the cheaper of the two.
        """
        wanted = np.zeros(2 * self.n_docs, dtype=bool)
        wanted[chosen] = True
        lengths = self.text.starts[chosen + 1] - self.text.starts[chosen]
        scan_above = SCAN_FACTOR * int(lengths.sum())
        docs_parts, starts_parts, ends_parts = [], [], []
        for (lo, hi, length), form in zip(ranges, forms, strict=True):
            if hi - lo > scan_above:
                docs, starts = self._scan(chosen, form)
            else:
                owners = self.text.owner[lo:hi]
                keep = wanted[owners]
                docs = owners[keep].astype(np.int64)
                starts = self.text.sa[lo:hi][keep] - self.text.starts[docs]
            docs_parts.append(docs)
            starts_parts.append(starts)
            ends_parts.append(starts + length)
        if not docs_parts:
            return {}
        docs, starts, ends = (np.concatenate(p) for p in (docs_parts, starts_parts, ends_parts))
        order = np.lexsort((ends, starts, docs))
        docs, starts, ends = docs[order], starts[order], ends[order]
        if len(ranges) > 1:  # two forms may share an occurrence (a form inside another): keep it once
            fresh = np.ones(len(docs), dtype=bool)
            fresh[1:] = (np.diff(docs) != 0) | (np.diff(starts) != 0) | (np.diff(ends) != 0)
            docs, starts, ends = docs[fresh], starts[fresh], ends[fresh]
        bounds = np.flatnonzero(np.diff(docs)) + 1
        found: dict[int, list[Span]] = {}
        for group_docs, group_starts, group_ends in zip(
            np.split(docs, bounds), np.split(starts, bounds), np.split(ends, bounds), strict=True
        ):
            if len(group_docs):
                found[int(group_docs[0])] = list(map(Span, group_starts.tolist(), group_ends.tolist()))
        return found

    def _result(self, k: int, score: float, hits: list[Span]) -> SearchResult:
        begin = int(self.text.starts[k])
        length = int(self.text.starts[k + 1]) - 1 - begin

        def read(start: int, end: int) -> str:
            return decode(self._orig_codes[begin + start : begin + end], self._orig_alphabet)

        found = snippets(read, length, hits)
        return SearchResult(doc_id=self.ids[k], title=self.titles[k], score=score, hits=hits, snippets=found)


# -- helpers ----------------------------------------------------------------------------------------


def split_into_words(parsed: Query) -> Query | None:
    """The query with each bare Chinese term of 3+ characters cut into jieba words, or None if none is.

    People type 西藏合作 for 西藏 合作; when the exact string occurs nowhere, its words ANDed are the
    answer they meant. Phrases, pinyin and excluded terms are left as typed.
    """
    from store import segment

    terms: list[Term] = []
    changed = False
    for term in parsed.terms:
        words = [w for w in segment.cut(fold(term.text)) if w.strip()] if _splittable(term) else []
        if len(words) > 1:
            terms += [Term(word) for word in words]
            changed = True
        else:
            terms.append(term)
    return replace(parsed, terms=tuple(terms)) if changed else None


def _splittable(term: Term) -> bool:
    return not (term.phrase or term.negated or term.is_pinyin) and len(term.text) >= 3


def find_hits(folded: str, forms: Sequence[str]) -> list[Span]:
    """Every occurrence (overlapping ones too) of every form in the folded text, in order, once each."""
    spans: set[tuple[int, int]] = set()
    for form in forms:
        if not form:
            continue
        at = folded.find(form)
        while at >= 0:
            spans.add((at, at + len(form)))
            at = folded.find(form, at + 1)
    return [Span(s, e) for s, e in sorted(spans)]


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


def _pinyin_sample(text: SuffixText, n_docs: int) -> list[str]:
    """Every `step`-th folded document text (about PINYIN_SAMPLE_CHARS in all), decoded from the codes
    rather than kept from the first pass."""
    total = int(text.starts[n_docs]) - n_docs
    if not total:
        return []
    step = max(1, round(total / PINYIN_SAMPLE_CHARS))
    return [text.segment_text(k) for k in range(0, n_docs, step)]


def _vocabulary(documents: list[Document], sample: list[str]) -> list[str]:
    """Words for the pinyin lexicon: every person and place the extraction found, and the jieba words
    of a bounded sample spread over the corpus (tokenising all 30 M characters would take ~50 s)."""
    words: list[str] = []
    for doc in documents:
        meta = doc.meta
        words += meta.people_names() + list(meta.places) + list(meta.provinces)
        words += list(meta.mentioned_provinces) + ([meta.location] if meta.location else [])
    unique = [w for w in dict.fromkeys(words) if w and "\n" not in w]
    words = fold("\n".join(unique)).split("\n")  # one OpenCC call, not one per word (t2s keeps lines)
    if sample:
        from store import segment

        for text in sample:
            words += segment.cut(text)
    return words


def _date_of(doc: Document) -> list[int | None] | None:
    date = doc.meta.date
    return [date.year, date.month, date.day] if date else None


def _date_matches(date: list[int | None] | None, year: int, month: int | None) -> bool:
    if not date or date[0] != year:
        return False
    return month is None or date[1] == month


def _scope_name(name: str) -> str:
    """The full standard name the documents carry, from any form the caller has (甘, 甘肅省…)."""
    from store.gazetteer import resolve_province

    return resolve_province(name) or name


def _remember(cache: OrderedDict[bytes, Any], key: bytes, value: Any, size: int) -> None:
    cache[key] = value
    cache.move_to_end(key)
    while len(cache) > size:
        cache.popitem(last=False)


def _temp_beside(folder: Path) -> Path:
    folder.parent.mkdir(parents=True, exist_ok=True)
    temp = folder.with_name(f".{folder.name}.{uuid.uuid4().hex[:8]}.tmp")
    temp.mkdir()
    return temp


def _swap_folder(new: Path, target: Path) -> None:
    """Put `new` at `target`: a plain rename when nothing is there, else move the old one aside first."""
    if target.exists():
        old = target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}.old")
        os.replace(target, old)
        os.replace(new, target)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(new, target)
