"""Every message the browser posts, in one module (as Textualize's toolong does).

A widget says what happened in the domain's words (a meeting was highlighted, a search was answered)
and the screen decides what follows, so no widget reaches into another and the screen never reads a
widget's data to learn what the user meant.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from textual.message import Message

from store import Document, SearchAnswer

# -- the user chose something ---------------------------------------------------------------------


@dataclass
class MeetingHighlighted(Message):
    """The tree's cursor came to rest on a meeting: preview it."""

    doc_id: str


@dataclass
class MeetingSelected(Message):
    """Enter or a click on a meeting in the tree: open it and read."""

    doc_id: str


@dataclass
class ResultHighlighted(Message):
    """The cursor moved in the result list while the list has the focus: preview that meeting."""

    doc_id: str


@dataclass
class ResultSelected(Message):
    """Enter or a click on a result: open the meeting at its first hit."""

    doc_id: str


@dataclass
class SearchCleared(Message):
    """The search bar was emptied: back to browsing."""


@dataclass
class FindMarked(Message):
    """The find's matches in the open text changed (typed, cleared)."""


@dataclass
class FindToggled(Message):
    """The find bar took the search bar's place, or gave it back: other keys apply."""


@dataclass
class Notice(Message):
    """Something for the status line to say (a damaged text, a wrap-around)."""

    text: str


# -- work done off the event loop ---------------------------------------------------------------


@dataclass
class SearchDone(Message):
    answer: SearchAnswer
    scope: str | None
    seconds: float  # in the worker, for the typing benchmark


@dataclass
class SearchFailed(Message):
    query: str
    scope: str | None
    error: str


@dataclass
class IndexReady(Message):
    state: str  # "ready", or "unavailable: why"


@dataclass
class CorpusLoaded(Message):
    """A big store's documents and tree, read in a worker after the first frame."""

    docs: list[Document]
    roots: list[Any]
    places: dict[str, Any]
    meetings: list[Any] = field(default_factory=list)  # store.Meeting


@dataclass
class StoreChanged(Message):
    """Another process replaced the store file."""

    fresh: Any  # a Corpus, or None when it could not be read
    new: int
    error: str = ""


# -- the people, partnerships and timeline views ------------------------------------------------------


@dataclass
class ViewMeetingChosen(Message):
    """Enter on a meeting in a view's list (a person's meetings, a pair's, the timeline): read it."""

    doc_id: str


@dataclass
class PairHighlighted(Message):
    """The partnership map's cursor came to a cell: the two provinces (the same one on the diagonal)."""

    provinces: tuple[str, str]


@dataclass
class PairChosen(Message):
    """Enter on a cell of the partnership map: list the meetings both took part in."""

    provinces: tuple[str, str]


@dataclass
class OfficialChosen(Message):
    """A click on an official's name in a meeting's header, or Enter on it: open their card."""

    name: str  # as the header has it (the meeting's folded name, or the report's as written)


@dataclass
class PersonChosen(Message):
    """Enter or a click on a person in the people view: open their card."""

    person: Any  # store.Official
