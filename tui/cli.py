"""The `yuelan` command: the browser with no subcommand, and line-mode `import|list|show|search|tree`
(and `remove|compact` to delete documents and reclaim their space).

Every subcommand can speak JSON Lines (`--json`); errors are one line on stderr. Exit codes: 0 done,
1 a path or the store was missing, a document was not found or the store is unusable, 2 a usage error
(or the browser started without a terminal).
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import json
import shutil
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TextIO

from store import SCRIPTS
from tui.words import plural

if TYPE_CHECKING:
    from store import Corpus, Document, ImportReport, SearchAnswer, TreeNode

EXIT_OK, EXIT_FAILURE, EXIT_USAGE = 0, 1, 2
PROGRESS_THRESHOLD = 20


class CliError(Exception):
    """A failure the user can act on; printed as one line, exit code 1."""


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
        from store import terminal_safe

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
    return parser


def positive_int(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError("must be a positive whole number")
    return number


def result_limit(value: str) -> int:
    """--limit: a positive whole number up to what one query may cost (store.MAX_LIMIT)."""
    from store import MAX_LIMIT

    number = positive_int(value)
    if number > MAX_LIMIT:
        raise argparse.ArgumentTypeError(f"at most {MAX_LIMIT}")
    return number


TEXT_ARGUMENTS = {"query": "QUERY", "province": "--province", "id": "ID"}


def undecodable_argument(args: argparse.Namespace) -> str | None:
    """A text argument (not a path: those may be any bytes) holding bytes that are not UTF-8."""
    from store import has_lone_surrogate, shown_bytes

    for name, label in TEXT_ARGUMENTS.items():
        values = getattr(args, name, None)
        for value in values if isinstance(values, list) else [values]:
            if isinstance(value, str) and has_lone_surrogate(value):
                return f"{label} is not UTF-8 text: {shown_bytes(value)}"
    return None


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `yuelan` console script."""
    from store import StoreError

    args = parse_arguments(build_parser(), argv)
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
        print(f"yuelan: {terminal_line(where + str(exc.strerror or exc))}", file=sys.stderr)
        return EXIT_FAILURE


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


def store_location(args: argparse.Namespace) -> Path:
    """The store file --db names, else the default."""
    from store import resolve_store_path

    return resolve_store_path(getattr(args, "db", None))


def open_corpus(args: argparse.Namespace, *, seed_if_new: bool = True, create: bool = False) -> Corpus:
    """Open the store named by --db (or the default), turning store errors into one-line CLI errors.

    Only `create` may make a store where there is none (`import`, the browser's first run on the
    default path); every other command reports a missing store and leaves the disk as it was, so a
    mistyped --db never grows a folder, a lock file and a store seeded with the samples.
    """
    from store import Corpus, StoreError

    path = store_location(args)
    if not create and not path.exists():
        raise CliError(f"{terminal_line(str(path))}: no such store; {missing_store_hint(args)}")
    try:
        return Corpus.open(path, seed_if_new=seed_if_new)
    except StoreError as exc:
        raise CliError(str(exc)) from exc


def missing_store_hint(args: argparse.Namespace) -> str:
    if hasattr(args, "db"):
        return "`yuelan import` creates one"
    return "`yuelan` starts one with the bundled reports, `yuelan import` with yours"


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
    corpus = open_corpus(args, create=not hasattr(args, "db"))
    from tui.app import run_app

    return run_app(corpus)


# -- import -----------------------------------------------------------------------------------------


def cmd_import(args: argparse.Namespace, out: TextIO) -> int:
    from store import StoreError

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


class ProgressBar:
    """A one-line progress bar on a terminal, drawn only when there are many files."""

    def __init__(self, stream: TextIO, width: int = 30, threshold: int = PROGRESS_THRESHOLD) -> None:
        self.stream = stream
        self.width = width
        self.threshold = threshold
        self.drawn = False

    def __call__(self, done: int, total: int, path: str) -> None:
        if total < self.threshold:
            return
        filled = self.width * done // total
        name = terminal_line(Path(path).name)[-30:]  # a file name once sent an OSC 52 clipboard write
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
    if args.json:
        for doc in docs:
            print_json(doc.summary(), out)
        return EXIT_OK
    from tui.wrap import pad_cells, text_cells

    dates = [terminal_line(doc.meta.date.text) if doc.meta.date else "—" for doc in docs]
    width = max(map(text_cells, dates), default=0)  # cells, not characters: 12月28日 takes 8
    for doc, date in zip(docs, dates, strict=True):
        doc_id, title = terminal_line(doc.id), terminal_line(doc.title)
        print(f"{doc_id}  {doc.script:<11} {doc.chars:>6}  {pad_cells(date, width)}  {title}", file=out)
    return EXIT_OK


def filter_by_province(docs: list[Document], name: str) -> list[Document]:
    """Meetings the named province took part in; the name may be in any script, short or full."""
    from store import resolve_province

    province = resolve_province(name)
    if province is None:
        raise CliError(f"{name!r} is not a province-level name")
    return [d for d in docs if province in d.meta.provinces]


def cmd_show(args: argparse.Namespace, out: TextIO) -> int:
    from store import render

    corpus = open_corpus(args)
    try:
        doc = corpus.get(args.id)
    except LookupError as exc:
        raise CliError(str(exc)) from exc
    text = render(doc.raw if args.raw else doc.text, args.script)
    if args.json:
        print_json(doc.summary() | {"text": text, "raw": doc.raw}, out)
        return EXIT_OK
    if not args.body:
        print_show_header(doc, args.script, out)
    print(terminal_text(text), file=out)
    return EXIT_OK


def print_show_header(doc: Document, script: str, out: TextIO) -> None:
    """What `show` says before the text: the meeting as extraction read it and where it came from."""
    from store import render

    meta = doc.meta
    date = ""
    if meta.date:
        known = list(itertools.takewhile(bool, (meta.date.year, meta.date.month, meta.date.day)))
        iso = "-".join(f"{part:02}" for part in known)
        shown = meta.date.shown()  # an inferred part says so, and the line it was read from
        date = f"{shown} ({iso})" if iso else shown
    fields = [
        ("title", render(doc.title, script)),  # type: ignore[arg-type]
        ("date", date),
        ("place", render(meta.location, script)),  # type: ignore[arg-type]
        ("provinces", render("、".join(meta.provinces), script)),  # type: ignore[arg-type]
        ("source", ", ".join(doc.paths)),
        ("id", doc.id),
    ]
    for name, value in fields:
        print(f"{name + ':':<11}{terminal_line(value) or '—'}", file=out)
    print(file=out)


# -- search -----------------------------------------------------------------------------------------


def cmd_search(args: argparse.Namespace, out: TextIO) -> int:
    from store import QueryError, parse_query

    query = " ".join(args.query)
    try:
        parse_query(query)  # a bad or too costly query is said before the store and index are opened
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
    from store import render

    obj["title"] = render(obj["title"], script)  # type: ignore[arg-type]
    obj["snippets"] = [render(s, script) for s in obj["snippets"]]  # type: ignore[arg-type]
    return obj


def print_search_answer(answer: SearchAnswer, script: str, out: TextIO, *, highlight: bool) -> None:
    from store import render

    shown = len(answer.results)
    matched = f"{answer.query!r}"
    if answer.words:
        matched = f"all of {terminal_line(' '.join(answer.words))} (no exact match for {answer.query!r})"
    more = f"; showing {shown}" if shown < answer.total else ""
    verb = "matches" if answer.total == 1 else "match"
    print(f"{plural(answer.total, 'document')} {verb} {matched}{more}", file=out)
    for result in answer.results:
        title = terminal_line(render(result.title, script))  # type: ignore[arg-type]
        counted = f"{plural(len(result.hits), 'hit')}, score {result.score:.2f}"
        print(f"\n{terminal_line(result.doc_id)}  {title}  ({counted})", file=out)
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
        width = shutil.get_terminal_size().columns if out.isatty() else None
        for node in roots:
            print_tree_node(node, out, depth=0, corpus=corpus, width=width)
    return EXIT_OK


def print_tree_node(
    node: TreeNode, out: TextIO, depth: int, *, corpus: Corpus | None = None, width: int | None = None
) -> None:
    """One node a line. A meeting shows its whole title (the tree's labels are cut for the browser's
    narrow column); on a terminal a line is cut to its width, piped it is never cut."""
    from tui.wrap import cut_cells, text_cells

    indent = "  " * depth
    if node.kind != "meeting":
        print(indent + terminal_line(node.label) + f" ({node.count})", file=out)
    else:
        label = node.label
        if corpus is not None and node.doc_id is not None:
            doc = corpus.get(node.doc_id)
            label = f"{doc.meta.date.text if doc.meta.date else ''} {doc.title}".strip()
        suffix = f"  [{terminal_line(node.doc_id)}]"
        label = terminal_line(label)
        if width is not None:
            label = cut_cells(label, max(1, width - 1 - text_cells(indent + suffix)))
        print(indent + label + suffix, file=out)
    for child in node.children:
        print_tree_node(child, out, depth + 1, corpus=corpus, width=width)


# -- remove / compact ------------------------------------------------------------------------------


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


@contextlib.contextmanager
def maintenance_progress() -> Iterator[ProgressBar | None]:
    """The import's progress line on a terminal, drawn from the first document: removing one report
    from a large store still rebuilds or rewrites for seconds."""
    progress = ProgressBar(sys.stderr, threshold=1) if sys.stderr.isatty() else None
    try:
        yield progress
    finally:
        if progress:
            progress.finish()


# -- output helpers ---------------------------------------------------------------------------------


def print_json(obj: dict[str, Any], out: TextIO) -> None:
    """One JSON line, Hanzi as they are; controls, bidi and zero-width characters and a non-UTF-8 file
    name's bytes as \\u escapes (store.json_safe), so `show --json` piped to a terminal is safe."""
    from store import json_safe

    print(json_safe(json.dumps(obj, ensure_ascii=False)), file=out)


def terminal_text(text: str) -> str:
    """Text from outside (a document, a name, an id) with every control shown escaped, as `cat -v` does."""
    from store import terminal_safe

    return terminal_safe(text)


def terminal_line(text: str) -> str:
    return terminal_text(text).replace("\n", " ")


# -- reextract -------------------------------------------------------------------------------------


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


COMMANDS: dict[str, Callable[[argparse.Namespace, TextIO], int]] = {
    "import": cmd_import,
    "list": cmd_list,
    "show": cmd_show,
    "search": cmd_search,
    "tree": cmd_tree,
    "remove": cmd_remove,
    "compact": cmd_compact,
    "reextract": cmd_reextract,
}


if __name__ == "__main__":
    sys.exit(main())
