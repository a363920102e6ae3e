"""Keyword-in-context snippets: a window of the line around each hit, hits made relative to it.

Snippets read only the characters they show, through `read(start, end)`, so a result never decodes
its whole document.
"""

from __future__ import annotations

import itertools
from bisect import bisect_left
from collections.abc import Callable

from store.models import Snippet, Span

CONTEXT = 24  # characters each side of a hit
MAX_SNIPPETS = 3
# A window takes in the hits that follow it only up to this width: where a term occurs every few
# characters (，or 的), merging every overlapping hit made one window of the whole document, and
# walking every hit of 200 such results twice was most of a dense query's time.
MAX_WINDOW = 6 * CONTEXT
LEAD = 60  # characters of the lead shown when a document matched on filters alone

Reader = Callable[[int, int], str]


def snippets(
    read: Reader, length: int, hits: list[Span], *, context: int = CONTEXT, limit: int = MAX_SNIPPETS
) -> list[Snippet]:
    """Up to `limit` windows around the first hits, overlapping ones merged, each cut at the line breaks
    before its first hit and after its last; one read per window."""
    if not hits:
        return _lead(read, length)
    windows: list[list[int]] = []  # start, end, first hit start, last hit end
    for hit in hits:
        start, end = max(0, hit.start - context), min(length, hit.end + context)
        if windows and start <= windows[-1][1]:
            if end - windows[-1][0] <= MAX_WINDOW:
                windows[-1][1] = max(windows[-1][1], end)
                windows[-1][3] = max(windows[-1][3], hit.end)
                continue
            if hit.start < windows[-1][1]:
                continue  # shown (or cut off) inside the full window
            start = windows[-1][1]  # the next window begins where the full one ends
        if len(windows) == limit:
            break
        windows.append([start, end, hit.start, hit.end])
    return [_cut(read(start, end), start, first, last, hits) for start, end, first, last in windows]


def _cut(text: str, start: int, first: int, last: int, hits: list[Span]) -> Snippet:
    """Trim the window to the lines holding its hits."""
    head = text.rfind("\n", 0, first - start) + 1
    tail = text.find("\n", last - start)
    text = text[head:] if tail < 0 else text[head:tail]
    return _snippet(text, start + head, hits)


def _lead(read: Reader, length: int) -> list[Snippet]:
    head = read(0, min(length, LEAD * 2))
    lead = head.strip()[:LEAD]
    return [Snippet(text=lead, start=head.find(lead), hits=[])] if lead else []


def _snippet(text: str, start: int, hits: list[Span]) -> Snippet:
    """The hits inside the window, made relative to it (hits are sorted: bisect to the first one)."""
    end = start + len(text)
    first = bisect_left(hits, start, key=lambda h: h.start)
    inside = []
    for hit in itertools.islice(hits, first, None):
        if hit.start >= end:
            break
        if hit.end <= end:
            inside.append(Span(hit.start - start, hit.end - start))
    return Snippet(text=text, start=start, hits=inside)
