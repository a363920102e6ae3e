"""The store never loses data: atomic writes, one writer at a time, bad files refused and left alone."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

import pytest

from store.storage import db, lock
from store.storage.db import StoreError


def make_store(path: Path, docs: int = 3) -> None:
    handle = db.open_db(path)
    with handle.storage.deferred():
        handle.table(db.DOCUMENTS_TABLE).insert_multiple(
            {"id": f"d{i}", "text": "团结" * 10} for i in range(docs)
        )
        db.write_header(handle, generation="g1")


def test_new_store_round_trips_utf8_without_escapes(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    make_store(path)
    raw = path.read_text(encoding="utf-8")
    assert "团结" in raw and "\\u" not in raw
    handle = db.open_db(path)
    assert len(handle.table(db.DOCUMENTS_TABLE)) == 3
    assert db.header(handle)["schema"] == db.SCHEMA_VERSION


def test_deferred_block_writes_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "s.json"
    writes: list[Path] = []
    real = db.write_atomically
    monkeypatch.setattr(db, "write_atomically", lambda p, d: (writes.append(p), real(p, d)))
    make_store(path, docs=50)
    assert len(writes) == 1


def test_failed_write_leaves_old_store_whole_and_no_temp_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "s.json"
    make_store(path)
    before = path.read_bytes()

    real_fdopen = os.fdopen

    class FullDisk:
        """A file that takes half of what is written, then fails, as a full disk does."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            self.handle = real_fdopen(*args, **kwargs)

        def write(self, text: str) -> int:
            self.handle.write(text[: len(text) // 2])
            raise OSError("disk full")

        def __enter__(self) -> FullDisk:
            return self

        def __exit__(self, *exc: object) -> None:
            self.handle.close()

    monkeypatch.setattr(db.os, "fdopen", FullDisk)
    handle = db.open_db(path)
    with pytest.raises(OSError, match="disk full"):
        handle.table(db.DOCUMENTS_TABLE).insert({"id": "new"})
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.json"]


def test_killed_writer_never_leaves_a_broken_store(tmp_path: Path) -> None:
    """SIGKILL a process in the middle of rewriting a large store: what is on disk still parses."""
    path = tmp_path / "s.json"
    make_store(path)
    writer = textwrap.dedent(
        f"""
        from pathlib import Path
        from store.storage import db, lock
        handle = db.open_db(Path({str(path)!r}))
        big = "民族团结进步" * 200_000
        while True:
            handle.table(db.DOCUMENTS_TABLE).insert({{"id": "big", "text": big}})
        """
    )
    for delay in (0.3, 0.45, 0.6):
        proc = subprocess.Popen([sys.executable, "-c", writer])
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        data = json.loads(path.read_text(encoding="utf-8"))
        db.validate(path, data)
        assert len(data[db.DOCUMENTS_TABLE]) >= 3


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"{not json", "corrupt"),
        (b"", "empty"),
        (b"\xff\xfe\x00garbage", "not a yuelan store"),
        (b"[1, 2, 3]", "not a yuelan store"),
        (b'{"_default": {"1": {"a": 1}}}', "not a yuelan store"),
        (b'{"meta": {"1": {"app": "yuelan", "schema": 99}}}', "newer yuelan"),
    ],
)
def test_bad_store_is_refused_and_left_untouched(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "s.json"
    path.write_bytes(content)
    with pytest.raises(StoreError, match=message) as info:
        db.open_db(path)
    assert "\n" not in str(info.value)
    assert path.read_bytes() == content


def test_second_writer_waits_then_fails_clearly(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path; from store.storage import db, lock\n"
            f"with lock.exclusive_lock(Path({str(path)!r})):\n"
            "    print('locked', flush=True); time.sleep(30)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        started = time.monotonic()
        with pytest.raises(StoreError, match=r"busy.*pid \d+"), lock.exclusive_lock(path, wait=0.5):
            pass
        assert time.monotonic() - started >= 0.5
    finally:
        holder.kill()
        holder.wait()
    with lock.exclusive_lock(path, wait=0.5):  # released when its holder died
        pass


def test_lock_is_exclusive_within_one_process_too(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    held, again = lock.exclusive_lock(path), lock.exclusive_lock(path, wait=0.1)
    with held, pytest.raises(StoreError, match="busy"), again:
        pass


def test_unreadable_store_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    path.mkdir()  # reading a folder fails for root too, unlike chmod 0
    with pytest.raises(StoreError, match="cannot read"):
        db.open_db(path)
