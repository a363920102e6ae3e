"""What each report of a meeting adds: the sentences no other report of it carries (issue 13)."""

from __future__ import annotations

import random

from helpers import SEED_MEETING, near_copies
from hypothesis import given, settings
from hypothesis import strategies as st

from store import added_sentences, sentence_count
from store.corpus import bundled_seeds
from store.text.clean import clean_text
from store.text.decode import read_source
from store.text.script import to_traditional


def seed_report() -> str:
    return clean_text(read_source(next(bundled_seeds().glob(f"{SEED_MEETING}_*.txt"))).raw)


def added(text: str, others: list[str]) -> list[str]:
    return [text[s.start : s.end] for s in added_sentences(text, others)]


def test_a_repost_adds_only_its_own_lines_whatever_its_script() -> None:
    seed = seed_report()
    copies = {name: clean_text(text) for name, text in near_copies(seed).items()}
    repost, wire = copies["001-repost.txt"], copies["001-wire.txt"]
    assert added(repost, [seed, wire]) == ["會議期間，與會代表還實地觀摩了合作市城市建設。", "來源：甘南日報"]
    assert added(wire, [seed, repost]) == [
        "甘青川滇藏五省区交界地区州市长联席会议在合作举行",
        "会议确定第九次联席会议由迪庆州承办。",
        "来源：新华网 发布时间：2024-08-09",
    ]
    # the seed carries every sentence of the wire's paragraphs; what it adds is what the wire left out
    assert 0 < len(added(seed, [wire])) < sentence_count(seed)
    assert added(seed, [repost]) == []  # the repost holds all of it, in Traditional


def test_near_identical_sentences_are_carried_and_changed_short_ones_are_not() -> None:
    other = "会议指出，要深入学习贯彻党的二十大精神，推动长三角一体化发展不断取得新成效。"
    # two characters changed in a long sentence, other punctuation, Traditional: carried
    near = "會議指出：要深入學習貫徹黨的二十大精神 推動長三角一體化發展不斷取得新的成效！"
    assert added(near, [other]) == []
    # a sentence split in two by the copy, its halves each carried
    assert added("会议指出。要深入学习贯彻党的二十大精神，推动长三角一体化发展。", [other]) == []
    # a short sentence with its one fact changed is new
    assert added("会议于8月9日召开。", ["会议于8月8日召开。"]) == ["会议于8月9日召开。"]
    # a sentence whose words all appear, but spread over a long unrelated one, is new
    assert added(
        "主题为高质量一体化。", ["会议围绕高水平科技自立自强进行讨论，明确了更高质量发展的若干重大事项。"]
    )


def test_punctuation_alone_and_empty_reports() -> None:
    assert added_sentences("", ["会议召开。"]) == []
    assert added("……\n——\n会议召开。", []) == ["会议召开。"]
    assert sentence_count("……\n——\n会议召开。") == 1


CHUNKS = [
    "会议召开",
    "甘南州",
    "团结进步",
    "發展",
    "高质量",
    "，",
    "。",
    "！",
    "\n",
    "；",
    " ",
    "8月8日",
    "合作",
]
reports = st.lists(st.sampled_from(CHUNKS), max_size=40).map("".join)


@given(reports, st.lists(reports, max_size=4))
@settings(max_examples=150, deadline=None)
def test_a_report_compared_with_itself_adds_nothing(text: str, others: list[str]) -> None:
    assert added_sentences(text, [text]) == []
    assert added_sentences(text, [*others, text]) == []
    assert added_sentences(to_traditional(text), [text]) == []


@given(reports, st.lists(reports, max_size=5), st.randoms(use_true_random=False))
@settings(max_examples=150, deadline=None)
def test_the_order_of_the_other_reports_does_not_matter(
    text: str, others: list[str], rng: random.Random
) -> None:
    shuffled = others[:]
    rng.shuffle(shuffled)
    assert added_sentences(text, others) == added_sentences(text, shuffled)


@given(reports, st.lists(reports, max_size=4))
@settings(max_examples=150, deadline=None)
def test_added_spans_are_sentences_of_the_text_and_more_others_add_less(text: str, others: list[str]) -> None:
    found = added_sentences(text, others)
    assert all(0 <= s.start < s.end <= len(text) for s in found)
    assert found == sorted(found, key=lambda s: s.start)
    assert set(added_sentences(text, [*others, "会议召开。"])) <= set(found)
    assert len(added_sentences(text, [])) == sentence_count(text)
