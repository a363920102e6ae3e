"""Shell lookups timed as a user runs them: whole `yuelan` processes against `grep -c` over the texts.

`python -m tools.lookups --db STORE`, `--docs 10000` (a store built as tools.bench builds its own), or
`python -m tools.bench --lookups` (a table per size after the search table)
runs each command RUNS times, alternating commands so that a burst of load on a shared machine hits
them alike, and prints one Markdown table: median wall time, that over grep's, median CPU time, and
the largest peak resident memory of any run (ru_maxrss of the child, from wait4). Not a test.
"""

from __future__ import annotations

import argparse
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

RUNS = 5
WORD = "团结"
NO_MATCH = "团结示范州建设新篇章"  # no exact match: the search falls back to its words
AFRESH = ("tree", "people", "meetings", "pairs", "timeline")  # rows also timed with no answer kept


def commands(
    store: Path, doc_id: str, against: Path | None = None, old_store: Path | None = None
) -> dict[str, list[str]]:
    """Each row's command line (the texts file for grep: the one the store's header names); with
    `against` (another checkout of yuelan), each yuelan row also as that code runs it, next to it, on
    `old_store` (the same store's files linked: the two yuelans' catalogues may differ, and each would
    replace the other's on every run)."""
    db = ["--db", str(store)]
    lines = {f"grep -c {WORD} TEXTS": ["grep", "-c", WORD, str(texts_file(store))]}
    rows = {
        f"search {WORD} --limit 3": ["search", WORD, "--limit", "3"],
        f"search {NO_MATCH} --limit 3": ["search", NO_MATCH, "--limit", "3"],
        "show ID": ["show", doc_id],
        "list": ["list"],
        "tree": ["tree"],
        "people": ["people"],
        "pairs": ["pairs"],
        "timeline": ["timeline"],
        "meetings": ["meetings"],
    }
    for name, args in rows.items():
        lines[f"yuelan {name}"] = [sys.executable, "-m", "tui.cli", *args, *db]
        if name in AFRESH:  # also as the first such command after a store write pays for it
            lines[f"yuelan {name}, nothing kept"] = afresh(
                [sys.executable, "-m", "tui.cli", *args, *db], store
            )
        if against is not None:
            code = ["env", f"PYTHONPATH={against}", sys.executable, "-P", "-m", "tui.cli"]
            old_db = ["--db", str(old_store or store)]
            lines[f"yuelan {name} ({against.name})"] = [*code, *args, *old_db]
            if name in AFRESH:
                lines[f"yuelan {name}, nothing kept ({against.name})"] = afresh(
                    [*code, *args, *old_db], old_store or store
                )
    return lines


def afresh(argv: list[str], store: Path) -> list[str]:
    """`argv` run with the answers kept beside `store` moved aside for the run (the `mv`s' milliseconds
    count) and put back: as the first lookup after a store write runs (storage/answers.py)."""
    answers = store.with_name(store.name + ".answers")
    kept, aside = shlex.quote(str(answers)), shlex.quote(f"{answers}.aside")
    script = (
        f"rm -rf {aside}; mv {kept} {aside} 2>/dev/null; {shlex.join(argv)}; status=$?; "
        f"rm -rf {kept}; mv {aside} {kept}; exit $status"
    )
    return ["sh", "-c", script]


def linked_copy(store: Path, folder: Path) -> Path:
    """The store's files hard-linked into `folder` (its catalogue and kept answers left out: the code
    reading the copy makes its own). Only lookups run on it, and they never write the store's files."""
    for path in store.parent.iterdir():
        if not path.name.startswith(store.name) or path.name.endswith((".catalogue", ".answers", ".lock")):
            continue
        if path.is_dir():
            shutil.copytree(path, folder / path.name, copy_function=os.link)
        else:
            os.link(path, folder / path.name)
    return folder / store.name


def texts_file(store: Path) -> Path:
    files = sorted(store.parent.glob(store.name + ".texts*"), key=lambda p: p.stat().st_size)
    return files[-1]


def run_once(argv: list[str]) -> tuple[float, float, float]:
    """(wall s, CPU s, peak MB) of one process, its output read through a pipe and dropped (GNU grep
    stops at the first match when its output is /dev/null)."""
    with tempfile.TemporaryFile() as errors:
        start = time.perf_counter()
        process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=errors)
        assert process.stdout is not None
        while process.stdout.read(1 << 20):
            pass
        process.stdout.close()
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode not in (0, 1):  # grep -c: 1 when nothing matched
            errors.seek(0)
            raise RuntimeError(f"{' '.join(argv)} failed: {errors.read().decode(errors='replace')[-2000:]}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def compiled(root: Path | None = None) -> None:
    """Byte-compile the packages first, as an installed wheel is: with PYTHONDONTWRITEBYTECODE set (as
    here) every run would compile them again, 0.1–0.2 s of each lookup that no user pays."""
    import compileall

    root = root or Path(__file__).resolve().parent.parent
    for package in ("store", "tui"):
        compileall.compile_dir(root / package, quiet=1)


def measure(store: Path, runs: int = RUNS, against: Path | None = None) -> dict[str, Any]:
    """Every command `runs` times, round-robin; the first round also warms the page cache."""
    compiled()
    if against is not None:
        compiled(against)
    doc_id = first_id(store)
    with tempfile.TemporaryDirectory(prefix="yuelan-lookups-old-", dir=store.parent.parent) as temp:
        old_store = linked_copy(store, Path(temp)) if against is not None else None
        lines = commands(store, doc_id, against, old_store)
        for argv in lines.values():  # warm-up: page cache, the catalogue and index written if missing
            run_once(argv)
        found: dict[str, list[tuple[float, float, float]]] = {name: [] for name in lines}
        for _ in range(runs):
            for name, argv in lines.items():
                found[name].append(run_once(argv))
    load = os.getloadavg()
    return {"rows": found, "load": load}


def first_id(store: Path) -> str:
    argv = [sys.executable, "-m", "tui.cli", "list", "--db", str(store)]
    out = subprocess.run(argv, capture_output=True, text=True, check=True).stdout
    return out.split()[0]


def table(result: dict[str, Any]) -> str:
    rows = result["rows"]
    grep = statistics.median(wall for wall, _, _ in next(iter(rows.values())))
    lines = [
        "| command | wall s (median) | × grep | CPU s (median) | peak MB (max) |",
        "|---|---|---|---|---|",
    ]
    for name, runs in rows.items():
        wall = statistics.median(r[0] for r in runs)
        cpu = statistics.median(r[1] for r in runs)
        peak = max(r[2] for r in runs)
        lines.append(f"| `{name}` | {wall:.3f} | {wall / grep:.1f}× | {cpu:.3f} | {peak:.0f} |")
    one, five, fifteen = result["load"]
    lines.append("")
    lines.append(f"load average after the runs: {one:.2f}, {five:.2f}, {fifteen:.2f}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.lookups", description=__doc__.splitlines()[0])
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--db", type=Path, help="a store to look things up in")
    where.add_argument("--docs", type=int, help="build a store of this many reports as tools.bench does")
    parser.add_argument("--runs", type=int, default=RUNS)
    parser.add_argument(
        "--against",
        type=Path,
        help="another checkout of yuelan (git archive … | tar -x), its rows interleaved",
    )
    args = parser.parse_args(argv)
    against = args.against.absolute() if args.against else None
    if args.db:
        print(table(measure(args.db.absolute(), args.runs, against)))
        return 0
    with tempfile.TemporaryDirectory(prefix="yuelan-lookups-") as temp:
        store = built_store(Path(temp), args.docs)
        print(table(measure(store, args.runs, against)))
    return 0


def built_store(folder: Path, size: int) -> Path:
    """tools.bench's corpus of `size` reports, imported with `yuelan import` (its folder then removed)."""
    from tools.bench import write_corpus

    docs, store = folder / "docs", folder / "yuelan.json"
    write_corpus(docs, size)
    argv = [sys.executable, "-m", "tui.cli", "import", "--db", str(store), str(docs)]
    subprocess.run(argv, check=True, stdout=subprocess.PIPE)
    shutil.rmtree(docs)
    return store


if __name__ == "__main__":
    sys.exit(main())
