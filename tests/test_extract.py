"""Extraction on the genre's traps: word boundaries, abbreviation runs, roles, dates, names, speed."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from store.extract.dates import find_meeting_date
from store.extract.extractor import extract
from store.extract.people import find_officials, is_plausible_name
from store.extract.places import find_places
from store.text.script import fold, to_traditional

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def places_in(text: str) -> list[str]:
    folded = fold(text)
    return [m.division.name for m in find_places(folded, [False] * len(folded))]  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        ("持续巩固提升全国民族团结进步创建示范县成果", "范县"),
        ("推动涉藏州县长治久安和高质量发展", "长治市"),
        ("倾心倾力支援，真金白银投入", "白银市"),
        ("进一步加强合作交流力度，拓宽合作领域", "合作市"),
        ("深化白龙江流域生态保护", "龙江县"),
        ("维护世界和平区域稳定", "和平区"),
    ],
)
def test_words_are_not_places(text: str, absent: str) -> None:
    assert absent not in places_in(text)
    assert absent not in extract("标题\n" + text + "。").places  # also once jieba knows the gazetteer


def test_places_keep_their_suffix_or_context() -> None:
    assert places_in("于8月8日在甘南州合作市隆重召开") == ["甘南藏族自治州", "合作市"]
    assert places_in("联席会议在宁夏银川召开") == ["宁夏回族自治区", "银川市"]
    assert places_in("玉树州委副书记、州长，海南州委副书记") == ["玉树藏族自治州", "海南藏族自治州"]


def test_ambiguous_names_follow_the_other_places() -> None:
    folded = fold("八月的甘南，甘肃省甘南州合作市")
    first = find_places(folded, [False] * len(folded))[0]
    assert first.text == "甘南" and first.division.name == "甘南藏族自治州"  # type: ignore[union-attr]
    qinghai = fold("海北、黄南、海南三州")
    names = [m.division.code for m in find_places(qinghai, [False] * len(qinghai))]  # type: ignore[union-attr]
    assert names[-1] == "632500"  # Qinghai's 海南州, not Hainan province


def test_abbreviation_runs_expand_and_do_not_leak_counties() -> None:
    meta = extract("甘青川滇藏交界地区州市长第八次联席会议在合作市召开\n8月8日，会议召开。")
    assert set(meta.provinces) == {"甘肃省", "青海省", "四川省", "云南省", "西藏自治区"}
    assert "青川县" not in meta.places
    meta = extract("闽藏一家亲\n9月13日，福建党政代表团赴西藏考察。")
    assert set(meta.provinces) == {"福建省", "西藏自治区"}


def test_plateau_and_railway_names_are_not_partnerships() -> None:
    meta = extract("某县召开座谈会\n5月3日，某县召开座谈会，共同筑牢青藏高原生态屏障，推进川藏铁路建设。")
    assert meta.provinces == []


def test_past_meeting_elsewhere_is_only_mentioned() -> None:
    text = (
        "鲁藏协作再深化\n6月8日，山东省党政代表团在日喀则市召开座谈会。"
        "去年在江苏南京召开的交流会上，日喀则的做法受到肯定。"
    )
    meta = extract(text)
    assert set(meta.provinces) == {"山东省", "西藏自治区"}
    assert "江苏省" in meta.mentioned_provinces
    assert meta.location == "日喀则市"


@pytest.mark.parametrize(
    ("post_and_name", "name", "post"),
    [
        ("8月17日，县委书记才项当智带领代表团", "才项当智", "县委书记"),
        ("碌曲县委书记扎西才让和部分党政领导参加会议", "扎西才让", "碌曲县委书记"),
        ("玉树州委副书记、州长索南丹增，果洛州", "索南丹增", "玉树州委副书记、州长"),
        ("省委副书记羅東川參加。", "罗东川", "省委副书记"),
        ("克州党委书记艾力·买买提出席会议", "艾力·买买提", "克州党委书记"),
        ("甘南州委副书记、州长主持会议杨武并总结", "杨武", "甘南州委副书记、州长"),
    ],
)
def test_officials_after_posts(post_and_name: str, name: str, post: str) -> None:
    officials = find_officials(fold(post_and_name))
    assert [(o.name, o.post) for o in officials] == [(name, post)]


def test_leaders_lists_and_people_who_are_not_officials() -> None:
    text = fold(
        "合作市领导加华东珠、才让当知布、杨海林参加。(记者 周琳/文) 习近平总书记关于西藏工作的重要指示"
    )
    assert [o.name for o in find_officials(text)] == ["加华东珠", "才让当知布", "杨海林"]
    meta = extract("标题\n9月5日，合作市领导加华东珠、杨海林参加。")
    assert "海林市" not in meta.places


@pytest.mark.parametrize("word", ["单位", "地区责任", "主持会议", "关于西藏", "两省区"])
def test_words_are_not_names(word: str) -> None:
    assert not is_plausible_name(word)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("继5月26日双方在贵阳签署协议后，11月19日，推进会在遵义市召开。", (None, 11, 19, "11月19日")),
        ("发布时间：2024-05-18 05:26\n5月16日至17日，代表团前往西藏。", (2024, 5, 16, "5月16日至17日")),
        ("2023年9月15日，联席会议在银川召开。", (2023, 9, 15, "2023年9月15日")),
        ("发布时间：2024-01-05\n12月28日，座谈会在拉萨召开。", (2023, 12, 28, "12月28日")),
        ("根据7月1日起施行的条例，8月2日，两地召开座谈会。", (None, 8, 2, "8月2日")),
        ("八月的甘南，蓝天白云。于8月8日在合作市召开。", (None, 8, 8, "8月8日")),
    ],
)
def test_meeting_date(text: str, expected: tuple[int | None, int, int, str]) -> None:
    date = find_meeting_date(fold(text), text)
    assert date is not None and (date.year, date.month, date.day, date.text) == expected


def test_no_date_is_invented() -> None:
    assert find_meeting_date("八月的甘南，蓝天白云。", "八月的甘南，蓝天白云。") is None
    assert extract("近日，两地召开座谈会。").date is None


def test_traditional_and_simplified_give_the_same_extraction() -> None:
    simplified = (SEEDS.parent / "tests" / "gold" / "extra" / "e05_zhechuan.txt").read_text(encoding="utf-8")
    a, b = extract(simplified), extract(to_traditional(simplified))
    assert (a.provinces, a.mentioned_provinces, a.people, a.location, a.kind) == (
        b.provinces,
        b.mentioned_provinces,
        b.people,
        b.location,
        b.kind,
    )
    assert fold(b.title) == a.title and b.date == type(b.date)(
        a.date.year, a.date.month, a.date.day, to_traditional(a.date.text)
    )  # type: ignore[union-attr,misc]


def test_title_is_the_headline_or_a_label_from_the_lead() -> None:
    meta = extract(
        "首页 > 新闻中心\n鄂藏携手共绘新蓝图\n发布时间：2024-08-02\n8月1日，湖北省党政代表团抵达山南市考察。"
    )
    assert meta.title == "鄂藏携手共绘新蓝图"
    label = extract(
        "6月12日，玛曲县委书记尼玛才让带领玛曲县党政代表团赴四川省阿坝州若尔盖县，召开座谈会。"
    ).title
    assert "玛曲县" in label and "若尔盖县" in label and "座谈会" in label


@given(
    st.text(
        alphabet=st.sampled_from(list("甘青川滇藏合作市县州省委书记长月日1234567890，。、\n·")), max_size=120
    )
)
@settings(max_examples=150, deadline=None)
def test_any_text_gives_a_well_formed_extraction(text: str) -> None:
    meta = extract(text)
    assert all(p.endswith(("省", "市", "自治区", "特别行政区")) for p in meta.provinces)
    assert not set(meta.provinces) & set(meta.mentioned_provinces)
    if meta.date:
        assert 1 <= (meta.date.month or 1) <= 12 and 1 <= (meta.date.day or 0) <= 31
        assert meta.date.text in text
    assert {p.province for p in meta.participants} == set(meta.provinces)


def test_listed_abbreviations_before_a_count_of_provinces() -> None:
    meta = extract("平安联创工作会议召开\n7月25日，川、甘、青三省毗邻地区平安联创工作会议在阿坝县召开。")
    assert set(meta.provinces) == {"四川省", "甘肃省", "青海省"}
    assert meta.location == "阿坝县"


def test_wire_dateline_gives_the_month_of_a_bare_day() -> None:
    meta = extract("新华社拉萨10月12日电（记者 格桑）西藏与江苏对口支援工作座谈会11日在拉萨举行。")
    assert meta.date is not None and (meta.date.month, meta.date.day, meta.date.text) == (10, 11, "11日")


def test_provinces_listed_as_attending_take_part() -> None:
    meta = extract("推进会召开\n9日，推进会在北京召开。北京、天津、甘肃等省市有关负责同志参加会议。")
    assert set(meta.provinces) == {"北京市", "天津市", "甘肃省"}


def test_province_names_are_not_abbreviation_runs() -> None:
    meta = extract("标题\n5月6日，某县召开座谈会，学习辽宁合作社经验，迈上新台阶。")
    assert "宁夏回族自治区" not in meta.provinces + meta.mentioned_provinces
    assert "新疆维吾尔自治区" not in meta.provinces + meta.mentioned_provinces


def test_related_headlines_and_footers_never_take_part() -> None:
    """Seed 003 uncleaned: navigation bullets on top, a snapshot notice and related headlines below."""
    raw = (SEEDS / "003_3b55ee27be37f5f4.txt").read_text(encoding="utf-8")
    meta = extract(raw)
    assert meta.title == "聚焦大保护大开放高质量发展 不断书写新时代川藏合作新篇章"
    assert set(meta.provinces) == {"四川省", "西藏自治区"}
    assert "重庆市" in meta.mentioned_provinces  # 成渝 in the body, 重庆 in a related headline
    assert meta.location == "拉萨市"


def test_county_names_made_of_abbreviations_read_as_partnerships() -> None:
    meta = extract("陇川携手 共促发展\n6月2日，甘肃·四川两省交流座谈会在兰州召开。")
    assert set(meta.provinces) == {"甘肃省", "四川省"}
    assert "陇川县" not in meta.places
    assert "青川县" in extract("标题\n5月1日，青川县召开座谈会。").places


def test_posts_followed_by_words_are_not_officials() -> None:
    text = fold(
        "各县县长参加。州长会议召开。书记抓党建。市长热线开通。局长信箱。主席台就座。部长级会议。党委书记们表示。"
        "主任医师。主席团成员。市委书记高度重视。县委书记带头。县长向大家介绍。书记强调，要加强。"
    )
    assert find_officials(text) == []


def test_national_posts_and_asides() -> None:
    text = fold("国务院副总理刘国中出席。副县长（挂职）赵云参加。")
    assert [o.name for o in find_officials(text)] == ["刘国中", "赵云"]


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("8月8日前往拉萨考察。", 8),
        ("９月４日至５日期间，代表团赴合作市考察。", 4),
        ("要求8月8日前完成整改。9月2日，代表团抵达拉萨。", 2),
    ],
)
def test_dates_next_to_look_alike_words(text: str, day: int) -> None:
    date = find_meeting_date(fold(text), text)
    assert date is not None and date.day == day and date.text in text


def test_a_date_alone_on_its_line_is_the_page_date() -> None:
    meta = extract("2024年08月10日 星期六\n甘川携手共谋发展\n8月8日，甘肃省党政代表团赴四川省成都市考察。")
    assert meta.date is not None and (meta.date.year, meta.date.month, meta.date.day) == (2024, 8, 8)
    assert meta.title == "甘川携手共谋发展" and meta.location == "成都市"


def test_models_menus_and_counterparties() -> None:
    meta = extract("学习浙江经验 推动乡村振兴\n8月8日，四川省召开座谈会，与贵州省签署合作协议。")
    assert meta.provinces == ["四川省", "贵州省"] and meta.mentioned_provinces == ["浙江省"]
    meta = extract("网站首页 | 新闻中心 | 政务公开\n标题一\n8月8日，甘肃省委书记张三在西藏考察期间座谈。")
    assert meta.title == "标题一" and set(meta.provinces) == {"甘肃省", "西藏自治区"}


def test_a_year_that_opens_the_meetings_name() -> None:
    text = "12月5日，2023年粤桂东西部协作联席会议在南宁召开。"
    date = find_meeting_date(fold(text), text)
    assert date is not None and (date.year, date.month, date.day) == (2023, 12, 5)
    text = "12月5日，2023年度工作总结会召开。"
    assert find_meeting_date(fold(text), text).year is None  # type: ignore[union-attr]


def test_regions_and_strategies_are_no_delegation() -> None:
    meta = extract(
        "天津市党政代表团赴河北考察\n1月8日，天津市委书记赵刚率天津市党政代表团赴河北省石家庄市考察，推进京津冀协同发展。"
    )
    assert meta.provinces == ["天津市", "河北省"] and meta.mentioned_provinces == ["北京市"]


def test_a_bracketed_news_tag_opens_the_lead_not_a_menu() -> None:
    text = (
        "標題\n【大公報訊】記者陳曉明報道：韋振國表示，廣西將主動融入粵港澳大灣區建設，"
        "用好西部陸海新通道，積極承接廣東產業轉移，推動粵桂協作在更寬領域取得新成效。"
    )
    meta = extract(text)
    assert "香港特别行政区" not in meta.provinces and "广西壮族自治区" in meta.provinces


def test_streets_two_character_districts_and_neighbours_of_other_provinces() -> None:
    assert places_in("代表团先后来到碧江区灯塔街道、川硐街道。") == ["碧江区"]
    assert places_in("重庆市渝北区委书记王卫。") == ["重庆市", "渝北区"]
    assert "北区" not in places_in("东北区域合作。城北区块。")


def test_posts_after_by_and_places_that_open_with_a_function_word() -> None:
    people = find_officials(fold("会议由修水县委书记黄小平主持。和田地委书记张宏介绍情况。"))
    assert [(o.name, o.post) for o in people] == [("黄小平", "修水县委书记"), ("张宏", "和田地委书记")]
    people = find_officials(
        fold("山南市委书记陈向东介绍情况，香港特区政府政务司司长张国基参加，州长才让吉汇报工作。")
    )
    assert [o.name for o in people] == ["陈向东", "张国基", "才让吉"]


def test_mongolian_names_and_names_the_dictionary_calls_places() -> None:
    text = fold("海西州委副书记、州长乌兰巴特尔介绍情况。前方指挥部总指挥徐海参加会议。")
    assert [o.name for o in find_officials(text)] == ["乌兰巴特尔", "徐海"]


def test_a_date_that_qualifies_another_event_is_not_the_meetings() -> None:
    text = "8月16日至20日举办的第七届南博会上，两省签约项目32个。9月25日，代表团赴广东考察。"
    date = find_meeting_date(fold(text), text)
    assert date is not None and (date.month, date.day) == (9, 25)


# Dates in Chinese numerals: read as the Arabic ones are, under the same rules.


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("八月八日，两省座谈会在兰州召开。", (None, 8, 8, "八月八日")),
        ("十月十二日至十三日，代表团赴拉萨考察。", (None, 10, 12, "十月十二日至十三日")),
        ("九月十三日至十四日，联席会议在银川召开。", (None, 9, 13, "九月十三日至十四日")),
        ("九月三十日至十月二日，代表团赴新疆考察。", (None, 9, 30, "九月三十日至十月二日")),
        ("二〇二四年八月八日，联席会议在银川召开。", (2024, 8, 8, "二〇二四年八月八日")),
        ("二○二三年十二月三十一日，座谈会在昆明召开。", (2023, 12, 31, "二○二三年十二月三十一日")),
        ("二零二二年三月五日，座谈会在昆明召开。", (2022, 3, 5, "二零二二年三月五日")),
        ("十一月二十日，推进会在遵义市召开。", (None, 11, 20, "十一月二十日")),
        ("十月廿一日，推进会在遵义市召开。", (None, 10, 21, "十月廿一日")),
        ("八月八号，两县召开座谈会。", (None, 8, 8, "八月八号")),
        ("元旦（一月一日），两地干部群众举行联欢。", (None, 1, 1, "一月一日")),
        (
            "继五月二十六日双方在贵阳签署协议后，十一月十九日，推进会在遵义市召开。",
            (None, 11, 19, "十一月十九日"),
        ),
        ("根据十月一日起施行的条例，十一月二日，两地召开座谈会。", (None, 11, 2, "十一月二日")),
        ("发布时间：2024-01-05\n十二月二十八日，座谈会在拉萨召开。", (2023, 12, 28, "十二月二十八日")),
        (
            "发布时间：二〇二四年一月五日\n十二月二十八日，座谈会在拉萨召开。",
            (2023, 12, 28, "十二月二十八日"),
        ),
        (
            "八月八日，两县座谈会在碌曲召开。\n碌曲县人民政府办公室\n二〇二四年八月十二日",
            (2024, 8, 8, "八月八日"),
        ),
        ("十二月五日，2023年粤桂东西部协作联席会议在南宁召开。", (2023, 12, 5, "十二月五日")),
        (
            "八月十六日至二十日举办的第七届南博会上，两省签约项目32个。九月二十五日，代表团赴广东考察。",
            (None, 9, 25, "九月二十五日"),
        ),
        ("新华社拉萨十月十二日电 西藏与江苏对口支援工作座谈会十一日在拉萨举行。", (None, 10, 11, "十一日")),
        ("新华社拉萨10月12日电 西藏与江苏对口支援工作座谈会十一日在拉萨举行。", (None, 10, 11, "十一日")),
    ],
)
def test_meeting_date_in_chinese_numerals(text: str, expected: tuple[int | None, int, int, str]) -> None:
    date = find_meeting_date(fold(text), text)
    assert date is not None and (date.year, date.month, date.day, date.text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "二〇二四年十月十二日至十三日，陝甘兩省座談會在蘭州舉行。",
            (2024, 10, 12, "二〇二四年十月十二日至十三日"),
        ),
        ("八月八號，兩縣召開座談會。", (None, 8, 8, "八月八號")),
        ("繼五月二十六日雙方簽署協議後，十一月十九日，推進會在遵義市召開。", (None, 11, 19, "十一月十九日")),
        ("新華社拉薩十月十二日電 座談會十一日在拉薩舉行。", (None, 10, 11, "十一日")),
    ],
)
def test_chinese_numeral_dates_in_traditional_text(
    text: str, expected: tuple[int | None, int, int, str]
) -> None:
    """The text is the original's, in its own script, at the offsets found in the folded text."""
    date = find_meeting_date(fold(text), text)
    assert date is not None and (date.year, date.month, date.day, date.text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "八月的甘南，蓝天白云。",
        "根据十月一日起施行的条例，两地加强合作。",
        "两县联合推出三日游线路。",
        "五一假期，游客络绎不绝。",
        "深入学习七一讲话精神。",
        "十一五规划期间，两地合作不断深化。",
        "援藏工作队进藏第十二日，召开座谈会。",
        "十二月三十九日，座谈会召开。",
        "二十一月三日，座谈会召开。",
        "新华社拉萨10月12日电 考察第十二日，为期三日的座谈会同一日结束。",
    ],
)
def test_chinese_numerals_that_are_no_meeting_date(text: str) -> None:
    assert find_meeting_date(fold(text), text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("十月十二日，座谈会在兰州召开。10月13日，代表团赴临夏考察。", "十月十二日"),
        ("10月11日，座谈会在兰州召开。十月十二日，代表团赴临夏考察。", "10月11日"),
        ("继5月26日签署协议后，八月八日，座谈会召开。", "八月八日"),
        ("继五月二十六日签署协议后，8月8日，座谈会召开。", "8月8日"),
    ],
)
def test_the_first_date_stated_wins_in_either_numeral_system(text: str, expected: str) -> None:
    date = find_meeting_date(fold(text), text)
    assert date is not None and date.text == expected


_CN_DIGITS = "〇一二三四五六七八九"


def chinese_numeral(number: int, twenty: str = "二十") -> str:
    """1–31 as written in dates: 十, 十二, 二十 (or 廿), 三十一."""
    tens, units = divmod(number, 10)
    lead = {0: "", 1: "十", 2: twenty}.get(tens, _CN_DIGITS[tens] + "十")
    return lead + (_CN_DIGITS[units] if units else "")


def chinese_date(day: datetime.date, zero: str, with_year: bool, twenty: str, marker: str) -> str:
    year = (
        "".join(zero if c == "0" else _CN_DIGITS[int(c)] for c in str(day.year)) + "年" if with_year else ""
    )
    return f"{year}{chinese_numeral(day.month)}月{chinese_numeral(day.day, twenty)}{marker}"


_DATES = st.dates(datetime.date(1900, 1, 1), datetime.date(2099, 12, 31))


@given(
    _DATES,
    st.sampled_from("〇○零"),
    st.booleans(),
    st.sampled_from(["二十", "廿"]),
    st.sampled_from("日号"),
    st.booleans(),
)
@settings(max_examples=200, deadline=None)
def test_a_chinese_numeral_date_reads_back(
    day: datetime.date, zero: str, with_year: bool, twenty: str, marker: str, traditional: bool
) -> None:
    written = chinese_date(day, zero, with_year, twenty, marker)
    text = f"{written}，两省座谈会在兰州召开。"
    if traditional:
        text, written = to_traditional(text), to_traditional(written)
    date = find_meeting_date(fold(text), text)
    assert date is not None
    assert (date.year, date.month, date.day, date.text) == (
        day.year if with_year else None,
        day.month,
        day.day,
        written,
    )


@given(
    _DATES,
    st.booleans(),
    st.sampled_from(["", "继", "去年", "发布时间：2024-01-05\n", "新华社兰州1月9日电 ", "八月的甘南，"]),
    st.sampled_from(
        ["，座谈会在兰州召开。", "起施行。", "举办的博览会上，两省签约。", "，2023年联席会议召开。", ""]
    ),
)
@settings(max_examples=200, deadline=None)
def test_chinese_and_arabic_numerals_follow_the_same_rules(
    day: datetime.date, with_year: bool, before: str, after: str
) -> None:
    """The same sentence with the date in either numeral system gives the same date, or none for both."""
    arabic = f"{day.year}年" * with_year + f"{day.month}月{day.day}日"
    chinese = chinese_date(day, "〇", with_year, "二十", "日")
    a = find_meeting_date(fold(before + arabic + after), before + arabic + after)
    c = find_meeting_date(fold(before + chinese + after), before + chinese + after)
    assert (a and (a.year, a.month, a.day)) == (c and (c.year, c.month, c.day))
    assert (a is None or a.text == arabic) and (c is None or c.text == chinese)


@given(
    st.text(
        alphabet=st.sampled_from(list("〇○零一二三四五六七八九十廿卅年月日号至第期电，\n 12")), max_size=80
    )
)
@settings(max_examples=300, deadline=None)
def test_any_run_of_chinese_numerals_gives_a_valid_date_or_none(text: str) -> None:
    date = find_meeting_date(fold(text), text)
    if date:
        assert 1 <= (date.month or 1) <= 12 and 1 <= (date.day or 0) <= 31 and date.text in text
        assert date.year is None or 1900 <= date.year <= 2099
