"""The real `yuelan` in a pseudo-terminal: it draws, searches, copies through OSC 52 and quits cleanly."""

from __future__ import annotations

import base64
import os
import re
import sys
from pathlib import Path

import pexpect
import pytest

from tools.startup_bench import yuelan_command

TIMEOUT = 30


def spawn(store: Path, tmp_path: Path, size: tuple[int, int] = (80, 24)) -> pexpect.spawn:
    command, *args = yuelan_command()
    env = dict(os.environ, TERM="xterm-256color", YUELAN_STATE_DIR=str(tmp_path / "state"))
    return pexpect.spawn(
        command,
        [*args, "--db", str(store)],
        env=env,
        dimensions=(size[1], size[0]),
        timeout=TIMEOUT,
        encoding="utf-8",
        codec_errors="replace",
    )


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX pseudo-terminals")
def test_draws_searches_copies_and_quits_cleanly(seed_store: Path, tmp_path: Path) -> None:
    child = spawn(seed_store, tmp_path)
    try:
        child.expect("\x1b\\[\\?1049h")  # the alternate screen: the app took the terminal
        child.expect("阅览")  # the status line: the first frame is drawn
        child.expect("meeting 1 of 5")
        child.send("/")
        for ch in "團結":
            child.send(ch)
        child.expect(r"\d+ meetings? match|match \d+ of \d+")  # the answer is in the status line
        child.send("\r")
        child.expect("hit 1 of")
        child.send("n")
        child.expect("hit 2 of")
        child.send("t")
        child.expect("简体")
        child.send("y")
        child.expect("\x1b\\]52;c;([A-Za-z0-9+/=]+)\x07")
        copied = base64.b64decode(child.match.group(1)).decode("utf-8")
        assert copied.splitlines()[-1].startswith("——") and "seeds" in copied.splitlines()[-1]
        child.send("q")
        child.expect("\x1b\\[\\?1049l")  # left the alternate screen: terminal restored
        child.expect(pexpect.EOF)
    finally:
        child.close()
    assert child.exitstatus == 0, child.before
    assert "Traceback" not in (child.before or "")


def test_restores_the_terminal_modes(seed_store: Path, tmp_path: Path) -> None:
    child = spawn(seed_store, tmp_path, size=(120, 40))
    try:
        child.expect("阅览")
        child.send("q")
        child.expect(pexpect.EOF)
        tail = child.before or ""
    finally:
        child.close()
    # Mouse reporting and the alternate screen are switched off again on the way out.
    assert re.search(r"\x1b\[\?1000l", tail) and "\x1b[?1049l" in tail
    assert child.exitstatus == 0
