"""CJK wrapping: cells not characters, kinsoku, offsets that cover the text exactly."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len

from store.text.script import render
from tui.wrap import NO_LINE_END, NO_LINE_START, wrap_lines, wrap_paragraph, wrap_text

HANZI = "中华人民共和国甘肃省西藏自治区团结協作發展會議"
PUNCT_CLOSE = "。，、；：？！）」』”"
PUNCT_OPEN = "（「『“"


def test_ideographs_take_two_cells() -> None:
    lines = wrap_lines("中华人民共和国", 6)
    assert lines == ["中华人", "民共和", "国"]


def test_no_line_starts_with_closing_punctuation() -> None:
    # At width 8 the naive break puts 。 at the start of the second line.
    lines = wrap_lines("甘肃西藏。团结发展", 8)
    assert all(line[0] not in NO_LINE_START for line in lines if line)
    assert "".join(lines) == "甘肃西藏。团结发展"
    assert lines[0] == "甘肃西"


def test_no_line_ends_with_opening_punctuation() -> None:
    lines = wrap_lines("甘肃西「团结」发展", 8)
    assert all(line[-1] not in NO_LINE_END for line in lines if line)
    assert lines[0] == "甘肃西"


def test_latin_words_stay_whole_where_they_fit() -> None:
    assert wrap_lines("会议 hello world", 12) == ["会议 hello ", "world"]


def test_paragraphs_and_blank_lines_keep_their_offsets() -> None:
    text = "第一段。\n\n第二段"
    spans = wrap_text(text, 20)
    assert [text[s:e] for s, e in spans] == ["第一段。", "", "第二段"]
    assert spans[2][0] == text.index("第二段")


def test_offsets_hold_in_every_script() -> None:
    text = "團結協作，共同發展。" * 3
    for script in ("orig", "simp", "trad"):
        shown = render(text, script)
        assert wrap_text(shown, 10) == wrap_text(text, 10)


def _no_punct_runs(text: str) -> bool:
    """Kinsoku can only be honoured when punctuation does not come in long runs."""
    run = 0
    for ch in text:
        run = run + 1 if ch in NO_LINE_START or ch in NO_LINE_END else 0
        if run > 2:
            return False
    return True


paragraphs = st.text(alphabet=HANZI + PUNCT_CLOSE + PUNCT_OPEN + "ab 1", max_size=200)


@settings(max_examples=300, deadline=None)
@given(paragraphs, st.integers(min_value=2, max_value=60))
def test_lines_cover_the_text_and_never_overflow(text: str, width: int) -> None:
    spans = wrap_paragraph(text, width)
    assert "".join(text[s:e] for s, e in spans) == text
    assert all(s < e for s, e in spans) or text == ""
    assert all(cell_len(text[s:e]) <= width for s, e in spans)


@settings(max_examples=300, deadline=None)
@given(paragraphs.filter(_no_punct_runs), st.integers(min_value=10, max_value=60))
def test_kinsoku_holds_when_it_can(text: str, width: int) -> None:
    lines = wrap_lines(text, width)
    # Where a paragraph itself begins or ends is the author's choice, not a break the wrapper made.
    for line in lines[1:]:
        assert line[0] not in PUNCT_CLOSE, lines
    for line in lines[:-1]:
        assert line[-1] not in PUNCT_OPEN, lines
