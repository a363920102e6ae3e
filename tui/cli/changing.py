"""The commands that change the store: `import`, `remove`, `compact`, `reextract`."""

from __future__ import annotations

import argparse
import sys
from typing import TextIO

from store import ImportReport, StoreError
from tui.cli.common import (
    EXIT_FAILURE,
    EXIT_OK,
    CliError,
    ProgressBar,
    maintenance_progress,
    open_corpus,
    print_json,
    terminal_line,
)
from tui.words import plural


def cmd_import(args: argparse.Namespace, out: TextIO) -> int:
    corpus = open_corpus(args, seed_if_new=False, create=True)
    progress = ProgressBar(sys.stderr) if sys.stderr.isatty() else None
    try:
        report = corpus.import_paths(args.paths, progress=progress)
    except StoreError as exc:
        raise CliError(str(exc)) from exc
    finally:
        if progress:
            progress.finish()
    print_import_report(report, out)
    for missing in report.missing:
        print(f"yuelan: {terminal_line(missing)}: no such file or folder", file=sys.stderr)
    return EXIT_FAILURE if report.missing else EXIT_OK


def print_import_report(report: ImportReport, out: TextIO) -> None:
    counts = [
        f"{len(report.added)} added",
        f"{len(report.updated)} updated",
        f"{len(report.unchanged)} unchanged",
    ]
    if report.linked:
        counts.append(f"{len(report.linked)} already stored under another path")
    if report.repaired:
        counts.append(f"{len(report.repaired)} repaired (stored text was damaged)")
    counts.append(f"{len(report.skipped)} skipped")
    print(", ".join(counts), file=out)
    for path, reason in report.skipped:
        print(f"skipped {terminal_line(path)}: {reason}", file=out)


def cmd_remove(args: argparse.Namespace, out: TextIO) -> int:
    """Every id is checked before anything is deleted: an unknown one is an error that changes nothing."""
    corpus = open_corpus(args, seed_if_new=False)
    with maintenance_progress() as progress:
        try:
            removed = corpus.remove(args.ids, progress=progress)
        except LookupError as exc:
            raise CliError(f"{exc.args[0]}; nothing removed") from exc
    if args.json:
        print_json({"removed": removed}, out)
    else:
        print(f"removed {plural(len(removed), 'document')}: {terminal_line(' '.join(removed))}", file=out)
    return EXIT_OK


def cmd_compact(args: argparse.Namespace, out: TextIO) -> int:
    corpus = open_corpus(args, seed_if_new=False)
    with maintenance_progress() as progress:
        report = corpus.compact(progress=progress)
    if args.json:
        print_json(
            {
                "reclaimed_bytes": report.reclaimed_bytes,
                "texts_bytes": report.texts_bytes,
                "documents": report.documents,
            },
            out,
        )
    else:
        print(
            f"reclaimed {report.reclaimed_bytes} bytes; the texts of {plural(report.documents, 'document')} "
            f"take {report.texts_bytes} bytes",
            file=out,
        )
    return EXIT_OK


def cmd_reextract(args: argparse.Namespace, out: TextIO) -> int:
    """Every stored text read again with the current extraction rules; says how many changed."""
    corpus = open_corpus(args, seed_if_new=False)
    with maintenance_progress() as progress:
        changed = corpus.reextract(progress=progress)
    if args.json:
        print_json({"documents": len(corpus), "changed": len(changed), "changed_ids": changed}, out)
    else:
        print(f"{len(changed)} of {plural(len(corpus), 'document')} changed", file=out)
    return EXIT_OK
