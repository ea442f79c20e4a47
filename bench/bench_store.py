"""rdflib's memory store against pyoxigraph, as the number of reports grows.

Run: python bench/bench_store.py [--copies 1 10 30]
Makes N distinct copies of the bundled report (its IRIs renamed per copy, so nothing merges),
loads them with the ontology into each store, runs a few named queries, and prints the
seconds and the rdflib/oxigraph ratio. No assertions: this is a measurement.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from tckg.io.paths import data_dir
from tckg.sparql.run import query
from tckg.store.load import load_dataset

QUERIES = ["targets", "achievements", "task-targets", "targets-without-result", "evidence"]


def copies(n: int, folder: Path) -> list[Path]:
    text = (data_dir() / "report.ttl").read_text(encoding="utf-8")
    files = []
    for i in range(n):
        path = folder / f"copy-{i}.ttl"
        path.write_text(text.replace("tianyuan-2023-plan", f"tianyuan-2023-plan-copy{i}"),
                        encoding="utf-8")
        files.append(path)
    return files


def timed(fn):  # noqa: ANN001, ANN201
    start = time.perf_counter()
    value = fn()
    return value, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--copies", type=int, nargs="+", default=[1, 10, 30])
    args = parser.parse_args()
    print(f"{'reports':>8} {'what':<24}{'rdflib s':>10}{'oxigraph s':>12}{'ratio':>8}  rows")
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.copies:
            files = copies(n, Path(tmp))
            stores = {}
            times = {}
            for kind in ("rdflib", "oxigraph"):
                stores[kind], times[kind] = timed(
                    lambda kind=kind, files=files: load_dataset(files, store=kind))
            print(f"{n:>8} {'load':<24}{times['rdflib']:>10.2f}{times['oxigraph']:>12.2f}"
                  f"{times['rdflib'] / times['oxigraph']:>8.1f}")
            for name in QUERIES:
                r, ta = timed(lambda name=name, ds=stores["rdflib"]: query(name, ds, timeout=0))
                o, to = timed(lambda name=name, ds=stores["oxigraph"]: query(name, ds, timeout=0))
                same = "same" if len(r.rows) == len(o.rows) else "DIFFERENT"
                print(f"{n:>8} {'query ' + name:<24}{ta:>10.2f}{to:>12.2f}{ta / to:>8.1f}  "
                      f"{len(r.rows)} ({same})")


if __name__ == "__main__":
    main()
