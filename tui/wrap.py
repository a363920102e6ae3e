"""Line wrapping for Chinese text in a terminal: cells, not characters, and the kinsoku rules.

A CJK ideograph is one character but two cells, so widths come from `rich.cells.cell_len`. Chinese
typography forbids a line that begins with closing punctuation (。，、；：？！）」』”) or ends with
opening punctuation (（「『“); the wrapper moves a break back a character or two to honour that.
Lines are returned as (start, end) offsets into the text, so highlights found as character offsets in
`Document.text` land on the right cells in every script (t2s/s2t keep positions).
"""

from __future__ import annotations

from rich.cells import cell_len

NO_LINE_START = frozenset("。，、；：？！）」』”〕】》〉.,;:?!)]}’…·")
NO_LINE_END = frozenset("（「『“〔【《〈([{‘")
# How far a break may move back to satisfy kinsoku before the rule gives way to the width.
MAX_BACKTRACK = 4


def char_cells(ch: str) -> int:
    """Cells one character takes; control characters are drawn as nothing and never counted."""
    return cell_len(ch)


def _is_word_char(ch: str) -> bool:
    """Latin letters and digits, which should not be split mid-word where it can be avoided."""
    return ch.isascii() and (ch.isalnum() or ch in "-_./%")


def _kinsoku_ok(text: str, start: int, brk: int) -> bool:
    """No line may begin with closing punctuation or end with opening punctuation."""
    if brk <= start:
        return False
    if brk < len(text) and text[brk] in NO_LINE_START:
        return False
    return text[brk - 1] not in NO_LINE_END


def _splits_word(text: str, brk: int) -> bool:
    return brk < len(text) and _is_word_char(text[brk]) and _is_word_char(text[brk - 1])


def _choose_break(text: str, start: int, limit: int) -> int:
    """The best break at or before `limit` (the first character that would overflow).

    First choice keeps both kinsoku and Latin words whole; second keeps kinsoku only; when neither is
    possible within reach, the width wins (a line never overflows the pane).
    """
    if _kinsoku_ok(text, start, limit) and not _splits_word(text, limit):
        return limit
    if _splits_word(text, limit):
        back = limit
        while back > start and _is_word_char(text[back - 1]):
            back -= 1
        if _kinsoku_ok(text, start, back):
            return back
    lowest = max(start + 1, limit - MAX_BACKTRACK)
    for back in range(limit, lowest - 1, -1):
        if _kinsoku_ok(text, start, back):
            return back
    return limit


def wrap_paragraph(text: str, width: int, offset: int = 0) -> list[tuple[int, int]]:
    """Break one paragraph (no newlines) into lines of at most `width` cells, as offsets.

    An empty paragraph is one empty line, so blank lines between paragraphs survive.
    """
    width = max(width, 2)
    if not text:
        return [(offset, offset)]
    lines: list[tuple[int, int]] = []
    start = 0
    n = len(text)
    while start < n:
        used = 0
        pos = start
        while pos < n and used + char_cells(text[pos]) <= width:
            used += char_cells(text[pos])
            pos += 1
        if pos == start:  # a character wider than the line: give it a line of its own
            pos = start + 1
        elif pos < n:
            pos = _choose_break(text, start, pos)
        lines.append((offset + start, offset + pos))
        start = pos
    return lines


def wrap_text(text: str, width: int) -> list[tuple[int, int]]:
    """Every display line of `text` (paragraphs split on newlines) as (start, end) character offsets."""
    lines: list[tuple[int, int]] = []
    start = 0
    for paragraph in text.split("\n"):
        lines.extend(wrap_paragraph(paragraph, width, start))
        start += len(paragraph) + 1
    return lines


def wrap_lines(text: str, width: int) -> list[str]:
    """The wrapped lines themselves, for callers that only draw."""
    return [text[s:e] for s, e in wrap_text(text, width)]


def text_cells(text: str) -> int:
    """Cells a line of text takes on a terminal (an ideograph two, a Latin letter one)."""
    return cell_len(text)


def pad_cells(text: str, width: int) -> str:
    """`text` with spaces after it up to `width` cells: columns that line up under CJK."""
    return text + " " * max(0, width - cell_len(text))


def cut_cells(text: str, width: int, ellipsis: str = "…") -> str:
    """`text` cut to at most `width` cells, ending in `ellipsis` when something was cut."""
    if cell_len(text) <= width:
        return text
    room = width - cell_len(ellipsis)
    used, end = 0, 0
    while end < len(text) and used + char_cells(text[end]) <= room:
        used += char_cells(text[end])
        end += 1
    return text[:end] + ellipsis if room >= 0 else ""
def fit_window(text: str, start: int, end: int, width: int) -> tuple[int, int]:
    """The slice of `text` to show in `width` cells around text[start:end] (a hit), as (first, last).

    The hit stays whole and as near the middle as the text allows: context is added a character at a
    time to whichever side has fewer cells so far, and a side that runs out leaves its room to the
    other. One cell is kept for an ellipsis on each side that is cut. A hit wider than `width` keeps
    its beginning.
    """
    length = len(text)

    def cells(first: int, last: int) -> int:
        return cell_len(text[first:last]) + (first > 0) + (last < length)

    if cells(start, end) > width:
        last = start
        while last < end and cells(start, last + 1) <= width:
            last += 1
        return start, last
    first, last = start, end
    left = right = 0
    while True:
        sides = sorted(("left", "right"), key=lambda side: left if side == "left" else right)
        grown = False
        for side in sides:
            if side == "left" and first > 0 and cells(first - 1, last) <= width:
                first -= 1
                left += char_cells(text[first])
                grown = True
                break
            if side == "right" and last < length and cells(first, last + 1) <= width:
                last += 1
                right += char_cells(text[last - 1])
                grown = True
                break
        if not grown:
            return first, last
