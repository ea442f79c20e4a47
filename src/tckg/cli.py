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
        from tckg.report_text import print_validation

        print_validation(out, report, lang or user_lang())
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
    from tckg.report_text import print_build_summary

    print_build_summary(out, summary)
    raise typer.Exit(0 if summary.conforms else 1)


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
