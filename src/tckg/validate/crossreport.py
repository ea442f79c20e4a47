"""The checks that span reports, as indexed joins in Python over rows the store answers in one
pass each (never a SPARQL target that joins every report to every other):

- incomparable units: a target and an achievement of the same indicator, year and area in
  *different* reports whose units have different base units (the same check within one
  report is tcksh:IncomparableUnitsShape, run with that report);
- duplicate reports: one report IRI stated as a tck:Report in two graphs (a violation), or two
  reports of the same area, plan year and kind (a warning);
- references to other reports' resources that no graph describes (a dangling link).

Undeclared tck: terms need only the report and the ontology, so tcksh:UndeclaredTermShape
runs with each report and is exact there.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from pathlib import Path
from typing import Any

from rdflib import Graph, URIRef

from tckg.namespaces import BASE, bind_prefixes

_NS = Graph()
bind_prefixes(_NS.namespace_manager)


def _short(iri: str) -> str:
    try:
        return _NS.namespace_manager.normalizeUri(URIRef(iri))
    except Exception:  # noqa: BLE001 - an IRI no prefix covers
        return iri


class _Term(str):
    """An IRI or literal from Oxigraph as a string, with its language tag."""

    language: str | None = None


def _rows(dataset: Any, text: str, graph: str | None = None) -> list[dict[str, Any]]:
    """The answer's rows as dicts of strings (``graph``: bound to ``?g``, never pasted)."""
    ox_store = getattr(dataset.store, "store", None)
    if ox_store is not None and dataset.store.kind == "oxigraph":
        # straight from pyoxigraph: strings, not rdflib terms (tens of thousands of rows)
        import pyoxigraph as ox

        from tckg.namespaces import PREFIXES

        subs = {ox.Variable("g"): ox.NamedNode(graph)} if graph is not None else None
        solutions = ox_store.query(text, prefixes={k: str(v) for k, v in PREFIXES.items()},
                                   substitutions=subs)
        names = [v.value for v in solutions.variables]
        out = []
        for sol in solutions:
            row: dict[str, Any] = {}
            for name in names:
                term = sol[name]
                if term is None:
                    row[name] = None
                else:
                    t = _Term(term.value)
                    t.language = getattr(term, "language", None)
                    row[name] = t
            out.append(row)
        return out
    from tckg.sparql.run import query

    params = {"g": URIRef(graph)} if graph is not None else None
    return query(text, dataset, params, timeout=0, max_rows=100_000_000).rows


def _labels(dataset: Any, iris: set[str]) -> dict[str, dict[str, str]]:
    if not iris:
        return {}
    values = " ".join(f"<{i}>" for i in sorted(iris))
    out: dict[str, dict[str, str]] = defaultdict(dict)
    for r in _rows(dataset, f"SELECT ?s ?l WHERE {{ VALUES ?s {{ {values} }} ?s rdfs:label ?l }}"):
        lang = getattr(r["l"], "language", None) or ""
        out[str(r["s"])].setdefault(lang, str(r["l"]))
    return out


# A report's targets and achievements with the keys the check joins on, read from its own graph
# only (``?g`` bound): the same rows GRAPH ?g gives over the whole store, a graph at a time.
_KEYED = ("SELECT ?g ?x ?ind ?year ?area ?u WHERE {{ GRAPH ?g {{ ?x a {cls} ; tck:indicator ?ind ; "
          "tck:year ?year ; tck:refArea ?area ; tck:unit ?u }} }}")
INDEX_FORMAT = 1


def unit_index(dataset: Any, unit: Any, folder: Path | None = None) -> dict[str, list[list[str]]]:
    """One graph's targets and achievements as ``{"t": [[x, ind, year, area, unit], …], "a": …}``,
    cached beside the verdicts under the hash of the graph's content (a report unchanged since
    the last run is not queried again: ``tckg add`` then costs one graph's rows, not N)."""
    from tckg.validate.cache import read_cache, write_cache

    key = hashlib.sha256(f"crossreport-index\0{unit.digest}\0{INDEX_FORMAT}".encode()).hexdigest()
    cached = read_cache(folder / "crossreport", key, INDEX_FORMAT) if folder is not None else None
    if cached is not None:
        return cached
    index: dict[str, Any] = {"format": INDEX_FORMAT}
    for kind, cls in (("t", "tck:Target"), ("a", "tck:Achievement")):
        index[kind] = [[str(r["x"]), str(r["ind"]), str(r["year"]), str(r["area"]), str(r["u"])]
                       for r in _rows(dataset, _KEYED.format(cls=cls), str(unit.name))]
    if folder is not None:
        write_cache(folder / "crossreport", key, index)
    return index


def incomparable_units(dataset: Any, units: list[Any], folder: Path | None = None) -> list[Any]:
    from tckg.validate import Severity, ValidationResult

    base = {str(r["u"]): str(r["b"]) for r in _rows(
        dataset, "SELECT ?u ?b WHERE { ?u tck:baseUnit ?b }")}
    groups: dict[tuple[str, str, str], dict[str, list[tuple[str, str, str]]]] = defaultdict(
        lambda: {"t": [], "a": []})
    for unit in units:
        index = unit_index(dataset, unit, folder)
        g = str(unit.name)
        for kind in ("t", "a"):
            for x, ind, year, area, u in index[kind]:
                b = base.get(u)
                if b is not None:
                    groups[(ind, year, area)][kind].append((g, x, b))
    pairs: list[tuple[str, str]] = []
    for group in groups.values():
        if not group["t"] or not group["a"]:
            continue
        if len({b for _, _, b in group["t"] + group["a"]}) < 2:
            continue  # the usual case: one base unit for the key, nothing to pair
        for g1, t, b1 in group["t"]:
            for g2, a, b2 in group["a"]:
                if g1 != g2 and b1 != b2:
                    pairs.append((t, a))
    labels = _labels(dataset, {t for t, _ in pairs})
    out = []
    for t, a in sorted(set(pairs)):
        value = _short(a)
        lab = labels.get(t, {})
        out.append(ValidationResult(
            severity=Severity.VIOLATION, focus=t,
            focus_label=lab.get("zh") or lab.get("") or lab.get("en") or _short(t),
            focus_label_en=lab.get("en") or lab.get("") or lab.get("zh") or _short(t),
            path="tck:unit", value=value,
            message_en=f"The achievement {value} of the same indicator, year and area (in another "
                       "report) uses a unit that does not convert to the target's.",
            message_zh=f"同一指标、年度、地区的完成情况 {value}（另一份报告）使用的单位无法换算为目标的单位。",
            shape="tcksh:IncomparableUnitsShape", node_shape="tcksh:IncomparableUnitsShape",
            component="sh:SPARQLConstraintComponent"))
    return out


def duplicate_reports(dataset: Any) -> list[Any]:
    from tckg.validate import Severity, ValidationResult

    graphs: dict[str, set[str]] = defaultdict(set)
    facets: dict[str, tuple[str, str, str]] = {}
    for r in _rows(dataset, "SELECT ?g ?r ?area ?year ?kind WHERE { GRAPH ?g { ?r a tck:Report "
                   "OPTIONAL { ?r dcterms:spatial ?area } OPTIONAL { ?r tck:planYear ?year } "
                   "OPTIONAL { ?r tck:reportKind ?kind } } }"):
        rep = str(r["r"])
        graphs[rep].add(str(r["g"]))
        if r["area"] is not None and r["year"] is not None and r["kind"] is not None:
            facets[rep] = (str(r["area"]), str(r["year"]), str(r["kind"]))
    out = []
    for rep, gs in sorted(graphs.items()):
        if len(gs) > 1:
            out.append(ValidationResult(
                severity=Severity.VIOLATION, focus=rep, focus_label=_short(rep),
                focus_label_en=_short(rep), path=None, value=None,
                message_en=f"The report is stated in {len(gs)} graphs ({', '.join(sorted(gs))}); "
                           "a report is stored once.",
                message_zh=f"该报告出现在 {len(gs)} 个图中；一份报告只应存储一次。",
                shape=None, component="tck:DuplicateReport"))
    same: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for rep, key in facets.items():
        same[key].append(rep)
    for (area, year, kind), reps in sorted(same.items()):
        if len(reps) < 2:
            continue
        for rep in sorted(reps):
            others = ", ".join(_short(o) for o in sorted(reps) if o != rep)
            out.append(ValidationResult(
                severity=Severity.WARNING, focus=rep, focus_label=_short(rep),
                focus_label_en=_short(rep), path="dcterms:spatial", value=_short(area),
                message_en=f"Another report ({others}) has the same area, plan year {year} and "
                           f"kind {_short(kind)}: is one a duplicate?",
                message_zh=f"另一份报告（{others}）的地区、计划年度 {year} 与类型相同：是否重复？",
                shape=None, component="tck:DuplicateReport"))
    return out


def dangling_references(units: list[Any]) -> list[Any]:
    from tckg.validate import Severity, ValidationResult
    from tckg.validate.engine import typed_elsewhere

    out = []
    prefix = f"{BASE}report/"
    for unit in units:
        found = typed_elsewhere(unit)  # described (typed) by another graph
        for iri in unit.outside:
            if iri.startswith(prefix) and iri not in found:
                out.append(ValidationResult(
                    severity=Severity.VIOLATION, focus=iri, focus_label=_short(iri),
                    focus_label_en=_short(iri), path=None, value=str(unit.name),
                    message_en=f"The graph {unit.name} refers to {iri}, which no report in the "
                               "data describes (a typo, or a report not loaded?).",
                    message_zh=f"图 {unit.name} 引用了 {iri}，但数据中没有任何报告描述它。",
                    shape=None, component="tck:DanglingReference"))
    return out


def cross_report_results(dataset: Any, units: list[Any], folder: Path | None = None) -> list[Any]:
    """Every check that spans reports; ``folder`` caches each report's index rows."""
    if len(units) < 2:
        return dangling_references(units)
    return (incomparable_units(dataset, units, folder) + duplicate_reports(dataset)
            + dangling_references(units))
