"""The query language: terms, phrases, exclusions, filters, clear errors; and regional expansion."""

from __future__ import annotations

import pytest

from store.search.query import QueryError, Term, expansions, parse, term_forms


def test_terms_are_split_on_any_space_and_anded() -> None:
    query = parse("团结  进步\u3000援藏")
    assert [t.text for t in query.terms] == ["团结", "进步", "援藏"]
    assert all(not t.negated and not t.phrase for t in query.terms)


def test_phrases_keep_their_spaces_and_exclusions_are_marked() -> None:
    query = parse('"对口 援藏" -旅游 -"白龙 江"')
    assert query.terms == (
        Term("对口 援藏", phrase=True),
        Term("旅游", negated=True),
        Term("白龙 江", phrase=True, negated=True),
    )
    assert [t.text for t in query.positive] == ["对口 援藏"]
    assert len(query.negative) == 2


def test_chinese_quotes_are_text_not_syntax() -> None:
    assert parse("“组团式”教育 「援藏」").terms == (Term("“组团式”教育"), Term("「援藏」"))


def test_filters_are_normalised() -> None:
    query = parse("province:甘肅 person:何謀保 kind:座談 date:2024-08 date:2023 团结")
    assert query.filters.provinces == ("甘肃省",)
    assert query.filters.people == ("何谋保",)
    assert query.filters.kinds == ("座谈",)
    assert query.filters.dates == ((2024, 8), (2023, None))
    assert [t.text for t in query.terms] == ["团结"]


@pytest.mark.parametrize("short", ["甘肃", "甘", "陇", "甘肅省", "藏", "西藏"])
def test_province_filter_takes_any_form(short: str) -> None:
    assert parse(f"province:{short}").filters.provinces[0] in {"甘肃省", "西藏自治区"}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('unclosed "quote', "unclosed quote"),
        ("province:", "needs a value"),
        ('person:""', "needs a value"),
        ("colour:red", "unknown filter"),
        ("date:August", "YYYY"),
        ("date:2024-13", "month"),
        ("-", "needs a term"),
        ('""', "empty phrase"),
        ('ab"cd', "inside a word"),
        ("-province:甘肃", "cannot be negated"),
        ("province:火星", "unknown province"),
    ],
)
def test_malformed_queries_say_what_is_wrong_in_one_line(text: str, message: str) -> None:
    with pytest.raises(QueryError) as caught:
        parse(text)
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)
    assert isinstance(caught.value, ValueError)


def test_blank_query_is_empty() -> None:
    assert parse("   ").is_empty
    assert not parse("团结").is_empty


def test_times_and_urls_without_a_letter_key_are_terms() -> None:
    assert parse("10:30").terms == (Term("10:30"),)


def test_expansion_reaches_taiwan_vocabulary_both_ways() -> None:
    assert "高品质" in expansions("高质量")
    assert "高质量" in expansions("高品質")
    assert "网际网路" in expansions("互联网")
    assert "互联网" in expansions("網際網路")
    assert "支援" in expansions("支持")


def test_expansion_starts_with_the_folded_term_and_has_no_duplicates() -> None:
    for word in ["團結", "高质量发展", "水準", "藏"]:
        forms = expansions(word)
        assert forms[0] == expansions(word)[0]
        assert len(set(forms)) == len(forms)
        assert all(forms)
    assert expansions("團結") == ("团结",)


def test_phrases_are_folded_but_not_expanded() -> None:
    assert term_forms(Term("高質量", phrase=True)) == ("高质量",)
    assert len(term_forms(Term("高質量"))) > 1


def test_ascii_terms_are_pinyin_candidates_in_any_case() -> None:
    assert Term("hemoubao").is_pinyin
    assert Term("xi'an").is_pinyin
    assert not Term("团结").is_pinyin
    assert not Term("G20").is_pinyin
    assert not Term("apec", phrase=True).is_pinyin
    assert set(expansions("apec")) >= {"apec", "APEC", "Apec"}
