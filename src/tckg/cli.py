"""The ``tckg`` command: a thin layer over the library. The only module that prints and exits.

Exit codes: 0 success (data conforms), 1 the data does not conform or a check failed,
2 an input cannot be read or a request is refused.
Heavy libraries (pyshacl, pyvis, networkx) are imported inside the commands that need them.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated, NoReturn, Optional

import typer
from rich.console import Console

from tckg.errors import TckgError
from tckg.settings import SETTINGS, override

app = typer.Typer(
    name="tckg",
    help="Target commitment knowledge graph: government plan reports as validated RDF. "
    "目标承诺知识图谱。",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)


def user_lang() -> str:
    """zh when the user's locale is Chinese, else en (``TCKG_LANG`` overrides)."""
    lang = os.environ.get("TCKG_LANG") or os.environ.get("LC_ALL") or os.environ.get("LANG") or ""
    return "zh" if lang.lower().startswith("zh") else "en"


def fail(message: str, code: int = 2) -> NoReturn:
    err.print(f"[bold red]error:[/bold red] {message}", markup=True, highlight=False)
    raise typer.Exit(code)


def apply_limits(**values: Optional[float]) -> None:
    for name, value in values.items():
        if value is not None:
            override(name, value)


DataFiles = Annotated[
    Optional[list[Path]],
    typer.Argument(help="RDF files (default: the bundled data/report.ttl and data/reports/*.ttl)."),
]
Encoding = Annotated[
    Optional[str], typer.Option("--encoding", help="Encoding of the input files, e.g. gb18030.")
]
MaxInput = Annotated[
    Optional[int],
    typer.Option("--max-input-bytes", help=SETTINGS["max_input_bytes"].help_en, show_default=False),
]
MaxTriples = Annotated[
    Optional[int],
    typer.Option("--max-triples", help=SETTINGS["max_triples"].help_en, show_default=False),
]
ValidationTimeout = Annotated[
    Optional[float],
    typer.Option("--validation-timeout", help=SETTINGS["validation_timeout"].help_en,
                 show_default=False),
]


@app.command()
def validate(
    files: DataFiles = None,
    format: Annotated[str, typer.Option("--format", help="text or json")] = "text",
    encoding: Encoding = None,
    lang: Annotated[Optional[str], typer.Option("--lang", help="zh or en")] = None,
    max_input_bytes: MaxInput = None,
    max_triples: MaxTriples = None,
    validation_timeout: ValidationTimeout = None,
) -> None:
    """Validate data files with the ontology against the SHACL shapes. 验证数据。"""
    from tckg.load import load_dataset
    from tckg.validate import validate_dataset

    apply_limits(max_input_bytes=max_input_bytes, max_triples=max_triples,
                 validation_timeout=validation_timeout)
    dataset = load_dataset(files, encoding=encoding)
    report = validate_dataset(dataset)
    if format == "json":
        sys.stdout.write(report.to_json() + "\n")
    elif format == "text":
        print_validation(report, lang or user_lang())
    else:
        fail(f"unknown --format {format!r}; use text or json.")
    raise typer.Exit(0 if report.conforms else 1)


@app.command()
def build(
    out_dir: Annotated[Path, typer.Option("-o", "--out", help="Output folder.")] = Path("out"),
    files: DataFiles = None,
    encoding: Encoding = None,
) -> None:
    """Load, validate and write the site (index, graph, scorecard) to out/. 生成站点。"""
    from tckg.build import build_site

    summary = build_site(out_dir, files, encoding=encoding, console=err)
    if not summary.conforms:
        print_validation(summary.validation, user_lang())
        fail("the data does not conform to the shapes; nothing was written to "
             f"{out_dir}/. Fix the violations above (tckg validate shows them) and rerun.", 1)
    print_build_summary(summary)


def print_validation(report, lang: str) -> None:  # noqa: ANN001 - typed in tckg.validate
    """The validation report grouped by focus node: label, property, message, severity."""
    from rich.table import Table

    if report.results:
        table = Table(show_lines=False, header_style="bold")
        for col in ("severity 级别", "node 节点", "property 属性", "message 说明"):
            table.add_column(col, overflow="fold")
        for focus, results in report.by_focus().items():
            for i, r in enumerate(results):
                table.add_row(
                    f"[{'red' if r.severity.value == 'violation' else 'yellow'}]{r.severity.value}",
                    (f"{r.focus_label}\n[dim]{focus}[/dim]" if i == 0 else ""),
                    r.path or "", r.message(lang))
        out.print(table)
    verdict = "[green]conforms 通过[/green]" if report.conforms else "[red]does not conform 未通过[/red]"
    out.print(f"{verdict}: {len(report.violations)} violations 违规, "
              f"{len(report.warnings)} warnings 警告, {report.triples:,} triples 三元组")


def print_build_summary(summary) -> None:  # noqa: ANN001 - typed in tckg.build
    from rich.table import Table

    table = Table(title=f"tckg build → {summary.out_dir}/", header_style="bold")
    table.add_column("what 内容")
    table.add_column("count 数量", justify="right")
    for key, value in summary.counts.items():
        table.add_row(key, f"{value:,}")
    for key, value in summary.statuses.items():
        table.add_row(f"targets {key}", f"{value:,}")
    out.print(table)
    out.print(f"validation 验证: conforms 通过 ({len(summary.validation.warnings)} warnings); "
              f"wrote 写入 {', '.join(str(f) for f in summary.files)}")


# -- further commands are registered below by their modules' owners -------------------------
# (query, graph, track, extract, add)


def main() -> None:
    """Entry point: run the app, turning every expected failure into one paragraph and a code."""
    try:
        app()
    except TckgError as exc:
        err.print(f"[bold red]error:[/bold red] {exc}", markup=True, highlight=False)
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
