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


TARGETS = HEAD + """一、2030年工作回顾

财政赤字率控制在3%以内。全年为企业和个人减税降费约1.2万亿元。

二、今年主要任务

化学需氧量、氨氮排放量要分别下降2%。全年减轻企业税收和社保缴费负担近1万亿元。为市场主体减轻非税负担2000多亿元。累计减税超过1万亿元。
"""


def test_a_result_held_within_a_number_is_at_most_it(registry):
    got = rows(TARGETS, registry)
    assert got[("A", "deficit-ratio", "3")]["comparator"] == "at-most"


def test_a_beneficiary_opening_the_phrase_is_not_its_subject(registry):
    got = rows(TARGETS, registry)
    # 为企业和个人减税降费: the subject is the verb phrase after the beneficiary
    assert got[("A", "tax-fee-cuts", "1.2")]["direction"] == "level"
    cut = next(r for k, r in got.items() if k[2] == "2000")
    assert cut["direction"] == "decrease" and "市场主体" not in cut["subject"]


def test_nearly_a_number_in_a_target_is_about_it_and_tax_cuts_are_an_amount(registry):
    got = rows(TARGETS, registry)
    burden = got[("T", "tax-fee-cuts", "1")]
    assert (burden["comparator"], burden["direction"]) == ("approximately", "decrease")
    # 减税 names an amount of cuts (a level), 减轻…负担 a reduction
    assert next(r for k, r in got.items() if k[0] == "T" and r["quote"].startswith("累计减税")
                )["direction"] == "level"


def test_each_item_of_a_list_sharing_one_value_is_its_own_fact(registry):
    got = rows(TARGETS, registry)
    # a proposal (化学需氧量) is matched exactly or not at all: 氨氮排放量 is not absorbed by it
    subjects = {r["subject"] for k, r in got.items() if k[2] == "2" and k[0] == "T"}
    assert len(subjects) == 2 and any("氨氮" in s for s in subjects)


def test_a_stretch_target_keeps_its_indicator_and_stays_out_of_the_graph(registry):
    from rdflib.namespace import SKOS

    from tckg.namespaces import TCK

    text = HEAD + "一、今年主要任务\n\n地区生产总值增长5%以上，力争6%。居民消费价格涨幅3%左右。\n"
    draft = extract_text(text, registry=registry, text_name="t.txt")
    got = {(r["indicator"], r["value"]): r for r in draft.rows()}
    assert got[("gdp-growth", "5")]["comparator"] == "at-least"
    assert got[("gdp-growth", "6")]["comparator"] == "strive-for"   # not a proposal
    # the graph holds one target of the indicator and year: the firm one, with a note
    g = draft.graph
    targets = [t for t in g.subjects(TCK.indicator, None)
               if str(g.value(t, TCK.indicator)).endswith("/gdp-growth")
               and (t, None, TCK.Target) in g]
    assert len(targets) == 1
    assert str(g.value(targets[0], TCK.value)) == "5"
    assert "6" in str(g.value(targets[0], SKOS.note))


GRAMMAR = HEAD + """一、2030年工作回顾

城镇新增就业1300万人、调查失业率稳定在5%左右的较低水平。80%的燃煤电厂实现超低排放。

二、今年主要任务

财政支出超过25万亿元。城乡居民医保财政补助由每人每年500元提高到530元。基础养老金最低标准从每月90元提高到100元。65岁以上人口已达2.1亿。5%左右的增速可以实现比较充分的就业。近14亿中国人的饭碗要端在自己手中。
"""


def test_a_number_then_de_and_a_noun_describes_that_noun(registry):
    got = rows(GRAMMAR, registry)
    # 5%左右的较低水平: the rate's level, the noun after 的 is no part of the subject
    assert got[("A", "surveyed-unemployment-rate", "5")]["comparator"] == "approximately"
    # 80%的燃煤电厂实现超低排放: a share, kept
    assert any(k[2] == "80" for k in got)
    # 5%左右的增速可以…, 近14亿中国人的饭碗: no subject before the number, no fact
    assert not any(k[0] == "T" and k[2] in ("5", "14") for k in got)


def test_a_change_from_a_rate_per_person_keeps_the_new_rate(registry):
    got = rows(GRAMMAR, registry)
    values = {k[2] for k in got if k[0] == "T"}
    assert {"530", "100"} <= values and not {"500", "90"} & values


def test_exceeding_in_a_target_is_at_least_and_already_reached_is_a_result(registry):
    got = rows(GRAMMAR, registry)
    spend = next(r for k, r in got.items() if k[2] == "25")
    assert (spend["kind"], spend["comparator"]) == ("T", "at-least")
    # 已达 in a plan section: the figure of the review year
    old = next(r for k, r in got.items() if k[2] == "2.1")
    assert (old["kind"], old["period"]) == ("A", "2030")


PLAN_PERIOD = "政府工作报告\n——2021年3月5日在全国人民代表大会上\n\n" + """一、“十三五”时期主要成就

“十三五”规划主要目标任务胜利完成。国内生产总值从不到60万亿元增加到超过90万亿元。4000万农村贫困人口全部脱贫。粮食年产量连续稳定在1.2万亿斤以上。全国城镇调查失业率平均值为5.3%。

二、今年主要任务

对拖欠企业的款项年底前要清偿一半以上。争取上级转移支付30亿元。
"""


def test_a_hedged_start_of_a_change_is_no_fact(registry):
    got = rows(PLAN_PERIOD, registry)
    # 从不到 60 万亿元增加到超过 90 万亿元: only the end, hedged, is the result
    assert got[("A", "gdp", "90")]["comparator"] == "more-than"
    assert not any(k[2] == "60" for k in got)


def test_light_words_inside_a_subject_do_not_hide_a_core_indicator(registry):
    got = rows(PLAN_PERIOD, registry)
    assert got[("A", "poverty-reduction", "4000")]["period"] == "2016/2020"   # 全部脱贫
    assert ("A", "grain-output", "1.2") in got                                 # 粮食年产量
    assert ("A", "surveyed-unemployment-rate", "5.3") in got                   # …平均值


def test_a_share_in_words_and_money_won_from_above(registry):
    got = rows(PLAN_PERIOD, registry)
    half = next(r for k, r in got.items() if k[2] == "一半")
    assert (half["kind"], half["comparator"]) == ("T", "at-least")   # 清偿一半以上
    # 争取上级转移支付 30 亿元: money allocated from above, no target (gold README)
    assert not any(k[2] == "30" for k in got)


def test_a_plan_named_as_a_thing_is_no_time_frame(registry):
    text = "政府工作报告\n——2025年3月5日在全国人民代表大会上\n\n" + """一、2024年工作回顾

2024年是实现“十四五”规划目标任务的关键一年，国内生产总值增长5%。“十四五”以来，城镇新增就业累计5000万人。

二、今年主要任务

今年是“十四五”规划收官之年，国内生产总值增长5%左右。
"""
    got = rows(text, registry)
    assert got[("A", "gdp-growth", "5")]["period"] == "2024"
    assert got[("T", "gdp-growth", "5")]["period"] == "2025"
    # “十四五”以来: the plan as a time frame, since its start up to the year reviewed
    assert got[("A", "new-urban-jobs", "5000")]["period"] == "2021/2024"


def test_a_gap_of_a_multi_year_average_is_a_fact_a_gap_to_an_average_is_not(registry):
    text = "湖南省政府工作报告\n——2031年1月20日在湖南省人民代表大会上\n\n" + """一、2030年工作回顾

全年地区生产总值增长4.6%，两年平均增速高于全国0.3个百分点。工业投资增长8.1%，高于全国平均水平1.2个百分点。
"""
    got = rows(text, registry)
    gap = next(r for k, r in got.items() if k[2] == "0.3")
    assert (gap["period"], gap["unit"]) == ("2029/2030", "个百分点")
    assert not any(k[2] == "1.2" for k in got)   # 高于全国平均水平: a benchmark


def test_a_change_against_last_year_after_a_level_is_its_own_figure(registry):
    text = HEAD + """一、2030年工作回顾

粮食产量1.4万亿斤，增产1.5%。

二、今年主要任务

拟发行超长期特别国债1.5万亿元，比上年增加2000亿元。
"""
    got = rows(text, registry)
    change = next(r for k, r in got.items() if k[2] == "2000")
    assert (change["kind"], change["direction"]) == ("T", "increase")
    assert ("T", "", "1.5") in {(k[0], r["indicator"], k[2]) for k, r in got.items()}
    # 增产 1.5%: the output's growth, its subject the clause before's
    grown = next(r for k, r in got.items() if k[0] == "A" and k[2] == "1.5")
    assert (grown["direction"], grown["subject"]) == ("increase", "粮食产量")


def test_a_share_list_without_subjects_continues_the_list_before(registry):
    text = "青山区政府工作报告\n——2031年1月8日在青山区人民代表大会上\n\n" + """一、2030年工作回顾

现代服务业、数字经济核心产业增加值分别占地区生产总值70%、20%，占全市比重分别达30%、35%。
"""
    got = rows(text, registry)
    shares = {r["subject"]: k[2] for k, r in got.items() if k[2] in ("30", "35")}
    assert shares == {"现代服务业占全市比重": "30", "数字经济核心产业增加值占全市比重": "35"}


def test_the_next_five_years_are_a_span_from_the_plan_year(registry):
    text = "青山区政府工作报告\n——2031年1月8日在青山区人民代表大会上\n\n" + """一、今后五年的主要目标

今后五年，地区生产总值年均增长6%左右。城镇新增就业年均3000人以上。

二、今年工作安排

地区生产总值增长6.5%左右。
"""
    got = rows(text, registry)
    assert got[("T", "gdp-growth", "6")]["period"] == "2031/2035"
    assert got[("T", "new-urban-jobs", "3000")]["period"] == "2031/2035"
    assert got[("T", "gdp-growth", "6.5")]["period"] == "2031"
