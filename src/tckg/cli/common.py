"""What every command shares: the Typer app, the consoles, one-paragraph errors, the
options that several commands take, and the printers they share."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.console import Console
from rich.markup import escape

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
# $COLUMNS is the user's (or the shell's) text, read at import: garbage must not stop the command.
_COLUMNS = os.environ.get("COLUMNS", "")
_WIDTH = None if sys.stdout.isatty() else \
    (int(_COLUMNS) if _COLUMNS.isdigit() and int(_COLUMNS) > 0 else 200)
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


def check_data_dir(folder: Path | None) -> None:
    """A --data-dir that is not a folder is refused: extract would otherwise validate against no
    data and call the draft valid, add would refuse a good report as not conforming."""
    if folder is not None and not folder.is_dir():
        what = "is a file, not a folder" if folder.exists() else "does not exist"
        fail(f"--data-dir {folder} {what}; give the data folder (the one holding report.ttl and "
             "reports/), or leave the option out for the project's data/. 数据目录不存在。")


def apply_limits(**values: float | None) -> None:
    """Set the limits given as options; a value out of range (negative, NaN, a time too long
    for the timers) is refused before any work, naming the option."""
    for name, value in values.items():
        if value is not None:
            try:
                override(name, value)
            except ValueError as exc:  # Setting.problem's message, naming the option
                fail(str(exc))


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


def _table_width(console: Console) -> int | None:
    """Width for a fitted table: the terminal's; piped, $COLUMNS if set, else unlimited."""
    if console.is_terminal:
        return console.width
    columns = os.environ.get("COLUMNS", "")
    return int(columns) if columns.isdigit() and int(columns) > 0 else None


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


def _wide_console() -> Console:
    """Piped output: a console that keeps tables at their natural width (or $COLUMNS)."""
    columns = os.environ.get("COLUMNS", "")
    width = int(columns) if columns.isdigit() and int(columns) > 0 else 100_000
    return Console(width=width, soft_wrap=False, emoji=False, highlight=False)
