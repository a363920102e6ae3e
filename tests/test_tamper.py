"""A tampered store never gives a traceback: every command says what is wrong in one line, exit 1, and
leaves the file as it was; a store that is odd but usable (a strange id) still works, and prints
nothing that reaches the terminal raw.

Stores are the seeds' real store with its JSON changed in many ways: values of the wrong type, keys
missing or added, numbers of thousands of digits, wrong containers, lone surrogates, deep nesting.
Every command runs in-process through `main(argv)`, with stdout encoding strictly as a terminal's does.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import io
import json
import re
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from store.corpus import bundled_seeds
from store.storage.paths import index_path_for, texts_path_for
from tui import cli

HUGE = "\x00huge\x00"  # replaced, in the written JSON, by a number of 5,000 digits
DEEP = "\x00deep\x00"  # replaced by arrays nested 5,000 deep
RAW_TEXT = {HUGE: "9" * 5000, DEEP: "[" * 5000 + "]" * 5000}
# Anything but the newline a plain (not --json) command might print that a terminal would act on.
CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


@dataclass
class Run:
    code: int
    out: str
    err: str


def run(argv: list[str]) -> Run:
    """`yuelan ARGV` in-process; stdout encodes strictly (a lone surrogate raises, as on a terminal)."""
    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="strict")
    err = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="backslashreplace")
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(argv)
    out.flush()
    err.flush()
    return Run(code, out.buffer.getvalue().decode(), err.buffer.getvalue().decode())  # type: ignore[attr-defined]


def write_store(path: Path, data: Any) -> None:
    """The store as yuelan writes it (UTF-8, not escaped), escaped only where it must be."""
    try:
        text = json.dumps(data, ensure_ascii=False)
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: JSON can hold it only as a \\udcff escape
        text = json.dumps(data)
    for marker, raw in RAW_TEXT.items():
        text = text.replace(json.dumps(marker), raw)
    path.write_text(text, encoding="utf-8")


@contextlib.contextmanager
def store_copy(source: Path) -> Iterator[Path]:
    """A private copy of the seed store (JSON, texts, index) for one example."""
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "y.json"
        shutil.copy2(source, target)
        shutil.copy2(texts_path_for(source), texts_path_for(target))
        shutil.copytree(index_path_for(source), index_path_for(target))
        yield target


def some_seed() -> str:
    return str(sorted(bundled_seeds().glob("*.txt"))[0])


def commands(prefix: str) -> list[list[str]]:
    """Every command over the store; `show` with a prefix of an id the store held before tampering."""
    return [
        ["list"],
        ["list", "--json"],
        ["list", "--province", "甘肃"],
        ["show", prefix],
        ["show", "--json", prefix],
        ["show", "--raw", prefix],
        ["search", "合作"],
        ["search", "--json", "西藏 合作"],
        ["tree"],
        ["tree", "--json"],
        ["import", some_seed()],
    ]


def check_every_command(store: Path, original: dict[str, Any]) -> None:
    before = store.read_bytes()
    prefix = next(iter(original["documents"].values()))["id"][:4]
    for argv in commands(prefix):
        result = run([*argv, "--db", str(store)])
        said = f"{argv}: {result.err!r}"
        assert result.code in (0, 1), said
        assert "Traceback" not in result.err, said
        if result.code == 1:
            assert result.err.startswith("yuelan: ") and result.err.count("\n") == 1, said
            assert store.read_bytes() == before, f"{argv} changed a store it refused"
        if argv[0] != "import":
            assert store.read_bytes() == before, f"{argv} changed the store"
        if "--json" not in argv:
            assert not CONTROL.search(result.out + result.err), f"{argv} printed a control character"


def all_places(value: Any, at: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """The key path of every value inside the store (dict keys and list positions)."""
    yield at
    if isinstance(value, dict):
        for key, item in value.items():
            yield from all_places(item, (*at, key))
    elif isinstance(value, list):
        for number, item in enumerate(value):
            yield from all_places(item, (*at, number))


hostile = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.sampled_from([-1, 2**64, 10**300, HUGE, DEEP, float("nan"), float("inf"), 1.5]),
    st.text(max_size=8),
    st.sampled_from(["", "\udcff", "\x1b]52;c;cHduZWQ=\x07", "\x9b2J", "abc\u202edef", "张三", "2024"]),
    st.lists(st.integers() | st.text(max_size=3), max_size=3),
    st.dictionaries(st.text(max_size=4), st.integers() | st.text(max_size=3), max_size=3),
    st.sampled_from([[], {}, ["张三"], [{"name": 1}], [[1]], {"year": "2024"}]),
)


@st.composite
def tampered(draw: st.DrawFn, original: dict[str, Any]) -> dict[str, Any]:
    """The store with one to three values replaced, removed or added, anywhere in it."""
    data = copy.deepcopy(original)
    for _ in range(draw(st.integers(1, 3))):
        places = [p for p in all_places(data) if p]
        at = draw(st.sampled_from(places))
        parent = data
        for key in at[:-1]:
            parent = parent[key]
        action = draw(st.sampled_from(["replace", "replace", "remove", "add"]))
        # A file name's undecodable bytes are kept in `paths` as lone surrogates on purpose (shown
        # escaped: tests/test_hostile_input.py); anywhere else one is damage.
        value = draw(hostile)
        if value == "\udcff" and "paths" in at:
            value = "x"
        if action == "remove":
            del parent[at[-1]]
        elif action == "add" and isinstance(parent, dict):
            parent[draw(st.sampled_from(["x", "title", "name", "7", "id"]))] = value
        elif action == "add":
            parent.append(value)
        else:
            parent[at[-1]] = value
    return data


strings = st.text(max_size=12) | st.sampled_from(
    ["", " ", "\x1b]52;c;cHduZWQ=\x07", "\x9b2J", "abc\u202edef", "\n\n", "火星", "甘肃省", "9月4日至5日"]
)
numbers = st.integers(-(2**63), 2**63) | st.sampled_from([0, -1, 10**300, 2**63 - 1])


@st.composite
def well_typed(draw: st.DrawFn, original: dict[str, Any]) -> dict[str, Any]:
    """The store with one to five values changed to others of the same JSON type: what passes the
    checks on open, and must then work (or fail in one line) everywhere it is used."""
    data = copy.deepcopy(original)
    for _ in range(draw(st.integers(1, 5))):
        at = draw(st.sampled_from([p for p in all_places(data) if p]))
        parent = data
        for key in at[:-1]:
            parent = parent[key]
        value = parent[at[-1]]
        if isinstance(value, str):
            parent[at[-1]] = draw(strings)
        elif isinstance(value, bool) or value is None:
            continue
        elif isinstance(value, int):
            parent[at[-1]] = draw(numbers)
        elif isinstance(value, list) and value:
            parent[at[-1]] = draw(st.sampled_from([[], value[:1], value * 3, value[::-1]]))
    return data


def original_of(store: Path) -> dict[str, Any]:
    return json.loads(store.read_text(encoding="utf-8"))


def mutate(path: tuple[Any, ...], value: Any) -> Any:
    """A change to the first document record (or the header: path starting at 'meta')."""

    def change(data: dict[str, Any]) -> dict[str, Any]:
        table = "meta" if path[0] == "header" else "documents"
        target = next(iter(data[table].values()))
        for key in path[1:-1]:
            target = target[key]
        target[path[-1]] = value
        return data

    return change


# The tampered stores of the issue that ended in a traceback, and their neighbours.
CASES = {
    "documents is a list": lambda d: d | {"documents": []},
    "documents is a string": lambda d: d | {"documents": "x"},
    "a record is a number": lambda d: d | {"documents": {"1": 5}},
    "a record keyed by a word": lambda d: d | {"documents": {"one": next(iter(d["documents"].values()))}},
    "schema of 5,000 digits": mutate(("header", "schema"), HUGE),
    "schema of 400 digits": mutate(("header", "schema"), 10**400),
    "schema true": mutate(("header", "schema"), True),
    "generation a list": mutate(("header", "generation"), [[1]]),
    "id 12345": mutate(("doc", "id"), 12345),
    "meta.title 42": mutate(("doc", "meta", "title"), 42),
    "year '2024'": mutate(("doc", "meta", "date", "year"), "2024"),
    "people ['张三']": mutate(("doc", "meta", "people"), ["张三"]),
    "person with an extra key": mutate(("doc", "meta", "people"), [{"name": "张三", "age": 3}]),
    "meta a string": mutate(("doc", "meta"), "x"),
    "a meeting's reports a string": lambda d: (next(iter(d["meetings"].values())).update(reports="x"), d)[1],
    "script null": mutate(("doc", "script"), None),
    "script a list": mutate(("doc", "script"), ["orig"]),  # unhashable: hypothesis found it
    "paths a string": mutate(("doc", "paths"), "abc"),
    "text_at of huge numbers": mutate(("doc", "text_at"), [10**30, 1, 1, 1]),
    "text_at negative": mutate(("doc", "text_at"), [-5, 10, 1, 1]),
    "no raw_at": lambda d: (next(iter(d["documents"].values())).pop("raw_at"), d)[1],
    "a lone surrogate in a title": mutate(("doc", "meta", "title"), "\udcff"),
    "nested 5,000 deep": mutate(("doc", "meta", "x"), DEEP),
    "participants of numbers": mutate(("doc", "meta", "participants"), [1]),
}


@pytest.mark.parametrize("case", list(CASES))
def test_each_tampered_store_of_the_issue_is_one_line_and_untouched(
    built_seed_store: Path, case: str
) -> None:
    with store_copy(built_seed_store) as store:
        original = original_of(store)
        write_store(store, CASES[case](copy.deepcopy(original)))
        check_every_command(store, original)
        assert run(["list", "--db", str(store)]).code == 1


@pytest.mark.parametrize("doc_id", ["\x1b]0;pwned\x07abc\x9b2J", "ABC123", " abc", "abc\u202e"])
def test_an_id_that_could_not_be_found_or_shown_is_refused(built_seed_store: Path, doc_id: str) -> None:
    """Ids are hex digits (the start of a SHA-256); any other is damage, and the one line naming it
    prints it escaped (checked for every command: no control character reaches the terminal)."""
    with store_copy(built_seed_store) as store:
        original = original_of(store)
        write_store(store, mutate(("doc", "id"), doc_id)(copy.deepcopy(original)))
        check_every_command(store, original)
        refused = run(["list", "--db", str(store)])
        assert refused.code == 1 and "not lowercase hex digits" in refused.err


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
@given(data=st.data())
def test_any_tampered_store_gives_one_line_or_works(built_seed_store: Path, data: st.DataObject) -> None:
    with store_copy(built_seed_store) as store:
        original = original_of(store)
        write_store(store, data.draw(tampered(original) | well_typed(original)))
        check_every_command(store, original)


# -- the browser's loading path --------------------------------------------------------------------


def browse(store: Path) -> tuple[str | None, list[str]]:
    """The browser's loading path: the store opened as `yuelan --db STORE` opens it, then the app
    mounted headless, the newest meeting read, the search index loaded and a search run.

    (The store's refusal, its message), or (None, the status lines the app showed)."""
    from store.corpus import Corpus
    from store.storage.db import StoreError
    from tui.app import YuelanApp
    from tui.screens.main import MainScreen

    try:
        corpus = Corpus.open(store)
    except StoreError as exc:
        return str(exc), []
    seen: list[str] = []

    async def drive() -> None:
        app = YuelanApp(corpus)
        async with app.run_test(size=(80, 24)) as pilot:
            await app.workers.wait_for_complete()
            await pilot.press("j", "j", "slash", "合", "作")
            await app.workers.wait_for_complete()
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, MainScreen)
            seen.append(str(screen.status_text()))

    asyncio.run(drive())
    return None, seen


BROWSER_CASES = ["id 12345", "meta.title 42", "year '2024'", "people ['张三']", "meta a string"]
BROWSER_CASES += ["a meeting's reports a string"]  # (hypothesis found it: the first frame crashed)


@pytest.mark.parametrize("case", BROWSER_CASES)
def test_the_browser_refuses_a_tampered_store_in_one_line(built_seed_store: Path, case: str) -> None:
    with store_copy(built_seed_store) as store:
        write_store(store, CASES[case](original_of(store)))
        before = store.read_bytes()
        refused, seen = browse(store)
        assert refused and "\n" not in refused and "left untouched" in refused and not seen
        assert store.read_bytes() == before


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(data=st.data())
def test_the_browser_opens_or_refuses_any_tampered_store(built_seed_store: Path, data: st.DataObject) -> None:
    with store_copy(built_seed_store) as store:
        original = original_of(store)
        write_store(store, data.draw(tampered(original) | well_typed(original)))
        before = store.read_bytes()
        refused, seen = browse(store)  # anything but a StoreError raised here fails the test
        assert ("\n" not in refused and not seen) if refused else seen
        assert store.read_bytes() == before


def test_a_file_name_that_is_not_utf8_in_paths_is_not_damage(built_seed_store: Path) -> None:
    """Such a name is stored with its bytes as lone surrogates (read back losslessly); only elsewhere
    is a lone surrogate refused."""
    with store_copy(built_seed_store) as store:
        original = original_of(store)
        named = mutate(("doc", "paths"), ["/src/bad\udcff\udcfename.txt"])
        write_store(store, named(copy.deepcopy(original)))
        assert run(["list", "--db", str(store)]).code == 0
        assert run(["search", "合作", "--db", str(store)]).code == 0
        write_store(store, mutate(("doc", "meta", "places"), ["bad\udcff"])(copy.deepcopy(original)))
        refused = run(["list", "--db", str(store)])
        assert refused.code == 1 and "holds a lone surrogate" in refused.err
