"""Every named query on rdflib and Oxigraph as the corpus grows: growth exponent and the ratio
to the same query run directly on pyoxigraph.

Run: python bench/bench_queries.py [--copies 1 10 100] [--cap 120] [--query targets ...]

The corpus is N copies of the bundled report, each a distinct district: the report slug and
every place, body (org), project and campaign IRI get a per-copy suffix, so nothing merges
across copies (5,4xx triples per report). Each copy plus the ontology is loaded into tckg's
rdflib store and tckg's Oxigraph store (``load_dataset``), and, as the anchor, bulk-loaded
straight into a bare ``pyoxigraph.Store`` (union default graph). Every named query then runs
through ``tckg.sparql.run.query`` (the path of ``tckg query``: safety checks, a child process
with a time limit of ``--cap`` seconds, no row cap) and directly on pyoxigraph, all rows
consumed. Printed: seconds per store and N, the growth exponent between the last two N
(1.0 = linear, 2.0 = quadratic) and tckg-oxigraph ÷ direct pyoxigraph at the largest N.
No assertions: this is a measurement.
"""

from __future__ import annotations

import argparse
import math
import re
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

from tckg.io.paths import data_dir, ontology_files
from tckg.namespaces import PREFIXES
from tckg.settings import override
from tckg.sparql.catalogue import named_queries, query_text
from tckg.sparql.errors import QueryTimeout
from tckg.sparql.run import query
from tckg.store.load import load_dataset

SHARED = re.compile(r"\b(place|orgs|project|campaign):([A-Za-z0-9_-]+)")
SHARED_IRI = re.compile(r"<https://w3id\.org/tckg/(place|org|project|campaign)/([A-Za-z0-9_-]+)>")
SLUG = "tianyuan-2023-plan"


def copy_text(text: str, i: int) -> str:
    """The bundled report as district number ``i``: its own slug, places, bodies, projects."""
    text = text.replace(SLUG, f"{SLUG}-c{i}")
    text = SHARED.sub(lambda m: f"{m.group(1)}:{m.group(2)}-c{i}", text)
    return SHARED_IRI.sub(lambda m: f"<https://w3id.org/tckg/{m.group(1)}/{m.group(2)}-c{i}>", text)


def make_corpus(n: int, folder: Path) -> list[Path]:
    text = (data_dir() / "report.ttl").read_text(encoding="utf-8")
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for i in range(n):
        path = folder / f"{SLUG}-c{i}.ttl"
        if not path.exists():
            path.write_text(copy_text(text, i), encoding="utf-8")
        files.append(path)
    return files


def direct_store(files: list[Path]) -> ox.Store:
    """The anchor: the same files bulk-loaded by pyoxigraph, one named graph each."""
    store = ox.Store()
    for path in ontology_files():
        store.bulk_load(path=str(path), format=ox.RdfFormat.TURTLE,
                        to_graph=ox.NamedNode("https://w3id.org/tckg/graph/ontology"))
    for path in files:
        store.bulk_load(path=str(path), format=ox.RdfFormat.TURTLE,
                        to_graph=ox.NamedNode(f"https://w3id.org/tckg/graph/{path.stem}"))
    return store


def run_direct(store: ox.Store, text: str) -> tuple[float, int]:
    prefixes = {k: str(v) for k, v in PREFIXES.items()}
    start = time.perf_counter()
    rows = sum(1 for _ in store.query(text, prefixes=prefixes, use_default_graph_as_union=True))
    return time.perf_counter() - start, rows


def run_tckg(dataset, name: str, cap: float) -> tuple[float | None, int]:  # noqa: ANN001
    start = time.perf_counter()
    try:
        result = query(name, dataset, timeout=cap, max_rows=10**9)
    except QueryTimeout:
        return None, -1
    return time.perf_counter() - start, len(result.rows)


def exponent(a: float | None, b: float | None, na: int, nb: int) -> str:
    if a is None or b is None or a <= 0 or b <= 0:
        return "  -"
    return f"{math.log(b / a) / math.log(nb / na):4.2f}"


def fmt(t: float | None, cap: float) -> str:
    return f">{cap:g}" if t is None else f"{t:.3f}"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, nargs="+", default=[1, 10, 100])
    parser.add_argument("--cap", type=float, default=120.0, help="seconds per query and store")
    parser.add_argument("--query", nargs="*", default=None, help="only these named queries")
    parser.add_argument("--store", nargs="*", default=["rdflib", "oxigraph"])
    args = parser.parse_args(argv)
    names = args.query or sorted(named_queries())
    override("load_timeout", 3600)  # rdflib parses 100 copies in minutes, not a hostile file
    override("max_triples", 10**8)
    times: dict[tuple[str, str, int], float | None] = {}
    rows: dict[tuple[str, str, int], int] = {}
    skip: set[tuple[str, str]] = set()
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.copies:
            files = make_corpus(n, Path(tmp) / "corpus")
            t0 = time.perf_counter()
            anchor = direct_store(files)
            print(f"N={n}: pyoxigraph bulk_load {time.perf_counter() - t0:.2f} s", file=sys.stderr)
            stores = {}
            for kind in args.store:
                t0 = time.perf_counter()
                stores[kind] = load_dataset(files, store=kind)
                print(f"N={n}: load_dataset({kind}) {time.perf_counter() - t0:.2f} s", file=sys.stderr)
            for name in names:
                text = query_text(name)
                times[("direct", name, n)], rows[("direct", name, n)] = run_direct(anchor, text)
                for kind, ds in stores.items():
                    if (kind, name) in skip:
                        times[(kind, name, n)], rows[(kind, name, n)] = None, -1
                        continue
                    t, r = run_tckg(ds, name, args.cap)
                    times[(kind, name, n)], rows[(kind, name, n)] = t, r
                    if t is None:
                        skip.add((kind, name))  # a larger N will not be faster
                print(f"N={n} {name:<24} " + "  ".join(
                    f"{k} {fmt(times[(k, name, n)], args.cap)}s/{rows[(k, name, n)]}r"
                    for k in ["direct", *stores]), file=sys.stderr, flush=True)
            del stores, anchor
    ns = args.copies
    kinds = [*args.store, "direct"]
    head = f"{'query':<24}" + "".join(f"{k[:6] + ' N=' + str(n):>15}" for k in kinds for n in ns)
    head += "".join(f"{'exp ' + k[:6]:>12}" for k in kinds) + f"{'ox/direct':>11}{'rdf/direct':>11}"
    print(head)
    for name in names:
        line = f"{name:<24}" + "".join(f"{fmt(times[(k, name, n)], args.cap):>15}" for k in kinds for n in ns)
        if len(ns) >= 2:
            line += "".join(f"{exponent(times[(k, name, ns[-2])], times[(k, name, ns[-1])], ns[-2], ns[-1]):>12}"
                            for k in kinds)
        else:
            line += " " * 12 * len(kinds)
        d = times[("direct", name, ns[-1])]
        for k in ("oxigraph", "rdflib"):
            t = times.get((k, name, ns[-1]))
            line += f"{(t / d) if t and d else float('nan'):>11.1f}"
        mismatch = {rows.get((k, name, ns[-1])) for k in kinds} - {-1}
        if len(mismatch) > 1:
            line += f"  rows differ: {sorted(mismatch)}"
        print(line)
    print(f"(seconds; exponent between N={ns[-2] if len(ns) > 1 else ns[0]} and N={ns[-1]}; "
          f"tckg runs include the child process; direct = pyoxigraph in-process)")


if __name__ == "__main__":
    main()
