"""The result list: one entry per matching meeting, its title, hit count and a snippet with hits marked.

A meeting told by several reports is one entry: its hits are counted per report and rolled up
(` 12 (7+3+2) title`), and it opens at its first matching report.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cached_property
from typing import ClassVar

from rich.console import Console, ConsoleOptions, RenderResult
from rich.text import Text
from textual import on
from textual.binding import Binding, BindingType
from textual.css.styles import RulesMap
from textual.visual import RichVisual, Visual
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from store import Script, SearchResult, Snippet, Span, render
from tui.messages import ResultHighlighted, ResultSelected
from tui.state import MeetingMatch
from tui.widgets.follow import follow_script
from tui.widgets.reader import visible
from tui.wrap import fit_window

HIT_STYLE = "bold reverse"
# The list holds a batch of options and grows as the cursor nears its end: a keystroke shows its
# results without making hundreds of options.
BATCH = 30


def snippet_text(snippet: Snippet, script: Script, width: int | None = None) -> Text:
    """A snippet on one line in the chosen script, its hits in reverse video; given a width in cells,
    cut to it around the first hit (kept whole, as near the middle as the text allows), with an
    ellipsis where context was cut."""
    return fitted(snippet_line(snippet, script), snippet.hits, width)


def snippet_line(snippet: Snippet, script: Script) -> str:
    """The snippet's text as shown: in the script, safe for the terminal, on one line."""
    return visible(render(snippet.text, script)).replace("\n", " ")


def fitted(shown: str, hits: list[Span], width: int | None) -> Text:
    """`shown` with its hits marked, cut to `width` cells around the first hit."""
    first, last = 0, len(shown)
    if width is not None:
        start, end = (hits[0].start, hits[0].end) if hits else (0, 0)
        first, last = fit_window(shown, start, end, width)
    text = Text(no_wrap=True, overflow="ellipsis", end="")
    if first > 0:
        text.append("…", style="dim")
    text.append(shown[first:last])
    offset = len(text) - (last - first)
    for hit in hits:
        if first <= hit.start and hit.end <= last:
            text.stylize(HIT_STYLE, hit.start - first + offset, hit.end - first + offset)
    if last < len(shown):
        text.append("…", style="dim")
    return text


SNIPPET_INDENT = "    "


class ResultPrompt:
    """Two lines: the title with its hit count, then the first snippet fitted to the width it is drawn
    at, so the hit is on screen however narrow the list (the list re-renders on resize)."""

    def __init__(self, match: MeetingMatch, script: Script) -> None:
        # Title and snippet are put in the script when first drawn: a keystroke makes a batch of prompts
        # and draws the few in view.
        self.match, self.script = match, script
        self._snippet = next((r.snippets[0] for r in match.reports if r.snippets), None)

    @cached_property
    def title(self) -> Text:
        match = self.match
        title = Text(no_wrap=True, overflow="ellipsis")
        title.append(f"{match.hits:>3} ", style="dim")
        if len(match.reports) > 1:  # hits per report, in the meeting's order
            title.append(f"({'+'.join(map(str, match.counts))}) ", style="dim")
        title.append(visible(render(match.title, self.script)), style="bold")
        return title

    @cached_property
    def snippet(self) -> tuple[str, list[Span]] | None:
        """Converted once: the list measures a prompt, then draws it, at every width it is given."""
        snippet = self._snippet
        return (snippet_line(snippet, self.script), snippet.hits) if snippet is not None else None

    @property
    def height(self) -> int:
        """Lines drawn at any width: both lines are cut, never wrapped."""
        return 1 if self._snippet is None else 2

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield self.title
        if self.snippet is not None:
            width = max(options.max_width - len(SNIPPET_INDENT), 1)
            line = Text(SNIPPET_INDENT, no_wrap=True, overflow="ellipsis")
            line.append_text(fitted(*self.snippet, width))
            yield line


def result_prompt(result: MeetingMatch, script: Script) -> ResultPrompt:
    return ResultPrompt(result, script)


class PromptVisual(RichVisual):
    """A prompt drawn as Rich draws it, whose height is known without drawing it. The OptionList asks
    every option's height at every layout (each keystroke, each resize); a RichVisual answers by
    rendering the prompt, which was most of what drawing a keystroke's results cost."""

    def __init__(self, widget: OptionList, prompt: ResultPrompt) -> None:
        super().__init__(widget, prompt)
        self.height = prompt.height

    def get_height(self, rules: RulesMap, width: int) -> int:
        return self.height


def as_match(result: SearchResult | MeetingMatch) -> MeetingMatch:
    """A result of a report alone is a meeting of its own."""
    return result if isinstance(result, MeetingMatch) else MeetingMatch(result.title, (result,))


def shown_as(matches: list[MeetingMatch]) -> list[tuple[str, list[tuple[str, list[Span]]]]]:
    """What a result list shows of its results: titles, and each report with its hits (the counts and
    the snippets follow from them). Not the results' own equality, which would cut every snippet."""
    return [(m.title, [(r.doc_id, r.hits) for r in m.reports]) for m in matches]


class ResultList(OptionList):
    """Search results; Enter or a click opens the meeting at its first hit."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
        Binding("g", "first", "First", show=False),
        Binding("G", "last", "Last", show=False),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.results: list[MeetingMatch] = []
        self.script: Script = "orig"

    def on_mount(self) -> None:
        self.script = follow_script(self, self.set_script)

    def _get_visual(self, option: Option) -> Visual:
        """Results are measured by what they hold, not by drawing them (PromptVisual)."""
        if option._visual is None and isinstance(option.prompt, ResultPrompt):
            option._visual = PromptVisual(self, option.prompt)
        return super()._get_visual(option)

    @on(OptionList.OptionHighlighted)
    def _post_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option.id and self.has_focus:  # not when the list follows a meeting opened elsewhere
            self.post_message(ResultHighlighted(event.option.id))

    @on(OptionList.OptionSelected)
    def _post_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.post_message(ResultSelected(event.option.id))

    def show_results(
        self,
        results: Sequence[SearchResult | MeetingMatch],
        script: Script | None = None,
        *,
        at_least: int = 0,
    ) -> None:
        matches = [as_match(r) for r in results]
        script = script or self.script
        # A keystroke that leaves the same meetings with the same hits (`hemou` → `hemoub`) shows what is
        # on screen already: its options are kept, not made, laid out and drawn again.
        same = (
            script == self.script
            and not at_least
            and self.option_count
            and shown_as(matches) == shown_as(self.results)
        )
        self.results, self.script = matches, script
        if not same:
            shown = matches[: max(BATCH, at_least + 1)]
            self.set_options(Option(result_prompt(r, script), id=r.doc_id) for r in shown)
        if matches:
            self.highlighted = 0
        self.call_after_refresh(self.show_position)

    def set_script(self, script: Script) -> None:
        highlighted = self.highlighted
        self.show_results(self.results, script, at_least=highlighted or 0)
        if highlighted is not None and highlighted < self.option_count:
            self.highlighted = highlighted

    def follow(self, doc_id: str) -> None:
        """Put the cursor on a meeting opened elsewhere (], n, or a report of it), adding batches until
        it is shown."""
        index = next(
            (i for i, m in enumerate(self.results) if any(r.doc_id == doc_id for r in m.reports)), None
        )
        if index is None:
            return
        if index >= self.option_count:
            more = self.results[self.option_count : index + BATCH]
            self.add_options(Option(result_prompt(r, self.script), id=r.doc_id) for r in more)
        self.highlighted = index

    def watch_highlighted(self, highlighted: int | None) -> None:
        """Add the next batch when the cursor comes near the end of what is shown."""
        super().watch_highlighted(highlighted)
        shown = self.option_count
        if highlighted is not None and highlighted >= shown - 3 and shown < len(self.results):
            more = self.results[shown : shown + BATCH]
            self.add_options(Option(result_prompt(r, self.script), id=r.doc_id) for r in more)

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        self.show_position()

    def on_resize(self) -> None:
        self.call_after_refresh(self.show_position)

    def show_position(self) -> None:
        """Which results are in view, of how many, and whether more lie above or below: the border
        under the list says so, as a scrollbar does where colours show."""
        self.border_subtitle = self.position_text()

    def position_text(self) -> str:
        lines = self._lines
        if not self.results or not lines:
            return ""
        top = min(int(self.scroll_y), len(lines) - 1)
        bottom = min(top + max(self.scrollable_content_region.height, 1) - 1, len(lines) - 1)
        first, last = lines[top][0], lines[bottom][0]
        if lines[bottom][1] + 1 < self._heights.get(last, 1):
            last -= 1  # a result cut off at the bottom is not yet shown
        last = max(last, first)
        above = "↑ " if first > 0 else ""
        below = " ↓" if last + 1 < len(self.results) else ""
        return f"{above}{first + 1}–{last + 1} / {len(self.results)}{below}"

    def action_last(self) -> None:
        """G: the last result, however many are not shown yet."""
        if len(self.results) > self.option_count:
            rest = self.results[self.option_count :]
            self.add_options(Option(result_prompt(r, self.script), id=r.doc_id) for r in rest)
        super().action_last()
