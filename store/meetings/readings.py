"""The reports an import places, made from its documents on first use, and what their texts gave
(session numbers, shingles) kept across the import's batches (store/meetings/kept.py: `_placed`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np

    from store.models import Document

Reading = tuple["Document", "frozenset[int] | None", "np.ndarray"]
"""What grouping read of a report's text (Decider.read), and the document it was read from."""


class Reports(dict):  # type: ignore[type-arg]
    """Reports made from documents on first use, with the text bands kept for them; `readings`: what an
    earlier batch of the import read of their texts, given back to a stored report (never to a new one,
    whose bands reading it makes)."""

    def __init__(
        self,
        docs: dict[str, Document],
        bands: dict[str, list[int]],
        readings: dict[str, Reading] | None = None,
    ) -> None:
        super().__init__()
        self.docs, self.bands, self.readings = docs, bands, readings
        self.names: dict[str, str] = {}  # one string per official's name

    def __missing__(self, doc_id: str) -> Any:
        from store.meetings.reports import report_of

        doc = self.docs[doc_id]
        report = self[doc_id] = report_of(doc)
        report.bands = list(self.bands.get(doc_id, ()))
        report.people = frozenset(self.names.setdefault(name, name) for name in report.people)
        read = self.readings.get(doc_id) if self.readings is not None and doc_id in self.bands else None
        if read is not None and read[0] is doc:
            report._ordinals, report._shingles = read[1], read[2]
        return report
