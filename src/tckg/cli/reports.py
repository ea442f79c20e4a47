"""Commands that change the data: extract a draft from a report's text, add it, remove a report."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from tckg.cli.common import (
    Encoding,
    LoadTimeout,
    MaxInput,
    MaxTriples,
    StoreDir,
    StoreKind,
    ValidationTimeout,
    app,
    apply_limits,
    check_data_dir,
    check_lang,
    cli_store,
    err,
    fail,
    out,
    print_validation,
    user_lang,
)


@app.command("extract")
def extract_command(
    report: Annotated[Path, typer.Argument(help="The report as a plain-text file (UTF-8 unless "
                                           "--encoding). 报告纯文本。")],
    output: Annotated[Path, typer.Option("-o", "--out", help="The draft to write: Turtle, or TriG "
                                         "when it ends in .trig. 输出草稿。")],
    government: Annotated[str | None, typer.Option(
        "--government", help="The reporting government: a body id (tianyuan-gov) or its "
        "Chinese name; default: found from the title. 报告主体。")] = None,
    area: Annotated[str | None, typer.Option(
        "--area", help="The area governed: a place id (tianyuan) or its Chinese name; default: "
        "found from the title. 所辖地区。")] = None,
    year: Annotated[int | None, typer.Option(
        "--year", help="The plan year, when the title does not say it. 计划年度。")] = None,
    slug: Annotated[str | None, typer.Option(
        "--slug", help="The draft report's id (default <area>-<year>-plan-draft). 草稿标识。")] = None,
    encoding: Encoding = None,
    data_dir: Annotated[Path | None, typer.Option(
        "--data-dir", help="The data whose places, bodies and enterprises the draft reuses and "
        "with which it is validated (default: the project's data/). 数据目录。")] = None,
    no_validate: Annotated[bool, typer.Option(
        "--no-validate", help="Skip validating the draft with the existing data. 不验证。")] = False,
    max_input_bytes: MaxInput = None,
) -> None:
    """Draft the targets, results and tasks of a report's text as RDF. 从报告文本抽取草稿。

    Every fact carries its quote with character offsets and a confidence (tck:confidence);
    the report is marked tck:isDraft. Review the draft, then store it with tckg add.
    Exit 0: written and valid; 1: written but not valid with the existing data; 2: not read.
    """
    from rich.table import Table

    from tckg.extract import Registry, extract_file, write_draft
    from tckg.io.paths import default_data_files
    from tckg.store.load import load_dataset

    if output.suffix.lower() not in (".ttl", ".trig"):
        # the draft is always Turtle or TriG: a draft.jsonld would hold Turtle that tckg add
        # and every loader then refuse as "not valid JSON"
        fail(f"-o {output}: a draft is written as Turtle (.ttl) or TriG (.trig), not "
             f"{output.suffix or 'a file without a suffix'}; name the output draft.ttl or "
             "draft.trig. 草稿只能写为 .ttl 或 .trig。")
    check_data_dir(data_dir)
    apply_limits(max_input_bytes=max_input_bytes)
    dataset = load_dataset(default_data_files(data_dir) if data_dir is not None else None)
    draft = extract_file(report, encoding=encoding, government=government, area=area,
                         year=year, slug=slug, registry=Registry.from_graph(dataset.union()))
    write_draft(draft, output)
    counts = draft.counts()
    table = Table(title=f"tckg extract {escape(report.name)} → {escape(str(output))}", header_style="bold")
    table.add_column("drafted 草稿内容")
    table.add_column("count 数量", justify="right")
    names = {"tasks": "tasks 章节与任务", "targets": "targets 目标",
             "achievements": "results 完成情况", "projects": "projects 项目",
             "enterprises": "enterprises 企业", "campaigns": "campaigns 专项活动",
             "proposed_indicators": "proposed indicators 提议的新指标"}
    for key, label in names.items():
        table.add_row(label, str(counts[key]))
    out.print(table)
    low = sum(1 for f in draft.facts if f.confidence < 0.6)
    out.print(f"report 报告: {escape(str(draft.source['report']['slug']))} (graph {escape(str(draft.graph_name))}), "
              f"plan year 计划年度 {draft.source['report']['plan_year']}; "
              f"{low} facts below 0.6 confidence 低置信度事实 — review them first 请优先审核.")
    for ind in draft.proposed:
        out.print(f"  proposed indicator 提议指标 [bold]{escape(str(ind.id))}[/bold]: "
                  f"{escape(str(ind.label_zh))} ({escape(str(ind.kind))}, {escape(str(ind.dimension))})")
    for note in draft.notes:
        err.print(f"[yellow]note:[/yellow] {escape(str(note))}")
    if no_validate:
        return
    from tckg.validate import validate_dataset

    if draft.graph_name in dataset.sources:
        err.print(f"[yellow]note:[/yellow] the data already holds a report {escape(str(draft.slug))}; the "
                  "draft is validated on its own. 数据中已有同名报告，草稿单独验证。")
        dataset = load_dataset([])
    dataset.store.add_graph(draft.graph_name, draft.graph)
    result = validate_dataset(dataset)
    if not result.conforms:
        print_validation(result, user_lang())
        fail(f"the draft was written to {output} but does not validate with the existing data; "
             "fix it before tckg add. 草稿已写出，但与现有数据一起验证未通过。", 1)
    out.print(f"[green]valid 通过[/green]: the draft validates with the existing data "
              f"({len(result.warnings)} warnings 警告). Next 下一步: review, then "
              f"tckg add {escape(str(output))}")


@app.command("add")
def add_command(
    draft: Annotated[Path, typer.Argument(help="The reviewed draft (or any report file) to add. "
                                          "要添加的报告文件。")],
    data_dir: Annotated[Path | None, typer.Option(
        "--data-dir", help="The data folder (default: the project's data/). 数据目录。")] = None,
    replace: Annotated[bool, typer.Option(
        "--replace", help="Replace the stored report this one repeats (same slug, same source "
        "text, or same government and plan year), atomically. 替换已存储的同一报告。")] = False,
    encoding: Encoding = None,
    lang: Annotated[str | None, typer.Option("--lang", help="zh or en")] = None,
    max_input_bytes: MaxInput = None,
    max_triples: MaxTriples = None,
    load_timeout: LoadTimeout = None,
    validation_timeout: ValidationTimeout = None,
    store: StoreKind = None,
    store_dir: StoreDir = None,
) -> None:
    """Validate a report with the existing data and store it beside them. 添加报告。

    Only a file that conforms together with the existing data is written, as
    data/reports/<slug>.ttl; existing files are never modified. Exit 0: added; 1: refused
    (the validation report says why); 2: unreadable, not one report, or already added.
    """
    from tckg.add import AddRefused, add_report

    check_lang(lang)
    check_data_dir(data_dir)
    apply_limits(max_input_bytes=max_input_bytes, max_triples=max_triples,
                 load_timeout=load_timeout,
                 validation_timeout=validation_timeout)
    try:
        result = add_report(draft, data_dir=data_dir, encoding=encoding, store=cli_store(store),
                            store_dir=store_dir, replace=replace)
    except AddRefused as exc:
        print_validation(exc.report, lang or user_lang())
        fail(str(exc), 1)
    out.print(f"[green]added 已添加[/green]: {escape(result.slug)} → {escape(str(result.path))} "
              f"({result.triples:,} triples 三元组, graph {escape(str(result.graph_name))})")
    if result.is_draft:
        out.print("note 注意: the report is still marked as a draft (tck:isDraft true); remove the "
                  "marker once it is reviewed. 该报告仍标记为草稿，审核后请移除标记。")


@app.command("remove")
def remove_command(
    report: Annotated[str, typer.Argument(help="The stored report: its slug (as in "
                                          "data/reports/<slug>.ttl) or IRI. 报告标识。")],
    data_dir: Annotated[Path | None, typer.Option(
        "--data-dir", help="The data folder (default: the project's data/). 数据目录。")] = None,
    lang: Annotated[str | None, typer.Option("--lang", help="zh or en")] = None,
) -> None:
    """Remove a report stored with tckg add, if the rest still conforms. 删除已添加的报告。

    Exit 0: removed; 1: refused (the rest would not conform; nothing changed); 2: no such
    stored report.
    """
    from tckg.add import RemoveRefused, remove_report

    check_lang(lang)
    check_data_dir(data_dir)
    try:
        path = remove_report(report, data_dir=data_dir)
    except RemoveRefused as exc:
        print_validation(exc.report, lang or user_lang())
        fail(str(exc), 1)
    out.print(f"[green]removed 已删除[/green]: {escape(str(path))}")
