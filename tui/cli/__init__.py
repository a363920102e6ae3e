"""The `yuelan` command: the browser with no subcommand, and line-mode `import|list|show|search|tree`
(`remove|compact|reextract` change the store; `meetings` lists meetings, `meetings merge|split` fix them).

Every subcommand can speak JSON Lines (`--json`); errors are one line on stderr. Exit codes: 0 done,
1 a path or the store was missing, a document was not found or the store is unusable, 2 a usage error
(or the browser started without a terminal).

One module per command group: `arguments` (the parser), `common` (opening the store, errors, output),
`browse`, `reading` (list, show, tree), `search`, `changing` (import, remove, compact, reextract),
`people` (people, who, pairs), `timeline` (timeline, export), `meetings` (meetings, merge, split).
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable, Sequence
from typing import TextIO

from store import StoreError
from tui.cli.arguments import build_parser, parse_arguments, undecodable_argument
from tui.cli.browse import browse
from tui.cli.common import EXIT_FAILURE, EXIT_OK, EXIT_USAGE, CliError, ProgressBar, terminal_line

__all__ = ["COMMANDS", "ProgressBar", "main"]

# Each command's module, imported when the command runs: the browser's first frame does not wait for
# what only the line-mode commands use (the query parser, the gazetteer).
COMMANDS: dict[str, tuple[str, str]] = {
    "import": ("changing", "cmd_import"),
    "list": ("reading", "cmd_list"),
    "show": ("reading", "cmd_show"),
    "search": ("search", "cmd_search"),
    "tree": ("reading", "cmd_tree"),
    "remove": ("changing", "cmd_remove"),
    "compact": ("changing", "cmd_compact"),
    "reextract": ("changing", "cmd_reextract"),
    "people": ("people", "cmd_people"),
    "who": ("people", "cmd_who"),
    "pairs": ("people", "cmd_pairs"),
    "timeline": ("timeline", "cmd_timeline"),
    "export": ("timeline", "cmd_export"),
    "meetings": ("meetings", "cmd_meetings"),
}


def command(name: str) -> Callable[[argparse.Namespace, TextIO], int]:
    module, function = COMMANDS[name]
    return getattr(importlib.import_module(f"tui.cli.{module}"), function)  # type: ignore[no-any-return]


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `yuelan` console script."""
    args = parse_arguments(build_parser(), argv)
    out = sys.stdout
    if problem := undecodable_argument(args):  # a usage error too, said before anything is opened
        print(f"yuelan: {problem}", file=sys.stderr)
        return EXIT_USAGE
    try:
        if args.command is None:
            return browse(args)
        return command(args.command)(args, out)
    except (CliError, StoreError) as exc:  # StoreError: also a damaged text found while reading one
        print(f"yuelan: {terminal_line(str(exc))}", file=sys.stderr)  # it may quote a hostile name
        return EXIT_FAILURE
    except BrokenPipeError:
        # `yuelan list | head`: the reader left; say nothing more.
        sys.stderr.close()
        return EXIT_OK
    except KeyboardInterrupt:
        return 130
    except OSError as exc:  # a full disk, a read-only folder: what failed, in one line; nothing half-written
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"yuelan: {terminal_line(where + str(exc.strerror or exc))}", file=sys.stderr)
        return EXIT_FAILURE
