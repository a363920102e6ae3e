"""Time to first frame, measured from outside the process, as a user over SSH would feel it.

Spawns the real `yuelan --db STORE` in a pseudo-terminal of a given size and times from just before the
spawn until the terminal output holds the status line's brand (阅览), i.e. the first full frame has
been written; then presses q and checks that the app leaves and restores the terminal. Repeats and
prints the median and worst run.

    python -m tui.startup_bench                       # the bundled corpus (a fresh store, imported once)
    python -m tui.startup_bench --docs 10000          # a 10k-document store of recombined seed paragraphs
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
from pathlib import Path

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
    from store.text import clean_text, read_source

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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="an existing store (default: a fresh one in a temp folder)")
    parser.add_argument("--docs", type=int, default=0, help="build a store of this many recombined reports")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--size", default="80x24", help="terminal COLUMNSxROWS")
    args = parser.parse_args(argv)
    columns, rows = (int(v) for v in args.size.split("x"))
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


if __name__ == "__main__":
    sys.exit(main())
