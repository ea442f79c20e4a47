"""``out/scorecard.html``: the scorecard as a table and a chart of target against result.

The page is one self-contained UTF-8 file: inline CSS and a hand-written SVG per year,
no script and nothing loaded from any host, so a reader can open it from disk (or an
e-mail attachment) and see the verdicts. Every text taken from the data passes through
:func:`html.escape`. Colour is never the only signal: each status is also written out.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from html import escape
from pathlib import Path

from tckg.html import STATUS_COLOURS
from tckg.io.write import atomic_write_text
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
.legend span { margin-right: 1em; white-space: nowrap; }
.legend i { display: inline-block; width: .9em; height: .9em; margin-right: .3em;
            vertical-align: -.1em; }
"""


def status_by_target(scorecard: Scorecard) -> dict[str, str]:
    """Target IRI -> status notation (``met`` …), for colouring target nodes in the graph."""
    return {row.target: row.status for row in scorecard.rows}


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


def _row_html(row: ScoreRow) -> str:
    manual = ' <span class="manual">人工评估 manual</span>' if row.is_manual else ""
    scope = row.scope_label or row.scope
    return (
        "<tr>"
        f"<td>{escape(row.indicator_label)}<div class=\"src\">"
        f"{escape(row.indicator_label_en)}</div></td>"
        f"<td>{escape(scope)} · {escape(row.area_label)}</td>"
        f"<td>{escape(row.target_text)}</td>"
        f"<td>{escape(row.result_text) or '—'}</td>"
        f"<td>{_status_chip(row.status)}{manual}</td>"
        f'<td class="num">{escape(row.gap_text)}</td>'
        f'<td class="num">{escape(row.share_text)}</td>'
        f"<td>{_quotes(row.target_evidence, row.target_report_title)}</td>"
        f"<td>{_quotes(row.result_evidence, row.result_report_title)}</td>"
        f'<td class="reason">{escape(row.reason_zh)}<br>{escape(row.reason)}</td>'
        "</tr>")


def _clip(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def _chart(rows: list[ScoreRow], title: str) -> str:
    """A dot-and-bar chart: one line per target, each on its own scale (units differ).

    The bar runs from 0 to the result in the status colour; the black tick is the target
    (a grey band for a range). Targets without two numbers show their status only.
    """
    label_w, plot_w, text_w, row_h, top = 330, 400, 400, 30, 34
    width = label_w + plot_w + text_w
    height = top + row_h * len(rows) + 10
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}">',
           f"<title>{escape(title)}</title>",
           f'<text x="{label_w}" y="18" font-size="12" fill="#57606a">'
           "条形＝结果，黑色刻度＝目标（各行单位不同，分别标度） · bar = result, black tick = "
           "target (each line on its own scale)</text>"]
    for i, row in enumerate(rows):
        y = top + i * row_h
        mid = y + row_h / 2
        colour = STATUS_COLOURS[row.status]
        label = f"{row.indicator_label}（{row.scope_label or row.scope}）"
        out.append(f'<g><title>{escape(label)} · {escape(row.indicator_label_en)}</title>'
                   f'<text x="{label_w - 8}" y="{mid + 4}" font-size="13" text-anchor="end">'
                   f"{escape(_clip(label, 22))}</text></g>")
        values = [v for v in (row.target_value, row.target_upper, row.result_value)
                  if v is not None]
        t, r = row.target_value, row.result_value
        if t is not None:
            lo = min([Decimal(0), *values])
            hi = max([Decimal(0), *values])
            span = (hi - lo) or Decimal(1)
            lo, hi = lo - span * Decimal("0.05"), hi + span * Decimal("0.05")

            def x(v: Decimal, lo: Decimal = lo, hi: Decimal = hi) -> float:
                return label_w + float((v - lo) / (hi - lo)) * (plot_w - 10)

            out.append(f'<line x1="{x(Decimal(0)):.1f}" x2="{x(Decimal(0)):.1f}" y1="{y + 4}" '
                       f'y2="{y + row_h - 4}" stroke="#8c959f" stroke-width="1"/>')
            if row.target_upper is not None:
                out.append(f'<rect x="{x(t):.1f}" y="{y + 5}" '
                           f'width="{max(x(row.target_upper) - x(t), 1):.1f}" '
                           f'height="{row_h - 10}" fill="#d0d7de"/>')
            if r is not None:
                x0, x1 = sorted((x(Decimal(0)), x(r)))
                out.append(f'<rect x="{x0:.1f}" y="{y + 9}" width="{max(x1 - x0, 1.5):.1f}" '
                           f'height="{row_h - 18}" fill="{colour}"/>')
                out.append(f'<circle cx="{x(r):.1f}" cy="{mid}" r="4.5" fill="{colour}"/>')
            out.append(f'<line x1="{x(t):.1f}" x2="{x(t):.1f}" y1="{y + 3}" y2="{y + row_h - 3}"'
                       ' stroke="#1f2328" stroke-width="2.5"/>')
            words = f"目标 {row.target_text}"
            if r is not None:
                unit = row.target_unit or ""
                words = f"结果 {fmt_number(r)}{'' if unit in ('%', '') else ' '}{unit} / {words}"
        else:
            out.append(f'<circle cx="{label_w + 8}" cy="{mid}" r="5" fill="{colour}"/>')
            words = f"{row.target_text}：{row.result_text or '—'}"
        out.append(f'<text x="{label_w + plot_w + 4}" y="{mid + 4}" font-size="12">'
                   f'<tspan fill="{colour}" font-weight="bold">{escape(STATUSES[row.status][0])}'
                   f"</tspan> {escape(_clip(words, 30))}<title>{escape(words)}</title></text>")
    out.append("</svg>")
    return "\n".join(out)


def scorecard_html(scorecard: Scorecard) -> str:
    """The page as a string (see :func:`write_scorecard_html`)."""
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
    parts = [
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
        f'<p class="meta">tckg {escape(scorecard.version)} · '
        f"{escape(scorecard.generated_at.isoformat())} · 容差 tolerances: {tolerances}"
        "（增速、占比为百分点，水平、数量为目标值的比例 / percentage points for growth rates "
        "and shares, a fraction of the target for levels and counts）</p>",
        f'<p class="counts">{counts}</p>',
        f'<p class="legend">{legend}</p>',
    ]
    for year in sorted(by_year):
        rows = by_year[year]
        title = f"{year} 年目标与结果 · Targets and results for {year}"
        parts += [
            f'<section id="y{escape(year)}">',
            f"<h2>{escape(title)}</h2>",
            f'<div class="chart">{_chart(rows, title)}</div>',
            "<table><thead><tr>"
            "<th>指标 Indicator</th><th>层级 Scope</th><th>目标 Target</th><th>结果 Result</th>"
            "<th>状态 Status</th><th>差距 Gap</th><th>完成比例 Share</th>"
            "<th>目标原文 Target evidence</th><th>结果原文 Result evidence</th>"
            "<th>理由 Reason</th></tr></thead><tbody>",
            *(_row_html(row) for row in rows),
            "</tbody></table></section>",
        ]
    if not by_year:
        parts.append("<p>没有可评估的目标。No targets to assess.</p>")
    parts += ["</body></html>", ""]
    return "\n".join(parts)


def write_scorecard_html(scorecard: Scorecard, path: Path | str) -> Path:
    """Write ``scorecard.html`` (UTF-8, atomically) and return its path."""
    path = Path(path)
    atomic_write_text(path, scorecard_html(scorecard))
    return path
