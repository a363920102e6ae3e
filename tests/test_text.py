"""Decoding, cleaning, script detection and terminal safety, on the seeds and on bytes made from them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from helpers import SEED_SCRIPTS
from hypothesis import given, settings
from hypothesis import strategies as st

from store.corpus import bundled_seeds
from store.text.clean import clean_text, detect_script, fullwidth_punctuation, strip_pinyin_annotations
from store.text.decode import MAX_FILE_BYTES, SourceError, decode_bytes, read_source
from store.text.safe import strip_controls, terminal_safe
from store.text.script import to_simplified, to_traditional

SEEDS = {p.name[:3]: p.read_text(encoding="utf-8") for p in sorted(bundled_seeds().glob("*.txt"))}
CLEAN = {key: clean_text(raw) for key, raw in SEEDS.items()}
PINYIN = re.compile(r"(?<=[\u4e00-\u9fff])\([a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ][a-zü]*\)")


# -- decoding ------------------------------------------------------------------------------------


@pytest.mark.parametrize("key", sorted(SEEDS))
@pytest.mark.parametrize("encoding", ["gbk", "gb18030"])
def test_gb_bytes_decode_to_the_same_text(key: str, encoding: str) -> None:
    text = CLEAN[key]
    if encoding == "gbk":
        text = text.encode("gbk", errors="ignore").decode("gbk")
    assert decode_bytes(text.encode(encoding)) == (text, "gb18030")


@pytest.mark.parametrize("key", sorted(SEEDS))
@pytest.mark.parametrize("encoding", ["big5", "cp950", "big5hkscs"])
def test_big5_bytes_decode_to_the_same_text(key: str, encoding: str) -> None:
    data = to_traditional(CLEAN[key]).encode(encoding, errors="ignore")
    text, found = decode_bytes(data)
    assert text == data.decode(encoding)
    assert found in {"big5", "big5hkscs"}


def test_short_big5_and_gbk_words_are_told_apart() -> None:
    assert decode_bytes("西藏".encode("big5")) == ("西藏", "big5")
    assert decode_bytes("西藏".encode("gbk")) == ("西藏", "gb18030")
    assert decode_bytes("甘肅省與青海省召開聯席會議。".encode("big5"))[1] == "big5"


@pytest.mark.parametrize(
    ("prefix", "encoding", "expected"),
    [
        (b"\xef\xbb\xbf", "utf-8", "utf-8"),
        (b"\xff\xfe", "utf-16-le", "utf-16"),
        (b"\xfe\xff", "utf-16-be", "utf-16"),
        (b"", "utf-8", "utf-8"),
    ],
)
def test_unicode_with_and_without_bom(prefix: bytes, encoding: str, expected: str) -> None:
    text = SEEDS["004"]
    decoded, found = decode_bytes(prefix + text.encode(encoding))
    assert (decoded, found) == (text, expected)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"\x00\x01\x02PNG\x00" * 100, "binary"),
        (bytes(range(0x80, 0x100)) * 20, "undecodable"),
        (b"\xff\xfe\x00\xd8", "undecodable"),  # a UTF-16 mark over a lone surrogate
        (bytes(range(1, 32)) * 40, "binary"),
    ],
)
def test_bytes_that_are_not_text_are_refused(data: bytes, reason: str) -> None:
    with pytest.raises(SourceError, match=reason):
        decode_bytes(data)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=600))
def test_any_bytes_decode_or_are_refused_with_a_reason(data: bytes) -> None:
    try:
        text, _ = decode_bytes(data)
    except SourceError as exc:
        assert str(exc)
    else:
        assert isinstance(text, str)
        text.encode("utf-8")  # never a lone surrogate


@settings(max_examples=200, deadline=None)
@given(st.text(st.characters(codec="utf-8", exclude_categories=("Cc", "Cs")), min_size=1))
def test_utf8_text_round_trips(text: str) -> None:
    assert decode_bytes(text.encode("utf-8")) == (text, "utf-8")


def test_read_source_refuses_bad_files_without_reading_them(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.txt").write_text(" \n\t\n", encoding="utf-8")
    with open(tmp_path / "huge.txt", "wb") as handle:
        handle.truncate(MAX_FILE_BYTES + 1)
    (tmp_path / "dangling.txt").symlink_to(tmp_path / "gone.txt")
    (tmp_path / "folder.txt").mkdir()
    expected = {
        "empty.txt": "empty",
        "blank.txt": "no text",
        "huge.txt": "too large",
        "dangling.txt": "cannot read",
        "folder.txt": "not a regular file",
    }
    for name, reason in expected.items():
        with pytest.raises(SourceError, match=reason):
            read_source(tmp_path / name)


def test_read_source_keeps_the_raw_text_exactly(tmp_path: Path) -> None:
    path = tmp_path / "r.txt"
    path.write_bytes(SEEDS["000"].encode("gb18030"))
    source = read_source(path)
    assert source.raw == SEEDS["000"] and source.encoding == "gb18030"


# -- pinyin annotations ----------------------------------------------------------------------------


def test_seed_000_loses_all_236_pinyin_annotations() -> None:
    assert len(PINYIN.findall(SEEDS["000"])) == 236
    assert not PINYIN.search(CLEAN["000"])
    assert "民族團結進步" in CLEAN["000"] and "九縣(區)" in CLEAN["000"]


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("團(tuán)結(jié)", "團結"),
        ("九縣(區(qū))", "九縣(區)"),
        ("團(tuán)(tuán)", "團"),
        ("州(市)", "州(市)"),
        ("部门(单位)", "部门(单位)"),
        ("(赵小春报道)", "(赵小春报道)"),
        ("第一条(a)款", "第一条(a)款"),
        ("小程序(app)", "小程序(app)"),
        ("WTO(wtó)", "WTO(wtó)"),  # not after a Han character
        ("团结(xyzā)", "团结(xyzā)"),  # toned, but not a syllable
        ("团结 (tuán)", "团结 (tuán)"),  # a space between: not the artifact
        ("标(biāo)准(zhǔn)化(huà)的(de)", "标准化的"),  # neutral tone counts once the text is annotated
        ("我的(de)", "我的(de)"),  # …but not on its own
    ],
)
def test_pinyin_near_misses(before: str, after: str) -> None:
    assert strip_pinyin_annotations(before) == after


# -- chrome and layout -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "gone", "kept"),
    [
        ("002", ["主办单位", "承办单位", "网站标识码", " |"], ["杨海林参加。", "共续津甘山海情"]),
        (
            "003",
            ["•", "我的订阅", "类别", "快照", "td.fyun.cc", "微视频", "2024-04-26", "更多关于"],
            ["发布时间:2024-05-18 05:26:00", "来源：四川日报", "负责同志参加相关活动。"],
        ),
        ("004", ["掃碼關注", "掃一掃"], ["郎福寬參加有關活動", "(記者 周琳/文 肖春道/圖)"]),
        ("001", [], ["(赵小春报道)", "州(市)长会议结束后合影留念"]),
    ],
)
def test_site_chrome_is_stripped_and_the_report_kept(key: str, gone: list[str], kept: list[str]) -> None:
    for text in gone:
        assert text not in CLEAN[key], text
    for text in kept:
        assert text in CLEAN[key], text


def test_repeated_captions_collapse_to_one() -> None:
    assert SEEDS["001"].count("分别进行交流发言") == 5
    assert CLEAN["001"].count("分别进行交流发言") == 1
    assert CLEAN["001"].count("联席会议现场") == 1


def test_whitespace_and_newlines_are_normalised() -> None:
    raw = "\u3000\u3000标题\r\n\r\n\r\n正文  第一段\t尾\r第二段\u200b。\x07\n"
    assert clean_text(raw) == "标题\n正文 第一段 尾\n第二段。"


def test_ascii_punctuation_between_han_becomes_full_width() -> None:
    assert fullwidth_punctuation("会上,双方:发展;好吗?好!") == "会上，双方：发展；好吗？好！"
    assert fullwidth_punctuation("时间:2024-05-18 05:26:00") == "时间:2024-05-18 05:26:00"
    assert fullwidth_punctuation("a,b c:d") == "a,b c:d"


@pytest.mark.parametrize("key", sorted(SEEDS))
def test_cleaning_is_idempotent_on_the_seeds(key: str) -> None:
    assert clean_text(CLEAN[key]) == CLEAN[key]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="团結區州市(tuánjiéqū)a ,:;?!|\n\u3000•类别发布时间", max_size=80))
def test_cleaning_is_idempotent(raw: str) -> None:
    once = clean_text(raw)
    assert clean_text(once) == once


def test_html_pages_become_their_visible_text() -> None:
    page = (
        "<!DOCTYPE html><html><head><title>t</title><script>var x='甘肃';</script></head>"
        "<body><nav>首页 新闻</nav><h1>川藏合作座谈会</h1><p>5月17日,座谈会在拉萨举行。</p>"
        "<p>四川&amp;西藏</p><footer>版权所有</footer></body></html>"
    )
    assert clean_text(page) == "川藏合作座谈会\n5月17日，座谈会在拉萨举行。\n四川&西藏"


# -- script detection ------------------------------------------------------------------------------


def test_script_of_each_seed() -> None:
    assert {key: detect_script(text) for key, text in CLEAN.items()} == SEED_SCRIPTS


def test_mixed_and_textless_documents() -> None:
    half = to_simplified(CLEAN["004"][:400]) + to_traditional(CLEAN["001"][:400])
    assert detect_script(half) == "mixed"
    assert detect_script("Report 2024, no Hanzi.") == "none"


# -- terminal safety -------------------------------------------------------------------------------


def test_escape_sequences_are_removed_and_text_kept() -> None:
    evil = "甘肃\x1b]52;c;cHduZWQ=\x07代表团\x1b[2J考察\x9b31m西藏\u202e。\n下一行\x1bP1$qm\x1b\\"
    assert strip_controls(evil) == "甘肃代表团考察西藏。\n下一行"


def test_terminal_safe_shows_what_it_escapes_as_cat_v_does() -> None:
    """Shown, not dropped: a hostile name or a raw text is seen for what it is, and cannot act."""
    evil = "甘肃\x1b]52;c;cHduZWQ=\x07代表团\u202e西藏\u200b。\r\n下一行\x9b31m\x7f"
    assert terminal_safe(evil) == "甘肃^[]52;c;cHduZWQ=^G代表团<U+202E>西藏<U+200B>。\n下一行<U+009B>31m^?"
    assert terminal_safe("/d/bad\udcff\udcfename.txt") == "/d/bad\\xff\\xfename.txt"  # os.fsdecode's form
    same = terminal_safe(evil, same_length=True)
    assert len(same) == len(evil) and same.startswith("甘肃\ufffd]52;c;")


UNSAFE = re.compile(
    r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200b-\u200f\ufeff\ud800-\udfff]"
)


@pytest.mark.parametrize(
    "stray",
    ["\x90", "\x9d", "\x98", "\x9e", "\x9f", "\x1b]", "\x1bP", "\x1b]0;", "\x1bP1$q", "\x1b_", "\x1b["],
)
def test_an_unterminated_sequence_ends_at_the_line_end_and_the_text_after_it_is_kept(stray: str) -> None:
    """One stray control once swallowed everything after it: a 2,674-character report came out as 799."""
    report = "\n".join(CLEAN["001"].splitlines()[:12])
    middle = report.index("\n", len(report) // 2)
    broken = report[:middle] + stray + report[middle:]
    assert strip_controls(broken) == report
    one_line = "甘肃代表团" + stray + "赴西藏考察。"
    assert strip_controls(one_line) == "甘肃代表团赴西藏考察。"
    cleaned = clean_text(f"第一段。\n甘肃代表团{stray}赴西藏考察。\n第三段。")
    assert cleaned == "第一段。\n甘肃代表团赴西藏考察。\n第三段。"


_ORDINARY = st.text(
    alphabet=st.sampled_from("甘肃西藏代表团考察会议，。、abcXYZ019 ;:[]()?!#$%&=@~"), max_size=20
).map(lambda s: "阅" + s)  # starts with Hanzi: no ASCII byte of it can be read as a sequence's final byte
_JUNK = st.sampled_from(
    [
        "\x90",
        "\x9b",
        "\x9c",
        "\x9d",
        "\x98",
        "\x9e",
        "\x9f",
        "\x07",
        "\x00",
        "\x1b",
        "\x7f",
        "\x1b]",
        "\x1bP",
        "\x1bX",
        "\x1b^",
        "\x1b_",
        "\x1b[",
        "\x1b]0;",
        "\x1bP1$q",
        "\x1b]8;;",
        "\x1b]52;c;cHduZWQ=\x07",
        "\x1b]0;title\x1b\\",
        "\x1bP1$qm\x1b\\",
        "\x1b[2J",
        "\x1b[31;1m",
        "\x9b31m",
        "\x9d0;t\x9c",
        "\x1b(B",
        "\x1b7",
        "\u202e",
        "\u2066",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(_JUNK, _ORDINARY), max_size=8))
def test_stripping_removes_only_controls_and_well_formed_sequences(pieces: list[tuple[str, str]]) -> None:
    """Ordinary Hanzi and ASCII text outside a well-formed sequence is never removed, whatever stray
    controls and broken sequences sit between the pieces of it."""
    text = "".join(junk + ordinary for junk, ordinary in pieces)
    assert strip_controls(text) == "".join(ordinary for _, ordinary in pieces)


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_nothing_that_controls_a_terminal_survives(text: str) -> None:
    assert not UNSAFE.search(terminal_safe(text))
    assert not UNSAFE.search(terminal_safe(text, same_length=True))


@pytest.mark.parametrize("key", sorted(SEEDS))
@pytest.mark.parametrize("convert", [to_traditional, to_simplified])
def test_cleaning_is_blind_to_script(key: str, convert) -> None:  # type: ignore[no-untyped-def]
    """A report reposted in the other script cleans to the same text in that script (s2t turns the
    navigation bullet • into ‧, which once kept 我的訂閱 as a Big5 copy's headline)."""
    assert clean_text(convert(SEEDS[key])) == convert(CLEAN[key])


def test_a_navigation_line_with_a_trailing_bar_is_chrome_at_once() -> None:
    """Found by the idempotence property: judged with its bar, `•…|` was kept, then lost to a second
    cleaning once the bar was gone."""
    assert clean_text("报道正文。\n•::::::::::::|\n• 我的订阅 |") == "报道正文。"


@settings(max_examples=300, deadline=None)
@given(
    text=st.text(alphabet=st.characters(exclude_categories=()), max_size=200),
    other=st.text(alphabet=st.characters(exclude_categories=()), max_size=200),
    repeat=st.integers(1, 3),
)
def test_characters_changed_are_counted_as_one_comparison_each_would(
    text: str, other: str, repeat: int
) -> None:
    """conversion_counts compares code points in arrays (detect_script runs on every imported report);
    any strings, lone surrogates too, of any lengths, give the count of comparing them one by one."""
    from store.text.script import _changed

    text, other = text * repeat * 20, other * repeat * 20
    assert _changed(text, other) == sum(map(str.__ne__, text, other))
    mixed = text[: len(text) // 2] + other
    assert _changed(mixed, mixed[::-1]) == sum(map(str.__ne__, mixed, mixed[::-1]))


def test_script_detection_counts_on_reports_as_before() -> None:
    from store.text.script import conversion_counts, converter, fold

    for text in [
        "國務院關於加強對口支援工作的意見" * 9,
        "国务院关于加强对口支援工作的意见" * 9,
        "甘肅与青海" * 30,
    ]:
        expected = (
            sum(map(str.__ne__, text, fold(text))),
            sum(map(str.__ne__, text, converter("s2t").convert(text))),
        )
        assert conversion_counts(text) == expected
