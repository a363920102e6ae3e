"""The commands about when and for other tools: `timeline` (meetings by month) and `export` (meetings,
people or pairs as CSV or JSON Lines).

Both read `Corpus.meetings()`: until reports are grouped (issue 13) each report is its own meeting.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from store import (
    Meeting,
    Month,
    build_pairs,
    build_people,
    build_timeline,
    month_of,
    province_short,
    write_bytes_atomically,
)
from tui.cli.common import EXIT_OK, EXIT_USAGE, answered, open_lookup, print_json, terminal_line
from tui.cli.people import print_rows, province_named
from tui.words import plural

if TYPE_CHECKING:
    from store import Lookup

NO_YEAR = "year not stated"


def cmd_timeline(args: argparse.Namespace, out: TextIO) -> int:
    if args.start and args.end and args.start > args.end:
        shown = "-".join(f"{n:02}" for n in args.start), "-".join(f"{n:02}" for n in args.end)
        print(f"yuelan: --from {shown[0]} is after --to {shown[1]}", file=sys.stderr)
        return EXIT_USAGE
    province = province_named(args.province)
    lookup = open_lookup(args)
    return answered(args, out, lookup, lambda text: timeline_made(args, text, lookup, province))


def timeline_made(args: argparse.Namespace, out: TextIO, lookup: Lookup, province: str | None) -> int:
    months = build_timeline(lookup.meetings(), province=province, start=args.start, end=args.end)
    if args.json:
        for month in months:
            print_json(month.to_dict(), out)
        return EXIT_OK
    for i, month in enumerate(months):
        if i:
            print(file=out)
        print_month(month, out)
    return EXIT_OK


def print_month(month: Month, out: TextIO) -> None:
    """A month's heading, then one meeting a line: date, id, provinces, title (whole, last)."""
    print(f"{month.month or NO_YEAR} ({plural(len(month.meetings), 'meeting')})", file=out)
    rows = [
        (
            "",
            meeting_day(meeting),
            meeting.id,
            terminal_line(short_provinces(meeting.provinces)),
            terminal_line(meeting.title),
        )
        for meeting in month.meetings
    ]
    print_rows(rows, out)


def meeting_day(meeting: Meeting) -> str:
    """The part of the date the month heading does not say: `05-16`, `--09-04` when the year is unknown."""
    date = meeting.date
    if date is None or date.month is None:
        return "—"
    day = f"-{date.day:02}" if date.day else ""
    return f"{date.month:02}{day}" if month_of(meeting) else f"--{date.month:02}{day}"


def short_provinces(provinces: list[str]) -> str:
    """甘青川滇藏: the provinces by their one-character names, as the timeline's column shows them."""
    return "".join(province_short(p) for p in provinces) or "—"


# -- export ------------------------------------------------------------------------------------------

LIST_SEPARATOR = "; "  # between the values of one CSV cell (provinces, ids, posts)


def cmd_export(args: argparse.Namespace, out: TextIO) -> int:
    meetings = open_lookup(args).meetings()  # the catalogue, as `meetings`, `people` and `pairs` read it
    records = export_records(args.what, meetings)
    text = as_jsonl(records) if args.format == "jsonl" else as_csv(args.what, records)
    if args.output == "-":
        if args.bom:
            out.write("\ufeff")
        out.write(terminal_line_keeping_newlines(text) if out.isatty() else text)
        out.flush()
        return EXIT_OK
    data = ("\ufeff" if args.bom else "") + text
    write_bytes_atomically(Path(args.output), data.encode("utf-8", "backslashreplace"))
    return EXIT_OK


def export_records(what: str, meetings: list[Meeting]) -> list[dict[str, Any]]:
    """The same objects `--json` of the matching command prints (`meetings`: `Meeting.to_dict`)."""
    if what == "people":
        return [person.to_dict() for person in build_people(meetings)]
    if what == "pairs":
        return [pair.to_dict() for pair in build_pairs(meetings)]
    return [meeting.to_dict() for meeting in meetings]


def as_jsonl(records: list[dict[str, Any]]) -> str:
    return "".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records)


CSV_COLUMNS = {
    "meetings": ["id", "title", "date_from", "date_to", "location", "kind", "provinces", "people", "reports"],
    "people": ["name", "province", "meetings", "meeting_ids", "posts"],
    "pairs": ["province_a", "province_b", "meetings", "first", "last", "by_year"],
}


def csv_rows(what: str, records: list[dict[str, Any]]) -> Iterator[list[Any]]:
    """One flat row per record; several values in one cell are joined by `; `."""
    join = LIST_SEPARATOR.join
    for r in records:
        if what == "people":
            posts = join(f"{p['post']} ({p['date'] or '?'})" for p in r["posts"])
            yield [r["name"], r["province"] or "", len(r["meetings"]), join(r["meetings"]), posts]
        elif what == "pairs":
            years = join(f"{year}: {n}" for year, n in r["by_year"].items())
            yield [*r["provinces"], r["meetings"], r["first"] or "", r["last"] or "", years]
        else:
            people = join(f"{p['name']} ({p['post']})" if p["post"] else p["name"] for p in r["people"])
            yield [
                r["id"],
                r["title"],
                r["date"]["from"] or "",
                r["date"]["to"] or "",
                r["location"],
                r["kind"],
                join(r["provinces"]),
                people,
                join(r["reports"]),
            ]


def as_csv(what: str, records: list[dict[str, Any]]) -> str:
    """RFC 4180 CSV (CRLF line ends, fields quoted where needed) with a header row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS[what])
    writer.writerows(csv_rows(what, records))
    return buffer.getvalue()


def terminal_line_keeping_newlines(text: str) -> str:
    """Export text shown on a terminal: each line with its controls escaped, the line ends kept."""
    return "".join(terminal_line(line.rstrip("\r\n")) + "\n" for line in text.splitlines(keepends=True))
