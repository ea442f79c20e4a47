"""The ``tckg`` command: a thin layer over the library. The only module that prints and exits.

Exit codes: 0 success (data conforms), 1 the data does not conform or a check failed,
2 an input cannot be read or a request is refused, 3 an internal error (a bug in tckg).
Heavy libraries (pyshacl, pyvis, networkx) are imported inside the commands that need them.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.console import Console
from rich.markup import escape

from tckg.errors import TckgError, environment_problem
from tckg.settings import SETTINGS, override


def _version(value: bool) -> None:
    if value:
        from tckg import __version__

        typer.echo(f"tckg {__version__}")
        raise typer.Exit(0)


app = typer.Typer(
    name="tckg",
    help="Target commitment knowledge graph: government plan reports as validated RDF. "
    "目标承诺知识图谱。",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def _main_options(
    version: Annotated[bool, typer.Option(
        "--version", callback=_version, is_eager=True,
        help="Print the tckg version and exit. 显示版本。")] = False,
) -> None:
    """Target commitment knowledge graph: government plan reports as validated RDF."""
# Piped output has no terminal width; rich would wrap tables at 80 columns and cut IRIs apart.
_WIDTH = None if sys.stdout.isatty() else int(os.environ.get("COLUMNS", "200"))
# User text (paths, labels, quotes) is never read as rich markup or emoji codes: the consoles
# render no emoji, and every piece of user text in a markup string goes through escape().
out = Console(soft_wrap=True, width=_WIDTH, emoji=False, highlight=False)
err = Console(stderr=True, soft_wrap=True, emoji=False, highlight=False)


def _wide() -> Console:
    """Piped output: a console that keeps tables at their natural width."""
    return Console(width=100_000, soft_wrap=True, emoji=False, highlight=False)


def user_lang() -> str:
    """zh when the user's locale is Chinese, else en (``TCKG_LANG`` overrides)."""
    lang = os.environ.get("TCKG_LANG") or os.environ.get("LC_ALL") or os.environ.get("LANG") or ""
    return "zh" if lang.lower().startswith("zh") else "en"


def fail(message: str, code: int = 2) -> NoReturn:
    print_error(message)
    raise typer.Exit(code)


def print_error(message: str, prefix: str = "error") -> None:
    """One paragraph on stderr; the message is data, never read as rich markup."""
    err.print(f"[bold red]{prefix}:[/bold red] {escape(message)}", markup=True, highlight=False)


def check_lang(lang: str | None) -> str | None:
    if lang is not None and lang not in ("zh", "en"):
        fail(f"unknown --lang {lang!r} (未知语言); use zh or en.")
    return lang


def apply_limits(**values: float | None) -> None:
    for name, value in values.items():
        if value is not None:
            override(name, value)


DataFiles = Annotated[
    list[Path] | None,
    typer.Argument(help="RDF files (default: the bundled data/report.ttl and data/reports/*.ttl)."),
]
Encoding = Annotated[
    str | None, typer.Option("--encoding", help="Encoding of the input files, e.g. gb18030.")
]
MaxInput = Annotated[
    int | None,
    typer.Option("--max-input-bytes", help=SETTINGS["max_input_bytes"].help_en, show_default=False),
]
LoadTimeout = Annotated[
    float | None,
    typer.Option("--load-timeout", min=0, help=SETTINGS["load_timeout"].help_en, show_default=False),
]
MaxTriples = Annotated[
    int | None,
    typer.Option("--max-triples", help=SETTINGS["max_triples"].help_en, show_default=False),
]
ValidationTimeout = Annotated[
    float | None,
    typer.Option("--validation-timeout", help=SETTINGS["validation_timeout"].help_en,
                 show_default=False),
]


StoreKind = Annotated[
    str | None,
    typer.Option("--store", help="persistent (default: the on-disk Oxigraph store beside the data, "
                 "reloading only changed files), rdflib (memory, reparses every run) or oxigraph "
                 "(memory). 存储引擎。", show_default=False),
]
StoreDir = Annotated[
    Path | None,
    typer.Option("--store-dir", help="Folder of the persistent store (default: under the user's "
                 "cache folder, one per data folder). 持久存储目录。", show_default=False),
]
Jobs = Annotated[
    int | None,
    typer.Option("--jobs", min=1, help="Reports validated at once (default: the number of CPUs).",
                  show_default=False),
]


def cli_store(store: str | None) -> str:
    """The store a command opens: --store, else $TCKG_STORE, else the persistent store."""
    from tckg.store.backends import STORE_KINDS

    kind = store or os.environ.get("TCKG_STORE") or "persistent"
    if kind not in STORE_KINDS:
        fail(f"unknown --store {kind!r}; use {', '.join(STORE_KINDS)}.")
    return kind


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


TABLE_ROWS = 500  # above this many results, tckg validate prints lines, not a table


def print_validation(report, lang: str) -> None:  # noqa: ANN001 - typed in tckg.validate
    """The validation report grouped by focus node: label, property, message, severity."""
    from rich.table import Table

    if len(report.results) > TABLE_ROWS:
        # A corpus of a thousand reports has thousands of warnings: rich lays a table out in
        # about 0.5 ms a row (1.9 s CPU for 4,000), more than the 2 s a validation with
        # nothing changed may take. One line per result instead (0.2 s), for grep.
        lines = [f"{r.severity.value}  {r.label(lang)} <{r.focus}>  {r.path or '-'}  {r.message(lang)}"
                 for results in report.by_focus().values() for r in results]
        out.print("\n".join(lines), markup=False, highlight=False, soft_wrap=True)
    elif report.results:
        table = Table(show_lines=False, header_style="bold")
        for col in ("severity 级别", "node 节点", "property 属性", "message 说明"):
            table.add_column(col, overflow="fold")
        for focus, results in report.by_focus().items():
            for i, r in enumerate(results):
                table.add_row(
                    f"[{'red' if r.severity.value == 'violation' else 'yellow'}]{r.severity.value}",
                    (f"{escape(r.label(lang))}\n[dim]{escape(focus)}[/dim]" if i == 0 else ""),
                    escape(r.path or ""), escape(r.message(lang)))
        out.print(table)
    verdict = "[green]conforms 通过[/green]" if report.conforms else "[red]does not conform 未通过[/red]"
    out.print(f"{verdict}: {len(report.violations)} violations 违规, "
              f"{len(report.warnings)} warnings 警告, {report.triples:,} triples 三元组")


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
    G = build_graph(dataset, year=year, types=types, task_area=task_area, focus=focus,
                    depth=depth)
    from tckg.html.overview import OVERVIEW_NODES, report_parts, write_overview

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


_SUFFIX_FORMATS = {".csv": "csv", ".tsv": "tsv", ".json": "json", ".md": "md", ".ttl": "ttl",
                   ".nt": "nt", ".jsonld": "jsonld", ".xlsx": "xlsx"}


def _check_query_name(name: str) -> None:
    """A bare word that is no named query and no file: say so, with the closest names."""
    import re

    from tckg.sparql.catalogue import named_queries
    from tckg.sparql.errors import QueryError
    from tckg.suggest import hint

    if not re.fullmatch(r"[A-Za-z0-9_-]+", name) or Path(name).is_file():
        return
    known = named_queries()
    if name not in known:
        raise QueryError(f"there is no named query {name!r}.{hint(name, known)} The named queries "
                         f"are: {', '.join(known)} (tckg query --list). 没有名为 {name!r} 的查询。")


def _scope_params(dataset, params: dict[str, str], declared: set[str]) -> dict[str, str]:  # noqa: ANN001
    """``scope`` and ``plan_level`` accept an id or a Chinese or English name (one vocabulary
    with ``tckg track --scope``): turned into the form the query binds."""
    from tckg.suggest import NoMatch, resolve_scope

    wanted = {k: v for k, v in params.items() if k in ("scope", "plan_level") and k in declared
              and v not in ("", "(any)")}
    if not wanted:
        return params
    known = _known_scopes(dataset)
    params = dict(params)
    for key, value in wanted.items():
        found = resolve_scope(value, known, option=f"-p {key}")
        if key == "scope" and found.kind == "area":
            params[key] = found.zh or found.id
        elif key == "plan_level" and found.kind == "plan-level":
            params[key] = found.id
        elif key == "scope" and "plan_level" in declared:
            raise NoMatch(f"-p scope={value}: {found} is a plan level, not an area; use "
                          f"-p plan_level={found.id}. 这是计划层级，请用 plan_level。")
        else:
            raise NoMatch(f"-p {key}={value}: {found} is an area, not a plan level; use "
                          f"-p scope={found.zh or found.id}. 这是地区，请用 scope。")
    return params


def _known_scopes(dataset) -> list:  # noqa: ANN001
    """The areas and plan levels of the data: found by one query each (a look-up per target
    and result was 163,000 of them at N = 1,000 reports), labelled by index look-ups."""
    from tckg.namespaces import TCK
    from tckg.sparql.run import query
    from tckg.suggest import scopes

    areas = query(f"SELECT DISTINCT ?o WHERE {{ {{ ?s a <{TCK.Target}> }} UNION "
                  f"{{ ?s a <{TCK.Achievement}> }} ?s <{TCK.refArea}> ?o }}", dataset, timeout=0)
    levels = query(f"SELECT DISTINCT ?o WHERE {{ ?s a <{TCK.Target}> ; <{TCK.planLevel}> ?o }}",
                   dataset, timeout=0)
    return scopes(dataset.lookup(), {row[0] for row in areas.terms},
                  {row[0] for row in levels.terms})


def _ensure_assessments(dataset) -> None:  # noqa: ANN001
    """The named query ``scorecard`` reads tckg's verdicts: compute them when none are loaded."""
    from rdflib.namespace import PROV

    from tckg.track import SOFTWARE, add_assessments, assess, load_manual_assessments

    union = dataset.lookup()
    if any(True for _ in union.subjects(PROV.wasAssociatedWith, SOFTWARE)):
        return
    load_manual_assessments(dataset)
    add_assessments(dataset, assess(dataset))


def _explain_empty(text: str, dataset, params: dict[str, str], infer: bool) -> None:  # noqa: ANN001
    """No rows: for each parameter that has a column of the same name, say whether its value
    occurs at all, and which values do (never a silent empty table)."""
    from rich.text import Text

    from tckg.sparql.results import display
    from tckg.sparql.run import query
    from tckg.suggest import hint

    given = {k: v for k, v in params.items() if v not in ("", "(any)")}
    notes = []
    for key, value in given.items():
        others = {k: v for k, v in params.items() if k != key}
        try:
            probe = query(text, dataset, others, infer, timeout=0)
        except TckgError:
            continue
        if key not in probe.columns:
            continue
        col = probe.columns.index(key)
        values = sorted({display(row[col], True) for row in probe.terms if row[col] is not None})
        full = {display(row[col]) for row in probe.terms if row[col] is not None}
        if value not in values and value not in full:
            shown = ", ".join(values[:12]) + (" …" if len(values) > 12 else "")
            notes.append(f"-p {key}={value} matches nothing; the values there are: "
                         f"{shown or '(none)'}.{hint(value, values)}")
    if not notes:
        what = ", ".join(f"{k}={v}" for k, v in given.items())
        notes.append("the query returned no rows" + (f" for {what}" if what else "") +
                     ". 查询没有结果。")
    for note in notes:
        err.print(Text(f"note: {note}", style="yellow"))


def _print_result_table(result, console: Console) -> None:  # noqa: ANN001
    """A SELECT result fitted to the terminal: IRI columns give way first."""
    from rich.text import Text

    from tckg.sparql.results import display
    from tckg.termtable import Column, dropped_note, fit

    if result.kind != "SELECT":
        console.print(result.to_table())
        return
    rows = [[Text(display(t, True)) for t in row] for row in result.terms]

    def priority(i: int) -> int:
        cells = [r[i].plain for r in rows if r[i].plain]
        iri = cells and sum(":" in c and " " not in c for c in cells) > len(cells) / 2
        return 5 if iri else 0

    columns = [Column(name, priority(i)) for i, name in enumerate(result.columns)]
    width = _table_width(console)
    table, dropped = fit(columns, rows, width)
    console.print(table)
    if dropped:
        err.print(Text(dropped_note(dropped, width or 0), style="dim"))


@app.command("query")
def query_command(
    name: Annotated[str | None, typer.Argument(
        help="A named query (see --list) or a .rq file. 命名查询或 .rq 文件。")] = None,
    expression: Annotated[str | None, typer.Option(
        "-e", "--expression", help="SPARQL text to run. 直接给出 SPARQL。")] = None,
    param: Annotated[list[str] | None, typer.Option(
        "-p", "--param", help="name=value, bound as an RDF term; repeatable; an empty value "
        "means any. 参数。")] = None,
    format: Annotated[str | None, typer.Option(
        "-f", "--format", help="table, csv, tsv, json (SPARQL results JSON) or md; CONSTRUCT "
        "and DESCRIBE: ttl, nt or jsonld. Default: table, or from the -o suffix.")] = None,
    output: Annotated[Path | None, typer.Option(
        "-o", "--output", help="Write the result to this file (atomically).")] = None,
    data: Annotated[list[Path] | None, typer.Option(
        "-d", "--data", help="RDF files to query (default: the bundled reports); the ontology "
        "is always loaded.")] = None,
    infer: Annotated[bool, typer.Option(
        "--infer", help="Add RDFS reasoning (sub-classes, sub-properties, domains, ranges).")]
    = False,
    allow_service: Annotated[bool, typer.Option(
        "--allow-service", help="Allow SERVICE, which sends requests to other hosts.")] = False,
    timeout: Annotated[float | None, typer.Option(
        "--timeout", "--query-timeout", min=0, help=SETTINGS["query_timeout"].help_en,
        show_default=False)] = None,
    max_rows: Annotated[int | None, typer.Option(
        "--max-rows", min=1, help=SETTINGS["max_rows"].help_en, show_default=False)] = None,
    list_queries: Annotated[bool, typer.Option(
        "--list", help="List the named queries and their parameters. 列出命名查询。")] = False,
    store: StoreKind = None,
    bom: Annotated[bool, typer.Option(
        "--bom", help="Start CSV/TSV with a byte-order mark, so that Excel opens the Chinese "
        "text intact. 为 CSV 加 BOM，便于 Excel 正确显示中文。")] = False,
    encoding: Encoding = None,
    max_input_bytes: MaxInput = None,
    max_triples: MaxTriples = None,
    load_timeout: LoadTimeout = None,
) -> None:
    """Ask the graph in SPARQL: a named query, a .rq file or -e TEXT (read-only). 查询图谱。"""
    from rich.table import Table
    from rich.text import Text

    from tckg.io.write import atomic_write_text
    from tckg.sparql.catalogue import named_queries
    from tckg.sparql.errors import QueryError
    from tckg.sparql.run import check, query
    from tckg.store.load import load_dataset

    # Piped, a table keeps its natural width instead of folding at 80 columns.
    console = out if out.is_terminal else _wide()
    try:
        if list_queries:
            table = Table(header_style="bold")
            for col in ("name 名称", "title 标题", "parameters 参数"):
                table.add_column(col, overflow="fold")
            for q in named_queries().values():
                table.add_row(q.name, q.title, Text("\n".join(
                    f"{p.name}={p.default or '(any)'}  {p.meaning}" for p in q.params)))
            console.print(table)
            return
        if (name is None) == (expression is None):
            raise QueryError("give one query: a name (tckg query --list shows them), a .rq file "
                             "or -e 'SELECT …'. 请给出一个查询。")
        params: dict[str, str] = {}
        for item in param or []:
            key, eq, value = item.partition("=")
            if not eq:
                raise QueryError(f"--param {item!r} needs the form name=value. 参数格式为 名=值。")
            params[key.strip()] = value
        if format is None and output is not None and output.suffix.lower() not in _SUFFIX_FORMATS:
            raise QueryError(f"-o {output}: tckg cannot tell the format from the suffix "
                             f"{output.suffix or '(none)'!r}; name the file .csv, .tsv, .json, .md, "
                             ".ttl, .nt, .jsonld or .xlsx, or give --format. 无法从后缀判断输出格式。")
        fmt = format or (_SUFFIX_FORMATS[output.suffix.lower()] if output else "table")
        if fmt == "xlsx" and output is None:
            raise QueryError("--format xlsx writes a spreadsheet file: give -o result.xlsx. "
                             "xlsx 格式需要 -o 指定文件。")
        apply_limits(max_input_bytes=max_input_bytes, max_triples=max_triples,
                 load_timeout=load_timeout,
                     query_timeout=timeout, max_rows=max_rows)
        text = expression if expression is not None else str(name)
        if name is not None:
            _check_query_name(str(name))
        prepared, _ = check(text, params, allow_service)  # refuse a bad query before loading data
        dataset = load_dataset(data, encoding=encoding, store=cli_store(store))
        declared = {p.name for p in prepared.header.params}
        params = _scope_params(dataset, params, declared)
        if name is not None and str(name) == "scorecard":
            _ensure_assessments(dataset)
        result = query(text, dataset, params, infer, allow_service=allow_service)
        if fmt == "table" and result.graph is not None:
            fmt = "ttl"
        if fmt == "table" and output is None:
            _print_result_table(result, console)
        elif fmt == "xlsx":
            from tckg.spreadsheet import write_xlsx

            write_xlsx(result, output)
        else:
            text = result.serialize("md" if fmt == "table" else fmt)
            if bom and fmt in ("csv", "tsv"):
                text = "\ufeff" + text  # Excel reads UTF-8 (and so Chinese) only after a BOM
            if output is not None:
                atomic_write_text(output, text)
            else:
                sys.stdout.write(text)
        if len(result) == 0 and result.graph is None and result.kind == "SELECT":
            _explain_empty(text if expression is not None else str(name), dataset, params, infer)
        if result.notice:
            err.print(Text(result.notice, style="yellow"))
        if output is not None:
            err.print(Text(f"{len(result):,} rows 行 → {output}"))
    except TckgError as exc:
        # Text, not markup: a query echoed in the message may hold [brackets].
        err.print(Text.assemble(("error: ", "bold red"), str(exc)))
        raise typer.Exit(exc.exit_code) from None


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

    try:
        path = remove_report(report, data_dir=data_dir)
    except RemoveRefused as exc:
        print_validation(exc.report, lang or user_lang())
        fail(str(exc), 1)
    out.print(f"[green]removed 已删除[/green]: {escape(str(path))}")



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


def _table_width(console: Console) -> int | None:
    """Width for a fitted table: the terminal's; piped, $COLUMNS if set, else unlimited."""
    if console.is_terminal:
        return console.width
    columns = os.environ.get("COLUMNS", "")
    return int(columns) if columns.isdigit() and int(columns) > 0 else None


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


def _wide_console() -> Console:
    """Piped output: a console that keeps tables at their natural width (or $COLUMNS)."""
    columns = os.environ.get("COLUMNS", "")
    width = int(columns) if columns.isdigit() and int(columns) > 0 else 100_000
    return Console(width=width, soft_wrap=False, emoji=False, highlight=False)


# -- further commands are registered below by their modules' owners -------------------------
# (query, graph, track, extract, add)


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
    from tckg.html.overview import report_parts, write_overview
    from tckg.network import build_full_graph
    from tckg.store.load import load_dataset

    dataset = load_dataset(files, encoding=encoding, store=cli_store(store), store_dir=store_dir)
    by_target = None
    if statuses:
        from tckg.html.scorecard_page import status_by_target
        from tckg.track import assess

        by_target = status_by_target(assess(dataset))
    G = build_full_graph(dataset, statuses=by_target)
    page = write_overview(report_parts(G), output)
    out.print(f"{G.number_of_nodes():,} nodes 节点, {G.number_of_edges():,} edges 边; wrote 写入 {page} "
              f"and its views 及视图 {page.with_name(page.stem + '-views')}/", highlight=False, markup=False)


@app.command("serve")
def serve_command(
    data: Annotated[list[Path] | None, typer.Option(
        "-d", "--data", help="RDF files to serve (default: the bundled reports); the ontology "
        "is always loaded.")] = None,
    host: Annotated[str, typer.Option(
        "--host", help="Address to listen on. The default answers this machine only; another "
        "address makes the data readable by anyone who can reach it. 监听地址。")] = "127.0.0.1",
    port: Annotated[int, typer.Option(
        "--port", min=0, max=65535, help="Port (0: any free port, printed at start). 端口。")] = 7879,
    timeout: Annotated[float | None, typer.Option(
        "--timeout", "--query-timeout", min=0.1, help=SETTINGS["query_timeout"].help_en,
        show_default=False)] = None,
    max_rows: Annotated[int | None, typer.Option(
        "--max-rows", min=1, help=SETTINGS["max_rows"].help_en, show_default=False)] = None,
    store: StoreKind = None,
    store_dir: StoreDir = None,
    encoding: Encoding = None,
    max_input_bytes: MaxInput = None,
    max_triples: MaxTriples = None,
    load_timeout: LoadTimeout = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Do not log each request.")] = False,
) -> None:
    """Serve the graph as a read-only SPARQL endpoint (SPARQL 1.1 Protocol) with a query page.
    只读 SPARQL 端点。

    Same safety as tckg query: no update, no SERVICE, no FROM, a time limit and a row cap per
    query. The endpoint is /sparql; / is a small query page. Stop with Ctrl+C.
    """
    from tckg.serve import Endpoint, serve
    from tckg.store.load import load_dataset

    apply_limits(max_input_bytes=max_input_bytes, max_triples=max_triples,
                 load_timeout=load_timeout,
                 query_timeout=timeout, max_rows=max_rows)
    dataset = load_dataset(data, encoding=encoding, store=cli_store(store), store_dir=store_dir)
    if host not in ("127.0.0.1", "localhost", "::1"):
        err.print(f"note 注意: listening on {host}: every host that can reach it can read the data.")

    def ready(url: str) -> None:
        print(f"tckg serve: SPARQL endpoint {url} (query page {url[: -len('sparql')]}); "
              "Ctrl+C stops. 端点已启动。", flush=True)

    def log(line: str) -> None:
        err.print(line, markup=False, highlight=False)

    try:
        serve(Endpoint(dataset), host, port, ready=ready, log=None if quiet else log)
    except OSError as exc:
        fail(f"cannot listen on {host}:{port}: {exc.strerror or exc}. 无法监听该地址。")
    except KeyboardInterrupt:
        err.print("stopped 已停止.")


@app.command("push")
def push_command(
    endpoint: Annotated[str, typer.Option(
        "--endpoint", help="A SPARQL 1.1 Graph Store Protocol URL, e.g. http://localhost:7878/store "
        "(Oxigraph), http://host:3030/ds/data (Fuseki). 图存储协议地址。")],
    data: Annotated[list[Path] | None, typer.Option(
        "-d", "--data", help="RDF files to push (default: the bundled reports); the ontology "
        "graph is always pushed.")] = None,
    header: Annotated[list[str] | None, typer.Option(
        "--header", "-H", help="An HTTP header for every request, e.g. 'Authorization: Basic …'; "
        "repeatable.")] = None,
    union_default: Annotated[bool, typer.Option(
        "--union-default", help="Also put the union of the graphs into the default graph (for "
        "stores whose default graph is not the union of the named graphs).")] = False,
    http_timeout: Annotated[float, typer.Option(
        "--http-timeout", min=1, help="Seconds to wait for each request.")] = 120.0,
    store: StoreKind = None,
    store_dir: StoreDir = None,
    encoding: Encoding = None,
    max_input_bytes: MaxInput = None,
    max_triples: MaxTriples = None,
    load_timeout: LoadTimeout = None,
) -> None:
    """Copy the corpus into another triple store, one named graph per report. 推送到其他存储。

    Each graph (each report, the ontology) is replaced with an HTTP PUT ?graph=IRI, so pushing
    again leaves one copy. Works with Oxigraph, Virtuoso, GraphDB, Fuseki, QLever and cloud
    stores that speak the Graph Store Protocol.
    """
    from tckg.push import parse_headers, push
    from tckg.store.load import load_dataset

    apply_limits(max_input_bytes=max_input_bytes, max_triples=max_triples,
                 load_timeout=load_timeout)
    headers = parse_headers(header or [])
    dataset = load_dataset(data, encoding=encoding, store=cli_store(store), store_dir=store_dir)

    def progress(item) -> None:  # noqa: ANN001 - a tckg.push.Pushed
        out.print(f"{item.status} PUT {item.graph}: {item.triples:,} triples 三元组 "
                  f"({item.seconds:.2f} s)", markup=False, highlight=False)

    done = push(dataset, endpoint, headers=headers, union_default=union_default,
                timeout=http_timeout, progress=progress)
    total = sum(p.triples for p in done)
    out.print(f"pushed 已推送 {len(done)} graphs 图, {total:,} triples → {endpoint}",
              markup=False, highlight=False)


def main() -> None:
    """Entry point: run the app, turning every expected failure into one paragraph and a code."""
    # Output is UTF-8 whatever the locale (a Chinese Windows console defaults to GBK, a bare
    # POSIX locale to ASCII); otherwise printing a Chinese label would crash.
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure") and (stream.encoding or "").lower() != "utf-8":
            stream.reconfigure(encoding="utf-8", errors="replace")
    try:
        app()
    except TckgError as exc:
        print_error(str(exc))
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        err.print("interrupted; nothing was written half-done.")
        sys.exit(130)
    except RecursionError:
        err.print("error: the input is nested too deeply to process; it may be cyclic or hostile.")
        sys.exit(2)
    except MemoryError:
        err.print("error: out of memory while processing the input; it may be too large.")
        sys.exit(2)
    except OSError as exc:  # the disk is full, read-only, not ours: the user's to fix
        problem = environment_problem(exc)
        if problem is None:
            _internal_error(exc)
        print_error(str(problem))
        sys.exit(problem.exit_code)
    except Exception as exc:  # a bug of ours, not the user's input: say so, keep it short
        _internal_error(exc)


def _internal_error(exc: BaseException) -> NoReturn:
    if os.environ.get("TCKG_DEBUG"):
        raise exc
    err.print(f"internal error: {type(exc).__name__}: {exc}. This is a bug in tckg, not in "
              "your input; rerun with TCKG_DEBUG=1 for the details and report them.",
              markup=False, highlight=False)
    sys.exit(3)


if __name__ == "__main__":
    main()
