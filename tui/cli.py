"""The `yuelan` command: the browser with no subcommand, and line-mode `import|list|show|search|tree`.

Every subcommand can speak JSON Lines (`--json`); errors are one line on stderr. Exit codes: 0 done,
1 a path was missing, a document was not found or the store is unusable, 2 a usage error.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from store.corpus import Corpus, ImportReport
    from store.models import Document, SearchAnswer
    from store.tree import TreeNode

EXIT_OK, EXIT_FAILURE, EXIT_USAGE = 0, 1, 2
SCRIPT_CHOICES = ("orig", "simp", "trad")
PROGRESS_THRESHOLD = 20


class CliError(Exception):
    """A failure the user can act on; printed as one line, exit code 1."""


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
    script = argparse.ArgumentParser(add_help=False)
    script.add_argument(
        "--script", choices=SCRIPT_CHOICES, default="orig", help="show text as is, Simplified or Traditional"
    )

    parser = argparse.ArgumentParser(
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

    p = sub.add_parser("search", parents=[common, as_json, script], help="search the corpus")
    p.add_argument("query", nargs="+", metavar="QUERY", help='terms (ANDed), "phrases", -exclusions, filters')
    p.add_argument(
        "--limit", type=result_limit, default=20, help="at most N documents (default 20, at most 200)"
    )

    sub.add_parser("tree", parents=[common, as_json], help="provinces → prefectures → meetings")
    return parser


def positive_int(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError("must be a positive whole number")
    return number


def result_limit(value: str) -> int:
    """--limit: a positive whole number up to what one query may cost (store.query.MAX_LIMIT)."""
    from store.query import MAX_LIMIT

    number = positive_int(value)
    if number > MAX_LIMIT:
        raise argparse.ArgumentTypeError(f"at most {MAX_LIMIT}")
    return number


TEXT_ARGUMENTS = {"query": "QUERY", "province": "--province", "id": "ID"}


def undecodable_argument(args: argparse.Namespace) -> str | None:
    """A text argument (not a path: those may be any bytes) holding bytes that are not UTF-8."""
    from store.script import has_lone_surrogate, shown_bytes

    for name, label in TEXT_ARGUMENTS.items():
        values = getattr(args, name, None)
        for value in values if isinstance(values, list) else [values]:
            if isinstance(value, str) and has_lone_surrogate(value):
                return f"{label} is not UTF-8 text: {shown_bytes(value)}"
    return None


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `yuelan` console script."""
    from store.db import StoreError

    args = build_parser().parse_args(argv)
    out = sys.stdout
    if problem := undecodable_argument(args):  # a usage error too, said before anything is opened
        print(f"yuelan: {problem}", file=sys.stderr)
        return EXIT_USAGE
    try:
        if args.command is None:
            return browse(args)
        handler = COMMANDS[args.command]
        return handler(args, out)
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
        print(f"yuelan: {where}{exc.strerror or exc}", file=sys.stderr)
        return EXIT_FAILURE


def open_corpus(args: argparse.Namespace, *, seed_if_new: bool = True) -> Corpus:
    """Open the store named by --db (or the default), turning store errors into one-line CLI errors."""
    from store.corpus import Corpus
    from store.db import StoreError

    try:
        return Corpus.open(getattr(args, "db", None), seed_if_new=seed_if_new)
    except StoreError as exc:
        raise CliError(str(exc)) from exc


def browse(args: argparse.Namespace) -> int:
    corpus = open_corpus(args)
    from tui.app import run_app

    run_app(corpus)
    return EXIT_OK


# -- import -----------------------------------------------------------------------------------------


def cmd_import(args: argparse.Namespace, out: TextIO) -> int:
    from store.db import StoreError

    corpus = open_corpus(args, seed_if_new=False)
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
        print(f"yuelan: {missing}: no such file or folder", file=sys.stderr)
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


class ProgressBar:
    """A one-line progress bar on a terminal, drawn only when there are many files."""

    def __init__(self, stream: TextIO, width: int = 30) -> None:
        self.stream = stream
        self.width = width
        self.drawn = False

    def __call__(self, done: int, total: int, path: str) -> None:
        if total < PROGRESS_THRESHOLD:
            return
        filled = self.width * done // total
        name = Path(path).name[-30:]
        bar = "█" * filled + "░" * (self.width - filled)
        self.stream.write(f"\r\x1b[2K{bar} {done}/{total} {name}")
        self.stream.flush()
        self.drawn = True

    def finish(self) -> None:
        if self.drawn:
            self.stream.write("\r\x1b[2K")
            self.stream.flush()


# -- list / show ------------------------------------------------------------------------------------


def cmd_list(args: argparse.Namespace, out: TextIO) -> int:
    corpus = open_corpus(args)
    docs = corpus.documents()
    if args.province:
        docs = filter_by_province(docs, args.province)
    for doc in docs:
        if args.json:
            print_json(doc.summary(), out)
        else:
            date = terminal_line(doc.meta.date.text) if doc.meta.date else "—"
            title = terminal_line(doc.title)
            doc_id = terminal_line(doc.id)
            print(f"{doc_id}  {doc.script:<11} {doc.chars:>6}  {date:<10} {title}", file=out)
    return EXIT_OK


def filter_by_province(docs: list[Document], name: str) -> list[Document]:
    """Meetings the named province took part in; the name may be in any script, short or full."""
    from store.gazetteer import resolve_province

    province = resolve_province(name)
    if province is None:
        raise CliError(f"{name!r} is not a province-level name")
    return [d for d in docs if province in d.meta.provinces]


def cmd_show(args: argparse.Namespace, out: TextIO) -> int:
    from store.script import render

    corpus = open_corpus(args)
    try:
        doc = corpus.get(args.id)
    except LookupError as exc:
        raise CliError(str(exc)) from exc
    text = render(doc.raw if args.raw else doc.text, args.script)
    if args.json:
        print_json(doc.summary() | {"text": text, "raw": doc.raw}, out)
    else:
        print(terminal_text(text), file=out)
    return EXIT_OK


# -- search -----------------------------------------------------------------------------------------


def cmd_search(args: argparse.Namespace, out: TextIO) -> int:
    from store.query import QueryError, parse

    query = " ".join(args.query)
    try:
        parse(query)  # a bad or too costly query is said before the store and index are opened
    except QueryError as exc:
        raise CliError(f"bad query: {exc}") from exc
    corpus = open_corpus(args)
    try:
        answer = corpus.search(query, limit=args.limit)
    except QueryError as exc:
        raise CliError(f"bad query: {exc}") from exc
    if args.json:
        for result in answer.results:
            print_json(converted_result(result.to_dict(), args.script), out)
    else:
        print_search_answer(answer, args.script, out, highlight=out.isatty())
    return EXIT_OK


def converted_result(obj: dict[str, Any], script: str) -> dict[str, Any]:
    """Titles and snippets in the asked script; hit offsets stay valid since t2s/s2t keep lengths."""
    from store.script import render

    obj["title"] = render(obj["title"], script)  # type: ignore[arg-type]
    obj["snippets"] = [render(s, script) for s in obj["snippets"]]  # type: ignore[arg-type]
    return obj


def print_search_answer(answer: SearchAnswer, script: str, out: TextIO, *, highlight: bool) -> None:
    from store.script import render

    shown = len(answer.results)
    matched = f"{answer.query!r}"
    if answer.words:
        matched = f"all of {' '.join(answer.words)} (no exact match for {answer.query!r})"
    more = f"; showing {shown}" if shown < answer.total else ""
    print(f"{answer.total} document(s) match {matched}{more}", file=out)
    for result in answer.results:
        title = terminal_line(render(result.title, script))  # type: ignore[arg-type]
        doc_id = terminal_line(result.doc_id)
        print(f"\n{doc_id}  {title}  ({len(result.hits)} hits, score {result.score:.2f})", file=out)
        for snippet in result.snippets:
            print("    " + marked_snippet(render(snippet.text, script), snippet.hits, highlight), file=out)  # type: ignore[arg-type]


def marked_snippet(text: str, hits: Sequence[Any], highlight: bool) -> str:
    """A snippet on one line with its hits in reverse video on a terminal, 【】 brackets otherwise."""
    opening, closing = ("\x1b[7m", "\x1b[27m") if highlight else ("【", "】")
    pieces: list[str] = []
    cursor = 0
    for hit in sorted(hits, key=lambda h: h.start):
        if hit.start < cursor:
            continue
        pieces += [
            terminal_line(text[cursor : hit.start]),
            opening,
            terminal_line(text[hit.start : hit.end]),
            closing,
        ]
        cursor = hit.end
    pieces.append(terminal_line(text[cursor:]))
    return "".join(pieces)


# -- tree -------------------------------------------------------------------------------------------


def cmd_tree(args: argparse.Namespace, out: TextIO) -> int:
    corpus = open_corpus(args)
    roots = corpus.tree()
    if args.json:
        for node in roots:
            print_json(node.to_dict(), out)
    else:
        for node in roots:
            print_tree_node(node, out, depth=0)
    return EXIT_OK


def print_tree_node(node: TreeNode, out: TextIO, depth: int) -> None:
    suffix = f" ({node.count})" if node.kind != "meeting" else f"  [{terminal_line(str(node.doc_id))}]"
    print("  " * depth + terminal_line(node.label) + suffix, file=out)
    for child in node.children:
        print_tree_node(child, out, depth + 1)


# -- output helpers ---------------------------------------------------------------------------------


def print_json(obj: dict[str, Any], out: TextIO) -> None:
    print(json.dumps(obj, ensure_ascii=False), file=out)


def terminal_text(text: str) -> str:
    """Document text with every control character and escape sequence removed before printing."""
    from store.text import terminal_safe

    return terminal_safe(text)


def terminal_line(text: str) -> str:
    return terminal_text(text).replace("\n", " ")


COMMANDS: dict[str, Callable[[argparse.Namespace, TextIO], int]] = {
    "import": cmd_import,
    "list": cmd_list,
    "show": cmd_show,
    "search": cmd_search,
    "tree": cmd_tree,
}


if __name__ == "__main__":
    sys.exit(main())
