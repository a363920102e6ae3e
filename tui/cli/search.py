"""`yuelan search`: the answer as text (hits marked) or JSON Lines, in the script asked for."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import Any, TextIO

from store import QueryError, SearchAnswer, render
from store import parse_query as parse
from tui.cli.common import EXIT_OK, CliError, open_lookup, print_json, terminal_line
from tui.words import plural


def cmd_search(args: argparse.Namespace, out: TextIO) -> int:
    query = " ".join(args.query)
    try:
        parse(query)  # a bad or too costly query is said before the store and index are opened
    except QueryError as exc:
        raise CliError(f"bad query: {exc}") from exc
    corpus = open_lookup(args)
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
    obj["title"] = render(obj["title"], script)  # type: ignore[arg-type]
    obj["snippets"] = [render(s, script) for s in obj["snippets"]]  # type: ignore[arg-type]
    return obj


def print_search_answer(answer: SearchAnswer, script: str, out: TextIO, *, highlight: bool) -> None:
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
