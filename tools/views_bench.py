"""How fast the people (p), partnerships (m) and timeline (l) views open, on a store of your choice.

    python -m tools.views_bench --db STORE [--size 80x24]

In-process and headless (Textual's Pilot), as `startup_bench --typing` is: for each key, the time from
the key to the view's first frame, to its data drawn, and the longest the event loop was held meanwhile
(a ticker every 5 ms; what a key typed then would wait). The first key of the run builds the views' data
in a worker (store.derive); the others find it built. Then, on a fresh app, it types into the people
view's search while the data is still being built, and reports the slowest keystroke. Not a test.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
import time
from pathlib import Path
from typing import Any


async def ticking(stalls: list[float]) -> None:
    last = time.perf_counter()
    while True:
        await asyncio.sleep(0.005)
        now = time.perf_counter()
        stalls.append(now - last - 0.005)
        last = now


async def settled(app: Any, pilot: Any) -> None:
    """Wait for the browser's own start-up work (the index and jieba warming in a thread) to end: typing
    measured while it runs would time that, not the views."""
    await pilot.pause()
    while app.screen.index_state not in ("ready",) and not app.screen.index_state.startswith("unavailable"):
        await asyncio.sleep(0.05)
    await app.workers.wait_for_complete()
    await pilot.pause()


async def open_view(app: Any, pilot: Any, key: str) -> tuple[float, float, float]:
    from tui.screens.view import ViewScreen

    stalls: list[float] = []
    ticker = asyncio.create_task(ticking(stalls))
    await pilot.press(key)
    screen = app.screen
    assert isinstance(screen, ViewScreen), screen
    while not screen.filled_at:
        await asyncio.sleep(0.002)
    ticker.cancel()
    await pilot.press("escape")
    await pilot.pause()
    return screen.drawn_at - screen.opened_at, screen.filled_at - screen.opened_at, max(stalls, default=0)


async def measure(store: Path, size: tuple[int, int], keys: str) -> None:
    from store import Corpus
    from tui.app import YuelanApp

    app = YuelanApp(Corpus.open(store, seed_if_new=False))
    async with app.run_test(size=size) as pilot:
        await settled(app, pilot)
        for key in keys:
            drawn, filled, stall = await open_view(app, pilot, key)
            print(
                f"{key}: first frame {drawn * 1000:.0f} ms, data drawn {filled * 1000:.0f} ms, "
                f"event loop held at most {stall * 1000:.0f} ms"
            )


def send_key(app: Any, character: str) -> None:
    """A key as the terminal driver hands it over. Not `pilot.press`: that waits until the process uses
    no CPU for a moment, which it does not while the worker builds."""
    from textual import events

    key = events.Key(character, character)
    key.set_sender(app)
    app._driver.send_message(key)


async def typing_while_building(store: Path, size: tuple[int, int]) -> None:
    from store import Corpus
    from tui.app import YuelanApp

    app = YuelanApp(Corpus.open(store, seed_if_new=False))
    async with app.run_test(size=size) as pilot:
        await settled(app, pilot)
        app.screen.action_people()  # not pilot.press: it waits until the app is idle
        await asyncio.sleep(0.05)
        screen = app.screen
        field = screen.query_one("#people-search")
        worst, typed, each = 0.0, 0, []
        for ch in "hemoubao" * 8:
            if screen.derived is not None:
                break
            started = time.perf_counter()
            send_key(app, ch)
            while not field.value.endswith(ch):
                await asyncio.sleep(0.001)
            each.append(time.perf_counter() - started)
            worst, typed = max(worst, each[-1]), typed + 1
        while not screen.filled_at:
            await asyncio.sleep(0.01)
        print(
            f"typing in the people view while its data is built: {typed} keys,"
            f" slowest {worst * 1000:.0f} ms; "
            f"data drawn {(screen.filled_at - screen.opened_at) * 1000:.0f} ms after p"
        )
        print("  each key, ms:", " ".join(f"{t * 1000:.0f}" for t in each))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", type=Path, required=True, help="the store to open")
    parser.add_argument("--size", default="80x24", help="terminal COLUMNSxROWS")
    parser.add_argument("--keys", default="lmplmp", help="views to open, in turn")
    args = parser.parse_args(argv)
    columns, rows = (int(n) for n in args.size.split("x"))
    os.environ.setdefault("YUELAN_STATE_DIR", tempfile.mkdtemp(prefix="yuelan-views-bench-"))
    print(f"load average before: {os.getloadavg()[0]:.2f}")
    asyncio.run(measure(args.db, (columns, rows), args.keys))
    asyncio.run(typing_while_building(args.db, (columns, rows)))
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
