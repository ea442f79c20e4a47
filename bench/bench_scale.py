"""tckg at corpus size: every command at N = 1, 100, 1,000 reports, beside pyoxigraph and pyshacl.

Run from a clone: ``python bench/bench_scale.py [--sizes 1 100 1000] [--limit 900]``.

The corpus is made from the bundled report (data/report.ttl) in a temporary folder: copy i is a
distinct district d<i> (its report slug, its place, its government's bodies, its projects and
campaigns rewritten; the city, province and national places and bodies stay shared, as they are
between real reports). Each step runs as its own process, measured with ``wait4``: CPU seconds
(user + system, the process and the children it waited for, e.g. the validation workers) and
peak memory (largest resident set). A step that runs past its limit is stopped and shown as
"not finished in X s". Anchors run in the same run: pyoxigraph's ``bulk_load`` of the same
files, each named query directly on pyoxigraph (the same store, no tckg in between; each query
in its own process, tckg's and pyoxigraph's, with the CPU seconds of the query alone), and the
pyshacl command line in its equivalent form (``pyshacl -a``, ontology merged into the data) at
N ≤ 10.

Prints one table of the commands and one of the named queries: CPU seconds and peak memory per
N, the ratio to each step's anchor, the growth exponent from 100 to 1,000 (log10 of the ratio
of CPU seconds) and, for every goal of issue 12, "met" or the gap. Nothing is asserted: this is
a measurement. ``--json`` keeps the figures as they come (a run cut short keeps them);
``--merge`` shows earlier runs' figures beside these; ``--keep DIR --reuse --skip …`` runs the
steps an earlier run did not reach on its corpus and store.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SLUG = "tianyuan-2023-plan"
PY = sys.executable


def district(i: int) -> str:
    return f"d{i:04d}"


def report_copy(text: str, i: int) -> str:
    d = district(i)
    t = text.replace(SLUG, f"{d}-2023-plan")
    t = re.sub(r"\bplace:tianyuan(?![A-Za-z0-9_-])", f"place:{d}", t)
    t = t.replace("https://w3id.org/tckg/place/tianyuan>", f"https://w3id.org/tckg/place/{d}>")
    t = re.sub(r"\borgs:tianyuan-", f"orgs:{d}-tianyuan-", t)
    t = t.replace("https://w3id.org/tckg/org/tianyuan-", f"https://w3id.org/tckg/org/{d}-tianyuan-")
    t = re.sub(r"\b(project|campaign):(?=[A-Za-z0-9])", rf"\1:{d}-", t)
    t = re.sub(r"(https://w3id\.org/tckg/(?:project|campaign)/)(?=[A-Za-z0-9])", rf"\g<1>{d}-", t)
    # its own source text: tckg add refuses a report whose source text (SHA-256) is stored
    t = re.sub(r'tck:sha256 "[0-9a-f]{64}"',
               f'tck:sha256 "{hashlib.sha256(d.encode()).hexdigest()}"', t)
    return t


def make_corpus(n: int, home: Path) -> list[Path]:
    """``home`` becomes a TCKG_HOME: ontology/ and shapes/ copied, data/reports/ holding N reports."""
    home.mkdir(parents=True, exist_ok=True)
    # copied, not linked: a checkout that moves during a long run must not change the
    # ontology's hash (and with it every cached verdict) half-way
    for folder in ("ontology", "shapes"):
        shutil.copytree(ROOT / folder, home / folder)
    reports = home / "data" / "reports"
    reports.mkdir(parents=True)
    text = (ROOT / "data" / "report.ttl").read_text(encoding="utf-8")
    files = []
    for i in range(n):
        path = reports / f"{district(i)}-2023-plan.ttl"
        path.write_text(report_copy(text, i), encoding="utf-8")
        files.append(path)
    return files


class Result:
    def __init__(self, cpu: float | None, rss_mb: float | None, wall: float, ok: bool,
                 stopped: bool, extra: dict | None = None, note: str = "") -> None:
        self.cpu, self.rss_mb, self.wall, self.ok, self.stopped = cpu, rss_mb, wall, ok, stopped
        self.extra = extra or {}
        self.note = note


def run(argv: list[str], env: dict[str, str], limit: float, cwd: Path) -> Result:
    """Run one step as a child process; CPU and peak memory from wait4."""
    start = time.perf_counter()
    out = tempfile.TemporaryFile()
    err = tempfile.TemporaryFile()
    proc = subprocess.Popen(argv, env=env, cwd=cwd, stdout=out, stderr=err, start_new_session=True)
    stopped = False
    status, usage = 0, None
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() - start > limit:
            os.killpg(proc.pid, signal.SIGKILL)
            pid, status, usage = os.wait4(proc.pid, 0)
            stopped = True
            break
        time.sleep(0.05)
    proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - start
    out.seek(0)
    err.seek(0)
    stdout = out.read().decode("utf-8", "replace")
    stderr = err.read().decode("utf-8", "replace")
    extra = {}
    for line in stdout.splitlines():
        if line.startswith("BENCH "):
            extra.update(json.loads(line[6:]))
    note = "" if proc.returncode in (0, 1) or stopped else stderr.strip().splitlines()[-1:][0][:200] \
        if stderr.strip() else f"exit {proc.returncode}"
    return Result(usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, wall,
                  proc.returncode == 0, stopped, extra, note)


TCKG = [PY, "-m", "tckg"]

OPEN = """
import json, time
t = time.perf_counter()
from tckg.store.load import load_dataset
ds = load_dataset(store="persistent")
opened = time.perf_counter() - t
print("BENCH " + json.dumps({"open_s": opened, "loaded": len(ds.sync.loaded),
                             "reports": len(ds.report_graphs())}))
ds.close()
"""

ANCHOR_LOAD = """
import sys, pyoxigraph as ox
from pathlib import Path
store = ox.Store(sys.argv[1])
for f in sorted(Path(sys.argv[2]).glob("*.ttl")):
    store.bulk_load(path=str(f), format=ox.RdfFormat.TURTLE,
                    to_graph=ox.NamedNode("https://w3id.org/tckg/graph/" + f.stem))
"""

# One named query in its own process, either through tckg's runner (in process, timeout=0: the
# engine and the term conversion, not the child process of the CLI) or directly on the same
# pyoxigraph store (all rows consumed, nothing converted). CPU seconds of the query alone.
QUERY_ONE = """
import json, sys, time
from tckg.store.load import load_dataset
from tckg.sparql.catalogue import named_queries
from tckg.sparql.run import query
from tckg.namespaces import PREFIXES
name, how = sys.argv[1], sys.argv[2]
ds = load_dataset(store="persistent")
text = named_queries()[name].text
cpu, wall = time.process_time(), time.perf_counter()
if how == "direct":
    rows = sum(1 for _ in ds.store.store.query(text, prefixes={k: str(v) for k, v in PREFIXES.items()}))
else:
    rows = len(query(name, ds, timeout=0, max_rows=100_000_000))
print("BENCH " + json.dumps({"rows": rows, "query_cpu": time.process_time() - cpu,
                             "query_wall": time.perf_counter() - wall}))
ds.close()
"""

MERGE = """
import sys
from rdflib import Graph
from tckg.store.load import load_dataset
ds = load_dataset()
g = ds.union()
g.serialize(sys.argv[1], format="nt", encoding="utf-8")
shapes = Graph()
for f in sys.argv[2:]:
    shapes.parse(f)
shapes.serialize(sys.argv[1] + ".shapes.ttl", format="turtle", encoding="utf-8")
"""


def bench_size(n: int, limit: float, workdir: Path, cores: int,
               query_limit: float = 60.0, skip: tuple[str, ...] = (),
               cold_limit: float | None = None, on_step: Any = None,
               reuse: bool = False, only: tuple[str, ...] = ()) -> dict[str, Result]:
    home = workdir / f"n{n}"
    if not (reuse and (home / "data" / "reports").is_dir()):
        make_corpus(n, home)
    env = dict(os.environ, TCKG_HOME=str(home), PYTHONPATH=str(ROOT / "src"),
               TCKG_VALIDATION_CACHE=str(home / "rdflib-cache"), COLUMNS="200")
    env.pop("TCKG_STORE_DIR", None)
    env.pop("TCKG_STORE", None)
    r: dict[str, Result] = {}

    def step(name: str, argv: list[str], lim: float = limit) -> Result | None:
        # a word leaves out every step whose name holds it; "=name" only the step of that name
        def named(words: tuple[str, ...]) -> bool:
            return any(name == w[1:] if w.startswith("=") else w in name for w in words)

        if named(skip) or (only and not named(only)):
            return None
        res = run(argv, env, lim, home)
        r[name] = res
        if on_step is not None:  # figures kept as they come: a run cut short keeps them
            on_step(n, r)
        shown = f">{lim:g}" if res.stopped else f"{res.cpu:.1f}"
        print(f"  N={n:<5} {name:<34} cpu {shown:>8} s  wall {res.wall:7.1f} s  "
              f"peak {res.rss_mb:7.0f} MB {res.note}", flush=True)
        return res

    new = home / f"{district(n)}-2023-plan.ttl"
    new.write_text(report_copy((ROOT / "data" / "report.ttl").read_text(encoding="utf-8"), n),
                   encoding="utf-8")
    # The loads must finish for any other step to mean something: a longer limit.
    step("anchor: pyoxigraph bulk_load", [PY, "-c", ANCHOR_LOAD, str(home / "anchor-store"),
                                          str(home / "data" / "reports")], lim=max(limit, 0.6 * n))
    shutil.rmtree(home / "anchor-store", ignore_errors=True)
    step("store: first load", [PY, "-c", OPEN], lim=max(limit, 0.6 * n))
    step("store: open (nothing changed)", [PY, "-c", OPEN])
    step("track --year 2022", [*TCKG, "track", "--year", "2022", "-f", "csv"])
    step("query targets (CLI)", [*TCKG, "query", "targets", "-f", "csv", "-o",
                                 str(home / "targets.csv"), "--max-rows", "10000000",
                                 "--timeout", str(limit)])
    step("graph", [*TCKG, "graph", "-o", str(home / "graph.html")])
    if "queries" not in skip:
        for name in sorted(f.stem for f in (ROOT / "src" / "tckg" / "queries").glob("*.rq")):
            for how in ("direct", "tckg"):
                step(f"query {name} ({'pyoxigraph direct' if how == 'direct' else 'tckg'})",
                     [PY, "-c", QUERY_ONE, name, how], lim=query_limit)
    # Validation last: the cold run is N reports' work (about 1-2 CPU s each) and has its own
    # limit; the steps after it read its cached verdicts (if it was stopped, they validate the
    # reports it did not reach, and say so by their time).
    step("validate one report alone", [*TCKG, "validate", "--store", "rdflib", str(new)])
    step("validate (cold: no cached verdict)", [*TCKG, "validate"],
         lim=cold_limit if cold_limit is not None else max(limit, 1.2 * n))
    step("validate (nothing changed)", [*TCKG, "validate"])
    step("add one report", [*TCKG, "add", str(new)])
    step("validate after add", [*TCKG, "validate"])
    step("build (cached verdicts)", [*TCKG, "build", "-o", str(home / "site"),
                                     "--validation-timeout", str(limit)])
    if n <= 10:
        merged = home / "merged.nt"
        run([PY, "-c", MERGE, str(merged), *map(str, sorted((ROOT / "shapes").glob("*.ttl")))],
            env, limit, home)
        step("anchor: pyshacl -a (CLI)", [PY, "-m", "pyshacl", "-a", "-s", f"{merged}.shapes.ttl",
                                          "-f", "human", str(merged)])
        step("tckg validate --store rdflib, cold", [*TCKG, "validate", "--store", "rdflib",
                                                    "--store-dir", str(home / "unused")],
             lim=limit)
    return r


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[1, 100, 1000],
                        help="corpus sizes to run (none: only print the --merge figures)")
    parser.add_argument("--limit", type=float, default=900.0,
                        help="seconds before a step is stopped (default 900)")
    parser.add_argument("--query-limit", type=float, default=60.0,
                        help="seconds for each named query in the in-process step (default 60)")
    parser.add_argument("--cold-limit", type=float, default=None,
                        help="seconds for the cold validation (default: the larger of --limit "
                        "and 1.2 s per report)")
    parser.add_argument("--reuse", action="store_true",
                        help="with --keep: use a corpus (and its store) an earlier run left there, "
                        "e.g. to run the steps it did not reach (--skip the others)")
    parser.add_argument("--only", nargs="*", default=[],
                        help="run only the steps whose name contains one of these words "
                             "(=name: only the step of that exact name); with --reuse, to measure "
                             "again what a change touched")
    parser.add_argument("--skip", nargs="*", default=[],
                        help="leave out the steps whose name contains one of these words "
                        "(=name: only the step of that exact name)")
    parser.add_argument("--keep", type=Path, default=None,
                        help="build the corpora here and keep them (default: a temporary folder)")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures as JSON")
    parser.add_argument("--merge", type=Path, nargs="*", default=[],
                        help="figures of earlier runs (--json files) to show beside these")
    args = parser.parse_args()
    cores = os.cpu_count() or 1
    cpu = "?"
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in
                   Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines()
                   if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    print(f"tckg scale benchmark — {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; "
          f"{platform.node()}: {cores} CPUs ({cpu}), Python {platform.python_version()}", flush=True)
    workdir = Path(tempfile.mkdtemp(prefix="tckg-scale-")) if args.keep is None else args.keep
    results: dict[int, dict[str, Result]] = {}
    for path in args.merge:
        for n, steps in json.loads(path.read_text(encoding="utf-8")).items():
            # step by step: a later file's figure replaces an earlier one's, the rest stay
            results.setdefault(int(n), {}).update({s: Result(**v) for s, v in steps.items()})
    try:
        for n in args.sizes:
            earlier = dict(results.get(n, {}))  # --merge figures of this size: kept, per step

            def save(n: int, steps: dict[str, Result], earlier: dict = earlier) -> None:
                if args.json is not None:
                    results[n] = {**earlier, **steps}
                    args.json.write_text(json.dumps({k: {s: vars(res) for s, res in rs.items()}
                                                     for k, rs in results.items()}, indent=1),
                                         encoding="utf-8")

            results[n] = {**earlier, **bench_size(n, args.limit, workdir, cores, args.query_limit,
                                                  tuple(args.skip), args.cold_limit, save,
                                                  args.reuse, tuple(args.only))}
            if args.json is not None:  # written as it goes: a stopped run keeps its figures
                args.json.write_text(json.dumps({k: {s: vars(res) for s, res in rs.items()}
                                                 for k, rs in results.items()}, indent=1),
                                     encoding="utf-8")
            if args.keep is None:
                shutil.rmtree(workdir / f"n{n}", ignore_errors=True)
    finally:
        if args.keep is None:
            shutil.rmtree(workdir, ignore_errors=True)
    report(results, cores, args.json)


def _cpu(res: Result | None) -> float | None:
    """CPU seconds of a step; for one named query, of the query alone (not Python's start-up
    and the store's opening, which every query process pays)."""
    if res is None or res.stopped or res.cpu is None:
        return None
    return res.extra.get("query_cpu", res.cpu)


def _cell(res: Result | None) -> str:
    if res is None:
        return "—"
    if res.stopped:
        return f"not finished in {res.wall:.0f} s"
    value = _cpu(res)
    return f"{value:.2f}" if value is not None and value < 10 else f"{value:.1f}"


def _exponent(a: Result | None, b: Result | None, n_a: int, n_b: int) -> tuple[float | None, str]:
    """log(b / a) / log(n_b / n_a) on CPU seconds; a stopped b gives a lower bound (">")."""
    ca = _cpu(a)
    if ca is None or ca <= 0 or b is None:
        return None, "—"
    if b.stopped:
        e = math.log(max(b.wall, 1e-9) / ca) / math.log(n_b / n_a)
        return e, f">{e:.2f}"
    cb = _cpu(b)
    if cb is None or cb <= 0:
        return None, "—"
    e = math.log(cb / ca) / math.log(n_b / n_a)
    return e, f"{e:.2f}"


# Steps whose time should not grow with the corpus at all (or is one report's work): their
# exponent is shown, not judged against the linear goal.
_CONSTANT = ("nothing changed", "alone", "add one report", "after add")


def _anchor(step: str, r: dict[str, Result], n: int, cores: int) -> tuple[float | None, str, float | None]:
    """(anchor CPU s, what the anchor is, the ratio goal) for a step, or (None, "", None)."""
    def cpu(name: str) -> float | None:
        return _cpu(r.get(name))

    if step == "store: first load":
        return cpu("anchor: pyoxigraph bulk_load"), "pyoxigraph bulk_load", 1.5
    if step == "add one report":
        return cpu("validate one report alone"), "validating that report alone", 2.0
    if step == "validate (cold: no cached verdict)":
        one = cpu("validate one report alone")
        # compared as CPU ÷ cores below: what the machine must give, not the shared wall clock
        return (None if one is None else n * one), f"N × one report (÷ {cores} cores both)", 1.2
    if step.startswith("query ") and step.endswith("(tckg)"):
        return cpu(step.replace("(tckg)", "(pyoxigraph direct)")), "the query on pyoxigraph directly", 2.0
    return None, "", None


def _absolute(step: str, res: Result) -> tuple[float | None, float | None, str]:
    """(measured, goal, unit) for the steps with a fixed time goal."""
    if step == "store: open (nothing changed)":
        return res.extra.get("open_s"), 1.0, "s to open in process"
    if step == "validate (nothing changed)":
        return _cpu(res), 2.0, "s CPU"
    if step.startswith("track"):
        return _cpu(res), 10.0, "s CPU"
    return None, None, ""


def report(results: dict[int, dict[str, Result]], cores: int, json_path: Path | None) -> None:
    sizes = sorted(results)
    big = max(sizes)
    growth = 100 in results and 1000 in results
    steps = list(dict.fromkeys(s for r in results.values() for s in r))
    commands = [s for s in steps if not s.startswith("query ") or s == "query targets (CLI)"]
    queries = sorted({s[len("query "):].rsplit(" (", 1)[0] for s in steps
                      if s.startswith("query ") and s != "query targets (CLI)"})
    r = results[big]
    gaps: list[str] = []

    def judge(step: str) -> tuple[str, str, str]:
        """(ratio cell, exponent cell, verdict) of a step at the largest N."""
        res = r.get(step)
        if step.startswith("anchor"):
            verdict = "anchor"
        elif step == "tckg validate --store rdflib, cold":
            verdict = "against pyshacl -a, below"
        else:
            verdict = f"not run at N={big:,}"
        if res is None:
            if verdict.startswith("not run"):  # a step the run did not reach is a gap too
                gaps.append(f"{step}: {verdict}")
            return "—", "—", verdict
        bad: list[str] = []
        ratio_cell = "—"
        if res.stopped:
            bad.append(f"not finished in {res.wall:.0f} s")
        anchor, what, goal = _anchor(step, r, big, cores)
        mine = _cpu(res)
        if goal is not None and anchor and mine is not None:
            ratio = mine / anchor
            ratio_cell = f"{ratio:.2f}× {what}"
            slack = 0.05 if step.startswith("query ") else 0.0  # below 50 ms: term conversion, start-up
            if mine > goal * anchor + slack:
                bad.append(f"{ratio:.2f}× (goal ≤ {goal:g}×)")
        elif goal is not None and anchor is None and not res.stopped:
            ratio_cell = "its anchor did not finish"
        value, limit_, unit = _absolute(step, res)
        if limit_ is not None and value is not None:
            ratio_cell = f"{value:.2f} {unit} (goal < {limit_:g})"
            if value >= limit_:
                bad.append(f"{value:.1f} {unit} (goal < {limit_:g})")
        if res.rss_mb is not None and res.rss_mb >= 2048 and not step.startswith("anchor"):
            bad.append(f"peak {res.rss_mb:.0f} MB (goal < 2,048)")
        e, e_cell = (None, "—")
        if growth:
            e, e_cell = _exponent(results[100].get(step), results[1000].get(step), 100, 1000)
            if (e is not None and e > 1.1 and not step.startswith("anchor")
                    and not any(w in step for w in _CONSTANT) and "direct" not in step):
                bad.append(f"exponent {e_cell} (goal ≤ 1.1)")
        if step.startswith("anchor") or "direct" in step:
            return ratio_cell, e_cell, "anchor"
        if bad:
            gaps.append(f"{step}: " + "; ".join(bad))
        return ratio_cell, e_cell, "met" if not bad else "GAP: " + "; ".join(bad)

    print(f"\nCommands: CPU seconds (user + system, with the worker processes), peak resident MB; "
          f"goals judged at N={big:,}\n")
    print("| step | " + " | ".join(f"N={n:,} CPU s (peak MB)" for n in sizes)
          + " | ratio to its anchor | exponent 100→1,000 | goal |")
    print("|---" * (len(sizes) + 4) + "|")
    for s in commands:
        cells = []
        for n in sizes:
            res = results[n].get(s)
            cells.append("—" if res is None else
                         f"{_cell(res)} ({res.rss_mb:.0f})" if res.rss_mb is not None else _cell(res))
        ratio_cell, e_cell, verdict = judge(s)
        print(f"| {s} | " + " | ".join(cells) + f" | {ratio_cell} | {e_cell} | {verdict} |")
    if queries:
        print("\nNamed queries: CPU seconds of the query alone, through tckg's runner (checks, "
              "parameters, rows as rdflib terms) and directly on the same pyoxigraph store "
              "(rows consumed, not converted); each in its own process under its time limit\n")
        print("| query | rows N=" + f"{big:,} | " + " | ".join(
            f"tckg N={n:,} | direct N={n:,}" for n in sizes)
            + " | tckg ÷ direct | exponent tckg | exponent direct | goal |")
        print("|---" * (2 * len(sizes) + 6) + "|")
        for q in queries:
            t, d = f"query {q} (tckg)", f"query {q} (pyoxigraph direct)"
            rows = (r.get(t) or r.get(d) or Result(None, None, 0, False, False)).extra.get("rows")
            cells = []
            for n in sizes:
                cells += [_cell(results[n].get(t)), _cell(results[n].get(d))]
            ratio_cell, e_cell, verdict = judge(t)
            e_direct = _exponent(results[100].get(d), results[1000].get(d), 100, 1000)[1] \
                if growth else "—"
            print(f"| {q} | {'—' if rows is None else f'{rows:,}'} | " + " | ".join(cells)
                  + f" | {ratio_cell.split(' the ')[0]} | {e_cell} | {e_direct} | {verdict} |")
    print(f"\nGoals of issue 12 at N={big:,}: "
          + ("every goal met." if not gaps else f"{len(gaps)} gaps:"))
    for g in gaps:
        print(f"- {g}")
    small = min(sizes)
    p, v = results[small].get("anchor: pyshacl -a (CLI)"), \
        results[small].get("tckg validate --store rdflib, cold")
    if p and v and p.cpu and v.cpu:
        print(f"- one report: tckg validate {v.cpu:.1f} s against pyshacl -a {p.cpu:.1f} s "
              f"(N={small}) — {'met' if v.cpu <= p.cpu else 'GAP'}")
    if json_path is not None:
        json_path.write_text(json.dumps({n: {s: vars(res) for s, res in rs.items()}
                                         for n, rs in results.items()}, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
