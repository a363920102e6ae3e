"""What every command shares: the exit codes, the one-line error, opening the store named by `--db`,
the progress line, and output that is safe to print (JSON Lines, text with controls escaped)."""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from store import StoreError, json_safe, resolve_store_path, terminal_safe

if TYPE_CHECKING:
    from store import Corpus, Lookup

EXIT_OK, EXIT_FAILURE, EXIT_USAGE = 0, 1, 2
PROGRESS_THRESHOLD = 20


class CliError(Exception):
    """A failure the user can act on; printed as one line, exit code 1."""


def store_location(args: argparse.Namespace) -> Path:
    """The store file --db names, else the default."""
    return resolve_store_path(getattr(args, "db", None))


def open_corpus(args: argparse.Namespace, *, seed_if_new: bool = True, create: bool = False) -> Corpus:
    """Open the store named by --db (or the default), turning store errors into one-line CLI errors.

    Only `create` may make a store where there is none (`import`, the browser's first run on the
    default path); every other command reports a missing store and leaves the disk as it was, so a
    mistyped --db never grows a folder, a lock file and a store seeded with the samples.
    """
    path = store_location(args)
    if not create and not path.exists():
        raise CliError(f"{terminal_line(str(path))}: no such store; {missing_store_hint(args)}")
    from store import Corpus  # here: `--help` and usage errors never load the corpus and its importer

    try:
        return Corpus.open(path, seed_if_new=seed_if_new)
    except StoreError as exc:
        raise CliError(str(exc)) from exc


def open_for_browsing(args: argparse.Namespace) -> Corpus:
    """The store for the browser, opened as every command opens it: from its catalogue when that is
    fresh (store/storage/catalogued.py), the TinyDB file parsed only when a write needs it."""
    return open_corpus(args, create=not hasattr(args, "db"))


def open_lookup(args: argparse.Namespace) -> Lookup:
    """The store named by --db opened for a lookup (`list`, `tree`, `show`, `search`): from its catalogue,
    the TinyDB file parsed only when that is missing or stale (store/lookup.py). Never creates a store."""
    path = store_location(args)
    if not path.exists():
        raise CliError(f"{terminal_line(str(path))}: no such store; {missing_store_hint(args)}")
    from store import Lookup  # here: `--help` and usage errors never load the store

    try:
        return Lookup.open(path)
    except StoreError as exc:
        raise CliError(str(exc)) from exc


def answered(args: argparse.Namespace, out: TextIO, lookup: Lookup, make: Callable[[TextIO], int]) -> int:
    """Print what `make` prints, kept beside the store for the next identical command (same arguments,
    same store file, same yuelan: store/storage/answers.py) when piped; on a terminal, where lines are
    cut to its width, always made."""
    if out.isatty():
        return make(out)
    from store import code_key

    asked = {name: value for name, value in sorted(vars(args).items()) if name != "db"}
    name = f"{json.dumps(asked, ensure_ascii=False, default=str)} {code_key()}"
    kept = lookup.kept(name)
    if kept is not None:
        out.write(kept.decode("utf-8", "surrogateescape"))
        return EXIT_OK
    text = io.StringIO()
    code = make(text)
    made = text.getvalue()
    text.close()  # tens of MB for a large store's tree: one copy at a time
    out.write(made)
    if code == EXIT_OK:
        lookup.keep(name, made.encode("utf-8", "surrogateescape"))
    return code


def missing_store_hint(args: argparse.Namespace) -> str:
    if hasattr(args, "db"):
        return "`yuelan import` creates one"
    return "`yuelan` starts one with the bundled reports, `yuelan import` with yours"


class ProgressBar:
    """A one-line progress bar on a terminal, drawn only when there are many files.

    The time since it was first drawn is on the line, and the line is drawn again every TICK seconds:
    a stage of a large import (a 100k-report import writes its store and index for many seconds at a
    time) then shows it is alive. It may be called from any thread (an import's workers report from
    the pool's)."""

    TICK = 1.0

    def __init__(self, stream: TextIO, width: int = 30, threshold: int = PROGRESS_THRESHOLD) -> None:
        self.stream = stream
        self.width = width
        self.threshold = threshold
        self.drawn = False
        self._lock = threading.Lock()
        self._last: tuple[int, int, str] | None = None
        self._started = time.monotonic()
        self._stopped = threading.Event()
        self._clock: threading.Thread | None = None

    def __call__(self, done: int, total: int, path: str) -> None:
        if total < self.threshold:
            return
        with self._lock:
            if self._last is None:
                self._started = time.monotonic()
            self._last = (done, total, path)
            self._draw(done, total, path)
            if self._clock is None:
                self._clock = threading.Thread(target=self._tick, name="progress-clock", daemon=True)
                self._clock.start()

    def _draw(self, done: int, total: int, path: str) -> None:
        filled = self.width * done // total
        name = terminal_line(Path(path).name)[-28:]  # a file name once sent an OSC 52 clipboard write
        bar = "█" * filled + "░" * (self.width - filled)
        minutes, seconds = divmod(int(time.monotonic() - self._started), 60)
        self.stream.write(f"\r\x1b[2K{bar} {done}/{total} {minutes}:{seconds:02d} {name}")
        self.stream.flush()
        self.drawn = True

    def _tick(self) -> None:
        while not self._stopped.wait(self.TICK):
            with self._lock:
                if self._stopped.is_set() or self._last is None:
                    return
                try:
                    self._draw(*self._last)
                except (OSError, ValueError):  # the terminal is gone: nothing left to tell
                    return

    def finish(self) -> None:
        self._stopped.set()
        if self._clock is not None:
            self._clock.join()
        if self.drawn:
            self.stream.write("\r\x1b[2K")
            self.stream.flush()


@contextlib.contextmanager
def maintenance_progress() -> Iterator[ProgressBar | None]:
    """The import's progress line on a terminal, drawn from the first document: removing one report
    from a large store still rebuilds or rewrites for seconds."""
    progress = ProgressBar(sys.stderr, threshold=1) if sys.stderr.isatty() else None
    try:
        yield progress
    finally:
        if progress:
            progress.finish()


def print_json(obj: dict[str, Any], out: TextIO) -> None:
    """One JSON line, Hanzi as they are; controls, bidi and zero-width characters and a non-UTF-8 file
    name's bytes as \\u escapes (store.text.json_safe), so `show --json` piped to a terminal is safe."""
    print(json_safe(json.dumps(obj, ensure_ascii=False)), file=out)


def terminal_text(text: str) -> str:
    """Text from outside (a document, a name, an id) with every control shown escaped, as `cat -v` does."""
    return terminal_safe(text)


def terminal_line(text: str) -> str:
    return terminal_text(text).replace("\n", " ")
