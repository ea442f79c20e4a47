"""``tckg query``: named queries, .rq files and -e text, read-only, parameters bound."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from tckg.cli.common import (
    Encoding,
    LoadTimeout,
    MaxInput,
    MaxTriples,
    StoreKind,
    _known_scopes,
    _table_width,
    _wide,
    app,
    apply_limits,
    cli_store,
    err,
    out,
)
from tckg.errors import TckgError
from tckg.settings import SETTINGS

_SUFFIX_FORMATS = {".csv": "csv", ".tsv": "tsv", ".json": "json", ".md": "md", ".ttl": "ttl",
                   ".nt": "nt", ".jsonld": "jsonld", ".xlsx": "xlsx"}


def _check_query_name(name: str) -> None:
    """A bare word that is no named query and no file: say so, with the closest names."""
    import re

    from tckg.sparql.catalogue import named_queries
    from tckg.sparql.errors import QueryError
    from tckg.suggest import hint

    if Path(name).is_file():
        return
    if not re.fullmatch(r"[A-Za-z0-9_-]+", name):
        if not re.search(r"[\s{]", name):
            # a path, not SPARQL text (which has spaces or braces): a folder or a missing file
            # was parsed as a query and reported as a syntax error "near 'in'"
            from tckg.io.read import read_bytes

            read_bytes(Path(name), max_bytes=0)  # raises the LoadError naming what is wrong
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
