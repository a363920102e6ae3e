"""The genre's rules that real newsroom reports showed (issue 11), each on sentences written here:
page date lines in every shape, relative dates, years that are not the meeting's, attendance lists,
one-character place words, hosts by post, no-meeting reports, strategy names, officials' lists."""

from __future__ import annotations

import pytest

from store.extract.dates import find_meeting_date
from store.extract.extractor import extract
from store.extract.people import find_officials
from store.text.script import fold

LEAD = "11日，两省座谈会在西宁召开。"


def date_of(text: str) -> tuple[int | None, int | None, int | None, str] | None:
    date = find_meeting_date(fold(text), text)
    return (date.year, date.month, date.day, date.source) if date else None


@pytest.mark.parametrize(
    "line",
    [
        "2023-04-12 09:30",
        "2023/04/12",
        "2023.04.12 来源：青海日报",
        "12.04.2023 21:12",
        "2023 04/ 12 10:00:01",
        "发布时间：2023年04月12日",
        "時間：2023-04-12",
        "来源：青海日报 日期：2023-04-12",
        "青海日报 2023年04月12日 星期三",
        "• 2023年04月12日 10时05分",
    ],
)
def test_every_shape_of_page_date_line_dates_a_bare_day(line: str) -> None:
    assert date_of(f"两省座谈会在西宁召开\n{line}\n{LEAD}") == (2023, 4, 11, "page")


def test_a_labelled_publish_date_beats_a_crawl_date_above_it() -> None:
    text = f"2026年01月02日\n首页 > 新闻\n标题\n发布日期:2023-04-12 打印\n{LEAD}"
    assert date_of(text) == (2023, 4, 11, "page")


def test_web_addresses_and_image_paths_are_no_page_date() -> None:
    text = f"http://news.example.cn/2019-04-12/a.html\n![](/img/2019/0412/a.jpg)\n{LEAD}"
    assert date_of(text) == (None, None, 11, "text")


def test_a_stated_month_takes_the_year_of_the_page_line_and_rolls_over() -> None:
    assert date_of("2024-01-03 08:00\n12月29日，两省座谈会在西宁召开。") == (2023, 12, 29, "page")
    announced = "2020-09-15 11:57\n9月16日，联席会议将在西宁召开。"
    assert date_of(announced) == (2020, 9, 16, "page")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("新华社西宁4月12日电 昨天，两省座谈会在西宁召开。", (None, 4, 11, "relative")),
        ("2023-03-01 08:00\n前天，两省座谈会在西宁召开。", (2023, 2, 27, "relative")),
        ("2023-01-01 08:00\n昨日，两省座谈会在西宁召开。", (2022, 12, 31, "relative")),
        ("本报讯 今日(12日)，两省座谈会在西宁召开。", (None, None, 12, "text")),
        ("本报讯 今日（四月三日），两省座谈会在西宁召开。", (None, 4, 3, "text")),
    ],
)
def test_relative_days_count_from_the_dateline_or_the_page(
    text: str, expected: tuple[int | None, int | None, int | None, str]
) -> None:
    assert date_of(text) == expected


def test_a_relative_day_with_nothing_to_count_from_gives_no_date() -> None:
    assert date_of("昨天，两省座谈会在西宁召开。此前9月3日曾有先例。") is None
    assert date_of("日前，两省座谈会在西宁召开。") is None


def test_a_year_that_names_the_meeting_held_in_the_dates_sentence() -> None:
    text = "9月24日，以“携手同行”为主题的2021年西部区域合作联席会议在西宁召开。"
    assert date_of(text) == (2021, 9, 24, "text")
    plan = "9月24日，会议审议了《区域合作行动计划(2021—2023年)》，座谈会在西宁召开。"
    assert date_of(plan) == (None, 9, 24, "text")


def test_an_arrival_day_is_not_the_meetings() -> None:
    text = "代表团3日晚抵达西宁。4日上午，两省在西宁举行座谈会。"
    assert date_of(text) == (None, None, 4, "text")


def test_a_range_whose_first_day_leaves_out_its_day_mark() -> None:
    assert date_of("5月29至30日，两省座谈会在西宁召开。") == (None, 5, 29, "text")


def test_a_bare_day_range_in_the_lead_takes_month_and_year_from_the_page() -> None:
    assert date_of("23.12.2014 03:59\n18日-19日，交流会在西宁召开。") == (2014, 12, 18, "page")


def provinces_of(text: str) -> tuple[list[str], list[str]]:
    meta = extract(text)
    return meta.provinces, meta.mentioned_provinces


def test_a_list_of_provinces_closed_by_a_count_takes_part() -> None:
    text = "标题\n6月2日，座谈会在武汉召开。会后，江西、湖南、湖北三省签署五项合作文件。"
    assert set(provinces_of(text)[0]) == {"江西省", "湖南省", "湖北省"}
    adjacent = "标题\n6月2日，记者获悉，上海云南两省市对口合作第八次联席会议纪要在昆明签署。"
    assert set(provinces_of(adjacent)[0]) == {"上海市", "云南省"}


def test_abbreviations_closed_by_a_count_are_the_members() -> None:
    text = "标题\n6月2日，协作区第十届市长联席会议在邢台召开。\n协作区由晋冀鲁豫4省交界地区的城市组成。"
    assert set(provinces_of(text)[0]) == {"山西省", "河北省", "山东省", "河南省"}


def test_a_meeting_named_after_a_compact_is_all_its_members() -> None:
    text = "标题\n6月2日，第五届泛珠三角区域合作行政首长联席会议在南宁召开，“9+2”各方出席。"
    assert len(provinces_of(text)[0]) == 11
    nine = "标题\n6月2日，第五届泛珠三角区域省会城市市长联席会议在南宁召开。"
    assert len(provinces_of(nine)[0]) == 9
    strategy = "标题\n6月2日，无锡市融入长三角一体化发展工作座谈会在无锡召开。"
    assert provinces_of(strategy)[0] == ["江苏省"]


@pytest.mark.parametrize(
    ("text", "host"),
    [
        ("标题\n6月2日，青海省党政代表团来闽考察。", "福建省"),
        ("標題\n6月2日，青海省黨政代表團赴滇考察交流。", "云南省"),
        ("标题\n6月2日，青海省代表团在甬考察。", "浙江省"),
    ],
)
def test_one_character_place_words_name_the_host(text: str, host: str) -> None:
    assert set(provinces_of(text)[0]) == {"青海省", host}


def test_a_place_a_delegation_is_led_from_takes_part() -> None:
    text = "标题\n6月2日，副市长王立带领福州文旅系统负责同志，赴青海西宁市开展交流。"
    assert set(provinces_of(text)[0]) == {"福建省", "青海省"}


def test_strategy_names_and_bodies_names_are_no_party() -> None:
    text = (
        "标题\n6月2日，北京市代表团赴河北省考察，双方表示要落实京津冀协同发展战略，"
        "并会见了广东省粤港澳合作促进会负责人。"
    )
    provinces, mentioned = provinces_of(text)
    assert set(provinces) == {"北京市", "河北省"} and "天津市" in mentioned
    assert "澳门特别行政区" not in provinces


def test_a_leaders_past_visit_is_background() -> None:
    text = "标题\n6月2日，北京市代表团赴河北省考察，认真落实总书记在天津考察时的重要指示。"
    assert set(provinces_of(text)[0]) == {"北京市", "河北省"}


def test_a_report_with_no_meeting_has_no_participants() -> None:
    text = "黑龙江与海南，一北一南，山海相望。\n多年来，两省的故事写在田野和海岸线上。"
    provinces, mentioned = provinces_of(text)
    assert provinces == [] and set(mentioned) == {"黑龙江省", "海南省"}


def test_half_converted_text_reads_its_variant_characters() -> None:
    text = "標題\n12月2日，陜西省黨政代表團來江蘇考察。"
    assert set(provinces_of(text)[0]) == {"陕西省", "江苏省"}


def names_in(text: str) -> list[str]:
    return [o.name for o in find_officials(fold(text))]


def test_officials_in_traditional_script_with_moon_in_the_name() -> None:
    assert names_in("香港特別行政區行政長官林月華、澳門特別行政區行政長官何志明出席會議。") == [
        "林月华",
        "何志明",
    ]


def test_names_listed_under_one_post() -> None:
    text = "委员会主任史宁，副主任李乐山、蔡国安等参加了考察。二级巡视员王成、鲁进等出席。"
    assert names_in(text) == ["史宁", "李乐山", "蔡国安", "王成", "鲁进"]


def test_leader_lists_need_a_heading_not_the_word() -> None:
    assert names_in("体现了党的领导和我国社会主义制度的优越性。") == []
    assert names_in("区领导肖红、户平、贾一出席。") == ["肖红", "户平", "贾一"]


def test_a_name_that_is_also_a_word_before_what_an_official_does() -> None:
    assert names_in("四川省对外友协会长洪流出席座谈会。成都市发改委二级巡视员向进出席。") == ["洪流", "向进"]


def test_names_followed_by_more_verbs_and_rarer_surnames() -> None:
    text = "自治区主席布和出席会议。副市长代明今年刚从外地挂职归来。全国政协副主任杨伟围绕主题作了演讲。"
    assert names_in(text) == ["布和", "代明", "杨伟"]


def test_a_name_before_its_post() -> None:
    assert names_in("5月4日，王立新副主席率委员会一行赴广州交流。") == ["王立新"]


def test_scholars_business_people_and_reporters_are_no_officials() -> None:
    text = "某大学原党委书记洪立山围绕主题作了演讲。某集团董事长张大海出席。副省长李平出席。"
    assert names_in(text) == ["李平"]


def test_a_publish_time_beats_a_sites_date_box() -> None:
    text = f"2026年01月02日 星期五\n首页 > 新闻\n标题\n2023-04-12 09:30\n{LEAD}"
    assert date_of(text) == (2023, 4, 11, "page")


def test_members_given_as_a_counted_list_of_cities() -> None:
    text = "标题\n6月2日，市长联席会议在海口召开。会议由四个省会城市(福州、南昌、长沙、南宁)轮流承办。"
    assert set(provinces_of(text)[0]) == {"海南省", "福建省", "江西省", "湖南省", "广西壮族自治区"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "标题\n6月2日，我省经贸代表团赴西安参加洽谈会。\n河北是农业大省，河北企业带来了新产品。",
            {"陕西省", "河北省"},
        ),
        (
            "标题\n11月20日，市长联席会议以视频形式在邢台召开。我市有关部门负责同志收看会议，濮阳市作了发言。",
            {"河北省", "河南省"},
        ),
    ],
)
def test_wo_sheng_and_wo_shi_are_the_province_or_city_the_report_names(text: str, expected: set[str]) -> None:
    assert set(provinces_of(text)[0]) == expected


def test_an_officials_post_anywhere_names_the_host() -> None:
    text = (
        "标题\n6月2日，青海省党政代表团考察。省委书记王立平出席座谈会。\n会见时，广東省委書記王立平表示歡迎。"
    )
    assert set(provinces_of(text)[0]) == {"青海省", "广东省"}


def test_names_listed_after_who_attended() -> None:
    assert names_in("出席会议的领导有张立平、李红、王建国。") == ["张立平", "李红", "王建国"]


@pytest.mark.parametrize(
    "chrome",
    [
        "跳至主要内容",
        "查看原文",
        "杂 志",
        "某某新闻网正文",
        "App客户端 智能问答 无障碍浏览",
        "在线观看精品成人视频网站大全",
    ],
)
def test_page_furniture_and_spam_are_no_headline(chrome: str) -> None:
    text = f"{chrome}\n两省携手共建合作新平台\n6月2日，青海省党政代表团来闽考察。"
    assert extract(text).title == "两省携手共建合作新平台"


def test_a_column_tag_and_an_original_title_label_leave_the_headline() -> None:
    assert extract("【要闻】两省携手共建合作新平台 共谋发展\n6月2日，代表团来闽考察。").title == (
        "两省携手共建合作新平台 共谋发展"
    )
    assert (
        extract("原标题：两省携手共建合作新平台\n6月2日，代表团来闽考察。").title == "两省携手共建合作新平台"
    )


def test_a_reports_own_words_are_no_spam_or_chrome() -> None:
    text = "两省共建精品旅游线路 推进成人教育合作\n6月2日，青海省党政代表团来闽考察。"
    assert extract(text).title == "两省共建精品旅游线路 推进成人教育合作"


def test_what_comes_later_is_no_visit() -> None:
    text = "标题\n6月2日，青海省党政代表团来闽考察。双方表示，未来四川将是重要伙伴。"
    assert "四川省" not in provinces_of(text)[0]


def test_wo_qu_is_a_district_unless_the_report_names_an_autonomous_region() -> None:
    text = "标题\n6月2日，我区代表团赴西宁考察。\n和平区是天津的中心城区，和平区企业也随团前往。"
    assert set(provinces_of(text)[0]) == {"青海省", "天津市"}


def test_a_visit_after_a_post_is_no_name_and_yi_ends_one() -> None:
    text = "省长黄立对任平省长来川出席博览会表示欢迎。福建省省长王安以视频方式出席会议。"
    assert names_in(text) == ["黄立", "王安"]
    assert [o.post for o in find_officials(fold("以省委书记张立为团长的代表团抵达广州。"))] == ["省委书记"]


def test_a_name_followed_by_the_day() -> None:
    assert names_in("自治区主席阿力·买买提17日下午会见了代表团。") == ["阿力·买买提"]


def test_a_visit_not_long_ago_is_background() -> None:
    text = "标题\n6月2日，那曲代表团抵甬考察。宁波市委书记王立说，不久前我率代表团到青海考察。"
    assert "青海省" not in provinces_of(text)[0]


def test_tomorrow_counts_from_the_dateline_and_ends_a_name() -> None:
    assert date_of("新华社香港4月11日电 明天，特区政府代表团将赴广州出席会议。") == (None, 4, 12, "relative")
    assert names_in("行政长官李立明日下午率领代表团前往广州。") == ["李立"]


def test_the_sar_government_writing_of_itself() -> None:
    text = (
        "政务司司长率特区政府代表团赴深圳出席会议\n"
        "政务司司长张立将于四月二日率领特区政府代表团前往深圳。\n香港时间16时00分"
    )
    assert set(provinces_of(text)[0]) == {"广东省", "香港特别行政区"}
    assert "香港特别行政区" in provinces_of("标题\n7月5日，行政长官将率领香港特区政府代表团前往贵阳访问。")[0]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("县委书记王日新带领代表团到郧西。", "王日新"),
        ("市委副书记李在武陪同。", "李在武"),
        ("市长李明日前往北京。", "李明"),
    ],
)
def test_ri_and_zai_inside_a_name_but_not_after_it(text: str, name: str) -> None:
    assert names_in(text) == [name]
