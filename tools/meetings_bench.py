"""Grouping benchmark: `python -m tools.bench --meetings [--sizes 10000,50000]`.

Builds archives of made-up meeting reports from the seeds' paragraphs (tools.bench's generator, fixed
random seed): each meeting has a dated lead naming its provinces and officials, and 1–3 reports — the
first, often a repost in Traditional script with a site's chrome, sometimes the other side's account in
other words — over thirteen years and all 34 provinces, as a real archive spreads them. Each archive is
imported through `Corpus.import_paths` (extraction and grouping included), then timed: grouping every
report afresh (what `yuelan reextract` does), one report imported into the store (the grouping's share
of it too), and opening the store and listing its meetings. Pairwise precision and recall against the
generator's meetings are printed as a sanity check, not a measure of accuracy (tools.accuracy is).
Not a test: figures depend on the machine and its load.
"""

from __future__ import annotations

import itertools
import os
import random
import re
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from tools.bench import DOC_CHARS, SEED, seed_paragraphs

PLAIN = re.compile(r"[0-9０-９月日省市州县区藏甘青川滇陇蜀]|书记|省长|主席|主任")
"""Clauses of the seeds that name no date, place or post: a body built of them leaves the dates,
provinces and officials a report is about to its lead, as in a real one."""

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
GIVEN = "建国志强海峰明华伟军平东晓光丽红春秋文武立新永庆世德宏远卫民振兴朝阳家庆学良"
KINDS = ("考察", "座谈会", "联席会议", "签约", "交流会", "会谈")


def write_meeting_corpus(folder: Path, size: int) -> dict[str, int]:
    """`size` report files; returns each file's meeting number (the truth the sanity check uses)."""
    from store.extract.gazetteer import province_names
    from store.text.script import to_traditional

    rng = random.Random(SEED + 13)
    paragraphs = clauses()
    provinces = province_names()
    folder.mkdir(parents=True)
    truth: dict[str, int] = {}
    meeting = 0
    while len(truth) < size:
        meeting += 1
        a, b = rng.sample(provinces, 2)
        year, month, day = rng.randrange(2012, 2025), rng.randrange(1, 13), rng.randrange(1, 29)
        kind = rng.choice(KINDS)
        people = ["".join([rng.choice(SURNAMES), *rng.sample(GIVEN, rng.choice((1, 2)))]) for _ in range(4)]
        lead = (
            f"{year}年{month}月{day}日，{a}党政代表团赴{b}开展{kind}活动。{b}委书记{people[0]}、"
            f"{b}长{people[1]}，{a}委书记{people[2]}、{a}长{people[3]}出席并讲话。"
        )
        first = f"{a}党政代表团赴{b}{kind} 两地签署合作协议\n{lead}\n" + body(rng, paragraphs)
        reports = [first]
        if rng.random() < 0.4:  # a repost: another site's chrome, Traditional, the last paragraph gone
            reports.append("首页 > 新闻中心 > 正文\n" + to_traditional(first.rsplit("\n", 1)[0]))
        if rng.random() < 0.25:  # the other side's account, other words
            other = (
                f"{b}与{a}举行{kind}\n{month}月{day}日，{b}{a}两地在{b}举行{kind}。"
                f"{people[0]}主持，{people[2]}讲话，{people[1]}、{people[3]}出席。\n"
            )
            reports.append(other + body(rng, paragraphs))
        for text in reports:
            if len(truth) == size:
                break
            name = f"{len(truth):06d}.txt"
            (folder / name).write_text(text + "\n", encoding="utf-8")
            truth[name] = meeting
    return truth


def clauses() -> list[str]:
    from store.text.script import fold

    found = {c for p in seed_paragraphs() for c in re.split(r"[，。；：]", fold(p)) if len(c) >= 6}
    return sorted(c for c in found if not PLAIN.search(c))


def body(rng: random.Random, clauses: list[str]) -> str:
    """Half the seeds' set phrases (which every report of the genre repeats), half words of its own:
    the seeds hold only 44 paragraphs, and reports built of them alone are all copies of each other."""
    sentences: list[str] = []
    while sum(map(len, sentences)) < DOC_CHARS:
        own = "".join(rng.choice(GIVEN + SURNAMES) for _ in range(rng.randrange(8, 20)))
        sentences.append("，".join([*rng.sample(clauses, 2), own]) + "。")
    lines = ["".join(sentences[i : i + 4]) for i in range(0, len(sentences), 4)]
    return "\n".join(lines)


def measure(size: int, work: Path) -> dict[str, Any]:
    from store.corpus import Corpus
    from store.meetings.kept import MeetingKeeper

    folder = work / f"m{size}"
    truth = write_meeting_corpus(folder / "docs", size)
    store = folder / "y.json"
    started = time.perf_counter()
    Corpus.open(store, seed_if_new=False).import_paths([folder / "docs"])
    result: dict[str, Any] = {"size": size, "import_s": time.perf_counter() - started}

    started = time.perf_counter()
    corpus = Corpus.open(store)
    meetings = corpus.meetings()
    result["open_meetings_s"] = time.perf_counter() - started
    result["meetings"] = len(meetings)

    started = time.perf_counter()
    corpus._grouped_afresh()
    result["regroup_s"] = time.perf_counter() - started

    one = folder / "one.txt"  # a repost of the first report: it has a meeting to find
    one.write_text("转载\n" + (folder / "docs" / "000000.txt").read_text(encoding="utf-8"), encoding="utf-8")
    spent: list[float] = []
    original = MeetingKeeper._write_meetings

    def timed(self: Any, handle: Any) -> None:
        begun = time.perf_counter()
        original(self, handle)
        spent.append(time.perf_counter() - begun)

    MeetingKeeper._write_meetings = timed  # type: ignore[method-assign]
    try:
        started = time.perf_counter()
        corpus.import_paths([one])
        result["import_one_s"] = time.perf_counter() - started
    finally:
        MeetingKeeper._write_meetings = original  # type: ignore[method-assign]
    result["import_one_grouping_s"] = sum(spent)
    doc_of = {Path(p).name: d.id for d in corpus.documents() for p in d.paths}
    got = {name: corpus.meeting_id_of(doc_of[name]) for name in truth}
    result["precision"], result["recall"] = pairwise(got, truth)
    result["joined_copy"] = corpus.meeting_id_of(doc_of["one.txt"]) == got["000000.txt"]
    return result


def pairwise(got: dict[str, str], truth: dict[str, int]) -> tuple[float, float]:
    by_truth: dict[int, list[str]] = {}
    for name, meeting in truth.items():
        by_truth.setdefault(meeting, []).append(name)
    by_got: dict[str, list[str]] = {}
    for name, meeting_id in got.items():
        by_got.setdefault(meeting_id, []).append(name)
    pairs = lambda groups: {p for g in groups for p in itertools.combinations(sorted(g), 2)}  # noqa: E731
    want, have = pairs(by_truth.values()), pairs(by_got.values())
    tp = len(want & have)
    return tp / max(len(have), 1), tp / max(len(want), 1)


def table(runs: list[dict[str, Any]]) -> str:
    lines = [
        "| reports | import s (extraction + grouping) | full regroup s | import 1 report s (grouping) "
        "| open + meetings s | meetings | P / R vs generator |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in runs:
        lines.append(
            f"| {r['size']:,} | {r['import_s']:.1f} | {r['regroup_s']:.2f} | "
            f"{r['import_one_s']:.2f} ({r['import_one_grouping_s']:.2f}) | {r['open_meetings_s']:.2f} | "
            f"{r['meetings']:,} | {r['precision']:.3f} / {r['recall']:.3f}"
            f"{'' if r['joined_copy'] else ' (copy not joined!)'} |"
        )
    return "\n".join(lines)


def main(sizes: list[int]) -> int:
    with tempfile.TemporaryDirectory(prefix="yuelan-meetings-bench-") as temp:
        runs = []
        for size in sizes:
            print(f"measuring grouping at {size:,} reports…", file=sys.stderr, flush=True)
            runs.append(measure(size, Path(temp)))
    load = os.getloadavg()
    print(f"{os.cpu_count()} cores, load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}\n")
    print(table(runs))
    return 0
