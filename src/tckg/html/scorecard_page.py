"""``out/scorecard.html``: the scorecard as a table and a chart of target against result.

The page is one self-contained UTF-8 file: inline CSS and a hand-written SVG per year,
no script and nothing loaded from any host, so a reader can open it from disk (or an
e-mail attachment) and see the verdicts. Every text taken from the data passes through
:func:`html.escape`. Colour is never the only signal: each status is also written out.
"""

from __future__ import annotations

import hashlib
import io
import math
from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from urllib.parse import quote

from tckg.accountability import NOT_STATED
from tckg.html import STATUS_COLOURS, Verdict, escape
from tckg.io.write import atomic_write_bytes
from tckg.track import STATUSES, Quote, Scorecard, ScoreRow, fmt_number

# Status colours, shared with the graph page so a target node and its row look alike.

CSS = """
body { font-family: "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "PingFang SC",
       "Microsoft YaHei", sans-serif; margin: 2rem auto; max-width: 1200px; padding: 0 1rem;
       color: #1f2328; line-height: 1.5; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; }
h2 { font-size: 1.3rem; margin-top: 2.5rem; border-bottom: 1px solid #d0d7de; }
.meta { color: #57606a; font-size: .9rem; }
.counts span, .status { display: inline-block; padding: 0 .5em; border-radius: 1em;
       color: #fff; font-size: .85rem; white-space: nowrap; }
.counts span { margin-right: .4em; }
table { border-collapse: collapse; width: 100%; font-size: .88rem; margin-top: 1rem; }
th, td { border-bottom: 1px solid #d0d7de; padding: .35rem .45rem; vertical-align: top;
         text-align: left; }
th { background: #f6f8fa; position: sticky; top: 0; }
td.num { text-align: right; white-space: nowrap; }
blockquote { margin: 0 0 .3rem 0; padding-left: .5rem; border-left: 3px solid #d0d7de; }
.src { color: #57606a; font-size: .78rem; }
.manual { border: 1px solid #57606a; border-radius: .3em; padding: 0 .3em; font-size: .78rem; }
.reason { color: #424a53; font-size: .82rem; }
svg text { font-family: inherit; }
a.graph-link { display: inline-block; font-size: .78rem; margin-top: .2rem; }
.unstated { color: #57606a; font-style: italic; }
.report-title { font-size: 1rem; margin: .2rem 0; }
.table-wrap { overflow-x: auto; max-width: 100%; }
.chart { margin: 1rem 0; } .chart svg { display: block; margin: .6rem 0 1.2rem; overflow: visible; }
.uncharted { font-size: .88rem; padding-left: 1.2rem; }
.waiting { font-size: .9rem; color: #424a53; }
details summary { cursor: pointer; margin: .6rem 0; color: #0969da; }
@media (max-width: 640px) {
  body { margin: 1rem auto; padding: 0 .6rem; }
  h1 { font-size: 1.3rem; }
  th.ev, td.ev, td.reason, th.reason { display: none; }
  table { font-size: .8rem; min-width: 560px; }
}
.legend span { margin-right: 1em; white-space: nowrap; }
.legend i { display: inline-block; width: .9em; height: .9em; margin-right: .3em;
            vertical-align: -.1em; }
"""


def status_by_target(scorecard: Scorecard) -> dict[str, str]:
    """Target IRI -> status notation (``met`` …), for colouring target nodes in the graph;
    each is a :class:`tckg.html.Verdict` carrying the panel's result, gap, reason, tasks and
    lead bodies."""
    return {row.target: Verdict(
        row.status, result=row.result_text, gap=row.gap_text, reason_zh=row.reason_zh,
        reason_en=row.reason, tasks=row.tasks, lead=row.lead_bodies) for row in scorecard.rows}


def _status_chip(status: str) -> str:
    zh, en = STATUSES[status]
    return (f'<span class="status" style="background:{STATUS_COLOURS[status]}">'
            f"{escape(zh)} · {escape(en)}</span>")


def _quotes(quotes: tuple[Quote, ...], report_title: str | None) -> str:
    if not quotes:
        return ""
    items = "".join(f"<blockquote>「{escape(q.text)}」</blockquote>" for q in quotes[:3])
    more = f'<div class="src">（另 {len(quotes) - 3} 处 / {len(quotes) - 3} more）</div>' \
        if len(quotes) > 3 else ""
    src = (f'<div class="src" title="{escape(report_title)}">{escape(_clip(report_title, 30))}'
           "</div>") if report_title else ""
    return items + more + src


def target_anchor(target: str) -> str:
    """The fragment that names a target on the scorecard and on the graph page."""
    return "t-" + hashlib.sha1(target.encode("utf-8")).hexdigest()[:12]


def graph_link(target: str) -> str:
    """``graph.html#<target IRI>``: the graph opens on that target with its panel."""
    return "graph.html#" + quote(target, safe=":/")


def _row_html(row: ScoreRow) -> str:
    manual = ' <span class="manual">人工评估 manual</span>' if row.is_manual else ""
    scope = row.scope_label or row.scope
    lead = row.lead_bodies
    lead_html = ('<span class="unstated">未说明 · not stated</span>' if lead in ("", NOT_STATED)
                 else escape(lead))
    return (
        f'<tr id="{target_anchor(row.target)}">'
        f"<td>{escape(row.indicator_label)}<div class=\"src\">"
        f"{escape(row.indicator_label_en)}</div>"
        f'<a class="graph-link" href="{escape(graph_link(row.target))}">图中查看 view in graph</a>'
        "</td>"
        f"<td>{escape(scope)} · {escape(row.area_label)}</td>"
        f"<td>{escape(row.target_text)}</td>"
        f"<td>{escape(row.result_text) or '—'}</td>"
        f"<td>{_status_chip(row.status)}{manual}</td>"
        f'<td class="num">{escape(row.gap_text)}</td>'
        f'<td class="num">{escape(row.share_text)}</td>'
        f'<td class="task">{escape(row.tasks)}</td>'
        f'<td class="lead">{lead_html}</td>'
        f'<td class="ev">{_quotes(row.target_evidence, row.target_report_title)}</td>'
        f'<td class="ev">{_quotes(row.result_evidence, row.result_report_title)}</td>'
        f'<td class="reason">{escape(row.reason_zh)}<br>{escape(row.reason)}</td>'
        "</tr>")


def _clip(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def _nice_step(span: float, ticks: int = 4) -> float:
    raw = span / max(ticks, 1)
    mag = 10 ** math.floor(math.log10(raw)) if raw > 0 else 1
    for m in (1, 2, 2.5, 5, 10):
        if raw <= m * mag:
            return m * mag
    return 10 * mag


def _tick_text(v: float, unit: str) -> str:
    text = fmt_number(Decimal(str(round(v, 6))))
    return f"{text}{unit}" if unit == "%" else text


def _charted(row: ScoreRow) -> bool:
    """A row the chart draws: both a target and a result number."""
    return row.target_value is not None and row.result_value is not None


def _chart(rows: list[ScoreRow], title: str) -> str:
    """Targets against results on a shared axis per unit, with a labelled zero.

    Rows are grouped by the target's unit (growth rates in % share one axis); in each group a
    grey outlined bar runs from 0 to the target and a bar in the status colour from 0 to the
    result, so a result of -28% runs left of the zero line and is plainly far from a target of
    9%. Positions are percentages of the chart's width and text is in pixels, so the chart
    reflows to a phone's width without shrinking its letters. Rows without two numbers are
    listed below the chart in words.
    """
    charted = [r for r in rows if _charted(r)]
    groups: dict[str, list[ScoreRow]] = defaultdict(list)
    for r in charted:
        groups[r.target_unit or ""].append(r)
    parts = [f'<figure class="chart" aria-label="{escape(title)}">',
             '<figcaption class="src">灰框＝目标，色条＝结果，竖线＝0（负值在左）；同一单位共用一条数轴 · '
             "grey outline = target, coloured bar = result, the vertical line is zero (negative "
             "values to its left); targets in the same unit share one axis</figcaption>"]
    for unit, items in groups.items():
        values = [float(v) for r in items for v in (r.target_value, r.target_upper, r.result_value)
                  if v is not None]
        lo, hi = min(0.0, *values), max(0.0, *values)
        step = _nice_step((hi - lo) or 1.0)
        lo, hi = math.floor(lo / step) * step, math.ceil(hi / step) * step
        if hi == lo:
            hi = lo + step
        def x(v: float, lo: float = lo, hi: float = hi) -> float:
            left, right = 2.0, 96.0  # percent of the width
            return left + (v - lo) / (hi - lo) * (right - left)

        row_h, top = 74, 22
        height = top + row_h * len(items) + 30
        unit_name = {"%": "% · 百分比（增速差为百分点）"}.get(unit, unit or "—")
        svg = [f'<svg class="unit-chart" xmlns="http://www.w3.org/2000/svg" width="100%" '
               f'height="{height}" role="img" aria-label="{escape(title)} ({escape(unit or "")})">',
               f'<text class="axis-title" x="0" y="14" font-size="12" fill="#57606a">'
               f"单位 unit: {escape(unit_name)}</text>"]
        zero = x(0.0)
        # grid and ticks
        t = lo
        while t <= hi + step / 2:
            xt = x(t)
            is_zero = abs(t) < step / 1000
            zero_cls = ' class="zero-axis"' if is_zero else ""
            bold = ' font-weight="bold"' if is_zero else ""
            svg.append(f'<line x1="{xt:.2f}%" x2="{xt:.2f}%" y1="{top}" y2="{height - 22}" '
                       f'stroke="{"#1f2328" if is_zero else "#d8dee4"}" '
                       f'stroke-width="{1.5 if is_zero else 1}"'
                       f"{zero_cls}/>")
            anchor = "start" if xt < 6 else "end" if xt > 92 else "middle"
            svg.append(f'<text class="tick{" zero-label" if is_zero else ""}" x="{xt:.2f}%" '
                       f'y="{height - 8}" font-size="12" text-anchor="{anchor}" '
                       f'fill="{"#1f2328" if is_zero else "#57606a"}"'
                       f"{bold}>"
                       f"{escape(_tick_text(t, unit))}</text>")
            t += step
        halo = 'stroke="#ffffff" stroke-width="4" paint-order="stroke" stroke-linejoin="round"'
        for i, r in enumerate(items):
            y = top + i * row_h
            colour = STATUS_COLOURS[r.status]
            name = f"{r.indicator_label}（{r.scope_label or r.scope}）"
            values = f"目标 {r.target_text} · 结果 {r.result_text}"
            words = f"{name}：{values} — {STATUSES[r.status][0]} {STATUSES[r.status][1]}"
            svg.append(f'<a href="#{target_anchor(r.target)}"><text class="row-label" x="0" '
                       f'y="{y + 14}" font-size="13" fill="#1f2328" {halo}>'
                       f"{escape(_clip(name, 30))}<title>{escape(words)}</title></text></a>")
            svg.append(f'<text class="row-values" x="0" y="{y + 34}" font-size="12" '
                       f'fill="#424a53" {halo}>{escape(_clip(values, 34))} '
                       f'<tspan fill="{colour}" font-weight="bold">'
                       f"{escape(STATUSES[r.status][0])}</tspan></text>")
            t0, t1 = sorted((zero, x(float(r.target_value))))
            if r.target_upper is not None:
                t1 = max(t1, x(float(r.target_upper)))
            svg.append(f'<rect class="target-bar" x="{t0:.2f}%" y="{y + 42}" '
                       f'width="{max(t1 - t0, 0.3):.2f}%" height="10" fill="#ffffff" '
                       'stroke="#1f2328" stroke-width="1.2"/>')
            r0, r1 = sorted((zero, x(float(r.result_value))))
            svg.append(f'<rect class="result-bar" x="{r0:.2f}%" y="{y + 55}" '
                       f'width="{max(r1 - r0, 0.3):.2f}%" height="12" fill="{colour}"/>')
        svg.append("</svg>")
        parts.append("\n".join(svg))
    # the test again, not `r not in charted`: a list look-up comparing every field of the
    # rows, quadratic in a year's targets (103 of 540 s CPU of tckg build at N = 1,000 reports)
    others = [r for r in rows if not _charted(r) and r.status != "no-result"]
    if others:
        parts.append('<ul class="uncharted">' + "".join(
            f'<li><a href="#{target_anchor(r.target)}">{escape(r.indicator_label)}</a>：目标 '
            f"{escape(r.target_text)}，结果 {escape(r.result_text or '—')} — "
            f"{_status_chip(r.status)}</li>" for r in others) + "</ul>")
    parts.append("</figure>")
    return "\n".join(parts) if charted or others else ""


def _waiting_summary(rows: list[ScoreRow]) -> str:
    """A year's targets without a result, in one paragraph instead of a row each."""
    waiting = [r for r in rows if r.status == "no-result"]
    if not waiting:
        return ""
    names = "、".join(dict.fromkeys(r.indicator_label for r in waiting))
    return (f'<p class="waiting"><span class="status" style="background:'
            f'{STATUS_COLOURS["no-result"]}">尚无结果 · no result yet</span> '
            f"{len(waiting)} 项目标尚无结果（下一年度报告发布后评估） · {len(waiting)} targets "
            f"have no result yet (scored when the next report is loaded): {escape(names)}</p>")


def scorecard_html(scorecard: Scorecard) -> str:
    """The page as a string (see :func:`write_scorecard_html`)."""
    return "\n".join(_page(scorecard))


def _page(scorecard: Scorecard) -> Iterator[str]:
    """The page's parts, a line apart: a year's table at a time, never the whole page (80 MB
    of text at N = 1,000 reports, held several times over while it was joined and encoded)."""
    by_year: dict[str, list[ScoreRow]] = defaultdict(list)
    for row in scorecard.rows:
        by_year[row.year].append(row)
    counts = "".join(f'<span style="background:{STATUS_COLOURS[s]}">{escape(STATUSES[s][0])} '
                     f"{escape(STATUSES[s][1])}: {n}</span>"
                     for s, n in scorecard.counts().items())
    legend = "".join(f'<span><i style="background:{STATUS_COLOURS[s]}"></i>{escape(zh)} '
                     f"{escape(en)}</span>" for s, (zh, en) in STATUSES.items())
    tolerances = "，".join(f"{escape(k)} {escape(fmt_number(v))}"
                          for k, v in sorted(scorecard.tolerances.items()))
    titles = sorted({r.target_report_title for r in scorecard.rows if r.target_report_title})
    yield from [
        "<!DOCTYPE html>",
        '<html lang="zh-Hans">',
        '<head><meta charset="utf-8">',
        # Nothing may load or run: the page is data to read, offline.
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'\">",
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<title>目标评分卡 · Scorecard of targets against results</title>",
        f"<style>{CSS}</style></head>",
        "<body>",
        "<h1>目标评分卡 <small>Scorecard: targets against results</small></h1>",
        *(f'<p class="report-title">{escape(t)}</p>' for t in titles),
        '<p class="meta"><a href="index.html">首页 index</a> · '
        '<a href="graph.html">关系图 graph</a> · '
        f"tckg {escape(scorecard.version)} · "
        f"{escape(scorecard.generated_at.isoformat())} · 容差 tolerances: {tolerances}"
        "（增速、占比为百分点，水平、数量为目标值的比例 / percentage points for growth rates "
        "and shares, a fraction of the target for levels and counts）</p>",
        f'<p class="counts">{counts}</p>',
        f'<p class="legend">{legend}</p>',
    ]
    for year in sorted(by_year, reverse=False):
        rows = by_year[year]
        title = f"{year} 年目标与结果 · Targets and results for {year}"
        shown = [r for r in rows if r.status != "no-result"]
        waiting = [r for r in rows if r.status == "no-result"]
        yield from [
            f'<section id="y{escape(year)}">',
            f"<h2>{escape(title)}</h2>",
            _chart(rows, title),
            _waiting_summary(rows),
        ]
        for label, items, wrap in ((None, shown, False),
                                   ("逐项列出尚无结果的目标 · list the targets without a result",
                                    waiting, True)):
            if not items:
                continue
            table = ('<div class="table-wrap"><table><thead><tr>'
                     "<th>指标 Indicator</th><th>层级 Scope</th><th>目标 Target</th>"
                     "<th>结果 Result</th><th>状态 Status</th><th>差距 Gap</th>"
                     "<th>完成比例 Share</th><th>任务 Task</th><th>牵头单位 Lead</th>"
                     '<th class="ev">目标原文 Target evidence</th>'
                     '<th class="ev">结果原文 Result evidence</th>'
                     '<th class="reason">理由 Reason</th></tr></thead><tbody>'
                     + "".join(_row_html(row) for row in items) + "</tbody></table></div>")
            yield (f"<details><summary>{escape(label)} ({len(items)})</summary>{table}"
                   "</details>" if wrap else table)
        yield "</section>"
    if not by_year:
        yield "<p>没有可评估的目标。No targets to assess.</p>"
    yield from ["</body></html>", ""]


def write_scorecard_html(scorecard: Scorecard, path: Path | str) -> Path:
    """Write ``scorecard.html`` (UTF-8, atomically) and return its path."""
    path = Path(path)
    page = io.BytesIO()  # the text encoded a part at a time: "\n".join(_page(...)) as UTF-8
    for i, part in enumerate(_page(scorecard)):
        page.write(("\n" + part if i else part).encode("utf-8"))
    atomic_write_bytes(path, page.getbuffer())
    return path
