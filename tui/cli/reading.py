"""The commands that read the store: `list`, `show`, `tree`."""

from __future__ import annotations

import argparse
import io
import itertools
import shutil
from collections.abc import Mapping
from typing import TYPE_CHECKING, TextIO

from store import render
from tui.cli.common import (
    EXIT_OK,
    CliError,
    answered,
    open_lookup,
    print_json,
    terminal_line,
    terminal_text,
)
from tui.wrap import cut_cells, pad_cells, text_cells

if TYPE_CHECKING:  # a lookup imports only what its command needs: `list` no gazetteer, no tree
    from store import Document, Entry, Lookup, Meeting, TreeNode


def cmd_list(args: argparse.Namespace, out: TextIO) -> int:
    corpus = open_lookup(args)
    docs = corpus.entries()
    if args.province:
        docs = filter_by_province(docs, args.province)
    if args.json:
        for doc in docs:
            print_json(corpus.get(doc.id).summary() | {"meeting": corpus.meeting_id_of(doc.id)}, out)
        return EXIT_OK
    dates = [terminal_line(doc.meta.date.text) if doc.meta.date else "—" for doc in docs]
    width = max(map(text_cells, dates), default=0)  # cells, not characters: 12月28日 takes 8
    for doc, date in zip(docs, dates, strict=True):
        doc_id, title = terminal_line(doc.id), terminal_line(doc.title)
        print(f"{doc_id}  {doc.script:<11} {doc.chars:>6}  {pad_cells(date, width)}  {title}", file=out)
    return EXIT_OK


def filter_by_province(docs: list[Entry], name: str) -> list[Entry]:
    """Meetings the named province took part in; the name may be in any script, short or full."""
    from store import resolve_province  # the gazetteer, only when a province is named

    province = resolve_province(name)
    if province is None:
        raise CliError(f"{name!r} is not a province-level name")
    return [d for d in docs if province in d.meta.provinces]


def cmd_show(args: argparse.Namespace, out: TextIO) -> int:
    corpus = open_lookup(args)
    try:
        doc = corpus.get(args.id)
    except LookupError as exc:
        raise CliError(str(exc)) from exc
    text = render(doc.raw if args.raw else doc.text, args.script)
    if args.json:
        meeting = corpus.meeting_id_of(doc.id)
        print_json(doc.summary() | {"meeting": meeting, "text": text, "raw": doc.raw}, out)
        return EXIT_OK
    if not args.body:
        print_show_header(doc, args.script, out)
    print(terminal_text(text), file=out)
    return EXIT_OK


def print_show_header(doc: Document, script: str, out: TextIO) -> None:
    """What `show` says before the text: the meeting as extraction read it and where it came from."""
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


def cmd_tree(args: argparse.Namespace, out: TextIO) -> int:
    corpus = open_lookup(args)
    return answered(args, out, corpus, lambda text: cmd_tree_made(args, text, corpus))


def cmd_tree_made(args: argparse.Namespace, out: TextIO, corpus: Lookup) -> int:
    meetings = corpus.meetings()
    roots = corpus.tree(meetings)
    if args.json:
        for node in roots:
            print_json(node.to_dict(), out)
    else:
        width = shutil.get_terminal_size().columns if out.isatty() else None
        titles = {m.id: m for m in meetings}
        shown: dict[str, tuple[str, str]] = {}
        lines = io.StringIO()  # tens of thousands of lines: written at once, not printed one by one
        for node in roots:
            print_tree_node(node, lines, depth=0, corpus=corpus, width=width, meetings=titles, shown=shown)
        out.write(lines.getvalue())
    return EXIT_OK


def print_tree_node(
    node: TreeNode,
    out: TextIO,
    depth: int,
    *,
    corpus: Lookup | None = None,
    width: int | None = None,
    meetings: Mapping[str, Meeting] | None = None,
    shown: dict[str, tuple[str, str]] | None = None,
) -> None:
    """One node a line. A meeting shows its whole title (the tree's labels are cut for the browser's
    narrow column) and, told by several reports, how many (`·3`, and `[first id +2]`); on a terminal a
    line is cut to its width, piped it is never cut. `shown`: each meeting's label and id made safe once
    (a meeting sits under every province that took part)."""
    shown = {} if shown is None else shown
    indent = "  " * depth
    if node.kind != "meeting":
        out.write(f"{indent}{terminal_line(node.label)} ({node.count})\n")
    else:
        key = node.meeting or node.key
        if key not in shown:
            label = node.label
            meeting = (meetings or {}).get(node.meeting or "")
            if meeting is not None and len(meeting.reports) > 1:
                label = f"{meeting.date.text if meeting.date else ''} {meeting.title}".strip()
                label += f" ·{len(meeting.reports)}"
            elif corpus is not None and node.doc_id is not None:
                doc = corpus.entry(node.doc_id)
                label = f"{doc.meta.date.text if doc.meta.date else ''} {doc.title}".strip()
            more = f" +{len(node.reports) - 1}" if len(node.reports) > 1 else ""
            shown[key] = (terminal_line(label), f"  [{terminal_line(node.doc_id or '')}{more}]")
        label, suffix = shown[key]
        if width is not None:
            label = cut_cells(label, max(1, width - 1 - text_cells(indent + suffix)))
        out.write(f"{indent}{label}{suffix}\n")
    for child in node.children:
        print_tree_node(child, out, depth + 1, corpus=corpus, width=width, meetings=meetings, shown=shown)
