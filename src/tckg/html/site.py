"""The site's index page: what the graph holds, whether it validates, and links to the rest."""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from tckg.io.write import atomic_write_text

if TYPE_CHECKING:  # pragma: no cover
    from tckg.validate import ValidationReport


class BuildSummary(Protocol):
    """What the index page shows of a build: the page reads these, whoever built the site
    (so the page does not depend on the orchestrator, tckg.build, which calls it)."""

    counts: dict[str, int]
    statuses: dict[str, int]
    validation: ValidationReport

LABELS = {
    "reports": "报告 Reports", "targets": "目标 Targets", "achievements": "完成情况 Achievements",
    "task areas": "任务领域 Task areas", "measures": "措施 Measures",
    "review areas": "回顾部分 Review areas", "projects": "项目 Projects",
    "enterprises": "企业 Enterprises", "bodies": "责任主体 Bodies", "places": "地区 Places",
    "campaigns": "专项活动 Campaigns", "evidence": "证据片段 Evidence passages",
}

PAGE = """<!DOCTYPE html>
<html lang="zh">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>tckg · 目标承诺知识图谱</title>
<style>
body {{ font-family: "Noto Sans CJK SC", "Noto Sans", sans-serif; max-width: 56rem; margin: 2rem auto;
  padding: 0 1rem; color: #222; }}
table {{ border-collapse: collapse; }} td, th {{ padding: .3rem .8rem; border-bottom: 1px solid #ddd; }}
td.n {{ text-align: right; font-variant-numeric: tabular-nums; }}
.ok {{ color: #17663a; }} .bad {{ color: #a31515; }}
.report {{ font-size: 1.05rem; }}
td i {{ display: inline-block; width: .8em; height: .8em; margin-right: .4em; }}
</style></head>
<body>
<h1>目标承诺知识图谱 <small>Target commitment knowledge graph</small></h1>
{titles}
<p>Validation 验证: <strong class="{cls}">{verdict}</strong>
({violations} violations, {warnings} warnings, {triples} triples)</p>
<ul>
<li><a href="graph.html">任务与目标关系图 · Interactive graph of tasks and targets</a></li>
<li><a href="scorecard.html">目标完成情况记分卡 · Scorecard: were the targets met?</a></li>
<li><a href="tckg.trig">全部数据 (TriG) · All data, one named graph per report</a></li>
<li><a href="assessments.ttl">评估结果 (Turtle) · Assessments with provenance</a></li>
</ul>
<h2>内容 Contents</h2>
<table>{rows}</table>
{status_block}
</body></html>
"""


def report_titles(dataset) -> list[str]:  # noqa: ANN001 - a TckDataset
    """The zh titles of the loaded reports (dcterms:title of each tck:Report)."""
    from rdflib.namespace import DCTERMS, RDF

    from tckg.namespaces import TCK

    union = dataset.lookup()  # by index on the persistent store: never a copy of the corpus
    titles = []
    for report in sorted(union.subjects(RDF.type, TCK.Report), key=str):
        found = sorted(union.objects(report, DCTERMS.title), key=str)
        zh = [t for t in found if getattr(t, "language", None) == "zh"]
        if zh or found:
            titles.append(str((zh or found)[0]))
    return titles


def write_index(path: Path, summary: BuildSummary, titles: list[str] | None = None) -> None:
    rows = "".join(
        f"<tr><td>{escape(LABELS.get(k, k))}</td><td class=n>{v:,}</td></tr>"
        for k, v in summary.counts.items())
    status_block = ""
    if summary.statuses:
        from tckg.html import STATUS_COLOURS
        from tckg.track import STATUSES

        status_rows = "".join(
            f'<tr><td><i style="background:{STATUS_COLOURS.get(k, "#888")}"></i>'
            f"{escape(STATUSES.get(k, (k, k))[0])} · {escape(STATUSES.get(k, (k, k))[1])}</td>"
            f"<td class=n>{v:,}</td></tr>" for k, v in summary.statuses.items())
        status_block = f"<h2>目标评估 Target verdicts</h2><table>{status_rows}</table>"
    report = summary.validation
    html = PAGE.format(
        cls="ok" if report.conforms else "bad",
        verdict="conforms 通过" if report.conforms else "does not conform 未通过",
        violations=len(report.violations), warnings=len(report.warnings),
        triples=f"{report.triples:,}", rows=rows, status_block=status_block,
        titles="".join(f'<p class="report">{escape(t)}</p>' for t in titles or []))
    atomic_write_text(path, html)
