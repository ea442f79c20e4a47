"""``scorecard.html`` read as a file: a labelled zero on every axis with negative results to its
left, target and result in the same units on one axis, the task and lead body of each target,
a link to the graph view of it, and a year without results summarised (the browser checks of
the layout are in test_pages_browser.py)."""

from __future__ import annotations

import re

import pytest

from tckg.html.scorecard_page import graph_link, scorecard_html, status_by_target, target_anchor
from tckg.track import assess

REPORT = "https://w3id.org/tckg/report/tianyuan-2023-plan/"


@pytest.fixture(scope="module")
def card(dataset):  # noqa: ANN001
    return assess(dataset)


@pytest.fixture(scope="module")
def page(card) -> str:  # noqa: ANN001
    return scorecard_html(card)


def _pct(attr: str, text: str) -> float:
    return float(re.search(rf'{attr}="([-\d.]+)%"', text).group(1))


def test_every_axis_has_a_labelled_zero_and_negatives_lie_left_of_it(page) -> None:  # noqa: ANN001
    charts = re.findall(r'<svg class="unit-chart".*?</svg>', page, re.S)
    assert charts, "the 2022 results are charted"
    for svg in charts:
        zero = re.search(r'<line x1="([\d.]+)%"[^>]*class="zero-axis"', svg)
        assert zero, "a zero line on every axis"
        assert re.search(r'class="tick zero-label"[^>]*>0%?<', svg), "and it is labelled"
    percent = next(svg for svg in charts if "单位 unit: %" in svg)
    zero_x = float(re.search(r'<line x1="([\d.]+)%"[^>]*class="zero-axis"', percent).group(1))
    bars = re.findall(r'<rect class="result-bar"[^>]*/>', percent)
    assert len(bars) == 6  # the six growth rates of 2022, on one axis
    # -28 % (fixed-asset investment): from left of zero up to zero
    fai = bars[2]
    assert _pct("x", fai) < zero_x and abs(_pct("x", fai) + _pct("width", fai) - zero_x) < 0.05
    # 4 % (GDP): starts at zero; its target outline reaches further right
    gdp, gdp_target = bars[0], re.findall(r'<rect class="target-bar"[^>]*/>', percent)[0]
    assert abs(_pct("x", gdp) - zero_x) < 0.05
    assert _pct("width", gdp_target) > _pct("width", gdp)
    assert "-30%" in percent and "10%" in percent  # the scale is labelled


def test_rows_name_task_and_lead_and_link_to_the_graph(page) -> None:  # noqa: ANN001
    fai = REPORT + "target/2022/district/fixed-asset-investment-growth"
    row = re.search(rf'<tr id="{target_anchor(fai)}">.*?</tr>', page, re.S).group(0)
    assert "创新机制推项目" in row and "招商办" in row
    assert f'href="{graph_link(fai)}"' in row and graph_link(fai).startswith("graph.html#https:")
    gdp = re.search(rf'<tr id="{target_anchor(REPORT + "target/2022/district/gdp-growth")}">'
                    r".*?</tr>", page, re.S).group(0)
    assert "not stated" in gdp


def test_a_year_without_results_is_summarised(page, card) -> None:  # noqa: ANN001
    waiting = sum(1 for r in card.rows if r.year == "2023" and r.status == "no-result")
    assert waiting > 30
    section = page.split('<section id="y2023">', 1)[1]
    assert f"{waiting} 项目标尚无结果" in section and f"{waiting} targets have no result yet" in section
    # the rows are still there, folded
    assert re.search(r"<details><summary>[^<]*\(" + str(waiting) + r"\)</summary>", section)


def test_statuses_for_the_graph_carry_the_verdict(card) -> None:  # noqa: ANN001
    verdicts = status_by_target(card)
    v = verdicts[REPORT + "target/2022/district/fixed-asset-investment-growth"]
    assert v == "missed" and v.details["gap"].startswith("-37")
    assert "招商办" in v.details["lead"] and v.details["result"].startswith("-28%")
