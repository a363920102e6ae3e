"""Reading the stored texts again with the current extraction rules (`yuelan reextract`).

Extraction improves after reports are imported; a store should not have to be rebuilt from its sources
for every rule change. The cleaned texts are already stored, so only `extract` runs again (in worker
processes when there are many documents, as in an import), and only the documents whose metadata
changed are rewritten. The search index's texts are unchanged too: its per-document fields (dates,
provinces, officials, kinds) are replaced in its meta.json, unless a title changed (titles are
searchable text) or the index was behind the store, when it is built again.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from store.models import Document, Extraction
from store.storage.texts import StoredText
from store.workers import mapped

if TYPE_CHECKING:
    from store.search.index import SearchIndex
    from store.writer import Progress


def extract_stored(job: tuple[str, Any]) -> tuple[str, Extraction]:
    """One document's extraction from its stored cleaned text (a worker reads it back from the file)."""
    from store.extract.extractor import extract  # the gazetteer and jieba load in the process that extracts

    doc_id, text = job
    return doc_id, extract(text.read() if isinstance(text, StoredText) else text)


def extractions(
    documents: list[Document], progress: Progress | None = None
) -> Iterator[tuple[str, Extraction]]:
    """(id, new extraction) for each document, in order, across all cores when there are many."""
    jobs = [(d.id, d.stored("text")) for d in documents]
    paths = [d.paths[0] if d.paths else d.id for d in documents]
    # jieba and the gazetteer loaded once before the fork, inherited by every worker
    warm = lambda: extract_stored(jobs[0])  # noqa: E731
    for number, result in enumerate(mapped(extract_stored, jobs, before_fork=warm), 1):
        if progress:
            progress(number, len(jobs), paths[number - 1])
        yield result


def reextract_documents(
    documents: list[Document], progress: Progress | None = None
) -> tuple[list[str], bool]:
    """Give each document its extraction under the current rules; the ids of those that changed, and
    whether any title changed."""
    by_id = {d.id: d for d in documents}
    changed: list[str] = []
    titles_changed = False
    for doc_id, meta in extractions(documents, progress):
        document = by_id[doc_id]
        if meta.to_dict() != document.meta.to_dict():
            titles_changed |= meta.title != document.meta.title
            document.meta = meta
            changed.append(doc_id)
    return changed, titles_changed


def refreshed_index(
    documents: list[Document], generation: str, indexed_generation: str, titles_changed: bool, folder: Any
) -> SearchIndex:
    """The index after a re-extraction: its fields replaced when it was current, else built again."""
    from store.search.index import SearchIndex  # numpy and the index load only when the index is refreshed
    from store.search.saved import IndexUnusable

    index = None
    if not titles_changed:
        try:
            index = SearchIndex.load(folder)
        except IndexUnusable:  # missing, foreign or corrupt: built afresh below
            index = None
    if index is not None and index.generation == indexed_generation:
        return index.with_metadata(documents, generation, folder)
    return SearchIndex.build(documents, generation, folder=folder)
