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
