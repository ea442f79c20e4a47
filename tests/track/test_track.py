"""Scoring targets against results (tckg.track): the report's own verdicts, the rules on
synthetic targets, a FICTIONAL next-year report answering the 2023 targets, manual
assessments, the assessment graph with PROV-O, the named query, the CLI and the HTML page.
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import ROOT, run_tckg
from rdflib import Graph, Literal, URIRef
from rdflib.compare import to_isomorphic
from rdflib.namespace import PROV, RDF, RDFS, SKOS

from tckg.compile import compile_report, write_turtle
from tckg.namespaces import ASSESSMENT_GRAPH, STATUS, TCK
from tckg.store.load import load_dataset
from tckg.track import (
    RULES,
    STATUSES,
    TrackError,
    add_assessments,
    assess,
    judge,
    load_manual_assessments,
    write_assessments,
)

FIXTURES = ROOT / "tests" / "fixtures"
FICTIONAL_DIR = FIXTURES / "fictional-tianyuan-2024"
FICTIONAL_TEXT = (FICTIONAL_DIR / "fictional-tianyuan-2024-plan.txt").read_text(encoding="utf-8")
MANUAL = FIXTURES / "manual-assessments.ttl"
SYNTHETIC = FIXTURES / "synthetic-rules.ttl"
REAL = "https://w3id.org/tckg/report/tianyuan-2023-plan"
FICTIONAL = "https://w3id.org/tckg/report/fictional-tianyuan-2024-plan"
D = Decimal


@pytest.fixture(scope="session")
def fictional_ttl(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The FICTIONAL 2024 report, compiled from its YAML source as a real report would be."""
    out = tmp_path_factory.mktemp("fictional") / "fictional-tianyuan-2024-plan.ttl"
    write_turtle(compile_report(FICTIONAL_DIR, FICTIONAL_DIR), out)
    return out


@pytest.fixture(scope="session")
def two_reports(fictional_ttl: Path):
    """The real 2023 plan report, the fictional 2024 one and the manual assessment example."""
    return load_dataset([ROOT / "data" / "report.ttl", fictional_ttl, MANUAL])


@pytest.fixture(scope="session")
def card_2022(dataset):
    return assess(dataset, year=2022)


@pytest.fixture(scope="session")
def card_two(two_reports):
    return assess(two_reports, now=datetime(2024, 2, 1, 12, 0, tzinfo=UTC))


# -- the report's own words about 2022 ----------------------------------------------------------
# 预计居民收入、就业、粮食总产量等指标能够达到年初预期，地区生产总值、固定资产投资、社会消费品
# 零售总额、地方收入、进出口等指标离年初目标任务还有差距.

@pytest.mark.parametrize("indicator, status", [
    ("disposable-income-growth", "met"),
    ("new-urban-jobs", "met"),
    ("grain-output", "met"),
    ("gdp-growth", "missed"),
    ("fixed-asset-investment-growth", "missed"),
    ("retail-sales-growth", "missed"),
    ("general-budget-revenue-growth", "missed"),
    ("import-export-growth", "missed"),
    ("industrial-value-added-growth", "missed"),
])
@pytest.mark.slow
def test_2022_scorecard_agrees_with_the_report(card_2022, indicator, status):
    row = card_2022.get(indicator, 2022)
    assert row.status == status, row.reason
    assert row.result_report == REAL  # the same report states the 2022 plan and its result
    assert row.is_estimate is True  # the review's figures are 预计数
    assert row.result_evidence, "every verdict shows the quote of its result"


def test_2022_income_is_met_by_the_relative_statement(card_2022):
    row = card_2022.get("disposable-income-growth", 2022)
    assert row.rule == "relative-stated"
    assert row.target_text == "高于地区生产总值增速"
    assert [q.text for q in row.target_evidence] == ["高于经济增长"]
    assert [q.text for q in row.result_evidence] == ["高于经济增长"]
    assert row.achievement == f"{REAL}/achievement/2022/tianyuan/disposable-income-growth"
    assert row.gap is None


def test_2022_jobs_8316_against_7000_reach_118_8_percent(card_2022):
    row = card_2022.get("new-urban-jobs", 2022)
    assert (row.target_value, row.result_value) == (D(7000), D(8316))
    assert row.rule == "point-floor"  # a point target is a floor for a higher-is-better count
    assert row.gap == D(1316)
    assert row.share_reached == D("1.1880")
    assert row.share_text == "118.8%"
    assert "8316 人" in [q.text for q in row.result_evidence]


def test_2022_industry_12_planned_10_5_estimated_is_missed_by_1_5_points(card_2022):
    row = card_2022.get("industrial-value-added-growth", 2022)
    assert row.target_text == "12%" and row.result_text == "10.5%（预计）"
    assert row.gap == D("-1.5") and row.gap_unit == "个百分点"
    assert row.share_reached is None  # a growth rate has no share of the target
    assert "1.5 percentage points below" in row.reason
    assert "规模工业增加值增长 10.5%" in [q.text for q in row.result_evidence]


def test_2022_gaps_of_the_missed_indicators(card_2022):
    gaps = {i: card_2022.get(i, 2022).gap for i in (
        "gdp-growth", "fixed-asset-investment-growth", "retail-sales-growth",
        "general-budget-revenue-growth", "import-export-growth")}
    assert gaps == {"gdp-growth": D(-4), "fixed-asset-investment-growth": D(-37),
                    "retail-sales-growth": D(-7), "general-budget-revenue-growth": D("-18.98"),
                    "import-export-growth": D("-14.4")}


def test_2022_grain_3_5_wan_tonnes_more_than_meets_3_5(card_2022):
    row = card_2022.get("grain-output", 2022)
    assert row.result_text == "超过 3.5 万吨（预计）"  # 全年粮食总产量 3.5 万余吨
    assert row.gap == 0 and row.share_reached == 1


# -- the real report alone: 2023 targets wait for next year's report ---------------------------

@pytest.mark.slow
def test_2023_targets_have_no_result_yet_in_the_real_report(dataset):
    card = assess(dataset, year="2023", scope="district")
    assert {r.year for r in card} == {"2023"} and {r.scope for r in card} == {"district"}
    gdp = card.get("gdp-growth", 2023)
    assert gdp.status == "no-result" and gdp.target_text == "7.5% 左右"
    assert card.counts()["met"] == 0


@pytest.mark.slow
def test_benchmark_outside_the_data_is_not_assessable_and_says_so(dataset):
    row = assess(dataset, year=2023).get("surveyed-unemployment-rate", 2023)
    assert row.status == "not-assessable" and row.rule == "missing-reference"
    assert "湖南省" in row.reason and "not in the data" in row.reason
    assert "湖南省" in row.reason_zh and "不在数据中" in row.reason_zh


@pytest.mark.slow
def test_qualitative_and_unquantified_targets_need_a_manual_assessment(dataset):
    card = assess(dataset, year=2023)
    water = card.get("xiangjiang-water-quality", 2023)
    assert (water.status, water.rule) == ("not-assessable", "qualitative")
    assert water.target_text == "保持或优于 II 类"
    assert "manual assessment" in water.reason
    energy = card.get("energy-saving-emission-reduction", 2023)
    assert (energy.status, energy.rule) == ("not-assessable", "unquantified")


@pytest.mark.slow
def test_city_targets_are_scored_apart_from_district_targets(dataset):
    card = assess(dataset, year=2023, scope="city")
    jobs = card.get("new-urban-jobs", 2023, "city")
    assert jobs.target_text == "5.2 万人" and jobs.area_label == "株洲市"
    with pytest.raises(KeyError):
        card.get("new-urban-jobs", 2023, "district")


# -- across reports: the FICTIONAL 2024 report answers the 2023 targets -------------------------

@pytest.mark.parametrize("indicator, scope, status, gap, share", [
    ("gdp-growth", "district", "met-within-tolerance", D("-0.4"), None),
    ("industrial-value-added-growth", "district", "met", D("0.6"), None),
    ("fixed-asset-investment-growth", "district", "missed", D("-3.5"), None),
    ("disposable-income-growth", "district", "met", D("0.3"), None),
    ("new-urban-jobs", "district", "met", D(350), D("1.05")),
    ("grain-output", "district", "missed", D("-0.05"), D("0.9857")),
    ("high-level-talents-introduced", "district", "missed", D(-4), D("0.96")),
    ("registered-unemployment-rate", "district", "met", D("-0.6"), None),
    ("pm25-concentration", "district", "met", D(-2), None),
    ("new-urban-jobs", "city", "met", D("0.1"), D("1.0192")),
    ("gdp-growth", "city", "missed", D("-0.9"), None),
])
@pytest.mark.slow
def test_fictional_next_report_answers_the_2023_targets(card_two, indicator, scope, status,
                                                          gap, share):
    row = card_two.get(indicator, 2023, scope)
    assert row.target_report == REAL
    assert row.result_report == FICTIONAL
    assert (row.status, row.gap, row.share_reached) == (status, gap, share), row.reason
    assert row.achievement.startswith(FICTIONAL + "/achievement/2023/")
    # the verdict points at the evidence in the second report: the quote stands at its offsets
    assert row.result_evidence
    for quote in row.result_evidence:
        assert quote.report == FICTIONAL
        assert FICTIONAL_TEXT[quote.start:quote.end] == quote.text


@pytest.mark.slow
def test_fictional_report_is_written_in_the_same_ontology(fictional_ttl):
    from tckg.validate import validate_dataset

    ds = load_dataset([fictional_ttl])
    assert ds.report_graphs() == [URIRef("https://w3id.org/tckg/graph/fictional-tianyuan-2024-plan")]
    report = validate_dataset(ds)
    assert report.conforms, report.violations[:3]
    title = ds.union().value(URIRef(FICTIONAL), RDFS.label)
    assert "虚构" in title or "FICTIONAL" in title


def test_gdp_2023_7_1_against_7_5_approximately_is_within_the_half_point(card_two):
    row = card_two.get("gdp-growth", 2023)
    assert row.rule == "approx-floor" and row.tolerance == D("0.5")
    assert [q.text for q in row.result_evidence] == ["全区地区生产总值增长 7.1%"]
    assert "GDP 增长 7.5%左右" in [q.text for q in row.target_evidence]
    assert "within the tolerance of 0.5 percentage points" in row.reason


def test_income_2023_compares_two_results_of_the_same_area_and_year(card_two):
    row = card_two.get("disposable-income-growth", 2023)
    assert row.rule == "relative-results"
    assert set(row.based_on) == {f"{FICTIONAL}/achievement/2023/tianyuan/disposable-income-growth",
                                 f"{FICTIONAL}/achievement/2023/tianyuan/gdp-growth"}
    assert row.result_text == "7.4%（地区生产总值增速 7.1%）"


def test_results_in_other_units_are_converted_to_the_targets_unit(card_two):
    grain = card_two.get("grain-output", 2023)  # 34500 吨 against 3.5 万吨以上
    assert grain.result_text == "34500 吨" and grain.result_value == D("3.45")
    assert grain.gap_unit == "万吨"
    city_jobs = card_two.get("new-urban-jobs", 2023, "city")  # 53000 人 against 5.2 万人
    assert city_jobs.result_value == D("5.3") and city_jobs.gap_unit == "万人"


def test_benchmark_in_the_data_decides(card_two):
    row = card_two.get("pm25-concentration", 2023)  # 在全市平均值以下: 33 against Zhuzhou's 35
    assert row.rule == "benchmark"
    assert f"{FICTIONAL}/achievement/2023/zhuzhou/pm25-concentration" in row.based_on
    still = card_two.get("surveyed-unemployment-rate", 2023)  # Hunan is still not in the data
    assert still.status == "not-assessable" and "湖南省" in still.reason


def test_the_fictional_reports_own_2024_target_has_no_result(card_two):
    row = card_two.get("gdp-growth", 2024)
    assert row.status == "no-result" and row.target_report == FICTIONAL


def test_the_2022_verdicts_do_not_change_when_a_later_report_is_loaded(card_two, card_2022):
    for row in card_2022:
        assert card_two.get(row.indicator.rsplit("/", 1)[-1], 2022).status == row.status


# -- manual assessments ------------------------------------------------------------------------

def test_manual_assessment_wins_and_is_shown_as_manual(card_two):
    row = card_two.get("xiangjiang-water-quality", 2023)
    assert (row.status, row.rule, row.is_manual) == ("met", "manual", True)
    assert row.manual_assessment.startswith("https://w3id.org/tckg/manual-assessment/")
    assert row.result_text == "保持 II 类" and row.result_report == FICTIONAL
    assert [q.text for q in row.result_evidence] == ["湘江天元区段水质保持 II 类"]
    assert "FICTIONAL" in row.reason and "虚构" in row.reason_zh


@pytest.mark.slow
def test_manual_assessments_load_from_their_own_file(fictional_ttl):
    ds = load_dataset([ROOT / "data" / "report.ttl", fictional_ttl])
    assert assess(ds, year=2023).get("xiangjiang-water-quality", 2023).status == "not-assessable"
    load_manual_assessments(ds, [MANUAL])
    assert assess(ds, year=2023).get("xiangjiang-water-quality", 2023).is_manual


MANUAL_HEAD = """@prefix tck: <https://w3id.org/tckg/def#> .
@prefix status: <https://w3id.org/tckg/status/> .
<https://example.org/a> a tck:Assessment ; tck:isManual true ;
"""
GOOD_TARGET = f"<{REAL}/target/2023/district/soil-environment-quality>"


@pytest.mark.parametrize("body, message", [
    (f"tck:assesses {GOOD_TARGET} ; tck:status status:fine ; tck:reason \"r\"@en ; "
     "tck:basedOn <https://example.org/x> .", "status:met"),
    (f"tck:assesses <{REAL}/target/2023/district/no-such> ; tck:status status:met ; "
     "tck:reason \"r\"@en ; tck:basedOn <https://example.org/x> .", "not a target"),
    (f"tck:assesses {GOOD_TARGET} ; tck:status status:met ; "
     "tck:basedOn <https://example.org/x> .", "no tck:reason"),
    (f"tck:assesses {GOOD_TARGET} ; tck:status status:met ; tck:reason \"r\"@en .",
     "no tck:basedOn"),
    # once ignored without a word: a status of the two, or the record skipped
    (f"tck:assesses {GOOD_TARGET} ; tck:status status:met, status:missed ; tck:reason \"r\"@en ; "
     "tck:basedOn <https://example.org/x> .", "two statuses"),
    ("isManual:yes", "tck:isManual \"yes\""),
])
@pytest.mark.slow
def test_bad_manual_assessments_are_refused_with_the_node_named(tmp_path, dataset, body, message):
    bad = tmp_path / "manual.ttl"
    head = MANUAL_HEAD
    if body == "isManual:yes":
        head = MANUAL_HEAD.replace("tck:isManual true", 'tck:isManual "yes"')
        body = (f"tck:assesses {GOOD_TARGET} ; tck:status status:met ; tck:reason \"r\"@en ; "
                "tck:basedOn <https://example.org/x> .")
    bad.write_text(head + body + "\n", encoding="utf-8")
    ds = load_dataset([ROOT / "data" / "report.ttl", bad])
    with pytest.raises(TrackError, match=message) as info:
        assess(ds)
    assert "https://example.org/a" in str(info.value)


# -- the rules on synthetic targets (FICTIONAL fixture) ----------------------------------------

@pytest.fixture(scope="module")
def synthetic():
    return assess(load_dataset([SYNTHETIC]))


@pytest.mark.parametrize("indicator, year, status, rule, gap", [
    # lower is better, approximately: a ceiling with 0.5 points of tolerance above
    ("registered-unemployment-rate", 2030, "met", "approx-ceiling", D("-0.2")),
    ("registered-unemployment-rate", 2031, "met-within-tolerance", "approx-ceiling", D("0.3")),
    ("registered-unemployment-rate", 2032, "missed", "approx-ceiling", D("0.7")),
    # at most / below, with 近 (nearly) counting as just under its number
    ("registered-unemployment-rate", 2033, "met", "at-most", D(0)),
    ("registered-unemployment-rate", 2034, "missed", "at-most", D("0.1")),
    ("registered-unemployment-rate", 2035, "met", "below", D(0)),
    # a range for a higher-is-better indicator: inside met, below missed, above still met
    ("gdp-growth", 2030, "met", "range-floor", D(0)),
    ("gdp-growth", 2031, "missed", "range-floor", D("-0.1")),
    ("gdp-growth", 2032, "met", "range-floor", D("0.5")),
    # a range for a lower-is-better indicator
    ("pm25-concentration", 2030, "missed", "range-ceiling", D(1)),
    ("pm25-concentration", 2031, "met", "range-ceiling", D(-2)),
    # unit conversion: 35000 吨 is 3.5 万吨; 34000 吨 is within 5 % of 3.5 万吨 左右
    ("grain-output", 2030, "met", "at-least", D(0)),
    ("grain-output", 2031, "met-within-tolerance", "approx-floor", D("-0.1")),
    ("grain-output", 2032, "not-assessable", "incomparable-units", None),
    # a later report's final figure wins over an earlier estimate
    ("new-urban-jobs", 2033, "missed", "point-floor", D(-100)),
])
def test_rules_on_synthetic_targets(synthetic, indicator, year, status, rule, gap):
    row = synthetic.get(indicator, year)
    assert (row.status, row.rule, row.gap) == (status, rule, gap), row.reason


def test_unit_conversion_3_5_wan_tonnes_is_35000_tonnes(synthetic):
    row = synthetic.get("grain-output", 2030)
    assert row.result_text == "35000 吨" and row.result_value == D("3.5")
    assert row.share_reached == D(1)
    assert "35000 吨 is 3.5 万吨" in row.reason
    assert "万亩" in synthetic.get("grain-output", 2032).reason


def test_level_tolerance_is_5_percent_of_the_target(synthetic):
    row = synthetic.get("grain-output", 2031)
    assert row.tolerance == D("0.05")  # as configured: a fraction for levels
    assert "0.175 万吨" in row.reason  # 5 % of 3.5 万吨


def test_share_is_not_given_for_lower_is_better_or_growth_targets(synthetic):
    assert synthetic.get("pm25-concentration", 2030).share_reached is None
    assert synthetic.get("gdp-growth", 2030).share_reached is None


@pytest.mark.parametrize("operator, polarity, target, result, upper, tol, bias, expected", [
    ("approx", "higher-is-better", "7.5", "7.5", None, "0.5", 0, "met"),
    ("approx", "higher-is-better", "7.5", "9", None, "0.5", 0, "met"),
    ("approx", "higher-is-better", "7.5", "7", None, "0.5", 0, "met-within-tolerance"),
    ("approx", "higher-is-better", "7.5", "6.9", None, "0.5", 0, "missed"),
    ("approx", "lower-is-better", "3", "2", None, "0.5", 0, "met"),
    ("approx", "lower-is-better", "3", "3.5", None, "0.5", 0, "met-within-tolerance"),
    ("approx", "lower-is-better", "3", "3.6", None, "0.5", 0, "missed"),
    ("approx", "neutral", "50", "50", None, "2.5", 0, "met"),
    ("approx", "neutral", "50", "52", None, "2.5", 0, "met-within-tolerance"),
    ("approx", "neutral", "50", "47", None, "2.5", 0, "missed"),
    ("eq", "higher-is-better", "100", "99", None, "5", 0, "missed"),
    ("eq", "lower-is-better", "100", "99", None, "5", 0, "met"),
    ("eq", "neutral", "100", "104", None, "5", 0, "met-within-tolerance"),
    ("ge", "lower-is-better", "10", "10", None, "0", 0, "met"),
    ("gt", "higher-is-better", "10", "10", None, "0", 0, "missed"),
    ("gt", "higher-is-better", "10", "10", None, "0", 1, "met"),  # 10 余 is more than 10
    ("le", "lower-is-better", "10", "10", None, "0", 1, "missed"),  # 10 余 is above 10
    ("lt", "lower-is-better", "10", "10", None, "0", -1, "met"),  # 近 10 is below 10
    ("between", "neutral", "6", "6.6", "6.5", "0", 0, "missed"),
    ("between", "neutral", "6", "6.5", "6.5", "0", 0, "met"),
    ("between", "lower-is-better", "6", "5", "6.5", "0", 0, "met"),
])
def test_judge_operator_polarity_tolerance(operator, polarity, target, result, upper, tol, bias,
                                           expected):
    j = judge(operator, polarity, D(target), D(result), upper=D(upper) if upper else None,
              tolerance=D(tol), bias=bias)
    assert j.status == expected, j.reason
    assert j.rule in RULES and j.reason and j.reason_zh


def test_unknown_operator_is_refused():
    with pytest.raises(TrackError, match="unknown comparator operator"):
        judge("roughly", None, D(1), D(1))


# -- tolerances ----------------------------------------------------------------------------------

def test_default_tolerances_come_from_the_ontology(card_two, two_reports):
    assert card_two.tolerances["growth-rate"] == D("0.5")
    assert card_two.tolerances["level"] == D("0.05")
    g = two_reports.union()
    for kind, value in card_two.tolerances.items():
        assert g.value(URIRef(f"https://w3id.org/tckg/kind/{kind}"), TCK.tolerance).toPython() \
            == value


@pytest.mark.slow
def test_tolerance_override_turns_7_1_into_a_miss(two_reports):
    card = assess(two_reports, year=2023, tolerances={"growth-rate": "0.3"})
    row = card.get("gdp-growth", 2023)
    assert row.status == "missed" and row.tolerance == D("0.3")
    assert card.get("retail-sales-growth", 2023).status == "met"  # 7.8 above 7.5 stays met


@pytest.mark.parametrize("tolerances, message", [
    ({"growth": 1}, "unknown indicator kind 'growth'"),
    ({"growth-rate": -1}, "at least 0"),
    ({"level": "a lot"}, "must be a number"),
])
def test_bad_tolerances_are_refused(dataset, tolerances, message):
    with pytest.raises(TrackError, match=message):
        assess(dataset, tolerances=tolerances)


def test_bad_year_and_scope_are_refused(dataset):
    with pytest.raises(TrackError, match="four-digit year"):
        assess(dataset, year="23")
    with pytest.raises(TrackError, match="district"):
        assess(dataset, scope="county")


def test_status_labels_match_the_ontology(dataset):
    g = dataset.union()
    for notation, (zh, en) in STATUSES.items():
        labels = {(str(v), v.language) for v in g.objects(STATUS[notation], SKOS.prefLabel)}
        assert {(zh, "zh"), (en, "en")} <= labels, notation


# -- assessments as RDF ------------------------------------------------------------------------

def _without_time(graph: Graph) -> Graph:
    out = Graph()
    for s, p, o in graph:
        if p not in (PROV.generatedAtTime, PROV.endedAtTime):
            out.add((s, p, o))
    return out


@pytest.mark.slow
def test_assessments_written_twice_are_identical_but_for_the_time(two_reports, tmp_path):
    first = assess(two_reports, now=datetime(2024, 2, 1, tzinfo=UTC))
    second = assess(two_reports, now=datetime(2025, 3, 4, 5, 6, 7, tzinfo=UTC))
    a, b = tmp_path / "a.ttl", tmp_path / "b.ttl"
    write_assessments(first, a)
    write_assessments(second, b)
    ga, gb = Graph().parse(a), Graph().parse(b)
    assert ga != gb and set(ga.objects(None, PROV.generatedAtTime)) == {
        Literal("2024-02-01T00:00:00+00:00", datatype=URIRef(
            "http://www.w3.org/2001/XMLSchema#dateTime"))}
    assert to_isomorphic(_without_time(ga)) == to_isomorphic(_without_time(gb))
    text_a = [ln for ln in a.read_text(encoding="utf-8").splitlines() if "2024-02-01" not in ln]
    text_b = [ln for ln in b.read_text(encoding="utf-8").splitlines() if "2025-03-04" not in ln]
    assert text_a == text_b  # deterministic Turtle: a diff shows only the time


def test_assessment_graph_has_provenance_and_deterministic_iris(card_two):
    g = card_two.to_graph()
    node = URIRef("https://w3id.org/tckg/assessment/tianyuan-2023-plan/target/2023/district/"
                  "gdp-growth")
    assert (node, RDF.type, TCK.Assessment) in g
    assert g.value(node, TCK.assesses) == URIRef(f"{REAL}/target/2023/district/gdp-growth")
    assert g.value(node, TCK.status) == STATUS["met-within-tolerance"]
    assert g.value(node, TCK.basedOn) == URIRef(f"{FICTIONAL}/achievement/2023/tianyuan/gdp-growth")
    assert g.value(node, TCK.gap).toPython() == D("-0.4")
    assert g.value(node, TCK.tolerance).toPython() == D("0.5")
    assert g.value(node, TCK.isManual).toPython() is False
    rule = g.value(node, TCK.rule)
    assert rule == URIRef("https://w3id.org/tckg/rule/approx-floor")
    assert {str(v) for v in g.objects(rule, RDFS.label)} >= {"左右（越高越好）"}
    activity = g.value(node, PROV.wasGeneratedBy)
    assert "tckg 0.1.0" in {str(v)[:10] for v in g.objects(activity, RDFS.label)}
    assert URIRef(FICTIONAL) in set(g.objects(activity, PROV.used))
    assert g.value(node, PROV.generatedAtTime).toPython() == datetime(2024, 2, 1, 12, 0,
                                                                      tzinfo=UTC)
    manual = URIRef("https://w3id.org/tckg/assessment/tianyuan-2023-plan/target/2023/district/"
                    "xiangjiang-water-quality")
    assert g.value(manual, TCK.isManual).toPython() is True
    assert str(g.value(manual, PROV.wasDerivedFrom)).startswith(
        "https://w3id.org/tckg/manual-assessment/")
    assert len(set(g.subjects(RDF.type, TCK.Assessment))) == len(card_two)


@pytest.mark.slow
def test_assessments_never_touch_the_report_graphs(fictional_ttl):
    ds = load_dataset([ROOT / "data" / "report.ttl", fictional_ttl, MANUAL])
    before = {name: set(ds.store.graph(name)) for name in ds.store.graph_names()}
    card = assess(ds)
    add_assessments(ds, card)
    add_assessments(ds, assess(ds))  # twice: replaced, not doubled
    for name, triples in before.items():
        assert set(ds.store.graph(name)) == triples, name
    assert len(set(ds.store.graph(ASSESSMENT_GRAPH).subjects(RDF.type, TCK.Assessment))) == len(card)
    # loading tckg's own output back does not make its copies count as analysts' records
    assert assess(ds).get("xiangjiang-water-quality", 2023).manual_assessment.startswith(
        "https://w3id.org/tckg/manual-assessment/")


@pytest.mark.slow
def test_scorecard_named_query_reads_the_assessment_graph(fictional_ttl):
    from tckg.sparql.run import query

    ds = load_dataset([ROOT / "data" / "report.ttl", fictional_ttl, MANUAL])
    assert len(query("scorecard", ds, timeout=0)) == 0  # nothing assessed yet
    card = assess(ds)
    add_assessments(ds, card)
    rows = query("scorecard", ds, timeout=0).rows
    assert len(rows) == len(card)
    gdp = query("scorecard", ds, params={"year": "2023", "plan_level": "district",
                                         "status_code": "met-within-tolerance"}, timeout=0).rows
    assert len(gdp) == 1
    assert gdp[0]["indicator"] == "地区生产总值增速"
    assert (gdp[0]["target"], gdp[0]["result"], gdp[0]["status"]) == ("7.5% 左右", "7.1%",
                                                                         "在容差内达成")
    assert gdp[0]["gap"] == -0.4
    assert gdp[0]["result_evidence"] == "全区地区生产总值增长 7.1%"
    jobs = [r for r in rows if r["target_iri"] == f"{REAL}/target/2022/district/new-urban-jobs"]
    assert jobs[0]["share"] == pytest.approx(1.188) and jobs[0]["status"] == "达成"
    water = [r for r in rows if r["indicator"] == "湘江水质类别"][0]
    assert water["manual"] is True and water["result"] == "保持 II 类"


# -- the command line --------------------------------------------------------------------------

@pytest.mark.slow
def test_cli_json_for_2022(tckg_cli):
    result = tckg_cli("track", "--year", "2022", "--format", "json")
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    statuses = {r["indicator"].rsplit("/", 1)[1]: r["status"] for r in doc["rows"]}
    assert statuses["new-urban-jobs"] == "met" and statuses["gdp-growth"] == "missed"
    assert doc["counts"]["met"] == 3 and doc["counts"]["missed"] == 6
    jobs = next(r for r in doc["rows"] if r["indicator"].endswith("/new-urban-jobs"))
    assert jobs["share_text"] == "118.8%" and jobs["result_evidence"][0]["report"] == REAL


@pytest.mark.slow
def test_cli_table_csv_tolerance_and_write(tckg_cli, fictional_ttl, tmp_path):
    out = tmp_path / "assessments.ttl"
    files = [str(ROOT / "data" / "report.ttl"), str(fictional_ttl)]
    result = tckg_cli("track", *files, "--manual", str(MANUAL), "--year", "2023", "--scope",
                      "district", "--tolerance", "growth-rate=0.3", "--write", str(out),
                      "--lang", "zh")
    assert result.returncode == 0, result.stderr
    assert "地区生产总值增速" in result.stdout and "全区地区生产总值增长 7.1%" in result.stdout
    assert "达成（人工）" in result.stdout  # the manual verdict is marked as such
    g = Graph().parse(out)
    gdp = URIRef("https://w3id.org/tckg/assessment/tianyuan-2023-plan/target/2023/district/"
                 "gdp-growth")
    assert g.value(gdp, TCK.status) == STATUS["missed"]  # 7.1 is 0.4 below: over 0.3
    # SPARQL users see the written verdicts through the named query
    sparql = tckg_cli("query", "scorecard", "-d", files[0], "-d", files[1], "-d", str(out),
                      "-p", "status_code=missed", "-p", "plan_level=district", "-f", "csv")
    assert sparql.returncode == 0, sparql.stderr
    assert "\n地区生产总值增速,2023,district,天元区,7.5% 左右,7.1%,未达成,-0.4," in sparql.stdout
    csv_out = tckg_cli("track", *files, "--year", "2023", "--format", "csv")
    header = csv_out.stdout.splitlines()[0]
    assert header.startswith("indicator_label,indicator_label_en,year,scope,area_label,"
                             "target_text,result_text,status,gap")
    assert "\n地区生产总值增速,GDP growth,2023,district,天元区,7.5% 左右,7.1%," \
        "met-within-tolerance,-0.4," in csv_out.stdout


@pytest.mark.parametrize("args, message", [
    (["--tolerance", "growth-rate"], "kind=value"),
    (["--tolerance", "speed=1"], "unknown indicator kind"),
    (["--format", "xml"], "unknown --format"),
    (["--year", "twenty"], "four-digit year"),
])
@pytest.mark.slow
def test_cli_bad_input_exits_2_without_traceback(tckg_cli, args, message):
    result = tckg_cli("track", *args)
    assert result.returncode == 2
    assert message in result.stderr and "Traceback" not in result.stderr


def test_track_does_not_import_heavy_libraries():
    code = ("import sys, tckg.track, tckg.html.scorecard_page; "
            "print(sorted(m for m in ('pyshacl', 'pyvis', 'networkx') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            encoding="utf-8", env={"PYTHONPATH": str(ROOT / "src")}, check=True)
    assert result.stdout.strip() == "[]"


def test_run_tckg_is_the_real_command():
    assert run_tckg("track", "--help").returncode == 0


# -- the scorecard page ------------------------------------------------------------------------

def test_scorecard_page_escapes_data_and_loads_nothing(synthetic, tmp_path):
    from tckg.html.scorecard_page import STATUS_COLOURS, status_by_target, write_scorecard_html

    path = write_scorecard_html(synthetic, tmp_path / "out" / "scorecard.html")
    html = path.read_bytes().decode("utf-8")  # UTF-8 whatever the locale
    assert "合成区&lt;b&gt;&amp;&lt;/b&gt;" in html  # the fixture's area label, as text
    assert "<b>&" not in html and "<script" not in html
    assert "src=" not in html and "http://" not in html.replace("http://www.w3.org/2000/svg", "")
    assert "default-src 'none'" in html
    # one chart per year and unit: targets in one unit share an axis
    assert html.count('<svg class="unit-chart"') == len(
        {(r.year, r.target_unit) for r in synthetic
         if r.target_value is not None and r.result_value is not None})
    for status in ("met", "missed", "met-within-tolerance", "not-assessable"):
        assert STATUS_COLOURS[status] in html
    statuses = status_by_target(synthetic)
    assert statuses["https://w3id.org/tckg/report/synthetic-rules/t-unemp-2031"] \
        == "met-within-tolerance"
    assert len(statuses) == len(synthetic)
    assert not list(path.parent.glob(".*.tmp")), "written atomically, no temporary file left"


@pytest.mark.browser
def test_scorecard_page_in_a_real_browser(card_two, tmp_path):
    chromium = Path("/usr/bin/chromium")
    if not chromium.exists():
        pytest.skip("Debian's chromium is not installed at /usr/bin/chromium")
    from playwright.sync_api import sync_playwright

    from tckg.html.scorecard_page import write_scorecard_html

    path = write_scorecard_html(card_two, tmp_path / "scorecard.html")
    requests: list[str] = []
    errors: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(chromium),
                                     args=["--no-sandbox", "--disable-gpu",
                                           "--disable-background-networking"])
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
            page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(
                "file:") else route.abort())
            page.on("request", lambda r: requests.append(r.url))
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.goto(path.as_uri())
            rows = page.locator("section#y2023 tbody tr")
            assert rows.count() == len([r for r in card_two if r.year == "2023"])
            gdp = rows.filter(has_text="全区地区生产总值增长 7.1%")
            assert gdp.count() == 1
            assert "在容差内达成" in gdp.inner_text() and "-0.4 个百分点" in gdp.inner_text()
            manual = rows.filter(has_text="湘江天元区段水质保持 II 类")
            assert "人工评估 manual" in manual.inner_text()
            chart = page.locator("section#y2023 svg.unit-chart").first  # the % axis
            box = chart.bounding_box()
            assert box is not None and box["height"] > 200  # one line per target, drawn
            assert page.locator("section#y2023 svg.unit-chart rect.result-bar").count() >= 5
            ARTIFACTS = ROOT / "test-artifacts"
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "scorecard.png"), full_page=False)
        finally:
            browser.close()
    assert [u for u in requests if not u.startswith("file:")] == []
    assert errors == []
