"""The raw view keeps in step with the cleaned text: places map by the characters that follow them."""

from __future__ import annotations

from helpers import seed_documents

from tui.align import corresponding, ideographs


def test_a_place_maps_across_cleaning_and_back() -> None:
    raw = "• 我的订阅\n• 国内\n\n会议召开,双方交流合作。\n会议强调,要深化团结。\n责任编辑:某某"
    clean = "会议召开，双方交流合作。\n会议强调，要深化团结。"
    at = clean.index("会议强调")
    there = corresponding(clean, raw, at)
    assert there == raw.index("会议强调")
    assert corresponding(raw, clean, there) == at
    assert corresponding(raw, clean, raw.index("我的订阅")) is None  # a menu cleaning dropped


def test_a_repeated_phrase_maps_to_the_nearest_occurrence() -> None:
    body = "甲乙丙丁戊己庚辛"
    raw = "菜单菜单\n" + body + "，中间的话很多很多很多。\n" + body
    clean = body + "，中间的话很多很多很多。\n" + body
    assert corresponding(clean, raw, clean.rindex(body)) == raw.rindex(body)
    assert corresponding(clean, raw, 0) == raw.index(body)


def test_seed_paragraphs_map_into_their_raw_text() -> None:
    for doc in seed_documents():
        mapped = 0
        paragraphs = [p for p in doc.text.split("\n") if len(ideographs(p)[0]) >= 12]
        for paragraph in paragraphs:
            there = corresponding(doc.text, doc.raw, doc.text.index(paragraph))
            if there is not None:
                assert ideographs(doc.raw[there : there + 40])[0][:6] == ideographs(paragraph)[0][:6]
                mapped += 1
        assert mapped >= len(paragraphs) * 0.8, doc.paths
