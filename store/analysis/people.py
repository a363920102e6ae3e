"""Officials across all meetings: one person per name (folded to Simplified) and province.

Built over meetings (`Corpus.meetings()`), so a person's `meetings` are meeting ids and reports grouped
into one meeting count once. Extraction keeps each report's officials as name and post; the province is
the one the meeting ties the official to: the place the post opens with (甘南州委书记 → 甘肃省; among a
name's possible units the one that took part wins, so 海南州 in a Qinghai meeting is not 海南省), else
the meeting's only participating province, else unknown (None). Two 王芳 in different provinces are two
people; 何謀保 and 何谋保 are one.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from store.analysis.dates import iso_date, newest_meetings_first
from store.analysis.pacing import Pace, paced
from store.extract.gazetteer import gazetteer
from store.meetings.model import Meeting
from store.search.pinyin import PinyinLexicon
from store.text.script import fold

_LONGEST_PLACE = 12  # characters of a post tried as a place name (内蒙古自治区 and longer prefectures)


@dataclass
class Post:
    post: str
    date: str | None
    meeting: str

    def to_dict(self) -> dict[str, Any]:
        return {"post": self.post, "date": self.date, "meeting": self.meeting}


@dataclass
class Official:
    """One person; `meetings` newest first, `met` the other people of those meetings, most shared first."""

    name: str
    province: str | None
    posts: list[Post] = field(default_factory=list)
    meetings: list[str] = field(default_factory=list)
    met: list[tuple[str, int]] = field(default_factory=list)

    @property
    def key(self) -> tuple[str, str | None]:
        return (self.name, self.province)

    def to_dict(self, with_met: bool = False) -> dict[str, Any]:
        shape: dict[str, Any] = {
            "name": self.name,
            "province": self.province,
            "posts": [p.to_dict() for p in self.posts],
            "meetings": list(self.meetings),
        }
        if with_met:
            shape["met"] = [{"name": name, "meetings": n} for name, n in self.met]
        return shape


def province_of_post(post: str, taking_part: list[str]) -> str | None:
    """The province of the place a post opens with, preferring a province that took part."""
    provinces = _post_provinces(post)
    return next((p for p in provinces if p in taking_part), provinces[0] if provinces else None)


@lru_cache(maxsize=1 << 16)
def _post_provinces(post: str) -> tuple[str, ...]:
    """Every province the longest place name a post opens with may stand for; posts repeat across
    reports (省领导, 州委书记), so each is read once."""
    folded = fold(post)
    atlas = gazetteer()
    for length in range(min(len(folded), _LONGEST_PLACE), 1, -1):
        if aliases := atlas.aliases.get(folded[:length]):
            return tuple(atlas.province_of(a.division).name for a in aliases)
    return ()


def person_province(post: str, meeting: Meeting) -> str | None:
    taking_part = list(dict.fromkeys(meeting.provinces))
    named = province_of_post(post, taking_part)
    if named is not None:
        return named
    return taking_part[0] if len(taking_part) == 1 else None


@lru_cache(maxsize=1 << 16)
def _folded_name(name: str) -> str:
    return fold(name)


def build_people(
    meetings: list[Meeting], *, with_met: bool = False, pace: Pace | None = None
) -> list[Official]:
    """Everyone named at the meetings, most meetings first, then by name. `met` is the costly part
    (every pair of people at every meeting): filled for all when asked, else by `find_people` for the
    people it finds."""
    people: dict[tuple[str, str | None], Official] = {}
    held: dict[tuple[str, str | None], list[str]] = {}  # oldest first: appended, reversed once at the end
    stated: set[tuple[tuple[str, str | None], str, str]] = set()  # (person, post, meeting) already listed
    provinces: dict[tuple[str, tuple[str, ...]], str | None] = {}  # (post, taking part) → province
    for meeting in paced(reversed(newest_meetings_first(meetings)), pace):  # oldest first, as held
        date = iso_date(meeting.date)
        taking_part = tuple(meeting.provinces)
        for named in meeting.people:
            name = _folded_name(named.name)
            asked = (named.post, taking_part)  # the same few posts recur at thousands of meetings
            if asked not in provinces:
                provinces[asked] = person_province(named.post, meeting)
            key = (name, provinces[asked])
            person = people.get(key)
            if person is None:
                person = people[key] = Official(*key)
                held[key] = []
            seen = held[key]
            if not seen or seen[-1] != meeting.id:
                seen.append(meeting.id)
            if named.post and (key, named.post, meeting.id) not in stated:
                stated.add((key, named.post, meeting.id))
                person.posts.append(Post(named.post, date, meeting.id))
    for key, seen in held.items():
        people[key].meetings = seen[::-1]
    found = sorted(people.values(), key=lambda p: (-len(p.meetings), p.name, p.province or ""))
    if with_met:
        fill_met(found, found)
    return found


def fill_met(people: list[Official], chosen: list[Official]) -> None:
    """Set `met` on the chosen people: the others at their meetings, by name, most shared first."""
    wanted = {meeting for person in chosen for meeting in person.meetings}  # who asks: one person, often
    attendees: dict[str, list[tuple[str, str | None]]] = {meeting: [] for meeting in wanted}
    for person in people:
        key = person.key
        for meeting in person.meetings:
            if meeting in wanted:
                attendees[meeting].append(key)
    for person in chosen:
        shared: Counter[str] = Counter()
        key = person.key
        for meeting in person.meetings:
            shared.update(other[0] for other in attendees[meeting] if other != key)
        person.met = sorted(shared.items(), key=lambda item: (-item[1], item[0]))


def find_people(people: list[Official], query: str) -> list[Official]:
    """People a name stands for, in either script, or typed in full pinyin or initials (hemoubao, hmb),
    with `met` filled."""
    query = query.strip()
    if query.isascii():
        lexicon = PinyinLexicon.build(p.name for p in people)
        names = {m.word for m in lexicon.lookup(query) if m.whole}
    else:
        names = {fold(query)}
    found = [p for p in people if p.name in names]
    fill_met(people, found)
    return found


class PeopleFinder:
    """A filter over people for a list searched as one types: part of a name in either script (谋保,
    謀保), or pinyin and initials typed so far (`h`, `hemou`, `hmb`), as the search bar takes them.
    The pinyin table is built once, on the first ASCII query."""

    def __init__(self, people: list[Official]) -> None:
        self.people = people
        self._lexicon: PinyinLexicon | None = None

    def warm(self) -> PeopleFinder:
        """Read every name's pinyin now (pypinyin's tables load in ~0.3 s, holding the interpreter):
        in the thread that builds the list, not on the first key typed into it."""
        if self._lexicon is None:
            self._lexicon = PinyinLexicon.build(p.name for p in self.people)
            self._lexicon.table()
        return self

    def find(self, query: str) -> list[Official]:
        """The matching people in the list's order (most meetings first); everyone for an empty query."""
        query = query.strip()
        if not query:
            return list(self.people)
        if query.isascii():
            names = {m.word for m in self.warm()._lexicon.lookup(query)}  # type: ignore[union-attr]
            return [p for p in self.people if p.name in names]
        folded = fold(query)
        return [p for p in self.people if folded in p.name]


def name_pinyin(name: str) -> str:
    """A name's main reading run together and its initials, `hemoubao hmb`: what the palette matches a
    typed `hemoubao` or `hmb` against ('' for a name pypinyin cannot read)."""
    from store.search.pinyin import word_readings  # pypinyin's tables: only when a name is asked for

    readings = word_readings(fold(name))
    if not readings:
        return ""
    main = readings[0]
    return f"{''.join(main)} {''.join(s[0] for s in main)}"
