"""Keyword-in-context snippets: a window of the line around each hit, hits made relative to it."""

from __future__ import annotations

from store.models import Snippet, Span

CONTEXT = 24  # characters each side of a hit
MAX_SNIPPETS = 3
LEAD = 60  # characters of the lead shown when a document matched on filters alone


def snippets(
    text: str, hits: list[Span], *, context: int = CONTEXT, limit: int = MAX_SNIPPETS
) -> list[Snippet]:
    """Up to `limit` windows around the first hits, each kept within its line, overlapping ones merged."""
    if not hits:
        lead = text.strip()[:LEAD]
        start = text.find(lead) if lead else 0
        return [Snippet(text=lead, start=max(start, 0), hits=[])] if lead else []
    windows: list[list[int]] = []
    for hit in hits:
        line_start = text.rfind("\n", 0, hit.start) + 1
        line_end = text.find("\n", hit.end)
        line_end = len(text) if line_end < 0 else line_end
        start, end = max(line_start, hit.start - context), max(hit.end, min(line_end, hit.end + context))
        if windows and start <= windows[-1][1]:
            windows[-1][1] = max(windows[-1][1], end)
        elif len(windows) == limit:
            break
        else:
            windows.append([start, end])
    return [_snippet(text, start, end, hits) for start, end in windows]


def _snippet(text: str, start: int, end: int, hits: list[Span]) -> Snippet:
    inside = [Span(h.start - start, h.end - start) for h in hits if h.start >= start and h.end <= end]
    return Snippet(text=text[start:end], start=start, hits=inside)
