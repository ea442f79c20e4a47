"""County, district and city plan reports (issue 10): how they state results against the
year's plan, estimates and the subjects of their lines.

Each test reads a short text written for it (fictional places and figures) and checks the
facts the extractor lists (``Draft.rows()``, the columns of ``bench/corpus/gold``).
"""

from __future__ import annotations

import pytest

from tckg.extract import Registry, extract_text


@pytest.fixture(scope="module")
def registry():
    return Registry.default(with_data=False)


def rows(text, registry, **kw):
    draft = extract_text(text, registry=registry, **kw)
    return draft, {(r["kind"], r["indicator"] or r["subject"], r["value"]): r
                   for r in draft.rows()}


PLAN_LINES = """青石区2024年国民经济和社会发展计划执行情况与2025年计划草案的报告

一、2024年计划执行情况

初步预计，全区地区生产总值420亿元，完成年计划450亿元的93.3%，增长4.1%。其中，第一产业增加值21亿元，完成年计划20亿元的105%，增长3.2%；固定资产投资150亿元，完成年计划160亿元的93.8%，下降2.5%。

全年新增城镇就业3200人。
"""


def test_the_subject_of_progress_against_a_plan_figure_is_the_lines_subject(registry):
    _, got = rows(PLAN_LINES, registry)
    # 完成年计划 450 亿元的 93.3%: the plan figure is a target, the percentage progress
    assert got[("T", "gdp", "450")]["period"] == "2024"
    progress = got[("P", "gdp", "93.3")]
    assert progress["subject"] == "地区生产总值"
    # the growth after the progress is the line's growth, not a growth of "450 亿元的"
    assert got[("A", "gdp-growth", "4.1")]["subject"] == "地区生产总值"
    assert got[("P", "第一产业增加值", "105")]["subject"] == "第一产业增加值"
    assert got[("A", "primary-value-added-growth", "3.2")]["direction"] == "increase"
    fall = got[("A", "fixed-asset-investment-growth", "2.5")]
    assert (fall["direction"], fall["subject"]) == ("decrease", "固定资产投资")


def test_an_estimate_lead_in_qualifies_its_whole_paragraph(registry):
    _, got = rows(PLAN_LINES, registry)
    # 初步预计，… 。其中，…: the sentences after the lead-in are estimates too
    assert got[("A", "第一产业增加值", "21")]["estimate"] == "yes"
    assert got[("A", "fixed-asset-investment", "150")]["estimate"] == "yes"
    # progress against the plan of an estimated result is estimated; the plan figure is not
    assert got[("P", "fixed-asset-investment", "93.8")]["estimate"] == "yes"
    assert got[("T", "fixed-asset-investment", "160")]["estimate"] == "no"
    # the next paragraph has no lead-in: its results are not estimates
    assert got[("A", "new-urban-jobs", "3200")]["estimate"] == "no"


def test_an_estimate_word_inside_a_sentence_does_not_reach_the_next_one(registry):
    text = PLAN_LINES.replace("初步预计，全区地区生产总值", "全区地区生产总值预计")
    _, got = rows(text, registry)
    assert got[("A", "gdp", "420")]["estimate"] == "yes"
    assert got[("A", "第一产业增加值", "21")]["estimate"] == "no"


ENVIRONMENT = """青石区2024年国民经济和社会发展计划执行情况与2025年计划草案的报告

一、2024年计划执行情况

主要地表水体水质稳定保持II类，集中式饮用水水源地水质达到II类，土壤环境质量总体保持稳定。围绕重点产业开展专项合作，落实重点企业42个，落实惠企政策15条。

二、2025年计划

空气污染物PM2.5平均浓度在全市平均值以下，重点建设用地安全利用率达95%以上，完成上级下达的节能减排任务。
"""


def test_a_class_or_a_stable_quality_is_filed_under_the_schemes_indicator(registry):
    draft, _ = rows(ENVIRONMENT, registry)
    by_indicator = {(f.cls, f.indicator): f for f in draft.all_facts}
    # 主要地表水体水质 … II 类: "主要" narrows nothing; the class is the surface-water indicator's
    water = by_indicator[("achievement", "surface-water-quality")]
    assert water.qualitative == "II类"
    assert ("achievement", "drinking-water-source-quality") in by_indicator
    assert ("achievement", "soil-environment-quality") in by_indicator
    # 空气污染物 PM2.5 平均浓度 below the city's average: the PM2.5 indicator, not a proposal
    pm25 = by_indicator[("target", "pm25-concentration")]
    assert pm25.comparator == "not-above-benchmark" or pm25.comparator == "below-benchmark"
    assert ("target", "key-construction-land-safe-use-rate") in by_indicator
    assert ("target", "energy-saving-emission-reduction") in by_indicator
    assert not any("污染物" in i.label_zh or "水体" in i.label_zh for i in draft.proposed)


def test_a_verb_that_counts_rules_still_counts_enterprises(registry):
    _, got = rows(ENVIRONMENT, registry)
    # 落实重点企业 42 个 is a result; 落实惠企政策 15 条 counts rules, no fact
    assert ("A", "落实重点企业", "42") in got
    assert not any(key[2] == "15" for key in got)


SHARED_HEAD = """临江区2023年国民经济和社会发展计划执行情况与2024年计划草案的报告

一、2023年计划执行情况

城镇、农村居民人均可支配收入分别达到68000元和42000元，分别增长5.1%和6.3%。
"""


def test_coordinated_modifiers_share_the_head_noun_of_the_last_item(registry):
    _, got = rows(SHARED_HEAD, registry)
    urban = got[("A", "urban-disposable-income", "68000")]
    assert urban["subject"] == "城镇居民人均可支配收入"
    assert got[("A", "rural-disposable-income", "42000")]["subject"] == "农村居民人均可支配收入"
    # the second list of numbers continues the subjects of the first, in order
    assert got[("A", "urban-disposable-income-growth", "5.1")]["direction"] == "increase"
    assert ("A", "rural-disposable-income-growth", "6.3") in got
    # 和 instead of 、 between the modifiers
    _, got = rows(SHARED_HEAD.replace("城镇、农村", "城镇和农村"), registry)
    assert ("A", "urban-disposable-income", "68000") in got


HEADED_LINES = """白沙县2023年国民经济和社会发展计划执行情况与2024年计划草案的报告

一、2023年计划执行情况

（一）主要指标完成情况
1.地区生产总值。年初计划增长7%，预计全年增长5.5%，低于年度目标1.5个百分点。
2.固定资产投资。年度目标150亿元，预计完成153亿元，完成年度目标的102%。
3.一般公共预算收入。年度预算12亿元，预计完成12.3亿元，增长4.5%。
"""


def test_a_years_target_budget_and_progress_against_them(registry):
    _, got = rows(HEADED_LINES, registry)
    assert got[("T", "gdp-growth", "7")]["period"] == "2023"
    assert got[("A", "gdp-growth", "5.5")]["estimate"] == "yes"
    # the distance to the year's own target is no target or result of its own
    assert not any(key[2] == "1.5" for key in got)
    # 年度目标 150 亿元 is the year's target; 完成年度目标的 102% progress towards it
    assert got[("T", "fixed-asset-investment", "150")]["kind"] == "T"
    progress = got[("P", "fixed-asset-investment", "102")]
    assert (progress["unit"], progress["estimate"]) == ("%", "yes")
    # 年度预算 12 亿元: the budget is the target, the estimate beside it the result
    assert got[("T", "general-budget-revenue", "12")]["subject"] == "一般公共预算收入"
    assert got[("A", "general-budget-revenue", "12.3")]["estimate"] == "yes"
    assert got[("A", "general-budget-revenue-growth", "4.5")]["estimate"] == "yes"


TABLE = """石门县2023年国民经济和社会发展计划执行情况与2024年计划草案的报告

一、2023年计划执行情况

全县经济平稳运行。

附表：主要经济指标
指标\t单位\t2023年计划\t2023年预计完成\t2024年目标
地区生产总值增速\t%\t7\t5.5\t6.5左右
固定资产投资\t亿元\t150\t153\t165
城镇新增就业\t人\t5000\t5200\t5000以上
"""


def test_a_plan_versus_result_table_is_listed_as_written(registry):
    _, got = rows(TABLE, registry)
    plan = got[("T", "gdp-growth", "7")]
    # the unit as the unit column writes it, a growth rate's direction, the subject without 增速
    assert (plan["unit"], plan["direction"], plan["subject"], plan["period"]) == \
        ("%", "increase", "地区生产总值", "2023")
    result = got[("A", "gdp-growth", "5.5")]
    assert (result["estimate"], result["unit"]) == ("yes", "%")
    assert got[("T", "gdp-growth", "6.5")]["comparator"] == "approximately"
    investment = got[("A", "fixed-asset-investment", "153")]
    assert (investment["unit"], investment["direction"]) == ("亿元", "level")
    assert got[("T", "new-urban-jobs", "5000")]["unit"] == "人"


STRUCTURE = """青石区2023年国民经济和社会发展计划执行情况与2024年计划草案的报告

一、2023年计划执行情况

地区生产总值增长5%，三次产业结构调整为2.8:50.9:46.3。城乡居民收入比缩小到2.1:1，每天8:30开放政务大厅。
"""


def test_a_structure_of_shares_is_one_fact_as_written(registry):
    draft, got = rows(STRUCTURE, registry)
    structure = got[("A", "三次产业结构", "2.8:50.9:46.3")]
    assert (structure["unit"], structure["direction"]) == ("", "level")
    # a ratio that is no structure of shares (2.1:1) and a time (8:30) are no such fact
    assert not any(":" in key[2] and key[2] != "2.8:50.9:46.3" for key in got)
    # listed as written, kept out of the graph (the ontology has no unit for it)
    assert all(f.value_text != "2.8:50.9:46.3" for f in draft.facts)
    assert ("A", "gdp-growth", "5") in got


SHORTENED = """青溪区2023年国民经济和社会发展计划执行情况与2024年计划草案的报告

一、2023年计划执行情况

外贸进出口总额52亿元，其中出口38亿元，增长12%。规模以上工业企业达到180家，新增25家。居民人均可支配收入38000元，增长6%，其中城镇居民45000元、农村居民22000元。
"""


def test_a_subject_the_text_shortens_takes_the_rest_from_the_clause_before(registry):
    _, got = rows(SHORTENED, registry)
    # 其中出口: a part of the total, neither the total nor its growth
    assert got[("A", "出口", "38")]["subject"] == "出口"
    assert ("A", "出口", "12") in got
    assert not any(key[1] == "import-export-growth" for key in got)
    # 新增 25 家 after 规模以上工业企业 180 家
    assert got[("A", "new-above-scale-industrial-enterprises", "25")]["subject"] == \
        "新增规模以上工业企业"
    # 其中城镇居民 …、农村居民 … after 居民人均可支配收入
    assert got[("A", "urban-disposable-income", "45000")]["subject"] == "城镇居民人均可支配收入"
    assert got[("A", "rural-disposable-income", "22000")]["subject"] == "农村居民人均可支配收入"
    assert ("A", "disposable-income-growth", "6") in got


SHARES_AND_TOTALS = """余林区2022年国民经济和社会发展计划执行情况与2023年计划草案的报告

一、2022年计划执行情况

数字经济核心产业增加值1750亿元，增长6.1%，占GDP比重达62%。R&D经费支出占GDP比重达到5.2%。新增高新技术企业356家，累计达到2300家。
"""


def test_shares_abbreviations_and_running_totals(registry):
    _, got = rows(SHARES_AND_TOTALS, registry)
    # 占 GDP 比重 after a subject: the share of that subject
    assert got[("A", "数字经济核心产业增加值占GDP比重", "62")]["unit"] == "%"
    # GDP written out matches the label of R&D intensity exactly
    assert got[("A", "rd-intensity", "5.2")]["subject"] == "R&D经费支出占GDP比重"
    # 累计达到 2300 家 after 新增高新技术企业 356 家: the total number, without 新增
    total = got[("A", "high-tech-enterprises", "2300")]
    assert total["subject"] == "高新技术企业"
    assert got[("A", "新增高新技术企业", "356")]["subject"] == "新增高新技术企业"


FLOOR_AND_BUDGET = """青溪县2023年国民经济和社会发展计划执行情况与2024年计划草案的报告

一、2023年计划执行情况

一般公共预算收入预计完成12.3亿元，完成预算的102.5%。

二、2024年计划

规模以上工业增加值增长8%，确保7%。
"""


def test_a_floor_after_a_target_and_progress_against_the_budget(registry):
    draft, got = rows(FLOOR_AND_BUDGET, registry)
    # 完成预算的 102.5%: progress against the budget, of the line's indicator
    progress = got[("P", "general-budget-revenue", "102.5")]
    assert (progress["unit"], progress["estimate"]) == ("%", "yes")
    # 增长 8%，确保 7%: the same growth, at least 7%; the 8% target is the one scored
    floor = got[("T", "industrial-value-added-growth", "7")]
    assert (floor["direction"], floor["comparator"]) == ("increase", "at-least")
    firm = next(f for f in draft.facts if f.indicator == "industrial-value-added-growth")
    assert firm.value == 8 and "确保" in (firm.note or "")


SPANS = """青溪县2023年国民经济和社会发展计划执行情况与2024年计划草案的报告

一、2023年计划执行情况

“十四五”以来，全县地区生产总值年均增长6.2%。近三年累计完成固定资产投资500亿元。2021—2023年，城镇新增就业累计1.5万人。2023年1—10月，规模以上工业增加值增长8.1%。全年粮食产量21.5万吨。
"""


def test_spans_of_years_hold_to_their_sentence_and_are_no_subject(registry):
    _, got = rows(SPANS, registry)
    assert got[("A", "gdp-growth", "6.2")]["period"] == "2021/2023"
    # 近三年累计完成固定资产投资: the span is the period, the subject is 固定资产投资
    investment = got[("A", "fixed-asset-investment", "500")]
    assert (investment["period"], investment["subject"]) == ("2021/2023", "固定资产投资")
    # a span written out in years
    assert got[("A", "new-urban-jobs", "1.5")]["period"] == "2021/2023"
    assert got[("P", "industrial-value-added-growth", "8.1")]["period"] == "2023-01/2023-10"
    # a later sentence of the paragraph is about the year again
    assert got[("A", "grain-output", "21.5")]["period"] == "2023"


THRESHOLD = """青溪县2023年国民经济和社会发展计划执行情况与2024年计划草案的报告

一、2023年计划执行情况

农村居民人均可支配收入突破2万元，达到20560元，增长7.2%。
"""


def test_a_threshold_passed_beside_the_figure_leaves_the_figure_as_the_result(registry):
    draft, got = rows(THRESHOLD, registry)
    # both listed with the indicator; the graph holds the figure, 20560 元, not "more than 2 万"
    assert got[("A", "rural-disposable-income", "2")]["comparator"] == "more-than"
    assert got[("A", "rural-disposable-income", "20560")]["comparator"] == "point"
    kept = [f for f in draft.facts if f.indicator == "rural-disposable-income"]
    assert [f.value for f in kept] == [20560] and "突破" in (kept[0].note or "")


ONGOING = """青溪区2023年国民经济和社会发展计划执行情况与2024年计划草案的报告

一、2023年计划执行情况

31宗重点地块取得进展，其中9宗、1001亩完成出让，22宗、15312.1亩地块正常推进。
"""


def test_work_still_under_way_is_no_result_of_the_year(registry):
    _, got = rows(ONGOING, registry)
    assert any(key[2] == "1001" for key in got)        # 完成出让: done in the year
    assert not any(key[2] == "15312.1" for key in got)  # 正常推进: still under way
