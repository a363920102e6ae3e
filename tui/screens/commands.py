"""Command palette (Ctrl+P): go to a province, a meeting, a person or a report of the open meeting, and
every action of the browser.

The "go to" entries come from the corpus (names in the chosen script, matched in any script because
the palette folds both sides with t2s); the actions come from the main screen's key bindings, so the
palette and the keys can never disagree.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Matcher, Provider
from textual.content import Content

from store import fold, name_pinyin, render, terminal_safe
from tui.citation import source_line
from tui.screens.main import MainScreen
from tui.state import readable
from tui.widgets.meeting_tree import MeetingTree
from tui.words import plural

Entry = tuple[str, str, Callable[[], object]]


def goto_entries(screen: MainScreen) -> Iterator[Entry]:
    """(text shown, help, callback) for every province, meeting and person in the corpus."""
    script = screen.script
    for node in screen.query_one(MeetingTree).full:
        label = render(node.label, script)
        go = partial(screen.go_to_province, node.key)
        yield f"去省份 go to province: {label}", plural(node.count, "meeting"), go
    people: dict[str, int] = {}
    meetings = [(m.title, m.date, m.reports[0], m.people) for m in screen.state.meetings] or [
        (d.title, d.meta.date, d.id, d.meta.people) for d in screen.docs
    ]
    for meeting_title, meeting_date, first, met in meetings:  # a meeting of several reports: once
        date = meeting_date.text if meeting_date else ""
        title = terminal_safe(render(meeting_title, script), same_length=True)  # the matcher marks by offset
        go = partial(screen.open_id, first, None, focus=True)
        yield f"去会议 go to meeting: {title}", render(date, script), go
        for person in met:
            people[person.name] = people.get(person.name, 0) + 1
    for name, count in sorted(people.items()):
        shown = render(name, script)
        # the pinyin and initials in the entry let `hemoubao` or `hmb` find 何谋保; Enter opens the card
        spelled = name_pinyin(name)
        yield (
            f"去人物 go to person: {shown} {spelled}".rstrip(),
            plural(count, "meeting"),
            partial(screen.open_person, name),
        )
    yield from report_entries(screen)


def report_entries(screen: MainScreen) -> Iterator[Entry]:
    """The reports of the open meeting when several tell it, to pick one by its headline or outlet
    (`{` `}` step through them in order): `去报道 go to report 2/3 新华网 · 2024-08-09 发布: headline`."""
    here = screen.current
    reports = screen.state.reports_of(here.id) if here is not None else []
    if len(reports) < 2:
        return
    for number, doc_id in enumerate(reports, 1):
        try:
            doc = screen.corpus.get(doc_id)
        except LookupError:  # removed by another process since
            continue
        title = terminal_safe(render(doc.title, screen.script), same_length=True)
        source = terminal_safe(source_line(doc, screen.script, readable(doc, "text")[0]), same_length=True)
        go = partial(screen.open_id, doc_id, None, focus=True)
        text = f"去报道 go to report {number}/{len(reports)} {source}: {title}"
        yield text, "a report of the open meeting", go


def highlight(matcher: Matcher, shown: str, folded: str) -> Content:
    """The entry as shown (maybe Traditional) with the characters that matched its folded form marked.

    The matcher compares folded (Simplified) text, so its marks are placed on the folded string and
    carried over: folding keeps every character's position.
    """
    marked = matcher.highlight(folded)
    if marked.plain != folded or len(folded) != len(shown):
        return Content(shown)  # markup-like text changed the length; show it unmarked rather than wrong
    return Content(shown, spans=list(marked.spans))


class GotoProvider(Provider):
    """Provinces, meetings and people of the open store, listed once each time the palette opens."""

    entries: list[tuple[str, str, str, Callable[[], object]]] | None = None

    async def startup(self) -> None:
        main = self._main()
        # Folded once here, not on every keystroke: a 10k-document store has 10k meeting entries.
        self.entries = [(text, fold(text), h, c) for text, h, c in goto_entries(main)] if main else []

    def _main(self) -> MainScreen | None:
        for screen in reversed(self.app.screen_stack):
            if isinstance(screen, MainScreen):
                return screen
        return None

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(fold(query))
        for text, folded, help_text, callback in self.entries or []:
            score = matcher.match(folded)
            if score > 0:
                yield Hit(score, highlight(matcher, text, folded), callback, text=text, help=help_text)

    async def discover(self) -> Hits:
        for text, _, help_text, callback in self.entries or []:
            if "province" in text:
                yield DiscoveryHit(text, callback, text=text, help=help_text)
