"""Kill imports at every phase, again and again, and count what a kill costs: it must cost nothing.

A measuring tool, not a test (it runs for minutes) and not shipped in the wheel (pyproject lists the
packages it ships; `tools/` is not one). Run it from a checkout, on Linux (it watches /proc):

    .venv/bin/python tools/killloop.py --kills 200

Each round starts a fresh store with one completed import, then again and again starts `yuelan import`
of new reports in a process of its own and kills it: `kill -9`, SIGTERM or SIGHUP sent to that process
alone once a chosen phase is seen (extracting with workers, texts file growing, store temp file, index
temp folder, new index part) or at a random moment, or by coreutils `timeout` after a random time.
After each kill it opens the store and checks it, imports the same files again (as a user would) and
checks again. It reports:

- orphans: processes of the import (found by its `--db=` argument) alive 2 s after it ended, and
  imports whose stdout or stderr stayed open after they ended;
- lost documents: every document of every completed import must be in the store, its raw text equal
  to its source, both texts passing their CRC-32 (every check), and found by searching a phrase only it
  holds (a sample of 20 after each import, every one at the end of each round);
- leftovers: anything in the store's folder or index folder after an import that a clean store does not
  have (temporaries, index parts meta.json does not name);
- imports refused as busy, or that had to take over the lock.

Bytes of the texts file no document refers to (texts appended by killed imports) are shown too: that
is garbage for `compact` to reclaim, not a leftover the next import removes.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import itertools
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from store.corpus import Corpus  # noqa: E402
from store.importer import content_id  # noqa: E402
from store.storage.db import StoreError  # noqa: E402
from store.storage.paths import index_path_for, texts_path_for  # noqa: E402
from store.text.decode import read_source  # noqa: E402
from store.workers import PARALLEL_THRESHOLD  # noqa: E402

STORE = "y.json"
DIGITS = "〇一二三四五六七八九"
PLACES = ["拉萨市", "成都市", "合作市", "昌都市", "西宁市", "玉树市", "甘孜县", "碌曲县"]
PROVINCES = [("四川省", "西藏自治区"), ("甘肃省", "青海省"), ("云南省", "西藏自治区"), ("天津市", "甘肃省")]
KINDS = ["座谈会", "联席会议", "对接会", "工作会议"]
# targets are cycled; each is (phase to kill at, or "random"/"timeout"; how many new reports)
PLAN = [
    ("extracting", "workers"),
    ("texts growing", "some"),
    ("store temp file", "some"),
    ("index temp folder", "rebuild"),
    ("new part", "few"),
    ("random", "any"),
    ("extracting", "workers"),
    ("timeout", "any"),
]
SIGNALS = [signal.SIGKILL, signal.SIGTERM, signal.SIGHUP]
TEMP = re.compile(r"\.y\.json\.\w{8}\.tmp")
INDEX_TEMP = re.compile(r"\.y\.json\.index\.\w{8}\.(tmp|old)")


@dataclass
class Tally:
    kills: Counter[str] = field(default_factory=Counter)
    signals: Counter[str] = field(default_factory=Counter)
    finished_before_kill: int = 0
    orphans: int = 0
    pipes_held: int = 0
    lost: int = 0
    damaged: int = 0
    unsearchable: int = 0
    unreadable_store: int = 0
    leftovers: set[str] = field(default_factory=set)  # distinct names, each seen after an import
    busy: int = 0
    took_over: int = 0
    imports: int = 0
    garbage_bytes: list[int] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def problem(self, text: str) -> None:
        self.problems.append(text)
        print(f"  ! {text}", flush=True)


class Sources:
    """Short reports, each with a phrase no other holds (编号…号), written on demand."""

    def __init__(self, folder: Path, rng: random.Random) -> None:
        self.folder = folder
        self.rng = rng
        self.count = 0

    def batch(self, size: int) -> Path:
        folder = Path(tempfile.mkdtemp(prefix="batch-", dir=self.folder))
        for _ in range(size):
            self.count += 1
            n = self.count
            host, guest = self.rng.choice(PROVINCES)
            place, kind = self.rng.choice(PLACES), self.rng.choice(KINDS)
            text = (
                f"{host}{guest}第{n}次{kind}在{place}召开\n\n"
                f"2024年{n % 12 + 1}月{n % 28 + 1}日，{host}代表团赴{guest}{place}考察，双方召开{kind}，"
                f"就对口支援和东西部协作交换意见，{marker(n)}。\n"
            )
            (folder / f"r{n:06d}.txt").write_text(text, encoding="utf-8")
        return folder


def marker(n: int) -> str:
    return "编号" + "".join(DIGITS[int(d)] for d in str(n)) + "号"


def children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def importers(store: Path) -> list[int]:
    """Live processes (not zombies) of imports into `store`: the import and the workers it forked."""
    found = []
    mark = f"--db={store}".encode()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
                cmdline = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            if mark in cmdline and stat.rpartition(")")[2].split()[0] != "Z":
                found.append(int(entry.name))
    return found


class Watch:
    """What an import is doing, as seen from outside: its workers, its files."""

    def __init__(self, store: Path) -> None:
        self.store = store
        self.index = index_path_for(store)
        self.texts = texts_path_for(store)
        self.texts_size = self._texts_size()
        self.parts = self._parts()

    def _texts_size(self) -> int:
        with contextlib.suppress(OSError):
            return self.texts.stat().st_size
        return 0

    def _parts(self) -> set[str]:
        with contextlib.suppress(OSError):
            return {n for n in os.listdir(self.index) if n.startswith("part-")}
        return set()

    def phase(self, pid: int) -> str:
        if children(pid):
            return "extracting"
        names = os.listdir(self.store.parent)
        if any(TEMP.fullmatch(n) for n in names):
            return "store temp file"
        if any(INDEX_TEMP.fullmatch(n) for n in names):
            return "index temp folder"
        if self._parts() - self.parts:
            return "new part"
        if self._texts_size() > self.texts_size:
            return "texts growing"
        return "starting"


def run_killed(store: Path, batch: Path, target: str, signum: int, rng: random.Random, tally: Tally) -> str:
    """Start an import of `batch`, kill it at `target`; the phase it was killed in ("" if it finished)."""
    argv = [sys.executable, *CHILD, f"--db={store}", "import", str(batch)]
    how = signal.Signals(signum).name
    if target == "timeout":
        argv = ["timeout", "-s", how.removeprefix("SIG"), f"{rng.uniform(0.3, 3.0):.2f}", *argv]
        how = "timeout -s " + how.removeprefix("SIG")
    watch = Watch(store)
    proc = subprocess.Popen(
        argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True, cwd=ROOT
    )
    importer = proc.pid
    deadline = time.monotonic() + (rng.uniform(0.2, 3.0) if target == "random" else 120)
    seen = "starting"
    while proc.poll() is None:
        if target == "timeout":
            importer = next(iter(children(proc.pid)), importer)
        seen = watch.phase(importer)
        if (seen == target and target not in ("random", "timeout")) or time.monotonic() > deadline:
            os.kill(importer, signum)
            break
        time.sleep(0.001)
    try:
        proc.communicate(timeout=5)  # returns once nobody holds its stdout and stderr any more
    except subprocess.TimeoutExpired:
        tally.pipes_held += 1
        tally.problem(f"stdout/stderr of a killed import still open 5 s later ({how} at {seen})")
    if set(importers(store)) - {proc.pid}:
        time.sleep(2)  # dying takes a moment: count those still alive then
    for worker in set(importers(store)) - {proc.pid}:
        tally.orphans += 1
        tally.problem(f"process {worker} outlived its import ({how} at {seen})")
        with contextlib.suppress(OSError):
            os.kill(worker, signal.SIGKILL)  # so that the next import measures itself alone
    if proc.returncode is None:
        proc.kill()
        proc.communicate(timeout=30)
    killed = proc.returncode < 0 or (target == "timeout" and proc.returncode in (124, 128 + signum))
    if not killed:
        tally.finished_before_kill += 1
        return ""
    tally.kills[seen] += 1
    tally.signals[how] += 1
    return seen


def import_again(store: Path, batch: Path, tally: Tally) -> None:
    """Import `batch` in this process; a busy store or a takeover is counted."""
    err = io.StringIO()
    try:
        with contextlib.redirect_stderr(err):
            Corpus.open(store, seed_if_new=False).import_paths([batch])
    except StoreError as exc:
        tally.busy += "busy" in str(exc)
        tally.problem(f"import after a kill failed: {exc}")
        return
    finally:
        if "took over" in err.getvalue():
            tally.took_over += 1
            tally.problem(err.getvalue().strip())
    tally.imports += 1


def check(
    store: Path, expected: dict[str, str], tally: Tally, *, search: int | None, clean: set[str]
) -> None:
    """Every expected document there with its raw text, texts CRC-intact; `search` of them searched
    (None: all of them); with `clean`, nothing but a clean store's files around it."""
    try:
        corpus = Corpus.open(store, seed_if_new=False)
    except StoreError as exc:
        tally.unreadable_store += 1
        tally.problem(f"store does not open: {exc}")
        return
    docs = {d.id: d for d in corpus.documents()}
    for doc_id, raw in expected.items():
        doc = docs.get(doc_id)
        if doc is None:
            tally.lost += 1
            tally.problem(f"lost {doc_id}")
            continue
        try:
            intact = doc.raw == raw and bool(doc.text)
        except StoreError as exc:
            intact = False
            tally.problem(f"damaged {doc_id}: {exc}")
        if not intact:
            tally.damaged += 1
    sample = list(expected) if search is None else random.sample(list(expected), min(search, len(expected)))
    for doc_id in sample:
        phrase = re.search(r"编号[〇一二三四五六七八九]+号", expected[doc_id])
        answer = corpus.search(phrase.group(0) if phrase else doc_id, limit=5)
        if doc_id not in {r.doc_id for r in answer.results}:
            tally.unsearchable += 1
            tally.problem(f"not found by its phrase: {doc_id}")
    if clean:
        found = set(os.listdir(store.parent))
        index = index_path_for(store)
        named = {p.path for p in corpus.search_index().parts if p.path}
        found |= {f"{index.name}/{n}" for n in os.listdir(index) if n not in named}
        for name in sorted(found - clean - tally.leftovers):
            tally.leftovers.add(name)
            tally.problem(f"leftover {name}")


def garbage(store: Path) -> int:
    """Bytes of the texts file that no document refers to."""
    corpus = Corpus.open(store, seed_if_new=False)
    used = 0
    for doc in corpus.documents():
        for name in ("raw", "text"):
            used += doc.stored(name).ref.nbytes  # type: ignore[arg-type, union-attr]
    return texts_path_for(store).stat().st_size - used


CHILD = ["-m", "tui.cli"]  # how `python` runs the import killed: `--batch-chars` sets it


def small_batches(chars: int) -> None:
    """Imports here and in the children killed stream in batches of `chars` characters, so that a kill
    can land in any of an import's batches (and between a batch written and its index brought up to
    date while the next is extracted)."""
    import store.search.batches

    store.search.batches.BATCH_CHARS = chars
    CHILD[:] = [
        "-c",
        f"import sys, store.search.batches as b; b.BATCH_CHARS = {chars}; "
        "from tui.cli import main; sys.exit(main(sys.argv[1:]))",
    ]


def batch_size(kind: str, stored: int, rng: random.Random) -> int:
    if kind == "workers":
        return PARALLEL_THRESHOLD + rng.randint(0, 20)
    if kind == "some":
        return rng.randint(20, 60)
    if kind == "rebuild":
        return max(20, stored // 6)
    if kind == "few":
        return max(1, stored // 40)
    return rng.choice([rng.randint(1, 60), PARALLEL_THRESHOLD + rng.randint(0, 20)])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kills", type=int, default=200, help="stop after this many kills (default 200)")
    parser.add_argument("--per-round", type=int, default=12, help="kills before a fresh store (default 12)")
    parser.add_argument("--seed", type=int, default=9)
    parser.add_argument("--verbose", action="store_true", help="time each step")
    parser.add_argument("--batch-chars", type=int, help="import in batches of this many characters")
    args = parser.parse_args()
    if args.batch_chars:
        small_batches(args.batch_chars)
    if not Path("/proc/self/stat").exists() or not shutil.which("timeout"):
        print("needs Linux (/proc) and coreutils timeout", file=sys.stderr)
        return 2
    rng = random.Random(args.seed)
    random.seed(args.seed)
    tally = Tally()
    started = time.monotonic()
    work = Path(tempfile.mkdtemp(prefix="yuelan-killloop-"))
    step = 0
    try:
        while sum(tally.kills.values()) < args.kills:
            round_dir = Path(tempfile.mkdtemp(prefix="round-", dir=work))
            store = round_dir / "store" / STORE
            sources = Sources(round_dir, rng)
            first = sources.batch(30)
            Corpus.open(store, seed_if_new=False).import_paths([first])
            expected = {content_id(read_source(p).raw)[0]: read_source(p).raw for p in first.iterdir()}
            clean = set(os.listdir(store.parent)) | {
                f"{index_path_for(store).name}/{n}" for n in os.listdir(index_path_for(store))
            }
            kills_this_round = 0
            while kills_this_round < args.per_round and sum(tally.kills.values()) < args.kills:
                target, kind = PLAN[step % len(PLAN)]
                signum = SIGNALS[step // len(PLAN) % len(SIGNALS)]
                step += 1
                batch = sources.batch(batch_size(kind, len(expected), rng))
                times = [time.monotonic()]
                phase = run_killed(store, batch, target, signum, rng, tally)
                kills_this_round += bool(phase)
                times.append(time.monotonic())
                check(store, expected, tally, search=0, clean=set())
                times.append(time.monotonic())
                import_again(store, batch, tally)
                times.append(time.monotonic())
                expected |= {content_id(read_source(p).raw)[0]: read_source(p).raw for p in batch.iterdir()}
                check(store, expected, tally, search=20, clean=clean)
                times.append(time.monotonic())
                if args.verbose:
                    steps = "kill, check, import, check: " + " ".join(
                        f"{b - a:.1f}" for a, b in itertools.pairwise(times)
                    )
                    print(f"  {steps} s", flush=True)
                done = sum(tally.kills.values())
                print(
                    f"kill {done:3d}  {phase or '(finished first)':18s} {target:18s} "
                    f"{len(expected):5d} docs  {time.monotonic() - started:5.0f} s",
                    flush=True,
                )
            check(store, expected, tally, search=None, clean=clean)
            tally.garbage_bytes.append(garbage(store))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    report(tally, time.monotonic() - started)
    return 1 if tally.problems else 0


def report(tally: Tally, seconds: float) -> None:
    kills = sum(tally.kills.values())
    print(
        f"\n{kills} kills in {seconds:.0f} s "
        f"({tally.finished_before_kill} imports finished before their kill)"
    )
    print("by phase:  " + ", ".join(f"{k} {v}" for k, v in tally.kills.most_common()))
    print("by signal: " + ", ".join(f"{k} {v}" for k, v in tally.signals.most_common()))
    print(
        f"imports after a kill: {tally.imports} done, {tally.busy} refused as busy, "
        f"{tally.took_over} took over the lock"
    )
    print(f"orphans: {tally.orphans}   pipes held open: {tally.pipes_held}")
    print(
        f"lost documents: {tally.lost}   damaged: {tally.damaged}   not found by search: {tally.unsearchable}"
        f"   store unreadable: {tally.unreadable_store}"
    )
    print(f"leftovers: {len(tally.leftovers)}")
    garbage_mb = ", ".join(f"{b / 1e6:.2f}" for b in tally.garbage_bytes)
    print(f"texts bytes no document refers to, per round (MB; for compact): {garbage_mb}")


if __name__ == "__main__":
    sys.exit(main())
