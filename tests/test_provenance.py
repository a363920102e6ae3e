"""The outlet and publication date a report states, read for citations."""

from __future__ import annotations

from pathlib import Path

import pytest

from store.provenance import Provenance, provenance
from store.text.clean import clean_text
from store.text.decode import read_source

REALDEV = Path(__file__).resolve().parents[2] / "shared" / "realdev" / "docs"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("类别:国内 发布时间:2024-05-18 05:26:00 来源：四川日报\n正文", Provenance("四川日报", "2024-05-18")),
        ("標題\n發布時間：2021年09月11日08:08 來源：湖北日報\n正文", Provenance("湖北日報", "2021-09-11")),
        ("正文\n来源:四川在线记者 王成栋 发布时间:2022-06-29", Provenance("四川在线", "2022-06-29")),
        ("新华社拉萨9月10日电（记者某某）正文。", Provenance("新华社", None)),
        ("来源: 发布日期:2019-06-20 打印", Provenance(None, "2019-06-20")),
        ("9月4日至5日，区委书记率代表团考察。", Provenance(None, None)),
        ("时间：2024-13-40", Provenance(None, None)),
    ],
)
def test_reads_outlet_and_date(text: str, expected: Provenance) -> None:
    assert provenance(text) == expected


def test_only_the_ends_of_a_long_report_are_read() -> None:
    body = "正文。" * 2000
    assert provenance(body + "来源：甘肃日报") == Provenance("甘肃日报", None)
    assert provenance(body[:1000] + "来源：甘肃日报" + body) == Provenance(None, None)


@pytest.mark.skipif(not REALDEV.exists(), reason="../shared/realdev is absent")
def test_real_reports_that_name_their_outlet() -> None:
    found = {p.name: provenance(clean_text(read_source(p).raw)) for p in sorted(REALDEV.glob("*.txt"))}
    assert found["r17.txt"] == Provenance("湖北日报", "2021-09-11")
    assert found["r28.txt"] == Provenance("中國西藏網", "2022-09-30")
    assert found["r32.txt"].outlet == "新華社"
    assert sum(1 for p in found.values() if p.outlet) >= 10
