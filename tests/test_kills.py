"""Imports killed at any moment: their workers die with them, the lock is free at once, what they left
behind is cleared by the next import, and nothing an earlier import stored is lost."""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from store.corpus import Corpus
from store.storage import db, lock
from store.storage.paths import index_path_for, lock_path
from store.workers import PARALLEL_THRESHOLD

PROC = Path("/proc/self/stat").exists()
needs_proc = pytest.mark.skipif(not PROC, reason="finds processes through /proc (Linux)")


def write_reports(folder: Path, count: int, tag: str) -> Path:
    """`count` short, distinct reports (a second each to extract, in all, on one core)."""
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        (folder / f"{tag}{i:04d}.txt").write_text(
            f"川藏{tag}第{i}次交流座谈会在拉萨市召开\n\n2024年5月{i % 28 + 1}日，四川省代表团赴西藏自治区"
            f"考察，双方召开座谈会，就对口支援事项{tag}{i}交换意见。\n",
            encoding="utf-8",
        )
    return folder


def cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "tui.cli", *args]


def children_of(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rpartition(")")[2].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def gone(pid: int) -> bool:
    """Ended: no such process, or a zombie (this machine's init may be slow to reap orphans)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True
    return stat.rpartition(")")[2].split()[0] == "Z"


def wait_until(condition, seconds: float) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


def kill_all(pids: list[int]) -> None:
    for pid in pids:
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)


def run_forking(script: str) -> list[int]:
    """Run `script`, which prints pids and ends while a child it forked lives on: those pids."""
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    line = proc.stdout.readline()  # not to the end: the child holds the pipe too
    proc.wait(timeout=30)
    proc.stdout.close()
    return [int(pid) for pid in line.split()]


def contents(path: Path) -> dict[str, tuple[str, str]]:
    """Every document's raw and cleaned text (each read checks its CRC-32)."""
    return {d.id: (d.raw, d.text) for d in Corpus.open(path, seed_if_new=False).documents()}


# -- workers die with the import, and never hold the lock or the caller's pipes ----------------------


WORKERS = min(os.cpu_count() or 1, 8)  # as store.importer.build_documents starts them
needs_workers = pytest.mark.skipif(
    not PROC or WORKERS < 2, reason="finds processes through /proc (Linux), and one core extracts alone"
)


def take_ctrl_c() -> None:
    """In the child before it runs yuelan: a shell's background job starts with SIGINT ignored, and
    a Python started so never takes Ctrl-C; the import under test must start as a terminal's would."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def killed_with_workers(store: Path, source: Path, signum: int, *, group: bool = False) -> tuple[int, str]:
    """Start importing `source`, send `signum` once its workers run (to the import alone, or to its
    process group as a terminal does), check that they end with it and let go of its stdout and
    stderr; its exit status and what it wrote on stderr."""
    proc = subprocess.Popen(
        cli(f"--db={store}", "import", str(source)),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        preexec_fn=take_ctrl_c,
    )
    workers: list[int] = []

    def started() -> bool:
        workers[:] = children_of(proc.pid)
        return len(workers) >= WORKERS

    try:
        assert wait_until(started, 60)
        (os.killpg if group else os.kill)(proc.pid, signum)
        _, err = proc.communicate(timeout=30)  # returns once no worker holds the pipes either
        assert wait_until(lambda: all(gone(pid) for pid in workers), 10), "a worker outlived its import"
    finally:
        proc.kill()
        kill_all(workers)
    return proc.returncode, err


@needs_workers
def test_an_import_killed_while_extracting_is_followed_by_one_that_loses_nothing(
    seed_store: Path, tmp_path: Path
) -> None:
    before = contents(seed_store)
    source = write_reports(tmp_path / "src", PARALLEL_THRESHOLD + 10, "k")
    killed_with_workers(seed_store, source, signal.SIGKILL)
    started = time.monotonic()
    again = subprocess.run(cli(f"--db={seed_store}", "import", str(source)), capture_output=True, text=True)
    assert again.returncode == 0, again.stderr
    assert again.stderr == ""  # not busy, nothing to take over: the lock ended with the import
    assert time.monotonic() - started < 60
    after = contents(seed_store)
    assert {k: after[k] for k in before} == before
    assert len(after) == len(before) + PARALLEL_THRESHOLD + 10


@needs_workers
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP], ids=["SIGTERM", "SIGHUP"])
def test_workers_end_with_an_import_terminated_or_hung_up(
    seed_store: Path, tmp_path: Path, signum: int, capfd: pytest.CaptureFixture[str]
) -> None:
    killed_with_workers(seed_store, write_reports(tmp_path / "src", PARALLEL_THRESHOLD + 10, "t"), signum)
    with lock.exclusive_lock(seed_store, wait=0):
        pass
    assert capfd.readouterr().err == ""


@needs_workers
def test_ctrl_c_stops_an_import_and_its_workers_at_once(seed_store: Path, tmp_path: Path) -> None:
    """Ctrl-C reaches every process of the group: the import stops (exit 130) and ends its workers,
    even when they have just been forked, and nothing prints a traceback."""
    source = write_reports(tmp_path / "src", PARALLEL_THRESHOLD + 10, "c")
    for _ in range(2):
        started = time.monotonic()
        status, err = killed_with_workers(seed_store, source, signal.SIGINT, group=True)
        assert status == 130
        assert "Traceback" not in err and "Error" not in err, err
        assert time.monotonic() - started < 30


def test_a_forked_child_lets_go_of_the_lock(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    """A process that forks while it holds the lock and then dies leaves the lock free."""
    path = tmp_path / "s.json"
    script = (
        "import os, time\nfrom pathlib import Path\nfrom store.storage import db, lock\n"
        f"with lock.exclusive_lock(Path({str(path)!r})):\n"
        "    child = os.fork()\n"
        "    if child == 0:\n        time.sleep(30)\n        os._exit(0)\n"
        "    print(child, flush=True)\n"
        "    os._exit(0)\n"
    )
    (child,) = run_forking(script)
    try:
        if PROC:
            assert not gone(child)
        with lock.exclusive_lock(path, wait=0.5):
            pass
        assert capfd.readouterr().err == ""
    finally:
        kill_all([child])


def test_a_lock_held_for_a_dead_process_is_taken_over(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    """As workers of an older yuelan did: the lock outlives its holder in a child that inherited it."""
    path = tmp_path / "s.json"
    script = (
        "import fcntl, os, time\n"
        f"fd = os.open({str(lock_path(path))!r}, os.O_RDWR | os.O_CREAT)\n"
        "fcntl.flock(fd, fcntl.LOCK_EX)\nos.write(fd, str(os.getpid()).encode())\n"
        "child = os.fork()\n"
        "if child == 0:\n    time.sleep(30)\n    os._exit(0)\n"
        "print(os.getpid(), child, flush=True)\n"
    )
    dead, child = run_forking(script)
    try:
        with lock.exclusive_lock(path, wait=3):
            err = capfd.readouterr().err
            assert err.count("\n") == 1
            assert f"took over the writer lock of pid {dead}, which is no longer running" in err
            code = (
                "from pathlib import Path\nfrom store.storage import db, lock\n"
                f"with lock.exclusive_lock(Path({str(path)!r}), wait=0.2): pass"
            )
            other = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=30)
            assert "busy" in other.stderr and f"pid {os.getpid()}" in other.stderr
        with lock.exclusive_lock(path, wait=0.5):  # the new lock file is free again, not taken over twice
            pass
        assert capfd.readouterr().err == ""
        assert sorted(p.name for p in tmp_path.iterdir()) == ["s.json.lock"]
    finally:
        kill_all([child])


@needs_proc
def test_a_live_holder_is_never_taken_over(tmp_path: Path) -> None:
    """The lock file may still name a dead process while its new holder has not written its own pid:
    the kernel's record of who holds the lock decides, not the file."""
    path = tmp_path / "s.json"
    finished = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True)
    dead = int(finished.stdout)
    script = (
        "import fcntl, os, time\n"
        f"fd = os.open({str(lock_path(path))!r}, os.O_RDWR | os.O_CREAT)\n"
        f"fcntl.flock(fd, fcntl.LOCK_EX)\nos.write(fd, b'{dead}')\n"
        "print('locked', flush=True)\ntime.sleep(30)\n"
    )
    holder = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        with pytest.raises(db.StoreError, match=rf"busy.*pid {dead}"), lock.exclusive_lock(path, wait=1.5):
            pass
    finally:
        holder.kill()
        holder.wait()


def test_a_worker_whose_parent_dies_ends_without_the_parent_death_signal(tmp_path: Path) -> None:
    """The portable half: a worker notices that its parent changed, where prctl is not available."""
    script = (
        "import os, sys, time\nfrom store import workers\n"
        "parent = os.getpid()\n"
        "child = os.fork()\n"
        "if child == 0:\n"
        "    sys.platform = 'darwin'  # no prctl: the watching thread alone must see the parent go\n"
        "    workers.die_with_parent(parent)\n"
        "    time.sleep(30)\n    os._exit(0)\n"
        "print(child, flush=True)\n"
    )
    (child,) = run_forking(script)
    try:
        assert wait_until(lambda: gone(child) if PROC else _not_running(child), 5)
    finally:
        kill_all([child])


def _not_running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


# -- what killed imports leave is removed by the next one --------------------------------------------

KILLED_AT_RENAME = """
import os, signal, sys
from pathlib import Path

renames = os.replace


def replace(src, dst, *args, **kwargs):
    src, dst = Path(src), Path(dst)
    if {condition}:
        os.kill(os.getpid(), signal.SIGKILL)  # kill -9 at this very moment
    return renames(src, dst, *args, **kwargs)


os.replace = replace
from tui.cli import main

sys.exit(main(sys.argv[1:]))
"""

# each: where the import dies, how many reports it adds to the 30 stored, what it leaves
PHASES = {
    "store temp file written": ("dst.name == 'y.json'", 1, [r"\.y\.json\.\w{8}\.tmp"]),
    "new index part written": (
        "dst.name == 'meta.json' and dst.parent.name == 'y.json.index'",
        1,
        [r"y\.json\.index/part-[0-9a-f]{12}", r"y\.json\.index/\.meta\.json\.\w{8}\.tmp"],
    ),
    "index temp folder written": ("dst.name.endswith('.old')", 10, [r"\.y\.json\.index\.\w{8}\.tmp"]),
    "old index moved aside": (
        "src.name.endswith('.tmp') and dst.name == 'y.json.index'",
        10,
        [r"\.y\.json\.index\.\w{8}\.tmp", r"\.y\.json\.index\.\w{8}\.old"],
    ),
}
FOREIGN = [".y.json.notes.tmp", ".other.json.abcdefgh.tmp", "y.json.abcdefgh.tmp", ".y.json.abcdefgh.old"]


@pytest.fixture(scope="module")
def small_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """30 short reports: one more is few enough that an import extends the index by a part."""
    folder = tmp_path_factory.mktemp("small")
    store = folder / "store" / "y.json"
    Corpus.open(store, seed_if_new=False).import_paths([write_reports(folder / "a", 30, "a")])
    return store.parent


def listing(folder: Path) -> set[str]:
    """Names in the store's folder and in its index folder (as `y.json.index/NAME`)."""
    index = folder / "y.json.index"
    inside = {f"{index.name}/{p.name}" for p in index.iterdir()} if index.is_dir() else set()
    return {p.name for p in folder.iterdir()} | inside


@pytest.mark.parametrize("phase", list(PHASES))
def test_the_next_import_removes_what_a_killed_one_left(
    small_store: Path, tmp_path: Path, phase: str
) -> None:
    condition, batch, leaves = PHASES[phase]
    store = tmp_path / "store" / "y.json"
    shutil.copytree(small_store, store.parent)
    clean = listing(store.parent)
    before = contents(store)
    for name in FOREIGN:
        (store.parent / name).write_text("not yuelan's")
    killer = KILLED_AT_RENAME.format(condition=condition)
    batch_folder = write_reports(tmp_path / "b", batch, "b")
    killed = subprocess.run([sys.executable, "-c", killer, f"--db={store}", "import", str(batch_folder)])
    assert killed.returncode == -signal.SIGKILL
    left = listing(store.parent) - clean - set(FOREIGN)
    assert sorted(left) == sorted(n for n in left if any(re.fullmatch(p, n) for p in leaves))
    assert all(any(re.fullmatch(p, n) for n in left) for p in leaves)

    Corpus.open(store, seed_if_new=False).import_paths([batch_folder])
    index = index_path_for(store)
    named = {f"{index.name}/{e['path']}" for e in json.loads((index / "meta.json").read_text())["parts"]}
    assert listing(store.parent) - named == (clean | set(FOREIGN)) - {n for n in clean if "/part-" in n}
    after = contents(store)
    assert {k: after[k] for k in before} == before and len(after) == 30 + batch
    assert Corpus.open(store, seed_if_new=False).search("交流座谈会").total == 30 + batch


def test_only_our_own_temporaries_are_removed(small_store: Path, tmp_path: Path) -> None:
    """Names like ours but not ours stay, and a link named like ours is unlinked, never followed."""
    store = tmp_path / "store" / "y.json"
    shutil.copytree(small_store, store.parent)
    outside = tmp_path / "outside"
    (outside / "part-0123456789ab").mkdir(parents=True)
    (outside / "keep.txt").write_text("keep")
    index = index_path_for(store)
    names = [*FOREIGN, ".y.json.index.abcdefgh.new", ".y.json.texts.abcdefgh.tmp", ".y.json.abcdefg.tmp"]
    for name in names:
        (store.parent / name).write_text("not yuelan's")
    (index / "part-mine").mkdir()
    (index / "part-0123456789AB").mkdir()
    (index / ".sa.npy.abcdefgh.tmp").write_text("not yuelan's")
    (store.parent / ".y.json.index.abcdefgh.tmp").symlink_to(outside)
    (index / "part-0123456789ab").symlink_to(outside / "part-0123456789ab")
    before = listing(store.parent)
    from store.storage.leftovers import remove_leftovers

    removed = remove_leftovers(store, index)
    assert [p.name for p in removed] == [".y.json.index.abcdefgh.tmp"]  # the link, not what it points to
    assert listing(store.parent) == before - {".y.json.index.abcdefgh.tmp"}
    assert (outside / "keep.txt").read_text() == "keep" and (outside / "part-0123456789ab").is_dir()


def _slowly(job: int) -> int:
    time.sleep(0.01)
    return job


@needs_workers
def test_stopping_early_leaves_the_pool_thread_nothing_to_trip_on(monkeypatch: pytest.MonkeyPatch) -> None:
    """A caller that stops reading (as Ctrl-C does) ends the workers, and the pool's own thread then
    fails the futures still pending: none of them may have been cancelled from this thread first
    (Python 3.11 printed that clash as a traceback on the user's terminal)."""
    from store import workers

    def stop_and_wait(pool: object) -> None:  # as on a loaded machine: the workers are gone first
        processes = list(getattr(pool, "_processes", {}).values())
        stop_workers(pool)
        for process in processes:
            process.join(5)
        time.sleep(0.2)

    stop_workers = workers.stop_workers
    monkeypatch.setattr(workers, "stop_workers", stop_and_wait)
    tripped: list[BaseException | None] = []
    monkeypatch.setattr("threading.excepthook", lambda args: tripped.append(args.exc_value))
    for _ in range(3):
        results = workers.mapped(_slowly, range(PARALLEL_THRESHOLD * 4))
        assert next(results) == 0
        results.close()
    assert tripped == []
