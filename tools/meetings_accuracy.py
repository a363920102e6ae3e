"""How well reports are grouped into meetings: pairwise precision, recall and F1 over report pairs.

`python -m tools.accuracy --meetings` (or `python -m tools.meetings_accuracy`) reads
`../shared/clusters-dev` (each file's meeting in `gold.json`: `event`) in place, imports the reports
as `yuelan import` does into a temporary store, and scores the store's meetings against the labels,
beside the naive rule (same extracted month and day, one province in common). It also scores
clusters-dev together with `../shared/realdev`, whose 44 reports carry no meeting labels: each is taken
as its own meeting unless it is a page of clusters-dev (same address), which only checks that nothing
is wrongly merged. It says which gold meetings were split, which were merged, and whether every near
copy was grouped and no two sessions of one series were.
"""

from __future__ import annotations

import itertools
import json
import re
import sys
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from tools.accuracy import SHARED, Score

PairScore = Score  # tp, fp, fn over report pairs, scored as the fields are


def pair_score(got: dict[str, str], want: dict[str, str]) -> PairScore:
    """Every pair of reports: grouped together by `got` and by `want` (tp), only by `got` (fp)..."""
    score = PairScore()
    for a, b in itertools.combinations(sorted(want), 2):
        same_got, same_want = got[a] == got[b], want[a] == want[b]
        score.tp += same_got and same_want
        score.fp += same_got and not same_want
        score.fn += same_want and not same_got
    return score


@dataclass
class Labelled:
    files: list[Path]
    events: dict[str, str]  # file name → gold meeting
    series: list[tuple[str, str]]  # pairs of files of one series, another session


def clusters_dev(folder: Path) -> Labelled:
    gold = json.loads((folder / "gold.json").read_text(encoding="utf-8"))
    events = {g["file"]: g["event"] for g in gold}
    near = re.compile(r"Near-miss of ([\w-]+)")
    series = [
        (g["file"], other)
        for g in gold
        if (found := near.search(g.get("notes", "")))
        for other, event in events.items()
        if event == found.group(1)
    ]
    return Labelled([folder / "docs" / g["file"] for g in gold], events, series)


def with_realdev(clusters: Path, realdev: Path) -> Labelled:
    """clusters-dev and realdev together; a realdev page that is also a clusters-dev page is its meeting."""
    labelled = clusters_dev(clusters)
    by_url = {g["url"]: g["event"] for g in json.loads((clusters / "gold.json").read_text(encoding="utf-8"))}
    for g in json.loads((realdev / "gold.json").read_text(encoding="utf-8")):
        labelled.files.append(realdev / "docs" / g["file"])
        labelled.events["realdev/" + g["file"]] = by_url.get(g["url"], "realdev/" + g["file"])
    return labelled


def grouped(files: Iterable[Path]) -> tuple[dict[str, str], dict[str, str], dict[str, float]]:
    """Import the files into a new store: each file's meeting, the naive rule's group, and for each
    pair of files the share of text they have in common (for the near-copy check)."""
    from store.corpus import Corpus
    from store.meetings.grouping import Decider
    from store.meetings.reports import folded_text, report_of

    files = list(files)
    with tempfile.TemporaryDirectory() as work:
        corpus = Corpus.open(Path(work) / "y.json", seed_if_new=False)
        corpus.import_paths(files)
        doc_of = {p: d.id for d in corpus.documents() for p in d.paths}
        meetings = {name(f): corpus.meeting_id_of(doc_of[str(f.absolute())]) for f in files}
        docs = {name(f): corpus.get(doc_of[str(f.absolute())]) for f in files}
        naive = naive_groups(docs)
        reports = {d.id: report_of(d) for d in docs.values()}
        decider = Decider(reports, lambda doc_id: folded_text(corpus.get(doc_id)))
        shared = {
            f"{a}|{b}": decider.similarity(reports[docs[a].id], reports[docs[b].id])
            for a, b in itertools.combinations(sorted(docs), 2)
        }
    return meetings, naive, shared


def name(path: Path) -> str:
    return path.name if path.parent.parent.name == "clusters-dev" else f"realdev/{path.name}"


def naive_groups(docs: dict) -> dict[str, str]:  # type: ignore[type-arg]
    """Same extracted month and day and one province in common, joined transitively."""
    parent = {n: n for n in docs}

    def root(n: str) -> str:
        while parent[n] != n:
            n = parent[n]
        return n

    for a, b in itertools.combinations(sorted(docs), 2):
        da, db = docs[a].meta.date, docs[b].meta.date
        same_day = da and db and da.month and da.day and (da.month, da.day) == (db.month, db.day)
        if same_day and set(docs[a].meta.provinces) & set(docs[b].meta.provinces):
            parent[root(a)] = root(b)
    return {n: root(n) for n in docs}


def report(title: str, labelled: Labelled) -> tuple[PairScore, list[str]]:
    """The table for one set, and the lines saying what was wrongly split or merged."""
    from store.meetings.grouping import NEAR_COPY

    meetings, naive, shared = grouped(labelled.files)
    want = labelled.events
    ours, base = pair_score(meetings, want), pair_score(naive, want)
    lines = [f"== meetings: {title} ({len(want)} reports, {len(set(want.values()))} meetings)"]
    lines.append(f"{'rule':<22}{'P':>7}{'R':>7}{'F1':>7}{'tp':>5}{'fp':>5}{'fn':>5}")
    for label, s in (("yuelan", ours), ("naive (month-day+prov)", base)):
        lines.append(f"{label:<22}{s.precision:>7.3f}{s.recall:>7.3f}{s.f1:>7.3f}{s.tp:>5}{s.fp:>5}{s.fn:>5}")
    problems = []
    for a, b in itertools.combinations(sorted(want), 2):
        together, should = meetings[a] == meetings[b], want[a] == want[b]
        if together != should:
            problems.append(f"{'merged' if together else 'split'}: {a} ({want[a]}) / {b} ({want[b]})")
    copies = [
        (a, b)
        for a, b in itertools.combinations(sorted(want), 2)
        if want[a] == want[b] and shared[f"{a}|{b}"] >= NEAR_COPY
    ]
    apart = sum(meetings[a] != meetings[b] for a, b in copies)
    lines.append(
        f"near-copies (≥{NEAR_COPY:.0%} shared shingles): {len(copies) - apart} of {len(copies)} grouped"
    )
    if labelled.series:
        kept = sum(meetings[a] != meetings[b] for a, b in labelled.series)
        lines.append(
            f"near-misses (another session, year, day or city): {kept} of {len(labelled.series)} kept apart"
        )
    lines += [f"   {p}" for p in problems]
    return ours, lines


def main(argv: list[str] | None = None) -> int:
    clusters, realdev = SHARED / "clusters-dev", SHARED / "realdev"
    if not (clusters / "gold.json").is_file():
        print(f"== meetings: skipped, no {clusters} (the real reports live beside the checkout)")
        return 0
    _, lines = report("clusters-dev", clusters_dev(clusters))
    print("\n".join(lines) + "\n")
    if (realdev / "gold.json").is_file():
        _, lines = report(
            "clusters-dev + realdev (realdev: no false merges)", with_realdev(clusters, realdev)
        )
        print("\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
