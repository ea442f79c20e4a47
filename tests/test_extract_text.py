"""Text as it arrives (issue 10): traditional characters, damaged punctuation, provenance
headers, wrapped numbers, plan-versus-result lines, periods, no facts, too much text.

Each test reads a short text written for it (fictional figures) and checks the facts the
extractor lists (``Draft.rows()``, the columns of ``bench/corpus/gold``) or the error it gives.
"""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

from tckg.extract import ExtractError, Registry, extract_text
from tckg.extract.common import MAX_TEXT_CHARS
from tckg.extract.normalise import normalise


@pytest.fixture(scope="module")
def registry():
    return Registry.default(with_data=False)


def rows(text, registry, **kw):
    draft = extract_text(text, registry=registry, **kw)
    return draft, {(r["kind"], r["indicator"] or r["subject"], r["period"]): r for r in draft.rows()}


TRADITIONAL = """青山縣2023年國民經濟和社會發展計劃執行情況與2024年計劃草案的報告

一、2023年計劃執行情況

全縣地區生產總值增長6.2%，規模以上工業增加值增長9.1%，城鎮新增就業5820人。

二、2024年計劃

地區生產總值增長6%左右，單位地區生產總值能耗下降3%以上。
"""


def test_a_traditional_report_is_read_with_quotes_in_its_own_characters(registry):
    draft, got = rows(TRADITIONAL, registry)
    assert got[("A", "gdp-growth", "2023")]["value"] == "6.2"
    assert got[("A", "industrial-value-added-growth", "2023")]["value"] == "9.1"
    assert got[("A", "new-urban-jobs", "2023")]["unit"] == "人"
    target = got[("T", "gdp-growth", "2024")]
    assert (target["value"], target["comparator"]) == ("6", "approximately")
    energy = got[("T", "energy-intensity-reduction", "2024")]
    # a reduction is stored as a positive reduction of at least 3%
    assert (energy["value"], energy["direction"], energy["comparator"]) == ("3", "decrease", "at-least")
    assert next(f for f in draft.facts if f.indicator == "energy-intensity-reduction").value > 0
    # quotes are cut from the original, traditional text
    assert "地區生產總值增長6.2%" in got[("A", "gdp-growth", "2023")]["quote"]
    assert got[("A", "gdp-growth", "2023")]["area"] == "青山县"
    assert any("traditional characters" in n for n in draft.notes)


def test_simplified_conversion_keeps_every_offset():
    text = "# title: 測試\n\n區億執行情況" * 50
    norm = normalise(text)
    assert len(norm.text) == len(text)
    assert "区亿执行情况" in norm.text and norm.header["title"] == "测试"


DAMAGED = """关于青山县2024年计划的报告

一、2023年计划执行情况

全县实施“项目攻坚年活动，地区生产总值增长6.2%，固定资产投资增长7.5%。

城镇新增就业5820人，城镇调查失业率控制在5.1%。
"""


def test_an_unbalanced_quote_does_not_swallow_the_rest(registry):
    _, got = rows(DAMAGED, registry)
    assert got[("A", "gdp-growth", "2023")]["value"] == "6.2"
    assert got[("A", "fixed-asset-investment-growth", "2023")]["value"] == "7.5"
    assert got[("A", "surveyed-unemployment-rate", "2023")]["value"] == "5.1"


COUNTY = """# source: (a test text, fictional figures)
# title: 青山县2023年国民经济和社会发展计划执行情况与2024年计划(草案)的报告
# year: 2024 session (reports 2023)

各位代表:
一、2023年计划执行情况
——年计划完成地区生产总值617亿元以上,1—9月完成428.3亿元,同比增长2.2%,全年预计完成600亿元,完成年计划的97%。
——年计划固定资产投资增长9%以上,1—10月完成170.6亿元,同比增长7.9%,全年预计同比增长8.0%,完成年计划的99%。
"""


def test_a_county_plan_versus_result_layout(registry):
    draft, got = rows(COUNTY, registry)
    plan = got[("T", "gdp", "2023")]
    assert (plan["value"], plan["unit"], plan["comparator"]) == ("617", "亿元", "at-least")
    partial = got[("P", "gdp", "2023-01/2023-09")]
    assert partial["value"] == "428.3"
    assert got[("P", "gdp-growth", "2023-01/2023-09")]["value"] == "2.2"
    estimate = got[("A", "gdp", "2023")]
    assert (estimate["value"], estimate["estimate"]) == ("600", "yes")
    progress = got[("P", "gdp", "2023")]
    assert (progress["value"], progress["unit"]) == ("97", "%")      # progress, not an indicator
    assert got[("T", "fixed-asset-investment-growth", "2023")]["comparator"] == "at-least"
    assert got[("P", "fixed-asset-investment", "2023-01/2023-10")]["value"] == "170.6"
    assert got[("A", "fixed-asset-investment-growth", "2023")]["estimate"] == "yes"
    assert not any(i.label_zh.startswith("完成年计划") for i in draft.proposed)
    # only the annual facts go into the graph: partial years and progress are listed apart
    assert all(f.annual for f in draft.facts)
    assert any(not f.annual for f in draft.all_facts)
    # the provenance header is metadata, not text; its title names the report
    assert draft.source["report"]["plan_year"] == 2024
    assert all("source" not in r["quote"] for r in draft.rows())


FIVE_YEARS = """# title: 2018年中华人民共和国国务院政府工作报告

一、过去五年工作回顾

五年来，国内生产总值从54万亿元增加到82.7万亿元，年均增长7.1%。粮食生产能力达到1.2万亿斤。

刚刚过去的2017年，经济社会发展主要目标任务全面完成。国内生产总值增长6.9%，城镇新增就业1351万人。

二、2018年经济社会发展总体要求和政策取向

今年发展的主要预期目标是：国内生产总值增长6.5%左右；居民消费价格涨幅3%左右；城镇新增就业1100万人以上，城镇调查失业率5.5%以内，城镇登记失业率4.5%以内。
"""


def test_periods_of_a_national_report(registry):
    draft, got = rows(FIVE_YEARS, registry)
    assert draft.source["report"]["area"] == "china"
    level = got[("A", "gdp", "2013/2017")]
    assert (level["value"], level["unit"], level["area"]) == ("82.7", "万亿元", "全国")
    assert got[("A", "gdp-growth", "2013/2017")]["value"] == "7.1"
    assert ("A", "gdp", "2013/2017") in got and not any(r["value"] == "54" for r in got.values())
    grain = next(r for r in got.values() if r["value"] == "1.2")
    assert grain["unit"] == "万亿斤"                                     # a unit as written
    assert got[("A", "gdp-growth", "2017")]["value"] == "6.9"           # the year named
    assert got[("A", "new-urban-jobs", "2017")]["value"] == "1351"
    assert got[("T", "cpi", "2018")]["comparator"] == "approximately"
    assert got[("T", "surveyed-unemployment-rate", "2018")]["comparator"] == "at-most"
    # the five-year figure does not displace the year's: both are kept, only the year's is annual
    annual = {(f.indicator, f.year) for f in draft.facts if f.cls == "achievement"}
    assert ("gdp-growth", 2017) in annual


def test_a_number_broken_by_a_line_wrap_is_joined(registry):
    _, got = rows("关于青山县2024年计划的报告\n\n一、2023年计划执行情况\n\n地区生产总值增长2\n0.6%，"
                  "社会消费品零售总额增长5.5%。\n", registry)
    assert got[("A", "gdp-growth", "2023")]["value"] == "20.6"


def test_a_text_without_facts_says_so(registry):
    with pytest.raises(ExtractError, match="no target or result"):
        extract_text("关于青山县2024年计划的报告\n\n一、总体要求\n\n坚持稳中求进工作总基调。\n",
                     registry=registry)


@pytest.mark.slow
def test_cli_on_a_text_without_facts_exits_non_zero_without_traceback(tmp_path):
    path = tmp_path / "empty-plan.txt"
    path.write_text("关于青山县2024年计划的报告\n\n一、总体要求\n\n坚持稳中求进工作总基调。\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "tckg", "extract", str(path), "-o",
                           str(tmp_path / "d.ttl")], capture_output=True, text=True,
                          encoding="utf-8", timeout=120)
    assert proc.returncode != 0
    assert "no target or result" in proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
    assert not (tmp_path / "d.ttl").exists()


def test_too_long_a_text_is_refused_at_once(registry):
    start = time.perf_counter()
    with pytest.raises(ExtractError, match="more than the extractor reads"):
        extract_text("关于青山县2024年计划的报告\n" + "地区生产总值增长6%。\n" * (MAX_TEXT_CHARS // 10),
                     registry=registry)
    assert time.perf_counter() - start < 1


NATIONAL_REVIEW = """国务院政府工作报告

一、过去五年工作回顾

——经济运行稳中向好。国内生产总值达到82.7

万亿元，高速铁路运营里程从9000多公里增加到2万5千公里，出境旅游人次由8300万增加到1亿3千多万。重点城市重污染天数减少一半，企业开办时间缩短三分之一以上。设立11个自贸试验区，中央财政五年投入专项扶贫资金2800多亿元。单位国内生产总值能耗、水耗均下降20%以上。

二、2018年工作建议

二氧化硫、氮氧化物排放量要下降3%，再减少农村贫困人口1000万以上，赤字率拟按2.6%安排。中央预算内投资安排5376亿元。
"""


def test_sentence_grammar_of_a_national_report(registry):
    _, got = rows(NATIONAL_REVIEW, registry, year=2018)
    span = "2013/2017"
    assert got[("A", "gdp", span)]["value"] == "82.7"                     # a paragraph broken in a number
    assert got[("A", "高速铁路运营里程", span)]["value"] == "2万5千"        # two magnitudes, as written
    assert (got[("A", "出境旅游人次", span)]["value"], got[("A", "出境旅游人次", span)]["unit"]) == ("1亿3千", "万")
    half = got[("A", "重点城市重污染天数", span)]
    assert (half["value"], half["unit"], half["direction"]) == ("一半", "", "decrease")
    assert got[("A", "企业开办时间", span)]["comparator"] == "more-than"
    assert not any(r["value"] in ("11", "2800") for r in got.values())  # counts done, budget money
    assert got[("A", "energy-intensity-reduction", span)]["value"] == "20"   # 能耗、水耗均下降
    assert ("A", "单位国内生产总值水耗", span) in got or ("A", "水耗", span) in got
    assert {("T", "二氧化硫排放量", "2018"), ("T", "氮氧化物排放量", "2018")} <= set(got) or \
        sum(r["value"] == "3" for r in got.values()) == 2                # one value, two subjects
    poor = got[("T", "poverty-reduction", "2018")]
    assert (poor["direction"], poor["comparator"]) == ("decrease", "at-least")   # 再减少…以上
    assert got[("T", "deficit-ratio", "2018")]["value"] == "2.6"         # 拟按…安排
    assert not any(r["value"] == "5376" for r in got.values())


def test_a_province_plan_notice_is_filed_under_the_province(registry):
    text = ("# title: 湖南省人民政府关于印发《湖南省2023年国民经济和社会发展计划》的通知\n\n"
            "湖南省2023年国民经济和社会发展计划\n"
            "2022年,按照省委经济工作会议、省《政府工作报告》部署要求,计划执行情况总体较好。"
            "全年地区生产总值48670.37亿元,同比增长4.5%,其中,规模以上服务业营业收入增长7.8%。\n"
            "2023年经济社会发展主要预期目标是:地区生产总值增长6.5%左右,投资增长7%。\n")
    _, got = rows(text, registry)
    assert got[("A", "gdp-growth", "2022")]["area"] == "湖南省"       # 规模以上 is no plan cue
    assert got[("T", "gdp-growth", "2023")]["comparator"] == "approximately"
    assert got[("T", "fixed-asset-investment-growth", "2023")]["value"] == "7"   # 投资增长


ESTIMATES_AND_LISTS = """关于青山区2022年国民经济和社会发展计划执行情况与2023年计划草案的报告

一、2022年主要指标预计完成情况

地区生产总值增长5%，一般公共预算收入12亿元。城乡居民人均可支配收入分别达到45210元和21030元，分别增长5.8%和7.1%。

二、2023年计划

地区生产总值增长6%左右，城乡居民人均可支配收入分别增长6%、7.5%。
"""


def test_a_heading_of_estimates_and_a_second_list_of_numbers(registry):
    _, got = rows(ESTIMATES_AND_LISTS, registry)
    # a heading that says its figures are estimates (预计完成情况) marks every result under it
    assert got[("A", "gdp-growth", "2022")]["estimate"] == "yes"
    assert got[("A", "general-budget-revenue", "2022")]["estimate"] == "yes"
    assert got[("T", "gdp-growth", "2023")]["estimate"] == "no"
    # a list of growths without a subject continues the subjects of the list of levels, in order
    assert got[("A", "urban-disposable-income", "2022")]["value"] == "45210"
    assert got[("A", "urban-disposable-income-growth", "2022")]["value"] == "5.8"
    assert got[("A", "rural-disposable-income-growth", "2022")]["value"] == "7.1"
    assert got[("T", "rural-disposable-income-growth", "2023")]["value"] == "7.5"


REVIEW_GOALS = """青山县2022年国民经济和社会发展计划执行情况

一、2022年计划执行情况

全县地区生产总值增长4.6%，低于6.5%左右的预期目标。规模以上工业增加值增长8.2%，高于7%的年度目标。一般公共预算收入同口径增长9.3%。PM2.5平均浓度降至32微克/立方米，下降5.9%。
"""


def test_a_review_states_the_years_targets_and_results_apart(registry):
    _, got = rows(REVIEW_GOALS, registry)
    # 低于 6.5% 左右的预期目标: the review year's target of the sentence's subject, not a result
    assert got[("A", "gdp-growth", "2022")]["value"] == "4.6"
    goal = got[("T", "gdp-growth", "2022")]
    assert (goal["value"], goal["comparator"], goal["direction"]) == ("6.5", "approximately", "increase")
    assert got[("T", "industrial-value-added-growth", "2022")]["value"] == "7"
    # the basis of a growth rate (同口径) and a link verb (降至) are no part of the subject
    assert got[("A", "general-budget-revenue-growth", "2022")]["value"] == "9.3"
    assert got[("A", "pm25-concentration", "2022")]["value"] == "32"
    assert got[("A", "pm25-reduction", "2022")]["value"] == "5.9"


def test_about_before_a_target_is_approximately(registry):
    text = ("关于青山县2023年计划草案的报告\n\n一、2023年计划\n\n"
            "一般公共预算收入约12亿元，城镇新增就业5000人以上。\n")
    _, got = rows(text, registry)
    assert got[("T", "general-budget-revenue", "2023")]["comparator"] == "approximately"   # 约
    assert got[("T", "new-urban-jobs", "2023")]["comparator"] == "at-least"


PLAN_FIGURES = """青山县2022年国民经济和社会发展计划执行情况

一、2022年计划执行情况

一般公共预算收入61亿元，完成县人大常委会批准调整预算60亿元的101.7%，固定资产投资86亿元，同比增长7.5%。
——年计划社会消费品零售总额增长9%以上，1—10月同比增长7.9%，排全市第一，全年预计同比增长8.0%，完成年计划的99%。
"""


def test_progress_against_a_plan_figure_the_clause_states(registry):
    _, got = rows(PLAN_FIGURES, registry)
    assert got[("A", "general-budget-revenue", "2022")]["value"] == "61"
    assert got[("T", "general-budget-revenue", "2022")]["value"] == "60"      # the plan figure
    assert got[("P", "general-budget-revenue", "2022")]["value"] == "101.7"   # progress towards it
    # the clause after the progress is a result again
    assert got[("A", "fixed-asset-investment", "2022")]["value"] == "86"
    assert got[("A", "fixed-asset-investment-growth", "2022")]["value"] == "7.5"
    # a ranking between (排全市第一) names no subject for the numbers after it
    assert got[("A", "retail-sales-growth", "2022")]["value"] == "8.0"
    assert got[("P", "retail-sales-growth", "2022")]["value"] == "99"


def test_a_zone_word_is_never_filed_under_a_zone_the_text_does_not_name(registry):
    text = ("湖南省2023年国民经济和社会发展计划执行情况\n\n一、2023年计划执行情况\n\n"
            "园区规模工业增加值占比达72.5%，地区生产总值增长4.6%。\n")
    _, got = rows(text, registry)
    # a province's 园区 are its parks, not the one zone the registry knows (株洲高新区)
    assert {r["area"] for r in got.values()} == {"湖南省"}


LISTED_ESTIMATES = """青山区2022年国民经济和社会发展计划执行情况

一、2022年计划执行情况

全年主要经济指标预计完成情况如下：
1.地区生产总值增长5.2%。
2.一般公共预算收入12亿元，增长3%。

二、2023年计划

地区生产总值增长6%左右。
"""


def test_a_numbered_list_of_estimates(registry):
    _, got = rows(LISTED_ESTIMATES, registry)
    # the list marker (1.) is no part of the indicator's name; the lead-in (预计…如下:)
    # makes every result of the list an estimate
    assert got[("A", "gdp-growth", "2022")]["estimate"] == "yes"
    assert got[("A", "general-budget-revenue", "2022")]["value"] == "12"
    assert got[("A", "general-budget-revenue-growth", "2022")]["estimate"] == "yes"
    assert got[("T", "gdp-growth", "2023")]["estimate"] == "no"


def test_an_estimate_outside_any_section_is_a_result(registry):
    text = ("青山区2023年国民经济和社会发展计划草案\n\n"
            "预计全年地区生产总值增长5%左右，规模以上工业增加值增长6%以上。"
            "2023年，地区生产总值增长6.5%左右。\n")
    _, got = rows(text, registry)
    assert got[("A", "gdp-growth", "2022")]["estimate"] == "yes"     # 左右 is no plan cue here
    assert got[("A", "industrial-value-added-growth", "2022")]["comparator"] == "more-than"
    assert got[("T", "gdp-growth", "2023")]["value"] == "6.5"


def test_a_threshold_before_a_noun_names_a_class_not_a_fact(registry):
    text = ("关于青山县2023年计划草案的报告\n\n一、2023年计划\n\n"
            "淘汰关停不达标的30万千瓦以下煤电机组，引进500万元以上项目30个，"
            "家庭签约服务扩大到85%以上地市。\n")
    _, got = rows(text, registry)
    values = {r["value"] for r in got.values()}
    assert "30万" not in values and "500" not in values   # thresholds naming a class
    assert {"30", "85"} <= values                         # the count; a share of the class


def test_doubling_and_differences_written_with_an_adjective(registry):
    text = ("2018年国务院政府工作报告\n\n一、过去五年工作回顾\n\n"
            "技术交易额翻了一番。赤字率拟按2.6%安排，比去年预算低0.4个百分点。\n")
    _, got = rows(text, registry)
    span = "2013/2017"
    assert got[("A", "技术交易额", span)]["direction"] == "increase"       # 翻了一番
    gap = next(r for r in got.values() if r["value"] == "0.4")
    assert (gap["direction"], gap["indicator"]) == ("decrease", "")       # 比…低: a difference
    assert got[("A", "deficit-ratio", span)]["value"] == "2.6"


def test_a_head_noun_takes_the_noun_the_sentence_opened_with_not_its_verb(registry):
    text = ("2030年国务院政府工作报告\n\n一、2029年工作回顾\n\n"
            "国内生产总值增长5.1%，总量达到150万亿元。各类棚户区改造开工580万套。\n")
    _, got = rows(text, registry)
    assert got[("A", "gdp", "2029")]["value"] == "150"             # 总量 after 国内生产总值增长…
    assert got[("A", "gdp-growth", "2029")]["value"] == "5.1"
    assert got[("A", "shantytown-renovation", "2029")]["value"] == "580"


INDICATOR_HEADINGS = """关于青山县2023年国民经济和社会发展计划执行情况与2024年计划草案的报告

一、2023年计划执行情况

（一）主要指标完成情况
1.地区生产总值。年初计划增长6.5%，1—9月增长4.8%，预计全年增长5%。
2.一般公共预算收入。年度目标12亿元，1—11月完成11.2亿元，预计全年完成12.1亿元，增长4.5%。
3.规模以上工业增加值。年计划增长8%，前三季度增长7.2%，预计全年增长7.5%左右。
"""


def test_a_heading_naming_an_indicator_is_the_subject_of_its_plan_versus_result_line(registry):
    _, got = rows(INDICATOR_HEADINGS, registry)
    assert got[("T", "gdp-growth", "2023")]["value"] == "6.5"          # 年初计划: the plan
    assert got[("P", "gdp-growth", "2023-01/2023-09")]["value"] == "4.8"
    assert got[("A", "gdp-growth", "2023")]["estimate"] == "yes"
    assert got[("T", "general-budget-revenue", "2023")]["value"] == "12"   # 年度目标
    assert got[("A", "general-budget-revenue-growth", "2023")]["value"] == "4.5"
    assert got[("T", "industrial-value-added-growth", "2023")]["value"] == "8"
    assert got[("P", "industrial-value-added-growth", "2023-01/2023-09")]["value"] == "7.2"


def test_an_aspiration_after_a_number_governs_only_its_own_clause(registry):
    text = ("关于青山区2026年计划的报告\n\n一、2026年计划\n\n"
            "主要预期目标是：地区生产总值增长5%以上，力争6%；一般公共预算收入增长3%；"
            "城镇新增就业3000人。\n")
    draft, got = rows(text, registry)
    firm = next(r for r in draft.rows() if r["value"] == "5")
    assert (firm["indicator"], firm["comparator"]) == ("gdp-growth", "at-least")
    assert got[("T", "general-budget-revenue-growth", "2026")]["comparator"] == "point"
    assert got[("T", "new-urban-jobs", "2026")]["comparator"] == "point"
    hoped = next(r for r in draft.rows() if r["value"] == "6")
    # a stretch target of the same indicator (not an invented one), listed beside the firm one
    assert (hoped["indicator"], hoped["comparator"], hoped["direction"], hoped["subject"]) == \
        ("gdp-growth", "strive-for", "increase", "地区生产总值")


def test_a_change_between_two_dated_figures_of_a_five_year_review(registry):
    text = ("政府工作报告\n——2026年1月8日在青山区第十九届人民代表大会第一次会议上\n\n"
            "一、过去五年工作回顾\n\n"
            "过去五年，地区生产总值由2020年的300亿元增加到2025年的420亿元，年均增长6.9%。\n")
    draft, got = rows(text, registry)
    assert got[("A", "gdp", "2021/2025")]["value"] == "420"       # the start (300) is no fact
    assert got[("A", "gdp-growth", "2021/2025")]["value"] == "6.9"  # 由 2020 年: no period of its own
    assert not any(r["value"] == "300" for r in draft.rows())
