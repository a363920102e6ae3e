"""Hostile input from outside: file names that are not UTF-8 or carry escape sequences, texts with
controls, odd files inside a folder, a store's permissions. Each case here once broke an import or
reached the user's terminal raw."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import MemoryCorpus, json_lines, run_async, seed_documents, yuelan

from store.corpus import Corpus, bundled_seeds
from store.storage import db
from store.storage.paths import texts_path_for
from store.text.clean import clean_text
from store.text.decode import Source, SourceError, read_source
from tui.app import YuelanApp
from tui.cli import ProgressBar, main
from tui.screens.main import MainScreen
from tui.widgets.meeting_tree import MeetingTree
from tui.widgets.reader import Reader

SEED = sorted(bundled_seeds().glob("*.txt"))
POSIX = pytest.mark.skipif(sys.platform == "win32", reason="POSIX file names are bytes")
TERMINAL_CONTROLS = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def non_utf8_name(folder: Path, name: bytes) -> Path:
    """A path whose last part is these bytes, as Python holds it (os.fsdecode)."""
    return Path(os.fsdecode(os.path.join(os.fsencode(folder), name)))


# -- file names that are not UTF-8 -------------------------------------------------------------------


@POSIX
def test_a_file_name_that_is_not_utf8_is_stored_losslessly_and_shown_escaped(tmp_path: Path) -> None:
    """It once made the store write raise `UnicodeEncodeError: surrogates not allowed`: nothing of the
    batch was imported."""
    folder = tmp_path / "src"
    folder.mkdir()
    (folder / "good.txt").write_bytes(SEED[0].read_bytes())
    bad = non_utf8_name(folder, b"bad\xff\xfename.txt")
    bad.write_bytes(SEED[1].read_bytes())
    non_utf8_name(folder, b"empty\xff.txt").write_bytes(b"")
    db_path = tmp_path / "y.json"

    first = yuelan("import", str(folder), db=db_path)
    assert first.returncode == 0, first.stderr
    assert first.stdout.startswith("2 added")
    assert f"skipped {folder}/empty\\xff.txt: empty file" in first.stdout
    again = yuelan("import", str(folder), db=db_path, check=True)
    assert again.stdout.startswith("0 added, 0 updated, 2 unchanged")

    listed = json_lines(yuelan("list", "--json", db=db_path, check=True).stdout)
    stored = {os.fsencode(p) for doc in listed for p in doc["paths"]}
    assert os.fsencode(bad) in stored  # the original bytes, recovered from the JSON
    assert "\\udcff\\udcfe" in db_path.read_text(encoding="utf-8")  # the store is valid UTF-8 JSON


def test_a_failed_store_write_leaves_the_texts_file_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each failed retry of a batch once left its texts behind in `.texts`, ~0.5 MB a time."""
    folder = tmp_path / "src"
    folder.mkdir()
    for seed in SEED:
        (folder / seed.name).write_bytes(seed.read_bytes())
    store = tmp_path / "y.json"
    corpus = Corpus.open(store, seed_if_new=False)
    corpus.import_paths([folder / SEED[0].name])
    texts = texts_path_for(store)
    size = texts.stat().st_size
    real_write = db.write_atomically

    def disk_full(path: Path, data: dict, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(db, "write_atomically", disk_full)
    for _ in range(3):
        with pytest.raises(OSError, match="No space"):
            corpus.import_paths([folder])
        assert texts.stat().st_size == size
    monkeypatch.setattr(db, "write_atomically", real_write)
    report = corpus.import_paths([folder])  # the same Corpus: it reads the store again, not its memory
    assert (len(report.added), len(report.unchanged)) == (4, 1)
    reopened = Corpus.open(store, seed_if_new=False)
    assert len(reopened) == 5 and all(doc.text for doc in reopened.documents())


# -- names and texts that would drive the terminal ---------------------------------------------------


HOSTILE_NAME = "甘肃\x1b]52;c;cHduZWQ=\x07\x1b]0;pwned\x07\u202e.txt"


def test_the_progress_bar_shows_a_hostile_file_name_escaped() -> None:
    """A file named `…\\e]52;c;cHduZWQ=\\a.txt` once wrote to the user's clipboard through the bar."""
    stream = io.StringIO()
    bar = ProgressBar(stream)
    bar(3, 40, f"/tmp/src/{HOSTILE_NAME}")
    bar.finish()
    drawn = stream.getvalue().replace("\r\x1b[2K", "")  # the bar's own line clearing is all it may send
    assert not TERMINAL_CONTROLS.search(drawn)
    assert "^[]0;pwned^G<U+202E>.txt" in drawn


def test_names_ids_and_errors_reach_the_terminal_escaped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "src"
    folder.mkdir()
    (folder / HOSTILE_NAME).write_bytes(b"")  # skipped: its name is quoted in the report
    hostile_db = tmp_path / "y\x1b]0;retitled\x07.json"
    assert main(["--db", str(hostile_db), "import", str(folder), str(tmp_path / "gone\x1b[2J")]) == 1
    (tmp_path / "dir\x9b2J").mkdir()
    assert main(["--db", str(tmp_path / "dir\x9b2J"), "list"]) == 1  # a folder: an error quoting it
    with pytest.raises(SystemExit):
        main(["--db", str(hostile_db), "list", "\x1b]0;argument\x07"])  # argparse quotes it back
    out, err = capsys.readouterr()
    assert not TERMINAL_CONTROLS.search(out + err), out + err
    assert "^[]52;c;cHduZWQ=^G" in out and "gone^[[2J" in err and "dir<U+009B>2J" in err


def test_show_json_and_raw_escape_controls_bidi_and_zero_width(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`show --json` once passed C1 controls and bidi overrides raw; `show --raw` zero-width and bidi."""
    source = tmp_path / "r.txt"
    source.write_text("甘肃代表团\u202e赴西藏\u200b考察\x9b2J。\n第二行\u2066。", encoding="utf-8")
    store = tmp_path / "y.json"
    assert main(["--db", str(store), "import", str(source)]) == 0
    capsys.readouterr()
    doc_id = Corpus.open(store).documents()[0].id
    assert main(["--db", str(store), "show", doc_id, "--json"]) == 0
    line = capsys.readouterr().out
    assert not re.search(r"[\x7f-\x9f\u200b\u202a-\u202e\u2066-\u2069]", line)
    assert "\\u202e" in line and "\\u009b" in line and "甘肃代表团" in line  # Hanzi stay readable
    assert json.loads(line)["raw"] == source.read_text(encoding="utf-8")
    assert main(["--db", str(store), "show", doc_id, "--raw", "--body"]) == 0
    raw = capsys.readouterr().out
    assert raw == "甘肃代表团<U+202E>赴西藏<U+200B>考察<U+009B>2J。\n第二行<U+2066>。\n"


@run_async
async def test_the_browser_shows_a_hostile_store_name_and_raw_text_escaped() -> None:
    """A `--db` name with OSC 0 once retitled the tmux pane through the status line; the raw pane (`o`)
    passed bidi overrides and zero-width characters."""
    docs = seed_documents()
    docs[0].raw = "甘肃\u202e代表团\u200b赴西藏\x1b]0;x\x07。"
    docs[0].meta.title = "标题\x1b]0;title\x07"  # as a tampered store could hold it
    corpus = MemoryCorpus(docs, Path("/store/y\x1b]0;pwned\x07.json"))
    app = YuelanApp(corpus)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, MainScreen)
        screen.open_id(docs[0].id)
        screen.say(f"cannot read {corpus.path}")
        await pilot.press("o")
        await pilot.pause()
        status = screen.status.text().plain
        assert not TERMINAL_CONTROLS.search(status) and "^[]0;pwned^G" in status
        raw = screen.query_one("#raw", Reader)
        assert raw.text == "甘肃<U+202E>代表团<U+200B>赴西藏^[]0;x^G。"
        tree = screen.query_one(MeetingTree)
        lines = [*tree.top, *(n for p in tree.top for n in tree.lines_below(p))]
        labels = [tree.label_of(line).plain for line in lines]
        assert any("标题^[]0;title^G" in label for label in labels)
        assert not any(TERMINAL_CONTROLS.search(label) for label in labels)


# -- odd files and permissions ------------------------------------------------------------------------


@POSIX
@pytest.mark.parametrize("mode", [0o444, 0o640, 0o664])
def test_a_replaced_store_keeps_its_permissions(seed_store: Path, tmp_path: Path, mode: int) -> None:
    """A 0444 store was replaced by the next import and left 0600."""
    seed_store.chmod(mode)
    source = tmp_path / "new.txt"
    source.write_text("甘肃省代表团赴西藏考察。\n8月8日召开座谈会。", encoding="utf-8")
    assert main(["--db", str(seed_store), "import", str(source)]) == 0
    assert seed_store.stat().st_mode & 0o777 == mode
    assert len(Corpus.open(seed_store)) == 6


# -- jieba's cache --------------------------------------------------------------------------------------


def test_jiebas_cache_is_the_users_own_and_a_bad_shared_one_is_quiet(tmp_path: Path) -> None:
    """`jieba.cache` in the shared temp folder, owned by another user, once made every segmenting
    command print jieba's traceback. A folder in its place fails the same way, whoever runs the test."""
    shared_tmp = tmp_path / "tmp"
    (shared_tmp / "jieba.cache").mkdir(parents=True)
    cache_home = tmp_path / "cache"
    env = os.environ | {"TMPDIR": str(shared_tmp), "XDG_CACHE_HOME": str(cache_home)}
    argv = [sys.executable, "-m", "tui.cli", f"--db={tmp_path / 'y.json'}", "import", str(SEED[0])]
    proc = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode == 0 and proc.stdout.startswith("1 added")
    assert proc.stderr == ""
    assert (cache_home / "yuelan" / "jieba.cache").stat().st_size > 1_000_000


@POSIX
def test_odd_files_inside_a_folder_are_skipped_saying_why_without_blocking(tmp_path: Path) -> None:
    """A FIFO, a device, a looping or dangling symlink inside a folder were dropped without a word (named
    directly, each was skipped with its reason); a FIFO must be refused, never waited on."""
    folder = tmp_path / "src"
    folder.mkdir()
    (folder / "good.txt").write_bytes(SEED[0].read_bytes())
    os.mkfifo(folder / "pipe.txt")
    (folder / "null.txt").symlink_to("/dev/null")
    (folder / "loop.txt").symlink_to("loop.txt")
    (folder / "gone.html").symlink_to("nowhere.html")
    out = yuelan("import", str(folder), db=tmp_path / "y.json", check=True).stdout
    assert out.startswith("1 added, 0 updated, 0 unchanged, 4 skipped"), out
    assert f"skipped {folder}/pipe.txt: not a regular file" in out
    assert f"skipped {folder}/null.txt: not a regular file" in out
    assert f"skipped {folder}/loop.txt: cannot read (Too many levels of symbolic links)" in out
    assert f"skipped {folder}/gone.html: cannot read (No such file or directory)" in out


def test_a_folder_that_cannot_be_read_is_skipped_saying_why(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "src"
    (folder / "locked").mkdir(parents=True)
    (folder / "good.txt").write_bytes(SEED[0].read_bytes())
    (folder / "locked" / "hidden.txt").write_bytes(SEED[1].read_bytes())
    real_scandir = os.scandir

    def scandir(path: str | os.PathLike[str]) -> object:  # chmod 000 does not stop root: fail as it would
        if Path(path) == folder / "locked":
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    report = Corpus.open(tmp_path / "y.json", seed_if_new=False).import_paths([folder])
    assert len(report.added) == 1
    assert report.skipped == [(str(folder / "locked"), "cannot read folder (Permission denied)")]


def test_utf16_without_a_bom_is_read_by_its_nuls(tmp_path: Path) -> None:
    """It was refused as binary ("contains NUL bytes")."""
    text = SEED[1].read_text(encoding="utf-8")
    for encoding in ("utf-16-le", "utf-16-be"):
        path = tmp_path / f"{encoding}.txt"
        path.write_bytes(text.encode(encoding))
        assert read_source(path) == Source(text, encoding)
    binary = tmp_path / "binary.txt"
    binary.write_bytes(bytes(range(256)) * 8 + b"\x00\x01" * 500)
    with pytest.raises(SourceError, match="binary"):
        read_source(binary)


def test_a_file_of_only_punctuation_is_not_a_report(tmp_path: Path) -> None:
    """It was imported as a report titled "，"."""
    path = tmp_path / "p.txt"
    path.write_text("，\n。。。\n——！", encoding="utf-8")
    with pytest.raises(SourceError, match=r"no text \(only punctuation"):
        read_source(path)


def test_html_character_references_are_decoded_once() -> None:
    """`&amp;lt;script&amp;gt;` showed as `<script>`; the page says `&lt;script&gt;`."""
    page = "<html><body><p>甘肃代表团 &amp;lt;script&amp;gt; 考察 &lt;西藏&gt;&#x3002;</p></body></html>"
    assert clean_text(page) == "甘肃代表团 &lt;script&gt; 考察 <西藏>。"


def test_the_progress_bar_shows_the_time_and_redraws_while_nothing_reports(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A stage of a large import reports nothing for many seconds: the line's clock still moves."""
    import time

    monkeypatch.setattr(ProgressBar, "TICK", 0.01)
    stream = io.StringIO()
    bar = ProgressBar(stream)
    bar(3, 40, "writing the store…")
    time.sleep(0.2)
    bar.finish()
    drawn = stream.getvalue().split("\r\x1b[2K")
    assert drawn[1].endswith(" 3/40 0:00 writing the store…") and drawn[-1] == ""
    assert len(drawn) > 4 and set(drawn[1:-1]) == {drawn[1]}  # drawn again, then cleared; nothing after
    length = len(stream.getvalue())
    time.sleep(0.05)
    assert len(stream.getvalue()) == length
