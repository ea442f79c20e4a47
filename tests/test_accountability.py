"""The accountability chain: for every target, the parts that serve it (stated or inferred),
the bodies the text makes them lead ("not stated" otherwise, never the issuing government by
default), and the projects they name; the named query and the scorecard rows agree."""

from __future__ import annotations

import pytest

from tckg.accountability import NOT_STATED, accountability
from tckg.sparql.run import query

REPORT = "https://w3id.org/tckg/report/tianyuan-2023-plan/"
TASK = REPORT + "task/"
GOV = "https://w3id.org/tckg/org/tianyuan-gov"


@pytest.fixture(scope="module")
def rows(dataset):  # noqa: ANN001
    return query("accountability", dataset, timeout=0).rows


@pytest.fixture(scope="module")
def chains(dataset):  # noqa: ANN001
    return accountability(dataset)


def test_every_target_has_a_chain_and_links_are_stated_or_inferred(rows, chains) -> None:  # noqa: ANN001
    targets = {r["target"] for r in query("targets", timeout=0).rows}
    assert set(chains) == targets  # every target: at least the part that states it
    assert {r["link"] for r in rows} == {"stated", "inferred"}
    assert {r["task_kind"] for r in rows} <= {"section", "review-area", "task-area", "measure"}


def test_the_issuing_government_leads_only_where_the_text_says_so(rows) -> None:  # noqa: ANN001
    led_by_gov = {r["task"] for r in rows if GOV in (r["lead_body_iris"] or "").split()}
    # 1.1 “三位一体”改革 (2023) and 改革开放全面深化 (2022) name 高新区、天元区、高科集团
    assert led_by_gov == {TASK + "t2023-1-1", TASK + "t2022-1-3"}
    unstated = [r for r in rows if r["lead_bodies"] == NOT_STATED]
    assert unstated and all(not r["lead_body_iris"] for r in unstated)


def test_2022_targets_name_their_tasks_and_lead_bodies(chains) -> None:  # noqa: ANN001
    def chain(indicator: str):  # noqa: ANN202
        return chains[f"{REPORT}target/2022/district/{indicator}"]

    fai = chain("fixed-asset-investment-growth")
    assert {x.task for x in fai.tasks} == {TASK + "t2022-2", TASK + "t2022-2-3"}
    assert all(x.link == "inferred" for x in fai.tasks)
    assert set(fai.lead_bodies) == {"招商办", "项目办", "企服办"}
    trade = chain("import-export-growth")
    assert "株洲高新区管委会" in trade.lead_bodies and "改革开放全面深化" in trade.task_text
    gdp = chain("gdp-growth")
    assert gdp.lead_text == NOT_STATED and gdp.lead_text_zh == "未说明"
    assert "先进制造业争先进位 (inferred)" in gdp.task_text
    # a target only the appendix states: the appendix is its task, stated
    retail = chain("retail-sales-growth")
    assert [x.task for x in retail.tasks] == [TASK + "appendix"] and retail.tasks[0].link == "stated"


def test_projects_come_with_the_part_that_names_them(chains) -> None:  # noqa: ANN001
    fai = chains[f"{REPORT}target/2023/district/fixed-asset-investment-growth"]
    assert "菲斯罗克项目" in fai.projects and "麦格米特二期" in fai.projects


def test_query_parameters_filter(dataset) -> None:  # noqa: ANN001
    rows = query("accountability", dataset, {"year": "2022", "link": "inferred"}, timeout=0).rows
    assert rows and all(r["year"] == "2022" and r["link"] == "inferred" for r in rows)


def test_scorecard_rows_carry_task_and_lead(dataset) -> None:  # noqa: ANN001
    from tckg.track import CSV_COLUMNS, assess

    card = assess(dataset, year="2022")
    assert {"tasks", "lead_bodies"} <= set(CSV_COLUMNS)
    row = card.get("fixed-asset-investment-growth", 2022)
    assert "创新机制推项目" in row.tasks and "招商办" in row.lead_bodies
    assert card.get("gdp-growth", 2022).lead_bodies == NOT_STATED
    assert all(r.tasks for r in card.rows)
