"""How well extraction matches the hand-labelled gold files: precision, recall and F1 per field.

`python -m tools.accuracy [-v] [--speed] [--meetings] [GOLD_DIR]` reads `tests/gold/seeds/*.json` (the five
bundled seeds), `tests/gold/extra/*.json` (short reports of the same genre written while building the
extractor, with traps) and `tests/gold/holdout/*.json` (reports written and labelled before the
extractor was measured on them, to keep it honest about generalising), runs `clean_text` and
`extract` on each source, and prints one table per set. A gold file holds `source` (a path relative
to the repository), `title` (a string, or `{"contains": [...]}` for a label built from the lead),
`date` (`{"year", "month", "day"}` or null), `location`, `kind`, `provinces`, `mentioned_provinces`
and `people` (`[{"name", "post"}]`).

It also scores the real reports in `../shared` beside the checkout, read in place (third-party text is
never copied into the repository; a set that is absent is skipped with a note): `realdev` (44 news
excerpts labelled for provinces, date and officials) and `clusters-dev` (reports labelled for grouping,
with provinces and dates; the extractor is not tuned on it). Each report goes through the import's own
steps (`read_source`, `clean_text`, `extract`) and is scored on the JSON `yuelan list --json` prints.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from store.models import Extraction
from store.text.script import fold

REPO = Path(__file__).resolve().parent.parent
GOLD = REPO / "tests" / "gold"
SHARED = REPO.parent / "shared"
REAL_SETS = ("realdev", "clusters-dev")
REAL_FIELDS = ("provinces", "mentioned", "officials", "dates right", "days right", "titles right")
"""`dates right`: year, month and day all as labelled (a year the label leaves empty must stay empty);
`days right`: month and day only (clusters-dev's labels take some years from the web address)."""
FIELDS = (
    "provinces",
    "mentioned",
    "officials",
    "posts",
    "dates",
    "dates right",
    "titles",
    "locations",
    "kinds",
)
"""`dates right` counts reports whose date is exactly right, an undated report read as undated too
(recall is the share right); `dates` scores only the dates stated."""
BASELINES = ("every named", "first M月D日")
"""What the naive answers score, for scale: every province named counted as taking part; the first date."""


@dataclass
class Score:
    """Counts for one field: true positives, false positives, false negatives."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    misses: list[str] = field(default_factory=list)

    def add(self, got: set[str], want: set[str], where: str) -> None:
        self.tp += len(got & want)
        self.fp += len(got - want)
        self.fn += len(want - got)
        for extra in sorted(got - want):
            self.misses.append(f"{where}: +{extra}")
        for missing in sorted(want - got):
            self.misses.append(f"{where}: -{missing}")

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Case:
    name: str
    gold: dict[str, Any]
    text: str


def load_cases(folder: Path) -> list[Case]:
    """The gold files of one set with the cleaned text of their sources."""
    from store.text.clean import clean_text
    from store.text.decode import decode_bytes

    cases = []
    for path in sorted(folder.glob("*.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        raw, _ = decode_bytes((REPO / gold["source"]).read_bytes())
        cases.append(Case(path.stem, gold, clean_text(raw)))
    return cases


def score(cases: list[Case], extractions: list[Extraction]) -> dict[str, Score]:
    """Per-field scores; single-valued fields count one hit or one miss (and a wrong answer as both)."""
    from store.extract.date_mentions import DATE

    scores = {name: Score() for name in FIELDS + BASELINES}
    for case, got in zip(cases, extractions, strict=True):
        gold, where = case.gold, case.name
        every = set(got.provinces) | set(got.mentioned_provinces)
        scores["every named"].add(every, set(gold["provinces"]), where)
        first = DATE.search(fold(case.text))
        first_key = {f"None-{int(first['month'])}-{int(first['day'])}"} if first else set()
        scores["first M月D日"].add(
            first_key, {k.replace(k.split("-")[0], "None", 1) for k in _gold_date(gold)}, where
        )
        scores["provinces"].add(set(got.provinces), set(gold["provinces"]), where)
        scores["mentioned"].add(set(got.mentioned_provinces), set(gold["mentioned_provinces"]), where)
        want_people = {fold(p["name"]): fold(p["post"]) for p in gold["people"]}
        got_people = {fold(p.name): fold(p.post) for p in got.people}
        scores["officials"].add(set(got_people), set(want_people), where)
        shared = set(got_people) & set(want_people)
        scores["posts"].add(
            {f"{n}={got_people[n]}" for n in shared}, {f"{n}={want_people[n]}" for n in shared}, where
        )
        scores["dates"].add(_date_key(got), _gold_date(gold), where)
        right = _date_key(got) == _gold_date(gold)
        scores["dates right"].add({"ok"} if right else set(), {"ok"}, where)
        if not right:
            scores["dates right"].misses.append(
                f"{where}: {_date_key(got) or 'none'} for {_gold_date(gold) or 'none'}"
            )
        scores["titles"].add(
            {"ok"} if title_matches(got.title, gold["title"]) else {got.title}, {"ok"}, where
        )
        scores["locations"].add(_one(got.location), _one(gold.get("location", "")), where)
        scores["kinds"].add(_one(got.kind), _one(gold.get("kind", "")), where)
    return scores


def _one(value: str) -> set[str]:
    return {value} if value else set()


def _date_key(got: Extraction) -> set[str]:
    d = got.date
    return {f"{d.year}-{d.month}-{d.day}"} if d else set()


def _gold_date(gold: dict[str, Any]) -> set[str]:
    d = gold.get("date")
    return {f"{d['year']}-{d['month']}-{d['day']}"} if d else set()


def title_matches(title: str, want: str | dict[str, list[str]]) -> bool:
    """A headline matches exactly (script, spacing and the ASCII punctuation cleaning turns into
    full-width aside); a built label must hold the given words."""
    from store.text.clean import fullwidth_punctuation

    if isinstance(want, dict):
        return all(fold(word) in fold(title) for word in want["contains"])
    return " ".join(fold(title).split()) == " ".join(fold(fullwidth_punctuation(want)).split())


def load_real(folder: Path) -> list[Case]:
    """A real set's labels (`gold.json`) with the cleaned text of each `docs/` file, read as import does."""
    from store.text.clean import clean_text
    from store.text.decode import read_source

    labels = json.loads((folder / "gold.json").read_text(encoding="utf-8"))
    return [Case(g["file"], g, clean_text(read_source(folder / "docs" / g["file"]).raw)) for g in labels]


def score_real(cases: list[Case], listed: list[dict[str, Any]]) -> dict[str, Score]:
    """Scores of a real set from the `list --json` objects; officials compared in Simplified."""
    scores = {name: Score() for name in REAL_FIELDS}
    for case, got in zip(cases, listed, strict=True):
        gold, where = case.gold, case.name
        scores["provinces"].add(set(got["provinces"]), set(gold["provinces"]), where)
        if "mentioned_only" in gold:
            scores["mentioned"].add(set(got["mentioned_provinces"]), set(gold["mentioned_only"]), where)
        if "people" in gold:
            names = {fold(p["name"]) for p in got["people"]}
            scores["officials"].add(names, {fold(name) for name in gold["people"]}, where)
        if gold.get("title"):  # a headline as written (an excerpt without one is labelled null)
            right = title_matches(got["title"], gold["title"])
            scores["titles right"].tp += right
            scores["titles right"].fn += not right
            if not right:
                scores["titles right"].misses.append(f"{where}: {got['title']!r} for {gold['title']!r}")
        want = _real_date(gold.get("date"))
        have = _real_date(got.get("date"))
        for field_name, part in (("dates right", slice(0, 3)), ("days right", slice(1, 3))):
            if have[part] == want[part]:
                scores[field_name].tp += 1
            else:
                scores[field_name].fn += 1
                scores[field_name].misses.append(f"{where}: {have[part]} for {want[part]}")
    return {name: s for name, s in scores.items() if s.tp + s.fp + s.fn}


def _real_date(date: dict[str, Any] | None) -> tuple[int | None, int | None, int | None]:
    date = date or {}
    return date.get("year"), date.get("month"), date.get("day")


def run_real(folder: Path) -> dict[str, Score]:
    from store.extract.extractor import extract

    cases = load_real(folder)
    return score_real(cases, [extract(c.text).to_dict() for c in cases])


def real_table(name: str, scores: dict[str, Score]) -> str:
    """The real set's table: P/R/F1 for the name fields, right / total for the dates."""
    count = scores["dates right"].tp + scores["dates right"].fn  # every report is dated right or not
    lines = [f"== {name} ({count} real reports, ../shared/{name})"]
    lines.append(f"{'field':<14}{'P':>7}{'R':>7}{'F1':>7}{'tp':>5}{'fp':>5}{'fn':>5}")
    for field_name, s in scores.items():
        if field_name.endswith("right"):
            lines.append(f"{field_name:<14}{s.tp:>7} / {s.tp + s.fn} ({s.recall:.0%})")
        else:
            lines.append(
                f"{field_name:<14}{s.precision:>7.3f}{s.recall:>7.3f}{s.f1:>7.3f}{s.tp:>5}{s.fp:>5}{s.fn:>5}"
            )
    return "\n".join(lines)


def run(folder: Path) -> dict[str, Score]:
    from store.extract.extractor import extract

    cases = load_cases(folder)
    return score(cases, [extract(c.text) for c in cases])


def table(name: str, scores: dict[str, Score]) -> str:
    lines = [f"{name}", f"{'field':<14}{'P':>7}{'R':>7}{'F1':>7}{'tp':>5}{'fp':>5}{'fn':>5}"]
    for field_name, s in scores.items():
        if field_name == BASELINES[0]:
            lines.append("baselines (year ignored for the first date)")
        lines.append(
            f"{field_name:<14}{s.precision:>7.3f}{s.recall:>7.3f}{s.f1:>7.3f}{s.tp:>5}{s.fp:>5}{s.fn:>5}"
        )
    return "\n".join(lines)


def speed(cases: list[Case], rounds: int = 5, real: list[Case] | None = None) -> str:
    """Extraction time per report once the dictionaries are loaded, and for one 3,000-character text."""
    import statistics
    import time

    from store.extract.extractor import extract

    texts = [c.text for c in cases]
    started = time.perf_counter()
    extract(texts[0])
    first = time.perf_counter() - started
    lines = [f"first call (loads jieba and the gazetteer): {first:.2f} s"]
    samples = [("per report", texts), ("3,000 characters", ["\n".join(texts)[:3000]])]
    if real:
        samples.append(("realdev report", [c.text for c in real]))
    for name, docs in samples:
        times = []
        for _ in range(rounds if len(docs) > 1 else rounds * 10):  # one text: enough runs for a mean
            for text in docs:
                started = time.perf_counter()
                extract(text)
                times.append(time.perf_counter() - started)
        size = sum(map(len, docs)) / len(docs)
        lines.append(
            f"{name}: {size:,.0f} chars, mean {statistics.mean(times) * 1000:.1f} ms, "
            f"max {max(times) * 1000:.1f} ms"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    verbose = "-v" in args
    root = Path(next((a for a in args if not a.startswith("-")), GOLD))
    if not root.is_dir():
        print(f"no gold files at {root} (they live in a checkout's tests/gold)", file=sys.stderr)
        return 1
    if "--meetings" in args:  # grouping reports into meetings: tools/meetings_accuracy.py
        from tools.meetings_accuracy import main as meetings_main

        return meetings_main()
    if "--speed" in args:
        realdev = SHARED / "realdev"
        real = load_real(realdev) if (realdev / "gold.json").is_file() else None
        print(speed(load_cases(root / "seeds") + load_cases(root / "extra"), real=real))
        return 0
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        scores = run(folder)
        print(table(f"== {folder.name} ({len(list(folder.glob('*.json')))} reports)", scores))
        _print_misses(scores, verbose)
    for name in REAL_SETS:
        folder = SHARED / name
        if not (folder / "gold.json").is_file():
            print(f"== {name}: skipped, no {folder} (the real reports live beside the checkout)\n")
            continue
        scores = run_real(folder)
        print(real_table(name, scores))
        _print_misses(scores, verbose)
    return 0


def _print_misses(scores: dict[str, Score], verbose: bool) -> None:
    if verbose:
        for field_name, s in scores.items():
            for miss in s.misses:
                print(f"   {field_name}: {miss}")
    print()


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BrokenPipeError:  # `| head`: stop quietly
        sys.stderr.close()
        sys.exit(0)
