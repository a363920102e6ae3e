"""Time to first frame, measured from outside the process, as a user over SSH would feel it.

Spawns the real `yuelan --db STORE` in a pseudo-terminal of a given size and times from just before the
spawn until the terminal output holds the status line's brand (阅览), i.e. the first full frame has
been written; then presses q and checks that the app leaves and restores the terminal. Repeats and
prints the median and worst run.

    python -m tools.startup_bench                       # the bundled corpus (a fresh store, imported once)
    python -m tools.startup_bench --docs 10000          # a 10k-document store of recombined seed paragraphs
    python -m tools.startup_bench --db STORE --typing   # keystroke → updated results, typed one key at a time
    python -m tools.startup_bench --db STORE --resident # memory once the index is warm and queries answered

The typing mode drives the real app in-process through Textual's Pilot (headless, same size): it types
each query a key at a time and times every key from the press until the answer is on screen (search
answer, narrowed tree and result list drawn), split into the search (a worker) and the drawing (the
event loop, where typing would lag).
"""

from __future__ import annotations

import argparse
import fcntl
import os
import pty
import random
import select
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MARKER = "阅览".encode()
LEAVE_ALT_SCREEN = b"\x1b[?1049l"
DEFAULT_TIMEOUT = 20.0


def yuelan_command() -> list[str]:
    """The installed console script beside this Python, else the module."""
    script = Path(sys.executable).with_name("yuelan")
    return [str(script)] if script.exists() else [sys.executable, "-m", "tui.cli"]


def spawn_in_pty(
    args: list[str], size: tuple[int, int], env: dict[str, str]
) -> tuple[subprocess.Popen[bytes], int]:
    """Start a process on a new pseudo-terminal of `size` (columns, rows); returns it and the master fd."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", size[1], size[0], 0, 0))
    process = subprocess.Popen(
        args, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True, close_fds=True
    )
    os.close(slave)
    return process, master


def read_until(master: int, needle: bytes, timeout: float, seen: bytearray) -> bool:
    """Read the terminal output into `seen` until it contains `needle`; False on timeout or EOF."""
    deadline = time.perf_counter() + timeout
    while needle not in seen:
        left = deadline - time.perf_counter()
        if left <= 0:
            return False
        ready, _, _ = select.select([master], [], [], left)
        if not ready:
            continue
        try:
            chunk = os.read(master, 65536)
        except OSError:
            return False
        if not chunk:
            return False
        seen.extend(chunk)
    return True


def first_frame_seconds(store: Path, size: tuple[int, int], state_dir: Path) -> float:
    """One run: seconds from spawn to the first frame; the app is then quit with q."""
    env = dict(os.environ, TERM="xterm-256color", COLORTERM="truecolor", YUELAN_STATE_DIR=str(state_dir))
    seen = bytearray()
    started = time.perf_counter()
    process, master = spawn_in_pty([*yuelan_command(), "--db", str(store)], size, env)
    try:
        if not read_until(master, MARKER, DEFAULT_TIMEOUT, seen):
            raise RuntimeError(f"no first frame within {DEFAULT_TIMEOUT} s: {bytes(seen[-400:])!r}")
        elapsed = time.perf_counter() - started
        os.write(master, b"q")
        read_until(master, LEAVE_ALT_SCREEN, DEFAULT_TIMEOUT, seen)
        process.wait(timeout=DEFAULT_TIMEOUT)
        return elapsed
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        os.close(master)


def build_store(store: Path, documents: int, seed: int = 7) -> None:
    """A store of `documents` reports made by recombining the seeds' paragraphs (fixed random seed),
    imported through the real pipeline (cleaning, extraction, index)."""
    from store.corpus import Corpus, bundled_seeds
    from store.text.clean import clean_text
    from store.text.decode import read_source

    paragraphs = [
        line
        for path in sorted(bundled_seeds().glob("*.txt"))
        for line in clean_text(read_source(path).raw).splitlines()
        if len(line) > 20
    ]
    rng = random.Random(seed)
    folder = Path(tempfile.mkdtemp(prefix="yuelan-bench-src-"))
    try:
        for number in range(documents):
            body = "\n".join(rng.sample(paragraphs, k=min(len(paragraphs), rng.randint(6, 14))))
            (folder / f"{number:06d}.txt").write_text(f"第{number}次会议\n{body}\n", encoding="utf-8")
        Corpus.open(store, seed_if_new=False).import_paths([folder])
    finally:
        shutil.rmtree(folder, ignore_errors=True)


TYPED_QUERIES = ("团结", "團結發展", "西藏", "合作交流", "hemoubao", "甘南州")


@dataclass
class Keystroke:
    """One key typed: the query it made, and seconds to the screen, in the search, on the event loop;
    `cpu` is the event loop's own CPU seconds from the key to the answer drawn (handling the key, showing
    the answer, laying out and drawing the screen): unlike the wall times, other processes on a shared
    machine hardly change it."""

    query: str
    total: float
    search: float
    drawing: float
    cpu: float = 0.0


async def type_queries(
    store: Path, size: tuple[int, int], queries: tuple[str, ...], at_end: Callable[[], object] | None = None
) -> list[Keystroke]:
    """Open the app on `store`, wait until it is ready, then type each query a key at a time; `at_end` is
    called before the app closes."""
    import asyncio

    from store.corpus import Corpus
    from tui.app import YuelanApp
    from tui.screens.main import MainScreen
    from tui.settings import Settings

    app = YuelanApp(Corpus.open(store, seed_if_new=False), Settings())
    strokes: list[Keystroke] = []
    async with app.run_test(size=size) as pilot:
        screen = app.screen
        assert isinstance(screen, MainScreen)
        while screen.index_state == "loading" or not screen.docs:
            await asyncio.sleep(0.01)
        for query in queries:
            await pilot.press("slash")
            for end in range(1, len(query) + 1):
                started, cpu = time.perf_counter(), time.thread_time()
                type_key(app, query[end - 1])
                stroke = await answer_on_screen(screen, query[:end], started)
                stroke.cpu = time.thread_time() - cpu
                strokes.append(stroke)
            await pilot.press("escape")
        if at_end is not None:
            at_end()
    return strokes


def type_key(app: Any, character: str) -> None:
    """Hand one printable key to the app as its terminal driver does (Pilot.press would add its own
    waits to the time measured)."""
    from textual import events

    key = events.Key(character, character)
    key.set_sender(app)
    app._driver.send_message(key)


async def answer_on_screen(screen: Any, query: str, started: float) -> Keystroke:
    """Wait until the answer to `query` has been drawn; its timings."""
    import asyncio

    deadline = started + DEFAULT_TIMEOUT
    while screen.drawn is None or screen.drawn[0] != query:
        if time.perf_counter() > deadline:
            raise RuntimeError(f"no answer on screen for {query!r} within {DEFAULT_TIMEOUT} s")
        await asyncio.sleep(0.0005)
    _, search, drawing, drawn_at = screen.drawn
    return Keystroke(query, drawn_at - started, search, drawing)


def report_typing(strokes: list[Keystroke]) -> None:
    """Every key, then the median and worst of each part."""
    for stroke in strokes:
        print(
            f"  {stroke.query:<10} {stroke.total * 1000:7.1f} ms  "
            f"(search {stroke.search * 1000:6.1f}, drawing {stroke.drawing * 1000:5.1f}, "
            f"loop CPU {stroke.cpu * 1000:5.1f})"
        )
    for name in ("total", "search", "drawing", "cpu"):
        values = [getattr(s, name) * 1000 for s in strokes]
        print(f"{name:>8}: median {statistics.median(values):6.1f} ms, worst {max(values):6.1f} ms")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="an existing store (default: a fresh one in a temp folder)")
    parser.add_argument("--docs", type=int, default=0, help="build a store of this many recombined reports")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--size", default="80x24", help="terminal COLUMNSxROWS")
    parser.add_argument("--typing", action="store_true", help="time keystroke → results instead")
    parser.add_argument("--resident", action="store_true", help="resident memory once warm, instead")
    args = parser.parse_args(argv)
    columns, rows = (int(v) for v in args.size.split("x"))
    if args.typing:
        return typing_main(args.db, (columns, rows))
    if args.resident:
        return resident_main(args.db, (columns, rows))
    work = Path(tempfile.mkdtemp(prefix="yuelan-bench-"))
    try:
        store = args.db or work / "yuelan.json"
        if args.docs and not store.exists():
            started = time.perf_counter()
            build_store(store, args.docs)
            print(f"built {args.docs} documents in {time.perf_counter() - started:.1f} s", file=sys.stderr)
        elif not store.exists():
            # The first run imports the bundled seeds; that is setup, not the startup being measured.
            from store.corpus import Corpus

            Corpus.open(store)
        times = [first_frame_seconds(store, (columns, rows), work / "state") for _ in range(args.runs)]
    finally:
        shutil.rmtree(work, ignore_errors=True)
    label = f"{args.docs} documents" if args.docs else (str(args.db) if args.db else "the bundled corpus")
    print(
        f"first frame, {label}, {columns}x{rows}, {args.runs} runs: "
        f"median {statistics.median(times):.3f} s, worst {max(times):.3f} s"
    )
    return 0


def typing_main(store: Path | None, size: tuple[int, int]) -> int:
    """The typing benchmark on an existing store (a fresh seed store when none is given)."""
    import asyncio

    with tempfile.TemporaryDirectory(prefix="yuelan-bench-") as work:
        os.environ["YUELAN_STATE_DIR"] = str(Path(work) / "state")  # never the user's history
        if store is None:
            from store.corpus import Corpus

            store = Path(work) / "yuelan.json"
            Corpus.open(store)
        strokes = asyncio.run(type_queries(store, size, TYPED_QUERIES))
    print(f"keystroke → results on screen, {store}, {size[0]}x{size[1]}, {len(strokes)} keys:")
    report_typing(strokes)
    return 0


# One query with an exact match, one that falls back to its words (no exact match in the bench's stores).
RESIDENT_QUERIES = ("团结", "团结示范州建设新篇章")


def resident_main(store: Path, size: tuple[int, int]) -> int:
    """Resident memory of the browser on `store` once its index is warm and it has answered a query and
    a word fallback (in-process, headless): all of it, and its own (not pages of mapped files)."""
    import asyncio

    from tools.bench import resident_mb

    with tempfile.TemporaryDirectory(prefix="yuelan-bench-") as work:
        os.environ["YUELAN_STATE_DIR"] = str(Path(work) / "state")  # never the user's history
        measured: list[list[float]] = []
        asyncio.run(type_queries(store, size, RESIDENT_QUERIES, lambda: measured.append(resident_mb())))
        total, own = measured[0]
    jieba = sys.modules.get("jieba")
    loaded = jieba is not None and jieba.dt.initialized  # its package alone may be: the HMM for unknown runs
    print(
        f"resident once warm, {store}: {total:.0f} MB, own (not mapped files) {own:.0f} MB; "
        f"jieba's dictionary loaded: {loaded}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
