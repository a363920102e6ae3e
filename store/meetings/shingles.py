"""How much text two reports share: character shingles of the t2s-folded text, sampled, and banded
MinHash for finding near-copies among reports the dates do not bring together.

A wire story and its reposts (another site's chrome around it, Traditional script, a paragraph
dropped) share most of their three-character runs; two reports of one meeting written by each side
share names and set phrases but few runs; two sessions of one series share the series' boilerplate.
Containment (shared / the smaller set) rather than Jaccard: a repost cut short, or padded with a
site's menus, still contains the story.

Shingles are hashed with a fixed arithmetic hash (Python's `hash` of a str changes from process to
process, and a grouping must not) and one in `SAMPLE` is kept: decisions need a few hundred per
report, not thousands, and every report keeps the same ones, so shared ones stay shared.
"""

from __future__ import annotations

import numpy as np

WIDTH = 3  # characters a shingle: a name or a set phrase spans two to four
SAMPLE = 8  # one shingle hash in SAMPLE kept
BANDS = 8  # LSH bands of ROWS MinHash values each: two near-copies share one band almost surely;
# three rows, not two: reports that share only the genre's set phrases then rarely share a band
ROWS = 3
MIN_SHINGLES = 12  # fewer sampled shingles (under ~100 characters) is too little text to call a copy
_MASK = np.uint64(0xFFFFFFFFFFFFFFFF)
_PRIME = np.uint64(1_000_003)
_MIX = np.uint64(0x9E3779B97F4A7C15)
_SEEDS = np.random.default_rng(20241113).integers(
    1, 2**63, size=(BANDS * ROWS, 2), dtype=np.uint64
) | np.uint64(1)


def characters(folded: str) -> np.ndarray:
    """The folded text's ideographs, letters and digits as code points (punctuation, spaces and line
    breaks differ between copies of one story and say nothing about it)."""
    points = np.frombuffer(folded.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    cjk = (points >= 0x3400) & (points <= 0x9FFF)
    alnum = ((points >= 0x30) & (points <= 0x39)) | ((points >= 0x61) & (points <= 0x7A))
    return points[cjk | alnum]


def shingle_hashes(folded: str) -> np.ndarray:
    """Sorted distinct hashes of the WIDTH-character shingles of a text folded to Simplified (the
    caller folds: most reports are Simplified already, and folding costs more than the rest)."""
    points = characters(folded)
    if len(points) < WIDTH:
        return np.zeros(0, dtype=np.uint64)
    with np.errstate(over="ignore"):
        value = np.zeros(len(points) - WIDTH + 1, dtype=np.uint64)
        for offset in range(WIDTH):
            value = value * _PRIME + points[offset : len(points) - WIDTH + 1 + offset]
        value = (value * _MIX) & _MASK
        value ^= value >> np.uint64(29)
        value = (value * _MIX) & _MASK
    kept = value[value % np.uint64(SAMPLE) == 0]
    return np.unique(kept)


def containment(a: np.ndarray, b: np.ndarray) -> float:
    """Shared shingles over the smaller report's: 1.0 for a copy, however much chrome the other adds."""
    smaller = min(len(a), len(b))
    if smaller == 0:
        return 0.0
    return len(np.intersect1d(a, b, assume_unique=True)) / smaller


def band_keys(hashes: np.ndarray) -> list[int]:
    """One 32-bit key per band (its number and its ROWS minima hashed together): reports sharing a key
    are candidates for being copies of one story whatever their dates say. Kept in the store, so an
    import finds the copies of a new report without reading every other report's text."""
    if len(hashes) < MIN_SHINGLES:
        return []
    with np.errstate(over="ignore"):
        mins = ((hashes[None, :] * _SEEDS[:, :1] + _SEEDS[:, 1:]) & _MASK).min(axis=1)
        rows = mins.reshape(BANDS, ROWS)
        key = np.arange(BANDS, dtype=np.uint64)
        for column in range(ROWS):
            key = ((key * _MIX) & _MASK) ^ rows[:, column]
        key = (key * _MIX) & _MASK
    return [int(v) for v in key >> np.uint64(32)]
