"""Ordinary input that used to end in a traceback: a folder nested 1,000 deep, arguments that are not
UTF-8 (a shell passes `$'\\xff\\xfe'` as bytes; Python hands them over surrogate-escaped), and any
argument list at all, fuzzed through `main(argv)` in-process."""

from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from store.corpus import Corpus
from store.search.query import QueryError, parse
from store.storage.paths import index_path_for, texts_path_for
from tui import cli

REPORT = "四川省与西藏自治区举行对口支援工作座谈会\n双方表示要进一步加强合作，推动高质量发展。\n"


def run(argv: list[str]) -> tuple[int, str, str]:
    """`yuelan ARGV` in-process; argparse's own exits (usage errors, --help) are returned as codes."""
    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="strict")  # as a terminal encodes
    err = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="backslashreplace")
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = cli.main(argv)
        except SystemExit as exit_:
            code = -1 if exit_.code in (0, 2) else 99  # argparse: help, or a usage message
    out.flush()
    err.flush()
    return code, out.buffer.getvalue().decode(), err.buffer.getvalue().decode()  # type: ignore[attr-defined]


def test_a_folder_nested_1000_deep_is_walked(tmp_path: Path) -> None:
    folder = tmp_path / "deep"
    current = folder
    current.mkdir()
    for _ in range(1000):  # one level at a time: mkdir(parents=True) recurses too
        current = current / "d"
        current.mkdir()
    (current / "report.txt").write_text(REPORT, encoding="utf-8")
    (current / "note.md").write_text("not a report", encoding="utf-8")
    try:
        code, out, err = run(["import", str(folder), "--db", str(tmp_path / "y.json")])
        assert (code, err) == (0, "") and out.startswith("1 added")
    finally:  # shutil.rmtree, which pytest cleans up with, recurses as deep as the folder
        for file in current.iterdir():
            file.unlink()
        while current != tmp_path:
            current.rmdir()
            current = current.parent


def test_symlinked_folders_are_not_entered(tmp_path: Path) -> None:
    """As rglob did: a link back up the tree is not a loop."""
    folder = tmp_path / "docs"
    (folder / "a").mkdir(parents=True)
    (folder / "a" / "report.txt").write_text(REPORT, encoding="utf-8")
    os.symlink(folder, folder / "a" / "up")
    code, out, _ = run(["import", str(folder), "--db", str(tmp_path / "y.json")])
    assert code == 0 and out.startswith("1 added")


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["search", "\udcff\udcfe"], "QUERY is not UTF-8 text: '\\xff\\xfe'"),
        (["search", "西藏", "province:\udcff"], "QUERY is not UTF-8 text: 'province:\\xff'"),
        (["list", "--province", "\udcff"], "--province is not UTF-8 text: '\\xff'"),
        (["show", "ab\udcff"], "ID is not UTF-8 text: 'ab\\xff'"),
        (["show", "\n\udc80"], "ID is not UTF-8 text: '\\n\\x80'"),  # still one line
    ],
)
def test_a_text_argument_that_is_not_utf8_is_a_one_line_usage_error(
    seed_store: Path, argv: list[str], said: str
) -> None:
    before = seed_store.read_bytes()
    code, out, err = run([*argv, "--db", str(seed_store)])
    assert (code, out, err) == (cli.EXIT_USAGE, "", f"yuelan: {said}\n")
    assert seed_store.read_bytes() == before


def test_a_store_path_that_is_not_utf8_works(seed_store: Path) -> None:
    """Paths are bytes to the system: --db may name any file."""
    odd = seed_store.with_name("y\udcff.json")
    shutil.copy2(seed_store, odd)
    shutil.copy2(texts_path_for(seed_store), texts_path_for(odd))
    shutil.copytree(index_path_for(seed_store), index_path_for(odd))
    code, out, err = run(["search", "合作", "--db", str(odd)])
    assert code == 0 and err == "" and "合作" in out


def test_a_query_that_is_not_utf8_is_a_query_error() -> None:
    """The browser's search bar and any caller of the store get the same message as the CLI."""
    with pytest.raises(QueryError, match=r"not UTF-8 text: '西藏 \\xff'"):
        parse("西藏 \udcff")


# -- fuzzing -----------------------------------------------------------------------------------------

OPTIONS = ["--json", "--limit", "--province", "--script", "--raw", "--", "-", "--db", "-h", "simp", "0", "3"]
undecodable = st.binary(min_size=1, max_size=6).map(lambda b: b.decode("utf-8", "surrogateescape"))
CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
printable = st.text(st.characters(blacklist_categories=("Cc", "Cs")), min_size=1, max_size=8)
quiet_bytes = undecodable.filter(lambda s: not CONTROL.search(s))
words = st.sampled_from(["西藏", "甘", "province:藏", "date:2024-13", '"团结', "person:", "kind:座谈"])
tokens = st.one_of(st.sampled_from(OPTIONS), st.text(max_size=8), undecodable, words)


@contextlib.contextmanager
def empty_cwd() -> Iterator[None]:
    """Relative paths the fuzzer invents resolve inside an empty folder, never the checkout."""
    here = os.getcwd()
    with tempfile.TemporaryDirectory() as folder:
        os.chdir(folder)
        try:
            yield
        finally:
            os.chdir(here)


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    command=st.sampled_from(["list", "show", "search", "tree"]),
    args=st.lists(tokens, max_size=6),
)
def test_any_arguments_give_an_answer_or_one_line(seed_store: Path, command: str, args: list[str]) -> None:
    before = seed_store.read_bytes()
    with empty_cwd():
        code, _, err = run([command, *args, "--db", str(seed_store)])
    assert code in (0, 1, 2, -1), err
    if code in (1, 2):
        assert err.startswith("yuelan: ") and err.count("\n") == 1, err
    assert seed_store.read_bytes() == before


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(names=st.lists(printable | quiet_bytes, min_size=1, max_size=3))
def test_import_of_paths_that_are_not_there_is_one_line_each(tmp_path: Path, names: list[str]) -> None:
    """Each missing path is named on a line of its own; nothing is imported, nothing breaks. (Names
    with control characters are the sanitiser's to show: not fuzzed here.)"""
    missing = [str(tmp_path / "absent" / name.replace("/", "_")) for name in names]
    code, _, err = run(["import", *missing, "--db", str(tmp_path / "y.json")])
    assert code == 1 and err.count("\n") == len(missing) and "Traceback" not in err
    assert len(Corpus.open(tmp_path / "y.json", seed_if_new=False)) == 0
