"""What a report is about: title, date, place, kind of event, provinces taking part, officials.

`extract(text)` takes a document's cleaned text in any script, folds it to Simplified once (t2s keeps
positions, so every span found applies to the original) and reads it the way the genre is written: a
headline block, a lead paragraph whose event sentence carries the date, then speeches and a closing list
of officials. A province *takes part* when the report gives it a role — it is in the headline, it sends
the delegation, hosts or receives it, or one of its officials attends; a province that is only named (a
past meeting elsewhere, a tourist loop, a model to learn from, a footer) is *mentioned*.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from store.extract.abbreviations import (
    AbbreviationRun,
    find_abbreviation_lists,
    find_place_words,
    find_regions,
    find_runs,
    find_strategies,
)
from store.extract.dates import find_meeting_date
from store.extract.gazetteer import Division, gazetteer, name_forms
from store.extract.layout import Layout, event_sentence, lead_window, read_layout, within
from store.extract.lexicon import teach_names, teach_segmenter
from store.extract.people import Official, first_mentions, official_mentions
from store.extract.places import PlaceMention, find_places
from store.extract.roles import Roles, find_location
from store.models import Extraction, Person
from store.text.script import conversion_counts, fold, to_traditional

KINDS = (
    ("联席会议", re.compile(r"联席会")),
    ("座谈会", re.compile(r"座谈")),
    ("推进会", re.compile(r"推进会")),
    ("交流会", re.compile(r"交流会|交流大会")),
    ("对接会", re.compile(r"对接会")),
    ("洽谈会", re.compile(r"洽谈会")),
    ("签约", re.compile(r"签约|签署[^。]{0,20}协议")),
    ("论坛", re.compile(r"论坛")),
    ("会谈", re.compile(r"会谈")),
    ("交流", re.compile(r"交流活动|参访|[赴来][^，。；]{0,8}交流")),
    ("会见", re.compile(r"会见")),
    ("考察", re.compile(r"考察")),
    ("调研", re.compile(r"调研")),
    ("慰问", re.compile(r"慰问")),
)
"""Kinds of event, most specific first: a 座谈会 held during a 考察 is a 座谈会, unless the headline
says 考察."""

_ORIGINAL_TITLE = re.compile(r"^(?:(?:原标题|原標題)\s*[:：]\s*|【[^】]{1,6}】\s*)")
_VARIANTS = str.maketrans("陜", "陕")
"""Variant characters that t2s leaves as they are (half-converted pages write 陜西)."""
# Words that make a report one about an event (a meeting, a visit, an agreement) rather than a feature.
_EVENT_WORD = re.compile(
    r"会议|会谈|会见|座谈|考察|调研|签署|签约|签订|协议|代表团|考察团|论坛|峰会|对接|洽谈|举行|召开|举办"
    r"|出席|访问|慰问|交流会|联席|研讨|协作|合作"
)


@dataclass
class _Names:
    """Every name found in a report, each span claimed once: people, regions, runs, then places."""

    regions: list[AbbreviationRun]
    runs: list[AbbreviationRun]
    places: list[PlaceMention]
    words: list[AbbreviationRun]
    """One-character place words: 来闽, 赴滇, 在甬."""


def extract(text: str) -> Extraction:
    """Everything the tree, the list and the reader show about one report."""
    teach_segmenter()
    folded = fold(text).translate(_VARIANTS)
    layout = read_layout(folded)
    mentions = [
        o for o in official_mentions(folded) if not within(o.start, layout.headline) and o.start < layout.end
    ]
    officials = first_mentions(mentions)
    teach_names([o.name for o in officials])
    names = _find_names(folded, officials)
    date = find_meeting_date(folded, text, lead_window(folded, layout))
    event = event_sentence(folded, layout, date.text if date else None)
    roles = Roles(folded, layout, event)
    roles.add_places(names.places)
    roles.add_runs(names.runs)
    roles.add_regions(names.regions)
    roles.add_runs(names.words)
    roles.add_officials(mentions, names.places)
    roles.add_deixis(names.places)
    roles.add_sar()
    if date is None and not _names_an_event(folded, layout):
        roles.none_took_part()
    kind = find_kind(folded, layout)
    location = find_location(folded, names.places, event, layout.end)
    participating = roles.participating()
    return Extraction(
        title=_title(text, folded, layout, names.places, kind, location),
        date=date,
        location=location.name if location else "",
        kind=kind,
        provinces=[p.name for p in participating],
        mentioned_provinces=[p.name for p in roles.named() if p not in participating],
        places=_place_names(names.places),
        people=[Person(o.name, o.post) for o in officials],
        participants=roles.participants(),
    )


def _find_names(folded: str, officials: list[Official]) -> _Names:
    """People first (杨海林 is no 海林市), then regions, abbreviation runs (甘青川滇藏 holds no 青川县),
    then gazetteer names, then two-character partnerships outside names (辽宁 is not 辽+宁)."""
    blocked = _block_names(folded, officials)
    strategies = find_strategies(folded)
    for strategy in strategies:
        _block(blocked, strategy.start, strategy.end)
    regions = [r for r in find_regions(folded) if not any(blocked[r.start : r.end])] + strategies
    runs = find_runs(folded, blocked, min_length=3, partnership_only=False)
    runs += find_abbreviation_lists(folded, blocked)
    runs += [
        r for r in find_runs(folded, blocked, min_length=2, partnership_only=True) if _county_look_alike(r)
    ]
    for span in regions + runs:
        _block(blocked, span.start, span.end)
    places = find_places(folded, blocked)
    for mention in places:
        _block(blocked, mention.start, mention.end)
    runs += find_runs(folded, blocked, min_length=2, partnership_only=True)
    for run in runs:
        _block(blocked, run.start, run.end)
    return _Names(regions, runs, places, find_place_words(folded, blocked))


def _names_an_event(folded: str, layout: Layout) -> bool:
    """A report with no date at all whose headline and lead name no meeting, visit or agreement is a
    feature or an article (a province's story, a research paper): no province takes part in it."""
    spans = [layout.lead] + ([layout.headline] if layout.headline else [])
    return any(_EVENT_WORD.search(folded, start, end) for start, end in spans)


def _block(blocked: list[bool], start: int, end: int) -> None:
    blocked[start:end] = [True] * (end - start)


def _county_look_alike(run: AbbreviationRun) -> bool:
    """陇川携手, 青川合作: two province abbreviations before a partnership word, though also a county's name.

    A province's or prefecture's name (辽宁, 贵港) stays a name.
    """
    g = gazetteer()
    if len(run.text) != 2 or not all(ch in g.abbreviations for ch in run.text):
        return False
    aliases = g.aliases.get(run.text, [])
    return all(a.division.level == "county" for a in aliases)


# -- layout ------------------------------------------------------------------------------------------


def _block_names(folded: str, officials: list[Official]) -> list[bool]:
    """Every occurrence of an official's name is a person, never a place (杨海林, 罗东川, 李新平)."""
    blocked = [False] * len(folded)
    for official in officials:
        for match in re.finditer(re.escape(official.name), folded):
            _block(blocked, match.start(), match.end())
    return blocked


# -- roles -------------------------------------------------------------------------------------------


def find_kind(folded: str, layout: Layout) -> str:
    """The kind of event: the first the headline names; else the most specific in the lead, or anywhere."""
    if layout.headline:
        headline = folded[layout.headline[0] : layout.headline[1]]
        found = [(m.start(), kind) for kind, pattern in KINDS if (m := pattern.search(headline))]
        if found:
            return min(found)[1]
    for span in (layout.lead, (0, len(folded))):
        part = folded[span[0] : span[1]]
        for kind, pattern in KINDS:
            if pattern.search(part):
                return kind
    return ""


def _title(
    text: str, folded: str, layout: Layout, places: list[PlaceMention], kind: str, location: Division | None
) -> str:
    """The headline's first line; with no headline, a label from the lead: who went where for what."""
    if layout.headline:
        start, end = layout.headline
        first_line = _ORIGINAL_TITLE.sub("", text[start:end].splitlines()[0].strip())
        return re.sub(r"\s+", " ", first_line)
    return _label(text, folded, layout, places, kind, location)


def _label(
    text: str, folded: str, layout: Layout, places: list[PlaceMention], kind: str, location: Division | None
) -> str:
    lead_start, lead_end = layout.lead
    delegation = re.search(r"([\u4e00-\u9fff]{2,12}?(?:党政)?代表团)", folded[lead_start:lead_end])
    who = ""
    if delegation:
        found = delegation.group(1)
        for mention in places:
            if lead_start + delegation.start() <= mention.start < lead_start + delegation.end():
                found = folded[mention.start : lead_start + delegation.end()]
                break
        who = found
    where = _short_name(location) if location else ""
    what = ("召开" + kind) if kind.endswith("会") or kind == "联席会议" else kind
    if who and where:
        return in_script_of(text, f"{who}赴{where}{what}")
    sentence = text[lead_start:lead_end].split("。")[0]
    return sentence[:40]


def in_script_of(text: str, label: str, sample: int = 600) -> str:
    """A label built in Simplified, shown in Traditional when the report is written in Traditional.

    The first few hundred characters decide; counting characters that each conversion changes.
    """
    traditional, simplified = conversion_counts(text[:sample])
    return to_traditional(label) if traditional > simplified else label


def _short_name(division: Division) -> str:
    """甘南藏族自治州 → 甘南州 for labels; other names as they are."""
    for text, form in name_forms(division):
        if form == "short":
            return text
    return division.name


def _place_names(places: list[PlaceMention]) -> list[str]:
    """Every unit named, full standard names, in order of first mention."""
    names: list[str] = []
    for mention in places:
        assert mention.division is not None
        if mention.division.name not in names:
            names.append(mention.division.name)
    return names
