"""Pinyin lookup: full pinyin and initials, every reading of heteronyms, main readings first."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from store.pinyin import PinyinLexicon, keys_of, normalise, word_readings

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


def test_initials_collide_and_longer_words_come_first_among_equals(lexicon: PinyinLexicon) -> None:
    assert [m.word for m in lexicon.lookup("hm")] == ["何谋"]
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
