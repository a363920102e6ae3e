"""Where a slow search spends its time: the bench's query classes against an existing store, each query
timed phase by phase, and the slowest of each class printed with its breakdown. Queries are timed on
the wall clock (what a user waits) and on this thread's CPU clock ("cpu µs"); the phases on the CPU
clock only, so that a machine shared with other work (time slices given to other processes) shows
as the gap between the two rather than inside a phase.

`python -m tools.bench --db STORE [--tail 3] [--repeat 3] [--fts]` (tools/bench.py) runs this in its
own process. The phases are timed by wrapping the index's methods here (the shipped code carries no
timers): terms' forms, suffix-array ranges (the binary searches), counts per document (a bincount or a
hot row), the lookup as a whole, the match mask, the scores, the top-k, the hits (slices, scans,
grouping), the result rows and the word fallback. Inclusive times: a lookup's include its ranges and
counts. Dev only, not shipped; figures depend on the machine and its load.
"""

from __future__ import annotations

import functools
import os
import time
from collections import defaultdict
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path
from typing import Any

PHASES: list[tuple[str, str, str]] = [
    # (label, module, attribute: "Class.method" or a function)
    ("forms", "store.search.index", "term_forms"),
    ("pinyin forms", "store.search.index", "_pinyin_forms"),
    ("ranges", "store.search.suffix", "SuffixText.find_range"),
    ("bincount", "store.search.suffix", "SuffixText.counts"),
    ("hot row", "store.search.hot", "HotCounts.row"),
    ("part counts", "store.search.part", "IndexPart.counts"),
    ("lookup", "store.search.index", "SearchIndex._look_up"),
    ("mask", "store.search.index", "SearchIndex._matching"),
    ("scores", "store.search.index", "SearchIndex._scores"),
    ("phrase tf", "store.search.index", "SearchIndex._form_tf"),
    ("top", "store.search.rank", "top"),
    ("hits", "store.search.index", "SearchIndex._hits"),
    ("hit scan", "store.search.part", "_Window.find"),
    ("grouping", "store.search.part", "_grouped"),
    ("rows", "store.search.index", "SearchIndex._result"),
    ("split", "store.search.index", "split_into_words"),
    ("answer", "store.search.index", "SearchIndex._answer"),
]


class Timers:
    """Milliseconds and calls per phase for the query being run, and a few counts."""

    def __init__(self) -> None:
        self.ms: dict[str, float] = defaultdict(float)
        self.calls: dict[str, int] = defaultdict(int)
        self.facts: dict[str, int] = defaultdict(int)

    def reset(self) -> None:
        self.ms.clear()
        self.calls.clear()
        self.facts.clear()


TIMERS = Timers()


def _timed(label: str, function: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.thread_time()
        try:
            return function(*args, **kwargs)
        finally:
            TIMERS.ms[label] += (time.thread_time() - start) * 1000
            TIMERS.calls[label] += 1

    return wrapper


@contextmanager
def instrumented():
    """Every phase wrapped with a timer while inside; the originals put back after."""
    import importlib

    undo: list[tuple[Any, str, Any]] = []
    for label, module_name, attribute in PHASES:
        owner: Any = importlib.import_module(module_name)
        *path, name = attribute.split(".")
        for step in path:
            owner = getattr(owner, step, None)
        if owner is None or not hasattr(owner, name):  # older code (tools run against another checkout)
            continue
        original = owner.__dict__[name] if isinstance(owner, type) else getattr(owner, name)
        undo.append((owner, name, original))
        setattr(owner, name, _timed(label, original))
    from store.search import suffix

    original_range = suffix.SuffixText.find_range

    def counting_range(self: Any, key: bytes, lo: int = 0, hi: int | None = None) -> tuple[int, int]:
        found = original_range(self, key, lo, hi)
        TIMERS.facts["slice entries"] += found[1] - found[0]
        return found

    suffix.SuffixText.find_range = counting_range  # type: ignore[method-assign]
    try:
        yield
    finally:
        suffix.SuffixText.find_range = original_range  # type: ignore[method-assign]
        for owner, name, original in reversed(undo):
            setattr(owner, name, original)


def breakdown(index: Any, queries: dict[str, list[str]], repeat: int, tail: int) -> dict[str, Any]:
    """Per class: each query's best-of-`repeat` total (the load on a shared machine only adds) and
    its first run's, p50/p99 of both, and the `tail` slowest (by best) with their phases. Caches are
    cleared before each run but the typed prefixes', which refine the previous keystroke's ranges."""
    from tools.bench import p50_p99, prefixes

    classes = dict(queries)
    classes["typed"] = prefixes()
    report: dict[str, Any] = {}
    with instrumented():
        for name, batch in classes.items():
            rows = []
            for query in batch[:3]:
                index.search(query, limit=50)
            previous = None
            for query in batch:
                runs = []
                for _ in range(repeat):
                    if name != "typed":  # each run finds its ranges afresh; typing keeps its prefix's
                        index.clear_caches()
                    TIMERS.reset()
                    given = previous if name == "typed" else None
                    start, cpu = time.perf_counter(), time.thread_time()
                    answer = index.search(query, limit=50, previous=given)
                    total = (time.perf_counter() - start) * 1000
                    TIMERS.facts["cpu µs"] = round((time.thread_time() - cpu) * 1e6)
                    runs.append(
                        (total, dict(TIMERS.ms), dict(TIMERS.calls), dict(TIMERS.facts), answer.total)
                    )
                previous = answer
                best = min(runs, key=lambda r: r[0])
                rows.append(
                    {
                        "query": query,
                        "first": runs[0][0],
                        "first cpu": runs[0][3]["cpu µs"] / 1000,
                        "best": best[0],
                        "ms": best[1],
                        "calls": best[2],
                        "facts": best[3],
                        "total": best[4],
                    }
                )
            rows.sort(key=lambda r: -r["best"])
            shown = list({r["query"]: r for r in reversed(rows)}.values())[::-1]  # each query once
            report[name] = {
                "first": p50_p99([r["first"] for r in rows]),
                "best": p50_p99([r["best"] for r in rows]),
                "cpu": p50_p99([r["first cpu"] for r in rows]),
                "slowest": shown[:tail],
            }
    return report


def child(store: Path, queries: dict[str, list[str]], repeat: int, tail: int) -> dict[str, Any]:
    from store.corpus import Corpus

    start = time.perf_counter()
    corpus = Corpus.open(store, seed_if_new=False)
    index = corpus.search_index()
    opened = time.perf_counter() - start
    report = breakdown(index, queries, repeat, tail)
    return {
        "open_s": opened,
        "parts": len(index.parts),
        "docs": index.n_docs,
        "classes": report,
        "load": os.getloadavg(),
    }


def sample(store: Path) -> dict[str, list[str]]:
    """The bench's queries (tools.bench.sample_queries) from the store's first 2,000 documents and its
    index's lexicon, as `child_rebuild` samples them, without rebuilding anything."""
    from store.corpus import Corpus
    from store.text.script import fold
    from tools.bench import sample_queries

    corpus = Corpus.open(store, seed_if_new=False)
    index = corpus.search_index()
    folded = [fold(d.text) for d in corpus.documents()[:2000]]
    return sample_queries(folded, sorted(index.lexicon.readings))


def text(report: dict[str, Any]) -> str:
    """The classes' p50/p99 and each slowest query's phases, as lines."""
    load = ", ".join(f"{x:.2f}" for x in report["load"])
    lines = [
        f"{report['docs']:,} documents in {report['parts']} parts; open {report['open_s']:.2f} s; "
        f"load at the end {load}",
        "",
    ]
    lines.append(
        "| class | p50 / p99 ms, each once | CPU p50 / p99 ms, each once | p50 / p99 ms, best of repeats |"
    )
    lines.append("|---|---|---|---|")
    for name, data in report["classes"].items():
        (f50, f99), (c50, c99), (b50, b99) = data["first"], data["cpu"], data["best"]
        lines.append(f"| {name} | {f50:.2f} / {f99:.2f} | {c50:.2f} / {c99:.2f} | {b50:.2f} / {b99:.2f} |")
    for name, data in report["classes"].items():
        lines.append(f"\n{name}, slowest:")
        for row in data["slowest"]:
            phases = ", ".join(
                f"{label} {ms:.2f}×{row['calls'][label]}"
                for label, ms in sorted(row["ms"].items(), key=lambda kv: -kv[1])
                if ms >= 0.05
            )
            facts = ", ".join(f"{k} {v:,}" for k, v in row["facts"].items())
            lines.append(
                f"  {row['query']!r}: {row['best']:.2f} ms (first {row['first']:.2f}), "
                f"{row['total']:,} matches, {facts}\n    {phases}"
            )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """`python -m tools.search_tail --index FOLDER --queries FILE`: the breakdown over an index folder
    alone (no store: a copy of a store's index), for queries saved by `python -m tools.bench --child
    sample STORE > FILE`."""
    import argparse
    import gc
    import json

    parser = argparse.ArgumentParser(prog="python -m tools.search_tail", description=main.__doc__)
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--queries", type=Path, required=True)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--tail", type=int, default=3)
    args = parser.parse_args(argv)
    from store.search.index import SearchIndex
    from store.search.query import warm_up

    start = time.perf_counter()
    index = SearchIndex.load(args.index)
    warm_up()
    index.warm()
    gc.freeze()  # as Corpus.search_index does
    opened = time.perf_counter() - start
    report = breakdown(index, json.loads(args.queries.read_text(encoding="utf-8")), args.repeat, args.tail)
    loaded = {"open_s": opened, "parts": len(index.parts), "docs": index.n_docs, "load": os.getloadavg()}
    print(text(loaded | {"classes": report}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
