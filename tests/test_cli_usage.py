"""The CLI as a scripter and a new user meet it: missing stores, no terminal, `-exclusions`, columns
that line up under CJK, the `show` header, untruncated piped output, counted nouns."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pexpect
import pytest
from helpers import MemoryCorpus, json_lines, run_async, seed_documents, yuelan
from rich.cells import cell_len as text_cells

from store.corpus import Corpus
from store.text.script import render
from tools.startup_bench import yuelan_command
from tui.app import YuelanApp
from tui.cli import main
from tui.screens.commands import goto_entries

DATED_REPORT = (
    "甘肃省代表团赴四川省考察座谈\n"
    "2024年12月28日，甘肃省党政代表团赴四川省成都市考察，双方召开座谈会，共商东西部协作。\n"
)


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


# -- a missing store ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args", [["list"], ["show", "abc"], ["search", "团结"], ["tree"], ["list", "--json"]]
)
def test_read_only_commands_on_a_missing_store_create_nothing(tmp_path: Path, args: list[str]) -> None:
    home = tmp_path / "home"
    home.mkdir()
    for db in (home / "nonexistent" / "dir" / "y.json", home / "y.json"):
        proc = yuelan(*args, db=db)
        assert proc.returncode == 1, proc.stdout
        assert proc.stdout == ""
        assert proc.stderr.startswith(f"yuelan: {db}: no such store") and proc.stderr.count("\n") == 1
        assert list(home.iterdir()) == []  # no folder, no store, no lock file, no sidecars


def test_a_missing_default_store_is_not_seeded_by_a_command(tmp_path: Path) -> None:
    default = Path(os.environ["YUELAN_DB"])
    proc = yuelan("search", "团结")
    assert proc.returncode == 1 and "no such store" in proc.stderr and "`yuelan`" in proc.stderr
    assert not default.exists() and not default.with_name(default.name + ".lock").exists()


def test_import_still_creates_a_store_in_a_new_folder(tmp_path: Path) -> None:
    source = tmp_path / "report.txt"
    source.write_text(DATED_REPORT, encoding="utf-8")
    db = tmp_path / "new" / "folder" / "y.json"
    assert yuelan("import", str(source), db=db, check=True).stdout.startswith("1 added")
    assert len(json_lines(yuelan("list", "--json", db=db, check=True).stdout)) == 1


# -- the browser needs a terminal ---------------------------------------------------------------------


def test_the_browser_without_a_terminal_is_one_line_and_exit_2(tmp_path: Path) -> None:
    db = tmp_path / "y.json"
    proc = subprocess.run(
        [*yuelan_command(), "--db", str(db)],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
        env=os.environ | {"PYTHONIOENCODING": "utf-8"},
    )
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert proc.stderr.count("\n") == 1 and "terminal" in proc.stderr and "yuelan list" in proc.stderr
    assert "\x1b" not in proc.stderr
    assert list(tmp_path.iterdir()) == []


def spawn_browser(args: list[str], tmp_path: Path) -> pexpect.spawn:
    command, *rest = yuelan_command()
    env = dict(os.environ, TERM="xterm-256color", YUELAN_STATE_DIR=str(tmp_path / "state"))
    return pexpect.spawn(command, [*rest, *args], env=env, dimensions=(24, 80), timeout=60, encoding="utf-8")


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX pseudo-terminals")
def test_the_browser_on_a_mistyped_db_says_so_and_creates_nothing(tmp_path: Path) -> None:
    db = tmp_path / "typo" / "y.json"
    child = spawn_browser(["--db", str(db)], tmp_path)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 1
    assert child.before.strip().startswith(f"yuelan: {db}: no such store")
    assert not (tmp_path / "typo").exists()


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX pseudo-terminals")
def test_the_browsers_first_run_on_the_default_store_seeds_it(tmp_path: Path) -> None:
    default = Path(os.environ["YUELAN_DB"])
    child = spawn_browser([], tmp_path)
    try:
        child.expect("meeting 1 of 5")
        child.send("q")
        child.expect(pexpect.EOF)
    finally:
        child.close()
    assert child.exitstatus == 0
    assert len(Corpus.open(default, seed_if_new=False)) == 5


# -- search words that begin with a dash --------------------------------------------------------------


def result_ids(out: str) -> list[str]:
    return [obj["id"] for obj in json_lines(out)]


def test_exclusions_work_unquoted(seed_store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = f"--db={seed_store}"
    code, quoted, _ = run([db, "search", "团结 -甘南", "--json"], capsys)
    assert code == 0 and quoted
    everything = result_ids(run([db, "search", "团结", "--json"], capsys)[1])
    assert set(result_ids(quoted)) < set(everything)  # the exclusion took something away
    for argv in (
        ["search", "团结", "-甘南", "--json"],
        ["search", "-甘南", "团结", "--json"],
        ["search", "--json", "团结", "-甘南"],
        ["search", "团结", "--json", "-甘南"],  # words after an option
        ["search", "团结", "--json", "--limit", "20", "--", "-甘南"],
        ["search", "--json", "--", "-甘南", "团结"],
    ):
        code, out, err = run([db, *argv], capsys)
        assert (code, err) == (0, ""), argv
        assert result_ids(out) == result_ids(quoted), argv


def test_a_dash_word_starting_with_h_is_a_pinyin_exclusion_not_help(
    seed_store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    quoted = result_ids(run([f"--db={seed_store}", "search", "团结 -hmb", "--json"], capsys)[1])
    code, out, _ = run([f"--db={seed_store}", "search", "团结", "-hmb", "--json"], capsys)
    assert code == 0 and result_ids(out) == quoted


def test_unknown_long_options_are_still_usage_errors(
    seed_store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for argv in (["search", "团结", "--limti", "2"], ["list", "-x"], ["tree", "extra"]):
        with pytest.raises(SystemExit) as stopped:
            main([f"--db={seed_store}", *argv])
        assert stopped.value.code == 2, argv
        assert "unrecognized arguments" in capsys.readouterr().err


# -- list columns, show header, tree lines ------------------------------------------------------------


@pytest.fixture
def dated_store(seed_store: Path, tmp_path: Path) -> Path:
    source = tmp_path / "dated.txt"
    source.write_text(DATED_REPORT, encoding="utf-8")
    yuelan("import", str(source), db=seed_store, check=True)
    return seed_store


def test_list_columns_line_up_by_display_width(dated_store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run([f"--db={dated_store}", "list"], capsys)
    lines = out.splitlines()
    assert code == 0 and len(lines) == 6
    assert any("2024年12月28日" in line for line in lines)
    docs = {d.id: d for d in Corpus.open(dated_store).documents()}
    title_cells = {text_cells(line[: line.rindex(docs[line[:12]].title)]) for line in lines}
    assert len(title_cells) == 1, lines  # every title starts in the same terminal column


def test_show_prints_a_header_unless_body(dated_store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    doc = next(d for d in Corpus.open(dated_store).documents() if d.meta.date and d.meta.date.year)
    db = f"--db={dated_store}"
    code, body, _ = run([db, "show", doc.id, "--body"], capsys)
    assert code == 0 and body == doc.text + "\n"
    code, shown, _ = run([db, "show", doc.id], capsys)
    head, _, rest = shown.partition("\n\n")
    assert rest == body
    fields = dict(line.split(":", 1) for line in head.splitlines())
    assert {k: v.strip() for k, v in fields.items()} == {
        "title": doc.title,
        "date": "2024年12月28日 (2024-12-28)",
        "place": doc.meta.location or "—",
        "provinces": "、".join(doc.meta.provinces),
        "source": doc.paths[0],
        "id": doc.id,
    }
    code, as_json, _ = run([db, "show", doc.id, "--json"], capsys)
    assert json.loads(as_json)["text"] == doc.text  # --json is unchanged: no header in it


def test_show_header_follows_the_script(seed_store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    doc = next(d for d in Corpus.open(seed_store).documents() if d.script == "traditional")
    _, simp, _ = run([f"--db={seed_store}", "show", doc.id, "--script", "simp"], capsys)
    assert simp.splitlines()[0] == "title:     " + render(doc.title, "simp")


def long_title_id(store: Path) -> tuple[str, str]:
    doc = max(Corpus.open(store).documents(), key=lambda d: len(d.title))
    return doc.id, doc.title


def test_tree_prints_whole_titles_when_piped(seed_store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    doc_id, title = long_title_id(seed_store)
    assert len(title) > 40
    code, out, _ = run([f"--db={seed_store}", "tree"], capsys)
    assert code == 0
    line = next(line for line in out.splitlines() if doc_id in line)
    assert title in line and "…" not in out


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_tree_cuts_lines_to_the_terminal(seed_store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    doc_id, _ = long_title_id(seed_store)
    screen = FakeTerminal()
    monkeypatch.setattr(sys, "stdout", screen)
    monkeypatch.setenv("COLUMNS", "60")
    assert main([f"--db={seed_store}", "tree"]) == 0
    lines = screen.getvalue().splitlines()
    assert all(text_cells(line) < 60 for line in lines), lines
    line = next(line for line in lines if doc_id in line)
    assert "…" in line and line.endswith(f"  [{doc_id}]")


# -- help and counted nouns ---------------------------------------------------------------------------


def test_tree_help_says_one_object_per_province(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["tree", "--help"])
    help_text = " ".join(capsys.readouterr().out.split())
    assert "one object per province" in help_text and "per document" not in help_text


def test_one_document_and_one_hit_are_singular(dated_store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run([f"--db={dated_store}", "search", "共商东西部"], capsys)
    assert code == 0
    assert out.startswith("1 document matches '共商东西部'")
    assert "(1 hit, score" in out
    assert "(s)" not in out and "1 hits" not in out


@run_async
async def test_the_palette_counts_one_meeting_in_the_singular() -> None:
    app = YuelanApp(MemoryCorpus(seed_documents()))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        helps = [help_text for _, help_text, _ in goto_entries(app.screen)]  # type: ignore[arg-type]
    counted = [h for h in helps if h.endswith(("meeting", "meetings"))]
    assert "1 meeting" in counted and "2 meetings" in counted
    assert not [h for h in counted if h.startswith("1 ") and h != "1 meeting"]
