"""The meetings the reports were grouped into: `meetings` lists them, `meetings merge ID ID` and
`meetings split DOC_ID` correct the grouping (kept in the store across imports and re-extraction)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, TextIO

from tui.cli.common import EXIT_OK, CliError, answered, open_corpus, open_lookup, print_json, terminal_line
from tui.cli.people import print_rows, province_named
from tui.words import plural

if TYPE_CHECKING:  # the store's modules load when a command runs: `meetings` never opens a Corpus
    from store import Corpus, Lookup, Meeting

PROVINCES_SHOWN = 3  # a 泛珠三角 meeting's eleven would push every title off the screen; --json has them all


def add_meetings_commands(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:  # type: ignore[type-arg]
    """`meetings [--province NAME] [--json]`, `meetings merge ID ID`, `meetings split DOC_ID`."""
    as_json = argparse.ArgumentParser(add_help=False)
    as_json.add_argument("--json", action="store_true", help="print JSON Lines, one object per meeting")
    p = sub.add_parser(
        "meetings", parents=[common, as_json], help="the meetings the reports were grouped into; correct them"
    )
    p.add_argument("--province", help="only meetings this province took part in (any script or form)")
    actions = p.add_subparsers(dest="action", metavar="ACTION")
    merge = actions.add_parser("merge", parents=[common, as_json], help="make two meetings one")
    merge.add_argument("meeting_ids", nargs=2, metavar="ID", help="meeting id or any unique prefix of it")
    split = actions.add_parser(
        "split", parents=[common, as_json], help="take one report out of its meeting into its own"
    )
    split.add_argument("id", metavar="DOC_ID", help="document id or any unique prefix of it")


def cmd_meetings(args: argparse.Namespace, out: TextIO) -> int:
    action = getattr(args, "action", None)
    if action == "merge":
        return _merge(args, out)
    if action == "split":
        return _split(args, out)
    province = province_named(args.province)
    lookup = open_lookup(args)
    return answered(args, out, lookup, lambda text: meetings_made(args, text, lookup, province))


def meetings_made(args: argparse.Namespace, out: TextIO, lookup: Lookup, province: str | None) -> int:
    meetings = lookup.meetings()
    if province is not None:
        meetings = [m for m in meetings if province in m.provinces]
    if args.json:
        for meeting in meetings:
            print_json(meeting.to_dict(), out)
        return EXIT_OK
    print_rows([meeting_row(m) for m in meetings], out)
    return EXIT_OK


def meeting_row(meeting: Meeting) -> tuple[str, ...]:
    """id, dates, how many reports, provinces, then the title (the one column left as long as it is)."""
    span = meeting.to_dict()["date"]
    first, last = span["from"] or "—", span["to"] or "—"
    same_year = first[:4].isdigit() and last.startswith(first[:5])
    dates = first if last == first else f"{first}…{last[5:] if same_year else last}"
    shown = meeting.provinces[:PROVINCES_SHOWN]
    more = len(meeting.provinces) - len(shown)
    provinces = "、".join(shown) + (f" +{more}" if more else "") or "—"
    return (
        terminal_line(meeting.id),
        dates,
        plural(len(meeting.reports), "report"),
        terminal_line(provinces),
        terminal_line(meeting.title),
    )


def _merge(args: argparse.Namespace, out: TextIO) -> int:
    first, second = args.meeting_ids
    corpus = open_corpus(args)
    try:
        merged = corpus.merge_meetings(first, second)
    except LookupError as exc:
        raise CliError(str(exc)) from exc
    return _said(corpus, merged, out, args.json)


def _split(args: argparse.Namespace, out: TextIO) -> int:
    corpus = open_corpus(args)
    try:
        alone = corpus.split_meeting(args.id)
    except LookupError as exc:
        raise CliError(str(exc)) from exc
    return _said(corpus, alone, out, args.json)


def _said(corpus: Corpus, meeting: Meeting, out: TextIO, as_json: bool) -> int:
    if as_json:
        print_json(meeting.to_dict(), out)
    else:
        print_rows([meeting_row(meeting)], out)
    return EXIT_OK
