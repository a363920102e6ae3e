"""A small in-memory corpus with the `Corpus` interface, for app tests that must not depend on the store.

Its documents are the real seeds, cleaned by `store.text.clean`; its search is a brute-force substring scan of
the folded text (the definition the real index is held to), its tree groups meetings by participating
province. The tests in this file check the double itself against the seeds, so it cannot drift into
returning whatever a test wants.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from store.corpus import StoreInfo, bundled_seeds, content_id
from store.models import Document, Extraction, MeetingDate, Person, SearchAnswer, SearchResult, Snippet, Span
from store.text.clean import clean_text, detect_script
from store.text.decode import read_source
from store.text.script import fold

# What a reader of the seeds sees: who took part, when, who was there (hand-labelled).
SEED_META: dict[str, Extraction] = {
    "000": Extraction(
        title="迭部县赴舟曲、宕昌等兄弟县市交流民族团结进步创建工作",
        provinces=["甘肃省"],
        people=[Person("才项当智", "县委书记")],
    ),
    "001": Extraction(
        title="甘青川滇藏交界地区州市长第八次联席会议甘南州合作市隆重召开",
        date=MeetingDate(2024, 8, 8, "8月8日"),
        location="甘南州合作市",
        kind="联席会议",
        provinces=["甘肃省", "青海省", "四川省", "云南省", "西藏自治区"],
        people=[Person("何谋保", "甘南州委书记")],
    ),
    "002": Extraction(
        title="连茂君率滨海新区代表团赴甘肃省甘南州合作市考察",
        date=MeetingDate(None, 9, 4, "9月4日"),
        location="甘南州合作市",
        kind="考察",
        provinces=["天津市", "甘肃省"],
        people=[Person("连茂君", "滨海新区区委书记")],
    ),
    "003": Extraction(
        title="聚焦大保护大开放高质量发展 不断书写新时代川藏合作新篇章",
        date=MeetingDate(2024, 5, 17, "5月17日"),
        kind="座谈会",
        provinces=["四川省", "西藏自治区"],
    ),
    "004": Extraction(
        title="福建黨政代表團赴西藏昌都市考察",
        date=MeetingDate(2024, 9, 10, "9月10日"),
        location="昌都市",
        kind="考察",
        provinces=["福建省", "西藏自治区"],
        people=[Person("周祖翼", "福建省委书记"), Person("王君正", "西藏自治区党委书记")],
    ),
}


def run_async(test: Callable[..., Awaitable[None]]) -> Callable[..., None]:
    """Run an async Pilot test on a fresh event loop (no pytest-asyncio needed)."""

    @functools.wraps(test)
    def wrapper(*args: Any, **kwargs: Any) -> None:
        asyncio.run(test(*args, **kwargs))  # type: ignore[arg-type]

    return wrapper


@dataclass
class Node:
    """Same fields as `store.tree.TreeNode`."""

    key: str
    label: str
    kind: str
    count: int = 0
    doc_id: str | None = None
    children: list[Node] = field(default_factory=list)


def seed_documents() -> list[Document]:
    docs = []
    for path in sorted(bundled_seeds().glob("*.txt")):
        source = read_source(path)
        doc_id, digest = content_id(source.raw)
        text = clean_text(source.raw)
        docs.append(
            Document(
                id=doc_id,
                sha256=digest,
                paths=[str(path)],
                raw=source.raw,
                text=text,
                encoding=source.encoding,
                script=detect_script(text),
                imported_at="2024-01-01T00:00:00+00:00",
                meta=SEED_META[path.name[:3]],
            )
        )
    return docs


def substring_hits(folded_text: str, folded_query: str) -> list[Span]:
    hits, start = [], folded_text.find(folded_query)
    while start >= 0 and folded_query:
        hits.append(Span(start, start + len(folded_query)))
        start = folded_text.find(folded_query, start + len(folded_query))
    return hits


class MemoryCorpus:
    """The `Corpus` methods the browser calls, over documents held in a list."""

    def __init__(self, docs: list[Document], path: Path = Path("/store/yuelan.json")) -> None:
        self.path = path
        self._docs = docs
        self.searches: list[tuple[str, str | None, str | None]] = []

    def documents(self) -> list[Document]:
        def newest(doc: Document) -> tuple[int, int, int]:
            return doc.meta.date.sort_key() if doc.meta.date else (0, 0, 0)

        return sorted(self._docs, key=newest, reverse=True)

    def get(self, doc_id: str) -> Document:
        for doc in self._docs:
            if doc.id.startswith(doc_id):
                return doc
        raise LookupError(f"no document with id {doc_id!r}")

    def info(self) -> StoreInfo:
        index = Path(str(self.path) + ".index")
        return StoreInfo(self.path, len(self._docs), "2024-01-01T00:00:00+00:00", index)

    def tree(self) -> list[Node]:
        provinces: dict[str, Node] = {}
        for doc in self.documents():
            for name in doc.meta.provinces:
                node = provinces.setdefault(name, Node(name, name, "province"))
                node.children.append(Node(doc.id, doc.title, "meeting", 1, doc.id))
                node.count += 1
        return sorted(provinces.values(), key=lambda n: -n.count)

    def search_index(self) -> None:
        return None

    def search(
        self,
        query: str,
        *,
        limit: int = 50,
        scope_province: str | None = None,
        previous: SearchAnswer | None = None,
    ) -> SearchAnswer:
        self.searches.append((query, scope_province, previous.query if previous else None))
        if query.startswith("("):
            raise ValueError("unbalanced parenthesis")
        results = []
        for doc in self.documents():
            if scope_province and scope_province not in doc.meta.provinces:
                continue
            hits = substring_hits(fold(doc.text), fold(query))
            if hits:
                snippet_start = max(hits[0].start - 10, 0)
                snippet = Snippet(
                    doc.text[snippet_start : hits[0].end + 10],
                    snippet_start,
                    [Span(hits[0].start - snippet_start, hits[0].end - snippet_start)],
                )
                results.append(SearchResult(doc.id, doc.title, float(len(hits)), hits, [snippet]))
        results.sort(key=lambda r: -r.score)
        return SearchAnswer(query, results[:limit], len(results))

    def __len__(self) -> int:
        return len(self._docs)


def test_double_finds_unity_in_both_scripts() -> None:
    corpus = MemoryCorpus(seed_documents())
    simplified = corpus.search("团结")
    traditional = corpus.search("團結")
    assert simplified.total == traditional.total >= 3
    for result in simplified.results:
        text = fold(corpus.get(result.doc_id).text)
        assert all(text[h.start : h.end] == "团结" for h in result.hits)


def test_double_tree_has_every_participating_province() -> None:
    corpus = MemoryCorpus(seed_documents())
    tibet = next(n for n in corpus.tree() if n.label == "西藏自治区")
    assert tibet.count == 3
