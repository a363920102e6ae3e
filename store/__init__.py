"""yuelan's headless core: decoding, cleaning, script folding, extraction, search and storage.

Nothing in this package imports textual; the terminal front end lives in `tui`, and it imports only the
names in `__all__` below (tests/test_layout.py checks both). Names are loaded on first use (PEP 562), so
`import store` costs nothing: the browser's first frame must not wait for OpenCC, TinyDB or numpy.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from store.analysis.derived import Derived, derive
    from store.analysis.pacing import EVERY as PACE_EVERY
    from store.analysis.pairs import Pair, build_pairs
    from store.analysis.people import Official, PeopleFinder, build_people, find_people, name_pinyin
    from store.analysis.timeline import Month, build_timeline, month_of
    from store.corpus import Corpus, StoreInfo
    from store.extract.gazetteer import province_names, province_short, resolve_province
    from store.importer import ImportReport
    from store.meetings.adds import added_sentences, sentence_count
    from store.meetings.model import Meeting
    from store.models import Document, MeetingDate, SearchAnswer, SearchResult, Snippet, Span
    from store.provenance import provenance
    from store.search.query import MAX_LIMIT, QueryError
    from store.search.query import parse as parse_query
    from store.storage.answers import code_key
    from store.storage.db import StoreError, write_atomically, write_bytes_atomically
    from store.storage.entry import Entry
    from store.storage.heap import paused_gc
    from store.storage.lookup import Lookup
    from store.storage.paths import resolve_store_path
    from store.text import SCRIPTS, Script
    from store.text.safe import json_safe, terminal_safe
    from store.text.script import (
        DEFAULT_STANDARD,
        STANDARD_NAMES,
        STANDARDS,
        fold,
        has_lone_surrogate,
        prefer_standard,
        preferred_standard,
        render,
        shown_bytes,
    )
    from store.text.segment import warm_up as warm_up_segmenter
    from store.text.segment import warm_up_untaught as warm_up_splitter
    from store.tree import UNPLACED, TreeNode

# Public name → (module, name in that module).
_EXPORTS: dict[str, tuple[str, str]] = {
    "Corpus": ("store.corpus", "Corpus"),
    "ImportReport": ("store.importer", "ImportReport"),
    "Entry": ("store.storage.entry", "Entry"),
    "Lookup": ("store.storage.lookup", "Lookup"),
    "code_key": ("store.storage.answers", "code_key"),
    "Meeting": ("store.meetings.model", "Meeting"),
    "StoreInfo": ("store.corpus", "StoreInfo"),
    "resolve_store_path": ("store.storage.paths", "resolve_store_path"),
    "Document": ("store.models", "Document"),
    "MeetingDate": ("store.models", "MeetingDate"),
    "SearchAnswer": ("store.models", "SearchAnswer"),
    "SearchResult": ("store.models", "SearchResult"),
    "Snippet": ("store.models", "Snippet"),
    "Span": ("store.models", "Span"),
    "provenance": ("store.provenance", "provenance"),
    "QueryError": ("store.search.query", "QueryError"),
    "MAX_LIMIT": ("store.search.query", "MAX_LIMIT"),
    "parse_query": ("store.search.query", "parse"),
    "has_lone_surrogate": ("store.text.script", "has_lone_surrogate"),
    "shown_bytes": ("store.text.script", "shown_bytes"),
    "StoreError": ("store.storage.db", "StoreError"),
    "write_atomically": ("store.storage.db", "write_atomically"),
    "write_bytes_atomically": ("store.storage.db", "write_bytes_atomically"),
    "json_safe": ("store.text.safe", "json_safe"),
    "terminal_safe": ("store.text.safe", "terminal_safe"),
    "DEFAULT_STANDARD": ("store.text.script", "DEFAULT_STANDARD"),
    "STANDARD_NAMES": ("store.text.script", "STANDARD_NAMES"),
    "STANDARDS": ("store.text.script", "STANDARDS"),
    "Script": ("store.text", "Script"),
    "SCRIPTS": ("store.text", "SCRIPTS"),
    "fold": ("store.text.script", "fold"),
    "prefer_standard": ("store.text.script", "prefer_standard"),
    "preferred_standard": ("store.text.script", "preferred_standard"),
    "render": ("store.text.script", "render"),
    "warm_up_segmenter": ("store.text.segment", "warm_up"),
    "warm_up_splitter": ("store.text.segment", "warm_up_untaught"),
    "UNPLACED": ("store.tree", "UNPLACED"),
    "TreeNode": ("store.tree", "TreeNode"),
    "resolve_province": ("store.extract.gazetteer", "resolve_province"),
    "province_names": ("store.extract.gazetteer", "province_names"),
    "province_short": ("store.extract.gazetteer", "province_short"),
    "Official": ("store.analysis.people", "Official"),
    "PeopleFinder": ("store.analysis.people", "PeopleFinder"),
    "name_pinyin": ("store.analysis.people", "name_pinyin"),
    "Derived": ("store.analysis.derived", "Derived"),
    "PACE_EVERY": ("store.analysis.pacing", "EVERY"),
    "derive": ("store.analysis.derived", "derive"),
    "build_people": ("store.analysis.people", "build_people"),
    "find_people": ("store.analysis.people", "find_people"),
    "Pair": ("store.analysis.pairs", "Pair"),
    "build_pairs": ("store.analysis.pairs", "build_pairs"),
    "added_sentences": ("store.meetings.adds", "added_sentences"),
    "sentence_count": ("store.meetings.adds", "sentence_count"),
    "Month": ("store.analysis.timeline", "Month"),
    "paused_gc": ("store.storage.heap", "paused_gc"),
    "build_timeline": ("store.analysis.timeline", "build_timeline"),
    "month_of": ("store.analysis.timeline", "month_of"),
}

__all__ = [
    "DEFAULT_STANDARD",
    "MAX_LIMIT",
    "PACE_EVERY",
    "SCRIPTS",
    "STANDARDS",
    "STANDARD_NAMES",
    "UNPLACED",
    "Corpus",
    "Derived",
    "Document",
    "Entry",
    "ImportReport",
    "Lookup",
    "Meeting",
    "MeetingDate",
    "Month",
    "Official",
    "Pair",
    "PeopleFinder",
    "QueryError",
    "Script",
    "SearchAnswer",
    "SearchResult",
    "Snippet",
    "Span",
    "StoreError",
    "StoreInfo",
    "TreeNode",
    "added_sentences",
    "build_pairs",
    "build_people",
    "build_timeline",
    "code_key",
    "derive",
    "find_people",
    "fold",
    "has_lone_surrogate",
    "json_safe",
    "month_of",
    "name_pinyin",
    "parse_query",
    "paused_gc",
    "prefer_standard",
    "preferred_standard",
    "provenance",
    "province_names",
    "province_short",
    "render",
    "resolve_province",
    "resolve_store_path",
    "sentence_count",
    "shown_bytes",
    "terminal_safe",
    "warm_up_segmenter",
    "warm_up_splitter",
    "write_atomically",
    "write_bytes_atomically",
]


def __getattr__(name: str) -> Any:
    try:
        module, attribute = _EXPORTS[name]
    except KeyError:
        raise AttributeError(f"module 'store' has no attribute {name!r}") from None
    value = getattr(importlib.import_module(module), attribute)
    globals()[name] = value  # the next lookup is a plain global
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
