"""Where ``tckg build`` holds its memory: CPU seconds and peak resident set per phase.

Run from a clone on a corpus that ``tckg`` already knows (``TCKG_HOME`` pointing at a folder
with ``data/``, ``ontology/`` and ``shapes/``)::

    TCKG_HOME=/path/to/corpus python bench/build_memory.py OUT_DIR [--tracemalloc PHASE]

It runs :func:`tckg.build.build_site` as ``tckg build`` does, with each step it calls (the
validation, the scoring, the assessments' Turtle and store graph, the scorecard page, the graph
views, tckg.trig, the counts, the index) wrapped so that, for each, it prints the CPU seconds
and the peak resident set *during that step* (Linux: the high-water mark ``VmHWM`` of
``/proc/self/status``, reset before each step by writing 5 to ``/proc/self/clear_refs``,
unless ``--no-reset``) and the resident set after it. ``--tracemalloc PHASE`` also prints the ten largest allocation
sites (Python objects only) at that phase's peak. Nothing is asserted: this is a measurement.
"""

from __future__ import annotations

import argparse
import functools
import json
import resource
import sys
import tracemalloc
from pathlib import Path
from typing import Any

ROWS: list[dict[str, Any]] = []


def _status(key: str) -> int:
    with open("/proc/self/status", encoding="ascii") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1]) // 1024  # kB -> MB
    return -1


RESET = True


def _reset_peak() -> None:
    if not RESET:
        return
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as f:
            f.write("5")
    except OSError:  # not Linux, or not allowed: the peaks are then cumulative
        pass


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)  # the validation workers
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def _wrap(owner: Any, name: str, label: str, trace: str | None) -> None:
    fn = getattr(owner, name)

    @functools.wraps(fn)
    def timed(*args: Any, **kwargs: Any) -> Any:
        if getattr(timed, "active", False):  # a nested call of the same step: measured once
            return fn(*args, **kwargs)
        timed.active = True  # type: ignore[attr-defined]
        _reset_peak()
        tracing = trace == label
        if tracing:
            tracemalloc.start(12)
        before, t0 = _status("VmRSS"), _cpu()
        try:
            return fn(*args, **kwargs)
        finally:
            timed.active = False  # type: ignore[attr-defined]
            row = {"step": label, "cpu_s": round(_cpu() - t0, 2), "rss_before_mb": before,
                   "peak_mb": _status("VmHWM"), "rss_after_mb": _status("VmRSS")}
            ROWS.append(row)
            print("PHASE " + json.dumps(row), file=sys.stderr, flush=True)
            if tracing:
                current, peak = tracemalloc.get_traced_memory()
                snap = tracemalloc.take_snapshot()
                tracemalloc.stop()
                print(f"tracemalloc {label}: now {current >> 20} MB, peak {peak >> 20} MB; "
                      "largest live sites at the end:", file=sys.stderr)
                for stat in snap.statistics("traceback")[:10]:
                    print(f"  {stat.size >> 20} MB in {stat.count} blocks", file=sys.stderr)
                    for line in stat.traceback.format()[-8:]:
                        print("    " + line, file=sys.stderr)

    setattr(owner, name, timed)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--tracemalloc", metavar="PHASE", help="trace this step's allocations")
    ap.add_argument("--no-reset", action="store_true",
                    help="keep the high-water mark across steps (each peak is then the run's so "
                    "far, and the process's peak as wait4 or time -v report it stays true)")
    ap.add_argument("--cold-scorecard", action="store_true",
                    help="remove the store's cached scorecards first, so the build computes its "
                    "card (as the benchmark's first build does)")
    ap.add_argument("--skip-validation", action="store_true",
                    help="measure the steps after validation only: the data is taken as "
                    "conforming (for a corpus whose verdicts are not cached yet)")
    args = ap.parse_args()
    global RESET
    RESET = not args.no_reset

    import tckg.build as build
    import tckg.html.overview as overview
    import tckg.html.scorecard_page as page
    import tckg.track as track
    from tckg.store.persistent import PersistentStore

    steps = [(build, "validate_dataset", "validate"), (track, "assess", "assess"),
             (track, "write_assessments", "write_assessments"),
             (track, "add_assessments", "add_assessments"),
             (page, "write_scorecard_html", "scorecard_html"),
             (page, "status_by_target", "status_by_target"),
             (overview, "write_site_views", "site_views"),
             (PersistentStore, "write_trig", "write_trig"),
             (build, "count_entities", "count_entities")]
    if args.skip_validation:
        from tckg.validate import ValidationReport

        build.validate_dataset = lambda dataset, jobs=None: ValidationReport(True)
    for owner, name, label in steps:
        _wrap(owner, name, label, args.tracemalloc)
    if args.cold_scorecard:
        import shutil

        from tckg.store.persistent import store_dir_for

        shutil.rmtree(store_dir_for(None) / "scorecards", ignore_errors=True)
    t0 = _cpu()
    summary = build.build_site(args.out, store="persistent")
    # with the resets, the run's peak is the largest step's (the loading and the index are
    # not wrapped: they are small beside the steps above)
    total = {"step": "build", "conforms": summary.conforms, "cpu_s": round(_cpu() - t0, 2),
             "peak_mb": max([r["peak_mb"] for r in ROWS] + [_status("VmHWM")])}
    print("TOTAL " + json.dumps(total), file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()
