"""Search benchmark: yuelan against SQLite FTS5 (trigram) and a plain scan, same corpus, same queries.

`python -m tools.bench [--sizes 1000,10000,50000]` (100000 too, opt-in: `make bench
BENCH_SIZES=100000`) builds corpora by recombining the seeds' paragraphs (fixed random seed), imports
each through `Corpus.import_paths` (so cleaning and extraction count), and measures every engine in its
own subprocess (peak memory is that process's maxrss). It prints one Markdown table. Not a test:
figures depend on the machine.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

SEED = 20240815
DOC_CHARS = 3_000
QUERIES_PER_LENGTH = 40
TYPED = "民族团结进步 对口援藏工作 高质量发展"  # 20 characters, typed one at a time
CJK = range(0x4E00, 0xA000)


# -- the corpus -------------------------------------------------------------------------------------


def seed_paragraphs() -> list[str]:
    """Cleaned paragraphs of the bundled seeds (lines of at least 20 characters)."""
    from store.corpus import bundled_seeds
    from store.text.clean import clean_text
    from store.text.decode import read_source

    paragraphs: list[str] = []
    for path in sorted(bundled_seeds().glob("*.txt")):
        text = clean_text(read_source(path).raw)
        paragraphs += [line for line in text.splitlines() if len(line.strip()) >= 20]
    return paragraphs


def write_corpus(folder: Path, size: int) -> int:
    """`size` documents of ~3,000 characters: a headline, then shuffled seed paragraphs. Returns chars."""
    rng = random.Random(SEED)
    paragraphs = seed_paragraphs()
    folder.mkdir(parents=True)
    total = 0
    for number in range(size):
        lines = [f"{rng.choice(paragraphs)[:24]}（第{number}号）"]
        while sum(map(len, lines)) < DOC_CHARS:
            lines.append(rng.choice(paragraphs))
        text = "\n".join(lines) + "\n"
        total += len(text)
        (folder / f"{number:06d}.txt").write_text(text, encoding="utf-8")
    return total


def sample_queries(folded: list[str], lexicon_words: list[str]) -> dict[str, list[str]]:
    """Random CJK substrings of 1–4 characters, and pinyin of lexicon words: full, initials, begun
    (cut after a random letter, as while typing) and mixed (the first syllable whole, then initials)."""
    from store.search.pinyin import word_readings

    rng = random.Random(SEED + 1)
    queries: dict[str, list[str]] = {}
    for length in (1, 2, 3, 4):
        found: list[str] = []
        while len(found) < QUERIES_PER_LENGTH:
            text = rng.choice(folded)
            at = rng.randrange(max(1, len(text) - length))
            piece = text[at : at + length]
            if len(piece) == length and all(ord(c) in CJK for c in piece):
                found.append(piece)
        queries[f"{length} char"] = found
    pinyin: list[str] = []
    for word in rng.sample(lexicon_words, min(len(lexicon_words), QUERIES_PER_LENGTH // 2)):
        main = word_readings(word)[0]
        full = "".join(main)
        pinyin += [
            full,
            "".join(s[0] for s in main),  # initials
            full[: rng.randrange(1, len(full))],  # typing: the last syllable begun or not yet typed
            main[0] + "".join(s[0] for s in main[1:]),  # a whole syllable, then initials
        ]
    queries["pinyin"] = pinyin
    return queries


# -- measuring helpers ------------------------------------------------------------------------------


def peak_mb() -> float:
    """Peak resident memory of this process and of its largest finished child, in MB."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


def resident_mb() -> list[float]:
    """This process's resident memory now, and the part of it that is its own (anonymous) rather than
    pages of mapped files (the index's, which stay in the page cache), in MB."""
    fields = {}
    with open("/proc/self/status", encoding="utf-8") as status:
        for line in status:
            name, _, value = line.partition(":")
            if name in ("VmRSS", "RssAnon"):
                fields[name] = int(value.split()[0]) / 1024  # "123456 kB"
    return [fields.get("VmRSS", 0.0), fields.get("RssAnon", 0.0)]


def latencies(run: Callable[[str], Any], queries: list[str]) -> list[float]:
    """Milliseconds per query (each run once after one warm-up pass over the first few)."""
    for query in queries[:3]:
        run(query)
    times = []
    for query in queries:
        start = time.perf_counter()
        run(query)
        times.append((time.perf_counter() - start) * 1000)
    return times


def p50_p99(times: list[float]) -> list[float]:
    ordered = sorted(times)
    return [statistics.median(ordered), ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]]


def folder_mb(path: Path) -> float:
    if path.is_file():
        return path.stat().st_size / 1e6
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6


def prefixes() -> list[str]:
    return [TYPED[:n] for n in range(1, len(TYPED) + 1) if TYPED[:n].strip() and not TYPED[:n].endswith(" ")]


# -- children: one engine each, reporting JSON on stdout --------------------------------------------


def child_import(store: Path, docs: Path) -> dict[str, Any]:
    """Import through the Corpus (cleaning, extraction, store write, index build), as `yuelan import`."""
    extraction = _ensure_extraction()
    from store.corpus import Corpus
    from store.storage.paths import texts_path_for

    start = time.perf_counter()
    corpus = Corpus.open(store, seed_if_new=False)
    corpus.import_paths([docs])
    imported = time.perf_counter() - start
    return {
        "import_s": imported,
        "extraction": extraction,
        "peak_mb": peak_mb(),
        "store_mb": folder_mb(store) + folder_mb(texts_path_for(store)),
        "index_mb": folder_mb(corpus.index_path),
        "docs": len(corpus),
        "chars": sum(d.chars for d in corpus.documents()),
    }


def child_rebuild(store: Path) -> dict[str, Any]:
    """The index alone, rebuilt into its folder from the stored texts; then the queries for the other
    children, sampled here so that no engine's process pays for reading 2,000 texts."""
    from store.corpus import Corpus
    from store.search.index import SearchIndex
    from store.text.script import fold

    corpus = Corpus.open(store, seed_if_new=False)
    start = time.perf_counter()
    index = SearchIndex.build(corpus.documents(), corpus.generation, folder=corpus.index_path)
    built = time.perf_counter() - start
    report: dict[str, Any] = {"index_build_s": built, "peak_mb": peak_mb()}
    folded = [fold(d.text) for d in corpus.documents()[:2000]]
    report["queries"] = sample_queries(folded, sorted(index.lexicon.readings))
    return report


def child_yuelan(store: Path, queries: dict[str, list[str]]) -> dict[str, Any]:
    """Open, then every query class, the typed prefixes, and keystroke-to-rows."""
    start = time.perf_counter()
    from store.corpus import Corpus

    corpus = Corpus.open(store, seed_if_new=False)
    index = corpus.search_index()
    opened = time.perf_counter() - start
    report: dict[str, Any] = {"open_s": opened, "opened_mb": resident_mb()}
    for name, batch in queries.items():
        report[name] = p50_p99(latencies(lambda q: index.search(q, limit=50), batch))
    report["typed"], report["keystroke"] = _typing(index)
    report["peak_mb"] = peak_mb()
    return report


def _typing(index: Any) -> tuple[list[float], list[float]]:
    """Per-prefix search time with `previous`; and keystroke → 20 result rows formatted for display."""
    from store.text.script import render

    typed: list[float] = []
    keystroke: list[float] = []
    for _ in range(3):
        previous = None
        index.clear_caches()
        for prefix in prefixes():
            start = time.perf_counter()
            previous = index.search(prefix, limit=50, previous=previous)
            searched = time.perf_counter()
            rows = [_row(result, render) for result in previous.results[:20]]
            assert len(rows) <= 20
            typed.append((searched - start) * 1000)
            keystroke.append((time.perf_counter() - start) * 1000)
    return p50_p99(typed), p50_p99(keystroke)


def _row(result: Any, render: Callable[[str, Any], str]) -> str:
    """What the results list draws for one document: title, hit count, first snippet."""
    snippet = render(result.snippets[0].text, "orig") if result.snippets else ""
    return f"{render(result.title, 'orig')} {len(result.hits)} {snippet}"


def child_scan(store: Path, queries: dict[str, list[str]]) -> dict[str, Any]:
    """A plain Python loop `q in text` over the folded texts held in memory."""
    from store.corpus import Corpus
    from store.text.script import fold

    start = time.perf_counter()
    texts = [fold(d.text) for d in Corpus.open(store, seed_if_new=False).documents()]
    report: dict[str, Any] = {"open_s": time.perf_counter() - start}

    def scan(query: str) -> list[int]:
        terms = query.split()
        return [k for k, text in enumerate(texts) if all(t in text for t in terms)]

    for name, batch in queries.items():
        if name != "pinyin":
            report[name] = p50_p99(latencies(scan, batch))
    report["typed"] = p50_p99(latencies(scan, prefixes()))
    report["peak_mb"] = peak_mb()
    return report


def child_fts(store: Path, database: Path, queries: dict[str, list[str]]) -> dict[str, Any]:
    """SQLite FTS5 with the trigram tokenizer over the same folded texts; instr() under 3 characters."""
    from store.corpus import Corpus
    from store.text.script import fold

    documents = Corpus.open(store, seed_if_new=False).documents()
    start = time.perf_counter()
    db = sqlite3.connect(database)
    db.execute("CREATE VIRTUAL TABLE docs USING fts5(title, body, tokenize='trigram')")
    db.executemany(
        "INSERT INTO docs(rowid, title, body) VALUES (?, ?, ?)",
        ((k, fold(d.title), fold(d.text)) for k, d in enumerate(documents)),
    )
    db.commit()
    db.close()
    built = time.perf_counter() - start
    del documents
    start = time.perf_counter()
    db = sqlite3.connect(database)
    db.execute("SELECT count(*) FROM docs WHERE docs MATCH '\"团结进\"'").fetchone()
    report: dict[str, Any] = {"index_build_s": built, "open_s": time.perf_counter() - start}

    def search(query: str) -> list[Any]:
        long = [t for t in query.split() if len(t) >= 3]
        short = [t for t in query.split() if len(t) < 3]
        where = ["docs MATCH ?"] if long else []
        where += ["instr(body, ?) > 0"] * len(short)
        match = [" AND ".join('"' + t.replace('"', '""') + '"' for t in long)] if long else []
        order = " ORDER BY rank LIMIT 50" if long else ""  # yuelan ranks and returns 50 as well
        sql = f"SELECT rowid FROM docs WHERE {' AND '.join(where)}{order}"
        return db.execute(sql, match + short).fetchall()

    for name, batch in queries.items():
        if name != "pinyin":
            report[name] = p50_p99(latencies(search, batch))
    report["typed"] = p50_p99(latencies(search, prefixes()))
    report["peak_mb"] = peak_mb()
    report["size_mb"] = folder_mb(database)
    return report


def _ensure_extraction() -> str:
    """The import includes extraction; until store.extract.extractor lands, measure without it and say so."""
    try:
        import store.extract.extractor  # noqa: F401
    except ImportError:
        import types

        from store.models import Extraction

        stand_in = types.ModuleType("store.extract.extractor")
        stand_in.extract = lambda text: Extraction()  # type: ignore[attr-defined]
        sys.modules["store.extract.extractor"] = stand_in
        return "absent"
    return "included"


# -- the parent: run the children, print the table --------------------------------------------------


def run_child(*args: str) -> dict[str, Any]:
    proc = subprocess.run(
        [sys.executable, "-m", "tools.bench", "--child", *args], capture_output=True, text=True, check=False
    )
    if proc.returncode:
        raise RuntimeError(f"bench child {args[0]} failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def measure(size: int, work: Path) -> dict[str, Any]:
    folder = work / f"n{size}"
    docs, store, database = folder / "docs", folder / "yuelan.json", folder / "fts.sqlite"
    write_corpus(docs, size)
    imported = run_child("import", str(store), str(docs))
    rebuilt = run_child("rebuild", str(store))
    imported["index_build_s"], imported["rebuild_peak_mb"] = rebuilt["index_build_s"], rebuilt["peak_mb"]
    query_file = folder / "queries.json"
    query_file.write_text(json.dumps(rebuilt["queries"], ensure_ascii=False), encoding="utf-8")
    yuelan = run_child("yuelan", str(store), str(query_file))
    scan = run_child("scan", str(store), str(query_file))
    fts = run_child("fts", str(store), str(database), str(query_file))
    shutil.rmtree(docs)
    return {"size": size, "import": imported, "yuelan": yuelan, "scan": scan, "fts": fts}


def table(runs: list[dict[str, Any]]) -> str:
    """One Markdown table: a row per figure, yuelan / FTS5 / scan side by side, FTS5 ÷ yuelan."""
    lines = [
        "| docs (M chars) | figure | yuelan | FTS5 trigram | plain scan | FTS5 ÷ yuelan |",
        "|---|---|---|---|---|---|",
    ]
    for run in runs:
        imp, y, f, s = run["import"], run["yuelan"], run["fts"], run["scan"]
        head = f"{run['size']:,} ({imp['chars'] / 1e6:.1f})"
        note = "" if imp["extraction"] == "included" else " (extraction absent)"
        rows = [
            (f"import s{note}", f"{imp['import_s']:.1f}", "—", "—", ""),
            (
                "index build s (yuelan: fresh process, written, fsynced)",
                f"{imp['index_build_s']:.2f}",
                f"{f['index_build_s']:.2f}",
                "—",
                "",
            ),
            ("open s (store + index)", f"{y['open_s']:.3f}", f"{f['open_s']:.3f}", f"{s['open_s']:.2f}", ""),
        ]
        for name in ("1 char", "2 char", "3 char", "4 char", "typed"):
            label = "20 typed prefixes" if name == "typed" else name
            rows.append(
                (
                    f"{label} p50 / p99 ms",
                    _pair(y[name]),
                    _pair(f[name]),
                    _pair(s[name]),
                    f"{f[name][1] / max(y[name][1], 1e-6):.1f}× (p99)",
                )
            )
        rows += [
            ("pinyin p50 / p99 ms", _pair(y["pinyin"]), "—", "—", ""),
            ("keystroke → 20 rows p50 / p99 ms", _pair(y["keystroke"]), "—", "—", ""),
            (
                "peak MB import / index rebuild / search",
                f"{imp['peak_mb']:.0f} / {imp['rebuild_peak_mb']:.0f} / {y['peak_mb']:.0f}",
                f"{f['peak_mb']:.0f}",
                f"{s['peak_mb']:.0f}",
                "",
            ),
            (
                "resident MB after open, all / own (not mapped files)",
                "{:.0f} / {:.0f}".format(*y["opened_mb"]),
                "—",
                "—",
                "",
            ),
            (
                "on disk MB store / index",
                f"{imp['store_mb']:.0f} / {imp['index_mb']:.0f}",
                f"{f['size_mb']:.0f}",
                "—",
                "",
            ),
        ]
        lines += [f"| {head} | " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def _pair(values: list[float]) -> str:
    return f"{values[0]:.2f} / {values[1]:.2f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.bench", description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000", help="comma-separated document counts")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    parser.add_argument(
        "--lookups", action="store_true", help="also time `yuelan` lookups against grep -c (tools/lookups.py)"
    )
    parser.add_argument("--meetings", action="store_true", help="time grouping reports into meetings")
    parser.add_argument("--db", type=Path, help="measure an existing store's searches instead (no build)")
    parser.add_argument("--tail", type=int, default=3, help="with --db: slowest queries shown per class")
    parser.add_argument("--repeat", type=int, default=3, help="with --db: runs of each query for its best")
    parser.add_argument("--fts", action="store_true", help="with --db: FTS5 over the same texts too")
    args = parser.parse_args(argv)
    if args.child:
        return _child(args.child)
    if args.db:
        return measure_existing(args.db, args.tail, args.repeat, args.fts)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    if args.meetings:  # tools/meetings_bench.py
        from tools.meetings_bench import main as meetings_main

        return meetings_main(sizes)
    lookup_tables = []
    with tempfile.TemporaryDirectory(prefix="yuelan-bench-") as temp:
        runs = []
        for size in sizes:
            print(f"measuring {size:,} documents…", file=sys.stderr, flush=True)
            runs.append(measure(size, Path(temp)))
            if args.lookups:
                lookup_tables.append((size, lookup_table(Path(temp) / f"n{size}" / "yuelan.json")))
    load = ", ".join(f"{figure:.2f}" for figure in os.getloadavg())
    print(
        f"{platform.node() or 'machine'}: {os.cpu_count()} cores, {platform.machine()}, "
        f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, load average at the end "
        f"{load}\n"
    )
    print(table(runs))
    for size, lookups in lookup_tables:
        print(f"\nShell lookups, {size:,} documents (whole processes, {LOOKUP_RUNS} runs):\n\n{lookups}")
    return 0


LOOKUP_RUNS = 5


def measure_existing(store: Path, tail: int, repeat: int, fts: bool) -> int:
    """The query classes against `store` as it is (tools/search_tail.py): the bench's figures (each
    query once, no timers), then each query's best of `repeat` runs with its phases, the slowest shown;
    with `fts`, FTS5 built over the same texts in a temporary folder. Use a copy of a shared store."""
    from tools import search_tail

    with tempfile.TemporaryDirectory(prefix="yuelan-bench-db-") as temp:
        query_file = Path(temp) / "queries.json"
        query_file.write_text(json.dumps(run_child("sample", str(store)), ensure_ascii=False), "utf-8")
        plain = run_child("yuelan", str(store), str(query_file))
        timed = run_child("tail", str(store), str(query_file), str(repeat), str(tail))
        other = run_child("fts", str(store), str(Path(temp) / "fts.sqlite"), str(query_file)) if fts else {}
    print(f"bench figures (each query once; open {plain['open_s']:.2f} s, peak {plain['peak_mb']:.0f} MB):")
    print("| class | yuelan p50 / p99 ms | FTS5 p50 / p99 ms | FTS5 ÷ yuelan p50 |\n|---|---|---|---|")
    for name in ("1 char", "2 char", "3 char", "4 char", "pinyin", "typed"):
        mine, theirs = plain[name], other.get(name)
        ratio = f"{theirs[0] / max(mine[0], 1e-6):.1f}×" if theirs else "—"
        print(f"| {name} | {_pair(mine)} | {_pair(theirs) if theirs else '—'} | {ratio} |")
    print(f"| keystroke → 20 rows | {_pair(plain['keystroke'])} | — | — |")
    print()
    print(search_tail.text(timed))
    return 0


def lookup_table(store: Path) -> str:
    from tools import lookups

    return lookups.table(lookups.measure(store, LOOKUP_RUNS))


def _child(args: list[str]) -> int:
    kind, paths = args[0], [Path(a) for a in args[1:]]
    if kind == "import":
        report = child_import(*paths)
    elif kind == "rebuild":
        report = child_rebuild(paths[0])
    elif kind == "sample":
        from tools.search_tail import sample

        report = sample(paths[0])
    elif kind == "tail":
        from tools.search_tail import child

        queries = json.loads(paths[1].read_text(encoding="utf-8"))
        report = child(paths[0], queries, int(args[3]), int(args[4]))
    else:
        queries = json.loads(paths[-1].read_text(encoding="utf-8"))
        if kind == "yuelan":
            report = child_yuelan(paths[0], queries)
        elif kind == "scan":
            report = child_scan(paths[0], queries)
        else:
            report = child_fts(paths[0], paths[1], queries)
    print(json.dumps(report, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
