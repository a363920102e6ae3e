"""The search index: substring-exact, script-blind, pinyin-aware, persisted beside the store.

A suffix array over the folded text of every document (and, as separate segments, every title) finds
any substring with two binary searches; counts per document come from the aligned owner array. The
index holds what it needs to answer alone: titles, dates, provinces, people and kinds for filters and
ranking, the original text for snippets, and a pinyin lexicon. It is saved as .npy arrays (loaded
memory-mapped, allow_pickle=False) and one JSON file: nothing in it can run code.
"""

from __future__ import annotations

import functools
import shutil
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from store.models import Document, SearchAnswer, SearchResult, Snippet, Span
from store.search import rank
from store.search.build import parts_over, small_part, vocabulary
from store.search.fields import DocFields
from store.search.part import IndexPart
from store.search.pinyin import PinyinLexicon
from store.search.query import Query, Term, parse, split_into_words, term_forms
from store.search.results import LazyResult
from store.search.saved import (
    META_FILE,
    SECTIONS_FILE,
    IndexUnusable,
    file_clock,
    meta_json,
    note_checked,
    read_meta,
    stamp_files,
    swap_folder,
    temp_beside,
    trusted_meta,
    write_sections,
)
from store.search.snippets import snippets
from store.storage.catalogue import store_stamp
from store.storage.db import write_atomically
from store.text.script import fold

PINYIN_SAMPLE_CHARS = 400_000  # jieba words for the pinyin lexicon come from a bounded, spread sample
MAX_PINYIN_WORDS = 30  # words one pinyin term expands to (main readings first)
MAX_BEGUN_WORDS = 5  # of which words the term spells only in part (`gong` → 工作, 共同…)
OTHER_READING_WEIGHT = 0.25  # a word reached only through a secondary reading, or only begun, ranks lower
# An import extends the index by a part over its new documents while the small parts after the first
# hold at most EXTEND_SHARE of the documents (and as many are dead), in at most MAX_PARTS parts; past
# that it rebuilds the whole index, which merges the small parts again. A part of at least half
# BATCH_CHARS (a batch of a large import, a part of a large build) is not small: it stays.
EXTEND_SHARE = 0.1
MAX_PARTS = 8


@dataclass
class _Lookup:
    """One term resolved against the index: its forms, and per-document counts."""

    term: Term
    tf: np.ndarray  # weighted occurrences in the text, per document
    present: np.ndarray  # bool, occurs in the text at least once
    title_tf: np.ndarray
    ranges: list[list[tuple[int, int, str]]]  # per part: suffix-array slice and form of every form found


class SearchIndex:
    """An index over documents in one or more parts; `order` ranks them newest first for score ties.

    Documents are numbered across the parts in the order the parts were built; a document whose
    report changed or left the store since its part was built is `dead`: never matched, and left out
    of the statistics, so the scores equal those of a fresh build over the live documents.
    """

    def __init__(self, parts: list[IndexPart], meta: Mapping[str, Any]):
        self.parts = parts
        self.meta = meta
        self.generation: str = meta["generation"]
        self.fields = DocFields.of_meta(meta)
        self.ids, self.titles = self.fields.ids, self.fields.titles
        self.n_docs = len(self.ids)
        self.order = np.asarray(meta.get("order") or range(self.n_docs), dtype=np.int64)
        self.alive = np.ones(self.n_docs, dtype=bool)
        self.alive[np.asarray(meta.get("dead", []), dtype=np.int64)] = False
        self.n_alive = int(self.alive.sum())
        self._some_dead = self.n_alive < self.n_docs
        self.lengths = np.concatenate([p.lengths for p in parts]) if parts else np.zeros(0)
        self.average_length = float(self.lengths[self.alive].mean()) if self.n_alive else 0.0
        self._part_of = np.repeat(np.arange(len(parts)), [p.n_docs for p in parts])
        self._lock = threading.Lock()

    # the pinyin lexicon, made when a pinyin term (or `warm`) first needs it
    lexicon = functools.cached_property(lambda self: PinyinLexicon.from_json(self.meta["pinyin"]))

    # -- building and persistence ----------------------------------------------------------------

    @classmethod
    def build(cls, documents: list[Document], generation: str, folder: Path | None = None) -> SearchIndex:
        """Index documents (newest first).

        Texts may be read from disk on every access, so each is read once per pass and dropped: the
        folded texts and titles stream into the suffix text, then, with the sort's memory given back,
        the original texts into the snippet codes. No list of texts is ever held.

        With `folder`, the index is written there (swapped in whole when complete) while it is built,
        each array mapped back from its file once written: an import's peak is then the sort's alone,
        not the arrays plus jieba's dictionary for the lexicon.
        """
        if folder is None:
            return cls._fresh(documents, generation, None)
        temp = temp_beside(Path(folder))
        try:
            index = cls._fresh(documents, generation, temp)
            index._write(temp)
            swap_folder(temp, Path(folder))
        finally:
            shutil.rmtree(temp, ignore_errors=True)
        return index

    @classmethod
    def _fresh(cls, documents: list[Document], generation: str, spill: Path | None) -> SearchIndex:
        """Parts of at most BATCH_CHARS characters over every document, in the order given (which is
        then their tie order too): the build's peak is one part's sort, however large the store."""
        parts, titles, pinyin = parts_over(documents, 0, spill, PINYIN_SAMPLE_CHARS, first_path="")
        order = list(range(len(documents)))
        return cls(parts, meta_json(documents, titles, generation, pinyin, parts, order))

    def extended(self, documents: list[Document], generation: str, folder: Path) -> SearchIndex | None:
        """This index (saved at `folder`) brought up to `documents` by adding one part over the new ones.

        None when a fresh build is the better answer: the new or dead documents are too many, or the
        parts too many (each adds a little to every query). Old parts are never rewritten; the new part
        is written into its own subfolder, then meta.json is replaced atomically, so a reader sees the
        old index or the new one, whole.
        """
        if Path(folder).is_symlink():  # never write through a link: a fresh build replaces it
            return None
        position = {doc_id: k for k, doc_id in enumerate(self.ids) if self.alive[k]}
        wanted = {d.id for d in documents}
        fresh = [d for d in documents if d.id not in position]
        dead = sorted(
            set(np.flatnonzero(~self.alive).tolist()) | {k for i, k in position.items() if i not in wanted}
        )
        small = [p for p in self.parts[1:] if small_part(p.chars)]
        fresh_small = bool(fresh) and small_part(sum(d.chars for d in fresh))
        added = sum(p.n_docs for p in small) + (len(fresh) if fresh_small else 0)
        if (
            len(small) + 1 + fresh_small > MAX_PARTS
            or added > EXTEND_SHARE * len(documents)
            or len(dead) > EXTEND_SHARE * (self.n_docs + len(fresh))
        ):
            return None
        pinyin = dict(self.meta["pinyin"])
        added_parts, titles, words = (
            parts_over(fresh, self.n_docs, Path(folder), PINYIN_SAMPLE_CHARS) if fresh else ([], [], {})
        )
        parts = self.parts + added_parts
        pinyin.update({w: r for w, r in words.items() if w not in pinyin})
        ids = self.ids + [d.id for d in fresh]
        newest = {d.id: k for k, d in enumerate(documents)}
        gone = set(dead)
        order = [len(documents) if k in gone else newest[doc_id] for k, doc_id in enumerate(ids)]
        meta = meta_json(fresh, titles, generation, pinyin, parts, order, previous=self.meta, dead=dead)
        write_atomically(folder / META_FILE, meta)
        write_sections(folder, meta, parts)
        return SearchIndex(parts, meta)

    def with_metadata(self, documents: list[Document], generation: str, folder: Path) -> SearchIndex:
        """This index with each live document's fields (date, provinces, officials, kind) taken from
        `documents` again, the pinyin of names it lacks added, and `generation`; meta.json is replaced
        atomically. For documents re-extracted from the same texts (store/reextract.py): the parts
        hold the texts and the titles and are not touched."""
        fresh = meta_json(documents, [d.title for d in documents], generation, {}, [], [])
        position = {doc_id: k for k, doc_id in enumerate(fresh["ids"])}
        meta = dict(self.meta)
        for key in ("dates", "provinces", "people", "kinds"):
            values = list(meta[key])
            for k, doc_id in enumerate(self.ids):
                if self.alive[k] and doc_id in position:
                    values[k] = fresh[key][position[doc_id]]
            meta[key] = values
        words = PinyinLexicon.build(vocabulary(documents, [])).to_json()
        meta["pinyin"] = dict(meta["pinyin"]) | {w: r for w, r in words.items() if w not in meta["pinyin"]}
        meta["generation"] = generation
        write_atomically(Path(folder) / META_FILE, meta)
        write_sections(Path(folder), meta, self.parts)
        return SearchIndex(self.parts, meta)

    def save(self, folder: Path) -> None:
        """Write into a temporary folder beside `folder`, then swap it in."""
        folder = Path(folder)
        temp = temp_beside(folder)
        try:
            self._write(temp)
            swap_folder(temp, folder)
        finally:
            shutil.rmtree(temp, ignore_errors=True)

    def _write(self, temp: Path) -> None:
        """Every file of the index into `temp` (those `build` spilled there already are kept), fsynced."""
        for part in self.parts:
            part.save(temp / part.path)
        write_atomically(temp / META_FILE, dict(self.meta))
        write_sections(temp, self.meta, self.parts)

    @classmethod
    def load(cls, folder: Path) -> SearchIndex:
        """Open a saved index; `IndexUnusable` when missing, foreign or damaged (the caller rebuilds).
        Every field and array is checked unless the files are those it was written or last checked as
        (trusted_meta); once checked in full, the files' stamps, taken before they were read, are
        written beside them (saved.note_checked), so the next open need not read them through."""
        folder = Path(folder)
        sections_were = store_stamp(folder / SECTIONS_FILE)
        trusted = trusted_meta(folder)  # neither parsed nor read through
        unread = trusted is None and folder.is_dir() and not folder.is_symlink()
        since = file_clock(folder) if unread else None  # before the stamps: see saved.note_checked
        stamps = stamp_files(folder, None) if trusted is None else {}
        meta = read_meta(folder) if trusted is None else trusted
        parts, first = [], 0
        for entry in meta["parts"]:
            path, count = str(entry["path"]), int(entry["docs"])
            try:
                if trusted is None:
                    stamps |= stamp_files(folder, path)
                parts.append(IndexPart.load(folder / path, first, path, count, full=trusted is None))
            except (OSError, ValueError) as exc:  # a part missing, truncated or of the wrong shape
                raise IndexUnusable(f"{folder / path}: {exc}") from exc
            first += count
        if first != len(meta["ids"]):
            raise IndexUnusable(f"{folder}: index parts do not match its document list")
        index = cls(parts, meta)
        index.checked = trusted is None  # read through and checked here (saved.trusted_meta: why not)
        if index.checked:
            note_checked(folder, meta, parts, stamps, since, sections_were)
        return index

    def warm(self) -> None:
        """Fault in the mapped arrays and build the pinyin key table now, not on the first queries.

        Otherwise the first pinyin query builds the key table and the first queries wait on page
        faults; touching one byte per page is cheap when the files are in the page cache (the load runs
        in a worker thread in the app).
        """
        self.lexicon.lookup("a")
        for part in self.parts:
            part.warm()

    def clear_caches(self) -> None:
        """Forget the suffix-array ranges found so far (the benchmark's cold typing runs)."""
        for part in self.parts:
            part.clear_caches()

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
        chosen = rank.top(scores, candidates, limit, self.order)
        positive = [lk for lk in lookups if not lk.term.negated]
        hits = self._hits(
            chosen, [[r for lk in positive for r in lk.ranges[i]] for i in range(len(self.parts))]
        )
        results = [self._result(int(k), float(scores[k]), hits.get(int(k), [])) for k in chosen]
        return SearchAnswer(query=query, results=results, total=len(candidates))

    def _look_up(self, term: Term, refine: bool) -> _Lookup:
        weighted = [(form, 1.0) for form in term_forms(term)]
        if term.is_pinyin:
            weighted += _pinyin_forms(self.lexicon, term.text)
        tf = np.zeros(self.n_docs, dtype=np.float64)
        title_tf = np.zeros(self.n_docs, dtype=np.float64)
        present = np.zeros(self.n_docs, dtype=bool)
        ranges: list[list[tuple[int, int, str]]] = [[] for _ in self.parts]
        for number, part in enumerate(self.parts):
            found = part.counts(weighted, refine)
            if found is None:
                continue
            ranges[number] = found.ranges
            span = slice(part.first, part.first + part.n_docs)
            for weight, counts in found.counts:
                text_counts = counts[: part.n_docs]
                tf[span] += weight * text_counts
                title_tf[span] += counts[part.n_docs :]
                present[span] |= text_counts > 0
        if self._some_dead:
            tf *= self.alive
            title_tf *= self.alive
            present &= self.alive
        return _Lookup(term=term, tf=tf, present=present, title_tf=title_tf, ranges=ranges)

    def _form_tf(self, form: str, refine: bool) -> np.ndarray:
        """Occurrences of one folded form in each document's text (0 for the dead)."""
        tf = np.zeros(self.n_docs, dtype=np.float64)
        for part in self.parts:
            found = part.counts([(form, 1.0)], refine)
            if found is not None:
                tf[part.first : part.first + part.n_docs] = found.counts[0][1][: part.n_docs]
        return tf * self.alive if self._some_dead else tf

    def _matching(self, parsed: Query, lookups: list[_Lookup], scope_province: str | None) -> np.ndarray:
        mask = self.fields.mask(parsed.filters, scope_province)
        for lookup in lookups:
            mask &= ~lookup.present if lookup.term.negated else lookup.present
        return mask & self.alive if self._some_dead else mask

    def _scores(self, parsed: Query, positive: list[_Lookup], refine: bool) -> np.ndarray:
        scores = np.zeros(self.n_docs, dtype=np.float64)
        for lookup in positive:
            weight = rank.PHRASE_BOOST if lookup.term.phrase else 1.0
            rank.add_bm25(scores, lookup.tf, self._norm, self.n_alive, weight)
            df = int(np.count_nonzero(lookup.present))
            rank.add_title_bonus(scores, lookup.title_tf, lookup.present, df, self.n_alive)
        plain = [lk.term for lk in positive if not lk.term.phrase]
        if len(plain) > 1:  # the terms side by side, as a phrase, rank higher
            tf = self._form_tf(fold("".join(t.text for t in plain)), refine)
            rank.add_bm25(scores, tf, self._norm, self.n_alive, rank.PHRASE_BOOST)
        return scores

    @functools.cached_property
    def _norm(self) -> np.ndarray:
        """BM25's length normalisation of every document (rank.length_norm), computed once."""
        return rank.length_norm(self.lengths, self.average_length)

    # -- results ---------------------------------------------------------------------------------

    def _hits(self, chosen: np.ndarray, ranges: list[list[tuple[int, int, str]]]) -> dict[int, list[Span]]:
        """Every occurrence of every form found, in the chosen documents, part by part."""
        found: dict[int, list[Span]] = {}
        owners = self._part_of[chosen] if len(self.parts) > 1 else np.zeros(len(chosen), dtype=np.int64)
        for number, part in enumerate(self.parts):
            mine = chosen[owners == number]
            if len(mine) and ranges[number]:
                for local, spans in part.hits(mine - part.first, ranges[number]).items():
                    found[local + part.first] = spans
        return found

    def _result(self, k: int, score: float, hits: list[Span]) -> SearchResult:
        part = self.parts[int(self._part_of[k])]
        local = k - part.first

        def cut(hits: list[Span]) -> list[Snippet]:
            read, length = part.reader(local)
            return snippets(read, length, hits)

        return LazyResult(self.ids[k], self.titles[k], score, hits, cut)


# -- helpers ----------------------------------------------------------------------------------------


def _pinyin_forms(lexicon: PinyinLexicon, typed: str) -> list[tuple[str, float]]:
    """The words a pinyin term is searched as, with their weights: at most MAX_PINYIN_WORDS, of which
    at most MAX_BEGUN_WORDS only begun (`ji` → 机制, 积极…): every keystroke of a name is a search,
    and the first ones, vague, would otherwise spend their time on thirty of the commonest words."""
    forms: list[tuple[str, float]] = []
    begun = 0
    for match in lexicon.lookup(typed, limit=MAX_PINYIN_WORDS):
        begun += not match.whole
        if match.whole or begun <= MAX_BEGUN_WORDS:
            forms.append((match.word, 1.0 if match.main and match.whole else OTHER_READING_WEIGHT))
    return forms
