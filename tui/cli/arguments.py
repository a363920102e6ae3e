"""The command line's parser: `--db` and `--json` mean the same in every subcommand, a search's `-word`
is a word, and a text argument that is not UTF-8 is a usage error."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

from store import SCRIPTS, has_lone_surrogate, shown_bytes, terminal_safe


class CliParser(argparse.ArgumentParser):
    """An ArgumentParser whose `dash_words` parsers take `-word` as a word, not an unknown option.

    `yuelan search 团结 -甘南` excludes 甘南: argparse would call `-甘南` (and `-hmb`, which it reads
    as `-h mb`) an option. In a parser with `dash_words`, a single-dash argument that is not one of
    its own options is a positional; `--options` keep their meaning and `--` still ends them.
    """

    dash_words = False

    def _parse_optional(self, arg_string: str) -> Any:
        if (
            self.dash_words
            and len(arg_string) > 1
            and arg_string[0] == "-"
            and arg_string[1] != "-"
            and arg_string not in self._option_string_actions
        ):
            return None
        return super()._parse_optional(arg_string)

    def error(self, message: str) -> NoReturn:
        """An argument quoted back in an error (`unrecognized arguments: …`) is shown escaped."""
        super().error(terminal_safe(message))


def build_parser() -> argparse.ArgumentParser:
    """One parser; `--db` and `--json` mean the same in every subcommand."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--db",
        type=Path,
        default=argparse.SUPPRESS,
        help="store file (default: $YUELAN_DB or the user data folder)",
    )
    as_json = argparse.ArgumentParser(add_help=False)
    as_json.add_argument("--json", action="store_true", help="print JSON Lines, one object per document")
    tree_json = argparse.ArgumentParser(add_help=False)
    tree_json.add_argument(
        "--json", action="store_true", help="print JSON Lines, one object per province, its meetings nested"
    )
    script = argparse.ArgumentParser(add_help=False)
    script.add_argument(
        "--script", choices=SCRIPTS, default="orig", help="show text as is, Simplified or Traditional"
    )

    parser = CliParser(
        prog="yuelan",
        description="阅览 — browse Chinese reports of inter-provincial meetings. "
        "With no command, opens the terminal browser.",
        parents=[common],
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("import", parents=[common], help="import .txt/.html files and folders")
    p.add_argument("paths", nargs="+", type=Path, metavar="PATH")

    p = sub.add_parser("list", parents=[common, as_json], help="one document a line")
    p.add_argument("--province", help="only meetings this province took part in (any script or form)")

    p = sub.add_parser("show", parents=[common, as_json, script], help="print one document")
    p.add_argument("id", metavar="ID", help="document id or any unique prefix of it")
    p.add_argument("--raw", action="store_true", help="the original text, before cleaning")
    p.add_argument("--body", action="store_true", help="the text only, without the header")

    p = sub.add_parser("search", parents=[common, as_json, script], help="search the corpus")
    p.dash_words = True  # type: ignore[attr-defined]
    p.add_argument("query", nargs="+", metavar="QUERY", help='terms (ANDed), "phrases", -exclusions, filters')
    p.add_argument(
        "--limit", type=result_limit, default=20, help="at most N documents (default 20, at most 200)"
    )

    sub.add_parser("tree", parents=[common, tree_json], help="provinces → prefectures → meetings")

    p = sub.add_parser("remove", parents=[common, as_json], help="delete documents from the store")
    p.add_argument("ids", nargs="+", metavar="ID", help="document id or any unique prefix of it")

    sub.add_parser(
        "compact", parents=[common, as_json], help="reclaim the space removed and replaced texts still take"
    )
    sub.add_parser(
        "reextract", parents=[common, as_json], help="extract stored documents again, current rules"
    )
    add_people_commands(sub, common)
    add_timeline_commands(sub, common)
    from tui.cli.meetings import add_meetings_commands  # the meetings commands' parser lives with them

    add_meetings_commands(sub, common)
    return parser


def add_people_commands(sub: Any, common: argparse.ArgumentParser) -> None:
    """`people`, `who` and `pairs`: who took part and which provinces meet (tui/cli/people.py)."""
    p = sub.add_parser("people", parents=[common], help="the officials named across all meetings")
    p.add_argument("--province", help="only people of this province (any script or form)")
    p.add_argument("--json", action="store_true", help="print JSON Lines, one object per person")
    p = sub.add_parser("who", parents=[common], help="one official: posts, meetings, people met")
    p.add_argument("name", metavar="NAME", help="a name in either script, or its pinyin or initials")
    p.add_argument("--json", action="store_true", help="print JSON Lines, one object per person")
    p = sub.add_parser("pairs", parents=[common], help="pairs of provinces and the meetings they shared")
    p.add_argument("--province", help="only pairs with this province (any script or form)")
    p.add_argument("--json", action="store_true", help="print JSON Lines, one object per pair")


def add_timeline_commands(sub: Any, common: argparse.ArgumentParser) -> None:
    """`timeline` and `export` (tui/cli/timeline.py): what happened when, and data for other tools."""
    p = sub.add_parser("timeline", parents=[common], help="meetings by month, newest first")
    p.add_argument("--province", help="only meetings this province took part in (any script or form)")
    p.add_argument("--from", dest="start", type=month_from, metavar="YYYY-MM", help="from this month or year")
    p.add_argument("--to", dest="end", type=month_to, metavar="YYYY-MM", help="up to this month or year")
    p.add_argument("--json", action="store_true", help="print JSON Lines, one object per month")
    p = sub.add_parser("export", parents=[common], help="meetings, people or pairs as CSV or JSON Lines")
    p.add_argument("--format", choices=("csv", "jsonl"), required=True, help="CSV (header row) or JSONL")
    p.add_argument("--what", choices=("meetings", "people", "pairs"), default="meetings", help="(meetings)")
    p.add_argument("-o", "--output", default="-", metavar="FILE", help="write FILE (atomically); - is stdout")
    p.add_argument("--bom", action="store_true", help="start with a UTF-8 BOM (for spreadsheets)")


def year_month(value: str, last: bool) -> tuple[int, int]:
    """`2023-01` → (2023, 1); a bare year is its first (`--from`) or last (`--to`) month."""
    year, dash, month = value.strip().partition("-")
    well_formed = len(year) == 4 and year.isdigit() and (not dash or (month.isdigit() and len(month) <= 2))
    if not value.isascii() or not well_formed or not 1 <= (int(month) if dash else 1) <= 12:
        raise argparse.ArgumentTypeError(f"{value!r} is not a month: write 2023-01 or 2023")
    number = int(month) if dash else (12 if last else 1)
    return (int(year), number)


def month_from(value: str) -> tuple[int, int]:
    return year_month(value, last=False)


def month_to(value: str) -> tuple[int, int]:
    return year_month(value, last=True)


def positive_int(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError("must be a positive whole number")
    return number


def result_limit(value: str) -> int:
    """--limit: a positive whole number up to what one query may cost (store.query.MAX_LIMIT)."""
    from store import MAX_LIMIT  # here: only a search with --limit needs the query module

    number = positive_int(value)
    if number > MAX_LIMIT:
        raise argparse.ArgumentTypeError(f"at most {MAX_LIMIT}")
    return number


TEXT_ARGUMENTS = {"query": "QUERY", "province": "--province", "id": "ID", "meeting_ids": "ID"}


def undecodable_argument(args: argparse.Namespace) -> str | None:
    """A text argument (not a path: those may be any bytes) holding bytes that are not UTF-8."""
    for name, label in TEXT_ARGUMENTS.items():
        values = getattr(args, name, None)
        for value in values if isinstance(values, list) else [values]:
            if isinstance(value, str) and has_lone_surrogate(value):
                return f"{label} is not UTF-8 text: {shown_bytes(value)}"
    return None


def parse_arguments(parser: argparse.ArgumentParser, argv: Sequence[str] | None) -> argparse.Namespace:
    """Parse the command line; words of a search may come after its options (`团结 --limit 3 -甘南`).

    argparse gives a positional list only the words before the first option; the rest come back as
    extras, which are the query's words for `search` and a usage error anywhere else.
    """
    args, extras = parser.parse_known_args(argv)
    if extras and args.command == "search":
        cut = extras.index("--") if "--" in extras else len(extras)
        before, after = extras[:cut], extras[cut + 1 :]  # after `--`, every argument is a word
        if not any(e.startswith("--") for e in before):
            args.query += before + after
            return args
    if extras:
        parser.error(f"unrecognized arguments: {' '.join(extras)}")
    return args
