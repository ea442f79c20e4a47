"""CPU seconds of one named query on an already loaded persistent store, directly on pyoxigraph
and through tckg's runner, for the query's text now and for any other text of it (its former
text kept under tests/fixtures/), optionally with a graph of assessments added for the run.

Run (TCKG_HOME names a corpus whose persistent store is loaded, e.g. bench_scale.py --keep):
  TCKG_HOME=corpus/n1000 python bench/bench_named_query.py scorecard \
      --text tests/fixtures/queries-before/scorecard.rq --with out/assessments.ttl --limit 300

Each (text, path) pair runs in its own process (as bench_scale.py's named-query step does),
under ``--limit`` seconds of wall time. The assessments (``tckg track --write`` output) are
added as the command's own graph (``TckDataset.store.add_graph``: queryable, not kept), as
``tckg query scorecard`` and ``tckg build`` add the verdicts they compute; adding them is not
timed. Printed: rows, query CPU and wall seconds, the process's peak RSS. No assertions: this is
a measurement.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

ONE = """
import json, resource, sys, time
from pathlib import Path
from rdflib import Graph
from tckg.namespaces import ASSESSMENT_GRAPH, PREFIXES
from tckg.sparql.catalogue import named_queries
from tckg.sparql.run import query
from tckg.store.canonical import canonical_numbers
from tckg.store.load import load_dataset
name, source, how, extra = sys.argv[1:5]
text = named_queries()[name].text if source == "-" else Path(source).read_text(encoding="utf-8")
ds = load_dataset(store="persistent")
if extra != "-":
    ds.store.add_graph(ASSESSMENT_GRAPH, canonical_numbers(Graph().parse(extra, format="turtle")))
cpu, wall = time.process_time(), time.perf_counter()
if how == "direct":
    rows = sum(1 for _ in ds.store.store.query(text, prefixes={k: str(v) for k, v in PREFIXES.items()}))
else:
    rows = len(query(text, ds, timeout=0, max_rows=100_000_000))
cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
print("BENCH " + json.dumps({"rows": rows, "cpu": cpu, "wall": wall,
                             "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
ds.close()
"""


def run_one(name: str, source: str, how: str, extra: str, limit: float) -> dict:
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    try:
        done = subprocess.run([sys.executable, "-c", ONE, name, source, how, extra], env=env,
                              capture_output=True, text=True, timeout=limit, check=False)
    except subprocess.TimeoutExpired:
        return {"error": f"not finished in {limit:g} s"}
    for line in done.stdout.splitlines():
        if line.startswith("BENCH "):
            return json.loads(line[6:])
    return {"error": (done.stderr.strip().splitlines() or ["no output"])[-1]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("name", help="the named query, e.g. scorecard")
    parser.add_argument("--text", action="append", default=[], type=Path,
                        help="another text of the query to time too (repeatable)")
    parser.add_argument("--with", dest="extra", type=Path, default=None,
                        help="a Turtle file of assessments added for the run (not timed)")
    parser.add_argument("--how", nargs="*", default=["direct", "tckg"],
                        choices=["direct", "tckg"])
    parser.add_argument("--limit", type=float, default=300.0, help="seconds per run")
    parser.add_argument("--no-now", action="store_true",
                        help="time only the --text files, not the query's text now")
    args = parser.parse_args()
    if not os.environ.get("TCKG_HOME"):
        parser.error("set TCKG_HOME to a corpus whose persistent store is loaded")
    extra = str(args.extra.resolve()) if args.extra else "-"
    sources = ([] if args.no_now else ["-"]) + [str(p.resolve()) for p in args.text]
    for source in sources:
        for how in args.how:
            r = run_one(args.name, source, how, extra, args.limit)
            label = "now" if source == "-" else Path(source).relative_to(ROOT) \
                if Path(source).is_relative_to(ROOT) else source
            if "error" in r:
                print(f"{args.name}\t{label}\t{how}\t{r['error']}", flush=True)
            else:
                print(f"{args.name}\t{label}\t{how}\trows {r['rows']}\tcpu {r['cpu']:.2f}\t"
                      f"wall {r['wall']:.2f}\tpeak {r['peak_mb']:.0f} MB", flush=True)


if __name__ == "__main__":
    main()
