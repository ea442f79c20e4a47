"""``tckg track``: the scorecard of targets against results, as a table fitted to the terminal."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from tckg.cli.common import (
    DataFiles,
    Encoding,
    StoreKind,
    _known_scopes,
    _table_width,
    _wide_console,
    app,
    check_lang,
    cli_store,
    err,
    fail,
    out,
    user_lang,
)


@app.command("track")
def track_command(
    files: DataFiles = None,
    year: Annotated[str | None, typer.Option(
        "--year", help="Only the targets of this year, e.g. 2023. 只看某年度的目标。")] = None,
    scope: Annotated[str | None, typer.Option(
        "--scope", help="Only one plan level (district, city …) or area id (tianyuan, zhuzhou). "
        "只看某计划层级或地区。")] = None,
    format: Annotated[str, typer.Option(
        "-f", "--format", help="table, csv or json. 输出格式。")] = "table",
    tolerance: Annotated[list[str] | None, typer.Option(
        "--tolerance", help="kind=value, repeatable: growth-rate=0.3 (percentage points), "
        "level=0.1 (10 % of the target). Defaults: tck:tolerance in ontology/schemes.ttl. 容差。"
    )] = None,
    write: Annotated[Path | None, typer.Option(
        "--write", help="Also write the assessments (RDF, PROV-O) to this Turtle file, e.g. "
        "out/assessments.ttl. 写出评估结果。")] = None,
    manual: Annotated[list[Path] | None, typer.Option(
        "--manual", help="Manual assessment files (default: data/assessments/*.ttl). "
        "人工评估文件。")] = None,
    lang: Annotated[str | None, typer.Option("--lang", help="zh or en (reasons).")] = None,
    show_all: Annotated[bool, typer.Option(
        "--all", help="In the table, list targets without a result one by one too (by default "
        "a year's no-result targets are summarised in one line). 逐条列出尚无结果的目标。")]
    = False,
    encoding: Encoding = None,
    store: StoreKind = None,
) -> None:
    """Score every target against the result that answers it (any report), with the task that
    serves it and the body that leads that task. 目标完成情况评分（含任务与牵头单位）。"""
    from rich.text import Text

    from tckg.store.load import load_dataset
    from tckg.track import TrackError, assess, load_manual_assessments, write_assessments

    if format not in ("table", "csv", "json"):
        fail(f"unknown --format {format!r} (未知格式); use table, csv or json.")
    check_lang(lang)
    tolerances: dict[str, str] = {}
    for item in tolerance or []:
        kind, eq, value = item.partition("=")
        if not eq or not kind.strip():
            raise TrackError(f"--tolerance {item!r} needs the form kind=value, e.g. "
                             "growth-rate=0.3. 容差格式为 类型=数值。")
        tolerances[kind.strip()] = value.strip()
    dataset = load_dataset(files, encoding=encoding, store=cli_store(store))
    load_manual_assessments(dataset, manual)
    year, scope = _track_filters(dataset, year, scope)
    scorecard = assess(dataset, year=year, scope=scope, tolerances=tolerances)
    if not scorecard.rows:  # a year and a scope that exist, but not together
        err.print(Text(f"no targets for --year {year} with --scope {scope}; leave one out to "
                       "see what there is. 该年度与范围下没有目标。", style="yellow"))
    if format == "json":
        sys.stdout.write(scorecard.to_json() + "\n")
    elif format == "csv":
        sys.stdout.write(scorecard.to_csv())
    else:
        print_scorecard_table(scorecard, (lang or user_lang()) == "zh", show_all)
    if write is not None:
        write_assessments(scorecard, write)
        err.print(Text(f"wrote 写入 {len(scorecard)} assessments 评估 → {write}"))

def _track_filters(dataset, year: str | None, scope: str | None) -> tuple[str | None, str | None]:  # noqa: ANN001
    """--year and --scope checked against the data: a value that matches nothing is named on
    stderr with the values there are (exit 2), never an empty table."""
    from tckg.namespaces import TCK
    from tckg.sparql.run import query
    from tckg.suggest import check_year, resolve_scope

    # one query, not a look-up per target (55,000 of them at N = 1,000 reports: 15 s)
    found = query(f"SELECT DISTINCT ?year WHERE {{ ?t a <{TCK.Target}> ; <{TCK.year}> ?year }}",
                  dataset, timeout=0)
    year = check_year(year, {str(row[0]) for row in found.terms})
    if scope is not None:
        scope = resolve_scope(scope, _known_scopes(dataset)).id
    return year, scope


def print_scorecard_table(scorecard, zh: bool, show_all: bool = False) -> None:  # noqa: ANN001
    """The verdicts as a table that fits the terminal; a year's targets without a result are
    summarised in one line unless ``show_all``."""
    from collections import defaultdict

    from rich.text import Text

    from tckg.termtable import Column, dropped_note, fit
    from tckg.track import STATUS_COLOURS

    console = out if out.is_terminal else _wide_console()
    width = _table_width(console)
    one_year = len({r.year for r in scorecard.rows}) == 1
    columns = [Column("指标 indicator", 0, min_width=10), Column("年度 year", 9 if one_year else 1),
               Column("层级 scope", 6), Column("目标 target", 0), Column("结果 result", 0),
               Column("状态 status", 0), Column("差距 gap", 3, "right"),
               Column("完成 share", 7, "right"), Column("任务 task", 2, min_width=18),
               Column("牵头 lead", 1, min_width=10), Column("理由 reason", 8),
               Column("目标原文 target evidence", 9), Column("结果原文 result evidence", 9)]
    rows, waiting = [], defaultdict(list)
    for row in scorecard.rows:
        if row.status == "no-result" and not show_all:
            waiting[row.year].append(row)
            continue
        status = row.status_label if zh else row.status_label_en
        if row.is_manual:
            status += "（人工）" if zh else " (manual)"
        lead = row.lead_bodies
        if zh and lead == "not stated":
            lead = "未说明"
        rows.append([
            Text(row.indicator_label), row.year, Text(row.scope_label or row.scope),
            Text(row.target_text), Text(row.result_text or "—"),
            Text(status, style=STATUS_COLOURS.get(row.status, "")), Text(row.gap_text),
            Text(row.share_text), Text(row.tasks.replace("；", "；\n")),
            Text(lead.replace("、", "、\n")),
            Text(row.reason_zh if zh else row.reason),
            Text(" | ".join(q.text for q in row.target_evidence)),
            Text(" | ".join(q.text for q in row.result_evidence))])
    if rows:
        table, dropped = fit(columns, rows, width, show_lines=True)
        console.print(table)
        if dropped:
            err.print(Text(dropped_note(dropped, width or 0), style="dim"))
    for year, items in sorted(waiting.items()):
        names = "、".join(dict.fromkeys(r.indicator_label for r in items))
        console.print(Text(f"{year}: {len(items)} targets without a result yet 尚无结果 "
                           f"({names}); --all lists them.", style=STATUS_COLOURS.get("no-result", "")))
    counts = ", ".join(f"{k} {v}" for k, v in scorecard.counts().items())
    console.print(Text(f"{len(scorecard)} targets 目标: {counts}"))
