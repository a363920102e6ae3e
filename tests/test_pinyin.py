"""Pinyin lookup: full pinyin and initials, every reading of heteronyms, main readings first."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from store.search.pinyin import PinyinLexicon, keys_of, normalise, word_readings

WORDS = ["何谋保", "碌曲", "西藏", "昌都", "川藏", "长治", "重庆", "女子", "合作", "何谋"]


@pytest.fixture(scope="module")
def lexicon() -> PinyinLexicon:
    return PinyinLexicon.build(WORDS)


@pytest.mark.parametrize(
    ("typed", "word"),
    [
        ("hemoubao", "何谋保"),
        ("hmb", "何谋保"),
        ("luqu", "碌曲"),
        ("lq", "碌曲"),
        ("xizang", "西藏"),
        ("HeMouBao", "何谋保"),
    ],
)
def test_full_pinyin_and_initials(lexicon: PinyinLexicon, typed: str, word: str) -> None:
    assert word in [m.word for m in lexicon.lookup(typed)]


def test_every_reading_of_a_heteronym_is_indexed(lexicon: PinyinLexicon) -> None:
    # 都 is du in 昌都, dou by default; 藏 zang/cang; 长 chang/zhang; 重 chong/zhong
    for typed, word in [
        ("changdu", "昌都"),
        ("changdou", "昌都"),
        ("chuanzang", "川藏"),
        ("chuancang", "川藏"),
        ("changzhi", "长治"),
        ("zhangzhi", "长治"),
        ("chongqing", "重庆"),
        ("zhongqing", "重庆"),
    ]:
        assert word in [m.word for m in lexicon.lookup(typed)], typed


def test_main_readings_rank_first() -> None:
    lexicon = PinyinLexicon.build(["西藏", "西仓"])  # xizang / xicang; 藏 reads cang as well
    found = lexicon.lookup("xicang")
    assert [m.word for m in found] == ["西仓", "西藏"]
    assert found[0].main and not found[1].main


def test_initials_collide_and_a_word_holding_a_better_one_is_left_out(lexicon: PinyinLexicon) -> None:
    assert [m.word for m in lexicon.lookup("hm")] == ["何谋"]  # 何谋保 would find nothing more
    assert lexicon.lookup("hmbx") == []


def test_v_and_u_both_spell_u_umlaut(lexicon: PinyinLexicon) -> None:
    assert [m.word for m in lexicon.lookup("nvzi")] == [m.word for m in lexicon.lookup("nuzi")] == ["女子"]


def test_only_hanzi_words_enter_the_lexicon() -> None:
    lexicon = PinyinLexicon.build(["hello", "藏", "G20峰会", "西藏"])
    assert list(lexicon.readings) == ["西藏"]


def test_json_round_trip(lexicon: PinyinLexicon) -> None:
    again = PinyinLexicon.from_json(lexicon.to_json())
    assert again.lookup("hmb") == lexicon.lookup("hmb")
    with pytest.raises(ValueError):
        PinyinLexicon.from_json(["not", "a", "mapping"])  # type: ignore[arg-type]


@given(st.text(alphabet="何谋保碌曲西藏昌都长重", min_size=2, max_size=5))
def test_each_reading_spells_the_word(word: str) -> None:
    lexicon = PinyinLexicon.build([word])
    readings = word_readings(word)
    assert readings
    for reading in readings:
        assert len(reading) == len(word)
        for key in keys_of(reading):
            assert word in [m.word for m in lexicon.lookup(key)]


def test_normalise() -> None:
    assert normalise("Xi'An") == "xian"
    assert normalise("nü") == "nv"


# -- typing: every keystroke finds something ---------------------------------------------------------


def test_every_keystroke_of_a_name_finds_it() -> None:
    lexicon = PinyinLexicon.build(["何谋保", "合作", "和睦", "西藏", "碌曲", "黄河"])
    for end in range(1, len("hemoubao") + 1):
        typed = "hemoubao"[:end]
        assert "何谋保" in [m.word for m in lexicon.lookup(typed)], typed


@pytest.mark.parametrize(
    ("typed", "first"),
    [
        ("hemou", "何谋保"),  # the last syllable not typed at all
        ("hemoub", "何谋保"),
        ("xiz", "西藏"),  # the last syllable begun
        ("luq", "碌曲"),
        ("hemb", "何谋保"),  # whole syllables and initials mixed
        ("xzang", "西藏"),
        ("hmbao", "何谋保"),
        ("zhq", "重庆"),  # zh, ch, sh are initials too (重 reads zhong as well)
        ("nvz", "女子"),
        ("nuz", "女子"),
    ],
)
def test_a_begun_or_mixed_spelling_ranks_the_expected_word_first(typed: str, first: str) -> None:
    lexicon = PinyinLexicon.build(["何谋保", "合作", "和睦", "喜事", "西藏", "碌曲", "路桥", "重庆", "女子"])
    assert lexicon.lookup(typed)[0].word == first, [m.word for m in lexicon.lookup(typed)]


def test_a_word_typed_to_its_end_ranks_before_a_word_only_begun() -> None:
    lexicon = PinyinLexicon.build(["合作社", "何谋", "合作"])
    found = lexicon.lookup("hez")
    assert [(m.word, m.whole) for m in found] == [("合作", True)]  # 合作社 holds 合作: left out
    assert [(m.word, m.whole) for m in lexicon.lookup("he")] == [("何谋", False), ("合作", False)]


def test_among_equal_spellings_the_more_frequent_word_comes_first() -> None:
    # xiz spells 西周 and 西藏 alike; the corpus names 西藏 more often
    assert [m.word for m in PinyinLexicon.build(["西周", "西藏", "西藏"]).lookup("xiz")] == ["西藏", "西周"]
    assert [m.word for m in PinyinLexicon.build(["西周", "西藏"]).lookup("xiz")] == ["西周", "西藏"]


def test_the_main_reading_outranks_an_abbreviated_other_reading() -> None:
    lexicon = PinyinLexicon.build(["感恩", "合作"])  # 感 also reads han: h + e would spell han en
    assert lexicon.lookup("he")[0].word == "合作"


def test_limit_keeps_the_best() -> None:
    lexicon = PinyinLexicon.build(["何谋保", "合作", "和睦", "黄河", "海南", "湖北", "河北", "华为"])
    everything = lexicon.lookup("h")
    assert len(everything) == 8
    assert lexicon.lookup("h", limit=3) == everything[:3]


def test_what_cannot_be_pinyin_finds_nothing(lexicon: PinyinLexicon) -> None:
    for typed in ("", "x1", "何", "hemoubaox", "iou", "-"):
        assert lexicon.lookup(typed) == [], typed


@given(
    st.text(alphabet="何谋保碌曲西藏昌都长重女", min_size=2, max_size=5),
    st.lists(st.booleans(), min_size=5, max_size=5),
    st.integers(min_value=1, max_value=30),
)
def test_any_mix_of_syllables_and_initials_cut_anywhere_spells_the_word(
    word: str, whole: list[bool], cut: int
) -> None:
    lexicon = PinyinLexicon.build([word])
    for reading in word_readings(word):
        typed = "".join(s if keep else s[0] for s, keep in zip(reading, whole, strict=False))
        typed = typed[: max(1, min(cut, len(typed)))]
        assert word in [m.word for m in lexicon.lookup(typed)], (reading, typed)


def test_a_syllable_typed_whole_outranks_one_only_begun_however_frequent() -> None:
    lexicon = PinyinLexicon.build(["交流", "交流", "建设", "建设", "机制"])  # jiao, jian begin with ji
    assert [m.word for m in lexicon.lookup("ji")] == ["机制", "交流", "建设"]
    assert [m.word for m in lexicon.lookup("ji", limit=1)] == ["机制"]


def test_a_vague_term_is_searched_as_few_begun_words() -> None:
    from store.search.index import MAX_BEGUN_WORDS, _pinyin_forms

    words = ["机制", "积极", "基层", "基础", "技术", "记者", "寄语", "集体", "纪律", "计划", "继续", "季节"]
    lexicon = PinyinLexicon.build([*words, "精神"])
    assert len(lexicon.lookup("ji")) == 13
    forms = _pinyin_forms(lexicon, "ji")
    assert [w for w, _ in forms] == [m.word for m in lexicon.lookup("ji")][:MAX_BEGUN_WORDS]
    assert len(_pinyin_forms(PinyinLexicon.build(["机制", "积极"]), "jiji")) == 1  # whole: weight 1
    assert _pinyin_forms(PinyinLexicon.build(["机制"]), "jizhi") == [("机制", 1.0)]


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz'ü", max_size=24), st.integers(min_value=1, max_value=5))
def test_any_letters_look_up_without_error_and_within_the_limit(typed: str, limit: int) -> None:
    lexicon = PinyinLexicon.build(WORDS)
    found = lexicon.lookup(typed, limit=limit)
    assert len(found) <= limit
    assert [m.word for m in found] == [m.word for m in lexicon.lookup(typed)][: len(found)]
