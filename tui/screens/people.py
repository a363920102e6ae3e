"""The people view (`p`): everyone named at the meetings, searched as one types (either script, pinyin
or initials), with their meeting counts; Enter opens a person's card: posts over time, the meetings as a
dated list that opens each in the reader, and the people met most often."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Input, Static

from store import Derived, Meeting, Official, Script, fold, province_short, render
from tui.messages import PersonChosen
from tui.screens.view import ViewScreen
from tui.widgets.follow import follow_script
from tui.widgets.meeting_list import MeetingList
from tui.widgets.reader import visible
from tui.widgets.virtual_list import VirtualList
from tui.words import plural

if TYPE_CHECKING:
    from tui.screens.main import MainScreen

MET_SHOWN = 12  # people met named on a card (the most shared first)


def person_line(person: Official, script: Script) -> Text:
    line = Text(no_wrap=True, overflow="ellipsis")
    line.append(render(person.name, script).ljust(5, "\u3000"), style="bold")
    line.append(f"  {render(province_short(person.province), script) if person.province else '—'}  ")
    line.append(f"{len(person.meetings):>5}", style="bold")
    latest = person.posts[-1].post if person.posts else ""
    line.append(f"  {visible(render(latest, script))}", style="dim")
    return line


class PeopleList(VirtualList[Official]):
    """People, one a line: name, province, meetings, the latest post stated."""

    script: Script = "orig"

    def on_mount(self) -> None:
        self.script = follow_script(self, self._script_changed)

    def _script_changed(self, script: Script) -> None:
        self.script = script
        self.refresh()

    def row_text(self, row: Official) -> Text:
        return person_line(row, self.script)

    def chosen(self, row: Official) -> None:
        self.post_message(PersonChosen(row))


class PeopleScreen(ViewScreen):
    """A searchable list of people; opened from a meeting, that meeting's people come first."""

    TITLE = "人物 People — type a name, pinyin or initials (hmb); Enter: the person's card"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "into_list", "List", show=False),
        Binding("slash", "search", "Search", show=False),
    ]
    DEFAULT_CSS = """
    PeopleScreen #people-search { height: 1; border: none; padding: 0 1; background: $boost; }
    PeopleScreen #people-list { height: 1fr; }
    """

    def __init__(
        self, main: MainScreen, at_meeting: str | None = None, name: str = "", at_meeting_only: bool = False
    ) -> None:
        super().__init__(main)
        self.at_meeting = at_meeting  # a document id: the meeting whose people the list starts with
        self.wanted = name  # searched for at once; one person found: their card opens
        self.at_meeting_only = at_meeting_only  # the card of `name` as named at that meeting (its header)
        self.shown: list[Official] = []

    def compose_view(self) -> ComposeResult:
        yield Input(placeholder="搜索 search people: 何谋保, 何謀保, hemoubao, hmb", id="people-search")
        yield PeopleList(id="people-list")

    def show(self, derived: Derived) -> None:
        search = self.query_one("#people-search", Input)
        search.focus()
        if self.wanted:
            with search.prevent(Input.Changed):
                search.value = self.wanted
        self.fill(search.value)
        named = self.named_here(derived) if self.at_meeting_only else []
        if len(named) == 1:
            self.open_card(named[0])  # the name and the meeting's province: that one person
        elif self.wanted and len(self.shown) == 1:
            self.open_card(self.shown[0])

    def named_here(self, derived: Derived) -> list[Official]:
        """The people of this view's meeting called `wanted` (a person is their folded name and province)."""
        meeting = derived.meeting_of(self.at_meeting) if self.at_meeting else None
        name = fold(self.wanted)
        return [p for p in derived.people_at(meeting) if p.name == name] if meeting is not None else []

    def starting_people(self, derived: Derived) -> list[Official]:
        meeting: Meeting | None = derived.meeting_of(self.at_meeting) if self.at_meeting else None
        if meeting is None:
            return derived.people
        here = derived.people_at(meeting)
        return here + [p for p in derived.people if p not in here]

    def fill(self, query: str) -> None:
        derived = self.derived
        if derived is None or derived.finder is None:
            return
        found = derived.finder.find(query) if query.strip() else self.starting_people(derived)
        self.shown = found
        self.query_one(PeopleList).set_rows(found)
        meeting = derived.meeting_of(self.at_meeting) if self.at_meeting and not query.strip() else None
        first = f" · this meeting's {len(derived.people_at(meeting))} first" if meeting else ""
        counted = plural(len(found), "person", "people")
        title = f"人物 People · {counted}{first} · Enter: card · Esc: back"
        self.query_one("#view-title", Static).update(title)

    @on(Input.Changed, "#people-search")
    def _typed(self, event: Input.Changed) -> None:
        self.fill(event.value)

    @on(Input.Submitted, "#people-search")
    def _submitted(self, event: Input.Submitted) -> None:
        if (person := self.query_one(PeopleList).current()) is not None:
            self.open_card(person)

    @on(PersonChosen)
    def _chosen(self, message: PersonChosen) -> None:
        self.open_card(message.person)

    def open_card(self, person: Official) -> None:
        if self.derived is not None:
            self.app.push_screen(PersonScreen(self.main, self.derived.with_met(person)))

    def action_into_list(self) -> None:
        self.query_one(PeopleList).focus()

    def action_search(self) -> None:
        self.query_one("#people-search", Input).focus()

def posts_over_time(person: Official) -> list[tuple[str, str, int]]:
    """(post, first date … last date, times stated): each post once, in the order first stated."""
    spans: dict[str, list[str | None]] = {}
    for post in person.posts:
        spans.setdefault(post.post, []).append(post.date)
    shown = []
    for post, dates in spans.items():
        known = [d for d in dates if d]
        span = (known[0] if known[0] == known[-1] else f"{known[0]} … {known[-1]}") if known else "—"
        shown.append((post, span, len(dates)))
    return shown


class PersonScreen(ViewScreen):
    """One person's card; Enter on a meeting reads it."""

    DEFAULT_CSS = """
    PersonScreen #person-posts { height: auto; max-height: 6; padding: 0 1; }
    PersonScreen #person-meetings { height: 1fr; border: round $panel-lighten-2; }
    PersonScreen #person-meetings:focus { border: round $accent; }
    PersonScreen #person-met { height: auto; max-height: 3; padding: 0 1; }
    """

    def __init__(self, main: MainScreen, person: Official) -> None:
        super().__init__(main)
        self.person = person

    def compose_view(self) -> ComposeResult:
        yield Static(id="person-posts")
        yield MeetingList(id="person-meetings")
        yield Static(id="person-met")

    def show(self, derived: Derived) -> None:
        meetings = [derived.by_id[m] for m in self.person.meetings if m in derived.by_id]
        listed = self.query_one("#person-meetings", MeetingList)
        listed.border_title = f"会议 Meetings ({len(meetings)}) — Enter reads one"
        listed.show_meetings(meetings)
        listed.focus()
        self.script_changed(self.script)

    def script_changed(self, script: Script) -> None:
        person = self.person
        province = render(person.province, script) if person.province else "province unknown"
        title = f"{render(person.name, script)} ({province}) · {plural(len(person.meetings), 'meeting')}"
        self.query_one("#view-title", Static).update(title)
        posts = Text(no_wrap=True, overflow="ellipsis")
        posts.append("职务 Posts", style="dim")
        for post, span, times in posts_over_time(person):
            posts.append(f"\n  {span:<24} ", style="dim")
            posts.append(visible(render(post, script)))
            if times > 1:
                posts.append(f"  ×{times}", style="dim")
        if not person.posts:
            posts.append("  —")
        self.query_one("#person-posts", Static).update(posts)
        met = "、".join(f"{render(name, script)} {n}" for name, n in person.met[:MET_SHOWN])
        more = f" … +{len(person.met) - MET_SHOWN}" if len(person.met) > MET_SHOWN else ""
        line = Text("见过 Met  ", style="dim")
        line.append(visible(met) + more if met else "—")
        self.query_one("#person-met", Static).update(line)
