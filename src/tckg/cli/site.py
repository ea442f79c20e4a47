"""Commands that check the data and write pages: validate, build, graph, overview."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from tckg.cli.common import (
    DataFiles,
    Encoding,
    Jobs,
    LoadTimeout,
    MaxInput,
    MaxTriples,
    StoreDir,
    StoreKind,
    ValidationTimeout,
    app,
    apply_limits,
    check_lang,
    cli_store,
    err,
    fail,
    out,
    print_validation,
    user_lang,
)


@app.command()
def validate(
    files: DataFiles = None,
    format: Annotated[str, typer.Option("--format", help="text or json")] = "text",
    encoding: Encoding = None,
    lang: Annotated[str | None, typer.Option("--lang", help="zh or en")] = None,
    max_input_bytes: MaxInput = None,
    max_triples: MaxTriples = None,
    load_timeout: LoadTimeout = None,
    validation_timeout: ValidationTimeout = None,
    store: StoreKind = None,
    store_dir: StoreDir = None,
    jobs: Jobs = None,
) -> None:
    """Validate data files with the ontology against the SHACL shapes. 验证数据。

    Each report is validated on its own (in parallel, its verdict cached until the report,
    the shapes or the ontology change), then the checks that span reports."""
    from tckg.store.load import load_dataset
    from tckg.validate import validate_dataset

    check_lang(lang)
    if format not in ("text", "json"):
        fail(f"unknown --format {format!r}; use text or json.")
    apply_limits(max_input_bytes=max_input_bytes, max_triples=max_triples,
                 load_timeout=load_timeout,
                 validation_timeout=validation_timeout)
    dataset = load_dataset(files, encoding=encoding, store=cli_store(store), store_dir=store_dir)
    try:
        report = validate_dataset(dataset, jobs=jobs)
    finally:
        dataset.close()
    if format == "json":
        sys.stdout.write(report.to_json() + "\n")
    else:  # text: --format was checked before anything was loaded
        print_validation(report, lang or user_lang())
    raise typer.Exit(0 if report.conforms else 1)


@app.command()
def build(
    out_dir: Annotated[Path, typer.Option("-o", "--out", help="Output folder.")] = Path("out"),
    files: DataFiles = None,
    encoding: Encoding = None,
    max_input_bytes: MaxInput = None,
    max_triples: MaxTriples = None,
    load_timeout: LoadTimeout = None,
    validation_timeout: ValidationTimeout = None,
    store: StoreKind = None,
    store_dir: StoreDir = None,
    jobs: Jobs = None,
) -> None:
    """Load, validate and write the site (index, graph, scorecard) to out/. 生成站点。

    Validation reuses the cached verdicts of unchanged reports (see tckg validate)."""
    from tckg.build import build_site

    apply_limits(max_input_bytes=max_input_bytes, max_triples=max_triples,
                 load_timeout=load_timeout,
                 validation_timeout=validation_timeout)
    summary = build_site(out_dir, files, encoding=encoding, console=err, store=cli_store(store),
                         store_dir=store_dir, jobs=jobs)
    if not summary.conforms:
        print_validation(summary.validation, user_lang())
        fail("the data does not conform to the shapes; nothing was written to "
             f"{out_dir}/. Fix the violations above (tckg validate shows them) and rerun.", 1)
    print_build_summary(summary)

def print_build_summary(summary) -> None:  # noqa: ANN001 - typed in tckg.build
    from rich.table import Table

    table = Table(title=f"tckg build → {escape(str(summary.out_dir))}/", header_style="bold")
    table.add_column("what 内容")
    table.add_column("count 数量", justify="right")
    for key, value in summary.counts.items():
        table.add_row(key, f"{value:,}")
    for key, value in summary.statuses.items():
        table.add_row(f"targets {key}", f"{value:,}")
    out.print(table)
    out.print(f"validation 验证: conforms 通过 ({len(summary.validation.warnings)} warnings); "
              f"wrote 写入 {escape(', '.join(str(f) for f in summary.files))}")

@app.command()
def graph(
    files: DataFiles = None,
    output: Annotated[Path | None, typer.Option(
        "-o", "--output", help="The HTML page to write (default: graph.html in the current "
        "folder; never a page that tckg build wrote).")] = None,
    focus: Annotated[str | None, typer.Option(
        "--focus", help="Only the neighbourhood of this node (IRI or label, e.g. 麦格米特)."
    )] = None,
    depth: Annotated[int, typer.Option("--depth", min=0, help="Steps around --focus.")] = 1,
    types: Annotated[str | None, typer.Option(
        "--types", help="Node types, comma-separated: task, section, review-area, task-area, "
        "measure, target, achievement, indicator, body, project, enterprise, place, campaign."
    )] = None,
    year: Annotated[str | None, typer.Option("--year", help="Only nodes of this year.")] = None,
    task_area: Annotated[str | None, typer.Option(
        "--task-area", help="Only this task area (IRI or label) and what it links to.")] = None,
    layout: Annotated[str, typer.Option(
        "--layout", help="force, hierarchical or tree (task areas → measures → targets).")]
    = "force",
    graphml: Annotated[Path | None, typer.Option(
        "--graphml", help="Also write GraphML (Gephi, Cytoscape).")] = None,
    json_out: Annotated[Path | None, typer.Option(
        "--json", help="Also write node-link JSON.")] = None,
    open_page: Annotated[bool, typer.Option("--open", help="Open the page in a browser.")] = False,
    one_page: Annotated[bool, typer.Option(
        "--one-page", help="One page holding every node, whatever the size (by default a graph "
        "of more than 3,000 nodes is written as the overview, as tckg build does). 强制单页。")]
    = False,
    encoding: Encoding = None,
    store: StoreKind = None,
) -> None:
    """Write the interactive graph of tasks and targets (offline HTML). 生成任务与目标关系图。

    Above 3,000 nodes the page is the overview (tckg overview): lists of reports, areas, task
    areas and indicators, each opening its own view from <name>-views/ beside the page."""
    from tckg.html.graph_page import LAYOUTS, write_graph_html
    from tckg.network import build_graph, parse_types, write_graphml, write_node_link_json
    from tckg.store.load import load_dataset

    if layout not in LAYOUTS:
        fail(f"unknown --layout {layout!r} (未知的布局); use force, hierarchical or tree.")
    parse_types(types)  # a typo fails before the data is loaded
    output = _graph_output(output)
    dataset = load_dataset(files, encoding=encoding, store=cli_store(store))
    if year is not None:
        from tckg.namespaces import TCK
        from tckg.suggest import check_year

        union = dataset.lookup()
        year = check_year(year, {str(y) for y in union.objects(None, TCK.year)}, what="nodes")
    from tckg.html.overview import OVERVIEW_NODES, report_parts, write_overview

    whole = one_page or graphml or json_out or any(
        f is not None for f in (year, types, task_area, focus))
    if not whole:
        from tckg.html.overview import write_corpus_overview
        from tckg.network.corpus import count_nodes

        nodes = count_nodes(dataset)
        if nodes > OVERVIEW_NODES:
            # built one report at a time: the whole graph of a thousand reports does not fit
            write_corpus_overview(dataset, output)
            err.print(f"{nodes:,} nodes: wrote the overview, its views in "
                      f"{output.with_name(output.stem + '-views')}/ (--one-page for a single page). "
                      "节点过多，已生成总览页。", highlight=False, markup=False)
            out.print(f"{nodes:,} nodes 节点; wrote 写入 {output}", highlight=False, markup=False)
            if open_page:
                import webbrowser

                webbrowser.open(output.resolve().as_uri())
            return
    G = build_graph(dataset, year=year, types=types, task_area=task_area, focus=focus,
                    depth=depth)
    if G.number_of_nodes() > OVERVIEW_NODES and not one_page:
        # one page of a corpus cannot be drawn (53 MB and 0.6-0.9 s a frame at 100 reports):
        # the overview loads one report, area or task area at a time
        written = [write_overview(report_parts(G), output)]
        err.print(f"{G.number_of_nodes():,} nodes: wrote the overview, its views in "
                  f"{output.with_name(output.stem + '-views')}/ (--one-page for a single page). "
                  "节点过多，已生成总览页。", highlight=False, markup=False)
    else:
        written = [write_graph_html(G, output, layout=layout)]
    if graphml:
        written.append(write_graphml(G, graphml))
    if json_out:
        written.append(write_node_link_json(G, json_out))
    out.print(f"{G.number_of_nodes():,} nodes 节点, {G.number_of_edges():,} edges 边; "
              f"wrote 写入 {', '.join(str(p) for p in written)}", highlight=False, markup=False)
    if open_page:
        import webbrowser

        webbrowser.open(output.resolve().as_uri())


def _graph_output(output: Path | None) -> Path:
    """Where ``tckg graph`` writes: ``-o``, else graph.html here; a page in a folder that
    ``tckg build`` wrote is never replaced by a different one (that folder is the build's)."""
    from tckg.build import MARKER

    explicit = output is not None
    output = output if explicit else Path("graph.html")
    if (output.parent / MARKER).exists():
        fail(f"{output.parent}/ is a site that tckg build wrote ({MARKER}); tckg graph does not "
             "replace its pages. Give another file with -o, e.g. -o my-graph.html. "
             "该目录由 tckg build 生成，tckg graph 不会覆盖其中的页面；请用 -o 另选文件。")
    return output

@app.command("overview")
def overview_command(
    files: DataFiles = None,
    output: Annotated[Path, typer.Option("-o", "--output", help="The overview page to write; "
                                         "the views go beside it in <name>-views/.")]
    = Path("out/overview.html"),
    statuses: Annotated[bool, typer.Option(
        "--statuses/--no-statuses", help="Score the targets (tckg track) to show status totals.")]
    = True,
    encoding: Encoding = None,
    store: StoreKind = None,
    store_dir: StoreDir = None,
) -> None:
    """Write the corpus overview: reports, areas, task areas and indicators with counts and
    status totals, each report, area and task area opening its own graph. 图谱总览。

    For corpora too large for one graph page (tckg graph): the page holds the lists only and
    loads one view file at a time from <name>-views/ beside it.
    """
    from tckg.html.overview import OverviewWriter
    from tckg.network.corpus import report_graphs
    from tckg.store.load import load_dataset

    dataset = load_dataset(files, encoding=encoding, store=cli_store(store), store_dir=store_dir)
    by_target = None
    if statuses:
        from tckg.html.scorecard_page import status_by_target
        from tckg.track import assess

        by_target = status_by_target(assess(dataset))
    writer = OverviewWriter(output)  # one report's graph at a time
    for report, report_title, part in report_graphs(dataset, statuses=by_target):
        writer.add_report(report, report_title, part)
    page = writer.finish()
    out.print(f"{writer.nodes:,} nodes 节点, {writer.edges:,} edges 边; wrote 写入 {page} "
              f"and its views 及视图 {page.with_name(page.stem + '-views')}/", highlight=False, markup=False)
