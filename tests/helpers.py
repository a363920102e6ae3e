"""What the tests share: the in-memory corpus double and the seeds' hand-labelled metadata, a way to run
Pilot tests, the CLI run as a real process, and builders of documents and reference arrays for the index.

Test modules import from here, never from one another.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import io
import json
import os
import random
import subprocess
import sys
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from store.corpus import StoreInfo, bundled_seeds
from store.importer import content_id
from store.meetings.model import Meeting, alone, meeting_id
from store.models import (
    Document,
    Extraction,
    MeetingDate,
    Person,
    SearchAnswer,
    SearchResult,
    Snippet,
    Span,
    newest_first,
)
from store.text.clean import clean_text, detect_script
from store.text.decode import read_source
from store.text.script import fold, to_traditional
from tui.app import YuelanApp
from tui.screens.main import MainScreen
from tui.widgets.meeting_tree import MeetingTree
from tui.widgets.reader import Reader
from tui.widgets.search_bar import SearchBar

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
    meeting: str | None = None
    reports: list[str] = field(default_factory=list)


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


def together(docs: list[Document]) -> Meeting:
    """The reports given as one meeting, earliest first, as grouping would make it (the tests of the
    browser's meetings need them before and apart from grouping): the first report's title and place,
    the dates' range, the union of provinces and of officials by name folded to Simplified."""
    if len(docs) == 1:
        return alone(docs[0])
    dated = sorted((d.meta.date for d in docs if d.meta.date), key=lambda d: (d.month or 0, d.day or 0))
    people: dict[str, Person] = {}
    for doc in docs:
        for person in doc.meta.people:
            people.setdefault(fold(person.name), person)
    sources: dict[str, list[str]] = {}
    for doc in docs:
        for province in doc.meta.provinces:
            sources.setdefault(province, []).append(doc.id)
    first = docs[0]
    return Meeting(
        id=meeting_id([d.id for d in docs]),
        title=first.title,
        date=dated[0] if dated else None,
        end=dated[-1]
        if dated and (dated[-1].month, dated[-1].day) != (dated[0].month, dated[0].day)
        else None,
        location=next((d.meta.location for d in docs if d.meta.location), ""),
        kind=next((d.meta.kind for d in docs if d.meta.kind), ""),
        provinces=list(sources),
        people=list(people.values()),
        reports=[d.id for d in docs],
        sources=sources,
    )


def meetings_of(docs: list[Document], groups: Sequence[Sequence[str]]) -> list[Meeting]:
    """`Corpus.meetings` with the given groups (ids, earliest report first) as meetings, every other
    document its own; newest first as the corpus lists them. A test patches it in for `Corpus.meetings`
    to see the browser and the CLI with meetings of several reports before grouping decides them."""
    docs = newest_first(docs)
    by_id = {d.id: d for d in docs}
    grouped = {doc_id for group in groups for doc_id in group}
    found = [together([by_id[i] for i in group]) for group in groups]
    found += [alone(d) for d in docs if d.id not in grouped]
    order = {d.id: i for i, d in enumerate(docs)}
    return sorted(found, key=lambda m: min(order[r] for r in m.reports))


SEED_MEETING = "001"  # the seed the near-copies below retell: the 8th joint meeting, 8 August


def near_copies(seed_text: str) -> dict[str, str]:
    """Two more reports of seed 001's meeting, made from it as reposts are: a Traditional repost that
    adds a closing line and names its outlet, and a shorter wire story with a headline of its own, its
    first paragraphs and one sentence none of the others carries. By file name."""
    paragraphs = [p for p in seed_text.split("\n") if p.strip()]
    repost = "\n".join([*paragraphs, "會議期間，與會代表還實地觀摩了合作市城市建設。", "來源：甘南日報"])
    wire = "\n".join(
        [
            "甘青川滇藏五省区交界地区州市长联席会议在合作举行",
            *paragraphs[2:5],
            "会议确定第九次联席会议由迪庆州承办。",
            "来源：新华网 发布时间：2024-08-09",
        ]
    )
    return {"001-repost.txt": to_traditional(repost), "001-wire.txt": wire}


def meeting_documents() -> tuple[list[Document], list[str]]:
    """The seeds and the two near-copies of seed 001 (`near_copies`) as documents with hand-labelled
    metadata, and the three reports of that meeting, earliest publication first (seed, wire, repost)."""
    docs = seed_documents()
    seed = next(d for d in docs if Path(d.paths[0]).name.startswith(SEED_MEETING))
    labelled = SEED_META[SEED_MEETING]
    copies = []
    for name, raw in near_copies(seed.raw).items():
        doc_id, digest = content_id(raw)
        text = clean_text(raw)
        meta = Extraction(
            title=text.splitlines()[0],
            date=labelled.date,
            location="合作市",
            kind=labelled.kind,
            provinces=list(labelled.provinces),
            people=list(labelled.people),
        )
        copies.append(
            Document(doc_id, digest, [f"/copies/{name}"], raw, text, "utf-8", detect_script(text), "", meta)
        )
    repost, wire = copies
    return [*docs, *copies], [seed.id, wire.id, repost.id]


class MemoryCorpus:
    """The `Corpus` methods the browser calls, over documents held in a list; `groups` (lists of ids,
    earliest report first) are meetings of several reports, every other document is its own."""

    def __init__(
        self,
        docs: list[Document],
        path: Path = Path("/store/yuelan.json"),
        groups: Sequence[Sequence[str]] = (),
    ) -> None:
        self.path = path
        self._docs = docs
        self.groups = [list(g) for g in groups]
        self.searches: list[tuple[str, str | None, str | None]] = []

    def meetings(self) -> list[Meeting]:
        return meetings_of(self.documents(), self.groups)

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

    def tree(self, meetings: list[Meeting] | None = None) -> list[Any]:
        if self.groups:  # meetings of several reports: the store's own tree
            from store.tree import build_tree

            return build_tree(self.documents(), self.meetings() if meetings is None else meetings)
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


SEED_SCRIPTS = {  # by reading them: 000 and 004 are written in Traditional characters
    "000": "traditional",
    "001": "simplified",
    "002": "simplified",
    "003": "simplified",
    "004": "traditional",
}


def run_cli(*args: str, db: Path | None = None, check: bool = False) -> subprocess.CompletedProcess[str]:
    """`yuelan ARGS` through `main(argv)` in this process, answered as `yuelan()` answers: the exit
    code, stdout and stderr. For every test that needs no real process (a tty, a pipe, the environment
    of a new interpreter): it is ~20x faster than starting Python."""
    from tui.cli import main

    argv = [*([f"--db={db}"] if db else []), *args]
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as exc:  # argparse's usage errors and --help
            code = exc.code if isinstance(exc.code, int) else 1
    proc = subprocess.CompletedProcess(["yuelan", *argv], code, out.getvalue(), err.getvalue())
    if check:
        assert proc.returncode == 0, proc.stderr
    return proc


def yuelan(*args: str, db: Path | None = None, check: bool = False) -> subprocess.CompletedProcess[str]:
    """Run the real console entry point, the way a user or a script does."""
    argv = [sys.executable, "-m", "tui.cli", *([f"--db={db}"] if db else []), *args]
    env = os.environ | {"PYTHONIOENCODING": "utf-8"}
    proc = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=120)
    if check:
        assert proc.returncode == 0, proc.stderr
    return proc


def json_lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def parts(app: YuelanApp) -> tuple[MainScreen, MeetingTree, Reader, SearchBar]:
    screen = app.screen
    assert isinstance(screen, MainScreen)
    reader = screen.query_one("#reader", Reader)
    return screen, screen.query_one(MeetingTree), reader, screen.query_one(SearchBar)


def status(app: YuelanApp) -> str:
    screen = next(s for s in app.screen_stack if isinstance(s, MainScreen))
    return screen.status.text().plain


async def type_query(pilot, app: YuelanApp, query: str) -> None:  # type: ignore[no-untyped-def]
    await pilot.press("slash")
    for ch in query:
        await pilot.press(ch)
    await app.workers.wait_for_complete()
    await pilot.pause()


async def settled(pilot, condition: Callable[[], bool], rounds: int = 50) -> bool:  # type: ignore[no-untyped-def]
    """Whether `condition` holds once the app has had up to `rounds` pauses to act: on a loaded machine
    a preview or a worker's answer can take more than the one pause a quiet machine needs."""
    for _ in range(rounds):
        if condition():
            return True
        await pilot.pause(0.02)
    return condition()


# (seed file prefix, date, participating provinces, people, kind) — enough metadata to test filters
INDEX_META = {
    "000": ((2024, 8, 15), ["甘肃省"], ["才项当智", "扎西才让"], "考察"),
    "001": ((2024, 6, 20), ["甘肃省", "四川省"], ["何谋保"], "联席会议"),
    "002": ((2023, 8, 2), ["甘肃省", "青海省"], ["何谋保"], "座谈会"),
    "003": ((2023, 5, 17), ["四川省", "西藏自治区"], ["王晓晖", "王君正"], "座谈会"),
    "004": (None, ["福建省", "西藏自治区"], ["周祖翼", "王君正"], "考察"),
}


def make_document(
    doc_id: str,
    text: str,
    date: tuple[int, int, int] | None,
    provinces: list[str],
    people: list[str],
    kind: str,
) -> Document:
    meta = Extraction(
        title=text.splitlines()[0][:30],
        date=MeetingDate(*date, text="") if date else None,
        kind=kind,
        provinces=provinces,
        people=[Person(name) for name in people],
        places=["碌曲", "昌都", "西藏"],
    )
    return Document(
        id=doc_id,
        sha256=doc_id,
        paths=[],
        raw=text,
        text=text,
        encoding="utf-8",
        script="mixed",
        imported_at="",
        meta=meta,
    )


def indexed_seed_documents() -> list[Document]:
    """The five seeds, cleaned, newest first, plus 001 in Traditional script (dated a day later)."""
    docs = []
    for path in sorted(bundled_seeds().glob("*.txt")):
        date, provinces, people, kind = INDEX_META[path.name[:3]]
        text = clean_text(read_source(path).raw)
        docs.append(make_document(path.name[:3], text, date, provinces, people, kind))
        if path.name.startswith("001"):
            docs.append(make_document("001t", to_traditional(text), (2024, 6, 21), provinces, people, kind))
    dated = sorted((d for d in docs if d.meta.date), key=lambda d: d.meta.date.sort_key(), reverse=True)
    return dated + [d for d in docs if not d.meta.date]


# Simplified and Traditional CJK (folding changes some), ASCII, a newline, and characters beyond the BMP
RANDOM_CHARACTERS = "团结發展國家西藏合作的一。a1 \n" + "\U00020bb7\U00020000\U0001f600\U0002a6a5"


def random_text(rng: random.Random, longest: int) -> str:
    if rng.random() < 0.2:
        return ""
    wide = rng.random() < 0.5  # half the texts stay in the BMP, so the codes widen part-way through
    pool = RANDOM_CHARACTERS if wide else RANDOM_CHARACTERS[:-4]
    return "".join(rng.choice(pool) for _ in range(rng.randrange(longest)))


def random_documents(seed: int, count: int) -> list[Document]:
    rng = random.Random(seed)
    docs = []
    for k in range(count):
        doc = make_document(f"r{k}", "x", None, [], ["何谋保"] if k % 3 else [], "")
        doc.text = random_text(rng, 60)
        doc.meta.title = random_text(rng, 8)  # empty ones fall back to the text's first line
        docs.append(doc)
    return docs


def reference_codes(text: str) -> tuple[np.ndarray, np.ndarray]:
    """The codes as they were made: the joined text encoded whole, UTF-32 if it leaves the BMP."""
    if not text or max(text) <= "\uffff":
        points = np.frombuffer(text.encode("utf-16-le"), dtype="<u2")
    else:
        points = np.frombuffer(text.encode("utf-32-le"), dtype="<u4")
    present = np.zeros(0x110000, dtype=bool)
    present[points] = True
    present[0] = True
    rank = (np.cumsum(present, dtype=np.uint32) - 1).astype(np.uint16)
    return rank[points].astype(">u2"), np.flatnonzero(present).astype(np.uint32)


def reference_suffix_text(segments: list[str]) -> dict[str, np.ndarray]:
    """Every array of the suffix text, built the plain way: join, rank, sort all suffixes by their bytes."""
    codes, alphabet = reference_codes("\x00".join(segments) + "\x00")
    n = len(codes)
    sa = np.array(sorted(range(n), key=lambda i: codes[i:].tobytes()), dtype=np.int32)
    lengths = np.array([len(s) + 1 for s in segments], dtype=np.int64)
    starts = np.zeros(len(segments) + 1, dtype=np.int64)
    np.cumsum(lengths, out=starts[1:])
    owner_dtype = np.uint16 if len(segments) <= 0xFFFF else np.int32
    owner = np.repeat(np.arange(len(segments), dtype=owner_dtype), lengths)[sa]
    return {"codes": codes, "sa": sa, "owner": owner, "starts": starts, "alphabet": alphabet}


def saved_bytes(array: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    np.save(buffer, array, allow_pickle=False)
    return buffer.getvalue()


def find_hits(folded: str, forms: Sequence[str]) -> list[Span]:
    """The reference the index's hits are held to: every occurrence (overlapping ones too) of every
    form in the folded text, in order, once each."""
    spans: set[tuple[int, int]] = set()
    for form in forms:
        if not form:
            continue
        at = folded.find(form)
        while at >= 0:
            spans.add((at, at + len(form)))
            at = folded.find(form, at + 1)
    return [Span(s, e) for s, e in sorted(spans)]
