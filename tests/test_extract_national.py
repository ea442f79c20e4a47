"""National and provincial work reports (issue 10): how they state multi-year reviews, targets
and results, read as a grammar rather than as the phrase before a number.

Each test reads a short text written for it (figures invented) and checks the facts the
extractor lists (``Draft.rows()``, the columns of ``bench/corpus/gold``).
"""

from __future__ import annotations

import pytest

from tckg.extract import Registry, extract_text


@pytest.fixture(scope="module")
def registry():
    return Registry.default(with_data=False)


def rows(text, registry):
    draft = extract_text(text, registry=registry, text_name="t.txt")
    return {(r["kind"], r["indicator"] or r["subject"], r["value"]): r for r in draft.rows()}


HEAD = "政府工作报告\n——2031年3月5日在全国人民代表大会上\n\n"

REVIEW = HEAD + """一、过去一年和五年工作回顾

过去一年，国内生产总值增长4%，城镇新增就业1100万人。

过去五年极不平凡。国内生产总值增加到150万亿元，五年年均增长4.8%，十年增加近60万亿元、年均增长5.6%。城镇新增就业年均1200多万人。

我们坚持创新驱动。常住人口城镇化率从66%提高到70%。

去年粮食产量1.4万亿斤。

二、今年主要预期目标

国内生产总值增长4.5%左右。
"""


def test_a_sentence_opening_with_a_span_sets_the_period_of_what_follows(registry):
    got = rows(REVIEW, registry)
    assert got[("A", "gdp-growth", "4")]["period"] == "2030"
    # 过去五年…。: the next sentences and paragraphs are about the five years
    assert got[("A", "gdp", "150")]["period"] == "2026/2030"
    assert got[("A", "urbanisation-rate", "70")]["period"] == "2026/2030"
    assert got[("A", "new-urban-jobs", "1200")]["period"] == "2026/2030"
    # 去年… opens a sentence of one year: the five-year topic ends
    assert got[("A", "grain-output", "1.4")]["period"] == "2030"
    # a new top-level section starts without it
    assert got[("T", "gdp-growth", "4.5")]["period"] == "2031"


def test_a_clause_opening_with_a_span_holds_it_and_names_no_subject(registry):
    got = rows(REVIEW, registry)
    # 五年年均增长 4.8%: the subject is the clause before's, the span the clause's own
    five = got[("A", "gdp-growth", "4.8")]
    assert five["period"] == "2026/2030" and five["direction"] == "increase"
    # 十年增加近 60 万亿元、年均增长 5.6%: ten years, to the end of the sentence
    assert got[("A", "gdp", "60")]["period"] == "2021/2030"
    assert got[("A", "gdp-growth", "5.6")]["period"] == "2021/2030"


def test_a_known_plan_period_opening_a_paragraph_is_its_topic(registry):
    text = "政府工作报告\n——2021年3月5日在全国人民代表大会上\n\n" + """一、2020年工作回顾

国内生产总值增长2.3%。

二、“十三五”时期主要成就和“十四五”时期主要目标任务

“十三五”规划主要目标任务胜利完成。城镇新增就业超过6000万人。

“十四五”时期主要目标是：常住人口城镇化率提高到65%。
"""
    got = rows(text, registry)
    assert got[("A", "gdp-growth", "2.3")]["period"] == "2020"
    # a span that ended before the report's year is a result, whatever the section
    assert got[("A", "new-urban-jobs", "6000")]["period"] == "2016/2020"
    assert got[("T", "urbanisation-rate", "65")]["period"] == "2021/2025"
