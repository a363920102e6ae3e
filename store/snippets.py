"""Keyword-in-context snippets: a window of the line around each hit, hits made relative to it.

Snippets read only the characters they show, through `read(start, end)`, so a result never decodes
its whole document.
"""

from __future__ import annotations

from collections.abc import Callable

from store.models import Snippet, Span

CONTEXT = 24  # characters each side of a hit
MAX_SNIPPETS = 3
LEAD = 60  # characters of the lead shown when a document matched on filters alone

Reader = Callable[[int, int], str]


def snippets(
    read: Reader, length: int, hits: list[Span], *, context: int = CONTEXT, limit: int = MAX_SNIPPETS
) -> list[Snippet]:
    """Up to `limit` windows around the first hits, each kept within its line, overlapping ones merged."""
    if not hits:
        return _lead(read, length)
    windows: list[list[int]] = []
    for hit in hits:
        start, end = _window(read, length, hit, context)
        if windows and start <= windows[-1][1]:
            windows[-1][1] = max(windows[-1][1], end)
        elif len(windows) == limit:
            break
        else:
            windows.append([start, end])
    return [_snippet(read(start, end), start, hits) for start, end in windows]


def _window(read: Reader, length: int, hit: Span, context: int) -> tuple[int, int]:
    """Up to `context` characters each side of the hit, not crossing a line break."""
    before_start = max(0, hit.start - context)
    before = read(before_start, hit.start)
    after = read(hit.end, min(length, hit.end + context))
    newline = before.rfind("\n")
    start = before_start + newline + 1 if newline >= 0 else before_start
    newline = after.find("\n")
    end = hit.end + (newline if newline >= 0 else len(after))
    return start, end


def _lead(read: Reader, length: int) -> list[Snippet]:
    head = read(0, min(length, LEAD * 2))
    lead = head.strip()[:LEAD]
    return [Snippet(text=lead, start=head.find(lead), hits=[])] if lead else []


def _snippet(text: str, start: int, hits: list[Span]) -> Snippet:
    end = start + len(text)
    inside = [Span(h.start - start, h.end - start) for h in hits if h.start >= start and h.end <= end]
    return Snippet(text=text, start=start, hits=inside)
