"""Opening a store for reading, as the browser and every reader do: time and memory, in fresh processes.

Each run is a new Python process that opens the store (`Corpus.open`), then asks for what the browser's
first tree needs (`documents()`, `meetings()`, `tree()`) and reads the newest meeting's text; it reports
the seconds each step took, the process's peak resident memory and what it holds at the end (all of it,
and its own: not pages of mapped files). With `--against ROOT` (a checkout of other code, e.g.
`git archive d931627 | tar -x -C /tmp/old`), the same runs of that code alternate with this one's;
`--index` then loads the search index as well (`make bench`'s "open": store + index), timed apart.

    python -m tools.open_bench --db STORE [--runs 3] [--against /tmp/old] [--index]

Never writes to the store (a reader may replace the catalogue beside it when it is stale, as any
lookup does); run it on a copy of a shared store.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

PROBE = r"""
import json, resource, sys, time
from pathlib import Path
started = time.perf_counter()
from store.corpus import Corpus
steps = {}
def step(name, since):
    now = time.perf_counter()
    steps[name] = now - since
    return now
at = step("import", started)
corpus = Corpus.open(Path(sys.argv[1]), seed_if_new=False)
at = step("open", at)
documents = corpus.documents()
at = step("documents", at)
meetings = corpus.meetings()
at = step("meetings", at)
roots = corpus.tree(meetings)
at = step("tree", at)
text = corpus.get(meetings[0].reports[0]).text if meetings else ""
at = step("first text", at)
steps["total"] = at - started
if "--index" in sys.argv:
    corpus.search_index()
    at = step("index", at)
fields = {}
with open("/proc/self/status", encoding="utf-8") as status:
    for line in status:
        name, _, value = line.partition(":")
        if name in ("VmRSS", "RssAnon"):
            fields[name] = int(value.split()[0]) / 1024
print(json.dumps({
    "steps": steps, "documents": len(documents), "meetings": len(meetings), "roots": len(roots),
    "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    "rss_mb": fields.get("VmRSS", 0.0), "own_mb": fields.get("RssAnon", 0.0),
    "kind": type(corpus).__name__,
}))
"""


def run_once(root: Path, store: Path, index: bool = False) -> dict[str, object]:
    """One fresh process of the code at `root` (its folder first on the path) opening `store`; with
    `index`, its search index loaded after the rest (`Corpus.search_index`, as `make bench`'s open)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(store), *(["--index"] if index else [])],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
    )
    if done.returncode:
        raise SystemExit(f"{root}: the probe failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def summary(label: str, runs: list[dict[str, object]]) -> str:
    steps = runs[0]["steps"]
    assert isinstance(steps, dict)
    medians = {name: statistics.median(r["steps"][name] for r in runs) for name in steps}  # type: ignore[index]
    parts = ", ".join(f"{name} {seconds:.3f} s" for name, seconds in medians.items())
    peak = statistics.median(float(r["peak_mb"]) for r in runs)  # type: ignore[arg-type]
    rss = statistics.median(float(r["rss_mb"]) for r in runs)  # type: ignore[arg-type]
    own = statistics.median(float(r["own_mb"]) for r in runs)  # type: ignore[arg-type]
    first = runs[0]
    return (
        f"{label} ({first['kind']}, {first['documents']} documents, {first['meetings']} meetings), "
        f"median of {len(runs)}: {parts}; peak {peak:.0f} MB, resident at the end {rss:.0f} MB "
        f"(own {own:.0f} MB)"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--against", type=Path, help="a checkout of other code, run alternately")
    parser.add_argument("--index", action="store_true", help="then load the search index too")
    args = parser.parse_args(argv)
    here = Path(__file__).resolve().parent.parent
    roots = {"this code": here} | ({f"code at {args.against}": args.against} if args.against else {})
    found: dict[str, list[dict[str, object]]] = {label: [] for label in roots}
    with open("/proc/loadavg", encoding="utf-8") as load:
        before = load.read().split()[:3]
    for _ in range(args.runs):
        for label, root in roots.items():
            found[label].append(run_once(root, args.db, args.index))
    with open("/proc/loadavg", encoding="utf-8") as load:
        after = load.read().split()[:3]
    print(f"{args.db}; load before {' '.join(before)}, after {' '.join(after)}")
    for label, runs in found.items():
        print(summary(label, runs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
