"""``tckg build``: load once, validate once, write the whole site to ``out/`` or nothing.

The site is written into a temporary folder beside the output and swapped in at the end,
so a failed build leaves the previous site as it was.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tckg.errors import TckgError
from tckg.io.write import atomic_write_text
from tckg.store.load import TckDataset, load_dataset
from tckg.validate import ValidationReport, validate_dataset

COUNT_ORDER = ["reports", "targets", "achievements", "task areas", "measures", "review areas",
               "projects", "enterprises", "bodies", "places", "campaigns", "evidence"]


@dataclass
class BuildSummary:
    out_dir: Path
    conforms: bool
    validation: ValidationReport
    counts: dict[str, int] = field(default_factory=dict)
    statuses: dict[str, int] = field(default_factory=dict)
    files: list[Path] = field(default_factory=list)


def count_entities(dataset: TckDataset) -> dict[str, int]:
    from tckg.sparql.run import query

    rows = query("counts", dataset).rows
    found = {str(r["type"]): int(r["count"]) for r in rows}
    return {key: found.get(key, 0) for key in COUNT_ORDER}


MARKER = ".tckg-site"


class BuildError(TckgError):
    """The output folder cannot be (re)written."""


def check_out_dir(out_dir: Path) -> None:
    """Refuse to replace anything tckg did not write: a file, or a folder without its marker.

    The site replaces the whole output folder, so ``-o ~`` must not mean "delete my home".
    """
    if out_dir.exists() and not out_dir.is_dir():
        raise BuildError(f"{out_dir} is a file, not a folder; choose another output folder with -o.")
    if out_dir.is_dir() and any(out_dir.iterdir()) and not (out_dir / MARKER).exists():
        raise BuildError(f"{out_dir} is a folder tckg did not write (it has no {MARKER} file), and "
                         "building would replace it; choose an empty or new folder with -o.")


def _swap_in(tmp: Path, out_dir: Path) -> None:
    """Replace ``out_dir`` by ``tmp`` with two renames, keeping the old site until the end."""
    old = None
    if out_dir.exists():
        old = out_dir.with_name(f".{out_dir.name}.old-{tmp.name}")
        out_dir.rename(old)
    tmp.rename(out_dir)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def build_site(out_dir: Path, files: Iterable[Path] | None = None, *, encoding: str | None = None,
               console: Any = None, store: str | None = None, store_dir: Path | None = None,
               jobs: int | None = None) -> BuildSummary:
    """Build the site; on non-conforming data, write nothing and return the report."""
    out_dir = Path(out_dir)
    check_out_dir(out_dir)

    def step(text: str) -> None:
        if console is not None:
            console.print(f"[dim]· {text}[/dim]")

    step("loading")
    dataset = load_dataset(files, encoding=encoding, store=store, store_dir=store_dir)
    try:
        return _build(dataset, out_dir, step, jobs)
    finally:
        dataset.close()


def _build(dataset: TckDataset, out_dir: Path, step: Any, jobs: int | None) -> BuildSummary:
    from tckg.track import load_manual_assessments

    step("validating")
    report = validate_dataset(dataset, jobs=jobs)
    # Analysts' verdicts (data/assessments/*.ttl) count in the site as they do in `tckg track`;
    # loaded after validation because they are checked by tckg.track, not by the report shapes.
    load_manual_assessments(dataset)
    summary = BuildSummary(out_dir, report.conforms, report)
    if not report.conforms:
        return summary

    from tckg.html.graph_page import write_site_graph
    from tckg.html.site import report_titles, write_index
    from tckg.track import add_assessments, assess, write_assessments

    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.build-", dir=out_dir.parent))
    try:
        step("scoring targets")
        scorecard = assess(dataset)
        write_assessments(scorecard, tmp / "assessments.ttl")
        add_assessments(dataset, scorecard)  # so tckg.trig carries graph/assessments too
        from tckg.html.scorecard_page import status_by_target, write_scorecard_html

        write_scorecard_html(scorecard, tmp / "scorecard.html")
        summary.statuses = scorecard.status_counts()
        step("drawing the graph")
        write_site_graph(dataset, tmp, statuses=status_by_target(scorecard))
        step("writing the data and the index")
        stream = getattr(dataset.store, "write_trig", None)  # the persistent store streams it
        if stream is not None:
            stream(tmp / "tckg.trig")
        else:
            atomic_write_text(tmp / "tckg.trig", dataset.store.to_trig())
        summary.counts = count_entities(dataset)
        write_index(tmp / "index.html", summary, titles=report_titles(dataset))
        summary.files = sorted(p.relative_to(tmp) for p in tmp.rglob("*") if p.is_file())
        atomic_write_text(tmp / MARKER, "This folder was written by tckg build and is replaced "
                          "whole by the next build.\n")
        _swap_in(tmp, out_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return summary
