"""How extraction workers start, and how they end when the import that forked them is gone.

An import with many new files, and `reextract` of a large store, extract in forked worker processes
(`mapped`, the one place such a pool is made). A worker
forked from an import that is then killed (`kill -9`, `timeout`, the SIGHUP of a closed SSH session)
would wait on its task queue for ever: the queue's pipe stays open because the worker itself holds
both ends. Such orphans kept the store's writer lock (see store/storage/db.py, which now lets go of it in any
forked child) and the caller's terminal or pipes. So each worker, as it starts:

- asks Linux for SIGKILL when its parent dies (prctl PR_SET_PDEATHSIG), and watches its parent's pid
  from a thread as well (any POSIX system; also the case where the parent died before the prctl);
- takes the default action for SIGTERM and SIGHUP and ignores SIGINT (Ctrl-C reaches the whole
  process group: the parent stops the import and ends its workers, see `stop_workers`);
- points stdin, stdout and stderr at /dev/null: the parent's pipes and terminal are the parent's
  (a worker's exception reaches the parent through the pool, not through stderr).
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

Job = TypeVar("Job")
Result = TypeVar("Result")

CHUNK = 16  # jobs a worker takes at a time: fewer round trips, still an even spread
PARALLEL_THRESHOLD = 200  # below this, starting worker processes costs more than it saves
PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
PARENT_CHECK_SECONDS = 0.25
STOPPING = {signal.SIGINT, signal.SIGTERM, signal.SIGHUP}


def mapped(
    function: Callable[[Job], Result],
    jobs: Sequence[Job],
    *,
    before_fork: Callable[[], object] | None = None,
    finished: Callable[[int], object] | None = None,
) -> Iterator[Result]:
    """`function` over `jobs`, in order, yielded as each is done: in this process for a few jobs, else
    across forked workers that end with this process and hold neither the store's lock nor its
    stdout. `before_fork` runs only when workers will start (load what every worker would otherwise
    load for itself, so that they inherit it). `finished(count)`: called from the pool's own thread
    as the workers finish each chunk of jobs, whether or not the caller is reading the results (an
    import builds an index meanwhile, and its progress line still moves)."""
    workers = min(os.cpu_count() or 1, 8)
    if len(jobs) < PARALLEL_THRESHOLD or workers < 2:
        yield from map(function, jobs)
        return
    import multiprocessing  # only hundreds of jobs start workers
    from concurrent.futures import ProcessPoolExecutor

    if before_fork is not None:
        before_fork()
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    pool = ProcessPoolExecutor(
        workers, mp_context=context, initializer=worker_started, initargs=(os.getpid(),)
    )
    try:
        with signals_held():  # the workers are forked here
            chunks = [
                pool.submit(_in_turn, function, jobs[at : at + CHUNK]) for at in range(0, len(jobs), CHUNK)
            ]
        if finished is not None:
            for at, chunk in zip(range(0, len(jobs), CHUNK), chunks, strict=True):
                chunk.add_done_callback(functools.partial(_said, finished, min(CHUNK, len(jobs) - at)))
        for chunk in chunks:
            yield from chunk.result()
    except BaseException:  # Ctrl-C, an error, or the caller stopped reading
        stop_workers(pool)
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _said(finished: Callable[[int], object], count: int, _: object) -> None:
    finished(count)


def _in_turn(function: Callable[[Job], Result], jobs: Sequence[Job]) -> list[Result]:
    """One chunk's results, in a worker. The chunks are submitted and awaited here rather than through
    `ProcessPoolExecutor.map`, whose iterator cancels the pending futures from this thread as Ctrl-C
    unwinds it: the pool's own thread then marks the same futures broken once the workers are ended,
    and Python 3.11 prints that clash (InvalidStateError) as a traceback. Left to `shutdown`, the
    cancelling happens in the pool's thread, after the workers are gone."""
    return [function(job) for job in jobs]


@contextlib.contextmanager
def signals_held() -> Iterator[None]:
    """Hold SIGINT, SIGTERM and SIGHUP in this thread while it forks the workers: a worker then takes
    them only once `worker_started` has set what they do (a Ctrl-C in between printed a traceback from
    the worker's start-up on the caller's terminal). This process takes them when the block ends."""
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, STOPPING)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def worker_started(parent: int) -> None:
    """The pool's initializer: run in each worker before it takes any task. `parent` is the pid of
    the import that starts the pool."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGHUP, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    detach_std_streams()
    die_with_parent(parent)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, STOPPING)


def stop_workers(pool: ProcessPoolExecutor) -> None:
    """End the pool's workers now: an import that stops early (Ctrl-C, an error) has no use for the
    chunks they are extracting, and waiting for them took seconds."""
    terminate = getattr(pool, "terminate_workers", None)  # Python 3.14
    if terminate is not None:
        terminate()
        return
    for process in list(getattr(pool, "_processes", {}).values()):
        with contextlib.suppress(OSError):
            process.terminate()


def die_with_parent(parent: int) -> None:
    """End this process as soon as `parent` is no longer its parent."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # it died before the prctl took effect
        os._exit(1)
    threading.Thread(target=_watch_parent, args=(parent,), name="watch-parent", daemon=True).start()


def _watch_parent(parent: int) -> None:
    """A dead parent's children are handed to another process (init, a subreaper): their ppid changes."""
    while os.getppid() == parent:
        time.sleep(PARENT_CHECK_SECONDS)
    os._exit(1)


def detach_std_streams() -> None:
    """Point fds 0, 1 and 2 at /dev/null, so a worker never holds the caller's terminal or pipes."""
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        with contextlib.suppress(OSError):
            os.dup2(null, fd)
    if null > 2:
        os.close(null)
