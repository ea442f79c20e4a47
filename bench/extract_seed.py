"""The seed, scored: ``tckg extract`` on the seed text against the curated data, field by field.

Called by ``bench_extract.py`` (which also scores the development corpus); runs on its own too.

Runs the extractor on ``data/sources/tianyuan-2023-plan-report.txt`` and compares the draft
with the curated ``data/report.ttl`` (compile it first for fresh data), target by target and
achievement by achievement:

- a draft fact and a curated fact are **aligned** when their evidence spans overlap (any
  quote of one overlaps any quote of the other); among overlapping pairs the one agreeing on
  most fields wins, one to one;
- per field (value, unit, comparator, year, area, indicator, plan level, qualifier, estimate),
  precision = aligned pairs that agree / draft facts, recall = aligned pairs that agree /
  curated facts;
- a **complete numeric fact** is a fact with a number whose value, unit, comparator, year,
  area, indicator (and plan level, for targets) are all right and whose evidence overlaps:
  the issue's figure. A stricter line also requires qualifier and estimate flag.

The fictional 2024 report of the tracking tests (``tests/fixtures/fictional-tianyuan-2024``,
encoded by hand independently of the extractor) is scored too when it is present, with areas
compared by name.

Two runs are printed: **shared registry** (the extractor knows the places, bodies and
enterprises of the loaded data, as it does for every new report in this project) and
**cold** (ontology only, ``--area``/``--government`` given as ids, as for a report of a
government the data has never seen).

Usage: ``PYTHONPATH=src python bench/extract_seed.py [--gold data/report.ttl]
[--text data/sources/tianyuan-2023-plan-report.txt] [-v]``
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from rdflib import Graph, URIRef  # noqa: E402
from rdflib.namespace import RDF  # noqa: E402

from tckg.namespaces import CMP, DCTERMS, IND, LEVEL, OA, ORGS, PLACE, QUAL, TCK, UNIT  # noqa: E402

FIELDS = ["value", "unit", "comparator", "year", "area", "indicator", "plan_level", "qualifier",
          "estimate", "upper"]
CORE = ["value", "unit", "comparator", "year", "area", "indicator", "plan_level"]
STRICT = CORE + ["qualifier", "estimate", "upper"]


@dataclass
class Obs:
    iri: str
    cls: str
    fields: dict[str, Any]
    spans: list[tuple[int, int]] = field(default_factory=list)

    @property
    def numeric(self) -> bool:
        return self.fields["value"] is not None


def _local(term: Any, ns: Any) -> str | None:
    if term is None:
        return None
    text = str(term)
    return text[len(str(ns)):] if text.startswith(str(ns)) else text


def observations(graph: Graph) -> list[Obs]:
    out = []
    for cls, name in ((TCK.Target, "target"), (TCK.Achievement, "achievement")):
        for node in graph.subjects(RDF.type, cls):
            def one(prop: URIRef, g: Graph = graph, n: Any = node) -> Any:
                return next(g.objects(n, prop), None)

            value = one(TCK.value)
            upper = one(TCK.upperValue)
            est = one(TCK.isEstimate)
            fields = {
                "value": Decimal(str(value)).normalize() if value is not None else None,
                "upper": Decimal(str(upper)).normalize() if upper is not None else None,
                "unit": _local(one(TCK.unit), UNIT),
                "comparator": _local(one(TCK.comparator), CMP),
                "year": str(one(TCK.year)),
                "area": _local(one(TCK.refArea), PLACE),
                "indicator": _local(one(TCK.indicator), IND),
                "plan_level": _local(one(TCK.planLevel), LEVEL),
                "qualifier": _local(one(TCK.qualifier), QUAL),
                "estimate": bool(est.toPython()) if est is not None else None,
            }
            spans = []
            for ev in graph.objects(node, TCK.evidence):
                for sel in graph.objects(ev, OA.hasSelector):
                    s, e = next(graph.objects(sel, OA.start), None), next(graph.objects(sel, OA.end), None)
                    if s is not None and e is not None:
                        spans.append((int(s), int(e)))
            out.append(Obs(str(node), name, fields, spans))
    return out


def place_labels(graph: Graph) -> dict[str, str]:
    from rdflib.namespace import RDFS

    out = {}
    for node in graph.subjects(RDF.type, TCK.Place):
        for label in graph.objects(node, RDFS.label):
            if getattr(label, "language", None) == "zh":
                out[_local(node, PLACE)] = str(label)
    return out


def by_label(obs: list[Obs], labels: dict[str, str]) -> list[Obs]:
    """The same observations with areas as their Chinese names (ids differ in a cold run)."""
    out = []
    for o in obs:
        f = dict(o.fields)
        f["area"] = labels.get(f["area"], f["area"])
        out.append(Obs(o.iri, o.cls, f, o.spans))
    return out


def _same_place(a: Any, b: Any) -> bool:
    """高新区 names 株洲高新区; a draft's placeholder "株洲市所在省（待核实）" names no one."""
    return a == b or (isinstance(a, str) and isinstance(b, str) and len(min(a, b, key=len)) >= 2
                      and (a.endswith(b) or b.endswith(a)))


def _overlap(a: Obs, b: Obs) -> bool:
    return any(s1 < e2 and s2 < e1 for s1, e1 in a.spans for s2, e2 in b.spans)


def align(gold: list[Obs], draft: list[Obs]) -> list[tuple[Obs, Obs]]:
    pairs = []
    for g in gold:
        for d in draft:
            if g.cls == d.cls and _overlap(g, d):
                agree = sum(g.fields[f] == d.fields[f] for f in STRICT)
                pairs.append((agree, g.iri, d.iri, g, d))
    pairs.sort(key=lambda p: (-p[0], p[1], p[2]))
    used_g, used_d, out = set(), set(), []
    for _, gi, di, g, d in pairs:
        if gi in used_g or di in used_d:
            continue
        used_g.add(gi)
        used_d.add(di)
        out.append((g, d))
    return out


def _eq(f: str, a: Any, b: Any, same_place: bool) -> bool:
    return _same_place(a, b) if f == "area" and same_place else a == b


def score(gold: list[Obs], draft: list[Obs], verbose: bool = False,
          same_place: bool = False) -> dict[str, Any]:
    pairs = align(gold, draft)
    result: dict[str, Any] = {}
    for subset in ("numeric", "all"):
        gs = [g for g in gold if subset == "all" or g.numeric]
        ds = [d for d in draft if subset == "all" or d.numeric]
        ps = [(g, d) for g, d in pairs if (subset == "all" or (g.numeric and d.numeric))]
        row: dict[str, Any] = {"gold": len(gs), "draft": len(ds), "aligned": len(ps),
                               "evidence": (len(ps) / len(ds) if ds else 0.0,
                                            len(ps) / len(gs) if gs else 0.0)}
        for f in FIELDS:
            ok = sum(_eq(f, g.fields[f], d.fields[f], same_place) for g, d in ps)
            row[f] = (ok / len(ds) if ds else 0.0, ok / len(gs) if gs else 0.0)
        for name, fl in (("complete", CORE), ("complete-strict", STRICT)):
            ok = sum(all(_eq(f, g.fields[f], d.fields[f], same_place) for f in fl)
                     for g, d in ps)
            row[name] = (ok / len(ds) if ds else 0.0, ok / len(gs) if gs else 0.0, ok)
        result[subset] = row
    if verbose:
        aligned_g = {g.iri for g, _ in pairs}
        aligned_d = {d.iri for _, d in pairs}
        for g, d in pairs:
            bad = [f for f in STRICT if g.fields[f] != d.fields[f]]
            if bad:
                print(f"  DIFF {g.cls:11} " + "; ".join(
                    f"{f}: gold={g.fields[f]} draft={d.fields[f]}" for f in bad)
                    + f"  [{g.fields['indicator']} {g.spans[:1]}]")
        for g in gold:
            if g.iri not in aligned_g:
                print(f"  MISSED {g.cls:11} {g.fields['indicator']} {g.fields['value']} "
                      f"{g.fields['unit']} {g.fields['year']} {g.spans[:1]}")
        for d in draft:
            if d.iri not in aligned_d:
                print(f"  EXTRA  {d.cls:11} {d.fields['indicator']} {d.fields['value']} "
                      f"{d.fields['unit']} {d.fields['year']} {d.spans[:1]}")
    return result


def report_row(title: str, res: dict[str, Any]) -> None:
    for subset in ("numeric", "all"):
        row = res[subset]
        label = "numeric facts (with a value)" if subset == "numeric" else \
            "all facts (incl. relative, benchmark, qualitative)"
        print(f"\n{title} — {label}: curated {row['gold']}, drafted {row['draft']}, "
              f"aligned {row['aligned']}")
        print(f"  {'field':18} {'precision':>9} {'recall':>9}")
        p, r = row["evidence"]
        print(f"  {'evidence (overlap)':18} {p:9.1%} {r:9.1%}")
        for f in FIELDS:
            p, r = row[f]
            print(f"  {f:18} {p:9.1%} {r:9.1%}")
        for name in ("complete", "complete-strict"):
            p, r, n = row[name]
            print(f"  {name:18} {p:9.1%} {r:9.1%}   ({n} facts)")


def core_only(registry: Any) -> Any:
    """The registry without the indicators written for the seed: only the core scheme."""
    import yaml

    core = set()
    for name in ("indicators-core.yaml", "indicators-common.yaml"):   # the core scheme
        doc = yaml.safe_load((ROOT / "ontology" / "src" / name).read_text(encoding="utf-8"))
        core |= {rec["id"] for rec in doc["indicators"]}
    registry.indicators = {k: v for k, v in registry.indicators.items() if k in core}
    return registry


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--gold", type=Path, default=ROOT / "data" / "report.ttl")
    ap.add_argument("--text", type=Path,
                    default=ROOT / "data" / "sources" / "tianyuan-2023-plan-report.txt")
    ap.add_argument("-v", "--verbose", action="store_true", help="list every difference")
    ap.add_argument("--cold-only", action="store_true")
    ap.add_argument("--core-only", action="store_true",
                    help="leave out the indicators written for the seed (only the core scheme: "
                         "indicators-core.yaml and indicators-common.yaml)")
    args = ap.parse_args(argv)

    from tckg.extract import Registry, extract_file
    from tckg.store.load import load_dataset, parse_file

    gold_graph = Graph()
    for g in parse_file(args.gold).graphs.values():
        for t in g:
            gold_graph.add(t)
    gold = observations(gold_graph)
    report = next(gold_graph.subjects(RDF.type, TCK.Report))
    area = _local(next(gold_graph.objects(report, DCTERMS.spatial)), PLACE)
    gov = _local(next(gold_graph.objects(report, DCTERMS.creator)), ORGS)

    def registry(with_data: bool) -> Any:
        reg = Registry.from_graph(load_dataset(None if with_data else []).union())
        return core_only(reg) if args.core_only else reg

    runs = []
    if not args.cold_only:
        runs.append(("shared registry", registry(True), None, None))
    gold_labels = place_labels(gold_graph)
    runs.append(("cold (ontology only)", registry(False), area, gov))
    summary = defaultdict(dict)
    for title, registry, a, gv in runs:
        t0 = time.perf_counter()
        draft = extract_file(args.text, registry=registry, area=a, government=gv)
        elapsed = time.perf_counter() - t0
        drafted = observations(draft.graph)
        res = score(gold, drafted, verbose=args.verbose)
        report_row(f"{title} [{elapsed:.1f} s, {len(draft.proposed)} proposed indicators]", res)
        summary[title] = res["numeric"]["complete"]
        if title.startswith("cold"):
            # new places get new ids; compare them by name to see what the text itself gave
            res2 = score(by_label(gold, gold_labels),
                         by_label(drafted, place_labels(draft.graph)), same_place=True)
            summary[title + ", areas by name"] = res2["numeric"]["complete"]
    fixture = ROOT / "tests" / "fixtures" / "fictional-tianyuan-2024"
    if (fixture / "report.yaml").exists():
        # a second text, encoded by another hand (the tracking tests' fictional 2024 report)
        from tckg.compile import compile_report

        fx_graph = compile_report(fixture, text_dir=fixture)
        fx_text = next(fixture.glob("*.txt"))
        for title, registry, _a, _gv in runs:
            draft = extract_file(fx_text, registry=registry, area=area, government=gov)
            # a draft names the places the data already has without restating them
            known = place_labels(load_dataset().union()) | place_labels(draft.graph)
            res = score(by_label(observations(fx_graph), place_labels(fx_graph)),
                        by_label(observations(draft.graph), known), same_place=True)
            summary[f"fictional 2024 fixture, {title.split(' ')[0]}"] = \
                res["numeric"]["complete"]
    print("\nOverall, complete numeric facts (precision / recall):")
    for title, (p, r, n) in summary.items():
        print(f"  {title:38} {p:6.1%} / {r:6.1%}  ({n} facts right)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
