"""Letting a long build in a thread share the interpreter: the browser derives its views in a worker
thread, and a thread doing pure-Python work holds the GIL, so the event loop, woken for a key, waits
for it at every step that key takes. On a loaded machine the operating system then also has to schedule
the loop's thread before it can run, and a key took seconds. A build that sleeps for a moment now and
then hands the interpreter over at once and leaves the processor free for the loop."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

Item = TypeVar("Item")
Pace = Callable[[], None]
EVERY = 200  # items between two calls of `pace`: ~1 ms of the builders' work


def paced(items: Iterable[Item], pace: Pace | None, every: int = EVERY) -> Iterator[Item]:
    """The items, calling `pace` (e.g. a sleep of half a millisecond) after every `every` of them."""
    if pace is None:
        yield from items
        return
    for number, item in enumerate(items, 1):
        yield item
        if number % every == 0:
            pace()
