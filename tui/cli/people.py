"""The commands about who took part and who meets whom: `people`, `who`, `pairs`.

Meeting ids are those of `Corpus.meetings()`: until reports are grouped (issue 13), each report is its own
meeting, and grouping changes the answers, not this code.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, TextIO

from store import Official, Pair, build_pairs, build_people, find_people, resolve_province
from tui.cli.common import EXIT_OK, CliError, answered, open_lookup, print_json, terminal_line
from tui.words import plural
from tui.wrap import pad_cells, text_cells

if TYPE_CHECKING:
    from store import Lookup


def province_named(name: str | None) -> str | None:
    """The full name of the province `--province` names, any script or form; a one-line error if none."""
    if name is None:
        return None
    province = resolve_province(name)
    if province is None:
        raise CliError(f"{terminal_line(name)!r} is not a province-level name")
    return province


def cmd_people(args: argparse.Namespace, out: TextIO) -> int:
    province = province_named(args.province)
    lookup = open_lookup(args)
    return answered(args, out, lookup, lambda text: people_made(args, text, lookup, province))


def people_made(args: argparse.Namespace, out: TextIO, lookup: Lookup, province: str | None) -> int:
    people = build_people(lookup.meetings())
    if province is not None:
        people = [p for p in people if p.province == province]
    if args.json:
        for person in people:
            print_json(person.to_dict(), out)
        return EXIT_OK
    rows = [
        (
            terminal_line(p.name),
            terminal_line(p.province or "—"),
            plural(len(p.meetings), "meeting"),
            terminal_line(p.posts[-1].post if p.posts else ""),
        )
        for p in people
    ]
    print_rows(rows, out)
    return EXIT_OK


def cmd_who(args: argparse.Namespace, out: TextIO) -> int:
    lookup = open_lookup(args)
    return answered(args, out, lookup, lambda text: who_made(args, text, lookup))


def who_made(args: argparse.Namespace, out: TextIO, lookup: Lookup) -> int:
    people = find_people(build_people(lookup.meetings()), args.name)
    if not people:
        raise CliError(f"no one called {terminal_line(args.name)!r} in this store")
    for i, person in enumerate(people):
        if args.json:
            print_json(person.to_dict(with_met=True), out)
            continue
        if i:
            print(file=out)
        print_person(person, out)
    return EXIT_OK


def print_person(person: Official, out: TextIO) -> None:
    """A person card in lines: the name and province, posts as stated over time, meetings, people met."""
    print(f"{terminal_line(person.name)} ({terminal_line(person.province or '—')})", file=out)
    print_rows(
        [("", p.date or "—", terminal_line(p.post), f"[{terminal_line(p.meeting)}]") for p in person.posts],
        out,
    )
    print(
        f"  {plural(len(person.meetings), 'meeting')}: {terminal_line(' '.join(person.meetings))}", file=out
    )
    met = "、".join(f"{name} ({n})" for name, n in person.met)
    print(f"  met: {terminal_line(met) or '—'}", file=out)


def cmd_pairs(args: argparse.Namespace, out: TextIO) -> int:
    province = province_named(args.province)
    lookup = open_lookup(args)
    return answered(args, out, lookup, lambda text: pairs_made(args, text, lookup, province))


def pairs_made(args: argparse.Namespace, out: TextIO, lookup: Lookup, province: str | None) -> int:
    pairs = build_pairs(lookup.meetings())
    if province is not None:
        pairs = [p for p in pairs if province in p.provinces]
    if args.json:
        for pair in pairs:
            print_json(pair.to_dict(), out)
        return EXIT_OK
    print_rows([pair_row(pair) for pair in pairs], out)
    return EXIT_OK


def pair_row(pair: Pair) -> tuple[str, ...]:
    years = " ".join(f"{year}:{n}" for year, n in pair.by_year.items())
    span = f"{pair.first or '—'} … {pair.last or '—'}"
    return (terminal_line("–".join(pair.provinces)), plural(len(pair.meetings), "meeting"), span, years)


def print_rows(rows: list[tuple[str, ...]], out: TextIO) -> None:
    """Columns padded by terminal cells (a Hanzi takes two), the last one left as it is."""
    if not rows:
        return
    widths = [max(text_cells(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    for row in rows:
        cells = [pad_cells(cell, width) for cell, width in zip(row, widths, strict=False)]
        print("  ".join([*cells, row[-1]]).rstrip(), file=out)
