"""`yuelan` with no command: the browser, on a terminal only."""

from __future__ import annotations

import argparse
import sys

from tui.cli.common import EXIT_USAGE, open_for_browsing


def browse(args: argparse.Namespace) -> int:
    """The browser, only on a terminal; it creates and seeds only the default store.

    Without a terminal (cron, a pipe, `</dev/null`) it would write escape codes nobody sees and wait
    for keys that never come. A --db naming no store is most likely a typo, so it is not created.
    """
    streams = (sys.stdin, sys.stdout, sys.stderr)
    if not all(stream is not None and stream.isatty() for stream in streams):
        print(
            "yuelan: the browser needs a terminal; from a script use the commands "
            "(yuelan list|show|search|tree --json; yuelan --help)",
            file=sys.stderr,
        )
        return EXIT_USAGE
    corpus = open_for_browsing(args)
    from tui.app import run_app  # here: the line-mode commands never load textual


    return run_app(corpus)
