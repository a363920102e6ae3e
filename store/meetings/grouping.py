"""Which reports describe one meeting: candidate pairs found by date and province (or by shared text),
each pair decided by rules, the links then joined strongest first, never across a conflict.

The rules are the genre's, not a data set's:
- a near-copy (most of the smaller report's shingles in the other) is the same story, so the same
  meeting, whatever the two pages made of its date;
- otherwise two reports must agree on the day (ranges overlap; a report giving one day may be a day
  off, the arrival day, when the officials named agree), share a participating province, name no two
  places or kinds that cannot be one event, and then show it: two officials in common, or a good part
  of their text, or the same kind at the same place on the same days among the same provinces;
- whatever the text, two reports stay apart when they name different sessions of a series (第八次,
  第九次, 2021年度), different years, or days more than one apart.

Joining links strongest first, and refusing a join that would put two conflicting reports into one
meeting, keeps a chain (A like B, B like C) from merging A and C when they conflict.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable

import numpy as np

from store.meetings.numbered import Numbers, PeopleBits
from store.meetings.reports import TRIP_KINDS, Report, kinds_compatible, ordinals, places_compatible
from store.meetings.shingles import MIN_SHINGLES, band_keys, containment, shingle_hashes

NEAR_COPY = 0.6  # shared shingles, of the smaller report's: a repost, not a second account
SHARED_TEXT = 0.4  # two accounts quoting one communiqué; two sessions of a series share less
SOME_TEXT = 0.12  # enough shared wording to back officials in common when the days are a day apart
BUCKET_LIMIT = 20  # a band shared by more reports is boilerplate, not one story
SAME_PARTIES = 0.6  # provinces shared, of all the two name, when neither list holds the other
CANDIDATE_LIMIT = 40  # reports a report is compared with at most
MEETING_LIMIT = 300  # reports one meeting may gather: more is a template the archive repeats, not an event
SPAN_LIMIT = 12  # days of a range registered one by one; a longer visit is found by its first and last

TextOf = Callable[[str], str]
"""A report's text by id, folded to Simplified (store/meetings/reports.py: `folded_text`)."""


class Decider:
    """Decides pairs of reports; reads a report's text (shingles, session numbers) once, when needed."""

    def __init__(self, reports: dict[str, Report], text_of: TextOf) -> None:
        self.reports = reports
        self.text_of = text_of
        self._similar: dict[tuple[str, str], float] = {}

    def read(self, report: Report) -> None:
        if report._shingles is None:
            text = self.text_of(report.id)
            report._shingles = shingle_hashes(text)
            report._ordinals = ordinals(report.title, text)
            if not report.bands:
                report.bands = band_keys(report._shingles)

    def similarity(self, a: Report, b: Report) -> float:
        key = (a.id, b.id) if a.id < b.id else (b.id, a.id)
        if key not in self._similar:
            self.read(a)
            self.read(b)
            assert a._shingles is not None and b._shingles is not None
            too_short = min(len(a._shingles), len(b._shingles)) < MIN_SHINGLES
            self._similar[key] = 0.0 if too_short else containment(a._shingles, b._shingles)
        return self._similar[key]

    def conflict(self, a: Report, b: Report) -> bool:
        """Whether the two cannot be one meeting, whatever else links them. Asked of every pair across
        two groups about to join (millions in a large archive): `plausible` is inlined here, so the
        day gap is worked out once."""
        if a._shingles is None:
            self.read(a)
        if b._shingles is None:
            self.read(b)
        if a._ordinals and b._ordinals and not (a._ordinals & b._ordinals):
            return True
        if a.year_stated and b.year_stated and a.year != b.year:
            return True
        gap = day_gap(a, b)
        if gap is not None and gap > 1 and a.day_stated and b.day_stated:
            return True
        years = bool(a.year and b.year and a.year != b.year)
        days = gap is not None and gap > 1
        provinces = bool(a.provinces and b.provinces and not (a.provinces & b.provinces))
        events = gap is not None and gap >= 1 and two_events(a, b)
        # what the page or the dateline made of a copy's date, or its provinces, does not part it
        return (years or days or provinces or events) and self.similarity(a, b) < NEAR_COPY

    def link(self, a: Report, b: Report) -> float | None:
        """How strongly two reports are one meeting's (None: not linked)."""
        if not plausible(a, b):
            return None
        similar = self.similarity(a, b)
        if self.conflict(a, b):
            return None
        if similar >= NEAR_COPY:
            return 3.0 + similar
        gap = day_gap(a, b)
        if gap is None or a.start is None or b.start is None or not same_parties(a, b):
            return None  # not a copy: only a stated month and day can say it is the same event
        if not places_compatible(a.location, b.location) or not kinds_compatible(a.kind, b.kind):
            return None
        shared_people = len(a.people & b.people)
        if gap == 0:
            if shared_people >= 2:
                return 2.0 + similar
            if similar >= SHARED_TEXT:
                return 1.5 + similar
            same_setting = a.kind == b.kind != "" and a.location == b.location != ""
            if same_setting and a.provinces == b.provinces and len(a.provinces) >= 2:
                return 1.0 + similar
            return None
        # a day apart: one report dates the arrival, the other the meeting
        if (a.single_day or b.single_day) and shared_people >= 2 and similar >= SOME_TEXT:
            return 1.0 + similar
        return None


def same_parties(a: Report, b: Report) -> bool:
    """Whether two reports can name the parties of one meeting: one's provinces within the other's (a
    report may leave a party out), or most of them shared (a list of eleven read with one more or
    less). A host's leaders receive two delegations the same day: 新疆 with 广东, 新疆 with 江苏."""
    if not (a.provinces & b.provinces):
        return False
    if a.provinces <= b.provinces or b.provinces <= a.provinces:
        return True
    return len(a.provinces & b.provinces) / len(a.provinces | b.provinces) >= SAME_PARTIES


def two_events(a: Report, b: Report) -> bool:
    """Two single days of one trip with another place or another kind of event each: the 座谈会 in one
    city, the signing in another the next day. (A report of the arrival, a 考察, is not an event of
    its own: it may be a day off the meeting.)"""
    if not (a.single_day and b.single_day and a.day_stated and b.day_stated):
        return False
    places = bool(a.location and b.location and a.location != b.location)
    kinds = bool(a.kind and b.kind and a.kind != b.kind and not ({a.kind, b.kind} & TRIP_KINDS))
    return places or kinds


def plausible(a: Report, b: Report) -> bool:
    """The cheap part of `conflict`, from metadata alone: no text is read for a pair that fails it."""
    if a.year_stated and b.year_stated and a.year != b.year:
        return False
    gap = day_gap(a, b)
    return not (gap is not None and gap > 1 and a.day_stated and b.day_stated)


def day_gap(a: Report, b: Report) -> int | None:
    """Days between the two reports' ranges (0 when they overlap); with only the day of the month known
    on one side, between the days of the month; None when either gives no day."""
    if a.start is not None and b.start is not None and a.end is not None and b.end is not None:
        return max(0, a.start - b.end, b.start - a.end)
    if a.day is None or b.day is None:
        return None
    days_a = _days_of_month(a)
    days_b = _days_of_month(b)
    return min(abs(x - y) for x in days_a for y in days_b)


def _days_of_month(report: Report) -> list[int]:
    if report.start is None or report.end is None:
        return [report.day or 0]
    return [(day - 1) % 31 + 1 for day in range(report.start, min(report.end, report.start + SPAN_LIMIT) + 1)]


def date_keys(report: Report, *, widened: bool) -> list[tuple[object, ...]]:
    """The blocks a report is filed under (`widened`: the blocks it looks in, a day either side).
    Month and day with each province, and the year the text states: a report stating one is filed
    under it and among all stated years, and looks in its year and among the reports stating none; a
    report stating none looks among all. The day alone for reports whose month is unknown."""
    if report.start is not None and report.end is not None:
        last = min(report.end, report.start + SPAN_LIMIT)
        days = list(range(report.start, last + 1)) + ([report.end] if report.end > last else [])
        if widened:
            days = sorted({d + shift for d in days for shift in (-1, 0, 1)})
        year = report.year if report.year_stated else None
        if widened:
            years: tuple[object, ...] = (year, None) if year is not None else ("any", None)
        else:
            years = (year, "any") if year is not None else (None,)
        keys: list[tuple[object, ...]] = [
            ("md", y, d, p) for y in years for d in days for p in report.provinces
        ]
        keys += [("d", (d - 1) % 31 + 1, p) for d in days for p in report.provinces] if widened else []
        return keys
    if report.day is not None:
        days = [report.day + shift for shift in (-1, 0, 1)] if widened else [report.day]
        keys = [("d", d, p) for d in days for p in report.provinces]
        if widened:  # a report without the month looks among the dated ones of that day of any month
            keys += [("dm", d, p) for d in days for p in report.provinces]
        return keys
    return []


class Blocks:
    """Reports filed by date and province, and by shared text bands: where to look for a report's
    meeting without comparing it with every other report. Filed by number (store/meetings/numbered.py):
    a report's candidates are counted in arrays, not one Python step per report filed beside it."""

    def __init__(self) -> None:
        self.by_key: dict[tuple[object, ...], Numbers] = defaultdict(Numbers)
        self.by_band: dict[int, list[str]] = defaultdict(list)
        self.ids: list[str] = []
        self.number: dict[str, int] = {}
        self.people = PeopleBits()
        self._people_of: dict[str, frozenset[str]] = {}

    def add(self, report: Report) -> None:
        number = self.number.setdefault(report.id, len(self.ids))
        if number == len(self.ids):
            self.ids.append(report.id)
        for key in date_keys(report, widened=False):
            self.by_key[key].append(number)
            if key[0] == "md" and key[1] != "any":  # a month-less report looks it up by the day alone
                self.by_key[("dm", (int(key[2]) - 1) % 31 + 1, key[3])].append(number)  # type: ignore[call-overload]
        for band in report.bands:
            self.by_band[band].append(report.id)
        self.people.put(number, report.people)
        self._people_of[report.id] = report.people

    def candidates(self, report: Report, reports: dict[str, Report]) -> list[str]:
        """The reports filed where this one looks; when there are more than CANDIDATE_LIMIT (a day when
        one province held many events, or an archive of templated texts), those sharing the most: a
        band of text, then days and provinces, then officials (ties by id)."""
        found = [self.by_key[key].view() for key in date_keys(report, widened=True) if key in self.by_key]
        hits = np.bincount(np.concatenate(found or [np.zeros(0, np.int64)]), minlength=len(self.ids))
        for band in report.bands:
            bucket = self.by_band.get(band, ())
            if len(bucket) <= BUCKET_LIMIT:
                for other in dict.fromkeys(bucket):
                    hits[self.number[other]] += 10
        if report.id in self.number:
            hits[self.number[report.id]] = 0
        numbers = np.flatnonzero(hits)
        if len(numbers) <= CANDIDATE_LIMIT:
            return sorted(self.ids[k] for k in numbers)
        shared = self.people.shared(numbers, report.people)
        if shared is None:  # too many officials for bit rows: one pair at a time
            shared = np.array([len(report.people & self._people_of[self.ids[k]]) for k in numbers], np.int64)
        scores = hits[numbers] + 3 * shared
        last = np.partition(scores, len(scores) - CANDIDATE_LIMIT)[len(scores) - CANDIDATE_LIMIT]
        above = [self.ids[k] for k in numbers[scores > last]]
        tied = sorted(self.ids[k] for k in numbers[scores == last])
        return sorted(above + tied[: CANDIDATE_LIMIT - len(above)])


def group(reports: dict[str, Report], text_of: TextOf, apart: Iterable[str] = ()) -> list[list[str]]:
    """Every report in exactly one group; `apart`: reports a user split off, each kept alone.

    Depends only on the set of reports, not the order they are given in: pairs are decided
    independently and joined in an order fixed by strength, then ids."""
    decider = Decider(reports, text_of)
    alone = set(apart)
    for report in reports.values():
        if not report.bands and report.id not in alone:
            decider.read(report)  # bands: copies are found by text, not only by date
    blocks = Blocks()
    for report in reports.values():
        blocks.add(report)
    links: list[tuple[float, str, str]] = []
    decided: set[tuple[str, str]] = set()
    for report in reports.values():
        if report.id in alone:
            continue
        for other_id in blocks.candidates(report, reports):
            pair = (report.id, other_id) if report.id < other_id else (other_id, report.id)
            if other_id in alone or pair in decided:
                continue
            decided.add(pair)
            strength = decider.link(report, reports[other_id])
            if strength is not None:
                links.append((strength, *pair))
    return join(list(reports), links, decider)


def join(ids: list[str], links: list[tuple[float, str, str]], decider: Decider) -> list[list[str]]:
    """Union the linked reports, strongest link first; two groups join only if no pair across them
    conflicts. Two groups found in conflict are not compared again (many links cross between the
    same two groups): a group only grows, and a pair in conflict stays in conflict."""
    group_of = {doc_id: doc_id for doc_id in ids}
    members: dict[str, list[str]] = {doc_id: [doc_id] for doc_id in ids}
    apart: dict[str, set[str]] = defaultdict(set)  # group → the groups it is known to conflict with
    for _, a, b in sorted(set(links), key=lambda link: (-link[0], link[1], link[2])):
        first, second = group_of[a], group_of[b]
        if first == second or second in apart[first]:
            continue
        reports = decider.reports
        if len(members[first]) + len(members[second]) > MEETING_LIMIT:
            continue
        if any(decider.conflict(reports[x], reports[y]) for x in members[first] for y in members[second]):
            apart[first].add(second)
            apart[second].add(first)
            continue
        if len(members[first]) < len(members[second]):
            first, second = second, first
        for doc_id in members[second]:
            group_of[doc_id] = first
        members[first] += members.pop(second)
        for other in apart.pop(second, set()):  # the joined group conflicts with all either did
            apart[other].discard(second)
            apart[other].add(first)
            apart[first].add(other)
    return sorted(sorted(m) for m in members.values())


def place(
    new: Report,
    reports: dict[str, Report],
    groups: dict[str, list[str]],
    group_of: dict[str, str],
    text_of: TextOf,
    blocks: Blocks,
    known: dict[str, set[str]] | None = None,
) -> list[str]:
    """The meeting of one report added to a grouped store: the groups it links to are joined with it
    (strongest first, never across a conflict); the others are left as they are. Returns the keys of
    the groups it joined (empty: it is alone). `known`: the pairs found in conflict so far, shared by
    the placements of one import (see `in_conflict`)."""
    decider = Decider(reports, text_of)
    decider.read(new)
    links = []
    for other_id in blocks.candidates(new, reports):
        strength = decider.link(new, reports[other_id])
        if strength is not None:
            links.append((strength, other_id))
    joined: list[str] = []
    mine = [new.id]
    for _, other_id in sorted(links, key=lambda link: (-link[0], link[1])):
        key = group_of[other_id]
        if key in joined or len(mine) + len(groups[key]) > MEETING_LIMIT:
            continue
        if in_conflict(decider, mine, groups[key], {} if known is None else known):
            continue
        joined.append(key)
        mine += groups[key]
    return joined


def in_conflict(decider: Decider, mine: list[str], theirs: list[str], known: dict[str, set[str]]) -> bool:
    """Whether a report of `mine` conflicts with one of `theirs`. A report placed beside two meetings
    asks it of both (hundreds of reports each); the next report placed there asks it again, and found
    the same conflict only after as many pairs. So a pair found in conflict is kept in `known` (a pair
    in conflict stays so) and the pairs known are looked at first: the answer is the same."""
    others = set(theirs)
    if any(not known[x].isdisjoint(others) for x in mine if x in known):
        return True
    reports = decider.reports
    for x in mine:
        for y in theirs:
            if decider.conflict(reports[x], reports[y]):
                known.setdefault(x, set()).add(y)
                known.setdefault(y, set()).add(x)
                return True
    return False
