"""A search result whose snippets are cut when first read, not when the search answers.

Cutting three snippets for each of 50 results was most of a 3- or 4-character query's time, and the
browser draws a screenful of rows; the CLI, which prints them all, reads them all. The snippets read
the index's mapped text, which stays valid while the result is held.
"""

from __future__ import annotations

from collections.abc import Callable

from store.models import SearchResult, Snippet, Span

Cutter = Callable[[list[Span]], list[Snippet]]


class LazyResult(SearchResult):
    """A `SearchResult` (same fields, equality and `to_dict`) with `snippets` made on first access."""

    def __init__(self, doc_id: str, title: str, score: float, hits: list[Span], cut: Cutter) -> None:
        super().__init__(doc_id, title, score, hits)
        self._cut: Cutter | None = cut

    @property  # type: ignore[override]
    def snippets(self) -> list[Snippet]:
        if self._cut is not None:
            self._snippets, self._cut = self._cut(self.hits), None
        return self._snippets

    @snippets.setter
    def snippets(self, value: list[Snippet]) -> None:
        self._snippets, self._cut = value, None
