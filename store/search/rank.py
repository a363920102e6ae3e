"""BM25 over the query's own terms, with occurrence counts taken from the suffix array.

No tokenising at build time: a term's frequency in a document is its number of occurrences (every
expansion counted), its document frequency is the number of documents it occurs in, and a document's
length is its length in characters. That is BM25 with the query's substrings as the vocabulary, which
ranks a substring-exact engine the way BM25 over words ranks a word engine, and costs a `bincount`.
"""

from __future__ import annotations

import numpy as np

K1 = 1.2
B = 0.75
TITLE_BOOST = 1.5  # a term in the title is worth this many extra idf units
PHRASE_BOOST = 2.0  # a quoted phrase, or the terms found side by side, weigh this much more


def idf(df: int, n_docs: int) -> float:
    """Robertson–Spärck Jones idf, floored at a small positive value so common terms still count."""
    return float(np.log1p((n_docs - df + 0.5) / (df + 0.5)))


def bm25(tf: np.ndarray, lengths: np.ndarray, average_length: float, n_docs: int) -> np.ndarray:
    """BM25 contribution of one term for every document (0 where it does not occur)."""
    df = int(np.count_nonzero(tf))
    if df == 0:
        return np.zeros(len(tf), dtype=np.float64)
    norm = K1 * (1.0 - B + B * lengths / max(average_length, 1.0))
    tf = tf.astype(np.float64, copy=False)
    return idf(df, n_docs) * tf * (K1 + 1.0) / (tf + norm)


def length_norm(lengths: np.ndarray, average_length: float) -> np.ndarray:
    """BM25's length normalisation of every document, as `bm25` computes it each time."""
    return K1 * (1.0 - B + B * lengths / max(average_length, 1.0))


def add_bm25(scores: np.ndarray, tf: np.ndarray, norm: np.ndarray, n_docs: int, weight: float = 1.0) -> None:
    """`scores += weight * bm25(tf, …)` with the norm computed once (`length_norm`), and only where
    the term occurs when that is under half the documents: elsewhere the addition is of 0.0, so the
    scores are the same to the last bit, without passes over every document of a large index."""
    df = int(np.count_nonzero(tf))
    if not df:
        return
    if 2 * df > len(tf):
        tf = tf.astype(np.float64, copy=False)
        scores += weight * (idf(df, n_docs) * tf * (K1 + 1.0) / (tf + norm))
        return
    where = np.flatnonzero(tf)
    some = tf[where].astype(np.float64, copy=False)
    scores[where] += weight * (idf(df, n_docs) * some * (K1 + 1.0) / (some + norm[where]))


def add_title_bonus(
    scores: np.ndarray, title_tf: np.ndarray, present: np.ndarray, df: int, n_docs: int
) -> None:
    """`scores += title_bonus(title_tf, df, n_docs) * present`, added only where it is not 0."""
    titled = np.flatnonzero(title_tf)  # counts: never negative
    scores[titled[present[titled]]] += TITLE_BOOST * idf(max(df, 1), n_docs)


def title_bonus(title_tf: np.ndarray, df: int, n_docs: int) -> np.ndarray:
    """Extra score where the term is in the title."""
    return (title_tf > 0) * (TITLE_BOOST * idf(max(df, 1), n_docs))


def top(
    scores: np.ndarray, candidates: np.ndarray, limit: int, order: np.ndarray | None = None
) -> np.ndarray:
    """The best `limit` candidates by score; ties by `order` (the newest meeting first), else position."""
    if limit <= 0 or not len(candidates):
        return candidates[:0]
    chosen = scores[candidates]
    if len(candidates) > limit:
        # keep every candidate tied with the limit-th best, so ties break by position, not by partition
        cut = np.partition(-chosen, limit - 1)[limit - 1]
        keep = -chosen <= cut
        candidates, chosen = candidates[keep], chosen[keep]
    ties = candidates if order is None else order[candidates]
    return candidates[np.lexsort((ties, -chosen))][:limit]
