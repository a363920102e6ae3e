"""The people, pairs and meetings the line commands answer from, kept in a file beside the store.

Deriving them costs more than the commands' other work at 10k reports (grouping the meetings, reading
every official's province), so `people`, `who`, `pairs`, `timeline` and `export` keep what they derived
in `yuelan.json.derived`, written atomically, and use it while it is current: made from the same store
generation (`Corpus.generation`, which every write that changes documents moves on) by the same code
(a digest of the modules and tables that decide the answers: grouping, the analysis, the gazetteer).
Anything else — another generation, another version of yuelan, a file that is not JSON, a field of the
wrong type — and it is derived afresh and the file replaced. It is only ever derived data: losing it
costs one rebuild, and a folder that cannot be written to just means deriving every time.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from store.analysis.pairs import Pair, build_pairs
from store.analysis.people import Official, Post, build_people
from store.meetings.model import Meeting
from store.models import MeetingDate

if TYPE_CHECKING:
    from store.corpus import Corpus

FORMAT = 1
STORE_ROOT = Path(__file__).resolve().parent.parent
DECIDING = ("meetings/*.py", "analysis/*.py", "corpus.py", "extract/gazetteer.py", "data/*.tsv")


@dataclass
class Analysis:
    """The meetings (without their officials: no command here prints those), people and pairs."""

    meetings: list[Meeting]
    people: list[Official]
    pairs: list[Pair]


def derived_path_for(store_path: Path) -> Path:
    """`yuelan.json` → `yuelan.json.derived`."""
    return store_path.with_name(store_path.name + ".derived")


@cache
def code_digest() -> str:
    """What the answers depend on besides the store: the source of grouping and analysis, the gazetteer."""
    digest = hashlib.sha256()
    for pattern in DECIDING:
        for path in sorted(STORE_ROOT.glob(pattern)):
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def analysis(corpus: Corpus) -> Analysis:
    """From the file when it is current, else derived and the file replaced (when it can be)."""
    path = derived_path_for(corpus.path)
    found = read(path, corpus.generation)
    if found is not None:
        return found
    meetings = corpus.meetings()
    made = Analysis(meetings, build_people(meetings), build_pairs(meetings))
    with contextlib.suppress(OSError):  # read-only folder, full disk: answer anyway
        write(path, corpus.generation, made)
    return made


def read(path: Path, generation: str) -> Analysis | None:
    """The file's contents if made from this generation by this code and every field is as written."""
    try:
        data = json.loads(path.read_bytes())
        if data.get("format") != FORMAT or data.get("generation") != generation or not generation:
            return None
        if data.get("code") != code_digest():
            return None
        return Analysis(
            [meeting_from(m) for m in data["meetings"]],
            [official_from(p) for p in data["people"]],
            [pair_from(p) for p in data["pairs"]],
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None  # missing, unreadable or not ours: derive afresh


def write(path: Path, generation: str, made: Analysis) -> None:
    from store.storage.db import write_atomically  # the one atomic JSON write

    write_atomically(
        path,
        {
            "format": FORMAT,
            "generation": generation,
            "code": code_digest(),
            "meetings": [meeting_row(m) for m in made.meetings],
            "people": [p.to_dict() for p in made.people],
            "pairs": [{**p.to_dict(), "ids": p.meetings} for p in made.pairs],
        },
    )


# -- rows and their strict reading back -------------------------------------------------------------


def meeting_row(meeting: Meeting) -> dict[str, Any]:
    return {
        "id": meeting.id,
        "title": meeting.title,
        "date": date_row(meeting.date),
        "end": date_row(meeting.end),
        "location": meeting.location,
        "kind": meeting.kind,
        "provinces": meeting.provinces,
        "reports": meeting.reports,
    }


def date_row(date: MeetingDate | None) -> list[Any] | None:
    if date is None:
        return None
    return [date.year, date.month, date.day, date.text, date.source, date.basis]


def meeting_from(row: dict[str, Any]) -> Meeting:
    return Meeting(
        id=text(row["id"]),
        title=text(row["title"]),
        date=date_from(row["date"]),
        end=date_from(row["end"]),
        location=text(row["location"]),
        kind=text(row["kind"]),
        provinces=texts(row["provinces"]),
        people=[],
        reports=texts(row["reports"]),
    )


def date_from(row: Any) -> MeetingDate | None:
    if row is None:
        return None
    year, month, day, said, source, basis = row
    return MeetingDate(number(year), number(month), number(day), text(said), text(source), text(basis))


def official_from(row: dict[str, Any]) -> Official:
    posts = [Post(text(p["post"]), optional_text(p["date"]), text(p["meeting"])) for p in row["posts"]]
    return Official(text(row["name"]), optional_text(row["province"]), posts, texts(row["meetings"]))


def pair_from(row: dict[str, Any]) -> Pair:
    a, b = texts(row["provinces"])
    years = row["by_year"]
    if not isinstance(years, dict) or not all(type(n) is int for n in years.values()):
        raise TypeError("by_year")
    ids = texts(row["ids"])
    if row["meetings"] != len(ids):
        raise ValueError("meetings")
    return Pair(
        (a, b),
        ids,
        {text(y): n for y, n in years.items()},
        optional_text(row["first"]),
        optional_text(row["last"]),
    )


def text(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{value!r} is not text")
    return value


def optional_text(value: Any) -> str | None:
    return None if value is None else text(value)


def texts(values: Any) -> list[str]:
    if not isinstance(values, list):
        raise TypeError(f"{values!r} is not a list")
    return [text(v) for v in values]


def number(value: Any) -> int | None:
    if value is not None and type(value) is not int:
        raise TypeError(f"{value!r} is not a whole number")
    return value  # type: ignore[no-any-return]
